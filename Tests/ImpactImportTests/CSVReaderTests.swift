import Foundation
import Testing
@testable import ImpactImport

/// The reader is a streaming state machine: every case is fed in chunks of many sizes and
/// through buffers down to one byte, so that every state meets a chunk boundary.
@Suite("CSVReader")
struct CSVReaderTests {
    static let chunkSizes = [1, 2, 3, 5, 7, 13, 64, 500, Int.max]
    static let bufferSizes = [1, 2, 7, 64, 1 << 16]

    @Test("edge cases, in every chunk size", arguments: CSVEdgeCase.all, chunkSizes)
    func edgeCase(_ edgeCase: CSVEdgeCase, chunkSize: Int) throws {
        for bufferSize in Self.bufferSizes {
            let records = try readAll(edgeCase.input, chunkSize: chunkSize, bufferSize: bufferSize,
                                      delimiter: edgeCase.delimiter, maxRecordBytes: edgeCase.maxRecordBytes,
                                      maxFieldCount: edgeCase.maxFieldCount)
            #expect(records == edgeCase.expected, "buffer size \(bufferSize)")
        }
    }

    @Test("random valid CSV matches the reference parser", arguments: 0..<60)
    func randomInput(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let delimiter = random.next(below: 4) == 0 ? ASCII.tab : UInt8(ascii: ",")
        let (input, generated) = RandomCSV.make(delimiter: delimiter, using: &random)
        let reference = ReferenceParser.parse(input, delimiter: delimiter)
        #expect(reference.map(\.fields) == generated, "the reference parser reads what was generated")

        let chunkSize = [1, 2, 3, 7, 64, 4096][random.next(below: 6)]
        let bufferSize = [1, 3, 16, 1 << 16][random.next(below: 4)]
        let records = try readAll(input, chunkSize: chunkSize, bufferSize: bufferSize, delimiter: delimiter)
        #expect(records == reference, "chunk size \(chunkSize), buffer size \(bufferSize)")
    }

    @Test("invalid UTF-8 gives nil from string(_:) and the bytes from withField")
    func invalidUTF8() throws {
        var reader = CSVReader(source: ChunkedSource([0x61, 0xFF, 0x2C, 0x62, 0x0A], chunkSize: 1))
        var seen = 0
        try reader.forEachRecord { record in
            seen += 1
            #expect(record.issue == nil)
            #expect(record.string(0) == nil)
            #expect(record.withField(0) { Array($0) } == [0x61, 0xFF])
            #expect(record.string(1) == "b")
            #expect(record.rawText(limit: 10) == "a\u{FFFD},b")
        }
        #expect(seen == 1)
    }

    @Test("line and column of each field")
    func fieldPositions() throws {
        let input = Array("\u{FEFF}x\r\na,\"b\r\nc\",d\n".utf8)
        var positions: [[Int]] = []
        var reader = CSVReader(source: ChunkedSource(input, chunkSize: 2), bufferSize: 3)
        try reader.forEachRecord { record in
            for i in 0..<record.fieldCount {
                positions.append([record.line, record.line(ofField: i), record.column(ofField: i)])
            }
        }
        #expect(positions == [[1, 1, 1], [2, 2, 1], [2, 2, 3], [2, 3, 4]])
    }

    @Test("rawText keeps the source text, cut to a limit")
    func rawText() throws {
        let input = Array("\"a\"\"b\",c\r\n12345678901234567890\n".utf8)
        var texts: [String] = []
        var reader = CSVReader(source: ChunkedSource(input, chunkSize: 3), bufferSize: 4, maxRecordBytes: 12)
        try reader.forEachRecord { record in
            texts.append(record.rawText(limit: 100))
            texts.append(record.rawText(limit: 3))
        }
        #expect(texts == ["\"a\"\"b\",c", "\"a\"…", "12345678901234567890", "123…"])
    }

