"""Innovation records (issue 19): every route, every role, both visibilities,
facets that count what the caller may open, bad input, revisions and diff,
the adviser's role from the command line, the pages."""
import datetime
import subprocess
import urllib.parse

from lib import expect

W = {}
YEAR = datetime.datetime.utcnow().year


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=60)


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def record(**kw):
    body = {"title": "Classe dehors", "summary": "Des cours **en plein air**.", "academy": "Nice",
            "uai": "0061234A", "levels": ["CM1", "CM2"], "subjects": ["Sciences"],
            "themes": ["Développement durable"], "keywords": ["nature"], "type": "local",
            "started_year": 2021, "duration_years": 3, "aims": "Observer", "actions": "Sorties",
            "evaluation": "Grilles", "effects": "Calme", "partners": "Mairie", "visibility": "public"}
    body.update(kw)
    return body


def test_world(srv):
    for k in ("coord", "coauthor", "member", "adviser", "adviser2", "admin"):
        W[k], W["t" + k] = srv.member("inno.%s@ac-nice.fr" % k, "Inno %s" % k.capitalize(), admin=(k == "admin"))
    r = run(srv, "user", "role", "--email", "inno.adviser@ac-nice.fr", "--adviser", "Nice")
    assert r.returncode == 0, r
    r = run(srv, "user", "role", "--email", "inno.adviser2@ac-nice.fr", "--adviser", "Lyon")
    assert r.returncode == 0, r
    W["pub"] = expect(api(srv, "coord", "POST", "/innovations", record(coauthors=[W["coauthor"]])), 201)["id"]
    W["mem"] = expect(api(srv, "coord", "POST", "/innovations",
                          record(title="Tutorat entre pairs", visibility="members", academy="Lyon",
                                 themes=["Coopération entre élèves"], levels=["6e"], started_year=2019,
                                 type="experimentation", uai=None)), 201)["id"]
    W["hid"] = expect(api(srv, "coord", "POST", "/innovations",
                          record(title="Fiche cachee", coauthors=[W["coauthor"]])), 201)["id"]
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % W["hid"], {"hidden": True}), 200)


def test_cli_role_errors(srv):
    r = run(srv, "user", "role", "--email", "inno.member@ac-nice.fr", "--adviser", "Atlantide")
    assert r.returncode == 2 and "Atlantide" in r.stderr, r
    r = run(srv, "user", "role", "--email", "inno.member@ac-nice.fr")
    assert r.returncode == 2, r
    r = run(srv, "user", "role", "--email", "inno.nobody@ac-nice.fr", "--member")
    assert r.returncode == 1 and "no account" in r.stderr, r


def test_create_answers_the_record_with_its_coordinator(srv):
    x = expect(api(srv, "coord", "GET", "/innovations/%s" % W["pub"]), 200)
    assert x["coordinator"]["id"] == W["coord"] and x["title"] == "Classe dehors"
    assert [c["id"] for c in x["coauthors"]] == [W["coauthor"]]
    assert x["levels"] == ["CM1", "CM2"] and x["themes"] == ["Développement durable"]
    assert "<strong>en plein air</strong>" in x["summary_html"] and x["support"] == "none"
    assert x["revision"] == 1 and x["may_edit"] and not x["may_support"]


def test_visibility_per_role(srv):
    seen = {}
    for who in (None, "member", "coauthor", "coord", "adviser", "adviser2", "admin"):
        seen[who] = tuple(api(srv, who, "GET", "/innovations/%s" % W[k]).status for k in ("pub", "mem", "hid"))
    assert seen[None] == (200, 404, 404), seen
    assert seen["member"] == (200, 200, 404), seen
    assert seen["adviser"] == (200, 200, 404), seen
    assert seen["adviser2"] == (200, 200, 404), seen
    assert seen["coauthor"] == (200, 200, 200), seen
    assert seen["coord"] == (200, 200, 200), seen
    assert seen["admin"] == (200, 200, 200), seen


