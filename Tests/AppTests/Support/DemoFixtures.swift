import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// Records of the demo data that tests address by path: Region Värmland, Funktionsrätt Värmland, Pensionärsrådet
/// and their grant case, meeting, question, consultation and event. Shared by the role × route matrix and the
/// crash probe, which both walk every registered route.
enum DemoFixtures {
    struct Fixtures: Sendable {
        var org: UUID, body: UUID, unit: UUID, role: UUID, collaboration: UUID, targetUser: UUID, targetMembership: UUID
        var programme: UUID, call: UUID, application: UUID, review: UUID, payment: UUID, report: UUID, attachment: UUID
        var forum: UUID, seat: UUID, meeting: UUID, agendaItem: UUID, action: UUID, question: UUID, consultation: UUID, event: UUID, response: UUID
        var agreement: UUID, agreementVersion: UUID, signatory: UUID, agreementForum: UUID, actionPlan: UUID, planActivity: UUID, followUp: UUID
        var partnership: UUID, procurement: UUID, stateAid: UUID, survey: UUID
    }

    static func load(_ t: TestApp) async throws -> Fixtures {
        let org = try await Organisation.query(on: t.db).filter(\.$name == "Funktionsrätt Värmland").first()!.id!
        let body = try await PublicBody.query(on: t.db).filter(\.$name == "Region Värmland").first()!.id!
        let unit = try await OrgUnit.query(on: t.db).filter(\.$name == "Folkhögskolorna").first()!.id!
        let role = try await ContactRole.query(on: t.db).filter(\.$title == "Sekreterare i Pensionärsrådet").first()!.id!
        let rlk = try await OrgUnit.query(on: t.db).filter(\.$name == "Regionledningskontoret").first()!.id!
        let collaboration = try await CollaborationLink.query(on: t.db).filter(\.$unitID == rlk).filter(\.$organisationID == org).first()!.id!
        let analyst = try await AccountService.findUser(email: "analytiker@samverka.example", on: t.db)!.id!
        let membership = try await Membership.query(on: t.db).filter(\.$userID == analyst).first()!.id!
        let programme = try await GrantProgramme.query(on: t.db).filter(\.$bodyID == body).first()!
        let call = try await GrantCall.query(on: t.db).filter(\.$programmeID == programme.id!).first()!.id!
        let application = try await GrantApplication.query(on: t.db).filter(\.$organisationID == org).first()!
        let review = try await GrantReview.query(on: t.db).first()!.id!
        let decision = try await GrantDecision.query(on: t.db).filter(\.$applicationID == application.id!).first()!.id!
        let payment = try await GrantPayment.query(on: t.db).filter(\.$decisionID == decision).first()!.id!
        let report = try await GrantReport.query(on: t.db).filter(\.$decisionID == decision).first()!.id!
        let attachment = GrantAttachment()
        attachment.applicationID = application.id!
        attachment.kind = "verksamhetsberattelse"
        attachment.filename = "verksamhetsberattelse-2025.txt"
        attachment.contentType = "text/plain"
        attachment.data = Data("Verksamhetsberättelse".utf8)
        attachment.size = attachment.data.count
        try await attachment.save(on: t.db)
        let forum = try await Forum.query(on: t.db).filter(\.$name == "Pensionärsrådet").first()!.id!
        let seat = try await ForumService.currentSeats(forumID: forum, on: t.db).first!.id!
        let meeting = try await Meeting.query(on: t.db).filter(\.$forumID == forum).filter(\.$status == .confirmed).first()!.id!
        let agendaItem = try await AgendaItem.query(on: t.db).filter(\.$meetingID == meeting).first()!.id!
        let meetings = try await Meeting.query(on: t.db).filter(\.$forumID == forum).all().map { $0.id! }
        let action = try await MeetingAction.query(on: t.db).filter(\.$meetingID ~~ meetings).first()!.id!
        let question = try await DialogueQuestion.query(on: t.db).filter(\.$forumID == forum).first()!.id!
        let consultation = try await Consultation.query(on: t.db).first()!.id!
        let event = try await DialogueEvent.query(on: t.db).first()!.id!
        let response = ConsultationResponse()
        response.id = UUID()
        response.consultationID = consultation
        response.organisationID = org
        response.generalComment = "Remissvar från Funktionsrätt Värmland."
        response.version = 1
        try await response.create(on: t.db)
        // Överenskommelsen Värmland, Funktionsrätt Värmland's signature, and an action plan and report made here.
        let agreement = try await Agreement.query(on: t.db).filter(\.$title == "Överenskommelsen Värmland").first()!.id!
        let agreementVersion = try await AgreementVersion.query(on: t.db).filter(\.$agreementID == agreement).sort(\.$number, .descending).first()!.id!
        let signatory = try await AgreementSignatory.query(on: t.db).filter(\.$agreementID == agreement).filter(\.$organisationID == org).first()!.id!
        let agreementForum = try await AgreementForum.query(on: t.db).filter(\.$agreementID == agreement).first()!.id!
        let (actionPlan, planActivity, followUp) = try await t.db.write(as: .system("fixtures")) { ctx in
            let p = try await PlanService.savePlan(agreementID: agreement, planID: nil, PlanBody(title: "Handlingsplan 2025–2027", periodFrom: 2025, periodTo: 2027), in: ctx)
            let a = try await PlanService.saveActivity(planID: p.id!, activityID: nil, ActivityBody(area: "Dialog", title: "Dialogdag"), in: ctx)
            let r = try await FollowUpService.save(agreementID: agreement, reportID: nil, FollowUpBody(title: "Årsuppföljning 2025", periodFrom: "2025-01-01", periodTo: "2025-12-31"), in: ctx)
            return (p.id!, a.id!, r.id!)
        }
        // Region Värmland's IOP with EBL-skolan, its reserved procurement, and an aid Funktionsrätt Värmland declared.
        let partnership = try await Partnership.query(on: t.db).filter(\.$bodyID == body).filter(\.$state == .active).first()!.id!
        let procurement = try await ReservedProcurement.query(on: t.db).filter(\.$bodyID == body).first()!.id!
        let stateAid = try await t.db.write(as: .system("fixtures")) { ctx in
            try await StateAidRegister.declare(org, StateAidBody(authority: "Länsstyrelsen Värmland", grantedOn: "2025-05-01", amount: "10000", currency: "SEK"), in: ctx).id!
        }
        // A published survey of Region Värmland, made from the template.
        let survey = try await t.db.write(as: .system("fixtures")) { ctx in
            let s = try await SurveyService.fromTemplate(bodyID: body, title: "Kartläggning Värmland", in: ctx)
            return try await SurveyService.publish(try s.requireID(), true, in: ctx).requireID()
        }
        return Fixtures(org: org, body: body, unit: unit, role: role, collaboration: collaboration, targetUser: analyst, targetMembership: membership,
                        programme: programme.id!, call: call, application: application.id!, review: review, payment: payment, report: report,
                        attachment: attachment.id!, forum: forum, seat: seat, meeting: meeting, agendaItem: agendaItem, action: action,
                        question: question, consultation: consultation, event: event, response: response.id!,
                        agreement: agreement, agreementVersion: agreementVersion, signatory: signatory, agreementForum: agreementForum,
                        actionPlan: actionPlan, planActivity: planActivity, followUp: followUp,
                        partnership: partnership, procurement: procurement, stateAid: stateAid, survey: survey)
    }

