import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore
import Testing
import TestSupport
@testable import ImpactReports

@Suite("Report folder and exports")
struct ReportWriterTests {
    let dir = TemporaryDirectory()

    /// Imports the small data set, then `replacements` (if any) as a second import that
    /// replaces the entities they hold.
    func setUp(replacements: [String] = [], offline: [String] = ["A/vol01"]) throws -> (ImpactStore, OfflineVolumeSet, IncidentImpact) {
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        if !replacements.isEmpty { _ = try importFiles(replacements, into: store, allowShrink: true) }
        let set = try OfflineVolumeSet(OfflineVolumeSet.parse(options: offline), known: store.volumes())
        return (store, set, try ImpactAnalyzer(store: store).analyze(set))
    }

    func files(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Three resellers whose names, ids and addresses need quoting, the formula guard,
    /// non-ASCII text and an '@' followed by a combining mark; R1 has a list longer than the
    /// 64 KB chunks lists are written in. Imported, and analysed for A/vol01, A/vol02, +B/@vol4.
    func hostileSetUp() throws -> (ImpactStore, OfflineVolumeSet, IncidentImpact) {
        let many = (0..<2000).map { "user\($0)@acme.example,A,vol01\n" }.joined()
        let files = [
            dir.write("1.csv", """
                reseller_id,name,contact_email
                R1,"Northwind, ""the"" hosts",noc@northwind.example
                =R2,@Ünïcode Hosting,x@y.example
                -R3,Plain,p@q.example

                """),
            dir.write("2.csv", """
                customer_id,reseller_id,name
                C1,R1,"Acme, Ltd"
                +C2,R1,"=HYPERLINK(""x"")"
                C3,=R2,Café Crème
                C4,-R3,"two
                lines"

                """),
            dir.write("3.csv", """
                domain,customer_id
                acme.example,C1
                beta.example,+C2
                café.example,C3
                four.example,C4
                \u{301}mark.example,C1

                """),
            dir.write("4.csv", """
                address,cluster,volume
                alice@acme.example,A,vol01
                -bob@acme.example,A,vol01
                =carol@beta.example,A,vol01
                "dan,x@beta.example",A,vol02
                zoë@café.example,A,vol01
                eve@café.example,+B,@vol4
                frank@four.example,A,vol01
                gina@acme.example,A,vol03
                zed@\u{301}mark.example,A,vol01

                """ + many),
        ]
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles(files, into: store)
        let set = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol01", "A/vol02", "+B/@vol4"]), known: store.volumes())
        return (store, set, try ImpactAnalyzer(store: store).analyze(set))
    }

    /// The report writes each reseller's list on bytes; the export goes through
    /// `AffectedMailboxRow` and `CSVOutput.row`. With values that need quoting, doubled
    /// quotes, the formula guard (in every column), non-ASCII text, an '@' followed by a
    /// combining mark, and a list longer than the 64 KB chunks it is written in, the two give
    /// the same bytes (compared as bytes: String equality would equate NFC and NFD).
    @Test func reportListsAreTheExportsRowsByteForByte() throws {
        let (store, set, impact) = try hostileSetUp()
        let out = dir.file("report")
        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: out)
        let affected = impact.resellers.filter { $0.status != .none }
        #expect(affected.count == 3)
        for reseller in affected {
            let id = reseller.reseller.resellerID
            let exported = dir.file("export-\(FileID.make(for: id)).csv")
            try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: exported, format: .csv, resellerID: id)
            let list = FileManager.default.contents(atPath: dir.file("report/resellers/\(FileID.make(for: id))-affected-mailboxes.csv"))
            #expect(list != nil && list == FileManager.default.contents(atPath: exported), "reseller \(id)")
        }
        let r1 = try #require(FileManager.default.contents(atPath: dir.file("report/resellers/\(FileID.make(for: "R1"))-affected-mailboxes.csv")))
        #expect(r1.count > 2 << 16)
        let lines = String(decoding: r1, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 1 + 2000 + 5 + 1)
        #expect(lines.prefix(4) == [
            "address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name",
            #"'=carol@beta.example,A,vol01,beta.example,'+C2,"'=HYPERLINK(""x"")",R1,"Northwind, ""the"" hosts""#,
            #""dan,x@beta.example",A,vol02,beta.example,'+C2,"'=HYPERLINK(""x"")",R1,"Northwind, ""the"" hosts""#,
            #"'-bob@acme.example,A,vol01,acme.example,C1,"Acme, Ltd",R1,"Northwind, ""the"" hosts""#,
        ])
        #expect(lines.contains("zed@\u{301}mark.example,A,vol01,\u{301}mark.example,C1,\"Acme, Ltd\",R1,\"Northwind, \"\"the\"\" hosts\""))
        let r2 = dir.read("report/resellers/\(FileID.make(for: "=R2"))-affected-mailboxes.csv")
        #expect(r2?.contains("eve@café.example,'+B,'@vol4,café.example,C3,Café Crème,'=R2,'@Ünïcode Hosting\n") == true)
    }

    /// Lists spilled to temporary files, a group of resellers at a time, are the lists held in
    /// memory byte for byte, in the report and in the export (CSV and JSONL), whatever the
    /// group size; a group asked for again is read again; nothing stays in the temporary
    /// folder; a one-reseller export spills nothing.
    @Test(arguments: [(1, 3), (2, 3), (3, 2), (2007, 2), (2008, 1), (AffectedMailboxLists.defaultGroupRows, 1)])
    func spilledListsAreTheListsHeldInMemory(groupRows: Int, groups: Int) throws {
        let (store, set, impact) = try hostileSetUp()
        #expect(impact.resellers.filter { $0.status != .none }.map(\.affectedMailboxes) == [1, 2, 2005])
        let spill = dir.file("spill")
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        let lists = try AffectedMailboxLists(store: store, offline: set, impact: impact, groupRows: groupRows, temporaryDirectory: spill)
        #expect(lists.groupCount == groups)

        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: dir.file("memory"))
        var writer = ReportWriter(store: store, templates: try TemplateSet())
        writer.listGroupRows = groupRows
        writer.temporaryDirectory = spill
        try writer.write(impact, offline: set, to: dir.file("spilled"))
        let names = files(in: dir.file("memory/resellers"))
        #expect(names.count == 6)
        #expect(files(in: dir.file("spilled/resellers")) == names)
        for name in names {
            #expect(FileManager.default.contents(atPath: dir.file("spilled/resellers/\(name)"))
                    == FileManager.default.contents(atPath: dir.file("memory/resellers/\(name)")), "\(name)")
        }
        for format in AffectedMailboxExport.Format.allCases {
            try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: dir.file("memory.\(format)"), format: format)
            var export = AffectedMailboxExport(store: store, offline: set, impact: impact)
            export.listGroupRows = groupRows
            export.temporaryDirectory = spill
            try export.write(to: dir.file("spilled.\(format)"), format: format)
            #expect(FileManager.default.contents(atPath: dir.file("spilled.\(format)"))
                    == FileManager.default.contents(atPath: dir.file("memory.\(format)")), "\(format)")
        }

        // Backwards, then forwards again: every group is read back as often as it is needed.
        let analyzer = ImpactAnalyzer(store: store)
        let affected = impact.resellers.filter { $0.status != .none }
        func addresses(_ i: Int) throws -> [String] {
            var out: [String] = []
            try lists.forEachRow(ofResellerAt: i, customers: try analyzer.affectedCustomers(of: affected[i], in: impact)) { out.append($0.address) }
            return out
        }
        let backwards = try (0..<affected.count).reversed().map(addresses)
        let forwards = try (0..<affected.count).map(addresses)
        #expect(Array(backwards.reversed()) == forwards)
        #expect(forwards.map(\.count) == [1, 2, 2005])
        #expect(files(in: spill).isEmpty)

        // What went to disk: every row once (14 bytes and the address), R1's rows (about
        // 70 KB) in more than one write; nothing with one group.
        let rowBytes = forwards.joined().reduce(0) { $0 + 14 + $1.utf8.count }
        #expect(lists.spilled.bytes == (groups > 1 ? rowBytes : 0))
        #expect(groups == 1 ? lists.spilled.writes == 0 : lists.spilled.writes > groups)

        // One reseller's export collects that reseller's rows only: never spilled.
        for i in affected.indices {
            let one = try AffectedMailboxLists(store: store, offline: set, impact: impact, only: i, groupRows: groupRows, temporaryDirectory: spill)
            #expect(one.groupCount == 1 && one.spilled.bytes == 0)
            var rows: [String] = []
            try one.forEachRow(ofResellerAt: i, customers: try analyzer.affectedCustomers(of: affected[i], in: impact)) { rows.append($0.address) }
            #expect(rows == forwards[i])
            var export = AffectedMailboxExport(store: store, offline: set, impact: impact)
            export.listGroupRows = groupRows
            export.temporaryDirectory = dir.file("missing")  // would fail if it spilled
            let id = affected[i].reseller.resellerID
            try export.write(to: dir.file("one.csv"), format: .csv, resellerID: id)
            try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: dir.file("one-memory.csv"), format: .csv, resellerID: id)
            #expect(FileManager.default.contents(atPath: dir.file("one.csv")) == FileManager.default.contents(atPath: dir.file("one-memory.csv")))
        }
    }

    /// Spilling where no file can be made fails before anything is written, with the folder
    /// named and the way out; the report already in the folder stays as it was.
    @Test func aTemporaryFolderThatCannotTakeTheListsLeavesTheReportAlone() throws {
        let (store, set, impact) = try hostileSetUp()
        let out = dir.file("report")
        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: out)
        let before = try files(in: out + "/resellers").map { try #require(FileManager.default.contents(atPath: out + "/resellers/" + $0)) }
        var writer = ReportWriter(store: store, templates: try TemplateSet())
        writer.listGroupRows = 1
        writer.temporaryDirectory = dir.file("missing")
        let error = try #require(throws: ReportError.self) { try writer.write(impact, offline: set, to: out) }
        #expect(error.kind == .io)
        #expect(error.description == "error: cannot create a temporary file in \(dir.file("missing")) (set TMPDIR to a folder with room): No such file or directory")
        let after = try files(in: out + "/resellers").map { try #require(FileManager.default.contents(atPath: out + "/resellers/" + $0)) }
        #expect(after == before)
        #expect(files(in: out + "/resellers").count == 6)
    }

    /// A known reseller with nothing offline exports the header and no row.
    @Test func exportOfAnUnaffectedResellerIsEmpty() throws {
        let (store, set, impact) = try setUp()
        #expect(impact.resellers.first { $0.reseller.resellerID == "R2" }?.status == ImpactStatus.none)
        let export = AffectedMailboxExport(store: store, offline: set, impact: impact)
        #expect(try export.write(to: dir.file("r2.csv"), format: .csv, resellerID: "R2") == 0)
        #expect(dir.read("r2.csv") == "address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name\n")
    }

    @Test func writesOneDraftAndListPerAffectedReseller() throws {
        let (store, set, impact) = try setUp()
        let out = dir.file("report")
        let outcome = try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: out)
        #expect(outcome.drafts == 1)
        #expect(files(in: out) == ["resellers", "summary.json", "summary.md"])
        #expect(files(in: out + "/resellers") == ["R1-affected-mailboxes.csv", "R1.md"])
        #expect(dir.read("report/resellers/R1-affected-mailboxes.csv") == """
            address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name
            alice@acme.example,A,vol01,acme.example,C1,Acme Ltd,R1,Northwind Hosting
            bob@acme.example,A,vol01,acme.example,C1,Acme Ltd,R1,Northwind Hosting
            carol@beta.example,A,vol01,beta.example,C2,Beta GmbH,R1,Northwind Hosting

            """)
        #expect(dir.read("report/summary.json") == ImpactDocument(impact).json())
        // analyze --json writes the same bytes straight from the analysis.
        var streamed: [UInt8] = []
        ImpactDocument.writeJSON(for: impact) { streamed.append(contentsOf: $0) }
        #expect(String(decoding: streamed, as: UTF8.self) == ImpactDocument(impact).json())
        let draft = try #require(dir.read("report/resellers/R1.md"))
        #expect(draft.contains("Dear Jane Roe,"))
        #expect(draft.contains("**some of your customers' mailboxes offline**"))
        #expect(draft.contains("3 of your 4 mailboxes, at 2 of your 2 customers"))
        #expect(draft.contains("| Acme Ltd | C1 | 2 of 2 | all mailboxes offline |"))
        #expect(draft.contains("| Beta GmbH | C2 | 1 of 2 | partly offline |"))
        #expect(draft.contains("  - A/vol01: 3 of your mailboxes\n"))
        #expect(draft.contains("- **Attach:** R1-affected-mailboxes.csv\n"))
        #expect(draft.contains("- **To:** Jane Roe, noc@northwind.example\n"))
        #expect(draft.contains("- **Subject:** Mail service incident: 3 of your 4 mailboxes are offline\n"))
        #expect(draft.contains("**2 of 2**; 1 of them has every mailbox offline"))
        #expect(!draft.contains("Your other"))
        let summary = try #require(dir.read("report/summary.md"))
        #expect(summary.contains("| Mailboxes offline | 5 (62.5 %) |"))
        #expect(summary.contains("| frank@lost.example | A/vol01 | yes | customer C9's reseller R404 is unknown |"))
        #expect(summary.contains("| gina@orphan.example | A/vol01 | yes | its domain's customer C404 is unknown |"))
        #expect(summary.contains("| hank@nodomain.example | A/vol02 | no | its domain nodomain.example belongs to no customer |"))
    }

    /// A template of one's own still gets the customers as a list to format.
    @Test func aCustomTemplateGetsTheCustomerRows() throws {
        let (store, set, impact) = try setUp()
        dir.write("templates/draft.mustache", "{{% CONTENT_TYPE: MARKDOWN}}\n{{#affected_customer_rows}}- {{name}} ({{customer_id}}): {{affected_mailboxes}}/{{mailboxes}} {{status_text}}\n{{/affected_customer_rows}}")
        try ReportWriter(store: store, templates: try TemplateSet(overridesIn: dir.file("templates"))).write(impact, offline: set, to: dir.file("out"))
        #expect(dir.read("out/resellers/R1.md") == "- Acme Ltd (C1): 2/2 all mailboxes offline\n- Beta GmbH (C2): 1/2 partly offline\n")
    }

    @Test func fullDraftSaysAllAndFilesAreOwnerOnly() throws {
        let (store, set, impact) = try setUp(offline: ["A/vol01,A/vol02,B/vol01"])
        let out = dir.file("report")
        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: out)
        let draft = try #require(dir.read("report/resellers/R2.md"))
        #expect(draft.contains("Dear Bergwerk IT team,"))
        #expect(draft.contains("**all of your customers' mailboxes offline**"))
        #expect(draft.contains("- **Subject:** Mail service incident: your mailbox is offline\n"))
        for path in [out, out + "/resellers"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o700, "\(path)")
        }
        for path in [out + "/summary.md", out + "/resellers/R2.md", out + "/resellers/R2-affected-mailboxes.csv"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path)")
        }
    }

    @Test func staleDraftsOfAnEarlierReportAreRemoved() throws {
        let (store, _, _) = try setUp()
        let out = dir.file("report")
        let everything = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol01,A/vol02,B/vol01"]), known: store.volumes())
        try ReportWriter(store: store, templates: try TemplateSet()).write(try ImpactAnalyzer(store: store).analyze(everything), offline: everything, to: out)
        #expect(files(in: out + "/resellers").count == 4)
        dir.write("report/resellers/notes.txt", "mine")
        let one = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol02"]), known: store.volumes())
        let outcome = try ReportWriter(store: store, templates: try TemplateSet()).write(try ImpactAnalyzer(store: store).analyze(one), offline: one, to: out)
        #expect(outcome.removedStaleFiles == 2)
        #expect(files(in: out + "/resellers") == ["R1-affected-mailboxes.csv", "R1.md", "notes.txt"])
    }

    @Test func exportSortsAndLeavesMissingLinksEmpty() throws {
        let (store, set, impact) = try setUp()
        let path = dir.file("affected.csv")
        let count = try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: path, format: .csv)
        #expect(count == 5)
        #expect(dir.read("affected.csv") == """
            address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name
            gina@orphan.example,A,vol01,orphan.example,,,,
            frank@lost.example,A,vol01,lost.example,C9,Lost Customer,,
            alice@acme.example,A,vol01,acme.example,C1,Acme Ltd,R1,Northwind Hosting
            bob@acme.example,A,vol01,acme.example,C1,Acme Ltd,R1,Northwind Hosting
            carol@beta.example,A,vol01,beta.example,C2,Beta GmbH,R1,Northwind Hosting

            """)
        try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: path, format: .jsonl, resellerID: "R1")
        let lines = try #require(dir.read("affected.csv")).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"address":"alice@acme.example","cluster":"A","volume":"vol01","domain":"acme.example","customer_id":"C1","customer_name":"Acme Ltd","reseller_id":"R1","reseller_name":"Northwind Hosting"}"#)
        #expect(throws: ReportError.self) { try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: path, format: .csv, resellerID: "R404") }
    }

    /// Sorting is by the raw values; the formula guard is applied after.
    @Test func formulaGuardAfterSorting() throws {
        let extra = [
            dir.write("next/5-customers.csv", "customer_id,reseller_id,name\n+C7,R1,\"=HYPERLINK(\"\"x\"\")\"\n*C8,R1,Star\n"),
            dir.write("next/6-domains.csv", "domain,customer_id\nplus.example,+C7\nstar.example,*C8\n"),
            dir.write("next/7-mailboxes.csv", "address,cluster,volume\n-a@plus.example,A,vol01\nb@star.example,A,vol01\n"),
        ]
        let (store, set, impact) = try setUp(replacements: extra)
        try AffectedMailboxExport(store: store, offline: set, impact: impact).write(to: dir.file("x.csv"), format: .csv)
        #expect(dir.read("x.csv") == """
            address,cluster,volume,domain,customer_id,customer_name,reseller_id,reseller_name
            b@star.example,A,vol01,star.example,*C8,Star,R1,Northwind Hosting
            '-a@plus.example,A,vol01,plus.example,'+C7,"'=HYPERLINK(""x"")",R1,Northwind Hosting

            """)
    }

    @Test func hostileNamesStayInert() throws {
        let extra = [
            dir.write("next/5-resellers.csv", "reseller_id,name,contact_email,contact_name\n../R|1,\"Evil <b>Co</b> | `x`\",\"a@x\nBcc: all@x\",\"Mal\r\nlory\"\n"),
            dir.write("next/6-customers.csv", "customer_id,reseller_id,name\nC1,../R|1,\"*Acme* | Ltd\"\n"),
            dir.write("next/7-domains.csv", "domain,customer_id\nacme.example,C1\n"),
            dir.write("next/8-mailboxes.csv", "address,cluster,volume\nalice@acme.example,A,vol01\nbob@acme.example,A,vol02\n"),
        ]
        let (store, set, impact) = try setUp(replacements: extra)
        let out = dir.file("report")
        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: set, to: out)
        let id = FileID.make(for: "../R|1")
        #expect(files(in: out + "/resellers") == ["\(id)-affected-mailboxes.csv", "\(id).md"])
        let draft = try #require(dir.read("report/resellers/\(id).md"))
        #expect(draft.contains("Dear Mal  lory,"))
        #expect(draft.contains("- **To:** Mal  lory, a@x Bcc: all@x\n"))
        #expect(draft.contains("| \\*Acme\\* \\| Ltd | C1 | 1 of 2 | partly offline |"))
        #expect(!draft.contains("\nBcc:"))
    }
}
