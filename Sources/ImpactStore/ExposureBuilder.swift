import Foundation
import GRDB
import GRDBSQLite

/// Rebuilds the precomputed exposure at the end of every import (links change whichever
/// entity was replaced): `exposure`, `volume_total`, `reseller_total`, `unattributed_domain`
/// and `link_summary`.
///
/// Two merge joins over indexes that are already sorted the same way, done in Swift on the
/// raw text bytes instead of as SQL joins (which probed a text index per row and took 6 s of
/// the 11 s of a 1M-mailbox import):
/// 1. domains by customer id ⋈ customers by customer id → each domain's customer and
///    reseller row (resellers from a dictionary: there are few);
/// 2. mailboxes by (domain, local part) ⋈ domains by domain → mailboxes per domain and volume,
///    with links, counted on the fly; duplicate addresses, neighbours in that order, are
///    found on the way when the mailboxes were just imported. The mailboxes come from the
///    import's keys sorted in memory where they fit (`MailboxKeySorter`), otherwise from the
///    mailbox index read on a second thread (`PrefetchedMailboxKeys`).
/// Memory: 12 bytes per domain, 8 per customer, 8 per (domain, volume) pair (about 110 MB at
/// 10M mailboxes, where arrays that grew by doubling may hold up to twice their pairs); time
/// linear in rows read.
struct ExposureBuilder {
    let db: Database

    /// A domain's customer and reseller rows (0: none).
    private struct Owner { var customer: Int32 = 0; var reseller: Int32 = 0 }
    /// Mailboxes of one domain on one volume, and the domain's customer row (0: none). Its
    /// reseller is that customer's (`customerReseller`), looked up when the pairs are
    /// written: not kept per pair, which took a third of the pairs' memory (32 MB at 10M).
    private struct Pair { var mailboxes: Int32; var customer: Int32 }
    private struct VolumeCounts { var mailboxes = 0; var unattributed = 0; var unknownDomain = 0 }

    /// What the build counted on the way, for the import summary.
    struct Counts {
        var customersWithUnknownReseller = 0
        var domainsWithUnknownCustomer = 0
        /// With `findingDuplicates`: the rows of every address that occurs more than once
        /// (the first of each is the one counted).
        var duplicateCandidates: [Int64] = []
    }

    /// Rebuilds from the mailboxes as stored, read through their index on a second thread
    /// (`PrefetchedMailboxKeys`).
    /// - Parameter findingDuplicates: the mailboxes were just imported and may hold the same
    ///   address more than once (found here, in the same read of the index, instead of in a
    ///   read of their own); the caller removes the later ones.
    func rebuild(findingDuplicates: Bool = false) throws -> Counts {
        let keys = try PrefetchedMailboxKeys(db: db)
        defer { keys.finish() }
        return try rebuild(findingDuplicates: findingDuplicates, mailboxes: keys)
    }

    /// Rebuilds from `mailboxes`: every stored mailbox's key in the index's order (domain,
    /// local part), as the index or an import's `MailboxKeySorter` gives them.
    func rebuild<Keys: MailboxKeyCursor>(findingDuplicates: Bool, mailboxes: Keys) throws -> Counts {
        var mailboxes = mailboxes
        var counts = Counts()

        // Resellers by id.
        var resellerRows: [String: Int32] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, reseller_id FROM reseller") {
            resellerRows[row["reseller_id"]] = Int32(row["id"] as Int64)
        }

        // 1. Each customer's reseller; each domain's customer and reseller.
        let maxCustomer = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM customer")!
        let maxDomain = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM domain")!
        var customerReseller = [Int32](repeating: 0, count: maxCustomer + 1)
        // Each domain's customer and that customer's reseller side by side: the scan below
        // visits domains in name order, which is random in row order, and at 10M mailboxes
        // (2.8M domains) each lookup missed the CPU caches; one load instead of two dependent
        // ones halves that.
        var domainOwner = [Owner](repeating: Owner(), count: maxDomain + 1)
        let customers = try RawCursor(db, sql: "SELECT customer_id, id, reseller_id FROM customer ORDER BY customer_id")
        let domainsByCustomer = try RawCursor(db, sql: "SELECT customer_id, id FROM domain ORDER BY customer_id")
        var haveCustomer = try customers.next()
        func takeCustomer() {
            let reseller = resellerRows[String(decoding: customers.text(2), as: UTF8.self)] ?? 0
            if reseller == 0 { counts.customersWithUnknownReseller += 1 }
            customerReseller[Int(customers.int(1))] = reseller
        }
        if haveCustomer { takeCustomer() }
        while try domainsByCustomer.next() {
            let wanted = domainsByCustomer.text(0)
            while haveCustomer && binaryCompare(customers.text(0), wanted) < 0 {
                haveCustomer = try customers.next()
                if haveCustomer { takeCustomer() }
            }
            if haveCustomer && binaryCompare(customers.text(0), wanted) == 0 {
                let customer = Int(customers.int(1))
                domainOwner[Int(domainsByCustomer.int(1))] = Owner(customer: Int32(customer), reseller: customerReseller[customer])
            } else {
                counts.domainsWithUnknownCustomer += 1
            }
        }
        while haveCustomer {
            haveCustomer = try customers.next()
            if haveCustomer { takeCustomer() }
        }
        customers.finish()
        domainsByCustomer.finish()
        let packedLinks = domainOwner.map { UInt32(bitPattern: $0.customer).littleEndian }.withUnsafeBytes { Data($0) }
        try db.execute(sql: "UPDATE domain_customer SET packed = ?", arguments: [packedLinks])

