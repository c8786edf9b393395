import Foundation
import Vapor
import SamverkaRules

/// Every setting the application reads from the environment, parsed once at start-up.
/// Handlers never read the environment themselves; they read `req.application.config`.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public enum LogFormat: String, Sendable { case text, json }

    public var database: DatabaseChoice
    /// Run pending migrations when the server starts (`SAMVERKA_AUTO_MIGRATE`, default on).
    public var autoMigrate: Bool
    /// Load demo data on first start (`SAMVERKA_DEMO`, default on).
    public var loadDemoOnFirstStart: Bool
    /// Deprecated break-glass token (`SAMVERKA_ADMIN_TOKEN`); acts as the installation admin when set.
    public var legacyAdminToken: String?
    /// The address users reach the installation at; used in links in e-mails and feeds.
    public var publicBaseURL: String
    public var logFormat: LogFormat
    /// Directory where the file mailer writes messages (`SAMVERKA_MAIL_DIR`).
    public var mailDirectory: String
    /// SMTP relay (`SMTP_HOST`, `SMTP_PORT`, `SMTP_FROM`); when unset the file mailer is used.
    public var smtpHost: String?
    public var smtpPort: Int
    /// Implicit TLS to the relay (`SMTP_TLS=1`, port 465).
    public var smtpTLS: Bool
    public var smtpUser: String?
    public var smtpPassword: String?
    public var mailFrom: String
    /// Trust `X-Forwarded-For` from a load balancer when computing the client address.
    public var trustForwardedFor: Bool
    /// bcrypt cost; lowered only by the test suite.
    public var bcryptCost: Int
    /// Session lifetimes in seconds.
    public var sessionIdleTimeout: Int
    public var sessionAbsoluteTimeout: Int
    /// 360Giving identifier prefix for grant ids (`SAMVERKA_360G_PREFIX`).
    public var giving360Prefix: String
    /// The publisher named in the 360Giving data package.
    public var giving360Publisher: String
    /// SEK per EUR for the de minimis check (`SAMVERKA_EUR_SEK`).
    public var eurToSek: Double
    /// Bearer token the Prometheus scraper presents to read `/metrics` (`SAMVERKA_METRICS_TOKEN`); off when unset.
    public var metricsToken: String?
    /// The audit chain's HMAC key (`SAMVERKA_AUDIT_KEY`, at least 32 characters), the same on every node. When
    /// unset, the key is read from `auditKeyFile` (created with a random key on first start).
    public var auditKey: String?
    /// `SAMVERKA_AUDIT_KEY_FILE`, default `var/audit.key` — outside the database, so a database writer cannot read it.
    public var auditKeyFile: String
    /// Seconds between background-job ticks on this node (`SAMVERKA_JOB_SECONDS`, default 30; 1–3600). Periodic
    /// jobs claim their interval in the database, so more nodes or shorter ticks never run a job more often.
    public var jobTickSeconds: Int = 30
    /// How much of an SQLite file each connection reads through a memory map (`SAMVERKA_SQLITE_MMAP_MB`). The
    /// server maps up to 1 GiB: its searches and pages read at random, and mapped pages are the OS's cache,
    /// shared by every connection. Other commands (export, import, bench-data …) read each page once or write, so
    /// they map nothing: a mapped file counts in a process's resident memory, and a 360Giving export of a
    /// million grants showed 860 MB resident (18 MB of it its own) where it needs no more than its page caches.
    public var sqliteMapBytes: Int = AppConfig.serverMapBytes

    public static let serverMapBytes = 1 << 30

    public var secureCookies: Bool { publicBaseURL.lowercased().hasPrefix("https://") }

    /// The configuration from the environment, for `command` (the first argument: `serve` when none is given).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment, command: String = "serve") -> AppConfig {
        func flag(_ key: String, default value: Bool) -> Bool {
            guard let raw = env[key]?.lowercased() else { return value }
            return !["0", "false", "no", "off"].contains(raw)
        }
        let database: DatabaseChoice
        if let url = env["DATABASE_URL"], !url.isEmpty {
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: env["DATABASE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "samverka.sqlite")
        }
        var config = AppConfig(
            database: database,
            autoMigrate: flag("SAMVERKA_AUTO_MIGRATE", default: true),
            loadDemoOnFirstStart: flag("SAMVERKA_DEMO", default: true),
            legacyAdminToken: env["SAMVERKA_ADMIN_TOKEN"].flatMap { $0.count >= 16 ? $0 : nil },
            publicBaseURL: env["SAMVERKA_BASE_URL"] ?? "http://127.0.0.1:8080",
            logFormat: LogFormat(rawValue: env["LOG_FORMAT"] ?? "text") ?? .text,
            mailDirectory: env["SAMVERKA_MAIL_DIR"] ?? "var/mail",
            smtpHost: env["SMTP_HOST"].flatMap { $0.isEmpty ? nil : $0 },
            smtpPort: Int(env["SMTP_PORT"] ?? "") ?? 25,
            smtpTLS: flag("SMTP_TLS", default: false),
            smtpUser: env["SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 },
            smtpPassword: env["SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 },
            mailFrom: env["SMTP_FROM"] ?? "samverka@localhost",
            trustForwardedFor: flag("SAMVERKA_TRUST_PROXY", default: false),
            bcryptCost: Int(env["SAMVERKA_BCRYPT_COST"] ?? "") ?? 12,
            sessionIdleTimeout: Int(env["SAMVERKA_SESSION_IDLE"] ?? "") ?? 2 * 3600,
            sessionAbsoluteTimeout: Int(env["SAMVERKA_SESSION_MAX"] ?? "") ?? 12 * 3600,
            giving360Prefix: env["SAMVERKA_360G_PREFIX"] ?? "360G-samverka",
            giving360Publisher: env["SAMVERKA_360G_PUBLISHER"] ?? "Samverka",
            eurToSek: Double(env["SAMVERKA_EUR_SEK"] ?? "") ?? 11.5,
            metricsToken: env["SAMVERKA_METRICS_TOKEN"].flatMap { $0.count >= 16 ? $0 : nil },
            auditKey: env["SAMVERKA_AUDIT_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            auditKeyFile: env["SAMVERKA_AUDIT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "var/audit.key"
        )
        if let seconds = Int(env["SAMVERKA_JOB_SECONDS"] ?? ""), (1...3600).contains(seconds) { config.jobTickSeconds = seconds }
        if let mib = Int(env["SAMVERKA_SQLITE_MMAP_MB"] ?? ""), (0...65_536).contains(mib) {
            config.sqliteMapBytes = mib << 20
        } else if command != "serve" {
            config.sqliteMapBytes = 0
        }
        return config
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    public var config: AppConfig {
        get { storage[ConfigKey.self] ?? AppConfig.fromEnvironment() }
        set { storage[ConfigKey.self] = newValue }
    }
}
