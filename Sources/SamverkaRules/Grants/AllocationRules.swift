import Foundation

/// A formula for formula-based grants: base + per member + per young member + per municipality +
/// per activity, capped per organisation, and scaled down pro rata when the budget frame is exceeded.
public struct AllocationFormula: Codable, Sendable, Equatable {
    public var baseOre: Int
    public var perMemberOre: Int
    public var perYoungMemberOre: Int
    public var perMunicipalityOre: Int
    public var perActivityOre: Int
    public var capOre: Int?

    public init(baseOre: Int = 0, perMemberOre: Int = 0, perYoungMemberOre: Int = 0, perMunicipalityOre: Int = 0, perActivityOre: Int = 0, capOre: Int? = nil) {
        self.baseOre = baseOre
        self.perMemberOre = perMemberOre
        self.perYoungMemberOre = perYoungMemberOre
        self.perMunicipalityOre = perMunicipalityOre
        self.perActivityOre = perActivityOre
        self.capOre = capOre
    }
}

public struct AllocationInput: Sendable, Equatable {
    public var key: UUID
    public var members: Int
    public var youngMembers: Int
    public var municipalities: Int
    public var activities: Int
    public init(key: UUID, members: Int, youngMembers: Int, municipalities: Int, activities: Int) {
        self.key = key
        self.members = members
        self.youngMembers = youngMembers
        self.municipalities = municipalities
        self.activities = activities
    }
}

public struct AllocationLine: Sendable, Equatable {
    public var key: UUID
    /// By the formula.
    public var formulaOre: Int
    /// After the cap.
    public var cappedOre: Int
    /// After pro rata scaling to the frame (whole kronor).
    public var finalOre: Int
}

public struct AllocationPreview: Sendable, Equatable {
    public var lines: [AllocationLine]
    public var totalCappedOre: Int
    public var totalFinalOre: Int
    public var frameOre: Int?
    /// The factor applied when the frame was exceeded (1 when not).
    public var scale: Double
}

public enum AllocationRules {
    /// Rounding rule: amounts are computed in öre; when scaled down, each amount is rounded down to whole
    /// kronor, so the total never exceeds the frame (the few kronor left over stay unallocated).
    public static func preview(_ inputs: [AllocationInput], formula f: AllocationFormula, frameOre: Int?) -> AllocationPreview {
        let lines0 = inputs.map { i -> (UUID, Int, Int) in
            let raw = f.baseOre + f.perMemberOre * i.members + f.perYoungMemberOre * i.youngMembers
                + f.perMunicipalityOre * i.municipalities + f.perActivityOre * i.activities
            return (i.key, raw, min(raw, f.capOre ?? raw))
        }
        let total = lines0.reduce(0) { $0 + $1.2 }
        guard let frame = frameOre, total > frame, total > 0 else {
            return AllocationPreview(lines: lines0.map { AllocationLine(key: $0.0, formulaOre: $0.1, cappedOre: $0.2, finalOre: $0.2) },
                                     totalCappedOre: total, totalFinalOre: total, frameOre: frameOre, scale: 1)
        }
        let lines = lines0.map { l -> AllocationLine in
            // capped × frame ÷ total, exactly (128-bit intermediate), then down to whole kronor.
            let product = l.2.multipliedFullWidth(by: frame)
            let scaled = total.dividingFullWidth(product).quotient
            return AllocationLine(key: l.0, formulaOre: l.1, cappedOre: l.2, finalOre: scaled / 100 * 100)
        }
        return AllocationPreview(lines: lines, totalCappedOre: total, totalFinalOre: lines.reduce(0) { $0 + $1.finalOre },
                                 frameOre: frame, scale: Double(frame) / Double(total))
    }
}
