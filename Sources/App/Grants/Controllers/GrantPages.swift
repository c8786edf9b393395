import Fluent
import Vapor
import SamverkaRules

/// Public and applicant-facing grant pages: overview with eligibility, programme page, public register.
enum GrantPages {
    static func register(_ site: Router) {
        let g = site.grouped("grants")
        g.get(access: .anyone, use: index)
        g.get("programmes", ":id", access: .anyone, use: programme)
        g.get("register", access: .anyone, use: registerPage)
        g.get("register.csv", access: .anyone, use: GrantsAPIController.registerCSV)
        GrantAdminPages.register(g)
        ApplicationPages.register(g)
        ReviewPages.register(g)
        MoneyPages.register(g)
    }

    struct CallRow: Encodable, Sendable {
        var href: String
        var title: String
        var programme: String
        var body: String
        var closes: String
        var eligibility: [Eligibility]
        var hasEligibility: Bool
        var applyHref: String?
    }
    struct Eligibility: Encodable, Sendable { var organisation: String; var status: String; var label: String; var reasons: [String] }
    struct ProgrammeRow: Encodable, Sendable { var href: String; var name: String; var kind: String; var body: String; var dashboardHref: String? }
    struct IndexPage: Encodable, Sendable {
        var calls: [CallRow]
        var hasCalls: Bool
        var programmes: [ProgrammeRow]
        var canCreate: Bool
        var isRepresentative: Bool
    }

