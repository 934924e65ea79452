"""The adviser's queue (issue 19): /innovations/queue and its API, the
records of the adviser's academy they may open, not yet supported first, then
by last update; every academy for an admin, with a filter; 404 to anyone
else."""
import subprocess
import time

from lib import expect

W = {}


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=60)


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def record(srv, title, **kw):
    body = {"title": title, "summary": "Résumé de %s." % title, "academy": "Rennes", "levels": ["CP"],
            "subjects": ["Français"], "themes": ["Numérique"], "keywords": [], "type": "local",
            "started_year": 2020, "duration_years": 2, "visibility": "public"}
    body.update(kw)
    return expect(api(srv, "coord", "POST", "/innovations", body), 201)["id"]


def queue(srv, who, query=""):
    return api(srv, who, "GET", "/innovations/queue" + query)


def titles(b):
    return [x["title"] for x in b["items"]]


def test_world(srv):
    for k in ("coord", "member", "adviser", "adviser2", "admin"):
        W[k], W["t" + k] = srv.member("queue.%s@ac-rennes.fr" % k, "Queue %s" % k.capitalize(), admin=(k == "admin"))
    assert run(srv, "user", "role", "--email", "queue.adviser@ac-rennes.fr", "--adviser", "Rennes").returncode == 0
    assert run(srv, "user", "role", "--email", "queue.adviser2@ac-rennes.fr", "--adviser", "Lille").returncode == 0
    W["a"] = record(srv, "Alpha")
    time.sleep(1.1)
    W["b"] = record(srv, "Bravo", visibility="members")
    time.sleep(1.1)
    W["c"] = record(srv, "Charlie")
    W["lille"] = record(srv, "Lille seule", academy="Lille")
    W["hid"] = record(srv, "Fiche invisible")
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % W["hid"], {"hidden": True}), 200)


def test_not_supported_first_then_by_last_update(srv):
    b = expect(queue(srv, "adviser"), 200)
    assert b["academy"] == "Rennes" and b["next"] is None
    assert titles(b) == ["Charlie", "Bravo", "Alpha"], titles(b)      # no hidden one, no other academy
    # supporting one sends it after the others; an edit brings a record up
    expect(api(srv, "adviser", "PATCH", "/innovations/%s" % W["c"], {"support": "followed"}), 200)
    time.sleep(1.1)
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % W["a"], {"aims": "Lire plus"}), 200)
    b = expect(queue(srv, "adviser"), 200)
    assert titles(b) == ["Alpha", "Bravo", "Charlie"], titles(b)
    assert [x["support"] for x in b["items"]] == ["none", "none", "followed"]
    assert titles(expect(queue(srv, "adviser2"), 200)) == ["Lille seule"]


def test_admins_see_every_academy_and_filter(srv):
    got = titles(expect(queue(srv, "admin"), 200))
    assert set(got) == {"Alpha", "Bravo", "Charlie", "Lille seule", "Fiche invisible"}, got
    assert got.index("Charlie") == len(got) - 1                      # the only supported one comes last
    b = expect(queue(srv, "admin", "?academy=Lille"), 200)
    assert titles(b) == ["Lille seule"] and b["academy"] == "Lille"
    assert queue(srv, "admin", "?academy=Atlantide").status == 422
    # an adviser's filter is their academy whatever they ask
    assert titles(expect(queue(srv, "adviser", "?academy=Lille"), 200)) == ["Alpha", "Bravo", "Charlie"]


def test_anyone_else_404(srv):
    for who in (None, "member", "coord"):
        r = queue(srv, who)
        assert r.status == 404, (who, r.status)
        assert expect(r, 404)["error"]["code"] == "not_found"
    assert queue(srv, "adviser", "?cursor=zz").status == 400


def test_cursor_pages_on(srv):
    for n in range(22):
        W["s21"] = record(srv, "Série %02d" % n)
    seen, cursor = [], None
    while True:
        b = expect(queue(srv, "adviser", "?cursor=%s" % cursor if cursor else ""), 200)
        seen += [x["id"] for x in b["items"]]
        cursor = b["next"]
        if not cursor:
            break
    assert len(seen) == 25 and len(set(seen)) == 25, seen
    assert seen[-1] == W["c"]


def test_the_page_with_the_support_form(srv):
    w = srv.web()
    w.login("queue.adviser@ac-rennes.fr")
    t = w.get("/innovations").text
    assert 'href="/innovations/queue"' in t
    r = w.get("/innovations/queue")
    assert r.status == 200 and "Série 21" in r.text and "Lille seule" not in r.text
    assert "Fiche invisible" not in r.text and 'href="/innovations/queue?cursor=' in r.text
    assert 'name="support"' in r.text and 'action="/innovations/%s/support"' % W["s21"] in r.text
    r = w.post("/innovations/%s/support" % W["s21"], {"support": "autonomous", "support_comment": "Bien",
                                                    "back": "queue"})
    assert r.status == 303 and r.headers["location"].endswith("/innovations/queue"), r.status
    x = expect(api(srv, "adviser", "GET", "/innovations/%s" % W["s21"]), 200)
    assert x["support"] == "autonomous" and x["support_comment"] == "Bien"
    r = w.get("/innovations/queue?cursor=1-1-1x")
    assert r.status == 400
    for who in (None, "queue.member@ac-rennes.fr"):
        w = srv.web()
        if who:
            w.login(who)
        assert w.get("/innovations/queue").status == 404, who
    w = srv.web()
    w.login("queue.admin@ac-rennes.fr")
    t = w.get("/innovations/queue?academy=Lille").text
    assert "Lille seule" in t and "Alpha" not in t
