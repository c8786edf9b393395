import Foundation

/// The organisation page's body, written in Swift: it is the directory's most opened page (every search result links
/// here), and through Leaf its template and the encoding of its data were a fifth of the request.
enum OrganisationView {
    static func write(_ d: OrganisationPages.DetailPage, t: (String) -> String, into w: inout HTMLWriter) {
        let id = d.org.id.uuidString
        w.raw("<p class=\"back\"><a href=\"/organisations\">")
        w.text(t("org.list.title"))
        w.raw("</a></p>\n<h1>")
        w.text(d.org.name)
        w.raw("</h1>\n")
        if d.org.isDemo {
            w.raw("<p class=\"tag\">")
            w.text(t("demo.marker"))
            w.raw("</p>")
        }
        w.raw("\n<div class=\"toolbar\">\n")
        if d.canEdit {
            w.raw("<a class=\"button\" href=\"/organisations/")
            w.text(id)
            w.raw("/edit\">")
            w.text(t("form.edit"))
            w.raw("</a> <a href=\"/organisations/")
            w.text(id)
            w.raw("/members\">")
            w.text(t("org.members.edit"))
            w.raw("</a>")
        }
        w.raw("\n")
        if d.canDelete {
            w.raw(" <a href=\"/organisations/")
            w.text(id)
            w.raw("/delete\">")
            w.text(t("form.delete"))
            w.raw("</a>")
        }
        w.raw("\n")
        if let history = d.historyHref {
            w.raw(" <a href=\"")
            w.text(history)
            w.raw("\">")
            w.text(t("audit.history"))
            w.raw("</a>")
        }
        w.raw("\n</div>\n<dl class=\"facts\">\n")
        fact(t("org.field.orgnr"), d.org.orgnr ?? t("org.noOrgnr"), into: &w)
        fact(t("org.field.legalForm"), d.legalForm, into: &w)
        fact(t("org.field.level"), d.level, into: &w)
        if let parent = d.parent {
            w.raw("<dt>")
            w.text(t("org.field.parent"))
            w.raw("</dt><dd><a href=\"")
            w.text(parent.href)
            w.raw("\">")
            w.text(parent.label)
            w.raw("</a></dd>")
        }
        w.raw("\n")
        chips(t("org.field.areas"), d.areas, into: &w)
        chips(t("org.field.municipalities"), d.municipalities, into: &w)
        fact(t("org.field.address"), d.addressLine, into: &w)
        fact(t("org.field.email"), d.email, into: &w)
        fact(t("org.field.phone"), d.phone, into: &w)
        if let website = d.website {
            w.raw("<dt>")
            w.text(t("org.field.website"))
            w.raw("</dt><dd><a href=\"")
            w.text(website)
            w.raw("\" rel=\"noopener nofollow\">")
            w.text(website)
            w.raw("</a></dd>")
        }
        w.raw("\n")
        fact(t("org.field.foundedYear"), d.org.foundedYear.map(String.init), into: &w)
        fact(t("org.field.councils"), d.councils, into: &w)
        w.raw("</dl>\n")
        if let description = d.description {
            w.raw("<section aria-labelledby=\"h-desc\"><h2 id=\"h-desc\">")
            w.text(t("org.field.description"))
            w.raw("</h2><p class=\"prose\">")
            w.text(description)
            w.raw("</p></section>")
        }
        w.raw("\n")
        if !d.children.isEmpty {
            w.raw("\n<section aria-labelledby=\"h-children\"><h2 id=\"h-children\">")
            w.text(t("org.children"))
            w.raw("</h2>\n<ul>")
            for c in d.children {
                w.raw("<li><a href=\"")
                w.text(c.href)
                w.raw("\">")
                w.text(c.label)
                w.raw("</a> <span class=\"muted\">(")
                w.text(c.note ?? "")
                w.raw(")</span></li>")
            }
            w.raw("</ul></section>\n")
        }
        w.raw("\n<section aria-labelledby=\"h-members\"><h2 id=\"h-members\">")
        w.text(t("org.members.heading"))
        w.raw("</h2>\n")
        if d.members.isEmpty {
            w.raw("<p>")
            w.text(t("org.members.none"))
            w.raw("</p>")
        } else {
            w.raw("\n<table class=\"data-table\"><thead><tr>")
            w.columnHeadings([t("org.members.year"), t("org.members.municipality"), t("org.members.total"), t("org.members.young")], numeric: [2, 3])
            w.raw("</tr></thead>\n<tbody>")
            for m in d.members {
                w.raw("<tr><td>")
                w.text(m.year)
                w.raw("</td><td>")
                w.text(m.municipality)
                w.raw("</td><td class=\"num\">")
                w.text(m.total)
                w.raw("</td><td class=\"num\">")
                w.text(m.young)
                w.raw("</td></tr>")
            }
            w.raw("</tbody></table>\n")
        }
        w.raw("\n</section>\n<section aria-labelledby=\"h-roles\"><h2 id=\"h-roles\">")
        w.text(t("roles.heading"))
        w.raw("</h2>\n")
        if d.roles.isEmpty {
            w.raw("<p>")
            w.text(t("roles.none"))
            w.raw("</p>")
        } else {
            w.raw("\n<ul class=\"role-list\">")
            for r in d.roles {
                w.raw("<li><a href=\"")
                w.text(r.href)
                w.raw("\">")
                w.text(r.title)
                w.raw("</a> – ")
                if r.isOpen {
                    w.raw("<strong class=\"open\">")
                    w.text(t("roles.open"))
                    w.raw("</strong>")
                } else {
                    w.text(r.holder ?? "")
                }
                w.raw("</li>")
            }
            w.raw("</ul>\n")
        }
        w.raw("\n")
        if d.canAddRole {
            w.raw("<p><a href=\"/roles/new?organisation=")
            w.text(id)
            w.raw("\">")
            w.text(t("roles.new"))
            w.raw("</a></p>")
        }
        w.raw("\n</section>\n<section aria-labelledby=\"h-collab\"><h2 id=\"h-collab\">")
        w.text(t("collab.heading"))
        w.raw("</h2>\n")
        if d.collaborations.isEmpty {
            w.raw("<p>")
            w.text(t("collab.none"))
            w.raw("</p>")
        } else {
            w.raw("\n<table class=\"data-table\"><thead><tr>")
            w.columnHeadings([t("collab.unit"), t("collab.form"), t("collab.period")])
            w.raw("</tr></thead>\n<tbody>")
            for c in d.collaborations {
                w.raw("<tr><td><a href=\"")
                w.text(c.otherHref)
                w.raw("\">")
                w.text(c.other)
                w.raw("</a>")
                if let context = c.context {
                    w.raw(" <span class=\"muted\">(")
                    w.text(context)
                    w.raw(")</span>")
                }
                w.raw("</td><td>")
                w.text(c.form)
                w.raw("</td><td>")
                w.text(c.period)
                w.raw("</td></tr>")
            }
            w.raw("</tbody></table>\n")
        }
        w.raw("\n")
        if d.canAddCollaboration {
            w.raw("<p><a href=\"/collaborations/new?organisation=")
            w.text(id)
            w.raw("\">")
            w.text(t("collab.new"))
            w.raw("</a></p>")
        }
        w.raw("\n</section>\n")
    }

    /// A term and its value, on a line of its own; only the line when there is no value.
    private static func fact(_ term: String, _ value: String?, into w: inout HTMLWriter) {
        if let value {
            w.raw("<dt>")
            w.text(term)
            w.raw("</dt><dd>")
            w.text(value)
            w.raw("</dd>")
        }
        w.raw("\n")
    }

    private static func chips(_ term: String, _ values: [String], into w: inout HTMLWriter) {
        if !values.isEmpty {
            w.raw("<dt>")
            w.text(term)
            w.raw("</dt><dd>")
            for v in values {
                w.raw("<span class=\"chip\">")
                w.text(v)
                w.raw("</span> ")
            }
            w.raw("</dd>")
        }
        w.raw("\n")
    }
}
