// libFuzzer target for the CSV/TSV reader (`CSVReader`, `ByteSource`) and the header
// recognition + row validation path (`CSVExportReader`, `RowValidator`).
//
// Compiled by scripts/fuzz.sh together with Sources/ImpactImport (as module ImpactImport, so the
// internals are visible) and Fuzz/Shared. Build and run: `scripts/fuzz.sh CSVReaderFuzz 60`.
//
// The input is the file itself. The delimiter is a tab when the first line holds one, else a
// comma, so the seed corpus can hold both CSV and TSV files.

import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: size > 0 ? UnsafeRawPointer(data) : nil, count: size)
    CSVFuzz.run(input)
    return 0
}

/// A ByteSource over bytes in memory that hands out at most `chunkSize` bytes per read.
struct MemoryByteSource: ByteSource {
    let bytes: UnsafeRawBufferPointer
    let chunkSize: Int
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunkSize, buffer.count, bytes.count - offset)
        guard count > 0, let target = buffer.baseAddress, let source = bytes.baseAddress else { return 0 }
        target.copyMemory(from: source + offset, byteCount: count)
        offset += count
        return count
    }
}

/// Everything a caller can observe of one record.
struct RecordSnapshot: Equatable {
    var line: Int
    var issue: CSVRecordIssue?
    var text: [UInt8]
    var textIsCut: Bool
    var fields: [[UInt8]]
    var strings: [String?]
    var fieldLines: [Int]
    var fieldColumns: [Int]
    var rawText: String
    var shortRawText: String

    init(_ record: CSVRecord) {
        line = record.line
        issue = record.issue
        text = Array(record.text)
        textIsCut = record.textIsCut
        fields = (0..<record.fieldCount).map { i in record.withField(i) { Array($0) } }
        strings = (0..<record.fieldCount).map { record.string($0) }
        fieldLines = (0..<record.fieldCount).map { record.line(ofField: $0) }
        fieldColumns = (0..<record.fieldCount).map { record.column(ofField: $0) }
        rawText = record.rawText(limit: 5000)
        shortRawText = record.rawText(limit: 7)
    }
}

enum CSVFuzz {
    /// (bufferSize, chunkSize) pairs: every one must read exactly the same records.
    static let layouts = [(1, 1), (2, 3), (7, 5), (64, 13), (4096, 1000)]
    static let reference = (bufferSize: 1 << 16, chunkSize: Int.max)
    static let keptStartOfLongRecord = RecordScanner.keptStartOfLongRecord

