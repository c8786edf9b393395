import SamverkaRules

/// The ready template: the mapping Norrbotten ran (seed 003), built on the European Code's levels of participation and
/// the forms of collaboration the seeds use. Copied into a new survey and adapted there.
enum SurveyTemplate {
    struct Template { var title: String; var purpose: String; var questions: [SurveyQuestion] }

    static let forms: [SurveyOption] = [
        .init(code: "information", label: "Information (vi informerar eller blir informerade)"),
        .init(code: "dialog", label: "Gemensamma dialoger och diskussioner"),
        .init(code: "natverk", label: "Gemensamma arbetsgrupper, nätverk eller forum"),
        .init(code: "projekt", label: "Gemensamma projekt eller uppdrag"),
        .init(code: "upphandling", label: "Upphandling eller utförande av tjänster"),
        .init(code: "bidrag", label: "Ekonomiskt stöd och bidrag"),
        .init(code: "annat", label: "Annat"),
        .init(code: "ingen", label: "Ingen samverkan"),
    ]

    static let documents: [SurveyOption] = [
        .init(code: "verksamhetsplan", label: "Verksamhetsplan"),
        .init(code: "verksamhetsmal", label: "Verksamhetsmål"),
        .init(code: "strategi", label: "Strategidokument"),
        .init(code: "arbetsbeskrivning", label: "Arbetsbeskrivning"),
        .init(code: "annat", label: "Annat (t.ex. uppdragsbeskrivning)"),
        .init(code: "inget", label: "Inget styrdokument"),
    ]

    static let levels: [SurveyOption] = [
        .init(code: "information", label: "Information"),
        .init(code: "samrad", label: "Samråd"),
        .init(code: "dialog", label: "Dialog"),
        .init(code: "partnerskap", label: "Partnerskap"),
    ]

    static let europeanCode = Template(
        title: "Kartläggning av samverkan med civilsamhället",
        purpose: "Hur samverkar idéburna organisationer, regionen och länsstyrelsen i dag, i vilka former och på vilken nivå enligt den europeiska koden för idéburna organisationers medverkan i beslutsprocessen? Svaren ligger till grund för en gemensam överenskommelse och handlingsplan.",
        questions: [
            SurveyQuestion(code: "samverkar_region", text: "Samverkar ni med regionen i dag?", kind: .yesNo, required: true),
            SurveyQuestion(code: "former_region", text: "I vilka former samverkar ni med regionen?", kind: .multi, options: forms,
                           help: "Välj alla som stämmer.", showIf: SurveyCondition(question: "samverkar_region", answer: "yes")),
            SurveyQuestion(code: "samverkar_lansstyrelsen", text: "Samverkar ni med länsstyrelsen i dag?", kind: .yesNo, required: true),
            SurveyQuestion(code: "former_lansstyrelsen", text: "I vilka former samverkar ni med länsstyrelsen?", kind: .multi, options: forms,
                           help: "Välj alla som stämmer.", showIf: SurveyCondition(question: "samverkar_lansstyrelsen", answer: "yes")),
            SurveyQuestion(code: "niva", text: "På vilken nivå sker samverkan oftast?", kind: .single, options: levels,
                           help: "Nivåerna i den europeiska koden: information, samråd, dialog och partnerskap."),
            SurveyQuestion(code: "styrdokument", text: "I vilka styrdokument finns samverkan med civilsamhället (eller med det offentliga) beskriven?", kind: .multi, options: documents),
            SurveyQuestion(code: "hitta_ratt", text: "Hur lätt är det att hitta rätt person eller enhet att samverka med?", kind: .scale,
                           help: "1 = mycket svårt, 5 = mycket lätt."),
            SurveyQuestion(code: "onskemal", text: "Vad skulle göra samverkan bättre?", kind: .text),
        ])
}
