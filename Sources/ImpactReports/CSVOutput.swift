/// Writing CSV cells that spreadsheets and other tools read back as the same text.
public enum CSVOutput {
    /// One cell: the formula guard (a leading `'` for cells that start with `=`, `+`, `-`,
    /// `@`, tab or CR, so a spreadsheet never runs them), then RFC 4180 quoting when the cell
    /// holds the delimiter, a quote, CR or LF.
    public static func cell(_ value: String, delimiter: Character = ",") -> String {
        // Fast path, on bytes: nothing to guard and nothing to quote (most cells).
        if let first = value.utf8.first, !"=+-@\t\r".utf8.contains(first), delimiter == ",",
           !value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }) {
            return value
        }
        guard let d = delimiter.asciiValue else { return slowCell(value, delimiter: delimiter) }
        // On bytes (a tenth of the cost of going by Character, which showed in reports whose
        // customer names hold commas): the guard, then doubled quotes inside quotes.
        let guarded = value.utf8.first.map { "=+-@\t\r".utf8.contains($0) } ?? false
        let quoted = value.utf8.contains { $0 == d || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        if !guarded && !quoted { return value }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        if guarded { bytes.append(UInt8(ascii: "'")) }
        for byte in value.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `cell(value)` (comma-delimited), appended to `out` as bytes: a report's mailbox lists
    /// are millions of cells, and a String per cell was most of their cost. A test checks it
    /// against `cell(_:)`.
    static func appendCell(_ value: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let guarded = value.first.map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
            || $0 == UInt8(ascii: "@") || $0 == 0x09 || $0 == 0x0D } ?? false
        let quoted = value.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
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