    @Test("an over-long record is dropped as it is read, its start kept for messages",
          arguments: [(7, 16), (1000, 64), (Int.max, 1 << 20)])
    func droppedRecord(chunkSize: Int, bufferSize: Int) throws {
        let long = "\"" + String(repeating: "x\r\n", count: 30_000) + "\",y\r\n"
        let input = Array("a\n\(long)b\n".utf8)
        var records: [Record] = []
        var texts: [String] = []
        var reader = CSVReader(source: ChunkedSource(input, chunkSize: chunkSize), bufferSize: bufferSize,
                               maxRecordBytes: 100)
        try reader.forEachRecord { record in
            records.append(Record(line: record.line, bytes: [], issue: record.issue))
            texts.append(record.rawText(limit: 2000))
        }
        #expect(records == [Record(1, []), Record(2, [], .tooLong(limit: 100)), Record(30_003, [])])
        #expect(texts[1] == String(long.utf8.prefix(1024))! + "…")
    }

    @Test("an error thrown by the body stops reading")
    func bodyThrows() {
        struct Stop: Error {}
        var reader = CSVReader(source: ChunkedSource(Array("a\nb\nc\n".utf8), chunkSize: 1))
        var lines: [Int] = []
        #expect(throws: Stop.self) {
            try reader.forEachRecord { record in
                lines.append(record.line)
                if record.line == 2 { throw Stop() }
            }
        }
        #expect(lines == [1, 2])
    }

    @Test("a long file through a small buffer")
    func manyRecords() throws {
        var input: [UInt8] = []
        for i in 0..<5000 { input += Array("\(i),\"v\(i)\r\nx\"\r\n".utf8) }
        var count = 0
        var reader = CSVReader(source: ChunkedSource(input, chunkSize: 1000), bufferSize: 64)
        try reader.forEachRecord { record in
            #expect(record.line == 2 * count + 1)
            #expect(record.string(0) == "\(count)" && record.string(1) == "v\(count)\r\nx")
            count += 1
        }
        #expect(count == 5000)
    }

    // MARK: Files

    @Test("FileByteSource reads a file")
    func readsFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/x.csv"
        try Data("a,b\n\"c\",d\n".utf8).write(to: URL(fileURLWithPath: path))
        var reader = CSVReader(source: try FileByteSource(path: path), bufferSize: 4)
        var records: [[String?]] = []
        try reader.forEachRecord { record in records.append((0..<record.fieldCount).map(record.string)) }
        #expect(records == [["a", "b"], ["c", "d"]])
    }

    @Test("FileByteSource fails with an I/O error naming the file")
    func unreadableFiles() throws {
        let directory = try TemporaryDirectory()
        for (path, reason) in [(directory.path + "/missing.csv", "No such file or directory"),
                               (directory.path, "Is a directory")] {
            let error = #expect(throws: ImportError.self) { try FileByteSource(path: path) }
            #expect(error?.kind == .io)
            #expect(error?.message == "cannot read \(path): \(reason)")
        }
    }

    @Test("FileByteSource throws after close")
    func readAfterClose() throws {
        var source = try FileByteSource(path: "/dev/null")
        source.close()
        source.close()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { buffer.deallocate() }
        #expect(throws: ImportError.self) { try source.read(into: buffer) }
    }

    /// The fixtures' `.expected.json` files are written by `scripts/check-csv-against-python.py --write`.
    @Test("fixtures agree with Python's csv module",
          arguments: ["quoting.csv", "line-ends.csv", "unicode.tsv"])
    func fixture(_ name: String) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/csv-edge-cases")
        let path = directory.appendingPathComponent(name).path
        let expected = try JSONDecoder().decode([PythonRecord].self,
                                                from: Data(contentsOf: URL(fileURLWithPath: path + ".expected.json")))
        var records: [PythonRecord] = []
        var reader = CSVReader(source: try FileByteSource(path: path),
                               delimiter: name.hasSuffix(".tsv") ? ASCII.tab : UInt8(ascii: ","), bufferSize: 5)
        try reader.forEachRecord { record in
            #expect(record.issue == nil)
            records.append(PythonRecord(line: record.line, fields: (0..<record.fieldCount).map { record.string($0) ?? "?" }))
        }
        #expect(records == expected)
    }
}