def test_edit_per_role(srv):
    path = "/innovations/%s" % W["pub"]
    for who in ("member", "adviser", "adviser2"):
        expect(api(srv, who, "PATCH", path, {"partners": "x"}), 403, "forbidden")
    expect(api(srv, None, "PATCH", path, {"partners": "x"}), 401)
    expect(api(srv, "member", "PATCH", "/innovations/%s" % W["hid"], {"partners": "x"}), 404)
    for who in ("coord", "coauthor", "admin"):
        expect(api(srv, who, "PATCH", path, {"partners": "Mairie et " + who}), 200)


def test_support_per_role(srv):
    path = "/innovations/%s" % W["pub"]
    for who in ("member", "coord", "coauthor", "adviser2"):
        expect(api(srv, who, "PATCH", path, {"support": "followed"}), 403, "forbidden")
    expect(api(srv, "adviser", "PATCH", "/innovations/%s" % W["hid"], {"support": "followed"}), 404)
    x = expect(api(srv, "adviser", "PATCH", path, {"support": "followed", "support_comment": "Suivi en 2024"}), 200)
    assert x["support"] == "followed" and x["support_comment"] == "Suivi en 2024" and x["may_support"]
    expect(api(srv, "admin", "PATCH", path, {"support": "selected"}), 200)
    expect(api(srv, "adviser", "PATCH", path, {"support": "famous"}), 422, "invalid_field")
    # support changes keep no revision; the adviser of Lyon supports the Lyon record
    expect(api(srv, "adviser2", "PATCH", "/innovations/%s" % W["mem"], {"support": "autonomous"}), 200)


def test_bad_input(srv):
    cases = [({"academy": "Atlantide"}, "academy"), ({"themes": ["Astrologie"]}, "themes"),
             ({"started_year": YEAR + 1}, "started_year"), ({"started_year": 1949}, "started_year"),
             ({"duration_years": 0}, "duration_years"), ({"duration_years": 11}, "duration_years"),
             ({"uai": "12345"}, "uai"), ({"type": "pilot"}, "type"), ({"visibility": "secret"}, "visibility"),
             ({"title": ""}, "title"), ({"coauthors": [999999]}, "coauthors"),
             ({"coauthors": list(range(1, 23))}, "coauthors"), ({"group_ids": [999999]}, "group_ids"),
             ({"document_ids": [999999]}, "document_ids"), ({"levels": ["x"] * 21}, "levels")]
    for extra, field in cases:
        r = api(srv, "coord", "POST", "/innovations", record(**extra))
        body = expect(r, 422, "invalid_field")
        assert body["error"]["field"] == field, (extra, body)
    expect(api(srv, None, "POST", "/innovations", record()), 401)
    r = srv.api("POST", "/innovations", raw=b"{nope", headers={"Content-Type": "application/json"},
                token=W["tcoord"])
    expect(r, 400, "invalid_json")
    expect(api(srv, "coord", "GET", "/innovations?year=abc"), 400, "invalid_parameter")
    expect(api(srv, "coord", "GET", "/innovations/999999"), 404)


def test_list_filters_and_facets_count_what_one_may_open(srv):
    for who in (None, "member", "coord", "admin", "adviser"):
        r = expect(api(srv, who, "GET", "/innovations"), 200)
        opened = [x["id"] for x in r["items"] if api(srv, who, "GET", "/innovations/%s" % x["id"]).status == 200]
        assert len(opened) == len(r["items"]) == r["total"], (who, r)
        for facet in ("academy", "type", "year", "level", "theme"):
            for v in r["facets"][facet]:
                sub = expect(api(srv, who, "GET", "/innovations?%s=%s" % (facet, urllib.parse.quote(str(v["value"])))), 200)
                assert sub["total"] == v["count"] == len(sub["items"]), (who, facet, v, sub)
    ids = lambda who, q: [x["id"] for x in expect(api(srv, who, "GET", "/innovations" + q), 200)["items"]]
    assert ids(None, "") == [W["pub"]]
    assert set(ids("member", "")) == {W["pub"], W["mem"]}
    assert set(ids("coord", "")) == {W["pub"], W["mem"], W["hid"]}
    assert ids("member", "?academy=Lyon") == [W["mem"]]
    assert ids("member", "?type=experimentation&year=2019") == [W["mem"]]
    assert ids("member", "?theme=D%C3%A9veloppement%20durable") == [W["pub"]]
    assert ids("member", "?level=6e") == [W["mem"]]
    assert ids("member", "?q=tutorat") == [W["mem"]]
    assert set(ids("member", "?q=PLEIN%20AIR")) == {W["pub"], W["mem"]}
    assert ids("member", "?q=CLASSE%20DEHORS") == [W["pub"]]
    assert ids(None, "?q=tutorat") == []
    assert ids("member", "?uai=0061234A") == [W["pub"]]
    assert ids("member", "?support=autonomous") == [W["mem"]]
    # facets combine with the other filters: with academy=Lyon, the academy facet still lists Nice
    r = expect(api(srv, "member", "GET", "/innovations?academy=Lyon"), 200)
    assert {f["value"] for f in r["facets"]["academy"]} == {"Nice", "Lyon"}
    assert [f["value"] for f in r["facets"]["type"]] == ["experimentation"]


