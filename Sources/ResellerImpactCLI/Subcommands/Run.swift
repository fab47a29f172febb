import ArgumentParser
import ImpactAnalysis
import ImpactReports
import ImpactStore

extension ResellerImpactCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The nightly job: import the exports, then write the report for the offline volumes.",
            discussion: """
                Same as 'import' followed by 'report'; each step prints [i/n] and a failing step says \
                which it was. See docs/CRON.md for a crontab line, and for TMPDIR in large incidents.

                Examples:
                  reseller-impact run --db /var/lib/reseller-impact/impact.sqlite --offline-file /etc/reseller-impact/offline.txt --out /var/lib/reseller-impact/report exports/
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var offline: OfflineOptions
        @OptionGroup var report: ReportOptions

        @OptionGroup var input: ImportInputOptions

        func run() throws {
            try ExitCodes.run {
                // What can be checked without the new data is checked before the import: a
                // broken offline list or template folder must not surface only in an incident.
                let quiet = try offline.specs().isEmpty
                _ = try TemplateSet(overridesIn: report.templates)
                Console.note("[1/3] import")
                try store.withDatabaseForImport { database in
                    _ = try Steps.importExports(input.paths, into: database, options: input.importOptions)
                }
                let database = try store.open(mustExist: true)
                defer { database.close() }
                // A quiet night: the offline list is there but names nothing. The import is
                // the job; there is nobody to notify.
                if quiet {
                    Console.note("Nothing is offline (the offline list names no volume): imported only, no report written.")
                    return
                }
                Console.note("[2/3] analyze")
                try database.withSnapshot {
                    let set = try offline.resolve(in: database)
                    let impact = try ImpactAnalyzer(store: database).analyze(set)
                    Console.note("[3/3] report")
                    try Steps.report(impact, offline: set, store: database, options: report)
                }
            }
        }
    }
}
