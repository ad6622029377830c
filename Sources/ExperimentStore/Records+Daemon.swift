import Foundation
import GRDB

/// A run's checkpoint as stored (without its state bytes: see `Checkpoint`).
public struct CheckpointInfo: Codable, Sendable, Equatable, FetchableRecord {
    public var runID: Int64
    public var step: Int64
    public var format: Int
    public var bytes: Int
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case step, format, bytes
        case createdAt = "created_at"
    }
}

/// A run's checkpoint with its state bytes, checked against their checksum.
public struct Checkpoint: Sendable, Equatable {
    public var step: Int
    public var format: Int
    public var state: Data
    /// The platform of the attempt that wrote it (nil: unknown, written before migration 003).
    public var platform: Platform?
    public init(step: Int, format: Int, state: Data, platform: Platform? = nil) {
        self.step = step
        self.format = format
        self.state = state
        self.platform = platform
    }
}

/// The metrics of one iteration, waiting to be written with the next checkpoint.
public struct MetricRow: Sendable, Equatable {
    public var step: Int
    public var values: [String: Double]
    public init(step: Int, values: [String: Double]) {
        self.step = step
        self.values = values
    }
}

/// A row of `run_events`: what happened to a run (`mcpo-sweep logs RUN`).
public struct RunEvent: Codable, Sendable, Equatable, FetchableRecord {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case claimed, resumed
        case checkpointDiscarded = "checkpoint_discarded"
        case stopped, released, reclaimed, done, failed, retried
        case storeError = "store_error"
        /// Resumed from a checkpoint written on another BLAS kernel or CPU (migration 003).
        case platformChanged = "platform_changed"
    }

    public var id: Int64
    public var runID: Int64
    public var at: String
    public var kind: Kind
    public var worker: String?
    public var attempt: Int
    public var step: Int64
    public var message: String

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case at, kind, worker, attempt, step, message
    }
}

/// A row of `schedulers`: a live (or recently live) `run` or `daemon` process.
public struct SchedulerRecord: Codable, Sendable, Equatable, FetchableRecord {
    public enum Kind: String, Codable, Sendable { case run, daemon }
    public var worker: String
    public var kind: Kind
    public var sweepID: Int64?
    public var workers: Int
    public var startedAt: String
    public var seenAt: Double

    enum CodingKeys: String, CodingKey {
        case worker, kind
        case sweepID = "sweep_id"
        case workers
        case startedAt = "started_at"
        case seenAt = "seen_at"
    }
}

/// A 64-bit FNV-1a over 8-byte words (then the tail bytes), as 16 hex digits: detects a
/// damaged checkpoint blob (SQLite itself does not checksum pages). Fast: one multiply per word.
