"""Samverka benchmarks. See scripts/bench."""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def sh(cmd, env=None, check=True, capture=True):
    r = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=capture, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout if capture else ""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    def __init__(self, binary, env):
        self.port = free_port()
        self.log = open(os.path.join(env["BENCH_DIR"], f"server-{self.port}.log"), "w")
        self.proc = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port), "--env", "production"],
                                     env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url("/health"), timeout=1)
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise SystemExit("server exited; see " + self.log.name)
                time.sleep(0.2)
        raise SystemExit("server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


def wrk(url, seconds, threads, conns, headers=(), script=None, script_args=()):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency"] + [a for h in headers for a in ("-H", h)]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    if script_args:
        cmd += ["--"] + [str(a) for a in script_args]
    out = sh(cmd)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def ms(label):
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return 0.0
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses\n{out}")
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "requests": requests}


def timed(cmd, env):
    start = time.perf_counter()
    sh(cmd, env=env)
    return time.perf_counter() - start


METRICS_TOKEN = "bench-metrics-token-0123456789"
MIX_LUA = os.path.join(ROOT, "Benchmarks", "mix.lua")


def wrk_mix(server, paths_file, first, count, seconds, threads, conns, wrap):
    """wrk over lines [first, first+count) of a file of paths, each sent once (or cycling, for pages)."""
    return wrk(server.url("/"), seconds, threads, conns, script=MIX_LUA, script_args=(paths_file, first, count, threads, "wrap" if wrap else "stop"))


def cache_counts(server):
    req = urllib.request.Request(server.url("/metrics"), headers={"Authorization": "Bearer " + METRICS_TOKEN})
    text = urllib.request.urlopen(req).read().decode()

    def value(name):
        m = re.search(rf"^{name}(?:{{[^}}]*}})?\s+([\d.]+)", text, re.M)
        return int(float(m.group(1))) if m else 0
    return value("samverka_response_cache_hits_total"), value("samverka_response_cache_misses_total")


def get_json(server, path):
    with urllib.request.urlopen(server.url(path)) as r:
        return json.loads(r.read())


def items(doc):
    return doc["items"] if isinstance(doc, dict) else doc


# ---- The search mix -------------------------------------------------------------------------------------------

def search_mix(csv, municipalities, areas, count, seed=2026):
    """`count` distinct searches drawn deterministically from the generated data: organisation-name words,
    municipality names, area words, prefixes, one and two words, a name with its number, and some with a
    municipality or area filter. Returns (text, municipality code, area key) triples."""
    import csv as csvmod
    import random
    rng = random.Random(seed)
    names, muni_names = [], set()
    with open(csv, newline="", encoding="utf-8") as f:
        rows = csvmod.reader(f, delimiter=";")
        next(rows)
        for r in rows:
            names.append(r[0])
            muni_names.add(r[3])
    name_words, numbered = set(), []
    for n in names:
        head, _, number = n.rpartition(" ")
        muni = next((m for m in muni_names if head.startswith(m + " ")), None)
        word = head[len(muni) + 1:] if muni else head
        name_words.add(word)
        numbered.append((word, number))
    area_words = sorted({w for a in areas for w in a["nameSv"].replace(",", " ").split() if len(w) > 3})
    muni_list, word_list = sorted(muni_names), sorted(name_words)
    singles = sorted(set(muni_list) | set(word_list) | set(area_words))
    codes = {m["name"]: m["code"] for m in municipalities}
    area_keys = sorted(a["key"] for a in areas)

    def prefix(w):
        w = w.split()[0]
        return w[:rng.randint(3, max(3, min(6, len(w))))]

    kinds = [
        (15, lambda: (rng.choice(singles), "", "")),
        (15, lambda: (prefix(rng.choice(singles)), "", "")),
        (25, lambda: (f"{rng.choice(muni_list)} {rng.choice(word_list).split()[0]}", "", "")),
        (5, lambda: (f"{rng.choice(word_list).split()[0]} {rng.choice(area_words)}", "", "")),
        (15, lambda: ("{} {}".format(*rng.choice(numbered)), "", "")),
        (15, lambda: (rng.choice([rng.choice(word_list), prefix(rng.choice(word_list))]), codes.get(rng.choice(muni_list), ""), "")),
        (10, lambda: (rng.choice([rng.choice(muni_list), prefix(rng.choice(muni_list)), rng.choice(word_list)]), "", rng.choice(area_keys))),
    ]
    weights = [k[0] for k in kinds]
    seen, mix = set(), []
    attempts = 0
    while len(mix) < count and attempts < count * 50:
        attempts += 1
        q = rng.choices(kinds, weights)[0][1]()
        if q not in seen:
            seen.add(q)
            mix.append(q)
    return mix


