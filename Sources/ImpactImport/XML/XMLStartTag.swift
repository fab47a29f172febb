import CLibXML2
import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element names the mapping knows, by local name (namespaces are ignored).
enum XMLElementName: Equatable {
    case resellers, reseller, customer, name, contact, domain, mailboxes, mailbox
    case other

    init(_ localname: UnsafePointer<xmlChar>) {
        // Dispatch on the first byte; compare the whole NUL-terminated name after.
        switch localname[0] {
        case UInt8(ascii: "m"):
            if XMLBytes.equal(localname, "mailbox") { self = .mailbox }
            else if XMLBytes.equal(localname, "mailboxes") { self = .mailboxes }
            else { self = .other }
        case UInt8(ascii: "r"):
            if XMLBytes.equal(localname, "reseller") { self = .reseller }
            else if XMLBytes.equal(localname, "resellers") { self = .resellers }
            else { self = .other }
        case UInt8(ascii: "c"):
            if XMLBytes.equal(localname, "customer") { self = .customer }
            else if XMLBytes.equal(localname, "contact") { self = .contact }
            else { self = .other }
        case UInt8(ascii: "n"):
            self = XMLBytes.equal(localname, "name") ? .name : .other
        case UInt8(ascii: "d"):
            self = XMLBytes.equal(localname, "domain") ? .domain : .other
        default:
            self = .other
        }
    }
}

/// The start tag of an element as libxml2's `startElementNs` hands it over. The pointers are
/// valid only during that callback; attribute values are not NUL-terminated.
struct XMLStartTag {
    let localname: UnsafePointer<xmlChar>
    let prefix: UnsafePointer<xmlChar>?
    /// `count` groups of five: local name, prefix, URI, value start, value end.
    let attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    /// Attributes written on the element (those defaulted by a DTD are left out).
    let count: Int

    /// The element's name as written, `prefix:local` or `local`.
    var qualifiedName: String {
        let local = String(cString: localname)
        guard let prefix else { return local }
        return String(cString: prefix) + ":" + local
    }

    /// The decoded value of the first attribute with this local name (namespaces ignored),
    /// `nil` if there is none.
    func value(of name: StaticString) -> String? {
        guard let attributes else { return nil }
        for index in 0..<count {
            let base = index * 5
            guard let attributeName = attributes[base], XMLBytes.equal(attributeName, name) else { continue }
            return XMLBytes.attributeValue(value(at: base))
        }
        return nil
    }

    private func value(at base: Int) -> UnsafeBufferPointer<xmlChar> {
        guard let attributes, let start = attributes[base + 3], let end = attributes[base + 4] else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: start, count: end - start)
    }

    /// A short rendering of the start tag for reject messages, e.g.
    /// `<mailbox address="x@y" volume="">`: every written attribute in document order, long
    /// values cut, at most about `XMLRendering.limit` bytes.
    func rendering() -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: XMLRendering.capacity) { buffer in
            var out = XMLRenderBuffer(buffer)
            out.append(UInt8(ascii: "<"))
            out.appendName(localname, prefix: prefix)
            if let attributes {
                for index in 0..<count where out.count < XMLRendering.limit {
                    let base = index * 5
                    guard let attributeName = attributes[base] else { continue }
                    out.append(UInt8(ascii: " "))
                    out.appendName(attributeName, prefix: attributes[base + 1])
                    out.append(UInt8(ascii: "="))
                    out.append(UInt8(ascii: "\""))
                    out.appendValue(value(at: base), attribute: true)
                    out.append(UInt8(ascii: "\""))
                }
            }
            return out.finish(closing: ">")
        }
    }
}

enum XMLBytes {
    /// Whether the NUL-terminated `bytes` are exactly `name`.
    @inline(__always)
    static func equal(_ bytes: UnsafePointer<xmlChar>, _ name: StaticString) -> Bool {
        let expected = name.utf8Start
        let count = name.utf8CodeUnitCount
        for index in 0..<count where bytes[index] != expected[index] { return false }
        return bytes[count] == 0
    }

