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
        let template = tables[lang]?[key] ?? tables[.sv]?[key] ?? key
        guard !args.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        // One pass over the template: an argument's own text is never read as a placeholder (an organisation
        // named "{1}" stays so), and no Foundation search runs per argument (it was 3 % of a forum page).
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            var i = afterOpen, n = 0
            while i < rest.endIndex, n < 1000, rest[i].isASCII, let digit = rest[i].wholeNumberValue {
                n = n * 10 + digit
                i = rest.index(after: i)
            }
            guard i > afterOpen, n < args.count, i < rest.endIndex, let close = rest[i...].firstIndex(of: "}") else {
                out += "{"
                rest = rest[afterOpen...]
                continue
            }
            let a = args[n]
            switch rest[i] {
            case "}":
                out += a
            case ":":
                // `{0:prefix}` shows the argument as a label: the text of `prefix.<argument>` when there is one.
                // A list (`a|b`) is labelled item by item.
                let prefix = rest[rest.index(after: i)..<close]
                out += a.split(separator: "|").map { item in
                    let labelKey = String(prefix) + "." + String(item)
                    return tables[lang]?[labelKey] ?? tables[.sv]?[labelKey] ?? String(item)
                }.joined(separator: ", ")
            case "#":
                // `{0#one|other}` picks the word for the number: "1 kommun", "3 kommuner".
                let forms = rest[rest.index(after: i)..<close].split(separator: "|", omittingEmptySubsequences: false)
                out += (a == "1" || a == "-1" ? forms.first : forms.last).map(String.init) ?? ""
            default:
                out += "{"
                rest = rest[afterOpen...]
                continue
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
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
    /// What views written in Swift are given: `t` with the arguments as a list, the localizer and the language read
    /// once (each `req.t` reads both from storage, and a page asks for many texts).
    public var translator: @Sendable (String, [String]) -> String {
        let localizer = application.localizer, language = self.language
        return { localizer.text($0, language, $1) }
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
