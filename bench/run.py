#!/usr/bin/env python3
"""Respire's benchmark (make bench): speed, memory and growth against the
machine's ceiling. Python standard library only; wrk does the load.

Environment (all optional):
  SCALE=1             size of the generated network (fractional allowed: 0.2)
  BENCH_DB=sqlite     or postgres (a throwaway cluster from scripts/pg-cluster.sh)
  BENCH_SECONDS=10    seconds of load per page (plus a short warm-up)
  BENCH_CONNECTIONS=64, BENCH_WRK_THREADS=2
  BENCH_IDLE=5000     idle live streams for the memory figure (0: skip)
  BENCH_PAGES=a,b     only these figures (names as printed; ceiling always runs)
  BENCH_SKIP=startup,idle,mixed,proposals   parts to leave out (proposals: the last
                      day of a call, bench/proposals.py: 450 members save and submit)
  BENCH_SEED=1        seed of the generator
  BENCH_PERF=page     record `perf record -g` of the server during that page
                      into bench/perf-PAGE.data
  BENCH_KEEP=1        keep the temporary data folder (printed)
  BENCH_TAG=name      record the run as "DB-scaleN-name" (a partial run beside the full one)
  BENCH_RESPIRE=path  the binary to measure (default build/respire): a before/after pair
                      measured on the same data set
  BENCH_CACHE=dir     SQLite: the seeded data folder to use (default bench/cache/...): a copy
                      for the "after" binary keeps the "before" one at its own schema
  BENCH_INPLACE=1     SQLite: serve the cached data set itself instead of a copy (no 24 GB
                      copy at SCALE=10; the pages measured must not write)
  BENCH_PG_DIR=dir    PostgreSQL: keep the seeded cluster and data folder in dir and reuse
                      them on the next run with the same dir (seeding takes minutes)
The load average of the machine (1 minute) is recorded beside each figure: the machine
may be shared.
Results: a table on stdout and bench/results.json (one entry per backend and
scale, kept across runs so that growth between scales can be computed).
"""
import hashlib
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import threading
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
RESPIRE = os.environ.get("BENCH_RESPIRE") or os.path.join(ROOT, "build", "respire")
CEILING = os.path.join(ROOT, "build", "bench-ceiling")
RESULTS = os.path.join(BENCH, "results.json")

SCALE = os.environ.get("SCALE", "1") or "1"
DB = os.environ.get("BENCH_DB", "sqlite") or "sqlite"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10") or 10)
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "64") or 64)
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2") or 2)
IDLE = int(os.environ.get("BENCH_IDLE", "5000") or 0)
SEED = os.environ.get("BENCH_SEED", "1") or "1"
ONLY = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
SKIP = [p for p in os.environ.get("BENCH_SKIP", "").split(",") if p]
PERF = os.environ.get("BENCH_PERF", "")
SERVER_THREADS = 2 * (os.cpu_count() or 2)   # Respire's default, given to the ceiling too

SEARCH_Q = "grille évaluation"


def log(msg):
    print(f"bench: {msg}", flush=True)


def die(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


# ---- processes ---------------------------------------------------------------

class Server:
    """A process that prints "listening on http://HOST:PORT" when ready."""

    def __init__(self, argv, env=None, log_path=None):
        self.t0 = time.monotonic()
        self.log = open(log_path or os.devnull, "ab")
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, env=env)
        line = self.p.stdout.readline().decode()
        self.startup = time.monotonic() - self.t0
        m = re.match(r"listening on http://([^:]+):(\d+)", line)
        if not m:
            self.p.kill()
            die(f"{argv[0]} did not start (see {log_path}): {line!r}")
        self.host, self.port = m.group(1), int(m.group(2))
        self.base = f"http://{self.host}:{self.port}"

    def status(self, key):
        """A line of /proc/PID/status in kB (VmRSS, VmHWM; RssAnon: the
        server's own memory, without the database file's pages that SQLite
        maps, which are the kernel's page cache)."""
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def quiesce(self, limit=180):
        """Waits until the server is idle (requests queued by a load finished)."""
        t_end = time.monotonic() + limit
        while time.monotonic() < t_end:
            c0 = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - c0 < 0.05:
                return True
        return False

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(60)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.log.close()
        return self.p.returncode


