"""Operations (issue 24): /healthz (database, disk of the files folder, mail
queue; 200 or 503), /metrics in the Prometheus text format (requests by route
and status, a latency histogram, live streams, the database pool, queue
depths), and respire backup / restore: a backup taken under a write load
restores with nothing lost, and the restored folder (or database) serves."""
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse

import lib
from lib import expect

# Mail cannot leave (nothing listens on port 9): a verification mail stays queued.
SERVER_ENV = {"RESPIRE_SMTP_URL": "smtp://127.0.0.1:9"}
W = {}
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? '
                    r'(-?[0-9.eE+-]+|\+Inf|NaN)$')


def test_world(srv):
    W["admin"], W["tadmin"] = srv.member("ops.admin@ac-lyon.fr", "Ops Admin", admin=True)
    W["alice"], W["talice"] = srv.member("ops.alice@ac-lyon.fr", "Ops Alice")


def test_healthz_reports_database_disk_and_mail_queue(srv):
    r = srv.request("GET", "/healthz")
    h = expect(r, 200)
    assert h["status"] == "ok" and h["database"]["ok"] is True and h["database"]["ms"] >= 0, h
    assert h["disk"]["ok"] is True and 0 < h["disk"]["free_bytes"] <= h["disk"]["total_bytes"], h
    assert h["mail_queue"]["ok"] is True and h["mail_queue"]["depth"] == 0, h
    assert r.headers["cache-control"] == "no-store"
    # a mail that cannot leave: the queue grows; two hours later it is unhealthy (503)
    expect(srv.api("POST", "/accounts", {"email": "ops.waiting@ac-lyon.fr", "password": lib.PASSWORD,
                                         "name": "En attente"}), 201)
    h = expect(srv.request("GET", "/healthz"), 200)
    assert h["mail_queue"]["depth"] == 1, h
    srv.set_clock("+7200")
    try:
        h = expect(srv.request("GET", "/healthz"), 503)
        assert h["status"] == "fail" and h["mail_queue"]["ok"] is False and h["mail_queue"]["oldest_age"] >= 7000, h
        assert h["database"]["ok"] is True
    finally:
        srv.set_clock(None)
    expect(srv.request("GET", "/healthz"), 200)


def parse_metrics(text):
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        m = SAMPLE.match(line)
        assert m, "not a Prometheus sample line: %r" % line
        labels = tuple(sorted(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or "")))
        key = (m.group(1), labels)
        assert key not in samples, "sample twice: %r" % (key,)
        samples[key] = float(m.group(4))
    return samples, types


def test_metrics_in_the_prometheus_text_format(srv):
    for _ in range(3):
        srv.request("GET", "/healthz")
    srv.request("GET", "/no-such-page")
    expect(srv.api("GET", "/admin/members", token=W["talice"]), 404)
    # a live stream, open while the metrics are read
    sock = socket.create_connection((srv.host, srv.port), timeout=10)
    sock.sendall(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
                  % W["talice"]).encode())
    got = b""
    while b"event: unread" not in got:
        got += sock.recv(4096)
    try:
        r = srv.request("GET", "/metrics")
        assert r.status == 200 and r.headers["content-type"].startswith("text/plain; version=0.0.4"), r
        samples, types = parse_metrics(r.text)
    finally:
        sock.close()
    assert types["respire_http_requests_total"] == "counter"
    assert types["respire_http_request_duration_seconds"] == "histogram"
    for g in ("respire_live_streams", "respire_db_pool_size", "respire_db_pool_open", "respire_db_pool_in_use",
              "respire_queue_depth", "respire_up", "respire_disk_free_bytes"):
        assert types[g] == "gauge", g

    def value(name, **labels):
        return samples.get((name, tuple(sorted(labels.items()))))

    assert value("respire_http_requests_total", route="/healthz", method="GET", status="200") >= 3
    assert value("respire_http_requests_total", route="unmatched", method="GET", status="404") >= 1
    assert value("respire_http_requests_total", route="/api/v1/admin/members", method="GET", status="404") >= 1
    buckets = sorted(((float("inf") if dict(k[1])["le"] == "+Inf" else float(dict(k[1])["le"])), v)
                     for k, v in samples.items() if k[0] == "respire_http_request_duration_seconds_bucket")
    assert len(buckets) >= 10 and buckets[-1][0] == float("inf")
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), buckets
    count = value("respire_http_request_duration_seconds_count")
    assert buckets[-1][1] == count and count >= 5 and value("respire_http_request_duration_seconds_sum") > 0
    assert value("respire_live_streams") >= 1
    assert value("respire_db_pool_size") >= 1 and value("respire_db_pool_open") >= 1
    assert value("respire_up") == 1
    assert value("respire_queue_depth", queue="mail") == 1      # the mail of the test above
    for q in ("mail_failed", "thumbnails", "texts", "reports"):
        assert value("respire_queue_depth", queue=q) is not None, q
    # an admin's session reads them too (here from loopback anyway); no one else is told they exist
    w = srv.web()
    w.login("ops.admin@ac-lyon.fr")
    assert w.get("/metrics").status == 200


def count_rows(srv, where, sql):
    """Rows of a restored copy: a SQLite file, or a PostgreSQL URL."""
    if where.startswith("postgres"):
        out = subprocess.run(["psql", where, "-At", "-c", sql], capture_output=True, text=True, check=True)
        return [line for line in out.stdout.splitlines() if line]
    con = sqlite3.connect(where)
    try:
        return ["|".join(str(c) for c in row) for row in con.execute(sql)]
    finally:
        con.close()


