#!/usr/bin/env python3
"""The `proposals` scenario of the benchmark (issue 20): the last day of a
call for proposals. 450 members each write a proposal, save their draft
(PATCH) a few times as they type, then submit, all at once over 64
connections; then the proposals are counted (none lost, none twice).

Used by bench/run.py (its part "proposals", BENCH_SKIP=proposals leaves it
out) on the seeded network, or alone on a small fresh one:

  python3 bench/proposals.py            # SQLite, BENCH_DB=postgres for PostgreSQL
Environment: BENCH_KEEP=1 keeps the temporary folder (server.log), BENCH_CONNECTIONS=64, BENCH_MEMBERS=450, BENCH_SAVES=3 (drafts
saved before the submit), BENCH_PAUSE=1.0 (mean seconds between two saves of
one member: "every few seconds", shortened so that a run lasts a minute).
Python standard library only."""
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESPIRE = os.path.join(ROOT, "build", "respire")
PASSWORD = "respire-bench-2026"          # every seeded member's (src/cmd/seed.c)
ADMIN = "bench.appels@ac-paris.fr"


def log(msg):
    print(f"bench: proposals: {msg}", flush=True)


class Client:
    """One keep-alive connection, as a browser's."""

    def __init__(self, host, port, token=None):
        self.host, self.port, self.token = host, port, token
        self.c = None

    def call(self, method, path, body=None):
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (0, 1):
            if self.c is None:
                self.c = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                t = time.monotonic()
                self.c.request(method, "/api/v1" + path, body=data, headers=h)
                r = self.c.getresponse()
                out = r.read()
                ms = (time.monotonic() - t) * 1000
                return r.status, (json.loads(out) if out else None), ms
            except (http.client.HTTPException, OSError):
                self.c.close()
                self.c = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))], 2)


def member_emails(data, url, n):
    sql = "SELECT email FROM users WHERE status = 'active' AND site_role = 'member' ORDER BY id LIMIT %d" % n
    if url:
        psql = shutil.which("psql") or next((os.path.join(d, "psql") for d in
                                             sorted(os.listdir("/usr/lib/postgresql"), reverse=True)
                                             for d in [os.path.join("/usr/lib/postgresql", d, "bin")]
                                             if os.path.exists(os.path.join(d, "psql"))), None)
        out = subprocess.run([psql, url, "-At", "-c", sql], capture_output=True, text=True, check=True).stdout
        return out.split()
    import sqlite3
    with sqlite3.connect(os.path.join(data, "respire.db")) as db:
        return [r[0] for r in db.execute(sql)]


