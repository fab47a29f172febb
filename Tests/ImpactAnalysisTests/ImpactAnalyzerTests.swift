import Foundation
import ImpactModel
import ImpactStore
import Testing
import TestSupport
@testable import ImpactAnalysis

@Suite("Classification of resellers and customers")
struct ImpactAnalyzerTests {
    let dir = TemporaryDirectory()

    func loadedStore() throws -> ImpactStore {
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        _ = try importFiles(SmallDataSet.write(into: dir), into: store)
        return store
    }

    func analyze(_ store: ImpactStore, _ volumes: [String]) throws -> IncidentImpact {
        let set = try OfflineVolumeSet(OfflineVolumeSet.parse(options: volumes), known: store.volumes())
        return try ImpactAnalyzer(store: store).analyze(set)
    }

    @Test func statusFromCounts() {
        let cases: [(affected: Int, total: Int, status: ImpactStatus)] = [
            (0, 0, .none), (0, 5, .none), (1, 5, .partial), (4, 5, .partial), (5, 5, .full), (1, 1, .full),
        ]
        for c in cases { #expect(ImpactStatus(affected: c.affected, total: c.total) == c.status, "\(c)") }
    }

    @Test func smallDataSetOnAVol01() throws {
        let store = try loadedStore()
        let impact = try analyze(store, ["A/vol01"])
        #expect(impact.offlineVolumes.map(\.description) == ["A/vol01"])
        #expect(impact.mailboxes == 8)
        #expect(impact.affectedMailboxes == 5)
        #expect(impact.unattributedMailboxes == 3)
        #expect(impact.unattributedAffectedMailboxes == 2)
        let rows = impact.resellers.map { r in
            "\(r.reseller.resellerID) \(r.status) \(r.affectedMailboxes)/\(r.mailboxes) c\(r.customers) f\(r.customersFull) p\(r.customersPartial)"
        }
        #expect(rows == ["R1 partial 3/4 c2 f1 p1", "R2 none 0/1 c1 f0 p0", "R3 none 0/0 c0 f0 p0"])
        let customers = try ImpactAnalyzer(store: store).affectedCustomers(of: impact.resellers[0], in: impact)
        #expect(customers.map { "\($0.customerID) \($0.name) \($0.status) \($0.affectedMailboxes)/\($0.mailboxes)" }
                    == ["C1 Acme Ltd full 2/2", "C2 Beta GmbH partial 1/2"])
        #expect(try ImpactAnalyzer(store: store).affectedCustomers(of: impact.resellers[1], in: impact).isEmpty)
        #expect(impact.resellers[0].affectedVolumes.map(\.mailboxes) == [3])
        #expect(impact.volumes == [VolumeImpact(volume: VolumeID(cluster: "A", volume: "vol01"), mailboxes: 5, resellers: 1)])
    }

    /// `analyze` reads no contact: the same result, with the contacts left empty.
    @Test func withoutContactsOnlyTheContactsDiffer() throws {
        let store = try loadedStore()
        let set = try OfflineVolumeSet(OfflineVolumeSet.parse(options: ["A/vol01"]), known: store.volumes())
        let full = try ImpactAnalyzer(store: store).analyze(set)
        let lean = try ImpactAnalyzer(store: store).analyze(set, contacts: false)
        #expect(full.resellers.contains { $0.reseller.contactName != nil && !$0.reseller.contactEmail.isEmpty })
        #expect(lean.resellers.allSatisfy { $0.reseller.contactEmail.isEmpty && $0.reseller.contactName == nil && $0.reseller.language.isEmpty })
        var blanked = full
        for i in blanked.resellers.indices {
            blanked.resellers[i].reseller.contactEmail = ""
            blanked.resellers[i].reseller.contactName = nil
            blanked.resellers[i].reseller.language = ""
        }
        #expect(lean == blanked)
    }

    @Test func everyVolumeOfflineMakesEveryoneWithMailboxesFull() throws {
        let impact = try analyze(try loadedStore(), ["A/vol01,A/vol02", "B/vol01"])
        #expect(impact.resellers.map(\.status) == [.full, .full, .none])
        #expect(impact.affectedMailboxes == 8)
        #expect(impact.offlineVolumes.map(\.description) == ["A/vol01", "A/vol02", "B/vol01"])
    }

    @Test(arguments: [
        ("A/vol99", "error: unknown volume A/vol99: no mailbox lives on it; known volumes of cluster A: A/vol01, A/vol02"),
        ("C/vol01", "error: unknown volume C/vol01: no mailbox lives on it; there is no cluster 'C'; known clusters: A, B"),
        ("a/vol01", "error: unknown volume a/vol01: no mailbox lives on it; there is no cluster 'a'; known clusters: A, B"),
        ("A/VOL01", "error: unknown volume A/VOL01: no mailbox lives on it; known volumes of cluster A: A/vol01, A/vol02"),
    ])
    func unknownVolumeListsTheKnownOnes(spec: String, message: String) throws {
        let store = try loadedStore()
        #expect {
            try OfflineVolumeSet(OfflineVolumeSet.parse(options: [spec]), known: store.volumes())
        } throws: { error in
            String(describing: error) == message
        }
    }

    @Test(arguments: ["A", "/vol01", "A/", " / ", "A/vol01,,B"])
    func malformedSpecsAreRefused(spec: String) throws {
        #expect(throws: AnalysisError.self) { try OfflineVolumeSet.parse(options: [spec]) }
    }

    @Test func noVolumesIsAnError() throws {
        #expect(throws: AnalysisError.self) { try OfflineVolumeSet([], known: []) }
    }

    @Test func offlineFileIgnoresBlankLinesAndComments() throws {
        let file = dir.write("offline.txt", """
            # incident 2026-11-29
            A/vol01   # rebuilt first

              B/vol01
            A/vol01
            """)
        let specs = try OfflineVolumeSet.parse(file: file)
        #expect(specs.map(\.volume.description) == ["A/vol01", "B/vol01", "A/vol01"])
        #expect(specs.map { $0.location?.line } == [2, 4, 5])
        let set = try OfflineVolumeSet(specs, known: try loadedStore().volumes())
        #expect(set.volumes.map(\.description) == ["A/vol01", "B/vol01"])
    }

    @Test func offlineFileErrorsSayWhere() throws {
        let file = dir.write("offline.txt", "A/vol01\n  A/vol02 B/vol01\n")
        #expect {
            try OfflineVolumeSet.parse(file: file)
        } throws: { error in
            String(describing: error) == "\(file):2:3: error: 'A/vol02 B/vol01' is not CLUSTER/VOLUME (one volume per line, for example A/vol03)"
        }
        let typo = dir.write("typo.txt", "\n\nA/vol7\n")
        #expect {
            try OfflineVolumeSet(OfflineVolumeSet.parse(file: typo), known: try loadedStore().volumes())
        } throws: { error in
            String(describing: error).hasPrefix("\(typo):3:1: error: unknown volume A/vol7")
        }
    }
}
