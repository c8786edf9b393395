import Foundation
import Vapor
import Leaf
import SamverkaRules

/// The two UI languages. Swedish is the default.
public enum Language: String, Codable, Sendable, CaseIterable {
    case sv, en

    /// Picks the language from `?lang=`, then the `lang` cookie, then Accept-Language; Swedish otherwise.
    static func negotiate(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let q = query.flatMap(Language.init(rawValue:)) { return q }
        if let c = cookie.flatMap(Language.init(rawValue:)) { return c }
        guard let header = acceptLanguage?.lowercased() else { return .sv }
        // Take the highest-quality language among the ones we have.
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first else { continue }
            let primary = String(tag.split(separator: "-").first ?? "")
            var quality = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { quality = Double(p.dropFirst(2)) ?? 0 }
            let lang: Language? = primary == "sv" || primary == "sw" ? .sv : (primary == "en" ? .en : nil)
            if let lang, quality > (best?.1 ?? -1) { best = (lang, quality) }
        }
        return best?.0 ?? .sv
    }
}

/// UI strings per language, loaded once from `Resources/Localization/<lang>.json`.
/// Missing English strings fall back to Swedish, missing Swedish strings to the key itself.
public struct Localizer: Sendable {
    private let tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) { self.tables = tables }

    public static func load(from directory: String) throws -> Localizer {
        var tables: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(lang.rawValue).json")
            let data = try Data(contentsOf: url)
            tables[lang] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Localizer(tables: tables)
    }

    /// Every key present in one language and missing in the other (used by a test).
    public var missingKeys: [Language: [String]] {
        let sv = Set(tables[.sv]?.keys ?? [:].keys)
        let en = Set(tables[.en]?.keys ?? [:].keys)
        return [.sv: en.subtracting(sv).sorted(), .en: sv.subtracting(en).sorted()]
    }

    /// The string for `key`, with `{0}`, `{1}` … replaced by `args`; `{0:prefix}` shows the argument as the label
    /// `prefix.<argument>`; `{0#one|other}` is the word that agrees with the number in argument 0.
    public func text(_ key: String, _ lang: Language, _ args: [String] = []) -> String {
        var s = tables[lang]?[key] ?? tables[.sv]?[key] ?? key
        for (i, a) in args.enumerated() {
            s = s.replacingOccurrences(of: "{\(i)}", with: a)
            // `{0:prefix}` shows the argument as a label: the text of `prefix.<argument>` when there is one.
            while let r = s.range(of: "{\(i):") , let end = s[r.upperBound...].firstIndex(of: "}") {
                let prefix = String(s[r.upperBound..<end])
                // A list (`a|b`) is labelled item by item.
                let label = a.split(separator: "|").map { item in
                    let labelKey = prefix + "." + item
                    return tables[lang]?[labelKey] ?? tables[.sv]?[labelKey] ?? String(item)
                }.joined(separator: ", ")
                s.replaceSubrange(r.lowerBound...end, with: label)
            }
            // `{0#one|other}` picks the word for the number: "1 kommun", "3 kommuner".
            while let r = s.range(of: "{\(i)#"), let end = s[r.upperBound...].firstIndex(of: "}") {
                let forms = s[r.upperBound..<end].split(separator: "|", omittingEmptySubsequences: false)
                let word = a == "1" || a == "-1" ? forms.first : forms.last
                s.replaceSubrange(r.lowerBound...end, with: word.map(String.init) ?? "")
            }
        }
        return s
    }
}

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }
    public var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(tables: [:]) }
        set { storage[LocalizerKey.self] = newValue }
    }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }
    public var language: Language {
        get { storage[LanguageKey.self] ?? .sv }
        set { storage[LanguageKey.self] = newValue }
    }
    /// Shorthand for a UI string in the request's language.
    public func t(_ key: String, _ args: String...) -> String {
        application.localizer.text(key, language, args)
    }
    /// The same with the arguments as a list: what views written in Swift are given.
    public func texts(_ key: String, _ args: [String]) -> String {
        application.localizer.text(key, language, args)
    }
}

/// Sets `req.language`; remembers an explicit `?lang=` choice in a cookie.
struct LanguageMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let explicit: String? = req.queryValue("lang")
        req.language = Language.negotiate(
            query: explicit,
            cookie: req.cookies["lang"]?.string,
            acceptLanguage: req.headers.first(name: .acceptLanguage))
        let response = try await next.respond(to: req)
        if let explicit, let lang = Language(rawValue: explicit) {
            response.cookies["lang"] = HTTPCookies.Value(
                string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        response.headers.replaceOrAdd(name: .contentLanguage, value: req.language.rawValue)
        return response
    }
}

/// `#t("key")` or `#t("key", arg0, arg1)` in templates.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#t() needs a key")
        }
        let args = ctx.parameters.dropFirst().map { $0.string ?? "" }
        guard let req = ctx.request else { return .string(key) }
        return .string(req.application.localizer.text(key, req.language, Array(args)))
    }
}
