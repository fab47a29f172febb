import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore
import Logging

/// Writes the incident report: a draft and a mailbox list per affected reseller, and the
/// summary for the incident team.
///
/// ```
/// DIR/summary.md
/// DIR/summary.json
/// DIR/resellers/<file-id>.md
/// DIR/resellers/<file-id>-affected-mailboxes.csv
/// ```
public struct ReportWriter: Sendable {
    /// What goes into the drafts beyond the data.
    public struct Settings: Sendable {
        /// Signs the drafts.
        public var sender: String
        /// Expected restore time per volume, as free text (`today 14:00 UTC`).
        public var expectedBack: [VolumeID: String]
        /// File mode of written files; folders get the same read/write bits plus search.
        public var fileMode: mode_t

        public init(sender: String = "Your mail platform support team", expectedBack: [VolumeID: String] = [:], fileMode: mode_t = 0o600) {
            self.sender = sender
            self.expectedBack = expectedBack
            self.fileMode = fileMode
        }

        var directoryMode: mode_t {
            // Each class that may read a file may also list and enter its folder.
            var mode = fileMode | 0o300  // the owner can always write and enter
            if fileMode & 0o400 != 0 { mode |= 0o100 }
            if fileMode & 0o040 != 0 { mode |= 0o010 }
            if fileMode & 0o004 != 0 { mode |= 0o001 }
            return mode & 0o777
        }
    }

    /// What was written.
    public struct Outcome: Sendable, Equatable {
        public var drafts: Int
        public var removedStaleFiles: Int
    }

    public let store: ImpactStore
    public let templates: TemplateSet
    public let settings: Settings
    /// Mailboxes per group of resellers whose lists are held in memory at once
    /// (`AffectedMailboxLists`), and where bigger incidents spill (nil: `$TMPDIR`, else /tmp).
    var listGroupRows = AffectedMailboxLists.defaultGroupRows
    var temporaryDirectory: String?

    public init(store: ImpactStore, templates: TemplateSet, settings: Settings = Settings()) {
        self.store = store
        self.templates = templates
        self.settings = settings
    }

    /// Writes the report for `impact` into `directory` (created if missing). Files of an earlier
    /// report in `resellers/` that this one does not write again are removed, so a folder never
    /// holds a stale notice.
    /// - Throws: `ReportError(.io)`, `StoreError`.
    @discardableResult
    public func write(_ impact: IncidentImpact, offline: OfflineVolumeSet, to directory: String) throws -> Outcome {
        try store.withSnapshot { try writeInSnapshot(impact, offline: offline, to: directory) }
    }

    private func writeInSnapshot(_ impact: IncidentImpact, offline: OfflineVolumeSet, to directory: String) throws -> Outcome {
        let logger = Logger(label: "reseller-impact.report")
        var clock = DispatchTime.now()
        func phase(_ name: String) {
            let now = DispatchTime.now()
            logger.debug("\(name): \((now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1_000_000) ms\(ProcessMemory.logSuffix)")
            clock = now
        }
        let resellersDirectory = directory + "/resellers"
        try makeOutputDirectory(directory, mode: settings.directoryMode)
        try makeOutputDirectory(resellersDirectory, mode: settings.directoryMode)

        let affected = impact.resellers.filter { $0.status != .none }
        var fileIDs: [String: String] = [:]
        for reseller in affected { fileIDs[reseller.reseller.resellerID] = FileID.make(for: reseller.reseller.resellerID) }
        var written: Set<String> = []

        try writeDraftsAndLists(affected, of: impact, offline: offline, fileIDs: fileIDs, in: resellersDirectory, phase: phase)
        for reseller in affected {
            let id = fileIDs[reseller.reseller.resellerID]!
            written.insert("\(id).md")
            written.insert("\(id)-affected-mailboxes.csv")
        }
        phase("\(affected.count) drafts and mailbox lists")

        let unattributed = try store.unattributedMailboxes(offline: offline.volumeIDs)
        try OutputFile.write(templates.render("summary", summaryValues(impact, fileIDs: fileIDs, unattributed: unattributed)),
                             to: directory + "/summary.md", mode: settings.fileMode)
        try OutputFile.write(ImpactDocument(impact).json(), to: directory + "/summary.json", mode: settings.fileMode)

        phase("summary")
        let removed = try removeStaleFiles(in: resellersDirectory, keeping: written)
        return Outcome(drafts: affected.count, removedStaleFiles: removed)
    }