    /// A concrete path for a route pattern.
    static func path(_ pattern: String, _ f: Fixtures) -> String {
        var parts: [String] = []
        let segments = pattern.split(separator: "/").map(String.init)
        for (i, s) in segments.enumerated() {
            guard s.hasPrefix(":") else { parts.append(s); continue }
            let prev = i > 0 ? segments[i - 1] : ""
            switch (s, prev) {
            case (":id", "organisations"): parts.append(f.org.uuidString)
            case (":id", "bodies"): parts.append(f.body.uuidString)
            case (":id", "units"): parts.append(f.unit.uuidString)
            case (":id", "roles"): parts.append(f.role.uuidString)
            case (":id", "collaborations"): parts.append(f.collaboration.uuidString)
            case (":id", "users"): parts.append(f.targetUser.uuidString)
            case (":mid", _): parts.append(f.targetMembership.uuidString)
            case (":id", "programmes"): parts.append(f.programme.uuidString)
            case (":id", "calls"): parts.append(f.call.uuidString)
            case (":id", "applications"): parts.append(f.application.uuidString)
            case (":id", "reviews"): parts.append(f.review.uuidString)
            case (":id", "payments"): parts.append(f.payment.uuidString)
            case (":id", "reports"): parts.append(f.report.uuidString)
            case (":id", "attachments"): parts.append(f.attachment.uuidString)
            case (":id", "forums"): parts.append(f.forum.uuidString)
            case (":id", "seats"): parts.append(f.seat.uuidString)
            case (":id", "meetings"): parts.append(f.meeting.uuidString)
            case (":id", "agenda-items"): parts.append(f.agendaItem.uuidString)
            case (":id", "actions"): parts.append(f.action.uuidString)
            case (":id", "questions"): parts.append(f.question.uuidString)
            case (":id", "consultations"): parts.append(f.consultation.uuidString)
            case (":id", "events"): parts.append(f.event.uuidString)
            case (":id", "consultation-responses"): parts.append(f.response.uuidString)
            case (":id", "agreements"): parts.append(f.agreement.uuidString)
            case (":id", "agreement-versions"): parts.append(f.agreementVersion.uuidString)
            case (":id", "agreement-signatories"): parts.append(f.signatory.uuidString)
            case (":id", "agreement-forums"): parts.append(f.agreementForum.uuidString)
            case (":id", "action-plans"): parts.append(f.actionPlan.uuidString)
            case (":id", "plan-activities"): parts.append(f.planActivity.uuidString)
            case (":id", "agreement-reports"): parts.append(f.followUp.uuidString)
            case (":id", "partnerships"): parts.append(f.partnership.uuidString)
            case (":id", "reserved-procurements"): parts.append(f.procurement.uuidString)
            case (":id", "state-aid"): parts.append(f.stateAid.uuidString)
            case (":id", "surveys"): parts.append(f.survey.uuidString)
            case (":code", _): parts.append("1780")
            case (":token", _): parts.append("not-a-real-token")
            default: parts.append(UUID().uuidString)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
