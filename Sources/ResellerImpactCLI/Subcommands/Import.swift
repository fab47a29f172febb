import ArgumentParser
import ImpactStore

extension ResellerImpactCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load exports (CSV, TSV, XML; files or folders) into the database.",
            discussion: """
                Files are read in the order given, a folder's .csv/.tsv/.xml files in file-name order. \
                A CSV file's kind (mailboxes, domains, customers, resellers) is recognised by its header. \
                The whole import is one transaction: it replaces the kinds of record present in its files \
                and leaves the others as they were. Bad rows are rejected and recorded (see 'rejects'); \
                a file that cannot be read or is not well-formed XML aborts the import and changes nothing.

                Examples:
                  reseller-impact import exports/
                  reseller-impact import --db impact.sqlite resellers.xml mailboxes-A.xml mailboxes-B.csv
                  reseller-impact import --strict --db impact.sqlite exports/
                """)

        @OptionGroup var store: StoreOptions

        @Flag(name: .long, help: "Abort on the first rejected row (exit 65) instead of recording it.")
        var strict = false

        @Flag(name: .customLong("allow-shrink"), help: "Accept an export that leaves a kind of record with fewer than half the rows it has now.")
        var allowShrink = false

        @Argument(help: ArgumentHelp("Export files or folders.", valueName: "path"))
        var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("give at least one export file or folder") }
        }

        func run() throws {
            try ExitCodes.run {
                try store.withDatabaseForImport { database in
                    _ = try Steps.importExports(paths, into: database, options: ImportOptions(strict: strict, allowShrink: allowShrink))
                }
            }
        }
    }
}
