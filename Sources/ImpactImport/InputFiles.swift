import Foundation
import ImpactModel

/// Expands the paths given to `import` into the files to read, in order: files in the order
/// given, a directory's files in file-name order (UTF-8 bytes), not descending into folders.
public enum InputFiles {
    /// The files to read plus what was passed over in directories (and why), for the summary.
    public struct Expansion: Sendable, Equatable {
        public var files: [ImportFile]
        public var skipped: [(path: String, reason: String)]

        public static func == (lhs: Expansion, rhs: Expansion) -> Bool {
            lhs.files == rhs.files && lhs.skipped.map(\.path) == rhs.skipped.map(\.path)
        }
    }

    /// - Throws: `ImportError(.io)` for a path that does not exist or cannot be listed,
    ///   `ImportError(.usage)` when nothing is given.
    public static func expand(_ paths: [String]) throws -> Expansion {
        guard !paths.isEmpty else { throw ImportError(.usage, "no input files given") }
        var files: [ImportFile] = []
        var skipped: [(String, String)] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ImportError(.io, "cannot read \(path): no such file or directory")
            }
            if isDirectory.boolValue {
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: path) } catch {
                    throw ImportError(.io, "cannot list directory \(path): \(error.localizedDescription)")
                }
                for name in names.sorted(by: String.byteOrder) where !name.hasPrefix(".") {
                    let full = path.hasSuffix("/") ? path + name : path + "/" + name
                    var childIsDirectory: ObjCBool = false
                    _ = fm.fileExists(atPath: full, isDirectory: &childIsDirectory)
                    if childIsDirectory.boolValue {
                        skipped.append((full, "a folder (folders inside an input folder are not read)"))
                    } else if let format = format(ofName: name) {
                        files.append(ImportFile(path: full, format: format, index: files.count))
                    } else {
                        skipped.append((full, "not a .csv, .tsv or .xml file"))
                    }
                }
            } else {
                let format = format(ofName: path) ?? sniffFormat(path)
                files.append(ImportFile(path: path, format: format, index: files.count))
            }
        }
        return Expansion(files: files, skipped: skipped)
    }

    static func format(ofName name: String) -> ImportFile.Format? {
        let lower = name.lowercased()
        if lower.hasSuffix(".xml") { return .xml }
        if lower.hasSuffix(".tsv") { return .tsv }
        if lower.hasSuffix(".csv") { return .csv }
        return nil
    }

    /// A file named explicitly with another extension: XML if it starts with `<`, else CSV.
    static func sniffFormat(_ path: String) -> ImportFile.Format {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .csv }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "<") ? .xml : .csv
    }
}
