import ImpactModel

/// Why an import stopped. A bad row is not an error (it is a recorded reject); this is for
/// what aborts the whole import and leaves the database as it was.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input cannot be read as the contract's format: not well-formed XML, an unknown
        /// header, a reject under `--strict`, a shrinking export. Exit 65.
        case badData
        /// A file could not be opened or read. Exit 74.
        case io
        /// The way the import was asked for is wrong (no files given, …). Exit 64.
        case usage
    }

    public var kind: Kind
    /// Where it happened; `nil` when no file position applies.
    public var location: SourceLocation?
    /// What went wrong and, where it helps, what to do about it.
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation? = nil, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`, or `error: message` without a location.
    public var description: String {
        if let location { "\(location): error: \(message)" } else { "error: \(message)" }
    }
}
