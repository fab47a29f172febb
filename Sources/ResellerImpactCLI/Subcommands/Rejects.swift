import ArgumentParser
import ImpactReports

extension ResellerImpactCommand {
    struct Rejects: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the rows the stored imports rejected, so the export's owner can fix them.",
            discussion: """
                Lists file, line, column, entity, reason and the row's text (shortened) of every rejected \
                row behind the data now stored (an import that replaces an entity replaces its rejects).

                Examples:
                  reseller-impact rejects
                  reseller-impact rejects --file exports/mailboxes-B.csv
                  reseller-impact rejects --format csv > rejects.csv
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: ArgumentHelp("Only rejects from this file: the path given to import, or its last part (name).", valueName: "file"))
        var file: String?

        @Option(name: .long, help: "text or csv.")
        var format: Format = .text

        func run() throws {
            try ExitCodes.run {
                let database = try store.open(mustExist: true)
                defer { database.close() }
                let rejects = try database.rejects(file: file)
                switch format {
                case .csv:
                    var out = CSVOutput.row(["file", "line", "column", "entity", "reason", "raw"])
                    for r in rejects {
                        out += CSVOutput.row([r.file, String(r.line), String(r.column), r.entity?.rawValue ?? "", r.reason, r.raw])
                    }
                    Console.result(out)
                case .text:
                    var out = ""
                    for r in rejects {
                        out += "\(ImportSummaryText.clean(r.file)):\(r.line):\(r.column): \(r.entity?.rawValue ?? "row"): \(ImportSummaryText.clean(r.reason))\n"
                        out += "    \(ImportSummaryText.clean(String(r.raw.prefix(200))))\n"
                    }
                    Console.result(out)
                    Console.note("\(rejects.count) rejected \(rejects.count == 1 ? "row" : "rows")")
                }
            }
        }
    }
}
