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

    private final class Batch {
        var arena: [UInt8] = []
        var fields: [Field] = []
        var rows: [Row] = []

        init(capacity: Int) {
            arena.reserveCapacity(capacity * 64)
            fields.reserveCapacity(capacity * 8)
            rows.reserveCapacity(capacity)
        }

        /// A text field; the bytes are copied into the arena.
        func addText(_ bytes: UnsafeRawBufferPointer) {
            fields.append(Field(kind: .text, a: Int64(arena.count), b: Int64(bytes.count)))
            arena.append(contentsOf: bytes)
        }

        func clear() {
            arena.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
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
        let first = batch.fields.count
        for text in texts {
            if var text {
                text.withUTF8 { batch.addText(UnsafeRawBufferPointer($0)) }
            } else {
                batch.fields.append(Field(kind: .null, a: 0, b: 0))
            }
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Queues a row of text columns given as bytes (NULL for nil), then file, line and
    /// column, as `addRow(_:texts:…)` does. The bytes are copied.
    func addRow(_ statement: Int32, fields texts: UnsafeBufferPointer<UnsafeRawBufferPointer?>,
                _ fileID: Int64, _ line: Int, _ column: Int) throws {
        let batch = current
        let first = batch.fields.count
        for text in texts {
            if let text {
                batch.addText(text)
            } else {
                batch.fields.append(Field(kind: .null, a: 0, b: 0))
            }
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Ends the row whose fields start at `first` with file, line and column, and hands the
    /// batch over when it is full.
    @inline(__always)
    private func endRow(_ batch: Batch, _ statement: Int32, first: Int, _ fileID: Int64, _ line: Int, _ column: Int) throws {
        batch.fields.append(Field(kind: .int, a: fileID, b: 0))
        batch.fields.append(Field(kind: .int, a: Int64(line), b: 0))
        batch.fields.append(Field(kind: .int, a: Int64(column), b: 0))
        batch.rows.append(Row(statement: statement, count: Int32(batch.fields.count - first), first: first))
        if batch.rows.count >= Self.batchRows { try handOver() }
    }

    /// Queues a mailbox row: local part and domain (the address split at its `@`, just before
    /// `domainStart`), volume id, size (NULL for nil), file, line, column.
    /// One call a row: this is the import's hot loop.
    func addMailbox(_ statement: Int32, address: UnsafeRawBufferPointer, domainStart: Int, volumeID: Int64, sizeMB: Int?,
                    _ fileID: Int64, _ line: Int, _ column: Int) throws {
        let batch = current
        let first = batch.fields.count
        // Local part and domain: the address without its '@' (at domainStart - 1).
        batch.addText(UnsafeRawBufferPointer(rebasing: address[..<(domainStart - 1)]))
        batch.addText(UnsafeRawBufferPointer(rebasing: address[domainStart...]))
        batch.fields.append(Field(kind: .int, a: volumeID, b: 0))
        if let sizeMB {
            batch.fields.append(Field(kind: .int, a: Int64(sizeMB), b: 0))
        } else {
            batch.fields.append(Field(kind: .null, a: 0, b: 0))
        }
        try endRow(batch, statement, first: first, fileID, line, column)
    }

    /// Hands every queued row to the insert thread and waits until it has inserted them all:
    /// afterwards the connection is the caller's. Throws the insert thread's error, if any.
    func drain() throws {
        if !current.rows.isEmpty { try handOver() }
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
        batch.arena.withUnsafeBytes { arena -> DatabaseError? in
            batch.fields.withUnsafeBufferPointer { fields -> DatabaseError? in
                batch.rows.withUnsafeBufferPointer { rows -> DatabaseError? in
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
                                    if field.b > 0, let base = arena.baseAddress {
                                        sqlite3_bind_text(handle, index, (base + Int(field.a)).assumingMemoryBound(to: CChar.self), Int32(field.b), nil)
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
        }
    }
}
