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
/// Rows come out in order: unattributed mailboxes first (their reseller id is empty), then
/// each affected reseller in id order (from the analysis), its mailboxes collected in one
/// scan of the mailbox index and sorted by customer id and address within the reseller.
/// Memory stays flat: when the affected resellers' mailboxes are more than about 260 000, the
/// scan's rows wait in temporary files in `$TMPDIR` (else /tmp), about 60 bytes a mailbox,
/// until their reseller's turn; one reseller's list is held whole (`AffectedMailboxLists`).
/// One reseller's export collects only that reseller's mailboxes.
public struct AffectedMailboxExport: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    /// The columns, in order; also the JSONL keys.
    public static let columns = ["address", "cluster", "volume", "domain", "customer_id", "customer_name", "reseller_id", "reseller_name"]

    public let store: ImpactStore
    public let offline: OfflineVolumeSet
    /// The analysis of `offline`.
    public let impact: IncidentImpact
    /// As in `ReportWriter`.
    var listGroupRows = AffectedMailboxLists.defaultGroupRows
    var temporaryDirectory: String?

    public init(store: ImpactStore, offline: OfflineVolumeSet, impact: IncidentImpact) {
        self.store = store
        self.offline = offline
        self.impact = impact
    }

    /// Calls `body` with every affected mailbox in export order: all of them, or one
    /// reseller's. One reseller's rows are contiguous.
    public func forEachRow(resellerID: String? = nil, _ body: (AffectedMailboxRow) throws -> Void) throws {
        try store.withSnapshot {
            if resellerID == nil {
                try store.forEachUnattributedMailbox(onVolumes: offline.volumeIDs, body)
            }
            let affected = impact.resellers.filter { $0.status != .none }
            // One reseller's export collects only its mailboxes: one group, nothing spilled.
            let only = resellerID.map { id in affected.firstIndex { $0.reseller.resellerID == id } ?? -1 }
            // A known reseller with nothing offline: no rows, and no index scan to find none.
            if only == -1 { return }
            let lists = try AffectedMailboxLists(store: store, offline: offline, impact: impact, only: only,
                                                 groupRows: listGroupRows, temporaryDirectory: temporaryDirectory)
            let analyzer = ImpactAnalyzer(store: store)
            for (i, r) in affected.enumerated() where resellerID == nil || r.reseller.resellerID == resellerID {
                let customers: [CustomerImpact] = try analyzer.affectedCustomers(of: r, in: impact)
                try lists.forEachRow(ofResellerAt: i, customers: customers, body)
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
