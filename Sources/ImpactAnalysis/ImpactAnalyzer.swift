import Foundation
import ImpactModel
import ImpactStore
import Logging

/// Classifies every reseller and customer for a set of offline volumes.
///
/// ```swift
/// let offline = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol03"]), known: store.volumes())
/// let analyzer = ImpactAnalyzer(store: store)
/// let impact = try analyzer.analyze(offline)
/// let customers = try analyzer.affectedCustomers(of: impact.resellers[0], in: impact)
/// ```
/// Reads the exposure precomputed at import time for the offline volumes only (one row per
/// domain and offline volume) plus per-reseller and per-volume totals: the cost grows with
/// the domains on the offline volumes, never with all mailboxes. Counts per customer live in
/// flat arrays indexed by row (12 bytes a customer), not in dictionaries.
public struct ImpactAnalyzer: Sendable {
    public let store: ImpactStore
    let logger = Logger(label: "reseller-impact.analysis")

    public init(store: ImpactStore) {
        self.store = store
    }

    /// - Throws: `StoreError` when the database cannot be read.
    public func analyze(_ offline: OfflineVolumeSet) throws -> IncidentImpact {
        let started = DispatchTime.now()
        let resellers = try store.resellerTotals()
        let volumeTotals = try store.volumeTotals()
        let maxCustomer = try store.maxCustomerRow()
        let volumeIndex = Dictionary(uniqueKeysWithValues: offline.volumeIDs.enumerated().map { ($1, $0) })

        var affectedOf = [Int32](repeating: 0, count: maxCustomer + 1)
        var totalOf = [Int32](repeating: 0, count: maxCustomer + 1)
        var resellerOf = [Int32](repeating: 0, count: maxCustomer + 1)
        var touched: [Int32] = []
        // Offline mailboxes per reseller row and offline volume, flat when that is small.
        let maxReseller = Int(resellers.map(\.row).max() ?? 0)
        let volumeCount = offline.volumeIDs.count
        let flat = (maxReseller + 1) * volumeCount <= 1 << 24
        var resellerVolumeFlat = [Int32](repeating: 0, count: flat ? (maxReseller + 1) * volumeCount : 0)
        var resellerVolume: [Int64: Int] = [:]
        var affected = 0
        var unattributedAffected = 0
        try store.forEachExposure(onVolumes: offline.volumeIDs) { row in
            affected += row.mailboxes
            guard let customer = row.customerRow, let reseller = row.resellerRow else {
                unattributedAffected += row.mailboxes
                return
            }
            let c = Int(customer)
            if affectedOf[c] == 0 {
                touched.append(Int32(c))
                totalOf[c] = Int32(row.customerMailboxes)
                resellerOf[c] = Int32(reseller)
            }
            affectedOf[c] += Int32(row.mailboxes)
            if flat {
                resellerVolumeFlat[Int(reseller) * volumeCount + volumeIndex[row.volumeID]!] += Int32(row.mailboxes)
            } else {
                resellerVolume[reseller << 16 | Int64(volumeIndex[row.volumeID]!), default: 0] += row.mailboxes
            }
        }

        if flat {
            for r in 0...maxReseller {
                for v in 0..<volumeCount where resellerVolumeFlat[r * volumeCount + v] > 0 {
                    resellerVolume[Int64(r) << 16 | Int64(v)] = Int(resellerVolumeFlat[r * volumeCount + v])
                }
            }
        }

        // Touched customers grouped by reseller: a counting sort, linear in customers.
        var starts = [Int](repeating: 0, count: maxReseller + 2)
        for c in touched { starts[Int(resellerOf[Int(c)]) + 1] += 1 }
        for r in 0...maxReseller { starts[r + 1] += starts[r] }
        var index = AffectedCustomerIndex()
        index.customerRows = [Int32](repeating: 0, count: touched.count)
        var fill = starts
        for c in touched {
            let r = Int(resellerOf[Int(c)])
            index.customerRows[fill[r]] = c
            fill[r] += 1
        }
        index.affected = index.customerRows.map { affectedOf[Int($0)] }
        index.totals = index.customerRows.map { totalOf[Int($0)] }
        for r in 0...maxReseller where starts[r + 1] > starts[r] {
            index.ranges[Int64(r)] = starts[r]..<starts[r + 1]
        }

        var resellersPerVolume = [Int](repeating: 0, count: offline.volumeIDs.count)
        var volumesOf: [Int64: [(volume: VolumeID, mailboxes: Int)]] = [:]
        for (key, n) in resellerVolume {
            let volume = Int(key & 0xFFFF)
            resellersPerVolume[volume] += 1
            volumesOf[key >> 16, default: []].append((offline.volumes[volume], n))
        }
        let impacts = resellers.map { r -> ResellerImpact in
            var full = 0, partial = 0, affectedHere = 0
            for i in index.ranges[r.row] ?? 0..<0 {
                affectedHere += Int(index.affected[i])
                if index.affected[i] == index.totals[i] { full += 1 } else { partial += 1 }
            }
            return ResellerImpact(
                row: r.row, reseller: r.reseller, status: ImpactStatus(affected: affectedHere, total: r.mailboxes),
                mailboxes: r.mailboxes, affectedMailboxes: affectedHere, customers: r.customers,
                customersFull: full, customersPartial: partial,
                affectedVolumes: (volumesOf[r.row] ?? []).sorted { $0.volume < $1.volume })
        }
        let mailboxesPerVolume = Dictionary(uniqueKeysWithValues: volumeTotals.map { ($0.volumeID, $0.mailboxes) })
        let impact = IncidentImpact(
            offlineVolumes: offline.volumes,
            offlineVolumeIDs: offline.volumeIDs,
            resellers: impacts,
            volumes: offline.volumeIDs.enumerated().map { i, id in
                VolumeImpact(volume: offline.volumes[i], mailboxes: mailboxesPerVolume[id] ?? 0, resellers: resellersPerVolume[i])
            },
            mailboxes: volumeTotals.reduce(0) { $0 + $1.mailboxes },
            affectedMailboxes: affected,
            unattributedMailboxes: volumeTotals.reduce(0) { $0 + $1.unattributed },
            unattributedAffectedMailboxes: unattributedAffected,
            problems: try store.dataProblems(),
            affectedCustomers: index)
        logger.debug("analysis: \(touched.count) affected customers, \((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000) ms")
        return impact
    }

    /// A reseller's affected customers with their ids and names, sorted by id (UTF-8 bytes):
    /// read when a draft or a list needs them, one reseller at a time.
    public func affectedCustomers(of reseller: ResellerImpact, in impact: IncidentImpact) throws -> [CustomerImpact] {
        guard let range = impact.affectedCustomers.ranges[reseller.row] else { return [] }
        let index = impact.affectedCustomers
        let names = try store.customerNames(range.map { Int64(index.customerRows[$0]) })
        return range.map { i -> CustomerImpact in
            let name = names[Int64(index.customerRows[i])]
            return CustomerImpact(row: Int64(index.customerRows[i]), customerID: name?.customerID ?? "", name: name?.name ?? "",
                                  status: ImpactStatus(affected: Int(index.affected[i]), total: Int(index.totals[i])),
                                  mailboxes: Int(index.totals[i]), affectedMailboxes: Int(index.affected[i]))
        }.sorted { String.byteOrder($0.customerID, $1.customerID) }
    }
}
