import Foundation

/// Offentlighetsprincipen: a document is public unless secrecy applies under offentlighets- och sekretesslagen
/// (2009:400), always with the chapter and section, and the document's existence stays public — a secret document is
/// listed with its title (or a neutral title when the title itself is secret), its date and its secrecy marking,
/// without its content. One rule for every document users upload or write.
public enum SecrecyRules {
    /// The OSL provisions a region's or municipality's collaboration most often meets, offered in a list.
    public struct Provision: Sendable, Equatable {
        public var code: String
        public var chapter: Int
        public var section: Int
        /// Localisation key of what the provision protects.
        public var labelKey: String { "osl.\(code.replacingOccurrences(of: ":", with: "_"))" }
        /// "OSL 21 kap. 1 §".
        public var reference: String { "OSL \(chapter) kap. \(section) §" }
    }

    public static let provisions: [Provision] = [
        Provision(code: "18:13", chapter: 18, section: 13),  // säkerhets- eller bevakningsåtgärd
        Provision(code: "19:1", chapter: 19, section: 1),    // myndighetens affärs- eller driftförhållanden
        Provision(code: "19:3", chapter: 19, section: 3),    // upphandling
        Provision(code: "21:1", chapter: 21, section: 1),    // hälsa eller sexualliv
        Provision(code: "21:3", chapter: 21, section: 3),    // personer som lever under hot
        Provision(code: "25:1", chapter: 25, section: 1),    // hälso- och sjukvård
        Provision(code: "26:1", chapter: 26, section: 1),    // socialtjänst
        Provision(code: "31:16", chapter: 31, section: 16),  // enskildas affärs- eller driftförhållanden
        Provision(code: "39:3", chapter: 39, section: 3),    // personaladministrativ verksamhet
    ]

    /// What a document whose title is secret is called in public lists.
    public static let neutralTitle = "Handling som omfattas av sekretess"

    public static func provision(_ code: String) -> Provision? { provisions.first { $0.code == code } }

    public struct Marking: Sendable, Equatable {
        public var isPublic: Bool
        /// The provision's code (`21:1`), empty when public.
        public var provision: String
        public var reason: String
        public var titleSecret: Bool

        public static let `public` = Marking(isPublic: true, provision: "", reason: "", titleSecret: false)

    public init(isPublic: Bool, provision: String, reason: String, titleSecret: Bool) {
        self.isPublic = isPublic
        self.provision = provision
        self.reason = reason
        self.titleSecret = titleSecret
    }
}

    /// Reads a marking. A document is public unless a provision is given (or `isPublic` is false); a secret document
    /// needs both the provision and the reason. `isPublic: true` wins over a provision sent along with it.
    public static func marking(isPublic: Bool?, provision rawProvision: String?, reason rawReason: String?, titleSecret: Bool?,
                               errors: inout FieldErrors) -> Marking {
        let code = (rawProvision ?? "").trimmingCharacters(in: .whitespaces)
        let secret = isPublic.map { !$0 } ?? !code.isEmpty
        guard secret else {
            // A reason given for a public document is not kept, but it is still text that must be valid.
            _ = TextRules.line(rawReason, field: "secrecyReason", max: 300, errors: &errors)
            return .public
        }
        if code.isEmpty { errors.add("secrecyProvision", code: "required") }
        else if provision(code) == nil { errors.add("secrecyProvision", code: "oneOf", provisions.map(\.code).joined(separator: ", ")) }
        let reason = TextRules.line(rawReason, field: "secrecyReason", max: 300, required: true, errors: &errors)
        return Marking(isPublic: false, provision: code, reason: reason, titleSecret: titleSecret ?? false)
    }

    /// The marking as shown next to a secret document: "Sekretess enligt OSL 21 kap. 1 §: <reason>".
    public static func reference(provision code: String) -> String {
        provision(code)?.reference ?? ""
    }
}
