import Testing
@testable import ImpactImport

@Suite("Normalisation of domains and addresses")
struct NormalizationTests {
    /// Expected values are Python's `str.lower()` (Unicode default case mapping).
    @Test(arguments: [
        ("Alice@Acme.EXAMPLE", "alice@acme.example", "acme.example"),
        ("alice@acme.example.", "alice@acme.example", "acme.example"),
        ("ÄBC@Exämple.COM.", "äbc@exämple.com", "exämple.com"),
        ("ΟΔΟΣ@ΕΛΛΑΣ.example", "οδος@ελλασ.example", "ελλασ.example"),
        ("ΟΔΟΣ@ΕΛΛΑΣ.", "οδος@ελλας", "ελλας"),
        ("ΣΑ@x.example", "σα@x.example", "x.example"),
        ("İNCİ@x.example", "i̇nci̇@x.example", "x.example"),
        ("K@x.example", "k@x.example", "x.example"),
        ("@acme.example", "@acme.example", "acme.example"),
        ("user@", "user@", ""),
        ("user@.", "user@", ""),
        ("a@b..", "a@b.", "b."),
        // '@' in one grapheme with a combining mark after it or a prepended mark before it:
        // every scalar is kept.
        ("zed@\u{301}mark.example", "zed@\u{301}mark.example", "\u{301}mark.example"),
        ("\u{600}@x.example", "\u{600}@x.example", "x.example"),
    ])
    func addresses(input: String, address: String, domain: String) throws {
        let result = try Normalization.address(input).get()
        // As bytes: String equality would take canonically equivalent text as equal.
        #expect(Array(result.address.utf8) == Array(address.utf8))
        #expect(Array(result.domain.utf8) == Array(domain.utf8))
    }

    @Test(arguments: [
        ("no-at.example", "address has no '@'"),
        ("a@@b.example", "address has 2 '@' (exactly one is allowed)"),
        ("a@b@c", "address has 2 '@' (exactly one is allowed)"),
    ])
    func refusedAddresses(input: String, reason: String) {
        #expect(throws: Normalization.AddressProblem.self) { try Normalization.address(input).get() }
        if case .failure(let problem) = Normalization.address(input) { #expect(problem.description == reason) }
    }

    @Test(arguments: [
        ("Acme.EXAMPLE.", "acme.example"),
        ("acme.example", "acme.example"),
        ("ΕΛΛΑΣ.", "ελλας"),
        (".", ""),
    ])
    func domains(input: String, expected: String) {
        #expect(Normalization.domain(input) == expected)
    }
}
