import Benchmark

/// Throughput of the parsing benchmarks.
public let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

extension Benchmark.Configuration {
    /// What every benchmark here measures and tolerates, in one place: wall clock, total CPU,
    /// peak resident memory and mallocs, plus `extra` metrics; a throughput metric among them
    /// gets the wall clock's tolerance. The tolerances make the thresholds a regression alarm,
    /// not a target (the machine is shared, ±25 %): wall clock, total CPU and throughput 50 %
    /// at p50 and 100 % at p90, peak memory 50 % and mallocs 25 % at p90, any other metric
    /// 50 % at p90.
    ///
    /// Benchmark names must have no spaces or slashes: package-benchmark 1.38.1 writes a
    /// threshold file under a shell-safe name (`thresholds update`) but looks it up under the
    /// name as given (`thresholds check`), so only names that are already shell-safe round-trip.
    public static func alarm(extra: [BenchmarkMetric] = [], throughput: BenchmarkMetric? = nil, warmupIterations: Int = 1,
                             maxDuration: Duration, maxIterations: Int,
                             setup: @escaping Benchmark.BenchmarkSetupHook) -> Benchmark.Configuration {
        var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [
            .wallClock: .init(relative: [.p50: 50.0, .p90: 100.0]),
            .peakMemoryResident: .init(relative: [.p90: 50.0]),
            .mallocCountTotal: .init(relative: [.p90: 25.0]),
        ]
        if let throughput { thresholds[throughput] = .init(relative: [.p50: 50.0, .p90: 100.0]) }
        let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal] + extra + (throughput.map { [$0] } ?? [])
        // Every metric needs a tolerance of its own: `thresholds check` holds a metric without
        // one to its recorded p90 exactly (package-benchmark's `strict` default), so total CPU
        // and the extra metrics failed the check on any change at all.
        thresholds[.cpuTotal] = .init(relative: [.p50: 50.0, .p90: 100.0])
        for metric in metrics where thresholds[metric] == nil { thresholds[metric] = .init(relative: [.p90: 50.0]) }
        return .init(metrics: metrics,
                     warmupIterations: warmupIterations, scalingFactor: .one, maxDuration: maxDuration,
                     maxIterations: maxIterations, thresholds: thresholds, setup: setup)
    }
}
