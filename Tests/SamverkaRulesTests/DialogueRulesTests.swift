import Foundation
import Testing
@testable import SamverkaRules

/// The plain rules of Dialogue: meeting plans, composition, quorum, feedback deadlines and rate, registration, iCalendar.
@Suite("Dialogue rules")
struct DialogueRulesTests {
    func d(_ s: String) -> LocalDate { LocalDate(s)! }

    @Test("ISO weekday of known dates")
    func weekday() {
        #expect(d("2026-11-23").isoWeekday == 1)   // Monday
        #expect(d("1970-01-01").isoWeekday == 4)   // Thursday
        #expect(d("2026-02-01").isoWeekday == 7)   // Sunday
        #expect(d("1969-12-31").isoWeekday == 3)
    }

    @Test("4 meetings a year fall in February, May, August and November on the second Tuesday")
    func defaultPlan() {
        #expect(CadenceRules.defaultMonths(4) == [2, 5, 8, 11])
        let plan = CadenceRules.plan(Cadence(meetingsPerYear: 4), year: 2026, forumName: "Pensionärsrådet")
        #expect(plan.map(\.date.description) == ["2026-02-10", "2026-05-12", "2026-08-11", "2026-11-10"])
        #expect(plan.allSatisfy { $0.date.isoWeekday == 2 && !$0.isExtra })
    }

    @Test("Kalmar: 4 meetings + 1 autumn meeting on regional plan and budget gives five, the extra on the month's last weekday")
    func kalmarPlan() {
        let c = Cadence(meetingsPerYear: 4, weekday: 3, extra: [.init(month: 10, title: "Höstmöte om regionplan och budget")])
        let plan = CadenceRules.plan(c, year: 2026, forumName: "Pensionärsrådet")
        #expect(plan.count == 5)
        let extra = try! #require(plan.first { $0.isExtra })
        #expect(extra.date == d("2026-10-28"))   // last Wednesday of October 2026
        #expect(extra.title == "Höstmöte om regionplan och budget")
        #expect(plan.map(\.date) == plan.map(\.date).sorted())
    }

