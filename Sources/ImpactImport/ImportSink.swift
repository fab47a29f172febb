import ImpactModel

/// One input file as the importer sees it.
public struct ImportFile: Sendable, Equatable {
    public enum Format: String, Sendable { case csv, tsv, xml }
    /// The path as given (or directory + name), used in every message.
    public var path: String
    public var format: Format
    /// Position in the import, from 0: earlier files win duplicates.
    public var index: Int

    public init(path: String, format: Format, index: Int) {
        self.path = path
        self.format = format
        self.index = index
    }
}

/// A row that was not imported, with where it was and why.
public struct RejectedRow: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var entity: Entity?
    public var reason: String
    /// The source text, shortened, so a data owner can find and fix it.
    public var raw: String

    public init(file: String, line: Int, column: Int, entity: Entity?, reason: String, raw: String) {
        self.file = file
        self.line = line
        self.column = column
        self.entity = entity
        self.reason = reason
        self.raw = raw
    }
}

/// Where the importer delivers what it reads. The store implements it; the importer knows
/// nothing of SQL. Calls come in this order per file: `beginFile`, then any number of
/// `accept`/`reject`, then `endFile`; an error thrown by the sink aborts the import.
public protocol ImportSink: AnyObject {
    /// A file begins. `entities` are the entities this file provides a full snapshot of.
    func beginFile(_ file: ImportFile, entities: Set<Entity>) throws
    /// A row passed validation. Duplicates are the sink's to find (it sees all files).
    /// `line`/`column` order rows within the file: the earliest wins a duplicate.
    func accept(_ record: AcceptedRecord, file: ImportFile, line: Int, column: Int) throws
    /// A clean mailbox row from the fast path, as bytes valid only during the call; the same
    /// as `accept(.mailbox(…))` with the values decoded.
    func acceptMailbox(_ mailbox: MailboxBytes, file: ImportFile, line: Int, column: Int) throws
    /// A clean reseller, customer or domain row from the fast path, as bytes valid only during
    /// the call; the same as `accept(row.record, …)`.
    func acceptRow(_ row: EntityRowBytes, file: ImportFile, line: Int, column: Int) throws
    /// A row broke a rule.
    func reject(_ row: RejectedRow) throws
    /// The file ended.
    func endFile(_ file: ImportFile) throws
}

extension ImportSink {
    /// Decodes the bytes and hands them to `accept`: for sinks without a fast path.
    public func acceptMailbox(_ mailbox: MailboxBytes, file: ImportFile, line: Int, column: Int) throws {
        try accept(.mailbox(MailboxRecord(address: String(decoding: mailbox.address, as: UTF8.self),
                                          domain: String(decoding: mailbox.domain, as: UTF8.self),
                                          cluster: mailbox.cluster, volume: mailbox.volume, sizeMB: mailbox.sizeMB)),
                   file: file, line: line, column: column)
    }

    /// Decodes the values and hands them to `accept`: for sinks without a fast path.
    public func acceptRow(_ row: EntityRowBytes, file: ImportFile, line: Int, column: Int) throws {
        try accept(row.record, file: file, line: line, column: column)
    }
}
