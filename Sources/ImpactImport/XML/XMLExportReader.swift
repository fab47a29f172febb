import CLibXML2
import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which of the two XML exports a document was.
public enum XMLExportKind: Sendable {
    /// `<resellers>`: resellers with their customers and those customers' domains nested.
    case resellers
    /// `<mailboxes>`: mailboxes with their cluster and volume.
    case mailboxes
}

/// A streaming reader of the reseller and mailbox XML exports, over libxml2's SAX2 interface.
///
/// The file is read in small pieces from a file descriptor; no document tree is built, so
/// memory stays bounded whatever the file size. The parser is configured as DECISIONS.md asks:
/// `XML_PARSE_NONET` only, a SAX handler with only element, text, CDATA and structured-error
/// callbacks (so DTD declarations are never recorded and no entity is ever expanded), an external
/// entity loader that refuses every URL, and every error of level `XML_ERR_ERROR` or above
/// promoted to fatal.
///
/// Rows and their positions:
/// - `line` and `column` of every row are where libxml2 reports the element's start tag
///   (`xmlSAX2GetLineNumber`/`xmlSAX2GetColumnNumber` during `startElementNs`, which is the
///   position of the `>` or `/>` that closes the start tag). No two elements of a file share
///   them, so callers order rows by `(line, column)` to know which of two duplicates came first.
/// - Every row is delivered at its element's end tag, once the element is complete (a reseller's
///   `<name>` may follow its customers; a start tag cut off by the end of the file is never
///   delivered). So rows are **not** in document order: a customer's domains come before the
///   customer, and its reseller after both.
/// - Values are as written (entities decoded, not trimmed); `nil` when absent. Attributes that
///   the document's own DTD would default are ignored: only attributes written on the element
///   count.
/// - Rows delivered before an error were already handed to the closure: a caller that must not
///   keep a partial import rolls back when `read` throws.
public struct XMLExportReader {
    /// The file to read.
    public var path: String
    /// The name messages show for the file.
    public var displayPath: String

    /// Elements may nest at most this deep (the root is level 1).
    public static let maximumDepth = 64
    /// The most text (bytes of UTF-8) collected for one element: libxml2's own limit for one
    /// attribute value or CDATA section without `XML_PARSE_HUGE`.
    public static let maximumTextLength = 10_000_000

    public init(path: String, displayPath: String? = nil) {
        self.path = path
        self.displayPath = displayPath ?? path
    }

    /// Streams the document and calls `row` for every record element. Returns which export it was.
    ///
    /// Throws `ImportError(.badData, at:, …)` with the file, line and column for anything that
    /// is not well-formed or not one of the two exports, `ImportError(.io, …)` when the file
    /// cannot be opened or read, and whatever `row` throws, unchanged (the parse stops at once).
    public func read(_ row: (RawRow) throws -> Void) throws -> XMLExportKind {
        LibXML2Setup.ensure()

        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            throw ImportError(.io, "cannot open \(displayPath): \(Self.describe(errno: code))")
        }
        defer { close(fd) }

        return try withoutActuallyEscaping(row) { row in
            let state = XMLExportParser(displayPath: displayPath, fd: fd, deliver: row)
            try state.run()
            if let error = state.thrown { throw error }
            guard let kind = state.kind else {
                // Unreachable: a well-formed document has a root, and the root sets the kind.
                throw ImportError(.badData, at: SourceLocation(file: displayPath, line: 1, column: 1),
                                  "not well-formed XML: no root element")
            }
            return kind
        }
    }

    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// One-time libxml2 set-up: initialise the library and install the external entity loader that
/// refuses every URL (a process-wide setting; nothing else in this program uses libxml2).
enum LibXML2Setup {
    private static let done: Bool = {
        clibxml2_init_refusing_external_entities()
        return true
    }()

    static func ensure() { _ = done }

    /// Whether the installed external entity loader would load `url` (for tests).
    static func externalEntityLoaderLoads(_ url: String) -> Bool {
        ensure()
        return url.withCString { clibxml2_external_entity_loader_loads($0, nil) } != 0
    }
}
