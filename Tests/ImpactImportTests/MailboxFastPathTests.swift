import ImpactModel
import Testing
import TestSupport
@testable import ImpactImport

/// The byte-level fast path for mailbox rows must give exactly what the general path gives:
/// the same records and the same rejects, whichever path a row takes.
@Suite("Mailbox fast path")
struct MailboxFastPathTests {
    /// Collects what an import delivers; mailboxes from the fast path arrive through the
    /// protocol's default `acceptMailbox`, which decodes them into `accept`.
    final class Collector: ImportSink {
        var accepted: [String] = []
        var rejected: [String] = []
        func beginFile(_ file: ImportFile, entities: Set<Entity>) throws {}
        func accept(_ record: AcceptedRecord, file: ImportFile, line: Int, column: Int) throws {
            guard case .mailbox(let m) = record else { return }
            accepted.append("\(line) \(m.address) \(m.domain) \(m.cluster)/\(m.volume) \(m.sizeMB.map(String.init) ?? "-")")
        }
        func reject(_ row: RejectedRow) throws { rejected.append("\(row.line) \(row.reason)") }
        func endFile(_ file: ImportFile) throws {}
    }

    /// What the general path alone makes of each row.
    func expected(_ rows: [String]) -> (accepted: [String], rejected: [String]) {
        var accepted: [String] = []
        var rejected: [String] = []
        for (i, row) in rows.enumerated() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let raw = RawRow(entity: .mailbox, values: [cells[0], cells[1], cells[2], cells[3]], line: i + 2, column: 1, raw: row)
            switch RowValidator.validate(raw) {
            case .accepted(.mailbox(let m)):
                accepted.append("\(i + 2) \(m.address) \(m.domain) \(m.cluster)/\(m.volume) \(m.sizeMB.map(String.init) ?? "-")")
            case .rejected(let reason):
                rejected.append("\(i + 2) \(reason)")
            default:
                break
            }
        }
        return (accepted, rejected)
    }

    @Test func bothPathsAgree() throws {
        let rows = [
            "alice@acme.example,A,vol01,10",
            "Bob@ACME.Example.,A,vol01,",
            "  carol@acme.example  , B , vol02 , 007 ",
            "\tdave@acme.example\t,A,vol01,+5",
            "erin@acme.example,A,vol01,-1",
            "frank@acme.example,A,vol01,12abc",
            "gina@@acme.example,A,vol01,1",
            "hank.acme.example,A,vol01,1",
            ",A,vol01,1",
            "ivan@acme.example,,vol01,1",
            "jane@acme.example,A, ,1",
            "Ærø@acme.example,A,vol01,1",
            "kim@ÄCME.example,A,vol01,1",
            "lee@acme.example,Ä,vol01,1",
            "@acme.example,A,vol01,1",
            "mo@,A,vol01,1",
            "ned@.,A,vol01,1",
            "oli@x..,A,vol01,99999999999999999999",
            "PAT@X.EXAMPLE,A,vol01,123456789012345678",
        ]
        let dir = TemporaryDirectory()
        let file = ImportFile(path: dir.write("m.csv", "address,cluster,volume,size_mb\n" + rows.joined(separator: "\n") + "\n"), format: .csv, index: 0)
        let sink = Collector()
        try Importer(files: [file], strict: false).run(into: sink)
        let want = expected(rows)
        #expect(sink.accepted.sorted() == want.accepted.sorted())
        #expect(sink.rejected == want.rejected)
        #expect(sink.accepted.count == 14)
    }
}
