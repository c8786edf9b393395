/// The public grant register's body, written in Swift: the register is read by everyone (the press, other funders,
/// the organisations themselves) page after page, and through Leaf its 50 rows and body filter cost a fifth of a request.
enum RegisterView {
    static func write(_ d: GrantPages.RegisterPage, title: String, t: (String, [String]) -> String, into w: inout HTMLWriter) {
        w.raw("<h1>")
        w.text(title)
        w.raw("</h1>\n<p class=\"lead\">")
        w.text(t("grants.registerLead", []))
        w.raw("</p>\n<form method=\"get\" action=\"/grants/register\" class=\"filters\">\n")
        for field in d.filters {
            w.raw("<div class=\"field\"><label for=\"")
            w.text(field.id)
            w.raw("\">")
            w.text(field.label)
            w.raw("</label>")
            if field.kind == .select {
                w.raw("<select id=\"")
                w.text(field.id)
                w.raw("\" name=\"")
                w.text(field.name)
                w.raw("\">")
                for o in field.options {
                    w.raw("<option value=\"")
                    w.text(o.value)
                    w.raw(o.selected ? "\" selected>" : "\">")
                    w.text(o.label)
                    w.raw("</option>")
                }
                w.raw("</select>")
            } else {
                w.raw("<input type=\"number\" id=\"")
                w.text(field.id)
                w.raw("\" name=\"")
                w.text(field.name)
                w.raw("\" value=\"")
                w.text(field.value)
                w.raw("\">")
            }
            w.raw("</div>")
        }
        w.raw("\n<div class=\"actions\"><button type=\"submit\" class=\"button\">")
        w.text(t("filter.apply", []))
        w.raw("</button></div>\n</form>\n<p><a href=\"")
        w.text(d.csvHref)
        w.raw("\">")
        w.text(t("list.exportCsv", []))
        w.raw("</a></p>\n<p role=\"status\" class=\"result-count\">")
        w.text(t("list.count", [d.total]))
        w.raw("</p>\n")
        if d.rows.isEmpty {
            w.raw("<p>")
            w.text(t("list.empty", []))
            w.raw("</p>")
        } else {
            w.raw("\n<table class=\"data-table\"><thead><tr>")
            w.columnHeadings([t("grants.recipient", []), t("grants.programme", []), t("grants.amount", []), t("grants.decidedOn", []), t("grants.purpose", []), t("grants.diarienummer", [])], numeric: [2])
            w.raw("</tr></thead>\n<tbody>")
            for r in d.rows {
                w.raw("<tr><th scope=\"row\">")
                w.text(r.recipient)
                if let orgnr = r.orgnr {
                    w.raw(" <span class=\"detail\">")
                    w.text(orgnr)
                    w.raw("</span>")
                }
                w.raw("</th><td>")
                w.text(r.programme)
                w.raw(" <span class=\"detail\">")
                w.text(r.body)
                w.raw("</span></td><td class=\"num\">")
                w.text(r.amount)
                w.raw("</td><td>")
                w.text(r.date)
                w.raw("</td><td>")
                w.text(r.purpose)
                w.raw("</td><td>")
                w.text(r.diarienummer)
                w.raw("</td></tr>")
            }
            w.raw("</tbody></table>\n")
            d.pager.write(t: t, into: &w)
            w.raw("\n")
        }
        w.raw("\n")
    }
}
