import Foundation
import Testing
import TestSupport

/// Full disks, read-only folders, links planted in the output folder: a clear message, the
/// documented exit code, and nothing written where it must not be.
@Suite("Disk full, read-only folders and planted links")
struct HostileEnvironmentTests {
    let dir = TemporaryDirectory()

    func loaded() throws -> String {
        let db = dir.file("db.sqlite")
        #expect(try BinaryRunner.run(["import", "--db", db] + SmallDataSet.write(into: dir)).status == 0)
        return db
    }

    @Test func aFullDiskDuringAReportIsAnIOError() throws {
        let db = try loaded()
        // A draft template larger than the 250 KiB the limit allows (the database and its
        // shared-memory file stay below it).
        dir.write("templates/draft.mustache", String(repeating: "Dear {{greeting}}, padding.\n", count: 12_000))
        let result = try BinaryRunner.run(["report", "--db", db, "--offline", "A/vol01", "--out", dir.file("out"),
                                           "--templates", dir.file("templates")], fileSizeLimitKB: 250)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: cannot write \(dir.file("out"))/resellers/R1.md: File too large"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/resellers/R1.md")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.file("out/resellers"))
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aFullDiskDuringAnImportChangesNothing() throws {
        let db = try loaded()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        var big = "address,cluster,volume\n"
        for i in 0..<20_000 { big += "user\(i)@acme.example,A,vol01\n" }
        let file = dir.write("big/m.csv", big)
        let result = try BinaryRunner.run(["import", "--db", db, file], fileSizeLimitKB: 200)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(db): the disk is full while importing; nothing was changed")
                    || result.stderr.hasPrefix("error: \(db): cannot write the database while importing"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try BinaryRunner.run(["analyze", "--db", db, "--offline", "A/vol01"]).status == 0)
    }

    @Test func aReadOnlyOutputFolderIsAnIOError() throws {
        let db = try loaded()
        let out = dir.file("readonly")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var wrapper: [String] = []
        if getuid() == 0 {
            // root writes anywhere; run as nobody, who may read the database but not write the folder.
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            wrapper = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
                try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: db + suffix)
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out)
        let result = try BinaryRunner.run(["report", "--db", db, "--offline", "A/vol01", "--out", out + "/incident"], wrapper: wrapper)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: cannot create folder \(out)/incident:"), "\(result.stderr)")
    }

    /// Links planted where the report writes are replaced, never followed.
    @Test func plantedLinksAreNotFollowed() throws {
        let db = try loaded()
        let out = dir.file("out")
        let victim = dir.write("victim.txt", "keep me")
        try FileManager.default.createDirectory(atPath: out + "/resellers", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out + "/resellers/R1.md", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: out + "/summary.md", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: out + "/resellers/R9.md", withDestinationPath: victim)
        let result = try BinaryRunner.run(["report", "--db", db, "--offline", "A/vol01", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(dir.read("victim.txt") == "keep me")
        let attributes = try FileManager.default.attributesOfItem(atPath: out + "/resellers/R1.md")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        // A link that is not ours to replace stays as it is, and is not followed either.
        #expect((try FileManager.default.attributesOfItem(atPath: out + "/resellers/R9.md"))[.type] as? FileAttributeType == .typeSymbolicLink)

        try FileManager.default.removeItem(atPath: out + "/resellers")
        try FileManager.default.createSymbolicLink(atPath: out + "/resellers", withDestinationPath: dir.path)
        let linked = try BinaryRunner.run(["report", "--db", db, "--offline", "A/vol01", "--out", out])
        #expect(linked.status == 74)
        #expect(linked.stderr.hasPrefix("error: \(out)/resellers is a symbolic link; give the real folder as --out"))
    }
}
