import Foundation

/// The keys of the mailbox rows an import appends (domain, local part, row id, volume id),
/// collected as they are read and sorted in the mailbox index's order (domain, then local
/// part, as SQLite's BINARY collation compares them; then row id), so that the exposure build
/// can read them from memory instead of reading the whole new index back from SQLite: at 1M
/// mailboxes that read was 0.28 s of the import's serial SQLite work, the in-memory one takes
/// 0.15 s, and the sort runs on a second thread while SQLite builds the indexes
/// (docs/PERFORMANCE.md, session 4).
///
/// Memory is bounded: keys beyond `capacity` bytes (about 1M mailboxes) are not kept, and the
/// exposure build reads the index as before. Their order takes 16 bytes a key more (about
/// 16 MB at 1M, at most 24 MB: the array is reserved for a key of 48 bytes on average).
/// Sorting larger imports in runs written to a temporary file was tried: at 10M mailboxes the
/// extra sorting and writing competed with parsing and inserting for the two cores and made
/// the import slower overall.
///
/// ```swift
/// let sorter = MailboxKeySorter()
/// sorter.add(domain: d, local: l, id: 1, volume: 3)    // importer thread
/// sorter.seal()                                          // sorting starts on a helper thread
/// if var keys = sorter.sorted() {                        // nil: too many to keep
///     while keys.next() { use(keys.domain, keys.local, keys.id, keys.volume) }
/// }
/// ```
final class MailboxKeySorter: @unchecked Sendable {
    /// Bytes of keys kept: a 1M-mailbox export (about 66 bytes a key) fits.
    static let defaultCapacity = 72 << 20

    /// A key in the arena: domain and local lengths, volume and id, then the domain and local
    /// bytes.
    static let headerBytes = 20

    /// A key's offset in the arena, with the first eight bytes of its domain as a big-endian
    /// number: most comparisons end there.
    struct Entry {
        var prefix: UInt64
        var offset: Int
    }

    private let capacity: Int
    /// Allocated whole: the system maps its pages as they are first used, and growing it by
    /// copies showed in the importer's thread.
    private var arena: UnsafeMutableRawPointer?
    private var used = 0
    private var entries: [Entry] = []
    /// Set once the keys outgrew `capacity`; the arena is gone then.
    private(set) var overflowed = false
    private let done = NSCondition()
    private var isSorted = false

    init(capacity: Int = MailboxKeySorter.defaultCapacity) {
        self.capacity = capacity
    }

    deinit { arena?.deallocate() }

    /// Adds one key; the bytes are copied. The importer's thread only, before `seal()`.
    func add(domain: UnsafeRawBufferPointer, local: UnsafeRawBufferPointer, id: Int64, volume: Int32) {
        guard !overflowed else { return }
        let size = Self.headerBytes + domain.count + local.count
        guard used + size <= capacity else {
            overflowed = true
            arena?.deallocate()
            arena = nil
            entries = []
            return
        }
        if arena == nil {
            arena = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            entries.reserveCapacity(capacity / 48)
        }
        let at = arena! + used
        at.storeBytes(of: UInt32(domain.count), toByteOffset: 0, as: UInt32.self)
        at.storeBytes(of: UInt32(local.count), toByteOffset: 4, as: UInt32.self)
        at.storeBytes(of: volume, toByteOffset: 8, as: Int32.self)
        at.storeBytes(of: id, toByteOffset: 12, as: Int64.self)
        if let base = domain.baseAddress { (at + Self.headerBytes).copyMemory(from: base, byteCount: domain.count) }
        if let base = local.baseAddress { (at + Self.headerBytes + domain.count).copyMemory(from: base, byteCount: local.count) }
        entries.append(Entry(prefix: Self.prefix(domain), offset: used))
        used += size
    }