    @Test("cadence validation names the failing fields")
    func cadenceValidation() {
        let bad = Cadence(meetingsPerYear: 13, months: [1, 1], weekday: 8, week: 5, startTime: "25:00", durationMinutes: 5, extra: [.init(month: 13, title: " ")])
        let fields = Set(CadenceRules.validate(bad).all.map(\.field))
        #expect(fields.isSuperset(of: ["cadence.meetingsPerYear", "cadence.months", "cadence.weekday", "cadence.week", "cadence.startTime",
                                       "cadence.durationMinutes", "cadence.extra[0].month", "cadence.extra[0].title"]))
        #expect(CadenceRules.validate(Cadence(meetingsPerYear: 4)).all.isEmpty)
        #expect(TimeOfDay("9:05")?.description == "09:05")
        #expect(TimeOfDay("9.05") == nil)
    }

    @Test("RÖS-gruppen: 5 politicians + 5 organisation representatives; a missing one is warned about")
    func composition() {
        let rules = [CompositionRule(category: "politician", min: 5, max: 5), CompositionRule(category: "organisation", min: 5, max: 5)]
        #expect(CompositionRules.check(rules, ordinarySeatsByCategory: ["politician": 5, "organisation": 5]).isEmpty)
        let w = CompositionRules.check(rules, ordinarySeatsByCategory: ["politician": 4, "organisation": 6])
        #expect(w.map(\.category) == ["politician", "organisation"])
        #expect(w[0].count == 4 && w[1].count == 6)
        #expect(!CompositionRules.validate([CompositionRule(category: "x", min: 3, max: 1)]).all.isEmpty)
    }

    @Test("quorum is more than half of the ordinary seats")
    func quorum() {
        #expect(!MeetingRules.hasQuorum(ordinarySeats: 6, present: 3))
        #expect(MeetingRules.hasQuorum(ordinarySeats: 6, present: 4))
        #expect(MeetingRules.hasQuorum(ordinarySeats: 5, present: 3))
        #expect(!MeetingRules.hasQuorum(ordinarySeats: 0, present: 0))
        #expect(MeetingRules.mayPublish(status: .held, chairApproved: true, adjusterApproved: true))
        #expect(!MeetingRules.mayPublish(status: .held, chairApproved: true, adjusterApproved: false))
        #expect(!MeetingRules.mayChange(from: .held, to: .published))
        #expect(!MeetingRules.mayChange(from: .published, to: .confirmed))
    }

    @Test("feedback deadline: days, or the next meeting but at least a week away")
    func deadline() {
        let raised = d("2026-03-01")
        #expect(FeedbackRules.deadline(raisedOn: raised, days: 30, byNextMeeting: false, nextMeeting: d("2026-03-10")) == d("2026-03-31"))
        #expect(FeedbackRules.deadline(raisedOn: raised, days: 30, byNextMeeting: true, nextMeeting: d("2026-03-20")) == d("2026-03-20"))
        #expect(FeedbackRules.deadline(raisedOn: raised, days: 30, byNextMeeting: true, nextMeeting: d("2026-03-03")) == d("2026-03-08"))
        #expect(FeedbackRules.deadline(raisedOn: raised, days: 30, byNextMeeting: true, nextMeeting: nil) == d("2026-03-31"))
    }

    @Test("feedback rate: answered in time over answered plus overdue; open questions count once late; median days")
    func rate() {
        let today = d("2026-06-01")
        let f = FeedbackRules.rate([
            .init(raisedOn: d("2026-01-01"), deadline: d("2026-01-31"), answeredOn: d("2026-01-11")),   // in time, 10 days
            .init(raisedOn: d("2026-02-01"), deadline: d("2026-03-03"), answeredOn: d("2026-03-13")),   // late, 40 days
            .init(raisedOn: d("2026-04-01"), deadline: d("2026-05-01"), answeredOn: nil),              // overdue
            .init(raisedOn: d("2026-05-20"), deadline: d("2026-06-19"), answeredOn: nil),              // pending: not judged
        ], today: today)
        #expect(f.judged == 3 && f.answeredInTime == 1 && f.answeredLate == 1 && f.overdue == 1 && f.pending == 1)
        #expect(f.share == 1.0 / 3.0)
        #expect(f.medianDays == 25)
        let none = FeedbackRules.rate([.init(raisedOn: d("2026-05-20"), deadline: d("2026-06-19"), answeredOn: nil)], today: today)
        #expect(none.share == nil && none.medianDays == nil)
        // Answered on the deadline day counts as in time.
        #expect(FeedbackRules.rate([.init(raisedOn: d("2026-01-01"), deadline: d("2026-01-31"), answeredOn: d("2026-01-31"))], today: today).share == 1)
    }

    @Test("question status changes and reminders")
    func questionFlow() {
        #expect(FeedbackRules.mayChange(from: .received, to: .answered))
        #expect(FeedbackRules.mayChange(from: .inProgress, to: .forwarded))
        #expect(!FeedbackRules.mayChange(from: .closed, to: .answered))
        #expect(!FeedbackRules.mayChange(from: .received, to: .closed))
        #expect(FeedbackRules.needsReminder(status: .received, deadline: d("2026-06-10"), today: d("2026-06-07"), alreadyReminded: false))
        #expect(!FeedbackRules.needsReminder(status: .received, deadline: d("2026-06-10"), today: d("2026-06-06"), alreadyReminded: false))
        #expect(!FeedbackRules.needsReminder(status: .answered, deadline: d("2026-06-10"), today: d("2026-06-09"), alreadyReminded: false))
        #expect(!FeedbackRules.needsReminder(status: .inProgress, deadline: d("2026-06-10"), today: d("2026-06-09"), alreadyReminded: true))
    }

    @Test("consultations accept responses until the deadline day and publish them after it")
    func consultation() {
        #expect(ConsultationRules.acceptsResponses(status: .open, deadline: d("2026-06-10"), today: d("2026-06-10")))
        #expect(!ConsultationRules.acceptsResponses(status: .open, deadline: d("2026-06-10"), today: d("2026-06-11")))
        #expect(!ConsultationRules.acceptsResponses(status: .draft, deadline: d("2026-06-10"), today: d("2026-06-01")))
        #expect(!ConsultationRules.responsesPublic(deadline: d("2026-06-10"), today: d("2026-06-10")))
        #expect(ConsultationRules.responsesPublic(deadline: d("2026-06-10"), today: d("2026-06-11")))
        #expect(!ConsultationRules.compilationComplete(outcomes: ["accepted", nil]))
        #expect(ConsultationRules.compilationComplete(outcomes: ["accepted", "noted"]))
    }

    @Test("event registration: places, then the waiting list, which moves up when places free")
    func registration() {
        #expect(RegistrationRules.statusForNew(capacity: 2, registered: 1) == .registered)
        #expect(RegistrationRules.statusForNew(capacity: 2, registered: 2) == .waitlisted)
        #expect(RegistrationRules.statusForNew(capacity: nil, registered: 500) == .registered)
        #expect(RegistrationRules.promotions(capacity: 3, registered: 1, waiting: 5) == 2)
        #expect(RegistrationRules.promotions(capacity: 3, registered: 3, waiting: 5) == 0)
        #expect(RegistrationRules.isOpen(closesOn: d("2026-06-01"), startsOn: d("2026-06-10"), today: d("2026-06-01")))
        #expect(!RegistrationRules.isOpen(closesOn: d("2026-06-01"), startsOn: d("2026-06-10"), today: d("2026-06-02")))
    }

    @Test("only officials of the body run its forums; representatives take part for their own organisation")
    func policy() {
        let body = UUID(), other = UUID(), org = UUID()
        let official = Principal(userID: UUID(), displayName: "o", grants: [Grant(role: .official, bodyID: body)], method: .token)
        let rep = Principal(userID: UUID(), displayName: "r", grants: [Grant(role: .representative, organisationID: org)], method: .token)
        let politician = Principal(userID: UUID(), displayName: "p", grants: [Grant(role: .politician, bodyID: body)], method: .token)
        #expect(Policy.allows(official, .dialogueManage, .body(body, unitPath: [])))
        #expect(!Policy.allows(official, .dialogueManage, .body(other, unitPath: [])))
        #expect(!Policy.allows(rep, .dialogueManage))
        #expect(Policy.allows(rep, .dialogueParticipate, .organisation(org)))
        #expect(!Policy.allows(rep, .dialogueParticipate, .organisation(UUID())))
        #expect(Policy.allows(politician, .dialogueParticipate))
        #expect(!Policy.allows(politician, .dialogueParticipate, .organisation(org)))
        #expect(!Policy.allows(official, .dialogueParticipate))
    }
}
