import Foundation
/// The closed vocabularies of the Directory (see `Vocabulary`).
public enum LegalForm: String, Vocabulary {
    case ideellForening, stiftelse, trossamfund, ekonomiskForening, aktiebolagSvb, other
    public static let labelPrefix = "legalForm"
    public var aliases: [String] {
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

public enum OrganisationLevel: String, Vocabulary {
    case national, regional, local
    public static let labelPrefix = "level"
    public var aliases: [String] {
        switch self {
        case .national: return ["nationell", "riks", "riksorganisation", "riksförbund"]
        case .regional: return ["regional", "regional/distrikt", "distrikt", "district", "länsförbund"]
        case .local: return ["lokal", "lokalförening", "förening"]
        }
    }
    /// The level a parent must have: a district belongs to a national organisation, a local branch to a district.
    public var expectedParentLevel: OrganisationLevel? {
        switch self {
        case .national: return nil
        case .regional: return .national
        case .local: return .regional
        }
    }
}

public enum BodyKind: String, Vocabulary {
    case region, municipality, lansstyrelse, other
    public static let labelPrefix = "bodyKind"
    public var aliases: [String] {
        switch self {
        case .region: return ["region", "landsting"]
        case .municipality: return ["kommun"]
        case .lansstyrelse: return ["länsstyrelse", "länsstyrelsen", "county administrative board"]
        case .other: return ["annan", "myndighet"]
        }
    }
}

public enum UnitKind: String, Vocabulary {
    case forvaltning, avdelning, enhet, namnd
    public static let labelPrefix = "unitKind"
    public var aliases: [String] {
        switch self {
        case .forvaltning: return ["förvaltning", "administration"]
        case .avdelning: return ["avdelning", "department"]
        case .enhet: return ["enhet", "unit", "section"]
        case .namnd: return ["nämnd", "styrelse", "committee", "board"]
        }
    }
}

public enum CollaborationForm: String, Vocabulary {
    case dialogue, workingGroup, project, grant, serviceDelivery, iop, other
    public static let labelPrefix = "collabForm"
    public var aliases: [String] {
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
