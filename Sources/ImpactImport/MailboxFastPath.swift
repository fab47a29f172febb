import ImpactModel

/// A valid mailbox row as bytes: the normalised address, where its domain starts, and the
/// volume. Valid only during the call it is handed to.
public struct MailboxBytes {
    /// The address, lower-cased, its domain's trailing dot dropped.
    public var address: UnsafeRawBufferPointer
    /// Offset of the domain in `address` (just after the `@`).
    public var domainStart: Int
    public var cluster: String
    public var volume: String
    public var sizeMB: Int?

    public init(address: UnsafeRawBufferPointer, domainStart: Int, cluster: String, volume: String, sizeMB: Int?) {
        self.address = address
        self.domainStart = domainStart
        self.cluster = cluster
        self.volume = volume
        self.sizeMB = sizeMB
    }

    /// The domain part of `address`.
    public var domain: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: address[domainStart...]) }
}

/// The common case of a mailbox row, done on bytes: every field ASCII, already clean. It
/// builds no String for the address or domain and so costs a fraction of the general path
/// (`RowValidator`), which still handles every row this one declines (non-ASCII text,
/// missing fields, a bad address, an unusual size) so that both give the same results and
/// the same reject reasons.
struct MailboxFastPath {
    /// Column of address, cluster, volume, size_mb (nil when absent).
    let columns: [Int?]
    private var scratch: [UInt8] = []

    init(columns: [Int?]) {
        self.columns = columns
        scratch = [UInt8](repeating: 0, count: 256)   // grown in `handle` for a longer address
    }

    /// Calls `accept` and returns true when the row is a clean mailbox; returns false, having
    /// done nothing, when the general path must handle it.
    mutating func handle(_ record: CSVRecord, _ accept: (MailboxBytes) throws -> Void) rethrows -> Bool {
        guard let addressColumn = columns[0], let clusterColumn = columns[1], let volumeColumn = columns[2] else { return false }
        var cluster = ""
        var volume = ""
        var size: Int?
        guard record.withField(clusterColumn, { Self.shortASCII($0, into: &cluster) }),
              record.withField(volumeColumn, { Self.shortASCII($0, into: &volume) }) else { return false }
        if let sizeColumn = columns[3] {
            guard record.withField(sizeColumn, { Self.digits($0, into: &size) }) else { return false }
        }
        var domainStart = 0
        var length = 0
        let clean = record.withField(addressColumn) { bytes -> Bool in
            let trimmed = Self.trimmed(bytes)
            guard !trimmed.isEmpty else { return false }
            if scratch.count < trimmed.count { scratch = [UInt8](repeating: 0, count: max(trimmed.count, 2 * scratch.count)) }
            // Lower-cased into the scratch buffer through a pointer: appending byte by byte
            // cost a uniqueness check per byte in the import's hottest loop.
            return scratch.withUnsafeMutableBufferPointer { out -> Bool in
                var at = -1
                var n = 0
                for byte in trimmed {
                    guard byte < 0x80 else { return false }
                    if byte == UInt8(ascii: "@") {
                        guard at < 0 else { return false }
                        at = n
                    }
                    out[n] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    n += 1
                }
                guard at >= 0 else { return false }
                if out[n - 1] == UInt8(ascii: ".") && n > at + 1 { n -= 1 }
                domainStart = at + 1
                length = n
                return true
            }
        }
        guard clean else { return false }
        try scratch.withUnsafeBytes { buffer in
            try accept(MailboxBytes(address: UnsafeRawBufferPointer(rebasing: buffer[..<length]), domainStart: domainStart,
                                    cluster: cluster, volume: volume, sizeMB: size))
        }
        return true
    }

    /// ASCII white space as Unicode's White_Space has it: tab, line feed, vertical tab, form
    /// feed, carriage return, space.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer.SubSequence {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// A non-empty, ASCII-only field, trimmed, as a String (short ones are stored inline).
    static func shortASCII(_ bytes: UnsafeRawBufferPointer, into out: inout String) -> Bool {
        let trimmed = trimmed(bytes)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0 < 0x80 }) else { return false }
        out = String(decoding: trimmed, as: UTF8.self)
        return true
    }

    /// An empty field (no size) or up to 18 decimal digits; anything else goes the general way.
    static func digits(_ bytes: UnsafeRawBufferPointer, into out: inout Int?) -> Bool {
        let trimmed = trimmed(bytes)
        if trimmed.isEmpty { out = nil; return true }
        guard trimmed.count <= 18 else { return false }
        var value = 0
        for byte in trimmed {
            guard byte &- 0x30 < 10 else { return false }
            value = value * 10 + Int(byte &- 0x30)
        }
        out = value
        return true
    }
}
