import Fluent
import Foundation
import SQLKit
import SamverkaRules

/// Everything an organisation's public page shows, read in one statement straight from the database: the
/// organisation with its parent's name, and in the same `UNION ALL` its areas, municipalities, member counts,
/// member organisations, open contact roles, collaborations and the reference data's change counter. Through Fluent the page took a dozen queries,
/// and building and reading models (Fluent's reflection of their fields) was the largest entry in its profile.
struct OrganisationPageFacts: Sendable {
    struct Child: Sendable, Equatable { var id: UUID; var name: String; var level: String }
    struct OpenRole: Sendable, Equatable { var id: UUID; var title: String; var holder: String? }

    /// With areas, municipalities (sorted) and member counts (newest year first, the whole organisation first).
    var organisation: OrganisationDTO
    /// Member organisations in Swedish alphabetical order, at most the limit asked for.
    var children: [Child]
    /// Roles not closed, by title; `holder` is the current holder's name, nil when the role is vacant.
    var openRoles: [OpenRole]
    /// Links to public bodies' units, newest first.
    var collaborations: [CollaborationDTO]
    /// The reference data's change counter (`ChangeCounters.reference`), read in the same query so that the
    /// page's vocabulary (area and municipality names) needs no round trip of its own; nil when not counted.
    var referenceCounter: Int?
}

