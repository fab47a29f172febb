/// The four kinds of record an export can hold, in the order the contract recognises them
/// by their CSV headers (the first whose required columns are all present wins).
public enum Entity: String, Sendable, CaseIterable, Codable, Comparable {
    case mailbox
    case domain
    case customer
    case reseller

    /// Plural name, as used in summaries and table names (`mailboxes`, `resellers`, …).
    public var plural: String {
        switch self {
        case .mailbox: "mailboxes"
        case .domain: "domains"
        case .customer: "customers"
        case .reseller: "resellers"
        }
    }

    /// `1 mailbox`, `2 mailboxes`.
    public func count(_ n: Int) -> String {
        n == 1 ? "1 \(rawValue)" : "\(n) \(plural)"
    }

    /// The fields of this entity, in a fixed order: a raw row is an array of optional values
    /// indexed by this order. Required fields come first.
    public var fields: [String] {
        switch self {
        case .reseller: ["reseller_id", "name", "contact_email", "contact_name", "language"]
        case .customer: ["customer_id", "reseller_id", "name", "contact_email"]
        case .domain: ["domain", "customer_id"]
        case .mailbox: ["address", "cluster", "volume", "size_mb"]
        }
    }

    /// How many of `fields` (from the front) are required.
    public var requiredFieldCount: Int {
        switch self {
        case .reseller: 3
        case .customer: 3
        case .domain: 2
        case .mailbox: 3
        }
    }

    /// The required field names.
    public var requiredFields: ArraySlice<String> { fields.prefix(requiredFieldCount) }

    private var order: Int {
        switch self {
        case .reseller: 0
        case .customer: 1
        case .domain: 2
        case .mailbox: 3
        }
    }

    /// Resellers, customers, domains, mailboxes: the order in which summaries list them.
    public static func < (lhs: Entity, rhs: Entity) -> Bool { lhs.order < rhs.order }
}
