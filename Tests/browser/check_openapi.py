"""Validates the served OpenAPI document with openapi-spec-validator."""
import json
import sys
import urllib.request

from openapi_spec_validator import validate

base = sys.argv[1].rstrip("/")
with urllib.request.urlopen(base + "/api/v1/openapi.json") as r:
    doc = json.loads(r.read())
validate(doc)
ops = sum(1 for p in doc["paths"].values() for m in p if m in ("get", "post", "put", "patch", "delete"))
print(f"OpenAPI {doc['openapi']} document is valid: {len(doc['paths'])} paths, {ops} operations, {len(doc['components']['schemas'])} schemas")
