import ArgumentParser
import ImpactStore

/// The database every command works on.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database file.", valueName: "file"))
    var db: String = "reseller-impact.sqlite"

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another reseller-impact that is writing the database.", valueName: "seconds"))
    var wait: Double = 10

    func validate() throws {
        guard wait >= 0, wait <= 3600 else { throw ValidationError("--wait must be between 0 and 3600 seconds") }
    }

    func open(mustExist: Bool) throws -> ImpactStore {
        try ImpactStore(path: db, busyTimeout: wait, mustExist: mustExist)
    }
}
