import ImpactModel

/// A valid reseller, customer or domain row as bytes: one value per field of
/// `entity.fields`, trimmed, nil where an optional value is absent; a domain lower-cased with
/// its trailing dot dropped, a reseller's missing language "en". Valid only during the call it
/// is handed to.
public struct EntityRowBytes {
    public var entity: Entity
    public var fields: UnsafeBufferPointer<UnsafeRawBufferPointer?>

    /// The values decoded, as the general path would have accepted them.
    public var record: AcceptedRecord {
        let v = fields.map { $0.map { String(decoding: $0, as: UTF8.self) } }
        switch entity {
        case .reseller:
            return .reseller(ResellerRecord(resellerID: v[0]!, name: v[1]!, contactEmail: v[2]!, contactName: v[3], language: v[4]!))
        case .customer:
            return .customer(CustomerRecord(customerID: v[0]!, resellerID: v[1]!, name: v[2]!, contactEmail: v[3]))
        case .domain:
            return .domain(DomainRecord(domain: v[0]!, customerID: v[1]!))
        case .mailbox:
            preconditionFailure("mailbox rows have their own fast path")
        }
    }
}

/// The common case of a reseller, customer or domain row, done on bytes like
/// `MailboxFastPath`: every value valid UTF-8 and not starting or ending with a non-ASCII
/// character (which might be Unicode white space), every required value present, a domain
/// ASCII, no doubled quotes. It builds no String, array or record per row: the general path
/// (`RowValidator`) cost 1 µs a row, half of reading a reseller side of 500,000 rows. Every
/// row it declines goes the general way, so both give the same records and rejects.
struct EntityFastPath {
    let entity: Entity
    /// Column of each of `entity.fields` (nil when absent).
    let columns: [Int?]
    private var values: [UnsafeRawBufferPointer?]
    /// The domain, lower-cased.
    private var scratch: [UInt8] = []

    init?(entity: Entity, columns: [Int?]) {
        guard entity != .mailbox else { return nil }
        self.entity = entity
        self.columns = columns
        values = Array(repeating: nil, count: columns.count)
        scratch = [UInt8](repeating: 0, count: 256)
    }

    /// Calls `accept` and returns true when the row is clean; returns false, having done
    /// nothing, when the general path must handle it.
    mutating func handle(_ record: CSVRecord, _ accept: (EntityRowBytes) throws -> Void) rethrows -> Bool {
        let required = entity.requiredFieldCount
        for i in columns.indices {
            guard let column = columns[i] else {
                guard i >= required else { return false }
                values[i] = nil
                continue
            }
            guard let bytes = record.fieldInPlace(column) else { return false }
            let trimmed = MailboxFastPath.trimmed(bytes)
            guard let first = trimmed.first, let last = trimmed.last else {
                guard i >= required else { return false }
                values[i] = nil
                continue
            }
            guard first < 0x80, last < 0x80, CSVRecord.isValidUTF8(UnsafeRawBufferPointer(rebasing: trimmed)) else { return false }
            values[i] = UnsafeRawBufferPointer(rebasing: trimmed)
        }
        switch entity {
        case .reseller:
            if values[4] == nil {
                let english: StaticString = "en"
                values[4] = UnsafeRawBufferPointer(start: english.utf8Start, count: english.utf8CodeUnitCount)
            }
        case .domain:
            // As `Normalization.domain`: lower-cased, one trailing dot dropped, not empty.
            let domain = values[0]!
            if scratch.count < domain.count { scratch = [UInt8](repeating: 0, count: max(domain.count, 2 * scratch.count)) }
            var length = 0
            let ascii = scratch.withUnsafeMutableBufferPointer { out -> Bool in
                for byte in domain {
                    guard byte < 0x80 else { return false }
                    out[length] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    length += 1
                }
                if out[length - 1] == UInt8(ascii: ".") { length -= 1 }
                return true
            }
            guard ascii, length > 0 else { return false }
            return try scratch.withUnsafeBytes { buffer in
                values[0] = UnsafeRawBufferPointer(rebasing: buffer[..<length])
                try values.withUnsafeBufferPointer { try accept(EntityRowBytes(entity: entity, fields: $0)) }
                return true
            }
        case .customer, .mailbox:
            break
        }
        try values.withUnsafeBufferPointer { try accept(EntityRowBytes(entity: entity, fields: $0)) }
        return true
    }
}
