import Foundation
import ImpactAnalysis
import ImpactModel

/// The `analyze --json` document (also `summary.json`), with the contract's keys.
public struct ImpactDocument: Codable, Sendable, Equatable {
    public struct Totals: Codable, Sendable, Equatable {
        public var mailboxes: Int
        public var affected_mailboxes: Int
        public var resellers_full: Int
        public var resellers_partial: Int
        public var resellers_none: Int
        public var unattributed_mailboxes: Int
        public var unattributed_affected_mailboxes: Int
    }

    public struct Reseller: Codable, Sendable, Equatable {
        public var reseller_id: String
        public var name: String
        public var status: ImpactStatus
        public var mailboxes: Int
        public var affected_mailboxes: Int
        public var customers: Int
        public var customers_full: Int
        public var customers_partial: Int
    }

    public var offline_volumes: [String]
    public var totals: Totals
    public var resellers: [Reseller]

    public init(_ impact: IncidentImpact) {
        offline_volumes = impact.offlineVolumes.map(\.description)
        totals = Totals(mailboxes: impact.mailboxes, affected_mailboxes: impact.affectedMailboxes,
                        resellers_full: impact.resellersFull, resellers_partial: impact.resellersPartial,
                        resellers_none: impact.resellersNone, unattributed_mailboxes: impact.unattributedMailboxes,
                        unattributed_affected_mailboxes: impact.unattributedAffectedMailboxes)
        resellers = impact.resellers.map { r in
            Reseller(reseller_id: r.reseller.resellerID, name: r.reseller.name, status: r.status,
                     mailboxes: r.mailboxes, affected_mailboxes: r.affectedMailboxes, customers: r.customers,
                     customers_full: r.customersFull, customers_partial: r.customersPartial)
        }
    }

    /// Pretty, with sorted keys: the same input always gives the same bytes.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
