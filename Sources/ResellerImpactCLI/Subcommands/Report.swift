import ArgumentParser
import ImpactAnalysis

extension ResellerImpactCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a notice draft and mailbox list per affected reseller, plus the summary.",
            discussion: """
                Writes DIR/resellers/<file-id>.md (the draft) and DIR/resellers/<file-id>-affected-mailboxes.csv \
                for every reseller that is fully or partially affected, and DIR/summary.md and \
                DIR/summary.json for the incident team. <file-id> is the reseller id when it is a safe \
                file name, else a safe form of it plus 8 hex digits of its SHA-256. Files are created \
                readable by the owner only (--mode to change). Drafts left in DIR/resellers by an \
                earlier report for resellers no longer affected are removed.

                Beyond about 260,000 affected mailboxes the lists wait in deleted temporary files in \
                $TMPDIR (else /tmp), about 60 bytes a mailbox; set TMPDIR to a disk with room if /tmp \
                is small or a tmpfs.

                Examples:
                  reseller-impact report --offline A/vol03,A/vol07 --out incident-2026-11-29/
                  reseller-impact report --offline-file offline.txt --out incident/ --expected-back "A/vol03=today 14:00 UTC"
                  reseller-impact report --offline A/vol03 --out incident/ --templates my-templates/ --sender "Example Mail NOC"
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var offline: OfflineOptions
        @OptionGroup var report: ReportOptions

        func run() throws {
            try ExitCodes.run {
                let database = try store.open(mustExist: true)
                defer { database.close() }
                // One snapshot for the analysis and every file: an import committing meanwhile
                // cannot make the drafts disagree with the summary.
                try database.withSnapshot {
                    let set = try offline.resolve(in: database)
                    let impact = try ImpactAnalyzer(store: database).analyze(set)
                    try Steps.report(impact, offline: set, store: database, options: report)
                }
            }
        }
    }
}
