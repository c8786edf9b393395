import Fluent
import Vapor
import SamverkaRules

/// A programme's year at a glance, the allocation preview and planned advances.
extension GrantAdminPages {
    // MARK: Dashboard

    struct StatusCount: Encodable, Sendable { var label: String; var count: Int; var href: String }
    struct AppRow: Encodable, Sendable { var href: String; var organisation: String; var call: String; var status: String; var requested: String; var decideHref: String? }
    struct DashboardPage: Encodable, Sendable {
        var programme: ProgrammeDTO
        var year: Int
        var statuses: [StatusCount]
        var frame: String
        var decided: String
        var paid: String
        var remaining: String
        var overFrame: Bool
        var applications: [AppRow]
        var hasApplications: Bool
        var overdueReports: [ReportDTO]
        var overdueText: [String]
        var hasOverdue: Bool
        var calls: [Link]
        var isKalmar: Bool
        var hasFormula: Bool
        var csrf: String
    }

    @Sendable static func dashboard(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let p = try await GrantQueries.programme(id, on: req.db)
        let year = try req.yearParameter() ?? LocalDate.today().year
        let lang = req.language.rawValue
        let calls = try await GrantQueries.calls(ofProgramme: id, on: req.db)
        let apps = try await GrantQueries.applications(programmeID: id, year: year, on: req.db)
        let names = try await DirectoryQueries.organisationNames(apps.map(\.organisationID), on: req.db)
        let callTitles = Dictionary(uniqueKeysWithValues: calls.map { ($0.id!, $0.title) })
        let statuses = ApplicationStatus.allCases.map { s in
            StatusCount(label: req.t("applicationStatus.\(s.rawValue)"), count: apps.filter { $0.status == s }.count, href: "/grants/applications?programme=\(id)&status=\(s.rawValue)")
        }
        let decisions = try await GrantQueries.decisions(programmeID: id, year: year, on: req.db)
        let live = DecisionRules.inForce(decisions.map(\.entry))
        let decided = decisions.filter { live.contains($0.id!) }.reduce(0) { $0 + $1.amountOre }
        let paid = try await GrantQueries.paidTotal(programmeID: id, year: year, on: req.db)
        let frame = try await ProgrammeService.frame(id, year: year, on: req.db)
        let overdue = try await DecisionService.reportDTOs(try await GrantQueries.overdueReports(programmeID: id, on: LocalDate.today(), db: req.db), on: req.db)
        let data = DashboardPage(
            programme: try await ProgrammeService.dto(p, on: req.db), year: year, statuses: statuses,
            frame: frame.map { Money.format($0, lang) } ?? "–", decided: Money.format(decided, lang), paid: Money.format(paid, lang),
            remaining: frame.map { Money.format($0 - decided, lang) } ?? "–", overFrame: frame.map { decided > $0 } ?? false,
            applications: apps.sorted { (names[$0.organisationID] ?? "") < (names[$1.organisationID] ?? "") }.map { a in
                AppRow(href: "/grants/applications/\(a.id!)", organisation: names[a.organisationID] ?? "", call: callTitles[a.callID] ?? "",
                       status: req.t("applicationStatus.\(a.status.rawValue)"), requested: a.requestedOre.map { Money.format($0, lang) } ?? "–",
                       decideHref: (a.status == .submitted || a.status == .underReview) ? "/grants/applications/\(a.id!)/decide" : nil)
            },
            hasApplications: !apps.isEmpty, overdueReports: overdue,
            overdueText: overdue.map { "\($0.organisationName ?? ""): \($0.dueOn)" }, hasOverdue: !overdue.isEmpty,
            calls: calls.map { Link(href: "/grants/calls/\($0.id!)", label: $0.title, note: "\($0.opensOn) – \($0.closesOn)") },
            isKalmar: p.paymentModel == .kalmar, hasFormula: p.allocationFormula != nil, csrf: req.csrfToken)
        return try await req.page("grants/dashboard", title: req.t("grants.dashboardFor", p.name), data)
    }

    struct AllocationPage: Encodable, Sendable {
        struct Line: Encodable, Sendable { var organisation: String; var formula: String; var capped: String; var final: String; var href: String }
        var programmeName: String
        var programmeHref: String
        var year: Int
        var hasFormula: Bool
        var editHref: String
        var frame: String
        var total: String
        var totalFinal: String
        var scaled: Bool
        var scalePercent: String
        var lines: [Line]
        var hasLines: Bool
        var batchHref: String
    }

    @Sendable static func allocation(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let p = try await GrantQueries.programme(id, on: req.db)
        let year = try req.yearParameter() ?? LocalDate.today().year
        let lang = req.language.rawValue
        guard p.allocationFormula != nil else {
            return try await req.page("grants/allocation", title: req.t("grants.allocationFor", p.name, String(year)), AllocationPage(
                programmeName: p.name, programmeHref: "/grants/programmes/\(id)/dashboard?year=\(year)", year: year, hasFormula: false,
                editHref: "/grants/programmes/\(id)/edit", frame: "", total: "", totalFinal: "", scaled: false, scalePercent: "", lines: [],
                hasLines: false, batchHref: ""))
        }
        let (a, _) = try await ProgrammeService.allocationPreview(p, year: year, on: req.db)
        let data = AllocationPage(
            programmeName: p.name, programmeHref: "/grants/programmes/\(id)/dashboard?year=\(year)", year: year, hasFormula: true, editHref: "",
            frame: a.frameOre.map { Money.format($0, lang) } ?? "–", total: Money.format(a.totalCappedOre, lang), totalFinal: Money.format(a.totalFinalOre, lang),
            scaled: a.scale < 1, scalePercent: DecimalText.format(a.scale * 100, digits: 1, lang: req.language.rawValue),
            lines: a.lines.map { .init(organisation: $0.organisationName, formula: Money.format($0.formulaOre, lang), capped: Money.format($0.cappedOre, lang),
                                       final: Money.format($0.finalOre, lang), href: "/grants/applications/\($0.applicationId)") },
            hasLines: !a.lines.isEmpty, batchHref: "/grants/programmes/\(id)/batch?year=\(year)")
        return try await req.page("grants/allocation", title: req.t("grants.allocationFor", p.name, String(year)), data)
    }

    @Sendable static func advances(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct B: Content { var year: String? }
        let y = Int(try req.decodeForm(B.self).year ?? "") ?? LocalDate.today().year
        let created = try await req.write { ctx in try await DecisionService.planAdvances(programmeID: id, year: y, in: ctx) }
        return req.redirect(to: "/grants/payments?programme=\(id)", flash: req.t("grants.advancesPlanned", String(created.count), String(y)))
    }
}
