import Foundation
import Fluent
import NIOConcurrencyHelpers
import SamverkaRules

enum DirectoryVocabularyService {
    /// Areas and municipalities as the validation rules and pages need them. Kept by this node under the
    /// `reference` change counter's value, which is read on every use: an area added on one node is known to
    /// every node at once, and a page no longer decodes 290 municipalities to name two of them.
    /// Inside a transaction it is read afresh and not kept: the counter there may count a write that is
    /// rolled back, and the same value could later stand for other data.
    /// `counter`: the `reference` counter's value when the caller read it in a query of its own (the
    /// organisation page does), saving a round trip; nil to read it here.
    static func load(on db: any Database, counter known: Int? = nil) async throws -> DirectoryVocabularySnapshot {
        if db.inTransaction { return try await read(on: db) }
        let counter: Int
        if let known { counter = known } else { counter = try await ChangeCounters.value(ChangeCounters.reference, on: db) }
        if let kept = cache.withLockedValue({ $0 }), kept.counter == counter { return kept.snapshot }
        let snapshot = try await read(on: db)
        cache.withLockedValue { $0 = (counter, snapshot) }
        return snapshot
    }

    /// One snapshot per process; the counter starts at a random value per database (see `ChangeCounters`),
    /// so processes that open several databases (the tests) never take one database's snapshot for another's.
    private static let cache = NIOLockedValueBox<(counter: Int, snapshot: DirectoryVocabularySnapshot)?>(nil)

    private static func read(on db: any Database) async throws -> DirectoryVocabularySnapshot {
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
