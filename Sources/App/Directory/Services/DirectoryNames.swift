import Fluent
import SQLKit
import Foundation

/// The directory records a page wants to name: public bodies, units, organisations, contact roles (their titles)
/// and roles whose current holder it shows.
struct NameRequest: Sendable, Equatable {
    var bodies: Set<UUID> = []
    var units: Set<UUID> = []
    var organisations: Set<UUID> = []
    var roleTitles: Set<UUID> = []
    var roleHolders: Set<UUID> = []

    var isEmpty: Bool { bodies.isEmpty && units.isEmpty && organisations.isEmpty && roleTitles.isEmpty && roleHolders.isEmpty }

    mutating func formUnion(_ other: NameRequest) {
        bodies.formUnion(other.bodies); units.formUnion(other.units); organisations.formUnion(other.organisations)
        roleTitles.formUnion(other.roleTitles); roleHolders.formUnion(other.roleHolders)
    }
}

/// The names a `NameRequest` asked for. A record that does not exist is simply absent.
struct DirectoryNames: Sendable, Equatable {
    var bodies: [UUID: String] = [:]
    var units: [UUID: String] = [:]
    var organisations: [UUID: String] = [:]
    var roleTitles: [UUID: String] = [:]
    /// The person who holds each role now (roles nobody holds are absent).
    var roleHolders: [UUID: RoleHolder] = [:]
}

extension DirectoryQueries {
    /// Every name a page needs, in one statement (a `UNION ALL` of one select per kind): a forum page names its
    /// body, its seats' organisations, roles and role holders and its questions' bodies, units and organisations,
    /// and reading each kind separately cost a statement and a hand-over to the database thread each.
    static func names(_ wanted: NameRequest, on db: any Database) async throws -> DirectoryNames {
        // Each select names its columns (kind, id, name, email, user_id, starts_on): a statement's column names are
        // its first select's, and any kind may come first. At most 500 ids per select.
        var parts: [(binds: Int, sql: SQLQueryString)] = []
        func add(_ ids: Set<UUID>, kind: String, id: String, name: String, extra: String = "CAST(NULL AS TEXT) AS email, CAST(NULL AS TEXT) AS user_id, CAST(NULL AS TEXT) AS starts_on",
                 from table: String, where condition: String = "") {
            for chunk in Array(ids).chunked(by: 500) {
                let sql: SQLQueryString = "SELECT '\(unsafeRaw: kind)' AS k, CAST(\(unsafeRaw: id) AS TEXT) AS id, \(unsafeRaw: name) AS name, \(unsafeRaw: extra) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: condition)\(unsafeRaw: id) IN (\(binds: Array(chunk)))"
                parts.append((chunk.count, sql))
            }
        }
        add(wanted.bodies, kind: "b", id: "id", name: "name", from: "public_bodies")
        add(wanted.units, kind: "u", id: "id", name: "name", from: "units")
        add(wanted.organisations, kind: "o", id: "id", name: "name", from: "organisations")
        add(wanted.roleTitles, kind: "r", id: "id", name: "title", from: "contact_roles")
        add(wanted.roleHolders, kind: "h", id: "role_id", name: "holder_name",
            extra: "holder_email AS email, CAST(user_id AS TEXT) AS user_id, starts_on AS starts_on", from: "role_tenures", where: "ends_on IS NULL AND ")
        guard !parts.isEmpty else { return DirectoryNames() }
        // Selects joined while a statement stays within 500 binds (SQLite's limit is far above; a plan stays small).
        var statements: [SQLQueryString] = []
        var current: SQLQueryString?, bound = 0
        for part in parts {
            if let c = current, bound + part.binds <= 500 {
                current = c + " UNION ALL " + part.sql
                bound += part.binds
            } else {
                if let c = current { statements.append(c) }
                current = part.sql
                bound = part.binds
            }
        }
        if let current { statements.append(current) }
        struct Name: Sendable { var kind: String; var id: UUID; var name: String; var email: String?; var userID: UUID?; var startsOn: String? }
        let rows = try await RowReader.rows(on: db, statements) { _, r in
            Name(kind: try r.required("k"), id: try r.uuid("id"), name: try r.required("name"), email: r.string("email"),
                 userID: r.optionalUUID("user_id"), startsOn: r.string("starts_on"))
        }
        var out = DirectoryNames()
        var holderSince: [UUID: String] = [:]
        for n in rows {
            switch n.kind {
            case "b": out.bodies[n.id] = n.name
            case "u": out.units[n.id] = n.name
            case "o": out.organisations[n.id] = n.name
            case "r": out.roleTitles[n.id] = n.name
            default:
                // Should a role have two open tenures, the one that began last holds it.
                let since = n.startsOn ?? ""
                if let seen = holderSince[n.id], seen >= since { continue }
                holderSince[n.id] = since
                out.roleHolders[n.id] = RoleHolder(name: n.name, email: n.email ?? "", userID: n.userID)
            }
        }
        return out
    }
}
