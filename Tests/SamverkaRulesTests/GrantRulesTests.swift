import Foundation
import Testing
@testable import SamverkaRules

/// The grant rules with the seed's numbers (seed 000: Region Uppsala's youth and pensioner grants,
/// Region Kalmar län's payment model) and their edge cases.
@Suite("Grant rules")
struct GrantRulesTests {
    // Uppsala county (03) and some of its municipalities; one Stockholm municipality.
    static let countyOf = ["0380": "03", "0381": "03", "0382": "03", "0305": "03", "0180": "01"]

    static let youthRule = [
        EligibilityCondition(.levelIn, values: ["regional"]),
        EligibilityCondition(.youngMembersInCounty, min: 200, county: "03"),
        EligibilityCondition(.branchesInMunicipalities, min: 3, county: "03"),
    ]

    static func youthFacts(young: [String: Int], branches: [String], year: Int = 2025) -> EligibilityFacts {
        EligibilityFacts(legalForm: "ideellForening", level: "regional", municipalities: ["0380"], branchMunicipalities: branches,
                         members: young.map { .init(year: year, municipality: $0.key, total: $0.value + 10, young: $0.value) },
                         countyOf: countyOf)
    }

    @Test("Uppsala youth grant: 200 young members in the county and branches in 3 municipalities pass")
    func youth200() {
        let r = EligibilityRules.evaluate(Self.youthRule, facts: Self.youthFacts(young: ["0380": 150, "0381": 50], branches: ["0380", "0381", "0382"]), callYear: 2026)
        #expect(r.status == .pass)
        #expect(r.conditions[1].code == "youngOk" && r.conditions[1].args.first == "200")
    }

    @Test("Uppsala youth grant: 199 young members is not eligible, and the reason gives the count and the requirement")
    func youth199() {
        let r = EligibilityRules.evaluate(Self.youthRule, facts: Self.youthFacts(young: ["0380": 149, "0381": 50], branches: ["0380", "0381", "0382"]), callYear: 2026)
        #expect(r.status == .fail)
        #expect(r.conditions[1].status == .fail)
        #expect(r.conditions[1].code == "youngFail")
        #expect(r.conditions[1].args.first == "199")
        #expect(r.conditions[1].args.last == "200")
    }

    @Test("young members living outside the county do not count")
    func youthOutsideCounty() {
        let r = EligibilityRules.evaluate(Self.youthRule, facts: Self.youthFacts(young: ["0380": 150, "0180": 300], branches: ["0380", "0381", "0382"]), callYear: 2026)
        #expect(r.conditions[1].status == .fail)
    }

    @Test("member figures are those of the year before the grant year; a missing year is unknown, not fail")
    func youthYear() {
        let facts = Self.youthFacts(young: ["0380": 500], branches: ["0380", "0381", "0382"], year: 2023)
        let r = EligibilityRules.evaluate(Self.youthRule, facts: facts, callYear: 2026)
        #expect(r.conditions[1].status == .unknown)
        #expect(r.status == .unknown)
    }

    @Test("branches in only two of the county's municipalities fail; branches elsewhere do not count")
    func branches() {
        let two = EligibilityRules.evaluate(Self.youthRule, facts: Self.youthFacts(young: ["0380": 250], branches: ["0380", "0381", "0180"]), callYear: 2026)
        #expect(two.conditions[2].status == .fail)
        #expect(two.conditions[2].code.hasPrefix("branchesFail") && two.conditions[2].args.first == "2")
        let three = EligibilityRules.evaluate(Self.youthRule, facts: Self.youthFacts(young: ["0380": 250], branches: ["0380", "0381", "0305", "0305"]), callYear: 2026)
        #expect(three.conditions[2].status == .pass)
    }

