import Foundation
@testable import LinearAlgebra
import Testing

/// The platform recorded with every attempt: OpenBLAS's kernel name and the CPU.
@Suite struct NumericPlatformTests {
    /// The kernel in use is OpenBLAS's. The test script's second pass forces one with
    /// OPENBLAS_CORETYPE and names it in MCPO_EXPECTED_BLAS_KERNEL: this proves the pass ran
    /// under the kernel it names (and not OpenBLAS's fallback for a kernel the CPU lacks).
    @Test func blasKernelIsTheOneInUse() {
        let kernel = NumericPlatform.blasKernel
        #expect(!kernel.isEmpty && kernel != "unknown")
        if let expected = ProcessInfo.processInfo.environment["MCPO_EXPECTED_BLAS_KERNEL"], !expected.isEmpty {
            #expect(kernel.lowercased() == expected.lowercased(), "expected BLAS kernel \(expected), OpenBLAS runs \(kernel)")
        }
    }

    @Test func cpuModelNamesVendorFamilyAndModel() {
        let intel = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 207
            model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.30GHz
            flags\t\t: fpu vme

            processor\t: 1
            vendor_id\t: OtherVendor
            model name\t: second processor

            """
        #expect(NumericPlatform.cpuModel(cpuinfo: intel) == "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.30GHz (GenuineIntel family 6 model 207)")
        let arm = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n\n"
        #expect(NumericPlatform.cpuModel(cpuinfo: arm) == "CPU part 0xd0c (implementer 0x41)")
        #expect(!NumericPlatform.cpuModel(cpuinfo: nil).isEmpty)
        #expect(!NumericPlatform.cpu.isEmpty)
    }
}
