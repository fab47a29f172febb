import Foundation
import Testing
import TestSupport

/// The binary, run as a user would: exit codes, messages on stderr, results on stdout, and
/// that a failed command leaves the database as it was.
@Suite("Commands, exit codes and messages")
struct ExitCodeTests {
    let dir = TemporaryDirectory()

    func loaded() throws -> String {
        let db = dir.file("db.sqlite")
        let result = try BinaryRunner.run(["import", "--db", db] + SmallDataSet.write(into: dir))
        #expect(result.status == 0, "\(result.stderr)")
        return db
    }

    func databaseBytes(_ db: String) throws -> Data {
        // WAL is checkpointed on close; the main file holds everything between commands.
        try Data(contentsOf: URL(fileURLWithPath: db))
    }

    @Test func importPrintsItsSummaryOnStandardError() throws {
        let db = dir.file("db.sqlite")
        let result = try BinaryRunner.run(["import", "--db", db] + SmallDataSet.write(into: dir))
        #expect(result.status == 0)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Imported 4 files into \(db):"))
        #expect(result.stderr.contains("Now stored: 3 resellers (before: 0), 4 customers (before: 0), 5 domains (before: 0), 8 mailboxes (before: 0)"))
        #expect(result.stderr.contains("Unattributed mailboxes (they reach no reseller): 3"))
    }

