import Fluent
import Vapor
import SamverkaRules

/// Demo surveys and overview from the seeds: Norrbotten's mapping "SÖK Samverkan" (seed 003) as a survey adapted from
/// the template, its answers imported in long form so the results page shows the report's "15 av 17", "nio av 10";
/// and MUCF's table of agreements (RÖK) and IOPs per region for 2020 and 2023 (seed 001, bilaga 2) as reported
/// figures. Respondents are numbered, not named: the report gives counts only.
enum SurveysDemo {
    /// MUCF 2023, bilaga 2: region, RÖK 2020, RÖK 2023, IOP 2020, IOP 2023, exactly as printed ("–*": not surveyed).
    static let mucf: [(String, String, String, String, String)] = [
        ("Blekinge", "Nej", "Nej", "Nej", "Nej"), ("Dalarna", "Nej", "Nej", "Nej", "Nej"), ("Gotland", "Nej", "Nej", "Ja", "Ja"),
        ("Gävleborg", "Nej", "Nej", "Ja", "Ja"), ("Halland", "Ja", "Ja", "Ja", "Nej"), ("Jämtland Härjedalen", "Nej", "Nej", "Nej", "Nej"),
        ("Jönköping", "Nej", "Nej", "Nej", "Ja"), ("Kalmar", "Nej", "Ja", "Nej", "Nej"), ("Kronoberg", "Nej", "Nej", "Nej", "Nej"),
        ("Norrbotten", "Ja", "Ja", "Ja", "Nej"), ("Skåne", "Ja", "Ja", "Ja", "Ja"), ("Stockholm", "Nej", "Nej", "Nej", "Nej"),
        ("Sörmland", "–*", "Nej", "–*", "Ja"), ("Uppsala", "Nej", "Nej", "Ja", "Ja"), ("Värmland", "Ja", "Ja", "Ja", "Ja"),
        ("Västerbotten", "Ja", "Nej", "Ja", "Ja"), ("Västernorrland", "Ja", "Nej", "Nej", "Nej"), ("Västmanland", "Nej", "Nej", "Nej", "Nej"),
        ("Västra Götaland", "Ja", "Ja", "Ja", "Ja"), ("Örebro", "Ja", "Nej", "Nej", "Nej"), ("Östergötland", "Ja", "Ja", "Ja", "Ja"),
    ]

    /// The reported table as the import takes it.
    static var mucfCSV: String {
        var out = "region;year;agreement;iop\n"
        for r in mucf { out += "\(r.0);2020;\(r.1);\(r.3)\n\(r.0);2023;\(r.2);\(r.4)\n" }
        return out
    }

    /// Who in each group gave each answer, as seed 003 reports the counts ("15 av 17", "nio av 10"): respondents are
    /// numbered, and each answer is given by a range of them (group → question → answer → respondents).
    static let answers: [(group: String, respondents: Int, answers: [String: [String: ClosedRange<Int>]])] = [
        ("civilsamhälle", 17, [
            "samverkar_region": ["yes": 1...15, "no": 16...17], "samverkar_lansstyrelsen": ["yes": 1...10, "no": 11...17],
            // "Ungefär hälften" exchange information and take part in dialogues; those who do not collaborate say so.
            "former_region": ["bidrag": 1...11, "projekt": 1...9, "upphandling": 1...3, "dialog": 9...17, "ingen": 16...17],
            "former_lansstyrelsen": ["bidrag": 1...4, "projekt": 1...2, "upphandling": 1...3, "dialog": 5...10, "ingen": 11...17],
        ]),
        ("Region Norrbotten, enheter", 10, [
            "former": ["dialog": 1...9, "natverk": 3...10, "projekt": 1...7, "bidrag": 1...4],
            "styrdokument": ["strategi": 1...6, "verksamhetsplan": 6...10, "verksamhetsmal": 7...10, "arbetsbeskrivning": 1...4, "annat": 1...4],
        ]),
        ("Länsstyrelsen Norrbotten, enheter", 10, [
            "former": ["dialog": 1...9, "natverk": 2...10, "information": 1...6, "projekt": 1...4, "bidrag": 1...4, "upphandling": 1...2],
            "styrdokument": ["verksamhetsmal": 1...6, "verksamhetsplan": 6...10, "annat": 1...5, "strategi": 7...10],
        ]),
    ]

