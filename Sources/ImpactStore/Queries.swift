import GRDB
import ImpactImport
import ImpactModel

/// A reseller as stored.
public struct StoredReseller: Sendable, Equatable {
    public var resellerID: String
    public var name: String
    public var contactEmail: String
    public var contactName: String?
    public var language: String
}

/// A volume that holds mailboxes, with how many.
public struct StoredVolume: Sendable, Equatable {
    public var id: Int64
    public var volume: VolumeID
    public var mailboxes: Int
}

/// One row of the affected-mailbox export: linked cells are `nil` where the linked record
/// does not exist.
public struct AffectedMailboxRow: Sendable, Equatable {
    public var address: String
    public var cluster: String
    public var volume: String
    public var domain: String?
    public var customerID: String?
    public var customerName: String?
    public var resellerID: String?
    public var resellerName: String?

    public init(address: String, cluster: String, volume: String, domain: String?, customerID: String?,
                customerName: String?, resellerID: String?, resellerName: String?) {
        self.address = address
        self.cluster = cluster
        self.volume = volume
        self.domain = domain
        self.customerID = customerID
        self.customerName = customerName
        self.resellerID = resellerID
        self.resellerName = resellerName
    }
}

/// The SQL the other stages ask. Every statement is static text; values are bound.
enum Queries {
    static func rejects(_ db: Database, importRunID: Int64? = nil, file: String? = nil, limit: Int? = nil) throws -> [RejectedRow] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let importRunID { conditions.append("import_run_id = ?"); arguments += [importRunID] }
        if let file {
            // The path as given to import, or just its last components (`mailboxes-B.csv`).
            conditions.append("(file = ? OR substr(file, -length(?) - 1) = '/' || ?)")
            arguments += [file, file, file]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limitClause = limit.map { "LIMIT \($0)" } ?? ""
        // Rejects are shown in the order the files were read, then by line.
        return try Row.fetchAll(db, sql: """
            SELECT r.entity, r.file, r.line, r.col, r.reason, r.raw FROM reject r
            \(whereClause)
            ORDER BY r.import_run_id, (SELECT min(f.id) FROM source_file f WHERE f.path = r.file AND f.import_run_id = r.import_run_id), r.line, r.col, r.id
            \(limitClause)
            """, arguments: arguments).map { row in
            RejectedRow(file: row["file"], line: row["line"], column: row["col"],
                        entity: (row["entity"] as String?).flatMap(Entity.init(rawValue:)),
                        reason: row["reason"], raw: row["raw"])
        }
    }

    static func dataProblems(_ db: Database) throws -> DataProblems {
        let links = try Row.fetchOne(db, sql: "SELECT customers_with_unknown_reseller, domains_with_unknown_customer FROM link_summary")!
        let customers: Int = links[0]
        let domains: Int = links[1]
        let volumes = try Row.fetchOne(db, sql: """
            SELECT coalesce(sum(unattributed), 0) AS unattributed, coalesce(sum(unknown_domain), 0) AS unknown_domain FROM volume_total
            """)!
        var byEntity: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT coalesce(entity, 'file') AS entity, count(*) AS n FROM reject GROUP BY 1") {
            byEntity[row["entity"]] = row["n"]
        }
        return DataProblems(customersWithUnknownReseller: customers, domainsWithUnknownCustomer: domains,
                            mailboxesWithUnknownDomain: volumes["unknown_domain"], unattributedMailboxes: volumes["unattributed"],
                            rejectsByEntity: byEntity)
    }

    /// `IN (…)` list of volume ids; ids are integers, so they are written into the SQL.
    static func inList(_ ids: [Int64]) -> String {
        ids.isEmpty ? "(NULL)" : "(" + ids.map(String.init).joined(separator: ",") + ")"
    }
}

extension ImpactStore {
    /// Every volume that holds at least one mailbox, sorted.
    public func volumes() throws -> [StoredVolume] {
        try read("listing volumes") { db in
            try Row.fetchAll(db, sql: """
                SELECT v.id, v.cluster, v.volume, t.mailboxes
                FROM volume_total t JOIN volume v ON v.id = t.volume_id
                WHERE t.mailboxes > 0
                """).map { row in
                StoredVolume(id: row["id"], volume: VolumeID(cluster: row["cluster"], volume: row["volume"]), mailboxes: row["mailboxes"])
            }.sorted { $0.volume < $1.volume }
        }
    }

