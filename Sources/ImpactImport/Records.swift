import ImpactModel

/// A reseller as accepted from an export: trimmed, required fields present.
public struct ResellerRecord: Sendable, Equatable {
    public var resellerID: String
    public var name: String
    public var contactEmail: String
    public var contactName: String?
    public var language: String
}

/// A customer as accepted from an export. `resellerID` may name no known reseller (an orphan).
public struct CustomerRecord: Sendable, Equatable {
    public var customerID: String
    public var resellerID: String
    public var name: String
    public var contactEmail: String?
}

/// A domain as accepted from an export, normalised (lower-cased, trailing dot dropped).
public struct DomainRecord: Sendable, Equatable {
    public var domain: String
    public var customerID: String
}

/// A mailbox as accepted from an export; `address` normalised, `domain` the part after its `@`.
public struct MailboxRecord: Sendable, Equatable {
    public var address: String
    public var domain: String
    public var cluster: String
    public var volume: String
    public var sizeMB: Int?
}

/// A row that passed validation, ready for the store.
public enum AcceptedRecord: Sendable, Equatable {
    case reseller(ResellerRecord)
    case customer(CustomerRecord)
    case domain(DomainRecord)
    case mailbox(MailboxRecord)

    /// The key that must be unique within the entity (first accepted occurrence wins).
    public var key: String {
        switch self {
        case .reseller(let r): r.resellerID
        case .customer(let c): c.customerID
        case .domain(let d): d.domain
        case .mailbox(let m): m.address
        }
    }
}