    static var questions: [SurveyQuestion] {
        let forms = SurveyTemplate.forms
        return [
            SurveyQuestion(code: "samverkar_region", text: "Samverkar er organisation med Region Norrbotten?", kind: .yesNo, help: "Frågan till de idéburna organisationerna."),
            SurveyQuestion(code: "samverkar_lansstyrelsen", text: "Samverkar er organisation med Länsstyrelsen Norrbotten?", kind: .yesNo, help: "Frågan till de idéburna organisationerna."),
            SurveyQuestion(code: "former_region", text: "I vilka former samverkar ni med Region Norrbotten?", kind: .multi, options: forms, help: "Välj alla som stämmer."),
            SurveyQuestion(code: "former_lansstyrelsen", text: "I vilka former samverkar ni med Länsstyrelsen Norrbotten?", kind: .multi, options: forms, help: "Välj alla som stämmer."),
            SurveyQuestion(code: "former", text: "I vilka former samverkar er enhet med civilsamhället?", kind: .multi, options: forms, help: "Frågan till enheterna. Välj alla som stämmer."),
            SurveyQuestion(code: "styrdokument", text: "Finns samverkan med civilsamhället med i något av era styrdokument?", kind: .multi,
                           options: SurveyTemplate.documents, help: "Frågan till enheterna."),
        ]
    }

    /// The answers in long form, one row per respondent, question and answer.
    static var responsesCSV: String {
        var out = "respondent_group,respondent,question,answer\n"
        for g in answers {
            let prefix = g.group == "civilsamhälle" ? "org" : g.group.hasPrefix("Region") ? "region" : "lst"
            for n in 1...g.respondents {
                for (q, given) in g.answers.sorted(by: { $0.key < $1.key }) {
                    for (a, who) in given.sorted(by: { $0.key < $1.key }) where who.contains(n) { out += "\"\(g.group)\",\(prefix)-\(n),\(q),\(a)\n" }
                }
            }
        }
        return out
    }

    static func load(_ d: DirectoryDemo.Loaded, localizer: Localizer, in ctx: WriteContext) async throws {
        if let norrbotten = d.bodies["25"] {
            let s = try await SurveyService.save(nil, SurveyBody(
                title: "SÖK Samverkan: kartläggning av samverkan i Norrbotten", purpose: "Hur samverkar idéburna organisationer, Region Norrbotten och Länsstyrelsen Norrbotten i dag, och i vilka former? Underlag för en gemensam överenskommelse (2019–2021).",
                bodyId: norrbotten.uuidString, opensOn: "2020-03-01", closesOn: "2020-04-30", anonymous: true, questions: questions), isDemo: true, in: ctx)
            let sid = try s.requireID()
            _ = try await SurveyResultsService.importResponses(sid, ByteSource(bytes: Array(responsesCSV.utf8)), localizer: localizer, in: ctx)
            _ = try await SurveyService.publish(sid, true, in: ctx)
        }
        _ = try await OverviewService.importReported(ByteSource(bytes: Array(mucfCSV.utf8)), note: "MUCF 2023, bilaga 2 (2020 och 2023)", localizer: localizer, in: ctx)
    }

    static func remove(in ctx: WriteContext) async throws {
        let ids = try await Survey.query(on: ctx.db).filter(\.$isDemo == true).all().compactMap(\.id)
        if !ids.isEmpty {
            try await SurveyAnswer.query(on: ctx.db).filter(\.$surveyID ~~ ids).delete()
            try await SurveyRespondent.query(on: ctx.db).filter(\.$surveyID ~~ ids).delete()
            try await SurveyRecipient.query(on: ctx.db).filter(\.$surveyID ~~ ids).delete()
            try await Survey.query(on: ctx.db).filter(\.$id ~~ ids).delete()
        }
        // The reported table is demo data only while nobody has imported over it.
        try await ReportedFigure.query(on: ctx.db).filter(\.$sourceNote == "MUCF 2023, bilaga 2 (2020 och 2023)").delete()
    }
}