    /// After the last `add`: sorts on a helper thread while the caller goes on.
    func seal() {
        guard !overflowed, !entries.isEmpty else {
            isSorted = true
            return
        }
        let thread = Thread { [self] in
            Self.sort(&entries, arena: UnsafeRawPointer(arena!))
            done.lock()
            isSorted = true
            done.broadcast()
            done.unlock()
        }
        thread.name = "sort-mailbox-keys"
        // Not kept: the thread holds the sorter until it is done, and a sorter holding its
        // thread would never be freed (nor its 72 MB arena).
        thread.start()
    }

    /// Every key in order, once the helper is done; nil when they did not fit. After `seal()`.
    func sorted() -> SortedMailboxKeys? {
        done.lock()
        while !isSorted { done.wait() }
        done.unlock()
        guard !overflowed else { return nil }
        return SortedMailboxKeys(sorter: self, entries: entries, arena: arena.map { UnsafeRawPointer($0) })
    }

    /// The first eight bytes of `bytes`, zero-padded, as a big-endian number: ordered as
    /// memcmp orders them (where two prefixes are equal, the whole keys decide).
    @inline(__always)
    static func prefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        if bytes.count >= 8 {
            value = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        } else {
            for i in 0..<bytes.count { value |= UInt64(bytes[i]) << (56 - 8 * UInt64(i)) }
        }
        return value
    }

    /// Sorts entries by domain, local part, then id.
    static func sort(_ entries: inout [Entry], arena: UnsafeRawPointer) {
        entries.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return compare(arena + a.offset, arena + b.offset) < 0
        }
    }

    /// Compares two keys stored as `add` writes them: domain, local part (memcmp, then the
    /// shorter first, as SQLite's BINARY collation), then id.
    @inline(__always)
    static func compare(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Int {
        let aDomain = Int(a.loadUnaligned(as: UInt32.self)), bDomain = Int(b.loadUnaligned(as: UInt32.self))
        let c = binaryCompare(UnsafeRawBufferPointer(start: a + headerBytes, count: aDomain),
                              UnsafeRawBufferPointer(start: b + headerBytes, count: bDomain))
        if c != 0 { return Int(c) }
        let aLocal = Int(a.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let bLocal = Int(b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let d = binaryCompare(UnsafeRawBufferPointer(start: a + headerBytes + aDomain, count: aLocal),
                              UnsafeRawBufferPointer(start: b + headerBytes + bDomain, count: bLocal))
        if d != 0 { return Int(d) }
        let aID = a.loadUnaligned(fromByteOffset: 12, as: Int64.self), bID = b.loadUnaligned(fromByteOffset: 12, as: Int64.self)
        return aID < bID ? -1 : (aID == bID ? 0 : 1)
    }
}

/// The keys of a `MailboxKeySorter` in order; the current key's bytes are valid while the
/// sorter lives.
struct SortedMailboxKeys: MailboxKeyCursor {
    /// Keeps the arena alive.
    private let sorter: MailboxKeySorter
    private let entries: [MailboxKeySorter.Entry]
    private let arena: UnsafeRawPointer?
    private var index = -1
    private var key = UnsafeRawPointer(bitPattern: 1)!

    init(sorter: MailboxKeySorter, entries: [MailboxKeySorter.Entry], arena: UnsafeRawPointer?) {
        self.sorter = sorter
        self.entries = entries
        self.arena = arena
    }

    mutating func next() -> Bool {
        index += 1
        guard index < entries.count, let arena else { return false }
        key = arena + entries[index].offset
        return true
    }

    var domain: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: key + MailboxKeySorter.headerBytes, count: Int(key.loadUnaligned(as: UInt32.self)))
    }

    var local: UnsafeRawBufferPointer {
        let domainCount = Int(key.loadUnaligned(as: UInt32.self))
        return UnsafeRawBufferPointer(start: key + MailboxKeySorter.headerBytes + domainCount,
                                      count: Int(key.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
    }

    var volume: Int32 { key.loadUnaligned(fromByteOffset: 8, as: Int32.self) }
    var id: Int64 { key.loadUnaligned(fromByteOffset: 12, as: Int64.self) }
    static var matchesDomains: Bool { false }
    var domainRow: Int64 { 0 }
}
