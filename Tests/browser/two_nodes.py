"""Two nodes on one PostgreSQL behind nginx (round-robin), checked only through nginx:

1. a session made on one node works on the other;
2. a write through one node is seen at once through the other, the response cache included;
3. a background job (feedback reminders) sends its mail once, not once per node;
4. killing one node in the middle of a run of writes loses no committed write, and the other keeps serving.

Needs SAMVERKA_PG_URL (the throw-away server scripts/test starts) and nginx (installed by scripts/install-test-tools)."""
import glob
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from common import swedish_today
from crash_safety import BIN, ROOT, cli, free_port, start

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ADMIN = ("admin@samverka.example", "demo-Admin-Samverka-2026")


def psql(base_url, database, sql):
    u = urllib.parse.urlparse(base_url)
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(u.port), "-U", u.username or "postgres", "-d", database, "-At", "-c", sql],
                         check=True, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=u.password or ""))
    return out.stdout.strip()


def nginx_conf(work, port, upstreams):
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams)
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {work}/client_body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  client_max_body_size 60m;
  upstream samverka {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://samverka;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      add_header X-Samverka-Node $upstream_addr always;
    }}
  }}
}}
"""


class Client:
    """A browser-like client through nginx: cookies, and which node answered."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, method, path, body=None, headers=None, form=False):
        h = dict(headers or {})
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.headers, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")

    def sign_in(self, who):
        _, _, page = self.request("GET", "/sign-in")
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        status, headers, body = self.request("POST", "/sign-in", {"_csrf": token, "email": who[0], "password": who[1], "next": "/account"}, form=True)
        return status, headers, body


def mails(dirs):
    out = []
    for d in dirs:
        for f in glob.glob(os.path.join(d, "*.eml")):
            with open(f, encoding="utf-8") as fh:
                head = fh.read(4000)
            subject = re.search(r"^Subject: (.*)$", head, re.M)
            to = re.search(r"^To: (.*)$", head, re.M)
            out.append((f, subject.group(1) if subject else "", to.group(1) if to else ""))
    return out


