import Foundation
import GRDB
import GRDBSQLite
import ImpactImport
import ImpactModel
import Logging

/// How an import may change the database.
public struct ImportOptions: Sendable {
    /// Every rejected row (duplicates included) aborts the import.
    public var strict: Bool
    /// Allow an entity to end with fewer than half the rows it has now.
    public var allowShrink: Bool
    /// Bytes of new mailbox keys kept in memory for the exposure build (tests make it small
    /// to take the other way, reading the index).
    var mailboxKeyBytes = MailboxKeySorter.defaultCapacity

    public init(strict: Bool = false, allowShrink: Bool = false) {
        self.strict = strict
        self.allowShrink = allowShrink
    }
}

extension ImpactStore {
    /// Runs one import as one transaction: `body` feeds rows into the sink it is given; then
    /// duplicates are resolved (first accepted wins), the entities present are replaced, and
    /// the summary is computed. Any error rolls everything back.
    ///
    /// ```swift
    /// let summary = try store.importExports(options: ImportOptions()) { sink in
    ///     try Importer(files: files, strict: false).run(into: sink)
    /// }
    /// ```
    /// - Throws: whatever `body` throws, `ImportError(.badData)` for a duplicate under
    ///   `strict`, `StoreError(.refusedData)` for a shrinking export, `StoreError` for SQLite.
    public func importExports(options: ImportOptions, _ body: (any ImportSink) throws -> Void) throws -> ImportSummary {
        do {
            var summary: ImportSummary?
            try queue.writeWithoutTransaction { db in
                // WAL keeps the old data intact until the commit, whatever happens to the
                // process. Index builds sort with a second thread where the machine has one.
                // The page cache is small on purpose: each sort thread fills runs as large as
                // the cache, and runs of 4 MB sort faster than runs of 16 MB (they stay in the
                // CPU's cache, and the sort writes no more for it). Against 16 MB: a 10M
                // import 19.2 s instead of 19.9 s, 1M 1.83 s instead of 1.90 s (medians), a 10M
                // re-import 27.0 s instead of 27.4-31.0 s, 5 % fewer bytes written, and 40 MB
                // less peak memory at 1M (docs/PERFORMANCE.md, session 7). Appending rows
                // needs only the table's last pages.
                try db.execute(sql: "PRAGMA threads = \(min(4, ProcessInfo.processInfo.activeProcessorCount))")
                // Set back afterwards: reads on this connection (`run` reports after its
                // import) keep their own, larger cache.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -32768
                try db.execute(sql: "PRAGMA cache_size = -4096")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                // The first import into a new database writes it once instead of twice: in
                // WAL mode every page goes to the log and then again into the file (half the
                // I/O of a 10M-mailbox import). With a rollback journal, pages beyond the
                // file's end (all of them, in a new database) are not journaled, and a failed
                // or killed import still rolls back to the empty database. Readers wait while
                // it runs; there is nothing to read yet. Back to WAL afterwards, so that later
                // imports never block a reader. Leaving WAL needs the file to itself: with any
                // other connection open SQLite refuses at once (SQLITE_BUSY), and the import
                // then runs in WAL like any other.
                let firstImport = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM import_run)")!
                    && (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
                defer { if firstImport { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
                var committing = DispatchTime.now()
                // A re-import reuses the pages its old tables leave free, and SQLite copies a
                // page into the statement journal before a statement that may need undoing
                // changes it (a temporary file once one statement has spilled it). Two kinds
                // of statements made that most of a 10M re-import's 8.8 GB of writes:
                // - Debian builds SQLite with SECURE_DELETE: dropping the old tables wrote
                //   every freed page as zeros (2 GB at 10M), journaled, logged and
                //   checkpointed. FAST zeroes deleted content only in pages written anyway;
                //   the old snapshot's free pages are overwritten as this import reuses them
                //   (docs/SECURITY.md).
                // - The bulk INSERTs, which may abort on a NOT NULL or foreign-key failure
                //   halfway through their rows. `INSERT OR FAIL` and foreign keys off for the
                //   import need no undo of part of a statement: the importer binds no NULL
                //   where one is refused and only volume ids it has just read or inserted,
                //   and any failure rolls the whole import back.
                // Both are settings of this connection, set back afterwards; foreign keys
                // can only change outside a transaction.
                let secureDelete = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
                try db.execute(sql: "PRAGMA secure_delete = FAST")
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer {
                    try? db.execute(sql: "PRAGMA foreign_keys = ON")
                    try? db.execute(sql: "PRAGMA secure_delete = \(secureDelete)")
                }
                try db.inTransaction(.immediate) {
                    let session = try ImportSession(db: db, options: options)
                    // The insert thread must be gone before the transaction ends either way.
                    defer { session.stopPipeline() }
                    try body(session)
                    summary = try session.finish()
                    committing = DispatchTime.now()
                    return .commit
                }
                let ms = (DispatchTime.now().uptimeNanoseconds - committing.uptimeNanoseconds) / 1_000_000
                Logger(label: "reseller-impact.import").debug("commit: \(ms) ms")
            }
            return summary!
        } catch let error as ImportError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: path, doing: "importing")
        }
    }
}

