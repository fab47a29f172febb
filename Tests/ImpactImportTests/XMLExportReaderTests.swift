import Foundation
import Testing
import ImpactModel
@testable import ImpactImport

// MARK: - Helpers

/// Writes `contents` to a fresh temporary file, runs `body` with its path and removes it.
private func withTemporaryFile<T>(_ contents: Data, _ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("xml-export-reader-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("export.xml")
    try contents.write(to: file)
    return try body(file.path)
}

/// Reads `contents` as an export shown as `export.xml`, returning its kind and rows.
private func read(_ contents: Data) throws -> (kind: XMLExportKind, rows: [RawRow]) {
    try withTemporaryFile(contents) { path in
        var rows: [RawRow] = []
        let kind = try XMLExportReader(path: path, displayPath: "export.xml").read { rows.append($0) }
        return (kind, rows)
    }
}

private func read(_ xml: String) throws -> (kind: XMLExportKind, rows: [RawRow]) {
    try read(Data(xml.utf8))
}

/// Reads `contents`, expecting it to fail with a bad-data `ImportError`; returns that error and
/// the rows delivered before it.
private func failure(_ contents: Data) throws -> (error: ImportError, rows: [RawRow]) {
    var rows: [RawRow] = []
    let error = try withTemporaryFile(contents) { path in
        #expect(throws: ImportError.self) {
            _ = try XMLExportReader(path: path, displayPath: "export.xml").read { rows.append($0) }
        }
    }
    let found = try #require(error)
    #expect(found.kind == .badData)
    return (found, rows)
}

private func failure(_ xml: String) throws -> (error: ImportError, rows: [RawRow]) {
    try failure(Data(xml.utf8))
}

private func byPosition(_ lhs: RawRow, _ rhs: RawRow) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
}

private func reseller(_ line: Int, _ column: Int, _ values: [String?], _ raw: String) -> RawRow {
    RawRow(entity: .reseller, values: values, line: line, column: column, raw: raw)
}

private func customer(_ line: Int, _ column: Int, _ values: [String?], _ raw: String) -> RawRow {
    RawRow(entity: .customer, values: values, line: line, column: column, raw: raw)
}

private func domain(_ line: Int, _ column: Int, _ values: [String?]) -> RawRow {
    let text = values[0]?.trimmingWhitespace() ?? ""
    return RawRow(entity: .domain, values: values, line: line, column: column, raw: "<domain>\(text)</domain>")
}

private func mailbox(_ line: Int, _ column: Int, _ values: [String?], _ raw: String) -> RawRow {
    RawRow(entity: .mailbox, values: values, line: line, column: column, raw: raw)
}

/// The first non-empty line of /etc/passwd: it must never show up in a row or a message.
private let passwdCanary: String = {
    let text = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").first.map(String.init) ?? "root:x:0:0:"
}()