    /// The drafts and mailbox lists of the affected resellers. The lists (their memory and
    /// temporary files) are gone when this returns, before the summary is made.
    private func writeDraftsAndLists(_ affected: [ResellerImpact], of impact: IncidentImpact, offline: OfflineVolumeSet,
                                     fileIDs: [String: String], in resellersDirectory: String,
                                     phase: (String) -> Void) throws {
        // In batches of resellers: read each one's customers (one database connection, so in
        // turn) and write its mailbox list; then render and write the batch's drafts on every
        // core. Memory holds one batch's customers; thousands of drafts cost seconds of
        // Mustache work, which this divides by the core count.
        let allLists = try AffectedMailboxLists(store: store, offline: offline, impact: impact,
                                                groupRows: listGroupRows, temporaryDirectory: temporaryDirectory)
        phase("mailboxes collected")
        let analyzer = ImpactAnalyzer(store: store)
        let batch = 128
        for start in stride(from: 0, to: affected.count, by: batch) {
            let part = Array(affected[start..<min(affected.count, start + batch)])
            var customers: [[CustomerImpact]] = []
            // Lists are committed only once the batch's drafts are written: a reseller never
            // gets a list without its draft, even when the disk fills up in between.
            var pendingLists: [OutputFile] = []
            for (offset, reseller) in part.enumerated() {
                let own = try analyzer.affectedCustomers(of: reseller, in: impact)
                customers.append(own)
                // Each list goes straight into its file (64 KiB at a time), never a whole
                // list in memory: the largest reseller's has hundreds of thousands of rows.
                let id = fileIDs[reseller.reseller.resellerID]!
                let file = try OutputFile(path: "\(resellersDirectory)/\(id)-affected-mailboxes.csv", mode: settings.fileMode)
                try file.write(CSVOutput.row(AffectedMailboxExport.columns))
                try allLists.writeCSV(ofResellerAt: start + offset, customers: own) { try file.write(bytes: $0) }
                pendingLists.append(file)
            }
            let batchCustomers: [[CustomerImpact]] = customers
            let ids: [String: String] = fileIDs
            // Rendered on every core, written from this thread: files created side by side
            // in one folder by several threads spent their time waiting on the folder's lock.
            let drafts = DraftSlots(count: part.count)
            DispatchQueue.concurrentPerform(iterations: part.count) { i in
                let reseller = part[i]
                let id = ids[reseller.reseller.resellerID]!
                drafts.set(i, templates.render("draft", language: reseller.reseller.language,
                                               draftValues(reseller, customers: batchCustomers[i], fileID: id)))
            }
            for (i, reseller) in part.enumerated() {
                let id = fileIDs[reseller.reseller.resellerID]!
                try OutputFile.write(drafts.take(i), to: "\(resellersDirectory)/\(id).md", mode: settings.fileMode)
            }
            for file in pendingLists { try file.commit() }
        }
    }

