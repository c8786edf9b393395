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
        // Judged scalar by scalar: a digit followed by a combining mark is one Character that sorts between
        // "0" and "9", but it is not a digit.
        let scalars = Array(trimmed.unicodeScalars)
        guard scalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" }) else { return .failure(.illegalCharacter) }
        let dashes = scalars.indices.filter { scalars[$0] == "-" }
        let digits = scalars.filter { $0 != "-" }.map { Int($0.value) - 48 }
        let ten: ArraySlice<Int>
        switch (scalars.count, dashes) {
        case (10, []):
            ten = digits[...]
        case (11, [6]):
            ten = digits[...]
        case (12, []), (13, [8]):
            guard digits.starts(with: [1, 6]) else { return .failure(.wrongCentury) }
            ten = digits.dropFirst(2)
        default:
            return .failure(.wrongFormat)
        }
        let d = Array(ten)
        guard d[2] * 10 + d[3] >= 20 else { return .failure(.notLegalEntity) }
        guard luhnValid(d) else { return .failure(.checkDigit) }
        return .success(OrganisationNumber(digits: String(d.map { Character(String($0)) })))
    }

    public init(digits: String) { self.digits = digits }

    /// `NNNNNN-NNNN`.
    public var normalized: String { String(digits.prefix(6)) + "-" + String(digits.suffix(4)) }
    public var description: String { normalized }

    /// Luhn over all ten digits: weights 2,1,2,1… from the left, digit sums of the products.
    public static func luhnValid(_ d: [Int]) -> Bool {
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
        let d = nine.unicodeScalars.compactMap { ("0"..."9").contains($0) ? Int($0.value) - 48 : nil }
        var sum = 0
        for (i, digit) in d.enumerated() {
            var p = digit * (i % 2 == 0 ? 2 : 1)
            if p > 9 { p -= 9 }
            sum += p
        }
        return (10 - sum % 10) % 10
    }
}
