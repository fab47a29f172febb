import Foundation
import GRDB
import ImpactImport
import ImpactModel
import Testing
import TestSupport
@testable import ImpactStore

@Suite("Import into the store")
struct ImportSessionTests {
    let dir = TemporaryDirectory()

    func store() throws -> ImpactStore { try ImpactStore(path: dir.file("db.sqlite")) }

    func count(_ store: ImpactStore, _ table: String) throws -> Int {
        try store.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test func importsTheSmallDataSetWithItsBrokenLinks() throws {
        let store = try store()
        let summary = try importFiles(SmallDataSet.write(into: dir), into: store)
        #expect(summary.replaced.map(\.entity) == [.reseller, .customer, .domain, .mailbox])
        #expect(summary.replaced.map(\.after) == [3, 4, 5, 8])
        #expect(summary.rejected == 0)
        #expect(summary.problems == DataProblems(customersWithUnknownReseller: 1, domainsWithUnknownCustomer: 1,
                                                 mailboxesWithUnknownDomain: 1, unattributedMailboxes: 3, rejectsByEntity: [:]))
        let languages = try store.resellerTotals().map(\.reseller.language)
        #expect(languages == ["en", "de", "en"])
    }

    /// First accepted occurrence of a key wins, across files and formats; later ones are
    /// rejected naming the first; a rejected row claims no key.
    @Test func firstAcceptedOccurrenceWins() throws {
        let a = dir.write("a.csv", """
            address,cluster,volume
            x@y.example,A,v1
            bad-address,A,v1
            Dup@Y.example.,A,v2
            """)
        let b = dir.write("b.xml", """
            <mailboxes cluster="B">
              <mailbox address="dup@y.example" volume="v3"/>
              <mailbox address="bad-address@y.example" volume=""/>
              <mailbox address="bad-address@y.example" volume="v4"/>
            </mailboxes>
            """)
        let store = try store()
        let summary = try importFiles([a, b], into: store)
        let rows = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT m.address, v.cluster, v.volume FROM mailbox m JOIN volume v ON v.id = m.volume_id ORDER BY m.address")
                .map { "\($0["address"] as String) \($0["cluster"] as String)/\($0["volume"] as String)" }
        }
        #expect(rows == ["bad-address@y.example B/v4", "dup@y.example A/v2", "x@y.example A/v1"])
        let rejects = try store.rejects()
        #expect(rejects.map(\.reason) == [
            "address has no '@'",
            "duplicate address 'dup@y.example': the first accepted one is at \(a):4",
            "missing required field volume",
        ])
        #expect(rejects.map(\.line) == [3, 2, 3])
        #expect(summary.files.map(\.read) == [3, 3])
        #expect(summary.files.map(\.imported) == [2, 1])
        #expect(summary.files.map(\.rejected) == [1, 2])
    }

    @Test(arguments: [
        ("resellers", "reseller_id,name,contact_email\nR1,A,a@x\nR1,B,b@x\n", "duplicate reseller_id 'R1'"),
        ("customers", "customer_id,reseller_id,name\nC1,R1,A\nC1,R2,B\n", "duplicate customer_id 'C1'"),
        ("domains", "domain,customer_id\nExample.COM.,C1\nexample.com,C2\n", "duplicate domain 'example.com'"),
    ])
    func duplicatesOfEveryKey(name: String, csv: String, reason: String) throws {
        let store = try store()
        let file = dir.write("\(name).csv", csv)
        let summary = try importFiles([file], into: store)
        #expect(summary.rejected == 1)
        #expect(try store.rejects().first?.reason == "\(reason): the first accepted one is at \(file):2")
    }

    @Test func importReplacesOnlyTheEntitiesPresent() throws {
        let store = try store()
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        let newMailboxes = dir.write("new/mailboxes.csv", """
            address,cluster,volume
            alice@acme.example,A,vol09
            bob@acme.example,A,vol09
            carol@beta.example,A,vol09
            dave@beta.example,A,vol09
            erin@gamma.example,A,vol09
            """)
        let summary = try importFiles([newMailboxes], into: store)
        #expect(summary.replaced.map(\.entity) == [.mailbox])
        #expect(try count(store, "reseller") == 3)
        #expect(try count(store, "customer") == 4)
        #expect(try count(store, "mailbox") == 5)
        #expect(try store.volumes().map(\.volume.description) == ["A/vol09"])
        #expect(summary.emptiedClusters == [ImportSummary.EmptiedCluster(cluster: "B", mailboxesBefore: 1)])
    }

    @Test func shrinkingExportIsRefusedUnlessAllowed() throws {
        let store = try store()
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.file("db.sqlite")))
        let headerOnly = dir.write("shrunk/mailboxes.csv", "address,cluster,volume\n")
        #expect {
            try importFiles([headerOnly], into: store)
        } throws: { error in
            (error as? StoreError)?.kind == .refusedData
                && (error as? StoreError)?.message.hasPrefix("the import would leave 0 mailboxes where there are 8 now (fewer than half)") == true
        }
        #expect(try count(store, "mailbox") == 8)
        _ = before
        let half = dir.write("half/mailboxes.csv", "address,cluster,volume\na@acme.example,A,v\nb@acme.example,A,v\nc@acme.example,A,v\n")
        #expect(throws: StoreError.self) { try importFiles([half], into: store) }
        let exactlyHalf = dir.write("exact/mailboxes.csv", "address,cluster,volume\na@acme.example,A,v\nb@acme.example,A,v\nc@acme.example,A,v\nd@acme.example,A,v\n")
        #expect(try importFiles([exactlyHalf], into: store).replaced.first?.after == 4)
        let summary = try importFiles([headerOnly], into: store, allowShrink: true)
        #expect(summary.replaced.first?.after == 0)
    }

    @Test func aMalformedFileLeavesTheDatabaseAsItWas() throws {
        let store = try store()
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        let good = dir.write("later/1-mailboxes.csv", "address,cluster,volume\nz@acme.example,A,v\n")
        let bad = dir.write("later/2-resellers.xml", "<resellers>\n  <reseller id=\"R9\">\n</resellers>\n")
        #expect(throws: ImportError.self) { try importFiles([good, bad], into: store) }
        #expect(try count(store, "mailbox") == 8)
        #expect(try count(store, "reseller") == 3)
        #expect(try count(store, "import_run") == 1)
        #expect(try store.queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
    }

    /// The import runs with foreign keys off, `INSERT OR FAIL` and `secure_delete = FAST`
    /// (the statement journal of a re-import) and a small page cache (the index sorts' runs);
    /// what it leaves satisfies every foreign key, and the connection has its settings back
    /// after an import that worked and after one that failed (`run` reads on it next).
    @Test func importSettingsAreSetBackAndKeysHold() throws {
        let store = try store()
        func settings() throws -> [Int] {
            try store.queue.writeWithoutTransaction { db in
                [try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!, try Int.fetchOne(db, sql: "PRAGMA secure_delete")!,
                 try Int.fetchOne(db, sql: "PRAGMA cache_size")!]
            }
        }
        let before = try settings()
        #expect(before[0] == 1)
        #expect(before[2] == -32768)
        let files = try SmallDataSet.write(into: dir)
        _ = try importFiles(files, into: store)
        _ = try importFiles(files, into: store)  // a re-import: old tables dropped, pages reused
        #expect(try settings() == before)
        let bad = dir.write("later/2-resellers.xml", "<resellers>\n  <reseller id=\"R9\">\n</resellers>\n")
        #expect(throws: ImportError.self) { try importFiles([bad], into: store) }
        #expect(try settings() == before)
        let violations = try store.queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
        #expect(violations == 0)
        #expect(try store.queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try count(store, "mailbox") == 8)
    }

    @Test func strictTurnsADuplicateIntoAnError() throws {
        let store = try store()
        let file = dir.write("m.csv", "address,cluster,volume\na@x.example,A,v\nA@X.example,A,v\n")
        #expect {
            try importFiles([file], into: store, strict: true)
        } throws: { error in
            String(describing: error) == "\(file):3:1: error: duplicate address 'a@x.example': the first accepted one is at \(file):2 (--strict turns every rejected row into an error)"
        }
        #expect(try count(store, "mailbox") == 0)
    }

    @Test func rejectsOfAReplacedEntityAreReplacedToo() throws {
        let store = try store()
        let first = dir.write("m1.csv", "address,cluster,volume\nbad,A,v\na@x.example,A,v\n")
        _ = try importFiles([first], into: store)
        let domains = dir.write("d.csv", "domain,customer_id\n,C1\nx.example,C1\n")
        _ = try importFiles([domains], into: store)
        #expect(try store.rejects().map(\.file) == [first, domains])
        let second = dir.write("m2.csv", "address,cluster,volume\na@x.example,A,v\n")
        _ = try importFiles([second], into: store)
        #expect(try store.rejects().map(\.file) == [domains])
    }
}

