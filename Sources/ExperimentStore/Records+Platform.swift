import Foundation
import GRDB

/// Where an attempt ran, as far as its numbers are concerned: the BLAS kernel and the CPU (see
/// `NumericPlatform` in LinearAlgebra, which reads them for this process). A run is
/// bit-identical only within one binary and one kernel.
public struct Platform: Codable, Sendable, Equatable, CustomStringConvertible {
    public var blasKernel: String
    public var cpu: String

    public init(blasKernel: String, cpu: String) {
        self.blasKernel = blasKernel
        self.cpu = cpu
    }

    /// "BLAS kernel SkylakeX on AMD EPYC (…)".
    public var description: String { "BLAS kernel \(blasKernel) on \(cpu)" }

    enum CodingKeys: String, CodingKey {
        case blasKernel = "blas_kernel"
        case cpu
    }
}

/// A row of `run_attempts`: one attempt at a run and the platform it ran on.
public struct RunAttempt: Codable, Sendable, Equatable, FetchableRecord {
    public var runID: Int64
    public var attempt: Int
    public var worker: String
    public var blasKernel: String
    public var cpu: String
    public var startedAt: String

    public var platform: Platform { Platform(blasKernel: blasKernel, cpu: cpu) }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case attempt, worker
        case blasKernel = "blas_kernel"
        case cpu
        case startedAt = "started_at"
    }
}
