import Foundation

/// The questions that decide whether a collaboration may be an idéburet offentligt partnerskap (IOP), a grant or a
/// procurement — asked of anyone on the guide page and, later, as the official's legal assessment. Each answer is
/// yes, no or not known; the conclusion comes with the reasons that led there, so it can be read and challenged.
public enum IOPAnswer: String, Codable, Sendable, CaseIterable {
    case yes, no, unknown
}

public struct IOPQuestions: Codable, Sendable, Equatable {
    /// Does the public body buy something for its own needs (a service it would otherwise provide or buy)?
    public var buysForOwnNeeds: IOPAnswer
    /// Is there payment in return for a defined performance (a mutual, enforceable exchange)?
    public var paymentForPerformance: IOPAnswer
    /// Does the organisation contribute its own resources (money, volunteers, premises, knowledge) to a shared goal?
    public var bothContribute: IOPAnswer
    /// Is the organisation non-profit, reinvesting any surplus, and independent of the public body (idéburen)?
    public var partnerIsIdeburen: IOPAnswer
    /// Does the organisation offer goods or services on a market (economic activity, an "undertaking" in EU law)?
    public var economicActivity: IOPAnswer
    /// If so: is the support within de minimis or a service of general economic interest (SGEI) decision?
    public var stateAidCovered: IOPAnswer
    /// Was the possibility announced so that other organisations could take part (transparency, equal treatment)?
    public var announced: IOPAnswer
    /// Is the service a health, social or cultural service that may be reserved for idéburna organisations (LOU 19 kap. 25 a §)?
    public var reservableService: IOPAnswer

    public init(buysForOwnNeeds: IOPAnswer = .unknown, paymentForPerformance: IOPAnswer = .unknown, bothContribute: IOPAnswer = .unknown,
                partnerIsIdeburen: IOPAnswer = .unknown, economicActivity: IOPAnswer = .unknown, stateAidCovered: IOPAnswer = .unknown,
                announced: IOPAnswer = .unknown, reservableService: IOPAnswer = .unknown) {
        self.buysForOwnNeeds = buysForOwnNeeds; self.paymentForPerformance = paymentForPerformance; self.bothContribute = bothContribute
        self.partnerIsIdeburen = partnerIsIdeburen; self.economicActivity = economicActivity; self.stateAidCovered = stateAidCovered
        self.announced = announced; self.reservableService = reservableService
    }

    /// A question left out is not known (so the guide's partial answers and the API's partial bodies both work).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func a(_ k: CodingKeys) throws -> IOPAnswer { try c.decodeIfPresent(IOPAnswer.self, forKey: k) ?? .unknown }
        self.init(buysForOwnNeeds: try a(.buysForOwnNeeds), paymentForPerformance: try a(.paymentForPerformance), bothContribute: try a(.bothContribute),
                  partnerIsIdeburen: try a(.partnerIsIdeburen), economicActivity: try a(.economicActivity), stateAidCovered: try a(.stateAidCovered),
                  announced: try a(.announced), reservableService: try a(.reservableService))
    }

    /// The questions in the order the guide asks them.
    public static let keys = ["buysForOwnNeeds", "paymentForPerformance", "bothContribute", "partnerIsIdeburen", "economicActivity",
                              "stateAidCovered", "announced", "reservableService"]

    public subscript(key: String) -> IOPAnswer {
        get {
            switch key {
            case "buysForOwnNeeds": return buysForOwnNeeds
            case "paymentForPerformance": return paymentForPerformance
            case "bothContribute": return bothContribute
            case "partnerIsIdeburen": return partnerIsIdeburen
            case "economicActivity": return economicActivity
            case "stateAidCovered": return stateAidCovered
            case "announced": return announced
            case "reservableService": return reservableService
            default: return .unknown
            }
        }
        set {
            switch key {
            case "buysForOwnNeeds": buysForOwnNeeds = newValue
            case "paymentForPerformance": paymentForPerformance = newValue
            case "bothContribute": bothContribute = newValue
            case "partnerIsIdeburen": partnerIsIdeburen = newValue
            case "economicActivity": economicActivity = newValue
            case "stateAidCovered": stateAidCovered = newValue
            case "announced": announced = newValue
            case "reservableService": reservableService = newValue
            default: break
            }
        }
    }
}

