#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Hand-written on purpose (docs/DECISIONS.md, "CSV"): the CSV libraries we measured were 70–80×
// slower than a byte-level state machine (7.7 vs 520–650 MB/s) and one silently accepted broken
// quoting. Strings are the dominant cost, so fields stay byte ranges into the read buffer and
// the caller makes Strings only for the fields it keeps.

/// A streaming RFC 4180 reader: one pass over the bytes, one record at a time.
///
/// ```swift
/// var reader = CSVReader(source: try FileByteSource(path: "domains.csv"))
/// try reader.forEachRecord { record in
///     if let issue = record.issue { reject(line: record.line, issue.message); return }
///     let domain = record.string(0)
/// }
/// ```
///
/// What it accepts: an optional UTF-8 byte-order mark; LF or CR LF line ends, mixed freely;
/// fields quoted with `"` that may hold the delimiter, doubled quotes and line breaks (kept
/// exactly as written, CR LF included). Lines that are empty or hold only spaces and tabs are
/// skipped. Fields are not trimmed.
///
/// What it reports instead of throwing: a malformed record is still delivered, with the
/// fields read before the problem and `issue` set; reading resumes at the next line (after an
/// unterminated quote there is none: it runs to the end of the input). See `CSVRecordIssue`.
///
/// Cost: O(n) time in the input size with a constant amount of work per byte; memory at most
/// `bufferSize + maxRecordBytes + 1` bytes of buffer plus 12 bytes per field of one record (at
/// most `maxFieldCount`) and 1 KiB, whatever the input. A record over either limit is delivered once, without
/// fields, and its bytes are not kept while the reader scans on to its end.
public struct CSVReader<Source: ByteSource> {
    private var source: Source
    private let delimiter: UInt8
    private let bufferSize: Int
    private let maxRecordBytes: Int
    private let maxFieldCount: Int

    /// - Parameters:
    ///   - source: the bytes to read.
    ///   - delimiter: the field separator: `,` for CSV, `\t` for TSV. Not `"`, CR, LF or NUL.
    ///   - bufferSize: bytes asked of `source` per read; 64 KiB–1 MiB is fast.
    ///   - maxRecordBytes: the longest record kept, without its line end.
    ///   - maxFieldCount: the most fields a record may have.
    public init(
        source: Source,
        delimiter: UInt8 = UInt8(ascii: ","),
        bufferSize: Int = 1 << 20,
        maxRecordBytes: Int = 16 << 20,
        maxFieldCount: Int = 1 << 16
    ) {
        precondition(![ASCII.quote, ASCII.lineFeed, ASCII.carriageReturn, 0].contains(delimiter),
                     "the delimiter cannot be a quote, a line break or NUL")
        precondition(bufferSize >= 1 && bufferSize <= 1 << 30, "bufferSize must be in 1...2^30")
        precondition(maxRecordBytes >= 0 && maxRecordBytes <= 1 << 30, "maxRecordBytes must be in 0...2^30")
        precondition(maxFieldCount >= 1, "maxFieldCount must be at least 1")
        self.source = source
        self.delimiter = delimiter
        self.bufferSize = bufferSize
        self.maxRecordBytes = maxRecordBytes
        self.maxFieldCount = maxFieldCount
    }

    /// Calls `body` once per record, in order. The record, and every pointer it hands out, is
    /// valid only during the call.
    /// - Throws: what `source` or `body` throws; reading stops there.
    public mutating func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        var scanner = RecordScanner(delimiter: delimiter, bufferSize: bufferSize,
                                    maxRecordBytes: maxRecordBytes, maxFieldCount: maxFieldCount)
        defer { scanner.deallocate() }
        while true {
            if !scanner.byteOrderMarkChecked && (scanner.bufferedCount >= 3 || scanner.atEndOfInput) {
                scanner.skipByteOrderMark()
            }
            if scanner.byteOrderMarkChecked && scanner.scanToRecordEnd() {
                try scanner.deliverRecord(body)
                scanner.startNextRecord()
            } else if scanner.atEndOfInput {
                if scanner.finishAtEndOfInput() { try scanner.deliverRecord(body) }
                return
            } else {
                let space = scanner.prepareForRead()
                let count = try source.read(into: space)
                precondition(count >= 0 && count <= space.count, "ByteSource.read returned \(count)")
                scanner.didRead(count)
            }
        }
    }
}

