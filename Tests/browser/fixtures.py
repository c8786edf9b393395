"""Ids of demo records, looked up through the public API."""
import json
import urllib.parse
import urllib.request

from common import url


def get(path):
    with urllib.request.urlopen(url(path)) as r:
        return json.loads(r.read())


def demo_ids():
    org = get("/api/v1/organisations?q=" + urllib.parse.quote("Funktionsrätt Värmland"))["items"][0]["id"]
    bodies = get("/api/v1/bodies?county=17")["items"]
    body = next(b["id"] for b in bodies if b["name"] == "Region Värmland")
    units = get(f"/api/v1/units?body={body}")["items"]
    unit = next(u["id"] for u in units if u["name"] == "Regionledningskontoret")
    roles = get(f"/api/v1/roles?unit={unit}")["items"]
    role = roles[0]["id"]
    programmes = get(f"/api/v1/grants/programmes?body={body}")["items"]
    programme = programmes[0]["id"]
    youth = next(p["id"] for p in get("/api/v1/grants/programmes?per=100")["items"] if p.get("formula"))
    call = get(f"/api/v1/grants/calls?programme={programme}&open=true")["items"][0]["id"]
    decision = get(f"/api/v1/grants/register?body={body}")["items"][0]["decisionId"]
    forum = next(f["id"] for f in get(f"/api/v1/forums?body={body}")["items"] if f["name"] == "Pensionärsrådet")
    meetings = get(f"/api/v1/meetings?forum={forum}&per=100")["items"]
    published = next(m["id"] for m in meetings if m["status"] == "published")
    # The next meeting: confirmed in the demo (the secretary's browser test moves it on to held).
    confirmed = next((m["id"] for m in meetings if m["status"] == "confirmed"), None) or next(m["id"] for m in meetings if m["status"] == "held")
    question = get(f"/api/v1/questions?forum={forum}")["items"][0]["id"]
    consultation = get("/api/v1/consultations")["items"][0]["id"]
    event = get("/api/v1/events")["items"][0]["id"]
    agreements = get("/api/v1/agreements")
    agreement = next(a["id"] for a in agreements if a["title"] == "Överenskommelsen Värmland")
    agreement_version = get(f"/api/v1/agreements/{agreement}/versions")[-1]["id"]
    partnership = next(p["id"] for p in get(f"/api/v1/partnerships?body={body}") if p["state"] == "active")
    survey = get("/api/v1/surveys")[0]["id"]
    return {"survey": survey, "partnership": partnership, "agreement": agreement, "agreementVersion": agreement_version, "org": org, "body": body, "unit": unit, "role": role, "programme": programme, "youth": youth, "call": call, "decision": decision,
            "forum": forum, "published": published, "confirmed": confirmed, "question": question, "consultation": consultation, "event": event}


def fill(path, ids):
    return path.format(**ids)
