import Foundation
/// The closed vocabularies of the Directory. Raw values are the API's values; labels come from the
/// localisation files (`legalForm.<raw>` etc.); `aliases` lets CSV files use Swedish words.
protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    static var labelPrefix: String { get }
    var aliases: [String] { get }
}

extension Vocabulary {
    var labelKey: String { "\(Self.labelPrefix).\(rawValue)" }

    /// Accepts the raw value or any alias, case- and space-insensitively.
    static func parse(_ text: String) -> Self? {
        let norm = normalizeWord(text)
        guard !norm.isEmpty else { return nil }
        return allCases.first { c in normalizeWord(c.rawValue) == norm || c.aliases.contains { normalizeWord($0) == norm } }
    }

    static var rawValues: [String] { allCases.map(\.rawValue) }
}

func normalizeWord(_ s: String) -> String {
    s.lowercased().filter { $0.isLetter || $0.isNumber }
}

enum LegalForm: String, Vocabulary {
    case ideellForening, stiftelse, trossamfund, ekonomiskForening, aktiebolagSvb, other
    static let labelPrefix = "legalForm"
    var aliases: [String] {
        switch self {
        case .ideellForening: return ["ideell förening", "ideell", "if"]
        case .stiftelse: return ["stiftelse", "foundation"]
        case .trossamfund: return ["registrerat trossamfund", "trossamfund", "faith community"]
        case .ekonomiskForening: return ["ekonomisk förening", "ek för", "cooperative"]
        case .aktiebolagSvb: return ["aktiebolag med särskild vinstutdelningsbegränsning", "svb", "ab svb"]
        case .other: return ["annan", "övrig", "annat"]
        }
    }
}

enum OrganisationLevel: String, Vocabulary {
    case national, regional, local
    static let labelPrefix = "level"
    var aliases: [String] {
        switch self {
        case .national: return ["nationell", "riks", "riksorganisation", "riksförbund"]
        case .regional: return ["regional", "distrikt", "district", "länsförbund"]
        case .local: return ["lokal", "lokalförening", "förening"]
        }
    }
    /// The level a parent must have: a district belongs to a national organisation, a local branch to a district.
    var expectedParentLevel: OrganisationLevel? {
        switch self {
        case .national: return nil
        case .regional: return .national
        case .local: return .regional
        }
    }
}

enum BodyKind: String, Vocabulary {
    case region, municipality, lansstyrelse, other
    static let labelPrefix = "bodyKind"
    var aliases: [String] {
        switch self {
        case .region: return ["region", "landsting"]
        case .municipality: return ["kommun"]
        case .lansstyrelse: return ["länsstyrelse", "länsstyrelsen", "county administrative board"]
        case .other: return ["annan", "myndighet"]
        }
    }
}

enum UnitKind: String, Vocabulary {
    case forvaltning, avdelning, enhet, namnd
    static let labelPrefix = "unitKind"
    var aliases: [String] {
        switch self {
        case .forvaltning: return ["förvaltning", "administration"]
        case .avdelning: return ["avdelning", "department"]
        case .enhet: return ["enhet", "unit", "section"]
        case .namnd: return ["nämnd", "styrelse", "committee", "board"]
        }
    }
}

enum CollaborationForm: String, Vocabulary {
    case dialogue, workingGroup, project, grant, serviceDelivery, iop, other
    static let labelPrefix = "collabForm"
    var aliases: [String] {
        switch self {
        case .dialogue: return ["dialog"]
        case .workingGroup: return ["arbetsgrupp", "nätverk", "forum"]
        case .project: return ["projekt", "uppdrag"]
        case .grant: return ["bidrag", "ekonomiskt stöd"]
        case .serviceDelivery: return ["tjänster", "leverans av tjänster", "tjänster, produkter"]
        case .iop: return ["idéburet offentligt partnerskap"]
        case .other: return ["annat", "övrigt"]
        }
    }
}
