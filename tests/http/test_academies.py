"""Academies (issue 19): /academies and /academies/{slug} with the API, for a visitor, a
member, an adviser, a coordinator and an admin (members-only and hidden records neither
counted nor listed for whoever may not open them), schools by academy, links from records,
schools and profiles; the record form's people picker (by name, accent-folded, hidden and
unverified members never found, 20 at most, clear errors) and its linked groups; the feed
activities of imports; the contract's import counts."""
import os
import re
import subprocess
import tempfile
import urllib.parse

from lib import expect, multipart

W = {}


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=120)


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def web(srv, who):
    w = srv.web()
    if who:
        w.login(W["mail" + who])
    return w


def record(**kw):
    body = {"title": "Potager", "summary": "Un potager.", "academy": "Nice", "type": "local",
            "started_year": 2020, "duration_years": 2, "visibility": "public"}
    body.update(kw)
    return body


def csv_file(text):
    f = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    f.write(text.encode())
    f.close()
    return f.name


def feed(srv, who):
    """The innovation items of who's feed (first page), as (verb, record id) pairs."""
    items = expect(api(srv, who, "GET", "/feed"), 200)["items"]
    return [(a["verb"], a["innovation"]["id"]) for a in items if a.get("innovation")]


def test_world(srv):
    people = {"coord": "Aca Coordination", "member": "Aca Membre", "adviser": "Aca Conseil",
              "admin": "Aca Admin", "helene": "Hélène Dupré-Lefèvre", "paul1": "Paul Martin",
              "paul2": "Paul Martin", "lyon": "Aca Lyonnais", "watcher": "Aca Veille"}
    for k, name in people.items():
        mail = "aca.%s@ac-%s.fr" % (k, "lyon" if k == "lyon" else "nice")
        W["mail" + k] = mail
        W[k], W["t" + k] = srv.member(mail, name, admin=(k == "admin"))
    r = run(srv, "user", "role", "--email", W["mailadviser"], "--adviser", "Nice")
    assert r.returncode == 0, r
    # an account never verified: a member of nowhere, found by no picker
    expect(srv.api("POST", "/accounts", {"email": "aca.cachee@ac-nice.fr", "password": "correct horse battery",
                                         "name": "Hélène Cachée"}), 201)
    path = csv_file("uai;name;kind;academy;town;postcode\n0061234A;École du Port;Ecole;Nice;Nice;06000\n"
                    "0069999Z;Collège des Collines;Collège;Nice;Grasse;06130\n"
                    "0691111B;Lycée du Rhône;Lycée;Lyon;Lyon;69001\n")
    try:
        r = run(srv, "schools", "import", path)
    finally:
        os.unlink(path)
    assert r.returncode == 0, r
    W["pub"] = expect(api(srv, "coord", "POST", "/innovations", record(title="Potager public", uai="0061234A")),
                      201)["id"]
    W["mem"] = expect(api(srv, "coord", "POST", "/innovations", record(title="Tutorat réservé", visibility="members")),
                      201)["id"]
    W["hid"] = expect(api(srv, "coord", "POST", "/innovations", record(title="Fiche masquée", uai="0061234A")),
                      201)["id"]
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % W["hid"], {"hidden": True}), 200)
    W["lyonrec"] = expect(api(srv, "lyon", "POST", "/innovations", record(title="Fiche lyonnaise", academy="Lyon")),
                          201)["id"]
    # groups: one open with two members from Nice, a secret one
    W["open"] = expect(api(srv, "member", "POST", "/groups", {"name": "Jardiniers azuréens", "description": "",
                                                             "kind": "practice", "visibility": "open"}), 201)["id"]
    expect(api(srv, "coord", "POST", "/groups/%s/join" % W["open"]), 200)
    W["secret"] = expect(api(srv, "coord", "POST", "/groups", {"name": "Cercle discret", "description": "",
                                                              "kind": "project", "visibility": "secret"}), 201)["id"]


def by_slug(items, slug):
    return next(a for a in items if a["slug"] == slug)