    @Test("Uppsala pensioner grant: district of a national pensioners' organisation, represented in the pensionärsråd")
    func pensioners() {
        let rule = [
            EligibilityCondition(.levelIn, values: ["regional"]),
            EligibilityCondition(.parentIs, values: ["national"], text: "pensioners"),
            EligibilityCondition(.representedInCouncil, text: "pensionärsråd"),
        ]
        func facts(parentAreas: [String]?, councils: [String]) -> EligibilityFacts {
            EligibilityFacts(legalForm: "ideellForening", level: "regional", municipalities: ["0380"], countyOf: Self.countyOf,
                             councils: councils, parent: parentAreas.map { (level: "national", areas: $0) })
        }
        #expect(EligibilityRules.evaluate(rule, facts: facts(parentAreas: ["pensioners"], councils: ["Region Uppsalas pensionärsråd"]), callYear: 2026).status == .pass)
        let notInCouncil = EligibilityRules.evaluate(rule, facts: facts(parentAreas: ["pensioners"], councils: []), callYear: 2026)
        #expect(notInCouncil.status == .fail)
        #expect(notInCouncil.conditions[2].code == "councilFail" && notInCouncil.conditions[2].args == ["pensionärsråd"])
        #expect(EligibilityRules.evaluate(rule, facts: facts(parentAreas: ["sports"], councils: ["Pensionärsrådet"]), callYear: 2026).conditions[1].status == .fail)
        #expect(EligibilityRules.evaluate(rule, facts: facts(parentAreas: nil, councils: ["Pensionärsrådet"]), callYear: 2026).conditions[1].status == .fail)
    }

    @Test("a missing report from last year and an open reclaim block eligibility")
    func blockers() {
        let rule = [EligibilityCondition(.lastYearReportSubmitted), EligibilityCondition(.notInReclaim)]
        var f = EligibilityFacts(legalForm: "ideellForening", level: "local", municipalities: [], countyOf: [:])
        #expect(EligibilityRules.evaluate(rule, facts: f, callYear: 2026).status == .pass)
        f.lastYearReports = .missing
        #expect(EligibilityRules.evaluate(rule, facts: f, callYear: 2026).conditions[0].status == .fail)
        f.lastYearReports = .allSubmitted
        f.openReclaims = 1
        let r = EligibilityRules.evaluate(rule, facts: f, callYear: 2026)
        #expect(r.status == .fail)
        #expect(r.conditions.map(\.status) == [.pass, .fail])
    }

    @Test("a rule set an official composes is checked: missing parameters, duplicates, bad county")
    func validateRuleSet() {
        let e = EligibilityRules.validate([
            EligibilityCondition(.legalFormIn, values: []),
            EligibilityCondition(.youngMembersInCounty, min: 200),
            EligibilityCondition(.activeInMunicipalities, min: 3, county: "3"),
            EligibilityCondition(.notInReclaim), EligibilityCondition(.notInReclaim),
        ])
        let fields = Set(e.all.map(\.field))
        #expect(fields == ["eligibility[0].values", "eligibility[1].county", "eligibility[2].county", "eligibility[4]"])
        #expect(EligibilityRules.validate(GrantRulesTests.youthRule).isEmpty)
    }

    // MARK: Kalmar payment model

