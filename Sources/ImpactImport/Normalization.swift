/// How the contract compares domains and addresses: case-insensitively, stored lower-cased with
/// Unicode default case mapping, a domain's trailing dot dropped.
public enum Normalization {
    /// `Acme.EXAMPLE.` → `acme.example`. The input must already be trimmed.
    public static func domain(_ text: String) -> String {
        var lowered = text.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }

    /// Splits and normalises an address. Fails with a reason when it does not hold exactly one
    /// `@`. An empty part is allowed, as the contract asks no more: such a mailbox still lives
    /// on a volume, and with no domain it is counted as unattributed rather than lost.
    public static func address(_ text: String) -> Result<(address: String, domain: String), AddressProblem> {
        let lowered = text.lowercased()
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
        let local = lowered[..<at]
        var domain = String(lowered[lowered.index(after: at)...])
        if domain.hasSuffix(".") { domain.removeLast() }
        return .success((address: "\(local)@\(domain)", domain: domain))
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
