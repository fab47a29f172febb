import Foundation
import GRDB
import ImpactImport
import ImpactModel
import Testing
import TestSupport
@testable import ImpactStore

/// The new mailboxes' keys, sorted in memory for the exposure build, must come out in exactly
/// the order of the mailbox index (SQLite's BINARY collation on domain, then local part), and
/// the exposure built from them must equal the one built by reading the index.
@Suite("Mailbox keys sorted in memory")
struct MailboxKeySorterTests {
    let dir = TemporaryDirectory()

    /// Awkward keys: prefixes of each other, equal first eight bytes, NUL and high bytes,
    /// empty parts, the same address under several ids.
    static func awkwardKeys() -> [(domain: [UInt8], local: [UInt8])] {
        var keys: [(domain: [UInt8], local: [UInt8])] = []
        let domains: [[UInt8]] = [
            [], Array("a".utf8), Array("ab".utf8), Array("ab\u{0}".utf8), Array("ab\u{0}c".utf8), Array("abcdefgh".utf8),
            Array("abcdefgh.example".utf8), Array("abcdefgha".utf8), Array("abcdefg".utf8), [0xC3, 0xA9, 0x2E, 0x78],
            [0xFF], Array("zz.example".utf8), Array("abcdefgh.example".utf8) + [0x80],
            // Longer than eight bytes and different within the first eight, at each position.
            Array("Xbcdefgh.x".utf8), Array("aXcdefgh.x".utf8), Array("abXdefgh.x".utf8), Array("abcXefgh.x".utf8),
            Array("abcdXfgh.x".utf8), Array("abcdeXgh.x".utf8), Array("abcdefXh.x".utf8), Array("abcdefgX.x".utf8),
            Array("b.example".utf8), Array("ba.example".utf8), [0x7F, 0x80, 0x81, 0, 1, 2, 3, 4, 5],
        ]
        let locals: [[UInt8]] = [[], Array("a".utf8), Array("a\u{0}".utf8), Array("b".utf8), Array("longer.local.part".utf8), [0xE2, 0x82, 0xAC]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            keys.append((domains.randomElement(using: &generator)!, locals.randomElement(using: &generator)!))
        }
        return keys
    }

    @Test func orderIsTheIndexOrder() throws {
        let keys = Self.awkwardKeys()
        let sorter = MailboxKeySorter(capacity: 1 << 20)
        for (i, key) in keys.enumerated() {
            key.domain.withUnsafeBytes { d in key.local.withUnsafeBytes { l in
                sorter.add(domain: d, local: l, id: Int64(i + 1), volume: Int32(i % 7))
            } }
        }
        sorter.seal()
        var sorted = try #require(sorter.sorted())
        var got: [String] = []
        while sorted.next() {
            got.append("\(Array(sorted.domain)) \(Array(sorted.local)) \(sorted.id) \(sorted.volume)")
        }
        // The reference: SQLite's own order of the same rows as blobs-as-text.
        let queue = try DatabaseQueue()
        let want: [String] = try queue.write { db in
            try db.execute(sql: "CREATE TABLE k (id INTEGER PRIMARY KEY, domain TEXT, local TEXT, volume INTEGER)")
            for (i, key) in keys.enumerated() {
                // CAST keeps the bytes as they are (no UTF-8 check) and makes them TEXT.
                try db.execute(sql: "INSERT INTO k VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT), ?)",
                               arguments: [i + 1, Data(key.domain), Data(key.local), i % 7])
            }
            return try Row.fetchAll(db, sql: "SELECT CAST(domain AS BLOB), CAST(local AS BLOB), id, volume FROM k ORDER BY domain, local, id")
                .map { "\(Array($0[0] as Data)) \(Array($0[1] as Data)) \($0[2] as Int64) \($0[3] as Int32)" }
        }
        #expect(got.count == keys.count)
        #expect(got == want)
    }

    @Test func keysBeyondTheCapacityAreNotKept() {
        let sorter = MailboxKeySorter(capacity: 100)
        let bytes = Array("example.example".utf8)
        bytes.withUnsafeBytes { b in
            for i in 0..<10 { sorter.add(domain: b, local: b, id: Int64(i), volume: 1) }
        }
        sorter.seal()
        #expect(sorter.overflowed)
        #expect(sorter.sorted() == nil)
    }

