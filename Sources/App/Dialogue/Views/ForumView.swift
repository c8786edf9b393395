/// A forum's page body, written in Swift: the page every member, organisation and visitor of a council opens, and
/// through Leaf its template and the encoding of its data were a tenth of the request.
enum ForumView {
    static func write(_ d: DialoguePages.ForumPage, t: (String, [String]) -> String, into w: inout HTMLWriter) {
        let f = d.forum, id = f.id.uuidString
        w.raw("<p class=\"back\"><a href=\"/forums\">")
        w.text(t("dialogue.forums", []))
        w.raw("</a></p>\n<h1>")
        w.text(f.name)
        w.raw("</h1>\n<p class=\"lead\">")
        w.text(f.purpose)
        w.raw("</p>\n<dl class=\"facts\">\n")
        fact(t("account.body", []), d.body, into: &w)
        fact(t("dialogue.forum.kind", []), d.kind, into: &w)
        fact(t("dialogue.forum.level", []), d.level, into: &w)
        fact(t("dialogue.forum.themes", []), d.themes.joined(separator: " · "), into: &w)
        fact(t("dialogue.forum.access", []), t(f.isPublic ? "dialogue.public" : "dialogue.closed", []), into: &w)
        if let cadence = d.cadence {
            w.raw("<dt>")
            w.text(t("dialogue.forum.cadence", []))
            w.raw("</dt><dd>")
            w.text(cadence)
            w.raw("</dd>")
        }
        w.raw("\n")
        let days = String(f.feedbackDays)
        fact(t("dialogue.forum.feedback", []), t(f.feedbackByNextMeeting ? "dialogue.forum.feedbackNext" : "dialogue.forum.feedbackDaysText", [days]), into: &w)
        w.raw("</dl>\n")
        if !f.mandate.isEmpty {
            w.raw("<h2>")
            w.text(t("dialogue.forum.mandate", []))
            w.raw("</h2><p>")
            w.text(f.mandate)
            w.raw("</p>")
        }
        w.raw("\n")
        if d.manage {
            w.raw("<p><a class=\"button\" href=\"/forums/")
            w.text(id)
            w.raw("/edit\">")
            w.text(t("dialogue.forum.edit", []))
            w.raw("</a></p>")
        }
        w.raw("\n")
        if let rate = d.rate {
            w.raw("<section aria-labelledby=\"h-rate\"><h2 id=\"h-rate\">")
            w.text(t("dialogue.rate", []))
            w.raw("</h2>\n<p class=\"metric\"><strong>")
            w.text(rate.share)
            w.raw("</strong> ")
            w.text(t("dialogue.rate.shareText", []))
            w.raw(" · ")
            w.text(t("dialogue.rate.median", []))
            w.raw("&#58; ")
            w.text(rate.median)
            w.raw("</p>\n<p class=\"detail\">")
            w.text(t("dialogue.rate.counts", [String(rate.inTime), String(rate.late), String(rate.overdue), String(rate.pending)]))
            w.raw("</p></section>")
        }
        w.raw("\n")
        if d.inside {
            seats(d, t: t, into: &w)
            meetings(d, t: t, into: &w)
        } else {
            w.raw("<p>")
            w.text(t("dialogue.closedNotice", []))
            w.raw("</p>")
        }
        w.raw("\n<section aria-labelledby=\"h-questions\"><h2 id=\"h-questions\">")
        w.text(t("dialogue.questions", []))
        w.raw("</h2>\n")
        if d.canRaise {
            w.raw("<p><a class=\"button\" href=\"/questions/new?forum=")
            w.text(id)
            w.raw("\">")
            w.text(t("question.new", []))
            w.raw("</a></p>")
        }
        w.raw("\n")
        if d.questions.isEmpty {
            w.raw("<p>")
            w.text(t("question.none", []))
            w.raw("</p>")
        } else {
            QuestionTableView.write(d.questions, t: t, into: &w)
        }
        w.raw("\n</section>\n")
    }

