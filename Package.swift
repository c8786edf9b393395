// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "samverka",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "samverka", targets: ["Samverka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        // Every rule of the domain (eligibility, payment schedules, orgnr, jäv, permissions …) in plain Swift:
        // no Vapor, no Fluent, no database, so the law can be read and tested on its own.
        .target(
            name: "SamverkaRules",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "App",
            dependencies: [
                .target(name: "SamverkaRules"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "Samverka",
            dependencies: [.target(name: "App")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "SamverkaRulesTests",
            dependencies: [.target(name: "SamverkaRules")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                .target(name: "App"),
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
