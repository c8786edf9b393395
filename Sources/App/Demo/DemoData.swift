import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Demo data: loaded on the first start of a new installation and reloaded by `samverka demo`.
/// Everything it creates is marked demo so that it can be removed again.
public enum DemoData {
    /// Sign-in accounts for each role (demo only; documented in the README).
    public static let accounts: [(email: String, name: String, role: Role, scope: String?, password: String)] = [
        ("admin@samverka.example", "Demo Administratör", .admin, nil, "demo-Admin-Samverka-2026"),
        ("tjansteperson@regionvarmland.example", "Demo Tjänsteperson", .official, "body:17", "demo-Official-Samverka-2026"),
        // A second official: attests and pays what the first decided (separation of duties).
        ("ekonom@regionvarmland.example", "Demo Ekonom", .official, "body:17", "demo-Finance-Samverka-2026"),
        ("politiker@regionvarmland.example", "Demo Förtroendevald", .politician, "body:17", "demo-Politician-Samverka-2026"),
        ("foretradare@funktionsratt-varmland.example", "Demo Företrädare", .representative, "org:frv", "demo-Representative-Samverka-2026"),
        ("bedomare@regionvarmland.example", "Demo Bedömare", .reviewer, "body:17", "demo-Reviewer-Samverka-2026"),
        ("analytiker@samverka.example", "Demo Analytiker", .analyst, nil, "demo-Analyst-Samverka-2026"),
    ]

    static let settingKey = "demo.loaded"

    /// Loads the demo data once per installation (not again if an operator removed it).
    static func loadIfFirstStart(_ app: Application) async throws {
        if try await Settings.get(settingKey, on: app.db) != nil { return }
        if try await PublicBody.query(on: app.db).count() > 0 { return }
        app.logger.notice("Första start: laddar demodata (SAMVERKA_DEMO=0 stänger av).")
        do {
            let lines = try await load(app)
            for line in lines { app.logger.notice("\(line)") }
        } catch let e as AppError {
            // Say which field of which demo record was refused, so a broken demo is fixed quickly.
            app.logger.error("Demodata kunde inte laddas: \(e.reason) \(e.fieldErrors.map { "\($0.field): \($0.code ?? $0.message)" })")
            throw e
        }
    }

    /// Removes earlier demo data and loads it again; returns lines to print (accounts and passwords).
    @discardableResult
    public static func reload(_ app: Application) async throws -> [String] {
        try await remove(app)
        return try await load(app)
    }

    static func load(_ app: Application) async throws -> [String] {
        var hashes: [String: String] = [:]
        for a in accounts { hashes[a.email] = try app.password.hash(a.password) }
        let frozen = hashes
        let localizer = app.localizer
        try await app.db.write(as: .system("demo")) { ctx in
            let d = try await DirectoryDemo.load(in: ctx)
            for a in accounts {
                let u = try await AccountService.createUser(email: a.email, name: a.name, passwordHash: frozen[a.email], isDemo: true, in: ctx)
                var body: UUID?, org: UUID?
                if let s = a.scope, s.hasPrefix("body:") { body = d.bodies[String(s.dropFirst(5))] }
                if let s = a.scope, s.hasPrefix("org:") { org = d.orgs[String(s.dropFirst(4))] }
                _ = try await AccountService.addMembership(userID: u.id!, role: a.role, bodyID: body, organisationID: org, in: ctx)
            }
            try await DemoExtensions.load(d, localizer: localizer, in: ctx)
            try await Settings.set(settingKey, AuditChain.timestamp(Date()), on: ctx.db)
        }
        var lines = ["Demodata laddad. Inloggning (endast demo):"]
        for a in accounts { lines.append("  \(a.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(a.email)  \(a.password)") }
        return lines
    }

    /// Deletes every record marked demo (and what belongs to it).
    static func remove(_ app: Application) async throws {
        try await app.db.write(as: .system("demo")) { ctx in
            try await DemoExtensions.remove(in: ctx)
            let db = ctx.db
            try await User.query(on: db).filter(\.$isDemo == true).delete()
            let orgs = try await Organisation.query(on: db).withDeleted().filter(\.$isDemo == true).all()
            let orgIDs = orgs.compactMap(\.id)
            if !orgIDs.isEmpty {
                try await Organisation.query(on: db).withDeleted().filter(\.$id ~~ orgIDs).set(\.$parentID, to: nil).update()
                let roleIDs = try await ContactRole.query(on: db).filter(\.$organisationID ~~ orgIDs).all().compactMap(\.id)
                try await SearchIndexes.forDatabase(ctx.sql).remove(ids: orgIDs + roleIDs, on: ctx.sql)
                try await Organisation.query(on: db).withDeleted().filter(\.$id ~~ orgIDs).delete(force: true)
            }
            let bodyIDs = try await PublicBody.query(on: db).filter(\.$isDemo == true).all().compactMap(\.id)
            if !bodyIDs.isEmpty {
                let unitIDs = try await OrgUnit.query(on: db).filter(\.$bodyID ~~ bodyIDs).all().compactMap(\.id)
                let roleIDs = unitIDs.isEmpty ? [] : try await ContactRole.query(on: db).filter(\.$unitID ~~ unitIDs).all().compactMap(\.id)
                try await SearchIndexes.forDatabase(ctx.sql).remove(ids: unitIDs + roleIDs, on: ctx.sql)
                try await OrgUnit.query(on: db).filter(\.$bodyID ~~ bodyIDs).set(\.$parentID, to: nil).update()
                try await PublicBody.query(on: db).filter(\.$id ~~ bodyIDs).delete()
            }
            for (code, pop) in DirectoryDemo.varmlandPopulation {
                try await PopulationFigure.query(on: db).filter(\.$municipalityCode == code).filter(\.$year == 2023).filter(\.$population == pop).delete()
            }
            ctx.auditSummary("delete", "demo", "", [("organisations", .int(orgIDs.count)), ("bodies", .int(bodyIDs.count))])
        }
    }
}

/// Demo data of later modules (grants, dialogue) hooks in here.
enum DemoExtensions {
    static func load(_ d: DirectoryDemo.Loaded, localizer: Localizer, in ctx: WriteContext) async throws {
        try await GrantsDemo.load(d, in: ctx)
        try await DialogueDemo.load(d, in: ctx)
        try await AgreementsDemo.load(d, in: ctx)
        try await PartnershipsDemo.load(d, in: ctx)
        try await SurveysDemo.load(d, localizer: localizer, in: ctx)
    }
    static func remove(in ctx: WriteContext) async throws {
        try await SurveysDemo.remove(in: ctx)
        try await PartnershipsDemo.remove(in: ctx)
        try await AgreementsDemo.remove(in: ctx)
        try await DialogueDemo.remove(in: ctx)
        try await GrantsDemo.remove(in: ctx)
    }
}
