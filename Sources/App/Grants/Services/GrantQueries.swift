import Fluent
import Vapor
import SamverkaRules

/// Reading Grants records for pages and the API: lookups by id (404 when missing), lists with filters and paging,
/// and what each principal may see. Controllers call these and render; they build no queries themselves.
enum GrantQueries {
    // MARK: By id

    static func programme(_ id: UUID, on db: any Database) async throws -> GrantProgramme { try await GrantProgramme.require(id, on: db) }

    static func call(_ id: UUID, on db: any Database) async throws -> GrantCall { try await GrantCall.require(id, on: db) }

    static func application(_ id: UUID, on db: any Database) async throws -> GrantApplication { try await GrantApplication.require(id, on: db) }

    /// The application, or nil (for re-rendering a form after an error).
    static func findApplication(_ id: UUID, on db: any Database) async throws -> GrantApplication? { try await GrantApplication.find(id, on: db) }

    static func decision(_ id: UUID, on db: any Database) async throws -> GrantDecision { try await GrantDecision.require(id, on: db) }

    static func findDecision(_ id: UUID, on db: any Database) async throws -> GrantDecision? { try await GrantDecision.find(id, on: db) }

    static func report(_ id: UUID, on db: any Database) async throws -> GrantReport { try await GrantReport.require(id, on: db) }

    static func review(_ id: UUID, on db: any Database) async throws -> GrantReview { try await GrantReview.require(id, on: db) }

    static func attachment(_ id: UUID, on db: any Database) async throws -> GrantAttachment { try await GrantAttachment.require(id, on: db) }

    // MARK: Programmes and calls

