import Crypto

/// The name a reseller's files get inside `resellers/`: the reseller id when it is a safe file
/// name (`[A-Za-z0-9][A-Za-z0-9._-]*`), otherwise a safe rendering plus a hash that keeps
/// distinct ids apart (`R/77` → `R_77-` + the first 8 hex digits of SHA-256 of `R/77`).
public enum FileID {
    public static func make(for resellerID: String) -> String {
        if isSafe(resellerID) { return resellerID }
        var result = ""
        for (index, scalar) in resellerID.unicodeScalars.enumerated() {
            let safe = isLetterOrDigit(scalar) || scalar == "." || scalar == "_" || scalar == "-"
            if index == 0 && !isLetterOrDigit(scalar) {
                result.append("_")
            } else {
                result.unicodeScalars.append(safe ? scalar : "_")
            }
        }
        let digest = SHA256.hash(data: Array(resellerID.utf8))
        let hex = digest.prefix(4).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        return result + "-" + hex
    }

    static func isSafe(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, isLetterOrDigit(first) else { return false }
        return id.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isLetterOrDigit(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}
