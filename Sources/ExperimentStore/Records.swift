import Foundation
import GRDB

/// A run's life: `pending` → `running` (claimed, leased) → `done` | `failed`; a `running` run
/// whose holder died or whose lease expired goes back to `pending`.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case pending, running, done, failed
}

/// A row of `sweeps`.
public struct SweepRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "sweeps"
    public var id: Int64
    public var name: String
    public var specJSON: String
    public var specHash: String
    public var createdAt: String
    /// Set by `mcpo-sweep cancel`; nil when the sweep is to be executed (and in stores without
    /// migration 002).
    public var cancelledAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case specJSON = "spec_json"
        case specHash = "spec_hash"
        case createdAt = "created_at"
        case cancelledAt = "cancelled_at"
    }
}

/// A row of `runs`.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "runs"
    public var id: Int64
    public var sweepID: Int64
    public var configJSON: String
    public var configHash: String
    public var method: String
    public var param: String?
    public var value: Double?
    public var env: String
    public var seed: Int64
    public var steps: Int64
    public var status: RunStatus
    public var attempts: Int
    public var worker: String?
    public var leaseExpiresAt: Double?
    public var stepsDone: Int64
    public var wallSeconds: Double?
    public var createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    public var error: String?
    /// Claims in a row without a new checkpoint (nil in stores without migration 002, as below).
    public var stalls: Int?
    /// A diverged run: the last step whose metrics are finite.
    public var lastGoodStep: Int64?
    /// A pending run given back after a store error is not claimed before this unix time.
    public var notBefore: Double?

    enum CodingKeys: String, CodingKey {
        case id
        case sweepID = "sweep_id"
        case configJSON = "config_json"
        case configHash = "config_hash"
        case method, param, value, env, seed, steps, status, attempts, worker
        case leaseExpiresAt = "lease_expires_at"
        case stepsDone = "steps_done"
        case wallSeconds = "wall_seconds"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case error, stalls
        case lastGoodStep = "last_good_step"
        case notBefore = "not_before"
    }

    /// "PPO clip=0.2 Pendulum seed 3": how messages name a run.
    public var label: String {
        var s = method
        if let param, let value { s += " \(param)=\(formatNumber(value))" }
        return s + " \(env) seed \(seed)"
    }

    /// The string options of the run's config (its `"choices"`, e.g. ["ablation": "no_psi"]);
    /// empty when it has none.
    public var choices: [String: String] {
        struct Options: Decodable { var choices: [String: String]? }
        return (try? JSONDecoder().decode(Options.self, from: Data(configJSON.utf8)).choices) ?? [:]
    }
}

/// A row of `metrics`.
public struct MetricRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "metrics"
    public var runID: Int64
    public var step: Int64
    public var key: String
    public var value: Double

    public init(runID: Int64, step: Int64, key: String, value: Double) {
        self.runID = runID
        self.step = step
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case step, key, value
    }
}

/// A sweep to insert: its name and normalised spec (the spec's JSON and its hash).
public struct NewSweep: Sendable, Equatable {
    public var name: String
    public var specJSON: String
    public var specHash: String
    public init(name: String, specJSON: String, specHash: String) {
        self.name = name
        self.specJSON = specJSON
        self.specHash = specHash
    }
}

/// A run to insert (status pending).
public struct NewRun: Sendable, Equatable {
    public var configJSON: String
    public var configHash: String
    public var method: String
    public var param: String?
    public var value: Double?
    public var env: String
    public var seed: UInt64
    public var steps: Int
    public init(configJSON: String, configHash: String, method: String, param: String?, value: Double?,
                env: String, seed: UInt64, steps: Int) {
        self.configJSON = configJSON
        self.configHash = configHash
        self.method = method
        self.param = param
        self.value = value
        self.env = env
        self.seed = seed
        self.steps = steps
    }
}

/// What `insertSweep` did.
public enum SweepInsertion: Sendable, Equatable {
    /// The sweep was new: it and its runs were inserted.
    case inserted(sweepID: Int64, runs: Int)
    /// A sweep of that name and the same spec (and the same runs) was already stored: nothing written.
    case unchanged(sweepID: Int64)
    /// An edited sweep file was stored under its name with `--extend`: these runs were added.
    case extended(sweepID: Int64, added: Int)

    public var sweepID: Int64 {
        switch self {
        case let .inserted(id, _), let .unchanged(id), let .extended(id, _): return id
        }
    }
}

/// Runs per status (of one sweep or of the whole store) and step totals for progress.
public struct StatusCounts: Sendable, Equatable, Codable {
    public var pending = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    /// Sum of the step budgets of the counted runs.
    public var stepsTotal: Int64 = 0
    /// Steps taken by runs that are running or done (a pending run's partial progress is not counted).
    public var stepsDone: Int64 = 0
    /// Step budgets of the runs that are pending or running.
    public var stepsRemaining: Int64 = 0

    public init() {}

    /// The counts from one row per status: its runs, the sum of their `steps` and of their
    /// `steps_done` (as the store's SQL sums them, in Double), saturated into Int64 at the end:
    /// budgets summing past 2^63 (an old store, a hand-edited one) give Int64.max, not a trap.
    /// Unknown statuses are left out.
    public init(groups: [(status: String, runs: Int, steps: Double, stepsDone: Double)]) {
        var total = 0.0, remaining = 0.0, doneSteps = 0.0
        for group in groups {
            guard let status = RunStatus(rawValue: group.status) else { continue }
            total += group.steps
            switch status {
            case .pending: pending = group.runs; remaining += group.steps
            case .running: running = group.runs; remaining += group.steps - group.stepsDone; doneSteps += group.stepsDone
            case .done: done = group.runs; doneSteps += group.stepsDone
            case .failed: failed = group.runs
            }
        }
        stepsTotal = Self.saturated(total)
        stepsRemaining = Self.saturated(remaining)
        stepsDone = Self.saturated(doneSteps)
    }

    /// `x` as Int64, clamped to its range (NaN as 0).
    static func saturated(_ x: Double) -> Int64 {
        if x.isNaN { return 0 }
        if x >= 0x1p63 { return .max }
        if x <= -0x1p63 { return .min }
        return Int64(x)
    }

    public var total: Int { pending + running + done + failed }
    /// True when no run is pending or running.
    public var isSettled: Bool { pending == 0 && running == 0 }

    public subscript(status: RunStatus) -> Int {
        switch status {
        case .pending: return pending
        case .running: return running
        case .done: return done
        case .failed: return failed
        }
    }
}

/// Shortest decimal text of a number: integers without ".0".
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
