import Benchmark

// Benchmark names have no spaces or slashes: package-benchmark 1.38.1 writes threshold files
// under a shell-safe name (`thresholds update`) but looks them up under the name as given
// (`thresholds check`), so only names that are already shell-safe round-trip.
import BenchmarkData
import ImpactImport

// XML parsing throughput: XMLExportReader (libxml2 SAX2) over the XML exports of a generated
// 500k-mailbox data set, read from a temporary file (warm page cache): the reseller export and
// one mailbox export per cluster. Every record element becomes a RawRow, as in an import.

let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

final class Input: @unchecked Sendable {
    var exports: GeneratedExports?

    func prepare() throws {
        if exports == nil { exports = try BenchmarkData.generate(mailboxes: 500_000, format: .xml) }
    }
}

let benchmarks: @Sendable () -> Void = {
    let input = Input()
    Benchmark(
        "XML_parse,_all_exports_(500k_mailboxes)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal, megabytesPerSecond],
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(10),
            maxIterations: 10,
            thresholds: [
                .wallClock: .init(relative: [.p50: 50.0, .p90: 100.0]),
                megabytesPerSecond: .init(relative: [.p50: 50.0, .p90: 100.0]),
                .peakMemoryResident: .init(relative: [.p90: 50.0]),
                .mallocCountTotal: .init(relative: [.p90: 25.0]),
            ],
            setup: { try input.prepare() }
        )
    ) { benchmark in
        guard let exports = input.exports else { return }
        var rows = 0
        benchmark.startMeasurement()
        let elapsed = try seconds {
            for path in exports.exportPaths {
                _ = try XMLExportReader(path: path).read { row in
                    rows += row.values.count
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(rows)
        benchmark.measurement(megabytesPerSecond, Int(Double(exports.exportBytes) / 1e6 / elapsed))
    }
}
