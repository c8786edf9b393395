import Fluent
import Vapor
import SamverkaRules

/// Dialogue demo (seeds 000–002): Region Värmland's three strategic councils with their seats, Region Kalmar
/// län's pensioners' council with its cadence (4 meetings + an autumn meeting on the regional plan and budget),
/// a year of Pensionärsrådet's meetings with minutes, answered and overdue questions, one open consultation
/// and a stormöte. Holders' names are invented ("Demo …"); the structure follows the seeds.
enum DialogueDemo {
    static func load(_ d: DirectoryDemo.Loaded, in ctx: WriteContext) async throws {
        let today = LocalDate.today()
        let year = today.year
        let termFrom = "2023-01-01"
        let termTo = ""   // until further notice: the demo outlives the 2023–2026 term
        let varmland = d.bodies["17"]!.uuidString
        let politician = try await AccountService.findUser(email: "politiker@regionvarmland.example", on: ctx.db)
        let representative = try await AccountService.findUser(email: "foretradare@funktionsratt-varmland.example", on: ctx.db)

        func forum(_ body: String, unit: String?, name: String, kind: ForumKind, purpose: String, mandate: String, themes: [ForumTheme], level: ParticipationLevel,
                   composition: [CompositionRule], cadence: Cadence, secretary: String?, location: String, byNextMeeting: Bool = false) async throws -> Forum {
            try await ForumService.save(nil, ForumBody(
                bodyId: body, unitId: unit.flatMap { d.units[$0]?.uuidString }, name: name, kind: kind.rawValue, purpose: purpose, mandate: mandate,
                themes: themes.map(\.rawValue), participationLevel: level.rawValue, isPublic: true, composition: composition, cadence: cadence,
                feedbackDays: 30, feedbackByNextMeeting: byNextMeeting, secretaryRoleId: secretary.flatMap { d.roles[$0]?.uuidString }, location: location), isDemo: true, in: ctx)
        }
        @discardableResult
        func seat(_ f: Forum, _ category: SeatCategory, _ position: SeatPosition = .member, name: String, email: String = "", org: String? = nil,
                  note: String = "", substituteFor: ForumSeat? = nil, from: String = termFrom) async throws -> ForumSeat {
            try await ForumService.saveSeat(forumID: f.id!, seatID: nil, SeatBody(
                category: category.rawValue, position: position.rawValue, organisationId: org.flatMap { d.orgs[$0]?.uuidString }, holderName: name, holderEmail: email,
                isSubstitute: substituteFor != nil, substituteForId: substituteFor?.id?.uuidString, note: note, termFrom: from, termTo: termTo), in: ctx)
        }

        // Rådet för idéburna organisationer: five politicians from the three largest committees and seven representatives
        // appointed by the board of Nätverket Värmlands Idéburna; the regional director takes part (seed 000).
        let ideburna = try await forum(varmland, unit: "rlk", name: "Rådet för idéburna organisationer", kind: .dialogforum,
            purpose: "Strategisk dialog mellan Region Värmland och den idéburna sektorn om Överenskommelsen Värmland.",
            mandate: "Rådet är rådgivande och möts fyra gånger om året. Fem politiker från Kultur- och bildningsnämnden, Regionala utvecklingsnämnden och Hälso- och sjukvårdsnämnden; sju ledamöter för den idéburna sektorn utses av styrelsen för Nätverket Värmlands Idéburna. Regiondirektören deltar.",
            themes: [.verksamhet, .bidragsgivning, .styrdokument, .politiskaBeslut], level: .dialog,
            composition: [CompositionRule(category: "politician", min: 5, max: 5), CompositionRule(category: "organisation", min: 7, max: 7)],
            cadence: Cadence(meetingsPerYear: 4), secretary: "sekr-ideburna", location: "Regionens hus, Karlstad")
        try await seat(ideburna, .politician, .chair, name: "Demo Förtroendevald", email: politician?.email ?? "", note: "Kultur- och bildningsnämnden")
        for (name, note) in [("Demo Ledamot Kultur- och bildningsnämnden", "Kultur- och bildningsnämnden"),
                             ("Demo Ledamot Regionala utvecklingsnämnden", "Regionala utvecklingsnämnden"),
                             ("Demo Ledamot 2 Regionala utvecklingsnämnden", "Regionala utvecklingsnämnden"),
                             ("Demo Ledamot Hälso- och sjukvårdsnämnden", "Hälso- och sjukvårdsnämnden")] {
            try await seat(ideburna, .politician, name: name, note: note)
        }
        for i in 1...7 {
            try await seat(ideburna, .organisation, i == 1 ? .viceChair : .member, name: "Demo Idéburen ledamot \(i)", org: "natverket", note: "Utsedd av Nätverket Värmlands Idéburna")
        }

        // Rådet för funktionsrätt: five region members from the committees' presidia, six from Funktionsrätt Värmland,
        // SRF Värmland adjunct; the regional director and the disability strategist take part (seed 000).
        let funktionsratt = try await forum(varmland, unit: "rs", name: "Rådet för funktionsrätt", kind: .funktionshinderrad,
            purpose: "Samråd om frågor som rör personer med funktionsnedsättning i regionens verksamhet.",
            mandate: "Knutet till regionstyrelsen. Regionen representeras av fem ledamöter ur nämndernas presidier; Funktionsrätt Värmland av sex ledamöter; SRF Värmland är adjungerad. Regiondirektören och funktionsrättsstrategen deltar inom sina uppdrag.",
            themes: [.verksamhet, .styrdokument], level: .samrad,
            composition: [CompositionRule(category: "politician", min: 5, max: 5), CompositionRule(category: "organisation", min: 6, max: 6)],
            cadence: Cadence(meetingsPerYear: 4, weekday: 4), secretary: "sekr-funktionsratt", location: "Regionens hus, Karlstad")
        try await seat(funktionsratt, .politician, .chair, name: "Demo Ordförande Regionstyrelsen", note: "Regionstyrelsens presidium")
        for (name, note) in [("Demo Ledamot Regionstyrelsen", "Regionstyrelsens presidium"),
                             ("Demo Ledamot Hälso- och sjukvårdsnämnden", "Hälso- och sjukvårdsnämndens presidium"),
                             ("Demo Ledamot Kultur- och bildningsnämnden", "Kultur- och bildningsnämndens presidium"),
                             ("Demo Ledamot Regionala utvecklingsnämnden", "Regionala utvecklingsnämndens presidium")] {
            try await seat(funktionsratt, .politician, name: name, note: note)
        }
        try await seat(funktionsratt, .organisation, .viceChair, name: "Demo Företrädare", email: representative?.email ?? "", org: "frv", note: "Funktionsrätt Värmland")
        let frv2 = try await seat(funktionsratt, .organisation, name: "Demo Funktionsrättsledamot 2", org: "frv", note: "Funktionsrätt Värmland")
        for i in 3...6 {
            try await seat(funktionsratt, .organisation, name: "Demo Funktionsrättsledamot \(i)", org: "frv", note: "Funktionsrätt Värmland")
        }
        try await seat(funktionsratt, .organisation, name: "Demo Ersättare Funktionsrätt", org: "frv", note: "Funktionsrätt Värmland", substituteFor: frv2)
        try await seat(funktionsratt, .organisation, .adjunct, name: "Demo Adjungerad SRF", org: "srfv", note: "SRF Värmland, adjungerad")

        // Pensionärsrådet: the four pensioners' organisations' districts (seed 000); answers by the next meeting.
        let pension = try await forum(varmland, unit: "rs", name: "Pensionärsrådet", kind: .pensionarsrad,
            purpose: "Samråd mellan Region Värmland och pensionärsorganisationerna.",
            mandate: "Knutet till regionstyrelsen. PRO, SPF Seniorerna, RPG och SKPF Pensionärerna har en ledamot var.",
            themes: [.verksamhet, .politiskaBeslut], level: .samrad,
            composition: [CompositionRule(category: "politician", min: 2), CompositionRule(category: "organisation", min: 4, max: 4)],
            cadence: Cadence(meetingsPerYear: 4), secretary: "sekr-pensionar", location: "Regionens hus, Karlstad", byNextMeeting: true)
        let chair = try await seat(pension, .politician, .chair, name: "Demo Förtroendevald", email: politician?.email ?? "", note: "Regionstyrelsen")
        try await seat(pension, .politician, name: "Demo Ledamot Kultur- och bildningsnämnden", note: "Kultur- och bildningsnämnden")
        // The adjuster is another person than the chair: PRO's member, who has an account (no password: demo only).
        let proMember = try await AccountService.createUser(email: "pro-ledamot@pro-varmland.example", name: "Demo PRO-ledamot", passwordHash: nil, isDemo: true, in: ctx)
        let adjuster = try await seat(pension, .organisation, .viceChair, name: "Demo PRO-ledamot", email: proMember.email, org: "prov", note: "PRO Värmland")
        try await seat(pension, .organisation, name: "Demo SPF-ledamot", org: "spfv", note: "SPF Seniorerna Värmland")
        try await seat(pension, .organisation, name: "Demo RPG-ledamot", org: "rpgv", note: "RPG Värmland")
        try await seat(pension, .organisation, name: "Demo SKPF-ledamot", org: "skpfv", note: "SKPF Pensionärerna Värmland")

        // Region Kalmar län's pensioners' council: a partsorgan with 4 meetings + an autumn meeting on the regional plan and budget.
        let kalmar = try await forum(d.bodies["08"]!.uuidString, unit: nil, name: "Region Kalmar läns pensionärsråd", kind: .partsorgan,
            purpose: "Partsorgan för dialog mellan Region Kalmar län och pensionärsorganisationerna.",
            mandate: "Fyra möten per år och ett extra höstmöte om regionplan och budget.", themes: [.verksamhet, .politiskaBeslut], level: .dialog,
            composition: [], cadence: Cadence(meetingsPerYear: 4, weekday: 3, extra: [.init(month: 10, title: "Höstmöte om regionplan och budget")]),
            secretary: nil, location: "Regionhuset, Kalmar")
        try await seat(kalmar, .politician, .chair, name: "Demo Ordförande Kalmar", note: "Regionstyrelsen")
        if let pro = try await Organisation.query(on: ctx.db).filter(\.$name == "Demo: PRO Kalmar län").first() {
            _ = try await ForumService.saveSeat(forumID: kalmar.id!, seatID: nil, SeatBody(category: "organisation", position: "member", organisationId: pro.id!.uuidString,
                                                holderName: "Demo PRO Kalmar-ledamot", termFrom: termFrom, termTo: termTo), in: ctx)
        }

        // This year's and next year's meetings from the cadences.
        for f in [ideburna, funktionsratt, pension, kalmar] {
            _ = try await ForumService.plan(forumID: f.id!, year: year, in: ctx)
            _ = try await ForumService.plan(forumID: f.id!, year: year + 1, in: ctx)
        }
        // Pensionärsrådet's past meetings were held and their minutes published; the next one is confirmed with an agenda.
        let meetings = try await Meeting.query(on: ctx.db).filter(\.$forumID == pension.id!).sort(\.$date).all()
        let seats = try await ForumService.currentSeats(forumID: pension.id!, on: ctx.db)
        var confirmedNext = false
        for (i, m) in meetings.enumerated() {
            if m.day < today {
                for (k, (title, minutes, decision)) in [
                    ("Regionens information om vårdens tillgänglighet", "Regionen redovisade väntetider i primärvården för personer över 65 år.", "Rådet tackade för informationen."),
                    ("Frågor från organisationerna", "PRO Värmland tog upp färdtjänstens beställningstider.", "Frågan besvaras skriftligt till nästa möte."),
                ].enumerated() {
                    _ = try await MeetingService.saveAgendaItem(meetingID: m.id!, itemID: nil, AgendaItemBody(
                        position: k + 1, title: title, raisedBy: k == 0 ? "Region Värmland" : "PRO Värmland", minutes: minutes, decision: decision), in: ctx)
                }
                let m = try await Meeting.find(m.id!, on: ctx.db)!
                m.status = .published
                m.adjusterSeatID = adjuster.id
                m.chairApprovedBy = politician?.id
                m.chairApprovedAt = Date()
                m.adjusterApprovedAt = Date()
                m.adjusterApprovedBy = proMember.id
                m.publishedAt = Date()
                m.minutesIntro = "Ordföranden öppnade mötet. Demo PRO-ledamot valdes att justera protokollet."
                m.invitationsSentAt = Date()
                m.version += 1
                try await m.save(on: ctx.db)
                for s in seats { try await attendance(m.id!, s.id!, present: s.id != seats.last?.id, on: ctx.db) }
                if i == 0 {
                    // Documents: a public one, and one whose content is secret (listed with its OSL marking, not delivered).
                    _ = try await MeetingService.addDocument(meetingID: m.id!, agendaItemID: nil, title: "Underlag: väntetider i primärvården",
                        filename: "vantetider-primarvarden.txt", contentType: "text/plain",
                        data: Data("Väntetider i primärvården för personer över 65 år (demo).".utf8),
                        isPublic: nil, secrecyProvision: nil, secrecyReason: nil, titleSecret: nil, in: ctx)
                    _ = try await MeetingService.addDocument(meetingID: m.id!, agendaItemID: nil, title: "Skrivelse om en enskild persons färdtjänstärende",
                        filename: "skrivelse.txt", contentType: "text/plain", data: Data("Uppgifter om en enskild (demo).".utf8),
                        isPublic: nil, secrecyProvision: "26:1", secrecyReason: "Uppgifter om en enskilds personliga förhållanden.", titleSecret: false, in: ctx)
                    _ = try await MeetingService.saveAction(meetingID: m.id!, actionID: nil, ActionBody(
                        text: "Bjuda in kollektivtrafiken till ett kommande möte om färdtjänst.", ownerRoleId: d.roles["sekr-pensionar"]?.uuidString,
                        dueOn: today.adding(days: -10).description), in: ctx)
                }
            } else if !confirmedNext {
                confirmedNext = true
                m.status = .confirmed
                m.adjusterSeatID = adjuster.id
                try await m.save(on: ctx.db)
                for (k, title) in ["Mötets öppnande och val av justerare", "Regionplan och budget – information", "Frågor från organisationerna"].enumerated() {
                    _ = try await MeetingService.saveAgendaItem(meetingID: m.id!, itemID: nil, AgendaItemBody(position: k + 1, title: title, raisedBy: "Region Värmland"), in: ctx)
                }
            }
        }
        _ = chair

        // Questions: answered in time, answered late, overdue, and pending.
        func question(_ f: Forum, org: String, title: String, text: String, raised: Int, deadline: Int, answered: Int?, answer: String = "", proposal: Bool = false) async throws {
            let q = DialogueQuestion()
            q.id = UUID()
            q.bodyID = f.bodyID
            q.forumID = f.id
            q.organisationID = d.orgs[org]
            q.askedBy = org == "frv" ? representative?.id : nil
            q.askerName = org == "frv" ? "Demo Företrädare" : "Demo ledamot"
            q.isProposal = proposal
            q.title = title
            q.text = text
            q.isPublic = true
            q.ownerRoleID = f.secretaryRoleID
            q.raisedOn = today.adding(days: raised).description
            q.deadline = today.adding(days: deadline).description
            q.answer = answer
            q.answeredOn = answered.map { today.adding(days: $0).description }
            q.status = answered == nil ? .received : .answered
            q.forwardedTo = ""
            q.version = 1
            try await q.create(on: ctx.db)
        }
        try await question(pension, org: "prov", title: "Färdtjänstens beställningstider", text: "Kan beställningstiden för färdtjänst kortas till en timme?",
                           raised: -120, deadline: -90, answered: -95, answer: "Kollektivtrafikmyndigheten ser över beställningstiderna; beslut väntas i höst. Rådet får en redovisning.")
        try await question(pension, org: "spfv", title: "Digitala tjänster i vården", text: "Vilket stöd finns för den som inte använder 1177 digitalt?",
                           raised: -80, deadline: -50, answered: -41, answer: "Alla vårdcentraler tar emot ärenden per telefon och vid besök. Se regionens svar i protokollet.")
        try await question(funktionsratt, org: "frv", title: "Tillgänglighet vid regionens nya huvudentré", text: "När åtgärdas de brister i ledstråk som rådet påpekade i våras?",
                           raised: -45, deadline: -15, answered: nil)
        try await question(ideburna, org: "natverket", title: "Förslag: gemensam utbildning om IOP", text: "Nätverket föreslår en gemensam utbildningsdag om IOP för tjänstepersoner och föreningar.",
                           raised: -5, deadline: 25, answered: nil, proposal: true)

        // One consultation (remiss) open for responses.
        let c = try await ConsultationService.save(nil, ConsultationBody(
            bodyId: varmland, unitId: d.units["rlk"]?.uuidString, title: "Remiss: Regional strategi för folkhälsa 2027–2030",
            description: "Region Värmland remitterar förslaget till regional folkhälsostrategi. Synpunkter lämnas per avsnitt eller som ett samlat svar.",
            sections: [ConsultationSection(key: "mal", title: "1. Mål och inriktning"), ConsultationSection(key: "samverkan", title: "2. Samverkan med civilsamhället"),
                       ConsultationSection(key: "uppfoljning", title: "3. Uppföljning")],
            deadline: today.adding(days: 21).description, openToAll: false, invitedOrganisationIds: [d.orgs["natverket"]!.uuidString],
            invitedForumIds: [funktionsratt.id!.uuidString, pension.id!.uuidString]), isDemo: true, in: ctx)
        _ = try await ConsultationService.setDraft(c.id!, filename: "folkhalsostrategi-remissversion.txt", contentType: "text/plain",
                                                   data: Data("Regional strategi för folkhälsa 2027–2030 (remissversion, demo).\n\n1. Mål och inriktning\n2. Samverkan med civilsamhället\n3. Uppföljning\n".utf8), in: ctx)
        _ = try await ConsultationService.open(c.id!, baseURL: "", in: ctx)

        // The semester's stormöte for the signatories (VGR's practice, seed 002), here for Överenskommelsen Värmland.
        _ = try await EventService.save(nil, EventBody(
            bodyId: varmland, title: "Stormöte för Överenskommelsen Värmland",
            description: "Signatärerna möts för att följa upp överenskommelsen och planera nästa halvår.", date: today.adding(days: 30).description,
            startTime: "09:30", endTime: "15:30", location: "Karlstad CCC", capacity: 120, registrationClosesOn: today.adding(days: 20).description,
            surveyUrl: "https://enkat.example/stormote"), isDemo: true, in: ctx)
    }

