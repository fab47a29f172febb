#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `CSVReader` gets its bytes from.
///
/// ```swift
/// var reader = CSVReader(source: try FileByteSource(path: "mailboxes.csv"))
/// ```
public protocol ByteSource {
    /// Fills the front of `buffer` with the next bytes of the input.
    /// - Returns: how many bytes were written, at most `buffer.count`; 0 only at the end.
    /// - Throws: when the input cannot be read.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file read with `open(2)` and `read(2)`, without Foundation and without buffering of its
/// own (the reader brings the buffer). The file is closed by `close()` or when the last copy
/// of this value goes away.
public struct FileByteSource: ByteSource {
    /// The path as given, for messages.
    public let path: String
    private let file: OpenFile

    /// Opens `path` for reading.
    /// - Throws: `ImportError(.io)` naming the path and the system's reason, also when `path`
    ///   is a directory.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.error(path, errno) }
        var info = stat()
        if fstat(descriptor, &info) != 0 {
            let code = errno
            _ = systemClose(descriptor)
            throw Self.error(path, code)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            _ = systemClose(descriptor)
            throw Self.error(path, EISDIR)
        }
        file = OpenFile(descriptor)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard file.descriptor >= 0 else { throw Self.error(path, EBADF) }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(file.descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw Self.error(path, errno) }
        }
    }

    /// Closes the file now; later reads throw. Closing twice does nothing.
    public func close() {
        file.close()
    }

    private static func error(_ path: String, _ code: Int32) -> ImportError {
        ImportError(.io, at: nil, "cannot read \(path): \(String(cString: strerror(code)))")
    }
}

/// Owns a file descriptor so that copies of a `FileByteSource` share it and the last one closes it.
private final class OpenFile {
    private(set) var descriptor: Int32

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    func close() {
        if descriptor >= 0 {
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }

    deinit {
        close()
    }
}

// `read` and `close` are also method names above; these name the system calls unambiguously.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