/// The sink of one import, alive inside its transaction.
final class ImportSession: ImportSink {
    let db: Database
    /// Phase timings at debug level (`RESELLER_IMPACT_LOG=debug`), for performance work.
    let logger = Logger(label: "reseller-impact.import")
    private var phaseStart = DispatchTime.now()
    let options: ImportOptions
    let runID: Int64
    private var present: Set<Entity> = []
    /// Rows of each replaced entity before this import (their table is dropped when the
    /// entity's first file begins).
    private var rowsBefore: [Entity: Int] = [:]
    private var fileIDs: [Int: Int64] = [:]   // ImportFile.index → source_file.id
    private var files: [ImportFile] = []
    private var fileEntities: [Int: [Entity]] = [:]
    private var counts: [Int64: (read: Int, accepted: Int, rejected: Int)] = [:]
    private var inserts: [Entity: [Statement]] = [:]
    /// The insert statements as the pipeline knows them.
    private var pipelineIDs: [Entity: Int32] = [:]
    private var mailboxInsert: Int32 = -1
    /// Mailbox rows inserted: the count before duplicates, without reading the table.
    private var mailboxRows = 0
    private let insertReject: Statement
    private var volumeIDs: [VolumeID: Int64] = [:]
    private let insertVolume: Statement
    /// Entity rows are inserted on a second thread.
    private let pipeline: InsertPipeline
    /// The new mailboxes' keys, for the exposure build (when mailboxes are replaced).
    private var mailboxKeys: MailboxKeySorter?

