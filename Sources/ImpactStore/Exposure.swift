import Foundation
import GRDB
import GRDBSQLite
import ImpactModel

/// A reseller with its totals over all volumes.
public struct ResellerTotals: Sendable, Equatable {
    /// The row id, as `ExposureBlock.resellerRow(_:)` gives it.
    public var row: Int64
    public var reseller: StoredReseller
    /// Attributed mailboxes in all.
    public var mailboxes: Int
    /// Customers with at least one mailbox.
    public var customers: Int
}

/// The precomputed exposure of one volume: for each domain with mailboxes on it, four 32-bit
/// little-endian integers (mailboxes there, customer row, reseller row, the customer's
/// mailboxes on all volumes; 0 where a link is broken), as `volume_exposure.packed` holds them.
public struct ExposureBlock {
    public let packed: UnsafeRawBufferPointer

    public var count: Int { packed.count / 16 }

    @inline(__always) func field(_ i: Int, _ k: Int) -> Int {
        Int(Int32(bitPattern: UInt32(littleEndian: packed.loadUnaligned(fromByteOffset: i &* 16 &+ k &* 4, as: UInt32.self))))
    }
    /// Mailboxes of domain `i` on this volume.
    @inline(__always) public func mailboxes(_ i: Int) -> Int { field(i, 0) }
    /// Its customer's row, 0 when the domain or its customer is unknown.
    @inline(__always) public func customerRow(_ i: Int) -> Int { field(i, 1) }
    /// Its reseller's row, 0 when the mailboxes are unattributed.
    @inline(__always) public func resellerRow(_ i: Int) -> Int { field(i, 2) }
    /// All mailboxes of that customer, on every volume.
    @inline(__always) public func customerMailboxes(_ i: Int) -> Int { field(i, 3) }
}

/// A customer's id and name.
public struct CustomerName: Sendable, Equatable {
    public var customerID: String
    public var name: String
}

/// Mailboxes on one volume, in all and unattributed.
public struct VolumeTotals: Sendable, Equatable {
    public var volumeID: Int64
    public var mailboxes: Int
    public var unattributed: Int
}