/// One record, as a view into the reader's buffer: valid only inside `forEachRecord`'s body.
public struct CSVRecord {
    /// The 1-based physical line the record starts on.
    public var line: Int
    /// What is wrong with the record; `nil` when it is well-formed.
    public var issue: CSVRecordIssue?
    /// The record's source text without its line end (for an over-long record, its start).
    @usableFromInline let text: UnsafeRawBufferPointer
    /// Whether `text` is only the start of the record.
    let textIsCut: Bool
    @usableFromInline let fields: UnsafeBufferPointer<FieldSpan>

    init(line: Int, issue: CSVRecordIssue?, text: UnsafeRawBufferPointer, textIsCut: Bool,
         fields: UnsafeBufferPointer<FieldSpan>) {
        self.line = line
        self.issue = issue
        self.text = text
        self.textIsCut = textIsCut
        self.fields = fields
    }

    /// How many fields were read: all of them, or for a record with an issue those before it.
    public var fieldCount: Int { fields.count }

    /// Calls `body` with field `i`'s bytes, unescaped: without the enclosing quotes and with
    /// `""` read as `"`. Not trimmed. The bytes are valid only during the call.
    @inlinable  // lets callers in other modules specialise `R`: generic calls cost 2× here
    public func withField<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < fields.count, "field \(i) of \(fields.count)")
        let span = fields[i]
        let bytes = UnsafeRawBufferPointer(rebasing: text[Int(span.start)..<Int(span.end)])
        guard span.hasDoubledQuotes else { return try body(bytes) }
        return try withUnsafeTemporaryAllocation(byteCount: bytes.count, alignment: 1) { scratch in
            try body(UnsafeRawBufferPointer(rebasing: scratch[..<Self.unescape(bytes, into: scratch)]))
        }
    }

    /// Copies a quoted field's content, keeping the first quote of each pair (in a
    /// well-formed quoted field every quote is doubled). Returns the count copied.
    @usableFromInline
    static func unescape(_ bytes: UnsafeRawBufferPointer, into scratch: UnsafeMutableRawBufferPointer) -> Int {
        var count = 0
        var j = 0
        while j < bytes.count {
            let byte = bytes[j]
            scratch[count] = byte
            count += 1
            j += byte == ASCII.quote ? 2 : 1
        }
        return count
    }

    /// Field `i`'s bytes when they need no unescaping (no doubled quotes): valid as long as
    /// the record. nil for a field that `withField` would have to unescape.
    func fieldInPlace(_ i: Int) -> UnsafeRawBufferPointer? {
        precondition(i >= 0 && i < fields.count, "field \(i) of \(fields.count)")
        let span = fields[i]
        guard !span.hasDoubledQuotes else { return nil }
        return UnsafeRawBufferPointer(rebasing: text[Int(span.start)..<Int(span.end)])
    }

    /// Field `i` as a String, or `nil` if its bytes are not valid UTF-8.
    public func string(_ i: Int) -> String? {
        withField(i) { bytes in
            Self.isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
        }
    }

    /// Whether `bytes` are valid UTF-8. ASCII, most fields, is checked first and eight bytes
    /// at a time: `String(validating:as:)` is generic, unspecialised, and looks up type
    /// metadata on every call (a tenth of reading a customers file).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        if high & 0x8080_8080_8080_8080 == 0 { return true }
        if #available(macOS 15, *) {
            return String(validating: bytes, as: UTF8.self) != nil
        } else {
            // Lossy decoding changes the bytes exactly when they are not valid UTF-8.
            return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
        }
    }

    /// The record's source text as written (quotes included, line end excluded), decoded
    /// leniently (invalid UTF-8 becomes U+FFFD) and cut to `limit` characters followed by `…`:
    /// for reject messages.
    public func rawText(limit: Int) -> String {
        let limit = max(0, limit)
        // Decode only a window: a rejected 16 MiB record needs no 16 MiB String.
        let window = UnsafeRawBufferPointer(rebasing: text.prefix(limit &* 8 &+ 8))
        let decoded = String(decoding: window, as: UTF8.self)
        let head = decoded.prefix(limit)
        if head.endIndex < decoded.endIndex { return String(head) + "…" }
        return textIsCut || window.count < text.count ? decoded + "…" : decoded
    }

    /// The 1-based physical line field `i` starts on (later than `line` after a quoted line break).
    public func line(ofField i: Int) -> Int {
        let start = rawStart(ofField: i)
        return line + text[..<start].reduce(0) { $0 + ($1 == ASCII.lineFeed ? 1 : 0) }
    }

    /// The 1-based column, in bytes, at which field `i` starts (its opening quote, if quoted)
    /// on the line it starts on, `line(ofField:)`. A byte-order mark is not counted.
    public func column(ofField i: Int) -> Int {
        let start = rawStart(ofField: i)
        let lineStart = text[..<start].lastIndex(of: ASCII.lineFeed).map { $0 + 1 } ?? 0
        return start - lineStart + 1
    }

    private func rawStart(ofField i: Int) -> Int {
        precondition(i >= 0 && i < fields.count, "field \(i) of \(fields.count)")
        let span = fields[i]
        return Int(span.start) - (span.isQuoted ? 1 : 0)
    }
}