private func expectNoPasswd(_ error: (any Error)?, _ rows: [RawRow]) {
    if let error {
        #expect(!"\(error)".contains(passwdCanary))
        #expect(!"\(error)".contains("root:"))
    }
    for row in rows {
        #expect(!row.raw.contains("root:"))
        for value in row.values { #expect(!(value ?? "").contains("root:")) }
    }
}

// MARK: - Well-formed exports

struct XMLReadCase: Sendable, CustomTestStringConvertible {
    var name: String
    var xml: String
    var kind: XMLExportKind
    var rows: [RawRow]
    var testDescription: String { name }
}

private let readCases: [XMLReadCase] = [
    XMLReadCase(name: "PRODUCT.md reseller export", xml: #"""
        <resellers generated="2026-11-28T23:00:00Z">
          <reseller id="R1001" language="en">
            <name>Northwind Hosting</name>
            <contact name="Jane Roe" email="noc@northwind.example"/>
            <customer id="C5001">
              <name>Acme Ltd</name>
              <contact email="it@acme.example"/>
              <domain>acme.example</domain>
              <domain>acme-mail.example</domain>
            </customer>
          </reseller>
        </resellers>

        """#, kind: .resellers, rows: [
            reseller(2, 37, ["R1001", "Northwind Hosting", "noc@northwind.example", "Jane Roe", "en"],
                     #"<reseller id="R1001" language="en">"#),
            customer(5, 25, ["C5001", "R1001", "Acme Ltd", "it@acme.example"], #"<customer id="C5001">"#),
            domain(8, 14, ["acme.example", "C5001"]),
            domain(9, 14, ["acme-mail.example", "C5001"]),
        ]),
    XMLReadCase(name: "PRODUCT.md mailbox export", xml: #"""
        <mailboxes cluster="A">
          <mailbox address="alice@acme.example" volume="vol03"/>
          <mailbox address="bob@acme.example" cluster="B" volume="vol01"/>
        </mailboxes>

        """#, kind: .mailboxes, rows: [
            mailbox(2, 55, ["alice@acme.example", "A", "vol03", nil],
                    #"<mailbox address="alice@acme.example" volume="vol03">"#),
            mailbox(3, 65, ["bob@acme.example", "B", "vol01", nil],
                    #"<mailbox address="bob@acme.example" cluster="B" volume="vol01">"#),
        ]),
    XMLReadCase(name: "missing parent ids: nil, or empty as written; values not trimmed", xml: #"""
        <resellers>
        <reseller>
        <customer>
        <domain> d1.example </domain>
        </customer>
        <customer id="">
        <name/>
        </customer>
        </reseller>
        </resellers>

        """#, kind: .resellers, rows: [
            reseller(2, 10, [nil, nil, nil, nil, nil], "<reseller>"),
            customer(3, 10, [nil, nil, nil, nil], "<customer>"),
            domain(4, 8, [" d1.example ", nil]),
            customer(6, 16, ["", nil, "", nil], #"<customer id="">"#),
        ]),
    XMLReadCase(name: "cluster default, override, empty and white-space override", xml: #"""
        <mailboxes cluster="A">
        <mailbox address="a@x" volume="v1" size_mb="12"/>
        <mailbox address="b@x" cluster="" volume="v2"/>
        <mailbox address="c@x" cluster=" &#9; " volume="v3"/>
        <mailbox address="d@x" cluster=" B " volume="v4"/>
        <mailbox/>
        </mailboxes>

        """#, kind: .mailboxes, rows: [
            mailbox(2, 48, ["a@x", "A", "v1", "12"], #"<mailbox address="a@x" volume="v1" size_mb="12">"#),
            mailbox(3, 46, ["b@x", "A", "v2", nil], #"<mailbox address="b@x" cluster="" volume="v2">"#),
            mailbox(4, 52, ["c@x", "A", "v3", nil], #"<mailbox address="c@x" cluster="   " volume="v3">"#),
            mailbox(5, 49, ["d@x", " B ", "v4", nil], #"<mailbox address="d@x" cluster=" B " volume="v4">"#),
            mailbox(6, 9, [nil, "A", nil, nil], "<mailbox>"),
        ]),
    XMLReadCase(name: "no cluster default", xml: #"""
        <mailboxes>
        <mailbox address="a@x" volume="v1"/>
        <mailbox address="b@x" cluster="" volume="v2"/>
        <mailbox address="c@x" cluster="C" volume="v3"/>
        </mailboxes>

        """#, kind: .mailboxes, rows: [
            mailbox(2, 35, ["a@x", nil, "v1", nil], #"<mailbox address="a@x" volume="v1">"#),
            mailbox(3, 46, ["b@x", nil, "v2", nil], #"<mailbox address="b@x" cluster="" volume="v2">"#),
            mailbox(4, 47, ["c@x", "C", "v3", nil], #"<mailbox address="c@x" cluster="C" volume="v3">"#),
        ]),
    XMLReadCase(name: "CDATA, entities and character references in text and attributes", xml: #"""
        <resellers>
        <reseller id="R&amp;D" language='e"n'>
        <name>  Tom &amp; Jerry &lt;TJ&gt; &#x263A; <![CDATA[<b>&amp;</b>]]>
         Co.</name>
        <contact name="A &quot;B&quot; &#38; C &apos;D&apos;" email="a&amp;b@x&#46;example"/>
        <customer id="C&#38;1">
        <name><![CDATA[]]>x<i>y</i><!-- c --><?pi z?>z</name>
        <domain>&#120;.example</domain>
        </customer>
        </reseller>
        </resellers>

        """#, kind: .resellers, rows: [
            reseller(2, 38, ["R&D", "  Tom & Jerry <TJ> ☺ <b>&amp;</b>\n Co.", "a&b@x.example", #"A "B" & C 'D'"#, #"e"n"#],
                     #"<reseller id="R&D" language="e&quot;n">"#),
            customer(6, 23, ["C&1", "R&D", "xz", nil], #"<customer id="C&1">"#),
            domain(8, 8, ["x.example", "C&1"]),
        ]),
    XMLReadCase(name: "unknown elements skipped with their content; only the first name and contact", xml: #"""
        <resellers>
        <reseller id="R1">
        <notes><customer id="HIDDEN"><domain>h.example</domain></customer></notes>
        <name>First</name>
        <name>Second</name>
        <contact email="first@x"/>
        <contact email="second@x" name="Second"/>
        <customer id="C1">
        <extra><domain>hidden.example</domain><name>Hidden</name></extra>
        <contact name="no e-mail"/>
        <domain>d<sub>1</sub>.example</domain>
        <domain/>
        </customer>
        <domain>orphan.example</domain>
        </reseller>
        </resellers>

        """#, kind: .resellers, rows: [
            reseller(2, 18, ["R1", "First", "first@x", nil, nil], #"<reseller id="R1">"#),
            customer(8, 18, ["C1", "R1", nil, nil], #"<customer id="C1">"#),
            domain(11, 8, ["d.example", "C1"]),
            domain(12, 8, ["", "C1"]),
        ]),
    XMLReadCase(name: "namespaces ignored on elements and attributes", xml: #"""
        <r:resellers xmlns:r="urn:r" xmlns="urn:default" xmlns:o="urn:other">
        <r:reseller r:id="R1" language="de">
        <name>N</name>
        <o:contact o:email="e@x"/>
        <customer id="C1"><r:domain>d.example</r:domain></customer>
        </r:reseller>
        </r:resellers>

        """#, kind: .resellers, rows: [
            reseller(2, 36, ["R1", "N", "e@x", nil, "de"], #"<r:reseller r:id="R1" language="de">"#),
            customer(5, 18, ["C1", "R1", nil, nil], #"<customer id="C1">"#),
            domain(5, 28, ["d.example", "C1"]),
        ]),
    XMLReadCase(name: "default namespace, several records on one line", xml: #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <mailboxes xmlns="urn:mbx" cluster="A"><mailbox address="a@x" volume="v"/><mailbox address="b@x" volume="v"/></mailboxes>
        """#, kind: .mailboxes, rows: [
            mailbox(2, 73, ["a@x", "A", "v", nil], #"<mailbox address="a@x" volume="v">"#),
            mailbox(2, 108, ["b@x", "A", "v", nil], #"<mailbox address="b@x" volume="v">"#),
        ]),
    XMLReadCase(name: "empty reseller export", xml: "<resellers/>", kind: .resellers, rows: []),
    XMLReadCase(name: "empty mailbox export", xml: "<mailboxes cluster=\"A\">\n</mailboxes>", kind: .mailboxes, rows: []),
    XMLReadCase(name: "bare reseller", xml: "<resellers><reseller/></resellers>", kind: .resellers, rows: [
        reseller(1, 21, [nil, nil, nil, nil, nil], "<reseller>"),
    ]),
]

@Suite("XMLExportReader: well-formed exports")
struct XMLExportReaderMappingTests {
    @Test(arguments: readCases)
    func mapsElementsToRows(_ example: XMLReadCase) throws {
        let (kind, rows) = try read(example.xml)
        #expect(kind == example.kind)
        #expect(rows.sorted(by: byPosition) == example.rows.sorted(by: byPosition))
    }

    @Test("rows are delivered at their end tags, positions are the start tags'")
    func deliveryOrder() throws {
        let (_, rows) = try read(readCases[0].xml)
        #expect(rows.map(\.entity) == [.domain, .domain, .customer, .reseller])
    }

    @Test("every element of a file has its own line and column")
    func distinctPositions() throws {
        var xml = "<mailboxes cluster=\"A\">"
        for line in 0..<50 {
            for index in 0..<40 {
                xml += "<mailbox address=\"u\(line)-\(index)@x\" volume=\"v\"/>"
            }
            xml += "\n"
        }
        xml += "</mailboxes>"
        let (_, rows) = try read(xml)
        #expect(rows.count == 2000)
        #expect(Set(rows.map { "\($0.line):\($0.column)" }).count == 2000)
        #expect(rows == rows.sorted(by: byPosition))
    }

    @Test("a document in another declared encoding is converted")
    func latin1() throws {
        var bytes = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8) + [0x0A]
        bytes += Array(#"<resellers><reseller id="R"><name>Caf"#.utf8) + [0xE9] + Array("</name></reseller></resellers>".utf8)
        let (_, rows) = try read(Data(bytes))
        #expect(rows.first?.values[1] == "Café")
    }

    @Test("raw renderings are short")
    func rawIsShort() throws {
        let long = String(repeating: "a", count: 300)
        var xml = "<mailboxes><mailbox address=\"\(long)\" volume=\"v\"/>\n<mailbox"
        for index in 0..<40 { xml += " a\(index)=\"\(index)\"" }
        xml += "/><mailbox address=\"\(String(repeating: "é", count: 100))\"/></mailboxes>"
        let (_, rows) = try read(xml)
        #expect(rows[0].raw == "<mailbox address=\"\(String(repeating: "a", count: 80))…\" volume=\"v\">")
        #expect(rows[1].raw.utf8.count <= 210)
        #expect(rows[1].raw.hasSuffix("…>"))
        #expect(rows[2].raw == "<mailbox address=\"\(String(repeating: "é", count: 40))…\">")
    }

    @Test("text and attributes up to the limit are kept whole")
    func largeValuesBelowTheLimit() throws {
        let value = String(repeating: "x", count: 9_000_000)
        let xml = "<resellers><reseller id=\"\(value)\"><name><![CDATA[\(value)]]>\(value.prefix(900_000))</name></reseller></resellers>"
        let (_, rows) = try read(xml)
        #expect(rows.first?.values[0]?.utf8.count == 9_000_000)
        #expect(rows.first?.values[1]?.utf8.count == 9_900_000)
    }

    @Test("displayPath defaults to the path")
    func displayPathDefault() throws {
        try withTemporaryFile(Data("<resellers>".utf8)) { path in
            let error = #expect(throws: ImportError.self) {
                _ = try XMLExportReader(path: path).read { _ in }
            }
            #expect(error?.location?.file == path)
        }
    }
}

// MARK: - Refused documents

struct XMLFailCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { name }

    init(_ name: String, _ xml: String, _ line: Int, _ column: Int, _ message: String) {
        self.init(name, Array(xml.utf8), line, column, message)
    }

    init(_ name: String, _ bytes: [UInt8], _ line: Int, _ column: Int, _ message: String) {
        self.name = name
        self.bytes = bytes
        self.line = line
        self.column = column
        self.message = message
    }
}

