import Benchmark

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
        configuration: .alarm(maxDuration: .seconds(10), maxIterations: 20, setup: { try input.prepare() })
    ) { benchmark in
        guard let database = input.database else { return }
        let impact = try ImpactAnalyzer(store: database.store).analyze(database.offline)
        blackHole(impact.affectedMailboxes)
    }
}
