import Foundation
import Testing
import TestSupport

/// `demo` must be deterministic, and the committed `Reports/` must be what it produces now:
/// re-run `swift run reseller-impact demo` and commit when this fails on purpose.
@Suite("The demo and its committed output")
struct DemoTests {
    @Test func committedReportsMatchTheDemo() throws {
        let dir = TemporaryDirectory()
        let result = try BinaryRunner.run(["demo", "--out", dir.path], in: BinaryRunner.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let committed = BinaryRunner.packageRoot + "/Reports"
        let produced = try files(under: dir.path)
        #expect(produced == (try files(under: committed)), "the file lists differ")
        for name in produced {
            let a = FileManager.default.contents(atPath: dir.path + "/" + name)
            let b = FileManager.default.contents(atPath: committed + "/" + name)
            #expect(a == b, "Reports/\(name) differs from what the demo writes now; re-run `swift run reseller-impact demo` and commit")
        }
    }

    func files(under root: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var names: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                names.append(name)
            }
        }
        return names.sorted()
    }
}