def test_cursor_pages_on(srv):
    for i in range(22):
        expect(api(srv, "member", "POST", "/innovations", record(title="Page %d" % i, academy="Reims")), 201)
    r = expect(api(srv, "member", "GET", "/innovations?academy=Reims"), 200)
    assert len(r["items"]) == 20 and r["next"] and r["total"] == 22
    r2 = expect(api(srv, "member", "GET", "/innovations?academy=Reims&cursor=%s" % r["next"]), 200)
    assert len(r2["items"]) == 2 and r2["next"] is None
    assert not {x["id"] for x in r["items"]} & {x["id"] for x in r2["items"]}


def test_revisions_and_diff(srv):
    x = expect(api(srv, "coauthor", "POST", "/innovations", record(title="Revisee")), 201)
    path = "/innovations/%s" % x["id"]
    expect(api(srv, "coauthor", "PATCH", path, {"aims": "Observer les oiseaux", "keywords": ["oiseaux"]}), 200)
    revs = expect(api(srv, "member", "GET", path + "/revisions"), 200)["items"]
    assert [r["revision"] for r in revs] == [2, 1] and revs[0]["author"]["id"] == W["coauthor"]
    d = expect(api(srv, "member", "GET", path + "/diff?from=1&to=2"), 200)
    assert {"op": "add", "text": "Observer les oiseaux"} in d["lines"]
    assert {"op": "del", "text": "Observer"} in d["lines"]
    expect(api(srv, "member", "GET", path + "/diff"), 400, "invalid_parameter")
    expect(api(srv, "member", "GET", path + "/diff?from=1&to=9"), 404)
    expect(api(srv, None, "GET", "/innovations/%s/revisions" % W["mem"]), 404)
    expect(api(srv, "member", "GET", "/innovations/%s/revisions" % W["hid"]), 404)


def test_follow_and_useful(srv):
    path = "/innovations/%s" % W["pub"]
    assert expect(api(srv, "member", "POST", path + "/follow"), 200)["following"] is True
    assert expect(api(srv, "member", "POST", path + "/useful"), 200)["useful_count"] == 1
    x = expect(api(srv, "member", "GET", path), 200)
    assert x["followed_by_me"] and x["useful_by_me"] and x["useful_count"] == 1
    assert expect(api(srv, "member", "DELETE", path + "/useful"), 200)["useful_count"] == 0
    expect(api(srv, "member", "DELETE", path + "/follow"), 200)
    expect(api(srv, None, "POST", path + "/follow"), 401)
    expect(api(srv, "member", "POST", "/innovations/%s/follow" % W["hid"]), 404)
    expect(api(srv, "member", "POST", "/innovations/%s/useful" % W["hid"]), 404)


