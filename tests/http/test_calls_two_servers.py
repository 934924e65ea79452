"""The deadline of a call through two servers sharing one PostgreSQL (issue 20).
Both judge it in the statement that writes, with the domain clock (here one
clock file for both): a submit in the last second is accepted through either,
a submit at closes_at is refused through both, and a proposal submitted
through both at the same moment is submitted once."""
import os
import shutil
import subprocess
import tempfile
import threading
import time

import lib
from lib import expect

RUN_IN = ("postgres",)  # two instances on one database: PostgreSQL's case
S = {}
CLOSES = int(time.time()) + 10 * 86400


def test_setup_a_second_server_on_the_same_database(srv):
    data = tempfile.mkdtemp(prefix="respire-second-")
    log = open(os.path.join(data, "server.log"), "wb")
    proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", data] + srv.db_args,
                            stdout=subprocess.PIPE, stderr=log, env=srv.env)  # the same clock file
    line = proc.stdout.readline().decode()
    assert line.startswith("listening on "), line
    S.update(proc=proc, data=data, b=lib.Server(srv.bin, data, line.split()[-1], srv.db_args, srv.env))
    _, S["admin"] = srv.member("deux.admin@ac-nice.fr", "Deux Admin", admin=True)
    S["call"] = expect(srv.api("POST", "/calls", {
        "title": "Appel à deux serveurs", "opens_at": int(time.time()) - 60, "closes_at": CLOSES,
        "fields": [{"key": "resume", "label": "Résumé", "type": "longtext", "required": True}],
        "rubric": [{"key": "q", "label": "Qualité", "max": 5, "weight": 1}]}, token=S["admin"]), 201)["id"]
    for i in range(1, 5):
        _, S["t%d" % i] = srv.member("deux.auteur%d@ac-nice.fr" % i, "Auteur %d" % i)
        S["p%d" % i] = expect(srv.api("POST", "/calls/%s/proposals" % S["call"], {
            "title": "Proposition %d" % i, "answers": {"resume": "Texte"}}, token=S["t%d" % i]), 201)["id"]


def both_at_once(servers, path, token):
    """POST path through each server at the same moment: their statuses."""
    out = [None] * len(servers)
    go = threading.Barrier(len(servers))

    def one(k):
        go.wait()
        out[k] = servers[k].api("POST", path, token=token)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(len(servers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return out


def test_the_last_second_is_open_through_either_server(srv):
    a, b = srv, S["b"]
    try:
        srv.set_clock(CLOSES - 1)
        assert expect(a.api("POST", "/proposals/%s/submit" % S["p1"], token=S["t1"]), 200)["status"] == "submitted"
        assert expect(b.api("POST", "/proposals/%s/submit" % S["p2"], token=S["t2"]), 200)["status"] == "submitted"
        # one proposal through both at once: submitted once, whoever answers second says so or agrees
        got = both_at_once([a, b], "/proposals/%s/submit" % S["p3"], S["t3"])
        assert all(r.status in (200, 422) for r in got), got
        assert any(r.status == 200 for r in got), got
        assert all(r.status == 200 or r.json()["error"]["code"] == "invalid_status" for r in got), got
        p3 = expect(b.api("GET", "/proposals/%s" % S["p3"], token=S["t3"]), 200)
        assert p3["status"] == "submitted" and p3["submitted_at"] == CLOSES - 1, p3
    finally:
        srv.set_clock(None)


def test_at_closes_at_both_servers_refuse(srv):
    a, b = srv, S["b"]
    try:
        srv.set_clock(CLOSES)
        for server in (a, b):
            expect(server.api("POST", "/proposals/%s/submit" % S["p4"], token=S["t4"]), 422, "call_closed")
            expect(server.api("PATCH", "/proposals/%s" % S["p4"], {"title": "Trop tard"}, token=S["t4"]), 422,
                   "call_closed")
        got = both_at_once([a, b], "/proposals/%s/submit" % S["p4"], S["t4"])
        assert [r.status for r in got] == [422, 422], got
        assert all(r.json()["error"]["code"] == "call_closed" for r in got), got
        # the managers' list, through either server: the three submitted ones, each once
        for server in (a, b):
            items = expect(server.api("GET", "/calls/%s/proposals?status=submitted" % S["call"],
                                      token=S["admin"]), 200)["items"]
            assert sorted(x["id"] for x in items) == sorted([S["p1"], S["p2"], S["p3"]]), items
        assert expect(b.api("GET", "/proposals/%s" % S["p4"], token=S["t4"]), 200)["status"] == "draft"
    finally:
        srv.set_clock(None)


def test_teardown(srv):
    proc = S.get("proc")
    if proc:
        proc.terminate()
        assert proc.wait(timeout=40) == 0
    if S.get("data"):
        shutil.rmtree(S["data"], ignore_errors=True)
