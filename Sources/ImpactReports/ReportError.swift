/// Why a report or export could not be written.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A file or folder could not be written (disk full, read-only, a link in the way). Exit 74.
        case io
        /// A template does not parse, or a name given does not exist. Exit 64.
        case usage
    }

    public var kind: Kind
    public var message: String
    /// The message already starts with `file:line:column: error:`.
    public var located: Bool

    public init(_ kind: Kind, _ message: String, located: Bool = false) {
        self.kind = kind
        self.message = message
        self.located = located
    }

    public var description: String { located ? message : "error: \(message)" }
}
