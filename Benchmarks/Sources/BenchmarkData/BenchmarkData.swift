import Foundation
import ImpactAnalysis
import ImpactImport
import ImpactModel
import ImpactStore
import ImpactSynthetic

/// Inputs the benchmarks share: synthetic export sets written into a temporary folder, and a
/// database prepared from one. Generated in a benchmark's `setup`, so their cost is never measured.
public enum BenchmarkData {
    /// The data set shape of `scripts/bench-compare.sh`, scaled to `mailboxes`: one reseller per
    /// 50 mailboxes (20 000 at 1M), one customer per 5 mailboxes, clusters A and B of 24 volumes,
    /// seed 7, no dirty rows.
    public static func dataSet(mailboxes: Int, format: SyntheticDataSet.Format = .csv) throws -> SyntheticDataSet {
        try SyntheticDataSet(mailboxes: mailboxes, resellers: max(1, mailboxes / 50), customers: max(1, mailboxes / 5),
                             clusters: ["A", "B"], volumesPerCluster: 24, seed: 7, format: format)
    }

    /// Writes a synthetic export set into a new temporary folder.
    public static func generate(mailboxes: Int, format: SyntheticDataSet.Format = .csv) throws -> GeneratedExports {
        let folder = try TemporaryFolder()
        let summary = try SyntheticExportWriter(try dataSet(mailboxes: mailboxes, format: format)).write(to: folder.path)
        return GeneratedExports(folder: folder, summary: summary)
    }

    /// Imports `paths` into the store the way the CLI does (`Steps.importExports`).
    @discardableResult
    public static func importFiles(_ paths: [String], into store: ImpactStore) throws -> ImportSummary {
        let files = try InputFiles.expand(paths).files
        return try store.importExports(options: ImportOptions()) { sink in
            try Importer(files: files, strict: false).run(into: sink)
        }
    }
}

/// A generated export set; its folder goes away with it.
public final class GeneratedExports: @unchecked Sendable {
    public let folder: TemporaryFolder
    public let summary: SyntheticExportSummary

    init(folder: TemporaryFolder, summary: SyntheticExportSummary) {
        self.folder = folder
        self.summary = summary
    }

    /// The export files, in import order.
    public var exportPaths: [String] { summary.files.map(\.path) }
    /// Bytes of all export files.
    public var exportBytes: Int { summary.files.reduce(0) { $0 + $1.bytes } }
    /// The path of the file named `name`.
    public func path(_ name: String) -> String { folder.path + "/" + name }
    /// `offline.txt`, as `analyze --offline-file` reads it.
    public var offlineFile: String { path(SyntheticExportWriter.offlineFileName) }
}

/// A database imported from a generated export set, with the offline volumes resolved: what
/// `analyze` and `report` start from.
public final class PreparedDatabase: @unchecked Sendable {
    public let exports: GeneratedExports
    public let store: ImpactStore
    public let offline: OfflineVolumeSet

    public init(mailboxes: Int) throws {
        exports = try BenchmarkData.generate(mailboxes: mailboxes)
        store = try ImpactStore(path: exports.path("impact.sqlite"))
        try BenchmarkData.importFiles(exports.exportPaths, into: store)
        offline = try OfflineVolumeSet(OfflineVolumeSet.parse(file: exports.offlineFile), known: store.volumes())
    }

    deinit {
        store.close()
    }
}

/// A folder under the system's temporary folder, removed with everything in it on `deinit`.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "reseller-impact-benchmark-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the folder that does not exist yet.
    public func newPath(_ stem: String) -> String {
        path + "/" + stem + "-" + UUID().uuidString
    }

    /// Removes a database file with its write-ahead log and shared-memory files.
    public func removeDatabase(_ file: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Bytes held in memory, handed out in the sizes the reader asks for, so that CSV parsing is
/// measured without the file system.
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            target.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// Elapsed time of `body` in seconds, by the monotonic clock.
public func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