    static func programmes(bodyID: UUID?, page: PageRequest, on db: any Database) async throws -> (items: [GrantProgramme], total: Int) {
        var q = GrantProgramme.query(on: db)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        let total = try await q.count()
        return (try await q.sort(\.$name).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    static func allProgrammes(on db: any Database) async throws -> [GrantProgramme] {
        try await GrantProgramme.query(on: db).sort(\.$name).all()
    }

    /// The programmes a principal manages (those of the bodies they work in); nil means every programme (admin).
    static func managedProgrammeIDs(_ p: Principal, on db: any Database) async throws -> [UUID]? {
        if p.isAdmin { return nil }
        let bodies = p.officialBodyIDs
        return bodies.isEmpty ? [] : try await GrantProgramme.query(on: db).filter(\.$bodyID ~~ bodies).all().compactMap(\.id)
    }

    /// Calls, latest closing first, optionally of one programme and/or open on a day.
    static func calls(programmeID: UUID?, openOn day: LocalDate?, page: PageRequest, on db: any Database) async throws -> (items: [GrantCall], total: Int) {
        var q = GrantCall.query(on: db)
        if let programmeID { q = q.filter(\.$programmeID == programmeID) }
        if let day { q = q.filter(\.$opensOn <= day.description).filter(\.$closesOn >= day.description) }
        let total = try await q.count()
        return (try await q.sort(\.$closesOn, .descending).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// Calls open on a day, closing soonest first.
    static func openCalls(on day: LocalDate, db: any Database) async throws -> [GrantCall] {
        try await GrantCall.query(on: db).filter(\.$opensOn <= day.description).filter(\.$closesOn >= day.description).sort(\.$closesOn).all()
    }

    /// A programme's calls, latest closing first.
    static func calls(ofProgramme id: UUID, on db: any Database) async throws -> [GrantCall] {
        try await GrantCall.query(on: db).filter(\.$programmeID == id).sort(\.$closesOn, .descending).all()
    }

    static func callTitles(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await GrantCall.query(on: db).filter(\.$id ~~ Array(Set(ids))).all().keyed { c in c.id.map { ($0, c.title) } }
    }

    // MARK: Applications

    /// The applications a principal may see: their organisations', their bodies' programmes', the ones they review.
    static func visibleApplications(_ p: Principal, on db: any Database) async throws -> QueryBuilder<GrantApplication> {
        let q = GrantApplication.query(on: db)
        if p.isAdmin || Policy.allows(p, .crossBodyRead) { return q }
        let orgs = p.organisationIDs
        let programmeIDs = try await managedProgrammeIDs(p, on: db) ?? []
        let callIDs = programmeIDs.isEmpty ? [] : try await GrantCall.query(on: db).filter(\.$programmeID ~~ programmeIDs).all().compactMap(\.id)
        let reviewed = try await p.userID.asyncMap { uid in try await GrantReview.query(on: db).filter(\.$reviewerID == uid).all().map(\.applicationID) } ?? []
        return q.group(.or) { g in g.filter(\.$organisationID ~~ orgs).filter(\.$callID ~~ callIDs).filter(\.$id ~~ reviewed) }
    }

    /// One page of the applications a principal may see, most recently changed first.
    static func applications(visibleTo p: Principal, callID: UUID? = nil, programmeID: UUID? = nil, status: ApplicationStatus? = nil,
                             page: PageRequest, on db: any Database) async throws -> (items: [GrantApplication], total: Int) {
        var q = try await visibleApplications(p, on: db)
        if let callID { q = q.filter(\.$callID == callID) }
        if let programmeID { q = q.filter(\.$callID ~~ (try await GrantCall.query(on: db).filter(\.$programmeID == programmeID).all().compactMap(\.id))) }
        if let status { q = q.filter(\.$status == status) }
        let total = try await q.count()
        return (try await q.sort(\.$updatedAt, .descending).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// Applications to a call from any of these organisations.
    static func applications(callID: UUID, organisations: [UUID], on db: any Database) async throws -> [GrantApplication] {
        guard !organisations.isEmpty else { return [] }
        return try await GrantApplication.query(on: db).filter(\.$callID == callID).filter(\.$organisationID ~~ organisations).all()
    }

    /// Applications to a programme's calls of a year, optionally only in some statuses.
    static func applications(programmeID: UUID, year: Int, statuses: [ApplicationStatus]? = nil, on db: any Database) async throws -> [GrantApplication] {
        let calls = try await GrantCall.query(on: db).filter(\.$programmeID == programmeID).filter(\.$year == year).all().compactMap(\.id)
        guard !calls.isEmpty else { return [] }
        var q = GrantApplication.query(on: db).filter(\.$callID ~~ calls)
        if let statuses { q = q.filter(\.$status ~~ statuses) }
        return try await q.all()
    }

    static func attachments(applicationID: UUID, on db: any Database) async throws -> [GrantAttachment] {
        try await GrantAttachment.query(on: db).filter(\.$applicationID == applicationID).filter(\.$reportID == nil).all()
    }

    static func attachments(reportID: UUID, on db: any Database) async throws -> [GrantAttachment] {
        try await GrantAttachment.query(on: db).filter(\.$reportID == reportID).sort(\.$filename).all()
    }

    // MARK: Reviews

    static func reviewerIDs(applicationID: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(try await GrantReview.query(on: db).filter(\.$applicationID == applicationID).all().map(\.reviewerID))
    }

    static func reviews(byReviewer uid: UUID, on db: any Database) async throws -> [GrantReview] {
        try await GrantReview.query(on: db).filter(\.$reviewerID == uid).sort(\.$createdAt, .descending).all()
    }

    // MARK: Decisions and money

    static func decisions(applicationID: UUID, on db: any Database) async throws -> [GrantDecision] {
        try await GrantDecision.query(on: db).filter(\.$applicationID == applicationID).sort(\.$createdAt).all()
    }

    static func decisions(programmeID: UUID, year: Int, on db: any Database) async throws -> [GrantDecision] {
        try await GrantDecision.query(on: db).filter(\.$programmeID == programmeID).filter(\.$year == year).all()
    }

    /// One page of the decisions on applications a principal may see, latest first.
    static func decisions(visibleTo p: Principal, programmeID: UUID?, year: Int?, page: PageRequest, on db: any Database) async throws -> (items: [GrantDecision], total: Int) {
        let visible = try await visibleApplications(p, on: db).all().compactMap(\.id)
        var q = GrantDecision.query(on: db).filter(\.$applicationID ~~ visible)
        if let programmeID { q = q.filter(\.$programmeID == programmeID) }
        if let year { q = q.filter(\.$year == year) }
        let total = try await q.count()
        return (try await q.sort(\.$decidedOn, .descending).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// A decision's payments that are not cancelled, by due date.
    static func payments(decisionID: UUID, on db: any Database) async throws -> [GrantPayment] {
        try await GrantPayment.query(on: db).filter(\.$decisionID == decisionID).filter(\.$status != .cancelled).sort(\.$dueOn).all()
    }

    static func paidTotal(programmeID: UUID, year: Int, on db: any Database) async throws -> Int {
        try await GrantPayment.query(on: db).filter(\.$programmeID == programmeID).filter(\.$year == year).filter(\.$status == .paid).all().reduce(0) { $0 + $1.amountOre }
    }

    static func report(decisionID: UUID, on db: any Database) async throws -> GrantReport? {
        try await GrantReport.query(on: db).filter(\.$decisionID == decisionID).first()
    }

    /// Reports of a programme still owed after their due date.
    static func overdueReports(programmeID: UUID, on day: LocalDate, db: any Database) async throws -> [GrantReport] {
        try await GrantReport.query(on: db).filter(\.$programmeID == programmeID)
            .filter(\.$status ~~ [.pending, .completionRequested]).filter(\.$dueOn < day.description).all()
    }

    struct PaymentFilter: Sendable {
        var programmeID: UUID?
        var status: PaymentStatus?
        var dueBefore: LocalDate?
    }

    /// Payments a principal may handle (their bodies' programmes; every one for an admin), by due date; `page` nil for all.
    static func payments(_ f: PaymentFilter, visibleTo p: Principal, page: PageRequest?, on db: any Database) async throws -> (items: [GrantPayment], total: Int) {
        var q = GrantPayment.query(on: db)
        if let managed = try await managedProgrammeIDs(p, on: db) { q = q.filter(\.$programmeID ~~ managed) }
        if let id = f.programmeID { q = q.filter(\.$programmeID == id) }
        if let s = f.status { q = q.filter(\.$status == s) }
        if let d = f.dueBefore { q = q.filter(\.$dueOn <= d.description) }
        let total = try await q.count()
        q = q.sort(\.$dueOn)
        if let page { q = q.range(page.offset..<(page.offset + page.per)) }
        return (try await q.all(), total)
    }

    /// Reports a principal may see (their bodies' programmes and their organisations'), by due date.
    static func reports(visibleTo p: Principal, overdueOn day: LocalDate?, page: PageRequest, on db: any Database) async throws -> (items: [GrantReport], total: Int) {
        var q = GrantReport.query(on: db)
        if !p.isAdmin && !Policy.allows(p, .crossBodyRead) {
            let managed = try await managedProgrammeIDs(p, on: db) ?? []
            let orgs = p.organisationIDs
            q = q.group(.or) { $0.filter(\.$programmeID ~~ managed).filter(\.$organisationID ~~ orgs) }
        }
        if let day { q = q.filter(\.$status ~~ [.pending, .completionRequested]).filter(\.$dueOn < day.description) }
        let total = try await q.count()
        return (try await q.sort(\.$dueOn).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// Reclaims a principal may see (their bodies' programmes and their organisations'), by due date.
    static func reclaims(visibleTo p: Principal, page: PageRequest, on db: any Database, only id: UUID? = nil) async throws -> (items: [GrantReclaim], total: Int) {
        var q = GrantReclaim.query(on: db)
        if let id { q = q.filter(\.$id == id) }
        if !p.isAdmin && !Policy.allows(p, .crossBodyRead) {
            let managed = try await managedProgrammeIDs(p, on: db) ?? []
            let orgs = p.organisationIDs
            q = q.group(.or) { $0.filter(\.$programmeID ~~ managed).filter(\.$organisationID ~~ orgs) }
        }
        let total = try await q.count()
        return (try await q.sort(\.$dueOn).range(page.offset..<(page.offset + page.per)).all(), total)
    }
}
