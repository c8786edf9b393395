import Foundation
import Testing

/// The module boundaries of `docs/architecture.md`, checked by reading the sources: dependencies point one way,
/// Platform ← Directory ← Accounts ← the feature modules (Grants ← Dialogue ← Agreements ← Partnerships ← Surveys),
/// and a module reads another only through its public query and service types — never its models (tables),
/// controllers or migrations. The rules target has no Vapor, Fluent or database in it.
@Suite("Architecture")
struct ArchitectureTests {
    /// Lower first; a module may name types of the modules before it.
    static let order = ["Platform", "Directory", "Accounts", "Grants", "Dialogue", "Agreements", "Partnerships", "Surveys"]
    /// Folders whose types are a module's own business.
    static let privateFolders: Set<String> = ["Models", "Controllers", "Migrations"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Sources").standardized

    struct SourceFile { var module: String; var folder: String; var path: String; var text: String }
    struct Declaration: Hashable { var module: String; var folder: String }

    static func sources() throws -> [SourceFile] {
        var out: [SourceFile] = []
        let app = root.appendingPathComponent("App")
        for module in order {
            let dir = app.appendingPathComponent(module)
            guard let walker = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let rel as String in walker where rel.hasSuffix(".swift") {
                let folder = rel.split(separator: "/").first.map(String.init) ?? ""
                out.append(SourceFile(module: module, folder: rel.contains("/") ? folder : "", path: "\(module)/\(rel)",
                                      text: try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)))
            }
        }
        return out
    }

    /// Type names declared at the top level of each file.
    static func declarations(_ files: [SourceFile]) -> [String: Declaration] {
        var out: [String: Declaration] = [:]
        let pattern = try! NSRegularExpression(pattern: #"^(?:public\s+|internal\s+)?(?:final\s+)?(?:class|struct|enum|protocol|actor|typealias)\s+([A-Z][A-Za-z0-9_]*)"#,
                                               options: [.anchorsMatchLines])
        for f in files {
            let ns = f.text as NSString
            for m in pattern.matches(in: f.text, range: NSRange(location: 0, length: ns.length)) {
                out[ns.substring(with: m.range(at: 1))] = Declaration(module: f.module, folder: f.folder)
            }
        }
        return out
    }

    /// Identifiers used in code (comments and string literals left out).
    static func identifiers(_ text: String) -> Set<String> {
        var code = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = String(line)
            if let r = l.range(of: "//") { l = String(l[..<r.lowerBound]) }
            code += l.replacingOccurrences(of: #""(?:\\.|[^"\\])*""#, with: "\"\"", options: .regularExpression) + "\n"
        }
        var out = Set<String>(), current = ""
        for ch in code {
            if ch.isLetter || ch.isNumber || ch == "_" { current.append(ch) } else { if current.first?.isUppercase == true { out.insert(current) }; current = "" }
        }
        return out
    }

    /// Every forbidden reference: "Grants/Services/X.swift → Organisation (Directory/Models)".
    static func violations(_ files: [SourceFile]) -> [String] {
        let decls = declarations(files)
        var out: [String] = []
        for f in files {
            guard let mine = order.firstIndex(of: f.module) else { continue }
            for name in identifiers(f.text).sorted() {
                guard let d = decls[name], d.module != f.module, let theirs = order.firstIndex(of: d.module) else { continue }
                if theirs > mine {
                    out.append("\(f.path) → \(name) (\(d.module)/\(d.folder)): a lower module names a higher one")
                } else if privateFolders.contains(d.folder) {
                    out.append("\(f.path) → \(name) (\(d.module)/\(d.folder)): read through \(d.module)'s query or service types instead")
                }
            }
        }
        return out
    }

    @Test("no module names a higher module's types, nor another module's models, controllers or migrations")
    func boundaries() throws {
        let files = try Self.sources()
        #expect(files.count > 100)
        let found = Self.violations(files)
        #expect(found.isEmpty, Comment(rawValue: "\(found.count) forbidden references:\n" + found.joined(separator: "\n")))
    }

    @Test("the check finds a forbidden reference when there is one")
    func checkCanFail() throws {
        var files = try Self.sources()
        files.append(SourceFile(module: "Grants", folder: "Services", path: "Grants/Services/Probe.swift",
                                text: "let x = try await Organisation.query(on: db).all() // reads the Directory's table"))
        files.append(SourceFile(module: "Directory", folder: "Services", path: "Directory/Services/Probe.swift",
                                text: "let y = ForumService.self"))
        let found = Self.violations(files)
        #expect(found.contains { $0.hasPrefix("Grants/Services/Probe.swift → Organisation (Directory/Models)") })
        #expect(found.contains { $0.hasPrefix("Directory/Services/Probe.swift → ForumService (Dialogue/Services): a lower module") })
    }

    @Test("the rules target is plain Swift: no Vapor, Fluent, SQL or NIO")
    func rulesArePlain() throws {
        let dir = Self.root.appendingPathComponent("SamverkaRules")
        let walker = try #require(FileManager.default.enumerator(atPath: dir.path))
        var checked = 0
        for case let rel as String in walker where rel.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                #expect(line == "import Foundation", Comment(rawValue: "\(rel): \(line)"))
            }
            checked += 1
        }
        #expect(checked >= 20)
    }
}