def run(argv, **kw):
    r = subprocess.run(argv, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        die(f"{' '.join(argv)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


# ---- data --------------------------------------------------------------------

def generator_version():
    """Seeded data sets are kept per version of the generator."""
    h = hashlib.sha256()
    for f in ("src/cmd/seed.c", "src/cmd/seed_text.c", "src/cmd/seed_text.h"):
        with open(os.path.join(ROOT, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:12]


def parse_seed(out):
    info, phases = {}, []
    for line in out.splitlines():
        if not line.startswith("seed: "):
            continue
        fields = dict(kv.split("=", 1) for kv in line[6:].split() if "=" in kv)
        if "phase" in fields:
            phases.append(fields)
        elif line.startswith("seed: total"):
            info["total"] = fields
        else:
            info.update(fields)
    info["phases"] = phases
    return info


def prepare_sqlite(tmp):
    """A seeded data folder: from bench/cache/ when this scale was generated
    by this version of the generator, else generated (and cached)."""
    cache = os.environ.get("BENCH_CACHE") or \
        os.path.join(BENCH, "cache", f"sqlite-scale{SCALE}-seed{SEED}-{generator_version()}")
    data = os.path.join(tmp, "data")
    if not os.path.exists(os.path.join(cache, "seed.log")):
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(cache)
        log(f"generating SCALE={SCALE} into {os.path.relpath(cache, ROOT)} (kept for later runs)")
        t = time.monotonic()
        out = run([RESPIRE, "seed", "--scale", SCALE, "--seed", SEED, "--data", cache])
        log(f"generated in {time.monotonic() - t:.1f} s")
        with open(os.path.join(cache, "seed.log"), "w") as f:
            f.write(out)
        cached = False
    else:
        log(f"reusing {os.path.relpath(cache, ROOT)}")
        cached = True
    with open(os.path.join(cache, "seed.log")) as f:
        info = parse_seed(f.read())
    info["cached"] = cached
    # The cached copy follows the schema (new migrations, e.g. indexes) once.
    run([RESPIRE, "migrate", "--data", cache])
    if os.environ.get("BENCH_INPLACE"):
        log(f"serving {os.path.relpath(cache, ROOT)} itself (BENCH_INPLACE)")
        return cache, None, info
    t = time.monotonic()
    subprocess.run(["cp", "-a", "--reflink=auto", cache, data], check=True)
    os.unlink(os.path.join(data, "seed.log"))
    log(f"copied the data set in {time.monotonic() - t:.1f} s")
    # Pending migrations now, so that start-up is measured without them.
    run([RESPIRE, "migrate", "--data", data])
    return data, None, info


def prepare_postgres(tmp):
    keep = os.environ.get("BENCH_PG_DIR")
    if keep:
        tmp = os.path.abspath(keep)
        os.makedirs(tmp, exist_ok=True)
    os.chmod(tmp, 0o755)   # the cluster runs as "postgres" when we are root
    pgdir = os.path.join(tmp, "pg")
    url = run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "start", pgdir]).strip()
    data = os.path.join(tmp, "data")
    if keep and os.path.exists(os.path.join(tmp, "seed.log")):
        log(f"reusing the cluster seeded in {tmp} (BENCH_PG_DIR)")
        with open(os.path.join(tmp, "seed.log")) as f:
            info = parse_seed(f.read())
        info["cached"] = True
        run([RESPIRE, "migrate", "--data", data, "--db", url])
        return data, url, info
    log(f"generating SCALE={SCALE} into a throwaway PostgreSQL cluster")
    t = time.monotonic()
    out = run([RESPIRE, "seed", "--scale", SCALE, "--seed", SEED, "--data", data, "--db", url])
    log(f"generated in {time.monotonic() - t:.1f} s")
    info = parse_seed(out)
    info["cached"] = False
    if keep:
        with open(os.path.join(tmp, "seed.log"), "w") as f:
            f.write(out)
    # Fresh statistics for the planner, as autovacuum would make them.
    psql = shutil.which("psql")
    if psql:
        subprocess.run([psql, url, "-qc", "VACUUM ANALYZE"], check=False, capture_output=True)
    return data, url, info


# ---- HTTP helpers --------------------------------------------------------------

def api(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b"null")


def sign_in(base, email, password):
    """A Bearer token for the API and the cookies of a browser session for pages."""
    _, s = api(base, "POST", "/api/v1/sessions", {"email": email, "password": password})
    token = s["token"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener.add_handler(NoRedirect())
    page = opener.open(base + "/login", timeout=30).read().decode()
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    if not m:
        die("no CSRF field on /login")
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf": m.group(1), "next": "/"}).encode()
    try:
        opener.open(base + "/login", data=form, timeout=30)
    except urllib.error.HTTPError as e:
        if e.code != 303:
            die(f"POST /login answered {e.code}")
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "respire_session" not in cookies:
        die("POST /login gave no session cookie")
    return token, cookies


def fetch(base, path, cookie=None, token=None, timeout=60):
    req = urllib.request.Request(base + path)
    if cookie:
        req.add_header("Cookie", cookie)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


# ---- wrk ----------------------------------------------------------------------

def parse_ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v


def wrk(url, script, env, seconds=SECONDS, conns=CONNS):
    argv = ["wrk", f"-t{WRK_THREADS}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "10s",
            "-s", os.path.join(BENCH, "wrk", script), url]
    out = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **env}).stdout
    res = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        res[f"p{pct}_ms"] = parse_ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", out)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    res["socket_errors"] = m.group(1).strip() if m else ""
    m = re.search(r"bench-bad-responses (\d+)", out)
    res["bad"] = int(m.group(1)) if m else 0
    m = re.search(r"bench-writes (\d+)", out)
    if m:
        res["writes"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        res["bad"] = max(res["bad"], int(m.group(1)))
    return res


def measure(name, base, path, env, server=None):
    wrk(base + path, "auth.lua", env, seconds=2)          # warm-up
    if server:
        server.quiesce()
    perf = None
    if PERF == name and server:
        perf = subprocess.Popen(["perf", "record", "-g", "-o", os.path.join(BENCH, f"perf-{name}.data"),
                                 "-p", str(server.p.pid), "--", "sleep", str(SECONDS)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load = os.getloadavg()[0]
    res = wrk(base + path, "auth.lua", env)
    res["load_before"] = round(load, 2)
    res["load_after"] = round(os.getloadavg()[0], 2)
    if perf:
        perf.wait()
    res["path"] = path
    if server and not server.quiesce():
        log(f"warning: the server was still busy long after {name}")
    return res


# ---- idle live streams ------------------------------------------------------------

def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n)) if hard != resource.RLIM_INFINITY else max(soft, n)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def idle_streams(server, token, n):
    """Opens n live streams (GET /api/v1/events) and holds them idle; the
    server's memory before, with them, and once they are gone. Clients come
    from several loopback addresses, as the per-address limit wants."""
    raise_nofile(n + 200)
    per_ip = 1500
    req = (f"GET /api/v1/events HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
           f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode()
    before = server.status("VmRSS")
    anon_before = server.status("RssAnon")
    sel = selectors.DefaultSelector()
    socks, opened = [], 0
    t0 = time.monotonic()
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((f"127.0.0.{2 + i // per_ip}", 0))
        s.setblocking(False)
        try:
            s.connect((server.host, server.port))
        except BlockingIOError:
            pass
        sel.register(s, selectors.EVENT_WRITE, b"")
        socks.append(s)
        # keep the accept queue from overflowing: drain as we go
        if len(socks) % 200 == 0:
            opened += _pump(sel, req, 0.05)
    deadline = time.monotonic() + 60
    while opened < n and time.monotonic() < deadline:
        opened += _pump(sel, req, 0.5)
    open_s = time.monotonic() - t0
    time.sleep(3)  # settle, then look
    with_streams = server.status("VmRSS")
    anon_with = server.status("RssAnon")
    hwm = server.status("VmHWM")
    # still alive? every stream answered 200 with text/event-stream
    for s in socks:
        try:
            sel.unregister(s)
        except (KeyError, ValueError):
            pass
        s.close()
    time.sleep(3)
    after = server.status("VmRSS")
    return {"streams": n, "opened": opened, "open_seconds": round(open_s, 2), "rss_before_kb": before,
            "rss_with_kb": with_streams, "rss_after_kb": after, "per_stream_bytes":
            round((with_streams - before) * 1024 / max(opened, 1)), "hwm_kb": hwm,
            "anon_before_kb": anon_before, "anon_with_kb": anon_with,
            "per_stream_anon_bytes": round((anon_with - anon_before) * 1024 / max(opened, 1))}


def _pump(sel, req, timeout):
    """Sends the request on connected sockets; counts the streams whose
    answer headers (200, event stream) arrived."""
    done = 0
    for key, ev in sel.select(timeout):
        s = key.fileobj
        if ev & selectors.EVENT_WRITE:
            try:
                s.send(req)
            except OSError:
                sel.unregister(s)
                continue
            sel.modify(s, selectors.EVENT_READ, b"")
        else:
            try:
                chunk = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                sel.unregister(s)
                continue
            got = key.data + chunk
            if b"\r\n\r\n" in got:
                if got.startswith(b"HTTP/1.1 200") and b"text/event-stream" in got:
                    done += 1
                sel.unregister(s)   # idle from now on: nothing more is read
            else:
                sel.modify(s, selectors.EVENT_READ, got)
    return done


# ---- the run ----------------------------------------------------------------------

def pages_for(info):
    return [p for p in all_pages(info) if not ONLY or p[0] in ONLY]


def all_pages(info):
    d, g, u = info["discussion_id"], info["group_id"], info["profile_id"]
    q = urllib.parse.quote(SEARCH_Q)
    return [  # name, path, who: visitor, cookie (pages) or token (API)
        ("landing", "/", None),
        ("home", "/", "cookie"),
        ("group", f"/groups/{g}", "cookie"),
        ("discussion", f"/posts/{d}", "cookie"),
        ("profile", f"/users/{u}", "cookie"),
        ("search", f"/search?q={q}", "cookie"),
        ("api_feed", "/api/v1/feed", "token"),
        ("api_group", f"/api/v1/groups/{g}/posts", "token"),
        ("api_discussion", f"/api/v1/posts/{d}/replies", "token"),
        ("api_profile", f"/api/v1/users/{u}", "token"),
        ("api_search", f"/api/v1/search?q={q}", "token"),
    ] + ([  # the innovation bank (issue 19), when the data set has records (innovation_targets)
        ("innovations", "/innovations?academy=%s&theme=%s" % (urllib.parse.quote(info["innovation_academy"]),
                                                             urllib.parse.quote(info["innovation_theme"])), "cookie"),
        ("innovation", f"/innovations/{info['innovation_id']}", "cookie"),
    ] if info.get("innovation_id") else [])


def innovation_targets(base, token):
    """The catalogue with two facets selected: the academy with the most
    records, then its most frequent theme; a record of that page."""
    st, b = api(base, "GET", "/api/v1/innovations", token=token)
    if st != 200 or not b["facets"]["academy"]:
        return {}
    academy = b["facets"]["academy"][0]["value"]
    st, b = api(base, "GET", "/api/v1/innovations?academy=" + urllib.parse.quote(academy), token=token)
    theme = b["facets"]["theme"][0]["value"]
    st, b = api(base, "GET", "/api/v1/innovations?academy=%s&theme=%s" % (urllib.parse.quote(academy),
                                                                        urllib.parse.quote(theme)), token=token)
    if st != 200 or not b["items"]:
        return {}
    log(f"innovations: academy={academy} theme={theme}: {b['total']} records; record {b['items'][0]['id']}")
    return {"innovation_academy": academy, "innovation_theme": theme, "innovation_id": b["items"][0]["id"],
            "innovation_total": b["total"]}


def main():
    for tool in ("wrk",):
        if not shutil.which(tool):
            die(f"{tool} is missing: make deps-bench")
    for b in (RESPIRE, CEILING):
        if not os.path.exists(b):
            die(f"{b} is missing: make bench builds it")
    raise_nofile(IDLE + 1000)
    tmp = tempfile.mkdtemp(prefix="respire-bench-")
    key = f"{DB}-scale{SCALE}" + (f"-{os.environ['BENCH_TAG']}" if os.environ.get("BENCH_TAG") else "")
    result = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "db": DB, "scale": float(SCALE), "seconds": SECONDS,
              "connections": CONNS, "server_threads": SERVER_THREADS, "machine": machine(), "pages": {}}
    server = ceiling = None
    url = None
    try:
        data, url, info = (prepare_postgres if DB == "postgres" else prepare_sqlite)(tmp)
        result["data"] = info
        argv = [RESPIRE, "serve", "--listen", "127.0.0.1:0", "--data", data] + (["--db", url] if url else [])
        env = {**os.environ, "RESPIRE_THREADS": str(SERVER_THREADS)}

        if "startup" not in SKIP:
            times = []
            for _ in range(5):
                s = Server(argv, env, os.path.join(tmp, "startup.log"))
                times.append(s.startup * 1000)
                s.stop()
            result["startup_ms"] = {"median": round(statistics.median(times), 1),
                                    "all": [round(t, 1) for t in times]}
            log(f"start-up: median {result['startup_ms']['median']} ms of {result['startup_ms']['all']}")

        ceiling = Server([CEILING, "--listen", "127.0.0.1:0", "--threads", str(SERVER_THREADS)])
        server = Server(argv, env, os.path.join(tmp, "server.log"))
        result["rss_start_kb"] = server.status("VmRSS")
        anon_peak = [server.status("RssAnon")]
        sampling = threading.Event()

        def sample(srv=server):
            while not sampling.wait(0.1):
                try:
                    anon_peak[0] = max(anon_peak[0], srv.status("RssAnon"))
                except OSError:
                    return
        threading.Thread(target=sample, daemon=True).start()
        token, cookie = sign_in(server.base, info["member_email"], info["member_password"])
        info.update(innovation_targets(server.base, token))

        # Sanity: every page answers 200, and the discussion has its 30 replies.
        for name, path, who in pages_for(info):
            try:
                st, body = fetch(server.base, path, cookie if who == "cookie" else None,
                                 token if who == "token" else None, timeout=20)
            except (TimeoutError, OSError):
                continue     # timed below
            if st != 200:
                die(f"{name} {path} answered {st}")
        _, body = fetch(server.base, all_pages(info)[8][1], token=token)
        nrep = len(json.loads(body)["items"])
        if nrep != 30:
            log(f"warning: the discussion lists {nrep} replies, not 30")

        # One request at a time first: a page far too slow for load is only timed.
        single = {}
        for name, path, who in pages_for(info):
            ts = []
            for _ in range(3):
                t = time.monotonic()
                try:
                    fetch(server.base, path, cookie if who == "cookie" else None,
                          token if who == "token" else None, timeout=20)
                except (TimeoutError, OSError):
                    ts.append(20000.0)   # longer than that: no use going on
                    break
                ts.append((time.monotonic() - t) * 1000)
                if ts[-1] > 5000:
                    break
            single[name] = round(min(ts), 2)
        result["single_request_ms"] = single
        log("one request at a time (best of 3, ms): " + ", ".join(f"{n} {v}" for n, v in single.items()))

        def want(name):
            return not ONLY or name in ONLY or name == "ceiling"

        res = measure("ceiling", ceiling.base, "/", {})
        result["pages"]["ceiling"] = res
        ceiling_rps = res["rps"] or 1
        show("ceiling", res, ceiling_rps)
        ceiling.stop()
        ceiling = None
        for name, path, who in pages_for(info):
            if not want(name):
                continue
            env_w = {"BENCH_COOKIE": cookie if who == "cookie" else "",
                     "BENCH_TOKEN": token if who == "token" else ""}
            if single[name] > 1000:
                res = {"path": path, "rps": 0.0, "p50_ms": single[name], "p99_ms": None, "bad": 0,
                       "too_slow": True, "pct_of_ceiling": 0.0}
                result["pages"][name] = res
                log(f"{name}: {single[name]:.0f} ms per request alone: not loaded")
                continue
            res = measure(name, server.base, path, env_w, server)
            res["pct_of_ceiling"] = round(100 * res["rps"] / ceiling_rps, 1)
            result["pages"][name] = res
            show(name, res, ceiling_rps)

        if "mixed" not in SKIP and (not ONLY or "mixed" in ONLY):
            _, posts = api(server.base, "GET", f"/api/v1/groups/{info['group_id']}/posts", token=token)
            ids = " ".join(str(p["id"]) for p in posts["items"])
            # the member's JSON pages but search (a mix is mostly reading what is new)
            reads = " ".join(p for n, p, w in pages_for(info) if w == "token" and n != "api_search")
            env_w = {"BENCH_TOKEN": token, "BENCH_READS": reads, "BENCH_POSTS": ids}
            wrk(server.base + "/", "mixed.lua", env_w, seconds=2)
            res = wrk(server.base + "/", "mixed.lua", env_w)
            res["writes_per_s"] = round(res.get("writes", 0) / SECONDS, 1)
            res["pct_of_ceiling"] = round(100 * res["rps"] / ceiling_rps, 1)
            result["pages"]["mixed_90_10"] = res
            show("mixed_90_10", res, ceiling_rps)
            log(f"mixed: {res['writes_per_s']} new replies/s among {res['rps']:.0f} requests/s")

        if "proposals" not in SKIP and (not ONLY or "proposals" in ONLY):
            # the last day of a call for proposals (bench/proposals.py)
            sys.path.insert(0, BENCH)
            import proposals
            result["proposals"] = proposals.scenario(server.base, data, url, conns=CONNS)

        result["rss_after_load_kb"] = server.status("VmRSS")
        result["peak_rss_kb"] = server.status("VmHWM")
        result["anon_after_load_kb"] = server.status("RssAnon")
        result["anon_peak_kb"] = anon_peak[0]
        log(f"server memory: {result['rss_after_load_kb'] / 1024:.1f} MB now, peak {result['peak_rss_kb'] / 1024:.1f} MB;"
            f" its own (RssAnon, without the mapped database) {result['anon_after_load_kb'] / 1024:.1f} MB now,"
            f" peak {result['anon_peak_kb'] / 1024:.1f} MB")
        if IDLE and "idle" not in SKIP:
            result["idle_streams"] = idle_streams(server, token, IDLE)
            i = result["idle_streams"]
            log(f"{i['opened']}/{i['streams']} idle streams: RSS {i['rss_before_kb'] / 1024:.1f} MB before, "
                f"{i['rss_with_kb'] / 1024:.1f} MB with them ({i['per_stream_bytes']} B each), "
                f"{i['rss_after_kb'] / 1024:.1f} MB after")
            result["peak_rss_kb"] = max(result["peak_rss_kb"], server.status("VmHWM"))
            result["anon_peak_kb"] = max(result["anon_peak_kb"], anon_peak[0])
        sampling.set()
        rc = server.stop()
        server = None
        if rc != 0:
            log(f"warning: the server exited with {rc}")
    finally:
        for s in (server, ceiling):
            if s:
                s.stop()
        if url:
            pgdir = os.path.join(os.path.abspath(os.environ["BENCH_PG_DIR"]) if os.environ.get("BENCH_PG_DIR")
                                 else tmp, "pg")
            subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "stop", pgdir], capture_output=True)
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    everything = {}
    if os.path.exists(RESULTS):
        try:
            with open(RESULTS) as f:
                everything = json.load(f)
        except ValueError:
            everything = {}
    everything.setdefault("runs", {})[key] = result
    everything["growth"] = growth(everything["runs"])
    with open(RESULTS, "w") as f:
        json.dump(everything, f, indent=1, ensure_ascii=False)
    table(result, everything["growth"])
    log(f"wrote {os.path.relpath(RESULTS, ROOT)}")


