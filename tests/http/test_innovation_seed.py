"""The seeder's innovation records reach the home feed (issue 19): `respire seed` writes each
record's creation as an activity by its coordinator, in the activities' time order, so that the
measured member's feed shows the records of their circle among posts and documents. A small
network (scale 0.002: 14 records) seeded into a data folder (and on PostgreSQL a database) of
its own, then served."""
import json
import select
import shutil
import signal
import subprocess
import tempfile
import urllib.parse
import urllib.request

MEMBER = ("camille.bernard@ac-versailles.fr", "respire-bench-2026")   # the seeder's measured member


def fresh_db(srv):
    """[] on SQLite; on PostgreSQL ["--db", URL] of a new database beside the module's."""
    if not srv.db_args:
        return []
    u = urllib.parse.urlparse(srv.db_args[-1])
    name = u.path.lstrip("/") + "_seed"
    admin = u._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-q", "-c", 'DROP DATABASE IF EXISTS "%s"' % name], check=True,
                   capture_output=True)
    subprocess.run(["psql", admin, "-q", "-c", 'CREATE DATABASE "%s"' % name], check=True, capture_output=True)
    return ["--db", u._replace(path="/" + name).geturl()]


def call(base, method, path, body=None, token=None):
    req = urllib.request.Request(base + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read().decode())


def test_seeded_records_are_in_the_feed(srv):
    data = tempfile.mkdtemp(prefix="respire-seed-")
    db = fresh_db(srv)
    env = dict(srv.env)
    env.pop("RESPIRE_CLOCK_FILE", None)
    proc = None
    try:
        r = subprocess.run([srv.bin, "seed", "--scale", "0.002", "--data", data] + db, capture_output=True,
                           text=True, env=env, timeout=600)
        assert r.returncode == 0 and "innovations=14" in r.stdout, (r.stdout[-500:], r.stderr[-500:])
        proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", data] + db,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline().decode() if ready else ""
        assert line.startswith("listening on http://"), line
        base = line.split()[-1]
        token = call(base, "POST", "/sessions", {"email": MEMBER[0], "password": MEMBER[1]})["token"]
        seen, times, cursor = [], [], None
        for _ in range(60):                       # the feed, page after page
            page = call(base, "GET", "/feed" + ("?cursor=%s" % cursor if cursor else ""), token=token)
            for a in page["items"]:
                times.append(a["created_at"])
                if a.get("innovation"):
                    seen.append(a)
            cursor = page["next"]
            if not cursor:
                break
        assert times == sorted(times, reverse=True), "the feed is not newest first"
        assert len(seen) >= 2, "no seeded record in the measured member's feed"
        for a in seen:
            x = call(base, "GET", "/innovations/%s" % a["innovation"]["id"], token=token)
            assert a["verb"] == "innovation" and a["actor"]["id"] == x["coordinator"]["id"], (a, x["coordinator"])
            assert a["created_at"] == x["created_at"], (a, x["created_at"])
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        shutil.rmtree(data, ignore_errors=True)
        if db:
            u = urllib.parse.urlparse(db[-1])
            subprocess.run(["psql", u._replace(path="/postgres").geturl(), "-q", "-c",
                            'DROP DATABASE IF EXISTS "%s"' % u.path.lstrip("/")], capture_output=True)
