import Fluent
import Vapor
import SamverkaRules

/// Demo data for the Directory, taken from the seed documents (../shared/seeds): the 21 regions,
/// Region Värmland's committees and councils (seed 000, 004), Region and Länsstyrelsen Norrbotten with
/// the SÖK Samverkan survey respondents and whether they collaborate (seed 003), Värmland's IOP partners
/// and pensioners' organisations (seeds 000, 004), Uppsala's partners (seed 000).
/// Organisation numbers are made up (they pass validation and start 8029…) and every record is marked demo.
enum DirectoryDemo {
    static let regions: [(county: String, name: String)] = [
        ("01", "Region Stockholm"), ("03", "Region Uppsala"), ("04", "Region Sörmland"), ("05", "Region Östergötland"),
        ("06", "Region Jönköpings län"), ("07", "Region Kronoberg"), ("08", "Region Kalmar län"), ("09", "Region Gotland"),
        ("10", "Region Blekinge"), ("12", "Region Skåne"), ("13", "Region Halland"), ("14", "Västra Götalandsregionen"),
        ("17", "Region Värmland"), ("18", "Region Örebro län"), ("19", "Region Västmanland"), ("20", "Region Dalarna"),
        ("21", "Region Gävleborg"), ("22", "Region Västernorrland"), ("23", "Region Jämtland Härjedalen"),
        ("24", "Region Västerbotten"), ("25", "Region Norrbotten"),
    ]

    struct OrgSeed {
        var key: String
        var name: String
        var form: String = "ideellForening"
        var level: String
        var parent: String? = nil
        var areas: [String]
        var county: String? = nil
        var municipalities: [String] = []
        var description: String
        var councils: [String] = []
        var members: (year: Int, total: Int, young: Int?)? = nil
    }

    /// Made-up but valid organisation numbers: 8029 + a five-digit serial + Luhn check digit.
    static func orgnr(_ serial: Int) -> String {
        let nine = "8029" + String(format: "%05d", serial)
        return nine.prefix(6) + "-" + nine.suffix(3) + String(OrganisationNumber.checkDigit(forFirstNine: nine))
    }

