"""The bank payment file: GET /api/v1/grants/payments/export.xml for every programme with attested payments in the demo
must validate against the official ISO 20022 schema pain.001.001.03 (as shipped in PyPI's sepaxml), carry every attested
payment with its amount, and refuse a missing or wrong debtor account with a problem naming the field.
Usage: check_pain001.py BASE_URL TOKEN"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import sepaxml
import xmlschema

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
SCHEMA = xmlschema.XMLSchema(os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd"))


def get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def main(base, token):
    _, _, body = get(base, token, "/api/v1/grants/payments?status=approved&per=500")
    approved = json.loads(body)["items"]
    assert approved, "the demo has no attested payments to put in a file"
    by_programme = {}
    for p in approved:
        by_programme.setdefault(p["programmeId"], []).append(p)
    for programme, pays in by_programme.items():
        q = urllib.parse.urlencode({"programme": programme, "debtorAccount": "5050-1055"})
        status, ctype, xml = get(base, token, f"/api/v1/grants/payments/export.xml?{q}")
        assert status == 200, (status, xml)
        assert ctype.startswith("application/xml"), ctype
        SCHEMA.validate(xml)
        root = ET.fromstring(xml)
        txs = root.findall(".//p:CdtTrfTxInf", NS)
        assert len(txs) == len(pays), (len(txs), len(pays))
        total = sum(p["amountOre"] for p in pays)
        assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == str(len(pays))
        assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == f"{total // 100}.{total % 100:02d}"
        amounts = sorted(round(float(t.find("p:Amt/p:InstdAmt", NS).text) * 100) for t in txs)
        assert amounts == sorted(p["amountOre"] for p in pays)
        print(f"pain.001 for programme {programme}: {len(pays)} payments, {total / 100:.2f} SEK, valid")
    # A wrong debtor account is refused with the field named, and so is a missing programme.
    q = urllib.parse.urlencode({"programme": next(iter(by_programme)), "debtorAccount": "5050-1056"})
    status, ctype, body = get(base, token, f"/api/v1/grants/payments/export.xml?{q}")
    assert status == 422 and ctype.startswith("application/problem+json"), (status, body)
    assert [e["field"] for e in json.loads(body)["errors"]] == ["debtorAccount"], body
    status, _, _ = get(base, token, "/api/v1/grants/payments/export.xml?debtorAccount=5050-1055")
    assert status == 400, status
    print("pain.001: valid against pain.001.001.03.xsd; bad input refused")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
