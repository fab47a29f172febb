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
    /// Opened for reading, the database has the layout of an older version: it is read as it
    /// is (slower for large data) and brought up to date by the next import.
    public private(set) var readsOlderSchema = false
    /// How its mailbox table holds addresses: split, unless it is an older database read as
    /// it is.
    private(set) var mailboxLayout = MailboxLayout.split

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
        config.label = "reseller-impact"
        config.prepareDatabase { db in
            // WAL set by hand: GRDB's `.wal` setting creates and drops a table whenever the
            // log file is missing, which rewrites the database file even for a read. Only a
            // command that may write sets it; our databases are WAL from their first import,
            // and a read must not change a file that is not ours.
            if !mustExist { _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            // 32 MB of page cache: reads are sequential or few, and the import sets its own.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = FILE")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = Schema.migrator()
            let (superseded, complete) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw StoreError(.incompatible, "\(path): this database was written by a newer reseller-impact")
            }
            // Migrating an up-to-date database still touches its schema cookie, and a command
            // that reads or fails must leave the file exactly as it was.
            if !complete {
                // A read command never creates tables: a file that is not (yet) one of ours
                // is an error, not something to write into.
                if mustExist {
                    let applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
                    if applied.isEmpty {
                        throw StoreError(.incompatible, "\(path): not a reseller-impact database (no import has been made into it); run 'reseller-impact import' first")
                    }
                    // An older layout still answers every read (more slowly at scale: its
                    // indexes are not the ones the queries expect). Refusing it would leave
                    // support without a report between upgrading and the next import, which
                    // is when an incident may well come.
                    readsOlderSchema = true
                    mailboxLayout = try queue.read { db in try MailboxLayout.of(db) }
                } else {
                    try migrator.migrate(queue)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path, doing: "opening it")
        }
    }

    /// Closes the database. The last connection to close folds the write-ahead log into the
    /// database file, so that between commands the file alone holds everything.
    public func close() {
        try? queue.close()
    }

    /// The open snapshot of `withSnapshot`, which every read joins.
    private var snapshot: Database?

    /// Runs `body` with every read of this store inside one read transaction: one consistent
    /// view of the data (an import that commits meanwhile is not half seen), and no lock
    /// round trip per query, which cost a report of 20,000 resellers seconds of system time.
    /// Reads must stay on the calling thread.
    public func withSnapshot<T>(_ body: () throws -> T) throws -> T {
        if snapshot != nil { return try body() }
        do {
            return try queue.read { db in
                snapshot = db
                defer { snapshot = nil }
                return try body()
            }
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: path, doing: "reading")
        }
    }

    /// Runs `body` on a read snapshot, mapping SQLite errors to `StoreError`.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            if let snapshot { return try body(snapshot) }
            return try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path, doing: what)
        }
    }
}
