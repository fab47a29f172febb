import Foundation
import GRDB
import GRDBSQLite

/// Steps the import's insert statements on a second thread while the importer parses the
/// next rows: reading an export is about half parsing and half SQLite, and the machine has a
/// second core. Rows are copied into a batch (text bytes in one arena); a full batch goes to
/// the insert thread while the importer fills the other one (double buffering). Rows are
/// inserted in the order they were added, so row ids still follow the reading order.
///
/// Only one thread uses the connection at a time: the importer calls `drain()` before any
/// statement of its own (a new file, rejects, a new volume), which returns once the insert
/// thread is idle. `stop()` must run before the transaction ends, whether it commits or rolls
/// back.
///
/// ```swift
/// let pipeline = InsertPipeline(connection: db.sqliteConnection!)
/// let insert = pipeline.register(statement)          // while idle
/// try pipeline.addRow(insert, texts: ["R1", "Northwind", nil], fileID, line, column)
/// try pipeline.drain()                                // before using `db` yourself
/// ```
final class InsertPipeline: @unchecked Sendable {
    /// One bound value: text (`a` = offset in the arena, `b` = length), an integer (`a`), or NULL.
    private struct Field {
        enum Kind: UInt8 { case text, int, null }
        var kind: Kind
        var a: Int64
        var b: Int64
    }

    /// One row: which statement, and its fields `fields[first..<first + count]`.
    private struct Row {
        var statement: Int32
        var count: Int32
        var first: Int
    }

    /// Rows and their bytes in plain memory, not arrays: a mailbox row is nine appends, and
    /// an array in a class pays a uniqueness and an exclusivity check on each (a tenth of the
    /// importer's thread at 1M mailboxes, session 5).
    private final class Batch {
        private(set) var arena: UnsafeMutableRawPointer
        private var arenaCapacity: Int
        private(set) var arenaCount = 0
        private(set) var fields: UnsafeMutablePointer<Field>
        private var fieldCapacity: Int
        private(set) var fieldCount = 0
        /// Room for `batchRows` rows: a full batch is handed over.
        let rows: UnsafeMutablePointer<Row>
        private let rowCapacity: Int
        private(set) var rowCount = 0

        init(capacity: Int) {
            arenaCapacity = capacity * 64
            arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
            fieldCapacity = capacity * 8
            fields = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity)
            rowCapacity = capacity
            rows = UnsafeMutablePointer<Row>.allocate(capacity: rowCapacity)
        }

        deinit {
            arena.deallocate()
            fields.deallocate()
            rows.deallocate()
        }

        /// A text field; the bytes are copied into the arena.
        @inline(__always)
        func addText(_ bytes: UnsafeRawBufferPointer) {
            if arenaCount + bytes.count > arenaCapacity { growArena(to: arenaCount + bytes.count) }
            if let base = bytes.baseAddress { (arena + arenaCount).copyMemory(from: base, byteCount: bytes.count) }
            addField(Field(kind: .text, a: Int64(arenaCount), b: Int64(bytes.count)))
            arenaCount += bytes.count
        }

        @inline(__always)
        func addField(_ field: Field) {
            if fieldCount == fieldCapacity { growFields() }
            (fields + fieldCount).initialize(to: field)
            fieldCount += 1
        }

        @inline(__always)
        func addRow(_ row: Row) {
            precondition(rowCount < rowCapacity, "a full batch must be handed over")
            (rows + rowCount).initialize(to: row)
            rowCount += 1
        }

        func clear() {
            arenaCount = 0
            fieldCount = 0
            rowCount = 0
        }

        private func growArena(to needed: Int) {
            arenaCapacity = max(2 * arenaCapacity, needed)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
            grown.copyMemory(from: arena, byteCount: arenaCount)
            arena.deallocate()
            arena = grown
        }