private let entityMessage = "entity references other than the predefined ones are not allowed"

private let failCases: [XMLFailCase] = [
    XMLFailCase("tag mismatch", "<mailboxes>\n<mailbox address=\"a@b\" volume=\"v\">\n</mailboxes>\n", 3, 13,
             "not well-formed XML: Opening and ending tag mismatch: mailbox line 2 and mailboxes"),
    XMLFailCase("bare & in an attribute", "<mailboxes>\n  <mailbox address=\"a&b\" volume=\"v\"/>\n</mailboxes>\n", 2, 24,
             "not well-formed XML: EntityRef: expecting ';'"),
    XMLFailCase("< in an attribute", "<mailboxes>\n<mailbox address=\"a<b\"/>\n</mailboxes>\n", 2, 20,
             "not well-formed XML: Unescaped '<' not allowed in attributes values"),
    XMLFailCase("duplicate attribute", "<mailboxes>\n<mailbox address=\"a\" address=\"b\"/>\n</mailboxes>\n", 2, 33,
             "not well-formed XML: Attribute address redefined"),
    XMLFailCase("two roots", "<mailboxes/>\n<mailboxes/>\n", 2, 1,
             "not well-formed XML: Extra content at the end of the document"),
    XMLFailCase("text before the root", "hello <mailboxes/>", 1, 1,
             "not well-formed XML: Start tag expected, '<' not found"),
    XMLFailCase("invalid UTF-8", Array("<mailboxes>\n<mailbox address=\"a".utf8) + [0xFF] + Array("@b\"/>\n</mailboxes>\n".utf8), 2, 20,
             "not well-formed XML: Input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0x40 0x62 0x22"),
    XMLFailCase("empty file", "", 1, 1, "not well-formed XML: Document is empty"),
    XMLFailCase("truncated after a record", "<mailboxes cluster=\"A\">\n  <mailbox address=\"alice@acme.example\" volume=\"vol03\"/>\n", 3, 1,
             "not well-formed XML: Premature end of data in tag mailboxes line 1"),
    XMLFailCase("truncated in text", "<resellers>\n<reseller id=\"R1\">\n<customer id=\"C1\"><domain>x.exa", 3, 32,
             "not well-formed XML: Premature end of data in tag domain line 3"),
    XMLFailCase("truncated in an attribute", "<mailboxes>\n<mailbox address=\"a@b", 2, 22,
             "not well-formed XML: AttValue: ' expected"),
    XMLFailCase("truncated in CDATA", "<resellers><reseller><name><![CDATA[abc", 1, 40,
             "not well-formed XML: CData section not finished a"),
    XMLFailCase("undeclared namespace prefix", "<mailboxes>\n<m:mailbox address=\"a@b\"/>\n</mailboxes>\n", 2, 25,
             "not well-formed XML: Namespace prefix m on mailbox is not defined"),
    XMLFailCase("wrong root", "<?xml version=\"1.0\"?>\n<customers/>\n", 2, 11,
             "unknown root element <customers>; expected <resellers> or <mailboxes>"),
    XMLFailCase("wrong root with a prefix", "<ns:customers xmlns:ns=\"urn:x\"><reseller/></ns:customers>", 1, 31,
             "unknown root element <ns:customers>; expected <resellers> or <mailboxes>"),
    XMLFailCase("wrong child of <resellers>", "<resellers>\n  <reseller id=\"R1\"/>\n  <customer id=\"C1\"/>\n</resellers>\n", 3, 20,
             "unexpected element <customer> in <resellers>; expected <reseller>"),
    XMLFailCase("wrong child of <mailboxes>", "<mailboxes cluster=\"A\">\n  <mailbox address=\"a@b\" volume=\"v\"/>\n  <volume name=\"v\"/>\n</mailboxes>\n", 3, 19,
             "unexpected element <volume> in <mailboxes>; expected <mailbox>"),
    XMLFailCase("undeclared entity in an attribute", "<resellers>\n<reseller id=\"&nbsp;\"/>\n</resellers>\n", 2, 21,
             "\(entityMessage): &nbsp;"),
    XMLFailCase("undeclared entity in text", "<resellers>\n<reseller><name>&copy;</name></reseller>\n</resellers>\n", 2, 23,
             "\(entityMessage): &copy;"),
    XMLFailCase("internal entity is not expanded", "<!DOCTYPE resellers [\n<!ENTITY co \"Northwind\">\n]>\n<resellers><reseller id=\"R1\"><name>&co;</name></reseller></resellers>\n", 4, 40,
             "\(entityMessage): &co;"),
    XMLFailCase("internal parameter entity", "<!DOCTYPE mailboxes [\n<!ENTITY % p \"<!ENTITY x 'y'>\">\n%p;\n]>\n<mailboxes/>\n", 3, 4,
             "\(entityMessage): %p;"),
    XMLFailCase("depth 65", "<mailboxes>\n<mailbox address=\"a@b\" volume=\"v\">" + String(repeating: "<x>", count: 63) + String(repeating: "</x>", count: 63) + "</mailbox>\n</mailboxes>\n", 2, 223,
             "elements nested deeper than 64 levels (at <x>)"),
]

