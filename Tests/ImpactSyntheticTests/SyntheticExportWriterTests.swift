import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ImpactModel
import Testing
@testable import ImpactSynthetic

@Suite struct SyntheticExportWriterTests {
    // MARK: Helpers

    /// A fresh temporary folder per call, removed by `cleanUp`.
    static func temporaryFolder() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        return url.path
    }

    static func cleanUp(_ paths: String...) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    static func dataSet(mailboxes: Int = 5_000, resellers: Int = 40, customers: Int = 800, clusters: [String] = ["A", "B"],
                        volumes: Int = 12, seed: UInt64 = 7, dirty: Double = 0,
                        format: SyntheticDataSet.Format = .csv) throws -> SyntheticDataSet {
        try SyntheticDataSet(mailboxes: mailboxes, resellers: resellers, customers: customers, clusters: clusters,
                             volumesPerCluster: volumes, seed: seed, dirtyRate: dirty, format: format)
    }

    static func files(in folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return result
    }

    /// The records of a CSV file without its header; quoted fields (no line breaks inside) unquoted.
    static func csvRecords(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines.dropFirst().map(splitCSVLine)
    }

    static func splitCSVLine(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }

    /// Counts elements by name; fails the test when the document is not well-formed.
    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            counts[elementName, default: 0] += 1
        }
    }

    static func parseXML(_ path: String) throws -> [String: Int] {
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let counter = ElementCounter()
        parser.delegate = counter
        let ok = parser.parse()
        #expect(ok, "\(path) is not well-formed: \(String(describing: parser.parserError))")
        return counter.counts
    }

    // MARK: Determinism

    @Test(arguments: SyntheticDataSet.Format.allCases)
    func sameSeedGivesTheSameBytes(format: SyntheticDataSet.Format) throws {
        let first = Self.temporaryFolder(), second = Self.temporaryFolder()
        defer { Self.cleanUp(first, second) }
        let dataSet = try Self.dataSet(dirty: 0.02, format: format)
        _ = try SyntheticExportWriter(dataSet).write(to: first)
        _ = try SyntheticExportWriter(dataSet).write(to: second)
        let a = try Self.files(in: first), b = try Self.files(in: second)
        #expect(a.keys.sorted() == (SyntheticExportWriter.fileNames(for: dataSet) + ["offline.txt"]).sorted())
        #expect(a == b)
    }

    @Test func differentSeedsDiffer() throws {
        let first = Self.temporaryFolder(), second = Self.temporaryFolder()
        defer { Self.cleanUp(first, second) }
        _ = try SyntheticExportWriter(Self.dataSet(seed: 1)).write(to: first)
        _ = try SyntheticExportWriter(Self.dataSet(seed: 2)).write(to: second)
        let a = try Self.files(in: first), b = try Self.files(in: second)
        for name in ["1-resellers.csv", "2-customers.csv", "4-mailboxes.csv"] {
            #expect(a[name] != b[name], "\(name) is the same for two seeds")
        }
    }

    // MARK: Shape of the data

    @Test func csvRowCountsMatchTheParameters() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let dataSet = try Self.dataSet()
        let summary = try SyntheticExportWriter(dataSet).write(to: folder)
        let resellers = try Self.csvRecords(folder + "/1-resellers.csv")
        let customers = try Self.csvRecords(folder + "/2-customers.csv")
        let domains = try Self.csvRecords(folder + "/3-domains.csv")
        let mailboxes = try Self.csvRecords(folder + "/4-mailboxes.csv")
        #expect(resellers.count == dataSet.resellers)
        #expect(customers.count == dataSet.customers)
        #expect(domains.count >= dataSet.customers && domains.count <= 3 * dataSet.customers)
        #expect(mailboxes.count == dataSet.mailboxes)
        #expect(summary.rows(of: .reseller) == resellers.count)
        #expect(summary.rows(of: .customer) == customers.count)
        #expect(summary.rows(of: .domain) == domains.count)
        #expect(summary.rows(of: .mailbox) == mailboxes.count)
        #expect(summary.problemRows == 0)
        #expect(resellers.allSatisfy { $0.count == 5 })
        #expect(customers.allSatisfy { $0.count == 4 })
        #expect(domains.allSatisfy { $0.count == 2 })
        #expect(mailboxes.allSatisfy { $0.count == 4 })
        // Names with commas are quoted, so they come back whole.
        #expect(customers.contains { $0[2].contains(", ") })
    }

    @Test func cleanDataLinksUpCompletely() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let dataSet = try Self.dataSet(volumes: 9)
        _ = try SyntheticExportWriter(dataSet).write(to: folder)
        let resellerIDs = Set(try Self.csvRecords(folder + "/1-resellers.csv").map { $0[0] })
        let customers = try Self.csvRecords(folder + "/2-customers.csv")
        let customerIDs = Set(customers.map { $0[0] })
        let domains = try Self.csvRecords(folder + "/3-domains.csv")
        let domainOwner = Dictionary(uniqueKeysWithValues: domains.map { ($0[0], $0[1]) })
        let mailboxes = try Self.csvRecords(folder + "/4-mailboxes.csv")

        #expect(resellerIDs.count == dataSet.resellers)
        #expect(customerIDs.count == dataSet.customers)
        #expect(customers.allSatisfy { resellerIDs.contains($0[1]) })
        #expect(domains.allSatisfy { customerIDs.contains($0[1]) })
        #expect(Set(mailboxes.map { $0[0] }).count == mailboxes.count, "addresses are unique")
        var customersWithMailboxes = Set<String>()
        for row in mailboxes {
            let parts = row[0].split(separator: "@", omittingEmptySubsequences: false)
            #expect(parts.count == 2)
            let owner = try #require(domainOwner[String(parts[1])], "\(row[0]) has no domain in domains.csv")
            customersWithMailboxes.insert(owner)
            #expect(dataSet.clusters.contains(row[1]))
            #expect(dataSet.volumeNames.contains(row[2]))
            #expect(Int(row[3]).map { $0 >= 1 } == true)
        }
        #expect(customersWithMailboxes.count == dataSet.customers, "every customer has a mailbox")
    }

    @Test func resellerSizesAreSkewed() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        _ = try SyntheticExportWriter(Self.dataSet(mailboxes: 30_000, resellers: 300, customers: 15_000)).write(to: folder)
        var perReseller: [String: Int] = [:]
        for row in try Self.csvRecords(folder + "/2-customers.csv") { perReseller[row[1], default: 0] += 1 }
        let sizes = perReseller.values.sorted()
        let median = sizes[sizes.count / 2]
        #expect(sizes.count == 300)
        #expect(sizes.last! >= 10 * median, "largest \(sizes.last!) vs median \(median)")
        #expect(sizes.first! >= 1)

        var perCustomer: [String: Int] = [:]
        for row in try Self.csvRecords(folder + "/4-mailboxes.csv") {
            perCustomer[String(row[0].split(separator: "@")[1]), default: 0] += 1
        }
        let domainSizes = perCustomer.values.sorted()
        #expect(domainSizes.last! >= 10 * domainSizes[domainSizes.count / 2])
    }

    @Test func volumesAreSpreadAndOfflineFileNamesAThirdOfTheFirstCluster() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let dataSet = try Self.dataSet(clusters: ["east", "west"], volumes: 24)
        let summary = try SyntheticExportWriter(dataSet).write(to: folder)
        let mailboxes = try Self.csvRecords(folder + "/4-mailboxes.csv")
        let used = Set(mailboxes.map { VolumeID(cluster: $0[1], volume: $0[2]) })
        #expect(used.count == 48)
        #expect(summary.offlineVolumes.count == 8)
        #expect(summary.offlineVolumes.allSatisfy { $0.cluster == "east" && used.contains($0) })
        let listed = try String(contentsOfFile: summary.offlineFile, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(listed == summary.offlineVolumes.map(\.description))
    }

    @Test func fewerMailboxesThanCustomers() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let summary = try SyntheticExportWriter(Self.dataSet(mailboxes: 10, resellers: 3, customers: 50)).write(to: folder)
        #expect(summary.rows(of: .mailbox) == 10)
        #expect(try Self.csvRecords(folder + "/4-mailboxes.csv").count == 10)
    }

    // MARK: Dirty rows

    @Test func dirtyRowsAppearAtRoughlyTheRate() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let summary = try SyntheticExportWriter(Self.dataSet(mailboxes: 40_000, customers: 4_000, dirty: 0.05)).write(to: folder)
        let mailboxFile = try #require(summary.files.first { $0.name == "4-mailboxes.csv" })
        let rate = Double(mailboxFile.problemRows) / Double(mailboxFile.totalRows)
        #expect(rate > 0.04 && rate < 0.06, "mailbox problem rate \(rate)")
        let all = Double(summary.problemRows) / Double(summary.files.reduce(0) { $0 + $1.totalRows })
        #expect(all > 0.04 && all < 0.06, "overall problem rate \(all)")
        for problem in SyntheticDataProblem.allCases {
            #expect(summary.problems[problem, default: 0] > 0, "no row with \(problem)")
        }

        // The rows really carry the problems counted.
        let rows = try Self.csvRecords(folder + "/4-mailboxes.csv")
        let badAt = rows.filter { $0[0].filter { $0 == "@" }.count != 1 && !$0[0].isEmpty }.count
        #expect(badAt == summary.problems[.malformedAddress])
        let wrongCount = rows.filter { $0.count != 4 }.count
        let addresses = rows.map { $0[0].lowercased() }
        #expect(wrongCount > 0)
        #expect(Set(addresses).count < addresses.count, "duplicates repeat earlier addresses")
        #expect(rows.contains { $0[0] != $0[0].lowercased() || $0[0].hasSuffix(".") })
        let customers = try Self.csvRecords(folder + "/2-customers.csv")
        #expect(customers.count == 4_000)
    }

    @Test(arguments: [SyntheticDataSet.Format.xml, .mixed])
    func xmlIsWellFormedAndComplete(format: SyntheticDataSet.Format) throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        let dataSet = try Self.dataSet(clusters: ["A", "B & C"], dirty: 0.03, format: format)
        let summary = try SyntheticExportWriter(dataSet).write(to: folder)
        let resellerCounts = try Self.parseXML(folder + "/1-resellers.xml")
        #expect(resellerCounts["resellers"] == 1)
        #expect(resellerCounts["reseller"] == dataSet.resellers)
        #expect(resellerCounts["customer"] == dataSet.customers)
        #expect(resellerCounts["domain"] == summary.rows(of: .domain))
        if format == .xml {
            var mailboxes = 0
            for cluster in dataSet.clusters {
                let counts = try Self.parseXML(folder + "/2-mailboxes-\(cluster).xml")
                #expect(counts["mailboxes"] == 1)
                mailboxes += counts["mailbox", default: 0]
            }
            #expect(mailboxes == dataSet.mailboxes)
        } else {
            #expect(try Self.csvRecords(folder + "/2-mailboxes.csv").count == dataSet.mailboxes)
        }
    }

    @Test func fileNamesSortResellerSideFirst() throws {
        for format in SyntheticDataSet.Format.allCases {
            let names = SyntheticExportWriter.fileNames(for: try Self.dataSet(clusters: ["Z", "A"], format: format))
            let resellerSide = names.filter { !$0.contains("mailboxes") }
            let mailboxSide = names.filter { $0.contains("mailboxes") }
            #expect(!resellerSide.isEmpty && !mailboxSide.isEmpty)
            #expect(resellerSide.allSatisfy { r in mailboxSide.allSatisfy { m in r < m } }, "\(names)")
        }
    }

    // MARK: Errors

    @Test(arguments: [
        (0, 1, 1, ["A"], 1, 0.0),
        (1, 0, 1, ["A"], 1, 0.0),
        (10, 5, 4, ["A"], 1, 0.0),
        (10, 1, 1, ["A"], 0, 0.0),
        (10, 1, 1, ["A"], 1000, 0.0),
        (10, 1, 1, ["A"], 1, 0.6),
        (10, 1, 1, ["A"], 1, -0.1),
        (10, 1, 1, [], 1, 0.0),
        (10, 1, 1, [""], 1, 0.0),
        (10, 1, 1, ["A/B"], 1, 0.0),
        (10, 1, 1, ["A,B"], 1, 0.0),
        (10, 1, 1, ["A", "A"], 1, 0.0),
    ])
    func invalidParametersAreUsageErrors(mailboxes: Int, resellers: Int, customers: Int, clusters: [String], volumes: Int, dirty: Double) {
        #expect(throws: GenerateError.self) {
            try SyntheticDataSet(mailboxes: mailboxes, resellers: resellers, customers: customers, clusters: clusters,
                                 volumesPerCluster: volumes, seed: 0, dirtyRate: dirty)
        }
        do {
            _ = try SyntheticDataSet(mailboxes: mailboxes, resellers: resellers, customers: customers, clusters: clusters,
                                     volumesPerCluster: volumes, seed: 0, dirtyRate: dirty)
        } catch {
            #expect(error.kind == .usage)
        }
    }

    @Test func refusesAFolderWithOtherExports() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("address,cluster,volume\n".utf8).write(to: URL(fileURLWithPath: folder + "/old-mailboxes.csv"))
        let writer = SyntheticExportWriter(try Self.dataSet())
        do {
            _ = try writer.write(to: folder)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .usage)
            #expect(error.message.contains("old-mailboxes.csv"))
        }
    }

    @Test func unwritableFolderIsAnIOErrorNamingThePath() throws {
        let folder = Self.temporaryFolder()
        defer { Self.cleanUp(folder) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder))  // a file where the folder should be
        let writer = SyntheticExportWriter(try Self.dataSet())
        do {
            _ = try writer.write(to: folder + "/out")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .io)
            #expect(error.message.contains(folder))
        }
    }

    @Test func createsNestedFoldersAndReportsProgressPerFile() throws {
        let root = Self.temporaryFolder()
        defer { Self.cleanUp(root) }
        var reported: [String] = []
        let summary = try SyntheticExportWriter(Self.dataSet(format: .xml)).write(to: root + "/a/b") { reported.append($0.name) }
        #expect(reported == ["1-resellers.xml", "2-mailboxes-A.xml", "2-mailboxes-B.xml"])
        #expect(summary.files.map(\.name) == reported)
        for file in summary.files {
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
            #expect(size == file.bytes)
        }
    }
}
