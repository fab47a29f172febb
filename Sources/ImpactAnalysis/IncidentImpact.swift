import ImpactModel
import ImpactStore

/// One affected customer of a reseller, classified.
public struct CustomerImpact: Sendable, Equatable {
    public var customerID: String
    /// Empty unless the analysis was asked for details.
    public var name: String
    public var status: ImpactStatus
    public var mailboxes: Int
    public var affectedMailboxes: Int
}

/// One reseller, classified.
public struct ResellerImpact: Sendable, Equatable {
    public var reseller: StoredReseller
    public var status: ImpactStatus
    /// Its attributed mailboxes, on every volume.
    public var mailboxes: Int
    public var affectedMailboxes: Int
    /// Customers with at least one attributed mailbox.
    public var customers: Int
    public var customersFull: Int
    public var customersPartial: Int
    /// The customers with offline mailboxes, sorted by id (UTF-8 bytes); names only with
    /// details.
    public var affectedCustomers: [CustomerImpact]
    /// The offline volumes that hold its mailboxes, with how many of them, sorted.
    public var affectedVolumes: [(volume: VolumeID, mailboxes: Int)]

    public static func == (lhs: ResellerImpact, rhs: ResellerImpact) -> Bool {
        lhs.reseller == rhs.reseller && lhs.status == rhs.status && lhs.mailboxes == rhs.mailboxes
            && lhs.affectedMailboxes == rhs.affectedMailboxes && lhs.customers == rhs.customers
            && lhs.customersFull == rhs.customersFull && lhs.customersPartial == rhs.customersPartial
            && lhs.affectedCustomers == rhs.affectedCustomers
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

/// What a set of offline volumes does to every reseller: the answer support needs.
public struct IncidentImpact: Sendable, Equatable {
    public var offlineVolumes: [VolumeID]
    /// Every known reseller, sorted by id (UTF-8 bytes).
    public var resellers: [ResellerImpact]
    public var volumes: [VolumeImpact]
    /// All mailboxes, unattributed included.
    public var mailboxes: Int
    public var affectedMailboxes: Int
    public var unattributedMailboxes: Int
    public var unattributedAffectedMailboxes: Int
    /// Broken links and rejects; only with details.
    public var problems: DataProblems?

    public var resellersFull: Int { resellers.count { $0.status == .full } }
    public var resellersPartial: Int { resellers.count { $0.status == .partial } }
    public var resellersNone: Int { resellers.count { $0.status == .none } }

    /// Affected resellers for people: fully hit first, then partial, most affected mailboxes first.
    public var affectedResellersByUrgency: [ResellerImpact] {
        resellers.filter { $0.status != .none }.sorted { a, b in
            if a.status != b.status { return a.status == .full }
            if a.affectedMailboxes != b.affectedMailboxes { return a.affectedMailboxes > b.affectedMailboxes }
            return String.byteOrder(a.reseller.resellerID, b.reseller.resellerID)
        }
    }
}
