import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App
import SamverkaRules

/// The överenskommelse end to end through the API, on SQLite and PostgreSQL: its life from draft to revision, signatures,
/// the action plan, a follow-up report whose figures match the records and freeze on approval, and the principle indicators.
@Suite("Agreements", .serialized)
struct AgreementFlowTests {
    struct World: Sendable {
        var body: UUID; var otherBody: UUID; var org: UUID; var org2: UUID
        var official: TestApp.TestUser; var otherOfficial: TestApp.TestUser; var representative: TestApp.TestUser
        var agreement: AgreementDTO
    }

    static func world(_ t: TestApp) async throws -> World {
        let body = try await t.region("17", name: "Region Värmland")
        let other = try await t.region("25", name: "Region Norrbotten")
        let org = try await t.organisation("Nätverket Testlän", orgnr: "802000-0009", level: "regional", areas: ["social"], municipalities: ["1780"])
        let org2 = try await t.organisation("Föreningen Två", areas: ["culture"], municipalities: ["1781"])
        let official = try await t.user(.official, body: body)
        let otherOfficial = try await t.user(.official, body: other)
        let representative = try await t.user(.representative, organisation: org)
        let res = try await t.api(.POST, "/api/v1/agreements", token: official.token, json: AgreementBody(
            title: "Överenskommelsen Testlän", kind: "regional", purpose: "Samverkan på en gemensam värdegrund.", scope: "Hela länet",
            ownerBodyIds: [body.uuidString], partyOrganisationId: org.uuidString, partyName: "Den idéburna sektorn"))
        try #require(res.status == .created, "\(res.text)")
        return World(body: body, otherBody: other, org: org, org2: org2, official: official, otherOfficial: otherOfficial,
                     representative: representative, agreement: try res.decode(AgreementDTO.self))
    }

    static func versions(_ t: TestApp, _ w: World) async throws -> [AgreementVersionDTO] {
        try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/versions", token: w.official.token).decode([AgreementVersionDTO].self)
    }

    /// Writes the first draft and adopts it on `day` (the draft's date is moved back so the day is after it).
    static func adopted(_ t: TestApp, _ w: World, on day: String) async throws -> AgreementVersionDTO {
        let draft = try #require(try await versions(t, w).first)
        try await t.db.write(as: .system("test")) { ctx in
            let v = try await AgreementVersion.require(draft.id, on: ctx.db)
            v.draftedOn = "2017-01-01"
            try await v.save(on: ctx.db)
        }
        let put = try await t.api(.PUT, "/api/v1/agreement-versions/\(draft.id)", token: w.official.token, json: VersionBody(sections: [
            SectionBody(title: "Syfte", text: "Att stärka samverkan mellan regionen och civilsamhället."),
            SectionBody(title: "Uppföljning", text: "Följs upp varje år."),
        ]))
        try #require(put.status == .ok, "\(put.text)")
        let adopt = try await t.api(.POST, "/api/v1/agreement-versions/\(draft.id)/adopt", token: w.official.token, json: AdoptionBody(
            adoptedOn: day, decidingOrgan: "Regionstyrelsen", paragraph: "174", diarienummer: "RS 2018-00123"))
        try #require(adopt.status == .ok, "\(adopt.text)")
        return try adopt.decode(AgreementVersionDTO.self)
    }

