// The body of both XML fuzz targets: XMLResellerExportFuzz and XMLMailboxExportFuzz run the same
// reader (one reader reads both exports, the root element decides) and differ in their seed
// corpus and dictionary, which steer the fuzzer into one export or the other.

import ImpactModel

enum XMLExportFuzz {
    static func run(_ input: UnsafeRawBufferPointer) {
        let path = FuzzScratchFile.replaceContents(with: input)
        var rows: [RawRow] = []
        var positions = Set<[Int]>()
        do {
            let kind = try XMLExportReader(path: path, displayPath: "fuzz.xml").read { row in
                fuzzCheck(row.line >= 1 && row.column >= 1, "row position \(row.line):\(row.column)")
                fuzzCheck(row.values.count == row.entity.fields.count, "row \(row)")
                // Documented: no two elements share a position, so (line, column) orders duplicates.
                fuzzCheck(positions.insert([row.line, row.column]).inserted,
                          "two rows at \(row.line):\(row.column): \(rows.filter { $0.line == row.line && $0.column == row.column }) and \(row)")
                // Renderings are cut to about 200 bytes whatever the input.
                fuzzCheck(row.raw.utf8.count <= 300, "raw rendering of \(row.raw.utf8.count) bytes: \(row.raw)")
                switch RowValidator.validate(row) {
                case .accepted(let record):
                    fuzzCheckAccepted(record, entity: row.entity)
                case .rejected(let reason):
                    fuzzCheck(!reason.isEmpty, "empty reject reason")
                }
                rows.append(row)
            }
            switch kind {
            case .mailboxes:
                fuzzCheck(rows.allSatisfy { $0.entity == .mailbox }, "a mailbox export with other rows")
            case .resellers:
                fuzzCheck(rows.allSatisfy { $0.entity != .mailbox }, "a reseller export with mailbox rows")
            }
        } catch let error as ImportError {
            fuzzCheck(error.kind == .badData, "XMLExportReader threw \(error)")
            if let location = error.location {
                fuzzCheck(location.line >= 1 && location.column >= 1 && location.file == "fuzz.xml", "error location \(location)")
            } else {
                fuzzCheck(false, "a bad-data error without a location: \(error)")
            }
            fuzzCheck(!error.message.isEmpty && !error.message.contains("\n"), "error message \(error.message.debugDescription)")
        } catch {
            fuzzCheck(false, "XMLExportReader threw a non-ImportError: \(error)")
        }
    }
}
