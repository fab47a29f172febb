import ArgumentParser
import ImpactAnalysis
import ImpactStore

/// Which volumes are offline.
struct OfflineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Offline volumes as CLUSTER/VOLUME, comma-separated; repeatable.", valueName: "volumes"))
    var offline: [String] = []

    @Option(name: .customLong("offline-file"), help: ArgumentHelp("A file with one CLUSTER/VOLUME per line; blank lines and everything after # are ignored.", valueName: "file"))
    var offlineFile: String?

    func validate() throws {
        if offline.isEmpty && offlineFile == nil {
            throw ValidationError("say which volumes are offline: --offline CLUSTER/VOLUME[,…] or --offline-file FILE")
        }
        do {
            _ = try OfflineVolumeSet.parse(options: offline)
        } catch let error as AnalysisError {
            throw ValidationError(error.message)
        }
    }

    /// The volumes as written, not yet checked against the database.
    func specs() throws -> [OfflineVolumeSet.Spec] {
        var specs = try OfflineVolumeSet.parse(options: offline)
        if let offlineFile { specs += try OfflineVolumeSet.parse(file: offlineFile) }
        return specs
    }

    /// The offline set, checked against the volumes the database knows.
    func resolve(in store: ImpactStore) throws -> OfflineVolumeSet {
        try OfflineVolumeSet(specs(), known: store.volumes())
    }
}
