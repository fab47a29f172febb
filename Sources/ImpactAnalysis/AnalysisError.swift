import ImpactModel

/// Why an analysis could not run. All of these are the user's to correct: exit 64.
public struct AnalysisError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// What was asked for is wrong (an unknown volume, a malformed entry). Exit 64.
        case usage
        /// A file named on the command line cannot be read. Exit 74.
        case io
    }

    public var kind: Kind
    /// Where the offending text came from (`--offline-file` line), if from a file.
    public var location: SourceLocation?
    public var message: String

    /// A usage error.
    public init(at location: SourceLocation? = nil, _ message: String) {
        self.init(.usage, at: location, message)
    }

    public init(_ kind: Kind, at location: SourceLocation? = nil, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { "\(location): error: \(message)" } else { "error: \(message)" }
    }
}
