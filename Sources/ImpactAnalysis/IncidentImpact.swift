import ImpactModel
import ImpactStore

/// One affected customer of a reseller, classified.
public struct CustomerImpact: Sendable, Equatable {
    /// The customer's row in the database.
    public var row: Int64
    public var customerID: String
    public var name: String
    public var status: ImpactStatus
    public var mailboxes: Int
    public var affectedMailboxes: Int
}

/// One reseller, classified.
public struct ResellerImpact: Sendable, Equatable {
    /// The reseller's row in the database, which `ImpactAnalyzer.affectedCustomers(of:in:)` uses.
    public var row: Int64
    public var reseller: StoredReseller
    public var status: ImpactStatus
    /// Its attributed mailboxes, on every volume.
    public var mailboxes: Int
    public var affectedMailboxes: Int
    /// Customers with at least one attributed mailbox.
    public var customers: Int
    public var customersFull: Int
    public var customersPartial: Int
    /// The offline volumes that hold its mailboxes, with how many of them, sorted.
    public var affectedVolumes: [(volume: VolumeID, mailboxes: Int)]

    /// Customers with at least one offline mailbox.
    public var affectedCustomerCount: Int { customersFull + customersPartial }

    public static func == (lhs: ResellerImpact, rhs: ResellerImpact) -> Bool {
        lhs.row == rhs.row && lhs.reseller == rhs.reseller && lhs.status == rhs.status && lhs.mailboxes == rhs.mailboxes
            && lhs.affectedMailboxes == rhs.affectedMailboxes && lhs.customers == rhs.customers
            && lhs.customersFull == rhs.customersFull && lhs.customersPartial == rhs.customersPartial
            && lhs.affectedVolumes.map(\.volume) == rhs.affectedVolumes.map(\.volume)
            && lhs.affectedVolumes.map(\.mailboxes) == rhs.affectedVolumes.map(\.mailboxes)
    }
}

/// One offline volume: how many mailboxes it holds and how many resellers it touches.
public struct VolumeImpact: Sendable, Equatable {
    public var volume: VolumeID
    public var mailboxes: Int
    public var resellers: Int
}

/// The affected customers of every reseller as compact numbers (12 bytes a customer, 14 MB
/// for a million), grouped by reseller; ids and names are read one reseller at a time.
public struct AffectedCustomerIndex: Sendable, Equatable {
    /// Customer rows, affected and total mailboxes, grouped by reseller.
    var customerRows: [Int32] = []
    var affected: [Int32] = []
    var totals: [Int32] = []
    /// Where each reseller row's customers start in the arrays (one more entry than rows):
    /// reseller `r` has `starts[r]..<starts[r + 1]`.
    var starts: [Int] = []

    /// A reseller row's range in the arrays (empty for a row without affected customers).
    func range(of row: Int64) -> Range<Int> {
        let r = Int(row)
        guard r >= 0, r + 1 < starts.count else { return 0..<0 }
        return starts[r]..<starts[r + 1]
    }
}

/// What a set of offline volumes does to every reseller: the answer support needs.
public struct IncidentImpact: Sendable, Equatable {
    public var offlineVolumes: [VolumeID]
    /// The offline volumes' database ids, in the order of `offlineVolumes`.
    public var offlineVolumeIDs: [Int64]
    /// Every known reseller, sorted by id (UTF-8 bytes).
    public var resellers: [ResellerImpact]
    public var volumes: [VolumeImpact]
    /// All mailboxes, unattributed included.
    public var mailboxes: Int
    public var affectedMailboxes: Int
    public var unattributedMailboxes: Int
    public var unattributedAffectedMailboxes: Int
    /// Broken links and rejects.
    public var problems: DataProblems
    var affectedCustomers: AffectedCustomerIndex

    /// The rows of a reseller's affected customers (no particular order).
    public func affectedCustomerRows(of reseller: ResellerImpact) -> ArraySlice<Int32> {
        affectedCustomers.customerRows[affectedCustomers.range(of: reseller.row)]
    }

    /// The highest affected customer row (0 with none): the size of per-customer arrays.
    public var maxAffectedCustomerRow: Int { Int(affectedCustomers.customerRows.max() ?? 0) }

    public var resellersFull: Int { resellerCountsByStatus.full }
    public var resellersPartial: Int { resellerCountsByStatus.partial }
    public var resellersNone: Int { resellerCountsByStatus.none }

    /// Resellers per status, in one pass that reads only each status.
    public var resellerCountsByStatus: (full: Int, partial: Int, none: Int) {
        var counts = (full: 0, partial: 0, none: 0)
        resellers.withUnsafeBufferPointer { resellers in
            for i in resellers.indices {
                switch resellers[i].status {
                case .full: counts.full += 1
                case .partial: counts.partial += 1
                case .none: counts.none += 1
                }
            }
        }
        return counts
    }

    /// Affected resellers for people: fully hit first, then partial, most affected mailboxes first.
    public var affectedResellersByUrgency: [ResellerImpact] {
        resellers.filter { $0.status != .none }.sorted { a, b in
            if a.status != b.status { return a.status == .full }
            if a.affectedMailboxes != b.affectedMailboxes { return a.affectedMailboxes > b.affectedMailboxes }
            return String.byteOrder(a.reseller.resellerID, b.reseller.resellerID)
        }
    }
}
