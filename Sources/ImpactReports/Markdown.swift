import Mustache

/// Escaping for values read from exports when they are put into Markdown: data stays data.
public enum Markdown {
    /// Renders `text` as literal Markdown text, on one line:
    /// - `<` and `>` become HTML entities (no tag can form), and so does `&` where it could
    ///   start an entity (`&amp;`, `&#…`); a lone `&` as in "Smith & Sons" cannot, and stays
    ///   readable in a draft pasted as plain text;
    /// - `\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~` are backslash-escaped (no code span,
    ///   emphasis, link, table cell break or strike-through);
    /// - line breaks and other control characters become a space (nothing can start a new
    ///   line: no heading, list, quote or mail header).
    /// A `#`, `-`, `+`, `>` or digit can only start a block at the beginning of a line, and a
    /// value never starts one after this.
    public static func escape(_ text: String) -> String {
        // Most values are plain ASCII letters, digits and spaces: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && !specialASCII[Int($0)] }) { return text }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return escapeASCII(text) }
        return escapeScalars(text)
    }

    /// `escape`, one Unicode scalar at a time.
    static func escapeScalars(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&":
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                out += next.properties.isAlphabetic || next == "#" || ("0"..."9").contains(next) ? "&amp;" : "&"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `escape` for ASCII text, on bytes: names like "Smith & Sons" are common, and going by
    /// Unicode scalar with their properties cost a report of 900,000 customer rows seconds.
    static func escapeASCII(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count + 16)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "&"):
                let next = index + 1 < bytes.count ? bytes[index + 1] : UInt8(ascii: " ")
                let startsEntity = (next | 0x20) &- UInt8(ascii: "a") < 26 || next == UInt8(ascii: "#") || next &- UInt8(ascii: "0") < 10
                out.append(contentsOf: startsEntity ? Array("&amp;".utf8) : [byte])
            case UInt8(ascii: "<"): out.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: ">"): out.append(contentsOf: Array("&gt;".utf8))
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "|"), UInt8(ascii: "~"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20, 0x7F: out.append(UInt8(ascii: " "))
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ASCII bytes that `escape` may change.
    private static let specialASCII: [Bool] = (0..<128).map { byte in
        "&<>\\`*_[]|~".utf8.contains(UInt8(byte))
    }

    /// The Mustache content type `MARKDOWN`: `{{value}}` is escaped with `escape(_:)`.
    struct ContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { Markdown.escape(text) }
    }

    /// Registers `MARKDOWN` for `{{% CONTENT_TYPE: MARKDOWN}}` (once; cheap to call again).
    static let registerContentType: Void = {
        MustacheContentTypes.register(ContentType(), named: "MARKDOWN")
    }()
}
