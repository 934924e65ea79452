"""A server killed twenty times (SIGKILL) in the middle of a mixed write load:
posts, replies, room messages and uploads. Afterwards every write it
acknowledged is there, the counters equal what they count, search finds every
acknowledged post, and on SQLite the database and its full-text index pass
their integrity checks. (Two PostgreSQL instances with one killed:
test_multi_instance.py.)"""
import hashlib
import os
import random
import signal
import sqlite3
import threading
import time
import urllib.parse

from lib import expect, multipart

KILLS = 20


def word(i):
    """A search word of letters only, one per post: zq + i in base 26 (searched
    as a quoted phrase: exactly, not as the prefix of the others)."""
    s = ""
    while True:
        s = chr(ord("a") + i % 26) + s
        i //= 26
        if not i:
            return "zq" + s + "w"


def pages(srv, token, path, key="cursor"):
    items, cursor = [], None
    for _ in range(200):
        sep = "&" if "?" in path else "?"
        b = expect(srv.api("GET", path + (f"{sep}{key}={cursor}" if cursor else ""), token=token), 200)
        items.extend(b["items"])
        cursor = b.get("next")
        if not cursor:
            return items
    raise AssertionError(path + ": too many pages")


def test_every_acknowledged_write_survives_twenty_kills(srv):
    a_id, a = srv.member("crash.anne@ac-lyon.fr", "Anne Crash")
    b_id, b = srv.member("crash.bruno@ac-lyon.fr", "Bruno Crash")
    thread = expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "Fil du crash", "body": "Des réponses.",
                                               "visibility": "members"}, token=a), 201)["id"]
    expect(srv.api("POST", "/contacts", {"user_id": b_id}, token=a), 201)
    expect(srv.api("POST", f"/contacts/{a_id}/accept", token=b), 200)
    room = expect(srv.api("POST", "/conversations", {"user_ids": [b_id]}, token=a), 201)["id"]
    acked = {"posts": {}, "replies": set(), "messages": set(), "docs": {}}
    lock = threading.Lock()
    counter = [0]
    attempts = [0]

    def next_i():
        with lock:
            counter[0] += 1
            return counter[0]

    def write(kind, i):
        if kind == "post":
            return srv.api("POST", "/posts", {"kind": "discussion", "title": f"Billet {word(i)}", "body": "Écrit sous charge.",
                                              "visibility": "members"}, token=a)
        if kind == "reply":
            return srv.api("POST", f"/posts/{thread}/replies", {"body": f"Réponse {i}"}, token=b)
        if kind == "message":
            return srv.api("POST", f"/rooms/{room}/messages", {"body": f"Message {i}"}, token=a)
        data = f"fichier {i}\n".encode() * (50 + i % 200)
        body, ctype = multipart({"title": f"Fiche {i}", "visibility": "members"},
                                [("file", (f"f{i}.txt", data, "text/plain"))])
        return srv.api("POST", "/documents", raw=body, token=b, headers={"Content-Type": ctype}), data

    def writer(kind, stop):
        while not stop.is_set():
            i = next_i()
            with lock:
                attempts[0] += 1
            try:
                got = write(kind, i)
            except OSError:
                time.sleep(0.01)  # refused or reset: not acknowledged
                continue
            r, data = got if kind == "doc" else (got, None)
            if r.status != 201:
                assert r.status in (429, 503), (kind, r)  # never a 500
                continue
            new = r.json()["id"]
            with lock:
                if kind == "post":
                    acked["posts"][new] = word(i)
                elif kind == "reply":
                    acked["replies"].add(new)
                elif kind == "message":
                    acked["messages"].add(new)
                else:
                    acked["docs"][new] = hashlib.sha256(data).hexdigest()

    rng = random.Random(20261207)
    for k in range(KILLS):
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(kind, stop))
                   for kind in ("post", "post", "reply", "message", "doc")]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.15, 0.6))
        os.kill(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait()
        stop.set()
        for t in threads:
            t.join(timeout=40)
            assert not t.is_alive(), "a writer hung after the kill"
        srv.restart()

    n = {k: len(v) for k, v in acked.items()}
    assert all(n.values()), f"every kind was acknowledged at least once: {n} of {attempts[0]} attempts"

    # Posts: each one readable, with its words, and found by search.
    for pid, w in acked["posts"].items():
        p = expect(srv.api("GET", f"/posts/{pid}", token=a), 200)
        assert w in p["title"], p
        found = expect(srv.api("GET", "/search?" + urllib.parse.urlencode({"q": '"%s"' % w, "type": "post"}),
                               token=a), 200)
        assert pid in [x["id"] for x in found["items"]], f"search lost post {pid} ({w}): {found}"
    # Replies: all listed, and the thread's counter says as many as are listed.
    replies = pages(srv, a, f"/posts/{thread}/replies")
    listed = {x["id"] for x in replies}
    assert acked["replies"] <= listed, f"lost replies: {sorted(acked['replies'] - listed)[:10]}"
    p = expect(srv.api("GET", f"/posts/{thread}", token=a), 200)
    assert p["reply_count"] == len(listed), (p["reply_count"], len(listed))
    # Messages: all in the room's history.
    history, before = set(), None
    for _ in range(500):
        q = f"/rooms/{room}/messages?limit=100" + (f"&before={before}" if before else "")
        page = expect(srv.api("GET", q, token=b), 200)
        history |= {m["id"] for m in page["items"]}
        before = page.get("next")
        if not before:
            break
    assert acked["messages"] <= history, f"lost messages: {sorted(acked['messages'] - history)[:10]}"
    # Uploads: each document there, its bytes intact.
    for did, sha in acked["docs"].items():
        expect(srv.api("GET", f"/documents/{did}", token=b), 200)
        r = srv.request("GET", f"/api/v1/documents/{did}/file", headers={"Authorization": f"Bearer {b}"})
        assert r.status == 200 and hashlib.sha256(r.body).hexdigest() == sha, f"document {did} damaged"

    # SQLite: the file and its full-text index are sound (checked with the server stopped).
    db = os.path.join(srv.data, "respire.db")
    if os.path.exists(db) and not srv.db_args:
        srv.proc.send_signal(signal.SIGTERM)
        srv.proc.wait(timeout=40)
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            con.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
        finally:
            con.close()
        srv.restart()
