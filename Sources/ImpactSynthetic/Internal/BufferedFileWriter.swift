#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes into a file through a 1 MiB buffer, without building a `String` per row. The file is
/// written as `path.partial` and renamed into place by `close()`, so an interrupted run never
/// leaves a truncated export under the real name for a directory import to read.
///
/// Memory: the buffer, whatever the file's size. Every `append` is O(bytes appended).
final class BufferedFileWriter {
    let path: String
    private let partialPath: String
    private var fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private static let capacity = 1 << 20
    /// Bytes written so far, flushed or not.
    private(set) var bytesWritten = 0

    /// - Throws: `GenerateError(.io)` naming the file and the system's reason.
    init(path: String) throws(GenerateError) {
        self.path = path
        partialPath = path + ".partial"
        unlink(partialPath)
        fd = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.error("cannot create", path) }
        buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        if fd >= 0 {
            _ = closeDescriptor(fd)
            unlink(partialPath)
        }
        buffer.deallocate()
    }

    @inline(__always)
    func append(_ byte: UInt8) throws(GenerateError) {
        if count == Self.capacity { try flush() }
        buffer[count] = byte
        count += 1
        bytesWritten += 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(GenerateError) {
        if bytes.count > Self.capacity - count {
            try flush()
            if bytes.count > Self.capacity {
                try writeAll(bytes.baseAddress!, bytes.count)
                bytesWritten += bytes.count
                return
            }
        }
        if let base = bytes.baseAddress {
            (buffer + count).update(from: base, count: bytes.count)
        }
        count += bytes.count
        bytesWritten += bytes.count
    }

    func append(_ bytes: [UInt8]) throws(GenerateError) {
        try bytes.withUnsafeBufferPointer { (pointer) throws(GenerateError) in try append(pointer) }
    }

    func append(_ text: StaticString) throws(GenerateError) {
        try append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ text: String) throws(GenerateError) {
        try append(Array(text.utf8))
    }

    /// The decimal digits of `value`, at least `width` of them (zero-padded).
    func append(decimal value: Int, width: Int = 1) throws(GenerateError) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, no allocation
        var magnitude = value.magnitude
        var n = 0
        try withUnsafeMutableBytes(of: &digits) { (raw) throws(GenerateError) in
            repeat {
                raw[23 - n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0 && n < 20
            while n < width && n < 20 {
                raw[23 - n] = UInt8(ascii: "0")
                n += 1
            }
            if value < 0 { try append(UInt8(ascii: "-")) }
            try append(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[(24 - n)...]))
        }
    }

    /// A CSV field: quoted (RFC 4180, doubled quotes) when it holds a comma, quote, line break
    /// or surrounding space, as is.
    func appendCSVField(_ bytes: [UInt8]) throws(GenerateError) {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        guard needsQuotes else { return try append(bytes) }
        try append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { try append(byte) }
            try append(byte)
        }
        try append(UInt8(ascii: "\""))
    }

    /// Text escaped for an XML attribute value or element content.
    func appendXMLEscaped(_ bytes: [UInt8]) throws(GenerateError) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): try append("&amp;")
            case UInt8(ascii: "<"): try append("&lt;")
            case UInt8(ascii: ">"): try append("&gt;")
            case UInt8(ascii: "\""): try append("&quot;")
            default: try append(byte)
            }
        }
    }

    private func flush() throws(GenerateError) {
        guard count > 0 else { return }
        try writeAll(buffer, count)
        count = 0
    }

    private func writeAll(_ start: UnsafePointer<UInt8>, _ length: Int) throws(GenerateError) {
        var offset = 0
        while offset < length {
            let written = write(fd, start + offset, length - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.error("cannot write", path)
            }
            offset += written
        }
    }

    /// Writes what is buffered, closes the file and moves it into place.
    func close() throws(GenerateError) {
        try flush()
        let descriptor = fd
        fd = -1
        if closeDescriptor(descriptor) != 0 {
            let error = Self.error("cannot write", path)
            unlink(partialPath)
            throw error
        }
        if rename(partialPath, path) != 0 {
            let error = Self.error("cannot move into place", path)
            unlink(partialPath)
            throw error
        }
    }

    static func error(_ what: String, _ path: String) -> GenerateError {
        let code = errno
        let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return GenerateError(.io, "\(what) \(path): \(reason)")
    }
}

/// `close(2)`, reachable from inside a type that has its own `close()`.
private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