def show(name, res, ceiling_rps):
    log(f"{name:15s} {res['rps']:9.0f} req/s  p50 {res['p50_ms'] or 0:7.2f} ms  p99 {res['p99_ms'] or 0:7.2f} ms  "
        f"{100 * res['rps'] / ceiling_rps:5.1f}% of ceiling" + (f"  ({res['bad']} bad answers!)" if res["bad"] else "")
        + (f"  load {res['load_before']} -> {res['load_after']}" if "load_before" in res else ""))


def growth(runs):
    """Per backend: the largest scale against scale 1, page by page (p50 ratio)."""
    out = {}
    for db in ("sqlite", "postgres"):
        base = runs.get(f"{db}-scale1")
        if not base:
            continue
        for key, r in runs.items():
            if not key.startswith(db + "-") or r["scale"] <= 1 or key.count("-") > 1:
                continue
            g = {}
            # one request at a time (best of 3): the latency a member sees on a quiet server
            for name, ms in r.get("single_request_ms", {}).items():
                b = base.get("single_request_ms", {}).get(name)
                if b:
                    g[name] = {"latency_ratio": round(ms / b, 2)}
            # under load: time per request (requests/s at scale 1 over requests/s here)
            for name, p in r["pages"].items():
                b = base["pages"].get(name)
                if name == "ceiling" or not b or not b.get("rps") or not p.get("rps"):
                    continue
                g.setdefault(name, {})["load_ratio"] = round(b["rps"] / p["rps"], 2)
            out[f"{key} vs {db}-scale1"] = g
    return out


