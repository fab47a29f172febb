import ImpactImport
import ImpactModel

/// What one import did, for the summary printed at its end.
public struct ImportSummary: Sendable {
    /// Rows read, imported and rejected in one file.
    public struct FileSummary: Sendable, Equatable {
        public var path: String
        public var format: ImportFile.Format
        public var entities: [Entity]
        public var read: Int
        public var imported: Int
        public var rejected: Int
    }

    /// An entity the import replaced: its row count before and after.
    public struct EntityChange: Sendable, Equatable {
        public var entity: Entity
        public var before: Int
        public var after: Int
    }

    /// A cluster that had mailboxes before the import and has none after: usually one
    /// cluster's export left out of an import that replaces all mailboxes.
    public struct EmptiedCluster: Sendable, Equatable {
        public var cluster: String
        public var mailboxesBefore: Int
    }

    public var files: [FileSummary]
    public var replaced: [EntityChange]
    public var emptiedClusters: [EmptiedCluster]
    public var rejected: Int
    /// The first rejects, in file and line order.
    public var firstRejects: [RejectedRow]
    /// Broken links and unattributed mailboxes in the database after the import.
    public var problems: DataProblems
}

/// Broken links in the stored data: kept and flagged, never dropped.
public struct DataProblems: Sendable, Equatable, Codable {
    /// Customers whose reseller is unknown.
    public var customersWithUnknownReseller: Int
    /// Domains whose customer is unknown.
    public var domainsWithUnknownCustomer: Int
    /// Mailboxes whose domain belongs to no customer (no such domain record).
    public var mailboxesWithUnknownDomain: Int
    /// Mailboxes that reach no reseller, for whatever reason.
    public var unattributedMailboxes: Int
    /// Stored rejects, per entity.
    public var rejectsByEntity: [String: Int]

    public var rejects: Int { rejectsByEntity.values.reduce(0, +) }

    public init(customersWithUnknownReseller: Int, domainsWithUnknownCustomer: Int, mailboxesWithUnknownDomain: Int,
                unattributedMailboxes: Int, rejectsByEntity: [String: Int]) {
        self.customersWithUnknownReseller = customersWithUnknownReseller
        self.domainsWithUnknownCustomer = domainsWithUnknownCustomer
        self.mailboxesWithUnknownDomain = mailboxesWithUnknownDomain
        self.unattributedMailboxes = unattributedMailboxes
        self.rejectsByEntity = rejectsByEntity
    }
}
