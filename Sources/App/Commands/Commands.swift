import Fluent
import Vapor
import SamverkaRules

/// The command line: `serve` (Vapor's), `migrate`, `demo`, `import`, `export`, `reindex`, `user`, `token`, `audit`.
public enum Commands {
    public static func register(_ app: Application) {
        app.asyncCommands.use(MigrateDatabaseCommand(), as: "migrate")
        app.asyncCommands.use(DemoCommand(), as: "demo")
        app.asyncCommands.use(ImportCommand(), as: "import")
        app.asyncCommands.use(ExportCommand(), as: "export")
        app.asyncCommands.use(ReindexCommand(), as: "reindex")
        app.asyncCommands.use(UserCommand(), as: "user")
        app.asyncCommands.use(TokenCommand(), as: "token")
        app.asyncCommands.use(AuditCommand(), as: "audit")
        app.asyncCommands.use(BenchDataCommand(), as: "bench-data")
    }

    /// Commands other than `serve` and `migrate` work on an up-to-date database.
    static func prepare(_ app: Application) async throws {
        try await DatabaseSetup.prepare(app)
        try await DatabaseSetup.withMigrationLock(app) { try await app.autoMigrate() }
        try await AuditChain.checkKey(on: app.db)
    }
}

struct CommandFailed: Error, CustomStringConvertible {
    let description: String
}

struct MigrateDatabaseCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Revert every migration (drops all data).") var revert: Bool
        init() {}
    }
    var help: String { "Runs pending migrations (or reverts them all with --revert)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSetup.prepare(app)
        if signature.revert {
            try await app.autoRevert()
            context.console.print("Alla migreringar är återställda.")
        } else {
            try await DatabaseSetup.withMigrationLock(app) { try await app.autoMigrate() }
            context.console.print("Databasen är uppdaterad.")
        }
    }
}

struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Removes demo data and loads it again; prints the demo accounts and passwords." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Commands.prepare(context.application)
        for line in try await DemoData.reload(context.application) { context.console.print(line) }
    }
}

struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "organisations, population, survey-responses or overview") var kind: String
        @Argument(name: "file", help: "CSV file") var file: String
        @Option(name: "survey", help: "the survey's id (survey-responses)") var survey: String?
        @Option(name: "source", help: "where reported figures come from (overview), e.g. \"MUCF 2023, bilaga 2\"") var source: String?
        init() {}
    }
    var help: String {
        "Imports a CSV file (all or nothing): `import organisations FILE.csv`, `import population FILE.csv`, "
            + "`import survey-responses --survey ID FILE.csv` or `import overview FILE.csv [--source TEXT]`."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        // `import survey-responses --survey ID FILE.csv`: ConsoleKit reads positional arguments before options, so the
        // id may arrive as the file and the file as the option's value; take the one that is an id as the survey.
        let swapped = UUID(uuidString: signature.file) != nil && signature.survey.map { UUID(uuidString: $0) == nil } == true
        let file = swapped ? signature.survey ?? signature.file : signature.file
        let surveyOption = swapped ? signature.file : signature.survey
        guard FileManager.default.fileExists(atPath: file) else { throw CommandFailed(description: "Filen finns inte: \(file)") }
        let started = Date()
        let console = context.console
        let report: ImportReport
        do {
            switch signature.kind {
            case "organisations", "organisationer":
                let localizer = app.localizer
                // On a terminal: one line rewritten in place with rows done of the file's rows, rows/s and time left.
                let total = CSVFile.dataLines(in: file)
                let onTerminal = isatty(STDERR_FILENO) == 1
                report = try await app.db.write(as: .system("import")) { ctx in
                    try await OrganisationImporter.run(try ByteSource.file(file), in: ctx, fileName: file, localizer: localizer) { n in
                        guard onTerminal else { return }
                        let line = ImportProgress(done: n, total: total, elapsed: Date().timeIntervalSince(started)).line(lang: "sv")
                        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                    }
                }
            case "population", "folkmangd":
                report = try await app.db.write(as: .system("import")) { ctx in
                    try await ReferenceDataService.importPopulation(try ByteSource.file(file), in: ctx)
                }
            case "survey-responses", "enkatsvar":
                guard let raw = surveyOption, let survey = UUID(uuidString: raw) else { throw CommandFailed(description: "Ange enkätens id: --survey ID") }
                let localizer = app.localizer
                report = try await app.db.write(as: .system("import")) { ctx in
                    try await SurveyResultsService.importResponses(survey, try ByteSource.file(file), localizer: localizer, in: ctx)
                }
            case "overview", "oversikt":
                let localizer = app.localizer, note = String((signature.source ?? "").prefix(300))
                report = try await app.db.write(as: .system("import")) { ctx in
                    try await OverviewService.importReported(try ByteSource.file(file), note: note, localizer: localizer, in: ctx)
                }
            default:
                throw CommandFailed(description: "Okänd typ \(signature.kind): använd organisations, population, survey-responses eller overview.")
            }
        } catch let r as ImportRejected {
            FileHandle.standardError.write(Data("\n".utf8))
            for e in r.report.rejected { console.error("rad \(e.line)\(e.field.map { " (\($0))" } ?? ""): \(e.message)") }
            throw CommandFailed(description: "Inget importerades: \(r.report.rejected.count) rader har fel (\(r.report.rowsRead) rader lästa).")
        }
        FileHandle.standardError.write(Data("\n".utf8))
        console.print("Importerade \(report.imported) av \(report.rowsRead) rader på \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
    }
}

struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "organisations | 360giving") var kind: String
        @Argument(name: "file", help: "output file") var file: String
        @Option(name: "q", help: "search text") var q: String?
        @Option(name: "county", help: "county code") var county: String?
        @Option(name: "municipality", help: "municipality code") var municipality: String?
        init() {}
    }
    var help: String { "Exports data: `export organisations FILE.csv [--q … --county 17 --municipality 1780]`, `export 360giving FILE.json|FILE.csv`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        guard FileManager.default.createFile(atPath: signature.file, contents: nil), let out = FileHandle(forWritingAtPath: signature.file) else {
            throw CommandFailed(description: "Kan inte skriva \(signature.file)")
        }
        defer { try? out.close() }
        switch signature.kind {
        case "organisations", "organisationer":
            var f = OrganisationFilter()
            f.q = signature.q ?? ""
            f.county = signature.county ?? ""
            f.municipality = signature.municipality ?? ""
            let n = try await OrganisationExport.write(f, on: app.db) { out.write(Data($0.utf8)) }
            context.console.print("Exporterade \(n) organisationer till \(signature.file).")
        default:
            try await ExportExtensions.run(kind: signature.kind, file: out, path: signature.file, app: app, console: context.console)
        }
    }
}

/// Exports of the other modules: `export 360giving FILE.json` (or FILE.csv).
enum ExportExtensions {
    static func run(kind: String, file: FileHandle, path: String, app: Application, console: any Console) async throws {
        switch kind {
        case "360giving":
            let prefix = app.config.giving360Prefix, publisher = app.config.giving360Publisher
            var bytes = 0
            // Pieces are written as they come, so memory stays flat however many grants there are.
            let write: ([UInt8]) async throws -> Void = { piece in
                bytes += piece.count
                try file.write(contentsOf: piece)
            }
            if path.lowercased().hasSuffix(".csv") {
                try await OpenDataService.streamGivingCSV(on: app.db, prefix: prefix, write)
            } else {
                try await OpenDataService.streamGivingJSON(on: app.db, prefix: prefix, publisher: publisher, write)
            }
            console.print("Skrev 360Giving-data (\(bytes) byte) till \(path).")
        default:
            throw CommandFailed(description: "Okänd exporttyp \(kind). Välj organisations eller 360giving.")
        }
    }
}

struct ReindexCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Rebuilds the full-text search index." }
    func run(using context: CommandContext, signature: Signature) async throws {
        try await Commands.prepare(context.application)
        try await context.application.db.transaction { tx in try await DirectoryIndexer.reindexAll(on: tx) }
        context.console.print("Sökindexet är uppbyggt.")
    }
}

struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "email", help: "e-mail address") var email: String?
        @Option(name: "role", help: "admin, official, politician, representative, reviewer, analyst") var role: String?
        @Option(name: "name", help: "display name") var name: String?
        @Option(name: "body", help: "public body id or exact name (for official, politician, reviewer)") var body: String?
        @Option(name: "organisation", help: "organisation id or organisationsnummer (for representative)") var organisation: String?
        @Flag(name: "password", help: "print a one-time password instead of an invitation link") var password: Bool
        init() {}
    }
    var help: String { "`user create --email E --role admin` creates an account and prints an invitation link (or a one-time password with --password)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        guard signature.action == "create" else { throw CommandFailed(description: "Okänd åtgärd \(signature.action): använd create.") }
        guard let email = signature.email, let roleRaw = signature.role, let role = Role(rawValue: roleRaw) else {
            throw CommandFailed(description: "Ange --email och --role (admin, official, politician, representative, reviewer, analyst).")
        }
        var bodyID: UUID?, orgID: UUID?
        if let b = signature.body {
            if let id = UUID(uuidString: b) { bodyID = try await PublicBody.find(id, on: app.db)?.id }
            else { bodyID = try await PublicBody.query(on: app.db).filter(\.$name == b).first()?.id }
            if bodyID == nil { throw CommandFailed(description: "Ingen myndighet heter eller har id \(b).") }
        }
        if let o = signature.organisation {
            if let id = UUID(uuidString: o) { orgID = try await Organisation.find(id, on: app.db)?.id }
            else if case .success(let n) = OrganisationNumber.parse(o) { orgID = try await Organisation.query(on: app.db).filter(\.$orgnr == n.normalized).first()?.id }
            if orgID == nil { throw CommandFailed(description: "Ingen organisation med id eller organisationsnummer \(o).") }
        }
        let name = signature.name ?? String(email.split(separator: "@").first ?? "Användare")
        let oneTime = signature.password ? TokenCodec.generate().prefix(20).description : nil
        let hash = try oneTime.map { try app.password.hash($0) }
        let base = app.config.publicBaseURL
        let (scopeBody, scopeOrg) = (bodyID, orgID)
        let link: String? = try await app.db.write(as: .system("cli")) { ctx in
            if hash != nil {
                let u = try await AccountService.createUser(email: email, name: name, passwordHash: hash, in: ctx)
                _ = try await AccountService.addMembership(userID: u.id!, role: role, bodyID: scopeBody, organisationID: scopeOrg, in: ctx)
                return nil
            }
            return try await OneTimeLinks.invite(email: email, name: name, payload: .init(role: role, bodyId: scopeBody, organisationId: scopeOrg, unitIds: []), baseURL: base, in: ctx)
        }
        await Outbox.deliverPending(app)
        let roleName = app.localizer.text("role.\(role.rawValue)", .sv).lowercased()
        if let oneTime {
            context.console.print("Kontot \(email) (\(roleName)) är skapat och aktivt. Engångslösenord (byt det efter inloggning): \(oneTime)")
        } else if let link {
            // Without --password nothing is active yet: the person makes the account by following the link.
            context.console.print("En inbjudan (\(roleName)) är skickad till \(email). Kontot blir aktivt när personen följer länken och väljer lösenord; länken gäller i 7 dagar: \(link)")
        }
    }
}

