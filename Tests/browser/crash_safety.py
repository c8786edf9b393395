"""Crash safety: SIGKILL the server in the middle of a large CSV import, restart it, and check that either
the whole file or nothing is in the database, and that the database and the audit chain are intact."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("SAMVERKA_BIN", os.path.join(ROOT, ".build/debug/samverka"))
ROWS = int(os.environ.get("CRASH_ROWS", "60000"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cli(env, *args):
    out = subprocess.run([BIN, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{args} failed: {out.stdout}\n{out.stderr}")
    return out.stdout.strip()


def start(env, port, log):
    p = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port), "--env", "production"],
                         env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return p
        except Exception:
            time.sleep(0.25)
    raise SystemExit("server did not start")


def total(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/organisations?per=1") as r:
        return json.loads(r.read())["metadata"]["total"]


def main():
    work = tempfile.mkdtemp(prefix="samverka-crash-")
    db = os.path.join(work, "crash.sqlite")
    env = dict(os.environ, DATABASE_PATH=db, SAMVERKA_DEMO="0", SAMVERKA_MAIL_DIR=os.path.join(work, "mail"))
    csv = os.path.join(work, "orgs.csv")
    cli(env, "bench-data", "--orgs", str(ROWS), "--csv", csv)
    cli(env, "user", "create", "--email", "crash@samverka.example", "--role", "admin", "--password")
    token = cli(env, "token", "create", "--email", "crash@samverka.example", "--name", "crash").splitlines()[-1]
    # Without --password the CLI only invites, says so, and gives no API token until the invitation is accepted.
    invited = cli(env, "user", "create", "--email", "invited@samverka.example", "--role", "analyst")
    assert "inbjudan" in invited and "är skapat" not in invited, invited
    refused = subprocess.run([BIN, "token", "create", "--email", "invited@samverka.example", "--name", "x"], env=env, cwd=ROOT,
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "inte tagit emot sin inbjudan" in refused.stdout + refused.stderr, refused
    port = free_port()
    log = open(os.path.join(work, "server.log"), "w")
    server = start(env, port, log)
    before = total(port)

    def upload():
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/organisations/import", data=open(csv, "rb").read(),
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}, method="POST")
            urllib.request.urlopen(req, timeout=600)
        except Exception:
            pass  # the server is killed under it

    t = threading.Thread(target=upload, daemon=True)
    t.start()
    # Wait until the import is writing (the write-ahead log grows inside the open transaction), then kill.
    wal = db + "-wal"
    deadline = time.time() + 300
    killed_at = None
    while time.time() < deadline:
        size = os.path.getsize(wal) if os.path.exists(wal) else 0
        if size > 4 * 1024 * 1024:
            server.send_signal(signal.SIGKILL)
            killed_at = size
            break
        if server.poll() is not None or not t.is_alive():
            break
        time.sleep(0.02)
    server.wait()
    if killed_at is None:
        raise SystemExit("the import finished or never started before the kill; raise CRASH_ROWS")
    print(f"killed the server with SIGKILL while the import was writing (WAL {killed_at // 1024} KiB)")

    server = start(env, port, log)
    after = total(port)
    server.terminate()
    server.wait()
    log.close()
    integrity = subprocess.run(["sqlite3", db, "PRAGMA integrity_check;"], capture_output=True, text=True).stdout.strip()
    audit = cli(env, "audit", "verify")
    print(f"organisations before {before}, after restart {after} (file had {ROWS}); integrity: {integrity}; audit: {audit}")
    ok = after in (before, before + ROWS) and integrity == "ok" and audit.startswith("OK")
    if not ok:
        print("FAILED: partial import or damaged database", file=sys.stderr)
        sys.exit(1)
    print("crash safety: " + ("nothing" if after == before else "the whole file") + " was stored")


if __name__ == "__main__":
    main()