def test_list_counts_per_role(srv):
    want = {None: 1, "member": 2, "adviser": 2, "coord": 3, "admin": 3}
    for who, records in want.items():
        r = expect(api(srv, who, "GET", "/academies"), 200)
        assert len(r["items"]) == 30 and r["next"] is None, r
        nice = by_slug(r["items"], "nice")
        assert nice["name"] == "Nice" and nice["records"] == records, (who, nice)
        assert nice["schools"] == 2 and by_slug(r["items"], "lyon")["schools"] == 1, nice
        if who is None:
            assert nice["members"] is None and nice["advisers"] is None
        else:
            assert nice["members"] >= 8 and nice["advisers"] == 1, (who, nice)
    slugs = {a["slug"] for a in expect(api(srv, None, "GET", "/academies"), 200)["items"]}
    assert {"aix-marseille", "la-reunion", "orleans-tours", "clermont-ferrand", "creteil", "besancon"} <= slugs


def test_one_academy_per_role(srv):
    for who in (None, "member", "adviser", "coord", "admin"):
        a = expect(api(srv, who, "GET", "/academies/nice"), 200)
        ids = [x["id"] for x in a["recent_records"]]
        want = {None: [W["pub"]], "member": [W["mem"], W["pub"]], "adviser": [W["mem"], W["pub"]],
                "coord": [W["hid"], W["mem"], W["pub"]], "admin": [W["hid"], W["mem"], W["pub"]]}[who]
        assert ids == want, (who, ids)                       # most recent first
        assert a["records"] == len(want) and W["lyonrec"] not in ids
        assert a["catalogue"] == "/innovations?academy=Nice" and a["schools_url"] == "/schools?academy=nice"
        schools = {s["uai"]: s["records"] for s in a["top_schools"]}
        assert schools.get("0061234A") == (2 if who in ("coord", "admin") else 1), (who, schools)
        if who is None:
            assert a["groups"] == [] and a["advisers"] == [] and a["members"] is None
            continue
        assert [p["id"] for p in a["advisers"]] == [W["adviser"]], a["advisers"]
        groups = {g["id"]: g["members"] for g in a["groups"]}
        assert groups.get(W["open"]) == 2, groups
        assert (W["secret"] in groups) == (who == "coord"), (who, groups)
    expect(api(srv, None, "GET", "/academies/atlantide"), 404)
    expect(api(srv, "admin", "GET", "/academies/atlantide"), 404)
    expect(api(srv, None, "GET", "/academies/Nice"), 404)         # slugs only on the API
    expect(api(srv, None, "GET", "/academies/%2e%2e"), 404)


def test_pages(srv):
    r = web(srv, None).get("/academies")
    assert r.status == 200 and 'href="/academies/nice"' in r.text and 'href="/academies/la-reunion"' in r.text
    t = web(srv, None).get("/academies/nice").text
    assert "Potager public" in t and "Tutorat réservé" not in t and "Fiche masquée" not in t
    assert "Aca Conseil" not in t and "/login?next=/academies/nice" in t
    assert 'href="/innovations?academy=Nice"' in t and 'href="/schools?academy=nice"' in t
    t = web(srv, "member").get("/academies/nice").text
    assert "Tutorat réservé" in t and "Fiche masquée" not in t and "Fiche lyonnaise" not in t
    assert "/users/%s" % W["adviser"] in t and "Jardiniers azuréens" in t and "Cercle discret" not in t
    assert "Fiche masquée" in web(srv, "admin").get("/academies/nice").text
    assert web(srv, "member").get("/academies/atlantide").status == 404
    assert web(srv, None).get("/academies/" + "a" * 200).status == 404
    r = web(srv, None).get("/academies/La%20R%C3%A9union")          # a name typed by hand
    assert r.status in (301, 302, 303) and r.headers["location"].endswith("/academies/la-reunion"), r


