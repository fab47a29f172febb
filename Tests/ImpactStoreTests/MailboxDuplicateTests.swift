import Foundation
import GRDB
import ImpactImport
import ImpactModel
import Testing
import TestSupport
@testable import ImpactStore

/// Duplicate addresses are found as neighbours in the mailbox index (domain, then address):
/// whatever sits between two occurrences in the files, on whichever volumes, the first
/// accepted one wins and only it is counted.
@Suite("Duplicate mailbox addresses")
struct MailboxDuplicateTests {
    let dir = TemporaryDirectory()

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Mailbox files, read in this order; each gets the header `address,cluster,volume`.
        var files: [String]
        /// What stays, sorted, as `address volume`.
        var kept: [String]
        /// The rejects, as `file:line reason`.
        var rejects: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no duplicates, one address a prefix of another",
             files: ["a@x.example,A,v1\nab@x.example,A,v2\na@x.example.org,A,v1\nb@x.example,A,v1\n"],
             kept: ["a@x.example v1", "a@x.example.org v1", "ab@x.example v2", "b@x.example v1"], rejects: []),
        Case(name: "the same address on another volume, other rows between",
             files: ["a@x.example,A,v1\nb@x.example,A,v1\nc@y.example,A,v2\na@x.example,A,v2\n"],
             kept: ["a@x.example v1", "b@x.example v1", "c@y.example v2"],
             rejects: ["0.csv:5 duplicate address 'a@x.example': the first accepted one is at 0.csv:2"]),
        Case(name: "three times over two files: both later ones name the first",
             files: ["z@x.example,A,v3\na@x.example,A,v1\n", "a@x.example,A,v2\nq@x.example,A,v1\na@x.example,A,v1\n"],
             kept: ["a@x.example v1", "q@x.example v1", "z@x.example v3"],
             rejects: ["1.csv:2 duplicate address 'a@x.example': the first accepted one is at 0.csv:3",
                       "1.csv:4 duplicate address 'a@x.example': the first accepted one is at 0.csv:3"]),
        Case(name: "case and a trailing dot make no new address",
             files: ["A@X.Example,A,v1\na@x.example.,A,v2\n"],
             kept: ["a@x.example v1"],
             rejects: ["0.csv:3 duplicate address 'a@x.example': the first accepted one is at 0.csv:2"]),
        Case(name: "an empty local part or domain, twice each",
             files: ["@x.example,A,v1\nuser@,A,v1\n@x.example,A,v2\nuser@,A,v2\n"],
             kept: ["@x.example v1", "user@ v1"],
             rejects: ["0.csv:4 duplicate address '@x.example': the first accepted one is at 0.csv:2",
                       "0.csv:5 duplicate address 'user@': the first accepted one is at 0.csv:3"]),
        Case(name: "the first one sorts after its duplicate (lower volume id) in the index",
             files: ["z@x.example,A,v1\na@x.example,A,v2\na@x.example,A,v1\n"],
             kept: ["a@x.example v2", "z@x.example v1"],
             rejects: ["0.csv:4 duplicate address 'a@x.example': the first accepted one is at 0.csv:3"]),
        Case(name: "canonically equivalent spellings (NFC, NFD) are different addresses; each one's repeat is a duplicate",
             files: ["jos\u{E9}@x.example,A,v1\njose\u{301}@x.example,A,v1\njos\u{E9}@x.example,A,v1\njose\u{301}@x.example,A,v1\n"],
             kept: ["jose\u{301}@x.example v1", "jos\u{E9}@x.example v1"],
             rejects: ["0.csv:4 duplicate address 'jos\u{E9}@x.example': the first accepted one is at 0.csv:2",
                       "0.csv:5 duplicate address 'jose\u{301}@x.example': the first accepted one is at 0.csv:3"]),
        Case(name: "two groups side by side in the index",
             files: ["b@x.example,A,v1\na@x.example,A,v1\nb@x.example,A,v2\na@x.example,A,v2\n"],
             kept: ["a@x.example v1", "b@x.example v1"],
             rejects: ["0.csv:4 duplicate address 'b@x.example': the first accepted one is at 0.csv:2",
                       "0.csv:5 duplicate address 'a@x.example': the first accepted one is at 0.csv:3"]),
    ]

    /// Both ways of finding them: from the new mailboxes' keys sorted in memory, and (when
    /// they do not fit) from a read of the new index.
    @Test(arguments: cases, [MailboxKeySorter.defaultCapacity, 0])
    func firstAcceptedWins(_ c: Case, keyBytes: Int) throws {
        let files = c.files.enumerated().map { i, rows in dir.write("\(i).csv", "address,cluster,volume\n" + rows) }
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        var options = ImportOptions()
        options.mailboxKeyBytes = keyBytes
        let inputs = try InputFiles.expand(files).files
        _ = try store.importExports(options: options) { sink in try Importer(files: inputs, strict: false).run(into: sink) }
        let kept = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT m.address, v.volume FROM mailbox m JOIN volume v ON v.id = m.volume_id ORDER BY m.address")
                .map { "\($0[0] as String) \($0[1] as String)" }
        }
        #expect(kept == c.kept)
        let rejects = try store.rejects().map { "\(($0.file as NSString).lastPathComponent):\($0.line) \($0.reason)" }
            .map { $0.replacingOccurrences(of: dir.path + "/", with: "") }
        #expect(rejects == c.rejects)
        // Only the winners are counted, each on its own volume.
        let counted = Dictionary(uniqueKeysWithValues: try store.volumes().map { ($0.volume.volume, $0.mailboxes) })
        let expected = Dictionary(grouping: c.kept, by: { String($0.split(separator: " ")[1]) }).mapValues(\.count)
        #expect(counted == expected)
    }

    /// Under --strict the first duplicate, in address order, is the error.
    @Test func strictStopsAtTheFirstDuplicate() throws {
        let file = dir.write("m.csv", "address,cluster,volume\nb@x.example,A,v1\na@x.example,A,v1\nb@x.example,A,v2\na@x.example,A,v2\n")
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        #expect {
            _ = try importFiles([file], into: store, strict: true)
        } throws: { error in
            "\(error)" == "\(file):5:1: error: duplicate address 'a@x.example': the first accepted one is at \(file):3 (--strict turns every rejected row into an error)"
        }
        #expect(try store.volumes().isEmpty)
    }
}

