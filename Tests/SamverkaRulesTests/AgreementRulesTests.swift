import Foundation
import Testing
@testable import SamverkaRules

/// The plain rules of Agreements: in force on a day, adoption and ending, § and diarienummer, sections and their diff,
/// principles, signatures, action plans, the text format and the principle indicators.
@Suite("Agreement rules")
struct AgreementRulesTests {
    func d(_ s: String) -> LocalDate { LocalDate(s)! }
    let a = UUID(), b = UUID(), c = UUID()

    func version(_ id: UUID, _ n: Int, _ status: AgreementVersionStatus, drafted: String, from: String? = nil, ended: String? = nil, deadline: String? = nil) -> AgreementVersionFacts {
        AgreementVersionFacts(id: id, number: n, status: status, draftedOn: d(drafted), adoptedOn: from.map(d), validFrom: from.map(d),
                              endedOn: ended.map(d), consultationDeadline: deadline.map(d))
    }

    @Test("in force: the adopted version that has started and not been replaced or ended")
    func inForce() {
        let vs = [version(a, 1, .replaced, drafted: "2017-09-01", from: "2018-06-12", ended: "2022-06-14"),
                  version(b, 2, .adopted, drafted: "2021-10-01", from: "2022-06-14"),
                  version(c, 3, .draft, drafted: "2026-01-01")]
        #expect(AgreementRules.inForce(vs, on: d("2018-06-11")) == nil)
        #expect(AgreementRules.inForce(vs, on: d("2018-06-12"))?.number == 1)
        #expect(AgreementRules.inForce(vs, on: d("2022-06-13"))?.number == 1)
        #expect(AgreementRules.inForce(vs, on: d("2022-06-14"))?.number == 2)
        #expect(AgreementRules.firstInForce(vs) == d("2018-06-12"))
        #expect(!AgreementRules.mayStartDraft(vs))
        let ended = [version(a, 1, .ended, drafted: "2017-09-01", from: "2018-06-12", ended: "2024-01-01")]
        #expect(AgreementRules.inForce(ended, on: d("2023-12-31"))?.number == 1)
        #expect(AgreementRules.inForce(ended, on: d("2024-01-01")) == nil)
    }

    @Test("adoption: after the draft and the remiss, § and diarienummer well formed, never overlapping an adopted version")
    func adoption() {
        let old = version(a, 1, .adopted, drafted: "2017-09-01", from: "2018-06-12")
        let draft = version(b, 2, .consultation, drafted: "2021-10-01", deadline: "2022-03-31")
        func codes(_ adopted: String, from: String? = nil, paragraph: String = "§ 88", diarie: String = "RV 2022-00456") -> [String] {
            var e = FieldErrors()
            _ = AgreementRules.adoption(of: draft, among: [old, draft], adoptedOn: adopted, validFrom: from, paragraph: paragraph, diarienummer: diarie, organ: "Regionstyrelsen", errors: &e)
            return e.all.compactMap(\.code)
        }
        #expect(codes("2022-06-14") == [])
        #expect(codes("2021-09-30").contains("adoptedBeforeDraft"))
        #expect(codes("2022-03-31") == ["adoptedDuringConsultation"])
        #expect(codes("2022-06-14", from: "2018-01-01").contains("overlapsVersion"))
        #expect(codes("2022-06-14", from: "2022-06-01") == ["validBeforeAdoption"])
        #expect(codes("2022-06-14", paragraph: "§ 0174") == ["paragraphFormat"])
        #expect(codes("2022-06-14", diarie: "RV<2022>") == ["diarieFormat"])
        #expect(codes("2022-13-01").contains("date"))
        var e = FieldErrors()
        let ok = AgreementRules.adoption(of: draft, among: [old, draft], adoptedOn: "2022-06-14", validFrom: nil, paragraph: "88", diarienummer: "RV 2022-00456", organ: "Regionstyrelsen", errors: &e)
        #expect(ok?.paragraph == "§ 88" && ok?.validFrom == d("2022-06-14"))
        #expect(AgreementRules.replacedBy(ok!, among: [old, draft], except: b) == [a])
    }

