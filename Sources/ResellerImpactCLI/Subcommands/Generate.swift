import ArgumentParser
import ImpactSynthetic

extension ResellerImpactCommand {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write synthetic exports of any size, for benchmarks and scale tests.",
            discussion: """
                Writes the reseller, customer, domain and mailbox exports in the contract's formats \
                into a folder, plus offline.txt naming about a third of the first cluster's volumes. \
                The same options and seed give the same bytes on every machine. Reseller sizes are \
                skewed like a real reseller base (a few huge, many small); each customer has 1-3 \
                domains and at least one mailbox; each mailbox is on a random cluster and volume. \
                --dirty puts one of the contract's data problems (duplicate, malformed address, missing \
                field, wrong field count, broken link, upper-case variant) into that fraction of rows. \
                Memory stays flat at any size.

                Examples:
                  reseller-impact generate --out bench/ --mailboxes 10000000 --resellers 20000 --customers 2000000 --clusters A,B --volumes 24 --seed 1
                  reseller-impact generate --out small/ --mailboxes 5000 --resellers 20 --customers 500 --clusters A --volumes 6 --seed 7 --dirty 0.01
                  reseller-impact generate --out xml/ --mailboxes 100000 --resellers 200 --customers 20000 --clusters A,B,C --volumes 12 --seed 3 --format xml
                """)

        @Option(name: .long, help: ArgumentHelp("The folder to write (created if missing).", valueName: "dir"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("How many mailboxes (at least 1).", valueName: "n"))
        var mailboxes: Int

        @Option(name: .long, help: ArgumentHelp("How many resellers (at least 1).", valueName: "n"))
        var resellers: Int

        @Option(name: .long, help: ArgumentHelp("How many customers (at least as many as resellers).", valueName: "n"))
        var customers: Int

        @Option(name: .long, help: ArgumentHelp("Cluster names, comma-separated; offline.txt names volumes of the first.", valueName: "names"))
        var clusters: String

        @Option(name: .long, help: ArgumentHelp("Volumes per cluster, 1 to 999 (vol01…).", valueName: "n"))
        var volumes: Int

        @Option(name: .long, help: ArgumentHelp("Seed for every random choice.", valueName: "n"))
        var seed: UInt64

        @Option(name: .long, help: ArgumentHelp("Fraction of rows with a data problem, 0 to 0.5.", valueName: "rate"))
        var dirty: Double = 0

        @Option(name: .long, help: ArgumentHelp("csv, xml (reseller export and one mailbox export per cluster) or mixed (reseller export as XML, mailboxes as CSV).", valueName: "format"))
        var format: SyntheticDataSet.Format = .csv

        func validate() throws {
            do {
                _ = try dataSet()
            } catch {
                throw ValidationError(error.message)
            }
        }

        func dataSet() throws(GenerateError) -> SyntheticDataSet {
            try SyntheticDataSet(mailboxes: mailboxes, resellers: resellers, customers: customers,
                                 clusters: clusters.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                                 volumesPerCluster: volumes, seed: seed, dirtyRate: dirty, format: format)
        }

        func run() throws {
            try ExitCodes.run {
                let writer = SyntheticExportWriter(try dataSet())
                let summary = try writer.write(to: out) { file in
                    let rows = file.rows.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.plural)" }.joined(separator: ", ")
                    let problems = file.problemRows > 0 ? ", \(file.problemRows) with data problems" : ""
                    Console.note("Wrote \(file.path): \(rows)\(problems)")
                }
                var note = "Wrote \(summary.files.count) export files to \(out)"
                if !summary.problems.isEmpty {
                    note += "; rows with data problems: "
                        + summary.problems.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                }
                Console.note(note)
                Console.note("Offline volumes in \(summary.offlineFile): "
                    + (summary.offlineVolumes.isEmpty ? "none (the first cluster got no mailbox)" : summary.offlineVolumes.map(\.description).joined(separator: ",")))
                var base = out
                while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
                Console.note("""
                    Next:
                      reseller-impact import --db \(Self.quoted(base + ".sqlite")) \(Self.quoted(out))
                      reseller-impact analyze --db \(Self.quoted(base + ".sqlite")) --offline-file \(Self.quoted(summary.offlineFile))
                    """)
            }
        }

        /// A path as a shell word: single-quoted unless it is plain.
        static func quoted(_ path: String) -> String {
            let plain = path.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "/._-+:@".unicodeScalars.contains($0) }
            return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}

extension SyntheticDataSet.Format: ExpressibleByArgument {}
