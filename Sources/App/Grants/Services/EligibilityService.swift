import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Gathers the facts the eligibility conditions look at, as they stood on a day (today for a new application; the
/// decision date for a decided one, so a later reclaim or a late report does not turn a granted application red).
enum EligibilityService {
    static func facts(organisationID: UUID, bodyID: UUID, callYear: Int, asOf instant: Date = Date(), on db: any Database) async throws -> EligibilityFacts {
        let day = LocalDate(instant)
        guard let register = try await DirectoryQueries.registerFacts(organisationID, on: db) else { throw AppError.notFound() }
        let org = register.organisation
        let vocab = try await DirectoryVocabularyService.load(on: db)
        let members = register.memberCounts.map { EligibilityFacts.Members(year: $0.year, municipality: $0.municipality, total: $0.total, young: $0.young) }
        let councils = org.councilMemberships + (try await CouncilFacts.councils(organisationID, on: day, db: db))
        // Last year's grants from this body: had their reports come in by the day?
        let programmes = try await GrantProgramme.query(on: db).filter(\.$bodyID == bodyID).all().compactMap(\.id)
        var reportState = EligibilityFacts.ReportState.nothingOwed
        if !programmes.isEmpty {
            let reports = try await GrantReport.query(on: db).filter(\.$organisationID == organisationID).filter(\.$programmeID ~~ programmes)
                .filter(\.$year == callYear - 1).all()
            if !reports.isEmpty {
                let missing = reports.contains { r in
                    let inByThen = r.submittedAt.map { $0 <= instant } ?? false
                    return !inByThen && r.dueOnDate < day
                }
                reportState = missing ? .missing : .allSubmitted
            }
        }
        // Reclaims that were open on the day: opened by then and not repaid (or cancelled) before it.
        let reclaims = try await GrantReclaim.query(on: db).filter(\.$organisationID == organisationID).all().filter { r in
            guard (r.createdAt ?? .distantPast) <= instant else { return false }
            switch r.status {
            case .open: return true
            case .repaid: return r.repaidOn.map { LocalDate(stored: $0) > day } ?? false
            default: return false
            }
        }.count
        var f = EligibilityFacts(legalForm: org.legalForm.rawValue, level: org.level.rawValue, municipalities: register.municipalities,
                                 branchMunicipalities: register.branchMunicipalities, members: members, countyOf: vocab.countyByMunicipality,
                                 councils: councils, parent: register.parent,
                                 foundedYear: org.foundedYear, lastYearReports: reportState, openReclaims: reclaims)
        f.countyNames = try await DirectoryQueries.countyNames(on: db)
        f.areaNames = vocab.areaLabels.mapValues(\.sv)
        return f
    }

    static func evaluate(programme: GrantProgramme, organisationID: UUID, callYear: Int, asOf instant: Date = Date(), on db: any Database) async throws -> EligibilityResult {
        let facts = try await facts(organisationID: organisationID, bodyID: programme.bodyID, callYear: callYear, asOf: instant, on: db)
        return EligibilityRules.evaluate(programme.conditions, facts: facts, callYear: callYear)
    }
}

extension EligibilityResult {
    /// The reasons written out in `lang` (`invalid.elig.<code>`).
    func localized(_ localizer: Localizer, _ lang: Language) -> EligibilityResult {
        var copy = self
        copy.conditions = conditions.map { $0.localized(localizer, lang) }
        return copy
    }

    func localized(_ req: Request) -> EligibilityResult { localized(req.application.localizer, req.language) }
}

extension ConditionResult {
    func localized(_ localizer: Localizer, _ lang: Language) -> ConditionResult {
        var copy = self
        copy.reason = localizer.text("invalid.elig." + code, lang, args)
        return copy
    }

    /// The failed condition as a field error of the application (its message follows the reader's language).
    var fieldError: FieldError { FieldError(field: "eligibility", code: "elig." + code, args: args) }
}
