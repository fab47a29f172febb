import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore
import Testing
import TestSupport
@testable import ImpactReports

/// Property: over random data sets (broken links, duplicates and hostile names included),
/// every reseller's draft and CSV mention only that reseller's customers, domains and
/// mailboxes, and every affected attributed mailbox is in exactly one reseller's CSV.
@Suite("Tenant isolation")
struct TenantIsolationTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    func csvField(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test(arguments: 1...12)
    func resellersSeeOnlyTheirOwn(seed: Int) throws {
        var g = Generator(state: UInt64(seed))
        let dir = TemporaryDirectory()
        let resellerCount = 2 + g.below(6)
        let customerCount = 3 + g.below(20)
        let domainCount = customerCount + g.below(10)
        let mailboxCount = 20 + g.below(200)
        // Ids and names are unique tokens, so that a mention of another tenant's data can be
        // searched for; some ids need the file-id hash, some names carry Markdown and HTML.
        let resellerIDs = (0..<resellerCount).map { i in ["R\(i)", "R/\(i)", "ü\(i)", ".r\(i)"][i % 4] }
        var resellers = "reseller_id,name,contact_email,contact_name\n"
        for (i, id) in resellerIDs.enumerated() {
            resellers += "\(csvField(id)),\(csvField("Reseller<b>\(i)</b>|tok\(seed)r\(i)")),r\(i)@example.com,Contact \(i)\n"
        }
        var customerOwner: [String: Int] = [:]
        var customers = "customer_id,reseller_id,name\n"
        for c in 0..<customerCount {
            // One in eight customers names a reseller that does not exist.
            let owner = g.below(8) == 0 ? -1 : g.below(resellerCount)
            let resellerID = owner < 0 ? "R-missing" : resellerIDs[owner]
            customers += "C\(c),\(csvField(resellerID)),\(csvField("*Cust* tok\(seed)c\(c)x"))\n"
            if owner >= 0 { customerOwner["C\(c)"] = owner }
        }
        var domainOwner: [String: Int] = [:]
        var domains = "domain,customer_id\n"
        for d in 0..<domainCount {
            let customer = g.below(customerCount + 2)   // some domains belong to unknown customers
            domains += "d\(d).tok\(seed).example,C\(customer)\n"
            if let owner = customerOwner["C\(customer)"] { domainOwner["d\(d).tok\(seed).example"] = owner }
        }
        var mailboxes = "address,cluster,volume\n"
        for m in 0..<mailboxCount {
            let domain = g.below(domainCount + 3)       // some mailboxes on unknown domains
            let volume = "vol\(g.below(4))"
            let cluster = ["A", "B"][g.below(2)]
            mailboxes += "u\(m)@d\(domain).tok\(seed).example,\(cluster),\(volume)\n"
            if g.below(10) == 0 { mailboxes += "U\(m)@D\(domain).tok\(seed).example,A,vol0\n" }  // duplicate
        }
        let files = [dir.write("1.csv", resellers), dir.write("2.csv", customers), dir.write("3.csv", domains), dir.write("4.csv", mailboxes)]
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles(files, into: store)
        let volumes = try store.volumes()
        let offlineSpecs = volumes.filter { _ in g.below(2) == 0 }.map { OfflineVolumeSet.Spec(volume: $0.volume, location: nil) }
        guard !offlineSpecs.isEmpty else { return }
        let offline = try OfflineVolumeSet(offlineSpecs, known: volumes)
        let impact = try ImpactAnalyzer(store: store).analyze(offline)
        let out = dir.file("report")
        try ReportWriter(store: store, templates: try TemplateSet()).write(impact, offline: offline, to: out)

        // Every affected attributed mailbox, from the export: in exactly one reseller's CSV.
        try AffectedMailboxExport(store: store, offline: offline, impact: impact).write(to: dir.file("all.csv"), format: .csv)
        let all = try #require(dir.read("all.csv")).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var seen: [String: Int] = [:]
        for (index, id) in resellerIDs.enumerated() {
            let fileID = FileID.make(for: id)
            let status = impact.resellers.first { $0.reseller.resellerID == id }?.status
            guard let csv = dir.read("report/resellers/\(fileID)-affected-mailboxes.csv"),
                  let draft = dir.read("report/resellers/\(fileID).md") else {
                #expect(status == ImpactStatus.none, "reseller \(id) is affected but has no files")
                continue
            }
            for line in csv.split(separator: "\n").dropFirst() {
                let address = String(line.split(separator: ",")[0])
                seen[address, default: 0] += 1
                let domain = String(address.split(separator: "@")[1])
                #expect(domainOwner[domain] == index, "\(address) is in \(id)'s list but belongs to another")
            }
            for other in 0..<customerCount where customerOwner["C\(other)"] != index {
                #expect(!draft.contains("tok\(seed)c\(other)x"), "\(id)'s draft names customer C\(other)")
                #expect(!csv.contains("tok\(seed)c\(other)x"))
            }
            for other in 0..<resellerCount where other != index {
                #expect(!draft.contains("tok\(seed)r\(other)"), "\(id)'s draft names reseller \(other)")
            }
            #expect(!draft.contains("<b>"))
        }
        let attributed = all.filter { !$0[6].isEmpty }.map { String($0[0]) }
        #expect(Set(attributed) == Set(seen.keys))
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(attributed.count + impact.unattributedAffectedMailboxes == impact.affectedMailboxes)
    }
}
