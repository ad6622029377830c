@testable import ExperimentStore
import Foundation
import Testing

/// schema/*.sql is the source of truth; SchemaMigrations.swift is generated from it by
/// scripts/embed-schema.sh. They must agree.
@Test func embeddedSchemaEqualsSchemaFiles() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let schema = root.appendingPathComponent("schema")
    let files = try FileManager.default.contentsOfDirectory(atPath: schema.path)
        .filter { $0.hasSuffix(".sql") && $0.first?.isNumber == true }
        .sorted()
    #expect(!files.isEmpty)
    #expect(SchemaMigrations.all.map(\.id) == files.map { String($0.dropLast(4)) },
            "run scripts/embed-schema.sh after changing schema/")
    for (file, migration) in zip(files, SchemaMigrations.all) {
        let text = try String(contentsOf: schema.appendingPathComponent(file), encoding: .utf8)
        // The script embeds the file followed by a newline before the closing delimiter.
        #expect(migration.sql + "\n" == text || migration.sql == text,
                "\(file) differs from SchemaMigrations.swift: run scripts/embed-schema.sh")
    }
}
