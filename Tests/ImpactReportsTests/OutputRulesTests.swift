import Testing
import Foundation
import TestSupport
@testable import ImpactReports

@Suite("File ids, CSV cells and Markdown escaping")
struct OutputRulesTests {
    /// Hashes are the first 8 hex digits of `printf '%s' ID | sha256sum`.
    @Test(arguments: [
        ("R1001", "R1001"),
        ("r.1_2-3", "r.1_2-3"),
        ("9lives", "9lives"),
        ("R/77", "R_77-25a74feb"),
        (".hidden", "_hidden-16924190"),
        ("-x", "_x-a4209624"),
        ("ü-1", "_-1-c164c65c"),
        ("R 1", "R_1-6b5f8c32"),
        ("../../etc/passwd", "_._.._etc_passwd-3754d6cb"),
    ])
    func fileIDs(id: String, expected: String) {
        #expect(FileID.make(for: id) == expected)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("=a,b", "\"'=a,b\""),
        ("", ""),
        ("x=1", "x=1"),
    ])
    func csvCells(value: String, expected: String) {
        #expect(CSVOutput.cell(value) == expected)
    }

    @Test(arguments: [
        ("Acme Ltd", "Acme Ltd"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Smith & Sons", "Smith & Sons"),
        ("AT&T", "AT&amp;T"),
        ("&#60;b&#62;", "&amp;#60;b&amp;#62;"),
        ("&lt;", "&amp;lt;"),
        ("trailing &", "trailing &"),
        ("a | b", "a \\| b"),
        ("`rm -rf`", "\\`rm -rf\\`"),
        ("*bold* _it_ [link](http://x)", "\\*bold\\* \\_it\\_ \\[link\\](http://x)"),
        ("line\nBcc: evil@example.com", "line Bcc: evil@example.com"),
        ("cr\r\nlf", "cr  lf"),
        ("{{sender}}", "{{sender}}"),
        ("back\\slash", "back\\\\slash"),
        ("~~strike~~", "\\~\\~strike\\~\\~"),
    ])
    func markdownEscaping(value: String, expected: String) {
        #expect(Markdown.escape(value) == expected)
    }

    @Test func percentages() {
        #expect(ReportWriter.percent(0, of: 0) == "0 %")
        #expect(ReportWriter.percent(1, of: 3) == "33.3 %")
        #expect(ReportWriter.percent(2, of: 3) == "66.7 %")
        #expect(ReportWriter.percent(5, of: 5) == "100.0 %")
    }
}

/// The byte paths of Markdown escaping and CSV cells give what the Unicode scalar / Character
/// paths give, on every ASCII byte next to every other and on random ASCII text.
@Suite("Escaping fast paths")
struct EscapingFastPathTests {
    static let samples: [String] = {
        var list: [String] = []
        let specials = Array("&<>\\`*_[]|~\"',=+-@#0aZ \t\r\n\u{7F}\u{01}".unicodeScalars).map(String.init)
        for a in 0..<128 {
            let first = String(Unicode.Scalar(UInt8(a)))
            list.append(first)
            for b in specials { list.append(first + b); list.append(b + first) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...24, using: &generator)
            list.append(String((0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &generator))) }))
        }
        return list
    }()

    @Test func markdownASCIIMatchesTheScalarPath() {
        for text in Self.samples {
            #expect(Markdown.escapeASCII(text) == Markdown.escapeScalars(text), "\(text.debugDescription)")
        }
    }

    @Test func csvCellAppendedAsBytesMatchesTheStringPath() {
        let nonASCII = ["é", "=é", "\"é\"", "e\u{301}", "@\u{301}x", "Ünï,code", "😀\r\n", "\u{2028}-", "-\u{FEFF}"]
        for text in Self.samples + nonASCII {
            var out: [UInt8] = [UInt8(ascii: "x")]
            CSVOutput.appendCell(text, to: &out)
            #expect(Array(out.dropFirst()) == Array(CSVOutput.cell(text).utf8), "\(text.debugDescription)")
        }
    }

    @Test func csvCellBytesMatchTheCharacterPath() {
        for text in Self.samples {
            for delimiter: Character in [",", "\t"] {
                #expect(CSVOutput.cell(text, delimiter: delimiter) == CSVOutput.slowCell(text, delimiter: delimiter), "\(text.debugDescription)")
            }
        }
    }
}

@Suite("Output files")
struct OutputFileTests {
    let dir = TemporaryDirectory()

    /// A temporary file that a killed run with the same process id left behind is replaced,
    /// not an error, and nothing of it stays.
    @Test func aLeftoverTemporaryFileIsReplaced() throws {
        let path = dir.file("R1.md")
        let leftover = dir.write("R1.md.partial-\(getpid())", "half a dra")
        try OutputFile.write("the whole draft\n", to: path)
        #expect(dir.read("R1.md") == "the whole draft\n")
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    /// Until `commit`, the target is untouched; without it, nothing is left.
    @Test func nothingAppearsBeforeCommit() throws {
        let path = dir.file("list.csv")
        do {
            let file = try OutputFile(path: path)
            try file.write("a,b\n")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
