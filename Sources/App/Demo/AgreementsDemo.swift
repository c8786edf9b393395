import Fluent
import Vapor
import SamverkaRules

/// Demo agreements from the seeds: Överenskommelsen Värmland (2018, revised 2022, five principles with dialog as the
/// portal principle, 54 signatories, the three councils; seed 004), Västra Götaland's (adopted 2014-11-25 § 174,
/// RÖS-gruppen 5 + 5, action plan 2024–2026, stormöte each semester, annual follow-up; seed 002) and Norrbotten's
/// (Region and Länsstyrelsen, seven principles, action plan 2021–2023; seed 003). Facts the seeds do not give (exact
/// dates, paragraphs, diarienummer, most signatories' names) are invented and say so.
enum AgreementsDemo {
    static let invented = "Uppgifter som inte finns i källdokumenten (datum, paragrafer, diarienummer, de flesta undertecknarnas namn) är påhittade för demon."

    static func load(_ d: DirectoryDemo.Loaded, in ctx: WriteContext) async throws {
        guard let varmland = d.bodies["17"], let vgr = d.bodies["14"], let norrbotten = d.bodies["25"], let lst = d.bodies["lst25"] else { return }

        func agreement(_ title: String, kind: AgreementKind, owners: [UUID], party: String?, partyName: String, purpose: String, scope: String) async throws -> UUID {
            try await AgreementService.save(nil, AgreementBody(title: title, kind: kind.rawValue, purpose: purpose + "\n\n" + invented, scope: scope,
                                                               ownerBodyIds: owners.map(\.uuidString), partyOrganisationId: party.flatMap { d.orgs[$0]?.uuidString } ?? "",
                                                               partyName: partyName, isPublic: true), isDemo: true, in: ctx).requireID()
        }
        func draft(_ aid: UUID, sections: [(String, String)], principles: [PrincipleInput]?, on day: String) async throws -> UUID {
            let versions = try await AgreementService.versions(aid, on: ctx.db)
            let v: AgreementVersion
            if let open = versions.last(where: { $0.status == .draft }) { v = open } else { v = try await AgreementService.createDraft(aid, in: ctx) }
            v.draftedOn = day
            try await v.save(on: ctx.db)
            let body = VersionBody(sections: sections.map { SectionBody(key: AgreementTextFormat.slug($0.0, fallback: ""), title: $0.0, text: $0.1) },
                                   principles: principles, version: nil)
            return try await AgreementService.updateDraft(try v.requireID(), body, in: ctx).requireID()
        }
        func adopt(_ vid: UUID, on day: String, organ: String, paragraph: String, diarie: String, body: UUID) async throws {
            _ = try await AgreementService.adopt(vid, AdoptionBody(adoptedOn: day, validFrom: nil, decidingBodyId: body.uuidString, decidingOrgan: organ,
                                                                   paragraph: paragraph, diarienummer: diarie), in: ctx)
        }
        func forums(_ body: UUID) async throws -> [String: UUID] {
            Dictionary(try await DialogueFacts.forums(ofBodies: [body], on: ctx.db).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        }

        // Värmland (seed 004).
        let vAgreement = try await agreement("Överenskommelsen Värmland", kind: .regional, owners: [varmland], party: "natverket", partyName: "Den idéburna sektorn i Värmland",
            purpose: "En avsiktsförklaring om de principer som samverkan mellan Region Värmland och den idéburna sektorn ska utgå från. Den fungerar som en plattform för samverkan på en överenskommen värdegrund.",
            scope: "Region Värmlands samverkan med idéburna organisationer i hela länet; organisationer ansluter sig genom att skriva under.")
        let vPrinciples = [
            PrincipleInput(name: "Dialog", description: "Portalprincip till övriga principer, då all samverkan bygger på dialog.", nationalKey: "dialog", isPortal: true),
            PrincipleInput(name: "Kvalitet", description: "Samverkan ska bidra till god kvalitet för dem verksamheten är till för.", nationalKey: "kvalitet"),
            PrincipleInput(name: "Mångfald", description: "Den idéburna sektorns mångfald ska tas till vara.", nationalKey: "mangfald"),
            PrincipleInput(name: "Självständighet", description: "Den idéburna sektorns självständighet och oberoende ska respekteras.", nationalKey: "sjalvstandighet"),
            PrincipleInput(name: "Öppenhet", description: "Samverkan ska präglas av öppenhet och insyn.", nationalKey: "oppenhet"),
        ]
        let v1 = try await draft(vAgreement, sections: [
            ("Bakgrund", "Överenskommelsen Värmland har tagits fram i bred samverkan mellan Region Värmland och den idéburna sektorn."),
            ("Syfte", "Att stärka samverkan mellan Region Värmland och den idéburna sektorn på en gemensam värdegrund."),
            ("Principer", "Samverkan utgår från fem principer med dialog som portalprincip."),
            ("Uppföljning", "Överenskommelsen följs upp i Rådet för idéburna organisationer."),
        ], principles: vPrinciples, on: "2017-09-01")
        try await adopt(v1, on: "2018-06-12", organ: "Regionstyrelsen", paragraph: "§ 101", diarie: "RV 2018-00123", body: varmland)
        let v2 = try await draft(vAgreement, sections: [
            ("Bakgrund", "Överenskommelsen Värmland har tagits fram i bred samverkan mellan Region Värmland och den idéburna sektorn och reviderades 2022."),
            ("Syfte", "Att stärka och utveckla samverkan mellan Region Värmland och den idéburna sektorn på en gemensam värdegrund."),
            ("Principer", "Samverkan utgår från fem principer med dialog som portalprincip."),
            ("Råd och mötesplatser", "Samverkan sker bland annat i Rådet för idéburna organisationer, Rådet för funktionsrätt och Pensionärsrådet."),
            ("Uppföljning", "Överenskommelsen följs upp årligen i Rådet för idéburna organisationer."),
        ], principles: vPrinciples, on: "2021-10-01")
        try await adopt(v2, on: "2022-06-14", organ: "Regionstyrelsen", paragraph: "§ 88", diarie: "RV 2022-00456", body: varmland)
        let vForums = try await forums(varmland)
        for (name, role) in [("Rådet för idéburna organisationer", "steeringGroup"), ("Rådet för funktionsrätt", "other"), ("Pensionärsrådet", "other")] {
            guard let f = vForums[name] else { continue }
            _ = try await AgreementService.addForum(vAgreement, GovernanceBody(forumId: f.uuidString, role: role, seatsForSignatories: role == "steeringGroup"), in: ctx)
        }
        // 54 signatories (seed 004): the Värmland organisations of the demo directory, and invented ones marked demo.
        let known = DirectoryDemo.organisations.filter { $0.county == "17" }.compactMap { d.orgs[$0.key] }
        var signers = known
        var serial = 900
        while signers.count < 54 {
            serial += 1
            let org = try await OrganisationService.create(OrganisationInput(
                name: "Demoförening \(signers.count + 1) i Värmland", orgnr: DirectoryDemo.orgnr(serial), legalForm: "ideellForening", level: "local",
                areas: ["other"], description: "Påhittad undertecknare av Överenskommelsen Värmland (demo): källan anger 54 undertecknare men inte deras namn."),
                isDemo: true, in: ctx)
            signers.append(try org.requireID())
        }
        for (i, org) in signers.enumerated() {
            let year = i < 30 ? 2018 : (i < 45 ? 2020 : 2022)
            let day = LocalDate.clamped(year: year, month: 7 + (i % 6), day: 1 + (i % 27)).description
            _ = try await SignatoryService.sign(vAgreement, SignBody(organisationId: org.uuidString, signedOn: day, contactRoleId: nil), isDemo: true, in: ctx)
        }

        // Västra Götaland (seed 002).
        let gAgreement = try await agreement("Överenskommelsen om samverkan mellan Västra Götalandsregionen och den sociala ekonomin", kind: .regional, owners: [vgr],
            party: nil, partyName: "Idéburna organisationer och den sociala ekonomin i Västra Götaland",
            purpose: "Att utveckla samverkan mellan Västra Götalandsregionen och idéburna organisationer; ca 43 000 organisationer i länet.",
            scope: "Fyra delaktighetsnivåer enligt den europeiska koden: information, samråd, dialog och partnerskap. Systematisk och transparent hantering av IOP-förslag; reserverad upphandling.")
        let g1 = try await draft(gAgreement, sections: [
            ("Syfte", "Att stärka samverkan mellan Västra Götalandsregionen och den sociala ekonomin."),
            ("Styrning", "RÖS-gruppen leder arbetet: fem politiker från beredningen för mänskliga rättigheter (BMR) och fem valda företrädare för de undertecknande organisationerna."),
            ("Mötesplatser", "Stormöte en gång per termin för undertecknande organisationer."),
            ("Uppföljning", "Årlig uppföljning till BMR; halvtids- och slutuppföljning till regionstyrelsen."),
        ], principles: nil, on: "2014-05-01")
        try await adopt(g1, on: "2014-11-25", organ: "Regionfullmäktige", paragraph: "§ 174", diarie: "RS 2014-00174", body: vgr)
        var rosOrgs: [UUID] = []
        for i in 1...5 {
            rosOrgs.append(try await OrganisationService.create(OrganisationInput(
                name: "Demo idéburen organisation \(i) i Västra Götaland", orgnr: DirectoryDemo.orgnr(960 + i), legalForm: "ideellForening", level: "regional",
                areas: ["social"], municipalities: ["1480"], description: "Påhittad undertecknare som är vald till RÖS-gruppen (demo)."), isDemo: true, in: ctx).requireID())
        }
        for (i, org) in rosOrgs.enumerated() {
            _ = try await SignatoryService.sign(gAgreement, SignBody(organisationId: org.uuidString, signedOn: "2015-0\(i + 1)-15", contactRoleId: nil), isDemo: true, in: ctx)
        }
        let ros = try await ForumService.save(nil, ForumBody(
            bodyId: vgr.uuidString, unitId: nil, name: "RÖS-gruppen", kind: ForumKind.styrgrupp.rawValue,
            purpose: "Styrgrupp för överenskommelsen mellan Västra Götalandsregionen och den sociala ekonomin.",
            mandate: "Fem politiker från BMR och fem valda företrädare för de undertecknande organisationerna.",
            themes: [ForumTheme.styrdokument.rawValue, ForumTheme.verksamhet.rawValue], participationLevel: ParticipationLevel.partnerskap.rawValue, isPublic: true,
            composition: [CompositionRule(category: "politician", min: 5, max: 5), CompositionRule(category: "organisation", min: 5, max: 5)],
            cadence: Cadence(meetingsPerYear: 4), feedbackDays: 30, feedbackByNextMeeting: false, secretaryRoleId: nil, location: "Regionens hus, Göteborg"),
            isDemo: true, in: ctx)
        let rosID = try ros.requireID()
        for i in 1...5 {
            _ = try await ForumService.saveSeat(forumID: rosID, seatID: nil, SeatBody(category: "politician", position: i == 1 ? "chair" : "member", holderName: "Demo BMR-ledamot \(i)",
                                                                                      holderEmail: "", isSubstitute: false, note: "Beredningen för mänskliga rättigheter", termFrom: "2023-01-01", termTo: ""), in: ctx)
            _ = try await ForumService.saveSeat(forumID: rosID, seatID: nil, SeatBody(category: "organisation", position: i == 1 ? "viceChair" : "member",
                                                                                      organisationId: rosOrgs[i - 1].uuidString, holderName: "Demo vald företrädare \(i)", holderEmail: "",
                                                                                      isSubstitute: false, note: "Vald av de undertecknande organisationerna", termFrom: "2023-01-01", termTo: ""), in: ctx)
        }
        _ = try await AgreementService.addForum(gAgreement, GovernanceBody(forumId: rosID.uuidString, role: "steeringGroup", seatsForSignatories: true), in: ctx)
        let gPlan = try await PlanService.savePlan(agreementID: gAgreement, planID: nil, PlanBody(title: "Handlingsplan 2024–2026", periodFrom: 2024, periodTo: 2026), in: ctx).requireID()
        for (area, title, status, due) in [
            ("Mötesplatser", "Stormöte för undertecknande organisationer varje termin", "ongoing", "2026-12-31"),
            ("Partnerskap", "Systematisk och transparent hantering av förslag om IOP", "ongoing", "2025-12-31"),
            ("Upphandling", "Pröva reserverad upphandling för idéburna organisationer", "planned", "2026-06-30"),
            ("Delaktighet", "Tillämpa de fyra delaktighetsnivåerna i regionens beredningar", "done", "2024-12-31"),
        ] {
            _ = try await PlanService.saveActivity(planID: gPlan, activityID: nil, ActivityBody(area: area, title: title, description: "", ownerRoleId: "", partners: "RÖS-gruppen",
                                                                                                dueOn: due, status: status, principleKey: "", links: nil), in: ctx)
        }
        for (title, day) in [("Stormöte vårterminen 2026", "2026-03-18"), ("Stormöte höstterminen 2026", "2026-10-14")] {
            _ = try await EventService.save(nil, EventBody(bodyId: vgr.uuidString, title: title,
                                                           description: "Stormöte för de organisationer som skrivit under överenskommelsen.",
                                                           date: day, startTime: "13:00", endTime: "16:00", location: "Göteborg", capacity: 200, registrationClosesOn: "", surveyUrl: ""),
                                            isDemo: true, in: ctx)
        }
        _ = try await FollowUpService.save(agreementID: gAgreement, reportID: nil, FollowUpBody(kind: "annual", title: "Årsuppföljning 2025 till BMR", periodFrom: "2025-01-01",
                                                                                             periodTo: "2025-12-31", narrative: "Utkast till årlig uppföljning (demo)."), in: ctx)

        // Norrbotten (seed 003): Region and Länsstyrelsen, seven principles, action plan 2021–2023.
        let nAgreement = try await agreement("Överenskommelse om samverkan i Norrbotten (SÖK Samverkan)", kind: .regional, owners: [norrbotten, lst], party: nil,
            partyName: "Civilsamhällets organisationer i Norrbotten",
            purpose: "En gemensam vision, ett tydligt syfte med uppsatta mål och en gemensam värdegrund av sju principer för stärkt samverkan mellan parterna.",
            scope: "Region Norrbotten, Länsstyrelsen i Norrbottens län och civilsamhället i länet.")
        let nPrinciples = PrincipleRules.national.map { PrincipleInput(key: $0.key, name: $0.name, description: $0.description, nationalKey: $0.key) }
            + [PrincipleInput(name: "Samhandling", description: "Påhittad sjunde princip (demo): källan anger sju principer men inte deras namn.")]
        let n1 = try await draft(nAgreement, sections: [
            ("Vision", "Ett starkt och levande civilsamhälle i hela Norrbotten."),
            ("Syfte och mål", "Att formalisera och systematisera samverkan mellan civilsamhället och offentlig sektor."),
            ("Värdegrund", "Sju principer för samverkan."),
            ("Stödstruktur", "En ledningsgrupp och en utvecklingsgrupp driver arbetet med överenskommelsen och handlingsplanen."),
        ], principles: nPrinciples, on: "2020-09-01")
        try await adopt(n1, on: "2021-03-30", organ: "Regionstyrelsen", paragraph: "§ 55", diarie: "RS 2021-00321", body: norrbotten)
        let nPlan = try await PlanService.savePlan(agreementID: nAgreement, planID: nil, PlanBody(title: "Handlingsplan 2021–2023", periodFrom: 2021, periodTo: 2023), in: ctx).requireID()
        for (area, title, status, due) in [
            ("Hitta varandra", "Kontaktvägar till rätt enhet hos Region och Länsstyrelse", "done", "2022-06-30"),
            ("Dialog", "Dialogmöten mellan parterna två gånger per år", "done", "2023-12-31"),
            ("Stödstruktur", "Inrätta ledningsgrupp och utvecklingsgrupp", "done", "2021-12-31"),
            ("Kunskap", "Utbildning om IOP och idéburen sektor för tjänstepersoner", "cancelled", "2023-06-30"),
        ] {
            _ = try await PlanService.saveActivity(planID: nPlan, activityID: nil, ActivityBody(area: area, title: title, description: "", ownerRoleId: "", partners: "",
                                                                                                dueOn: due, status: status, principleKey: "", links: nil), in: ctx)
        }
        for key in ["frn", "rkn", "bris", "autism"] {
            guard let org = d.orgs[key] else { continue }
            _ = try await SignatoryService.sign(nAgreement, SignBody(organisationId: org.uuidString, signedOn: "2021-05-10", contactRoleId: nil), isDemo: true, in: ctx)
        }
    }

    static func remove(in ctx: WriteContext) async throws {
        let ids = try await Agreement.query(on: ctx.db).filter(\.$isDemo == true).all().compactMap(\.id)
        guard !ids.isEmpty else { return }
        let plans = try await ActionPlan.query(on: ctx.db).filter(\.$agreementID ~~ ids).all().compactMap(\.id)
        if !plans.isEmpty {
            let acts = try await PlanActivity.query(on: ctx.db).filter(\.$planID ~~ plans).all().compactMap(\.id)
            if !acts.isEmpty { try await ActivityNote.query(on: ctx.db).filter(\.$activityID ~~ acts).delete() }
            try await PlanActivity.query(on: ctx.db).filter(\.$planID ~~ plans).delete()
        }
        try await ActionPlan.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await FollowUpReport.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await AgreementForum.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await AgreementSignatory.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await AgreementVersion.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await AgreementOwner.query(on: ctx.db).filter(\.$agreementID ~~ ids).delete()
        try await Agreement.query(on: ctx.db).filter(\.$id ~~ ids).delete()
        ctx.auditSummary("delete", "demo", "agreements", [("agreements", .int(ids.count))])
    }
}