    static func read(_ input: UnsafeRawBufferPointer, delimiter: UInt8, bufferSize: Int, chunkSize: Int,
                     maxRecordBytes: Int = 16 << 20, maxFieldCount: Int = 1 << 16) -> [RecordSnapshot] {
        var reader = CSVReader(source: MemoryByteSource(bytes: input, chunkSize: chunkSize), delimiter: delimiter,
                               bufferSize: bufferSize, maxRecordBytes: maxRecordBytes, maxFieldCount: maxFieldCount)
        var records: [RecordSnapshot] = []
        do {
            try reader.forEachRecord { records.append(RecordSnapshot($0)) }
        } catch {
            fuzzCheck(false, "CSVReader threw \(error) although neither the source nor the body throws")
        }
        return records
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        let firstLine = input.prefix { $0 != UInt8(ascii: "\n") }
        let isTSV = firstLine.contains(UInt8(ascii: "\t"))
        let delimiter = isTSV ? UInt8(ascii: "\t") : UInt8(ascii: ",")

        // 1. The reference read, and what must hold of any read.
        let records = read(input, delimiter: delimiter, bufferSize: reference.bufferSize, chunkSize: reference.chunkSize)
        let lineCount = input.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        checkBasics(records, lineCount: lineCount, maxRecordBytes: 16 << 20, context: "reference")
        for record in records {
            fuzzCheck(!record.textIsCut, "a record of a short input is cut: line \(record.line)")
            fuzzCheck(record.rawText == String(decoding: record.text, as: UTF8.self),
                      "rawText of line \(record.line) is not its text")
            if record.issue == nil {
                fuzzCheck(!record.fields.isEmpty, "a well-formed record without fields at line \(record.line)")
                fuzzCheck(!record.text.allSatisfy { $0 == 0x20 || $0 == 0x09 }, "a blank line delivered at line \(record.line)")
            }
        }

        // 2. Same records whatever the buffer and chunk sizes.
        for (bufferSize, chunkSize) in layouts {
            let other = read(input, delimiter: delimiter, bufferSize: bufferSize, chunkSize: chunkSize)
            compareEqual(records, other, context: "buffer \(bufferSize), chunk \(chunkSize)")
        }

        // 3. A small maxRecordBytes: the same records, over-long ones without fields and with
        //    their first bytes kept; equal whatever the buffer size.
        for limit in [0, 16] {
            var first: [RecordSnapshot]?
            for (bufferSize, chunkSize) in [(1 << 16, Int.max), (1, 1), (5, 3)] {
                let limited = read(input, delimiter: delimiter, bufferSize: bufferSize, chunkSize: chunkSize, maxRecordBytes: limit)
                let context = "maxRecordBytes \(limit), buffer \(bufferSize), chunk \(chunkSize)"
                checkBasics(limited, lineCount: lineCount, maxRecordBytes: limit, context: context)
                if let first { compareEqual(first, limited, context: context) } else {
                    first = limited
                    compareLimited(reference: records, limited: limited, limit: limit, context: context)
                }
            }
        }

        // 4. A small maxFieldCount: the same records, those with more fields without them. A
        //    TSV line of only tabs is blank (skipped) but, over the limit, delivered as
        //    `tooManyFields`, as an over-long blank line is delivered as `tooLong`.
        let fieldLimit = 4
        let fewFields = read(input, delimiter: delimiter, bufferSize: 3, chunkSize: 2, maxFieldCount: fieldLimit)
        var index = 0
        for l in fewFields {
            if index < records.count && records[index].line == l.line {
                let r = records[index]
                index += 1
                if r.fields.count <= fieldLimit {
                    fuzzCheck(r == l, "maxFieldCount \(fieldLimit): line \(r.line) differs:\n  \(r)\n  \(l)")
                } else {
                    fuzzCheck(l.fields.isEmpty && l.issue == (r.issue ?? .tooManyFields(limit: fieldLimit)) && l.text == r.text,
                              "maxFieldCount \(fieldLimit): line \(r.line) with \(r.fields.count) fields read as \(l)")
                }
            } else {
                fuzzCheck(l.issue == .tooManyFields(limit: fieldLimit) && l.text.allSatisfy { $0 == 0x20 || $0 == 0x09 },
                          "maxFieldCount \(fieldLimit): record at line \(l.line) is not in the reference read: \(l)")
            }
        }
        fuzzCheck(index == records.count, "maxFieldCount \(fieldLimit): a record is missing")

        // 5. Round trip: the well-formed records, written back quoted, read back to the same fields.
        roundTrip(records.filter { $0.issue == nil }.map(\.fields), delimiter: delimiter)

        // 6. Header recognition and row validation, through the file-based reader.
        exportReader(input, format: isTSV ? .tsv : .csv)
    }

