import Foundation
import Fluent
import SamverkaRules

enum DirectoryVocabularyService {
    /// Areas and municipalities as the validation rules need them. Loaded per use (a few hundred rows)
    /// rather than cached, so an area added on one node is known to every node at once.
    static func load(on db: any Database) async throws -> DirectoryVocabularySnapshot {
        let areas = try await Area.query(on: db).all()
        let munis = try await Municipality.query(on: db).all()
        var areaNames: [String: String] = [:]
        var labels: [String: (sv: String, en: String)] = [:]
        for a in areas where a.active {
            areaNames[a.nameSv.lowercased()] = a.key
            areaNames[a.nameEn.lowercased()] = a.key
            labels[a.key] = (a.nameSv, a.nameEn)
        }
        // Common Swedish words for the areas, as organisations write them in spreadsheets.
        let synonyms = ["ungdom": "youth", "unga": "youth", "barn": "youth", "funktionshinder": "disability",
                        "funktionsnedsättning": "disability", "pension": "pensioners", "äldre": "pensioners",
                        "sport": "sports", "hälsa": "health", "folkhälsa": "health", "sociala": "social",
                        "social": "social", "miljö": "environment", "tro": "faith", "religion": "faith",
                        "studieförbund": "folkbildning", "folkhögskola": "folkbildning", "övrigt": "other"]
        for (word, key) in synonyms where labels[key] != nil && areaNames[word] == nil { areaNames[word] = key }
        var muniNames: [String: String] = [:]
        var nameByCode: [String: String] = [:]
        var county: [String: String] = [:]
        for m in munis {
            muniNames[m.name.lowercased()] = m.code
            nameByCode[m.code] = m.name
            county[m.code] = m.countyCode
        }
        return DirectoryVocabularySnapshot(
            areaKeys: Set(areas.filter(\.active).map(\.key)), areaNames: areaNames,
            municipalityCodes: Set(munis.map(\.code)), municipalityNames: muniNames,
            areaLabels: labels, municipalityNameByCode: nameByCode, countyByMunicipality: county)
    }
}
