import Foundation
import GRDB
import GRDBSQLite

/// Steps a prepared statement through its raw handle: integers and text bytes straight from
/// SQLite, no Row or String per row. For the few scans over millions of rows (the exposure
/// build, the analysis read), where GRDB's row decoding would cost several times the scan.
struct RawCursor {
    private let statement: Statement
    private let db: Database
    let handle: OpaquePointer

    init(_ db: Database, sql: String, arguments: [Int64] = []) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (i, value) in arguments.enumerated() { sqlite3_bind_int64(handle, Int32(i + 1), value) }
    }

    /// Moves to the next row; false at the end.
    func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// Rewinds with new integer arguments.
    func restart(_ arguments: [Int64]) {
        sqlite3_reset(handle)
        for (i, value) in arguments.enumerated() { sqlite3_bind_int64(handle, Int32(i + 1), value) }
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's text as bytes, valid until the next step.
    func text(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let pointer = sqlite3_column_text(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The column's blob, valid until the next step.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let pointer = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Done with the statement: SQLite may release what it holds for it.
    func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}

/// SQLite's BINARY collation: memcmp, then the shorter first.
@inline(__always)
func binaryCompare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
    let common = min(a.count, b.count)
    if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, common)
        if c != 0 { return c }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// A copy of a column's bytes that outlives the row (SQLite's own go at the next step), kept
/// in one allocation that is reused: the scans compare each row with the one before, and an
/// array's generic `elementsEqual` and `append(contentsOf:)` cost more than the scan itself.
final class HeldBytes {
    private var pointer: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
    }

    deinit { pointer.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }

    /// Replaces the bytes held with `bytes`.
    @inline(__always)
    func set(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > capacity {
            pointer.deallocate()
            capacity = max(bytes.count, capacity * 2)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        }
        if let base = bytes.baseAddress { memcpy(pointer, base, bytes.count) }
        count = bytes.count
    }

    /// Whether `bytes` are the bytes held.
    @inline(__always)
    func equals(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == count else { return false }
        guard count > 0, let base = bytes.baseAddress else { return true }
        return memcmp(pointer, base, count) == 0
    }
}
