import Foundation

/// What a user sends to create or change an organisation (from a form, the API or a CSV row).
public struct OrganisationInput: Sendable {
    public var name: String?
    public var orgnr: String?
    public var legalForm: String?
    public var level: String?
    public var parentID: String?
    public var areas: [String] = []
    public var municipalities: [String] = []
    public var description: String?
    public var street: String?
    public var postalCode: String?
    public var city: String?
    public var email: String?
    public var phone: String?
    public var website: String?
    public var foundedYear: String?
    public var councilMemberships: [String] = []
    public var version: Int?

    public init(name: String? = nil, orgnr: String? = nil, legalForm: String? = nil, level: String? = nil, parentID: String? = nil, areas: [String] = [], municipalities: [String] = [], description: String? = nil, street: String? = nil, postalCode: String? = nil, city: String? = nil, email: String? = nil, phone: String? = nil, website: String? = nil, foundedYear: String? = nil, councilMemberships: [String] = [], version: Int? = nil) {
        self.name = name
        self.orgnr = orgnr
        self.legalForm = legalForm
        self.level = level
        self.parentID = parentID
        self.areas = areas
        self.municipalities = municipalities
        self.description = description
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.email = email
        self.phone = phone
        self.website = website
        self.foundedYear = foundedYear
        self.councilMemberships = councilMemberships
        self.version = version
    }
}

/// A checked organisation, ready to store.
public struct OrganisationFields: Sendable, Equatable {
    public var name: String
    public var orgnr: String?
    public var legalForm: LegalForm
    public var level: OrganisationLevel
    public var parentID: UUID?
    public var areas: [String]
    public var municipalities: [String]
    public var description: String
    public var street: String
    public var postalCode: String
    public var city: String
    public var email: String
    public var phone: String
    public var website: String
    public var foundedYear: Int?
    public var councilMemberships: [String]
}

/// The reference lists that input is checked against.
public struct DirectoryVocabularySnapshot: Sendable {
    /// Area keys and the names that also identify them (Swedish and English, lower-cased).
    public var areaKeys: Set<String>
    public var areaNames: [String: String]
    /// Municipality codes and names (lower-cased name → code).
    public var municipalityCodes: Set<String>
    public var municipalityNames: [String: String]
    /// For display and search text.
    public var areaLabels: [String: (sv: String, en: String)] = [:]
    public var municipalityNameByCode: [String: String] = [:]
    public var countyByMunicipality: [String: String] = [:]

    public func areaKey(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if areaKeys.contains(t) { return t }
        return areaNames[t.lowercased()]
    }

    /// A municipality by SCB code (`1780`) or name (`Karlstad`, `Karlstads kommun`).
    public func municipalityCode(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if municipalityCodes.contains(t) { return t }
        let lower = t.lowercased()
        if let c = municipalityNames[lower] { return c }
        for suffix in [" kommun", "s kommun", " stad", "s stad"] where lower.hasSuffix(suffix) {
            if let c = municipalityNames[String(lower.dropLast(suffix.count))] { return c }
        }
        return nil
    }

    public init(areaKeys: Set<String>, areaNames: [String: String], municipalityCodes: Set<String>, municipalityNames: [String: String], areaLabels: [String: (sv: String, en: String)] = [:], municipalityNameByCode: [String: String] = [:], countyByMunicipality: [String: String] = [:]) {
        self.areaKeys = areaKeys
        self.areaNames = areaNames
        self.municipalityCodes = municipalityCodes
        self.municipalityNames = municipalityNames
        self.areaLabels = areaLabels
        self.municipalityNameByCode = municipalityNameByCode
        self.countyByMunicipality = countyByMunicipality
    }
}

public enum OrganisationRules {
    public static let nameMax = 200
    public static let descriptionMax = 5000

    /// Checks every field and returns either the clean record or all field errors at once.
    public static func validate(_ input: OrganisationInput, vocabulary: DirectoryVocabularySnapshot,
                         currentYear: Int) -> Result<OrganisationFields, FieldErrors> {
        var errors = FieldErrors()
        let name = TextRules.line(input.name, field: "name", max: nameMax, required: true, min: 2, errors: &errors)

        var orgnr: String?
        if let raw = input.orgnr, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            switch OrganisationNumber.parse(raw) {
            case .success(let n): orgnr = n.normalized
            case .failure(let f): errors.add("orgnr", code: "orgnr.\(Self.code(f))")
            }
        }

        let legalForm = Self.vocabulary(LegalForm.self, input.legalForm, field: "legalForm", errors: &errors)
        let level = Self.vocabulary(OrganisationLevel.self, input.level, field: "level", errors: &errors)

