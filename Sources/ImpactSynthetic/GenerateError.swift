/// Why a synthetic data set could not be generated.
public struct GenerateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A parameter is out of range, or the output folder holds other exports. Exit 64.
        case usage
        /// A file or folder could not be created or written (disk full, read-only, …). Exit 74.
        case io
    }

    public var kind: Kind
    /// What failed; for I/O errors the file and the system's reason (`strerror`).
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "error: \(message)" }
}
