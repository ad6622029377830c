import Foundation
@testable import LinearAlgebra
import Testing

/// The platform recorded with every attempt: OpenBLAS's kernel name and the CPU.
@Suite struct NumericPlatformTests {
    /// The kernel in use is OpenBLAS's: the one forced by OPENBLAS_CORETYPE when that is set (as
    /// in the test script's second pass, which this proves ran under the kernel it names).
    @Test func blasKernelIsTheOneInUse() {
        let kernel = NumericPlatform.blasKernel
        #expect(!kernel.isEmpty && kernel != "unknown")
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !forced.isEmpty {
            #expect(kernel.lowercased() == forced.lowercased(), "OPENBLAS_CORETYPE=\(forced) but OpenBLAS runs \(kernel)")
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