    @Test("paragraphs as minutes write them")
    func paragraphs() {
        for (raw, expected) in [("§ 174", "§ 174"), ("174", "§ 174"), ("§174", "§ 174"), ("174 §", "§ 174"), ("§ 12 a", "§ 12 a")] {
            var e = FieldErrors()
            #expect(AgreementRules.paragraph(raw, field: "p", errors: &e) == expected, "\(raw)")
        }
        for raw in ["", "§", "tolv", "§ 12 ab", "§ 123456", "1\u{301}74"] {
            var e = FieldErrors()
            #expect(AgreementRules.paragraph(raw, field: "p", errors: &e) == nil, "\(raw)")
            #expect(!e.isEmpty)
        }
    }

    @Test("ending: only what is in force, not before it began, with a reason")
    func ending() {
        let current = version(a, 1, .adopted, drafted: "2017-09-01", from: "2018-06-12")
        var e = FieldErrors()
        #expect(AgreementRules.end(current, endedOn: "2024-01-01", reason: "Ny struktur", errors: &e)?.0 == d("2024-01-01"))
        e = FieldErrors()
        _ = AgreementRules.end(current, endedOn: "2018-06-12", reason: "x", errors: &e)
        #expect(e.all.compactMap(\.code) == ["endBeforeStart"])
        e = FieldErrors()
        _ = AgreementRules.end(nil, endedOn: "2024-01-01", reason: "x", errors: &e)
        #expect(e.all.compactMap(\.code) == ["nothingInForce"])
    }

    @Test("what changed between versions: sections matched by key, words added and removed")
    func diff() {
        let old = [AgreementSection(key: "syfte", title: "Syfte", text: "Att stärka samverkan."), AgreementSection(key: "uppfoljning", title: "Uppföljning", text: "Varje år.")]
        let new = [AgreementSection(key: "syfte", title: "Syfte", text: "Att stärka och utveckla samverkan."), AgreementSection(key: "rad", title: "Råd", text: "Tre råd.")]
        let changes = SectionDiff.compare(old, new)
        #expect(changes.map(\.change) == [.changed, .added, .removed])
        let pieces = changes[0].pieces
        #expect(pieces.filter { $0.kind == .added }.map(\.text).joined().contains("och utveckla"))
        #expect(pieces.filter { $0.kind != .added }.map(\.text).joined() == "Att stärka samverkan.")
        #expect(pieces.filter { $0.kind != .removed }.map(\.text).joined() == "Att stärka och utveckla samverkan.")
        #expect(SectionDiff.compare(old, old).allSatisfy { $0.change == .unchanged })
    }

    @Test("principles: the six national ones first; names unique, one portal principle, national keys once")
    func principles() {
        #expect(PrincipleRules.national.map(\.nationalKey) == NationalPrinciple.allCases.map { Optional($0) })
        var e = FieldErrors()
        let ok = PrincipleRules.validate([PrincipleInput(name: "Dialog", description: "Portal.", nationalKey: "dialog", isPortal: true),
                                          PrincipleInput(name: "Samhandling", description: "")], errors: &e)
        #expect(e.isEmpty && ok.map(\.key) == ["dialog", "p2"] && ok[0].isPortal)
        e = FieldErrors()
        _ = PrincipleRules.validate([PrincipleInput(name: "Dialog", description: "", nationalKey: "dialog", isPortal: true),
                                     PrincipleInput(name: "dialog", description: "", nationalKey: "dialogue", isPortal: true)], errors: &e)
        #expect(Set(e.all.compactMap(\.code)) == ["duplicate", "onePortal"])
        e = FieldErrors()
        _ = PrincipleRules.validate([], errors: &e)
        #expect(e.all.compactMap(\.code) == ["required"])
    }

