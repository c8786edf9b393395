import Foundation
/// Swedish organisationsnummer: validation and normalisation to `NNNNNN-NNNN`.
/// Rules, in the order they are checked (see ../shared/data/orgnr/README.md):
/// trim; only digits and `-`; shape `NNNNNNNNNN`, `NNNNNN-NNNN`, `16NNNNNNNNNN` or `16NNNNNN-NNNN`;
/// the 12-digit form starts with 16; digits 3–4 ≥ 20; Luhn check digit.
public struct OrganisationNumber: Sendable, Hashable, CustomStringConvertible {
    /// The ten digits.
    public let digits: String

    public enum Failure: String, Error, Sendable, Equatable {
        case empty = "empty"
        case illegalCharacter = "illegal character"
        case wrongFormat = "wrong length or format"
        case wrongCentury = "12-digit form must start with 16"
        case notLegalEntity = "digits 3-4 below 20"
        case checkDigit = "Luhn check digit wrong"

        /// What the user sees next to the field.
        public var message: String {
            switch self {
            case .empty: return "Ange organisationsnummer."
            case .illegalCharacter: return "Organisationsnumret får bara innehålla siffror och bindestreck."
            case .wrongFormat: return "Organisationsnumret ska skrivas NNNNNN-NNNN (10 siffror, ev. med 16 före)."
            case .wrongCentury: return "Ett 12-siffrigt organisationsnummer ska börja med 16."
            case .notLegalEntity: return "Siffra 3–4 är under 20: det är inte ett organisationsnummer för en juridisk person (kanske ett personnummer)."
            case .checkDigit: return "Kontrollsiffran stämmer inte. Kontrollera organisationsnumret."
            }
        }
    }

    public static func parse(_ input: String) -> Result<OrganisationNumber, Failure> {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(.empty) }
        guard trimmed.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" }) else { return .failure(.illegalCharacter) }
        let chars = Array(trimmed)
        let digitsOnly: String
        switch chars.count {
        case 10 where !trimmed.contains("-"):
            digitsOnly = trimmed
        case 11 where chars[6] == "-" && chars.filter({ $0 == "-" }).count == 1:
            digitsOnly = trimmed.replacingOccurrences(of: "-", with: "")
        case 12 where !trimmed.contains("-"):
            guard trimmed.hasPrefix("16") else { return .failure(.wrongCentury) }
            digitsOnly = String(trimmed.dropFirst(2))
        case 13 where chars[8] == "-" && chars.filter({ $0 == "-" }).count == 1:
            guard trimmed.hasPrefix("16") else { return .failure(.wrongCentury) }
            digitsOnly = String(trimmed.dropFirst(2)).replacingOccurrences(of: "-", with: "")
        default:
            return .failure(.wrongFormat)
        }
        let d = digitsOnly.map { Int(String($0))! }
        guard d[2] * 10 + d[3] >= 20 else { return .failure(.notLegalEntity) }
        guard luhnValid(d) else { return .failure(.checkDigit) }
        return .success(OrganisationNumber(digits: digitsOnly))
    }

    init(digits: String) { self.digits = digits }

    /// `NNNNNN-NNNN`.
    public var normalized: String { String(digits.prefix(6)) + "-" + String(digits.suffix(4)) }
    public var description: String { normalized }

    /// Luhn over all ten digits: weights 2,1,2,1… from the left, digit sums of the products.
    static func luhnValid(_ d: [Int]) -> Bool {
        var sum = 0
        for (i, digit) in d.enumerated() {
            var p = digit * (i % 2 == 0 ? 2 : 1)
            if p > 9 { p -= 9 }
            sum += p
        }
        return sum % 10 == 0
    }

    /// The check digit that makes the first nine digits a valid number (for generated demo data).
    public static func checkDigit(forFirstNine nine: String) -> Int {
        let d = nine.map { Int(String($0))! }
        var sum = 0
        for (i, digit) in d.enumerated() {
            var p = digit * (i % 2 == 0 ? 2 : 1)
            if p > 9 { p -= 9 }
            sum += p
        }
        return (10 - sum % 10) % 10
    }
}
