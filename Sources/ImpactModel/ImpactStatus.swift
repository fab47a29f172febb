/// How hard a reseller or customer is hit by a set of offline volumes.
public enum ImpactStatus: String, Sendable, Codable, CaseIterable {
    /// It has at least one mailbox and every one of them is offline.
    case full
    /// Some, but not all, of its mailboxes are offline.
    case partial
    /// None of its mailboxes is offline, or it has none.
    case none

    /// Classifies `affected` offline mailboxes out of `total`.
    public init(affected: Int, total: Int) {
        if total > 0 && affected == total {
            self = .full
        } else if affected > 0 {
            self = .partial
        } else {
            self = .none
        }
    }
}