    @Test("signatures: after adoption, not in the future, not twice; withdrawal after signing; counts on any day")
    func signatures() {
        let org = UUID(), other = UUID()
        let today = d("2026-12-01")
        var e = FieldErrors()
        #expect(SignatoryRules.sign(organisationID: org, on: "2019-01-01", firstAdopted: d("2018-06-12"), existing: [], today: today, errors: &e) == d("2019-01-01"))
        for (raw, adopted, code) in [("2018-06-11", "2018-06-12", "signedBeforeAdoption"), ("2027-01-01", "2018-06-12", "inFuture"), ("2019-01-01", nil, "notAdopted")] as [(String, String?, String)] {
            e = FieldErrors()
            _ = SignatoryRules.sign(organisationID: org, on: raw, firstAdopted: adopted.map(d), existing: [], today: today, errors: &e)
            #expect(e.all.compactMap(\.code).contains(code), "\(code)")
        }
        let s = SignatoryRules.Signature(organisationID: org, signedOn: d("2019-01-01"), withdrawnOn: nil)
        e = FieldErrors()
        _ = SignatoryRules.sign(organisationID: org, on: "2020-01-01", firstAdopted: d("2018-06-12"), existing: [s], today: today, errors: &e)
        #expect(e.all.compactMap(\.code) == ["alreadySigned"])
        e = FieldErrors()
        _ = SignatoryRules.withdraw(s, on: "2019-01-01", today: today, errors: &e)
        #expect(e.all.compactMap(\.code) == ["withdrawnBeforeSigning"])
        let gone = SignatoryRules.Signature(organisationID: org, signedOn: d("2019-01-01"), withdrawnOn: d("2021-01-01"))
        let all = [gone, SignatoryRules.Signature(organisationID: other, signedOn: d("2020-05-05"), withdrawnOn: nil)]
        #expect(SignatoryRules.active(all, on: d("2020-12-31")) == [org, other])
        #expect(SignatoryRules.active(all, on: d("2021-01-01")) == [other], "withdrawal takes effect on its day")
        let moves = FollowUpFigures.signatories(all, from: d("2021-01-01"), to: d("2021-12-31"))
        #expect(moves.start == 2 && moves.joined == 0 && moves.left == 1 && moves.end == 1)
        let timeline = SignatoryRules.timeline(all, until: d("2021-02-15"))
        #expect(timeline.first?.month == d("2019-01-01") && timeline.first?.count == 1 && timeline.last?.count == 1 && timeline.count == 26)
    }

    @Test("action plans: periods in order and apart; status changes; late activities")
    func plans() {
        var e = FieldErrors()
        #expect(ActionPlanRules.period(from: 2024, to: 2026, errors: &e)! == (2024, 2026))
        e = FieldErrors()
        _ = ActionPlanRules.period(from: 2026, to: 2024, errors: &e)
        #expect(e.all.compactMap(\.code) == ["periodOrder"])
        #expect(ActionPlanRules.overlaps((2026, 2027), others: [(2024, 2026)]))
        #expect(!ActionPlanRules.overlaps((2027, 2029), others: [(2024, 2026)]))
        #expect(ActionPlanRules.mayChange(from: .planned, to: .done) && !ActionPlanRules.mayChange(from: .done, to: .planned))
        #expect(ActionPlanRules.isLate(status: .ongoing, dueOn: d("2025-12-31"), today: d("2026-01-01")))
        #expect(!ActionPlanRules.isLate(status: .done, dueOn: d("2025-12-31"), today: d("2026-01-01")))
    }

    @Test("the text format: ## headings make sections, keys kept from the previous version; principles one per line")
    func textFormat() {
        let previous = [AgreementSection(key: "s1", title: "Syfte", text: "x")]
        let s = AgreementTextFormat.sections(from: "Inledande ord.\r\n## Syfte\nAtt stärka.\n\n## Råd och mötesplatser\nTre råd.", previous: previous)
        #expect(s.map(\.title) == ["Inledning", "Syfte", "Råd och mötesplatser"])
        #expect(s.map(\.key) == ["inledning", "s1", "rad-och-motesplatser"])
        #expect(s[1].text == "Att stärka.")
        #expect(AgreementTextFormat.sections(from: AgreementTextFormat.text(of: s)) .map(\.text) == s.map(\.text))
        let p = AgreementTextFormat.principles(from: "* Dialog: Portalprincip.\nKvalitet: God kvalitet.\n\nSamhandling")
        #expect(p.map(\.name) == ["Dialog", "Kvalitet", "Samhandling"])
        #expect(p.map(\.isPortal) == [true, false, false] && p.map(\.nationalKey) == ["dialog", "kvalitet", nil])
    }

