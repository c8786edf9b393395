import Fluent
import Foundation
import SamverkaRules

/// One of Sweden's 21 counties (län), SCB code `01`–`25`.
final class County: Model, @unchecked Sendable {
    static let schema = "counties"
    var properties: [any AnyProperty] { [$id, $code, $name] }
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    init() {}
    init(code: String, name: String) {
        self.id = UUID()
        self.code = code
        self.name = name
    }
}

/// One of the 290 municipalities (kommuner), SCB code `NNNN`.
final class Municipality: Model, @unchecked Sendable {
    static let schema = "municipalities"
    var properties: [any AnyProperty] { [$id, $code, $name, $countyCode] }
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "county_code") var countyCode: String
    init() {}
    init(code: String, name: String, countyCode: String) {
        self.id = UUID()
        self.code = code
        self.name = name
        self.countyCode = countyCode
    }
}

/// Population of a municipality on 31 December of `year` (imported from SCB or entered).
final class PopulationFigure: Model, @unchecked Sendable {
    static let schema = "population_figures"
    var properties: [any AnyProperty] { [$id, $municipalityCode, $year, $population] }
    @ID(key: .id) var id: UUID?
    @Field(key: "municipality_code") var municipalityCode: String
    @Field(key: "year") var year: Int
    @Field(key: "population") var population: Int
    init() {}
    init(municipalityCode: String, year: Int, population: Int) {
        self.id = UUID()
        self.municipalityCode = municipalityCode
        self.year = year
        self.population = population
    }
}

/// An area of activity (verksamhetsområde). A managed list: admins can add areas; keys never change.
final class Area: Model, @unchecked Sendable {
    static let schema = "areas"
    var properties: [any AnyProperty] { [$id, $key, $nameSv, $nameEn, $sortOrder, $active] }
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "name_sv") var nameSv: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "active") var active: Bool
    init() {}
    init(key: String, nameSv: String, nameEn: String, sortOrder: Int) {
        self.id = UUID()
        self.key = key
        self.nameSv = nameSv
        self.nameEn = nameEn
        self.sortOrder = sortOrder
        self.active = true
    }
    func name(_ lang: Language) -> String { lang == .en ? nameEn : nameSv }
}