/// Why a record is malformed. Lines and columns count from 1; columns count bytes and leave
/// out a byte-order mark.
///
/// A record has at most one issue: the first problem found in it, or, when there is none
/// of those, the limit it went over (`tooLong` before `tooManyFields`).
public enum CSVRecordIssue: Equatable, Sendable {
    /// A quoted field whose quote, opened here, is never closed: the record runs to the end of the input.
    case unterminatedQuote(line: Int, column: Int)
    /// Something other than a delimiter or line end right after a closing quote (`"a"b`).
    case textAfterClosingQuote(line: Int, column: Int)
    /// A quote inside a field that does not start with one (`a"b`).
    case quoteInUnquotedField(line: Int, column: Int)
    /// A carriage return outside quotes that is not followed by a line feed.
    case bareCarriageReturn(line: Int, column: Int)
    /// A NUL byte, inside quotes or out.
    case nulByte(line: Int, column: Int)
    /// The record, without its line end, is longer than `limit` bytes.
    case tooLong(limit: Int)
    /// The record has more than `limit` fields.
    case tooManyFields(limit: Int)

    /// What is wrong, for people: where, and what to do about it.
    public var message: String {
        switch self {
        case let .unterminatedQuote(line, column):
            "unterminated quoted field (the quote opened at line \(line), column \(column) is never closed)"
        case let .textAfterClosingQuote(line, column):
            "text after the closing quote of a quoted field at line \(line), column \(column) (a quote inside a quoted field is written \"\")"
        case let .quoteInUnquotedField(line, column):
            "quote in an unquoted field at line \(line), column \(column) (quote the whole field and double the quote)"
        case let .bareCarriageReturn(line, column):
            "carriage return without a line feed at line \(line), column \(column) (lines must end in LF or CR LF)"
        case let .nulByte(line, column):
            "NUL byte at line \(line), column \(column) (is this a binary or UTF-16 file?)"
        case let .tooLong(limit):
            "record longer than \(limit) bytes (is a quote never closed?)"
        case let .tooManyFields(limit):
            "record with more than \(limit) fields"
        }
    }
}

// MARK: - Internals

@usableFromInline
enum ASCII {
    @usableFromInline static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
}

/// Where a field's bytes lie in its record's text: between the quotes for a quoted field.
@usableFromInline
struct FieldSpan {
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var isQuoted: Bool
    @usableFromInline var hasDoubledQuotes: Bool
}

