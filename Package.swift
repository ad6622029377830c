// swift-tools-version:6.0
import PackageDescription

/// Hot numeric modules are compiled without bounds/overflow checks in release builds.
let fast: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "mcpo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mcpo-sweep", targets: ["mcpo-sweep"]),
        .executable(name: "mcpo-report", targets: ["mcpo-report"]),
        .executable(name: "mcpo-bench", targets: ["mcpo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=off"], .when(configuration: .release))]),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: fast),
        .target(name: "Networks", dependencies: ["LinearAlgebra"], swiftSettings: fast),
        .target(name: "CBox2D", cxxSettings: [.unsafeFlags(["-O2"], .when(configuration: .release))],
                linkerSettings: [.linkedLibrary("box2d")]),
        // MuJoCo 4.0.0 (issue 16), installed into /usr/local by scripts/install-deps.sh.
        .systemLibrary(name: "CMuJoCo", path: "Sources/CMuJoCo", pkgConfig: "mujoco"),
        .target(name: "Environments", dependencies: ["CBox2D", "CMuJoCo"], swiftSettings: fast),
        .target(name: "BinaryCoding"),
        .target(name: "Trainer", dependencies: ["Networks", "Environments", "LinearAlgebra", "BinaryCoding"], swiftSettings: fast),
        .target(name: "ExperimentStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // The PostgreSQL backend of the store's contract (issue 15): only the tools link it.
        .target(name: "PostgresStore", dependencies: [
            "ExperimentStore", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Sweep", dependencies: [
            "ExperimentStore", "PostgresStore", "Trainer", "Environments", "LinearAlgebra",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "CLISupport", dependencies: [
            "ExperimentStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo"),
        .target(name: "Figures", dependencies: ["CCairo"]),
        .target(name: "Report", dependencies: ["ExperimentStore", "PostgresStore", "Trainer", "Environments", "Figures", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "mcpo-sweep", dependencies: [
            "Sweep", "PostgresStore", "Trainer", "ExperimentStore", "LinearAlgebra", "CLISupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "LivePage", dependencies: [
            "Report", "ExperimentStore", "Figures",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "mcpo-report", dependencies: [
            "Report", "PostgresStore", "ExperimentStore", "Figures", "LivePage", "CLISupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "mcpo-bench", dependencies: [
            "Trainer", "Environments", "Networks", "ExperimentStore", "PostgresStore", "LinearAlgebra", "Sweep", "Report", "LivePage", "CLISupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fast),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "LinearAlgebra", "Environments"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BinaryCodingTests", dependencies: ["BinaryCoding"]),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "Networks", "Environments", "BinaryCoding"]),
        .testTarget(name: "ExperimentStoreTests", dependencies: ["ExperimentStore", "PostgresStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "ExperimentStore", "Trainer", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "ExperimentStore", "Trainer", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"]),   // read by path (#filePath), as the repository's other files
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "LivePageTests", dependencies: ["LivePage", "Report", "ExperimentStore", "Figures"]),
    ]
)