    /// A dirty import (duplicates, unknown domains, links to nowhere) gives the same exposure,
    /// rejects and mailboxes whichever way the build reads the new mailboxes: from the keys
    /// sorted in memory, or from the index through the prefetching reader (10,000 keys: more
    /// than two of its batches).
    @Test func exposureIsTheSameEitherWay() throws {
        var rows = "address,cluster,volume,size_mb\n"
        for i in 0..<10_000 {
            let domain = i % 11 == 0 ? "nowhere\(i % 5).example" : "d\(i % 37).example"
            rows += "u\(i % 5700)@\(i % 13 == 0 ? domain.uppercased() + "." : domain),\(i % 3 == 0 ? "B" : "A"),v\(i % 5),\(i)\n"
        }
        var results: [[String]] = []
        for keyBytes in [MailboxKeySorter.defaultCapacity, 0] {
            let folder = dir.file("set-\(keyBytes)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let files = [
                dir.write("set-\(keyBytes)/1-resellers.csv", SmallDataSet.resellersCSV + "\n"),
                dir.write("set-\(keyBytes)/2-customers.csv", "customer_id,reseller_id,name\n" + (0..<30).map { "C\($0),R\($0 % 4),Customer \($0)" }.joined(separator: "\n") + "\n"),
                dir.write("set-\(keyBytes)/3-domains.csv", "domain,customer_id\n" + (0..<37).map { "d\($0).example,C\($0 % 33)" }.joined(separator: "\n") + "\n"),
                dir.write("set-\(keyBytes)/4-mailboxes.csv", rows),
            ]
            let store = try ImpactStore(path: dir.file("db-\(keyBytes).sqlite"))
            var options = ImportOptions()
            options.mailboxKeyBytes = keyBytes
            let inputs = try InputFiles.expand(files).files
            _ = try store.importExports(options: options) { sink in try Importer(files: inputs, strict: false).run(into: sink) }
            results.append(try store.queue.read { db in
                var out: [String] = []
                for sql in [
                    "SELECT volume_id, pairs, hex(packed) FROM volume_exposure ORDER BY volume_id",
                    "SELECT * FROM volume_total ORDER BY volume_id",
                    "SELECT * FROM reseller_total ORDER BY 1",
                    "SELECT domain FROM unattributed_domain ORDER BY domain",
                    "SELECT * FROM link_summary",
                    "SELECT id, address, volume_id FROM mailbox ORDER BY id",
                    "SELECT line, reason FROM reject ORDER BY line, reason",
                ] {
                    out += try Row.fetchAll(db, sql: sql).map { $0.description }
                }
                return out
            })
        }
        #expect(results[0].count > 10_000)
        #expect(results[0] == results[1])
    }
}

/// The helper threads must not keep their owners alive once done: a thread that is kept by
/// the object its closure holds makes a cycle, and every import leaked its insert batches and
/// up to 72 MB of mailbox keys that way (found by Benchmarks/, whose import runs many times in
/// one process).
@Suite("Helper threads let their owners go")
struct HelperThreadLifetimeTests {
    /// Waits up to a second for `object` to be freed.
    func freed(_ object: () -> AnyObject?) -> Bool {
        for _ in 0..<100 {
            if object() == nil { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    @Test func sorterAndPipelineAndReader() throws {
        weak var sorter: MailboxKeySorter?
        weak var pipeline: InsertPipeline?
        weak var reader: PrefetchedMailboxKeys?
        let queue = try DatabaseQueue()
        try queue.inTransaction { db in
            try db.execute(sql: """
                CREATE TABLE domain (id INTEGER PRIMARY KEY, domain TEXT);
                CREATE TABLE t (a, b, c);
                CREATE TABLE mailbox_entry (id INTEGER PRIMARY KEY, local TEXT, domain TEXT, volume_id INTEGER);
                CREATE VIEW mailbox AS SELECT id, local, domain, volume_id FROM mailbox_entry;
                INSERT INTO mailbox_entry (local, domain, volume_id) VALUES ('a', 'x.example', 1);
                """)
            do {
                let s = MailboxKeySorter(capacity: 1 << 16)
                sorter = s
                Array("x.example".utf8).withUnsafeBytes { d in s.add(domain: d, local: d, id: 1, volume: 1) }
                s.seal()
                var keys = try #require(s.sorted())
                let first = keys.next()
                #expect(first)
            }
            do {
                let p = InsertPipeline(connection: db.sqliteConnection!)
                pipeline = p
                let statement = try db.makeStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
                let id = p.register(single: statement, many: statement)
                try p.addRow(id, texts: [], 0, 0, 0)
                try p.drain()   // starts the insert thread
                p.stop()
            }
            do {
                let r = try PrefetchedMailboxKeys(db: db)
                reader = r
                let first = try r.next()
                #expect(first)
                r.finish()
                // Its statements are finalized here, on this thread, not by the reader thread's
                // last release of the object while this thread goes on with the connection.
                #expect(!r.holdsStatements)
                // Asked again after `finish()`, it has no keys (and does not crash), also when
                // it never started reading.
                let again = try r.next()
                #expect(!again)
                let unstarted = try PrefetchedMailboxKeys(db: db)
                unstarted.finish()
                let none = try unstarted.next()
                #expect(!none)
            }
            return .rollback
        }
        #expect(freed { sorter })
        #expect(freed { pipeline })
        #expect(freed { reader })
    }
}