    static let organisations: [OrgSeed] = [
        // National organisations (parents of the districts below).
        OrgSeed(key: "pro", name: "PRO – Pensionärernas Riksorganisation", level: "national", areas: ["pensioners"], description: "Riksorganisation för pensionärer. Representerad i Region Värmlands pensionärsråd genom sitt distrikt."),
        OrgSeed(key: "spf", name: "SPF Seniorerna", level: "national", areas: ["pensioners"], description: "Sveriges Pensionärsförbund, riksorganisation."),
        OrgSeed(key: "rpg", name: "RPG – Riksförbundet Pensionärsgemenskap", level: "national", areas: ["pensioners"], description: "Riksorganisation för pensionärer."),
        OrgSeed(key: "skpf", name: "SKPF Pensionärerna", level: "national", areas: ["pensioners"], description: "Sveriges Kommunalpensionärers Förbund, riksorganisation."),
        OrgSeed(key: "srf", name: "Synskadades Riksförbund", level: "national", areas: ["disability"], description: "Riksförbund för synskadade."),
        OrgSeed(key: "rodakorset", name: "Svenska Röda Korset", level: "national", areas: ["social", "health"], description: "Humanitär organisation. Samverkar med Region och Länsstyrelsen Norrbotten, bl.a. Röda Korsets behandlingscenter."),
        OrgSeed(key: "rfsisu", name: "RF-SISU", level: "national", areas: ["sports", "folkbildning"], description: "Riksidrottsförbundet och SISU Idrottsutbildarna."),
        // Värmland (seeds 000 and 004)
        OrgSeed(key: "frv", name: "Funktionsrätt Värmland", level: "regional", areas: ["disability"], county: "17",
                description: "Paraplyorganisation för funktionsrättsorganisationer i Värmland; sex ledamöter i Region Värmlands Råd för funktionsrätt.", councils: ["Rådet för funktionsrätt"]),
        OrgSeed(key: "srfv", name: "SRF Värmland", level: "regional", parent: "srf", areas: ["disability"], county: "17",
                description: "Synskadades Riksförbund Värmland; erbjuds att ingå som adjungerad i Rådet för funktionsrätt.", councils: ["Rådet för funktionsrätt"]),
        OrgSeed(key: "prov", name: "PRO Värmland", level: "regional", parent: "pro", areas: ["pensioners"], county: "17",
                description: "Distrikt för PRO i Värmland; representerat i Pensionärsrådet.", councils: ["Pensionärsrådet"], members: (2025, 18_400, nil)),
        OrgSeed(key: "spfv", name: "SPF Seniorerna Värmland", level: "regional", parent: "spf", areas: ["pensioners"], county: "17",
                description: "Distrikt för SPF Seniorerna i Värmland; representerat i Pensionärsrådet.", councils: ["Pensionärsrådet"]),
        OrgSeed(key: "rpgv", name: "RPG Värmland", level: "regional", parent: "rpg", areas: ["pensioners"], county: "17",
                description: "Distrikt för RPG i Värmland; representerat i Pensionärsrådet.", councils: ["Pensionärsrådet"]),
        OrgSeed(key: "skpfv", name: "SKPF Pensionärerna Värmland", level: "regional", parent: "skpf", areas: ["pensioners"], county: "17",
                description: "Distrikt för SKPF i Värmland; representerat i Pensionärsrådet.", councils: ["Pensionärsrådet"]),
        OrgSeed(key: "natverket", name: "Nätverket Värmlands Idéburna", level: "regional", areas: ["social", "other"], county: "17",
                description: "Idéburen organisation som bildades som ”en väg in” efter Överenskommelsen Värmland; styrelsen utser representanter till Rådet för idéburna organisationer.", councils: ["Rådet för idéburna organisationer"]),
        OrgSeed(key: "afasi", name: "Afasiföreningen i Värmland", level: "regional", areas: ["disability", "health"], county: "17",
                description: "IOP med Region Värmland beslutat i hälso- och sjukvårdsnämnden."),
        OrgSeed(key: "fryk", name: "Frykcenter", level: "local", areas: ["health", "social"], description: "IOP med Region Värmland beslutat i hälso- och sjukvårdsnämnden."),
        OrgSeed(key: "ebl", name: "EBL – Ett bättre liv (EBL-skolan)", level: "local", areas: ["health", "social"], description: "IOP med Region Värmland beslutat i hälso- och sjukvårdsnämnden."),
        // Norrbotten: respondents of the SÖK Samverkan survey 2020 (seed 003, question 1).
        OrgSeed(key: "frn", name: "Funktionsrätt Norrbotten", level: "regional", areas: ["disability"], county: "25", description: "Svarande i SÖK Samverkan 2020: samverkar med både Region och Länsstyrelsen Norrbotten."),
        OrgSeed(key: "rkn", name: "Svenska Röda Korset Norrbotten", level: "regional", parent: "rodakorset", areas: ["social", "health"], county: "25", description: "Svarande i SÖK Samverkan 2020: samverkar med både Region och Länsstyrelsen."),
        OrgSeed(key: "fro", name: "Frivilliga Radioorganisationen Norrbotten", level: "regional", areas: ["other"], county: "25", description: "Frivillig försvarsorganisation inom samhällsskydd och beredskap."),
        OrgSeed(key: "kalixfhs", name: "Kalix folkhögskola", form: "other", level: "local", areas: ["folkbildning"], municipalities: ["2514"], description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "lotta", name: "Svenska Lottakårens Riksförbund, Norrbotten", level: "regional", areas: ["other"], county: "25", description: "Frivillig försvarsorganisation."),
        OrgSeed(key: "bris", name: "Bris – Barnens rätt i samhället, Norrbotten", level: "regional", areas: ["youth", "social"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "fhp", name: "Folkets Hus och Parker Norrbotten", level: "regional", areas: ["culture"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "pistol", name: "Svenska Pistolskytteförbundet, Norrbottens distrikt", level: "regional", areas: ["sports"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "mbsk", name: "Medborgarskolan Nord", level: "regional", areas: ["folkbildning"], county: "25", description: "Studieförbund; svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "autism", name: "Distriktsföreningen Autism och Asperger Norrbotten", level: "regional", areas: ["disability"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "riksteatern", name: "Riksteatern Norrbotten", level: "regional", areas: ["culture"], county: "25", description: "Samverkar med Region Norrbotten inom kultur."),
        OrgSeed(key: "svk", name: "Svenska kyrkan i Norrbotten", form: "trossamfund", level: "regional", areas: ["faith", "social"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "metnuoret", name: "Met Nuoret", level: "regional", areas: ["youth", "culture"], county: "25", description: "Tornedalsk ungdomsorganisation; svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "coompanion", name: "Coompanion Norrbotten", form: "ekonomiskForening", level: "regional", areas: ["social", "other"], county: "25", description: "Stödjer kooperativ och sociala företag."),
        OrgSeed(key: "raddabarnen", name: "Rädda Barnen Norrbotten", level: "regional", areas: ["youth", "social"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "skpfn", name: "SKPF Pensionärerna Norrbotten", level: "regional", parent: "skpf", areas: ["pensioners"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "konst", name: "Sveriges konstföreningar Norrbotten", level: "regional", areas: ["culture"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "hsl", name: "Hela Sverige ska leva Norrbotten", level: "regional", areas: ["social", "environment"], county: "25", description: "Landsbygdsutveckling; svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "rfsisun", name: "RF-SISU Norrbotten", level: "regional", parent: "rfsisu", areas: ["sports", "folkbildning"], county: "25", description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "sunderby", name: "Sunderby folkhögskola", form: "other", level: "local", areas: ["folkbildning"], municipalities: ["2580"], description: "Svarande i SÖK Samverkan 2020."),
        OrgSeed(key: "samforma", name: "Samforma", level: "regional", areas: ["other", "social"], county: "25", description: "Civilsamhällets paraplyorganisation i Norrbotten och Västerbotten; part i SÖK Samverkan-projektet."),
        // Uppsala (seed 000): IOP partners and the youth-grant case.
        OrgSeed(key: "ful", name: "Funktionsrätt Uppsala län", level: "regional", areas: ["disability"], county: "03", description: "IOP med Region Uppsala."),
        OrgSeed(key: "barnombudet", name: "Barnombudet i Uppsala län", level: "regional", areas: ["youth", "social"], county: "03", description: "IOP med Region Uppsala."),
        OrgSeed(key: "rfsisuu", name: "RF-SISU Uppland", level: "regional", parent: "rfsisu", areas: ["sports", "youth"], county: "03", description: "IOP med Region Uppsala.", members: (2025, 52_000, 31_000)),
    ]

    /// Whether each Norrbotten respondent collaborates with the Region and the Länsstyrelse (seed 003, question 1).
    static let norrbottenSurvey: [(key: String, region: Bool, lst: Bool)] = [
        ("frn", true, true), ("rkn", true, true), ("fro", false, false), ("kalixfhs", true, true), ("lotta", true, true),
        ("bris", true, false), ("fhp", true, false), ("pistol", false, false), ("mbsk", true, true), ("autism", true, false),
        ("riksteatern", true, false), ("svk", true, true), ("metnuoret", true, false), ("coompanion", true, true),
        ("raddabarnen", true, true), ("skpfn", true, false), ("konst", true, false), ("hsl", true, true), ("rfsisun", true, true),
        ("sunderby", true, true),
    ]

    /// Approximate population (SCB, 31 Dec 2023, rounded to hundreds) of Värmland's municipalities, so that
    /// the density page has something to show. Replace with an import of the real table.
    static let varmlandPopulation: [(String, Int)] = [
        ("1715", 12_000), ("1730", 8_400), ("1737", 11_500), ("1760", 4_000), ("1761", 16_900), ("1762", 3_600),
        ("1763", 11_500), ("1764", 9_000), ("1765", 10_000), ("1766", 13_200), ("1780", 95_600), ("1781", 24_300),
        ("1782", 10_400), ("1783", 11_400), ("1784", 26_000), ("1785", 15_200),
    ]

    struct Loaded {
        var bodies: [String: UUID] = [:]       // county code → region id, plus "lst25"
        var units: [String: UUID] = [:]
        var orgs: [String: UUID] = [:]
        var roles: [String: UUID] = [:]
    }

    static func load(in ctx: WriteContext) async throws -> Loaded {
        var out = Loaded()
        let muniByCounty = Dictionary(grouping: try await Municipality.query(on: ctx.db).all(), by: \.countyCode).mapValues { $0.map(\.code) }
        for r in regions {
            let b = try await StructureService.saveBody(nil, PublicBodyBody(
                name: r.name, kind: "region", countyCode: r.county,
                description: r.county == "17" ? "Region Värmland ansvarar bl.a. för hälso- och sjukvård, kollektivtrafik, kultur och fem av länets sex folkhögskolor. Överenskommelsen Värmland sedan 2018, reviderad 2022, 54 signatärer." : ""),
                isDemo: true, in: ctx)
            out.bodies[r.county] = b.id!
        }
        let lst = try await StructureService.saveBody(nil, PublicBodyBody(name: "Länsstyrelsen Norrbotten", kind: "lansstyrelse", countyCode: "25",
                                                                          description: "Part i SÖK Samverkan-projektet 2019–2021."), isDemo: true, in: ctx)
        out.bodies["lst25"] = lst.id!

        func unit(_ key: String, body: String, parent: String? = nil, name: String, kind: String, areas: [String], resp: String, email: String = "") async throws {
            let u = try await StructureService.saveUnit(nil, UnitBody(bodyId: out.bodies[body]!.uuidString, parentId: parent.flatMap { out.units[$0]?.uuidString },
                                                                      name: name, kind: kind, responsibilities: resp, areas: areas, email: email), in: ctx)
            out.units[key] = u.id!
        }
        // Region Värmland (seeds 000 and 004).
        try await unit("rs", body: "17", name: "Regionstyrelsen", kind: "namnd", areas: ["pensioners", "disability", "social"],
                       resp: "Avgör storleken på medlen till den idéburna sektorn. Rådet för funktionsrätt och Pensionärsrådet är knutna till regionstyrelsen.")
        try await unit("kbn", body: "17", name: "Kultur- och bildningsnämnden", kind: "namnd", areas: ["disability", "pensioners", "sports", "folkbildning", "culture"],
                       resp: "Beslutar om verksamhetsbidrag till funktionsrätts- och pensionärsorganisationer, idrott, studieförbund, kulturorganisationer och idéburna organisationer, och om projektbidrag enligt folkhälso- och kulturstrategin.")
        try await unit("run", body: "17", name: "Regionala utvecklingsnämnden", kind: "namnd", areas: ["social", "environment"],
                       resp: "Regional utveckling. Representerad med politiker i Rådet för idéburna organisationer.")
        try await unit("hsn", body: "17", name: "Hälso- och sjukvårdsnämnden", kind: "namnd", areas: ["health", "disability"],
                       resp: "Beslutar om idéburna offentliga partnerskap (IOP) inom hälso- och sjukvården, t.ex. med Afasiföreningen, Frykcenter och EBL-skolan.")
        try await unit("rlk", body: "17", name: "Regionledningskontoret", kind: "forvaltning", areas: ["social", "other"],
                       resp: "Samordnar Överenskommelsen Värmland och de tre strategiska råden: Rådet för idéburna organisationer, Rådet för funktionsrätt och Pensionärsrådet.",
                       email: "civilsamhalle@regionvarmland.example")
        try await unit("bidrag", body: "17", parent: "rlk", name: "Enheten för bidrag till civilsamhället", kind: "enhet", areas: ["youth", "disability", "pensioners", "culture"],
                       resp: "Handlägger ansökningar om verksamhets- och projektbidrag, utbetalningar och redovisningar. Vänd dig hit med frågor om bidrag.",
                       email: "bidrag@regionvarmland.example")
        try await unit("folkhogskolor", body: "17", parent: "rlk", name: "Folkhögskolorna", kind: "enhet", areas: ["folkbildning"],
                       resp: "Region Värmland ansvarar för fem av länets sex folkhögskolor.")
        // Region Norrbotten and Länsstyrelsen Norrbotten (seed 003, 6.2 and 6.3).
        try await unit("nbru", body: "25", name: "Avdelningen för regional utveckling", kind: "avdelning", areas: ["culture", "social", "environment"],
                       resp: "Kultur, näringsliv och samhällsplanering. Projektägare för SÖK Samverkan.")
        try await unit("nbfolk", body: "25", name: "Folkhälsocentrum", kind: "enhet", areas: ["health", "sports"],
                       resp: "Folkhälsa, t.ex. fysisk aktivitet tillsammans med idrottsrörelsen.")
        try await unit("lstsam", body: "lst25", name: "Avdelning Samhälle", kind: "avdelning", areas: ["social", "integration"],
                       resp: "Djurskydd och veterinär, miljöskydd, rätts- och samhällsskydd samt social hållbarhet, bl.a. integration och TIA-projekt.")

        // Contact roles: the three councils' secretaries and a grant administrator (Värmland).
        func role(_ key: String, unit: String, title: String, email: String, holder: String?, since: String, grants: String? = nil) async throws {
            let r = try await RoleService.saveRole(nil, ContactRoleBody(title: title, description: "", unitId: out.units[unit]!.uuidString, email: email), in: ctx)
            r.grantsRole = grants
            try await r.save(on: ctx.db)
            out.roles[key] = r.id!
            if let holder {
                _ = try await RoleService.handover(r.id!, HandoverBody(holderName: holder, holderEmail: nil, startsOn: since), in: ctx)
            }
        }
        try await role("sekr-ideburna", unit: "rlk", title: "Sekreterare i Rådet för idéburna organisationer", email: "radet.ideburna@regionvarmland.example", holder: "Demo Sekreterare A", since: "2023-01-01", grants: "official")
        try await role("sekr-funktionsratt", unit: "rlk", title: "Sekreterare i Rådet för funktionsrätt", email: "radet.funktionsratt@regionvarmland.example", holder: "Demo Sekreterare B", since: "2022-08-15", grants: "official")
        try await role("sekr-pensionar", unit: "rlk", title: "Sekreterare i Pensionärsrådet", email: "pensionarsradet@regionvarmland.example", holder: nil, since: "", grants: "official")
        try await role("funktionsrattsstrateg", unit: "rs", title: "Funktionsrättsstrateg", email: "funktionsratt@regionvarmland.example", holder: "Demo Strateg", since: "2021-03-01")
        try await role("bidragshandlaggare", unit: "bidrag", title: "Bidragshandläggare, verksamhetsbidrag", email: "bidrag@regionvarmland.example", holder: "Demo Handläggare", since: "2024-02-01", grants: "official")

        // Organisations.
        for (i, o) in organisations.enumerated() {
            var munis = o.municipalities
            if let c = o.county { munis = muniByCounty[c] ?? [] }
            let org = try await OrganisationService.create(OrganisationInput(
                name: o.name, orgnr: orgnr(i + 1), legalForm: o.form, level: o.level, parentID: o.parent.flatMap { out.orgs[$0]?.uuidString },
                areas: o.areas, municipalities: munis, description: o.description, councilMemberships: o.councils), isDemo: true, in: ctx)
            out.orgs[o.key] = org.id!
            if let m = o.members {
                _ = try await OrganisationService.setMemberCounts(org.id!, [MemberCountInput(year: String(m.year), total: String(m.total), young: m.young.map(String.init))], in: ctx)
            }
        }
        // Collaboration: Värmland's IOPs (seed 004) and the Norrbotten survey answers (seed 003).
        for key in ["afasi", "fryk", "ebl"] {
            _ = try await CollaborationService.save(nil, CollaborationBody(organisationId: out.orgs[key]!.uuidString, unitId: out.units["hsn"]!.uuidString,
                                                                          form: "iop", startsOn: "2022-01-01", description: "IOP beslutat i hälso- och sjukvårdsnämnden."), in: ctx)
        }
        for key in ["prov", "spfv", "rpgv", "skpfv", "frv", "natverket"] {
            _ = try await CollaborationService.save(nil, CollaborationBody(organisationId: out.orgs[key]!.uuidString, unitId: out.units["rlk"]!.uuidString,
                                                                          form: "dialogue", startsOn: "2019-01-01", description: "Representerad i ett av Region Värmlands strategiska råd."), in: ctx)
        }
        for s in norrbottenSurvey {
            if s.region {
                _ = try await CollaborationService.save(nil, CollaborationBody(organisationId: out.orgs[s.key]!.uuidString, unitId: out.units["nbru"]!.uuidString,
                                                                              form: "dialogue", startsOn: "2020-01-01", description: "Samverkar med Region Norrbotten enligt SÖK Samverkan-enkäten 2020."), in: ctx)
            }
            if s.lst {
                _ = try await CollaborationService.save(nil, CollaborationBody(organisationId: out.orgs[s.key]!.uuidString, unitId: out.units["lstsam"]!.uuidString,
                                                                              form: "dialogue", startsOn: "2020-01-01", description: "Samverkar med Länsstyrelsen Norrbotten enligt SÖK Samverkan-enkäten 2020."), in: ctx)
            }
        }
        // Population, so that the density page has figures.
        for (code, pop) in varmlandPopulation {
            try await PopulationFigure(municipalityCode: code, year: 2023, population: pop).create(on: ctx.db)
        }
        ctx.auditSummary("import", "population", "demo", [("rows", .int(varmlandPopulation.count)), ("note", "approximate demo figures")])
        return out
    }
}
