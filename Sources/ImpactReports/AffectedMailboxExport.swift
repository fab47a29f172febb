import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore

/// The affected-mailbox list for other tools: every mailbox on an offline volume, with its
/// domain, customer and reseller, sorted by reseller id, customer id and address.
///
/// ```swift
/// let export = AffectedMailboxExport(store: store, offline: offline)
/// try export.write(to: "affected.csv", format: .csv)
/// ```
public struct AffectedMailboxExport: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    /// The columns, in order; also the JSONL keys.
    public static let columns = ["address", "cluster", "volume", "domain", "customer_id", "customer_name", "reseller_id", "reseller_name"]

    public let store: ImpactStore
    public let offline: OfflineVolumeSet

    public init(store: ImpactStore, offline: OfflineVolumeSet) {
        self.store = store
        self.offline = offline
    }

    /// Writes the list (all mailboxes, or one reseller's) to `path`, streaming.
    /// - Returns: the number of mailboxes written.
    /// - Throws: `ReportError(.usage)` for an unknown reseller, `ReportError(.io)`, `StoreError`.
    @discardableResult
    public func write(to path: String, format: Format, resellerID: String? = nil, mode: mode_t = 0o600) throws -> Int {
        if let resellerID, try !store.resellers().contains(where: { $0.resellerID == resellerID }) {
            throw ReportError(.usage, "unknown reseller '\(resellerID)'")
        }
        let file = try OutputFile(path: path, mode: mode)
        if format == .csv { try file.write(CSVOutput.row(Self.columns)) }
        var count = 0
        try store.forEachAffectedMailbox(offline: offline.volumeIDs, resellerID: resellerID) { row in
            try file.write(Self.render(row, format: format))
            count += 1
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