    /// Streams the unattributed mailboxes on the given volumes, sorted by customer id (empty
    /// when unknown) and address (UTF-8 bytes): the export's first rows, as their reseller id
    /// is empty. Reseller cells are nil. Held in memory one customer at a time.
    public func forEachUnattributedMailbox(onVolumes volumeIDs: [Int64], _ body: (AffectedMailboxRow) throws -> Void) throws {
        try read("listing unattributed mailboxes") { db in
            let volumes = try Queries.volumeNames(db)
            let wanted = Set(volumeIDs)
            let domains = try Queries.unattributedDomains(db)
            var start = 0
            while start < domains.count {
                // One customer's domains (or those of no customer) at a time.
                let customer = domains[start].customerID ?? ""
                var end = start
                var rows: [AffectedMailboxRow] = []
                while end < domains.count && (domains[end].customerID ?? "") == customer {
                    let d = domains[end]
                    try Queries.forEachMailbox(db, layout: mailboxLayout, ofDomain: d.domain) { address, volumeID in
                        guard wanted.contains(volumeID), let volume = volumes[volumeID] else { return }
                        rows.append(AffectedMailboxRow(address: address, cluster: volume.cluster, volume: volume.volume,
                                                       domain: d.knownDomain, customerID: d.customerID, customerName: d.customerName,
                                                       resellerID: nil, resellerName: nil))
                    }
                    end += 1
                }
                rows.sort { String.byteOrder($0.address, $1.address) }
                for row in rows { try body(row) }
                start = end
            }
        }
    }

    /// Stored rejects, oldest import first, in file and line order.
    public func rejects(file: String? = nil, limit: Int? = nil) throws -> [RejectedRow] {
        try read("listing rejects") { db in try Queries.rejects(db, file: file, limit: limit) }
    }

    /// Broken links and unattributed mailboxes in the stored data.
    public func dataProblems() throws -> DataProblems {
        try read("counting data problems") { db in try Queries.dataProblems(db) }
    }
}

/// A mailbox that reaches no reseller, with why.
public struct UnattributedMailbox: Sendable, Equatable {
    public var address: String
    public var volume: VolumeID
    public var offline: Bool
    /// `domain <d> belongs to no customer`, `customer <c> is unknown`, `reseller <r> is unknown`.
    public var reason: String
}

extension ImpactStore {
    /// Every unattributed mailbox, offline ones first, then by address.
    public func unattributedMailboxes(offline volumeIDs: [Int64]) throws -> [UnattributedMailbox] {
        try read("listing unattributed mailboxes") { db in
            let volumes = try Queries.volumeNames(db)
            let offline = Set(volumeIDs)
            var list: [UnattributedMailbox] = []
            for d in try Queries.unattributedDomains(db) {
                let reason: String
                if let customer = d.domainCustomer {
                    if d.customerID == nil {
                        reason = "its domain's customer \(customer) is unknown"
                    } else {
                        reason = "customer \(customer)'s reseller \(d.resellerID ?? "") is unknown"
                    }
                } else {
                    reason = "its domain \(d.domain) belongs to no customer"
                }
                try Queries.forEachMailbox(db, layout: mailboxLayout, ofDomain: d.domain) { address, volumeID in
                    list.append(UnattributedMailbox(address: address, volume: volumes[volumeID] ?? VolumeID(cluster: "?", volume: "?"),
                                                    offline: offline.contains(volumeID), reason: reason))
                }
            }
            return list.sorted { a, b in
                if a.offline != b.offline { return a.offline }
                return String.byteOrder(a.address, b.address)
            }
        }
    }
}

extension Queries {
    /// A domain of unattributed mailboxes with whatever links it has.
    struct UnattributedDomain {
        var domain: String
        /// The domain's text where the domain is known (the export's `domain` cell).
        var knownDomain: String?
        /// The customer the domain names, known or not.
        var domainCustomer: String?
        /// That customer's id and name where the customer is known.
        var customerID: String?
        var customerName: String?
        /// The reseller that customer names (unknown, or the mailboxes would be attributed).
        var resellerID: String?
    }

    /// Every domain of unattributed mailboxes, sorted by known customer id (none first), then
    /// domain.
    static func unattributedDomains(_ db: Database) throws -> [UnattributedDomain] {
        try Row.fetchAll(db, sql: """
            SELECT u.domain, d.domain, d.customer_id, c.customer_id, c.name, c.reseller_id
            FROM unattributed_domain u
            LEFT JOIN domain d ON d.domain = u.domain
            LEFT JOIN customer c ON c.customer_id = d.customer_id
            ORDER BY coalesce(c.customer_id, ''), u.domain
            """).map { row in
            UnattributedDomain(domain: row[0], knownDomain: row[1], domainCustomer: row[2], customerID: row[3],
                               customerName: row[4], resellerID: row[5])
        }
    }

    /// Calls `body` with every mailbox of a domain: a search of the mailbox index. (In an older
    /// database, whose index is on an expression, SQLite 3.40 cannot use it for a join, so
    /// each domain is its own query.)
    static func forEachMailbox(_ db: Database, layout: MailboxLayout, ofDomain domain: String,
                               _ body: (String, Int64) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: "SELECT address, volume_id FROM mailbox WHERE \(layout.domain) = ?")
        let rows = try Row.fetchCursor(statement, arguments: [domain])
        while let row = try rows.next() { try body(row[0], row[1]) }
    }

    /// Every volume's cluster and name, by id.
    static func volumeNames(_ db: Database) throws -> [Int64: VolumeID] {
        var names: [Int64: VolumeID] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, cluster, volume FROM volume") {
            names[row[0]] = VolumeID(cluster: row[1], volume: row[2])
        }
        return names
    }
}
