import Foundation
import GRDB
import ImpactImport
import Testing
import TestSupport
@testable import ImpactStore

@Suite("Duplicate addresses found through their hash")
struct AddressHashTests {
    @Test func fnv1aMatchesTheReferenceValues() {
        // Test vectors of FNV-1a 64 (from the algorithm's authors).
        let cases: [(String, UInt64)] = [("", 0xcbf29ce484222325), ("a", 0xaf63dc4c8601ec8c), ("foobar", 0x85944171f73967e8)]
        for (text, expected) in cases {
            var text = text
            let hash = text.withUTF8 { ImportSession.fnv1a(UnsafeRawBufferPointer($0)) }
            #expect(UInt64(bitPattern: hash) == expected, "\(text)")
        }
    }

    /// Two different addresses with the same hash must both stay: the hash only narrows the
    /// search, the address decides.
    @Test func aHashCollisionIsNotADuplicate() throws {
        let dir = TemporaryDirectory()
        let store = try ImpactStore(path: dir.file("db.sqlite"))
        let file = dir.write("m.csv", "address,cluster,volume\na@x.example,A,v\nb@x.example,A,v\na@x.example,A,v\n")
        // Force a collision: give b the same hash as a, as if FNV-1a had collided.
        let summary = try store.importExports(options: ImportOptions()) { sink in
            try Importer(files: try InputFiles.expand([file]).files, strict: false).run(into: sink)
            try (sink as! ImportSession).db.execute(sql: "UPDATE incoming_mailbox SET address_hash = 42")
        }
        #expect(summary.replaced.first?.after == 2)
        #expect(try store.rejects().map(\.reason) == ["duplicate address 'a@x.example': the first accepted one is at \(file):2"])
    }
}
