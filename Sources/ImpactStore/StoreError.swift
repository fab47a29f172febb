import Foundation
import GRDB

/// Why a store operation failed. Messages say what failed, never the bound values.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The import would lose data it must not (a shrinking export). Exit 65.
        case refusedData
        /// The database file cannot be opened, read or written. Exit 74.
        case io
        /// Another process holds the database longer than we wait. Exit 1.
        case busy
        /// The database is not one of ours, or newer than this tool. Exit 1.
        case incompatible
        /// A query named something that does not exist (an unknown reseller). Exit 64.
        case unknownName
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "error: \(message)" }

    /// Maps a SQLite error to what the user can act on.
    static func wrapping(_ error: any Error, path: String, doing what: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.busy, "\(path): the database is busy (another reseller-impact is writing it) and stayed busy while \(what); try again when it has finished")
        case .SQLITE_FULL:
            return StoreError(.io, "\(path): the disk is full while \(what); nothing was changed")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_PERM:
            return StoreError(.io, "\(path): cannot write the database while \(what) (\(error.message ?? "\(error.resultCode)"))")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(.incompatible, "\(path): not a reseller-impact database, or damaged (\(error.message ?? "\(error.resultCode)"))")
        default:
            return StoreError(.io, "\(path): database error while \(what): \(error.message ?? "\(error.resultCode)")")
        }
    }
}