    @Test func analyzePrintsTheTableAndTheJSON() throws {
        let db = try loaded()
        let table = try BinaryRunner.run(["analyze", "--db", db, "--offline", "A/vol01"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Resellers: 0 fully affected, 1 partially, 2 not affected"))
        #expect(table.stdout.contains("partial  R1        Northwind Hosting        3          4  2 of 2"))
        let json = try BinaryRunner.run(["analyze", "--db", db, "--offline", "A/vol01", "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let totals = object?["totals"] as? [String: Int]
        #expect(totals == ["mailboxes": 8, "affected_mailboxes": 5, "resellers_full": 0, "resellers_partial": 1,
                           "resellers_none": 2, "unattributed_mailboxes": 3, "unattributed_affected_mailboxes": 2])
        #expect((object?["offline_volumes"] as? [String]) == ["A/vol01"])
        #expect(((object?["resellers"] as? [[String: Any]]) ?? []).map { $0["reseller_id"] as? String } == ["R1", "R2", "R3"])
    }

    /// Each failure: exit code, the exact first line of stderr, and an unchanged database.
    @Test(arguments: [
        (["analyze", "--offline", "A/vol99"], 64, "error: unknown volume A/vol99: no mailbox lives on it; known volumes of cluster A: A/vol01, A/vol02"),
        (["analyze", "--offline", "vol01"], 64, "Error: --offline: 'vol01' is not CLUSTER/VOLUME (for example A/vol03)"),
        (["analyze"], 64, "Error: say which volumes are offline: --offline CLUSTER/VOLUME[,…] or --offline-file FILE"),
        (["analyze", "--offline", "A/vol01", "--bogus"], 64, "Error: Unknown option '--bogus'"),
        (["report", "--offline", "A/vol01", "--out", "OUT", "--mode", "644x"], 64, "Error: --mode must be an octal file mode like 600 or 640 that lets the owner read and write"),
        (["export", "affected-mailboxes", "--offline", "A/vol01", "--out", "OUT", "--reseller", "R404"], 64, "error: unknown reseller 'R404'"),
        (["export", "affected-mailboxes", "--offline", "A/vol01", "--out", "OUT", "--format", "xml"], 64, "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'csv' and 'jsonl'."),
        (["import", "MISSING.csv"], 74, "error: cannot read MISSING.csv: no such file or directory"),
        (["import", "BAD.xml"], 65, "BAD.xml:3:13: error: not well-formed XML: Opening and ending tag mismatch: reseller line 2 and resellers"),
        (["import", "STRICT.csv", "--strict"], 65, "STRICT.csv:3:1: error: address has no '@' (--strict turns every rejected row into an error)"),
        (["import", "SHRINK.csv"], 65, "error: the import would leave 1 mailbox where there are 8 now (fewer than half); nothing was changed. If the export is really this small, import again with --allow-shrink"),
        (["import", "HEADER.csv"], 65, "HEADER.csv:1:1: error: the header matches no export: mailboxes need address, cluster, volume (missing cluster, volume); domains need domain, customer_id (missing domain, customer_id); customers need customer_id, reseller_id, name (missing customer_id, reseller_id, name); resellers need reseller_id, name, contact_email (missing reseller_id, name, contact_email)"),
        (["import", "EMPTY.csv"], 65, "EMPTY.csv:1:1: error: the file is empty; expected a header row"),
        (["import", "DUPCOL.csv"], 65, "DUPCOL.csv:1:1: error: the header names 'address' more than once; a column must appear once"),
        (["report", "--offline", "A/vol01", "--out", "LINK"], 74, "error: LINK is a symbolic link; give the real folder as --out"),
        (["analyze", "--offline", "A/vol01", "--wait=-1"], 64, "Error: --wait must be between 0 and 3600 seconds"),
        (["generate", "--out", "OUT", "--mailboxes", "0", "--resellers", "1", "--customers", "1", "--clusters", "A", "--volumes", "1", "--seed", "1"], 64, "Error: --mailboxes must be between 1 and 1099511627776"),
        (["generate", "--out", "OUT", "--mailboxes", "10", "--resellers", "1", "--customers", "1", "--clusters", "A/B", "--volumes", "1", "--seed", "1"], 64, "Error: cluster name 'A/B' must not contain '/' or ','"),
        (["analyze", "--offline-file", "/"], 74, "error: cannot read offline volumes file /: Is a directory"),
        (["analyze", "--offline-file", "MISSING.txt"], 74, "error: cannot read offline volumes file MISSING.txt: No such file or directory"),
        (["report", "--offline", "A/vol01", "--out", "OUT", "--expected-back", "A/vol02=soon"], 64, "error: --expected-back: A/vol02 is not among the offline volumes (A/vol01)"),
        (["report", "--offline", "A/vol01", "--out", "OUT", "--expected-back", "A/vol02"], 64, "Error: --expected-back takes CLUSTER/VOLUME=TEXT, not 'A/vol02'"),
        (["report", "--offline", "A/vol01", "--out", "OUT", "--templates", "TEMPLATES"], 64, "TEMPLATES/draft.mustache:3:1: error: the template does not parse: a section is opened but never closed"),
        (["report", "--offline", "A/vol01", "--out", "OUT", "--templates", "MISSING.txt"], 74, "error: cannot read templates folder MISSING.txt: no such folder"),
    ] as [([String], Int32, String)])
    func failures(arguments: [String], status: Int32, message: String) throws {
        let db = try loaded()
        let files: [String: String] = [
            "BAD.xml": "<resellers>\n  <reseller id=\"R9\">\n</resellers>\n",
            "STRICT.csv": "address,cluster,volume\na@acme.example,A,vol01\nbad,A,vol01\n",
            "SHRINK.csv": "address,cluster,volume\na@acme.example,A,vol01\n",
            "HEADER.csv": "address,size\nx@y,1\n",
            "EMPTY.csv": "",
            "DUPCOL.csv": "address,cluster,volume,Address\n",
        ]
        var args: [String] = []
        for a in arguments {
            if let content = files[a] { args.append(dir.write(a, content)) }
            else if a == "OUT" { args.append(dir.file("out")) }
            else if a == "TEMPLATES" {
                dir.write("templates/draft.mustache", "Dear {{greeting}},\n{{#full}}\n")
                args.append(dir.file("templates"))
            }
            else if a == "LINK" {
                try FileManager.default.createSymbolicLink(atPath: dir.file("link"), withDestinationPath: dir.path)
                args.append(dir.file("link"))
            } else if a.hasPrefix("MISSING") { args.append(a) }
            else { args.append(a) }
        }
        let before = try databaseBytes(db)
        let result = try BinaryRunner.run(args + ["--db", db], in: dir.path)
        #expect(result.status == status, "\(result.stderr)")
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        let expected = message.replacingOccurrences(of: "BAD.xml", with: dir.file("BAD.xml"))
            .replacingOccurrences(of: "STRICT.csv", with: dir.file("STRICT.csv"))
            .replacingOccurrences(of: "HEADER.csv", with: dir.file("HEADER.csv"))
            .replacingOccurrences(of: "EMPTY.csv", with: dir.file("EMPTY.csv"))
            .replacingOccurrences(of: "DUPCOL.csv", with: dir.file("DUPCOL.csv"))
            .replacingOccurrences(of: "LINK", with: dir.file("link"))
            .replacingOccurrences(of: "TEMPLATES", with: dir.file("templates"))
        #expect(firstLine == expected)
        #expect(try databaseBytes(db) == before, "the database changed")
    }

    @Test func aFailedFirstImportLeavesNoDatabase() throws {
        let db = dir.file("new.sqlite")
        let bad = dir.write("bad.xml", "<mailboxes>")
        let result = try BinaryRunner.run(["import", "--db", db, bad])
        #expect(result.status == 65)
        #expect(!FileManager.default.fileExists(atPath: db))
        let analyze = try BinaryRunner.run(["analyze", "--db", db, "--offline", "A/vol01"])
        #expect(analyze.status == 74)
        #expect(analyze.stderr == "error: \(db): no such database; run 'reseller-impact import' first (or pass --db)\n")
    }

    /// A read command never writes into a database that is not one of ours.
    @Test func aForeignDatabaseIsRefusedAndLeftAlone() throws {
        let db = dir.file("other.sqlite")
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        made.arguments = [db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);"]
        guard (try? made.run()) != nil else { return }
        made.waitUntilExit()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let result = try BinaryRunner.run(["analyze", "--db", db, "--offline", "A/vol01"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(db): not a reseller-impact database (no import has been made into it); run 'reseller-impact import' first\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    /// `run` checks what it can before importing: a missing offline list stops it first.
    @Test func runChecksItsOfflineListBeforeImporting() throws {
        let db = dir.file("nightly.sqlite")
        let result = try BinaryRunner.run(["run", "--db", db, "--offline-file", dir.file("missing.txt"), "--out", dir.file("out")] + SmallDataSet.write(into: dir))
        #expect(result.status == 74)
        #expect(result.stderr == "error: cannot read offline volumes file \(dir.file("missing.txt")): No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// An expected-back file lists every volume of the incident; those back already are
    /// passed over with a note, the others' times reach the drafts.
    @Test func anExpectedBackFileMayNameVolumesThatAreBack() throws {
        let db = try loaded()
        let file = dir.write("eta.txt", "# times\nA/vol01=today 14:00 UTC\nA/vol02=today 10:30 UTC\n")
        let result = try BinaryRunner.run(["report", "--db", db, "--offline", "A/vol01", "--out", dir.file("out"), "--expected-back-file", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(file):3: A/vol02 is not offline now; its time is not used"))
        #expect(dir.read("out/resellers/R1.md")?.contains("A/vol01: 3 of your mailboxes, expected back today 14:00 UTC") == true)
    }

    @Test func aQuietNightImportsAndWritesNoReport() throws {
        let db = dir.file("db.sqlite")
        let offline = dir.write("offline.txt", "# nothing offline tonight\n")
        let result = try BinaryRunner.run(["run", "--db", db, "--offline-file", offline, "--out", dir.file("out")] + SmallDataSet.write(into: dir))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Nothing is offline (the offline list names no volume): imported only, no report written."))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
        let busy = try BinaryRunner.run(["run", "--db", db, "--offline", "A/vol01", "--out", dir.file("out")] + SmallDataSet.write(into: dir))
        #expect(busy.status == 0, "\(busy.stderr)")
        #expect(busy.stderr.contains("[3/3] report"))
        #expect(FileManager.default.fileExists(atPath: dir.file("out/resellers/R1.md")))
    }

    @Test(arguments: ["import", "analyze", "report", "export", "export affected-mailboxes", "run", "demo", "rejects"])
    func everyCommandHasHelpWithExamples(command: String) throws {
        let result = try BinaryRunner.run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"), "\(command) --help has no examples")
    }

    @Test func rejectsAreListed() throws {
        let db = dir.file("db.sqlite")
        let file = dir.write("m.csv", "address,cluster,volume\nbad,A,v\nok@x.example,A,v\n\"unterminated,A,v\n")
        #expect(try BinaryRunner.run(["import", "--db", db, file]).status == 0)
        let text = try BinaryRunner.run(["rejects", "--db", db])
        #expect(text.status == 0)
        #expect(text.stdout == """
            \(file):2:1: mailbox: address has no '@'
                bad,A,v
            \(file):4:1: mailbox: unterminated quoted field (the quote opened at line 4, column 1 is never closed)
                "unterminated,A,v\\n

            """)
        let byName = try BinaryRunner.run(["rejects", "--db", db, "--file", "m.csv"])
        #expect(byName.stdout == text.stdout)
        let other = try BinaryRunner.run(["rejects", "--db", db, "--file", "x.csv"])
        #expect(other.stdout == "")
        let csv = try BinaryRunner.run(["rejects", "--db", db, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("file,line,column,entity,reason,raw\n\(file),2,1,mailbox,address has no '@',\"bad,A,v\"\n"))
    }
}
