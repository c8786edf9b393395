import Fluent
import Vapor

/// Small view-model pieces shared by the Directory's pages.
struct Link: Encodable, Sendable {
    var href: String
    var label: String
    var note: String?
}

extension Request {
    /// Options for a vocabulary select, with an empty first option when `includeEmpty`.
    func options<V: Vocabulary>(_ type: V.Type, selected: String?, emptyLabel: String? = nil) -> [FormField.Option] {
        var out: [FormField.Option] = []
        if let emptyLabel { out.append(.init(value: "", label: emptyLabel, selected: (selected ?? "").isEmpty)) }
        for c in V.allCases { out.append(.init(value: c.rawValue, label: t(c.labelKey), selected: V.parse(selected ?? "") == c)) }
        return out
    }

    func label<V: Vocabulary>(_ value: V) -> String { t(value.labelKey) }

    func label<V: Vocabulary>(_ type: V.Type, _ raw: String) -> String {
        V(rawValue: raw).map { t($0.labelKey) } ?? raw
    }

    /// Swedish or English name of an area key.
    func areaName(_ key: String, _ vocab: DirectoryVocabularySnapshot) -> String {
        guard let l = vocab.areaLabels[key] else { return key }
        return language == .en ? l.en : l.sv
    }

    func areaOptions(_ vocab: DirectoryVocabularySnapshot, selected: [String]) -> [FormField.Option] {
        let order = LoadReferenceData.areas.map(\.0)
        let sorted = vocab.areaLabels.keys.sorted { (order.firstIndex(of: $0) ?? 999, $0) < (order.firstIndex(of: $1) ?? 999, $1) }
        return sorted.map { .init(value: $0, label: areaName($0, vocab), selected: selected.contains($0)) }
    }

    /// Municipalities grouped by county, for a multiple select.
    func municipalityOptions(on db: any Database, selected: [String], single: Bool = false, emptyLabel: String? = nil) async throws -> [FormField.Option] {
        let counties = try await County.query(on: db).sort(\.$code).all()
        let munis = try await Municipality.query(on: db).sort(\.$code).all()
        var out: [FormField.Option] = []
        if let emptyLabel { out.append(.init(value: "", label: emptyLabel, selected: selected.isEmpty, group: single ? nil : "")) }
        for c in counties {
            for m in munis where m.countyCode == c.code {
                out.append(.init(value: m.code, label: m.name, selected: selected.contains(m.code), group: single ? nil : c.name))
            }
        }
        return out
    }

    func countyOptions(on db: any Database, selected: String?, emptyLabel: String) async throws -> [FormField.Option] {
        [.init(value: "", label: emptyLabel, selected: (selected ?? "").isEmpty)]
            + (try await County.query(on: db).sort(\.$code).all()).map { .init(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    /// The public bodies a form may offer: every body to an admin, the bodies one is an official of to others.
    func officialBodies() async throws -> [PublicBody] {
        let q = PublicBody.query(on: db).sort(\.$name)
        return principal.isAdmin ? try await q.all() : try await q.filter(\.$id ~~ principal.officialBodyIDs).all()
    }

    /// Renders a create/edit form page.
    func formPage(heading: String, intro: String? = nil, form: FormContext, back: Link? = nil, status: HTTPStatus = .ok) async throws -> Response {
        struct FormPage: Encodable, Sendable {
            var heading: String
            var intro: String?
            var form: FormContext
            var backHref: String?
            var backLabel: String?
        }
        return try await page("form-page", title: heading, FormPage(heading: heading, intro: intro, form: form, backHref: back?.href, backLabel: back?.label), status: status)
    }

    /// Decodes a form, turning type errors into a 400 page instead of a crash.
    func decodeForm<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try content.decode(T.self) } catch let e as DecodingError {
            throw AppError(.badRequest, "Formuläret kunde inte läsas.", fields: ProblemMiddleware.fieldErrors(e))
        }
    }
}

/// Renders a validation failure as the same form again (status 422/409) with messages next to fields.
func rerender(_ req: Request, error: any Error, _ build: ([FieldError]) async throws -> Response) async throws -> Response {
    guard let fields = req.formErrors(error) else { throw error }
    let res = try await build(fields)
    res.status = (error as? AppError)?.status ?? .unprocessableEntity
    return res
}
