import ArgumentParser
import Foundation
import ImpactAnalysis
import ImpactImport
import ImpactReports
import ImpactStore

extension ResellerImpactCommand {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole pipeline on the bundled SampleData/ and write Reports/.",
            discussion: """
                Imports SampleData/exports/ into a fresh temporary database, takes the offline volumes \
                from SampleData/offline-volumes.txt (and expected restore times from \
                SampleData/expected-back.txt), and writes the report, the full affected-mailbox list \
                and the import summary to Reports/. Run it from the project folder. The output holds \
                no clock time, so the same data always gives the same files.

                Examples:
                  swift run reseller-impact demo
                  reseller-impact demo --data SampleData --out /tmp/demo-report
                """)

        @Option(name: .long, help: ArgumentHelp("The sample data folder.", valueName: "dir"))
        var data: String = "SampleData"

        @Option(name: .long, help: ArgumentHelp("Where to write the report.", valueName: "dir"))
        var out: String = "Reports"

        func run() throws {
            try ExitCodes.run {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reseller-impact-demo-\(getpid())-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: scratch) }
                let database = try ImpactStore(path: scratch + "/demo.sqlite")
                defer { database.close() }

                Console.note("[1/4] import \(data)/exports")
                let expansion = try InputFiles.expand([data + "/exports"])
                let summary = try database.importExports(options: ImportOptions()) { sink in
                    try Importer(files: expansion.files, strict: false).run(into: sink)
                }
                let summaryText = ImportSummaryText.render(summary, database: "a fresh database", skipped: expansion.skipped)
                Console.note(summaryText)

                Console.note("[2/4] analyze \(data)/offline-volumes.txt")
                let offline = try OfflineOptions.parse(["--offline-file", data + "/offline-volumes.txt"])
                let set = try offline.resolve(in: database)
                let impact = try ImpactAnalyzer(store: database).analyze(set)
                Console.note(ImpactTable.render(impact))

                Console.note("[3/4] report to \(out)/")
                var report = try ReportOptions.parse(["--out", out])
                let etaFile = data + "/expected-back.txt"
                if FileManager.default.fileExists(atPath: etaFile) { report.expectedBackFile = etaFile }
                try Steps.report(impact, offline: set, store: database, options: report)
                try OutputFile.write(summaryText, to: out + "/import-summary.txt")

                Console.note("[4/4] export \(out)/affected-mailboxes.csv")
                let count = try AffectedMailboxExport(store: database, offline: set, impact: impact).write(to: out + "/affected-mailboxes.csv", format: .csv)
                Console.note("Wrote \(count) affected mailboxes. Start reading at \(out)/summary.md")
            }
        }
    }
}