def test_schools_of_an_academy(srv):
    r = expect(api(srv, None, "GET", "/schools?academy=nice"), 200)
    assert [s["uai"] for s in r["items"]] == ["0069999Z", "0061234A"], r   # in name order
    r = expect(api(srv, None, "GET", "/schools?academy=Nice&q=port"), 200)
    assert [s["uai"] for s in r["items"]] == ["0061234A"], r
    assert expect(api(srv, None, "GET", "/schools?academy=Lyon&q=port"), 200)["items"] == []
    expect(api(srv, None, "GET", "/schools?academy=atlantide"), 400, "invalid_parameter")
    t = web(srv, None).get("/schools?academy=nice").text
    assert "École du Port" in t and "Collège des Collines" in t and "Lycée du Rhône" not in t
    assert web(srv, None).get("/schools?academy=atlantide").status == 400
    # the directory's own spelling of an academy, found by its slug on both pages
    path = csv_file("uai;name;academy\n0459999X;Lycée de la Loire;ORLEANS-TOURS\n")
    try:
        assert run(srv, "schools", "import", path).returncode == 0
    finally:
        os.unlink(path)
    assert by_slug(expect(api(srv, None, "GET", "/academies"), 200)["items"], "orleans-tours")["schools"] == 1
    r = expect(api(srv, None, "GET", "/schools?academy=orleans-tours"), 200)
    assert [s["uai"] for s in r["items"]] == ["0459999X"], r
    assert "Lycée de la Loire" in web(srv, None).get("/schools?academy=Orl%C3%A9ans-Tours").text


def test_links_to_academies(srv):
    assert 'href="/academies/nice"' in web(srv, None).get("/innovations/%s" % W["pub"]).text
    assert 'href="/academies/nice"' in web(srv, None).get("/schools/0061234A").text
    assert 'href="/academies/nice"' in web(srv, "member").get("/users/%s" % W["coord"]).text
    assert 'href="/academies"' in web(srv, None).get("/innovations").text


# ---- the people picker ------------------------------------------------------------------

def suggest(srv, who, q):
    r = expect(api(srv, who, "GET", "/users/suggest?q=" + urllib.parse.quote(q)), 200)
    return [(p["id"], p["label"]) for p in r["items"]]


def test_picker_suggests_by_name_accent_folded(srv):
    got = suggest(srv, "coord", "helene")
    assert [i for i, _ in got] == [W["helene"]], got      # never the unverified Hélène
    label = got[0][1]
    assert re.fullmatch(r"Hélène Dupré-Lefèvre \(@[a-z0-9-]+\)", label), label
    W["helene_label"] = label
    assert [i for i, _ in suggest(srv, "coord", "DUPRE lef")] == [W["helene"]]
    assert [i for i, _ in suggest(srv, "coord", "lefevre")] == [W["helene"]]
    assert suggest(srv, "coord", "cachee") == [] and suggest(srv, "coord", "") == []
    assert sorted(i for i, _ in suggest(srv, "coord", "paul martin")) == sorted([W["paul1"], W["paul2"]])
    assert suggest(srv, "coord", "aca.member@ac-nice.fr") == []   # names, never addresses
    expect(api(srv, None, "GET", "/users/suggest?q=helene"), 401)
    # the same for site.js with the page's session (the API takes Bearer tokens only)
    r = web(srv, "coord").get("/users/suggest?q=h%C3%A9l%C3%A8ne")
    assert r.status == 200 and "application/json" in r.headers["content-type"], r
    assert [p["label"] for p in r.json()["items"]] == [W["helene_label"]], r.json()
    assert web(srv, None).get("/users/suggest?q=helene").status == 303
    assert web(srv, "coord").get("/users/suggest?q=helene&limit=99").status == 400
    expect(api(srv, "coord", "GET", "/users/suggest?q=helene&limit=0"), 400)
    expect(api(srv, "coord", "GET", "/users/suggest?q=" + "x" * 400), 400)


def new_form(w, **fields):
    body = {"title": "Par le sélecteur", "summary": "Texte", "academy": "Nice", "type": "local",
            "started_year": "2021", "duration_years": "2", "visibility": "members", "coauthors_shown": "1"}
    body.update(fields)
    w.get("/innovations/new")
    return w.post("/innovations/new", body)


def post_pairs(w, path, pairs):
    """A form with repeated fields (several co-authors)."""
    w.get("/innovations/new")
    body = urllib.parse.urlencode(pairs + [("csrf", w.csrf or "")]).encode()
    h = w._headers({"Content-Type": "application/x-www-form-urlencoded"})
    return w._keep(srv_of(w).request("POST", path, body, h))


def srv_of(w):
    return w.srv


