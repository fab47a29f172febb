/// One row or element as read from an export, before validation: the values of
/// `entity.fields` in that order, `nil` where the column or attribute is absent.
/// Values are as read (not yet trimmed or normalised).
public struct RawRow: Sendable, Equatable {
    public var entity: Entity
    public var values: [String?]
    /// Where the row or element starts (its first line; for XML the start tag).
    public var line: Int
    public var column: Int
    /// A short rendering of the source text, kept with rejects so a data owner can find it.
    public var raw: String

    public init(entity: Entity, values: [String?], line: Int, column: Int, raw: String) {
        precondition(values.count == entity.fields.count, "one value per field of \(entity)")
        self.entity = entity
        self.values = values
        self.line = line
        self.column = column
        self.raw = raw
    }
}
