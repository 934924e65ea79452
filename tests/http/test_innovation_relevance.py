"""The catalogue's full-text search (issue 19): q goes through the search
index (kind innovation), ranked by relevance by default and newest first on
request, with snippets of the matching text; facets still count what the
caller may open with those filters."""
import urllib.parse

from lib import expect

W = {}


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def record(srv, title, **kw):
    body = {"title": title, "summary": "Un projet d'établissement.", "academy": "Dijon", "levels": ["4e"],
            "subjects": ["Technologie"], "themes": ["Numérique"], "keywords": [], "type": "local",
            "started_year": 2021, "duration_years": 2, "visibility": "public"}
    body.update(kw)
    return expect(api(srv, "coord", "POST", "/innovations", body), 201)["id"]


def listing(srv, who, query):
    return expect(api(srv, who, "GET", "/innovations?" + query), 200)


def ids(b):
    return [x["id"] for x in b["items"]]


def test_world(srv):
    for k in ("coord", "member", "admin"):
        W[k], W["t" + k] = srv.member("rel.%s@ac-dijon.fr" % k, "Rel %s" % k.capitalize(), admin=(k == "admin"))
    W["title"] = record(srv, "Robotique pédagogique", summary="Des élèves construisent des machines.")
    W["aims"] = record(srv, "Atelier du mercredi", aims="Découvrir la robotique et le code.", academy="Besançon",
                       started_year=2019)
    W["summary"] = record(srv, "Club sciences", summary="Programmer un robot <b>roulant</b> & <script>x</script>.",
                          levels=["3e"])
    W["other"] = record(srv, "Chorale", summary="Chanter ensemble.")
    W["members"] = record(srv, "Robotique en réseau", visibility="members")
    W["hidden"] = record(srv, "Robotique cachée")
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % W["hidden"], {"hidden": True}), 200)


def test_relevance_by_default_with_q(srv):
    b = listing(srv, None, "q=robotique")
    assert set(ids(b)) == {W["title"], W["aims"], W["summary"]}, ids(b)
    assert ids(b)[0] == W["title"], ids(b)            # the title weighs more than the text
    assert b["total"] == 3
    assert ids(listing(srv, None, "q=robotique&sort=relevance")) == ids(b)
    assert ids(listing(srv, None, "q=robotique&sort=recent")) == sorted(ids(b), reverse=True)
    assert set(ids(listing(srv, "member", "q=robotique"))) == {W["title"], W["aims"], W["summary"], W["members"]}
    assert W["hidden"] in ids(listing(srv, "coord", "q=robotique"))
    # without q: newest first, whatever the sort
    assert ids(listing(srv, None, "academy=Dijon")) == sorted(ids(listing(srv, None, "academy=Dijon")), reverse=True)
    assert ids(listing(srv, None, "sort=relevance&academy=Dijon")) == ids(listing(srv, None, "academy=Dijon"))


def test_bad_sort_and_empty_queries(srv):
    r = api(srv, None, "GET", "/innovations?q=robot&sort=random")
    assert r.status == 400 and expect(r, 400)["error"]["parameter"] == "sort"
    b = listing(srv, None, "q=%25%25%25")
    assert b["items"] == [] and b["total"] == 0


def test_snippets_quote_the_matching_text(srv):
    items = {x["id"]: x for x in listing(srv, None, "q=robotique")["items"]}
    assert "robotique" in items[W["aims"]]["snippet"].lower()
    assert "<mark>robotique</mark>" in items[W["aims"]]["snippet_html"].lower()
    s = {x["id"]: x for x in listing(srv, None, "q=robot")["items"]}[W["summary"]]
    assert "<mark>" in s["snippet_html"] and "<script>" not in s["snippet_html"]
    assert "<b>" not in s["snippet_html"]
    assert "snippet" not in listing(srv, None, "academy=Dijon")["items"][0]


def test_facets_count_what_the_caller_opens(srv):
    for who, q in ((None, "robotique"), ("member", "robotique"), ("coord", "robotique"), (None, "robot")):
        b = listing(srv, who, "q=" + q)
        assert b["total"] == len(b["items"]), (who, q)
        for key in ("academy", "level", "theme", "type", "year"):
            for c in b["facets"][key]:
                sub = listing(srv, who, "q=%s&%s=%s" % (q, key, urllib.parse.quote(str(c["value"]))))
                assert c["count"] == sub["total"] == len(sub["items"]), (who, q, key, c)


def test_relevance_pages_on(srv):
    for n in range(22):
        record(srv, "Série %02d" % n, summary="Robotique numéro %d." % n)
    seen, cursor = [], None
    while True:
        b = listing(srv, "member", "q=robotique" + ("&cursor=%s" % cursor if cursor else ""))
        seen += ids(b)
        cursor = b["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == b["total"] == 26, (len(seen), b["total"])


def test_the_page_marks_the_words_and_offers_both_sorts(srv):
    w = srv.web()
    t = w.get("/innovations?q=robotique").text
    assert "<mark>" in t.lower() and "sort=recent" in t
    t = w.get("/innovations?q=robotique&sort=recent").text
    assert "sort=relevance" in t
    assert w.get("/innovations?q=robot&sort=bogus").status == 400