@Suite("XMLExportReader: refused documents")
struct XMLExportReaderErrorTests {
    @Test(arguments: failCases)
    func refuses(_ example: XMLFailCase) throws {
        let (error, _) = try failure(Data(example.bytes))
        #expect(error.location == SourceLocation(file: "export.xml", line: example.line, column: example.column))
        #expect(error.message == example.message)
    }

    @Test("records before an error are delivered; the caller rolls back")
    func rowsBeforeAnError() throws {
        let (_, rows) = try failure("<mailboxes cluster=\"A\">\n  <mailbox address=\"a@b\" volume=\"v\"/>\n  <mailbox address=\"c@d\"")
        #expect(rows.map(\.values) == [["a@b", "A", "v", nil]])
    }

    @Test("depth 64 is allowed")
    func depth64() throws {
        let xml = "<mailboxes>\n<mailbox address=\"a@b\" volume=\"v\">" + String(repeating: "<x>", count: 62)
            + String(repeating: "</x>", count: 62) + "</mailbox>\n</mailboxes>\n"
        #expect(try read(xml).rows.count == 1)
    }

    @Test("an attribute of 50 MB is refused at libxml2's 10 MB limit")
    func hugeAttribute() throws {
        let xml = "<mailboxes>\n<mailbox address=\"" + String(repeating: "x", count: 50_000_000) + "\"/>\n</mailboxes>\n"
        let (error, rows) = try failure(xml)
        #expect(error.message == "not well-formed XML: AttValue length too long")
        #expect(error.location?.line == 2)
        #expect(rows.isEmpty)
    }

