extension StringProtocol {
    /// The text without leading and trailing white space (Unicode `White_Space`, which
    /// includes line breaks), as the contract trims every field.
    public func trimmingWhitespace() -> String {
        let string = String(self)
        let utf8 = string.utf8
        // Fast path: most fields start and end with a printable ASCII byte.
        if let first = utf8.first, let last = utf8.last,
           first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return string
        }
        let scalars = string.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(Substring(scalars[start...end]))
    }
}

extension String {
    /// Byte-wise (UTF-8) ordering, the contract's sort order for raw values.
    public static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
