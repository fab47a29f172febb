import Foundation
import ImpactModel
import ImpactStore

/// The volumes that are offline, as given on the command line or in a file, checked against
/// the volumes the database knows: a typo must never mean "nobody is affected".
public struct OfflineVolumeSet: Sendable, Equatable {
    /// Sorted by the UTF-8 bytes of `CLUSTER/VOLUME`, without repeats.
    public private(set) var volumes: [VolumeID]
    /// The database ids of `volumes`, in the same order.
    public private(set) var volumeIDs: [Int64]

    /// A volume as written, before it is checked against the database.
    public struct Spec: Sendable, Equatable {
        public var volume: VolumeID
        public var location: SourceLocation?

        public init(volume: VolumeID, location: SourceLocation? = nil) {
            self.volume = volume
            self.location = location
        }
    }

    /// Parses `--offline` values: each a comma-separated list of `CLUSTER/VOLUME`.
    /// - Throws: `AnalysisError` for an entry that is not `CLUSTER/VOLUME`.
    public static func parse(options values: [String]) throws -> [Spec] {
        var specs: [Spec] = []
        for value in values {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = part.trimmingWhitespace()
                if text.isEmpty { continue }
                guard let volume = VolumeID(parsing: text) else {
                    throw AnalysisError("--offline: '\(text)' is not CLUSTER/VOLUME (for example A/vol03)")
                }
                specs.append(Spec(volume: volume))
            }
        }
        return specs
    }

    /// Parses an offline file: one `CLUSTER/VOLUME` per line; blank lines and everything after
    /// `#` ignored.
    /// - Throws: `AnalysisError` with the file and line for an entry that is not
    ///   `CLUSTER/VOLUME`, or when the file cannot be read.
    public static func parse(file path: String) throws -> [Spec] {
        let text: String
        do { text = try TextFile.read(path) } catch let error as TextFile.ReadError {
            throw AnalysisError(.io, "cannot read offline volumes file \(path): \(error.reason)")
        }
        var specs: [Spec] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let entry = content.trimmingWhitespace()
            if entry.isEmpty { continue }
            let column = (line.firstIndex { !$0.isWhitespace }).map { line.distance(from: line.startIndex, to: $0) + 1 } ?? 1
            guard let volume = VolumeID(parsing: entry), !entry.contains(where: { $0 == " " || $0 == "\t" || $0 == "," }) else {
                throw AnalysisError(at: SourceLocation(file: path, line: lineNumber, column: column),
                                    "'\(entry)' is not CLUSTER/VOLUME (one volume per line, for example A/vol03)")
            }
            specs.append(Spec(volume: volume, location: SourceLocation(file: path, line: lineNumber, column: column)))
        }
        return specs
    }

    /// Checks every spec against the stored volumes.
    /// - Throws: `AnalysisError` for no volumes at all, or for a volume that holds no mailbox,
    ///   listing the known volumes of its cluster (or the known clusters).
    public init(_ specs: [Spec], known: [StoredVolume]) throws {
        guard !specs.isEmpty else {
            throw AnalysisError("no offline volumes given; use --offline CLUSTER/VOLUME[,…] or --offline-file FILE")
        }
        var byVolume: [VolumeID: Int64] = [:]
        for volume in known { byVolume[volume.volume] = volume.id }
        var chosen: [VolumeID: Int64] = [:]
        for spec in specs {
            guard let id = byVolume[spec.volume] else {
                let sameCluster = known.filter { $0.volume.cluster == spec.volume.cluster }.map(\.volume.description)
                let hint: String
                if known.isEmpty {
                    hint = "the database holds no mailboxes; import the mailbox exports first"
                } else if sameCluster.isEmpty {
                    let clusters = Set(known.map(\.volume.cluster)).sorted(by: String.byteOrder)
                    hint = "there is no cluster '\(spec.volume.cluster)'; known clusters: \(clusters.joined(separator: ", "))"
                } else {
                    hint = "known volumes of cluster \(spec.volume.cluster): \(sameCluster.joined(separator: ", "))"
                }
                throw AnalysisError(at: spec.location, "unknown volume \(spec.volume): no mailbox lives on it; \(hint)")
            }
            chosen[spec.volume] = id
        }
        volumes = chosen.keys.sorted()
        volumeIDs = volumes.map { chosen[$0]! }
    }
}