        private func growFields() {
            fieldCapacity *= 2
            let grown = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity)
            grown.moveInitialize(from: fields, count: fieldCount)
            fields.deallocate()
            fields = grown
        }
    }

    /// Rows per batch: large enough that handing over costs nothing, small enough that a
    /// drain waits a few milliseconds at most.
    static let batchRows = 4096

    private let connection: OpaquePointer
    /// Registered statements; changed only while the insert thread is idle.
    private var statements: [Registered] = []

    private struct Registered {
        var single: OpaquePointer
        var many: OpaquePointer
        var sql: String
    }
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pending: Batch?
    private var free: [Batch] = []
    private var busy = false
    private var stopping = false
    private var failure: DatabaseError?
    /// Whether the insert thread was started. The Thread itself is not kept: it holds its
    /// closure, the closure holds the pipeline, and keeping it made a cycle that leaked every
    /// pipeline with its batches.
    private var started = false
    // The importer's own:
    private var current: Batch
    /// Whether anything was handed over since the last drain.
    private var handedOver = false

    init(connection: OpaquePointer) {
        self.connection = connection
        current = Batch(capacity: Self.batchRows)
        free = [Batch(capacity: Self.batchRows)]
    }

    /// Rows bound into one step of a statement's many-row form. One step of a single-row
    /// INSERT pays for a statement's start and end (cursor, statement journal, halt) and
    /// SQLite's global malloc mutex: about 0.6 µs of the insert thread per mailbox. Sixteen
    /// rows per step cost half as much per row (docs/PERFORMANCE.md, session 4); more gained
    /// nothing measurable.
    static let rowsPerStep = 16

    /// Makes an insert available to `addRow` and `addMailbox`; call while the pipeline is
    /// drained. `single` inserts one row; `many` is the same INSERT with `rowsPerStep` rows
    /// of parameters (`VALUES (…), (…), …`), used for runs of that many rows.
    func register(single: Statement, many: Statement) -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        statements.append(Registered(single: single.sqliteStatement, many: many.sqliteStatement, sql: single.sql))
        return Int32(statements.count - 1)
    }

    /// Queues a row of text columns (NULL for nil), then the three integers every entity row
    /// ends with: file, line and column. The bytes are copied.
    func addRow(_ statement: Int32, texts: [String?], _ fileID: Int64, _ line: Int, _ column: Int) throws {
        let batch = current
        let first = batch.fieldCount
        for text in texts {
            if var text {
                text.withUTF8 { batch.addText(UnsafeRawBufferPointer($0)) }
            } else {
                batch.addField(Field(kind: .null, a: 0, b: 0))
            }
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Queues a row of text columns given as bytes (NULL for nil), then file, line and
    /// column, as `addRow(_:texts:…)` does. The bytes are copied.
    func addRow(_ statement: Int32, fields texts: UnsafeBufferPointer<UnsafeRawBufferPointer?>,
                _ fileID: Int64, _ line: Int, _ column: Int) throws {
        let batch = current
        let first = batch.fieldCount
        for text in texts {
            if let text {
                batch.addText(text)
            } else {
                batch.addField(Field(kind: .null, a: 0, b: 0))
            }
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Ends the row whose fields start at `first` with file, line and column, and hands the
    /// batch over when it is full.
    @inline(__always)
    private func endRow(_ batch: Batch, _ statement: Int32, first: Int, _ fileID: Int64, _ line: Int, _ column: Int) throws {
        batch.addField(Field(kind: .int, a: fileID, b: 0))
        batch.addField(Field(kind: .int, a: Int64(line), b: 0))
        batch.addField(Field(kind: .int, a: Int64(column), b: 0))
        batch.addRow(Row(statement: statement, count: Int32(batch.fieldCount - first), first: first))
        if batch.rowCount >= Self.batchRows { try handOver() }
    }

    /// Queues a mailbox row: local part and domain (the address split at its `@`, just before
    /// `domainStart`), volume id, size (NULL for nil), file, line, column.
    /// One call a row: this is the import's hot loop.
    func addMailbox(_ statement: Int32, address: UnsafeRawBufferPointer, domainStart: Int, volumeID: Int64, sizeMB: Int?,
                    _ fileID: Int64, _ line: Int, _ column: Int) throws {
        let batch = current
        let first = batch.fieldCount
        // Local part and domain: the address without its '@' (at domainStart - 1).
        batch.addText(UnsafeRawBufferPointer(rebasing: address[..<(domainStart - 1)]))
        batch.addText(UnsafeRawBufferPointer(rebasing: address[domainStart...]))
        batch.addField(Field(kind: .int, a: volumeID, b: 0))
        if let sizeMB {
            batch.addField(Field(kind: .int, a: Int64(sizeMB), b: 0))
        } else {
            batch.addField(Field(kind: .null, a: 0, b: 0))
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Hands every queued row to the insert thread and waits until it has inserted them all:
    /// afterwards the connection is the caller's. Throws the insert thread's error, if any.
    func drain() throws {
        if current.rowCount > 0 { try handOver() }
        guard handedOver else { return }
        condition.lock()
        while pending != nil || busy { condition.wait() }
        let failure = failure
        condition.unlock()
        handedOver = false
        if let failure { throw failure }
    }

    /// Ends the insert thread (after it finishes the batch in hand). Rows still queued are
    /// dropped: call `drain()` first to keep them.
    func stop() {
        condition.lock()
        stopping = true
        pending = nil
        condition.broadcast()
        while busy { condition.wait() }
        condition.unlock()
    }

    private func handOver() throws {
        startIfNeeded()
        condition.lock()
        // One batch waits at most; the insert thread may be busy with another.
        while pending != nil { condition.wait() }
        if let failure {
            condition.unlock()
            // The rows are lost with the import; an empty batch keeps a later call from
            // overfilling this one.
            current.clear()
            throw failure
        }
        pending = current
        condition.broadcast()
        while free.isEmpty { condition.wait() }
        current = free.removeLast()
        condition.unlock()
        current.clear()
        handedOver = true
    }

    private func startIfNeeded() {
        guard !started else { return }
        started = true
        let thread = Thread { [self] in run() }
        thread.name = "insert-rows"
        thread.start()
    }

    private func run() {
        while true {
            condition.lock()
            while pending == nil && !stopping { condition.wait() }
            guard let batch = pending, !stopping else {
                condition.unlock()
                return
            }
            pending = nil
            busy = true
            let failed = failure != nil
            let statements = statements
            condition.broadcast()
            condition.unlock()

            let error = failed ? nil : insert(batch, statements)

            condition.lock()
            if let error { failure = error }
            busy = false
            free.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Steps each row's statement, binding text in place (SQLITE_STATIC: the batch is not
    /// touched until it is done). A run of `rowsPerStep` rows for the same statement goes in
    /// one step of its many-row form; rows still land in the order they were added.
    private func insert(_ batch: Batch, _ statements: [Registered]) -> DatabaseError? {
        let arena = batch.arena
        let fields = UnsafeBufferPointer(start: batch.fields, count: batch.fieldCount)
        let rows = UnsafeBufferPointer(start: batch.rows, count: batch.rowCount)
        defer {
            // No binding may keep pointing into the batch, which is reused.
            for statement in statements {
                for handle in [statement.single, statement.many] {
                    sqlite3_reset(handle)
                    sqlite3_clear_bindings(handle)
                }
            }
        }
        var r = 0
        while r < rows.count {
            let statement = rows[r].statement
            var run = 1
            while run < Self.rowsPerStep && r + run < rows.count && rows[r + run].statement == statement { run += 1 }
            let registered = statements[Int(statement)]
            let handle = run == Self.rowsPerStep ? registered.many : registered.single
            let count = run == Self.rowsPerStep ? run : 1
            sqlite3_reset(handle)
            var index: Int32 = 1
            for row in rows[r..<(r + count)] {
                for field in fields[row.first..<(row.first + Int(row.count))] {
                    switch field.kind {
                    case .text:
                        if field.b > 0 {
                            sqlite3_bind_text(handle, index, (arena + Int(field.a)).assumingMemoryBound(to: CChar.self), Int32(field.b), nil)
                        } else {
                            // Empty text, not NULL: copied, there is nothing to keep alive.
                            sqlite3_bind_text(handle, index, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                        }
                    case .int: sqlite3_bind_int64(handle, index, field.a)
                    case .null: sqlite3_bind_null(handle, index)
                    }
                    index += 1
                }
            }
            let code = sqlite3_step(handle)
            if code != SQLITE_DONE {
                let message = String(cString: sqlite3_errmsg(connection))
                return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: registered.sql)
            }
            r += count
        }
        return nil
    }
}