extension OrganisationQueries {
    /// The page's facts, or nil when there is no such organisation (or it is deleted).
    static func pageFacts(_ id: UUID, childLimit: Int, on db: any Database) async throws -> OrganisationPageFacts? {
        // Columns of every branch: kind, id, ref, t1…t6, n1…n3. Which branch fills which is read below.
        let none = "CAST(NULL AS TEXT)", noNumber = "CAST(NULL AS INTEGER)"
        let related: SQLQueryString = """
            SELECT 'a' AS kind, \(unsafeRaw: none) AS id, \(unsafeRaw: none) AS ref, area_key AS t1, \(unsafeRaw: none) AS t2, \(unsafeRaw: none) AS t3,
                   \(unsafeRaw: none) AS t4, \(unsafeRaw: none) AS t5, \(unsafeRaw: none) AS t6, \(unsafeRaw: noNumber) AS n1, \(unsafeRaw: noNumber) AS n2, \(unsafeRaw: noNumber) AS n3
            FROM organisation_areas WHERE organisation_id = \(bind: id)
            UNION ALL
            SELECT 'm', \(unsafeRaw: none), \(unsafeRaw: none), municipality_code, \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none),
                   \(unsafeRaw: noNumber), \(unsafeRaw: noNumber), \(unsafeRaw: noNumber)
            FROM organisation_municipalities WHERE organisation_id = \(bind: id)
            UNION ALL
            SELECT 'c', \(unsafeRaw: none), \(unsafeRaw: none), municipality_code, \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none),
                   year, total, young
            FROM member_counts WHERE organisation_id = \(bind: id)
            UNION ALL
            SELECT * FROM (
                SELECT 'k', CAST(c.id AS TEXT), \(unsafeRaw: none), c.name, c.level, \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none),
                       ROW_NUMBER() OVER (ORDER BY c.sort_name, c.id), \(unsafeRaw: noNumber), \(unsafeRaw: noNumber)
                FROM organisations c WHERE c.parent_id = \(bind: id) AND c.deleted_at IS NULL
                ORDER BY c.sort_name, c.id LIMIT \(literal: max(0, childLimit))) k
            UNION ALL
            SELECT 'r', CAST(r.id AS TEXT), \(unsafeRaw: none), r.title,
                   (SELECT t.holder_name FROM role_tenures t WHERE t.role_id = r.id AND t.ends_on IS NULL ORDER BY t.starts_on DESC LIMIT 1),
                   \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none),
                   ROW_NUMBER() OVER (ORDER BY r.title, r.id), \(unsafeRaw: noNumber), \(unsafeRaw: noNumber)
            FROM contact_roles r WHERE r.organisation_id = \(bind: id) AND r.closed_on IS NULL
            UNION ALL
            SELECT 'l', CAST(l.id AS TEXT), CAST(l.unit_id AS TEXT), u.name, b.name, l.form, l.starts_on, l.ends_on, l.description,
                   ROW_NUMBER() OVER (ORDER BY l.starts_on DESC, l.id), l.version, \(unsafeRaw: noNumber)
            FROM collaboration_links l LEFT JOIN units u ON u.id = l.unit_id LEFT JOIN public_bodies b ON b.id = u.body_id
            WHERE l.organisation_id = \(bind: id)
            UNION ALL
            SELECT 'v', \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none), \(unsafeRaw: none),
                   value, \(unsafeRaw: noNumber), \(unsafeRaw: noNumber)
            FROM change_counters WHERE name = \(bind: ChangeCounters.reference)
            """
        enum Row: Sendable {
            case organisation(OrganisationDTO)
            case area(String), municipality(String), members(MemberCountDTO), counter(Int)
            case child(Int, OrganisationPageFacts.Child), role(Int, OrganisationPageFacts.OpenRole), link(Int, CollaborationDTO)
        }
        // One statement (one round trip on PostgreSQL too): the organisation's row, kind "o", with its columns and
        // NULL in the related rows' ones, then the related rows with NULL in the organisation's columns. Prepared
        // on PostgreSQL: parsing and planning this text took 2–4 times as long as running it.
        let relatedColumns = ["ref", "t1", "t2", "t3", "t4", "t5", "t6", "n1", "n2", "n3"]
        var page: SQLQueryString = "SELECT 'o' AS kind, " + organisationSelectList
        page += SQLQueryString(relatedColumns.map { ", NULL AS \($0)" }.joined())
        page += " " + organisationFrom + " WHERE o.id = \(bind: id) AND o.deleted_at IS NULL UNION ALL SELECT rel.kind, rel.id"
        page += SQLQueryString(String(repeating: ", NULL", count: organisationColumnCount - 1) + relatedColumns.map { ", rel.\($0)" }.joined())
        page += " FROM (" + related + ") rel"
        let rows = try await RowReader.rows(on: db, page, prepared: true) { r -> Row in
            switch try r.required("kind") {
            case "o": return .organisation(try organisationDTO(r))
            case "a": return .area(try r.required("t1"))
            case "m": return .municipality(try r.required("t1"))
            case "c":
                return .members(MemberCountDTO(year: try r.requiredInt("n1"), total: try r.requiredInt("n2"), young: r.int("n3"), municipality: r.string("t1")))
            case "k":
                return .child(try r.requiredInt("n1"), .init(id: try r.uuid("id"), name: try r.required("t1"), level: try r.required("t2")))
            case "v": return .counter(try r.requiredInt("n1"))
            case "r":
                return .role(try r.requiredInt("n1"), .init(id: try r.uuid("id"), title: try r.required("t1"), holder: r.string("t2")))
            default:
                return .link(try r.requiredInt("n1"), CollaborationDTO(
                    id: try r.uuid("id"), organisationId: id, organisationName: "", unitId: try r.uuid("ref"),
                    unitName: r.string("t1"), bodyName: r.string("t2"), form: try r.required("t3"), startsOn: try r.required("t4"),
                    endsOn: r.string("t5"), description: r.string("t6") ?? "", version: r.int("n2") ?? 1))
            }
        }
        var members: [MemberCountDTO] = [], children: [(Int, OrganisationPageFacts.Child)] = []
        var roles: [(Int, OrganisationPageFacts.OpenRole)] = [], links: [(Int, CollaborationDTO)] = []
        var counter: Int?
        guard var org = rows.lazy.compactMap({ row -> OrganisationDTO? in if case .organisation(let o) = row { o } else { nil } }).first else { return nil }
        for row in rows {
            switch row {
            case .organisation: continue
            case .counter(let value): counter = value
            case .area(let key): org.areas.append(key)
            case .municipality(let code): org.municipalities.append(code)
            case .members(let m): members.append(m)
            case .child(let n, let c): children.append((n, c))
            case .role(let n, let r): roles.append((n, r))
            case .link(let n, let l): links.append((n, l))
            }
        }
        org.areas.sort()
        org.municipalities.sort()
        org.memberCounts = members.sorted { $0.year != $1.year ? $0.year > $1.year : ($0.municipality ?? "") < ($1.municipality ?? "") }
        return OrganisationPageFacts(
            organisation: org, children: children.sorted { $0.0 < $1.0 }.map(\.1),
            openRoles: roles.sorted { $0.0 < $1.0 }.map(\.1), collaborations: links.sorted { $0.0 < $1.0 }.map { var l = $0.1; l.organisationName = org.name; return l },
            referenceCounter: counter)
    }
}