    private static func fact(_ label: String, _ value: String, into w: inout HTMLWriter) {
        w.raw("<dt>")
        w.text(label)
        w.raw("</dt><dd>")
        w.text(value)
        w.raw("</dd>\n")
    }

    private static func seats(_ d: DialoguePages.ForumPage, t: (String, [String]) -> String, into w: inout HTMLWriter) {
        w.raw("\n<section aria-labelledby=\"h-seats\" id=\"seats\"><h2 id=\"h-seats\">")
        w.text(t("dialogue.seats", []))
        w.raw("</h2>\n")
        if !d.warnings.isEmpty {
            w.raw("<div class=\"notice\" role=\"status\"><p>")
            w.text(t("dialogue.composition.warning", []))
            w.raw("</p><ul>")
            for warning in d.warnings {
                w.raw("<li>")
                w.text(warning)
                w.raw("</li>")
            }
            w.raw("</ul></div>")
        }
        w.raw("\n<table class=\"data-table\"><thead><tr>")
        w.columnHeadings([t("dialogue.seat.holderName", []), t("dialogue.seat.position", []), t("dialogue.seat.represents", []), t("dialogue.seat.term", [])])
        if d.manage {
            w.raw("<th scope=\"col\"><span class=\"visually-hidden\">")
            w.text(t("account.tokens.actions", []))
            w.raw("</span></th>")
        }
        w.raw("</tr></thead>\n<tbody>")
        for s in d.seats {
            w.raw("<tr><th scope=\"row\">")
            w.text(s.holder)
            if let via = s.viaRole {
                w.raw(" <span class=\"detail\">")
                w.text(t("dialogue.seat.via", [via]))
                w.raw("</span>")
            }
            if let email = s.email {
                w.raw(" <span class=\"detail\">")
                w.text(email)
                w.raw("</span>")
            }
            w.raw("</th><td>")
            w.text(s.position)
            if s.isSubstitute {
                w.raw(" (")
                w.text(t("dialogue.seat.substitute", []))
                w.raw(")")
            }
            w.raw("</td><td>")
            w.text(s.organisation ?? s.category)
            if !s.note.isEmpty {
                w.raw(" <span class=\"detail\">")
                w.text(s.note)
                w.raw("</span>")
            }
            w.raw("</td><td>")
            w.text(s.term)
            if s.isUpcoming {
                w.raw(" <span class=\"detail\">")
                w.text(t("dialogue.seat.upcoming", []))
                w.raw("</span>")
            }
            w.raw("</td>\n")
            if d.manage {
                w.raw("<td>")
                if let replace = s.replaceHref {
                    w.raw("<a href=\"")
                    w.text(replace)
                    w.raw("\">")
                    w.text(t("dialogue.seat.replace", []))
                    w.raw(" <span class=\"visually-hidden\">")
                    w.text(s.holder)
                    w.raw("</span></a>\n<form method=\"post\" action=\"")
                    w.text(s.endAction ?? "")
                    w.raw("\" class=\"inline-form\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                    w.text(d.csrf)
                    w.raw("\"><button type=\"submit\" class=\"link-button\">")
                    w.text(t("dialogue.seat.end", []))
                    w.raw(" <span class=\"visually-hidden\">")
                    w.text(s.holder)
                    w.raw("</span></button></form>")
                }
                w.raw("</td>")
            }
            w.raw("</tr>")
        }
        w.raw("</tbody></table>\n")
        if d.manage {
            w.raw("<p><a href=\"/forums/")
            w.text(d.forum.id.uuidString)
            w.raw("/seats/new\">")
            w.text(t("dialogue.seat.new", []))
            w.raw("</a></p>")
        }
        w.raw("\n")
        if !d.history.isEmpty {
            w.raw("<details><summary>")
            w.text(t("dialogue.seat.history", []))
            w.raw("</summary><ul>")
            for s in d.history {
                w.raw("<li>")
                w.text(s.holder)
                w.raw(" – ")
                w.text(s.position)
                if let organisation = s.organisation {
                    w.raw(", ")
                    w.text(organisation)
                }
                w.raw(" (")
                w.text(s.term)
                w.raw(")</li>")
            }
            w.raw("</ul></details>")
        }
        w.raw("\n</section>\n")
    }

    private static func meetings(_ d: DialoguePages.ForumPage, t: (String, [String]) -> String, into w: inout HTMLWriter) {
        let id = d.forum.id.uuidString
        w.raw("<section aria-labelledby=\"h-meetings\" id=\"meetings\"><h2 id=\"h-meetings\">")
        w.text(t("dialogue.meetings", []))
        w.raw("</h2>\n")
        if d.meetings.isEmpty {
            w.raw("<p>")
            w.text(t("dialogue.noMeetings", []))
            w.raw("</p>")
        } else {
            w.raw("<table class=\"data-table\"><thead><tr>")
            w.columnHeadings([t("dialogue.date", []), t("dialogue.meeting.title", []), t("dialogue.time", []), t("dialogue.status", [])])
            w.raw("</tr></thead>\n<tbody>")
            for m in d.meetings {
                w.raw("<tr><td>")
                w.text(m.date)
                w.raw("</td><th scope=\"row\"><a href=\"")
                w.text(m.href)
                w.raw("\">")
                w.text(m.title)
                w.raw("</a></th><td>")
                w.text(m.time)
                w.raw("</td><td><span class=\"status status-")
                w.text(m.statusKey)
                w.raw("\">")
                w.text(m.status)
                w.raw("</span></td></tr>")
            }
            w.raw("</tbody></table>\n")
        }
        w.raw("\n")
        if d.manage {
            w.raw("<form method=\"post\" action=\"/forums/")
            w.text(id)
            w.raw("/plan\" class=\"inline-form\"><input type=\"hidden\" name=\"_csrf\" value=\"")
            w.text(d.csrf)
            w.raw("\">\n<label for=\"f-plan-year\">")
            w.text(t("dialogue.planYear", []))
            w.raw("</label> <input id=\"f-plan-year\" name=\"year\" type=\"number\" value=\"")
            w.text(d.year)
            w.raw("\" min=\"2000\" max=\"2200\"> <button type=\"submit\">")
            w.text(t("dialogue.plan", []))
            w.raw("</button></form>")
        }
        w.raw("\n")
        if d.manage {
            w.raw("<p><a href=\"/meetings/new?forum=")
            w.text(id)
            w.raw("\">")
            w.text(t("dialogue.meeting.new", []))
            w.raw("</a></p>")
        }
        w.raw("\n<p><a href=\"")
        w.text(d.icsHref)
        w.raw("\">")
        w.text(t("dialogue.icsFeed", []))
        w.raw("</a></p>\n</section>\n")
    }
}

/// The questions table of the forum page (the questions page draws the same table with `dialogue/question-table.leaf`).
enum QuestionTableView {
    static func write(_ rows: [ParticipationPages.QuestionRow], t: (String, [String]) -> String, into w: inout HTMLWriter) {
        w.raw("<table class=\"data-table\"><thead><tr>")
        w.columnHeadings([t("question.title", []), t("question.to", []), t("question.raised", []), t("question.deadline", []), t("dialogue.status", [])])
        w.raw("</tr></thead>\n<tbody>")
        for q in rows {
            w.raw("<tr><th scope=\"row\"><a href=\"")
            w.text(q.href)
            w.raw("\">")
            w.text(q.title)
            w.raw("</a> <span class=\"detail\">")
            w.text(q.kind)
            if let organisation = q.organisation {
                w.raw(" · ")
                w.text(organisation)
            }
            w.raw("</span></th><td>")
            w.text(q.to)
            w.raw("</td><td>")
            w.text(q.raised)
            w.raw("</td><td>")
            w.text(q.deadline)
            if q.overdue {
                w.raw(" <strong class=\"overdue\">")
                w.text(t("question.overdue", []))
                w.raw("</strong>")
            }
            w.raw("</td><td><span class=\"status status-")
            w.text(q.statusKey)
            w.raw("\">")
            w.text(q.status)
            w.raw("</span></td></tr>")
        }
        w.raw("</tbody></table>\n")
    }
}