/// The state machine and its buffer, alive for one `forEachRecord` call.
///
/// The buffer holds the record being read from its first byte (`recordStart`) up to the
/// bytes read so far (`end`). When the scan reaches `end`, the record is moved to the front
/// and the rest of the buffer refilled; the buffer doubles, up to `bufferSize +
/// maxRecordBytes + 1`, only when a record fills it. Positions that must survive dropped bytes
/// (lines, columns) are kept as offsets in the whole input.
struct RecordScanner {
    enum State {
        /// At the first byte of a field.
        case fieldStart
        case unquoted
        case quoted
        /// Just after a quote inside a quoted field: a doubled quote or the closing one.
        case quoteInQuoted
        /// Just after a carriage return outside quotes: only a line feed may follow.
        case carriageReturn
        /// After an issue: everything up to the next line feed belongs to this record.
        case skippingLine
    }

    // Bits of `byteClass`: bytes that stop a run of ordinary bytes outside and inside quotes.
    static let specialOutsideQuotes: UInt8 = 1
    static let specialInsideQuotes: UInt8 = 2

    let delimiter: UInt8
    let bufferSize: Int
    let maxRecordBytes: Int
    let maxFieldCount: Int
    let maxCapacity: Int
    let byteClass: UnsafeMutablePointer<UInt8>

    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// The next byte to scan, and the end of the bytes read; indices into `buffer`.
    var pos = 0
    var end = 0
    /// The input offset of `buffer[0]`.
    var bufferOffset = 0
    var atEndOfInput = false
    var byteOrderMarkChecked = false

    /// The line of `pos`, and the input offset where that line starts.
    var line = 1
    var lineStartOffset = 0

    // The record being read.
    var recordStart = 0
    var recordStartOffset = 0
    var recordLine = 1
    var recordTextEnd = 0
    var state = State.fieldStart
    /// The record's fields so far: a table that doubles as needed, up to `maxFieldCount`.
    var fields: UnsafeMutablePointer<FieldSpan>
    var fieldCapacity: Int
    var fieldCount = 0
    var fieldStart = 0
    var fieldEnd = 0
    var fieldIsQuoted = false
    var fieldHasDoubledQuotes = false
    var quoteLine = 0
    var quoteColumn = 0
    var issue: CSVRecordIssue?
    var isTooLong = false
    var hasTooManyFields = false
    /// The record's bytes are no longer kept (it is too long); `droppedRecordStart` keeps the
    /// first of them for `rawText`, `droppedByteCount` counts them.
    var isDroppingBytes = false
    var droppedRecordStart: [UInt8] = []
    var droppedByteCount = 0
    /// Whether the last byte dropped is a CR (of a CR LF line end when a line feed comes next).
    var droppedLastByteIsCarriageReturn = false

    /// How much of an over-long record is kept for `rawText`.
    static let keptStartOfLongRecord = 1024

    init(delimiter: UInt8, bufferSize: Int, maxRecordBytes: Int, maxFieldCount: Int) {
        self.delimiter = delimiter
        self.bufferSize = bufferSize
        self.maxRecordBytes = maxRecordBytes
        self.maxFieldCount = maxFieldCount
        // + 1: a record at the limit may have the CR of its CR LF buffered before the LF arrives.
        // At least 3: the byte-order mark check needs the first 3 bytes buffered before any is
        // scanned (with less room, bufferSize 1 and maxRecordBytes 0, `prepareForRead` offered
        // an empty buffer and its 0-byte read was taken for the end of the input).
        self.maxCapacity = max(bufferSize + maxRecordBytes + 1, 3)
        capacity = bufferSize
        buffer = .allocate(capacity: capacity)
        fieldCapacity = min(16, maxFieldCount)
        fields = .allocate(capacity: fieldCapacity)
        byteClass = .allocate(capacity: 256)
        byteClass.initialize(repeating: 0, count: 256)
        for byte in [delimiter, ASCII.carriageReturn] {
            byteClass[Int(byte)] = Self.specialOutsideQuotes
        }
        for byte in [ASCII.quote, ASCII.lineFeed, 0] {
            byteClass[Int(byte)] = Self.specialOutsideQuotes | Self.specialInsideQuotes
        }
    }