        // 2. Mailboxes per domain and volume, with links. The index gives each domain's
        //    mailboxes together (by local part, not volume): counts per volume are gathered
        //    while a domain lasts and flushed when the next one starts.
        // Per volume id (there are few): flat arrays, not dictionaries, on this hot path.
        let maxVolume = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM volume")!
        var pairsByVolume = [[Pair]](repeating: [], count: maxVolume + 1)
        var customerTotal = [Int32](repeating: 0, count: maxCustomer + 1)
        var volumes = [VolumeCounts](repeating: VolumeCounts(), count: maxVolume + 1)
        // Written after the scan: the connection may be another thread's while it runs.
        var unattributed: [String] = []
        var countOnVolume = [Int32](repeating: 0, count: maxVolume + 1)
        var volumesOfRun: [Int32] = []
        // Each domain's row in the domain table, unless the keys come with it.
        var matcher = Keys.matchesDomains ? nil : try DomainMatcher(db)
        defer { matcher?.finish() }
        let runDomain = HeldBytes()
        var runCustomer: Int32 = 0
        var runReseller: Int32 = 0
        var runKnown = false

        func flush() {
            guard !volumesOfRun.isEmpty else { return }
            var all: Int32 = 0
            for volume in volumesOfRun {
                let n = countOnVolume[Int(volume)]
                countOnVolume[Int(volume)] = 0
                all += n
                let v = Int(volume)
                pairsByVolume[v].append(Pair(mailboxes: n, customer: runCustomer))
                volumes[v].mailboxes += Int(n)
                if runReseller == 0 { volumes[v].unattributed += Int(n) }
                if !runKnown { volumes[v].unknownDomain += Int(n) }
            }
            volumesOfRun.removeAll(keepingCapacity: true)
            if runCustomer != 0 { customerTotal[Int(runCustomer)] += all }
            if runReseller == 0 { unattributed.append(String(decoding: runDomain.bytes, as: UTF8.self)) }
        }

        // Each mailbox is counted once the next row shows it has no duplicate after it; of a
        // run of equal addresses (neighbours in this order) only the first read (lowest row
        // id) is counted, and all of them are candidates for the duplicate check.
        let previous = HeldBytes()
        var pendingVolume: Int32 = -1
        var pendingID: Int64 = 0
        var inGroup = false
        var haveRun = false
        func countPending() {
            guard pendingVolume >= 0 else { return }
            let v = Int(pendingVolume)
            if countOnVolume[v] == 0 { volumesOfRun.append(pendingVolume) }
            countOnVolume[v] += 1
            pendingVolume = -1
        }

        while try mailboxes.next() {
            let domain = mailboxes.domain
            let local = mailboxes.local
            let volume = mailboxes.volume
            let id = mailboxes.id
            // The pending row's domain is the run's: the same address is the same local part
            // in the same run.
            if findingDuplicates && pendingVolume >= 0 && previous.equals(local) && runDomain.equals(domain) {
                if !inGroup { counts.duplicateCandidates.append(pendingID) }
                counts.duplicateCandidates.append(id)
                inGroup = true
                if id < pendingID {
                    pendingID = id
                    pendingVolume = volume
                }
                continue
            }
            countPending()
            inGroup = false
            if !haveRun || !runDomain.equals(domain) {
                flush()
                haveRun = true
                runDomain.set(domain)
                let row = try matcher?.row(of: domain) ?? mailboxes.domainRow
                runKnown = row != 0
                let owner = runKnown ? domainOwner[Int(row)] : Owner()
                runCustomer = owner.customer
                runReseller = owner.reseller
            }
            pendingVolume = volume
            pendingID = id
            if findingDuplicates {
                previous.set(local)
            }
        }
        countPending()
        flush()
        try db.execute(sql: "DELETE FROM unattributed_domain")
        let insertUnattributed = try db.makeStatement(sql: "INSERT INTO unattributed_domain (domain) VALUES (?)")
        for domain in unattributed { try insertUnattributed.execute(arguments: [domain]) }