    static func statusLabel(_ s: EligibilityStatus, _ req: Request) -> String { req.t("eligibility.\(s.rawValue)") }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let calls = try await GrantQueries.openCalls(on: LocalDate.today(), db: req.db)
        let programmes = try await GrantQueries.allProgrammes(on: req.db)
        let bodies = Dictionary(uniqueKeysWithValues: try await DirectoryQueries.allBodies(on: req.db).map { ($0.id, $0.name) })
        let byID = Dictionary(uniqueKeysWithValues: programmes.map { ($0.id!, $0) })
        let orgs = try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
        var rows: [CallRow] = []
        for c in calls {
            guard let p = byID[c.programmeID] else { continue }
            var elig: [Eligibility] = []
            for o in orgs {
                let r = try await EligibilityService.evaluate(programme: p, organisationID: o.id, callYear: c.year, on: req.db)
                elig.append(Eligibility(organisation: o.name, status: r.status.rawValue, label: statusLabel(r.status, req),
                                        reasons: r.localized(req).conditions.filter { $0.status != .pass }.map(\.reason)))
            }
            rows.append(CallRow(href: "/grants/calls/\(c.id!)", title: c.title, programme: p.name, body: bodies[p.bodyID] ?? "",
                                closes: LocalDate(c.closesOn)?.formatted(req.language.rawValue) ?? c.closesOn, eligibility: elig,
                                hasEligibility: !elig.isEmpty, applyHref: orgs.isEmpty ? nil : "/grants/calls/\(c.id!)#apply"))
        }
        var progRows: [ProgrammeRow] = []
        for p in programmes {
            let manage = Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db))
            progRows.append(ProgrammeRow(href: "/grants/programmes/\(p.id!)", name: p.name, kind: req.label(p.kind), body: bodies[p.bodyID] ?? "",
                                         dashboardHref: manage ? "/grants/programmes/\(p.id!)/dashboard" : nil))
        }
        let data = IndexPage(calls: rows, hasCalls: !rows.isEmpty, programmes: progRows, canCreate: Policy.allows(req.principal, .grantsManage),
                             isRepresentative: !orgs.isEmpty)
        return try await req.page("grants/index", title: req.t("grants.title"), data)
    }

    struct RuleLine: Encodable, Sendable { var text: String }
    struct ProgrammePage: Encodable, Sendable {
        var programme: ProgrammeDTO
        var kind: String
        var paymentModel: String
        var decisionLevel: String
        var rules: [RuleLine]
        var hasRules: Bool
        var areas: [String]
        var calls: [CallRow]
        var hasCalls: Bool
        var contact: Link?
        var frames: [String]
        var canManage: Bool
        var description: String?
    }

    /// A rule in words, for the public programme page.
    static func describe(_ c: EligibilityCondition, _ req: Request, countyNames: [String: String]) -> String {
        let county = c.county.map { countyNames[$0] ?? $0 } ?? req.t("rule.anyCounty")
        switch c.kind {
        case .legalFormIn: return req.t("rule.legalFormIn", (c.values ?? []).map { req.label(LegalForm.self, $0) }.joined(separator: ", "))
        case .levelIn: return req.t("rule.levelIn", (c.values ?? []).map { req.label(OrganisationLevel.self, $0) }.joined(separator: ", "))
        case .activeInMunicipalities: return req.t("rule.activeInMunicipalities", String(c.min ?? 0), county)
        case .branchesInMunicipalities: return req.t("rule.branchesInMunicipalities", String(c.min ?? 0), county)
        case .youngMembersInCounty: return req.t("rule.youngMembersInCounty", String(c.min ?? 0), county, c.year.map(String.init) ?? req.t("rule.previousYear"))
        case .membersAtLeast: return req.t("rule.membersAtLeast", String(c.min ?? 0), c.year.map(String.init) ?? req.t("rule.previousYear"))
        case .representedInCouncil: return req.t("rule.representedInCouncil", c.text ?? "")
        case .parentIs: return req.t("rule.parentIs", (c.values?.first).map { req.label(OrganisationLevel.self, $0) } ?? "", c.text ?? "–")
        case .registeredYears: return req.t("rule.registeredYears", String(c.min ?? 0))
        case .lastYearReportSubmitted: return req.t("rule.lastYearReportSubmitted")
        case .notInReclaim: return req.t("rule.notInReclaim")
        }
    }

    @Sendable static func programme(_ req: Request) async throws -> Response {
        let p = try await GrantQueries.programme(try req.parameters.require("id", as: UUID.self), on: req.db)
        let dto = try await ProgrammeService.dto(p, on: req.db)
        let counties = try await DirectoryQueries.countyNames(on: req.db)
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        let calls = try await GrantQueries.calls(ofProgramme: p.id!, on: req.db)
        let contact = try await p.contactRoleID.asyncFlatMap { try await DirectoryQueries.role($0, on: req.db) }
        let data = ProgrammePage(
            programme: dto, kind: req.label(p.kind), paymentModel: req.t("paymentModel.\(p.paymentModel.rawValue)"), decisionLevel: req.label(p.decisionLevel),
            rules: p.conditions.map { RuleLine(text: describe($0, req, countyNames: counties)) }, hasRules: !p.conditions.isEmpty,
            areas: p.areaKeys.map { req.areaName($0, vocab) },
            calls: calls.map { c in CallRow(href: "/grants/calls/\(c.id!)", title: c.title, programme: p.name, body: dto.bodyName ?? "",
                                            closes: LocalDate(c.closesOn)?.formatted(req.language.rawValue) ?? c.closesOn, eligibility: [], hasEligibility: false, applyHref: nil) },
            hasCalls: !calls.isEmpty, contact: contact.map { Link(href: "/roles/\($0.id)", label: $0.title, note: $0.email.nilIfEmpty) },
            frames: dto.budgetFrames.map { "\($0.year): \(Money.format($0.amountOre, req.language.rawValue))" },
            canManage: Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db)),
            description: p.description.nilIfEmpty)
        return try await req.page("grants/programme", title: p.name, data)
    }

    struct RegisterRow: Encodable, Sendable { var recipient: String; var orgnr: String?; var programme: String; var body: String; var amount: String; var date: String; var purpose: String; var diarienummer: String }
    struct RegisterPage: Encodable, Sendable { var rows: [RegisterRow]; var hasRows: Bool; var pager: PagerContext; var csvHref: String; var filters: [FormField]; var total: String }

    @Sendable static func registerPage(_ req: Request) async throws -> Response {
        let page = try PageRequest.from(req, defaultPer: 50)
        let (lines, total) = try await GrantsAPIController.registerLines(req, limit: page.per, offset: page.offset)
        let lang = req.language.rawValue
        let body = req.queryValue("body") ?? "", year = req.queryValue("year") ?? ""
        let bodies = try await DirectoryQueries.allBodies(on: req.db)
        let filters = [
            FormField("body", label: req.t("account.body"), kind: .select, options: [.init(value: "", label: req.t("filter.all"), selected: body.isEmpty)]
                        + bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: body == $0.id.uuidString) }),
            FormField("year", label: req.t("grants.year"), kind: .number, value: year, maxLength: 4),
        ]
        let query = [("body", body), ("year", year)]
        let data = RegisterPage(
            rows: lines.map { RegisterRow(recipient: $0.recipient, orgnr: $0.recipientOrgnr, programme: $0.programme, body: $0.body,
                                          amount: Money.format($0.amountOre, lang), date: $0.decidedOn, purpose: $0.purpose, diarienummer: $0.diarienummer) },
            hasRows: !lines.isEmpty, pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/grants/register", baseQuery: query),
            csvHref: "/grants/register.csv" + (URLQuery.encode(query).isEmpty ? "" : "?" + URLQuery.encode(query)), filters: filters, total: String(total))
        let title = req.t("grants.register")
        return req.page(title: title) { RegisterView.write(data, title: title, t: req.translator, into: &$0) }
    }
}
