import Foundation
import GRDB
@testable import ImpactImport
import ImpactModel
import Testing
import TestSupport
@testable import ImpactStore

/// Contract rules about files and headers, end to end through the store.
@Suite("Files, headers and links")
struct ImportRulesTests {
    let dir = TemporaryDirectory()

    /// Header names are trimmed and case-insensitive, unknown columns are ignored, and the
    /// entity is the first of mailboxes, domains, customers, resellers whose required
    /// columns are all present.
    @Test(arguments: [
        (" Address , CLUSTER,volume ,extra\n", Entity.mailbox),
        ("domain,customer_id,address\n", .domain),
        ("customer_id,reseller_id,name,domain\n", .domain),
        ("customer_id,reseller_id,name,contact_email\n", .customer),
        ("reseller_id,name,contact_email,customer_id\n", .customer),
        ("reseller_id,name,contact_email,customer\n", .reseller),
        ("address,cluster,volume,domain,customer_id,reseller_id,name,contact_email\n", .mailbox),
        ("\u{FEFF}reseller_id,NAME,Contact_Email\n", .reseller),
    ])
    func entityFromHeader(header: String, entity: Entity) throws {
        let mapping = try CSVExportReader.mapping(forHeader: header.dropLast().split(separator: ",", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\u{FEFF}", with: "") }, file: "f.csv")
        #expect(mapping.entity == entity)
        let file = dir.write("h.csv", header)
        let summary = try importFiles([file], into: try ImpactStore(path: dir.file("db-\(entity).sqlite")))
        #expect(summary.files.first?.entities == [entity])
    }

    @Test func aTSVFileIsTabSeparated() throws {
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        let file = dir.write("m.tsv", "address\tcluster\tvolume\na,b@x.example\tA\tv1\n")
        _ = try importFiles([file], into: store)
        let rows = try store.queue.read { db in try String.fetchAll(db, sql: "SELECT address FROM mailbox") }
        #expect(rows == ["a,b@x.example"])
    }

    /// A folder is read in file-name order (UTF-8 bytes), which decides duplicates; files
    /// given one by one are read in the order given; other files and sub-folders are skipped.
    @Test func readingOrder() throws {
        dir.write("in/b.csv", "address,cluster,volume\nx@y.example,A,from-b\n")
        dir.write("in/a.csv", "address,cluster,volume\nx@y.example,A,from-a\n")
        dir.write("in/B.csv", "address,cluster,volume\nx@y.example,A,from-B\n")
        dir.write("in/notes.txt", "not an export")
        dir.write("in/sub/c.csv", "address,cluster,volume\nz@y.example,A,v\n")
        let expansion = try InputFiles.expand([dir.file("in")])
        #expect(expansion.files.map { ($0.path as NSString).lastPathComponent } == ["B.csv", "a.csv", "b.csv"])
        #expect(expansion.skipped.map { ($0.path as NSString).lastPathComponent } == ["notes.txt", "sub"])
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles([dir.file("in")], into: store)
        #expect(try store.volumes().map(\.volume.volume) == ["from-B"])
        let given = try ImpactStore(path: dir.file("db2.sqlite"))
        _ = try importFiles([dir.file("in/b.csv"), dir.file("in/a.csv")], into: given)
        #expect(try given.volumes().map(\.volume.volume) == ["from-b"])
    }

    /// Links are resolved after every file is read: mailboxes before their domains, domains
    /// before their customers, customers before their reseller, all in one import.
    @Test func linksAreResolvedAfterAllFiles() throws {
        let files = [
            dir.write("1.csv", "address,cluster,volume\nu@acme.example,A,v\n"),
            dir.write("2.csv", "domain,customer_id\nacme.example,C1\n"),
            dir.write("3.csv", "customer_id,reseller_id,name\nC1,R1,Acme\n"),
            dir.write("4.xml", "<resellers><reseller id=\"R1\"><name>North</name><contact email=\"n@x\"/></reseller></resellers>"),
        ]
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        let summary = try importFiles(files, into: store)
        #expect(summary.problems.unattributedMailboxes == 0)
        #expect(try store.resellerTotals().map { "\($0.reseller.resellerID) \($0.mailboxes) \($0.customers)" } == ["R1 1 1"])
    }

    /// Sorting everywhere is by the UTF-8 bytes of the raw values, not by Unicode order.
    @Test func resellersAreSortedByBytes() throws {
        let file = dir.write("r.csv", "reseller_id,name,contact_email\nÉ1,e,e@x\na1,a,a@x\nZ1,z,z@x\ne1,e,e@x\n")
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles([file], into: store)
        #expect(try store.resellerTotals().map(\.reseller.resellerID) == ["Z1", "a1", "e1", "É1"])
    }
}
