"""Several stateless instances on one PostgreSQL behind nginx, sharing one files
folder: shared sessions, files and login throttling, live events across
instances, an instance killed under load loses no acknowledged write, a database
restart gives 503s then recovery (reads, writes and the live listener)."""
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import lib
from lib import expect

RUN_IN = ("sqlite",)  # brings its own PostgreSQL cluster: once is enough
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = {}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_instance(srv, data, url):
    env = dict(srv.env, RESPIRE_FILES=STATE["files"])  # one files folder for every instance
    proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", data, "--db", url],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(data, f"log-{time.time()}"), "wb"),
                            env=env)
    line = proc.stdout.readline().decode()
    assert line.startswith("listening on "), line
    base = line.split()[-1]
    return proc, lib.Server(srv.bin, data, base, ["--db", url], env)


def open_stream(server, token):
    """GET /events on server as token's member, read up to the first unread count: (socket, bytes)."""
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sock.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    got = b""
    end = time.time() + 5
    while b"event: unread" not in got and time.time() < end:
        got += sock.recv(4096)
    assert b" 200 " in got.split(b"\r\n", 1)[0] and b"event: unread" in got, got
    return sock, got


def read_until(sock, marker, seconds):
    """What the stream sends within seconds, stopping at marker (or at its end)."""
    got = b""
    end = time.time() + seconds
    while marker not in got and time.time() < end:
        sock.settimeout(max(0.05, end - time.time()))
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
    return got


def test_setup_cluster_two_instances_and_nginx(srv):
    assert shutil.which("nginx"), "nginx is needed (make deps-test installs it)"
    d = tempfile.mkdtemp(prefix="respire-multi-")
    os.chmod(d, 0o755)  # the cluster runs as the postgres user
    STATE["dir"] = d
    url = subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "start", os.path.join(d, "pg")],
                         capture_output=True, text=True, check=True).stdout.strip()
    STATE["url"], STATE["pgport"] = url, int(url.rsplit(":", 1)[1].split("/")[0])
    data_a, data_b = os.path.join(d, "a"), os.path.join(d, "b")
    os.makedirs(data_a)
    os.makedirs(data_b)
    STATE["files"], STATE["data_a"] = os.path.join(d, "files"), data_a
    STATE["a"], STATE["A"] = start_instance(srv, data_a, url)
    STATE["b"], STATE["B"] = start_instance(srv, data_b, url)
    ngx_port = free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/nginx-error.log;
