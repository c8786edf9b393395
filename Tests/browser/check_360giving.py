"""Validates Samverka's 360Giving output with the official schemas (Data Standard 1.4.3, copied unchanged into
Tests/browser/360giving/ from ../shared/data/360giving/), offline and with format assertion on.

    check_360giving.py URL_OR_FILE [...]

Each argument is a live server base URL (its /api/v1/grants/360giving.json and .csv are fetched) or a file
written by `samverka export 360giving FILE.json`. Besides the schema, checks what the issue asks for: ids
carry the configured 360G- prefix, Swedish recipients and funders use org-id.guide's SE-ON-NNNNNN-NNNN,
and the CSV has one row per grant in the JSON."""
import csv
import io
import json
import pathlib
import re
import sys
import urllib.request

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = pathlib.Path(__file__).resolve().parent / "360giving"
GRANT = json.loads((HERE / "360-giving-schema.json").read_text(encoding="utf-8"))
PACKAGE = json.loads((HERE / "360-giving-package-schema.json").read_text(encoding="utf-8"))

# The package schema refers to the grant schema by its 1.4.2 URL; the grant schema's own $id says 1.4.3.
# Both map to the local copy, so validation never touches the network.
_grant_resource = Resource.from_contents(GRANT, default_specification=DRAFT202012)
REGISTRY = Registry().with_resources([
    (GRANT["$id"], _grant_resource),
    ("https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json", _grant_resource),
])
VALIDATOR = Draft202012Validator(PACKAGE, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
SE_ON = re.compile(r"^SE-ON-\d{6}-\d{4}$")


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read().decode("utf-8")


def check_package(data, source, prefix=None):
    problems = []
    for e in sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path))[:20]:
        problems.append(f"{source}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}")
    grants = data.get("grants", [])
    prefix = prefix or data.get("publisher", {}).get("identifier", "360G-")
    if not prefix.startswith("360G-"):
        problems.append(f"{source}: publisher identifier {prefix!r} is not a 360G- prefix")
    ids = set()
    for g in grants:
        if not g["id"].startswith(prefix + "-"):
            problems.append(f"{source}: grant id {g['id']} lacks the prefix {prefix}-")
        ids.add(g["id"])
        for side in ("recipientOrganization", "fundingOrganization"):
            for org in g.get(side, []):
                oid = org["id"]
                if oid.startswith("SE-") and not SE_ON.match(oid):
                    problems.append(f"{source}: {side} id {oid} is not SE-ON-NNNNNN-NNNN")
                if not oid.startswith("SE-ON-") and not oid.startswith(prefix + "-"):
                    problems.append(f"{source}: {side} id {oid} is neither SE-ON nor the publisher's prefix")
    if len(ids) != len(grants):
        problems.append(f"{source}: grant ids are not unique")
    return problems, len(grants)


def check_csv(text, source, expected_rows, json_ids):
    rows = list(csv.DictReader(io.StringIO(text)))
    problems = []
    if len(rows) != expected_rows:
        problems.append(f"{source}: {len(rows)} CSV rows for {expected_rows} JSON grants")
    missing = json_ids - {r["Identifier"] for r in rows}
    if missing:
        problems.append(f"{source}: {len(missing)} grants missing from the CSV, e.g. {sorted(missing)[:3]}")
    for r in rows:
        float(r["Amount Awarded"])
    return problems


def main(args):
    if not args:
        print(__doc__)
        return 2
    problems = []
    for arg in args:
        if arg.startswith("http://") or arg.startswith("https://"):
            base = arg.rstrip("/")
            data = json.loads(fetch(base + "/api/v1/grants/360giving.json"))
            p, n = check_package(data, "360giving.json")
            problems += p
            problems += check_csv(fetch(base + "/api/v1/grants/360giving.csv"), "360giving.csv", n, {g["id"] for g in data["grants"]})
            print(f"{base}: {n} grants checked against the 360Giving 1.4.3 schema")
        else:
            data = json.loads(pathlib.Path(arg).read_text(encoding="utf-8"))
            p, n = check_package(data, arg)
            problems += p
            print(f"{arg}: {n} grants checked against the 360Giving 1.4.3 schema")
    # The validator itself must reject what the standard rejects, or a pass means nothing.
    bad = {"grants": [{"id": "360G-x-1", "title": "t", "description": "d", "currency": "SEK", "amountAwarded": "12 000 kr",
                       "awardDate": "2026-13-45", "fundingOrganization": [{"id": "SE-ON-232100-0156", "name": "Region"}],
                       "recipientOrganization": [{"id": "SE-ON-802000-0009"}]}], "version": "1.4"}
    if not list(VALIDATOR.iter_errors(bad)):
        problems.append("the validator accepted a broken grant: the check is not working")
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
