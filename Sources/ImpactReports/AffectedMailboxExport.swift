import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore

/// The affected-mailbox list for other tools: every mailbox on an offline volume, with its
/// domain, customer and reseller, sorted by reseller id, customer id and address.
///
/// ```swift
/// let impact = try ImpactAnalyzer(store: store).analyze(offline)
/// let export = AffectedMailboxExport(store: store, offline: offline, impact: impact)
/// try export.write(to: "affected.csv", format: .csv)
/// ```
/// Rows are produced in order without sorting them all: unattributed mailboxes first (their
/// reseller id is empty), then each affected reseller in id order, each of its affected
/// customers in id order (both from the analysis), each customer's mailboxes sorted by
/// address. Work and memory grow with one customer's mailboxes at a time.
public struct AffectedMailboxExport: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    /// The columns, in order; also the JSONL keys.
    public static let columns = ["address", "cluster", "volume", "domain", "customer_id", "customer_name", "reseller_id", "reseller_name"]

    public let store: ImpactStore
    public let offline: OfflineVolumeSet
    /// The analysis of `offline`.
    public let impact: IncidentImpact

    public init(store: ImpactStore, offline: OfflineVolumeSet, impact: IncidentImpact) {
        self.store = store
        self.offline = offline
        self.impact = impact
    }

    /// Calls `body` with every affected mailbox in export order: all of them, or one
    /// reseller's. One reseller's rows are contiguous.
    public func forEachRow(resellerID: String? = nil, _ body: (AffectedMailboxRow) throws -> Void) throws {
        if resellerID == nil {
            try store.forEachUnattributedMailbox(onVolumes: offline.volumeIDs, body)
        }
        for r in impact.resellers where r.status != .none && (resellerID == nil || r.reseller.resellerID == resellerID) {
            try forEachRow(of: r, body)
        }
    }

    /// One affected reseller's rows, in export order.
    public func forEachRow(of r: ResellerImpact, _ body: (AffectedMailboxRow) throws -> Void) throws {
        let volumes = Dictionary(uniqueKeysWithValues: zip(offline.volumeIDs, offline.volumes))
        let customers = try ImpactAnalyzer(store: store).affectedCustomers(of: r, in: impact)
        try store.withCustomerMailboxes(onVolumes: offline.volumeIDs) { mailboxes in
            for c in customers {
                for m in try mailboxes(c.customerID) {
                    let volume = volumes[m.volumeID]!
                    try body(AffectedMailboxRow(address: m.address, cluster: volume.cluster, volume: volume.volume,
                                                domain: m.domain, customerID: c.customerID, customerName: c.name,
                                                resellerID: r.reseller.resellerID, resellerName: r.reseller.name))
                }
            }
        }
    }

    /// Writes the list (all mailboxes, or one reseller's) to `path`, streaming.
    /// - Returns: the number of mailboxes written.
    /// - Throws: `ReportError(.usage)` for an unknown reseller, `ReportError(.io)`, `StoreError`.
    @discardableResult
    public func write(to path: String, format: Format, resellerID: String? = nil, mode: mode_t = 0o600) throws -> Int {
        if let resellerID, !impact.resellers.contains(where: { $0.reseller.resellerID == resellerID }) {
            throw ReportError(.usage, "unknown reseller '\(resellerID)'")
        }
        let file = try OutputFile(path: path, mode: mode)
        if format == .csv { try file.write(CSVOutput.row(Self.columns)) }
        var count = 0
        try store.withSnapshot {
            try forEachRow(resellerID: resellerID) { row in
                try file.write(Self.render(row, format: format))
                count += 1
            }
        }
        try file.commit()
        return count
    }

    /// The cells of a row: linked values, empty where the linked record does not exist.
    static func cells(_ row: AffectedMailboxRow) -> [String] {
        [row.address, row.cluster, row.volume, row.domain ?? "", row.customerID ?? "", row.customerName ?? "",
         row.resellerID ?? "", row.resellerName ?? ""]
    }

    static func render(_ row: AffectedMailboxRow, format: Format) -> String {
        switch format {
        case .csv:
            return CSVOutput.row(cells(row))
        case .jsonl:
            let pairs = zip(columns, cells(row)).map { "\(JSONText.string($0)):\(JSONText.string($1))" }
            return "{" + pairs.joined(separator: ",") + "}\n"
        }
    }
}
