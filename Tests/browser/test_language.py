"""Every page of the demo, in Swedish and in English, as a visitor and as the admin: the English page shows no Swedish
words of the interface, the Swedish page no English ones, and neither shows a raw code (an enum value such as
"ideellForening" or "planned") or an unresolved text key.

What people typed (names, descriptions, minutes) is Swedish in the demo and stays Swedish on the English page; it is
told apart from the interface by being stored in the database: every text value of the live server's database is
allowed where it appears whole. Place and domain terms that the English interface keeps in Swedish (jäv, remiss,
överenskommelse …) are the words of `en.json` itself, which is checked on its own for Swedish letters."""
import html.parser
import http.cookiejar
import json
import os
import re
import sqlite3
import urllib.parse
import urllib.request

import pytest

from common import ADMIN, OFFICIAL, REPRESENTATIVE, ROOT, url
from fixtures import demo_ids, fill
from pages import ANONYMOUS, FOLLOWED, SIGNED_IN

# Words that only Swedish has (function words and the interface's verbs); any word with å, ä or ö counts too.
SWEDISH = {"och", "att", "det", "som", "inte", "med", "till", "av", "har", "kan", "ska", "eller", "om", "den", "ett",
           "vid", "efter", "alla", "inga", "finns", "saknas", "vi", "du", "din", "ditt", "dina", "nu", "ny", "nytt",
           "nya", "visa", "spara", "ja", "nej", "inget", "ingen", "mer", "sidan", "logga", "ut", "sida", "skapa",
           "utkast", "beslut", "ansökan", "ansökningar", "möte", "möten", "kommuner", "organisationer", "avgift"}
# Words that only English has in an interface.
ENGLISH = {"the", "and", "of", "to", "is", "are", "not", "with", "this", "that", "your", "you", "from", "has",
           "have", "was", "will", "save", "cancel", "search", "sign", "edit", "delete", "submit", "draft", "none",
           "yes", "no", "new", "open", "closed", "status", "page", "next", "previous",
           # Status and role codes that used to leak into Swedish pages.
           "planned", "confirmed", "held", "published", "submitted", "approved", "rejected", "withdrawn", "pending",
           "cancelled", "completed", "ended", "representative", "politician", "official", "reviewer", "registered"}
# Swedish words the English interface keeps on purpose (the glossary in shared/docs/domain.md), besides place names.
DOMAIN_TERMS = {"jäv", "remiss", "överenskommelse", "överenskommelser", "överenskommelsen", "idéburen", "idéburna",
                "idéburet", "diarienummer", "organisationsnummer", "orgnr", "iop", "föreningsbidrag", "redovisning",
                "svenska", "kommun", "län", "region", "regionstyrelsen", "länsstyrelsen", "bankgiro", "plusgiro",
                "skatteverket", "upphandlingsmyndigheten", "kammarkollegiet", "lou", "skr", "offentlighetsprincipen",
                "rättighetsbärare", "funktionsrätt", "sverige", "värmland", "västra", "götaland", "jävig", "stormöte",
                "stormöten", "hök", "rök", "laglighetsprövning", "förening", "pensionärsråd", "civilsamhälle"}
# Names that are spelt in camelCase.
BRANDS = {"iCalendar"}

