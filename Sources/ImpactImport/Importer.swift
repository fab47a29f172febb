import ImpactModel

/// Reads exports (CSV, TSV, XML) in order and delivers validated rows and rejects to a sink.
///
/// ```swift
/// let files = try InputFiles.expand(["exports/"])
/// try Importer(files: files.files, strict: false).run(into: session)
/// ```
/// Memory stays bounded whatever the file sizes: every reader streams.
public struct Importer: Sendable {
    public var files: [ImportFile]
    /// Abort on the first rejected row instead of recording it.
    public var strict: Bool

    public init(files: [ImportFile], strict: Bool) {
        self.files = files
        self.strict = strict
    }

    /// Reads every file into `sink`.
    /// - Throws: `ImportError` for a file that cannot be read or is not well-formed, and under
    ///   `strict` for the first rejected row; whatever `sink` throws.
    public func run(into sink: some ImportSink, progress: ((ImportFile) -> Void)? = nil) throws {
        for file in files {
            progress?(file)
            try read(file, into: sink)
        }
    }

    private func read(_ file: ImportFile, into sink: some ImportSink) throws {
        let deliver: (RawRow, () -> String) throws -> Void = { row, raw in
            switch RowValidator.validate(row) {
            case .accepted(let record):
                try sink.accept(record, file: file, line: row.line, column: row.column)
            case .rejected(let reason):
                try reject(RejectedRow(file: file.path, line: row.line, column: row.column,
                                       entity: row.entity, reason: reason, raw: raw()), sink: sink)
            }
        }
        switch file.format {
        case .xml:
            // The kind of export is known only once the root element is read; the sink is told
            // before the first row, or at the end for an export without rows.
            var begun = false
            let reader = XMLExportReader(path: file.path)
            let kind = try reader.read { row in
                if !begun {
                    try sink.beginFile(file, entities: Self.entities(of: row.entity == .mailbox ? .mailboxes : .resellers))
                    begun = true
                }
                try deliver(row, { row.raw })
            }
            if !begun { try sink.beginFile(file, entities: Self.entities(of: kind)) }
        case .csv, .tsv:
            var begun = false
            let reader = CSVExportReader(file: file)
            let entity = try reader.read(row: { row, raw in
                if !begun { try sink.beginFile(file, entities: [row.entity]); begun = true }
                try deliver(row, raw)
            }, reject: { rejected in
                if !begun, let entity = rejected.entity { try sink.beginFile(file, entities: [entity]); begun = true }
                try reject(rejected, sink: sink)
            }, mailbox: { mailbox, line in
                if !begun { try sink.beginFile(file, entities: [.mailbox]); begun = true }
                try sink.acceptMailbox(mailbox, file: file, line: line, column: 1)
            }, entityRow: { row, line in
                if !begun { try sink.beginFile(file, entities: [row.entity]); begun = true }
                try sink.acceptRow(row, file: file, line: line, column: 1)
            })
            if !begun { try sink.beginFile(file, entities: [entity]) }
        }
        try sink.endFile(file)
    }

    private func reject(_ row: RejectedRow, sink: some ImportSink) throws {
        if strict {
            throw ImportError(.badData, at: SourceLocation(file: row.file, line: row.line, column: row.column),
                              "\(row.reason) (--strict turns every rejected row into an error)")
        }
        try sink.reject(row)
    }

    /// The entities an XML export is a full snapshot of.
    static func entities(of kind: XMLExportKind) -> Set<Entity> {
        switch kind {
        case .resellers: [.reseller, .customer, .domain]
        case .mailboxes: [.mailbox]
        }
    }
}
