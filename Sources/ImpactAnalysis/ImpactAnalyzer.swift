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

    /// - Parameter contacts: false reads no reseller's contact (e-mail, name, language: left
    ///   empty), for output that shows none (`analyze`); drafts need them.
    /// - Throws: `StoreError` when the database cannot be read.
    public func analyze(_ offline: OfflineVolumeSet, contacts: Bool = true) throws -> IncidentImpact {
        let started = DispatchTime.now()
        let resellers = try store.resellerTotals(contacts: contacts)
        let volumeTotals = try store.volumeTotals()
        let maxCustomer = try store.maxCustomerRow()

        // Per customer row, side by side so that one cache line serves a row (at 10M mailboxes
        // the rows touched are spread over 2M customers).
        struct Tally { var affected: Int32 = 0; var total: Int32 = 0; var reseller: Int32 = 0 }
        var tallies = [Tally](repeating: Tally(), count: maxCustomer + 1)
        var touched: [Int32] = []
        // Offline mailboxes per reseller row and offline volume, flat when that is small.
        let maxReseller = Int(resellers.map(\.row).max() ?? 0)
        let volumeCount = offline.volumeIDs.count
        let flat = (maxReseller + 1) * volumeCount <= 1 << 24
        var resellerVolumeFlat = [Int32](repeating: 0, count: flat ? (maxReseller + 1) * volumeCount : 0)
        var resellerVolume: [Int64: Int] = [:]
        var affected = 0
        var unattributedAffected = 0
        try tallies.withUnsafeMutableBufferPointer { tallies in
            try store.forEachExposure(onVolumes: offline.volumeIDs) { v, block in
                for i in 0..<block.count {
                    let mailboxes = block.mailboxes(i)
                    affected += mailboxes
                    let c = block.customerRow(i)
                    let reseller = block.resellerRow(i)
                    guard c != 0, reseller != 0, c < tallies.count else {
                        unattributedAffected += mailboxes
                        continue
                    }
                    if tallies[c].affected == 0 {
                        touched.append(Int32(c))
                        tallies[c].total = Int32(block.customerMailboxes(i))
                        tallies[c].reseller = Int32(reseller)
                    }
                    tallies[c].affected += Int32(mailboxes)
                    if flat {
                        resellerVolumeFlat[reseller * volumeCount + v] += Int32(mailboxes)
                    } else {
                        resellerVolume[Int64(reseller) << 16 | Int64(v), default: 0] += mailboxes
                    }
                }
            }
        }

        // Each reseller's offline volumes, in volume order (`offline.volumes` is sorted): read
        // from the flat counts while classifying, or from the dictionary when there are too
        // many resellers for a flat array.
        var resellersPerVolume = [Int](repeating: 0, count: volumeCount)
        var volumesOf: [Int64: [(volume: VolumeID, mailboxes: Int)]] = [:]
        if !flat {
            for (key, n) in resellerVolume.sorted(by: { $0.key < $1.key }) {
                resellersPerVolume[Int(key & 0xFFFF)] += 1
                volumesOf[key >> 16, default: []].append((offline.volumes[Int(key & 0xFFFF)], n))
            }
        }
        func affectedVolumes(of row: Int64) -> [(volume: VolumeID, mailboxes: Int)] {
            guard flat else { return volumesOf[row] ?? [] }
            var list: [(volume: VolumeID, mailboxes: Int)] = []
            let base = Int(row) * volumeCount
            for v in 0..<volumeCount where resellerVolumeFlat[base + v] > 0 {
                resellersPerVolume[v] += 1
                list.append((offline.volumes[v], Int(resellerVolumeFlat[base + v])))
            }
            return list
        }

        // Touched customers grouped by reseller: a counting sort, linear in customers.
        var starts = [Int](repeating: 0, count: maxReseller + 2)
        for c in touched { starts[Int(tallies[Int(c)].reseller) + 1] += 1 }
        for r in 0...maxReseller { starts[r + 1] += starts[r] }
        var index = AffectedCustomerIndex()
        index.customerRows = [Int32](repeating: 0, count: touched.count)
        var fill = starts
        for c in touched {
            let r = Int(tallies[Int(c)].reseller)
            index.customerRows[fill[r]] = c
            fill[r] += 1
        }
        index.affected = index.customerRows.map { tallies[Int($0)].affected }
        index.totals = index.customerRows.map { tallies[Int($0)].total }
        index.starts = starts

        let impacts = resellers.map { r -> ResellerImpact in
            var full = 0, partial = 0, affectedHere = 0
            let range = index.range(of: r.row)
            guard !range.isEmpty else {
                return ResellerImpact(row: r.row, reseller: r.reseller, status: ImpactStatus(affected: 0, total: r.mailboxes),
                                      mailboxes: r.mailboxes, affectedMailboxes: 0, customers: r.customers,
                                      customersFull: 0, customersPartial: 0, affectedVolumes: [])
            }
            for i in range {
                affectedHere += Int(index.affected[i])
                if index.affected[i] == index.totals[i] { full += 1 } else { partial += 1 }
            }
            return ResellerImpact(
                row: r.row, reseller: r.reseller, status: ImpactStatus(affected: affectedHere, total: r.mailboxes),
                mailboxes: r.mailboxes, affectedMailboxes: affectedHere, customers: r.customers,
                customersFull: full, customersPartial: partial,
                affectedVolumes: affectedVolumes(of: r.row))
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
        logger.debug("analysis: \(touched.count) affected customers, \((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000) ms\(ProcessMemory.logSuffix)")
        return impact
    }

    /// A reseller's affected customers with their ids and names, sorted by id (UTF-8 bytes):
    /// read when a draft or a list needs them, one reseller at a time.
    public func affectedCustomers(of reseller: ResellerImpact, in impact: IncidentImpact) throws -> [CustomerImpact] {
        let range = impact.affectedCustomers.range(of: reseller.row)
        guard !range.isEmpty else { return [] }
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