    @Test("an official drafts, sends out for consultation, adopts and revises an agreement; bad input changes nothing")
    func lifecycle() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            #expect(w.agreement.state == "draft" && w.agreement.owners.map(\.id) == [w.body])
            // The first draft starts with the six national principles; drafts are hidden from visitors.
            let draft = try #require(try await Self.versions(t, w).first)
            #expect(draft.status == "draft" && draft.principles.map(\.key).sorted() == NationalPrinciple.rawValues.sorted())
            #expect(try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/versions").decode([AgreementVersionDTO].self).isEmpty)
            #expect(try await t.api(.GET, "/api/v1/agreement-versions/\(draft.id)").status == .notFound)
            // Another body's official may neither change it nor move it to their own body.
            #expect(try await t.api(.PUT, "/api/v1/agreement-versions/\(draft.id)", token: w.otherOfficial.token, json: VersionBody(sections: [])).status == .forbidden)
            #expect(try await t.api(.PUT, "/api/v1/agreements/\(w.agreement.id)", token: w.otherOfficial.token,
                                    json: AgreementBody(ownerBodyIds: [w.otherBody.uuidString], version: w.agreement.version)).status == .forbidden)
            // The owner may not hand it to a body they are not an official of either.
            let moved = try await t.api(.PUT, "/api/v1/agreements/\(w.agreement.id)", token: w.official.token,
                                        json: AgreementBody(ownerBodyIds: [w.otherBody.uuidString], version: w.agreement.version))
            #expect(moved.status == .unprocessableEntity && moved.text.contains("ownerBodyIds"))

            // Text in sections; a local principle renamed, one added, the portal principle marked.
            let principles = [PrincipleInput(name: "Dialog", description: "Portalprincip.", nationalKey: "dialog", isPortal: true),
                              PrincipleInput(name: "Kvalitet", description: "", nationalKey: "kvalitet"),
                              PrincipleInput(name: "Samhandling", description: "Lokal princip.")]
            let put = try await t.api(.PUT, "/api/v1/agreement-versions/\(draft.id)", token: w.official.token, json: VersionBody(sections: [
                SectionBody(title: "Syfte", text: "Att stärka samverkan."), SectionBody(title: "Principer", text: "Tre principer.")], principles: principles))
            #expect(put.status == .ok, "\(put.text)")
            let twoPortals = try await t.api(.PUT, "/api/v1/agreement-versions/\(draft.id)", token: w.official.token, json: VersionBody(principles: [
                PrincipleInput(name: "A", description: "", isPortal: true), PrincipleInput(name: "B", description: "", isPortal: true)]))
            #expect(twoPortals.status == .unprocessableEntity && twoPortals.text.contains("onePortal"))

            // Out for consultation: a remiss in Dialogue with one section per section; adoption waits for its deadline.
            let deadline = LocalDate.today().adding(days: 30)
            let consult = try await t.api(.POST, "/api/v1/agreement-versions/\(draft.id)/consultation", token: w.official.token,
                                          json: ConsultationRequestBody(deadline: deadline.description))
            try #require(consult.status == .ok, "\(consult.text)")
            let out = try consult.decode(AgreementVersionDTO.self)
            let remiss = try await t.api(.GET, "/api/v1/consultations/\(try #require(out.consultationId))").decode(ConsultationDTO.self)
            #expect(remiss.status == "open" && remiss.sections.map(\.title) == ["Syfte", "Principer"])
            #expect(out.status == "consultation")
            // Visitors read a version out for consultation.
            #expect(try await t.api(.GET, "/api/v1/agreement-versions/\(draft.id)").status == .ok)

            // Bad adoptions: during the remiss, before the draft, malformed § and diarienummer — each a field error, nothing changes.
            let today = LocalDate.today().description
            for (body, field, code) in [
                (AdoptionBody(adoptedOn: today, decidingOrgan: "Regionfullmäktige", paragraph: "§ 12", diarienummer: "RS 2026-1"), "adoptedOn", "adoptedDuringConsultation"),
                (AdoptionBody(adoptedOn: "2001-01-01", decidingOrgan: "Regionfullmäktige", paragraph: "§ 12", diarienummer: "RS 2026-1"), "adoptedOn", "adoptedBeforeDraft"),
                (AdoptionBody(adoptedOn: deadline.adding(days: 1).description, decidingOrgan: "Regionfullmäktige", paragraph: "tolv", diarienummer: "RS 2026-1"), "paragraph", "paragraphFormat"),
                (AdoptionBody(adoptedOn: deadline.adding(days: 1).description, decidingOrgan: "Regionfullmäktige", paragraph: "§ 12", diarienummer: "<x>"), "diarienummer", "diarieFormat"),
                (AdoptionBody(adoptedOn: "2026-02-30", decidingOrgan: "Regionfullmäktige", paragraph: "§ 12", diarienummer: "RS 2026-1"), "adoptedOn", "date"),
            ] {
                let r = try await t.api(.POST, "/api/v1/agreement-versions/\(draft.id)/adopt", token: w.official.token, json: body)
                #expect(r.status == .unprocessableEntity, "\(code): \(r.text)")
                #expect(r.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
                #expect(r.text.contains("\"\(field)\"") && r.text.contains(code), "\(code): \(r.text)")
            }
            #expect(try await Self.versions(t, w).first?.status == "consultation", "nothing changed")
        }
    }

    @Test("adopting, revising and seeing the difference; two versions are never in force on the same day")
    func revision() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let v1 = try await Self.adopted(t, w, on: "2018-06-12")
            #expect(v1.status == "adopted" && v1.paragraph == "§ 174" && v1.validFrom == "2018-06-12")
            // A second draft copies the text; a third cannot start while it is under way.
            let v2 = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/versions", token: w.official.token).decode(AgreementVersionDTO.self)
            #expect(v2.number == 2 && v2.sections == v1.sections)
            #expect(try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/versions", token: w.official.token).status == .conflict)
            let put = try await t.api(.PUT, "/api/v1/agreement-versions/\(v2.id)", token: w.official.token, json: VersionBody(sections: [
                SectionBody(key: v1.sections[0].key, title: "Syfte", text: "Att stärka och utveckla samverkan mellan regionen och civilsamhället."),
                SectionBody(title: "Råd", text: "Samverkan sker i tre råd."),
            ]))
            try #require(put.status == .ok, "\(put.text)")
            try await t.db.write(as: .system("test")) { ctx in
                let v = try await AgreementVersion.require(v2.id, on: ctx.db)
                v.draftedOn = "2021-10-01"
                try await v.save(on: ctx.db)
            }
            // Starting before the version in force is refused (overlap).
            let overlap = try await t.api(.POST, "/api/v1/agreement-versions/\(v2.id)/adopt", token: w.official.token, json: AdoptionBody(
                adoptedOn: "2022-06-14", validFrom: "2018-06-12", decidingOrgan: "Regionstyrelsen", paragraph: "§ 88", diarienummer: "RS 2022-00456"))
            #expect(overlap.status == .unprocessableEntity && overlap.text.contains("overlapsVersion"))
            let ok = try await t.api(.POST, "/api/v1/agreement-versions/\(v2.id)/adopt", token: w.official.token, json: AdoptionBody(
                adoptedOn: "2022-06-14", decidingOrgan: "Regionstyrelsen", paragraph: "§ 88", diarienummer: "RS 2022-00456"))
            try #require(ok.status == .ok, "\(ok.text)")
            let all = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/versions").decode([AgreementVersionDTO].self)
            #expect(all.map(\.status) == ["replaced", "adopted"] && all[0].endedOn == "2022-06-14")
            // In force on a day: exactly one version, the right one.
            for (day, expected) in [("2018-06-11", nil), ("2018-06-12", 1), ("2022-06-13", 1), ("2022-06-14", 2)] as [(String, Int?)] {
                let list = try await t.api(.GET, "/api/v1/agreements?body=\(w.body)&inForceOn=\(day)").decode([AgreementDTO].self)
                #expect(list.count == (expected == nil ? 0 : 1), "\(day)")
            }
            // What changed, section by section.
            let diff = try await t.api(.GET, "/api/v1/agreement-versions/\(v2.id)/diff").decode(VersionDiffDTO.self)
            #expect(diff.from == 1 && diff.to == 2)
            #expect(diff.sections.map(\.change) == [.changed, .added, .removed], "\(diff.sections.map(\.change))")
            #expect(diff.sections[0].pieces.contains { $0.kind == .added && $0.text.contains("utveckla") })
            // Ending it: before the version began is refused; then nothing is in force from the end day.
            let early = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/end", token: w.official.token, json: EndBody(endedOn: "2020-01-01", endReason: "Ersätts"))
            #expect(early.status == .unprocessableEntity && early.text.contains("endBeforeStart"))
            let end = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/end", token: w.official.token, json: EndBody(endedOn: "2024-01-01", endReason: "Ny struktur"))
            #expect(end.status == .ok, "\(end.text)")
            #expect(try await t.api(.GET, "/api/v1/agreements?inForceOn=2024-01-01").decode([AgreementDTO].self).isEmpty)
            #expect(try await t.api(.GET, "/api/v1/agreements?inForceOn=2023-12-31").decode([AgreementDTO].self).count == 1)
            #expect(try await AuditEvent.query(on: t.db).filter(\.$entityType == "agreementVersion").filter(\.$action == "adopt").count() == 2)
        }
    }

    @Test("a representative signs and withdraws; the signatories on any day; a signatory must be in the Directory")
    func signatures() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            // Not adopted yet: nobody can sign.
            let early = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                        json: SignBody(organisationId: w.org.uuidString, signedOn: LocalDate.today().description))
            #expect(early.status == .unprocessableEntity && early.text.contains("notAdopted"))
            _ = try await Self.adopted(t, w, on: "2018-06-12")
            // A representative signs for their own organisation only.
            #expect(try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                    json: SignBody(organisationId: w.org2.uuidString, signedOn: "2019-01-01")).status == .forbidden)
            let before = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                         json: SignBody(organisationId: w.org.uuidString, signedOn: "2018-01-01"))
            #expect(before.status == .unprocessableEntity && before.text.contains("signedBeforeAdoption"))
            let signed = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                         json: SignBody(organisationId: w.org.uuidString, signedOn: "2019-03-01"))
            try #require(signed.status == .created, "\(signed.text)")
            let s = try signed.decode(SignatoryDTO.self)
            #expect(!s.onPaper)
            #expect(try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                    json: SignBody(organisationId: w.org.uuidString, signedOn: "2019-04-01")).text.contains("alreadySigned"))
            // An official records a paper signature; an organisation not in the Directory is a field error.
            let paper = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.official.token,
                                        json: SignBody(organisationId: w.org2.uuidString, signedOn: "2020-05-05"))
            #expect(paper.status == .created)
            #expect(try paper.decode(SignatoryDTO.self).onPaper)
            let unknown = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.official.token,
                                          json: SignBody(organisationId: UUID().uuidString, signedOn: "2020-05-05"))
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("organisationId") && unknown.text.contains("notFound"))
            // Withdrawal: not before signing, not twice.
            let wrong = try await t.api(.POST, "/api/v1/agreement-signatories/\(s.id)/withdraw", token: w.representative.token, json: WithdrawBody(withdrawnOn: "2019-02-01"))
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("withdrawnBeforeSigning"))
            #expect(try await t.api(.POST, "/api/v1/agreement-signatories/\(s.id)/withdraw", token: w.otherOfficial.token, json: WithdrawBody(withdrawnOn: "2021-01-01")).status == .forbidden)
            let withdrawn = try await t.api(.POST, "/api/v1/agreement-signatories/\(s.id)/withdraw", token: w.representative.token,
                                            json: WithdrawBody(withdrawnOn: "2021-01-01", reason: "Föreningen har lagts ned."))
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")
            #expect(try await t.api(.POST, "/api/v1/agreement-signatories/\(s.id)/withdraw", token: w.representative.token,
                                    json: WithdrawBody(withdrawnOn: "2022-01-01")).text.contains("alreadyWithdrawn"))
            // Counts on any day.
            for (day, names) in [("2019-02-28", [String]()), ("2019-03-01", ["Nätverket Testlän"]), ("2020-05-05", ["Föreningen Två", "Nätverket Testlän"]),
                                 ("2021-01-01", ["Föreningen Två"])] {
                let list = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/signatories?on=\(day)").decode([SignatoryDTO].self)
                #expect(list.map(\.organisationName) == names, "\(day)")
                // The three-column read says what the whole signatories say.
                let fluent = SignatoryRules.active(try await SignatoryService.all(w.agreement.id, on: t.db).map(\.signature), on: LocalDate(stored: day))
                #expect(try await SignatoryService.active(w.agreement.id, on: LocalDate(stored: day), db: t.db) == fluent, "\(day)")
                #expect(fluent.count == names.count, "\(day)")
            }
            let timeline = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/signatories/timeline").decode([SignatoryPointDTO].self)
            #expect(timeline.first?.month == "2019-03" && timeline.first?.count == 1 && timeline.last?.count == 1)
            #expect(try await AuditEvent.query(on: t.db).filter(\.$entityType == "agreementSignatory").count() == 3)
        }
    }

    @Test("the action plan and a follow-up report: figures match the records and freeze on approval; indicators say when data is too thin")
    func followUp() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            _ = try await Self.adopted(t, w, on: "2018-06-12")
            // A steering group with three held meetings (two with published minutes), one cancelled, in 2025.
            let forum = try await t.api(.POST, "/api/v1/forums", token: w.official.token, json: ForumBody(
                bodyId: w.body.uuidString, name: "Styrgruppen", kind: "styrgrupp", purpose: "Leder arbetet med överenskommelsen.", themes: ["styrdokument"],
                participationLevel: "dialog", isPublic: true, composition: [], cadence: Cadence(meetingsPerYear: 0), feedbackDays: 30, feedbackByNextMeeting: false, location: ""))
            try #require(forum.status == .created, "\(forum.text)")
            let forumID = try forum.decode(ForumDTO.self).id
            let gov = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/governance", token: w.official.token,
                                      json: GovernanceBody(forumId: forumID.uuidString, role: "steeringGroup", seatsForSignatories: true))
            #expect(gov.status == .created, "\(gov.text)")
            let seat = try await t.api(.POST, "/api/v1/forums/\(forumID)/seats", token: w.official.token, json: SeatBody(
                category: "organisation", position: "member", organisationId: w.org2.uuidString, holderName: "Ledamot", holderEmail: "", termFrom: "2024-01-01"))
            #expect(seat.status == .created, "\(seat.text)")
            let governance = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/governance").decode([GovernanceDTO].self)
            #expect(governance.first?.seatsNotSignatories.map(\.name) == ["Föreningen Två"], "a seat held by an organisation that has not signed is flagged")
            // The forum's own composition check says so too (Dialogue asks Agreements through its hook).
            let warned = try await t.api(.GET, "/api/v1/forums/\(forumID)").decode(ForumDTO.self).compositionWarnings.map(\.message)
            #expect(warned.contains { $0.contains("Föreningen Två") && $0.contains("Överenskommelsen Testlän") }, "\(warned)")
            // The forum page reads its names in one go and hands them to the hook: it warns in the same words.
            let forumPage = try await t.send(.GET, "/forums/\(forumID)").text
            #expect(!warned.isEmpty && warned.allSatisfy { forumPage.contains($0) }, "\(warned)")
            try await t.db.write(as: .system("test")) { ctx in
                for (i, (day, status, published, items, secret)) in [("2025-02-10", MeetingStatus.published, "2025-02-24", 3, 1), ("2025-05-12", .published, "2025-05-20", 2, 0),
                                                                      ("2025-09-15", .held, "", 2, 0), ("2025-11-10", .cancelled, "", 0, 0)].enumerated() {
                    let m = Meeting()
                    m.id = UUID(); m.forumID = forumID; m.title = "Möte \(i + 1)"; m.date = day; m.startTime = "13:00"; m.endTime = "15:00"; m.location = ""
                    m.status = status; m.isExtra = false; m.minutesIntro = ""; m.version = 1
                    if !published.isEmpty { m.publishedAt = ISO8601DateFormatter().date(from: published + "T12:00:00Z") }
                    try await m.create(on: ctx.db)
                    for n in 0..<items {
                        let a = AgendaItem()
                        a.id = UUID(); a.meetingID = m.id!; a.position = n + 1; a.title = "Punkt \(n + 1)"; a.description = ""; a.raisedBy = ""; a.minutes = ""; a.decision = ""
                        a.isPublic = n >= secret; a.secrecyProvision = n < secret ? "26:1" : ""; a.secrecyReason = ""; a.version = 1
                        try await a.create(on: ctx.db)
                    }
                }
            }
            // Signatures in the period: one joins, one leaves (signed before it).
            let s1 = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.official.token,
                                     json: SignBody(organisationId: w.org.uuidString, signedOn: "2019-01-01")).decode(SignatoryDTO.self)
            _ = try await t.api(.POST, "/api/v1/agreement-signatories/\(s1.id)/withdraw", token: w.official.token, json: WithdrawBody(withdrawnOn: "2025-06-01"))
            #expect(try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.official.token,
                                    json: SignBody(organisationId: w.org2.uuidString, signedOn: "2025-03-01")).status == .created)
            #expect(!(try await t.api(.GET, "/api/v1/forums/\(forumID)").decode(ForumDTO.self).compositionWarnings.contains { $0.message.contains("Föreningen Två") }))
            // Action plan 2024–2026 with activities in each status; an overlapping plan is refused.
            let plan = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/action-plans", token: w.official.token,
                                       json: PlanBody(title: "Handlingsplan 2024–2026", periodFrom: 2024, periodTo: 2026)).decode(ActionPlanDTO.self)
            #expect(try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/action-plans", token: w.official.token,
                                    json: PlanBody(title: "Överlappande plan", periodFrom: 2026, periodTo: 2027)).text.contains("planOverlaps"))
            for (title, status) in [("Stormöte varje termin", "ongoing"), ("Ny webbplats", "done"), ("Utbildning", "planned"), ("Mässa", "cancelled"), ("Enkät", "done")] {
                let r = try await t.api(.POST, "/api/v1/action-plans/\(plan.id)/activities", token: w.official.token,
                                        json: ActivityBody(area: "Dialog", title: title, dueOn: "2025-12-31", status: status))
                #expect(r.status == .created, "\(r.text)")
            }
            let act = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/action-plans").decode([ActionPlanDTO].self)[0].activities.first { $0.title == "Ny webbplats" }!
            let back = try await t.api(.PUT, "/api/v1/plan-activities/\(act.id)", token: w.official.token, json: ActivityBody(status: "planned", version: act.version))
            #expect(back.status == .unprocessableEntity && back.text.contains("statusChange"))
            // An activity links the records that carry it out; a link to nothing is a field error.
            let ghost = try await t.api(.PUT, "/api/v1/plan-activities/\(act.id)", token: w.official.token,
                                        json: ActivityBody(links: [ActivityLinkBody(kind: "meeting", id: UUID().uuidString)], version: act.version))
            #expect(ghost.status == .unprocessableEntity && ghost.text.contains("links[0].id"))
            let held = try #require(try await Meeting.query(on: t.db).filter(\.$forumID == forumID).filter(\.$status == .held).first()?.id)
            let linked = try await t.api(.PUT, "/api/v1/plan-activities/\(act.id)", token: w.official.token,
                                         json: ActivityBody(links: [ActivityLinkBody(kind: "meeting", id: held.uuidString)], version: act.version))
            #expect(linked.status == .ok, "\(linked.text)")
            #expect(try linked.decode(ActivityDTO.self).links.map(\.id) == [held])
            #expect(try await t.api(.POST, "/api/v1/plan-activities/\(act.id)/notes", token: w.official.token,
                                    json: NoteBody(writtenOn: "2025-10-01", text: "Webbplatsen är publicerad.")).status == .created)

            // The annual report for 2025.
            let created = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/reports", token: w.official.token, json: FollowUpBody(
                kind: "annual", title: "Årsuppföljning 2025", periodFrom: "2025-01-01", periodTo: "2025-12-31", narrative: "Året i korthet."))
            try #require(created.status == .created, "\(created.text)")
            let report = try created.decode(FollowUpDTO.self)
            let f = report.figures
            #expect((f.meetingsPlanned, f.meetingsHeld) == (4, 3))
            #expect((f.signatoriesAtStart, f.signatoriesJoined, f.signatoriesLeft, f.signatoriesAtEnd) == (1, 1, 1, 1))
            #expect((f.activitiesPlanned, f.activitiesOngoing, f.activitiesDone, f.activitiesCancelled) == (1, 1, 2, 1))
            // A draft report is not public.
            #expect(try await t.api(.GET, "/api/v1/agreement-reports/\(report.id)").status == .notFound)
            let badApproval = try await t.api(.POST, "/api/v1/agreement-reports/\(report.id)/approve", token: w.official.token, json: FollowUpApprovalBody(diarienummer: "!"))
            #expect(badApproval.status == .unprocessableEntity && badApproval.text.contains("diarieFormat"))
            let approved = try await t.api(.POST, "/api/v1/agreement-reports/\(report.id)/approve", token: w.official.token,
                                           json: FollowUpApprovalBody(diarienummer: "RS 2026-00042"))
            #expect(approved.status == .ok, "\(approved.text)")
            // Later records do not alter an approved report; it is public, printable and downloadable as CSV.
            try await t.db.write(as: .system("test")) { ctx in
                let m = Meeting()
                m.id = UUID(); m.forumID = forumID; m.title = "Extra"; m.date = "2025-12-01"; m.startTime = "13:00"; m.endTime = "15:00"; m.location = ""
                m.status = .held; m.isExtra = true; m.minutesIntro = ""; m.version = 1
                try await m.create(on: ctx.db)
            }
            let frozen = try await t.api(.GET, "/api/v1/agreement-reports/\(report.id)").decode(FollowUpDTO.self)
            #expect(frozen.approved && frozen.figures.meetingsHeld == 3 && frozen.diarienummer == "RS 2026-00042")
            #expect(try await t.api(.PUT, "/api/v1/agreement-reports/\(report.id)", token: w.official.token, json: FollowUpBody(narrative: "Ändrad")).status == .conflict)
            let csv = try await t.send(.GET, "/agreement-reports/\(report.id)/figures.csv")
            #expect(csv.status == .ok && csv.text.contains("Hållna möten;3"))
            let page = try await t.send(.GET, "/agreement-reports/\(report.id)")
            #expect(page.status == .ok && page.text.contains("Årsuppföljning 2025"))

            // Indicators for 2025: computed from the same records, each with its definition; too little data says so.
            let ind = try await t.api(.GET, "/api/v1/agreements/\(w.agreement.id)/indicators?year=2025").decode(IndicatorsDTO.self)
            let by = Dictionary(uniqueKeysWithValues: ind.indicators.map { ($0.key, $0) })
            #expect(ind.indicators.count == IndicatorCatalogue.all.count && ind.indicators.allSatisfy { !$0.definition.isEmpty })
            #expect(by["meetingsHeld"]?.numerator == 4 && by["meetingsHeld"]?.denominator == 5, "the extra meeting counts now: 4 of 5")
            #expect(by["publicItems"]?.numerator == 6 && by["publicItems"]?.denominator == 7)
            #expect(by["daysToMinutes"]?.insufficient == true && by["daysToMinutes"]?.value == nil, "two published minutes are too few")
            #expect(by["untiedMoney"]?.insufficient == true && by["untiedMoney"]?.value == nil, "no grants: says so instead of 0 %")
            let raw = try await t.send(.GET, "/api/v1/agreements/\(w.agreement.id)/indicators?year=2025").text
            #expect(raw.contains("\"value\":null"))
            let dash = try await t.send(.GET, "/agreements/\(w.agreement.id)/dashboard?year=2025")
            #expect(dash.status == .ok && dash.text.contains("För lite underlag") && dash.text.contains("80 %"))
            let english = try await t.send(.GET, "/agreements/\(w.agreement.id)/dashboard?year=2025&lang=en")
            #expect(english.text.contains("Too little data") && english.text.contains("Planned meetings held"))
        }
    }

    @Test("the seeds' agreements: in force on their dates, Värmland's 54 signatories, VGR's § 174 and RÖS-gruppen")
    func demo() async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            func titles(_ day: String) async throws -> [String] {
                try await t.api(.GET, "/api/v1/agreements?inForceOn=\(day)").decode([AgreementDTO].self).map(\.title)
            }
            #expect(try await titles("2014-11-24").isEmpty)
            #expect(try await titles("2015-01-01").count == 1)
            #expect(try await titles("2019-01-01").count == 2)
            #expect(try await titles("2021-04-01").count == 3)
            let all = try await t.api(.GET, "/api/v1/agreements").decode([AgreementDTO].self)
            let varmland = try #require(all.first { $0.title == "Överenskommelsen Värmland" })
            #expect(varmland.signatories == 54 && varmland.versionInForce == 2 && varmland.firstInForceOn?.hasPrefix("2018") == true)
            let versions = try await t.api(.GET, "/api/v1/agreements/\(varmland.id)/versions").decode([AgreementVersionDTO].self)
            #expect(versions.map(\.status) == ["replaced", "adopted"])
            let principles = try #require(versions.last?.principles)
            #expect(principles.count == 5 && principles.filter(\.isPortal).map(\.name) == ["Dialog"])
            let vgr = try #require(all.first { $0.title.contains("Västra Götalandsregionen") })
            let g = try await t.api(.GET, "/api/v1/agreements/\(vgr.id)/versions").decode([AgreementVersionDTO].self)
            #expect(g.first?.adoptedOn == "2014-11-25" && g.first?.paragraph == "§ 174")
            let governance = try await t.api(.GET, "/api/v1/agreements/\(vgr.id)/governance").decode([GovernanceDTO].self)
            #expect(governance.map(\.forumName) == ["RÖS-gruppen"] && governance[0].seatsNotSignatories.isEmpty)
            let norrbotten = try #require(all.first { $0.owners.count == 2 })
            let n = try await t.api(.GET, "/api/v1/agreements/\(norrbotten.id)/versions").decode([AgreementVersionDTO].self)
            #expect(n.last?.principles.count == 7)
            #expect(try await t.api(.GET, "/api/v1/agreements/\(norrbotten.id)/action-plans").decode([ActionPlanDTO].self).map { "\($0.periodFrom)–\($0.periodTo)" } == ["2021–2023"])
            // Every page of every agreement renders.
            for a in all {
                for path in ["/agreements/\(a.id)", "/agreements/\(a.id)/dashboard"] {
                    let r = try await t.send(.GET, path)
                    #expect(r.status == .ok, "\(path) \(r.status)")
                }
            }
        }
    }
}