    static func attendance(_ meeting: UUID, _ seat: UUID, present: Bool, on db: any Database) async throws {
        let a = MeetingAttendance()
        a.id = UUID()
        a.meetingID = meeting
        a.seatID = seat
        a.rsvp = present ? .accepted : .declined
        a.present = present
        a.version = 1
        try await a.create(on: db)
    }

    static func remove(in ctx: WriteContext) async throws {
        let forums = try await Forum.query(on: ctx.db).filter(\.$isDemo == true).all().compactMap(\.id)
        try await DialogueQuestion.query(on: ctx.db).filter(\.$forumID ~~ forums).delete()
        try await Consultation.query(on: ctx.db).filter(\.$isDemo == true).delete()
        try await DialogueEvent.query(on: ctx.db).filter(\.$isDemo == true).delete()
        if !forums.isEmpty {
            let seats = try await ForumSeat.query(on: ctx.db).filter(\.$forumID ~~ forums).all().compactMap(\.id)
            if !seats.isEmpty {
                try await ForumSeat.query(on: ctx.db).filter(\.$id ~~ seats).set(\.$previousID, to: nil).set(\.$substituteForID, to: nil).update()
            }
            try await Forum.query(on: ctx.db).filter(\.$id ~~ forums).delete()
        }
    }
}
