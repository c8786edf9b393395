import FluentKit
import Foundation
import Testing
@testable import App

/// Every model lists its Fluent properties (`var properties`) instead of leaving Fluent to find them by reflection
/// on every row read and every query built: in a profile of the forum page, that reflection was 18 % of the CPU.
/// A property left out of the list would be neither read nor written, silently, so this checks every model's
/// list against what reflection finds, object for object and in order, and that no model is missing here.
@Suite("Model property lists")
struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        APIToken.self, ActionPlan.self, ActivityNote.self, AgendaItem.self, Agreement.self, AgreementForum.self,
        AgreementOwner.self, AgreementSignatory.self, AgreementVersion.self, Area.self, BudgetFrame.self, CalendarFeed.self,
        CollaborationLink.self, Consultation.self, ConsultationComment.self, ConsultationInvitee.self, ConsultationResponse.self,
        ContactRole.self, County.self, DialogueEvent.self, DialogueQuestion.self, EventRegistration.self, ExchangeRate.self,
        FollowUpReport.self, Forum.self, ForumSeat.self, GrantApplication.self, GrantAttachment.self, GrantBodySettings.self,
        GrantCall.self, GrantDecision.self, GrantPayment.self, GrantProgramme.self, GrantReclaim.self, GrantReport.self,
        GrantReview.self, LongTask.self, Meeting.self, MeetingAction.self, MeetingAttendance.self, MeetingDocument.self,
        MemberCount.self, Membership.self, Municipality.self, NotificationPreference.self, OneTimeToken.self, OrgUnit.self,
        Organisation.self, OrganisationArea.self, OrganisationMunicipality.self, OutboxMail.self, Partnership.self,
        PartnershipFollowUp.self, PlanActivity.self, PopulationFigure.self, PublicBody.self, RateLimitHit.self,
        ReportedFigure.self, AuditEvent.self, ReservedProcurement.self, RoleTenure.self, StateAidDeclaration.self, Survey.self,
        SurveyAnswer.self, SurveyRecipient.self, SurveyRespondent.self, UnitArea.self, User.self, UserNotification.self,
        UserSession.self
    ]

    @Test("each model's listed properties are exactly the ones reflection finds, in the same order")
    func listsMatchReflection() {
        for type in Self.models {
            let model = type.init()
            let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
            #expect(listed == reflected, "\(type): \(listed.count) listed, \(reflected.count) found by reflection")
        }
    }

    @Test("every model in the sources is checked here and lists its properties")
    func everyModelIsChecked() throws {
        let checked = Set(Self.models.map { String(describing: $0) })
        var found: Set<String> = []
        let pattern = try Regex(#"final class (\w+): Model\b[^{]*\{"#)
        for file in try ArchitectureTests.sources() {
            for match in file.text.matches(of: pattern) {
                guard let name = match.output[1].substring.map(String.init) else { continue }
                found.insert(name)
                let body = file.text[match.range.upperBound...].prefix(400)
                #expect(body.contains("var properties: [any AnyProperty]"), "\(name) in \(file.path) lists its properties")
            }
        }
        #expect(found.count >= 60)
        #expect(found == checked, "models not checked: \(found.subtracting(checked).sorted()); gone: \(checked.subtracting(found).sorted())")
    }
}
