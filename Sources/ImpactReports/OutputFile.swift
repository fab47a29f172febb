import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in full or not at all: bytes go to a temporary file beside the target, which
/// replaces the target only on `commit()`. Created with `mode` (0600 by default: reports hold
/// personal data) and never through a symbolic link.
public final class OutputFile {
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let bufferLimit = 1 << 16

    /// - Throws: `ReportError(.io)` when the file cannot be created.
    public init(path: String, mode: mode_t = 0o600) throws {
        self.path = path
        temporaryPath = path + ".partial-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd < 0 && errno == EEXIST {
            // Left by a killed run that had our process id: it is no one's now. (Removed only
            // then: a lookup per file costs a large report seconds in its one folder.)
            unlink(temporaryPath)
            fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw ReportError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        // The umask must not widen or narrow what was asked for.
        fchmod(fd, mode)
        buffer.reserveCapacity(Self.bufferLimit)
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// Appends bytes as they are (the caller has encoded them).
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    private func flush() throws {
        if !writeFully(fd, buffer) {
            throw ReportError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and moves the file into place.
    public func commit() throws {
        try flush()
        let fd = self.fd
        self.fd = -1
        if close(fd) != 0 {
            unlink(temporaryPath)
            throw ReportError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ReportError(.io, "cannot write \(path): \(reason)")
        }
    }

    /// Writes `text` to `path` in one go.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        let file = try OutputFile(path: path, mode: mode)
        try file.write(text)
        try file.commit()
    }
}

/// Creates an output folder (and its parents) with `mode`, refusing a symbolic link in the
/// last place, so that nothing is written outside it.
public func makeOutputDirectory(_ path: String, mode: mode_t = 0o700) throws {
    var info = stat()
    if lstat(path, &info) == 0 {
        if (info.st_mode & S_IFMT) == S_IFLNK {
            throw ReportError(.io, "\(path) is a symbolic link; give the real folder as --out")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ReportError(.io, "\(path) exists and is not a folder")
        }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: Int(mode)])
    } catch {
        throw ReportError(.io, "cannot create folder \(path): \((error as NSError).localizedDescription)")
    }
}

/// Writes all of `bytes` at `fd`'s offset, again where a call was interrupted or wrote part;
/// false on failure, with `errno` saying why.
func writeFully(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { raw in
            Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}
