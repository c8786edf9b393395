import Fluent
import Foundation
import SQLKit
import SamverkaRules

/// Loads the 21 counties, 290 municipalities (Resources/Data, from ../shared/data/geo) and the
/// managed list of areas. Reference data is committed in the project, never fetched at run time.
struct LoadReferenceData: AsyncMigration {
    let dataDirectory: String
    var name: String { "D002_LoadReferenceData" }

    static let areas: [(String, String, String)] = [
        ("folkbildning", "Folkbildning", "Adult education (folkbildning)"),
        ("youth", "Barn och unga", "Children and youth"),
        ("disability", "Funktionsrätt", "Disability"),
        ("pensioners", "Pensionärer", "Pensioners"),
        ("sports", "Idrott", "Sports"),
        ("culture", "Kultur", "Culture"),
        ("health", "Hälsa", "Health"),
        ("social", "Socialt arbete", "Social welfare"),
        ("integration", "Integration", "Integration"),
        ("environment", "Miljö", "Environment"),
        ("faith", "Tro och livsåskådning", "Faith"),
        ("other", "Övrigt", "Other"),
    ]

    func prepare(on db: any Database) async throws {
        var counties = try CSVReader(source: try ByteSource.file(dataDirectory + "/counties.csv"))
        var countyModels: [County] = []
        while let row = try counties.next() { countyModels.append(County(code: row[0], name: row[1])) }
        try await countyModels.create(on: db)
        var munis = try CSVReader(source: try ByteSource.file(dataDirectory + "/municipalities.csv"))
        var muniModels: [Municipality] = []
        while let row = try munis.next() { muniModels.append(Municipality(code: row[0], name: row[1], countyCode: row[2])) }
        for chunk in muniModels.chunked(by: 100) { try await Array(chunk).create(on: db) }
        try await Self.areas.enumerated().map { i, a in Area(key: a.0, nameSv: a.1, nameEn: a.2, sortOrder: i) }.create(on: db)
    }

    func revert(on db: any Database) async throws {
        try await Area.query(on: db).delete()
        try await Municipality.query(on: db).delete()
        try await County.query(on: db).delete()
    }
}
