import Foundation
import Testing
@testable import SamverkaRules

/// The plain rules of Partnerships: the IOP guide's reasoning, the pipeline that cannot be skipped, and de minimis per
/// undertaking with its window in calendar days, leap days and the ceiling before and after 2024.
@Suite("Partnership rules")
struct PartnershipRulesTests {
    func d(_ s: String) -> LocalDate { LocalDate(s)! }

    @Test("the guide: purchase → procure (reserved when it qualifies); not idéburen or one-sided → grant; otherwise IOP, with conditions")
    func guide() {
        #expect(IOPRules.assess(IOPQuestions(buysForOwnNeeds: .yes, paymentForPerformance: .yes)).conclusion == .procure)
        #expect(IOPRules.assess(IOPQuestions(buysForOwnNeeds: .yes, paymentForPerformance: .yes, partnerIsIdeburen: .yes, reservableService: .yes)).conclusion == .reservedProcurement)
        #expect(IOPRules.assess(IOPQuestions(buysForOwnNeeds: .no, partnerIsIdeburen: .no)).conclusion == .grant)
        #expect(IOPRules.assess(IOPQuestions(buysForOwnNeeds: .no, bothContribute: .no, partnerIsIdeburen: .yes)).conclusion == .grant)
        let iop = IOPRules.assess(IOPQuestions(buysForOwnNeeds: .no, bothContribute: .yes, partnerIsIdeburen: .yes, economicActivity: .no, announced: .yes))
        #expect(iop.conclusion == .iopSuitable && iop.conditions.isEmpty && iop.reasons.contains("bothContribute"))
        let unannounced = IOPRules.assess(IOPQuestions(buysForOwnNeeds: .no, bothContribute: .yes, partnerIsIdeburen: .yes, economicActivity: .yes, stateAidCovered: .no, announced: .no))
        #expect(unannounced.conclusion == .iopSuitable && unannounced.conditions == ["stateAidDecision", "announce"])
        let blank = IOPRules.assess(IOPQuestions())
        #expect(blank.conclusion == .undetermined && blank.open.contains("partnerIsIdeburen"))
        // Partial JSON decodes: what is left out is not known.
        let partial = try? JSONDecoder().decode(IOPQuestions.self, from: Data(#"{"bothContribute":"yes"}"#.utf8))
        #expect(partial?.bothContribute == .yes && partial?.announced == .unknown)
    }

    @Test("the pipeline: one state at a time, each with its content; closing needs a reason; closed is closed")
    func pipeline() {
        func codes(_ f: PipelineRules.Facts, _ to: PartnershipState, reason: String = "") -> [String] {
            var e = FieldErrors()
            PipelineRules.move(f, to: to, reason: reason, errors: &e)
            return e.all.compactMap(\.code)
        }
        #expect(codes(.init(state: .initiative), .analysis) == [])
        #expect(codes(.init(state: .initiative), .decision) == ["skipState"])
        #expect(Set(codes(.init(state: .analysis), .assessment)) == ["required", "bodyContribution", "organisationContribution"])
        let analysed = PipelineRules.Facts(state: .analysis, problemAnalysis: "x", goals: ["g"],
                                           contributions: [Contribution(party: "body", kronorPerYear: 1), Contribution(party: "organisation", volunteers: 2)])
        #expect(codes(analysed, .assessment) == [])
        #expect(codes(.init(state: .assessment), .decision) == ["assessmentMissing"])
        #expect(codes(.init(state: .assessment, assessment: .procure, assessedBy: "A"), .decision) == ["assessmentAgainstIOP"])
        #expect(codes(.init(state: .assessment, assessment: .procure, assessedBy: "A", override: "Nämnden vill pröva"), .decision) == [])
        #expect(codes(.init(state: .decision, decision: ("Nämnd", nil, "§ 1", "D 1")), .agreement) == ["decisionMissing"])
        #expect(codes(.init(state: .agreement), .active) == ["required", "required"])
        #expect(codes(.init(state: .analysis), .ended, reason: "x") == ["skipState"])
        #expect(codes(.init(state: .analysis), .withdrawn) == ["required"])
        #expect(codes(.init(state: .rejected), .analysis) == ["partnershipClosed"])
        #expect(PipelineRules.inForce(state: .active, period: (d("2026-01-01"), d("2026-12-31")), on: d("2026-12-31")))
        #expect(!PipelineRules.inForce(state: .agreement, period: (d("2026-01-01"), d("2026-12-31")), on: d("2026-06-01")))
    }

    @Test("de minimis: three years back in calendar days, exactly three years back is outside, 29 February, ceiling 200 000 € before 2024")
    func deMinimis() {
        let rates = [StateAidRules.Rate(currency: "SEK", day: d("2020-01-01"), perEuro: 10), StateAidRules.Rate(currency: "SEK", day: d("2025-01-01"), perEuro: 11)]
        func aid(_ day: String, _ amount: Int, _ currency: String = "SEK") -> StateAidRules.Aid {
            .init(id: UUID(), source: "declared", grantedOn: d(day), amount: amount, currency: currency)
        }
        #expect(StateAidRules.windowStart(endingOn: d("2026-12-01")) == d("2023-12-02"))
        #expect(StateAidRules.windowStart(endingOn: d("2028-02-29")) == d("2025-03-01"), "29 February counts back to 28 February")
        #expect(StateAidRules.windowStart(endingOn: d("2027-02-28")) == d("2024-02-29"))
        let aids = [aid("2023-12-01", 1_000_000_00), aid("2023-12-02", 1_000_000_00), aid("2025-06-01", 1_100_000_00), aid("2024-02-29", 20_000_00, "EUR")]
        let t = StateAidRules.total(aids, on: d("2026-12-01"), rates: rates, defaultPerEuro: 99)
        // 1 000 000 kr at 10 (2023) = 100 000 €; 1 100 000 kr at 11 (2025) = 100 000 €; 20 000 € as is.
        #expect(t.euroCents == 22_000_000 && t.counted.count == 3 && t.ceilingEuro == 300_000)
        #expect(StateAidRules.total(aids, on: d("2027-02-28"), rates: rates, defaultPerEuro: 99).euroCents == 12_000_000, "the leap-day aid is in on 28 Feb 2027")
        #expect(StateAidRules.total(aids, on: d("2027-03-01"), rates: rates, defaultPerEuro: 99).euroCents == 10_000_000, "and out on 1 March")
        #expect(StateAidRules.ceilingEuro(on: d("2023-12-31")) == 200_000 && StateAidRules.ceilingEuro(on: d("2024-01-01")) == 300_000)
        #expect(StateAidRules.rate("NOK", on: d("2026-01-01"), rates: rates, defaultPerEuro: 11.7) == 11.7, "the default only where no rate is known")
        #expect(StateAidRules.wouldExceed(aids, adding: aid("2026-12-01", 1_000_000_00), rates: rates, defaultPerEuro: 99) != nil, "220 000 + 90 909 € passes 300 000 €")
    }
}