public enum IOPConclusion: String, Codable, Sendable, CaseIterable {
    /// An IOP is a suitable form.
    case iopSuitable
    /// The support should be a grant (bidrag), not a partnership.
    case grant
    /// The body is buying: it should be procured under LOU.
    case procure
    /// The body is buying a health, social or cultural service from an idéburen organisation: a reserved procurement.
    case reservedProcurement
    /// Too many questions are unanswered to say.
    case undetermined
}

public struct IOPVerdict: Sendable, Equatable {
    public var conclusion: IOPConclusion
    /// Codes of the reasons that led to the conclusion, in order (shown in the reader's language).
    public var reasons: [String]
    /// Codes of what must be done before an IOP (or the chosen form) can be decided.
    public var conditions: [String]
    /// Questions still unanswered that matter for the conclusion.
    public var open: [String]
}

/// The reasoning, in the order a lawyer would take it: a purchase for the body's own needs against payment is a
/// procurement (reserved when the service and the partner qualify); a partner that is not idéburen cannot be an
/// IOP partner; without contributions from both sides it is a grant; economic activity needs the state aid
/// question answered; and the possibility must have been announced (transparency and equal treatment).
public enum IOPRules {
    public static func assess(_ q: IOPQuestions) -> IOPVerdict {
        var reasons: [String] = [], conditions: [String] = [], open: [String] = []
        // 1. Procurement: the body buys for its own needs against payment for a defined performance.
        if q.buysForOwnNeeds == .yes && q.paymentForPerformance == .yes {
            reasons.append("isPurchase")
            if q.partnerIsIdeburen == .yes && q.reservableService == .yes {
                reasons.append("reservable")
                return IOPVerdict(conclusion: .reservedProcurement, reasons: reasons, conditions: ["announceReserved"], open: [])
            }
            if q.reservableService == .unknown || q.partnerIsIdeburen == .unknown { open += ["reservableService", "partnerIsIdeburen"].filter { q[$0] == .unknown } }
            return IOPVerdict(conclusion: .procure, reasons: reasons, conditions: [], open: open)
        }
        if q.buysForOwnNeeds == .unknown { open.append("buysForOwnNeeds") }
        if q.buysForOwnNeeds == .yes && q.paymentForPerformance == .unknown { open.append("paymentForPerformance") }
        if q.buysForOwnNeeds == .no || q.paymentForPerformance == .no { reasons.append("notPurchase") }
        // 2. The partner must be idéburen.
        switch q.partnerIsIdeburen {
        case .no:
            reasons.append("notIdeburen")
            return IOPVerdict(conclusion: .grant, reasons: reasons, conditions: ["grantRules"], open: open)
        case .unknown: open.append("partnerIsIdeburen")
        case .yes: reasons.append("ideburen")
        }
        // 3. A partnership needs both sides' contributions; support alone is a grant.
        switch q.bothContribute {
        case .no:
            reasons.append("oneSided")
            return IOPVerdict(conclusion: .grant, reasons: reasons, conditions: ["grantRules"], open: open)
        case .unknown: open.append("bothContribute")
        case .yes: reasons.append("bothContribute")
        }
        // 4. State aid when the partner is an undertaking in economic activity.
        if q.economicActivity == .yes {
            switch q.stateAidCovered {
            case .yes: reasons.append("stateAidCovered")
            case .no:
                reasons.append("stateAidNotCovered")
                conditions.append("stateAidDecision")
            case .unknown: open.append("stateAidCovered")
            }
        } else if q.economicActivity == .no {
            reasons.append("noEconomicActivity")
        } else {
            open.append("economicActivity")
        }
        // 5. Transparency and equal treatment.
        switch q.announced {
        case .yes: reasons.append("announced")
        case .no: conditions.append("announce")
        case .unknown: open.append("announced")
        }
        let blocking = ["buysForOwnNeeds", "partnerIsIdeburen", "bothContribute"].filter(open.contains)
        if !blocking.isEmpty {
            return IOPVerdict(conclusion: .undetermined, reasons: reasons, conditions: conditions, open: open)
        }
        return IOPVerdict(conclusion: .iopSuitable, reasons: reasons, conditions: conditions, open: open)
    }
}