    @Test("text over 10 MB is refused")
    func hugeText() throws {
        let xml = "<resellers><reseller id=\"R\"><customer id=\"C\">\n<domain>" + String(repeating: "d", count: 10_000_001)
            + "</domain></customer></reseller></resellers>"
        let (error, rows) = try failure(xml)
        #expect(error.message == "text of <domain> is longer than 10000000 bytes")
        #expect(error.location == SourceLocation(file: "export.xml", line: 2, column: 8))
        #expect(rows.isEmpty)
    }

    @Test("an error thrown by the closure stops the parse and propagates unchanged")
    func closureError() throws {
        struct Stop: Error, Equatable { var at: Int }
        var xml = "<mailboxes cluster=\"A\">\n"
        for index in 0..<100 { xml += "<mailbox address=\"u\(index)@x\" volume=\"v\"/>\n" }
        xml += "</mailboxes>\n"
        var seen = 0
        _ = try withTemporaryFile(Data(xml.utf8)) { path in
            #expect(throws: Stop(at: 3)) {
                _ = try XMLExportReader(path: path).read { _ in
                    seen += 1
                    if seen == 3 { throw Stop(at: 3) }
                }
            }
        }
        #expect(seen == 3)
    }

    @Test("a missing file is an I/O error")
    func missingFile() {
        let error = #expect(throws: ImportError.self) {
            _ = try XMLExportReader(path: "/nonexistent/dir/export.xml", displayPath: "export.xml").read { _ in }
        }
        #expect(error?.kind == .io)
        #expect(error?.location == nil)
        #expect(error?.message == "cannot open export.xml: No such file or directory")
    }

    @Test("a directory is an I/O error")
    func directory() {
        let error = #expect(throws: ImportError.self) {
            _ = try XMLExportReader(path: FileManager.default.temporaryDirectory.path, displayPath: "dir").read { _ in }
        }
        #expect(error?.kind == .io)
        #expect(error?.message == "cannot read dir: Is a directory")
    }
}

