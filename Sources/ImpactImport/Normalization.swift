/// How the contract compares domains and addresses: case-insensitively, stored lower-cased with
/// Unicode default case mapping, a domain's trailing dot dropped.
public enum Normalization {
    /// `Acme.EXAMPLE.` → `acme.example`. The input must already be trimmed.
    public static func domain(_ text: String) -> String {
        var lowered = lowercase(text)
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }

    /// Splits and normalises an address. Fails with a reason when it does not hold exactly one
    /// `@`. An empty part is allowed, as the contract asks no more: such a mailbox still lives
    /// on a volume, and with no domain it is counted as unattributed rather than lost.
    public static func address(_ text: String) -> Result<(address: String, domain: String), AddressProblem> {
        let lowered = lowercase(text)
        var at: String.Index?
        var count = 0
        var index = lowered.startIndex
        // Scan bytes: `@` is ASCII and never part of a multi-byte sequence.
        for byte in lowered.utf8 {
            if byte == UInt8(ascii: "@") {
                count += 1
                if at == nil { at = index }
            }
            index = lowered.utf8.index(after: index)
        }
        guard count == 1, let at else { return .failure(count == 0 ? .noAt : .severalAts(count)) }
        // Split by scalar, not Character: '@' may share a grapheme with what follows it (a
        // combining mark) or precedes it (a prepended mark), and Character indexing dropped
        // those scalars from the stored address.
        let scalars = lowered.unicodeScalars
        let local = String(scalars[..<at])
        var domain = String(scalars[scalars.index(after: at)...])
        if domain.hasSuffix(".") { domain.removeLast() }
        return .success((address: "\(local)@\(domain)", domain: domain))
    }

    /// Unicode default lower-casing (`toLowercase`), including the one context-dependent rule
    /// it has: a capital sigma at the end of a word becomes final sigma `ς`. Swift's
    /// `lowercased()` maps scalar by scalar and misses that rule (`ΟΔΟΣ` → `οδοσ`), which
    /// would make the same address compare unequal to other tools' lower-casing.
    public static func lowercase(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) || !text.unicodeScalars.contains("\u{03A3}") {
            return text.lowercased()
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" && isFinalSigma(scalars, at: i) {
                out.append("\u{03C2}")
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// The Final_Sigma condition of the Unicode standard (3.13, table 3-17): a cased letter
    /// before (skipping case-ignorable ones) and none after.
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0 && scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count && scalars[after].properties.isCaseIgnorable { after += 1 }
        return !(after < scalars.count && scalars[after].properties.isCased)
    }

    /// Why an address was refused.
    public enum AddressProblem: Error, Equatable, CustomStringConvertible {
        case noAt
        case severalAts(Int)

        public var description: String {
            switch self {
            case .noAt: "address has no '@'"
            case .severalAts(let n): "address has \(n) '@' (exactly one is allowed)"
            }
        }
    }
}
