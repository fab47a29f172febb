import Benchmark

import BenchmarkData
import ImpactModel
import ImpactStore

// The whole import, as `reseller-impact import` runs it: ImpactStore.importExports + Importer of
// a generated CSV data set of 200k mailboxes (40k customers, 4k resellers) into a new database
// each iteration. Reported as mailbox rows per second of the whole import (reseller side, index
// builds and commit included).

let mailboxesPerSecond = BenchmarkMetric.custom("mailbox rows/s", polarity: .prefersLarger, useScalingFactor: false)

final class Input: @unchecked Sendable {
    var exports: GeneratedExports?

    func prepare() throws {
        if exports == nil { exports = try BenchmarkData.generate(mailboxes: 200_000) }
    }
}

let benchmarks: @Sendable () -> Void = {
    let input = Input()
    Benchmark(
        "Import_CSV_set_into_a_new_database_(200k_mailboxes)",
        configuration: .alarm(extra: [.writeBytesPhysical], throughput: mailboxesPerSecond, warmupIterations: 0,
                              maxDuration: .seconds(30), maxIterations: 5, setup: { try input.prepare() })
    ) { benchmark in
        guard let exports = input.exports else { return }
        let database = exports.folder.newPath("import.sqlite")
        defer { exports.folder.removeDatabase(database) }
        var mailboxes = 0
        benchmark.startMeasurement()
        let elapsed = try seconds {
            let store = try ImpactStore(path: database)
            defer { store.close() }
            let summary = try BenchmarkData.importFiles(exports.exportPaths, into: store)
            mailboxes = summary.replaced.first { $0.entity == .mailbox }?.after ?? 0
        }
        benchmark.stopMeasurement()
        benchmark.measurement(mailboxesPerSecond, Int(Double(mailboxes) / elapsed))
    }
}
