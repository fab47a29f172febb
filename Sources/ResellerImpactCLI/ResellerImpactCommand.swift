import ArgumentParser
import Foundation
import Logging

/// `reseller-impact`: which resellers a storage failure hits, and the notices to send them.
public struct ResellerImpactCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reseller-impact",
        abstract: "Tell resellers exactly how a storage failure hits them.",
        discussion: """
            Imports the reseller, customer, domain and mailbox exports (CSV, TSV, XML) into a \
            SQLite database, then, for a set of offline volumes, classifies every reseller and \
            customer as full, partial or none and writes one notice draft per affected reseller.

            Examples:
              reseller-impact import --db impact.sqlite exports/
              reseller-impact analyze --db impact.sqlite --offline A/vol03,A/vol07
              reseller-impact report --db impact.sqlite --offline-file offline.txt --out incident/
              reseller-impact export affected-mailboxes --db impact.sqlite --offline A/vol03 --out affected.csv
              reseller-impact run --db impact.sqlite --offline-file offline.txt --out incident/ exports/
              reseller-impact demo

            Exit codes: 0 success; 64 usage error (bad flag, unknown volume); 65 bad input data \
            (malformed XML, rejects under --strict, a shrinking export); 74 I/O error; 1 anything else.
            """,
        version: "0.1.0",
        subcommands: [Import.self, Analyze.self, Report.self, Export.self, Run.self, Demo.self, Rejects.self, Generate.self]
    )

    public init() {}

    /// Messages from the stages' loggers go to standard error; the level comes from
    /// `RESELLER_IMPACT_LOG` (trace, debug, info, notice, warning; default warning).
    static func bootstrapLogging() {
        let level = ProcessInfo.processInfo.environment["RESELLER_IMPACT_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    public static func main() {
        bootstrapLogging()
        Self.main(nil)
    }
}
