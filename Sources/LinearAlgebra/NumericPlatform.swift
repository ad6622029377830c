import COpenBLAS
import Foundation

/// What a run's numbers depend on besides its config, its seed and the binary: the BLAS kernel
/// OpenBLAS chose for this process (from the CPU, or forced by `OPENBLAS_CORETYPE`) and the CPU.
/// Different kernels sum a matrix product in different orders, so the same run gives numbers
/// that differ in the last bits, and then diverge; on one binary and one kernel it is bit-identical.
public enum NumericPlatform {
    /// OpenBLAS's name of the kernel in use, e.g. "SkylakeX", "Haswell", "Prescott".
    public static let blasKernel: String = {
        guard let name = openblas_get_corename() else { return "unknown" }
        let text = String(cString: name).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "unknown" : text
    }()

    /// The CPU, e.g. "AMD EPYC (AuthenticAMD family 25 model 17)", from /proc/cpuinfo.
    public static let cpu: String = cpuModel(cpuinfo: try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))

    /// "model name (vendor family F model M)" from the first processor of a /proc/cpuinfo text;
    /// the machine architecture alone when there is none.
    static func cpuModel(cpuinfo: String?) -> String {
        var fields: [String: String] = [:]
        for line in (cpuinfo ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if !fields.isEmpty { break } else { continue } }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        let name = fields["model name"] ?? fields["Model"] ?? fields["CPU part"].map { "CPU part \($0)" }
        var identity: [String] = []
        if let vendor = fields["vendor_id"] ?? fields["CPU implementer"].map({ "implementer \($0)" }) { identity.append(vendor) }
        if let family = fields["cpu family"] { identity.append("family \(family)") }
        if let model = fields["model"] { identity.append("model \(model)") }
        let architecture = machine()
        guard let name, !name.isEmpty else { return identity.isEmpty ? architecture : identity.joined(separator: " ") }
        return identity.isEmpty ? name : "\(name) (\(identity.joined(separator: " ")))"
    }

    private static func machine() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