def scenario(base, data, url=None, conns=None, members=None, saves=None, pause=None):
    conns = conns or int(os.environ.get("BENCH_CONNECTIONS", "64") or 64)
    members = members or int(os.environ.get("BENCH_MEMBERS", "450") or 450)
    saves = saves if saves is not None else int(os.environ.get("BENCH_SAVES", "3") or 3)
    pause = pause if pause is not None else float(os.environ.get("BENCH_PAUSE", "1.0") or 1.0)
    host, port = base.split("//")[1].split(":")
    port = int(port)
    db_args = ["--data", data] + (["--db", url] if url else [])
    r = subprocess.run([RESPIRE, "user", "add", "--email", ADMIN, "--name", "Bureau des appels", "--role", "admin",
                        "--password-stdin"] + db_args, input=PASSWORD + "\n", capture_output=True, text=True)
    if r.returncode != 0 and "taken" not in r.stderr and "exists" not in r.stderr:
        raise SystemExit(f"bench: proposals: cannot create the admin: {r.stderr}")
    admin = Client(host, port)
    st, b, _ = admin.call("POST", "/sessions", {"email": ADMIN, "password": PASSWORD})
    assert st == 201, (st, b)
    admin.token = b["token"]
    now = int(time.time())
    st, call, _ = admin.call("POST", "/calls", {
        "title": "Journées de l'innovation : appel du dernier jour", "description": "Banc d'essai.",
        "opens_at": now - 86400, "closes_at": now + 6 * 3600,
        "fields": [{"key": "resume", "label": "Résumé", "type": "longtext", "required": True},
                   {"key": "theme", "label": "Thème", "type": "choice", "required": True,
                    "options": ["Numérique", "Climat scolaire", "Inclusion"]}],
        "rubric": [{"key": "pertinence", "label": "Pertinence", "max": 10, "weight": 2}]})
    assert st == 201, (st, call)
    call_id = call["id"]

    emails = member_emails(data, url, members)
    assert len(emails) == members, f"{len(emails)} members in the data set, {members} wanted"
    log(f"signing in {members} members")
    tokens = [None] * members
    errors = []

    def sign_in(idx):
        c = Client(host, port)
        for i in idx:
            st, b, _ = c.call("POST", "/sessions", {"email": emails[i], "password": PASSWORD})
            if st != 201:
                errors.append(("sign in", st, b))
                continue
            tokens[i] = b["token"]
    threads = [threading.Thread(target=sign_in, args=(range(k, members, 4),)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"bench: proposals: {len(errors)} sign-ins failed: {errors[:3]}")

    lat = {"create": [], "patch": [], "submit": []}
    ids = [None] * members
    lock = threading.Lock()
    bad = []

    def worker(k):
        rnd = random.Random(k)
        clients = {}
        mine = list(range(k, members, conns))
        # the draft
        for i in mine:
            c = clients.setdefault(i, Client(host, port, tokens[i]))
            st, b, ms = c.call("POST", f"/calls/{call_id}/proposals",
                               {"title": f"Projet {i}", "answers": {"resume": "Premières lignes."}})
            with lock:
                lat["create"].append(ms)
                if st == 201:
                    ids[i] = b["id"]
                else:
                    bad.append(("create", st))
        # typing: a save every few seconds, then the submit
        text = "Nous avons mené en classe un projet coopératif. " * 20
        for s in range(saves):
            for i in mine:
                if not ids[i]:
                    continue
                time.sleep(rnd.uniform(0, 2 * pause) / max(1, len(mine)))
                st, b, ms = clients[i].call("PATCH", f"/proposals/{ids[i]}",
                                            {"answers": {"resume": text * (s + 1), "theme": "Numérique"}})
                with lock:
                    lat["patch"].append(ms)
                    if st != 200:
                        bad.append(("patch", st))
        for i in mine:
            if not ids[i]:
                continue
            st, b, ms = clients[i].call("POST", f"/proposals/{ids[i]}/submit")
            with lock:
                lat["submit"].append(ms)
                if st != 200 or b.get("status") != "submitted":
                    bad.append(("submit", st))

    log(f"{members} members, {conns} connections: draft, {saves} saves each, submit")
    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0

    # count: none lost, none twice
    seen, cursor = [], None
    while True:
        st, b, _ = admin.call("GET", f"/calls/{call_id}/proposals" + (f"?cursor={cursor}" if cursor else ""))
        assert st == 200, (st, b)
        seen += [(p["id"], p["status"]) for p in b["items"]]
        cursor = b["next"]
        if not cursor:
            break
    st, dash, _ = admin.call("GET", f"/calls/{call_id}/dashboard")
    submitted = [i for i, s in seen if s == "submitted"]
    out = {
        "members": members, "connections": conns, "saves_each": saves, "seconds": round(seconds, 1),
        "requests": sum(len(v) for v in lat.values()),
        "submit_p50_ms": pct(lat["submit"], 50), "submit_p99_ms": pct(lat["submit"], 99),
        "submit_max_ms": pct(lat["submit"], 100),
        "patch_p50_ms": pct(lat["patch"], 50), "patch_p99_ms": pct(lat["patch"], 99),
        "create_p99_ms": pct(lat["create"], 99),
        "proposals_counted": len(seen), "distinct": len({i for i, _ in seen}),
        "submitted": len(submitted), "dashboard_submitted": dash["by_status"].get("submitted", 0),
        "lost": members - len({i for i, _ in seen}), "duplicated": len(seen) - len({i for i, _ in seen}),
        "bad_answers": len(bad),
    }
    log(f"{out['requests']} requests in {out['seconds']} s; submit p50 {out['submit_p50_ms']} ms, p99 "
        f"{out['submit_p99_ms']} ms; save p99 {out['patch_p99_ms']} ms; counted {out['proposals_counted']} "
        f"({out['distinct']} distinct, {out['submitted']} submitted), {out['bad_answers']} bad answers")
    return out


def main():
    """Alone: a small fresh network (1,000 members), a server, the scenario."""
    db = os.environ.get("BENCH_DB", "sqlite") or "sqlite"
    tmp = tempfile.mkdtemp(prefix="respire-proposals-")
    url = None
    server = None
    try:
        data = os.path.join(tmp, "data")
        if db == "postgres":
            os.chmod(tmp, 0o755)
            url = subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "start",
                                  os.path.join(tmp, "pg")], capture_output=True, text=True, check=True).stdout.strip()
        log("seeding a small network (respire seed --scale 0.001)")
        subprocess.run([RESPIRE, "seed", "--scale", "0.001", "--data", data] + (["--db", url] if url else []),
                       check=True, capture_output=True)
        env = dict(os.environ)
        server = subprocess.Popen([RESPIRE, "serve", "--listen", "127.0.0.1:0", "--data", data]
                                  + (["--db", url] if url else []), stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(tmp, "server.log"), "ab"), env=env)
        line = server.stdout.readline().decode()
        base = line.split()[-1]
        out = scenario(base, data, url)
        print(json.dumps(dict(out, db=db), indent=1))
        ok = out["lost"] == 0 and out["duplicated"] == 0 and out["bad_answers"] == 0 and \
            out["submitted"] == out["members"]
        return 0 if ok else 1
    finally:
        if server:
            server.terminate()
            server.wait(60)
        if url:
            subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "stop", os.path.join(tmp, "pg")],
                           capture_output=True)
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