    /// An attribute value as a string. Without `XML_PARSE_NOENT` libxml2 hands over every `&`
    /// (written `&amp;` or `&#38;`) as the five bytes `&#38;` and has decoded everything else;
    /// as no other `&` can be left in a value, replacing each `&#38;` with `&` is exact.
    static func attributeValue(_ bytes: UnsafeBufferPointer<xmlChar>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: decodingAmpersands(bytes), as: UTF8.self)
    }

    /// Whether `bytes[index...]` starts with `&#38;`.
    @inline(__always)
    static func isEscapedAmpersand(_ bytes: UnsafeBufferPointer<xmlChar>, at index: Int) -> Bool {
        index + 5 <= bytes.count && bytes[index] == UInt8(ascii: "&") && bytes[index + 1] == UInt8(ascii: "#")
            && bytes[index + 2] == UInt8(ascii: "3") && bytes[index + 3] == UInt8(ascii: "8")
            && bytes[index + 4] == UInt8(ascii: ";")
    }

    static func decodingAmpersands(_ bytes: UnsafeBufferPointer<xmlChar>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if isEscapedAmpersand(bytes, at: index) {
                out.append(UInt8(ascii: "&"))
                index += 5
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}

/// Short renderings of elements for reject messages.
enum XMLRendering {
    /// Renderings stop growing at about this many bytes.
    static let limit = 200
    /// One name or value shows at most this many bytes.
    static let valueLimit = 80
    /// Room for the worst case: `limit`, then one more name and value of which every byte is
    /// escaped into six, then the closing.
    static let capacity = 1024

    /// `<name>text</name>` with the text trimmed and cut like an attribute value.
    static func textElement(_ name: StaticString, _ text: String) -> String {
        var trimmed = text.trimmingWhitespace()
        return trimmed.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var out = XMLRenderBuffer(buffer)
                out.append(UInt8(ascii: "<"))
                out.append(name)
                out.append(UInt8(ascii: ">"))
                out.appendValue(bytes, attribute: false)
                out.append(UInt8(ascii: "<"))
                out.append(UInt8(ascii: "/"))
                out.append(name)
                return out.finish(closing: ">")
            }
        }
    }
}

/// A fixed buffer renderings are written into (no allocation per row); appends past its end
/// are dropped.
struct XMLRenderBuffer {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < buffer.count else { return }
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        for byte in bytes { append(byte) }
    }

    /// A NUL-terminated name with its prefix, at most `valueLimit` bytes each.
    mutating func appendName(_ name: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?) {
        if let prefix {
            appendCString(prefix)
            append(UInt8(ascii: ":"))
        }
        appendCString(name)
    }

    private mutating func appendCString(_ bytes: UnsafePointer<xmlChar>) {
        let length = strnlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), XMLRendering.valueLimit)
        if count + length <= buffer.count, let target = buffer.baseAddress {
            (target + count).update(from: bytes, count: length)
            count += length
            return
        }
        var index = 0
        while bytes[index] != 0 && index < XMLRendering.valueLimit {
            append(bytes[index])
            index += 1
        }
    }

    /// Appends a value cut (on a character boundary) after `valueLimit` bytes with `…`, control
    /// characters shown as spaces. For an attribute, libxml2's `&#38;` is shown as `&` and `"`
    /// as `&quot;`.
    mutating func appendValue(_ bytes: UnsafeBufferPointer<xmlChar>, attribute: Bool) {
        // The common case: short and plain, copied as it is.
        if bytes.count <= XMLRendering.valueLimit, count + bytes.count <= buffer.count,
           !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "\"") }),
           let source = bytes.baseAddress, let target = buffer.baseAddress {
            (target + count).update(from: source, count: bytes.count)
            count += bytes.count
            return
        }
        var index = 0
        var shown = 0
        while index < bytes.count {
            if shown >= XMLRendering.valueLimit {
                // Cut here unless inside a multi-byte character; then finish it first.
                if bytes[index] & 0xC0 != 0x80 {
                    append("…")
                    return
                }
            }
            let byte = bytes[index]
            index += 1
            shown += 1
            switch byte {
            case UInt8(ascii: "&") where attribute && XMLBytes.isEscapedAmpersand(bytes, at: index - 1):
                append(UInt8(ascii: "&"))
                index += 4
            case UInt8(ascii: "\"") where attribute:
                append("&quot;")
            case 0..<0x20, 0x7F:
                append(UInt8(ascii: " "))
            default:
                append(byte)
            }
        }
    }

    /// Cuts the rendering to about `limit` bytes on a character boundary and closes it.
    mutating func finish(closing: StaticString) -> String {
        if count > XMLRendering.limit {
            var end = XMLRendering.limit
            while end > 0 && buffer[end] & 0xC0 == 0x80 { end -= 1 }
            count = end
            append("…")
        }
        append(closing)
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
    }
}