def table(r, gr):
    print()
    print(f"Respire benchmark — {r['db']}, SCALE={r['scale']:g}, {r['connections']} connections, "
          f"{r['seconds']} s per page, {r['server_threads']} server threads — {r['machine']['cpu']}")
    print(f"{'page':16s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'% ceiling':>10s}")
    c = r["pages"]["ceiling"]["rps"] or 1
    for name, p in r["pages"].items():
        print(f"{name:16s} {p['rps']:9.0f} {p['p50_ms'] or 0:8.2f} {p['p99_ms'] or 0:8.2f} {100 * p['rps'] / c:9.1f}%"
              + (f"  {p['writes_per_s']} writes/s" if "writes_per_s" in p else "")
              + (f"  {p['bad']} bad answers" if p.get("bad") else ""))
    d = r["data"]
    if "total" in d:
        print(f"generation: {d['total']['rows']} rows in {float(d['total']['seconds']):.1f} s "
              f"({d['total']['rows_per_second']} rows/s){' (cached)' if d.get('cached') else ''}")
    if "startup_ms" in r:
        print(f"start-up: {r['startup_ms']['median']} ms (median of 5)")
    print(f"server memory: peak {r['peak_rss_kb'] / 1024:.1f} MB (VmHWM), "
          f"{r['rss_after_load_kb'] / 1024:.1f} MB after the load"
          + (f"; without the mapped database (RssAnon): peak {r['anon_peak_kb'] / 1024:.1f} MB, "
             f"{r['anon_after_load_kb'] / 1024:.1f} MB after" if "anon_peak_kb" in r else ""))
    if "idle_streams" in r:
        i = r["idle_streams"]
        print(f"idle streams: {i['opened']} open, RSS {i['rss_before_kb'] / 1024:.1f} -> "
              f"{i['rss_with_kb'] / 1024:.1f} MB ({i['per_stream_bytes']} B each"
              + (f"; {i['per_stream_anon_bytes']} B each without the mapped database" if "per_stream_anon_bytes" in i else "")
              + ")")
    for k, g in gr.items():
        print(f"growth {k} (latency of one request; time per request under load):")
        for n, v in g.items():
            print(f"  {n:16s} {v.get('latency_ratio', '-')}x; {v.get('load_ratio', '-')}x")


def machine():
    cpu = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s+(.*)", out)
        n = re.search(r"^CPU\(s\):\s+(\d+)", out, re.M)
        cpu = f"{model.group(1).strip() if model else '?'} × {n.group(1) if n else '?'}"
    except OSError:
        pass
    mem = 0
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return {"cpu": cpu, "mem_mb": mem, "kernel": os.uname().release}


if __name__ == "__main__":
    main()
