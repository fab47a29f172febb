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

        @OptionGroup var input: ImportInputOptions

        func run() throws {
            try ExitCodes.run {
                try store.withDatabaseForImport { database in
                    _ = try Steps.importExports(input.paths, into: database, options: input.importOptions)
                }
            }
        }
    }
}