    /// The drafts of a batch, filled in by the rendering threads (each its own slot).
    private final class DraftSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String?]
        init(count: Int) { texts = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ text: String) { lock.withLock { texts[i] = text } }
        func take(_ i: Int) -> String { lock.withLock { defer { texts[i] = nil }; return texts[i] ?? "" } }
    }

    private func removeStaleFiles(in directory: String, keeping written: Set<String>) throws -> Int {
        var removed = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // Drafts and lists of an earlier report, and temporary files a killed run left behind.
        let ours = { (name: String) in
            name.hasSuffix(".md") || name.hasSuffix("-affected-mailboxes.csv") || name.contains(".partial-")
        }
        for name in names where !written.contains(name) && ours(name) {
            var info = stat()
            let path = directory + "/" + name
            // Only regular files that a report could have written; anything else is left alone.
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    // MARK: Template values

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0 %" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10) %"
    }

    func draftValues(_ r: ResellerImpact, customers: [CustomerImpact], fileID: String) -> [String: Any] {
        let affectedCustomers = customers.sorted { a, b in
            if a.status != b.status { return a.status == .full }
            return String.byteOrder(a.customerID, b.customerID)
        }
        let volumes = r.affectedVolumes.enumerated().map { index, v -> [String: Any] in
            var values: [String: Any] = ["volume": v.volume.description, "mailboxes": v.mailboxes,
                                         "separator": index == r.affectedVolumes.count - 1 ? "" : ", "]
            if let eta = settings.expectedBack[v.volume] { values["expected_back"] = eta }
            return values
        }
        let etas = r.affectedVolumes.compactMap { settings.expectedBack[$0.volume] }
        let subject = r.status == .full
            ? (r.mailboxes == 1 ? "Mail service incident: your mailbox is offline"
                                : "Mail service incident: all \(r.mailboxes) of your mailboxes are offline")
            : "Mail service incident: \(r.affectedMailboxes) of your \(r.mailboxes) mailboxes are offline"
        let customersFullText: String = switch r.customersFull {
        case 0: "none of them has every mailbox offline"
        case 1: "1 of them has every mailbox offline"
        default: "\(r.customersFull) of them have every mailbox offline"
        }
        var values: [String: Any] = [
            "reseller_id": r.reseller.resellerID,
            "name": r.reseller.name,
            "contact_email": r.reseller.contactEmail,
            "greeting": r.reseller.contactName ?? "\(r.reseller.name) team",
            "language": r.reseller.language,
            "subject": subject,
            "customers_full_text": customersFullText,
            "full": r.status == .full,
            "one_mailbox": r.mailboxes == 1,
            "partial": r.status == .partial,
            "mailboxes": r.mailboxes,
            "affected_mailboxes": r.affectedMailboxes,
            "affected_percent": Self.percent(r.affectedMailboxes, of: r.mailboxes),
            "customers": r.customers,
            "affected_customers": affectedCustomers.count,
            "customers_full": r.customersFull,
            "customers_partial": r.customersPartial,
            "volumes": volumes,
            // The table's rows made here, escaped: a big reseller has tens of thousands, and
            // Mustache's per-row lookups would cost most of a report's time. A template that
            // wants its own row format gets the list as `affected_customer_rows`.
            "affected_customer_table_rows": affectedCustomers.map { c in
                "| \(Markdown.escape(c.name)) | \(Markdown.escape(c.customerID)) | \(c.affectedMailboxes) of \(c.mailboxes) | \(Self.statusText(c.status)) |"
            }.joined(separator: "\n"),
            "csv_file": "\(fileID)-affected-mailboxes.csv",
            "file_id": fileID,
            "sender": settings.sender,
        ]
        if templates.uses("affected_customer_rows", in: "draft", language: r.reseller.language) {
            values["affected_customer_rows"] = affectedCustomers.map { c -> [String: Any] in
                ["name": c.name, "customer_id": c.customerID, "mailboxes": c.mailboxes,
                 "affected_mailboxes": c.affectedMailboxes, "status_text": Self.statusText(c.status)]
            }
        }
        if let name = r.reseller.contactName { values["contact_name"] = name }
        // Mustache tests a number for truth by type, not value: leave the key out for none.
        if r.customers > affectedCustomers.count { values["unaffected_customers"] = r.customers - affectedCustomers.count }
        if etas.count == r.affectedVolumes.count, !etas.isEmpty {
            values["expected_back_note"] = etas.count == 1
                ? "We expect the volume back \(etas[0])."
                : "We expect the volumes back as listed above."
        }
        return values
    }

    static func statusText(_ status: ImpactStatus) -> String {
        status == .full ? "all mailboxes offline" : "partly offline"
    }

    func summaryValues(_ impact: IncidentImpact, fileIDs: [String: String], unattributed: [UnattributedMailbox]) -> [String: Any] {
        func row(_ r: ResellerImpact) -> [String: Any] {
            ["name": r.reseller.name, "reseller_id": r.reseller.resellerID, "mailboxes": r.mailboxes,
             "affected_mailboxes": r.affectedMailboxes, "customers": r.customers,
             "affected_customers": r.affectedCustomerCount,
             "file_id": fileIDs[r.reseller.resellerID] ?? ""]
        }
        let byUrgency = impact.affectedResellersByUrgency
        let problems = impact.problems
        let rejects = problems.rejectsByEntity.sorted { $0.key < $1.key }.map { "\($0.value) \(Entity(rawValue: $0.key)?.plural ?? $0.key)" }
        return [
            "offline_count": impact.offlineVolumes.count,
            "one_volume": impact.offlineVolumes.count == 1,
            "offline_volumes": impact.offlineVolumes.enumerated().map { i, v in
                ["volume": v.description, "separator": i == impact.offlineVolumes.count - 1 ? "" : ", "] as [String: Any]
            },
            "mailboxes": impact.mailboxes,
            "affected_mailboxes": impact.affectedMailboxes,
            "affected_percent": Self.percent(impact.affectedMailboxes, of: impact.mailboxes),
            "resellers_full": impact.resellersFull,
            "resellers_partial": impact.resellersPartial,
            "resellers_none": impact.resellersNone,
            "unattributed_mailboxes": impact.unattributedMailboxes,
            "unattributed_affected_mailboxes": impact.unattributedAffectedMailboxes,
            "volumes": impact.volumes.map { ["volume": $0.volume.description, "mailboxes": $0.mailboxes, "resellers": $0.resellers] as [String: Any] },
            "full_resellers": byUrgency.filter { $0.status == .full }.map(row),
            "partial_resellers": byUrgency.filter { $0.status == .partial }.map(row),
            "has_full": impact.resellersFull > 0,
            "has_partial": impact.resellersPartial > 0,
            "has_unattributed": !unattributed.isEmpty,
            "unattributed_rows": unattributed.map { u -> [String: Any] in
                ["address": u.address, "volume": u.volume.description, "offline": u.offline ? "yes" : "no", "reason": u.reason]
            },
            "rejects": problems.rejects,
            "rejects_by_entity": rejects.isEmpty ? [] : [["text": rejects.joined(separator: ", ")]],
            "customers_with_unknown_reseller": problems.customersWithUnknownReseller,
            "domains_with_unknown_customer": problems.domainsWithUnknownCustomer,
            "mailboxes_with_unknown_domain": problems.mailboxesWithUnknownDomain,
        ]
    }
}
