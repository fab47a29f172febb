import Benchmark

// Benchmark names have no spaces or slashes: package-benchmark 1.38.1 writes threshold files
// under a shell-safe name (`thresholds update`) but looks them up under the name as given
// (`thresholds check`), so only names that are already shell-safe round-trip.
import BenchmarkData
import ImpactAnalysis

// `analyze`: ImpactAnalyzer.analyze for the data set's offline volumes (offline.txt) on a
// database prepared in setup from a generated 200k-mailbox CSV set (4k resellers, 40k customers).

final class Input: @unchecked Sendable {
    var database: PreparedDatabase?

    func prepare() throws {
        if database == nil { database = try PreparedDatabase(mailboxes: 200_000) }
    }
}

let benchmarks: @Sendable () -> Void = {
    let input = Input()
    Benchmark(
        "Analyze_offline_volumes_(200k_mailboxes)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(10),
            maxIterations: 20,
            thresholds: [
                .wallClock: .init(relative: [.p50: 50.0, .p90: 100.0]),
                .peakMemoryResident: .init(relative: [.p90: 50.0]),
                .mallocCountTotal: .init(relative: [.p90: 25.0]),
            ],
            setup: { try input.prepare() }
        )
    ) { benchmark in
        guard let database = input.database else { return }
        let impact = try ImpactAnalyzer(store: database.store).analyze(database.offline)
        blackHole(impact.affectedMailboxes)
    }
}
