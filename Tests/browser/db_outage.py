"""Database outage: a node on PostgreSQL whose database stops answers pages and the API with 503 and Retry-After
(a page that says the service is briefly unavailable, problem+json for the API), /health with 503, and serves
again by itself when the database is back.

Needs SAMVERKA_PG_URL (the throw-away server scripts/test starts) and SAMVERKA_PG_DIR (to stop and start it)."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from crash_safety import BIN, ROOT, free_port, start

PGBIN = "/usr/lib/postgresql/15/bin"


def as_postgres(*args):
    cmd = list(args)
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, capture_output=True)


def fetch(url, accept):
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")


def main():
    base = os.environ.get("SAMVERKA_PG_URL")
    pgdir = os.environ.get("SAMVERKA_PG_DIR")
    if not base or not pgdir:
        print("SAMVERKA_PG_URL/SAMVERKA_PG_DIR not set: start PostgreSQL with scripts/postgres", file=sys.stderr)
        sys.exit(1)
    name = f"samverka_outage_{os.getpid()}"
    u = urllib.parse.urlparse(base)
    port = str(u.port)
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    url = urllib.parse.urlunparse(u._replace(path="/" + name))
    work = os.path.join(ROOT, ".test-output")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, DATABASE_URL=url, SAMVERKA_DEMO="0", SAMVERKA_MAIL_DIR=os.path.join(work, "outage-mail"))
    web = free_port()
    log = open(os.path.join(work, "outage-server.log"), "w")
    server = start(env, web, log)
    home = f"http://127.0.0.1:{web}"
    failures = []
    try:
        assert fetch(home + "/organisations", "text/html")[0] == 200
        as_postgres(f"{PGBIN}/pg_ctl", "-D", os.path.join(pgdir, "data"), "-m", "fast", "-w", "stop")
        try:
            status, headers, body = fetch(home + "/organisations", "text/html")
            if status != 503 or headers.get("retry-after") is None or "tillfälligt otillgänglig" not in body:
                failures.append(f"page: {status} {headers.get('retry-after')} {body[:200]}")
            status, headers, body = fetch(home + "/api/v1/organisations", "application/json")
            if status != 503 or headers.get("retry-after") is None or not headers.get("content-type", "").startswith("application/problem+json"):
                failures.append(f"api: {status} {headers} {body[:200]}")
            status, _, _ = fetch(home + "/health", "application/json")
            if status != 503:
                failures.append(f"health: {status}")
        finally:
            as_postgres(f"{PGBIN}/pg_ctl", "-D", os.path.join(pgdir, "data"), "-l", os.path.join(pgdir, "server.log"), "-w", "-t", "60",
                        "-o", f"-p {port} -k {pgdir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off "
                              "-c full_page_writes=off -c shared_buffers=128MB", "start")
        # The node reconnects by itself.
        recovered = False
        for _ in range(60):
            if fetch(home + "/api/v1/organisations", "application/json")[0] == 200:
                recovered = True
                break
            time.sleep(0.5)
        if not recovered:
            failures.append("the node did not serve again after the database came back")
    finally:
        server.terminate()
        server.wait()
        log.close()
    if failures:
        print("FAILED:\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("database outage: pages and API answered 503 with Retry-After, /health 503, and the node recovered by itself")


if __name__ == "__main__":
    main()
