import COpenBLAS
import Foundation

/// Choosing OpenBLAS's kernel when the user has not (issue 12): Debian's OpenBLAS 0.3.21 does not
/// know newer CPUs and falls back to its Prescott SSE3 kernels (2.8× slower on an AVX-512 Xeon).
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when it is loaded, so an executable that would run a
/// weaker kernel than its CPU supports sets the variable and replaces itself (`execv`) with the
/// same arguments, before doing anything else. A user's `OPENBLAS_CORETYPE` is never overridden.
extension NumericPlatform {
    /// x86-64 kernels from weakest to strongest, by OpenBLAS's names (Zen runs Haswell's kernels).
    static let kernelRanks: [String: Int] = [
        "prescott": 0, "core2": 1, "penryn": 2, "dunnington": 3, "nehalem": 4, "atom": 0, "sandybridge": 5,
        "barcelona": 4, "bulldozer": 5, "piledriver": 5, "steamroller": 5, "excavator": 5,
        "haswell": 6, "zen": 6, "skylakex": 7, "cooperlake": 8, "sapphirerapids": 9,
    ]

    /// The strongest kernel of OpenBLAS 0.3.21 that a CPU with these /proc/cpuinfo flags runs:
    /// Cooperlake (AVX-512 with BF16), SkylakeX (AVX-512 F/BW/DQ/VL/CD), Haswell (AVX2 and FMA),
    /// SandyBridge (AVX); nil when none of these applies (or on another architecture).
    static func bestKernel(flags: Set<String>) -> String? {
        let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains)
        if avx512 && flags.contains("avx512_bf16") { return "Cooperlake" }
        if avx512 { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        if flags.contains("avx") { return "SandyBridge" }
        return nil
    }

    /// The flags of the first processor in a /proc/cpuinfo text.
    static func cpuFlags(cpuinfo: String?) -> Set<String> {
        for line in (cpuinfo ?? "").split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The kernel to force instead of `chosen` (OpenBLAS's own pick), or nil to keep it: when
    /// the user set OPENBLAS_CORETYPE (`userSetting`), when the CPU's best is not stronger than
    /// `chosen`, or when either is unknown.
    static func upgrade(chosen: String, userSetting: String?, flags: Set<String>) -> String? {
        if let userSetting, !userSetting.isEmpty { return nil }
        guard let best = bestKernel(flags: flags), let bestRank = kernelRanks[best.lowercased()],
              let chosenRank = kernelRanks[chosen.lowercased()], bestRank > chosenRank else { return nil }
        return best
    }

    /// How this process's kernel was chosen: "OPENBLAS_CORETYPE" (the user's), "auto (OpenBLAS
    /// picked K)" (this mechanism replaced the process), or "OpenBLAS" (its own pick kept).
    public static var blasKernelSource: String {
        let env = ProcessInfo.processInfo.environment
        if let from = env[autoMarker], !from.isEmpty { return "auto (OpenBLAS picked \(from))" }
        if let set = env["OPENBLAS_CORETYPE"], !set.isEmpty { return "OPENBLAS_CORETYPE" }
        return "OpenBLAS"
    }

    /// Set in the replaced process to the kernel OpenBLAS had picked.
    static let autoMarker = "MCPO_BLAS_KERNEL_AUTO_FROM"

    /// Called first by every executable: replaces the process with one running the CPU's best
    /// kernel if OpenBLAS picked a weaker one and the user did not choose. Returns (doing
    /// nothing) otherwise, or if the replacement fails. `MCPO_FAULT_BLAS_PICKED` (a test hook)
    /// pretends OpenBLAS picked that kernel.
    public static func useBestKernel() {
        let env = ProcessInfo.processInfo.environment
        let chosen = env["MCPO_FAULT_BLAS_PICKED"].flatMap { $0.isEmpty ? nil : $0 } ?? blasKernel
        let flags = cpuFlags(cpuinfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        guard let best = upgrade(chosen: chosen, userSetting: env["OPENBLAS_CORETYPE"], flags: flags) else { return }
        setenv("OPENBLAS_CORETYPE", best, 1)
        setenv(autoMarker, chosen, 1)
        unsetenv("MCPO_FAULT_BLAS_PICKED")
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if execv failed: carry on with OpenBLAS's kernel, saying so once.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(autoMarker)
        FileHandle.standardError.write(Data(
            "warning: could not restart with OpenBLAS kernel \(best) (\(String(cString: strerror(errno)))); running \(chosen)\n".utf8))
    }
}
