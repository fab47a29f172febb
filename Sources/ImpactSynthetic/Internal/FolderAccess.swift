#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder: created with its parents, and checked for exports a directory import would mix in.
enum FolderAccess {
    /// `mkdir -p`: creates `path` and any missing parents.
    /// - Throws: `GenerateError(.io)` naming the folder and the system's reason.
    static func createDirectory(_ path: String) throws(GenerateError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw GenerateError(.io, "cannot create folder \(path): a file of that name is in the way")
            }
            return
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        var prefix = ""
        for (index, component) in components.enumerated() {
            prefix += (index == 0 ? "" : "/") + component
            if prefix.isEmpty || component.isEmpty || component == "." { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BufferedFileWriter.error("cannot create folder", prefix)
            }
        }
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw BufferedFileWriter.error("cannot create folder", path)
        }
    }

    /// The names of the `.csv`, `.tsv` and `.xml` files in `path` (not in subfolders).
    static func exportFiles(in path: String) throws(GenerateError) -> [String] {
        guard let directory = opendir(path) else { throw BufferedFileWriter.error("cannot read folder", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let lower = name.lowercased()
            if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".xml") { names.append(name) }
        }
        return names
    }
}
