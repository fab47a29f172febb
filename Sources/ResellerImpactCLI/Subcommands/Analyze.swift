import ArgumentParser
import ImpactAnalysis
import ImpactReports

extension ResellerImpactCommand {
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every reseller as full, partial or none for a set of offline volumes.",
            discussion: """
                Prints a table of the affected resellers (fully affected first, then partial, most \
                affected mailboxes first), or with --json the contract's JSON document with every \
                reseller. A volume that holds no mailbox is an error (exit 64) that lists the known \
                volumes of its cluster: a typo must never mean "nobody is affected".

                Examples:
                  reseller-impact analyze --offline A/vol03,A/vol07
                  reseller-impact analyze --offline A/vol03 --offline B/vol01 --json
                  reseller-impact analyze --db impact.sqlite --offline-file offline.txt --json > impact.json
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var offline: OfflineOptions

        @Flag(name: .long, help: "Print the JSON document instead of the table.")
        var json = false

        func run() throws {
            try ExitCodes.run {
                let database = try store.open(mustExist: true)
                defer { database.close() }
                let impact = try database.withSnapshot {
                    // The table and the JSON show no contact: not read (about 7 of 47 ms at
                    // 20,000 resellers).
                    try ImpactAnalyzer(store: database).analyze(try offline.resolve(in: database), contacts: false)
                }
                if json {
                    ImpactDocument.writeJSON(for: impact) { Console.result($0) }
                } else {
                    Console.result(ImpactTable.render(impact))
                }
            }
        }
    }
}
