import ArgumentParser
import ImpactAnalysis
import ImpactReports

extension ResellerImpactCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write lists for other tools.",
            discussion: """
                Examples:
                  reseller-impact export affected-mailboxes --offline A/vol03 --out affected.csv
                  reseller-impact export affected-mailboxes --offline A/vol03 --reseller R1001 --format jsonl --out r1001.jsonl
                """,
            subcommands: [AffectedMailboxes.self])
    }
}

extension ResellerImpactCommand.Export {
    struct AffectedMailboxes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "affected-mailboxes",
            abstract: "Every mailbox on an offline volume, with its domain, customer and reseller.",
            discussion: """
                Columns: address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name, \
                sorted by reseller_id, customer_id, address (UTF-8 bytes). A linked cell is empty when the \
                linked record does not exist (unattributed mailboxes sort first). In CSV a cell starting \
                with =, +, -, @, tab or CR gets a leading ' so no spreadsheet runs it as a formula.

                Without --reseller, beyond about 260,000 affected mailboxes the rows wait in deleted \
                temporary files in $TMPDIR (else /tmp), about 60 bytes a mailbox.

                Examples:
                  reseller-impact export affected-mailboxes --offline A/vol03,A/vol07 --out affected.csv
                  reseller-impact export affected-mailboxes --offline-file offline.txt --reseller R1001 --out r1001.csv
                  reseller-impact export affected-mailboxes --offline A/vol03 --format jsonl --out affected.jsonl
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var offline: OfflineOptions

        @Option(name: .long, help: ArgumentHelp("The file to write.", valueName: "file"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("Only this reseller's mailboxes.", valueName: "id"))
        var reseller: String?

        @Option(name: .long, help: ArgumentHelp("csv or jsonl.", valueName: "format"))
        var format: AffectedMailboxExport.Format = .csv

        func run() throws {
            try ExitCodes.run {
                let database = try store.open(mustExist: true)
                defer { database.close() }
                let count = try database.withSnapshot {
                    let set = try offline.resolve(in: database)
                    let impact = try ImpactAnalyzer(store: database).analyze(set)
                    return try AffectedMailboxExport(store: database, offline: set, impact: impact).write(to: out, format: format, resellerID: reseller)
                }
                Console.note("Wrote \(count) affected \(count == 1 ? "mailbox" : "mailboxes") to \(out)")
            }
        }
    }
}

extension AffectedMailboxExport.Format: ExpressibleByArgument {}
