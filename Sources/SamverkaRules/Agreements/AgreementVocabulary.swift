import Foundation

/// What kind of överenskommelse: a region's (RÖK), a municipality's (HÖK) or another (a länsstyrelse's, a joint one).
public enum AgreementKind: String, Vocabulary {
    case regional, municipal, other
    public static let labelPrefix = "agreementKind"
    public var aliases: [String] {
        switch self {
        case .regional: return ["RÖK", "regional överenskommelse", "regionalt"]
        case .municipal: return ["HÖK", "lokal överenskommelse", "kommunal", "kommunalt"]
        case .other: return ["annan", "övrig"]
        }
    }
}

/// Where a version of an agreement stands. A draft may go out for consultation (remiss) and is then adopted;
/// an adopted version is in force until a revision replaces it or the agreement is ended.
public enum AgreementVersionStatus: String, Vocabulary {
    case draft, consultation, adopted, replaced, ended
    public static let labelPrefix = "agreementVersionStatus"
    public var aliases: [String] {
        switch self {
        case .draft: return ["utkast"]
        case .consultation: return ["remiss", "på remiss"]
        case .adopted: return ["antagen", "beslutad"]
        case .replaced: return ["ersatt", "reviderad"]
        case .ended: return ["upphörd", "avslutad"]
        }
    }
}

/// An activity in an action plan.
public enum ActivityStatus: String, Vocabulary {
    case planned, ongoing, done, cancelled
    public static let labelPrefix = "activityStatus"
    public var aliases: [String] {
        switch self {
        case .planned: return ["planerad"]
        case .ongoing: return ["pågående", "pågår"]
        case .done: return ["klar", "genomförd"]
        case .cancelled: return ["inställd", "struken"]
        }
    }
}

/// A follow-up report: the annual one (to the committee) and the mid- and end-of-term ones (to the board).
public enum FollowUpKind: String, Vocabulary {
    case annual, midTerm, endOfTerm
    public static let labelPrefix = "followUpKind"
    public var aliases: [String] {
        switch self {
        case .annual: return ["årlig", "årsuppföljning"]
        case .midTerm: return ["halvtid", "halvtidsuppföljning"]
        case .endOfTerm: return ["slutrapport", "slutuppföljning"]
        }
    }
}

/// What an activity of an action plan can point at: the records that carry it out.
public enum ActivityLinkKind: String, Vocabulary {
    case forum, meeting, consultation, event, grantProgramme, grantDecision, partnership, survey
    public static let labelPrefix = "activityLinkKind"
    public var aliases: [String] { [] }
}
