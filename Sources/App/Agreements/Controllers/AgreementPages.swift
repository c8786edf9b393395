import Fluent
import Vapor
import SamverkaRules

/// The agreement's pages: the list, the agreement with its versions, principles, signatories, governance, action plans
/// and reports, a version with what changed, the principle dashboard and a printable follow-up report.
enum AgreementPages {
    static func register(_ site: Router) {
        let manage = Access.scoped(.agreementsManage, AgreementService.agreementScope)
        site.get("agreements", access: .anyone, use: index)
        site.get("agreements", ":id", access: .anyone, use: show)
        site.get("agreements", ":id", "dashboard", access: .anyone, use: dashboard)
        site.get("agreement-versions", ":id", access: .anyone, use: version)
        site.get("agreement-reports", ":id", access: .anyone, use: report)
        site.get("agreement-reports", ":id", "figures.csv", access: .anyone, use: AgreementAPIController.reportCSV)
        AgreementFormPages.register(site, manage: manage)
    }

    static func lang(_ req: Request) -> String { req.language.rawValue }

    static func day(_ raw: String?, _ req: Request) -> String {
        raw.flatMap(LocalDate.stored).map { $0.formatted(lang(req)) } ?? ""
    }

    // MARK: List

    @Sendable static func index(_ req: Request) async throws -> Response {
        struct Row: Encodable, Sendable { var href: String; var title: String; var owners: String; var kind: String; var state: String; var signatories: Int; var isDemo: Bool }
        struct Data: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var canCreate: Bool; var onDay: String }
        let list = try await AgreementQueries.agreements(visibleTo: req.principal, bodyID: try req.uuidParameter("body"), inForceOn: try req.dateParameter("inForceOn"), on: req.db)
        var rows: [Row] = []
        for a in list {
            let d = try await AgreementService.dto(a, on: req.db)
            rows.append(Row(href: "/agreements/\(d.id)", title: d.title, owners: d.owners.map(\.name).joined(separator: ", "),
                            kind: req.label(AgreementKind.self, d.kind), state: req.t("agreementState.\(d.state)"), signatories: d.signatories, isDemo: d.isDemo))
        }
        return try await req.page("agreements/index", title: req.t("agreements.title"),
                                  Data(rows: rows, hasRows: !rows.isEmpty, canCreate: Policy.allows(req.principal, .agreementsManage), onDay: LocalDate.today().formatted(lang(req))))
    }

    // MARK: Agreement

    struct VersionRow: Encodable, Sendable { var href: String; var number: Int; var status: String; var detail: String }
    struct SignatoryRow: Encodable, Sendable {
        var name: String; var href: String; var signedOn: String; var via: String?; var onPaper: Bool; var isDemo: Bool; var withdrawHref: String?
    }
    struct TimelineRow: Encodable, Sendable { var month: String; var count: Int; var y: Int; var labelY: Int; var width: Int; var valueX: Int }
    struct GovernanceRow: Encodable, Sendable { var href: String; var name: String; var role: String; var missing: [String]; var hasMissing: Bool; var removeAction: String? }
    struct ActivityRow: Encodable, Sendable {
        var title: String; var area: String; var owner: String; var partners: String; var due: String; var status: String; var isLate: Bool
        var notes: [String]; var editHref: String?; var noteHref: String?; var links: [Link]
    }
    struct PlanView: Encodable, Sendable { var title: String; var period: String; var activities: [ActivityRow]; var hasActivities: Bool; var addHref: String? }
    struct ReportRow: Encodable, Sendable { var href: String; var title: String; var detail: String }
    struct PrincipleView: Encodable, Sendable { var name: String; var description: String; var isPortal: Bool; var national: String? }

    static func activityLinks(_ links: [ActivityLinkDTO], _ req: Request) -> [Link] {
        links.compactMap { l in
            let href: String?
            switch l.kind {
            case "forum": href = "/forums/\(l.id)"
            case "meeting": href = "/meetings/\(l.id)"
            case "consultation": href = "/consultations/\(l.id)"
            case "event": href = "/events/\(l.id)"
            case "grantProgramme": href = "/grants/programmes/\(l.id)"
            case "grantDecision": href = "/grants/decisions/\(l.id)"
            default: href = nil
            }
            return href.map { Link(href: $0, label: req.t("activityLinkKind.\(l.kind)")) }
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable {
            var a: AgreementDTO; var kind: String; var state: String; var owners: String; var partyHref: String?; var firstInForce: String
            var manage: Bool; var canSign: Bool; var csrf: String
            var versions: [VersionRow]; var principles: [PrincipleView]; var principlesOf: String
            var signatories: [SignatoryRow]; var hasSignatories: Bool; var timeline: [TimelineRow]; var hasTimeline: Bool; var chartHeight: Int
            var governance: [GovernanceRow]; var hasGovernance: Bool; var plans: [PlanView]; var hasPlans: Bool
            var reports: [ReportRow]; var hasReports: Bool; var today: String
        }
        let a = try await AgreementService.readable(try AgreementAPIController.id(req), req.principal, on: req.db)
        let aid = try a.requireID()
        let dto = try await AgreementService.dto(a, on: req.db)
        let manage = try await AgreementService.mayManage(aid, req.principal, on: req.db)
        let versions = try await AgreementService.visibleVersions(aid, req.principal, on: req.db)
        let today = LocalDate.today()
        let inForce = AgreementRules.inForce(versions.map(\.facts), on: today).flatMap { f in versions.first { $0.id == f.id } }
        let shown = inForce ?? versions.last
        let versionRows = versions.reversed().compactMap { v -> VersionRow? in
            guard let id = v.id else { return nil }
            var detail: [String] = []
            if let on = v.adoptedOn { detail.append(req.t("agreement.adoptedText", day(on, req), v.adoptingOrgan, v.paragraph)) }
            if let from = v.validFrom { detail.append(req.t("agreement.validFromText", day(from, req))) }
            if let end = v.endedOn { detail.append(req.t("agreement.endedText", day(end, req))) }
            if v.status == .consultation, let d = v.consultationDeadline { detail.append(req.t("agreement.consultationUntil", day(d, req))) }
            return VersionRow(href: "/agreement-versions/\(id)", number: v.number, status: req.label(AgreementVersionStatus.self, v.status.rawValue), detail: detail.joined(separator: " · "))
        }
        let principles = (shown?.principleList ?? []).map {
            PrincipleView(name: $0.name, description: $0.description, isPortal: $0.isPortal, national: $0.nationalKey.map { req.t($0.labelKey) })
        }
        let mine = Set(req.principal.organisationIDs)
        let signed = try await SignatoryService.list(aid, on: today, db: req.db)
        let signatories = signed.map { s in
            SignatoryRow(name: s.organisationName, href: "/organisations/\(s.organisationId)", signedOn: day(s.signedOn, req), via: s.contactRoleTitle,
                         onPaper: s.onPaper, isDemo: s.isDemo, withdrawHref: manage || mine.contains(s.organisationId) ? "/agreement-signatories/\(s.id)/withdraw" : nil)
        }
        let points = try await SignatoryService.timeline(aid, until: today, on: req.db)
        let maxCount = max(1, points.map(\.count).max() ?? 1)
        // One row per year-end (and the current month) keeps the chart readable over many years.
        let timeline = points.enumerated().filter { $0.element.month.hasSuffix("-12") || $0.offset == points.count - 1 }
            .enumerated().map { i, p in
                let width = p.element.count * 400 / maxCount
                return TimelineRow(month: p.element.month, count: p.element.count, y: 8 + i * 26, labelY: 22 + i * 26, width: width, valueX: 90 + width + 6)
            }
        let governance = try await AgreementService.governance(aid, on: req.db).map { g in
            GovernanceRow(href: "/forums/\(g.forumId)", name: g.forumName, role: req.t("governanceRole.\(g.role)"), missing: g.seatsNotSignatories.map(\.name),
                          hasMissing: !g.seatsNotSignatories.isEmpty, removeAction: manage ? "/agreement-forums/\(g.id)/remove" : nil)
        }
        var plans: [PlanView] = []
        for p in try await PlanService.plans(aid, on: req.db) {
            let d = try await PlanService.dto(p, on: req.db)
            plans.append(PlanView(title: d.title, period: "\(d.periodFrom)–\(d.periodTo)", activities: d.activities.map { x in
                ActivityRow(title: x.title, area: x.area, owner: x.ownerRoleTitle ?? "", partners: x.partners, due: day(x.dueOn, req),
                            status: req.label(ActivityStatus.self, x.status), isLate: x.isLate,
                            notes: x.notes.map { "\(day($0.writtenOn, req)): \($0.text)" },
                            editHref: manage ? "/plan-activities/\(x.id)/edit" : nil, noteHref: manage ? "/plan-activities/\(x.id)/notes/new" : nil,
                            links: activityLinks(x.links, req))
            }, hasActivities: !d.activities.isEmpty, addHref: manage ? "/action-plans/\(d.id)/activities/new" : nil))
        }
        let reports = try await FollowUpService.reports(aid, req.principal, on: req.db).compactMap { r -> ReportRow? in
            guard let id = r.id else { return nil }
            let status = r.approvedOn.map { req.t("followUp.approvedOn", day($0, req), r.diarienummer) } ?? req.t("followUp.draft")
            return ReportRow(href: "/agreement-reports/\(id)", title: r.title,
                             detail: "\(req.label(FollowUpKind.self, r.kind.rawValue)) · \(day(r.periodFrom, req))–\(day(r.periodTo, req)) · \(status)")
        }
        let canSign = !req.principal.organisationIDs.isEmpty || manage
        return try await req.page("agreements/agreement", title: a.title, Data(
            a: dto, kind: req.label(AgreementKind.self, dto.kind), state: req.t("agreementState.\(dto.state)"), owners: dto.owners.map(\.name).joined(separator: ", "),
            partyHref: dto.partyOrganisationId.map { "/organisations/\($0)" }, firstInForce: day(dto.firstInForceOn, req),
            manage: manage, canSign: canSign && dto.firstInForceOn != nil, csrf: req.csrfToken,
            versions: Array(versionRows), principles: principles, principlesOf: shown.map { req.t("agreement.principlesOf", String($0.number)) } ?? "",
            signatories: signatories, hasSignatories: !signatories.isEmpty, timeline: timeline, hasTimeline: !timeline.isEmpty, chartHeight: 16 + timeline.count * 26,
            governance: governance, hasGovernance: !governance.isEmpty, plans: plans, hasPlans: !plans.isEmpty,
            reports: reports, hasReports: !reports.isEmpty, today: today.formatted(lang(req))))
    }

    // MARK: Version

    @Sendable static func version(_ req: Request) async throws -> Response {
        struct Piece: Encodable, Sendable { var text: String; var added: Bool; var removed: Bool }
        struct SectionView: Encodable, Sendable { var title: String; var change: String; var changed: Bool; var pieces: [Piece]; var oldTitle: String? }
        struct Data: Encodable, Sendable {
            var v: AgreementVersionDTO; var agreementHref: String; var agreementTitle: String; var status: String; var manage: Bool; var csrf: String
            var isDraft: Bool; var adopted: String?; var sections: [SectionView]; var comparedWith: Int; var hasComparison: Bool
            var principles: [PrincipleView]; var principlesAdded: [String]; var principlesRemoved: [String]; var consultationHref: String?
            var hasSections: Bool; var hasAdded: Bool; var hasRemoved: Bool
        }
        let v = try await AgreementService.readableVersion(try AgreementAPIController.id(req), req.principal, on: req.db)
        let a = try await AgreementService.find(v.agreementID, on: req.db)
        let manage = try await AgreementService.mayManage(v.agreementID, req.principal, on: req.db)
        let other = try await AgreementAPIController.against(req, v)
        let diff = AgreementService.diff(v, against: other)
        let sections = diff.sections.filter { $0.change != .removed || other != nil }.map { s in
            SectionView(title: s.newTitle ?? s.oldTitle ?? "", change: req.t("diff.\(s.change.rawValue)"), changed: other != nil && s.change != .unchanged,
                        pieces: s.pieces.map { Piece(text: $0.text, added: other != nil && $0.kind == .added, removed: $0.kind == .removed) },
                        oldTitle: s.oldTitle != s.newTitle ? s.oldTitle : nil)
        }
        let dto = try AgreementService.versionDTO(v)
        let adopted = v.adoptedOn.map { req.t("agreement.adoptedText", day($0, req), v.adoptingOrgan, v.paragraph) + (v.diarienummer.isEmpty ? "" : " · \(v.diarienummer)") }
        return try await req.page("agreements/version", title: req.t("agreement.versionTitle", a.title, String(v.number)), Data(
            v: dto, agreementHref: "/agreements/\(v.agreementID)", agreementTitle: a.title, status: req.label(AgreementVersionStatus.self, v.status.rawValue),
            manage: manage, csrf: req.csrfToken, isDraft: v.status == .draft, adopted: adopted, sections: sections, comparedWith: other?.number ?? 0,
            hasComparison: other != nil,
            principles: v.principleList.map { PrincipleView(name: $0.name, description: $0.description, isPortal: $0.isPortal, national: $0.nationalKey.map { req.t($0.labelKey) }) },
            principlesAdded: other == nil ? [] : diff.principlesAdded, principlesRemoved: diff.principlesRemoved,
            consultationHref: v.consultationID.map { "/consultations/\($0)" }, hasSections: !sections.isEmpty,
            hasAdded: other != nil && !diff.principlesAdded.isEmpty, hasRemoved: !diff.principlesRemoved.isEmpty))
    }

    // MARK: Dashboard

    static func formatted(_ i: IndicatorDTO, value: Double?, _ req: Request) -> String {
        guard let value, !i.insufficient else { return req.t("indicator.insufficient") }
        switch i.unit {
        case "share": return "\(Int((value * 100).rounded())) %"
        case "days": return req.t("indicator.days", value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value))
        default: return String(Int(value))
        }
    }

    static func recordHref(_ kind: String, _ id: UUID) -> String? {
        switch kind {
        case "meetings": return "/meetings/\(id)"
        case "grantDecisions": return "/grants/decisions/\(id)"
        case "grantReports": return "/grants/reports/\(id)"
        case "organisations": return "/organisations/\(id)"
        default: return nil
        }
    }

    @Sendable static func dashboard(_ req: Request) async throws -> Response {
        struct Trend: Encodable, Sendable { var year: Int; var value: String }
        struct Row: Encodable, Sendable {
            var name: String; var value: String; var insufficient: Bool; var basis: String; var definition: String; var trend: [Trend]
            var records: [Link]; var hasRecords: Bool; var moreRecords: Int; var id: String
        }
        struct Group: Encodable, Sendable { var principle: String; var rows: [Row] }
        struct Data: Encodable, Sendable { var agreementHref: String; var agreementTitle: String; var year: Int; var groups: [Group]; var years: [Link]; var apiHref: String }
        let a = try await AgreementService.readable(try AgreementAPIController.id(req), req.principal, on: req.db)
        let aid = try a.requireID()
        let thisYear = LocalDate.today().year
        var year = thisYear
        if let raw = req.queryValue("year"), !raw.isEmpty {
            guard let y = Int(raw), (2000...2100).contains(y) else { throw AppError.badRequest(req.t("indicator.badYear"), field: "year") }
            year = y
        }
        let dto = try await FollowUpService.indicators(aid, year: year, on: req.db)
        let groups = NationalPrinciple.allCases.compactMap { p -> Group? in
            let rows = dto.indicators.filter { $0.principle == p.rawValue }.map { i in
                let links = i.records.prefix(20).enumerated().compactMap { n, id in recordHref(i.recordKind, id).map { Link(href: $0, label: req.t("indicator.record.\(i.recordKind)", String(n + 1))) } }
                // Name and definition in the reader's language (the catalogue's Swedish text is the API's `definition`).
                return Row(name: req.t("indicator.name.\(i.key)"), value: formatted(i, value: i.value, req), insufficient: i.insufficient,
                           basis: req.t("indicator.basis.\(i.unit)", String(i.numerator), String(i.denominator)), definition: req.t("indicator.def.\(i.key)"),
                           trend: i.trend.map { Trend(year: $0.year, value: $0.insufficient ? "–" : formatted(i, value: $0.value, req)) },
                           records: links, hasRecords: !links.isEmpty, moreRecords: max(0, i.records.count - 20), id: i.key)
            }
            return rows.isEmpty ? nil : Group(principle: req.t(p.labelKey), rows: rows)
        }
        let years = (max(2000, thisYear - 5)...thisYear).reversed().map { Link(href: "/agreements/\(aid)/dashboard?year=\($0)", label: String($0), note: $0 == year ? "current" : nil) }
        return try await req.page("agreements/dashboard", title: req.t("indicator.title", a.title), Data(
            agreementHref: "/agreements/\(aid)", agreementTitle: a.title, year: year, groups: groups, years: years,
            apiHref: "/api/v1/agreements/\(aid)/indicators?year=\(year)"))
    }

    // MARK: Report

    @Sendable static func report(_ req: Request) async throws -> Response {
        struct Figure: Encodable, Sendable { var label: String; var value: String }
        struct Data: Encodable, Sendable {
            var r: FollowUpDTO; var kind: String; var period: String; var agreementHref: String; var agreementTitle: String; var figures: [Figure]
            var manage: Bool; var approvedText: String?; var csvHref: String
        }
        let r = try await FollowUpService.readable(try AgreementAPIController.id(req), req.principal, on: req.db)
        let a = try await AgreementService.find(r.agreementID, on: req.db)
        let dto = try await FollowUpService.dto(r, on: req.db)
        let manage = try await AgreementService.mayManage(r.agreementID, req.principal, on: req.db)
        let figures = dto.figures.keyed.map { Figure(label: req.t("followUp.figure.\($0.key)"), value: String($0.value)) }
        return try await req.page("agreements/report", title: dto.title, Data(
            r: dto, kind: req.label(FollowUpKind.self, dto.kind), period: "\(day(dto.periodFrom, req))–\(day(dto.periodTo, req))",
            agreementHref: "/agreements/\(r.agreementID)", agreementTitle: a.title, figures: Array(figures), manage: manage && !dto.approved,
            approvedText: dto.approvedOn.map { req.t("followUp.approvedOn", day($0, req), dto.diarienummer) }, csvHref: "/agreement-reports/\(dto.id)/figures.csv"))
    }
}