@Suite("Two processes on one database")
struct ConcurrencyTests {
    let dir = TemporaryDirectory()

    /// A second writer waits the given time, then fails with a clear message; readers are
    /// never blocked by a writer (WAL) and see the last committed data.
    @Test func aSecondWriterWaitsThenFailsAndReadersGoOn() throws {
        let path = dir.file("db.sqlite")
        let store = try ImpactStore(path: path, busyTimeout: 0.3)
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        let other = try DatabaseQueue(path: path)
        let file = dir.write("next/m.csv", "address,cluster,volume\na@acme.example,A,vol01\n")
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM reseller")
            let started = Date()
            #expect {
                try importFiles([file], into: store, allowShrink: true)
            } throws: { error in
                (error as? StoreError)?.kind == .busy
                    && (error as? StoreError)?.message == "\(path): the database is busy (another reseller-impact is writing it) and stayed busy while importing; try again when it has finished"
            }
            #expect(Date().timeIntervalSince(started) >= 0.25)
            #expect(try store.resellerTotals().count == 3)
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try importFiles([file], into: store, allowShrink: true).replaced.first?.after == 1)
    }

    func journalMode(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode")! }
    }

    /// The first import into a new database runs with a rollback journal (it writes the file
    /// once); whether it commits or fails, the database is in WAL mode afterwards, and a
    /// failed one leaves it empty.
    @Test(arguments: [true, false])
    func aFirstImportEndsInWALMode(succeeds: Bool) throws {
        let path = dir.file("first-\(succeeds).sqlite")
        let store = try ImpactStore(path: path)
        var files = SmallDataSet.write(into: dir)
        if !succeeds { files.append(dir.write("broken.xml", "<mailboxes cluster=\"A\"><mailbox address=\"a@b.example\" volume=\"v\">")) }
        if succeeds {
            _ = try importFiles(files, into: store)
        } else {
            #expect(throws: ImportError.self) { try importFiles(files, into: store) }
        }
        let counts = try store.queue.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM import_run")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM mailbox")!]
        }
        #expect(counts == (succeeds ? [1, 8] : [0, 0]))
        store.close()
        #expect(try journalMode(path) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
    }

    /// Later imports stay in WAL mode: a reader is never blocked by them.
    @Test func aLaterImportKeepsWAL() throws {
        let path = dir.file("later.sqlite")
        let store = try ImpactStore(path: path)
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        let reader = try DatabaseQueue(path: path)
        try reader.read { db in
            // A read transaction stays open while the second import runs and commits.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM mailbox") == 8)
            _ = try importFiles(SmallDataSet.write(into: dir), into: store)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM mailbox") == 8)
        }
        #expect(try reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        try reader.close()
    }

    /// Another connection open on a new database (a reader, a sqlite3 shell): the first import
    /// cannot leave WAL then, and runs in WAL instead of failing.
    @Test func aFirstImportWithAnotherConnectionOpenRunsInWAL() throws {
        let path = dir.file("shared.sqlite")
        let store = try ImpactStore(path: path)
        let other = try DatabaseQueue(path: path)
        _ = try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM reseller") }
        let summary = try importFiles(SmallDataSet.write(into: dir), into: store)
        #expect(summary.replaced.map(\.after) == [3, 4, 5, 8])
        #expect(try other.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        try other.close()
    }
}
