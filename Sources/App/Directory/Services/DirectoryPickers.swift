import Fluent
import Vapor
import SamverkaRules

/// Pickers over the Directory's reference data and bodies, for any module's forms.
extension Request {
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
    func officialBodies() async throws -> [BodyRef] {
        principal.isAdmin ? try await DirectoryQueries.allBodies(on: db) : try await DirectoryQueries.bodies(principal.officialBodyIDs, on: db)
    }

}

