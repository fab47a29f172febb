/// Writing CSV cells that spreadsheets and other tools read back as the same text.
public enum CSVOutput {
    /// One cell: the formula guard (a leading `'` for cells that start with `=`, `+`, `-`,
    /// `@`, tab or CR, so a spreadsheet never runs them), then RFC 4180 quoting when the cell
    /// holds the delimiter, a quote, CR or LF.
    public static func cell(_ value: String, delimiter: Character = ",") -> String {
        guard let d = delimiter.asciiValue else { return slowCell(value, delimiter: delimiter) }
        // On bytes (a tenth of the cost of going by Character, which showed in reports whose
        // customer names hold commas); most cells need neither guard nor quotes and are
        // returned as they are.
        var text = value
        let escaped: [UInt8]? = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard isGuarded(bytes) || isQuoted(bytes, delimiter: d) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            appendCell(bytes, delimiter: d, to: &out)
            return out
        }
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? value
    }

    /// `cell(value, delimiter:)` appended to `out` as bytes: a report's mailbox lists are
    /// millions of cells, and a String per cell was most of their cost. A test checks it
    /// against `cell(_:)`, and `cell` against the Character path (`slowCell`).
    static func appendCell(_ value: UnsafeRawBufferPointer, delimiter: UInt8 = UInt8(ascii: ","), to out: inout [UInt8]) {
        let guarded = isGuarded(value)
        let quoted = isQuoted(value, delimiter: delimiter)
        if !guarded && !quoted {
            out.append(contentsOf: value)
            return
        }
        if quoted { out.append(UInt8(ascii: "\"")) }
        if guarded { out.append(UInt8(ascii: "'")) }
        for byte in value {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        if quoted { out.append(UInt8(ascii: "\"")) }
    }

    static func appendCell(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendCell(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Starts with `=`, `+`, `-`, `@`, tab or CR: a spreadsheet could take it for a formula.
    private static func isGuarded(_ value: UnsafeRawBufferPointer) -> Bool {
        switch value.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    /// Holds the delimiter, a quote, CR or LF.
    private static func isQuoted(_ value: UnsafeRawBufferPointer, delimiter: UInt8) -> Bool {
        value.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
    }

    /// `cell` for a delimiter that is not ASCII, by Character.
    static func slowCell(_ value: String, delimiter: Character) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A record: cells joined by commas and ended by LF, which every CSV reader accepts and
    /// line-based tools (grep, wc, diff) handle best.
    public static func row(_ values: [String]) -> String {
        values.map { cell($0) }.joined(separator: ",") + "\n"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
