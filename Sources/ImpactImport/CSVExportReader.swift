import ImpactModel

/// Reads one CSV or TSV export: recognises its entity by the header row and turns every
/// record into a `RawRow`, or into a rejected row when the record itself is broken.
struct CSVExportReader {
    var file: ImportFile

    /// The header's columns mapped to the entity's fields.
    struct HeaderMapping: Equatable {
        var entity: Entity
        /// For each of `entity.fields`, the column index, or nil when the column is absent.
        var columns: [Int?]
        var columnCount: Int
    }

    /// Recognises the entity from header names (trimmed, case-insensitive): the first of
    /// mailboxes, domains, customers, resellers whose required columns are all present.
    static func mapping(forHeader names: [String], file: String) throws -> HeaderMapping {
        let normalized = names.map { $0.trimmingWhitespace().lowercased() }
        var seen: [String: Int] = [:]
        var duplicates: [String] = []
        for name in normalized where !name.isEmpty {
            seen[name, default: 0] += 1
            if seen[name] == 2 { duplicates.append(name) }
        }
        let order: [Entity] = [.mailbox, .domain, .customer, .reseller]
        guard let entity = order.first(where: { e in e.requiredFields.allSatisfy { seen[$0] != nil } }) else {
            let described = order.map { e in
                let missing = e.requiredFields.filter { seen[$0] == nil }
                return "\(e.plural) need \(e.requiredFields.joined(separator: ", ")) (missing \(missing.joined(separator: ", ")))"
            }
            throw ImportError(.badData, at: SourceLocation(file: file, line: 1, column: 1),
                              "the header matches no export: \(described.joined(separator: "; "))")
        }
        let used = duplicates.filter { entity.fields.contains($0) }
        if !used.isEmpty {
            throw ImportError(.badData, at: SourceLocation(file: file, line: 1, column: 1),
                              "the header names \(used.map { "'\($0)'" }.joined(separator: ", ")) more than once; a column must appear once")
        }
        let columns = entity.fields.map { field in normalized.firstIndex(of: field) }
        return HeaderMapping(entity: entity, columns: columns, columnCount: names.count)
    }

    /// Reads the file and hands each row to `row` (with a closure that renders its source
    /// text, called only for a row that is rejected), each broken record to `reject`, and
    /// clean rows to `mailbox` or `entityRow` when they are given (the fast paths), with the
    /// record's line.
    /// - Returns: the entity the header named.
    func read(row: (RawRow, () -> String) throws -> Void, reject: (RejectedRow) throws -> Void,
              mailbox: ((MailboxBytes, Int) throws -> Void)? = nil,
              entityRow: ((EntityRowBytes, Int) throws -> Void)? = nil) throws -> Entity {
        let source = try FileByteSource(path: file.path)
        var reader = CSVReader(source: source, delimiter: file.format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        var mapping: HeaderMapping?
        var fastPath: MailboxFastPath?
        var entityFastPath: EntityFastPath?
        try reader.forEachRecord { record in
            guard let mapping else {
                if let issue = record.issue {
                    throw ImportError(.badData, at: SourceLocation(file: file.path, line: record.line, column: 1),
                                      "cannot read the header row: \(issue.message)")
                }
                var names: [String] = []
                for i in 0..<record.fieldCount {
                    guard let name = record.string(i) else {
                        throw ImportError(.badData, at: SourceLocation(file: file.path, line: record.line, column: record.column(ofField: i)),
                                          "the header row is not valid UTF-8")
                    }
                    names.append(name)
                }
                let found = try Self.mapping(forHeader: names, file: file.path)
                mapping = found
                if found.entity == .mailbox && mailbox != nil { fastPath = MailboxFastPath(columns: found.columns) }
                if entityRow != nil { entityFastPath = EntityFastPath(entity: found.entity, columns: found.columns) }
                return
            }
            func rejected(_ reason: String, column: Int = 1) throws {
                try reject(RejectedRow(file: file.path, line: record.line, column: column, entity: mapping.entity,
                                       reason: reason, raw: record.rawText(limit: 200)))
            }
            if let issue = record.issue {
                return try rejected(issue.message)
            }
            guard record.fieldCount == mapping.columnCount else {
                return try rejected("has \(record.fieldCount) \(record.fieldCount == 1 ? "field" : "fields"), the header has \(mapping.columnCount)")
            }
            if let mailbox, fastPath != nil, try fastPath!.handle(record, { try mailbox($0, record.line) }) {
                return
            }
            if let entityRow, entityFastPath != nil, try entityFastPath!.handle(record, { try entityRow($0, record.line) }) {
                return
            }
            var values: [String?] = []
            values.reserveCapacity(mapping.columns.count)
            for (field, column) in zip(mapping.entity.fields, mapping.columns) {
                guard let column else { values.append(nil); continue }
                guard let value = record.string(column) else {
                    return try rejected("\(field) is not valid UTF-8 (is the export in another encoding?)",
                                        column: record.column(ofField: column))
                }
                values.append(value)
            }
            try row(RawRow(entity: mapping.entity, values: values, line: record.line, column: 1, raw: ""),
                    { record.rawText(limit: 200) })
        }
        guard let mapping else {
            throw ImportError(.badData, at: SourceLocation(file: file.path, line: 1, column: 1),
                              "the file is empty; expected a header row")
        }
        return mapping.entity
    }
}
