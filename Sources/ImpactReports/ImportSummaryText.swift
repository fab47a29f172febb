import ImpactImport
import ImpactModel
import ImpactStore

/// The summary printed at the end of an import, for the person or the cron mail that reads it.
public enum ImportSummaryText {
    public static func render(_ summary: ImportSummary, database: String, skipped: [(path: String, reason: String)] = []) -> String {
        var out = "Imported \(summary.files.count) \(summary.files.count == 1 ? "file" : "files") into \(database):\n"
        let pathWidth = summary.files.map { clean($0.path).count }.max() ?? 0
        for file in summary.files {
            let entities = file.entities.map(\.plural).joined(separator: ", ")
            out += "  \(pad(clean(file.path), pathWidth))  \(file.read) read, \(file.imported) imported, \(file.rejected) rejected  (\(entities))\n"

        }
        for skip in skipped {
            out += "  skipped \(clean(skip.path)): \(skip.reason)\n"
        }
        if !summary.replaced.isEmpty {
            out += "Now stored: " + summary.replaced.map { "\($0.entity.count($0.after)) (before: \($0.before))" }.joined(separator: ", ") + "\n"
        }
        for emptied in summary.emptiedClusters {
            out += "Warning: cluster \(clean(emptied.cluster)) had \(Entity.mailbox.count(emptied.mailboxesBefore)) and has none now. "
            out += "Every mailbox import replaces all mailboxes: import all clusters' mailbox exports together.\n"
        }
        if summary.rejected > 0 {
            out += "Rejected rows: \(summary.rejected)"
            out += summary.rejected > summary.firstRejects.count ? " (the first \(summary.firstRejects.count) below; all of them with 'reseller-impact rejects')\n" : "\n"
            for reject in summary.firstRejects {
                out += "  \(clean(reject.file)):\(reject.line):\(reject.column): \(reject.entity?.rawValue ?? "row"): \(clean(reject.reason))\n"
                out += "      \(clean(String(reject.raw.prefix(120))))\n"
            }
        } else {
            out += "Rejected rows: none\n"
        }
        let p = summary.problems
        out += "Broken links, kept and flagged: \(Entity.customer.count(p.customersWithUnknownReseller)) with an unknown reseller, "
        out += "\(Entity.domain.count(p.domainsWithUnknownCustomer)) with an unknown customer, \(Entity.mailbox.count(p.mailboxesWithUnknownDomain)) whose domain belongs to no customer\n"
        out += "Unattributed mailboxes (they reach no reseller): \(p.unattributedMailboxes)\n"
        return out
    }

    /// Text from exports printed to a terminal: control characters become visible escapes.
    public static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += scalar == "\n" ? "\\n" : scalar == "\r" ? "\\r" : scalar == "\t" ? "\\t" : "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