    init(db: Database, options: ImportOptions) throws {
        self.db = db
        self.options = options
        try db.execute(sql: "INSERT INTO import_run (entities, strict, allow_shrink) VALUES ('', ?, ?)",
                       arguments: [options.strict, options.allowShrink])
        runID = db.lastInsertedRowID
        insertReject = try db.makeStatement(sql: """
            INSERT INTO reject (import_run_id, entity, file, line, col, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertVolume = try db.makeStatement(sql: "INSERT INTO volume (cluster, volume) VALUES (?, ?)")
        pipeline = InsertPipeline(connection: db.sqliteConnection!)
        for row in try Row.fetchAll(db, sql: "SELECT id, cluster, volume FROM volume") {
            volumeIDs[VolumeID(cluster: row["cluster"], volume: row["volume"])] = row["id"]
        }
        for entity in Entity.allCases {
            try db.execute(sql: "DROP TABLE IF EXISTS incoming_\(entity.rawValue)")
        }
    }

    // MARK: ImportSink

    func beginFile(_ file: ImportFile, entities: Set<Entity>) throws {
        try pipeline.drain()
        try db.execute(sql: "INSERT INTO source_file (import_run_id, path, format, entities) VALUES (?, ?, ?, ?)",
                       arguments: [runID, file.path, file.format.rawValue, entities.sorted().map(\.plural).joined(separator: ",")])
        let id = db.lastInsertedRowID
        fileIDs[file.index] = id
        files.append(file)
        fileEntities[file.index] = entities.sorted()
        counts[id] = (0, 0, 0)
        for entity in entities where !present.contains(entity) {
            present.insert(entity)
            // The rows this import replaces go now, before the new ones arrive: dropping a
            // table reads every page of it, and late in a big import each of those reads
            // searched the whole write-ahead log (17 s of a 10M re-import). Other connections
            // still see them until the commit; a failed import brings them back.
            let table = Schema.storageTable(entity)
            rowsBefore[entity] = entity == .mailbox
                ? try Int.fetchOne(db, sql: "SELECT coalesce(sum(mailboxes), 0) FROM volume_total")!
                : try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")!
            // The view over the mailbox table goes with it (and comes back in `finish`): a
            // view naming a missing table would make every later RENAME fail.
            if entity == .mailbox { try db.execute(sql: "DROP VIEW IF EXISTS mailbox") }
            try db.execute(sql: "DROP TABLE \(table)")
            try db.execute(sql: Schema.createTable(entity, named: "incoming_\(entity.rawValue)"))
            let single = try db.makeStatement(sql: insertSQL(entity, rows: 1))
            let many = try db.makeStatement(sql: insertSQL(entity, rows: InsertPipeline.rowsPerStep))
            inserts[entity] = [single, many]
            pipelineIDs[entity] = pipeline.register(single: single, many: many)
            if entity == .mailbox {
                mailboxInsert = pipelineIDs[entity]!
                mailboxKeys = MailboxKeySorter(capacity: options.mailboxKeyBytes)
            }
        }
    }

    /// The file rows are coming from, and how many of its rows were accepted since its counts
    /// were last brought up to date (a dictionary update per row showed in profiles).
    private var acceptingFile: (index: Int, id: Int64) = (-1, 0)
    private var acceptedSinceCount = 0

    private func accepting(_ file: ImportFile) -> Int64 {
        if file.index != acceptingFile.index {
            countAccepted()
            acceptingFile = (file.index, fileIDs[file.index]!)
        }
        acceptedSinceCount += 1
        return acceptingFile.id
    }

    private func countAccepted() {
        guard acceptedSinceCount > 0 else { return }
        counts[acceptingFile.id]!.read += acceptedSinceCount
        counts[acceptingFile.id]!.accepted += acceptedSinceCount
        acceptedSinceCount = 0
    }

    func accept(_ record: AcceptedRecord, file: ImportFile, line: Int, column: Int) throws {
        let fileID = accepting(file)
        switch record {
        case .reseller(let r):
            try insertRow(.reseller, [r.resellerID, r.name, r.contactEmail, r.contactName, r.language], fileID, line, column)
        case .customer(let c):
            try insertRow(.customer, [c.customerID, c.resellerID, c.name, c.contactEmail], fileID, line, column)
        case .domain(let d):
            try insertRow(.domain, [d.domain, d.customerID], fileID, line, column)
        case .mailbox(let m):
            var address = m.address
            let domainStart = address.utf8.count - m.domain.utf8.count
            try address.withUTF8 { bytes in
                try insertMailbox(MailboxBytes(address: UnsafeRawBufferPointer(bytes), domainStart: domainStart,
                                               cluster: m.cluster, volume: m.volume, sizeMB: m.sizeMB),
                                  fileID: fileID, line: line, column: column)
            }
        }
    }

    func acceptRow(_ row: EntityRowBytes, file: ImportFile, line: Int, column: Int) throws {
        let fileID = accepting(file)
        try pipeline.addRow(pipelineIDs[row.entity]!, fields: row.fields, fileID, line, column)
    }

    func acceptMailbox(_ mailbox: MailboxBytes, file: ImportFile, line: Int, column: Int) throws {
        let fileID = accepting(file)
        try insertMailbox(mailbox, fileID: fileID, line: line, column: column)
    }

    private var lastVolume: (cluster: String, volume: String, id: Int64)?

    private func volumeID(cluster: String, volume: String) throws -> Int64 {
        // Exports are mostly grouped by volume: the last one answers most rows.
        if let last = lastVolume, last.cluster == cluster, last.volume == volume { return last.id }
        let key = VolumeID(cluster: cluster, volume: volume)
        let id: Int64
        if let known = volumeIDs[key] {
            id = known
        } else {
            try pipeline.drain()
            try insertVolume.execute(arguments: [cluster, volume])
            id = db.lastInsertedRowID
            volumeIDs[key] = id
        }
        lastVolume = (cluster, volume, id)
        return id
    }

    /// Rejects wait here and are written a thousand at a time: each write needs the insert
    /// thread idle, and a file with a bad row in every thousand must not stall it that often.
    private var pendingRejects: [RejectedRow] = []

    func reject(_ row: RejectedRow) throws {
        if let id = fileIDs[files.last?.index ?? -1] {
            counts[id]!.read += 1
            counts[id]!.rejected += 1
        }
        pendingRejects.append(row)
        if pendingRejects.count >= 1000 { try writeRejects() }
    }

    private func writeRejects() throws {
        guard !pendingRejects.isEmpty else { return }
        try pipeline.drain()
        for row in pendingRejects {
            try insertReject.execute(arguments: [runID, row.entity?.rawValue, row.file, row.line, row.column, row.reason, row.raw])
        }
        pendingRejects.removeAll(keepingCapacity: true)
    }

    func endFile(_ file: ImportFile) throws {
        countAccepted()
        try writeRejects()
    }

    // MARK: Bulk insert

    /// The INSERT of `rows` rows of an entity's incoming table: its fields in the export's
    /// order (the order rows are queued in; a mailbox's address split in two, its volume an
    /// id), then where the row was read.
    private func insertSQL(_ entity: Entity, rows: Int) -> String {
        let fields = entity == .mailbox ? ["local", "domain", "volume_id", "size_mb"] : entity.fields
        let columns = fields + ["source_file_id", "line", "col"]
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT OR FAIL INTO incoming_\(entity.rawValue) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Resellers, customers and domains: text columns (NULL for nil), then file, line and
    /// column, queued for the insert thread.
    private func insertRow(_ entity: Entity, _ texts: [String?], _ fileID: Int64, _ line: Int, _ column: Int) throws {
        try pipeline.addRow(pipelineIDs[entity]!, texts: texts, fileID, line, column)
    }

    /// The one hot loop: the row is queued for the insert thread, which binds it through the
    /// raw statement handle (a third of GRDB's argument path per row, DECISIONS.md).
    private func insertMailbox(_ m: MailboxBytes, fileID: Int64, line: Int, column: Int) throws {
        let volumeID = try volumeID(cluster: m.cluster, volume: m.volume)
        try pipeline.addMailbox(mailboxInsert, address: m.address, domainStart: m.domainStart, volumeID: volumeID,
                                sizeMB: m.sizeMB, fileID, line, column)
        mailboxRows += 1
        // Its row id: the incoming table is new, and its rows go in in this order.
        mailboxKeys!.add(domain: UnsafeRawBufferPointer(rebasing: m.address[m.domainStart...]),
                         local: UnsafeRawBufferPointer(rebasing: m.address[..<(m.domainStart - 1)]),
                         id: Int64(mailboxRows), volume: Int32(volumeID))
    }

    /// Ends the insert thread; queued rows are dropped (`finish` drains them first).
    func stopPipeline() {
        pipeline.stop()
    }

    // MARK: Finish

    /// Resolves duplicates, applies the shrink guard, swaps the incoming tables in and
    /// refreshes the pre-aggregated counts.
    /// Logs how long the phase that ends now took.
    private func phase(_ name: String) {
        let now = DispatchTime.now()
        let ms = Double(now.uptimeNanoseconds - phaseStart.uptimeNanoseconds) / 1e6
        logger.debug("\(name): \(Int(ms)) ms\(ProcessMemory.logSuffix)")
        phaseStart = now
    }

    func finish() throws -> ImportSummary {
        countAccepted()
        try writeRejects()
        try pipeline.drain()
        pipeline.stop()
        // The new mailboxes' keys are sorted on the side while the indexes are built.
        mailboxKeys?.seal()
        phase("read and append rows")
        for statement in inserts.values.joined() { sqlite3_reset(statement.sqliteStatement); sqlite3_clear_bindings(statement.sqliteStatement) }
        inserts.removeAll()
        let paths = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, path FROM source_file WHERE import_run_id = ?", arguments: [runID]).map { ($0["id"] as Int64, $0["path"] as String) })
        let clusterCountsSQL = """
            SELECT v.cluster, sum(t.mailboxes) AS n FROM volume_total t JOIN volume v ON v.id = t.volume_id GROUP BY v.cluster
            """
        let clustersBefore = present.contains(.mailbox)
            ? Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: clusterCountsSQL).map { ($0["cluster"] as String, $0["n"] as Int) })
            : [:]
        var changes: [ImportSummary.EntityChange] = []
        // Mailboxes last: their duplicates are found by the exposure build (in their sorted
        // keys, or its read of their index), which needs the other entities final.
        for entity in present.sorted(by: { ($0 == .mailbox ? 1 : 0, $0) < ($1 == .mailbox ? 1 : 0, $1) }) {
            let table = Schema.storageTable(entity)
            let before = rowsBefore[entity]!
            try db.execute(sql: "ALTER TABLE incoming_\(entity.rawValue) RENAME TO \(table)")
            try db.execute(sql: Schema.createKeyIndex(entity, on: table))
            if entity == .mailbox { try db.execute(sql: Schema.createMailboxView) }
            phase("\(entity.plural): key index")
            if entity == .mailbox {
                // Counted as they were inserted; the build below finds the duplicates.
                changes.append(.init(entity: entity, before: before, after: mailboxRows))
                continue
            }
            let ids = try duplicateCandidates(sql: "SELECT \(Schema.keyColumn(entity)), id FROM \(table) ORDER BY \(Schema.keyColumn(entity))")
            try removeDuplicates(entity, candidates: ids, paths: paths)
            phase("\(entity.plural): duplicates")
            let after = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")!
            try checkShrink(entity, before: before, after: after)
            for sql in Schema.createIndexes(entity) { try db.execute(sql: sql) }
            phase("\(entity.plural): other indexes")
            changes.append(.init(entity: entity, before: before, after: after))
        }
        // New mailboxes are counted from their sorted keys where they fit in memory, instead
        // of reading their index back.
        let exposure = if let keys = mailboxKeys?.sorted() {
            try ExposureBuilder(db: db).rebuild(findingDuplicates: true, mailboxes: keys)
        } else {
            try ExposureBuilder(db: db).rebuild(findingDuplicates: present.contains(.mailbox))
        }
        // The keys (up to 72 MB) are not needed any more.
        mailboxKeys = nil
        phase("exposure")
        if let i = changes.firstIndex(where: { $0.entity == .mailbox }) {
            changes[i].after -= try removeDuplicates(.mailbox, candidates: exposure.duplicateCandidates, paths: paths)
            try checkShrink(.mailbox, before: changes[i].before, after: changes[i].after)
            phase("mailboxes: duplicates")
        }
        changes.sort { $0.entity < $1.entity }
        let clustersAfter = Set(try String.fetchAll(db, sql: "SELECT cluster FROM (\(clusterCountsSQL))"))
        let emptied = clustersBefore.filter { !clustersAfter.contains($0.key) }
            .map { ImportSummary.EmptiedCluster(cluster: $0.key, mailboxesBefore: $0.value) }
            .sorted { String.byteOrder($0.cluster, $1.cluster) }
        let presentList = present.sorted().map { "'\($0.rawValue)'" }.joined(separator: ",")
        if !present.isEmpty {
            try db.execute(sql: "DELETE FROM reject WHERE import_run_id <> ? AND entity IN (\(presentList))", arguments: [runID])
        }
        try db.execute(sql: "UPDATE import_run SET entities = ? WHERE id = ?",
                       arguments: [present.sorted().map(\.plural).joined(separator: ","), runID])
        for (id, count) in counts {
            try db.execute(sql: "UPDATE source_file SET rows_read = ?, rows_imported = ?, rows_rejected = ? WHERE id = ?",
                           arguments: [count.read, count.accepted, count.rejected, id])
        }
        let fileSummaries = files.map { file -> ImportSummary.FileSummary in
            let id = fileIDs[file.index]!
            let c = counts[id]!
            return .init(path: file.path, format: file.format, entities: fileEntities[file.index] ?? [],
                         read: c.read, imported: c.accepted, rejected: c.rejected)
        }
        let rejected = try Int.fetchOne(db, sql: "SELECT count(*) FROM reject WHERE import_run_id = ?", arguments: [runID])!
        let first = try Queries.rejects(db, importRunID: runID, limit: 10)
        let problems = try Queries.dataProblems(db)
        phase("summary")
        return ImportSummary(files: fileSummaries, replaced: changes, emptiedClusters: emptied, rejected: rejected,
                             firstRejects: first, problems: problems)
    }

    /// The import may not leave an entity with fewer than half its rows (an empty or cut
    /// export), unless `--allow-shrink`.
    private func checkShrink(_ entity: Entity, before: Int, after: Int) throws {
        if after * 2 < before && !options.allowShrink {
            throw StoreError(.refusedData, """
                the import would leave \(entity.count(after)) where there are \(before) now (fewer than half); \
                nothing was changed. If the export is really this small, import again with --allow-shrink
                """)
        }
    }

    /// Deletes every later occurrence of a key (first accepted in file order, then line and
    /// column, wins) and records each as a reject naming where the first one is.
    /// - Parameter candidates: the rows of every key that occurs more than once. Duplicates
    ///   are neighbours in the key's index (for mailboxes: domain, then local part): one ordered
    ///   read of it finds them, where a GROUP BY would sort or probe every row.
    /// - Returns: how many rows were deleted.
    @discardableResult
    private func removeDuplicates(_ entity: Entity, candidates ids: [Int64], paths: [Int64: String]) throws -> Int {
        // Read through the view for mailboxes (it has `address`), deleted from the table.
        let table = entity.rawValue
        let storage = Schema.storageTable(entity)
        let key = Schema.keyColumn(entity)
        // Every row whose key occurs more than once, sorted by key, then where it was read.
        typealias Candidate = (id: Int64, key: String, fileID: Int64, line: Int, column: Int)
        let lookup = try db.makeStatement(sql: "SELECT \(key), source_file_id, line, col FROM \(table) WHERE id = ?")
        let delete = try db.makeStatement(sql: "DELETE FROM \(storage) WHERE id = ?")
        var candidates: [Candidate] = []
        for id in ids {
            guard let row = try Row.fetchOne(lookup, arguments: [id]) else { continue }
            candidates.append((id, row[0], row[1], row[2], row[3]))
        }
        candidates.sort { a, b in
            // Keys are equal when their bytes are (as in the index): Swift's `==` would also
            // join canonically equivalent spellings (NFC and NFD), which SQLite keeps apart.
            if !a.key.utf8.elementsEqual(b.key.utf8) { return String.byteOrder(a.key, b.key) }
            return (a.fileID, a.line, a.column) < (b.fileID, b.line, b.column)
        }
        var winner: Candidate?
        var deleted = 0
        for candidate in candidates {
            guard let w = winner, w.key.utf8.elementsEqual(candidate.key.utf8) else {
                winner = candidate
                continue
            }
            let path = paths[candidate.fileID] ?? "?"
            let reason = "duplicate \(key) '\(candidate.key)': the first accepted one is at \(paths[w.fileID] ?? "?"):\(w.line)"
            if options.strict {
                throw ImportError(.badData, at: SourceLocation(file: path, line: candidate.line, column: candidate.column),
                                  "\(reason) (--strict turns every rejected row into an error)")
            }
            try delete.execute(arguments: [candidate.id])
            try insertReject.execute(arguments: [runID, entity.rawValue, path, candidate.line, candidate.column, reason, candidate.key])
            counts[candidate.fileID]?.accepted -= 1
            counts[candidate.fileID]?.rejected += 1
            deleted += 1
        }
        return deleted
    }

    /// The rows of every key that occurs more than once, given a query of (key, row id) in an
    /// order that puts equal keys side by side: each key is compared with the one before.
    private func duplicateCandidates(sql: String) throws -> [Int64] {
        let cursor = try RawCursor(db, sql: sql)
        defer { cursor.finish() }
        var ids: [Int64] = []
        let previous = HeldBytes()
        var previousID: Int64 = 0
        var inGroup = false
        while try cursor.next() {
            let key = cursor.text(0)
            if previous.equals(key) {
                if !inGroup { ids.append(previousID) }
                ids.append(cursor.int(1))
                inGroup = true
            } else {
                previous.set(key)
                previousID = cursor.int(1)
                inGroup = false
            }
        }
        return ids
    }
}
