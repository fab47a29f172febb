import ImpactModel
import Testing
import TestSupport
@testable import ImpactImport

/// The byte-level fast path for reseller, customer and domain rows must give exactly what the
/// general path gives: the same records and the same rejects, whichever path a row takes.
@Suite("Reseller, customer and domain fast path")
struct EntityFastPathTests {
    /// Collects what an import delivers; rows from the fast path arrive through the protocol's
    /// default `acceptRow`, which decodes them into `accept`.
    final class Collector: ImportSink {
        var accepted: [String] = []
        var rejected: [String] = []
        var fast = 0
        func beginFile(_ file: ImportFile, entities: Set<Entity>) throws {}
        func accept(_ record: AcceptedRecord, file: ImportFile, line: Int, column: Int) throws {
            accepted.append("\(line) \(Self.render(record))")
        }
        func acceptRow(_ row: EntityRowBytes, file: ImportFile, line: Int, column: Int) throws {
            fast += 1
            try accept(row.record, file: file, line: line, column: column)
        }
        func reject(_ row: RejectedRow) throws { rejected.append("\(row.line) \(row.reason)") }
        func endFile(_ file: ImportFile) throws {}

        static func render(_ record: AcceptedRecord) -> String {
            func q(_ s: String?) -> String { s.map { "[\($0)]" } ?? "nil" }
            switch record {
            case .reseller(let r): return "\(q(r.resellerID)) \(q(r.name)) \(q(r.contactEmail)) \(q(r.contactName)) \(q(r.language))"
            case .customer(let c): return "\(q(c.customerID)) \(q(c.resellerID)) \(q(c.name)) \(q(c.contactEmail))"
            case .domain(let d): return "\(q(d.domain)) \(q(d.customerID))"
            case .mailbox(let m): return "\(q(m.address))"
            }
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var entity: Entity
        var header: String
        var rows: [String]
        /// How many rows the fast path must take (the rest go the general way).
        var fast: Int
        var testDescription: String { entity.plural }
    }

    static let cases: [Case] = [
        Case(entity: .reseller, header: "reseller_id,name,contact_email,contact_name,language", rows: [
            "R1,Northwind,noc@northwind.example,Ada,de",
            "R2,Northwind,noc@northwind.example,,",          // no contact name, language "en"
            " R3 , Contoso Ltd ,\tops@contoso.example\t, Bo , fr ",
            "R4,\"Quoted, Inc\",ops@q.example,Cy,en",
            "R5,\"Say \"\"hi\"\"\",ops@q.example,Cy,en",    // doubled quotes: general path
            "R6,Rosenhügel ICT,ops@r.example,Jörg,de",        // non-ASCII inside: fast
            "R7,Ærø Net,ops@r.example,,",                      // non-ASCII first: general path
            "R8,Net\u{00A0},ops@r.example,,",                   // ends in no-break space: trimmed, general
            "R9,,ops@r.example,,",                              // missing name: rejected
            ",Name,ops@r.example,,",                            // missing id: rejected
            "R10,Name,   ,,",                                   // blank email: rejected
            "R11,Bad \u{FFFD},x@y.example,,",                  // ends in non-ASCII: general path
        ], fast: 5),
        Case(entity: .customer, header: "customer_id,reseller_id,name,contact_email", rows: [
            "C1,R1,Acme,boss@acme.example",
            "C2,R1,Acme,",
            "C3 , R2 ,  Umbrella  , ",
            "C4,R2,Ünïcode GmbH,",
            "C5,,Orphan,",
            "C6,R3,,x@y.example",
        ], fast: 3),
        Case(entity: .domain, header: "domain,customer_id", rows: [
            "Acme.EXAMPLE.,C1",
            "acme.example,C1",
            " umbrella.example ,C2 ",
            ".,C3",                                             // empty once the dot goes
            "..,C3",
            "bücher.example,C4",                                // non-ASCII: lower-cased the Unicode way
            "ÄCME.example,C4",
            ",C5",
            "x.example,",
        ], fast: 4),
    ]

    /// What the general path alone makes of each row.
    func expected(_ c: Case) -> (accepted: [String], rejected: [String]) {
        var accepted: [String] = []
        var rejected: [String] = []
        for (i, row) in c.rows.enumerated() {
            // The test rows' only quoted cell is a plain one; split like a CSV reader would.
            var cells: [String] = []
            var cell = ""
            var quoted = false
            let chars = Array(row)
            var k = 0
            while k < chars.count {
                let ch = chars[k]
                if ch == "\"" {
                    if quoted && k + 1 < chars.count && chars[k + 1] == "\"" { cell.append("\""); k += 2; continue }
                    quoted.toggle()
                } else if ch == "," && !quoted {
                    cells.append(cell)
                    cell = ""
                } else {
                    cell.append(ch)
                }
                k += 1
            }
            cells.append(cell)
            let raw = RawRow(entity: c.entity, values: cells, line: i + 2, column: 1, raw: row)
            switch RowValidator.validate(raw) {
            case .accepted(let record): accepted.append("\(i + 2) \(Collector.render(record))")
            case .rejected(let reason): rejected.append("\(i + 2) \(reason)")
            }
        }
        return (accepted, rejected)
    }

    @Test(arguments: cases)
    func bothPathsAgree(_ c: Case) throws {
        let dir = TemporaryDirectory()
        let file = ImportFile(path: dir.write("e.csv", c.header + "\n" + c.rows.joined(separator: "\n") + "\n"), format: .csv, index: 0)
        let sink = Collector()
        try Importer(files: [file], strict: false).run(into: sink)
        let want = expected(c)
        #expect(sink.accepted == want.accepted)
        #expect(sink.rejected == want.rejected)
        #expect(sink.fast == c.fast)
    }
}
