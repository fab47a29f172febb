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

    init(offline_volumes: [String], totals: Totals, resellers: [Reseller]) {
        self.offline_volumes = offline_volumes
        self.totals = totals
        self.resellers = resellers
    }

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

    /// Pretty, with sorted keys: the same input always gives the same bytes, exactly those of
    /// `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (a test
    /// holds the two together). Written by hand because the encoder spent most of
    /// `analyze --json`'s time at 20,000 resellers (its key sorting lower-cases every key of
    /// every object): 140 ms of 250 ms at 1M mailboxes.
    public func json() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    /// `json()` as UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(1024 + resellers.count * 320)
        writeJSON { all.append(contentsOf: $0) }
        return all
    }

    /// `json()` in pieces of about 64 KB, for writing out as it is made (20,000 resellers are
    /// 5 MB of JSON, and building it whole showed as page faults in `analyze`).
    public func writeJSON(_ write: ([UInt8]) -> Void) {
        var out = PrettyJSON(capacity: (1 << 16) + 4096)
        out.open("{")
        out.key("offline_volumes", first: true)
        out.open("[")
        for (i, volume) in offline_volumes.enumerated() {
            out.item(first: i == 0)
            out.string(volume)
        }
        out.close("]", empty: offline_volumes.isEmpty)
        out.key("resellers")
        out.open("[")
        for (i, r) in resellers.enumerated() {
            out.flushIfFull(write)
            out.item(first: i == 0)
            out.open("{")
            out.key("affected_mailboxes", first: true); out.number(r.affected_mailboxes)
            out.key("customers"); out.number(r.customers)
            out.key("customers_full"); out.number(r.customers_full)
            out.key("customers_partial"); out.number(r.customers_partial)
            out.key("mailboxes"); out.number(r.mailboxes)
            out.key("name"); out.string(r.name)
            out.key("reseller_id"); out.string(r.reseller_id)
            out.key("status"); out.string(r.status.rawValue)
            out.close("}", empty: false)
        }
        out.close("]", empty: resellers.isEmpty)
        out.key("totals")
        out.open("{")
        out.key("affected_mailboxes", first: true); out.number(totals.affected_mailboxes)
        out.key("mailboxes"); out.number(totals.mailboxes)
        out.key("resellers_full"); out.number(totals.resellers_full)
        out.key("resellers_none"); out.number(totals.resellers_none)
        out.key("resellers_partial"); out.number(totals.resellers_partial)
        out.key("unattributed_affected_mailboxes"); out.number(totals.unattributed_affected_mailboxes)
        out.key("unattributed_mailboxes"); out.number(totals.unattributed_mailboxes)
        out.close("}", empty: false)
        out.close("}", empty: false)
        out.bytes.append(UInt8(ascii: "\n"))
        write(out.bytes)
    }
}
