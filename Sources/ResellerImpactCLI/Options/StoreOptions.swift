import ArgumentParser
import Foundation
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
        let store = try ImpactStore(path: db, busyTimeout: wait, mustExist: mustExist)
        if store.readsOlderSchema {
            Console.note("warning: \(db) was written by an older reseller-impact; reading it as it is (slower for large data). The next 'reseller-impact import' brings it up to date.")
        }
        return store
    }

    /// Opens the database for an import and closes it after `body`. When `body` fails and the
    /// database did not exist before, it is removed again: a failed first import leaves no
    /// empty database behind for a later command to mistake for real data.
    func withDatabaseForImport(_ body: (ImpactStore) throws -> Void) throws {
        let existed = FileManager.default.fileExists(atPath: db)
        do {
            let store = try open(mustExist: false)
            defer { store.close() }
            try body(store)
        } catch {
            if !existed {
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            }
            throw error
        }
    }
}
