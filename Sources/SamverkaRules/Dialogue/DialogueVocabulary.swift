import Foundation

/// The kinds of standing forums between a public body and civil society (seeds 000–002, 004).
public enum ForumKind: String, Vocabulary {
    case pensionarsrad, funktionshinderrad, ungdomsrad, brukarrad, partsorgan, styrgrupp, dialogforum, arbetsgrupp, other
    public static let labelPrefix = "forumKind"
    public var aliases: [String] {
        switch self {
        case .pensionarsrad: return ["pensionärsråd", "pensionärsrådet", "råd för pensionärer"]
        case .funktionshinderrad: return ["funktionshinderråd", "funktionsrättsråd", "funktionsstödsråd", "rådet för funktionsrätt"]
        case .ungdomsrad: return ["ungdomsråd"]
        case .brukarrad: return ["brukarråd"]
        case .partsorgan: return ["partsorgan"]
        case .styrgrupp: return ["styrgrupp", "steering group"]
        case .dialogforum: return ["dialogforum", "råd", "dialogue forum"]
        case .arbetsgrupp: return ["arbetsgrupp", "working group"]
        case .other: return ["annat", "other"]
        }
    }
}

/// What dialogue is about (seed 001's four themes).
public enum ForumTheme: String, Vocabulary {
    case verksamhet, bidragsgivning, styrdokument, politiskaBeslut
    public static let labelPrefix = "forumTheme"
    public var aliases: [String] {
        switch self {
        case .verksamhet: return ["verksamhet", "operations"]
        case .bidragsgivning: return ["bidragsgivning", "bidrag", "grants"]
        case .styrdokument: return ["styrdokument", "policy documents"]
        case .politiskaBeslut: return ["särskilda frågor inför politiska beslut", "politiska beslut", "political decisions"]
        }
    }
}

/// The European Code of Good Practice's four levels of participation (seed 002), lowest first.
public enum ParticipationLevel: String, Vocabulary {
    case information, samrad, dialog, partnerskap
    public static let labelPrefix = "participation"
    public var aliases: [String] {
        switch self {
        case .information: return ["information"]
        case .samrad: return ["samråd", "consultation"]
        case .dialog: return ["dialog", "dialogue"]
        case .partnerskap: return ["partnerskap", "partnership"]
        }
    }
}

/// Whom a seat represents: the public body's politicians or officials, or an organisation.
public enum SeatCategory: String, Vocabulary {
    case politician, official, organisation
    public static let labelPrefix = "seatCategory"
    public var aliases: [String] {
        switch self {
        case .politician: return ["politiker", "förtroendevald", "ledamot för regionen"]
        case .official: return ["tjänsteperson", "tjänsteman"]
        case .organisation: return ["organisation", "företrädare", "ledamot för organisation"]
        }
    }
}

/// A seat's function in the forum.
public enum SeatPosition: String, Vocabulary {
    case chair, viceChair, member, secretary, adjunct
    public static let labelPrefix = "seatPosition"
    public var aliases: [String] {
        switch self {
        case .chair: return ["ordförande"]
        case .viceChair: return ["vice ordförande"]
        case .member: return ["ledamot"]
        case .secretary: return ["sekreterare"]
        case .adjunct: return ["adjungerad"]
        }
    }
}

public enum MeetingStatus: String, Codable, Sendable, CaseIterable {
    /// Generated from the cadence; the date is a proposal.
    case planned
    /// The secretary has confirmed the date; invitations can go out.
    case confirmed
    /// The meeting took place; minutes are being written.
    case held
    /// Minutes approved by the chair and the adjuster (justerare), and published.
    case published
    case cancelled
}

public enum RSVP: String, Codable, Sendable, CaseIterable { case invited, accepted, declined }

public enum QuestionStatus: String, Codable, Sendable, CaseIterable {
    case received, inProgress, answered, closed, forwarded
    public var isOpen: Bool { self == .received || self == .inProgress }
}

public enum ConsultationStatus: String, Codable, Sendable, CaseIterable { case draft, open, closed, compiled }

/// What the body did with a comment in a consultation response (remissammanställning).
public enum CommentOutcome: String, Vocabulary {
    case accepted, partly, rejected, noted
    public static let labelPrefix = "commentOutcome"
    public var aliases: [String] {
        switch self {
        case .accepted: return ["tillgodosett", "accepted"]
        case .partly: return ["delvis tillgodosett", "partly"]
        case .rejected: return ["inte tillgodosett", "rejected"]
        case .noted: return ["noterat", "noted"]
        }
    }
}

public enum RegistrationStatus: String, Codable, Sendable, CaseIterable { case registered, waitlisted, cancelled }
