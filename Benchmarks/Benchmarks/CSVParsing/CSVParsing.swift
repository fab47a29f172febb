import Benchmark

import BenchmarkData
import Foundation
import ImpactImport

// CSV parsing throughput: CSVReader over the generated 4-mailboxes.csv of a 1M-mailbox data set
// (about 50 MB), held in memory so that the file system is not measured. Two variants, as in
// DECISIONS.md ("CSV"): fields touched as bytes only, and the three kept fields made Strings.

/// Generated once per benchmark process, in `setup`.
final class Input: @unchecked Sendable {
    var mailboxCSV: [UInt8] = []
    var exports: GeneratedExports?

    func prepare() throws {
        guard exports == nil else { return }
        let exports = try BenchmarkData.generate(mailboxes: 1_000_000)
        mailboxCSV = Array(try Data(contentsOf: URL(fileURLWithPath: exports.path("4-mailboxes.csv"))))
        self.exports = exports
    }
}

let benchmarks: @Sendable () -> Void = {
    let input = Input()
    let configuration = Benchmark.Configuration.alarm(throughput: megabytesPerSecond, maxDuration: .seconds(10), maxIterations: 20,
                                                      setup: { try input.prepare() })

    Benchmark("CSV_parse,_fields_as_bytes_(1M_mailboxes)", configuration: configuration) { benchmark in
        var reader = CSVReader(source: MemoryByteSource(input.mailboxCSV))
        var records = 0
        var fieldBytes = 0
        benchmark.startMeasurement()
        let elapsed = try seconds {
            try reader.forEachRecord { record in
                records += 1
                for i in 0..<record.fieldCount { fieldBytes += record.withField(i) { $0.count } }
            }
        }
        benchmark.stopMeasurement()
        blackHole(records + fieldBytes)
        benchmark.measurement(megabytesPerSecond, Int(Double(input.mailboxCSV.count) / 1e6 / elapsed))
    }

    Benchmark("CSV_parse,_address_cluster_volume_as_Strings_(1M_mailboxes)", configuration: configuration) { benchmark in
        var reader = CSVReader(source: MemoryByteSource(input.mailboxCSV))
        var characters = 0
        benchmark.startMeasurement()
        let elapsed = try seconds {
            try reader.forEachRecord { record in
                guard record.fieldCount >= 3 else { return }
                characters += (record.string(0)?.utf8.count ?? 0) + (record.string(1)?.utf8.count ?? 0)
                    + (record.string(2)?.utf8.count ?? 0)
            }
        }
        benchmark.stopMeasurement()
        blackHole(characters)
        benchmark.measurement(megabytesPerSecond, Int(Double(input.mailboxCSV.count) / 1e6 / elapsed))
    }
}