CODE = re.compile(r"\b[a-z]+(?:[A-Z][a-z0-9]+)+\b")          # camelCase: an enum value or a field name
KEY = re.compile(r"\b[a-z][a-zA-Z]*(?:\.[a-z][a-zA-Z0-9]*){2,}\b")  # layout.signOut-like text keys
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")
SKIP_TAGS = {"script", "style", "code", "pre", "textarea", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRS = ("aria-label", "title", "alt", "placeholder")


class Text(html.parser.HTMLParser):
    """The text a person (or a screen reader) meets on the page, as separate pieces: text nodes, button values and the
    labelling attributes. Skips scripts, code, text areas (what someone typed) and anything marked as another language
    or not to be translated."""

    def __init__(self, page_lang):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack = []  # (tag, skipping)
        self.pieces = []

    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = self.skipping() or tag in SKIP_TAGS or a.get("translate") == "no" \
            or (a.get("lang") not in (None, self.page_lang) and tag != "html")
        if not skip:
            for name in SHOWN_ATTRS:
                if a.get(name):
                    self.pieces.append(a[name])
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.pieces.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.pieces.append(" ".join(data.split()))


def stored_text():
    """Every text value in the live server's database that reads as words (not a code): what people typed or imported."""
    path = os.path.join(os.environ["SAMVERKA_LIVE_DIR"], "samverka.sqlite")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    values = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE '%search%'"):
        cols = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")') if (r[2] or "").upper() in ("TEXT", "")]
        for c in cols:
            for (v,) in db.execute(f'SELECT DISTINCT "{c}" FROM "{table}" WHERE typeof("{c}") = \'text\' LIMIT 5000'):
                if 2 <= len(v) <= 2000 and not CODE.fullmatch(v) and not v.startswith(("{", "[")):
                    values.add(" ".join(v.split()))
                # JSON documents (answers, form specs) hold typed text too.
                elif v.startswith(("{", "[")):
                    for s in re.findall(r'"((?:[^"\\]|\\.){2,300})"', v):
                        if " " in s or WORD.fullmatch(s):
                            values.add(s)
    db.close()
    by_word = {}
    for v in values:
        for w in set(WORD.findall(v.lower())):
            by_word.setdefault(w, []).append(v)
    return by_word


def locale_words(lang):
    with open(ROOT / "Resources" / "Localization" / f"{lang}.json", encoding="utf-8") as f:
        table = json.load(f)
    return {w.lower() for v in table.values() for w in WORD.findall(v)}


def api_enums():
    with urllib.request.urlopen(url("/api/v1/openapi.json")) as r:
        spec = json.loads(r.read())
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "enum" and isinstance(v, list):
                    found.update(x for x in v if isinstance(x, str))
                else:
                    walk(v)
        elif isinstance(node, list):
            for x in node:
                walk(x)
    walk(spec)
    return found


class Session:
    def __init__(self, who=None):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        if who:
            page = self.get("/sign-in")[1]
            token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode({"_csrf": token, "email": who[0], "password": who[1], "next": "/tasks"}).encode()
            with self.opener.open(url("/sign-in"), body) as r:
                assert "/sign-in" not in r.url, "sign-in failed"

    def get(self, path):
        try:
            with self.opener.open(url(path)) as r:
                return r.status, r.read().decode("utf-8"), r.headers.get_content_type()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), e.headers.get_content_type()


CONTEXT = {}


def context():
    if not CONTEXT:
        CONTEXT["ids"] = demo_ids()
        CONTEXT["stored"] = stored_text()
        CONTEXT["enums"] = api_enums()
        CONTEXT["sv"] = locale_words("sv")
        CONTEXT["en"] = locale_words("en")
        CONTEXT["visitor"] = Session()
        CONTEXT["admin"] = Session(ADMIN)
        CONTEXT["representative"] = Session(REPRESENTATIVE)
        CONTEXT["official"] = Session(OFFICIAL)
    return CONTEXT


def with_lang(path, lang):
    base = re.sub(r"([?&])lang=[a-z]+&?", r"\1", path).rstrip("?&")
    return base + ("&" if "?" in base else "?") + "lang=" + lang


def stored_around(piece, word, ctx):
    """Whether this occurrence of `word` lies inside a stored value: one that appears whole in the piece, or one that
    the piece is a part of (a paragraph of a longer text, or a text shortened with an ellipsis)."""
    part = piece.rstrip("…. ").strip()
    return any(v in piece or part in v for v in ctx["stored"].get(word.lower(), ()))


def problems(page, lang, ctx):
    parser = Text(lang)
    parser.feed(page)
    found = []
    other = ENGLISH if lang == "sv" else SWEDISH
    own = ctx[lang]
    for piece in parser.pieces:
        for m in CODE.finditer(piece):
            if m.group() not in BRANDS and not stored_around(piece, m.group(), ctx):
                found.append(f"raw code {m.group()!r} in {piece[:120]!r}")
        for m in KEY.finditer(piece):
            if not re.search(r"(www\.|\.se\b|\.example\b|\.org\b|\.com\b|\.json\b|\.csv\b|\.xml\b)", m.group()):
                found.append(f"text key {m.group()!r} in {piece[:120]!r}")
        for w in WORD.findall(piece):
            lw = w.lower()
            if lw in ctx["enums"] and lw not in own and lang == "sv" and not stored_around(piece, w, ctx):
                found.append(f"raw code {w!r} in {piece[:120]!r}")
            elif lang == "en" and (lw in SWEDISH or re.search("[åäö]", lw)) and lw not in DOMAIN_TERMS \
                    and lw not in own and not stored_around(piece, w, ctx):
                found.append(f"Swedish {w!r} in {piece[:120]!r}")
            elif lang == "sv" and lw in other and lw not in own and not stored_around(piece, w, ctx):
                found.append(f"English {w!r} in {piece[:120]!r}")
    return sorted(set(found))


