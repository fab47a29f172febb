import Benchmark

// Benchmark names have no spaces or slashes: package-benchmark 1.38.1 writes threshold files
// under a shell-safe name (`thresholds update`) but looks them up under the name as given
// (`thresholds check`), so only names that are already shell-safe round-trip.
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
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal, .writeBytesLogical],
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(15),
            maxIterations: 10,
            thresholds: [
                .wallClock: .init(relative: [.p50: 50.0, .p90: 100.0]),
                .peakMemoryResident: .init(relative: [.p90: 50.0]),
                .mallocCountTotal: .init(relative: [.p90: 25.0]),
            ],
            setup: { try input.prepare() }
        )
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
