import Fluent
import Vapor
import SamverkaRules

/// Demo IOPs from the seeds: Region Värmland's three (Afasiföreningen, Frykcenter, EBL-skolan — EBL signed spring 2018;
/// seed 004) and Region Uppsala's partners (Funktionsrätt Uppsala län, Barnombudet, RF-SISU Uppland; seed 000), plus
/// Värmland's reserved procurement since 2022/23. Amounts, dates and paragraphs are invented and say so.
enum PartnershipsDemo {
    static func load(_ d: DirectoryDemo.Loaded, in ctx: WriteContext) async throws {
        guard let varmland = d.bodies["17"], let uppsala = d.bodies["03"] else { return }
        let yes = IOPAnswer.yes, no = IOPAnswer.no
        let suitable = IOPQuestions(buysForOwnNeeds: no, paymentForPerformance: no, bothContribute: yes, partnerIsIdeburen: yes, economicActivity: no,
                                    stateAidCovered: .unknown, announced: yes, reservableService: .unknown)

        func iop(_ body: UUID, _ orgKey: String, title: String, need: String, from: String, to: String, decided: String, organ: String, kronor: Int,
                 volunteers: Int, signed: Bool = true) async throws {
            guard let org = d.orgs[orgKey] else { return }
            let p = try await PartnershipService.propose(PartnershipBody(bodyId: body.uuidString, organisationId: org.uuidString, title: title, need: need,
                                                                        targetGroup: "", goal: "", offer: ""), isDemo: true, in: ctx)
            let pid = try p.requireID()
            func move(_ to: PartnershipState) async throws { _ = try await PartnershipService.move(pid, MoveBody(to: to.rawValue), eurToSek: 11.5, in: ctx) }
            try await move(.analysis)
            _ = try await PartnershipService.update(pid, PartnershipBody(
                problemAnalysis: "\(need) Regionen och organisationen når tillsammans målgruppen bättre än var för sig. (Demo: texten är påhittad.)",
                goals: ["Fler i målgruppen får stöd"], indicators: ["Antal deltagare per år", "Deltagarnas upplevda nytta"],
                contributions: [Contribution(party: "body", kronorPerYear: kronor, staffHoursPerYear: 40),
                                Contribution(party: "organisation", kronorPerYear: 0, staffHoursPerYear: 400, premises: "Egna lokaler", volunteers: volunteers)]), in: ctx)
            try await move(.assessment)
            _ = try await PartnershipService.assess(pid, AssessmentBody(answers: suitable,
                                                                       motivation: "Båda parter bidrar till ett gemensamt mål; regionen köper inget för egna behov; partnern är idéburen. (Demo.)"), in: ctx)
            try await move(.decision)
            _ = try await PartnershipService.update(pid, PartnershipBody(decisionOrgan: organ, decisionOn: decided, decisionParagraph: "§ 42", decisionDiarienummer: "DEMO \(decided.prefix(4))-001",
                                                                         periodFrom: from, periodTo: to), in: ctx)
            try await move(.agreement)
            _ = try await PartnershipService.update(pid, PartnershipBody(agreementText: "Överenskommelse om idéburet offentligt partnerskap: \(title). (Demo: texten är påhittad.)",
                                                                         followUpPlan: "Årlig uppföljning mot indikatorerna."), in: ctx)
            if signed {
                try await move(.active)
                _ = try await PartnershipService.addFollowUp(pid, FollowUpEntryBody(day: "2025-12-15", results: "120 deltagare; 9 av 10 upplever nytta (demo).", text: ""), in: ctx)
            }
        }
        try await iop(varmland, "ebl", title: "EBL-skolan – Ett bättre liv", need: "Stöd till unga och vuxna som behöver ett bättre liv efter missbruk.",
                      from: "2018-04-01", to: "2027-03-31", decided: "2018-03-20", organ: "Hälso- och sjukvårdsnämnden", kronor: 800_000, volunteers: 15)
        try await iop(varmland, "afasi", title: "Afasiföreningen – stöd efter stroke", need: "Personer med afasi och deras närstående behöver stöd efter vården.",
                      from: "2022-01-01", to: "2026-12-31", decided: "2021-11-23", organ: "Hälso- och sjukvårdsnämnden", kronor: 450_000, volunteers: 25)
        try await iop(varmland, "fryk", title: "Frykcenter – rehabilitering", need: "Rehabilitering och gemenskap för personer med långvarig sjukdom.",
                      from: "2022-01-01", to: "2026-12-31", decided: "2021-11-23", organ: "Hälso- och sjukvårdsnämnden", kronor: 600_000, volunteers: 10)
        try await iop(uppsala, "ful", title: "Funktionsrätt Uppsala län – delaktighet", need: "Personer med funktionsnedsättning ska kunna delta i samhällslivet.",
                      from: "2023-01-01", to: "2026-12-31", decided: "2022-11-15", organ: "Regionstyrelsen", kronor: 500_000, volunteers: 30)
        try await iop(uppsala, "barnombudet", title: "Barnombudet – barnets rättigheter", need: "Barn och unga behöver stöd att få sina rättigheter tillgodosedda.",
                      from: "2023-01-01", to: "2026-12-31", decided: "2022-11-15", organ: "Regionstyrelsen", kronor: 700_000, volunteers: 5)
        // An initiative still in the pipeline (from an organisation), so the register shows more than finished IOPs.
        if let frv = d.orgs["frv"] {
            _ = try await PartnershipService.propose(PartnershipBody(bodyId: varmland.uuidString, organisationId: frv.uuidString, title: "Kamratstöd för unga med funktionsnedsättning",
                                                                    need: "Unga med funktionsnedsättning saknar kamratstöd i övergången till vuxenlivet. (Demo.)",
                                                                    targetGroup: "Unga 16–25 år", goal: "Ett kamratstödsprogram i hela länet",
                                                                    offer: "Frivilliga kamratstödjare och lokaler; regionen bidrar med kunskap och medel.",
                                                                    answers: IOPQuestions(buysForOwnNeeds: no, bothContribute: yes, partnerIsIdeburen: yes)), isDemo: true, in: ctx)
        }
        _ = try await ReservedProcurementService.save(nil, ReservedProcurementBody(
            bodyId: varmland.uuidString, contract: "Stöd till personer i hemlöshet (demo)", object: "Sociala tjänster reserverade för idéburna organisationer. (Demo: uppgifterna är påhittade.)",
            supplierId: d.orgs["natverket"]?.uuidString, valueOre: 250_000_000, periodFrom: "2023-01-01", periodTo: "2025-12-31",
            legalBasis: "LOU 19 kap. 25 a §", decision: "Tilldelningsbeslut 2022-11-10, dnr DEMO 2022-017"), isDemo: true, in: ctx)
    }

    static func remove(in ctx: WriteContext) async throws {
        let ids = try await Partnership.query(on: ctx.db).filter(\.$isDemo == true).all().compactMap(\.id)
        if !ids.isEmpty {
            try await PartnershipFollowUp.query(on: ctx.db).filter(\.$partnershipID ~~ ids).delete()
            try await Partnership.query(on: ctx.db).filter(\.$id ~~ ids).set(\.$previousID, to: nil).update()
            try await Partnership.query(on: ctx.db).filter(\.$id ~~ ids).delete()
        }
        try await ReservedProcurement.query(on: ctx.db).filter(\.$isDemo == true).delete()
    }
}
