import Foundation
import GRDB
import Testing
import TestSupport
@testable import ImpactStore

/// A database written by an earlier version is brought up to date by the next command that
/// may write (import), keeps its rows, and ends with the same tables and indexes as a new one;
/// a read command reads it as it is and leaves it unchanged.
@Suite("Schema versions")
struct SchemaMigrationTests {
    let dir = TemporaryDirectory()
    static let firstVersion = "Create resellers, customers, domains, mailboxes and rejects"

    /// Columns of every table and the columns (or expressions) of every index.
    static func layout(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var lines: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
                let columns = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\" FROM pragma_table_info(?)", arguments: [table])
                    .map { "\($0[0] as String) \($0[1] as String)\($0[2] as Bool ? " NOT NULL" : "")" }
                lines.append("table \(table): \(columns.joined(separator: ", "))")
            }
            for view in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name") {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [view])
                lines.append("view \(view): \(columns.joined(separator: ", "))")
            }
            for row in try Row.fetchAll(db, sql: "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name") {
                let name: String = row[0]
                let columns = try Row.fetchAll(db, sql: "SELECT coalesce(name, '<expr>') FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", arguments: [name])
                    .map { $0[0] as String }
                lines.append("index \(name) on \(row[1] as String): \(columns.joined(separator: ", "))")
            }
            return lines
        }
    }

    @Test func theFirstVersionIsUpgradedByTheNextImport() throws {
        let old = dir.file("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: old)
            try Schema.migrator().migrate(queue, upTo: Self.firstVersion)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO volume (cluster, volume) VALUES ('A', 'vol01')")
                try db.execute(sql: """
                    INSERT INTO mailbox (address, address_hash, domain, volume_id, size_mb, source_file_id, line, col)
                    VALUES ('kept@acme.example', 1, 'acme.example', 1, 5, 1, 2, 1)
                    """)
            }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: old))

        // A read command reads it as it is (its volumes, its mailboxes by domain), untouched.
        let reader = try ImpactStore(path: old, mustExist: true)
        #expect(reader.readsOlderSchema)
        try reader.withSnapshot {
            #expect(try reader.volumes().isEmpty)   // no exposure was built by hand here
            var seen: [String] = []
            try reader.scanMailboxes(onVolumes: [1]) { address, _, _ in seen.append(String(decoding: address, as: UTF8.self)) }
            #expect(seen == ["kept@acme.example"])
        }
        reader.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: old)) == before)

        // Opening to write upgrades it; the row stays and the index finds it by domain.
        let store = try ImpactStore(path: old)
        let found = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT address FROM mailbox WHERE domain = 'acme.example'")
        }
        #expect(found == ["kept@acme.example"])
        store.close()

        let fresh = dir.file("new.sqlite")
        try ImpactStore(path: fresh).close()
        #expect(try Self.layout(old) == Self.layout(fresh))
        #expect(try Self.layout(fresh).contains("index mailbox_by_domain on mailbox_entry: domain, local, volume_id"))
        #expect(try Self.layout(fresh).contains(
            "view mailbox: id, address, local, domain, volume_id, size_mb, source_file_id, line, col"))

        // And an import into it works like one into a new database.
        let file = dir.write("m.csv", "address,cluster,volume\nnew@acme.example,A,vol02\n")
        let upgraded = try ImpactStore(path: old)
        _ = try importFiles([file], into: upgraded)
        #expect(try upgraded.volumes().map(\.volume.description) == ["A/vol02"])
    }

    static let secondVersion = "One mailbox index; no stored domain or address hash"

    /// Version 2 held the whole address and indexed its domain as an expression. Read as it
    /// is, it gives the same mailboxes; the next import splits every address into local part
    /// and domain (keeping each scalar and the row ids) and the index is on the columns.
    @Test func theSecondVersionIsReadAsItIsAndSplitByTheNextImport() throws {
        let old = dir.file("v2.sqlite")
        let addresses = ["kept@acme.example", "zed@\u{301}mark.example", "@acme.example", "user@", "\u{600}@x.example"]
        do {
            let queue = try DatabaseQueue(path: old)
            try Schema.migrator().migrate(queue, upTo: Self.secondVersion)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO volume (cluster, volume) VALUES ('A', 'vol01')")
                for (i, address) in addresses.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO mailbox (id, address, volume_id, size_mb, source_file_id, line, col) VALUES (?, ?, 1, 5, 1, ?, 1)
                        """, arguments: [10 + i, address, 2 + i])
                }
            }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: old))
        let reader = try ImpactStore(path: old, mustExist: true)
        #expect(reader.readsOlderSchema)
        var seen: [[UInt8]] = []
        try reader.withSnapshot {
            try reader.scanMailboxes(onVolumes: [1]) { address, _, _ in seen.append(Array(address)) }
        }
        reader.close()
        #expect(Set(seen) == Set(addresses.map { Array($0.utf8) }))
        #expect(try Data(contentsOf: URL(fileURLWithPath: old)) == before)

        let store = try ImpactStore(path: old)
        #expect(!store.readsOlderSchema)
        let rows = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, local, domain, address, line FROM mailbox ORDER BY id")
        }
        #expect(rows.map { $0[0] as Int64 } == Array(10..<Int64(10 + addresses.count)))
        for (row, address) in zip(rows, addresses) {
            let at = address.unicodeScalars.firstIndex(of: "@")!
            #expect(Array((row[1] as String).utf8) == Array(String(address.unicodeScalars[..<at]).utf8))
            #expect(Array((row[2] as String).utf8) == Array(String(address.unicodeScalars[address.unicodeScalars.index(after: at)...]).utf8))
            #expect(Array((row[3] as String).utf8) == Array(address.utf8))
        }
        var upgraded: [[UInt8]] = []
        try store.withSnapshot {
            try store.scanMailboxes(onVolumes: [1]) { address, _, _ in upgraded.append(Array(address)) }
        }
        #expect(upgraded.sorted { $0.lexicographicallyPrecedes($1) } == seen.sorted { $0.lexicographicallyPrecedes($1) })
        store.close()
        let fresh = dir.file("fresh.sqlite")
        try ImpactStore(path: fresh).close()
        #expect(try Self.layout(old) == Self.layout(fresh))
    }

    /// The view over the mailboxes goes and comes back only with an import of mailboxes: one
    /// of resellers leaves it as it was, and one of mailboxes that fails leaves it too.
    @Test func theMailboxViewOutlivesImportsOfOtherEntitiesAndFailedOnes() throws {
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        let mailboxes = dir.write("m.csv", "address,cluster,volume\na@acme.example,A,v1\nb@acme.example,A,v2\n")
        _ = try importFiles([mailboxes], into: store)
        let resellers = dir.write("r.csv", "reseller_id,name,contact_email\nR1,N,n@x.example\n")
        _ = try importFiles([resellers], into: store)
        func addresses() throws -> [String] {
            try store.queue.read { db in try String.fetchAll(db, sql: "SELECT address FROM mailbox ORDER BY address") }
        }
        #expect(try addresses() == ["a@acme.example", "b@acme.example"])
        let bad = dir.write("bad.csv", "address,cluster,volume\nc@acme.example,A,v1\nno-at,A,v1\n")
        #expect(throws: (any Error).self) { _ = try importFiles([bad], into: store, strict: true) }
        #expect(try addresses() == ["a@acme.example", "b@acme.example"])
        _ = try importFiles([bad], into: store, allowShrink: true)
        #expect(try addresses() == ["c@acme.example"])
    }
}