// Helpers are nested so that they cannot clash with other files of this test target.
extension CSVReaderTests {
    // MARK: - The edge cases

    /// A record as compared in tests.
    struct Record: Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var fields: [[UInt8]]
        var issue: CSVRecordIssue?

        init(_ line: Int, _ fields: [String], _ issue: CSVRecordIssue? = nil) {
            self.init(line: line, bytes: fields.map { Array($0.utf8) }, issue: issue)
        }

        init(line: Int, bytes: [[UInt8]], issue: CSVRecordIssue? = nil) {
            self.line = line
            self.fields = bytes
            self.issue = issue
        }

        var description: String {
            let fields = fields.map { String(decoding: $0, as: UTF8.self).debugDescription }
            return "\(line): [\(fields.joined(separator: ", "))]" + (issue.map { " \($0)" } ?? "")
        }
    }

    struct CSVEdgeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var expected: [Record]
        var delimiter = UInt8(ascii: ",")
        var maxRecordBytes = 1 << 20
        var maxFieldCount = 1 << 10

        var testDescription: String { name }

        init(_ name: String, _ input: String, _ expected: [Record],
             delimiter: UInt8 = UInt8(ascii: ","), maxRecordBytes: Int = 1 << 20, maxFieldCount: Int = 1 << 10) {
            self.name = name
            self.input = Array(input.utf8)
            self.expected = expected
            self.delimiter = delimiter
            self.maxRecordBytes = maxRecordBytes
            self.maxFieldCount = maxFieldCount
        }

        static let all: [CSVEdgeCase] = [
            // Well-formed (the expected records agree with Python's csv module, blank lines aside).
            .init("simple", "a,b,c\n1,2,3\n", [Record(1, ["a", "b", "c"]), Record(2, ["1", "2", "3"])]),
            .init("no final line end", "a,b\n1,2", [Record(1, ["a", "b"]), Record(2, ["1", "2"])]),
            .init("CR LF", "a,b\r\n1,2\r\n", [Record(1, ["a", "b"]), Record(2, ["1", "2"])]),
            .init("mixed line ends", "a\r\nb\nc\r\nd", [Record(1, ["a"]), Record(2, ["b"]), Record(3, ["c"]), Record(4, ["d"])]),
            .init("byte-order mark", "\u{FEFF}id,name\nR1,x\n", [Record(1, ["id", "name"]), Record(2, ["R1", "x"])]),
            .init("byte-order mark only", "\u{FEFF}", []),
            .init("BOM-like bytes later are data", "a\n\u{FEFF}b\n", [Record(1, ["a"]), Record(2, ["\u{FEFF}b"])]),
            .init("empty input", "", []),
            .init("quoted fields", "\"a\",\"b c\"\n", [Record(1, ["a", "b c"])]),
            .init("doubled quotes", "\"say \"\"hi\"\"\",x\n", [Record(1, ["say \"hi\"", "x"])]),
            .init("a lone doubled quote", "\"\"\"\"\n", [Record(1, ["\""])]),
            .init("empty quoted fields", "\"\",\"\"\n", [Record(1, ["", ""])]),
            .init("empty quoted field alone", "\"\"\n", [Record(1, [""])]),
            .init("delimiter in quotes", "\"a,b\",c\n", [Record(1, ["a,b", "c"])]),
            .init("LF in quotes", "\"a\nb\",c\nd,e\n", [Record(1, ["a\nb", "c"]), Record(3, ["d", "e"])]),
            .init("CR LF in quotes", "\"a\r\nb\",c\r\nd\r\n", [Record(1, ["a\r\nb", "c"]), Record(3, ["d"])]),
            .init("CR in quotes", "\"a\rb\"\n", [Record(1, ["a\rb"])]),
            .init("quoted field last, no line end", "a,\"b\"", [Record(1, ["a", "b"])]),
            .init("quoted field then CR LF", "\"a\"\r\n\"b\"\r\n", [Record(1, ["a"]), Record(2, ["b"])]),
            .init("blank lines", "\n\na\n\n\nb\n\n", [Record(3, ["a"]), Record(6, ["b"])]),
            .init("white-space-only lines", "a\n  \n\t\n \t \r\nb\n   ", [Record(1, ["a"]), Record(5, ["b"])]),
            .init("empty fields", ",,\na,,b\n,\n", [Record(1, ["", "", ""]), Record(2, ["a", "", "b"]), Record(3, ["", ""])]),
            .init("trailing delimiter, no line end", "a,", [Record(1, ["a", ""])]),
            .init("spaces kept", " a , b \n", [Record(1, [" a ", " b "])]),
            .init("quoted white space kept", "\"  \"\n", [Record(1, ["  "])]),
            .init("UTF-8", "ä,€,😀\n", [Record(1, ["ä", "€", "😀"])]),
            .init("TSV", "a\tb\t\"c\td\"\n1\t\t3\n", [Record(1, ["a", "b", "c\td"]), Record(2, ["1", "", "3"])],
                  delimiter: ASCII.tab),
            .init("TSV tab-only line is blank", "a\n\t\t\nb\n", [Record(1, ["a"]), Record(3, ["b"])], delimiter: ASCII.tab),
            .init("TSV keeps commas", "a,b\tc\n", [Record(1, ["a,b", "c"])], delimiter: ASCII.tab),

            // Malformed: delivered with the fields before the problem; reading resumes on the next line.
            .init("unterminated quote", "a,b\nc,\"d\ne,f\n",
                  [Record(1, ["a", "b"]), Record(2, ["c"], .unterminatedQuote(line: 2, column: 3))]),
            .init("unterminated quote at the very end", "\"", [Record(1, [], .unterminatedQuote(line: 1, column: 1))]),
            .init("text after closing quote", "\"a\"b,c\nd\n",
                  [Record(1, [], .textAfterClosingQuote(line: 1, column: 4)), Record(2, ["d"])]),
            .init("space after closing quote", "x,\"a\" ,b\r\nd\r\n",
                  [Record(1, ["x"], .textAfterClosingQuote(line: 1, column: 6)), Record(2, ["d"])]),
            .init("text after closing quote, second line", "\"a\nb\"c\nd\n",
                  [Record(1, [], .textAfterClosingQuote(line: 2, column: 3)), Record(3, ["d"])]),
            .init("quote in unquoted field", "x,a\"b\"\ny\n",
                  [Record(1, ["x"], .quoteInUnquotedField(line: 1, column: 4)), Record(2, ["y"])]),
            .init("quote after leading space", " \"a\",b\n",
                  [Record(1, [], .quoteInUnquotedField(line: 1, column: 2))]),
            .init("quote in unquoted field after BOM", "\u{FEFF}a\"b\n",
                  [Record(1, [], .quoteInUnquotedField(line: 1, column: 2))]),
            .init("bare CR", "a\rb,c\nd\n", [Record(1, [], .bareCarriageReturn(line: 1, column: 2)), Record(2, ["d"])]),
            .init("CR CR LF", "a,b\r\r\nc\n", [Record(1, ["a"], .bareCarriageReturn(line: 1, column: 4)), Record(2, ["c"])]),
            .init("bare CR at the end", "a,b\r", [Record(1, ["a"], .bareCarriageReturn(line: 1, column: 4))]),
            .init("bare CR after a closing quote", "\"a\"\rb\n", [Record(1, [], .bareCarriageReturn(line: 1, column: 4))]),
            .init("bare CR on an otherwise blank line", "a\n\r\nb\n\r \nc\n",
                  [Record(1, ["a"]), Record(3, ["b"]), Record(4, [], .bareCarriageReturn(line: 4, column: 1)), Record(5, ["c"])]),
            .init("NUL", "a\0b,c\nd\n", [Record(1, [], .nulByte(line: 1, column: 2)), Record(2, ["d"])]),
            .init("NUL starting a field", "a,\0\n", [Record(1, ["a"], .nulByte(line: 1, column: 3))]),
            .init("NUL in quotes", "x\n\"a\nb\0\"\nz\n",
                  [Record(1, ["x"]), Record(2, [], .nulByte(line: 3, column: 2)), Record(4, ["z"])]),
            .init("NUL after closing quote", "\"a\"\0\n", [Record(1, [], .nulByte(line: 1, column: 4))]),
            .init("first issue wins", "a\"\0\rb\n", [Record(1, [], .quoteInUnquotedField(line: 1, column: 2))]),

            // Limits.
            .init("too long", "abc\nabcdef\nxy\n",
                  [Record(1, ["abc"]), Record(2, [], .tooLong(limit: 5)), Record(3, ["xy"])], maxRecordBytes: 5),
            .init("at the limit, line end not counted", "abcde\r\nx\n", [Record(1, ["abcde"]), Record(2, ["x"])], maxRecordBytes: 5),
            .init("too long over several lines", "\"a\nbcdefgh\",x\ny\n",
                  [Record(1, [], .tooLong(limit: 5)), Record(3, ["y"])], maxRecordBytes: 5),
            .init("too long at the end", "ab\ncdefgh", [Record(1, ["ab"]), Record(2, [], .tooLong(limit: 4))], maxRecordBytes: 4),
            .init("an issue wins over the length", "ab\n\"cdefghij\nk\n",
                  [Record(1, ["ab"]), Record(2, [], .unterminatedQuote(line: 2, column: 1))], maxRecordBytes: 4),
            .init("a blank line over the limit is too long", "a\n            \nb\n",
                  [Record(1, ["a"]), Record(2, [], .tooLong(limit: 10)), Record(3, ["b"])], maxRecordBytes: 10),
            .init("too many fields", "a,b,c\na,b,c,d\n,,,\ne\n",
                  [Record(1, ["a", "b", "c"]), Record(2, [], .tooManyFields(limit: 3)),
                   Record(3, [], .tooManyFields(limit: 3)), Record(4, ["e"])], maxFieldCount: 3),
            .init("too long wins over too many fields", ",,,,,,\na\n",
                  [Record(1, [], .tooLong(limit: 5)), Record(2, ["a"])], maxRecordBytes: 5, maxFieldCount: 2),
        ]
    }

    // MARK: - Helpers

    /// Hands out `bytes` at most `chunkSize` at a time, as a pipe or a slow disk might.
    struct ChunkedSource: ByteSource {
        let bytes: [UInt8]
        let chunkSize: Int
        var offset = 0

        init(_ bytes: [UInt8], chunkSize: Int) {
            self.bytes = bytes
            self.chunkSize = chunkSize
        }

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(chunkSize, buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
            }
            offset += count
            return count
        }
    }

    func readAll(_ input: [UInt8], chunkSize: Int, bufferSize: Int, delimiter: UInt8 = UInt8(ascii: ","),
                 maxRecordBytes: Int = 1 << 20, maxFieldCount: Int = 1 << 10) throws -> [Record] {
        var reader = CSVReader(source: ChunkedSource(input, chunkSize: chunkSize), delimiter: delimiter,
                               bufferSize: bufferSize, maxRecordBytes: maxRecordBytes, maxFieldCount: maxFieldCount)
        var records: [Record] = []
        try reader.forEachRecord { record in
            let fields = (0..<record.fieldCount).map { i in record.withField(i) { Array($0) } }
            records.append(Record(line: record.line, bytes: fields, issue: record.issue))
        }
        return records
    }

    /// A whole-input, obviously-correct parser for well-formed CSV, to compare the reader with.
    enum ReferenceParser {
        static func parse(_ input: [UInt8], delimiter: UInt8) -> [Record] {
            let quote = ASCII.quote, lf = ASCII.lineFeed, cr = ASCII.carriageReturn
            var bytes = input[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            var i = bytes.startIndex
            var line = 1
            var records: [Record] = []
            while i < bytes.endIndex {
                let recordLine = line
                let recordStart = i
                var fields: [[UInt8]] = []
                while true {
                    var field: [UInt8] = []
                    if i < bytes.endIndex && bytes[i] == quote {
                        i += 1
                        while true {
                            if bytes[i] == quote {
                                if i + 1 < bytes.endIndex && bytes[i + 1] == quote {
                                    field.append(quote)
                                    i += 2
                                } else {
                                    i += 1
                                    break
                                }
                            } else {
                                if bytes[i] == lf { line += 1 }
                                field.append(bytes[i])
                                i += 1
                            }
                        }
                    } else {
                        while i < bytes.endIndex && bytes[i] != delimiter && bytes[i] != lf
                            && !(bytes[i] == cr && i + 1 < bytes.endIndex && bytes[i + 1] == lf) {
                            field.append(bytes[i])
                            i += 1
                        }
                    }
                    fields.append(field)
                    if i < bytes.endIndex && bytes[i] == delimiter {
                        i += 1
                        continue
                    }
                    break
                }
                let text = bytes[recordStart..<i]
                if i < bytes.endIndex && bytes[i] == cr { i += 1 }
                if i < bytes.endIndex && bytes[i] == lf {
                    i += 1
                    line += 1
                }
                if !text.allSatisfy({ $0 == ASCII.space || $0 == ASCII.tab }) {
                    records.append(Record(line: recordLine, bytes: fields))
                }
            }
            return records
        }
    }

    /// Well-formed CSV built from random fields, with random quoting, line ends, blank lines and BOM.
    enum RandomCSV {
        static let pieces = ["a", "b", "é", "😀", " ", "\t", ",", "\"", "\n", "\r\n", "\r", "xyz"]

        /// Returns the text and the records it holds (without those that are blank lines).
        static func make(delimiter: UInt8, using random: inout SplitMix64) -> ([UInt8], [[[UInt8]]]) {
            var text: [UInt8] = random.next(below: 4) == 0 ? [0xEF, 0xBB, 0xBF] : []
            var records: [[[UInt8]]] = []
            let recordCount = random.next(below: 40)
            for r in 0..<recordCount {
                if random.next(below: 5) == 0 {
                    text += Array(["\n", "\r\n", "  \n", "\t \r\n"][random.next(below: 4)].utf8)
                }
                var fields: [[UInt8]] = []
                var isBlank = true
                for f in 0..<(1 + random.next(below: 5)) {
                    var field: [UInt8] = []
                    for _ in 0..<random.next(below: 5) { field += Array(pieces[random.next(below: pieces.count)].utf8) }
                    let mustQuote = field.contains { [delimiter, ASCII.quote, ASCII.lineFeed, ASCII.carriageReturn].contains($0) }
                    if f > 0 { text.append(delimiter) }
                    if mustQuote || random.next(below: 5) == 0 {
                        text.append(ASCII.quote)
                        for byte in field {
                            if byte == ASCII.quote { text.append(ASCII.quote) }
                            text.append(byte)
                        }
                        text.append(ASCII.quote)
                        isBlank = false
                    } else {
                        text += field
                        if !field.allSatisfy({ $0 == ASCII.space || $0 == ASCII.tab }) { isBlank = false }
                    }
                    fields.append(field)
                }
                // Fields of spaces and tabs joined by a comma are not a blank line.
                if fields.count > 1 && delimiter != ASCII.tab { isBlank = false }
                if !isBlank { records.append(fields) }
                if r < recordCount - 1 || random.next(below: 2) == 0 {
                    text += random.next(below: 2) == 0 ? [ASCII.lineFeed] : [ASCII.carriageReturn, ASCII.lineFeed]
                }
            }
            return (text, records)
        }
    }

    /// A small, seedable random number generator, so that a failing seed can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func next(below bound: Int) -> Int {
            Int(next() % UInt64(bound))
        }
    }

    struct PythonRecord: Codable, Equatable {
        var line: Int
        var fields: [String]
    }

    /// A fresh directory, removed when the value goes away.
    final class TemporaryDirectory {
        let path: String

        init() throws {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reader-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            path = url.path
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
