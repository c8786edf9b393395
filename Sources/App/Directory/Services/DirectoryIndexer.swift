import Foundation
import Fluent
import SQLKit
import SamverkaRules

/// Keeps the full-text index in step with the Directory. Called inside the write transaction that
/// changed the record, so the index never disagrees with the data.
enum DirectoryIndexer {
    static func indexOrganisations(_ ids: [UUID], on db: any Database, vocabulary: DirectoryVocabularySnapshot? = nil) async throws {
        guard !ids.isEmpty else { return }
        let vocab: DirectoryVocabularySnapshot
        if let vocabulary { vocab = vocabulary } else { vocab = try await DirectoryVocabularyService.load(on: db) }
        var docs: [SearchDocument] = []
        for chunk in ids.chunked(by: 500) {
            let orgs = try await Organisation.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            var areas: [UUID: [String]] = [:]
            var munis: [UUID: [String]] = [:]
            for a in try await OrganisationArea.query(on: db).filter(\.$organisationID ~~ Array(chunk)).all() {
                areas[a.organisationID, default: []].append(a.areaKey)
            }
            for m in try await OrganisationMunicipality.query(on: db).filter(\.$organisationID ~~ Array(chunk)).all() {
                munis[m.organisationID, default: []].append(m.municipalityCode)
            }
            for o in orgs {
                docs.append(organisationDocument(o, areas: areas[o.id!] ?? [], municipalities: munis[o.id!] ?? [], vocabulary: vocab))
            }
        }
        let sql = db.sql
        try await SearchIndexes.forDatabase(sql).upsert(docs, on: sql)
    }

    static func organisationDocument(_ o: Organisation, areas: [String], municipalities: [String],
                                     vocabulary: DirectoryVocabularySnapshot) -> SearchDocument {
        var body: [String] = [o.description, o.city, o.orgnr ?? ""]
        for a in areas { if let l = vocabulary.areaLabels[a] { body += [l.sv, l.en] } }
        for m in municipalities { if let n = vocabulary.municipalityNameByCode[m] { body.append(n) } }
        return SearchDocument(kind: .organisation, id: o.id!, title: o.name, body: body.filter { !$0.isEmpty }.joined(separator: " "))
    }

    static func indexUnits(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        let vocab = try await DirectoryVocabularyService.load(on: db)
        var docs: [SearchDocument] = []
        for chunk in ids.chunked(by: 500) {
            let units = try await OrgUnit.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            let bodyIDs = Array(Set(units.map(\.bodyID)))
            var bodies: [UUID: String] = [:]
            for b in try await PublicBody.query(on: db).filter(\.$id ~~ bodyIDs).all() { bodies[b.id!] = b.name }
            var areas: [UUID: [String]] = [:]
            for a in try await UnitArea.query(on: db).filter(\.$unitID ~~ Array(chunk)).all() { areas[a.unitID, default: []].append(a.areaKey) }
            for u in units {
                var body = [u.responsibilities, bodies[u.bodyID] ?? ""]
                for a in areas[u.id!] ?? [] { if let l = vocab.areaLabels[a] { body += [l.sv, l.en] } }
                docs.append(SearchDocument(kind: .unit, id: u.id!, title: u.name, body: body.joined(separator: " ")))
            }
        }
        try await SearchIndexes.forDatabase(db.sql).upsert(docs, on: db.sql)
    }

    /// Public bodies: the name and the description.
    static func indexBodies(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        var docs: [SearchDocument] = []
        for chunk in ids.chunked(by: 500) {
            for b in try await PublicBody.query(on: db).filter(\.$id ~~ Array(chunk)).all() {
                guard let id = b.id else { continue }
                docs.append(SearchDocument(kind: .body, id: id, title: b.name,
                                           body: b.description))
            }
        }
        try await SearchIndexes.forDatabase(db.sql).upsert(docs, on: db.sql)
    }

    static func indexRoles(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        var docs: [SearchDocument] = []
        for chunk in ids.chunked(by: 500) {
            let roles = try await ContactRole.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            let unitIDs = roles.compactMap(\.unitID)
            let orgIDs = roles.compactMap(\.organisationID)
            var owners: [UUID: String] = [:]
            if !unitIDs.isEmpty { for u in try await OrgUnit.query(on: db).filter(\.$id ~~ unitIDs).all() { owners[u.id!] = u.name } }
            if !orgIDs.isEmpty { for o in try await Organisation.query(on: db).filter(\.$id ~~ orgIDs).all() { owners[o.id!] = o.name } }
            var holders: [UUID: String] = [:]
            for t in try await RoleTenure.query(on: db).filter(\.$roleID ~~ Array(chunk)).filter(\.$endsOn == nil).all() {
                holders[t.roleID] = t.holderName
            }
            for r in roles {
                let owner = (r.unitID ?? r.organisationID).flatMap { owners[$0] } ?? ""
                docs.append(SearchDocument(kind: .role, id: r.id!, title: r.title,
                                           body: [r.description, owner, holders[r.id!] ?? ""].joined(separator: " ")))
            }
        }
        try await SearchIndexes.forDatabase(db.sql).upsert(docs, on: db.sql)
    }

    /// Rebuilds the whole index (after an area is renamed, or by `samverka reindex`).
    static func reindexAll(on db: any Database) async throws {
        let vocab = try await DirectoryVocabularyService.load(on: db)
        var lastID: UUID?
        while true {
            var q = Organisation.query(on: db).sort(\.$id).limit(2000)
            if let lastID { q = q.filter(\.$id > lastID) }
            let ids = try await q.all().compactMap(\.id)
            if ids.isEmpty { break }
            try await indexOrganisations(ids, on: db, vocabulary: vocab)
            lastID = ids.last
        }
        try await indexBodies(try await PublicBody.query(on: db).all().compactMap(\.id), on: db)
        try await indexUnits(try await OrgUnit.query(on: db).all().compactMap(\.id), on: db)
        try await indexRoles(try await ContactRole.query(on: db).all().compactMap(\.id), on: db)
    }
}
