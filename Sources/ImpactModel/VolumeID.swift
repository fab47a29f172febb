/// A storage volume inside a cluster, written `CLUSTER/VOLUME` (`A/vol03`). The same volume
/// name can exist in several clusters; both parts are case-sensitive.
public struct VolumeID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var cluster: String
    public var volume: String

    public init(cluster: String, volume: String) {
        self.cluster = cluster
        self.volume = volume
    }

    /// Parses `CLUSTER/VOLUME`, both parts trimmed and non-empty; splits at the first `/`.
    public init?(parsing text: some StringProtocol) {
        let trimmed = text.trimmingWhitespace()
        guard let slash = trimmed.firstIndex(of: "/") else { return nil }
        let cluster = trimmed[..<slash].trimmingWhitespace()
        let volume = trimmed[trimmed.index(after: slash)...].trimmingWhitespace()
        guard !cluster.isEmpty, !volume.isEmpty else { return nil }
        self.init(cluster: cluster, volume: volume)
    }

    public var description: String { "\(cluster)/\(volume)" }

    /// Ordered by the UTF-8 bytes of `CLUSTER/VOLUME`, as the contract sorts raw values.
    public static func < (lhs: VolumeID, rhs: VolumeID) -> Bool {
        lhs.description.utf8.lexicographicallyPrecedes(rhs.description.utf8)
    }
}
