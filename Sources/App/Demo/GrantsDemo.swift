import Fluent
import Vapor
import SamverkaRules

/// Grants demo: Region Värmland's operating grant to disability organisations (an open call the demo
/// accounts can use end to end), two programmes modelled on Region Uppsala's rules (seed 000: youth grant
/// with ≥ 200 members aged 6–25 and branches in ≥ 3 municipalities; pensioner grant for districts of a
/// national organisation represented in the pensioners' council), and one on Region Kalmar län's payment
/// model (50 % advance in January from last year's grant, the rest in June). Applications in every state.
enum GrantsDemo {
    static func load(_ d: DirectoryDemo.Loaded, in ctx: WriteContext) async throws {
        let today = LocalDate.today()
        let thisYear = today.year, nextYear = today.year + 1
        // Organisations the Uppsala and Kalmar examples need. Coompanion Kalmar län and Smålandsidrotten are
        // named in seed 000; the others are invented examples, said so in their descriptions.
        func org(_ name: String, level: String, county: String, munis: [String], areas: [String], parent: UUID? = nil, form: String = "ideellForening",
                 description: String, young: Int? = nil, councils: [String] = [], founded: String? = nil, serial: Int) async throws -> UUID {
            let o = try await OrganisationService.create(OrganisationInput(
                name: name, orgnr: DirectoryDemo.orgnr(serial), legalForm: form, level: level, parentID: parent?.uuidString, areas: areas,
                municipalities: munis, description: description, foundedYear: founded, councilMemberships: councils), isDemo: true, in: ctx)
            if let young {
                _ = try await OrganisationService.setMemberCounts(o.id!, [MemberCountInput(year: String(thisYear - 1), total: String(young + young / 3), young: String(young))], in: ctx)
            }
            return o.id!
        }
        let invented = "Påhittat exempel i demodata, för att visa villkoren."
        let ungNat = try await org("Demo: Ungdomsförbundet Sverige", level: "national", county: "", munis: [], areas: ["youth"], description: invented, serial: 201)
        let ungUpp = try await org("Demo: Ungdomsförbundet Uppland", level: "regional", county: "03", munis: ["0380", "0381", "0360"], areas: ["youth"], parent: ungNat,
                                   description: invented + " 240 medlemmar 6–25 år och lokalavdelningar i tre kommuner: uppfyller Uppsalas ungdomsbidrag.", young: 240, founded: "1998", serial: 202)
        for (i, (name, muni)) in [("Uppsala", "0380"), ("Enköping", "0381"), ("Tierp", "0360")].enumerated() {
            _ = try await org("Demo: Ungdomsförbundet \(name)", level: "local", county: "03", munis: [muni], areas: ["youth"], parent: ungUpp, description: invented, serial: 203 + i)
        }
        let lasare = try await org("Demo: Unga Läsare Uppsala län", level: "regional", county: "03", munis: ["0380", "0382", "0331"], areas: ["youth", "culture"],
                                   description: invented + " 199 medlemmar 6–25 år: uppfyller inte Uppsalas ungdomsbidrag (kravet är 200).", young: 199, founded: "2010", serial: 210)
        let proUpp = try await org("Demo: PRO Uppsala län", level: "regional", county: "03", munis: ["0380", "0381"], areas: ["pensioners"], parent: d.orgs["pro"],
                                   description: invented + " Distrikt av PRO och representerat i regionens pensionärsråd.", councils: ["Region Uppsalas pensionärsråd"], serial: 211)
        let kalmarMunis = ["0834", "0840", "0860", "0880", "0881", "0882", "0883", "0884", "0885"]
        let coompanion = try await org("Coompanion Kalmar län", level: "regional", county: "08", munis: kalmarMunis, areas: ["social"], form: "ekonomiskForening",
                                       description: "Ledde 2019 ett gemensamt arbete för att stödja personer långt från arbetsmarknaden.", serial: 220)
        let smaland = try await org("Smålandsidrotten", level: "regional", county: "08", munis: kalmarMunis, areas: ["sports", "health"], parent: d.orgs["rfsisu"],
                                    description: "Region Kalmar län har ett avtal med Smålandsidrotten om folkhälsa.", serial: 221)
        let proKalmar = try await org("Demo: PRO Kalmar län", level: "regional", county: "08", munis: kalmarMunis, areas: ["pensioners"], parent: d.orgs["pro"],
                                      description: invented, councils: ["Region Kalmar läns pensionärsråd"], serial: 222)

        func programme(_ body: String, _ b: ProgrammeBody) async throws -> GrantProgramme {
            var b = b
            b.bodyId = d.bodies[body]!.uuidString
            return try await ProgrammeService.save(nil, b, isDemo: true, in: ctx)
        }
        let criteria = [ReviewRules.Criterion(key: "relevans", label: "Relevans för programmets syfte", weight: 2),
                        ReviewRules.Criterion(key: "genomforbarhet", label: "Genomförbarhet och budget", weight: 1)]
        let fields = [FormFieldSpec(key: "verksamhet", label: "Beskriv verksamheten bidraget ska gå till", kind: .text, required: true),
                      FormFieldSpec(key: "malgrupp", label: "Målgrupp", kind: .choice, required: true, options: ["Barn och unga", "Vuxna", "Äldre", "Alla"])]
        func call(_ p: GrantProgramme, _ title: String, year: Int, opens: LocalDate, closes: LocalDate, attachments: [String] = []) async throws -> GrantCall {
            try await ProgrammeService.saveCall(nil, CallBody(programmeId: p.id!.uuidString, title: title, year: year, opensOn: opens.description,
                                                              closesOn: closes.description, description: "", fields: fields, criteria: criteria,
                                                              requiredAttachments: attachments, budgetTable: true), in: ctx)
        }
        /// An application through the same steps a representative takes.
        func apply(_ c: GrantCall, _ orgID: UUID, requested: Int, submit: Bool, text: String) async throws -> GrantApplication {
            let a = try await ApplicationService.create(callID: c.id!, organisationID: orgID, in: ctx)
            let saved = try await ApplicationService.update(a.id!, ApplicationBody(answers: ["verksamhet": text, "malgrupp": "Alla"],
                budget: [BudgetLine(label: "Lokalhyra", amountOre: requested / 2), BudgetLine(label: "Verksamhet och utbildning", amountOre: requested - requested / 2)],
                requestedOre: requested, activities: 12, payeeAccount: "5050-1055", version: a.version), in: ctx)
            return submit ? try await ApplicationService.submit(saved.id!, version: nil, in: ctx) : saved
        }
        /// Calls for past years are created open, used, and then given their real dates.
        func backdate(_ c: GrantCall, opens: LocalDate, closes: LocalDate) async throws {
            c.opensOn = opens.description
            c.closesOn = closes.description
            try await c.save(on: ctx.db)
        }
        let openFrom = today.adding(days: -30), openTo = today.adding(days: 60)

        // 1. Region Värmland: operating grant to disability organisations (open call; the demo accounts' programme).
        let varmland = try await programme("17", ProgrammeBody(
            unitId: d.units["bidrag"]!.uuidString, name: "Verksamhetsbidrag till funktionsrättsorganisationer", kind: "verksamhetsbidrag",
            purpose: "Stödja funktionsrättsorganisationernas regionala verksamhet i Värmland.",
            description: "Beslutas av Kultur- och bildningsnämnden; Regionstyrelsen avgör storleken på medlen.", targetAreas: ["disability"],
            decisionLevel: "official", contactRoleId: d.roles["bidragshandlaggare"]!.uuidString, paymentModel: "single", isStateAid: false,
            eligibility: [EligibilityCondition(.levelIn, values: ["regional"]), EligibilityCondition(.activeInMunicipalities, min: 3, county: "17"),
                          EligibilityCondition(.notInReclaim)],
            reportMonths: 3, budgetFrames: [BudgetFrameDTO(year: nextYear, amountOre: 150_000_000), BudgetFrameDTO(year: thisYear, amountOre: 140_000_000)]))
        let vCall = try await call(varmland, "Verksamhetsbidrag \(nextYear)", year: nextYear, opens: openFrom, closes: openTo, attachments: ["verksamhetsberattelse"])
        // SRF Värmland has a draft in progress.
        _ = try await apply(vCall, d.orgs["srfv"]!, requested: 8_000_000, submit: false, text: "Syn- och hörselinstruktörer och medlemsträffar i hela länet.")
        // Afasiföreningen has submitted; the demo reviewer is assigned.
        let afasiFile = try await ApplicationService.create(callID: vCall.id!, organisationID: d.orgs["afasi"]!, in: ctx)
        _ = try await ApplicationService.update(afasiFile.id!, ApplicationBody(answers: ["verksamhet": "Samtalsgrupper och anhörigstöd för personer med afasi.", "malgrupp": "Vuxna"],
            budget: [BudgetLine(label: "Samtalsledare", amountOre: 3_000_000), BudgetLine(label: "Lokaler", amountOre: 1_000_000)], requestedOre: 4_000_000,
            activities: 40, payeeAccount: "5050-2061", version: afasiFile.version), in: ctx)
        _ = try await ApplicationService.addAttachment(afasiFile.id!, kind: "verksamhetsberattelse", filename: "verksamhetsberattelse-2025.txt",
                                                       contentType: "text/plain", data: Data("Verksamhetsberättelse 2025 (demo).".utf8), in: ctx)
        let afasi = try await ApplicationService.submit(afasiFile.id!, version: nil, in: ctx)
        if let reviewer = try await AccountService.findUser(email: "bedomare@regionvarmland.example", on: ctx.db) {
            _ = try await ReviewService.assign(applicationID: afasi.id!, reviewerID: reviewer.id!, in: ctx)
        }

        // 2. Region Uppsala: youth grant by formula, with the seed's rule.
        let youth = try await programme("03", ProgrammeBody(
            name: "Organisationsbidrag till barn- och ungdomsorganisationer", kind: "organisationsbidrag",
            purpose: "Främja demokratin genom att stimulera barns och ungdomars engagemang i föreningslivet.",
            description: "Till distriktsorganisationer med regional verksamhet för barn och unga i Uppsala län: minst 200 bosatta och registrerade medlemmar 6–25 år och lokalavdelningar i minst tre av länets kommuner.",
            targetAreas: ["youth"], decisionLevel: "committee", paymentModel: "single",
            eligibility: [EligibilityCondition(.levelIn, values: ["regional"]), EligibilityCondition(.youngMembersInCounty, min: 200, county: "03"),
                          EligibilityCondition(.branchesInMunicipalities, min: 3, county: "03")],
            formula: AllocationFormula(baseOre: 2_000_000, perYoungMemberOre: 15_000, perMunicipalityOre: 500_000, capOre: 50_000_000),
            reportMonths: 4, budgetFrames: [BudgetFrameDTO(year: nextYear, amountOre: 300_000_000), BudgetFrameDTO(year: thisYear, amountOre: 300_000_000)]))
        let yCall = try await call(youth, "Organisationsbidrag barn och unga \(nextYear)", year: nextYear, opens: openFrom, closes: openTo)
        _ = try await apply(yCall, ungUpp, requested: 9_000_000, submit: true, text: "Ledarutbildning och samordning av lokalavdelningarna.")
        // Barnombudet started and withdrew.
        let withdrawn = try await apply(yCall, d.orgs["barnombudet"]!, requested: 5_000_000, submit: false, text: "Stöd till barn i utsatta situationer.")
        _ = try await ApplicationService.withdraw(withdrawn.id!, version: nil, in: ctx)
        _ = lasare

        // 3. Region Uppsala: pensioner grant (rule only).
        _ = try await programme("03", ProgrammeBody(
            name: "Bidrag till pensionärsorganisationer", kind: "organisationsbidrag",
            purpose: "Bidrag till distriktsorganisationer i Uppsala län som tillhör en riksorganisation som främjar pensionärers intressen.",
            description: "Distriktsorganisationen ska vara öppen för alla pensionärer och representerad i regionens pensionärsråd.", targetAreas: ["pensioners"],
            decisionLevel: "committee", paymentModel: "single",
            eligibility: [EligibilityCondition(.levelIn, values: ["regional"]), EligibilityCondition(.parentIs, values: ["national"], text: "pensioners"),
                          EligibilityCondition(.representedInCouncil, text: "pensionärsråd")],
            reportMonths: 3, budgetFrames: [BudgetFrameDTO(year: nextYear, amountOre: 80_000_000)]))
        _ = proUpp

        // 4. Region Kalmar län: the Kalmar payment model, with last year's and this year's rounds.
        let kalmar = try await programme("08", ProgrammeBody(
            name: "Verksamhetsbidrag till regionala organisationer", kind: "verksamhetsbidrag",
            purpose: "Stöd till folkbildnings-, ungdoms-, funktionshinder- och pensionärsorganisationer och idrottsrörelsen i Kalmar län.",
            description: "Stödet betalas med 50 procent i förskott i januari, beräknat på föregående års anslag. Under våren lämnas ansökan med underlag; slutligt belopp betalas i juni.",
            targetAreas: ["sports", "pensioners", "social"], decisionLevel: "committee", paymentModel: "kalmar", isStateAid: true,
            eligibility: [EligibilityCondition(.levelIn, values: ["regional"]), EligibilityCondition(.activeInMunicipalities, min: 1, county: "08"),
                          EligibilityCondition(.lastYearReportSubmitted), EligibilityCondition(.notInReclaim)],
            reportMonths: 3, budgetFrames: [BudgetFrameDTO(year: thisYear - 1, amountOre: 500_000_000), BudgetFrameDTO(year: thisYear, amountOre: 520_000_000)]))
        let lastYearCall = try await call(kalmar, "Verksamhetsbidrag \(thisYear - 1)", year: thisYear - 1, opens: openFrom, closes: openTo)
        var lastYear: [UUID: GrantApplication] = [:]
        for (o, amount) in [(coompanion, 40_000_000), (smaland, 120_000_000), (proKalmar, 30_000_000)] {
            lastYear[o] = try await apply(lastYearCall, o, requested: amount, submit: true, text: "Regional verksamhet \(thisYear - 1).")
            let dec = try await DecisionService.decide(DecisionBody(applicationId: lastYear[o]!.id!.uuidString, outcome: "granted", amountOre: amount,
                                                                    motivation: "Uppfyller villkoren.", decidedOn: "\(thisYear - 1)-04-15", decisionMaker: "Regionala utvecklingsnämnden", jav: false),
                                                       eurToSek: 11.5, in: ctx)
            for p in try await GrantPayment.query(on: ctx.db).filter(\.$decisionID == dec.id!).all() {
                _ = try await DecisionService.setPaymentStatus(p.id!, to: .approved, on: LocalDate("\(thisYear - 1)-06-20")!, in: ctx)
                _ = try await DecisionService.setPaymentStatus(p.id!, to: .paid, on: LocalDate("\(thisYear - 1)-06-28")!, in: ctx)
            }
            // PRO Kalmar län's report is submitted but not yet approved: it waits in the official's queue.
            if let r = try await GrantReport.query(on: ctx.db).filter(\.$decisionID == dec.id!).first() {
                _ = try await DecisionService.submitReport(r.id!, ReportBody(actualCostsOre: amount, narrative: "Verksamheten genomfördes enligt plan."), in: ctx)
                if o != proKalmar { _ = try await DecisionService.reviewReport(r.id!, approve: true, comment: nil, in: ctx) }
            }
        }
        try await backdate(lastYearCall, opens: LocalDate("\(thisYear - 1)-02-01")!, closes: LocalDate("\(thisYear - 1)-03-31")!)
        // January advances of this year, paid.
        for pay in try await DecisionService.planAdvances(programmeID: kalmar.id!, year: thisYear, in: ctx) {
            _ = try await DecisionService.setPaymentStatus(pay.id!, to: .approved, on: LocalDate("\(thisYear)-01-20")!, in: ctx)
            _ = try await DecisionService.setPaymentStatus(pay.id!, to: .paid, on: LocalDate("\(thisYear)-01-30")!, in: ctx)
        }
        let thisYearCall = try await call(kalmar, "Verksamhetsbidrag \(thisYear)", year: thisYear, opens: openFrom, closes: openTo)
        // Smålandsidrotten: granted more than last year (final payment in June); Coompanion: granted less than the advance (reclaim);
        // PRO Kalmar län: rejected (its advance is reclaimed).
        let cases: [(UUID, Int, String, Int)] = [(smaland, 130_000_000, "granted", 130_000_000), (coompanion, 40_000_000, "partly", 15_000_000), (proKalmar, 30_000_000, "rejected", 0)]
        for (o, requested, outcome, amount) in cases {
            let a = try await apply(thisYearCall, o, requested: requested, submit: true, text: "Regional verksamhet \(thisYear).")
            let dec = try await DecisionService.decide(DecisionBody(applicationId: a.id!.uuidString, outcome: outcome, amountOre: amount,
                                                                    motivation: outcome == "rejected" ? "Verksamheten ligger utanför programmets syfte." : "Uppfyller villkoren; beloppet är anpassat till ramen.",
                                                                    decidedOn: "\(thisYear)-05-20", decisionMaker: "Regionala utvecklingsnämnden", jav: false), eurToSek: 11.5, in: ctx)
            for p in try await GrantPayment.query(on: ctx.db).filter(\.$decisionID == dec.id!).filter(\.$status == .planned).all() {
                _ = try await DecisionService.setPaymentStatus(p.id!, to: .approved, on: LocalDate("\(thisYear)-06-15")!, in: ctx)
            }
        }
        try await backdate(thisYearCall, opens: LocalDate("\(thisYear)-02-01")!, closes: LocalDate("\(thisYear)-03-31")!)
        // Region Värmland's round this year: decided and paid; the report is due next spring.
        let vLast = try await call(varmland, "Verksamhetsbidrag \(thisYear)", year: thisYear, opens: openFrom, closes: openTo)
        let frvApp = try await apply(vLast, d.orgs["frv"]!, requested: 60_000_000, submit: true, text: "Regional samordning och påverkansarbete.")
        let frvDec = try await DecisionService.decide(DecisionBody(applicationId: frvApp.id!.uuidString, outcome: "granted", amountOre: 60_000_000,
                                                                   motivation: "Uppfyller villkoren.", decidedOn: "\(thisYear)-03-10", decisionMaker: "Demo Handläggare", jav: false), eurToSek: 11.5, in: ctx)
        for p in try await GrantPayment.query(on: ctx.db).filter(\.$decisionID == frvDec.id!).all() {
            _ = try await DecisionService.setPaymentStatus(p.id!, to: .approved, on: LocalDate("\(thisYear)-03-20")!, in: ctx)
            _ = try await DecisionService.setPaymentStatus(p.id!, to: .paid, on: LocalDate("\(thisYear)-03-27")!, in: ctx)
        }
        try await backdate(vLast, opens: LocalDate("\(thisYear - 1)-11-01")!, closes: LocalDate("\(thisYear)-01-31")!)
    }

