import Benchmark

import BenchmarkData
import Foundation
import ImpactAnalysis
import ImpactReports

// `report`'s rendering: ReportWriter.write of the drafts, mailbox lists and summary for the
// offline volumes into a new temporary folder, from an analysis done in setup on a database
// prepared from a generated 200k-mailbox CSV set (4k resellers, 40k customers). Removing the folder is not measured.

final class Input: @unchecked Sendable {
    var database: PreparedDatabase?
    var impact: IncidentImpact?

    func prepare() throws {
        guard database == nil else { return }
        let database = try PreparedDatabase(mailboxes: 200_000)
        impact = try ImpactAnalyzer(store: database.store).analyze(database.offline)
        self.database = database
    }
}

let benchmarks: @Sendable () -> Void = {
    let input = Input()
    Benchmark(
        "Write_report_folder_(200k_mailboxes)",
        configuration: .alarm(extra: [.writeBytesLogical], maxDuration: .seconds(15), maxIterations: 10,
                              setup: { try input.prepare() })
    ) { benchmark in
        guard let database = input.database, let impact = input.impact else { return }
        let out = database.exports.folder.newPath("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let writer = ReportWriter(store: database.store, templates: try TemplateSet())
        benchmark.startMeasurement()
        let outcome = try writer.write(impact, offline: database.offline, to: out)
        benchmark.stopMeasurement()
        blackHole(outcome.drafts)
    }
}