/// Mailbox rows go to SQLite on a second thread in batches; rejects, new volumes and new files
/// wait for it. Whatever the interleaving, every row lands once, in reading order.
@Suite("Mailbox rows inserted on a second thread")
struct InsertPipelineTests {
    let dir = TemporaryDirectory()

    @Test func manyBatchesWithRejectsNewVolumesAndDuplicatesBetween() throws {
        let perFile = InsertPipeline.batchRows * 2 + 123
        var expectedKept: [String] = []   // "address file:line volume"
        var expectedRejects: [String] = []
        var seen: [String: String] = [:]
        var paths: [String] = []
        for f in 0..<2 {
            var text = "address,cluster,volume\n"
            for i in 0..<perFile {
                let line = i + 2
                let volume = "v\((i / 1000) + f * 10)"   // a new volume every 1000 rows
                if i % 97 == 5 {
                    text += "broken-\(f)-\(i),A,\(volume)\n"
                    expectedRejects.append("\(f).csv:\(line) address has no '@'")
                    continue
                }
                // Every 1000th row of the second file repeats an address of the first.
                let address = f == 1 && i % 1000 == 7 ? "user\(i)@d\(i % 50).example" : "user\(f == 0 ? i : i + perFile)@d\(i % 50).example"
                text += "\(address),A,\(volume)\n"
                if let first = seen[address] {
                    expectedRejects.append("\(f).csv:\(line) duplicate address '\(address)': the first accepted one is at \(first)")
                } else {
                    seen[address] = "\(f).csv:\(line)"
                    expectedKept.append("\(address) \(f).csv:\(line) \(volume)")
                }
            }
            paths.append(dir.write("\(f).csv", text))
        }
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        let summary = try importFiles(paths, into: store)
        #expect(summary.files.map(\.read) == [perFile, perFile])
        // Row ids follow the reading order, which decides duplicates.
        let kept = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.address, f.path, m.line, v.volume FROM mailbox m
                JOIN source_file f ON f.id = m.source_file_id JOIN volume v ON v.id = m.volume_id ORDER BY m.id
                """).map { "\($0[0] as String) \(($0[1] as String as NSString).lastPathComponent):\($0[2] as Int) \($0[3] as String)" }
        }
        #expect(kept.count == expectedKept.count)
        #expect(kept == expectedKept)
        let rejects = try store.rejects().map { "\(($0.file as NSString).lastPathComponent):\($0.line) \($0.reason)" }
            .map { $0.replacingOccurrences(of: dir.path + "/", with: "") }
        #expect(Set(rejects) == Set(expectedRejects))
        #expect(rejects.count == expectedRejects.count)
    }
}

/// Runs of `rowsPerStep` rows for one statement go in one step of its many-row form, the rest
/// one by one: whatever the mix, every row lands once, in the order added, with its NULLs and
/// empty texts as they were.
@Suite("Rows inserted in runs")
struct InsertPipelineRunTests {
    let dir = TemporaryDirectory()

    @Test(arguments: [
        // Rows per turn of the two tables, repeated until 300 rows.
        [1], [InsertPipeline.rowsPerStep], [InsertPipeline.rowsPerStep - 1, 1],
        [InsertPipeline.rowsPerStep + 1, 2], [2 * InsertPipeline.rowsPerStep + 3, InsertPipeline.rowsPerStep],
        [300],
    ])
    func everyRowOnceInOrder(turns: [Int]) throws {
        let queue = try DatabaseQueue(path: dir.file("pipeline.sqlite"))
        // In one transaction, as in an import (the pipeline steps outside GRDB's bookkeeping).
        var expected: [String] = []
        try queue.inTransaction { db in
            try db.execute(sql: """
                CREATE TABLE a (id INTEGER PRIMARY KEY, t TEXT, f INTEGER, line INTEGER, col INTEGER);
                CREATE TABLE b (id INTEGER PRIMARY KEY, t TEXT, u TEXT, f INTEGER, line INTEGER, col INTEGER);
                """)
            func sql(_ table: String, _ columns: [String], rows: Int) -> String {
                let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
                return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: row, count: rows).joined(separator: ", ")
            }
            let pipeline = InsertPipeline(connection: db.sqliteConnection!)
            defer { pipeline.stop() }
            var ids: [Int32] = []
            var statements: [Statement] = []   // alive while the pipeline uses their handles
            for (table, columns) in [("a", ["t", "f", "line", "col"]), ("b", ["t", "u", "f", "line", "col"])] {
                statements += [try db.makeStatement(sql: sql(table, columns, rows: 1)),
                               try db.makeStatement(sql: sql(table, columns, rows: InsertPipeline.rowsPerStep))]
                ids.append(pipeline.register(single: statements[statements.count - 2], many: statements[statements.count - 1]))
            }
            var n = 0
            var turn = 0
            while n < 300 {
                let table = turn % 2
                for _ in 0..<turns[turn % turns.count] where n < 300 {
                    let t: String? = n % 7 == 3 ? nil : n % 11 == 4 ? "" : "t\(n)"
                    if table == 0 {
                        try pipeline.addRow(ids[0], texts: [t], Int64(n), n + 2, 1)
                        expected.append("a \(t ?? "NULL") \(n)")
                    } else {
                        try pipeline.addRow(ids[1], texts: [t, "u\(n)"], Int64(n), n + 2, 1)
                        expected.append("b \(t ?? "NULL") u\(n) \(n)")
                    }
                    n += 1
                }
                turn += 1
            }
            try pipeline.drain()
            return .commit
        }
        let stored = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT 'a' || ' ' || coalesce(t, 'NULL') || ' ' || f AS r, line FROM a
                UNION ALL SELECT 'b' || ' ' || coalesce(t, 'NULL') || ' ' || u || ' ' || f, line FROM b
                ORDER BY line
                """).map { $0["r"] as String }
        }
        #expect(stored == expected)
        // Row ids follow the order added within each table.
        let inOrder = try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM a x JOIN a y ON y.id > x.id AND y.line < x.line)")!
                && Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM b x JOIN b y ON y.id > x.id AND y.line < x.line)")!
        }
        #expect(inOrder)
    }

    /// An insert that fails (here a NULL into a NOT NULL column) surfaces as an error of a
    /// later hand-over or drain; rows added after that error must not overfill the batch
    /// (they are dropped with the import).
    @Test func rowsAfterAFailedInsertAreDroppedNotOverfilled() throws {
        let queue = try DatabaseQueue(path: dir.file("failing.sqlite"))
        var failures = 0
        try queue.inTransaction { db in
            try db.execute(sql: "CREATE TABLE n (id INTEGER PRIMARY KEY, x TEXT NOT NULL, f INTEGER, line INTEGER, col INTEGER)")
            let single = try db.makeStatement(sql: "INSERT INTO n (x, f, line, col) VALUES (?, ?, ?, ?)")
            let many = try db.makeStatement(sql: "INSERT INTO n (x, f, line, col) VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: InsertPipeline.rowsPerStep).joined(separator: ", "))
            let pipeline = InsertPipeline(connection: db.sqliteConnection!)
            defer { pipeline.stop() }
            let id = pipeline.register(single: single, many: many)
            for n in 0..<(6 * InsertPipeline.batchRows) {
                do {
                    try pipeline.addRow(id, texts: [n == 0 ? nil : "x\(n)"], 1, n + 2, 1)
                } catch {
                    failures += 1
                }
            }
            #expect(throws: DatabaseError.self) { try pipeline.drain() }
            return .rollback
        }
        #expect(failures >= 1)
    }

    /// A batch starts with room for about 64 bytes of text and 8 fields a row and grows past
    /// that: rows of twelve texts, some of them long, must come out as they went in.
    @Test func longTextsAndWideRowsGrowTheBatch() throws {
        let queue = try DatabaseQueue(path: dir.file("wide.sqlite"))
        let columns = (0..<12).map { "c\($0)" }
        let rows = InsertPipeline.batchRows + 500
        var expected: [String] = []
        try queue.inTransaction { db in
            try db.execute(sql: "CREATE TABLE w (id INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")), f INTEGER, line INTEGER, col INTEGER)")
            let all = columns + ["f", "line", "col"]
            func sql(rows: Int) -> String {
                let row = "(" + Array(repeating: "?", count: all.count).joined(separator: ", ") + ")"
                return "INSERT INTO w (\(all.joined(separator: ", "))) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
            }
            let single = try db.makeStatement(sql: sql(rows: 1))
            let many = try db.makeStatement(sql: sql(rows: InsertPipeline.rowsPerStep))
            let pipeline = InsertPipeline(connection: db.sqliteConnection!)
            defer { pipeline.stop() }
            let id = pipeline.register(single: single, many: many)
            for n in 0..<rows {
                // Every third row about 2.4 KB of text, the others short.
                let texts = (0..<12).map { c in n % 3 == 0 ? String(repeating: "\(c)", count: 200) + "#\(n)" : "r\(n)c\(c)" }
                try pipeline.addRow(id, texts: texts, 1, n + 2, 1)
                expected.append(texts.joined(separator: "|"))
            }
            try pipeline.drain()
            return .commit
        }
        let stored = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT \(columns.joined(separator: " || '|' || ")) FROM w ORDER BY id")
        }
        #expect(stored.count == rows)
        #expect(stored == expected)
    }
}
