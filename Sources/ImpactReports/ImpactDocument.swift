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

        init(mailboxes: Int, affected_mailboxes: Int, resellers_full: Int, resellers_partial: Int, resellers_none: Int,
             unattributed_mailboxes: Int, unattributed_affected_mailboxes: Int) {
            self.mailboxes = mailboxes
            self.affected_mailboxes = affected_mailboxes
            self.resellers_full = resellers_full
            self.resellers_partial = resellers_partial
            self.resellers_none = resellers_none
            self.unattributed_mailboxes = unattributed_mailboxes
            self.unattributed_affected_mailboxes = unattributed_affected_mailboxes
        }

        init(_ impact: IncidentImpact) {
            let byStatus = impact.resellerCountsByStatus
            self.init(mailboxes: impact.mailboxes, affected_mailboxes: impact.affectedMailboxes,
                      resellers_full: byStatus.full, resellers_partial: byStatus.partial, resellers_none: byStatus.none,
                      unattributed_mailboxes: impact.unattributedMailboxes,
                      unattributed_affected_mailboxes: impact.unattributedAffectedMailboxes)
        }
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
        totals = Totals(impact)
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
        Self.writeJSON(offlineVolumes: offline_volumes, totals: totals, resellerCount: resellers.count, write) { i, out in
            let r = resellers[i]
            out.reseller(affected: r.affected_mailboxes, customers: r.customers, full: r.customers_full,
                         partial: r.customers_partial, mailboxes: r.mailboxes, name: r.name, id: r.reseller_id,
                         status: r.status)
        }
    }

    /// The document of `impact`, written as `ImpactDocument(impact).writeJSON` writes it but
    /// straight from the analysis: `analyze --json` does not copy 20,000 resellers first.
    public static func writeJSON(for impact: IncidentImpact, _ write: ([UInt8]) -> Void) {
        let totals = Totals(impact)
        writeJSON(offlineVolumes: impact.offlineVolumes.map(\.description), totals: totals,
                  resellerCount: impact.resellers.count, write) { i, out in
            impact.resellers.withUnsafeBufferPointer { resellers in
                out.reseller(affected: resellers[i].affectedMailboxes, customers: resellers[i].customers,
                             full: resellers[i].customersFull, partial: resellers[i].customersPartial,
                             mailboxes: resellers[i].mailboxes, name: resellers[i].reseller.name,
                             id: resellers[i].reseller.resellerID, status: resellers[i].status)
            }
        }
    }

    private static func writeJSON(offlineVolumes: [String], totals: Totals, resellerCount: Int, _ write: ([UInt8]) -> Void,
                                  reseller: (Int, inout PrettyJSON) -> Void) {
        var out = PrettyJSON(capacity: (1 << 16) + 4096)
        out.open("{")
        out.key("offline_volumes", first: true)
        out.open("[")
        for (i, volume) in offlineVolumes.enumerated() {
            out.item(first: i == 0)
            out.string(volume)
        }
        out.close("]", empty: offlineVolumes.isEmpty)
        out.key("resellers")
        out.open("[")
        for i in 0..<resellerCount {
            out.flushIfFull(write)
            out.item(first: i == 0)
            reseller(i, &out)
        }
        out.close("]", empty: resellerCount == 0)
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

extension PrettyJSON {
    /// The keys of a reseller element, sorted, each with what precedes it (comma, newline,
    /// indent), then the element's closing: made once per depth, so that a reseller is a few
    /// copies of ready bytes (20,000 of them in `analyze --json`). The JSONEncoder comparison
    /// test covers this layout.
    static func resellerFragments(depth: Int) -> [[UInt8]] {
        let keys = ["affected_mailboxes", "customers", "customers_full", "customers_partial", "mailboxes", "name",
                    "reseller_id", "status"]
        let inner = [UInt8](repeating: UInt8(ascii: " "), count: (depth + 1) * 2)
        var fragments = keys.enumerated().map { i, key in
            (i == 0 ? [] : [UInt8(ascii: ",")]) + [UInt8(ascii: "\n")] + inner + Array("\"\(key)\" : ".utf8)
        }
        fragments.append([UInt8(ascii: "\n")] + [UInt8](repeating: UInt8(ascii: " "), count: depth * 2) + [UInt8(ascii: "}")])
        return fragments
    }

    /// One element of the document's `resellers`, keys sorted.
    mutating func reseller(affected: Int, customers: Int, full: Int, partial: Int, mailboxes: Int,
                           name: String, id: String, status: ImpactStatus) {
        if resellerFragmentsDepth != depth {
            resellerFragments = Self.resellerFragments(depth: depth)
            resellerFragmentsDepth = depth
        }
        let k = resellerFragments
        bytes.append(UInt8(ascii: "{"))
        bytes.append(contentsOf: k[0]); number(affected)
        bytes.append(contentsOf: k[1]); number(customers)
        bytes.append(contentsOf: k[2]); number(full)
        bytes.append(contentsOf: k[3]); number(partial)
        bytes.append(contentsOf: k[4]); number(mailboxes)
        bytes.append(contentsOf: k[5]); string(name)
        bytes.append(contentsOf: k[6]); string(id)
        bytes.append(contentsOf: k[7]); string(status.rawValue)
        bytes.append(contentsOf: k[8])
    }
}
