import Vapor
import SamverkaRules

/// `?page=1&per=50` (per at most 500).
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var per: Int
    public static let maxPer = 500

    public init(page: Int = 1, per: Int = 50) {
        self.page = page
        self.per = per
    }

    public var offset: Int { (page - 1) * per }

    /// Parses and checks the query parameters; bad values are a 400 naming the parameter.
    public static func from(_ req: Request, defaultPer: Int = 50) throws -> PageRequest {
        func int(_ name: String) throws -> Int? {
            guard let raw = req.queryValue(name), !raw.isEmpty else { return nil }
            guard let v = Int(raw) else { throw AppError.badRequest(code: "notAnInteger", field: name, name) }
            return v
        }
        let page = try int("page") ?? 1
        let per = try int("per") ?? defaultPer
        guard page >= 1, page <= 100_000 else { throw AppError.badRequest(code: "pageRange", field: "page") }
        guard per >= 1, per <= maxPer else { throw AppError.badRequest(code: "perRange", field: "per", String(maxPer)) }
        return PageRequest(page: page, per: per)
    }
}

public struct PageMetadata: Content, Sendable, Equatable {
    public var page: Int
    public var per: Int
    public var total: Int
    public init(page: Int, per: Int, total: Int) {
        self.page = page
        self.per = per
        self.total = total
    }
    public var pageCount: Int { max(1, (total + per - 1) / per) }
}

/// The list envelope of the API: `{ "items": [...], "metadata": { "page", "per", "total" } }`.
public struct Paged<Item: Content & Sendable>: Content, Sendable {
    public var items: [Item]
    public var metadata: PageMetadata
    public init(items: [Item], metadata: PageMetadata) {
        self.items = items
        self.metadata = metadata
    }
}

/// Links for a paged HTML list.
public struct PagerContext: Encodable, Sendable {
    public var page: Int
    public var pageCount: Int
    public var total: Int
    public var previousHref: String?
    public var nextHref: String?

    /// `baseQuery` is the list's query string without `page`.
    public init(_ meta: PageMetadata, path: String, baseQuery: [(String, String)]) {
        page = meta.page
        pageCount = meta.pageCount
        total = meta.total
        func href(_ p: Int) -> String { path + "?" + URLQuery.encode(baseQuery + [("page", String(p))]) }
        previousHref = meta.page > 1 ? href(meta.page - 1) : nil
        nextHref = meta.page < meta.pageCount ? href(meta.page + 1) : nil
    }

    /// The pager as pages written in Swift show it; the same markup as `partials/pager.leaf` for templates.
    func write(t: (String, [String]) -> String, into w: inout HTMLWriter) {
        w.raw("<nav class=\"pager\" aria-label=\"")
        w.text(t("pager.label", []))
        w.raw("\">\n<p>")
        w.text(t("pager.status", [String(page), String(pageCount), String(total)]))
        w.raw("</p>\n<ul>\n")
        if let previousHref {
            w.raw("<li><a href=\"")
            w.text(previousHref)
            w.raw("\" rel=\"prev\">")
            w.text(t("pager.previous", []))
            w.raw("</a></li>")
        }
        w.raw("\n")
        if let nextHref {
            w.raw("<li><a href=\"")
            w.text(nextHref)
            w.raw("\" rel=\"next\">")
            w.text(t("pager.next", []))
            w.raw("</a></li>")
        }
        w.raw("\n</ul>\n</nav>\n")
    }
}

public enum URLQuery {
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
