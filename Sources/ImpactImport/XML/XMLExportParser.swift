import CLibXML2
import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One parse of one export: owns the libxml2 parser context, receives its SAX2 callbacks and
/// turns elements into `RawRow`s (see `XMLExportReader` for the mapping and its guarantees).
///
/// Used from one thread at a time, for one call of `XMLExportReader.read`.
final class XMLExportParser {
    let displayPath: String
    let fd: Int32
    let deliver: (RawRow) throws -> Void

    /// The first error; once set the parser is stopped and every later callback is ignored.
    private(set) var thrown: (any Error)?
    /// Which export the root element named.
    private(set) var kind: XMLExportKind?

    private var ctxt: xmlParserCtxtPtr?
    /// `errno` of a failed `read`, reported as an I/O error rather than as whatever libxml2
    /// makes of the input ending early.
    private var readErrno: Int32 = 0

    /// What each open element is to the mapping, outermost first.
    private var roles: [Role] = []
    /// `@cluster` of `<mailboxes>`.
    private var defaultCluster: String?
    private var reseller = Pending()
    private var customer = Pending()
    private var domain = Pending()
    private var mailbox: RawRow?

    /// Text being collected for the innermost `<name>` or `<domain>` that is a field.
    private var collecting: TextTarget = .none
    private var text: [UInt8] = []
    /// Where the element whose text is collected starts.
    private var collectingFrom = SourceLocation(file: "", line: 0, column: 0)

    init(displayPath: String, fd: Int32, deliver: @escaping (RawRow) throws -> Void) {
        self.displayPath = displayPath
        self.fd = fd
        self.deliver = deliver
        roles.reserveCapacity(XMLExportReader.maximumDepth + 1)
        text.reserveCapacity(256)
    }

    // MARK: - Driving libxml2