extension ImpactStore {
    /// Every reseller with its totals, sorted by id (UTF-8 bytes). Read through the raw
    /// handle: GRDB's by-name row decoding was a quarter of `analyze`'s time at 20,000 resellers.
    /// - Parameter contacts: false leaves `contactEmail` and `language` empty and
    ///   `contactName` nil, for output that shows none of them (`analyze`): three Strings
    ///   fewer per reseller.
    public func resellerTotals(contacts: Bool = true) throws -> [ResellerTotals] {
        try read("listing resellers") { db in
            let cursor = try RawCursor(db, sql: """
                SELECT r.id, r.reseller_id, r.name, coalesce(t.mailboxes, 0), coalesce(t.customers, 0)
                       \(contacts ? ", r.contact_email, r.contact_name, r.language" : "")
                FROM reseller r LEFT JOIN reseller_total t ON t.reseller_row = r.id
                ORDER BY r.reseller_id
                """)
            defer { cursor.finish() }
            var totals: [ResellerTotals] = []
            totals.reserveCapacity(try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM reseller")!)
            while try cursor.next() {
                func string(_ column: Int32) -> String { String(decoding: cursor.text(column), as: UTF8.self) }
                totals.append(ResellerTotals(
                    row: cursor.int(0),
                    reseller: StoredReseller(resellerID: string(1), name: string(2), contactEmail: contacts ? string(5) : "",
                                             contactName: !contacts || cursor.isNull(6) ? nil : string(6),
                                             language: contacts ? string(7) : ""),
                    mailboxes: Int(cursor.int(3)), customers: Int(cursor.int(4))))
            }
            return totals
        }
    }

    /// Mailboxes per volume, in all and unattributed.
    public func volumeTotals() throws -> [VolumeTotals] {
        try read("counting mailboxes per volume") { db in
            try Row.fetchAll(db, sql: "SELECT volume_id, mailboxes, unattributed FROM volume_total").map { row in
                VolumeTotals(volumeID: row["volume_id"], mailboxes: row["mailboxes"], unattributed: row["unattributed"])
            }
        }
    }

    /// Calls `body` with the exposure of each of the given volumes, in their order (with its
    /// position in `volumeIDs`): reads those volumes' rows of the precomputed exposure and
    /// nothing else.
    ///
    /// The one hot read of an analysis: one packed blob per volume, iterated in memory.
    public func forEachExposure(onVolumes volumeIDs: [Int64], _ body: (_ position: Int, ExposureBlock) -> Void) throws {
        try read("reading the exposure of the offline volumes") { db in
            let cursor = try RawCursor(db, sql: "SELECT packed FROM volume_exposure WHERE volume_id = ?")
            defer { cursor.finish() }
            for (position, volumeID) in volumeIDs.enumerated() {
                cursor.restart([volumeID])
                guard try cursor.next() else { continue }
                body(position, ExposureBlock(packed: cursor.blob(0)))
            }
        }
    }

    /// Ids and names of the given customers (row ids).
    public func customerNames(_ rows: some Collection<Int64>) throws -> [Int64: CustomerName] {
        try read("reading customer names") { db in
            let cursor = try RawCursor(db, sql: "SELECT customer_id, name FROM customer WHERE id = ?")
            defer { cursor.finish() }
            var names: [Int64: CustomerName] = [:]
            names.reserveCapacity(rows.count)
            for row in rows {
                cursor.restart([row])
                if try cursor.next() {
                    names[row] = CustomerName(customerID: String(decoding: cursor.text(0), as: UTF8.self),
                                              name: String(decoding: cursor.text(1), as: UTF8.self))
                }
            }
            return names
        }
    }

    /// The highest customer row id (0 with no customers): the size of per-customer arrays.
    public func maxCustomerRow() throws -> Int {
        try read("counting customers") { db in try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM customer")! }
    }
}

extension ImpactStore {
    /// One pass over every mailbox on the given volumes, in the mailbox index's order (by domain;
    /// within one, by local part in a current database, by address in an older one), with the
    /// row of its domain's customer (0 when the domain or its customer is unknown). The mailbox
    /// index (domain, local part, volume) and the domains are read side by side, sequentially:
    /// a report of every affected reseller reads each index page once instead of probing it
    /// per customer.
    public func scanMailboxes(onVolumes volumeIDs: [Int64],
                              _ body: (_ address: UnsafeRawBufferPointer, _ volumeID: Int64, _ customerRow: Int32) throws -> Void) throws {
        try read("reading the mailboxes of the offline volumes") { db in
            let links = try Data.fetchOne(db, sql: "SELECT packed FROM domain_customer") ?? Data()
            let wanted = Set(volumeIDs)
            let layout = mailboxLayout
            let mailboxes = try RawCursor(db, sql: "SELECT \(layout.addressColumns), volume_id FROM mailbox ORDER BY \(layout.indexOrder)")
            let volumeColumn: Int32 = layout == .split ? 2 : 1
            var joined: [UInt8] = []
            var domains = try DomainMatcher(db)
            defer { mailboxes.finish(); domains.finish() }
            let lastDomain = HeldBytes()
            var haveLast = false
            var customer: Int32 = 0
            try links.withUnsafeBytes { linkBytes in
                let linkCount = linkBytes.count / 4
                func customerOf(domainRow: Int) -> Int32 {
                    guard domainRow < linkCount else { return 0 }
                    return Int32(bitPattern: UInt32(littleEndian: linkBytes.loadUnaligned(fromByteOffset: domainRow * 4, as: UInt32.self)))
                }
                while try mailboxes.next() {
                    let volume = mailboxes.int(volumeColumn)
                    guard wanted.contains(volume) else { continue }
                    let domain = layout == .split ? mailboxes.text(1) : ExposureBuilder.domain(of: mailboxes.text(0))
                    if !haveLast || !lastDomain.equals(domain) {
                        haveLast = true
                        lastDomain.set(domain)
                        let row = try domains.row(of: domain)
                        customer = row != 0 ? customerOf(domainRow: Int(row)) : 0
                    }
                    if layout == .split {
                        // The address put together again, in a buffer reused row after row.
                        joined.removeAll(keepingCapacity: true)
                        joined.append(contentsOf: mailboxes.text(0))
                        joined.append(UInt8(ascii: "@"))
                        joined.append(contentsOf: domain)
                        try joined.withUnsafeBytes { try body($0, volume, customer) }
                    } else {
                        try body(mailboxes.text(0), volume, customer)
                    }
                }
            }
        }
    }
}