    static func checkBasics(_ records: [RecordSnapshot], lineCount: Int, maxRecordBytes: Int, context: String) {
        var previousLine = 0
        for record in records {
            fuzzCheck(record.line >= 1 && record.line <= lineCount, "\(context): record line \(record.line) of \(lineCount)")
            fuzzCheck(record.line > previousLine, "\(context): record line \(record.line) after \(previousLine)")
            previousLine = record.line
            var fieldLine = record.line
            for (i, (line, column)) in zip(record.fieldLines, record.fieldColumns).enumerated() {
                fuzzCheck(line >= fieldLine && line <= lineCount, "\(context): field \(i) of line \(record.line) on line \(line)")
                fuzzCheck(column >= 1, "\(context): field \(i) of line \(record.line) at column \(column)")
                fieldLine = line
            }
            fuzzCheck(record.text.count <= max(maxRecordBytes, keptStartOfLongRecord),
                      "\(context): an over-long record keeps \(record.text.count) bytes")
            switch record.issue {
            case let .unterminatedQuote(line, column), let .textAfterClosingQuote(line, column),
                 let .quoteInUnquotedField(line, column), let .bareCarriageReturn(line, column), let .nulByte(line, column):
                fuzzCheck(line >= record.line && line <= lineCount && column >= 1,
                          "\(context): issue \(record.issue!) of the record at line \(record.line)")
            case .tooLong(let limit):
                fuzzCheck(limit == maxRecordBytes && record.fields.isEmpty, "\(context): \(record.issue!) with \(record.fields.count) fields")
            case .tooManyFields:
                fuzzCheck(record.fields.isEmpty, "\(context): \(record.issue!) with fields")
            case nil:
                fuzzCheck(record.text.count <= maxRecordBytes, "\(context): a record of \(record.text.count) bytes over the limit \(maxRecordBytes) has no issue")
            }
            for (i, field) in record.fields.enumerated() {
                fuzzCheck(record.strings[i] == String(validating: field, as: UTF8.self),
                          "\(context): string(\(i)) disagrees with withField at line \(record.line)")
            }
            _ = record.shortRawText
        }
    }

    static func compareEqual(_ expected: [RecordSnapshot], _ actual: [RecordSnapshot], context: String) {
        fuzzCheck(expected.count == actual.count, "\(context): \(actual.count) records, expected \(expected.count)")
        for (e, a) in zip(expected, actual) {
            fuzzCheck(e == a, "\(context): record at line \(e.line) differs:\n  expected \(e)\n  actual   \(a)")
        }
    }

    /// Reads with a small `maxRecordBytes` keep every record of the reference read (by line), plus
    /// over-long blank lines, which are not skipped.
    static func compareLimited(reference: [RecordSnapshot], limited: [RecordSnapshot], limit: Int, context: String) {
        var index = 0
        for l in limited {
            if index < reference.count && reference[index].line == l.line {
                let r = reference[index]
                index += 1
                if r.text.count <= limit {
                    fuzzCheck(r == l, "\(context): short record at line \(r.line) differs:\n  \(r)\n  \(l)")
                } else {
                    fuzzCheck(l.fields.isEmpty && l.issue == (r.issue ?? .tooLong(limit: limit)),
                              "\(context): over-long record at line \(r.line): \(l.issue.map { "\($0)" } ?? "no issue"), \(l.fields.count) fields; reference issue \(r.issue.map { "\($0)" } ?? "none")")
                    fuzzCheck(l.text == Array(r.text.prefix(keptStartOfLongRecord))
                              && l.textIsCut == (r.text.count > keptStartOfLongRecord),
                              "\(context): over-long record at line \(r.line) keeps \(l.text.count) bytes (cut: \(l.textIsCut)) of \(r.text.count)")
                }
            } else {
                fuzzCheck(l.issue == .tooLong(limit: limit) && l.fields.isEmpty
                          && l.text.allSatisfy { $0 == 0x20 || $0 == 0x09 },
                          "\(context): record at line \(l.line) is not in the reference read: \(l)")
            }
        }
        fuzzCheck(index == reference.count,
                  "\(context): the record at line \(index < reference.count ? reference[index].line : 0) is missing")
    }

    static func roundTrip(_ records: [[[UInt8]]], delimiter: UInt8) {
        var encoded: [UInt8] = []
        for fields in records {
            for (i, field) in fields.enumerated() {
                if i > 0 { encoded.append(delimiter) }
                encoded.append(UInt8(ascii: "\""))
                for byte in field {
                    encoded.append(byte)
                    if byte == UInt8(ascii: "\"") { encoded.append(byte) }
                }
                encoded.append(UInt8(ascii: "\""))
            }
            encoded.append(UInt8(ascii: "\n"))
        }
        let reread = encoded.withUnsafeBytes { read($0, delimiter: delimiter, bufferSize: 5, chunkSize: 3) }
        fuzzCheck(reread.map(\.fields) == records && reread.allSatisfy { $0.issue == nil },
                  "round trip: \(records) read back as \(reread.map(\.fields))")
    }