    func deallocate() {
        buffer.deallocate()
        byteClass.deallocate()
        fields.deallocate()
    }

    var bufferedCount: Int { end - pos }

    mutating func skipByteOrderMark() {
        if end - pos >= 3 && buffer[pos] == 0xEF && buffer[pos + 1] == 0xBB && buffer[pos + 2] == 0xBF {
            pos += 3
            recordStart = pos
            recordStartOffset = bufferOffset + pos
            lineStartOffset = recordStartOffset
        }
        byteOrderMarkChecked = true
    }

    // MARK: Scanning

    /// Runs the state machine over the buffered bytes.
    /// - Returns: `true` when a record has ended (its line end consumed), `false` when the
    ///   buffered bytes ran out first.
    mutating func scanToRecordEnd() -> Bool {
        let bytes = buffer
        let byteClass = byteClass
        let end = end
        var i = pos
        defer { pos = i }
        while i < end {
            switch state {
            case .fieldStart:
                let byte = bytes[i]
                fieldIsQuoted = false
                fieldHasDoubledQuotes = false
                if byteClass[Int(byte)] & Self.specialOutsideQuotes == 0 {
                    fieldStart = i
                    state = .unquoted
                    i += 1
                } else if byte == ASCII.quote {
                    fieldIsQuoted = true
                    fieldStart = i + 1
                    quoteLine = line
                    quoteColumn = column(at: i)
                    state = .quoted
                    i += 1
                } else {
                    fieldStart = i
                    if endField(at: &i, fieldEnd: i) { return true }
                }
            case .unquoted:
                while i < end && byteClass[Int(bytes[i])] & Self.specialOutsideQuotes == 0 { i += 1 }
                if i == end { return false }
                if bytes[i] == ASCII.quote {
                    flag(CSVRecordIssue.quoteInUnquotedField, at: i)
                } else if endField(at: &i, fieldEnd: i) {
                    return true
                }
            case .quoted:
                while i < end && byteClass[Int(bytes[i])] & Self.specialInsideQuotes == 0 { i += 1 }
                if i == end { return false }
                switch bytes[i] {
                case ASCII.quote:
                    state = .quoteInQuoted
                    i += 1
                case ASCII.lineFeed:
                    i += 1
                    startLine(at: i)
                default:
                    flag(CSVRecordIssue.nulByte, at: i)
                }
            case .quoteInQuoted:
                let byte = bytes[i]
                if byte == ASCII.quote {
                    fieldHasDoubledQuotes = true
                    state = .quoted
                    i += 1
                } else if byte == delimiter || byte == ASCII.lineFeed || byte == ASCII.carriageReturn {
                    if endField(at: &i, fieldEnd: i - 1) { return true }
                } else if byte == 0 {
                    flag(CSVRecordIssue.nulByte, at: i)
                } else {
                    flag(CSVRecordIssue.textAfterClosingQuote, at: i)
                }
            case .carriageReturn:
                guard bytes[i] == ASCII.lineFeed else {
                    flag(CSVRecordIssue.bareCarriageReturn, at: i - 1)
                    continue
                }
                appendField(end: fieldEnd)
                recordTextEnd = i - 1
                i += 1
                startLine(at: i)
                return true
            case .skippingLine:
                guard let found = memchr(bytes + i, Int32(ASCII.lineFeed), end - i) else {
                    i = end
                    return false
                }
                let lineFeed = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
                // The byte before the line feed is in the buffer, or was the last one dropped.
                let afterCarriageReturn = lineFeed > max(recordStart, 0)
                    ? bytes[lineFeed - 1] == ASCII.carriageReturn
                    : isDroppingBytes && droppedLastByteIsCarriageReturn
                recordTextEnd = afterCarriageReturn ? lineFeed - 1 : lineFeed
                i = lineFeed + 1
                startLine(at: i)
                return true
            }
        }
        return false
    }