    static func remove(in ctx: WriteContext) async throws {
        let programmes = try await GrantProgramme.query(on: ctx.db).filter(\.$isDemo == true).all().compactMap(\.id)
        guard !programmes.isEmpty else { return }
        let calls = try await GrantCall.query(on: ctx.db).filter(\.$programmeID ~~ programmes).all().compactMap(\.id)
        let apps = calls.isEmpty ? [] : try await GrantApplication.query(on: ctx.db).filter(\.$callID ~~ calls).all().compactMap(\.id)
        try await GrantReclaim.query(on: ctx.db).filter(\.$programmeID ~~ programmes).delete()
        try await GrantReport.query(on: ctx.db).filter(\.$programmeID ~~ programmes).delete()
        try await GrantPayment.query(on: ctx.db).filter(\.$programmeID ~~ programmes).delete()
        try await GrantDecision.query(on: ctx.db).filter(\.$programmeID ~~ programmes).set(\.$replacesID, to: nil).update()
        try await GrantDecision.query(on: ctx.db).filter(\.$programmeID ~~ programmes).delete()
        if !apps.isEmpty { try await GrantReview.query(on: ctx.db).filter(\.$applicationID ~~ apps).delete() }
        if !apps.isEmpty { try await GrantApplication.query(on: ctx.db).filter(\.$id ~~ apps).delete() }
        if !calls.isEmpty { try await GrantCall.query(on: ctx.db).filter(\.$id ~~ calls).delete() }
        try await GrantProgramme.query(on: ctx.db).filter(\.$id ~~ programmes).delete()
    }
}
