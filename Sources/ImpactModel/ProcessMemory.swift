#if canImport(Glibc)
import Glibc
#endif

/// This process's memory, for the debug log's phase lines: the resident set now and its
/// peak so far (Linux `VmRSS` and `VmHWM`, in MB of 2^20 bytes, as `scripts/bench-compare.sh`
/// counts them). Nothing where `/proc/self/status` is missing.
public enum ProcessMemory {
    /// "; rss 123 MB, peak 234 MB" to end a log line, or "" when it cannot be read.
    public static var logSuffix: String {
        guard let status = readStatus() else { return "" }
        func megabytes(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
                  let kilobytes = Int(line.dropFirst(key.count + 1).filter(\.isNumber)) else { return nil }
            return kilobytes / 1024
        }
        guard let rss = megabytes("VmRSS"), let peak = megabytes("VmHWM") else { return "" }
        return "; rss \(rss) MB, peak \(peak) MB"
    }

    private static func readStatus() -> String? {
        #if os(Linux)
        return try? TextFile.read("/proc/self/status", limit: 1 << 16)
        #else
        return nil
        #endif
    }
}