    /// Ends the current field at `fieldEnd` on the delimiter, line feed, carriage return or
    /// NUL at `i`, and steps past it. Returns `true` when that ended the record.
    @inline(__always)
    private mutating func endField(at i: inout Int, fieldEnd: Int) -> Bool {
        let byte = buffer[i]
        if byte == delimiter {
            appendField(end: fieldEnd)
            state = .fieldStart
            i += 1
        } else if byte == ASCII.lineFeed {
            appendField(end: fieldEnd)
            recordTextEnd = i
            i += 1
            startLine(at: i)
            return true
        } else if byte == ASCII.carriageReturn {
            self.fieldEnd = fieldEnd
            state = .carriageReturn
            i += 1
        } else {
            flag(CSVRecordIssue.nulByte, at: i)
        }
        return false
    }

    @inline(__always)
    private mutating func appendField(end: Int) {
        guard !isTooLong && !hasTooManyFields else { return }
        if fieldCount == fieldCapacity {
            guard growFieldTable() else { return }
        }
        fields[fieldCount] = FieldSpan(start: UInt32(truncatingIfNeeded: fieldStart - recordStart),
                                       end: UInt32(truncatingIfNeeded: end - recordStart),
                                       isQuoted: fieldIsQuoted, hasDoubledQuotes: fieldHasDoubledQuotes)
        fieldCount += 1
    }

    /// Doubles the field table, or marks the record as having too many fields.
    private mutating func growFieldTable() -> Bool {
        guard fieldCount < maxFieldCount else {
            hasTooManyFields = true
            fieldCount = 0
            return false
        }
        let newCapacity = min(fieldCapacity * 2, maxFieldCount)
        let newFields = UnsafeMutablePointer<FieldSpan>.allocate(capacity: newCapacity)
        newFields.moveInitialize(from: fields, count: fieldCount)
        fields.deallocate()
        fields = newFields
        fieldCapacity = newCapacity
        return true
    }

    @inline(__always)
    private mutating func startLine(at i: Int) {
        line += 1
        lineStartOffset = bufferOffset + i
    }

    @inline(__always)
    private func column(at i: Int) -> Int {
        bufferOffset + i - lineStartOffset + 1
    }

    /// Records the first issue of the record and skips the rest of its line.
    private mutating func flag(_ issue: (_ line: Int, _ column: Int) -> CSVRecordIssue, at i: Int) {
        if self.issue == nil { self.issue = issue(line, column(at: i)) }
        state = .skippingLine
    }

    /// Ends the record the input ends in. Returns `false` when there is none.
    mutating func finishAtEndOfInput() -> Bool {
        switch state {
        case .fieldStart:
            if bufferOffset + end == recordStartOffset { return false }
            fieldStart = end  // after a trailing delimiter: one more, empty, field
            appendField(end: end)
        case .unquoted:
            appendField(end: end)
        case .quoted:
            if issue == nil { issue = .unterminatedQuote(line: quoteLine, column: quoteColumn) }
        case .quoteInQuoted:
            appendField(end: end - 1)
        case .carriageReturn:
            flag(CSVRecordIssue.bareCarriageReturn, at: end - 1)
        case .skippingLine:
            break
        }
        recordTextEnd = end
        return true
    }