    @Test("indicators: computed from the facts, with a definition each; too little data says so instead of 0 %")
    func indicators() {
        let today = d("2026-12-01")
        let org1 = UUID(), org2 = UUID(), org3 = UUID()
        func meeting(_ day: String, _ status: String, published: String? = nil, items: Int = 2, publicItems: Int = 2) -> PrincipleFacts.Meeting {
            .init(id: UUID(), day: d(day), status: status, publishedOn: published.map(d), agendaItems: items, publicAgendaItems: publicItems)
        }
        func grant(_ org: UUID, _ kind: String, _ kronor: Int, continues: Bool = false) -> PrincipleFacts.Grant {
            .init(decisionID: UUID(), organisationID: org, programmeID: UUID(), kind: kind, amountOre: kronor * 100, decidedOn: d("2025-03-01"), continuesFromYearBefore: continues)
        }
        let facts = PrincipleFacts(
            meetings: [meeting("2025-02-10", "published", published: "2025-02-24"), meeting("2025-05-12", "published", published: "2025-05-20", publicItems: 1),
                       meeting("2025-09-15", "published", published: "2025-09-17"), meeting("2025-11-10", "cancelled", items: 0, publicItems: 0)],
            feedback: FeedbackRules.rate([], today: today),
            grants: [grant(org1, "organisationsbidrag", 100_000), grant(org2, "projektbidrag", 50_000, continues: true), grant(org3, "verksamhetsbidrag", 50_000)],
            reports: [.init(id: UUID(), approved: true, completionRequests: 0), .init(id: UUID(), approved: true, completionRequests: 2),
                      .init(id: UUID(), approved: true, completionRequests: 0), .init(id: UUID(), approved: false, completionRequests: 0)],
            participants: [org1: (["1780"], ["social"]), org2: (["1780", "1781"], ["culture"]), org3: ([], ["social"])], municipalitiesInCounty: 16)
        let v = Dictionary(uniqueKeysWithValues: IndicatorCatalogue.compute(facts, today: today).map { ($0.key, $0) })
        #expect(v.count == IndicatorCatalogue.all.count)
        #expect(IndicatorCatalogue.all.allSatisfy { !$0.definition.isEmpty })
        #expect(Set(IndicatorCatalogue.all.map(\.principle)) == Set(NationalPrinciple.allCases), "every principle has an indicator")
        #expect(v["meetingsHeld"]?.value == 0.75 && v["meetingsHeld"]?.records.count == 4)
        #expect(v["publicItems"]?.numerator == 5 && v["publicItems"]?.denominator == 6)
        #expect(v["daysToMinutes"]?.value == 8, "median of 14, 8 and 2 days")
        #expect(v["longTermMoney"]?.value == 0.75, "organisationsbidrag 100 000 and a continued project 50 000 of 200 000")
        #expect(v["untiedMoney"]?.value == 0.75, "organisations- and verksamhetsbidrag 150 000 of 200 000")
        #expect(v["municipalSpread"]?.numerator == 2 && v["municipalSpread"]?.denominator == 16)
        #expect(v["areaSpread"]?.value == 2)
        #expect(v["reportsWithoutCompletion"]?.numerator == 2 && v["reportsWithoutCompletion"]?.denominator == 3)
        // No questions: the feedback rate has no basis and says so.
        #expect(v["feedbackRate"]?.insufficient == true && v["feedbackRate"]?.value == nil)
        let empty = IndicatorCatalogue.compute(PrincipleFacts(meetings: [], feedback: FeedbackRules.rate([], today: today), grants: [], reports: [],
                                                              participants: [:], municipalitiesInCounty: 16), today: today)
        #expect(empty.allSatisfy { $0.insufficient && $0.value == nil })
    }
}
