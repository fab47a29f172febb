import Benchmark

import BenchmarkData
import ImpactImport

// XML parsing throughput: XMLExportReader (libxml2 SAX2) over the XML exports of a generated
// 500k-mailbox data set, read from a temporary file (warm page cache): the reseller export and
// one mailbox export per cluster. Every record element becomes a RawRow, as in an import.

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
        configuration: .alarm(throughput: megabytesPerSecond, maxDuration: .seconds(10), maxIterations: 10,
                              setup: { try input.prepare() })
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
