import Foundation
import GRDB
import GRDBSQLite

/// Steps the mailbox insert statement on a second thread while the importer parses the next
/// rows: the import's one hot loop is half parsing and half SQLite, and the machine has a
/// second core. Rows are copied into a batch (address bytes in one arena); a full batch goes
/// to the writer thread while the importer fills the other one (double buffering).
///
/// Only one thread uses the connection at a time: the importer calls `drain()` before any
/// statement of its own (a new file, a reject, a new volume, another entity's row), which
/// returns once the writer thread is idle. `stop()` must run before the transaction ends,
/// whether it commits or rolls back.
final class MailboxInsertPipeline: @unchecked Sendable {
    /// One mailbox row of a batch; the address is `arena[start..<start + length]`.
    private struct Row {
        var start: Int
        var length: Int
        var volumeID: Int64
        /// nil as -1: sizes are never negative.
        var sizeMB: Int64
        var fileID: Int64
        var line: Int64
        var column: Int64
    }

    private final class Batch {
        var arena: [UInt8] = []
        var rows: [Row] = []

        init(capacity: Int) {
            arena.reserveCapacity(capacity * 48)
            rows.reserveCapacity(capacity)
        }

        func clear() {
            arena.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
        }
    }

    /// Rows per batch: large enough that handing over costs nothing, small enough that a
    /// drain waits a few milliseconds at most.
    static let batchRows = 4096

    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pending: Batch?
    private var free: [Batch] = []
    private var busy = false
    private var stopping = false
    private var failure: DatabaseError?
    private var thread: Thread?
    // The importer's own:
    private var current: Batch
    /// Whether anything was handed over since the last drain.
    private var handedOver = false

    init(statement: Statement, connection: OpaquePointer) {
        self.statement = statement.sqliteStatement
        self.sql = statement.sql
        self.connection = connection
        current = Batch(capacity: Self.batchRows)
        free = [Batch(capacity: Self.batchRows)]
    }

    /// Queues one row; the bytes are copied.
    func add(address: UnsafeRawBufferPointer, volumeID: Int64, sizeMB: Int?, fileID: Int64, line: Int, column: Int) throws {
        let batch = current
        batch.rows.append(Row(start: batch.arena.count, length: address.count, volumeID: volumeID,
                              sizeMB: sizeMB.map(Int64.init) ?? -1, fileID: fileID, line: Int64(line), column: Int64(column)))
        batch.arena.append(contentsOf: address)
        if batch.rows.count >= Self.batchRows { try handOver() }
    }

    /// Hands every queued row to the writer thread and waits until it has inserted them all:
    /// afterwards the connection is the caller's. Throws the writer's error, if any.
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

    /// Ends the writer thread (after it finishes the batch in hand). Rows still queued are
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
        // One batch waits at most; the writer may be busy with another.
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
        guard thread == nil else { return }
        let thread = Thread { [self] in run() }
        thread.name = "reseller-impact mailbox insert"
        self.thread = thread
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
            condition.broadcast()
            condition.unlock()

            let error = failed ? nil : insert(batch)

            condition.lock()
            if let error { failure = error }
            busy = false
            free.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Steps the statement once per row, binding the address in place (SQLITE_STATIC: the
    /// batch is not touched until it is done).
    private func insert(_ batch: Batch) -> DatabaseError? {
        let handle = statement
        return batch.arena.withUnsafeBytes { arena -> DatabaseError? in
            for row in batch.rows {
                sqlite3_reset(handle)
                if row.length > 0, let base = arena.baseAddress {
                    sqlite3_bind_text(handle, 1, (base + row.start).assumingMemoryBound(to: CChar.self), Int32(row.length), nil)
                } else {
                    sqlite3_bind_text(handle, 1, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
                sqlite3_bind_int64(handle, 2, row.volumeID)
                if row.sizeMB >= 0 { sqlite3_bind_int64(handle, 3, row.sizeMB) } else { sqlite3_bind_null(handle, 3) }
                sqlite3_bind_int64(handle, 4, row.fileID)
                sqlite3_bind_int64(handle, 5, row.line)
                sqlite3_bind_int64(handle, 6, row.column)
                let code = sqlite3_step(handle)
                if code != SQLITE_DONE {
                    let message = String(cString: sqlite3_errmsg(connection))
                    sqlite3_reset(handle)
                    return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
                }
            }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return nil
        }
    }
}
