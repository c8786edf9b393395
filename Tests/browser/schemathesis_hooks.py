"""Schemathesis hooks (loaded with SCHEMATHESIS_HOOKS): real ids from the demo data for path parameters, so the deep
paths are fuzzed and not only answered 404, and text that carries combining marks, so the class of crash a single
odd character caused (a digit followed by U+0301 in an organisationsnummer) stays covered.

Deterministic: every choice is derived from the generated value itself, so a run with the same seed sends the same
requests."""
import ast
import hashlib
import json
import os
import re
import threading
import urllib.request

import schemathesis

# CPython 3.11 keeps the AST constructor's recursion depth in state shared by all threads, so two workers that
# parse at once (Hypothesis parses a lambda's source to describe it) fail with "SystemError: AST constructor
# recursion depth mismatch" — a failed CI run on 2026-12-02 (python/cpython#106905 and its threaded cousins).
# One parse at a time: parsing is rare and cheap next to the HTTP round trips, so the workers stay parallel.
_AST_LOCK = threading.Lock()
_ast_parse = ast.parse


def _parse_one_at_a_time(*args, **kwargs):
    with _AST_LOCK:
        return _ast_parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time

BASE = os.environ.get("SAMVERKA_URL", "http://127.0.0.1:8080").rstrip("/")
TOKEN = os.environ.get("SAMVERKA_FUZZ_TOKEN", "")

# Combining marks and other characters that have broken parsers: acute, diaeresis, a stack of marks, a zero-width
# joiner, a right-to-left mark, superscript and Arabic-Indic digits.
ODD = ["\u0301", "\u0308", "\u0301\u0302\u0303", "\u200d", "\u200f", "\u2075", "\u0663"]


def _get(path):
    req = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())
    except Exception:  # a collection that cannot be read just gives no ids
        return {}


def _items(doc):
    if isinstance(doc, dict):
        return doc.get("items", []) or []
    return doc if isinstance(doc, list) else []


def _ids(path, key="id"):
    return [str(x[key]) for x in _items(_get(path)) if isinstance(x, dict) and x.get(key)][:20]


def _collect():
    ids = {
        "organisations": _ids("/api/v1/organisations?per=20"),
        "bodies": _ids("/api/v1/bodies?per=20"),
        "units": _ids("/api/v1/units?per=20"),
        "roles": _ids("/api/v1/roles?per=20"),
        "collaborations": _ids("/api/v1/collaborations?per=20"),
        "users": _ids("/api/v1/users?per=20"),
        "programmes": _ids("/api/v1/grants/programmes?per=20"),
        "calls": _ids("/api/v1/grants/calls?per=20"),
        "applications": _ids("/api/v1/grants/applications?per=20"),
        "decisions": _ids("/api/v1/grants/decisions?per=20"),
        "payments": _ids("/api/v1/grants/payments?per=20"),
        "reports": _ids("/api/v1/grants/reports?per=20"),
        "reclaims": _ids("/api/v1/grants/reclaims?per=20"),
        "forums": _ids("/api/v1/forums?per=20"),
        "meetings": _ids("/api/v1/meetings?per=20"),
        "questions": _ids("/api/v1/questions?per=20"),
        "consultations": _ids("/api/v1/consultations?per=20"),
        "events": _ids("/api/v1/events?per=20"),
        "partnerships": [str(a["id"]) for a in (_get("/api/v1/partnerships") or []) if isinstance(a, dict) and a.get("id")][:20],
        "reserved-procurements": [str(a["id"]) for a in (_get("/api/v1/reserved-procurements") or []) if isinstance(a, dict) and a.get("id")][:20],
        "agreements": [str(a["id"]) for a in (_get("/api/v1/agreements") or []) if isinstance(a, dict) and a.get("id")][:20],
        "surveys": [str(a["id"]) for a in (_get("/api/v1/surveys") or []) if isinstance(a, dict) and a.get("id")][:20],
        "municipalities": ["1780", "1715", "2580", "0180"],
    }
    seats, items, actions, documents = [], [], [], []
    for f in ids["forums"][:5]:
        seats += _ids(f"/api/v1/forums/{f}/seats?history=true")
    for m in ids["meetings"][:8]:
        doc = _get(f"/api/v1/meetings/{m}")
        items += [str(a["id"]) for a in doc.get("agenda") or [] if a.get("id")]
        actions += [str(a["id"]) for a in doc.get("actions") or [] if a.get("id")]
        documents += [str(d["id"]) for d in doc.get("documents") or [] if d.get("id")]
    reviews, attachments = [], []
    for a in ids["applications"]:
        doc = _get(f"/api/v1/grants/applications/{a}")
        attachments += [str(x["id"]) for x in doc.get("attachments") or [] if x.get("id")]
        summary = _get(f"/api/v1/grants/applications/{a}/reviews")
        reviews += [str(r["id"]) for r in summary.get("reviews") or [] if r.get("id")]
    responses, comments, registrations = [], [], []
    for c in ids["consultations"][:3]:
        for r in _items(_get(f"/api/v1/consultations/{c}/responses")):
            responses.append(str(r.get("id")))
            comments += [str(x["id"]) for x in r.get("comments") or [] if isinstance(x, dict) and x.get("id")]
    for e in ids["events"][:3]:
        registrations += _ids(f"/api/v1/events/{e}/registrations")
    versions, signatories, forum_links, plans, activities, agreement_reports = [], [], [], [], [], []
    for a in ids["agreements"][:3]:
        versions += [str(v["id"]) for v in _get(f"/api/v1/agreements/{a}/versions") or [] if isinstance(v, dict) and v.get("id")]
        signatories += [str(x["id"]) for x in (_get(f"/api/v1/agreements/{a}/signatories") or [])[:5] if isinstance(x, dict) and x.get("id")]
        forum_links += [str(x["id"]) for x in _get(f"/api/v1/agreements/{a}/governance") or [] if isinstance(x, dict) and x.get("id")]
        for p in _get(f"/api/v1/agreements/{a}/action-plans") or []:
            plans.append(str(p["id"]))
            activities += [str(x["id"]) for x in p.get("activities") or [] if x.get("id")]
        agreement_reports += [str(x["id"]) for x in _get(f"/api/v1/agreements/{a}/reports") or [] if isinstance(x, dict) and x.get("id")]
    ids.update({"agreement-versions": versions, "agreement-signatories": signatories, "agreement-forums": forum_links,
                "action-plans": plans, "plan-activities": activities, "agreement-reports": agreement_reports})
    ids.update({"seats": seats, "agenda-items": items, "actions": actions, "meeting-documents": documents,
                "reviews": reviews, "attachments": attachments, "consultation-responses": responses,
                "consultation-comments": comments, "event-registrations": registrations})
    return {k: v for k, v in ids.items() if v}