def test_messages_to_the_team(srv):
    path = "/innovations/%s/messages" % W["pub"]
    room = expect(api(srv, "member", "POST", path, {"body": "Bonjour, pouvons-nous échanger ?"}), 201)["room_id"]
    msgs = expect(api(srv, "coord", "GET", "/rooms/%s/messages" % room), 200)["items"]
    assert "Classe dehors" in msgs[-1]["body"]
    expect(api(srv, "member", "POST", path, {"body": "x", "changes": True}), 403, "forbidden")
    expect(api(srv, "adviser2", "POST", path, {"body": "x", "changes": True}), 403, "forbidden")
    r = expect(api(srv, "adviser", "POST", path, {"body": "Précisez l'évaluation.", "changes": True}), 201)
    msgs = expect(api(srv, "coord", "GET", "/rooms/%s/messages" % r["room_id"]), 200)["items"]
    assert "Demande de modifications" in msgs[-1]["body"]
    expect(api(srv, "coord", "POST", path, {"body": "moi"}), 422, "invalid_field")
    expect(api(srv, "member", "POST", "/innovations/%s/messages" % W["hid"], {"body": "x"}), 404)


def test_delete_per_role(srv):
    x = expect(api(srv, "coord", "POST", "/innovations", record(title="A effacer", coauthors=[W["coauthor"]])), 201)
    path = "/innovations/%s" % x["id"]
    expect(api(srv, "member", "DELETE", path), 403, "forbidden")
    expect(api(srv, "adviser", "DELETE", path), 403, "forbidden")
    expect(api(srv, "coauthor", "DELETE", path), 204)
    expect(api(srv, "coord", "GET", path), 404)
    expect(api(srv, "member", "DELETE", "/innovations/%s" % W["hid"]), 404)


def test_hidden_is_for_admins(srv):
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % W["pub"], {"hidden": True}), 403, "forbidden")


# ---- pages --------------------------------------------------------------------

def web(srv, who):
    w = srv.web()
    if who:
        w.login("inno.%s@ac-nice.fr" % who)
    return w


def test_pages_per_role(srv):
    for who in (None, "member", "coord", "admin"):
        w = web(srv, who)
        r = w.get("/innovations?academy=Nice")
        assert r.status == 200 and "Classe dehors" in r.text, (who, r.status)
        assert ("Fiche cachee" in r.text) == (who in ("coord", "admin")), who
        r = w.get("/innovations?academy=Lyon")
        assert ("Tutorat entre pairs" in r.text) == (who is not None), who
        want = {None: (200, 404, 404), "member": (200, 200, 404), "coord": (200, 200, 200), "admin": (200, 200, 200)}
        got = tuple(w.get("/innovations/%s" % W[k]).status for k in ("pub", "mem", "hid"))
        assert got == want[who], (who, got)
    assert web(srv, None).get("/innovations/new").status in (303, 401)


def test_record_page_shows_people_and_actions(srv):
    w = web(srv, "adviser")
    t = w.get("/innovations/%s" % W["pub"]).text
    assert "/users/%s" % W["coord"] in t and "/users/%s" % W["coauthor"] in t
    assert 'name="support"' in t            # the adviser's support form
    t = web(srv, "adviser2").get("/innovations/%s" % W["pub"]).text
    assert 'name="support"' not in t
    assert "L314-2" in web(srv, "member").get("/innovations/new").text
    assert "Les fiches de mon académie : Nice" in web(srv, "adviser").get("/innovations").text
    assert "Les fiches de mon académie : Lyon" in web(srv, "adviser2").get("/innovations").text
    assert "mon académie" not in web(srv, "member").get("/innovations").text


def test_forms_without_javascript(srv):
    w = web(srv, "member")
    w.get("/innovations/new")
    r = w.post("/innovations/new", {"title": "Par le formulaire", "summary": "Texte", "academy": "Rennes",
                                    "type": "local", "started_year": "2020", "duration_years": "2",
                                    "visibility": "public", "themes": "Numérique", "levels": "CE1, CE2"})
    assert r.status == 303, r
    loc = r.headers["location"]
    x = w.get(loc)
    assert x.status == 200 and "Par le formulaire" in x.text
    r = w.post(loc + "/edit", {"title": "Par le formulaire revu", "summary": "Texte", "academy": "Rennes",
                               "type": "local", "started_year": "2020", "duration_years": "2",
                               "visibility": "public"})
    assert r.status == 303, r
    t = w.get(loc + "/revisions").text
    assert "Par le formulaire revu" in t
    r = w.post("/innovations/new", {"title": "Mauvaise", "academy": "Atlantide", "type": "local",
                                    "started_year": "2020", "duration_years": "2", "visibility": "public"})
    assert r.status == 422, r
    w2 = web(srv, "member")
    r = w2.post("/innovations/%s/follow" % W["pub"], {}, csrf=False)
    assert r.status == 403


