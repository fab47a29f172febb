import Foundation
import GRDB
import GRDBSQLite

/// The stored mailboxes' keys read through the mailbox index on a second thread, a batch at a
/// time, each domain matched against the domain table on the way: the exposure build's own
/// work (counting, finding duplicates) then overlaps SQLite's (stepping the index, fetching
/// columns). At 10M mailboxes SQLite's part of that read was about 2 s and the build's own
/// about 1.5 s, one after the other (docs/PERFORMANCE.md, session 4).
///
/// The reader thread uses the connection from the first `next()` until `finish()`; the caller
/// must not use it in between. `finish()` must be called, also when the caller stops early.
///
/// ```swift
/// let keys = try PrefetchedMailboxKeys(db: db)
/// defer { keys.finish() }
/// while try keys.next() { use(keys.domain, keys.local, keys.volume, keys.id, keys.domainRow) }
/// ```
final class PrefetchedMailboxKeys: MailboxKeyCursor, @unchecked Sendable {
    /// One key: its domain and local part in the batch's bytes, the rest as read.
    private struct Key {
        var start: Int
        var domainCount: Int32
        var localCount: Int32
        var volume: Int32
        var id: Int64
        var domainRow: Int64
    }

    /// Keys and their bytes; the bytes stay where they are until the batch is refilled. Plain
    /// memory, not arrays: the reader fills 10 million keys at 10M mailboxes, and an array in a
    /// class (uniqueness and exclusivity checks per append) cost more than SQLite's step.
    private final class Batch {
        private(set) var bytes: UnsafeMutableRawPointer
        private var capacity = PrefetchedMailboxKeys.batchKeys * 64
        private(set) var count = 0
        let keys = UnsafeMutablePointer<Key>.allocate(capacity: PrefetchedMailboxKeys.batchKeys)
        private(set) var keyCount = 0

        init() {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        }

        deinit {
            bytes.deallocate()
            keys.deallocate()
        }

        var isFull: Bool { keyCount == PrefetchedMailboxKeys.batchKeys }

        func clear() {
            count = 0
            keyCount = 0
        }

        /// Appends a key, its domain and local part copied after the bytes before.
        @inline(__always)
        func append(domain: UnsafeRawBufferPointer, local: UnsafeRawBufferPointer, volume: Int32, id: Int64, domainRow: Int64) {
            (keys + keyCount).initialize(to: Key(start: count, domainCount: Int32(domain.count), localCount: Int32(local.count),
                                                 volume: volume, id: id, domainRow: domainRow))
            keyCount += 1
            let needed = count + domain.count + local.count
            if needed > capacity {
                capacity = max(2 * capacity, needed)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
                grown.copyMemory(from: bytes, byteCount: count)
                bytes.deallocate()
                bytes = grown
            }
            if let base = domain.baseAddress { (bytes + count).copyMemory(from: base, byteCount: domain.count) }
            count += domain.count
            if let base = local.baseAddress { (bytes + count).copyMemory(from: base, byteCount: local.count) }
            count += local.count
        }
    }

    static let batchKeys = 4096

    /// The two cursors; released in `finish()`, on the caller's thread: the reader thread
    /// may hold this object a moment longer, and finalizing a statement there, while the
    /// caller goes on with the connection, would be two threads in one connection.
    private var mailboxes: RawCursor?
    private var matcher: DomainMatcher?
    // Guarded by `condition`:
    private let condition = NSCondition()
    private var filled: [Batch] = []
    private var empty: [Batch] = [Batch(), Batch(), Batch()]
    private var ended = false
    private var stopping = false
    private var running = false
    private var failure: Error?
    // The caller's:
    private var started = false
    private var current: Batch?
    private var index = 0
    /// The current batch's keys and their number, outside `current`: no reference counting
    /// per key.
    private var currentKeys: UnsafeMutablePointer<Key>?
    private var currentCount = 0
    private var key = Key(start: 0, domainCount: 0, localCount: 0, volume: 0, id: 0, domainRow: 0)
    private var base: UnsafeRawPointer?

