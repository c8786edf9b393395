import Foundation

/// How a decision is appealed, chosen by the kind of body that decided it: decisions of regions and municipalities
/// by laglighetsprövning (kommunallagen 13 kap.; three weeks from the day the approved minutes were announced on
/// the notice board), decisions of state bodies such as a länsstyrelse under förvaltningslagen 40–44 §§ (three
/// weeks from the day the party was notified).
public enum AppealRules {
    public enum Route: String, Sendable, Codable, CaseIterable {
        case laglighetsprovning
        case forvaltningslagen
    }

    /// `bodyKind` is the Directory's kind of public body (`region`, `municipality`, `lansstyrelse`, `other`).
    public static func route(bodyKind: String) -> Route {
        bodyKind == "region" || bodyKind == "municipality" ? .laglighetsprovning : .forvaltningslagen
    }

    /// The localisation key of the text that tells the recipient how to appeal.
    public static func textKey(_ route: Route) -> String { "appeal.\(route.rawValue)" }
}