// MARK: - Hostile documents

/// A TCP listener on 127.0.0.1 that never accepts: afterwards `connected` tells whether
/// anything tried to connect.
private final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw CocoaError(.fileReadUnknown) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, size) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            close(socketFD)
            throw CocoaError(.fileReadUnknown)
        }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        _ = fcntl(socketFD, F_SETFL, O_NONBLOCK)
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    var connected: Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }

    deinit { close(fd) }
}

@Suite("XMLExportReader: hostile documents")
struct XMLExportReaderSecurityTests {
    static let xxeCases: [XMLFailCase] = [
        XMLFailCase("XXE in text", "<?xml version=\"1.0\"?>\n<!DOCTYPE resellers [\n  <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<resellers><reseller id=\"R1\"><name>&x;</name></reseller></resellers>\n", 5, 39,
                 "\(entityMessage): &x;"),
        XMLFailCase("XXE in an attribute", "<?xml version=\"1.0\"?>\n<!DOCTYPE mailboxes [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<mailboxes cluster=\"&x;\"/>\n", 3, 24,
                 "\(entityMessage): &x;"),
        XMLFailCase("XXE in a domain", "<!DOCTYPE resellers [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<resellers><reseller><customer id=\"C\"><domain>&x;</domain></customer></reseller></resellers>\n", 2, 50,
                 "\(entityMessage): &x;"),
        XMLFailCase("external parameter entity", "<?xml version=\"1.0\"?>\n<!DOCTYPE mailboxes [\n  <!ENTITY % p SYSTEM \"file:///etc/passwd\">\n  %p;\n]>\n<mailboxes/>\n", 4, 6,
                 "\(entityMessage): %p;"),
        XMLFailCase("entity from an external DTD", "<!DOCTYPE mailboxes SYSTEM \"file:///etc/passwd\">\n<mailboxes>\n<mailbox address=\"&x;\" volume=\"v\"/>\n</mailboxes>\n", 3, 22,
                 "\(entityMessage): &x;"),
    ]

