import ImpactModel

/// What `SyntheticExportWriter.write(to:)` wrote: each file with its row counts, how many
/// rows carry each data problem, and the offline volumes named in `offline.txt`.
public struct SyntheticExportSummary: Sendable, Equatable {
    /// One written export file.
    public struct File: Sendable, Equatable {
        /// The path as written (the output folder joined with `name`).
        public var path: String
        /// The file name, e.g. `1-resellers.csv`.
        public var name: String
        /// Record rows or elements per entity (for the XML reseller export: resellers,
        /// customers and domains), dirty ones included.
        public var rows: [Entity: Int]
        /// How many of those rows carry a data problem.
        public var problemRows: Int
        public var bytes: Int

        /// All rows of every entity.
        public var totalRows: Int { rows.values.reduce(0, +) }
    }

    public var directory: String
    /// In the order written; the names sort in that order too.
    public var files: [File]
    /// Rows per planted problem (only problems that occurred).
    public var problems: [SyntheticDataProblem: Int]
    /// The file naming the offline volumes for `analyze --offline-file`.
    public var offlineFile: String
    /// The volumes it names, sorted; empty only if the first cluster got no mailbox.
    public var offlineVolumes: [VolumeID]

    /// Rows of `entity` over all files.
    public func rows(of entity: Entity) -> Int { files.reduce(0) { $0 + ($1.rows[entity] ?? 0) } }

    /// Rows with a problem over all files.
    public var problemRows: Int { problems.values.reduce(0, +) }
}
