/// The contract's data problems that `--dirty` plants in generated rows. All but
/// `caseVariant` make the importer reject the row or flag a broken link.
public enum SyntheticDataProblem: String, Sendable, CaseIterable, Comparable {
    /// A key (reseller id, customer id, domain, address) that an earlier row already has.
    case duplicateKey = "duplicate key"
    /// An address with two `@` or none.
    case malformedAddress = "address without exactly one @"
    /// A required field or attribute left empty or out.
    case missingField = "missing required field"
    /// A CSV record with one field fewer or more than its header.
    case wrongFieldCount = "wrong field count"
    /// A domain whose customer id no customer has (CSV only: XML nests domains in customers).
    case orphanDomain = "domain of an unknown customer"
    /// A customer whose reseller id no reseller has (CSV only: XML nests customers in resellers).
    case unknownReseller = "customer of an unknown reseller"
    /// A mailbox at a domain that belongs to no customer: imported, but unattributed.
    case unlinkedMailbox = "mailbox at a domain of no customer"
    /// An address or domain in upper case or with a trailing dot: valid, the importer normalises it.
    case caseVariant = "upper-case or trailing-dot variant (valid)"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