def main():
    base = os.environ.get("SAMVERKA_PG_URL")
    if not base:
        print("SAMVERKA_PG_URL not set: start PostgreSQL with scripts/postgres", file=sys.stderr)
        sys.exit(1)
    if not os.path.exists(NGINX):
        print("nginx missing: run scripts/install-test-tools as root", file=sys.stderr)
        sys.exit(1)
    name = f"samverka_two_{os.getpid()}"
    psql(base, "postgres", f"CREATE DATABASE {name}")
    url = urllib.parse.urlunparse(urllib.parse.urlparse(base)._replace(path="/" + name))
    work = tempfile.mkdtemp(prefix="samverka-two-")
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    front = free_port()
    ports = [free_port(), free_port()]
    # Everything a node needs to be one of several: the same database, audit key, public address and proxy trust.
    common = dict(os.environ, DATABASE_URL=url, SAMVERKA_AUDIT_KEY="two-nodes-test-audit-key-0123456789abcdef",
                  SAMVERKA_BASE_URL=f"http://127.0.0.1:{front}", SAMVERKA_TRUST_PROXY="1", SAMVERKA_JOB_SECONDS="1")
    mail_dirs = [os.path.join(work, f"mail-{i}") for i in (1, 2)]
    logs = [open(os.path.join(work, f"node-{i}.log"), "w") for i in (1, 2)]
    nodes, nginx = [], None
    failures = []

    def check(ok, message):
        print(("ok   " if ok else "FAIL ") + message)
        if not ok:
            failures.append(message)

    try:
        # The first node migrates and loads the demo; the second starts on the same database.
        nodes.append(start(dict(common, SAMVERKA_DEMO="1", SAMVERKA_MAIL_DIR=mail_dirs[0]), ports[0], logs[0]))
        nodes.append(start(dict(common, SAMVERKA_DEMO="1", SAMVERKA_MAIL_DIR=mail_dirs[1]), ports[1], logs[1]))
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(nginx_conf(work, front, ports))
        nginx = subprocess.Popen([NGINX, "-c", conf, "-p", work], stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "nginx.out"), "w"))
        home = f"http://127.0.0.1:{front}"
        for _ in range(100):
            try:
                urllib.request.urlopen(home + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)

        # 1. A session made on one node works on the other.
        browser = Client(home)
        status, headers, _ = browser.sign_in(ADMIN)
        check(status == 200, f"sign-in through nginx ({status})")
        seen, signed_in = set(), True
        for _ in range(8):
            status, headers, body = browser.request("GET", "/account")
            seen.add(headers.get("X-Samverka-Node"))
            signed_in = signed_in and status == 200 and ADMIN[0] in body
        check(len(seen) == 2, f"requests reached both nodes ({sorted(filter(None, seen))})")
        check(signed_in, "the session works on both nodes")
        # A form whose page came from one node is accepted by the other (the CSRF token lives in the session).
        _, _, page = browser.request("GET", "/account")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        accepted = [browser.request("POST", "/account/notifications", {"_csrf": csrf}, form=True)[0] for _ in range(2)]
        check(all(s in (200, 303) for s in accepted), f"a form posted to either node is accepted ({accepted})")

        # 2. A write through one node is seen at once through the other, the response cache included.
        env = dict(common, SAMVERKA_MAIL_DIR=mail_dirs[0])
        token = cli(env, "token", "create", "--email", ADMIN[0], "--name", "two-nodes").splitlines()[-1]
        api = Client(home, token)
        q = "/api/v1/organisations?q=" + urllib.parse.quote("Funktionsrätt Värmland")
        for _ in range(4):  # both nodes compute and keep the answer
            api.request("GET", q)
        _, headers, body = api.request("GET", q)
        org = json.loads(body)["items"][0]
        check("hit" in (headers.get("Cache-Status") or ""), f"the search is answered from a node's cache ({headers.get('Cache-Status')})")
        new_description = f"Ändrad genom en nod {time.time():.0f}"
        status, _, body = api.request("PATCH", f"/api/v1/organisations/{org['id']}", {"description": new_description, "version": org["version"]})
        check(status == 200, f"the change is saved through nginx ({status})")
        fresh = []
        for _ in range(4):
            _, headers, body = api.request("GET", q)
            fresh.append((headers.get("X-Samverka-Node"), json.loads(body)["items"][0].get("description") == new_description))
        check(len({n for n, _ in fresh}) == 2 and all(ok for _, ok in fresh), f"both nodes answer with the change at once ({fresh})")

        # 3. The feedback reminder for a question goes out once, although both nodes run the job every second.
        row = psql(base, name, "SELECT id, title FROM questions WHERE owner_role_id IS NOT NULL AND status IN ('received', 'inProgress') ORDER BY title LIMIT 1")
        check(bool(row), "the demo has an open question with an owner")
        if row:
            qid, title = row.split("|", 1)
            time.sleep(3)  # reminders the demo itself triggers go out first
            before = {f for f, _, _ in mails(mail_dirs)}
            today = swedish_today().isoformat()
            psql(base, name, f"UPDATE questions SET reminded_at = NULL, deadline = '{today}' WHERE id = '{qid}'")
            deadline = time.time() + 30
            reminders = []
            while time.time() < deadline:
                reminders = [(f, s, t) for f, s, t in mails(mail_dirs) if f not in before and s.startswith("Påminnelse") and title in s]
                if reminders:
                    break
                time.sleep(0.5)
            time.sleep(4)  # several more ticks on both nodes
            reminders = [(f, s, t) for f, s, t in mails(mail_dirs) if f not in before and s.startswith("Påminnelse") and title in s]
            check(len(reminders) == 1, f"the reminder was sent once ({len(reminders)} mails)")

        # 4. Kill one node in the middle of a run of writes: every write that was answered 201 is kept.
        committed, errors, stop = [], [], threading.Event()

        def writer(n):
            i = 0
            while not stop.is_set():
                i += 1
                status, _, body = api.request("POST", "/api/v1/organisations", {
                    "name": f"Nodtestföreningen {n}-{i}", "legalForm": "ideellForening", "level": "local", "municipalities": ["1780"]})
                if status == 201:
                    committed.append(json.loads(body)["id"])
                else:
                    errors.append(status)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(3)
        nodes[0].send_signal(signal.SIGKILL)
        nodes[0].wait()
        time.sleep(4)
        stop.set()
        for t in threads:
            t.join()
        check(len(committed) > 20, f"writes went on while a node died ({len(committed)} committed, {len(errors)} failed: {sorted(set(errors))})")
        missing = [i for i in committed if api.request("GET", f"/api/v1/organisations/{i}")[0] != 200]
        check(not missing, f"every committed write is there ({len(missing)} missing)")
        total = int(psql(base, name, "SELECT count(*) FROM organisations WHERE name LIKE 'Nodtestföreningen %'"))
        check(total == len(committed), f"nothing half-written: {total} stored, {len(committed)} answered 201")
        after = [api.request("GET", "/api/v1/organisations?per=1")[0] for _ in range(10)]
        check(all(s == 200 for s in after), f"the other node keeps serving ({after})")
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        for p in nodes:
            if p.poll() is None:
                p.terminate()
                p.wait()
        for log in logs:
            log.close()
        try:
            psql(base, "postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except subprocess.CalledProcessError:
            pass
    if failures:
        print(f"two nodes: {len(failures)} check(s) failed; logs in {work}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("two nodes: all checks passed")


if __name__ == "__main__":
    main()