def test_csv_export_follows_the_filters_and_what_one_may_open(srv):
    import csv
    import io
    three = {W["pub"], W["mem"], W["hid"]}
    for who, query, want in ((None, "", {W["pub"]}), ("member", "", {W["pub"], W["mem"]}),
                             ("coord", "", three), ("coord", "?academy=Nice", {W["pub"], W["hid"]})):
        r = web(srv, who).get("/innovations.csv" + query)
        assert r.status == 200 and r.headers["content-type"].startswith("text/csv"), r
        ids = {int(x["id"]) for x in csv.DictReader(io.StringIO(r.body.decode("utf-8")))}
        assert ids & three == want, (who, query, ids)
    r = web(srv, "coord").get("/innovations.csv")
    rows = {int(x["id"]): x for x in csv.DictReader(io.StringIO(r.body.decode("utf-8")))}
    assert {W["pub"], W["mem"], W["hid"]} <= set(rows)
    pub = rows[W["pub"]]
    assert pub["levels"] == "CM1|CM2" and pub["themes"] == "Développement durable"
    assert pub["coauthors"] == str(W["coauthor"]) and pub["uai"] == "0061234A"
    r = srv.request("GET", "/innovations.csv")
    ids = {int(x["id"]) for x in csv.DictReader(io.StringIO(r.body.decode("utf-8")))}
    assert W["pub"] in ids and W["mem"] not in ids and W["hid"] not in ids
    r = srv.request("GET", "/innovations.csv?academy=Lyon&type=experimentation")
    assert len(list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))) == 0
    assert srv.request("GET", "/innovations.csv?year=12").status == 400


def test_atom_feed_lists_public_records(srv):
    r = srv.request("GET", "/innovations/feed.atom")
    assert r.status == 200 and "atom" in r.headers["content-type"], r
    t = r.body.decode("utf-8")
    assert "/innovations/%s<" % W["pub"] in t
    assert "/innovations/%s<" % W["mem"] not in t and "/innovations/%s<" % W["hid"] not in t


def test_search_finds_records_for_those_who_may_open_them(srv):
    def found(who, q, **kw):
        params = "&".join("%s=%s" % (k, urllib.parse.quote(str(v))) for k, v in kw.items())
        r = expect(api(srv, who, "GET", "/search?q=%s%s" % (urllib.parse.quote(q), "&" + params if params else "")),
                   200)
        return {x["id"] for x in r["items"] if x["type"] == "innovation"}, r
    assert found(None, "classe dehors")[0] == {W["pub"]}
    assert found(None, "tutorat")[0] == set()
    assert found("member", "tutorat")[0] == {W["mem"]}
    ids, r = found("member", "tutorat", type="innovation")
    assert ids == {W["mem"]} and r["counts"]["innovation"] == 1, r
    assert found("member", "cachee")[0] == set()
    assert found("coord", "cachee")[0] == {W["hid"]}
    assert found("admin", "cachee")[0] == {W["hid"]}
    assert found("member", "tutorat", level="6e")[0] == {W["mem"]}
    assert found("member", "tutorat", level="CM1")[0] == set()
    # an edit is searchable at once; a deleted record is gone
    x = expect(api(srv, "coord", "POST", "/innovations", record(title="Zorglub ephemere")), 201)
    assert found("member", "zorglub")[0] == {x["id"]}
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"title": "Zorglub renomme"}), 200)
    assert found("member", "renomme")[0] == {x["id"]}
    expect(api(srv, "coord", "DELETE", "/innovations/%s" % x["id"]), 204)
    assert found("member", "zorglub")[0] == set()
    t = web(srv, "member").get("/search?q=tutorat&type=innovation").text
    assert "/innovations/%s" % W["mem"] in t