    @Test("Kalmar: the January advance is half of last year's granted amount, rounded down to whole kronor")
    func kalmarAdvance() {
        let a = PaymentRules.kalmarAdvance(lastYearGrantedOre: 24_000_000, year: 2026)
        #expect(a?.amountOre == 12_000_000)
        #expect(a?.dueOn == LocalDate("2026-01-31"))
        #expect(a?.kind == .advance)
        // 100 001,50 kr → half is 50 000,75 kr → 50 000 kr.
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: 10_000_150, year: 2026)?.amountOre == 5_000_000)
        // 3 kr → 1,50 kr → 1 kr.
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: 300, year: 2026)?.amountOre == 100)
    }

    @Test("Kalmar: no previous grant means no advance, and the whole decided amount is paid in June")
    func kalmarNoPrevious() {
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: nil, year: 2026) == nil)
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: 0, year: 2026) == nil)
        let s = PaymentRules.schedule(model: .kalmar, decidedOre: 9_000_000, decidedOn: LocalDate("2026-05-20")!, year: 2026, advancePaidOre: 0)
        #expect(s.payments == [PlannedPayment(kind: .final, dueOn: LocalDate("2026-06-30")!, amountOre: 9_000_000)])
        #expect(s.reclaimOre == 0)
    }

    @Test("Kalmar: final payment in June is the decided amount minus the advance")
    func kalmarFinal() {
        let s = PaymentRules.schedule(model: .kalmar, decidedOre: 26_000_000, decidedOn: LocalDate("2026-05-20")!, year: 2026, advancePaidOre: 12_000_000)
        #expect(s.payments.map(\.amountOre) == [14_000_000])
        #expect(s.payments.first?.dueOn == LocalDate("2026-06-30"))
        // Decided after June: the final falls due after the usual lag.
        let late = PaymentRules.schedule(model: .kalmar, decidedOre: 26_000_000, decidedOn: LocalDate("2026-09-01")!, year: 2026, advancePaidOre: 12_000_000)
        #expect(late.payments.first?.dueOn == LocalDate("2026-09-15"))
    }

    @Test("Kalmar: a decided amount lower than the advance leaves no payment and a reclaim of the difference")
    func kalmarReclaim() {
        let s = PaymentRules.schedule(model: .kalmar, decidedOre: 10_000_000, decidedOn: LocalDate("2026-05-20")!, year: 2026, advancePaidOre: 12_000_000)
        #expect(s.payments.isEmpty)
        #expect(s.reclaimOre == 2_000_000)
        let equal = PaymentRules.schedule(model: .kalmar, decidedOre: 12_000_000, decidedOn: LocalDate("2026-05-20")!, year: 2026, advancePaidOre: 12_000_000)
        #expect(equal.payments.isEmpty && equal.reclaimOre == 0)
        let rejected = PaymentRules.schedule(model: .kalmar, decidedOre: 0, decidedOn: LocalDate("2026-05-20")!, year: 2026, advancePaidOre: 12_000_000)
        #expect(rejected.reclaimOre == 12_000_000)
    }

    @Test("instalments are whole kronor and add up exactly to the decided amount")
    func instalments() {
        let s = PaymentRules.schedule(model: .instalments, decidedOre: 10_000_050, decidedOn: LocalDate("2026-01-15")!, year: 2026, instalments: 3)
        #expect(s.payments.count == 3)
        #expect(s.payments.map(\.amountOre).reduce(0, +) == 10_000_050)
        #expect(s.payments[0].amountOre == 3_333_300)
        #expect(s.payments[2].amountOre == 3_333_450)
        #expect(s.payments.map(\.dueOn) == [LocalDate("2026-01-29")!, LocalDate("2026-05-29")!, LocalDate("2026-09-29")!])
        // Out-of-range counts are clamped to 2…12; month ends are kept valid.
        let clamped = PaymentRules.schedule(model: .instalments, decidedOre: 1_200_000, decidedOn: LocalDate("2026-01-17")!, year: 2026, instalments: 40)
        #expect(clamped.payments.count == 12)
        #expect(clamped.payments[1].dueOn == LocalDate("2026-02-28"))
        #expect(PaymentRules.schedule(model: .single, decidedOre: 0, decidedOn: LocalDate("2026-01-15")!, year: 2026).payments.isEmpty)
    }

    // MARK: Allocation

    @Test("allocation: base + per member + per young member + per municipality, capped")
    func allocation() {
        let a = UUID(), b = UUID()
        let f = AllocationFormula(baseOre: 1_000_000, perMemberOre: 1_000, perYoungMemberOre: 5_000, perMunicipalityOre: 100_000, capOre: 5_000_000)
        let p = AllocationRules.preview([AllocationInput(key: a, members: 300, youngMembers: 250, municipalities: 4, activities: 0),
                                         AllocationInput(key: b, members: 5_000, youngMembers: 1_000, municipalities: 8, activities: 0)], formula: f, frameOre: nil)
        // a: 10 000 + 3 000 + 12 500 + 4 000 kr = 29 500 kr; b: 10 000 + 50 000 + 50 000 + 8 000 = 118 000 kr → cap 50 000 kr.
        #expect(p.lines[0].finalOre == 2_950_000)
        #expect(p.lines[1].formulaOre == 11_800_000)
        #expect(p.lines[1].finalOre == 5_000_000)
        #expect(p.scale == 1)
    }

    @Test("allocation over the frame is scaled down pro rata, in whole kronor, never above the frame")
    func allocationProRata() {
        let keys = (0..<3).map { _ in UUID() }
        let f = AllocationFormula(baseOre: 0, perMemberOre: 100)
        let inputs = zip(keys, [1_000, 2_000, 3_001]).map { AllocationInput(key: $0, members: $1, youngMembers: 0, municipalities: 0, activities: 0) }
        let p = AllocationRules.preview(inputs, formula: f, frameOre: 300_000)
        #expect(p.totalCappedOre == 600_100)
        #expect(p.totalFinalOre <= 300_000)
        #expect(p.lines.allSatisfy { $0.finalOre % 100 == 0 })
        // 100 000 öre × 300 000 / 600 100 = 49 991.7 öre → 499 kr.
        #expect(p.lines[0].finalOre == 49_900)
        #expect(p.lines[2].finalOre == 150_000)
        #expect(abs(p.scale - 300_000.0 / 600_100.0) < 1e-12)
        // Within the frame: untouched.
        #expect(AllocationRules.preview(inputs, formula: f, frameOre: 700_000).totalFinalOre == 600_100)
    }

    // MARK: De minimis, review, calls, money

    @Test("de minimis: three years of state aid, converted at each aid's rate, warns above EUR 300 000")
    func deMinimis() {
        let rates = [StateAidRules.Rate(currency: "SEK", day: LocalDate("2020-01-01")!, perEuro: 11.5)]
        let aid = { (day: String, ore: Int) in StateAidRules.Aid(id: UUID(), source: "grant", grantedOn: LocalDate(day)!, amount: ore, currency: "SEK") }
        let previous = [aid("2024-03-01", 200_000_000), aid("2022-01-10", 900_000_000)]
        // Ceiling 300 000 € = 3 450 000 kr at 11.5: 2 000 000 + 1 450 000 kr is exactly at the ceiling, one öre more passes it.
        let ok = StateAidRules.total(previous + [aid("2026-02-01", 145_000_000)], on: LocalDate("2026-02-01")!, rates: rates, defaultPerEuro: 10)
        #expect(ok.ceilingEuro == 300_000 && ok.euroCents == 30_000_000 && !ok.exceeded)
        #expect(ok.counted.count == 2, "the 2022 grant is outside the three years")
        #expect(StateAidRules.wouldExceed(previous, adding: aid("2026-02-01", 145_000_100), rates: rates, defaultPerEuro: 10) != nil)
    }

    @Test("jäv: undeclared or declared jäv and any tie to the applicant block taking part")
    func jav() {
        #expect(JavRules.blocked(declared: nil, ties: []) == .javNotDeclared)
        #expect(JavRules.blocked(declared: true, ties: []) == .javDeclared)
        #expect(JavRules.blocked(declared: false, ties: [.holdsParentRole]) == .memberOfApplicant)
        #expect(JavRules.blocked(declared: false, ties: [.representsApplicant]) == .memberOfApplicant)
        #expect(JavRules.blocked(declared: false, ties: []) == nil)
    }

    @Test("jäv: declaring is always possible and sets the scores aside; withdrawing it needs a reason")
    func javChanges() {
        #expect(JavRules.changeProblem(from: false, to: true, reason: "Styrelseledamot", withdrawalReason: "") == nil)
        #expect(JavRules.changeProblem(from: nil, to: true, reason: "", withdrawalReason: "") == .reasonRequired)
        #expect(JavRules.changeProblem(from: true, to: false, reason: "x", withdrawalReason: "") == .withdrawalReasonRequired)
        #expect(JavRules.changeProblem(from: true, to: false, reason: "x", withdrawalReason: "Fel organisation angavs.") == nil)
        #expect(JavRules.changeProblem(from: nil, to: false, reason: "", withdrawalReason: "") == nil)
        #expect(JavRules.voidsScores(from: false, to: true))
        #expect(JavRules.voidsScores(from: nil, to: true))
        #expect(!JavRules.voidsScores(from: true, to: true))
        #expect(!JavRules.voidsScores(from: false, to: false))
    }

    @Test("separation of duties: the decider does not attest, the attester does not pay, unless the body relaxes it")
    func duties() {
        let a = UUID(), b = UUID()
        #expect(DutyRules.attest(actor: a, decidedBy: a, relaxed: false) == .attesterDecided)
        #expect(DutyRules.attest(actor: b, decidedBy: a, relaxed: false) == nil)
        #expect(DutyRules.attest(actor: a, decidedBy: a, relaxed: true) == nil)
        #expect(DutyRules.pay(actor: b, attestedBy: b, relaxed: false) == .payerAttested)
        #expect(DutyRules.pay(actor: a, attestedBy: b, relaxed: false) == nil)
        #expect(DutyRules.pay(actor: b, attestedBy: b, relaxed: true) == nil)
    }

    @Test("diarienummer: the automatic series is recognised; a typed number may not look like one")
    func diarienummer() {
        #expect(DiarieRules.format(year: 2026, number: 7) == "BID-2026-0007")
        #expect(DiarieRules.parse("BID-2026-0007")! == (2026, 7))
        #expect(DiarieRules.parse("BID-2026-12345")! == (2026, 12345))
        #expect(DiarieRules.parse("RS 2026/123") == nil)
        #expect(DiarieRules.parse("BID-2026-0000") == nil)
        #expect(DiarieRules.parse("BID-2026-00٣1") == nil)
        #expect(!DiarieRules.typedNumberAllowed("BID-2026-0009", ownNumber: "BID-2026-0001"))
        #expect(DiarieRules.typedNumberAllowed("BID-2026-0001", ownNumber: "BID-2026-0001"))
        #expect(DiarieRules.typedNumberAllowed("RS 2026/123", ownNumber: "BID-2026-0001"))
    }

    @Test("appeal: regions and municipalities by laglighetsprövning, state bodies under förvaltningslagen")
    func appeal() {
        #expect(AppealRules.route(bodyKind: "region") == .laglighetsprovning)
        #expect(AppealRules.route(bodyKind: "municipality") == .laglighetsprovning)
        #expect(AppealRules.route(bodyKind: "lansstyrelse") == .forvaltningslagen)
        #expect(AppealRules.route(bodyKind: "other") == .forvaltningslagen)
    }

    @Test("Kalmar advance from a total of last year's decisions; computed dates never fail for any valid year")
    func kalmarAdvanceSum() {
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: 24_000_000 + 6_000_151, year: 2026)?.amountOre == 15_000_000)
        #expect(PaymentRules.kalmarAdvance(lastYearGrantedOre: 10_000, year: 2200)?.dueOn.description == "2200-01-31")
        #expect(PaymentRules.reportDue(year: 2200, months: 3).description == "2201-03-31")
        #expect(PaymentRules.reportDue(year: 2024, months: 2).description == "2025-02-28")
    }

    @Test("review summary: mean and spread per criterion, weighted mean over criteria")
    func reviewSummary() {
        let criteria = [ReviewRules.Criterion(key: "relevance", label: "Relevans", weight: 2), ReviewRules.Criterion(key: "feasibility", label: "Genomförbarhet", weight: 1)]
        let s = ReviewRules.summary(criteria: criteria, scores: [["relevance": 5, "feasibility": 2], ["relevance": 3, "feasibility": 4], ["relevance": 4]])
        #expect(s.criteria[0].mean == 4)
        #expect(s.criteria[0].spread == 2)
        #expect(s.criteria[1].mean == 3)
        #expect(s.criteria[1].count == 2)
        #expect(s.weighted == (4.0 * 2 + 3.0) / 3)
        #expect(ReviewRules.summary(criteria: criteria, scores: []).weighted == nil)
        #expect(!ReviewRules.validScore(0) && ReviewRules.validScore(5) && !ReviewRules.validScore(6))
    }

    @Test("a call is open from its opening day to the end of its closing day; reports are overdue the day after")
    func callWindow() {
        let opens = LocalDate("2026-02-01")!, closes = LocalDate("2026-03-31")!
        // Noon UTC is the same day in Sweden.
        func at(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T12:00:00Z")! }
        #expect(!CallRules.isOpen(opensOn: opens, closesOn: closes, now: at("2026-01-31")))
        #expect(CallRules.isOpen(opensOn: opens, closesOn: closes, now: at("2026-03-31")))
        #expect(!CallRules.isOpen(opensOn: opens, closesOn: closes, now: at("2026-04-01")))
        #expect(!CallRules.reportOverdue(dueOn: closes, status: "pending", today: closes))
        #expect(CallRules.reportOverdue(dueOn: closes, status: "pending", today: LocalDate("2026-04-01")!))
        #expect(!CallRules.reportOverdue(dueOn: closes, status: "submitted", today: LocalDate("2026-04-01")!))
    }

    @Test("amounts typed the Swedish way parse to öre; negative and malformed amounts are refused")
    func money() {
        #expect(Money.parseKronor("12 345") == 1_234_500)
        #expect(Money.parseKronor("12 345,50 kr") == 1_234_550)
        #expect(Money.parseKronor("12345.5") == 1_234_550)
        #expect(Money.parseKronor("1\u{00A0}000:-") == 100_000)
        #expect(Money.parseKronor("-5") == nil)
        #expect(Money.parseKronor("12,345,6") == nil)
        #expect(Money.parseKronor("1,234") == nil)
        #expect(Money.parseKronor("") == nil)
        #expect(Money.format(1_234_550) == "12\u{00A0}345,50\u{00A0}kr")
        #expect(Money.format(100_000_000, "en") == "SEK 1,000,000")
        #expect(Money.decimal(-250) == "-2.50")
    }

    @Test("the call form builder reads rows in their order, drops removed and empty rows, names bad fields and round-trips")
    func callFormBuilder() {
        var errors = FieldErrors()
        let pairs: [(String, String)] = [
            ("q.0.label", "Syfte"), ("q.0.kind", "text"), ("q.0.required", "true"), ("q.0.position", "2"), ("q.0.help", "Två meningar räcker."),
            ("q.1.label", "Målgrupp för året"), ("q.1.kind", "choice"), ("q.1.options", "Unga\n  \nÄldre\r\nAlla"), ("q.1.position", "1"),
            ("q.2.label", "Verksamhetsplan"), ("q.2.kind", "file"), ("q.2.required", "true"), ("q.2.position", "3"),
            ("q.3.label", "Tas bort"), ("q.3.kind", "text"), ("q.3.remove", "true"),
            ("q.4.label", ""), ("q.4.kind", "text"),
            ("c.0.label", "Relevans"), ("c.0.weight", "3"), ("c.1.label", "Räckvidd"), ("c.1.weight", "två"),
        ]
        let fields = CallFormRows.questions(pairs, errors: &errors)
        #expect(fields.map(\.key) == ["malgruppForAret", "syfte", "verksamhetsplan"])
        #expect(fields.map(\.required) == [false, true, true])
        #expect(fields[0].options == ["Unga", "Äldre", "Alla"])
        #expect(fields[1].help == "Två meningar räcker." && fields[0].help == nil)
        #expect(fields[2].maxMB == 10 && fields[1].maxMB == nil)
        let criteria = CallFormRows.criteria(pairs, errors: &errors)
        #expect(criteria.map(\.key) == ["relevans"])
        #expect(errors.all.map(\.field) == ["c.1.weight"])
        // Saved questions come back as the same fields and read the same.
        var again = FieldErrors()
        #expect(CallFormRows.questions(CallFormRows.pairs(fields, criteria), errors: &again) == fields)
        #expect(CallFormRows.criteria(CallFormRows.pairs(fields, criteria), errors: &again) == criteria)
        #expect(again.all.isEmpty)
        // A choice needs two options, a code is unique and plain, a question needs its text.
        var bad = FieldErrors()
        _ = CallFormRows.questions([("q.0.label", "Val"), ("q.0.kind", "choice"), ("q.0.options", "Ett"),
                                    ("q.1.label", "A"), ("q.1.kind", "text"), ("q.1.key", "dup"), ("q.2.label", "B"), ("q.2.kind", "text"), ("q.2.key", "dup"),
                                    ("q.3.key", "x y"), ("q.3.kind", "text"), ("q.4.label", "C"), ("q.4.kind", "colour")], errors: &bad)
        #expect(bad.all.map(\.field) == ["q.0.options", "q.2.key", "q.3.label", "q.3.key", "q.4.kind"])
        #expect(CallFormRows.slug("Åtgärder för äldre 2027!") == "atgarderForAldre2027")
    }
}
