import Foundation
import Testing
import ImpactModel
@testable import ImpactImport

/// Inputs found by the fuzz targets (Fuzz/, scripts/fuzz.sh) plus a few of their seeds, kept in
/// Fixtures/fuzz-regressions/ and run through the paths the fuzzers run: `CSVReader` in many
/// buffer and chunk sizes and with small limits (.csv/.tsv), `XMLExportReader` (.xml), and the
/// whole import path (`Importer` with `RowValidator`) for both. Nothing may crash; the reads of
/// one input must agree whatever the buffer size.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("the folder holds the regression inputs")
    func folderIsThere() {
        #expect(Self.files.contains("csv-bom-lookahead-tiny-buffer.csv"))
        #expect(Self.files.contains { $0.hasSuffix(".xml") })
    }

    @Test("every input reads without a crash, through the reader and the import path", arguments: files)
    func input(_ name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        if name.hasSuffix(".xml") {
            var rows: [RawRow] = []
            do {
                _ = try XMLExportReader(path: path).read { row in
                    rows.append(row)
                    _ = RowValidator.validate(row)
                }
            } catch let error as ImportError {
                #expect(error.kind == .badData, "\(error)")
            }
            #expect(rows.allSatisfy { $0.line >= 1 && $0.column >= 1 })
        } else {
            let input = try Self.bytes(name)
            let delimiter = name.hasSuffix(".tsv") ? UInt8(ascii: "\t") : UInt8(ascii: ",")
            for maxRecordBytes in [0, 16, 16 << 20] {
                let expected = try readRecords(input, delimiter: delimiter, bufferSize: 1 << 16, chunkSize: Int.max,
                                               maxRecordBytes: maxRecordBytes)
                var previousLine = 0
                for record in expected {
                    #expect(record.line > previousLine)
                    previousLine = record.line
                }
                for (bufferSize, chunkSize) in [(1, 1), (2, 3), (7, 5), (64, 13)] {
                    let records = try readRecords(input, delimiter: delimiter, bufferSize: bufferSize, chunkSize: chunkSize,
                                                  maxRecordBytes: maxRecordBytes)
                    #expect(records == expected, "maxRecordBytes \(maxRecordBytes), buffer \(bufferSize), chunk \(chunkSize)")
                }
            }
        }
        // The import path: header recognition, rows, RowValidator (and the mailbox fast path).
        let format = InputFiles.format(ofName: name) ?? .csv
        let sink = CountingSink()
        do {
            try Importer(files: [ImportFile(path: path, format: format, index: 0)], strict: false).run(into: sink)
        } catch let error as ImportError {
            #expect(error.kind == .badData, "\(error)")
        }
    }

    /// Found by CSVReaderFuzz: with `bufferSize` 1 and `maxRecordBytes` 0 the buffer could hold
    /// at most 2 bytes, but the byte-order mark check waits for 3. `prepareForRead` then offered
    /// an empty buffer (an `assert` in debug builds) and the 0-byte read was taken for the end
    /// of the input: the file was cut after 2 bytes.
    @Test("byte-order mark look-ahead with the smallest buffer")
    func byteOrderMarkLookAhead() throws {
        let input = try Self.bytes("csv-bom-lookahead-tiny-buffer.csv")  // "\n" 0x9D
        let records = try readRecords(input, delimiter: UInt8(ascii: ","), bufferSize: 1, chunkSize: 1, maxRecordBytes: 0)
        #expect(records.map(\.line) == [2])
        #expect(records.first?.issue == .tooLong(limit: 0))
    }

    /// Found by CSVReaderFuzz: an over-long record with an issue, whose CR LF line end was split
    /// between two reads (the CR dropped with the record's bytes, the LF at the start of the
    /// next read), kept the CR in its text: its reject showed `…\r`, unlike the same record read
    /// with a larger buffer.
    @Test("an over-long record's CR LF split across reads is not part of its text")
    func droppedRecordLineEnd() throws {
        let input = try Self.bytes("csv-dropped-record-crlf-across-reads.csv")  // CR 0x9C CR LF
        for (bufferSize, chunkSize) in [(1, 1), (1 << 16, Int.max)] {
            let records = try readRecords(input, delimiter: UInt8(ascii: ","), bufferSize: bufferSize, chunkSize: chunkSize,
                                          maxRecordBytes: 0)
            #expect(records.count == 1)
            #expect(records.first?.issue == .bareCarriageReturn(line: 1, column: 1))
            #expect(records.first?.rawText == "\r\u{FFFD}", "buffer \(bufferSize)")
        }
    }

    /// Found by XMLMailboxExportFuzz (LeakSanitizer): an entity declared in the internal subset
    /// makes libxml2 build a document to hold it (expat-compatible SAX mode), which it frees
    /// only at the end of a complete parse. The reader stops at the first error (here invalid
    /// UTF-8 in the entity value), so it now frees that document itself. Leaks are seen only
    /// under the fuzzer's LeakSanitizer; here the read must still fail cleanly.
    @Test("an error after an entity declaration fails cleanly")
    func entityDeclarationThenError() throws {
        let path = Self.directory.appendingPathComponent("xml-entity-declaration-error-leak.xml").path
        let error = #expect(throws: ImportError.self) {
            _ = try XMLExportReader(path: path, displayPath: "export.xml").read { _ in }
        }
        #expect(error?.kind == .badData)
        #expect(error?.message.hasPrefix("not well-formed XML") == true, "\(String(describing: error))")
    }
}

// MARK: - Helpers

/// What a caller sees of one record.
private struct RecordView: Equatable {
    var line: Int
    var issue: CSVRecordIssue?
    var fields: [[UInt8]]
    var rawText: String
}

/// Bytes in memory, at most `chunkSize` per read.
private struct FuzzRegressionByteSource: ByteSource {
    let bytes: [UInt8]
    let chunkSize: Int
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunkSize, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

private func readRecords(_ input: [UInt8], delimiter: UInt8, bufferSize: Int, chunkSize: Int,
                         maxRecordBytes: Int) throws -> [RecordView] {
    var reader = CSVReader(source: FuzzRegressionByteSource(bytes: input, chunkSize: chunkSize), delimiter: delimiter,
                           bufferSize: bufferSize, maxRecordBytes: maxRecordBytes)
    var records: [RecordView] = []
    try reader.forEachRecord { record in
        records.append(RecordView(line: record.line, issue: record.issue,
                                  fields: (0..<record.fieldCount).map { i in record.withField(i) { Array($0) } },
                                  rawText: record.rawText(limit: 5000)))
    }
    return records
}

/// An import sink that only counts.
private final class CountingSink: ImportSink {
    var accepted = 0
    var rejected = 0

    func beginFile(_ file: ImportFile, entities: Set<Entity>) throws {}
    func accept(_ record: AcceptedRecord, file: ImportFile, line: Int, column: Int) throws { accepted += 1 }
    func reject(_ row: RejectedRow) throws { rejected += 1 }
    func endFile(_ file: ImportFile) throws {}
}