daemon on;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream respire {{ server {STATE['A'].host}:{STATE['A'].port} max_fails=1 fail_timeout=2s;
                      server {STATE['B'].host}:{STATE['B'].port} max_fails=1 fail_timeout=2s; }}
  server {{
    listen 127.0.0.1:{ngx_port};
    location / {{ proxy_pass http://respire; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                 proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
}}
""")
    subprocess.run(["nginx", "-c", conf, "-p", d], check=True, capture_output=True)
    STATE["conf"] = conf
    STATE["lb"] = lib.Server(srv.bin, data_a, f"http://127.0.0.1:{ngx_port}", ["--db", url], srv.env)
    assert STATE["lb"].request("GET", "/").status == 200


def test_a_session_opened_on_one_instance_works_on_the_other(srv):
    A, B = STATE["A"], STATE["B"]
    uid = A.user("multi.anne@ac-paris.fr", "Anne Multi")
    B.user("multi.bob@ac-paris.fr", "Bob Multi")
    token = A.login("multi.anne@ac-paris.fr")
    r = B.api("GET", "/me", token=token)
    assert r.status == 200 and r.json()["id"] == uid, r
    STATE["ta"], STATE["tb"] = token, B.login("multi.bob@ac-paris.fr")
    # web sessions too: signed in through A, signed in on B
    w = A.web()
    w.login("multi.anne@ac-paris.fr")
    r = B.request("GET", "/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in w.cookies.items())})
    assert "Bonjour, Anne Multi" in r.text


def test_a_reply_through_one_instance_is_announced_live_on_the_other(srv):
    A, B = STATE["A"], STATE["B"]
    post = expect(B.api("POST", "/posts", {"kind": "discussion", "title": "Entre instances", "body": "?"},
                        token=STATE["ta"]), 201)["id"]
    sock = socket.create_connection((B.host, B.port), timeout=10)
    sock.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {STATE['ta']}\r\n\r\n".encode())
    got = b""
    end = time.time() + 5
    while b"event: unread" not in got and time.time() < end:
        got += sock.recv(4096)
    r = A.api("POST", f"/posts/{post}/replies", {"body": "Réponse via A"}, token=STATE["tb"])
    assert r.status == 201
    end = time.time() + 5
    while b"event: notification" not in got and time.time() < end:
        try:
            got += sock.recv(4096)
        except socket.timeout:
            break
    sock.close()
    assert b"event: notification" in got and "Entre instances".encode() in got, got


def test_files_uploaded_through_one_instance_are_served_by_the_other(srv):
    A, B = STATE["A"], STATE["B"]
    data = ("Fiche partagée entre instances\n".encode() * 4000) + bytes(range(9, 14)) + "é\n".encode()
    body, ctype = lib.multipart({"title": "Fiche multi-instance"}, {"file": ("partagée.txt", data, "text/plain")})
    r = A.api("POST", "/documents", raw=body, token=STATE["ta"], headers={"Content-Type": ctype})
    assert r.status == 201, r
    doc = r.json()
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
    r = B.api("GET", f"/documents/{doc['id']}/file", token=STATE["tb"])
    assert r.status == 200 and r.body == data, (r.status, len(r.body), len(data))
    r = B.api("GET", f"/documents/{doc['id']}/file", token=STATE["tb"], headers={"Range": "bytes=10-19"})
    assert r.status == 206 and r.body == data[10:20], r
    # in the shared folder, not in either instance's data folder
    stored = [f for _, _, fs in os.walk(os.path.join(STATE["files"], "objects")) for f in fs]
    assert doc["sha256"] in stored, stored
    assert not os.path.exists(os.path.join(STATE["data_a"], "objects"))
    # an avatar uploaded on B is served by A
    image = lib.png(12, 10)
    body, ctype = lib.multipart({}, {"avatar": ("moi.png", image, "image/png")})
    r = B.api("PUT", "/me/avatar", raw=body, token=STATE["tb"], headers={"Content-Type": ctype})
    assert r.status == 200, r
    r = A.request("GET", r.json()["avatar_url"], headers={"Authorization": "Bearer " + STATE["ta"]})
    assert r.status == 200 and r.headers.get("content-type") == "image/png" and r.body == image, r


def test_login_throttling_holds_across_instances(srv):
    A, B = STATE["A"], STATE["B"]
    A.user("multi.cible@ac-paris.fr", "Cible Multi")
    A.user("multi.autre@ac-paris.fr", "Autre Multi")
    wrong = {"email": "multi.cible@ac-paris.fr", "password": "ce n'est pas le bon"}
    for i, inst in enumerate([A, B, A, B, A]):  # LOGIN_MAX_PER_ADDRESS failures, spread over both
        r = inst.api("POST", "/sessions", wrong)
        assert r.status == 401, (i, r)
    for inst in (B, A):
        r = inst.api("POST", "/sessions", wrong)
        assert r.status == 429 and r.json()["error"]["code"] == "too_many_attempts", r
        r = inst.api("POST", "/sessions", {"email": "multi.cible@ac-paris.fr", "password": lib.PASSWORD})
        assert r.status == 429, r  # even the right password, for a while
    # another address is not concerned
    assert B.api("POST", "/sessions", {"email": "multi.autre@ac-paris.fr", "password": lib.PASSWORD}).status == 201


def test_killing_an_instance_under_load_loses_no_acknowledged_write(srv):
    lb = STATE["lb"]
    acknowledged, problems = [], []
    stop = threading.Event()
    post = expect(lb.api("POST", "/posts", {"kind": "discussion", "title": "Charge", "body": "fil"},
                         token=STATE["ta"]), 201)["id"]

    def writer(n):
        i = 0
        while not stop.is_set() and i < 200:
            i += 1
            body = f"écriture {n}-{i}"
            try:
                r = lb.api("POST", f"/posts/{post}/replies", {"body": body}, token=STATE["tb"])
            except OSError:
                continue  # not acknowledged: may or may not exist
            if r.status == 201:
                acknowledged.append(body)
            # while A dies, nginx answers for it: 502 (connection refused or reset) or 504 (timed out),
            # which one depending on where A was in the request; neither acknowledges a write
            elif r.status not in (502, 504):
                problems.append(r)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    STATE["a"].send_signal(signal.SIGKILL)
    STATE["a"].wait()
    time.sleep(1.5)
    stop.set()
    for t in threads:
        t.join()
    assert not problems, problems[:3]
    assert len(acknowledged) > 10, len(acknowledged)
    stored = set()
    cursor = ""
    while True:
        page = expect(STATE["B"].api("GET", f"/posts/{post}/replies{('?cursor=' + cursor) if cursor else ''}",
                                     token=STATE["ta"]), 200)
        stored.update(x["body"] for x in page["items"])
        if not page["next"]:
            break
        cursor = page["next"]
    missing = [b for b in acknowledged if b not in stored]
    assert not missing, missing[:5]
    assert STATE["lb"].request("GET", "/").status == 200  # B goes on serving


def burst(fn, n=8):
    """n requests at once (so that the pool hands out several connections): their statuses."""
    gate, out = threading.Barrier(n), [None] * n

    def one(i):
        gate.wait()
        try:
            out[i] = fn(i).status
        except OSError as e:
            out[i] = repr(e)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def all_replies(server, post, token):
    items, cursor = [], ""
    while True:
        page = expect(server.api("GET", f"/posts/{post}/replies{('?cursor=' + cursor) if cursor else ''}", token=token), 200)
        items += page["items"]
        if not page["next"]:
            return items
        cursor = page["next"]


def test_a_database_restart_gives_503_then_recovery_without_restarting(srv):
    STATE["a"], STATE["A"] = start_instance(srv, STATE["data_a"], STATE["url"])  # A again, after the kill
    A, B = STATE["A"], STATE["B"]
    post = expect(A.api("POST", "/posts", {"kind": "discussion", "title": "Redémarrage", "body": "?"},
                        token=STATE["ta"]), 201)["id"]
    STATE["post"] = post
    for inst in (A, B):  # several pooled connections on each instance, all of them broken by the restart
        assert burst(lambda i: inst.api("GET", "/me", token=STATE["ta"])) == [200] * 8
    STATE["before"], _ = open_stream(B, STATE["ta"])  # Anne streams on B through the outage
    pgdata = os.path.join(STATE["dir"], "pg", "data")
    binroot = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    pg_ctl = f"/usr/lib/postgresql/{binroot}/bin/pg_ctl"

    def as_pg(args):
        cmd = " ".join(args)
        if os.geteuid() == 0:
            return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", cmd], capture_output=True)
        return subprocess.run(["sh", "-c", cmd], capture_output=True)

    stopped = as_pg([pg_ctl, "-D", pgdata, "-m", "fast", "-w", "stop"])
    assert stopped.returncode == 0, stopped
    try:
        t0 = time.monotonic()
        r = B.api("GET", "/me", token=STATE["ta"])
        waited = time.monotonic() - t0
        assert r.status == 503 and r.json()["error"]["code"] == "unavailable", r
        assert waited < 5, f"a request waited {waited:.1f} s for the database that is down (fail fast)"
        assert B.request("GET", "/groups").status == 503
        for inst in (A, B):  # writes too: a JSON error with Retry-After, never a 500 or a hang
            r = inst.api("POST", f"/posts/{post}/replies", {"body": "pendant la panne"}, token=STATE["tb"])
            assert r.status == 503 and r.json()["error"]["code"] == "unavailable", r
            assert r.headers.get("retry-after") == "5", r.headers
    finally:
        started = as_pg([pg_ctl, "-D", pgdata, "-l", os.path.join(STATE["dir"], "pg", "server.log"), "-w", "-o",
                         f"\"-h 127.0.0.1 -p {STATE['pgport']} -k {os.path.join(STATE['dir'], 'pg')}\"", "start"])
        assert started.returncode == 0, started
    for inst in (A, B):
        assert lib.wait_until(lambda: inst.api("GET", "/me", token=STATE["ta"]).status == 200, timeout=10)


def test_after_the_restart_every_read_and_write_succeeds(srv):
    A, B, post = STATE["A"], STATE["B"], STATE["post"]
    # the database is back: no request may fail any more, whichever pooled connection it gets
    got = {}
    for rnd in range(2):
        for name, inst in (("A", A), ("B", B)):
            got[f"{name}{rnd} reads"] = burst(lambda i: inst.api("GET", f"/posts/{post}", token=STATE["tb"]))
            got[f"{name}{rnd} writes"] = burst(lambda i: inst.api("POST", f"/posts/{post}/replies",
                                                                  {"body": f"après la panne {name}{rnd}-{i}"},
                                                                  token=STATE["ta"]))
    written = sum(x.count(201) for k, x in got.items() if k.endswith("writes"))
    replies = all_replies(B, post, STATE["tb"])
    assert not any(x["body"] == "pendant la panne" for x in replies), replies
    assert sum(x["body"].startswith("après la panne") for x in replies) == written
    bad = {k: x for k, x in got.items() if x != [200 if k.endswith("reads") else 201] * 8}
    assert not bad, bad
    assert written == 2 * 2 * 8, got


def test_after_the_restart_the_live_listener_recovers(srv):
    A, B, post, before = STATE["A"], STATE["B"], STATE["post"], STATE["before"]
    # a reply through A is announced on B, to a stream opened now and to the one that stayed
    # open through the outage
    after, _ = open_stream(B, STATE["ta"])
    read_until(before, b"\0", 0.3)  # drop what the old stream said meanwhile
    r = A.api("POST", f"/posts/{post}/replies", {"body": "Réponse après le redémarrage"}, token=STATE["tb"])
    assert r.status == 201, r
    got_after = read_until(after, b"event: notification", 5)
    got_before = read_until(before, b"event: notification", 2)
    after.close()
    before.close()
    assert b"event: notification" in got_after and "Redémarrage".encode() in got_after, got_after
    assert b"event: notification" in got_before, got_before


def test_teardown(srv):
    try:
        subprocess.run(["nginx", "-c", STATE["conf"], "-p", STATE["dir"], "-s", "stop"], capture_output=True)
        for k in ("a", "b"):
            p = STATE[k]
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                assert p.wait(timeout=30) == 0, k
    finally:
        subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-cluster.sh"), "stop",
                        os.path.join(STATE["dir"], "pg")], capture_output=True)
        shutil.rmtree(STATE["dir"], ignore_errors=True)
