/// The parameters of a synthetic export set, validated: how many resellers, customers and
/// mailboxes, on which clusters and volumes, how dirty, in which file formats.
///
/// ```swift
/// let dataSet = try SyntheticDataSet(mailboxes: 10_000_000, resellers: 20_000, customers: 2_000_000,
///                                    clusters: ["A", "B"], volumesPerCluster: 24, seed: 42)
/// ```
///
/// The same parameters always give the same bytes, on any machine: every random choice comes
/// from `seed` through a fixed integer generator, never from the clock or the system.
public struct SyntheticDataSet: Sendable, Equatable {
    /// Which files hold the reseller export and the mailbox export.
    public enum Format: String, Sendable, CaseIterable {
        /// `1-resellers.csv`, `2-customers.csv`, `3-domains.csv`, `4-mailboxes.csv`.
        case csv
        /// `1-resellers.xml` (customers and domains nested) and `2-mailboxes-<cluster>.xml`.
        case xml
        /// `1-resellers.xml` and `2-mailboxes.csv`.
        case mixed
    }

    /// Upper bounds that keep every count and sum inside 64-bit arithmetic.
    public static let maximumMailboxes = 1 << 40
    public static let maximumCustomers = 1 << 30
    public static let maximumVolumesPerCluster = 999
    public static let maximumDirtyRate = 0.5

    public let mailboxes: Int
    public let resellers: Int
    public let customers: Int
    /// Cluster names, in the order given; the first is the one `offline.txt` names volumes of.
    public let clusters: [String]
    /// Volumes `vol01`…`volNN` in every cluster.
    public let volumesPerCluster: Int
    public let seed: UInt64
    /// The fraction of rows (0…0.5) that carry one of the contract's data problems.
    public let dirtyRate: Double
    public let format: Format

    /// Checks the parameters.
    ///
    /// - Parameters:
    ///   - mailboxes: at least 1. Every customer gets at least one mailbox when there are enough.
    ///   - resellers: at least 1.
    ///   - customers: at least `resellers` (every reseller has at least one customer).
    ///   - clusters: one or more distinct, non-empty names without `/`, `,`, surrounding white
    ///     space or control characters.
    ///   - volumesPerCluster: 1…999.
    ///   - seed: any value; the output is a function of the parameters.
    ///   - dirtyRate: 0…0.5.
    ///   - format: `.csv` by default.
    /// - Throws: `GenerateError(.usage)` naming the first parameter out of range.
    public init(mailboxes: Int, resellers: Int, customers: Int, clusters: [String], volumesPerCluster: Int,
                seed: UInt64, dirtyRate: Double = 0, format: Format = .csv) throws(GenerateError) {
        guard mailboxes >= 1, mailboxes <= Self.maximumMailboxes else {
            throw GenerateError(.usage, "--mailboxes must be between 1 and \(Self.maximumMailboxes)")
        }
        guard resellers >= 1 else { throw GenerateError(.usage, "--resellers must be at least 1") }
        guard customers >= resellers, customers <= Self.maximumCustomers else {
            throw GenerateError(.usage, "--customers must be at least --resellers (\(resellers)) and at most \(Self.maximumCustomers)")
        }
        guard (1...Self.maximumVolumesPerCluster).contains(volumesPerCluster) else {
            throw GenerateError(.usage, "--volumes must be between 1 and \(Self.maximumVolumesPerCluster)")
        }
        guard dirtyRate.isFinite, dirtyRate >= 0, dirtyRate <= Self.maximumDirtyRate else {
            throw GenerateError(.usage, "--dirty must be between 0 and \(Self.maximumDirtyRate)")
        }
        guard !clusters.isEmpty else { throw GenerateError(.usage, "give at least one cluster name") }
        var seen = Set<String>()
        for name in clusters {
            if let problem = Self.problem(withClusterName: name) {
                throw GenerateError(.usage, "cluster name '\(name)' \(problem)")
            }
            guard seen.insert(name).inserted else { throw GenerateError(.usage, "cluster '\(name)' is named twice") }
        }
        self.mailboxes = mailboxes
        self.resellers = resellers
        self.customers = customers
        self.clusters = clusters
        self.volumesPerCluster = volumesPerCluster
        self.seed = seed
        self.dirtyRate = dirtyRate
        self.format = format
    }

    /// Why `name` cannot be a cluster name, or `nil`. A cluster name goes into `CLUSTER/VOLUME`,
    /// a comma-separated `--offline` list and a file name, and the importer trims it.
    static func problem(withClusterName name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.contains("/") || name.contains(",") { return "must not contain '/' or ','" }
        if name.trimmingWhitespace() != name { return "must not start or end with white space" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "must not contain control characters"
        }
        if name == "." || name == ".." { return "must not be '.' or '..'" }
        return nil
    }

    /// `vol01`…`volNN`: two digits at least, three for 100 volumes or more.
    public var volumeNames: [String] {
        (1...volumesPerCluster).map { Self.volumeName($0, of: volumesPerCluster) }
    }

    static func volumeDigits(_ count: Int) -> Int { count >= 100 ? 3 : 2 }

    static func volumeName(_ number: Int, of count: Int) -> String {
        let digits = String(number)
        return "vol" + String(repeating: "0", count: max(0, volumeDigits(count) - digits.count)) + digits
    }
}