def search_path(q):
    text, muni, area = q
    params = [("q", text)] + ([("municipality", muni)] if muni else []) + ([("area", area)] if area else [])
    return "/api/v1/organisations?" + urllib.parse.urlencode(params)


def raw_fts(db, exprs, smoke):
    """The mix as bare FTS5 statements in the sqlite3 CLI. p50: for a fixed sample of the mix, each statement runs
    ten times in one sqlite3 process; its time is that process's time less the time of the same process doing
    nothing, over ten (the CLI's own timer has millisecond resolution). Throughput: the whole mix split over one
    sqlite3 process per core, each statement once: the ceiling the storage sets on this machine."""
    stmts = [f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH '{e.replace(chr(39), chr(39) * 2)}' ORDER BY bm25({FTS}, 10.0, 1.0) LIMIT 50;"
             for e in exprs if e]
    repeat = 10

    def run(script):
        start = time.perf_counter()
        subprocess.run(["sqlite3", db], input=".output /dev/null\n" + script, capture_output=True, text=True, check=True)
        return time.perf_counter() - start

    idle = statistics.median(run("SELECT 1;\n") for _ in range(7))
    sample = stmts[:: max(1, len(stmts) // (40 if smoke else 400))]
    per_query = sorted(max(0.0, run((s + "\n") * repeat) - idle) / repeat * 1000 for s in sample)
    cores = os.cpu_count() or 1
    slices = [stmts[i::cores] for i in range(cores)]
    # Each process reads its statements from a file of its own: fed through pipes one after another, the
    # processes waited for each other and the ceiling came out as one core's.
    files = []
    for i, sl in enumerate(slices):
        path = f"{db}.slice{i}.sql"
        with open(path, "w") as f:
            f.write(".output /dev/null\n" + "\n".join(sl) + "\n")
        files.append(open(path))
    start = time.perf_counter()
    procs = [subprocess.Popen(["sqlite3", db], stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for f in files]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit("sqlite3 failed: " + p.stderr.read())
    wall = time.perf_counter() - start
    for f in files:
        f.close()
        os.remove(f.name)
    return {"p50": statistics.median(per_query), "p99": per_query[int(len(per_query) * 0.99) - 1] if len(per_query) > 1 else per_query[0],
            "qps": len(stmts) / wall, "queries": len(stmts), "cores": cores, "sampled": len(sample)}


# ---- The SQL floor of the import -------------------------------------------------------------------------------

# The organisations' FTS5 table: each kind of search document has its own (`SQLiteFTSSearchIndex`).
FTS = "search_fts_organisation"
IMPORT_TABLES = ["organisations", "organisation_areas", "organisation_municipalities", "member_counts", "search_keys", FTS]


def sqlite_marks(db):
    out = sh(["sqlite3", db, "; ".join(f"SELECT COALESCE(MAX(rowid), 0) FROM {t}" for t in IMPORT_TABLES) + ";"])
    return dict(zip(IMPORT_TABLES, (int(x) for x in out.split())))


def sql_floor(db, floor_db, marks, work):
    """The rows the import wrote, as INSERT statements into the same tables (same indexes, same FTS5 search
    index), run by the sqlite3 CLI in one transaction on a copy of the database as it was before the import:
    what the data model costs without the application. The search text is the app's analysed text."""
    script = [".mode insert"]
    for t in IMPORT_TABLES:
        cols = "rowid, title, body" if t == FTS else "*"
        script += [f".mode insert {t}", f"SELECT {cols} FROM {t} WHERE rowid > {marks[t]} ORDER BY rowid;"]
    path = os.path.join(work, "floor.sql")
    with open(path, "w") as f:
        f.write("BEGIN;\n")
        f.flush()
        subprocess.run(["sqlite3", db], input="\n".join(script) + "\n", stdout=f, text=True, check=True)
        f.write("COMMIT;\n")
    subprocess.run(["sed", "-i", f"s/^INSERT INTO \"\\?{FTS}\"\\? VALUES(/INSERT INTO {FTS}(rowid, title, body) VALUES(/", path], check=True)
    start = time.perf_counter()
    r = subprocess.run(["sqlite3", "-bail", floor_db], input=f".read {path}\n", capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if r.returncode != 0 or r.stderr.strip():
        raise SystemExit("the SQL floor failed: " + r.stderr[-2000:])
    check = sh(["sqlite3", floor_db, f"SELECT COUNT(*) FROM organisations; SELECT COUNT(*) FROM {FTS};"]).split()
    mine = sh(["sqlite3", db, f"SELECT COUNT(*) FROM organisations; SELECT COUNT(*) FROM {FTS};"]).split()
    if check != mine:
        raise SystemExit(f"the SQL floor wrote {check}, the import {mine}")
    return seconds


# ---- One database ---------------------------------------------------------------------------------------------

def run_db(label, binary, env, csv, args, work, mix=None):
    """Loads the demo (forums, councils, programmes), imports the file (timed), stores grants, serves it, and
    measures the search mix and the page mixes; returns the figures (and the search mix it drew, for the next run)."""
    sqlite_db = env.get("DATABASE_PATH") if "DATABASE_URL" not in env else None
    sh([binary, "migrate"], env=env)
    Server(binary, dict(env, SAMVERKA_DEMO="1")).stop()
    floor_db = None
    if sqlite_db:
        floor_db = os.path.join(work, "floor.sqlite")
        sh(["sqlite3", sqlite_db, f".backup {floor_db}"])
        marks = sqlite_marks(sqlite_db)
    import_s = timed([binary, "import", "organisations", csv], env)
    floor_s = sql_floor(sqlite_db, floor_db, marks, work) if sqlite_db else None
    sh([binary, "bench-data", "--orgs", "0", "--grants", str(args.grants)], env=env)
    server = Server(binary, env)
    r = {"label": label, "import_s": import_s, "floor_s": floor_s}
    try:
        if mix is None:
            mix = search_mix(csv, items(get_json(server, "/api/v1/municipalities")), items(get_json(server, "/api/v1/areas")), args.queries)
        files = {}

        def write(name, paths):
            files[name] = os.path.join(work, f"{name}.paths")
            with open(files[name], "w") as f:
                f.write("\n".join(paths) + "\n")
            return len(paths)

        n_search = write("search", [search_path(q) for q in mix])
        ids = []
        for page in range(1, 1 + max(1, args.org_pages // 500 * 2)):
            got = items(get_json(server, f"/api/v1/organisations?per=500&page={page}"))
            ids += [o["id"] for o in got]
            if len(got) < 500:
                break
        import random
        random.Random(7).shuffle(ids)
        n_orgs = write("orgs", [f"/organisations/{i}" for i in ids])
        years = range(2000, 2027)
        register = [f"/grants/register?year={y}&page={p}" for y in years for p in range(1, 6)] + [f"/grants/register?page={p}" for p in range(1, 41)]
        random.Random(8).shuffle(register)
        n_register = write("register", register)
        forums = [f"/forums/{f['id']}" for f in items(get_json(server, "/api/v1/forums"))]
        n_forums = write("forums", forums)
        s, t = args.seconds, 16
        r["health"] = wrk(server.url("/health"), s, 2, t)
        # Search: the latency run takes the first third of the mix, the throughput run the rest; none repeats.
        lat_n = n_search // 3
        h0 = cache_counts(server)
        r["search_lat"] = wrk_mix(server, files["search"], 0, lat_n, s, 1, 1, False)
        r["search_thr"] = wrk_mix(server, files["search"], lat_n, n_search - lat_n, s, 2, t, False)
        h1 = cache_counts(server)
        hits, misses = h1[0] - h0[0], h1[1] - h0[1]
        r["search_hit_rate"] = hits / (hits + misses) if hits + misses else 0.0
        r["search_sent"] = r["search_lat"]["requests"] + r["search_thr"]["requests"]
        r["search_distinct"] = n_search
        for name, n in (("orgs", n_orgs), ("register", n_register), ("forums", n_forums)):
            r[name + "_lat"] = wrk_mix(server, files[name], 0, n, s, 1, 1, True)
            r[name + "_thr"] = wrk_mix(server, files[name], 0, n, s, 2, t, True)
            r[name + "_distinct"] = n
    finally:
        server.stop()
    return r, mix


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="one small iteration on the debug build (CI)")
    ap.add_argument("--orgs", type=int, default=300_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--queries", type=int, default=12_000, help="distinct searches in the mix")
    ap.add_argument("--org-pages", type=int, default=20_000, help="distinct organisation pages in the mix")
    ap.add_argument("--grants", type=int, default=1_000_000, help="decided grants stored (register page, 360Giving export)")
    ap.add_argument("--only", choices=["giving"], help="run only one part")
    ap.add_argument("--binary", help="the samverka binary to measure (default: .build/release/samverka, or the debug one with --smoke)")
    args = ap.parse_args()
    if args.smoke:
        args.orgs, args.seconds, args.queries, args.org_pages, args.grants = 2000, 1, 2000, 2000, 5000
    binary = os.path.abspath(args.binary) if args.binary else os.path.join(ROOT, ".build/debug/samverka" if args.smoke else ".build/release/samverka")
    work = tempfile.mkdtemp(prefix="samverka-bench-")
    base_env = dict(os.environ, SAMVERKA_DEMO="0", SAMVERKA_METRICS_TOKEN=METRICS_TOKEN, BENCH_DIR=work, SAMVERKA_MAIL_DIR=os.path.join(work, "mail"), LOG_LEVEL="warning")
    base_env.pop("DATABASE_URL", None)
    if args.only == "giving":
        db = os.path.join(work, "giving.sqlite")
        genv = dict(base_env, DATABASE_PATH=db)
        sh([binary, "bench-data", "--orgs", str(500 if args.smoke else 20_000), "--grants", str(args.grants)], env=genv)
        for name, figs, ratio, target in giving_export(binary, genv, work, args):
            print(f"{name}: {figs}" + ("" if ratio is None else f" (ratio {ratio:.2f})") + (f", target {target}" if target else ""))
        shutil.rmtree(work, ignore_errors=True)
        return
    csv = os.path.join(work, "orgs.csv")
    sh([binary, "bench-data", "--orgs", str(args.orgs), "--csv", csv], env=dict(base_env, DATABASE_PATH=os.path.join(work, "gen.sqlite")))

    # sqlite3 .import of the same file: the bare storage floor, without indexes, links or search.
    raw_db = os.path.join(work, "raw.sqlite")
    start = time.perf_counter()
    subprocess.run(["sqlite3", raw_db], input=f".mode csv\n.separator ;\n.import {csv} orgs\n", text=True, check=True)
    raw_import_s = time.perf_counter() - start

    sqlite_env = dict(base_env, DATABASE_PATH=os.path.join(work, "bench.sqlite"))
    sq, mix = run_db("SQLite", binary, sqlite_env, csv, args, work)
    texts = os.path.join(work, "queries.txt")
    with open(texts, "w") as f:
        f.write("\n".join(q[0] for q in mix) + "\n")
    sh([binary, "bench-data", "--fts-queries", texts], env=sqlite_env)
    with open(texts + ".fts") as f:
        exprs = f.read().split("\n")[:len(mix)]
    fts = raw_fts(sqlite_env["DATABASE_PATH"], exprs, args.smoke)
    giving = giving_export(binary, sqlite_env, work, args)

    pg = None
    pg_dir = None
    try:
        out = sh([os.path.join(ROOT, "scripts/postgres"), "start"])
        m = re.search(r"SAMVERKA_PG_DIR=(\S+) SAMVERKA_PG_URL='([^']+)'", out)
        pg_dir, pg_url = m.group(1), m.group(2)
        pg, _ = run_db("PostgreSQL", binary, dict(base_env, DATABASE_URL=pg_url), csv, args, work, mix)
    finally:
        if pg_dir:
            sh([os.path.join(ROOT, "scripts/postgres"), "stop", pg_dir], check=False)

    def div(a, b):
        """A ratio, or none when nothing was measured below it (wrk completed no request: the machine was busy
        or the page answered slower than wrk's timeout) — the table then shows an empty ratio instead of crashing."""
        return a / b if b else None

    def pages(db, name, label, target):
        return (f"{label}", f"{db[name + '_thr']['rps']:.0f} vs {db['health']['rps']:.0f} req/s /health, p50 {db[name + '_lat']['p50']:.2f} ms "
                f"(p99 {db[name + '_lat']['p99']:.2f} ms; {db[name + '_distinct']:,} distinct pages)",
                div(db[name + "_thr"]["rps"], db["health"]["rps"]), target)

    rows = [
        ("search mix p50", f"{sq['search_lat']['p50']:.2f} ms vs {fts['p50']:.2f} ms raw FTS5 p50 (p99 {sq['search_lat']['p99']:.2f} vs {fts['p99']:.2f} ms; "
         f"{sq['search_distinct']:,} distinct searches, {sq['search_sent']:,} sent, none twice; response cache hit rate {sq['search_hit_rate'] * 100:.1f} %)",
         div(sq["search_lat"]["p50"], fts["p50"]), "≤ 1.5"),
        ("search mix throughput", f"{sq['search_thr']['rps']:.0f} req/s vs {fts['qps']:.0f} queries/s raw FTS5 ceiling ({fts['cores']} sqlite3 processes, "
         f"{fts['queries']:,} queries; /health {sq['health']['rps']:.0f} req/s)", div(sq["search_thr"]["rps"], fts["qps"]), "≥ 0.5"),
        pages(sq, "orgs", "organisation page mix", "≥ 0.3, p50 ≤ 3 ms"),
        pages(sq, "register", "grant register page mix", "≥ 0.2"),
        pages(sq, "forums", "forum page mix", "≥ 0.2"),
        (f"import vs SQL floor ({args.orgs:,} organisations)", f"{sq['import_s']:.2f} s vs {sq['floor_s']:.2f} s (the same rows by the sqlite3 CLI in one transaction)",
         div(sq["import_s"], sq["floor_s"]), "≤ 2"),
        (f"import vs sqlite3 .import", f"{sq['import_s']:.2f} s vs {raw_import_s:.2f} s (one table, no index, no search)", div(sq["import_s"], raw_import_s), ""),
    ]
    if pg:
        def pair(name, a, b, fmt, higher_is_better):
            return (f"PostgreSQL vs SQLite: {name}", fmt(a, b), div(b, a) if higher_is_better else div(a, b), "≤ 2")
        rps = lambda a, b: f"{a:.0f} vs {b:.0f} req/s"  # noqa: E731
        msf = lambda a, b: f"{a:.2f} vs {b:.2f} ms"  # noqa: E731
        rows += [
            pair("search mix p50", pg["search_lat"]["p50"], sq["search_lat"]["p50"], msf, False),
            pair("search mix throughput", pg["search_thr"]["rps"], sq["search_thr"]["rps"], rps, True),
            pair("organisation page mix", pg["orgs_thr"]["rps"], sq["orgs_thr"]["rps"], rps, True),
            pair("organisation page mix p50", pg["orgs_lat"]["p50"], sq["orgs_lat"]["p50"], msf, False),
            pair("grant register page mix", pg["register_thr"]["rps"], sq["register_thr"]["rps"], rps, True),
            pair("forum page mix", pg["forums_thr"]["rps"], sq["forums_thr"]["rps"], rps, True),
            pair("import", pg["import_s"], sq["import_s"], lambda a, b: f"{a:.2f} vs {b:.2f} s", False),
            ("PostgreSQL /health vs SQLite", rps(pg["health"]["rps"], sq["health"]["rps"]), div(sq["health"]["rps"], pg["health"]["rps"]), ""),
            ("PostgreSQL search mix response cache hit rate", f"{pg['search_hit_rate'] * 100:.1f} %", None, ""),
        ]
    rows += giving

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    machine = f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {cpu}"
    lines = ["| measure | figures | ratio | target |", "|---|---|---|---|"]
    for name, figs, ratio, target in rows:
        lines.append(f"| {name} | {figs} | {'' if ratio is None else f'{ratio:.2f}'} | {target} |")
    table = "\n".join(lines)
    print(table)
    header = (f"# Benchmark results\n\n{datetime.date.today().isoformat()} · {machine}\n\n"
              f"{args.orgs:,} organisations (deterministic `samverka bench-data`) and {args.grants:,} decided grants, the demo's forums; "
              f"wrk {args.seconds} s per run (latency with 1 connection, throughput with 2 threads and 16 connections) over mixes that "
              f"send each search once (`Benchmarks/mix.lua`); every ratio is against a baseline measured in the same run; "
              f"{'debug build (smoke run)' if args.smoke else 'release build'}.\n\n")
    target = os.path.join(ROOT, ".test-output/bench-smoke.md") if args.smoke else os.path.join(ROOT, "Benchmarks/RESULTS.md")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    before = "" if args.smoke else earlier_runs(target)  # read before the file is opened for writing
    with open(target, "w") as f:
        f.write(header + table + "\n" + before)
    print("written to", os.path.relpath(target, ROOT))
    shutil.rmtree(work, ignore_errors=True)


def earlier_runs(path):
    """What RESULTS.md held before this run, kept below it: the previous full run becomes a section of its own
    (its table and notes as they were), followed by the sections that came after it (focused re-measures)."""
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        return ""
    lines = old.split("\n")
    if not lines or not lines[0].startswith("# "):
        return "\n" + old
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    when = rest[0].strip() if rest else "earlier"
    return f"\n## Previous full run ({when})\n\n" + "\n".join(rest[1:]).lstrip("\n")


GIVING_SQL = """SELECT d.id, d.purpose, d.motivation, d.amount_ore, d.decided_on, d.year, d.diarienummer, o.id, o.name, o.orgnr,
       o.city, p.id, p.name, b.id, b.name, b.orgnr
FROM grant_decisions d JOIN organisations o ON o.id = d.organisation_id JOIN grant_programmes p ON p.id = d.programme_id
JOIN public_bodies b ON b.id = p.body_id
WHERE d.is_public = 1 AND d.amount_ore > 0 AND NOT EXISTS (SELECT 1 FROM grant_decisions r WHERE r.replaces_id = d.id)
ORDER BY d.id;"""


def run_measured(cmd, env):
    """Runs a command; returns (seconds, peak RSS in MB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def giving_export(binary, env, work, args):
    """The 360Giving export of every decided grant in the database of `env`: peak memory must stay flat, and the
    time within 2× of sqlite3 -json printing the same rows."""
    db = env["DATABASE_PATH"]
    grants = int(sh(["sqlite3", db, "SELECT COUNT(*) FROM grant_decisions;"]).strip())
    out = os.path.join(work, "360giving.json")
    export_s, rss_mb = run_measured([binary, "export", "360giving", out], env)
    size_mb = os.path.getsize(out) / 1e6
    # Schema validation of the output is scripts/test's job (check_360giving.py); here only that it is whole.
    with open(out, "rb") as f:
        f.seek(-2, os.SEEK_END)
        if f.read() != b"]}":
            raise SystemExit("the 360Giving export ends early")
    raw = os.path.join(work, "raw.json")
    start = time.perf_counter()
    with open(raw, "w") as f:
        subprocess.run(["sqlite3", "-json", db, GIVING_SQL], stdout=f, check=True)
    raw_s = time.perf_counter() - start
    return [
        (f"360Giving export of {grants:,} grants: peak RSS", f"{rss_mb:.0f} MB ({size_mb:.0f} MB written)", None, "≤ 128 MB"),
        (f"360Giving export of {grants:,} grants vs sqlite3 -json", f"{export_s:.2f} s vs {raw_s:.2f} s", export_s / raw_s, "≤ 2"),
    ]


if __name__ == "__main__":
    main()
