import ImpactModel

/// Why an analysis could not run. All of these are the user's to correct: exit 64.
public struct AnalysisError: Error, Sendable, CustomStringConvertible {
    /// Where the offending text came from (`--offline-file` line), if from a file.
    public var location: SourceLocation?
    public var message: String

    public init(at location: SourceLocation? = nil, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { "\(location): error: \(message)" } else { "error: \(message)" }
    }
}