def fresh_database(srv, name):
    url = srv.db_args[1]
    u = urllib.parse.urlparse(url)
    admin = u._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-q", "-c", 'CREATE DATABASE "%s"' % name], check=True, capture_output=True)
    return u._replace(path="/" + name).geturl()


def test_backup_under_write_load_restores_with_nothing_lost(srv):
    pg = bool(srv.db_args)
    tmp = tempfile.mkdtemp(prefix="respire-backup-")
    bk = os.path.join(tmp, "backup")
    # a document, so that the copy carries files too
    body, ctype = lib.multipart({"title": "Programme"}, [("file", ("prog.txt", b"programme de l'annee", "text/plain"))])
    doc = expect(srv.api("POST", "/documents", raw=body, token=W["talice"], headers={"Content-Type": ctype}), 201)["id"]
    acked, stop, errors = [], threading.Event(), []

    def writer(n):
        i = 0
        while not stop.is_set():
            i += 1
            r = srv.api("POST", "/posts", {"kind": "discussion", "title": "Charge %d-%d" % (n, i), "body": "x" * 200,
                                           "visibility": "members"}, token=W["talice"])
            if r.status == 201:
                acked.append((r.json()["id"], time.time()))
            elif r.status != 503:
                errors.append(r)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.0)
        t_start = time.time()
        out = subprocess.run([srv.bin, "backup", bk, "--data", srv.data] + srv.db_args, capture_output=True,
                             text=True, env=srv.env, timeout=120)
        t_end = time.time()
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert out.returncode == 0, out.stderr
    assert not errors, errors[:3]
    assert "written to" in out.stdout and os.path.exists(os.path.join(bk, "BACKUP")), out.stdout
    before = {i for i, t in acked if t < t_start}
    after = {i for i, t in acked if t > t_end}
    assert len(before) >= 10 and after, (len(before), len(after))
    # a second backup into the same, non-empty folder is refused
    again = subprocess.run([srv.bin, "backup", bk, "--data", srv.data] + srv.db_args, capture_output=True,
                           text=True, env=srv.env, timeout=60)
    assert again.returncode == 1 and "not empty" in again.stderr, again

    restored = os.path.join(tmp, "restored")
    args = ["--data", restored]
    if pg:
        url = fresh_database(srv, "t_restore_%d_%d" % (os.getpid(), int(time.time() * 1000) % 100000))
        args += ["--db", url]
        where = url
    else:
        where = os.path.join(restored, "respire.db")
    env = {k: v for k, v in srv.env.items() if k != "RESPIRE_CLOCK_FILE"}
    out = subprocess.run([srv.bin, "restore", bk] + args, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "restored" in out.stdout, out.stdout
    ids = {int(x) for x in count_rows(srv, where, "SELECT id FROM posts WHERE author_id = %d" % W["alice"])}
    # nothing acknowledged before the backup began is missing; nothing written after it ended is there
    assert before <= ids, sorted(before - ids)[:10]
    assert not (after & ids), sorted(after & ids)[:10]
    # one consistent state: every post in the copy has its revision and its activity
    revs = {int(x) for x in count_rows(srv, where, "SELECT post_id FROM post_revisions")}
    acts = {int(x) for x in count_rows(srv, where, "SELECT post_id FROM activities WHERE post_id IS NOT NULL")}
    assert ids <= revs and ids <= acts
    # restoring again over it is refused
    out = subprocess.run([srv.bin, "restore", bk] + args, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1, out

    # the restored network serves: sign in, read a post and the document's file
    log = open(os.path.join(tmp, "restored.log"), "ab")
    proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0"] + args, stdout=subprocess.PIPE,
                            stderr=log, env=env)
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("listening on "), line
        other = lib.Server(srv.bin, restored, line.split()[-1], args[2:], env)
        tok = other.login("ops.alice@ac-lyon.fr")
        expect(other.api("GET", "/posts/%d" % max(before), token=tok), 200)
        f = other.api("GET", "/documents/%d/file" % doc, token=tok)
        assert f.status == 200 and f.body == b"programme de l'annee", f
    finally:
        proc.terminate()
        assert proc.wait(timeout=40) == 0
        log.close()
    if not pg:
        # the backup folder itself is a data folder that serve opens
        proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", bk], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
        try:
            line = proc.stdout.readline().decode()
            assert line.startswith("listening on "), line
            other = lib.Server(srv.bin, bk, line.split()[-1], [], env)
            expect(other.api("GET", "/posts/%d" % max(before), token=other.login("ops.alice@ac-lyon.fr")), 200)
        finally:
            proc.terminate()
            assert proc.wait(timeout=40) == 0
    shutil.rmtree(tmp, ignore_errors=True)


def test_backup_and_restore_refuse_bad_input(srv):
    r = subprocess.run([srv.bin, "backup"], capture_output=True, text=True, env=srv.env)
    assert r.returncode == 2 and "DIR is required" in r.stderr, r
    r = subprocess.run([srv.bin, "backup", "/tmp/a", "/tmp/b"], capture_output=True, text=True, env=srv.env)
    assert r.returncode == 2, r
    r = subprocess.run([srv.bin, "backup", "--help"], capture_output=True, text=True, env=srv.env)
    assert r.returncode == 0 and "respire backup DIR" in r.stdout, r
    d = tempfile.mkdtemp(prefix="respire-notbackup-")
    r = subprocess.run([srv.bin, "restore", d, "--data", os.path.join(d, "x")], capture_output=True, text=True,
                       env=srv.env)
    assert r.returncode == 1 and "not a backup" in r.stderr, r
    shutil.rmtree(d, ignore_errors=True)
