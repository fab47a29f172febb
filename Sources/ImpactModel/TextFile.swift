#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a small text file named on the command line (an offline list, a template), with
/// the system's own reason when it fails ("No such file or directory", "Is a directory").
public enum TextFile {
    /// Why a file could not be read, in the words of the system or "is not UTF-8 text".
    public struct ReadError: Error, Sendable {
        public var reason: String
    }

    /// The whole file as UTF-8 text.
    /// - Throws: `ReadError`.
    public static func read(_ path: String, limit: Int = 64 << 20) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > limit { throw ReadError(reason: "larger than \(limit >> 20) MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReadError(reason: "not UTF-8 text") }
        return text
    }
}
