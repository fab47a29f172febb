import ImpactModel
import ImpactStore
import Logging

/// Classifies every reseller and customer for a set of offline volumes.
///
/// ```swift
/// let offline = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol03"]), known: store.volumes())
/// let impact = try ImpactAnalyzer(store: store).analyze(offline)
/// ```
/// Reads the exposure precomputed at import time for the offline volumes only (one row per
/// domain and offline volume) plus per-reseller and per-volume totals: the cost grows with
/// domains on the offline volumes, never with all mailboxes.
public struct ImpactAnalyzer: Sendable {
    public let store: ImpactStore
    let logger = Logger(label: "reseller-impact.analysis")

    public init(store: ImpactStore) {
        self.store = store
    }

    /// - Parameter details: also load customer names (for drafts) and the data problems (for
    ///   the summary); `analyze` needs neither.
    /// - Throws: `StoreError` when the database cannot be read.
    public func analyze(_ offline: OfflineVolumeSet, details: Bool = true) throws -> IncidentImpact {
        let resellers = try store.resellerTotals()
        let volumeTotals = try store.volumeTotals()
        let volumes = Dictionary(uniqueKeysWithValues: try store.volumes().map { ($0.id, $0.volume) })

        // Offline mailboxes per customer (with its total and reseller) and per reseller and volume.
        var customers: [Int64: (affected: Int, total: Int, reseller: Int64)] = [:]
        var resellerVolumes: [Int64: [Int64: Int]] = [:]
        var affected = 0
        var unattributedAffected = 0
        try store.forEachExposure(onVolumes: offline.volumeIDs) { row in
            affected += row.mailboxes
            guard let customer = row.customerRow, let reseller = row.resellerRow else {
                unattributedAffected += row.mailboxes
                return
            }
            customers[customer, default: (0, row.customerMailboxes, reseller)].affected += row.mailboxes
            resellerVolumes[reseller, default: [:]][row.volumeID, default: 0] += row.mailboxes
        }
        let names = details ? try store.customerNames(customers.keys) : [:]
        logger.debug("exposure rows read for \(customers.count) customers\(details ? ", names loaded" : "")")

        var byReseller: [Int64: [CustomerImpact]] = [:]
        for (row, c) in customers {
            let name = names[row]
            byReseller[c.reseller, default: []].append(CustomerImpact(
                customerID: name?.customerID ?? "", name: name?.name ?? "",
                status: ImpactStatus(affected: c.affected, total: c.total), mailboxes: c.total, affectedMailboxes: c.affected))
        }
        let impacts = resellers.map { r -> ResellerImpact in
            var own = byReseller[r.row] ?? []
            if details { own.sort { String.byteOrder($0.customerID, $1.customerID) } }
            let affectedHere = own.reduce(0) { $0 + $1.affectedMailboxes }
            let volumesHere = (resellerVolumes[r.row] ?? [:]).compactMap { id, n in volumes[id].map { (volume: $0, mailboxes: n) } }
            return ResellerImpact(
                reseller: r.reseller, status: ImpactStatus(affected: affectedHere, total: r.mailboxes),
                mailboxes: r.mailboxes, affectedMailboxes: affectedHere, customers: r.customers,
                customersFull: own.count { $0.status == .full }, customersPartial: own.count { $0.status == .partial },
                affectedCustomers: own, affectedVolumes: volumesHere.sorted { $0.volume < $1.volume })
        }
        var resellersPerVolume: [Int64: Int] = [:]
        for perVolume in resellerVolumes.values { for id in perVolume.keys { resellersPerVolume[id, default: 0] += 1 } }
        let mailboxesPerVolume = Dictionary(uniqueKeysWithValues: volumeTotals.map { ($0.volumeID, $0.mailboxes) })
        return IncidentImpact(
            offlineVolumes: offline.volumes,
            resellers: impacts,
            volumes: zip(offline.volumes, offline.volumeIDs).map { volume, id in
                VolumeImpact(volume: volume, mailboxes: mailboxesPerVolume[id] ?? 0, resellers: resellersPerVolume[id] ?? 0)
            },
            mailboxes: volumeTotals.reduce(0) { $0 + $1.mailboxes },
            affectedMailboxes: affected,
            unattributedMailboxes: volumeTotals.reduce(0) { $0 + $1.unattributed },
            unattributedAffectedMailboxes: unattributedAffected,
            problems: details ? try store.dataProblems() : nil)
    }
}
