import Crypto
import Foundation
import Vapor
import SamverkaRules

/// Where the audit chain's key comes from: `SAMVERKA_AUDIT_KEY`, or the key file (by default `var/audit.key`,
/// created with 32 random bytes on the first start). Never the database: the key is what makes a rewritten
/// row detectable for someone who can write the database.
enum AuditKeySetup {
    static func resolve(_ config: AppConfig, directory: String, logger: Logger) throws -> SymmetricKey {
        if let text = config.auditKey {
            guard text.count >= 32 else { throw CommandFailed(description: "SAMVERKA_AUDIT_KEY måste vara minst 32 tecken.") }
            return SymmetricKey(data: Data(text.utf8))
        }
        let path = config.auditKeyFile.hasPrefix("/") ? config.auditKeyFile : directory + config.auditKeyFile
        let fm = FileManager.default
        if let data = fm.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 32 else { throw CommandFailed(description: "Nyckelfilen \(path) är för kort (minst 32 tecken).") }
            return SymmetricKey(data: Data(text.utf8))
        }
        let text = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard fm.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailed(description: "Kan inte skriva granskningsloggens nyckel till \(path).")
        }
        logger.notice("Created the audit log key in \(path); keep a copy outside the server, and give every node the same key (SAMVERKA_AUDIT_KEY).")
        return SymmetricKey(data: Data(text.utf8))
    }
}