    /// Calls `body` with the record just ended, unless it is a blank line.
    mutating func deliverRecord(_ body: (CSVRecord) throws -> Void) rethrows {
        if !isDroppingBytes && recordTextEnd - recordStart > maxRecordBytes {
            isTooLong = true
        }
        let kept = isTooLong || hasTooManyFields ? 0 : fieldCount
        let overLimit: CSVRecordIssue? = isTooLong ? .tooLong(limit: maxRecordBytes)
            : hasTooManyFields ? .tooManyFields(limit: maxFieldCount) : nil
        let issue = self.issue ?? overLimit
        let line = recordLine
        let fields = UnsafeBufferPointer(start: fields, count: kept)
        if isDroppingBytes {
            let from = max(recordStart, 0)
            keepStartOfDroppedRecord(from: from, to: max(from, recordTextEnd))
            // recordTextEnd is -1 when the CR of a final CR LF was dropped already.
            let textLength = droppedByteCount + recordTextEnd - from
            if droppedRecordStart.count > textLength { droppedRecordStart.removeLast() }
            let isCut = textLength > droppedRecordStart.count
            try droppedRecordStart.withUnsafeBytes { text in
                try body(CSVRecord(line: line, issue: issue, text: text, textIsCut: isCut, fields: fields))
            }
            return
        }
        var text = UnsafeRawBufferPointer(start: buffer + recordStart, count: recordTextEnd - recordStart)
        if issue == nil && text.allSatisfy({ $0 == ASCII.space || $0 == ASCII.tab }) { return }
        let isCut = isTooLong && text.count > Self.keptStartOfLongRecord
        if isCut { text = UnsafeRawBufferPointer(rebasing: text[..<Self.keptStartOfLongRecord]) }
        try body(CSVRecord(line: line, issue: issue, text: text, textIsCut: isCut, fields: fields))
    }

    mutating func startNextRecord() {
        recordStart = pos
        recordStartOffset = bufferOffset + pos
        recordLine = line
        state = .fieldStart
        fieldCount = 0
        issue = nil
        isTooLong = false
        hasTooManyFields = false
        isDroppingBytes = false
        droppedRecordStart.removeAll(keepingCapacity: true)
        droppedByteCount = 0
        droppedLastByteIsCarriageReturn = false
    }

    /// Keeps the bytes `from..<to` of the record being dropped, as far as they are among its
    /// first `keptStartOfLongRecord`.
    private mutating func keepStartOfDroppedRecord(from: Int, to: Int) {
        let count = min(to - from, Self.keptStartOfLongRecord - droppedRecordStart.count)
        if count > 0 { droppedRecordStart += UnsafeBufferPointer(start: buffer + from, count: count) }
    }

    // MARK: Reading

    /// Makes room after the buffered bytes and returns it: moves the record being read to the
    /// front, drops it instead if it has grown too long, grows the buffer if it is full.
    mutating func prepareForRead() -> UnsafeMutableRawBufferPointer {
        var keepFrom = recordStart
        if !isDroppingBytes && byteOrderMarkChecked && textLengthSoFar() > maxRecordBytes {
            isTooLong = true
            isDroppingBytes = true
            fieldCount = 0
        }
        if isDroppingBytes {
            let from = max(recordStart, 0)
            keepStartOfDroppedRecord(from: from, to: end)
            droppedByteCount += end - from
            if end > from { droppedLastByteIsCarriageReturn = buffer[end - 1] == ASCII.carriageReturn }
            keepFrom = end
        }
        if keepFrom > 0 {
            memmove(buffer, buffer + keepFrom, end - keepFrom)
            bufferOffset += keepFrom
            end -= keepFrom
            pos -= keepFrom
            recordStart -= keepFrom
            fieldStart -= keepFrom
            fieldEnd -= keepFrom
        }
        if capacity - end < max(1, bufferSize / 2) {
            // Only a record longer than half the buffer gets here; it is at most maxRecordBytes
            // (+ 1 for a CR), so that the new capacity leaves at least bufferSize free.
            let newCapacity = min(max(capacity * 2, end + bufferSize), maxCapacity)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        assert(capacity > end)
        return UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end)
    }

    /// The length the record's text has at least, whatever follows: the bytes read so far,
    /// less a carriage return that may turn out to be part of a CR LF line end.
    private func textLengthSoFar() -> Int {
        let length = end - recordStart
        let mayEndInLineEnd = state == .carriageReturn || state == .skippingLine
        return mayEndInLineEnd && length > 0 && buffer[end - 1] == ASCII.carriageReturn ? length - 1 : length
    }

    mutating func didRead(_ count: Int) {
        if count == 0 { atEndOfInput = true } else { end += count }
    }
}