IDS = _collect() if TOKEN else {}


UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def _valid_id(value):
    """Only a generated value that is itself a valid id is swapped for a real one: a value made invalid on purpose
    (a negative case) stays invalid, so the API's refusal is still what is tested."""
    return isinstance(value, str) and UUID.match(value) is not None


def _pick(seed, values):
    h = int(hashlib.sha256(repr(seed).encode("utf-8")).hexdigest(), 16)
    return values[h % len(values)], h


def _collection(path, name):
    """The collection a path parameter names: the segment before it (`/api/v1/forums/{id}/seats` → forums)."""
    parts = [p for p in path.split("/") if p]
    for i, p in enumerate(parts):
        if p == "{" + name + "}" and i > 0:
            return parts[i - 1]
    return None


# Fields and query parameters that name a record, and the collection their real ids come from.
REFERENCES = {
    "bodyId": "bodies", "body": "bodies", "organisationId": "organisations", "organisation": "organisations",
    "unitId": "units", "unit": "units", "forumId": "forums", "forum": "forums", "callId": "calls", "call": "calls",
    "programmeId": "programmes", "programme": "programmes", "applicationId": "applications", "decisionId": "decisions",
    "meetingId": "meetings", "meeting": "meetings", "questionId": "questions", "consultation": "consultations",
    "agendaItem": "agenda-items", "agendaItemId": "agenda-items", "seatId": "seats", "adjusterSeatId": "seats",
    "substituteForId": "seats", "contactRoleId": "roles", "ownerRoleId": "roles", "secretaryRoleId": "roles",
    "reviewerId": "users", "userId": "users", "replacesId": "decisions",
    "partyOrganisationId": "organisations", "supplierId": "organisations", "decidingBodyId": "bodies", "against": "agreement-versions",
}


def _with_references(value, salt):
    """Gives fields that name a record a real id in most cases (a random uuid almost always names nothing)."""
    if not isinstance(value, dict) or not IDS:
        return value
    out = dict(value)
    for key, v in value.items():
        values = IDS.get(REFERENCES.get(key, ""))
        if values and _valid_id(v):
            real, h = _pick((salt, key, v), values)
            if h % 10 != 0:
                out[key] = real
    return out


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    if not path_parameters or not IDS:
        return path_parameters
    path = ctx.operation.path
    out = dict(path_parameters)
    for name, value in path_parameters.items():
        values = IDS.get(_collection(path, name) or "")
        if not values or not (_valid_id(value) or name == "code"):
            continue
        real, h = _pick((path, name, value), values)
        # Nine cases in ten use a real record; the rest keep the generated value, so unknown ids are still tried.
        if h % 10 != 0:
            out[name] = real
    return out


IDENTIFIER = re.compile(r"^[A-Za-z0-9_:.+-]{0,40}$")


def _oddify(value, salt):
    """Adds combining marks or odd digits to about a third of the free-text strings, deterministically. Strings that
    look like identifiers (enum values, ids, dates, codes) are left alone, so the case stays about the text."""
    if isinstance(value, str) and not IDENTIFIER.match(value):
        mark, h = _pick((salt, value), ODD)
        if value and h % 3 == 0:
            i = (h // 3) % (len(value) + 1)
            return value[:i] + mark + value[i:]
        return value
    if isinstance(value, list):
        return [_oddify(v, (salt, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _oddify(v, (salt, k)) for k, v in value.items()}
    return value


@schemathesis.hook
def map_body(ctx, body):
    return _oddify(_with_references(body, ctx.operation.path), ctx.operation.path)


@schemathesis.hook
def map_query(ctx, query):
    return _oddify(_with_references(query, ctx.operation.path), ctx.operation.path) if query else query