    @Test(arguments: xxeCases)
    func externalEntitiesAreNeverLoaded(_ example: XMLFailCase) throws {
        let (error, rows) = try failure(Data(example.bytes))
        #expect(error.location == SourceLocation(file: "export.xml", line: example.line, column: example.column))
        #expect(error.message == example.message)
        expectNoPasswd(error, rows)
    }

    @Test("an external DTD is not loaded: its attribute defaults and entities do not apply")
    func externalDTDIgnored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xml-dtd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dtd = directory.appendingPathComponent("ext.dtd")
        try Data("<!ATTLIST mailbox cluster CDATA \"EVIL\">\n<!ENTITY x \"leak\">\n".utf8).write(to: dtd)

        let plain = "<!DOCTYPE mailboxes SYSTEM \"\(dtd.absoluteString)\">\n<mailboxes>\n<mailbox address=\"a@b\" volume=\"v\"/>\n</mailboxes>\n"
        let (_, rows) = try read(plain)
        #expect(rows.map(\.values) == [["a@b", nil, "v", nil]])

        let using = "<!DOCTYPE mailboxes SYSTEM \"\(dtd.absoluteString)\">\n<mailboxes>\n<mailbox address=\"&x;\" volume=\"v\"/>\n</mailboxes>\n"
        let (error, _) = try failure(using)
        #expect(error.message == "\(entityMessage): &x;")
    }

    @Test("attribute defaults of the document's own DTD are ignored")
    func internalAttributeDefaultsIgnored() throws {
        let xml = "<!DOCTYPE mailboxes [<!ATTLIST mailbox cluster CDATA \"EVIL\">]>\n<mailboxes cluster=\"A\">\n<mailbox address=\"a@b\" volume=\"v\"/>\n</mailboxes>\n"
        #expect(try read(xml).rows.map(\.values) == [["a@b", "A", "v", nil]])
    }

    @Test("nothing is fetched over the network")
    func noNetwork() throws {
        let listener = try LoopbackListener()
        let url = "http://127.0.0.1:\(listener.port)/x.dtd"
        let externalSubset = "<!DOCTYPE mailboxes SYSTEM \"\(url)\">\n<mailboxes cluster=\"A\"><mailbox address=\"a@b\" volume=\"v\"/></mailboxes>\n"
        #expect(try read(externalSubset).rows.count == 1)
        let parameter = "<!DOCTYPE mailboxes [<!ENTITY % p SYSTEM \"\(url)\"> %p;]>\n<mailboxes/>\n"
        #expect(try failure(parameter).error.message == "\(entityMessage): %p;")
        let general = "<!DOCTYPE mailboxes [<!ENTITY x SYSTEM \"\(url)\">]>\n<mailboxes cluster=\"&x;\"/>\n"
        #expect(try failure(general).error.message == "\(entityMessage): &x;")
        #expect(!listener.connected)
    }

    @Test("the external entity loader refuses every URL")
    func loaderRefuses() {
        #expect(!LibXML2Setup.externalEntityLoaderLoads("file:///etc/passwd"))
        #expect(!LibXML2Setup.externalEntityLoaderLoads("/etc/passwd"))
        #expect(!LibXML2Setup.externalEntityLoaderLoads("http://127.0.0.1:1/x.dtd"))
    }

    @Test("billion laughs fails fast")
    func billionLaughs() throws {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            xml += " <!ENTITY lol\(level) \"\(String(repeating: "&\(previous);", count: 10))\">\n"
        }
        xml += "]>\n<resellers><reseller id=\"R\"><name>&lol9;</name></reseller></resellers>\n"
        let start = ContinuousClock.now
        let (error, rows) = try failure(xml)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(error.message == "\(entityMessage): &lol9;")
        #expect(error.location == SourceLocation(file: "export.xml", line: 14, column: 41))
        #expect(rows.isEmpty)
    }

    @Test("quadratic blowup (400 KB) fails fast")
    func quadraticBlowup() throws {
        let a = String(repeating: "a", count: 100_000)
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE mailboxes [<!ENTITY a \"\(a)\">]>\n<mailboxes>\n<mailbox address=\"x@y\" volume=\""
            + String(repeating: "&a;", count: 100_000) + "\"/>\n</mailboxes>\n"
        #expect(xml.utf8.count > 400_000)
        let start = ContinuousClock.now
        let (error, rows) = try failure(xml)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(error.message == "\(entityMessage): &a;")
        #expect(error.location == SourceLocation(file: "export.xml", line: 4, column: 35))
        #expect(rows.isEmpty)
    }

    @Test("quadratic blowup in text fails fast")
    func quadraticBlowupInText() throws {
        let a = String(repeating: "a", count: 100_000)
        let xml = "<!DOCTYPE resellers [<!ENTITY a \"\(a)\">]>\n<resellers><reseller><name>"
            + String(repeating: "&a;", count: 100_000) + "</name></reseller></resellers>\n"
        let start = ContinuousClock.now
        let (error, _) = try failure(xml)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(error.message == "\(entityMessage): &a;")
    }
}