    init(db: Database) throws {
        mailboxes = try RawCursor(db, sql: "SELECT domain, local, volume_id, id FROM mailbox ORDER BY domain, local")
        matcher = try DomainMatcher(db)
    }

    static var matchesDomains: Bool { true }

    var domain: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base! + key.start, count: Int(key.domainCount)) }
    var local: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base! + key.start + Int(key.domainCount), count: Int(key.localCount))
    }
    var volume: Int32 { key.volume }
    var id: Int64 { key.id }
    var domainRow: Int64 { key.domainRow }

    @inline(__always)
    func next() throws -> Bool {
        index += 1
        if index < currentCount {
            key = currentKeys![index]
            return true
        }
        return try nextBatch()
    }

    /// Hands the current batch back to the reader and takes the next one.
    private func nextBatch() throws -> Bool {
        if !started { start() }
        if let batch = current {
            currentKeys = nil
            currentCount = 0
            condition.lock()
            empty.append(batch)
            condition.broadcast()
            condition.unlock()
            current = nil
        }
        condition.lock()
        while filled.isEmpty && !ended && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard !filled.isEmpty else {
            condition.unlock()
            return false
        }
        let batch = filled.removeFirst()
        condition.unlock()
        // A reader batch is never empty.
        current = batch
        currentKeys = batch.keys
        currentCount = batch.keyCount
        index = 0
        key = batch.keys[0]
        base = UnsafeRawPointer(batch.bytes)
        return true
    }

    /// Stops the reader (if it still runs) and waits for it; the connection is the caller's
    /// again afterwards.
    func finish() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
        mailboxes?.finish()
        matcher?.finish()
        mailboxes = nil
        matcher = nil
    }

    /// Whether the statements are still held (not after `finish()`).
    var holdsStatements: Bool { mailboxes != nil || matcher != nil }

    private func start() {
        started = true
        running = true
        // Not kept (the thread holds this reader until it ends; keeping it would be a cycle).
        let thread = Thread { [self] in read() }
        thread.name = "read-mailbox-index"
        thread.start()
    }

    private func read() {
        let error = readBatches()
        condition.lock()
        if let error { failure = error }
        ended = true
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Fills batches until the index ends, an error, or `finish()`; returns the error. A
    /// function of its own so that its copies of the cursors (each holding its statement) are
    /// gone before `read()` says the thread is done: released after that, the last reference
    /// could finalize a statement on this thread while the caller uses the connection again.
    @inline(never)
    private func readBatches() -> Error? {
        // The cursors as locals: reading them from this object's optionals per row retained
        // and released their statement and connection (a third of this thread's time at 10M
        // mailboxes). Both are nil only after `finish()`, which waits for this thread; a
        // reader started after it reads nothing.
        guard let cursor = mailboxes, var matcher else { return nil }
        let handle = cursor.handle
        let previous = HeldBytes()
        var row: Int64 = 0
        var first = true
        while true {
            condition.lock()
            while empty.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return nil
            }
            let batch = empty.removeLast()
            condition.unlock()
            batch.clear()
            var done = false
            var error: Error?
            do {
                while !batch.isFull {
                    guard try cursor.next() else {
                        done = true
                        break
                    }
                    let domain = cursor.text(0)
                    let local = cursor.text(1)
                    if first || !previous.equals(domain) {
                        first = false
                        previous.set(domain)
                        row = try matcher.row(of: domain)
                    }
                    batch.append(domain: domain, local: local, volume: Int32(sqlite3_column_int64(handle, 2)),
                                 id: sqlite3_column_int64(handle, 3), domainRow: row)
                }
            } catch let e {
                error = e
            }
            condition.lock()
            if batch.keyCount > 0 && error == nil { filled.append(batch) } else { empty.append(batch) }
            condition.broadcast()
            condition.unlock()
            if done || error != nil { return error }
        }
    }
}