        // One packed blob per volume.
        try db.execute(sql: "DELETE FROM volume_exposure; DELETE FROM volume_total; DELETE FROM reseller_total")
        for volume in pairsByVolume.indices where !pairsByVolume[volume].isEmpty {
            let list = pairsByVolume[volume]
            var packed = [UInt32]()
            packed.reserveCapacity(list.count * 4)
            for p in list {
                packed.append(UInt32(bitPattern: p.mailboxes).littleEndian)
                packed.append(UInt32(bitPattern: p.customer).littleEndian)
                packed.append(UInt32(bitPattern: p.customer != 0 ? customerReseller[Int(p.customer)] : 0).littleEndian)
                packed.append(UInt32(bitPattern: p.customer != 0 ? customerTotal[Int(p.customer)] : 0).littleEndian)
            }
            let data = packed.withUnsafeBytes { Data($0) }
            try db.execute(sql: "INSERT INTO volume_exposure (volume_id, pairs, packed) VALUES (?, ?, ?)",
                           arguments: [volume, list.count, data])
            pairsByVolume[volume] = []
            let v = volumes[volume]
            try db.execute(sql: "INSERT INTO volume_total VALUES (?, ?, ?, ?)",
                           arguments: [volume, v.mailboxes, v.unattributed, v.unknownDomain])
        }

        // Per reseller: attributed mailboxes and customers that have any.
        var resellerTotals: [Int32: (mailboxes: Int, customers: Int)] = [:]
        for customer in customerTotal.indices where customerTotal[customer] > 0 {
            let reseller = customerReseller[customer]
            guard reseller != 0 else { continue }
            resellerTotals[reseller, default: (0, 0)].mailboxes += Int(customerTotal[customer])
            resellerTotals[reseller, default: (0, 0)].customers += 1
        }
        // One statement for every reseller: preparing it per row parsed it 20,000 times at 1M
        // mailboxes (a sixth of this build).
        let insertTotal = try db.makeStatement(sql: "INSERT INTO reseller_total VALUES (?, ?, ?)")
        for (reseller, t) in resellerTotals {
            try insertTotal.execute(arguments: [reseller, t.mailboxes, t.customers])
        }
        try db.execute(sql: "UPDATE link_summary SET customers_with_unknown_reseller = ?, domains_with_unknown_customer = ?",
                       arguments: [counts.customersWithUnknownReseller, counts.domainsWithUnknownCustomer])
        return counts
    }

    /// The domain of a stored address: the bytes after its `@` (every stored address has
    /// exactly one), as `Schema.legacyMailboxDomain` computes it in SQL for an older database.
    @inline(__always)
    static func domain(of address: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let base = address.baseAddress, let at = memchr(base, 0x40, address.count) else { return address }
        let start = UnsafeRawPointer(at) - base + 1
        return UnsafeRawBufferPointer(rebasing: address[start...])
    }
}

/// Mailbox keys in the mailbox index's order (domain, then local part), one at a time; the
/// bytes are valid until the next `next()`.
protocol MailboxKeyCursor {
    mutating func next() throws -> Bool
    var domain: UnsafeRawBufferPointer { get }
    var local: UnsafeRawBufferPointer { get }
    var volume: Int32 { get }
    var id: Int64 { get }
    /// Whether `domainRow` is known; otherwise the reader matches domains itself.
    static var matchesDomains: Bool { get }
    /// The current key's domain's row in the domain table, 0 when there is none.
    var domainRow: Int64 { get }
}

/// Finds mailbox domains in the domain table, merging with its key index: the domains asked
/// for must come in that order. On the thread that uses the connection.
struct DomainMatcher {
    private let cursor: RawCursor
    private var have: Bool

    init(_ db: Database) throws {
        cursor = try RawCursor(db, sql: "SELECT domain, id FROM domain ORDER BY domain")
        have = try cursor.next()
    }

    /// The row of `domain`, 0 when the domain table has none.
    mutating func row(of domain: UnsafeRawBufferPointer) throws -> Int64 {
        while have && binaryCompare(cursor.text(0), domain) < 0 { have = try cursor.next() }
        return have && binaryCompare(cursor.text(0), domain) == 0 ? cursor.int(1) : 0
    }

    func finish() { cursor.finish() }
}