    /// What the export reader delivered for one record.
    enum Event: Equatable {
        case accepted(line: Int, AcceptedRecord)
        case rejected(line: Int, reason: String)
        case broken(RejectedRow)
    }

    static func exportReader(_ input: UnsafeRawBufferPointer, format: ImportFile.Format) {
        let path = FuzzScratchFile.replaceContents(with: input)
        let general = readExport(path: path, format: format, fastPath: false)
        let fast = readExport(path: path, format: format, fastPath: true)
        // The mailbox fast path promises the general path's results, reject reasons included.
        fuzzCheck(general.result == fast.result, "fast path: \(fast.result), general path: \(general.result)")
        fuzzCheck(general.events.count == fast.events.count,
                  "fast path: \(fast.events.count) rows, general path: \(general.events.count)")
        for (g, f) in zip(general.events, fast.events) {
            fuzzCheck(g == f, "fast path: \(f)\ngeneral path: \(g)")
        }
    }

    static func readExport(path: String, format: ImportFile.Format, fastPath: Bool) -> (result: String, events: [Event]) {
        let reader = CSVExportReader(file: ImportFile(path: path, format: format, index: 0))
        var events: [Event] = []
        var lastLine = 1
        func checkLine(_ line: Int, _ what: String) {
            // Rows follow the header, in order (one record, one row or reject).
            fuzzCheck(line > lastLine, "\(what) at line \(line) after line \(lastLine)")
            lastLine = line
        }
        do {
            let entity = try reader.read(row: { row, raw in
                checkLine(row.line, "row")
                fuzzCheck(row.column == 1 && row.values.count == row.entity.fields.count, "row \(row)")
                switch RowValidator.validate(row) {
                case .accepted(let record):
                    fuzzCheckAccepted(record, entity: row.entity)
                    events.append(.accepted(line: row.line, record))
                case .rejected(let reason):
                    fuzzCheck(!reason.isEmpty, "empty reject reason")
                    let text = raw()
                    fuzzCheck(text.count <= 201, "reject raw text of \(text.count) characters")
                    events.append(.rejected(line: row.line, reason: reason))
                }
            }, reject: { rejected in
                checkLine(rejected.line, "reject")
                fuzzCheck(rejected.column >= 1 && rejected.entity != nil && !rejected.reason.isEmpty, "reject \(rejected)")
                fuzzCheck(rejected.raw.count <= 201, "reject raw text of \(rejected.raw.count) characters")
                events.append(.broken(rejected))
            }, mailbox: fastPath ? { mailbox, line in
                checkLine(line, "fast-path mailbox")
                // As ImportSink.acceptMailbox's default decodes it.
                let record = AcceptedRecord.mailbox(MailboxRecord(
                    address: String(decoding: mailbox.address, as: UTF8.self),
                    domain: String(decoding: mailbox.domain, as: UTF8.self),
                    cluster: mailbox.cluster, volume: mailbox.volume, sizeMB: mailbox.sizeMB))
                fuzzCheckAccepted(record, entity: .mailbox)
                events.append(.accepted(line: line, record))
            } : nil)
            return ("entity \(entity)", events)
        } catch let error as ImportError {
            fuzzCheck(error.kind == .badData, "CSVExportReader threw \(error)")
            if let location = error.location {
                fuzzCheck(location.line >= 1 && location.column >= 1, "error location \(location)")
            }
            return ("\(error)", events)
        } catch {
            fuzzCheck(false, "CSVExportReader threw a non-ImportError: \(error)")
            return ("", events)
        }
    }
}
