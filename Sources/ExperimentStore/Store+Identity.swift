import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store's file identity (device and inode), taken when it is opened and checked by the
/// scheduler every round and by workers at every heartbeat: a store deleted (`rm`) or replaced
/// (`mv other.sqlite store.sqlite`) while in use is noticed at once, and nothing more is written
/// through connections that would reach the deleted file or the other store.
public struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path` (following links), nil if there is none.
    public static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

extension Store {
    /// After `logGone`: copies the writes held in this process's (deleted) write-ahead log into
    /// the store's file, through the connection that still has the log open, so that they
    /// are not lost with it. Returns whether it did.
    @discardableResult
    public func rescueDeletedLog() -> Bool {
        (try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }) != nil
    }

    /// After `storeGone(replaced: true)`: the write-ahead log and shared-memory files beside the
    /// new file are still this store's (same inodes), and SQLite would apply that log to the new
    /// file on its next open, corrupting it. Moves them aside (`NAME-wal.stale-PID`); returns
    /// whether it moved any. Touches nothing that is not this store's own.
    @discardableResult
    public func moveAsideStaleLog() -> Bool {
        var moved = false
        for (suffix, identity) in [("-wal", walIdentity), ("-shm", shmIdentity)] {
            let name = path + suffix
            guard let identity, FileIdentity.of(name) == identity else { continue }
            if rename(name, "\(name).stale-\(getpid())") == 0 { moved = true }
        }
        return moved
    }

    /// Throws `StoreError.storeGone` if the file at `path` is no longer the one this store
    /// opened, `logGone` if its write-ahead log was deleted or replaced (this process's open
    /// connections keep it in place while they live: only someone else removes it, and then
    /// new connections would not see the writes it holds).
    public func checkIdentity() throws {
        guard let identity else { return }
        guard let now = FileIdentity.of(path) else { throw StoreError.storeGone(path: path, replaced: false) }
        guard now == identity else { throw StoreError.storeGone(path: path, replaced: true) }
        if let walIdentity, FileIdentity.of(path + "-wal") != walIdentity { throw StoreError.logGone(path: path) }
    }
}
