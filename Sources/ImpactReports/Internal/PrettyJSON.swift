/// Pretty-printed JSON in `JSONEncoder`'s layout (two-space indent, `"key" : value`, an empty
/// array as `[` newline newline `]`), written into one byte buffer. (`JSONText` writes the JSONL
/// export's one-line strings, which also escape U+2028 and U+2029.)
struct PrettyJSON {
    var bytes: [UInt8] = []
    private(set) var depth = 0
    /// `resellerFragments(depth:)` for the depth it was made for (-1: not made yet).
    var resellerFragments: [[UInt8]] = []
    var resellerFragmentsDepth = -1
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Hands the bytes so far to `write` once there are 64 KB of them.
    mutating func flushIfFull(_ write: ([UInt8]) -> Void) {
        guard bytes.count >= 1 << 16 else { return }
        write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func open(_ bracket: Character) {
        bytes.append(bracket.asciiValue!)
        depth += 1
    }

    mutating func close(_ bracket: Character, empty: Bool) {
        depth -= 1
        bytes.append(UInt8(ascii: "\n"))
        if empty { bytes.append(UInt8(ascii: "\n")) }
        indent()
        bytes.append(bracket.asciiValue!)
    }

    /// Starts an array element.
    mutating func item(first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
        indent()
    }

    /// Starts an object member (keys here are plain ASCII).
    mutating func key(_ name: StaticString, first: Bool = false) {
        item(first: first)
        bytes.append(UInt8(ascii: "\""))
        append(name)
        append("\" : ")
    }

    /// Appends without a temporary array (an array literal per key was a malloc per key).
    @inline(__always) private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func number(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var rest = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// A string with `JSONEncoder`'s escapes: `"` and `\\`, the short forms of backspace, tab,
    /// newline, form feed and carriage return, every other control character below U+0020 as
    /// `\u00xx`; everything else (slashes, DEL, non-ASCII) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most strings need no escape: copied whole, checked a byte at a time only when
            // they do.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { escape(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x09: append("\\t")
        case 0x0A: append("\\n")
        case 0x0C: append("\\f")
        case 0x0D: append("\\r")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            append("\\u00")
            hex.withUTF8Buffer { hex in
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 15)])
            }
        default: bytes.append(byte)
        }
    }

    private mutating func indent() {
        // Two spaces a level; 32 levels at once, deeper (never, here) in several steps.
        let spaces: StaticString = "                                                                "
        var left = depth * 2
        while left > 0 {
            let n = min(left, 64)
            spaces.withUTF8Buffer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
            left -= n
        }
    }
}