struct TokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "email", help: "the user the token acts as") var email: String?
        @Option(name: "name", help: "what the token is for") var name: String?
        @Option(name: "days", help: "lifetime in days (default 90)") var days: Int?
        init() {}
    }
    var help: String { "`token create --email E --name N` prints a new API token once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        guard signature.action == "create", let email = signature.email, let name = signature.name else {
            throw CommandFailed(description: "Använd: token create --email E --name N [--days 90]")
        }
        guard let user = try await AccountService.findUser(email: email, on: app.db), user.status == .active || user.status == .invited else {
            throw CommandFailed(description: "Det finns inget aktivt konto för \(email).")
        }
        let days = signature.days ?? 90
        guard (1...3650).contains(days) else { throw CommandFailed(description: "--days måste vara 1–3650.") }
        if user.status == .invited {
            throw CommandFailed(description: "\(email) har inte tagit emot sin inbjudan ännu, så kontot är inte aktivt och kan inte få en API-nyckel. Be personen följa inbjudningslänken (eller skapa kontot med user create --password) och försök igen.")
        }
        let token = try await app.db.write(as: .system("cli")) { ctx in
            let r = try await TokenService.create(userID: user.id!, name: name, kind: "api", lifetime: TimeInterval(days) * 86400, in: ctx.db)
            ctx.audit("create", "apiToken", r.model.id!.uuidString, before: nil, after: AuditSnapshot(["name": .string(name), "prefix": .string(r.model.prefix)]))
            return r.token
        }
        context.console.print(token)
    }
}

struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify | checkpoint") var action: String
        @Option(name: "checkpoints", help: "a file of checkpoint lines (from the log or `audit checkpoint`) the chain must still match")
        var checkpoints: String?
        init() {}
    }
    var help: String {
        "`audit verify [--checkpoints FILE]` recomputes the keyed hash chain (and checks it against saved checkpoints); exit code 1 when broken. `audit checkpoint` prints a signed checkpoint of the chain's head to keep outside the server."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        switch signature.action {
        case "checkpoint":
            context.console.print(try await AuditChain.checkpoint(on: app.db).line)
        case "verify":
            var checkpoints: [AuditChain.Checkpoint] = []
            if let file = signature.checkpoints {
                guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailed(description: "Kan inte läsa \(file).") }
                for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    guard let start = line.range(of: "samverka-audit-checkpoint ") else { continue }
                    guard let c = AuditChain.Checkpoint.parse(String(line[start.lowerBound...])) else {
                        throw CommandFailed(description: "BRUTEN: en kontrollpunkt i \(file) har fel signatur (ändrad, eller en annan nyckel): \(line)")
                    }
                    checkpoints.append(c)
                }
            }
            let v = try await AuditChain.verify(on: app.db, checkpoints: checkpoints)
            if v.ok {
                context.console.print("OK: \(v.checked) händelser, kedjan är obruten" + (checkpoints.isEmpty ? "." : " och stämmer med \(checkpoints.count) kontrollpunkter."))
            } else {
                throw CommandFailed(description: "BRUTEN vid händelse \(v.brokenAt ?? 0): \(v.problem ?? "") (\(v.checked) händelser kontrollerade före den).")
            }
        default:
            throw CommandFailed(description: "Använd: audit verify [--checkpoints FIL] | audit checkpoint")
        }
    }
}