        var parentID: UUID?
        if let raw = input.parentID?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let id = UUID(uuidString: raw) { parentID = id } else { errors.add("parentId", code: "uuid") }
        }

        var areas: [String] = []
        for a in input.areas where !a.trimmingCharacters(in: .whitespaces).isEmpty {
            if let key = vocabulary.areaKey(a) {
                if !areas.contains(key) { areas.append(key) }
            } else {
                errors.add("areas", code: "unknownArea", String(a.prefix(60)))
            }
        }
        if areas.count > 12 { errors.add("areas", code: "tooMany", "12") }

        var municipalities: [String] = []
        for m in input.municipalities where !m.trimmingCharacters(in: .whitespaces).isEmpty {
            if let code = vocabulary.municipalityCode(m) {
                if !municipalities.contains(code) { municipalities.append(code) }
            } else {
                errors.add("municipalities", code: "unknownMunicipality", String(m.prefix(60)))
            }
        }

        let description = TextRules.paragraph(input.description, field: "description", max: descriptionMax, errors: &errors)
        let street = TextRules.line(input.street, field: "street", max: 200, errors: &errors)
        let postalCode = TextRules.postalCode(input.postalCode, field: "postalCode", errors: &errors)
        let city = TextRules.line(input.city, field: "city", max: 100, errors: &errors)
        let email = TextRules.email(input.email, field: "email", errors: &errors)
        let phone = TextRules.phone(input.phone, field: "phone", errors: &errors)
        let website = TextRules.website(input.website, field: "website", errors: &errors)
        let founded = TextRules.integer(input.foundedYear, field: "foundedYear", range: 1800...currentYear, errors: &errors)

        var councils: [String] = []
        for c in input.councilMemberships {
            let v = TextRules.line(c, field: "councilMemberships", max: 100, errors: &errors)
            if !v.isEmpty && !councils.contains(v) { councils.append(v) }
        }

        guard errors.isEmpty, let legalForm, let level else { return .failure(errors) }
        return .success(OrganisationFields(
            name: name, orgnr: orgnr, legalForm: legalForm, level: level, parentID: parentID, areas: areas,
            municipalities: municipalities, description: description, street: street, postalCode: postalCode,
            city: city, email: email, phone: phone, website: website, foundedYear: founded, councilMemberships: councils))
    }

    /// Checks the parent: it must exist, not be the organisation itself or one of its descendants, and
    /// have the level above (a district belongs to a national organisation, a local branch to a district).
    public static func checkParent(childID: UUID?, level: OrganisationLevel, parent: (id: UUID, level: OrganisationLevel)?,
                            parentRequested: Bool, ancestorsOfParent: [UUID]) -> FieldErrors {
        var errors = FieldErrors()
        guard parentRequested else { return errors }
        guard let parent else { errors.add("parentId", code: "parentMissing"); return errors }
        if let childID, parent.id == childID || ancestorsOfParent.contains(childID) {
            errors.add("parentId", code: "parentCycle")
            return errors
        }
        guard let expected = level.expectedParentLevel else {
            errors.add("parentId", code: "parentForNational")
            return errors
        }
        if parent.level != expected { errors.add("parentId", code: "parentLevel.\(level.rawValue)") }
        return errors
    }

    public static func vocabulary<V: Vocabulary>(_ type: V.Type, _ raw: String?, field: String, errors: inout FieldErrors) -> V? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
            errors.add(field, code: "required")
            return nil
        }
        guard let v = V.parse(raw) else {
            errors.add(field, code: "oneOf", V.rawValues.joined(separator: ", "))
            return nil
        }
        return v
    }

    public static func code(_ f: OrganisationNumber.Failure) -> String {
        switch f {
        case .empty: return "empty"
        case .illegalCharacter: return "illegalCharacter"
        case .wrongFormat: return "wrongFormat"
        case .wrongCentury: return "wrongCentury"
        case .notLegalEntity: return "notLegalEntity"
        case .checkDigit: return "checkDigit"
        }
    }
}

/// Member counts for one year: the whole organisation and optionally per municipality.
public struct MemberCountInput: Sendable {
    public var year: String?
    public var total: String?
    public var young: String?
    public var municipality: String?

    public init(year: String? = nil, total: String? = nil, young: String? = nil, municipality: String? = nil) {
        self.year = year
        self.total = total
        self.young = young
        self.municipality = municipality
    }
}

public enum MemberCountRules {
    public static func validate(_ rows: [MemberCountInput], vocabulary: DirectoryVocabularySnapshot, currentYear: Int)
        -> Result<[(year: Int, municipality: String?, total: Int, young: Int?)], FieldErrors> {
        var errors = FieldErrors()
        var out: [(Int, String?, Int, Int?)] = []
        var seen = Set<String>()
        for (i, row) in rows.enumerated() {
            let prefix = "memberCounts[\(i)]"
            guard let year = TextRules.integer(row.year, field: "\(prefix).year", range: 1900...currentYear, required: true, errors: &errors) else { continue }
            let total = TextRules.integer(row.total, field: "\(prefix).total", range: 0...10_000_000, required: true, errors: &errors)
            let young = TextRules.integer(row.young, field: "\(prefix).young", range: 0...10_000_000, errors: &errors)
            var muni: String?
            if let m = row.municipality, !m.trimmingCharacters(in: .whitespaces).isEmpty {
                muni = vocabulary.municipalityCode(m)
                if muni == nil { errors.add("\(prefix).municipality", code: "unknownMunicipality", String(m.prefix(60))) }
            }
            if let total, let young, young > total { errors.add("\(prefix).young", code: "youngOverTotal") }
            let key = "\(year)|\(muni ?? "")"
            if seen.contains(key) { errors.add("\(prefix).year", code: "duplicateYear") }
            seen.insert(key)
            if let total { out.append((year, muni, total, young)) }
        }
        return errors.isEmpty ? .success(out) : .failure(errors)
    }
}