    /// Parses the whole file. Errors end up in `thrown`; this only throws when libxml2 cannot
    /// even create a parser.
    func run() throws {
        var sax = xmlSAXHandler()
        clibxml2_sax2_init(&sax)
        sax.startElementNs = { ctx, localname, prefix, _, _, _, nbAttributes, nbDefaulted, attributes in
            guard let ctx, let localname else { return }
            XMLExportParser.from(ctx).startElement(
                localname: localname, prefix: prefix,
                attributes: attributes, count: Int(nbAttributes - nbDefaulted))
        }
        sax.endElementNs = { ctx, _, _, _ in
            guard let ctx else { return }
            XMLExportParser.from(ctx).endElement()
        }
        sax.characters = { ctx, bytes, length in
            guard let ctx, let bytes else { return }
            XMLExportParser.from(ctx).characters(bytes, Int(length))
        }
        sax.cdataBlock = { ctx, bytes, length in
            guard let ctx, let bytes else { return }
            XMLExportParser.from(ctx).characters(bytes, Int(length))
        }
        clibxml2_sax_set_structured_error(&sax) { userData, error in
            guard let userData, let error else { return }
            XMLExportParser.from(userData).libxml2Error(error.pointee)
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        let readCallback: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer else { return -1 }
            return XMLExportParser.from(context).readInput(into: buffer, length: Int(length))
        }
        // No close callback: `XMLExportReader.read` owns and closes the descriptor.
        guard let ctxt = xmlCreateIOParserCtxt(&sax, me, readCallback, nil, me, XML_CHAR_ENCODING_NONE) else {
            throw ImportError(.io, "cannot read \(displayPath): libxml2 could not create a parser")
        }
        self.ctxt = ctxt
        defer {
            self.ctxt = nil
            // An entity declared in the internal subset makes libxml2 (expat-compatible SAX
            // mode) build a document to hold it, which xmlParseDocument frees only when it gets
            // to the end: after a stop on an error it is left to the caller, as in libxml2's
            // own xmlSAXUserParseFile. Found by the XMLMailboxExportFuzz target (a leak).
            if let doc = ctxt.pointee.myDoc {
                ctxt.pointee.myDoc = nil
                xmlFreeDoc(doc)
            }
            xmlFreeParserCtxt(ctxt)
        }
        // Network access off; no entity substitution, no DTD loading, defaulting or validation,
        // no recovery, no XInclude, libxml2's default size limits (no HUGE).
        _ = xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))

        let result = xmlParseDocument(ctxt)

        if thrown != nil { return }
        if readErrno != 0 {
            thrown = readError()
        } else if result != 0 || ctxt.pointee.wellFormed == 0 || kind == nil {
            // libxml2 always reports why through the error callback; this is a safety net.
            thrown = ImportError(.badData, at: currentLocation(), "not well-formed XML")
        }
    }

    private static func from(_ pointer: UnsafeMutableRawPointer) -> XMLExportParser {
        Unmanaged<XMLExportParser>.fromOpaque(pointer).takeUnretainedValue()
    }

    private func readInput(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
        if thrown != nil || readErrno != 0 { return -1 }
        while true {
            let count = read(fd, buffer, length)
            if count >= 0 { return Int32(count) }
            let code = errno
            if code == EINTR { continue }
            readErrno = code
            return -1
        }
    }

    private func readError() -> ImportError {
        ImportError(.io, "cannot read \(displayPath): \(XMLExportReader.describe(errno: readErrno))")
    }

    private func libxml2Error(_ error: xmlError) {
        guard thrown == nil else { return }
        let undeclaredEntity = error.code == Int32(XML_ERR_UNDECLARED_ENTITY.rawValue)
            || error.code == Int32(XML_WAR_UNDECLARED_ENTITY.rawValue)
        // Warnings are ignored, except an undeclared entity: with no entity callbacks every
        // entity other than the predefined five is undeclared, and that is refused.
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue || undeclaredEntity else { return }
        if readErrno != 0 {
            stop(with: readError())
            return
        }
        var location = currentLocation()
        if error.line > 0 {
            location.line = Int(error.line)
            location.column = error.int2 > 0 ? Int(error.int2) : 1
        }
        // libxml2's messages end in a line break and some span two lines: make them one line.
        let libxml2Message = error.message.map {
            String(cString: $0).split(whereSeparator: \.isNewline)
                .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
        } ?? "error \(error.code)"
        let message: String
        if undeclaredEntity {
            let name = error.str1.map { String(cString: $0) } ?? "?"
            let reference = libxml2Message.hasPrefix("PEReference") ? "%\(name);" : "&\(name);"
            message = "entity references other than the predefined ones are not allowed: \(reference)"
        } else {
            message = "not well-formed XML: \(libxml2Message)"
        }
        stop(with: ImportError(.badData, at: location, message))
    }

    private func stop(with error: any Error) {
        if thrown == nil { thrown = error }
        if let ctxt { xmlStopParser(ctxt) }
    }

    /// Where libxml2 is now; during `startElementNs` that is the end of the start tag.
    private func currentPosition() -> (line: Int, column: Int) {
        guard let ctxt else { return (1, 1) }
        let raw = UnsafeMutableRawPointer(ctxt)
        return (max(1, Int(xmlSAX2GetLineNumber(raw))), max(1, Int(xmlSAX2GetColumnNumber(raw))))
    }

    private func currentLocation() -> SourceLocation {
        let (line, column) = currentPosition()
        return SourceLocation(file: displayPath, line: line, column: column)
    }

    private func send(_ row: RawRow) {
        do {
            try deliver(row)
        } catch {
            stop(with: error)
        }
    }

    // MARK: - The mapping

    private enum Role: UInt8 {
        case resellersRoot, mailboxesRoot, reseller, customer, domain, name, contact, mailbox
        /// Not part of the mapping: skipped, with everything inside it (its text too).
        case ignored
    }

    private enum TextTarget { case none, resellerName, customerName, domain }

    /// A reseller, customer or domain whose row is delivered at its end tag.
    private struct Pending {
        var values: [String?] = []
        var line = 0
        var column = 0
        var raw = ""
        var sawName = false
        var sawContact = false

        init() {}

        init(_ entity: Entity, at position: (line: Int, column: Int), raw: String) {
            values = Array(repeating: nil, count: entity.fields.count)
            line = position.line
            column = position.column
            self.raw = raw
        }
    }

    private func startElement(localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                              attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        guard thrown == nil else { return }
        let element = XMLStartTag(localname: localname, prefix: prefix, attributes: attributes, count: count)
        if roles.count >= XMLExportReader.maximumDepth {
            stop(with: ImportError(.badData, at: currentLocation(),
                                   "elements nested deeper than \(XMLExportReader.maximumDepth) levels (at <\(element.qualifiedName)>)"))
            return
        }
        let name = XMLElementName(localname)
        guard let parent = roles.last else {
            startRoot(name, element)
            return
        }
        let role: Role
        switch parent {
        case .resellersRoot:
            guard name == .reseller else {
                return unexpected(element, in: "resellers", expected: "reseller")
            }
            reseller = Pending(.reseller, at: currentPosition(), raw: element.rendering())
            reseller.values[0] = element.value(of: "id")
            reseller.values[4] = element.value(of: "language")
            role = .reseller
        case .mailboxesRoot:
            guard name == .mailbox else {
                return unexpected(element, in: "mailboxes", expected: "mailbox")
            }
            mailbox = mailboxRow(element)
            role = .mailbox
        case .reseller:
            switch name {
            case .name where !reseller.sawName:
                reseller.sawName = true
                collect(.resellerName)
                role = .name
            case .contact where !reseller.sawContact:
                reseller.sawContact = true
                reseller.values[2] = element.value(of: "email")
                reseller.values[3] = element.value(of: "name")
                role = .contact
            case .customer:
                customer = Pending(.customer, at: currentPosition(), raw: element.rendering())
                customer.values[0] = element.value(of: "id")
                customer.values[1] = reseller.values[0]
                role = .customer
            default:
                role = .ignored
            }
        case .customer:
            switch name {
            case .name where !customer.sawName:
                customer.sawName = true
                collect(.customerName)
                role = .name
            case .contact where !customer.sawContact:
                customer.sawContact = true
                customer.values[3] = element.value(of: "email")
                role = .contact
            case .domain:
                domain = Pending(.domain, at: currentPosition(), raw: "")
                domain.values[1] = customer.values[0]
                collect(.domain)
                role = .domain
            default:
                role = .ignored
            }
        case .domain, .name, .contact, .mailbox, .ignored:
            role = .ignored
        }
        roles.append(role)
    }

    private func startRoot(_ name: XMLElementName, _ element: XMLStartTag) {
        switch name {
        case .resellers:
            kind = .resellers
            roles.append(.resellersRoot)
        case .mailboxes:
            kind = .mailboxes
            defaultCluster = element.value(of: "cluster")
            roles.append(.mailboxesRoot)
        default:
            stop(with: ImportError(.badData, at: currentLocation(),
                                   "unknown root element <\(element.qualifiedName)>; expected <resellers> or <mailboxes>"))
        }
    }

    private func unexpected(_ element: XMLStartTag, in root: String, expected: String) {
        stop(with: ImportError(.badData, at: currentLocation(),
                               "unexpected element <\(element.qualifiedName)> in <\(root)>; expected <\(expected)>"))
    }

    private func mailboxRow(_ element: XMLStartTag) -> RawRow {
        let (line, column) = currentPosition()
        var cluster = element.value(of: "cluster")
        if cluster?.unicodeScalars.allSatisfy(\.properties.isWhitespace) ?? true {
            cluster = defaultCluster
        }
        return RawRow(entity: .mailbox,
                      values: [element.value(of: "address"), cluster, element.value(of: "volume"), element.value(of: "size_mb")],
                      line: line, column: column, raw: element.rendering())
    }

    private func collect(_ target: TextTarget) {
        collecting = target
        collectingFrom = currentLocation()
        text.removeAll(keepingCapacity: true)
    }

    private func collected() -> String {
        collecting = .none
        return String(decoding: text, as: UTF8.self)
    }

    private func endElement() {
        guard thrown == nil, let role = roles.popLast() else { return }
        switch role {
        case .name:
            if collecting == .resellerName {
                reseller.values[1] = collected()
            } else if collecting == .customerName {
                customer.values[2] = collected()
            }
        case .domain:
            let value = collected()
            domain.values[0] = value
            send(RawRow(entity: .domain, values: domain.values, line: domain.line, column: domain.column,
                        raw: XMLRendering.textElement("domain", value)))
        case .customer:
            send(RawRow(entity: .customer, values: customer.values, line: customer.line, column: customer.column,
                        raw: customer.raw))
            customer = Pending()
        case .reseller:
            send(RawRow(entity: .reseller, values: reseller.values, line: reseller.line, column: reseller.column,
                        raw: reseller.raw))
            reseller = Pending()
        case .mailbox:
            if let row = mailbox {
                mailbox = nil
                send(row)
            }
        case .resellersRoot, .mailboxesRoot, .contact, .ignored:
            break
        }
    }

    private func characters(_ bytes: UnsafePointer<xmlChar>, _ length: Int) {
        // An element's own text and CDATA only, as the contract words it ("all of its text
        // and CDATA, joined"): text inside a child element (`<name>A <b>B</b></name>`) is not
        // the element's.
        guard collecting != .none, thrown == nil, roles.last == .name || roles.last == .domain else { return }
        guard text.count + length <= XMLExportReader.maximumTextLength else {
            let element = collecting == .domain ? "domain" : "name"
            stop(with: ImportError(.badData, at: collectingFrom,
                                   "text of <\(element)> is longer than \(XMLExportReader.maximumTextLength) bytes"))
            return
        }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
}
