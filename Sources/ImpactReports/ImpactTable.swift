import ImpactAnalysis
import ImpactModel

/// The `analyze` answer for people: totals, then the affected resellers, fully hit first,
/// then partially, biggest first, in aligned columns.
public enum ImpactTable {
    public static func render(_ impact: IncidentImpact) -> String {
        var out = "Offline: \(impact.offlineVolumes.map(\.description).joined(separator: ", "))\n"
        out += "Mailboxes offline: \(impact.affectedMailboxes) of \(impact.mailboxes) (\(ReportWriter.percent(impact.affectedMailboxes, of: impact.mailboxes)))\n"
        out += "Resellers: \(impact.resellersFull) fully affected, \(impact.resellersPartial) partially, \(impact.resellersNone) not affected\n"
        if impact.unattributedMailboxes > 0 {
            out += "Unattributed mailboxes (reach no reseller): \(impact.unattributedAffectedMailboxes) offline of \(impact.unattributedMailboxes)\n"
        }
        let affected = impact.affectedResellersByUrgency
        guard !affected.isEmpty else { return out + "\nNo reseller is affected.\n" }
        let header = ["STATUS", "RESELLER", "NAME", "OFFLINE", "MAILBOXES", "CUSTOMERS HIT"]
        let rows = affected.map { r in
            [r.status.rawValue, r.reseller.resellerID, sanitize(r.reseller.name), String(r.affectedMailboxes), String(r.mailboxes),
             "\(r.affectedCustomerCount) of \(r.customers)"]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        let numeric: Set<Int> = [3, 4]
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        out += "\n" + line(header)
        for row in rows { out += line(row) }
        return out
    }

    /// Names come from exports: no control character may reach the terminal.
    static func sanitize(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