def pages_for(who):
    if who == "admin":
        return SIGNED_IN + ANONYMOUS
    if who == "representative":
        return ["/tasks", "/account", "/notifications", "/organisations/{org}", "/organisations/{org}/edit",
                "/grants", "/grants/calls/{call}", "/questions", "/consultations", "/consultations/{consultation}"]
    return ANONYMOUS


def check(who, path, lang):
    ctx = context()
    status, page, ctype = ctx[who].get(with_lang(fill(path, ctx["ids"]), lang))
    assert ctype == "text/html", f"{path}: {status} {ctype}"
    found = problems(page, lang, ctx)
    assert not found, f"{who} {path} ({lang}):\n" + "\n".join(found[:40])


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("who,path", [(w, p) for w in ("visitor", "admin", "representative") for p in dict.fromkeys(pages_for(w))])
def test_page_speaks_one_language(who, path, lang):
    check(who, path, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("list_path,prefix", FOLLOWED)
def test_followed_page_speaks_one_language(list_path, prefix, lang):
    ctx = context()
    page = ctx["admin"].get(list_path)[1]
    links = re.findall(r'href="(' + re.escape(prefix) + r'[^"#?]+)"', page)
    assert links, f"no link to {prefix} on {list_path}"
    for link in dict.fromkeys(links[:3]):
        check("admin", link, lang)


def test_english_table_has_no_swedish_of_its_own():
    """en.json keeps Swedish only for the glossary's domain terms and place names."""
    with open(ROOT / "Resources" / "Localization" / "en.json", encoding="utf-8") as f:
        table = json.load(f)
    wrong = sorted({(k, w) for k, v in table.items() for w in WORD.findall(v)
                    if re.search("[åäöÅÄÖ]", w) and w.lower() not in DOMAIN_TERMS})
    assert not wrong, "\n".join(f"{k}: {w}" for k, w in wrong[:60])


UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
NOT_PAGES = re.compile(r"^/(api/|static/|sign-out|calendar/feed)|\.(csv|xml|ics|json|pdf|png|css|js)(\?|$)|/download|/attachments/|/files/")


def crawl(who, start, limit=400, per_pattern=2):
    """Every page reachable from `start` by links, two of each kind (the same path with other ids)."""
    ctx = context()
    seen, patterns, queue, pages = set(), {}, list(start), []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        pattern = UUID.sub("{id}", path.split("?")[0])
        if patterns.get(pattern, 0) >= per_pattern:
            continue
        status, page, ctype = ctx[who].get(path)
        if ctype != "text/html" or status >= 500:
            assert status < 500, f"{who} {path}: {status}"
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        pages.append(path)
        for href in re.findall(r'<a [^>]*href="(/[^"#]*)', page):
            href = href.replace("&amp;", "&")
            if not NOT_PAGES.search(href) and "lang=" not in href and href not in seen:
                queue.append(href)
    return pages


@pytest.mark.parametrize("who", ["admin", "official", "representative"])
def test_every_linked_page_speaks_one_language(who):
    """Follows the links from the start pages as each role, and checks every page found in both languages."""
    ctx = context()
    pages = crawl(who, ["/tasks", "/", "/grants", "/forums", "/agreements", "/partnerships", "/surveys", "/overview"] + (["/admin/users", "/admin/audit"] if who == "admin" else []))
    assert len(pages) > 40, pages
    found = []
    for path in pages:
        for lang in ("sv", "en"):
            status, page, ctype = ctx[who].get(with_lang(path, lang))
            problems_here = problems(page, lang, ctx)
            if problems_here:
                found.append(f"{path} ({lang}):\n  " + "\n  ".join(problems_here[:8]))
    assert not found, f"{len(found)} of {2 * len(pages)} pages:\n" + "\n".join(found[:40])