def base_pairs(title):
    return [("title", title), ("summary", "Texte"), ("academy", "Nice"), ("type", "local"),
            ("started_year", "2021"), ("duration_years", "2"), ("visibility", "members"), ("coauthors_shown", "1")]


def count_mine(srv):
    return expect(api(srv, "coord", "GET", "/innovations?q=&academy=Nice"), 200)["total"]


def test_form_shows_the_picker(srv):
    t = web(srv, "coord").get("/innovations/new").text
    assert 'data-people="1"' in t and 'list="people-suggestions"' in t and '<datalist id="people-suggestions">' in t
    assert 'for="f-co-0"' in t and 'name="coauthor"' in t and "@identifiant" in t and "Jardiniers azuréens" in t
    assert "Cercle discret" in t                  # the author's own groups, the secret one included
    assert 'name="coauthors"' not in t            # no member numbers to type


def test_picker_by_label_bare_name_and_handle(srv):
    w = web(srv, "coord")
    handle = W["helene_label"].split("(@")[1].rstrip(")")
    r = post_pairs(w, "/innovations/new", base_pairs("Sélecteur un") + [
        ("coauthor", W["helene_label"]), ("coauthor", ""), ("coauthor", "Aca Membre"),
        ("groups_shown", "1"), ("group_ids", str(W["open"]))])
    assert r.status == 303, r
    rid = int(r.headers["location"].rsplit("/", 1)[1])
    x = expect(api(srv, "coord", "GET", "/innovations/%s" % rid), 200)
    assert [c["id"] for c in x["coauthors"]] == [W["helene"], W["member"]], x["coauthors"]
    assert [g["id"] for g in x["groups"]] == [W["open"]], x["groups"]
    W["picked"] = rid
    # the edit form shows them back as names
    t = w.get("/innovations/%s/edit" % rid).text
    assert 'value="%s"' % W["helene_label"].replace('"', "&quot;") in t and "Aca Membre (@" in t
    # @handle alone, and an edit that clears the list
    r = post_pairs(w, "/innovations/%s/edit" % rid, base_pairs("Sélecteur un") + [("coauthor", "@" + handle)])
    assert r.status == 303, r
    x = expect(api(srv, "coord", "GET", "/innovations/%s" % rid), 200)
    assert [c["id"] for c in x["coauthors"]] == [W["helene"]] and [g["id"] for g in x["groups"]] == [W["open"]]
    r = post_pairs(w, "/innovations/%s/edit" % rid, base_pairs("Sélecteur un") + [("coauthor", "")])
    assert r.status == 303, r
    assert expect(api(srv, "coord", "GET", "/innovations/%s" % rid), 200)["coauthors"] == []


def test_picker_errors_write_nothing(srv):
    w = web(srv, "coord")
    before = count_mine(srv)
    cases = [([("coauthor", "Paul Martin")], "plusieurs membres portent ce nom"),
             ([("coauthor", "Hélène Cachée")], "aucun membre de Respire"),
             ([("coauthor", "Personne Inconnue")], "aucun membre de Respire"),
             ([("coauthor", "Hélène Cachée (@nobody-here)")], "aucun membre de Respire"),
             ([("coauthor", "Aca Membre")] * 21, "20 co-auteurs au plus")]
    for extra, message in cases:
        r = post_pairs(w, "/innovations/new", base_pairs("Refusée") + extra)
        assert r.status == 422 and message in r.text, (extra[:1], r.status)
        assert "Refusée" in r.text and "f-co-0" in r.text           # the form again, with what was typed
    assert count_mine(srv) == before
    # a member refused in an edit leaves the record as it was
    r = post_pairs(w, "/innovations/%s/edit" % W["picked"], base_pairs("Changée") + [("coauthor", "Paul Martin")])
    assert r.status == 422
    assert expect(api(srv, "coord", "GET", "/innovations/%s" % W["picked"]), 200)["title"] == "Sélecteur un"
    # the two namesakes told apart by their labels
    labels = [lab for _, lab in suggest(srv, "coord", "paul martin")]
    r = post_pairs(w, "/innovations/new", base_pairs("Deux Paul") + [("coauthor", lab) for lab in labels])
    assert r.status == 303, r
    rid = int(r.headers["location"].rsplit("/", 1)[1])
    got = [c["id"] for c in expect(api(srv, "coord", "GET", "/innovations/%s" % rid), 200)["coauthors"]]
    assert sorted(got) == sorted([W["paul1"], W["paul2"]])
    # a bare name typed without its accents nor capitals
    r = post_pairs(w, "/innovations/new", base_pairs("Sans accents") + [("coauthor", "helene DUPRE-lefevre")])
    assert r.status == 303, r
    rid = int(r.headers["location"].rsplit("/", 1)[1])
    got = [c["id"] for c in expect(api(srv, "coord", "GET", "/innovations/%s" % rid), 200)["coauthors"]]
    assert got == [W["helene"]], got


