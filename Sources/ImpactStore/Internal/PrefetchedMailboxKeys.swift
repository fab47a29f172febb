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

    /// Keys and their bytes; the bytes stay where they are until the batch is refilled.
    private final class Batch {
        private(set) var bytes: UnsafeMutableRawPointer
        private var capacity = PrefetchedMailboxKeys.batchKeys * 64
        private(set) var count = 0
        var keys: [Key] = []

        init() {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            keys.reserveCapacity(PrefetchedMailboxKeys.batchKeys)
        }

        deinit { bytes.deallocate() }

        func clear() {
            count = 0
            keys.removeAll(keepingCapacity: true)
        }

        func append(_ data: UnsafeRawBufferPointer) {
            if count + data.count > capacity {
                capacity = max(2 * capacity, count + data.count)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
                grown.copyMemory(from: bytes, byteCount: count)
                bytes.deallocate()
                bytes = grown
            }
            if let base = data.baseAddress { (bytes + count).copyMemory(from: base, byteCount: data.count) }
            count += data.count
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

    func next() throws -> Bool {
        if !started { start() }
        if let batch = current {
            index += 1
            if index < batch.keys.count {
                key = batch.keys[index]
                return true
            }
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
        let previous = HeldBytes()
        var row: Int64 = 0
        var first = true
        var error: Error?
        reading: while true {
            condition.lock()
            while empty.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                break
            }
            let batch = empty.removeLast()
            condition.unlock()
            batch.clear()
            var done = false
            do {
                while batch.keys.count < Self.batchKeys {
                    guard try mailboxes!.next() else {
                        done = true
                        break
                    }
                    let domain = mailboxes!.text(0)
                    let local = mailboxes!.text(1)
                    if first || !previous.equals(domain) {
                        first = false
                        previous.set(domain)
                        row = try matcher!.row(of: domain)
                    }
                    batch.keys.append(Key(start: batch.count, domainCount: Int32(domain.count), localCount: Int32(local.count),
                                          volume: Int32(mailboxes!.int(2)), id: mailboxes!.int(3), domainRow: row))
                    batch.append(domain)
                    batch.append(local)
                }
            } catch let e {
                error = e
            }
            condition.lock()
            if !batch.keys.isEmpty && error == nil { filled.append(batch) } else { empty.append(batch) }
            condition.broadcast()
            condition.unlock()
            if done || error != nil { break reading }
        }
        condition.lock()
        if let error { failure = error }
        ended = true
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
