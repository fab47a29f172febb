import Foundation
import ImpactModel
import Testing
@testable import ImpactReports

@Suite("analyze --json: the hand-written writer gives JSONEncoder's bytes")
struct ImpactDocumentTests {
    /// Every ASCII byte (controls, quote, backslash, slash, DEL) and some non-ASCII text.
    static let awkward: String = {
        var text = ""
        for i in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(i)!) }
        return text + "é€😀\u{80}\u{2028}\u{FEFF} R/77 \"quoted\" \\back\\"
    }()

    static func document(volumes: [String], resellers: [(String, String)]) -> ImpactDocument {
        ImpactDocument(
            offline_volumes: volumes,
            totals: .init(mailboxes: 12, affected_mailboxes: 7, resellers_full: 1, resellers_partial: 2, resellers_none: 0,
                          unattributed_mailboxes: 3, unattributed_affected_mailboxes: -1),
            resellers: resellers.enumerated().map { i, r in
                .init(reseller_id: r.0, name: r.1, status: ImpactStatus.allCases[i % ImpactStatus.allCases.count],
                      mailboxes: 1_000_000 + i, affected_mailboxes: i, customers: 0, customers_full: Int.max, customers_partial: Int.min)
            })
    }

    @Test(arguments: [
        ([], []),
        (["A/vol03"], []),
        ([], [("R1", "Northwind")]),
        (["A/vol03", "B/vol01", awkward], [("R1", "Northwind"), (awkward, awkward), ("", ""), ("R/77", "<b>&|`")]),
    ] as [([String], [(String, String)])])
    func sameBytesAsJSONEncoder(volumes: [String], resellers: [(String, String)]) throws {
        let document = Self.document(volumes: volumes, resellers: resellers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        #expect(document.json() == expected)
        #expect(try JSONDecoder().decode(ImpactDocument.self, from: Data(document.json().utf8)) == document)
    }
}