# ---- imports and the feed ------------------------------------------------------------------

def befriend(srv, a, b):
    expect(api(srv, a, "POST", "/contacts", {"user_id": W[b]}), 201)
    expect(api(srv, b, "POST", "/contacts/%s/accept" % W[a]), 200)


def upload(srv, data):
    body, ctype = multipart({}, {"file": ("fiches.csv", data.encode(), "text/csv")})
    return srv.request("POST", "/api/v1/innovations/import", body,
                       {"Content-Type": ctype, "Authorization": "Bearer " + W["tadmin"]})


def ref_id(srv, title):
    r = expect(api(srv, "admin", "GET", "/innovations?q=" + urllib.parse.quote(title)), 200)
    return next(x["id"] for x in r["items"] if x["title"] == title)


def test_imports_flood_no_feed(srv):
    befriend(srv, "watcher", "admin")
    befriend(srv, "watcher", "coord")
    head = "ref;title;academy;type;started_year;duration_years;coauthors;coordinator_email\n"
    rows = ("IMP-A;Banque seule;Nice;local;2015;2;;\n"
            "IMP-B;Banque coordonnée;Nice;local;2016;2;;%s\n"
            "IMP-C;Banque coécrite;Nice;local;2017;2;%s;\n" % (W["mailcoord"], W["coord"]))
    r = expect(upload(srv, head + rows), 200)
    assert (r["created"], r["updated"], r["unchanged"], r["rejected"]) == (3, 0, 0, []), r
    a, b, c = (ref_id(srv, t) for t in ("Banque seule", "Banque coordonnée", "Banque coécrite"))
    got = feed(srv, "watcher")
    assert ("innovation", b) in got and ("innovation", c) in got, got
    assert all(i != a for _, i in got), got       # the admin's own bank record: no activity
    # a follower hears of an imported update, even on the admin's own record
    expect(api(srv, "member", "POST", "/innovations/%s/follow" % a), 200)
    r = expect(upload(srv, head + rows.replace("Banque seule;Nice;local;2015", "Banque seule;Nice;local;2014")), 200)
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 1, 2), r
    assert ("innovation_update", a) in feed(srv, "member")


def test_import_counts_as_the_contract_says(srv):
    head = "ref;title;academy;type;started_year;duration_years\n"
    r = expect(upload(srv, head + "CNT-1;Compte;Nice;local;2020;2\nCNT-2;;Nice;local;2020;2\n"), 200)
    assert {"created", "updated", "unchanged", "rejected"} <= set(r), r
    assert (r["created"], r["updated"], r["unchanged"], r["rejected_count"]) == (1, 0, 0, 1), r
    assert [x["line"] for x in r["rejected"]] == [3], r
    path = csv_file(head + "CNT-1;Compte;Nice;local;2020;2\nCNT-3;Autre;Nice;local;2020;2\nCNT-4;;Nice;local;2020;2\n")
    try:
        out = run(srv, "innovations", "import", path)
    finally:
        os.unlink(path)
    assert out.returncode == 0, out
    assert re.search(r"^1 created, 0 updated, 1 unchanged, 1 rejected$", out.stdout, re.M), out.stdout
    path = csv_file("uai;name;academy\n0061234A;École du Port;Nice\n0060000Q;Nouvelle école;Nice\nXX;Sans UAI;Nice\n")
    try:
        out = run(srv, "schools", "import", path)
    finally:
        os.unlink(path)
    assert out.returncode == 0, out
    assert re.search(r"^1 created, \d+ updated, \d+ unchanged, 1 rejected$", out.stdout, re.M), out.stdout
