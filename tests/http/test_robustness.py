"""Hostile and broken requests, concurrency, crashes: clear 4xx answers, the
server keeps serving, committed data survives."""
import json
import os
import signal
import subprocess
import threading
import time

from lib import PASSWORD, expect, wait_until


def alive(srv):
    return srv.request("GET", "/").status == 200


def test_garbage_and_broken_requests(srv):
    srv.raw(b"\x00\x01\x02garbage\r\n\r\n")
    srv.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n")
    srv.raw(b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    srv.raw(b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"b" * 200000 + b"\r\n\r\n")
    srv.raw(b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"email\":", read=False)
    srv.raw(b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    srv.raw(b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
    # many clients that vanish mid-body at once
    for _ in range(20):
        srv.raw(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 50000\r\n\r\nemail=a", read=False)
    assert alive(srv)
    r = srv.api("POST", "/accounts", {"email": "after.garbage@ac-dijon.fr", "password": PASSWORD, "name": "Après"})
    assert r.status == 201, r


def status_of(reply):
    line = reply.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 2 and line.startswith(b"HTTP/1.") and parts[1].isdigit() else None


def test_hostile_requests_get_4xx_answers_never_5xx(srv):
    cases = [
        (b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "very long URL", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 200000 + b"\r\n\r\n", "very long header", 431),
        (b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", "bad Content-Length", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "negative Content-Length", 400),
        (b"BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "unknown method", 405),
        (b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Content-Length: 6\r\nConnection: close\r\n\r\n\xff\xfe\x00{}]", "binary JSON", 400),
        (b"GET /api/v1/users/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "NUL in the path", 400),
        # a short query with more parameters than libmicrohttpd can record (found by fuzz_http: it hung)
        (b"GET /search?" + b"&" * 400 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "crowded query", 414),
        (b"GET /api/v1/search?q=a" + b"&x" * 200 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
         "crowded API query", 414),
        (b"GET /api/v1/search?q=a" + b"&x" * 100 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
         "a hundred parameters", 200),
    ]
    got = [(what, status_of(srv.raw(data, timeout=10))) for data, what, _ in cases]
    reply = srv.raw(b"GET /api/v1/search?" + b"&" * 300 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b'"code":"query_too_long"' in reply, reply[:400]
    assert got == [(what, want) for _, what, want in cases], got
    assert alive(srv)


def test_multipart_parts_without_a_name_are_refused(srv):
    """A part with no name (or an empty disposition) on any form route: 400, and the server goes on."""
    uid, token = srv.member("nameless.part@ac-dijon.fr", "Sans Nom")
    bodies = [b"--bq\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--bq--\r\n",
              b"--bq\r\nContent-Disposition: form-data; filename=\"a.png\"\r\n\r\nabc\r\n--bq--\r\n",
              b"--bq\r\n\r\nabc\r\n--bq--\r\n"]
    for path, auth in [("/login", b""), ("/register", b""), ("/lang", b""),
                       ("/api/v1/me/avatar", b"Authorization: Bearer " + token.encode() + b"\r\n"),
                       ("/api/v1/documents", b"Authorization: Bearer " + token.encode() + b"\r\n")]:
        for body in bodies:
            method = b"PUT" if path.endswith("avatar") else b"POST"
            data = (method + b" " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth +
                    b"Content-Type: multipart/form-data; boundary=bq\r\nContent-Length: " +
                    str(len(body)).encode() + b"\r\n\r\n" + body)
            st = status_of(srv.raw(data, timeout=10))
            assert st == 400, (path, body, st)
            assert alive(srv), (path, body)


def test_json_bodies_up_to_the_limit_are_read_and_one_byte_more_is_413(srv):
    limit = 1024 * 1024
    head = (b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n")
    reply = srv.raw(head % limit + b" " * limit, timeout=20)
    assert status_of(reply) == 400 and b"invalid_json" in reply, reply[:300]  # read, then parsed
    reply = srv.raw(head % (limit + 1) + b" " * (limit + 1), timeout=20)
    assert status_of(reply) == 413 and b"body_too_large" in reply, reply[:300]
    assert alive(srv)


def test_a_body_over_the_limit_is_413(srv):
    # Declared too large: the answer comes before the body is read.
    reply = srv.raw(b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 2097152\r\n\r\n" + b"{" * 1000, timeout=10)
    assert b" 413 " in reply.split(b"\r\n")[0] and b"body_too_large" in reply, reply[:300]
    reply = srv.raw(b"POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    b"Content-Type: application/json\r\nConnection: close\r\n\r\n"
                    + b"".join(b"100000\r\n" + b"a" * 0x100000 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n", timeout=20)
    assert b" 413 " in reply.split(b"\r\n")[0], reply[:200]
    assert alive(srv)


def test_invalid_utf8_and_control_characters(srv):
    r = srv.request("GET", "/api/v1/users?q=%FF%FE", headers={"Authorization": "Bearer x"})
    assert r.status == 401
    uid = srv.user("utf8.check@ac-dijon.fr", "Vérification")
    tok = srv.login("utf8.check@ac-dijon.fr")
    r = srv.request("GET", "/api/v1/users?q=%FF%FE", headers={"Authorization": "Bearer " + tok})
    expect(r, 400, "invalid_parameter")
    r = srv.api("PATCH", "/me", raw=b'{"bio": "\xc3\x28"}', token=tok, headers={"Content-Type": "application/json"})
    expect(r, 400, "invalid_json")
    r = srv.api("PATCH", "/me", {"name": "a\x07b"}, token=tok)
    expect(r, 422, "invalid_field")
    assert expect(srv.api("GET", f"/users/{uid}", token=tok), 200)["name"] == "Vérification"


def test_concurrent_registrations_and_logins(srv):
    problems = []

    def work(i):
        try:
            email = f"parallel{i}@ac-dijon.fr"
            r = srv.api("POST", "/accounts", {"email": email, "password": PASSWORD, "name": f"Parallel {i}"})
            if r.status != 201:
                problems.append(("register", i, r))
            srv.user(f"cli{i}@ac-dijon.fr", f"Cli {i}")
            r = srv.api("POST", "/sessions", {"email": f"cli{i}@ac-dijon.fr", "password": PASSWORD})
            if r.status != 201:
                problems.append(("login", i, r))
            elif srv.api("GET", "/me", token=r.json()["token"]).status != 200:
                problems.append(("me", i))
        except Exception as e:  # noqa: BLE001 - any failure is the test's finding
            problems.append(("exception", i, e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not problems, problems[:5]


def test_racing_registrations_of_one_address_make_one_account(srv):
    statuses = []

    def register(i):
        email = "race.same@ac-dijon.fr" if i % 2 else "Race.Same@AC-Dijon.fr"
        try:
            statuses.append(srv.api("POST", "/accounts", {"email": email, "password": PASSWORD, "name": f"R{i}"}).status)
        except Exception as e:  # noqa: BLE001
            statuses.append(repr(e))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses, key=str) == [201] + [409] * 11, statuses
    assert len(srv.mails("race.same@ac-dijon.fr")) == 1


def test_killing_the_server_loses_no_committed_write(srv):
    r = srv.api("POST", "/accounts", {"email": "survivor@ac-dijon.fr", "password": PASSWORD, "name": "Survivant"})
    assert r.status == 201, r
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait()
    srv.restart()
    r = srv.api("POST", "/accounts", {"email": "survivor@ac-dijon.fr", "password": PASSWORD, "name": "Survivant"})
    expect(r, 409, "email_taken")  # still there
    token = srv.mail_token("survivor@ac-dijon.fr")
    assert srv.api("POST", "/accounts/verify", {"token": token}).status == 200


def test_in_flight_requests_finish_on_sigterm(srv):
    results = []

    def slow_login():
        # argon2id makes a login take a while: long enough to be in flight.
        results.append(srv.api("POST", "/sessions", {"email": "survivor@ac-dijon.fr", "password": PASSWORD}).status)

    threads = [threading.Thread(target=slow_login) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    srv.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join()
    assert srv.proc.wait(timeout=30) == 0
    assert results == [201] * 4, results
    srv.restart()
    assert alive(srv)
