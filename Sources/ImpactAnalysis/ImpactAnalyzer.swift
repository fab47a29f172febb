import ImpactModel
import ImpactStore

/// Classifies every reseller and customer for a set of offline volumes.
///
/// ```swift
/// let offline = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol03"]), known: store.volumes())
/// let impact = try ImpactAnalyzer(store: store).analyze(offline)
/// ```
/// Reads pre-aggregated counts (domains × volumes), never the mailbox table, so the cost does
/// not grow with the number of mailboxes.
public struct ImpactAnalyzer: Sendable {
    public let store: ImpactStore

    public init(store: ImpactStore) {
        self.store = store
    }

    /// - Throws: `StoreError` when the database cannot be read.
    public func analyze(_ offline: OfflineVolumeSet) throws -> IncidentImpact {
        let ids = offline.volumeIDs
        let resellers = try store.resellers()
        let customers = try store.customerTallies(offline: ids)
        let totals = try store.mailboxTotals(offline: ids)
        let perVolume = try store.resellerVolumeTallies(offline: ids)
        let problems = try store.dataProblems()
        let volumes = try store.volumes()

        var customersByReseller: [String: [CustomerImpact]] = [:]
        for c in customers where c.mailboxes > 0 {
            customersByReseller[c.resellerID, default: []].append(CustomerImpact(
                customerID: c.customerID, name: c.name,
                status: ImpactStatus(affected: c.affectedMailboxes, total: c.mailboxes),
                mailboxes: c.mailboxes, affectedMailboxes: c.affectedMailboxes))
        }
        var volumesByReseller: [String: [(VolumeID, Int)]] = [:]
        for t in perVolume { volumesByReseller[t.resellerID, default: []].append((t.volume, t.affectedMailboxes)) }

        var attributed = 0
        var attributedAffected = 0
        let impacts = resellers.map { reseller -> ResellerImpact in
            let own = (customersByReseller[reseller.resellerID] ?? []).sorted { String.byteOrder($0.customerID, $1.customerID) }
            let total = own.reduce(0) { $0 + $1.mailboxes }
            let affected = own.reduce(0) { $0 + $1.affectedMailboxes }
            attributed += total
            attributedAffected += affected
            return ResellerImpact(reseller: reseller, status: ImpactStatus(affected: affected, total: total),
                                  mailboxes: total, affectedMailboxes: affected, customers: own,
                                  affectedVolumes: (volumesByReseller[reseller.resellerID] ?? []).sorted { $0.0 < $1.0 })
        }
        let resellersPerVolume = Dictionary(grouping: perVolume, by: \.volume).mapValues(\.count)
        let mailboxesPerVolume = Dictionary(uniqueKeysWithValues: volumes.map { ($0.volume, $0.mailboxes) })
        return IncidentImpact(
            offlineVolumes: offline.volumes,
            resellers: impacts,
            volumes: offline.volumes.map { VolumeImpact(volume: $0, mailboxes: mailboxesPerVolume[$0] ?? 0, resellers: resellersPerVolume[$0] ?? 0) },
            mailboxes: totals.mailboxes, affectedMailboxes: totals.affected,
            unattributedMailboxes: totals.mailboxes - attributed,
            unattributedAffectedMailboxes: totals.affected - attributedAffected,
            problems: problems)
    }
}
