import Foundation
import GRDB
import ImpactModel

/// The SQLite database every command works on: opened, migrated, and configured for one
/// writer at a time (WAL, so reports read a consistent snapshot while an import runs).
///
/// ```swift
/// let store = try ImpactStore(path: "reseller-impact.sqlite")
/// let volumes = try store.volumes()
/// ```
public final class ImpactStore: @unchecked Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating if needed) and migrates the database.
    /// - Parameters:
    ///   - path: the SQLite file.
    ///   - busyTimeout: how long to wait for another process that holds the database.
    ///   - mustExist: fail instead of creating a new, empty database (for read commands).
    /// - Throws: `StoreError` with `.io`, `.busy` or `.incompatible`.
    public init(path: String, busyTimeout: TimeInterval = 10, mustExist: Bool = false) throws {
        self.path = path
        if mustExist && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.io, "\(path): no such database; run 'reseller-impact import' first (or pass --db)")
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.journalMode = .wal
        config.label = "reseller-impact"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = FILE")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = Schema.migrator()
            if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError(.incompatible, "\(path): this database was written by a newer reseller-impact")
            }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path, doing: "opening it")
        }
    }

    /// Runs `body` on a read snapshot, mapping SQLite errors to `StoreError`.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path, doing: what)
        }
    }
}
