import Foundation
@testable import LinearAlgebra
import Testing

/// Every executable runs the CPU's best OpenBLAS kernel unless the user chose one (issue 12, 6a).
@Suite struct BestKernelTests {
    static let emeraldRapids: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl",
                                             "avx512cd", "avx512_bf16", "amx_tile"]

    @Test func bestKernelFollowsTheFlags() {
        #expect(NumericPlatform.bestKernel(flags: Self.emeraldRapids) == "Cooperlake")
        #expect(NumericPlatform.bestKernel(flags: Self.emeraldRapids.subtracting(["avx512_bf16"])) == "SkylakeX")
        #expect(NumericPlatform.bestKernel(flags: ["avx", "avx2", "fma", "avx512f"]) == "Haswell")
        #expect(NumericPlatform.bestKernel(flags: ["sse3", "avx"]) == "SandyBridge")
        #expect(NumericPlatform.bestKernel(flags: ["sse3"]) == nil)
        #expect(NumericPlatform.cpuFlags(cpuinfo: "processor\t: 0\nflags\t\t: fpu avx2 fma\n\nflags\t: sse3\n") == ["fpu", "avx2", "fma"])
    }

    @Test func onlyAWeakerPickIsReplacedAndNeverTheUsers() {
        let flags = Self.emeraldRapids
        #expect(NumericPlatform.upgrade(chosen: "Prescott", userSetting: nil, flags: flags) == "Cooperlake")
        #expect(NumericPlatform.upgrade(chosen: "Prescott", userSetting: "", flags: flags) == "Cooperlake")
        #expect(NumericPlatform.upgrade(chosen: "Prescott", userSetting: "Prescott", flags: flags) == nil)
        #expect(NumericPlatform.upgrade(chosen: "Cooperlake", userSetting: nil, flags: flags) == nil)
        #expect(NumericPlatform.upgrade(chosen: "SapphireRapids", userSetting: nil, flags: flags) == nil)
        #expect(NumericPlatform.upgrade(chosen: "Zen", userSetting: nil, flags: ["avx2", "fma"]) == nil)
        #expect(NumericPlatform.upgrade(chosen: "SomethingNew", userSetting: nil, flags: flags) == nil)
    }

    /// The executable replaces itself: with OpenBLAS pretending to pick Prescott (the test hook)
    /// `mcpo-bench kernel` runs the CPU's best; with the user's OPENBLAS_CORETYPE it runs that.
    @Test func executablesRestartWithTheBestKernel() throws {
        let bench = try #require(CommandLineTests.binary.map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("mcpo-bench").path
        })
        func kernel(_ extra: [String: String]) throws -> String {
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_CORETYPE"] = nil
            environment["MCPO_BLAS_KERNEL_AUTO_FROM"] = nil
            environment.merge(extra) { _, new in new }
            let process = Process(), pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: bench)
            process.arguments = ["kernel", "--verbose"]
            process.environment = environment
            process.standardOutput = pipe
            try process.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let flags = NumericPlatform.cpuFlags(cpuinfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        if let best = NumericPlatform.bestKernel(flags: flags) {
            #expect(try kernel(["MCPO_FAULT_BLAS_PICKED": "Prescott"])
                        == "\(best) (auto (OpenBLAS picked Prescott)) on \(NumericPlatform.cpu)")
        } else {  // no x86-64 kernel known for this CPU: OpenBLAS's own pick stays
            #expect(try kernel(["MCPO_FAULT_BLAS_PICKED": "Prescott"]).hasSuffix("(OpenBLAS) on \(NumericPlatform.cpu)"))
        }
        #expect(try kernel(["MCPO_FAULT_BLAS_PICKED": "Prescott", "OPENBLAS_CORETYPE": "Prescott"])
                    == "Prescott (OPENBLAS_CORETYPE) on \(NumericPlatform.cpu)")
    }
}
