"""Search: French-aware matching, ranking, filters, snippets, pages, the
directory on the same engine, file texts, hostile queries, and a leak matrix:
for every viewer, what the search shows (results, counts, snippets,
suggestions, the page) is exactly what the access rules let them see."""
import re
import subprocess
import time
import urllib.parse
import zlib

from lib import expect, server_today, multipart, wait_until

S = {}
WORLD = []          # (marker, kind, id, viewers who may see it)


def q(srv, query, token=None, **params):
    params["q"] = query
    r = srv.api("GET", "/search?" + urllib.parse.urlencode(params), token=token)
    assert r.status == 200, (query, params, r)
    return r.json()


def ids(res, kind=None):
    return [(x["type"], x["id"]) for x in res["items"] if kind is None or x["type"] == kind]


def titles(res):
    return [x["title"] for x in res["items"]]


def post(srv, token, title, body, **extra):
    o = {"kind": "discussion", "title": title, "body": body, "visibility": "members"}
    o.update(extra)
    r = srv.api("POST", "/posts", o, token=token)
    assert r.status == 201, r
    return r.json()["id"]


def pdf_with_text(text):
    """A small valid PDF whose one page says text (Helvetica, WinAnsi)."""
    stream = ("BT /F1 14 Tf 72 720 Td (%s) Tj ET" % text.replace("(", "").replace(")", "")).encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def upload(srv, token, name, data, ctype, **fields):
    body, ct = multipart(fields, [("file", (name, data, ctype))])
    r = srv.api("POST", "/documents", raw=body, token=token, headers={"Content-Type": ct})
    assert r.status == 201, r
    return r.json()["id"]


# ---- the world -----------------------------------------------------------------

def test_setup(srv):
    for key, email, name in [("a", "auteur.recherche@ac-lyon.fr", "Aurélie Chercheuse"),
                             ("b", "contact.recherche@ac-lyon.fr", "Bastien Contact"),
                             ("c", "membre.recherche@ac-nice.fr", "Céline Membre"),
                             ("d", "groupe.recherche@ac-lille.fr", "Denis Groupe"),
                             ("m", "admin.recherche@education.gouv.fr", "Maëlle Admin")]:
        S[key], S["t" + key] = srv.member(email, name, admin=(key == "m"))
    a, b, d = S["ta"], S["tb"], S["td"]
    assert srv.api("POST", "/contacts", {"user_id": S["b"]}, token=a).status == 201
    assert srv.api("POST", f"/contacts/{S['a']}/accept", token=b).status == 200
    for vis in ("open", "closed", "secret"):
        r = srv.api("POST", "/groups", {"name": f"Cercle {vis} zgroupe{vis}", "description": "Échanges de pratiques",
                                        "kind": "practice", "visibility": vis}, token=a)
        S["g" + vis] = expect(r, 201)["id"]
        assert srv.api("POST", f"/groups/{S['g' + vis]}/invitations", {"user_id": S["d"]}, token=a).status == 201
        assert srv.api("POST", f"/groups/{S['g' + vis]}/join", token=d).status == 200
    # profiles for the directory
    assert srv.api("PATCH", "/me", {"subjects": ["Mathématiques"], "levels": ["Collège"], "school": "Collège Émile Zola",
                                    "interests": ["Évaluation par compétences"], "bio": "Professeure de maths."},
                   token=a).status == 200
    assert srv.api("PATCH", "/me", {"subjects": ["Histoire-géographie"], "levels": ["Lycée"]}, token=b).status == 200


def visible_to(vis, group=None):
    """Who of a, b, c, d, m and the visitor (v) may see an item (the rules of src/domain/access.h)."""
    everyone = {"a", "b", "c", "d", "m", "v"}
    members = everyone - {"v"}
    if group in ("closed", "secret") or (group == "open" and vis == "group"):
        return {"a", "d"}
    if vis == "public":
        return everyone
    if vis == "members":
        return members
    if vis == "contacts":
        return {"a", "b"}
    return {"a"}  # private


def test_the_leak_matrix_world(srv):
    combos = [(None, v) for v in ("public", "members", "contacts", "private")] + \
             [("open", v) for v in ("public", "members", "group")] + [("closed", "group"), ("secret", "group")]
    for n, (g, vis) in enumerate(combos):
        marker = "zmarq%02d" % n
        extra = {"visibility": vis}
        if g:
            extra["group_id"] = S["g" + g]
        pid = post(srv, S["ta"], f"Fil {marker} titre", f"Corps du fil {marker}corps.", **extra)
        WORLD.append((marker, "post", pid, visible_to(vis, g)))
        r = srv.api("POST", f"/posts/{pid}/replies", {"body": f"Réponse {marker}rep visible"}, token=S["ta"])
        WORLD.append((marker + "rep", "reply", expect(r, 201)["id"], visible_to(vis, g)))
        # a hidden reply: only its author and those who moderate (admins, the group's moderators)
        r = srv.api("POST", f"/posts/{pid}/replies", {"body": f"Réponse {marker}cache masquée"}, token=S["ta"])
        rid = expect(r, 201)["id"]
        mod = "ta" if g else "tm"
        if g is None and vis in ("contacts", "private"):
            WORLD.append((marker + "cache", "reply", rid, visible_to(vis, g)))  # nobody may hide it: shown
        else:
            assert srv.api("POST", f"/replies/{rid}/hide", {}, token=S[mod]).status == 200
            # hidden: its author and those who moderate (the owner, admins), among those who see the post
            WORLD.append((marker + "cache", "reply", rid, visible_to(vis, g) & {"a", "m"}))
        # documents follow the post rule
        did = upload(srv, S["ta"], f"{marker}.txt", f"Fiche {marker}doc pour la classe\n".encode(), "text/plain",
                     title=f"Document {marker}doc", visibility=vis,
                     **({"group_id": str(S["g" + g])} if g else {}))
        WORLD.append((marker + "doc", "document", did, visible_to(vis, g)))
    # groups and people
    for vis in ("open", "closed", "secret"):
        who = {"a", "b", "c", "d", "m", "v"} if vis == "open" else \
            {"a", "b", "c", "d", "m"} if vis == "closed" else {"a", "d"}
        WORLD.append(("zgroupe" + vis, "group", S["g" + vis], who))
    WORLD.append(("chercheuse", "user", S["a"], {"a", "b", "c", "d", "m"}))


def viewers():
    return [("a", S["ta"]), ("b", S["tb"]), ("c", S["tc"]), ("d", S["td"]), ("m", S["tm"]), ("v", None)]


def test_results_counts_and_suggestions_show_exactly_what_each_viewer_may_see(srv):
    bad = []
    assert len(WORLD) > 30, WORLD  # the world above was made
    for marker, kind, iid, who in WORLD:
        for name, token in viewers():
            res = q(srv, marker, token, type=kind)
            found = (kind, iid) in ids(res)
            if found != (name in who):
                bad.append(f"{name} searching {marker}: {'found' if found else 'missed'} {kind} {iid}")
            others = [x for x in res["items"] if (x["type"], x["id"]) != (kind, iid)]
            for x in others:  # a prefix may find more of the world: each must be visible too
                ok = any((k, i) == (x["type"], x["id"]) and name in w for _, k, i, w in WORLD)
                if not ok and not (x["type"] == "user"):
                    bad.append(f"{name} searching {marker}: also got {x['type']} {x['id']} ({x['title']})")
            if res["counts"][kind] != len(ids(res, kind)):
                bad.append(f"{name} searching {marker}: count {res['counts'][kind]} for {len(ids(res, kind))} shown")
            for x in res["items"]:
                for m2, k2, i2, w2 in WORLD:
                    if name not in w2 and re.search(r"\b%s\b" % m2, x["snippet"] + x["title"]):
                        bad.append(f"{name} searching {marker}: snippet or title shows {m2}")
            sug = expect(srv.api("GET", "/search/suggest?" + urllib.parse.urlencode({"q": marker, "type": kind}),
                                 token=token), 200)["items"]
            if ((kind, iid) in [(s["type"], s["id"]) for s in sug]) != (name in who):
                bad.append(f"{name} suggestions for {marker}: wrong about {kind} {iid}")
    assert not bad, "\n".join(bad[:60])


def test_all_kinds_at_once_and_the_page_agree_with_the_api(srv):
    bad = []
    for name, token in viewers():
        res = q(srv, "zmarq", token, limit=50)
        expected = {(k, i) for m, k, i, w in WORLD if m.startswith("zmarq") and name in w}
        got = set(ids(res))
        pages, cursor = list(ids(res)), res["next"]
        while cursor:
            more = q(srv, "zmarq", token, limit=50, cursor=cursor)
            pages += ids(more)
            cursor = more["next"]
        if set(pages) != expected or len(pages) != len(set(pages)):
            bad.append(f"{name}: {sorted(expected - set(pages))} missing, {sorted(set(pages) - expected)} extra")
        if sum(res["counts"].values()) != len(expected):
            bad.append(f"{name}: counts {res['counts']} for {len(expected)} visible")
        del got
    # the page, as a visitor and as the unrelated member
    page = srv.web().get("/search?q=zmarq")
    assert page.status == 200
    for m, k, i, w in WORLD:
        shown = re.search(r"\b%s\b" % m, page.text) is not None
        if shown and "v" not in w:
            bad.append(f"visitor page shows {m}")
    w = srv.web()
    w.login("membre.recherche@ac-nice.fr")
    page = w.get("/search?q=zmarq&type=post")
    for m, k, i, who in WORLD:
        if k == "post" and (re.search(r"\b%s\b" % m, page.text) is not None) != ("c" in who):
            bad.append(f"member page wrong about {m}")
    assert not bad, "\n".join(bad)


def test_the_rules_apply_at_search_time(srv):
    """A member who leaves a closed group stops finding its posts at once; a
    deleted post is gone; an edited title is found by its new words only."""
    marker = "zmarq07"  # closed group, group visibility
    assert ("post", [x for x in WORLD if x[0] == marker][0][2]) in ids(q(srv, marker, S["td"], type="post"))
    assert srv.api("POST", f"/groups/{S['gclosed']}/leave", token=S["td"]).status == 200
    assert q(srv, marker, S["td"])["items"] == []
    assert q(srv, marker, S["td"])["counts"]["post"] == 0
    assert srv.api("POST", f"/groups/{S['gclosed']}/invitations", {"user_id": S["d"]}, token=S["ta"]).status == 201
    assert srv.api("POST", f"/groups/{S['gclosed']}/join", token=S["td"]).status == 200
    pid = post(srv, S["ta"], "Ancien zintitule", "Texte")
    assert ids(q(srv, "zintitule", S["tc"])) == [("post", pid)]
    assert srv.api("PATCH", f"/posts/{pid}", {"title": "Nouveau zlibelle"}, token=S["ta"]).status == 200
    assert q(srv, "zintitule", S["tc"])["items"] == []
    assert ids(q(srv, "zlibelle", S["tc"])) == [("post", pid)]
    assert srv.api("DELETE", f"/posts/{pid}", token=S["ta"]).status == 204
    assert q(srv, "zlibelle", S["tc"])["items"] == []


# ---- matching ---------------------------------------------------------------------

def test_french_aware_matching(srv):
    t = S["tc"]
    p1 = post(srv, S["ta"], "Évaluation des élèves en mathématiques", "Une grille pour évaluer le travail de groupe.")
    p2 = post(srv, S["ta"], "Groupe de travail", "Le groupe se réunit ; travail en cours.")
    # accents and case folded, both ways
    for word in ("eleve", "ÉLÈVES", "élève", "Eleves"):
        assert ("post", p1) in ids(q(srv, word, t)), word
    # prefixes while typing, and the family of a word
    for word in ("mathém", "math", "évaluer", "evaluations", "évalu"):
        assert ("post", p1) in ids(q(srv, word, t)), word
    # every word must match
    assert ("post", p1) not in ids(q(srv, "élève cuisine", t))
    # phrases in quotes: the words in that order
    res = ids(q(srv, '"travail de groupe"', t))
    assert ("post", p1) in res and ("post", p2) not in res, res
    assert ("post", p2) in ids(q(srv, "travail groupe", t))
    # function words are not required
    assert ("post", p1) in ids(q(srv, "l'évaluation des élèves", t))
    S["p1"], S["p2"] = p1, p2


def test_the_ligatures_fold_alike_in_the_index_and_the_query(srv):
    t = S["tc"]
    pid = post(srv, S["ta"], "Le cœur du zligature", "Classés ex æquo, les ŒUVRES des élèves et l'ÆTHER.")
    words = ("coeur", "cœur", "COEUR", "CŒUR", "Cœur", "aequo", "æquo", "ÆQUO", '"ex aequo"', '"ex æquo"',
             "oeuvres", "œuvre", "aether", "æther")

    def check():
        for word in words:
            assert ("post", pid) in ids(q(srv, word + " zligature", t)), word
    check()
    # the snippet marks the word as written
    x = [i for i in q(srv, "aequo zligature", t)["items"] if i["id"] == pid][0]
    assert "<mark>æquo</mark>" in x["snippet_html"], x
    # the same after the index is rebuilt from the tables
    r = subprocess.run([srv.bin, "reindex", "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                       env=srv.env, timeout=120)
    assert r.returncode == 0, r.stderr
    check()


def test_ranking_title_first_then_recent(srv):
    t = S["tc"]
    body_only = post(srv, S["ta"], "Compte rendu", "On y parle de zpedagogie active.")
    in_title = post(srv, S["ta"], "La zpedagogie active", "Compte rendu de séance.")
    res = ids(q(srv, "zpedagogie", t))
    assert res.index(("post", in_title)) < res.index(("post", body_only)), res
    # the same words: the newer first
    older = post(srv, S["ta"], "zrecent atelier", "Atelier")
    newer = post(srv, S["ta"], "zrecent atelier", "Atelier")
    assert ids(q(srv, "zrecent", t))[:2] == [("post", newer), ("post", older)] or \
        ids(q(srv, "zrecent", t))[0] in (("post", newer), ("post", older))


def test_ranking_counts_how_often_the_words_appear(srv):
    t = S["tc"]
    once = post(srv, S["ta"], "Séance de mars", "Un mot sur la zfrequence des sons, et le reste sur autre chose.")
    often = post(srv, S["ta"], "Séance d'avril", "La zfrequence, encore la zfrequence, toujours la zfrequence.")
    once_more = post(srv, S["ta"], "Séance de mai", "Un mot sur la zfrequence des sons, et le reste sur autre chose.")
    res = ids(q(srv, "zfrequence", t))
    assert res[0] == ("post", often), res
    assert set(res[1:]) == {("post", once), ("post", once_more)}, res
    two = ids(q(srv, "zfrequence sons", t))  # every word, or nothing
    assert set(two) == {("post", once), ("post", once_more)}, two


def test_snippets_are_highlighted_and_escaped(srv):
    pid = post(srv, S["ta"], "Sécurité", "Un texte <script>alert(1)</script> avec le mot zsurligne au milieu "
               "d'une phrase assez longue pour que l'extrait soit coupé ailleurs.")
    x = [i for i in q(srv, "zsurligne", S["tc"])["items"] if i["id"] == pid][0]
    assert "<mark>zsurligne</mark>" in x["snippet_html"], x
    assert "<script" not in x["snippet_html"] and "&lt;/script&gt;" in x["snippet_html"], x
    assert "zsurligne" in x["snippet"] and "<mark>" not in x["snippet"]
    page = srv.web()
    page.login("membre.recherche@ac-nice.fr")
    html = page.get("/search?q=zsurligne").text
    assert "<mark>zsurligne</mark>" in html and "<script>alert" not in html


def test_filters(srv):
    t = S["ta"]
    blog = post(srv, t, "zfiltre billet", "Texte", kind="blog")
    disc = post(srv, t, "zfiltre discussion", "Texte", group_id=S["gopen"], visibility="members")
    assert ids(q(srv, "zfiltre", t, type="post", kind="blog")) == [("post", blog)]
    assert ids(q(srv, "zfiltre", t, group_id=S["gopen"])) == [("post", disc)]
    assert set(ids(q(srv, "zfiltre", t, author_id=S["a"]))) == {("post", blog), ("post", disc)}
    assert q(srv, "zfiltre", t, author_id=S["b"])["items"] == []
    today = server_today()
    got = ids(q(srv, "zfiltre", t, **{"from": today, "to": today}))
    assert len(got) == 2, (today, got, time.time())
    assert q(srv, "zfiltre", t, to="2020-01-01")["items"] == []
    # subjects and levels: people and documents
    did = upload(srv, t, "zsujet.txt", b"Fiche\n", "text/plain", title="zsujet fiche", subjects="SVT", levels="Seconde")
    assert ids(q(srv, "zsujet", t, subject="svt")) == [("document", did)]
    assert q(srv, "zsujet", t, subject="Physique")["items"] == []
    assert ids(q(srv, "zsujet", t, level="Seconde", type="document")) == [("document", did)]
    assert ("user", S["a"]) in ids(q(srv, "chercheuse", t, subject="Mathématiques"))
    for bad in ({"type": "everything"}, {"group_id": "abc"}, {"from": "2026-13-01"}, {"to": "hier"},
                {"cursor": "-1"}, {"cursor": "x"}, {"limit": "0"}, {"limit": "500"}, {"author_id": "0"}):
        r = srv.api("GET", "/search?" + urllib.parse.urlencode({"q": "x", **bad}), token=t)
        err = r.json()["error"] if r.status == 400 else {}
        assert err.get("code") == "invalid_parameter" and err.get("field") == next(iter(bad)), (bad, r)


def test_pages_follow_on_without_gaps(srv):
    t = S["ta"]
    made = {post(srv, t, "zpagine %d" % i, "Texte") for i in range(45)}
    seen, cursor, n = [], None, 0
    while True:
        res = q(srv, "zpagine", t, limit=20, **({"cursor": cursor} if cursor else {}))
        seen += [i for k, i in ids(res)]
        cursor = res["next"]
        n += 1
        if not cursor:
            break
    assert n == 3 and len(seen) == 45 and set(seen) == made
    assert res["counts"]["post"] == 45


def test_empty_and_fruitless_queries_answer_with_help(srv):
    for query in ("", "   ", "*", "\"\"", "()"):
        res = q(srv, query, S["tc"])
        assert res["items"] == [] and res["empty_query"] is True, (query, res)
    res = q(srv, "zzzaucunresultat", S["tc"])
    assert res["items"] == [] and res["empty_query"] is False and sum(res["counts"].values()) == 0
    w = srv.web()
    assert "Quelques conseils" in w.get("/search").text
    page = w.get("/search?q=zzzaucunresultat")
    assert page.status == 200 and "Aucun résultat pour « zzzaucunresultat »" in page.text


def test_hostile_queries_never_fail(srv):
    queries = ['"', '"""', "*", "**a", "a*b", "NEAR(a b)", "a NEAR b", "a OR b", "a AND", "NOT a", "title:x",
               "body:x", "^x", "-x", "+x", "x:*", "'", "''", "\\", "%", "_", "{}", "[]", "()", "!", "&|", "<->",
               "a & b | !c", "a <-> b", "'a':*", "\x7f", "é" * 300, "a " * 400, "😀 émoji",
               "l’élève", "« citation", "SELECT * FROM users", "'; DROP TABLE posts; --"]
    for query in queries:
        # every one is plain text: searched (200), unless it holds a control character (DEL here):
        # 400 invalid_query (as a query over 1000 bytes, below)
        want = 400 if "\x7f" in query or len(query.encode()) > 1000 else 200
        for token in (S["tc"], None):
            r = srv.api("GET", "/search?" + urllib.parse.urlencode({"q": query}), token=token)
            assert r.status == want, (query, r)
            if want == 400:
                assert r.json()["error"]["code"] == "invalid_query", (query, r)
            else:
                assert isinstance(r.json()["items"], list), (query, r)
            r = srv.api("GET", "/search/suggest?" + urllib.parse.urlencode({"q": query}), token=token)
            assert r.status == want, (query, r)
            r = srv.web().get("/search?" + urllib.parse.urlencode({"q": query}))
            assert r.status == want, (query, r)
    # 10 kB, invalid UTF-8, control characters: a clear 400
    for raw in ["a" * 10000, "%ff%fe", "caf%c3", "a%0ab", "a%1bb"]:
        r = srv.api("GET", "/search?q=" + raw, token=S["tc"])
        assert r.status == 400 and r.json()["error"]["code"] == "invalid_query", (raw, r)
        assert srv.web().get("/search?q=" + raw).status == 400
    assert ids(q(srv, "évaluation", S["tc"]))  # still serving


def test_the_directory_uses_the_same_engine(srv):
    t = S["tc"]
    for query in ("chercheuse", "CHERCHEUSE", "aurelie", "Aurélie", "mathematiques", "emile zola", "compétences",
                  "evaluation", "maths"):
        r = srv.api("GET", "/users?" + urllib.parse.urlencode({"q": query}), token=t)
        assert r.status == 200 and S["a"] in [u["id"] for u in r.json()["items"]], (query, r)
    r = srv.api("GET", "/users?" + urllib.parse.urlencode({"interest": "Évaluation par compétences"}), token=t)
    assert [u["id"] for u in r.json()["items"]] == [S["a"]]
    r = srv.api("GET", "/users?" + urllib.parse.urlencode({"school": "collège émile zola"}), token=t)
    assert S["a"] in [u["id"] for u in r.json()["items"]]
    r = srv.api("GET", "/users?" + urllib.parse.urlencode({"q": "histoire"}), token=t)
    assert [u["id"] for u in r.json()["items"]] == [S["b"]]
    # people are for members only
    assert q(srv, "chercheuse", None)["counts"]["user"] == 0


def test_the_words_of_files_are_found(srv):
    t = S["ta"]
    pdf = upload(srv, t, "cours.pdf", pdf_with_text("Le theoreme de zpythagore en quatrieme"), "application/pdf",
                 title="Cours de géométrie", visibility="members")
    md = upload(srv, t, "notes.md", "# Notes\n\nLa **zphotosynthese** expliquée.\n".encode(), "text/markdown",
                title="Notes de SVT", visibility="group", group_id=str(S["gclosed"]))
    assert wait_until(lambda: ("document", pdf) in ids(q(srv, "zpythagore", S["tc"])), timeout=20)
    x = [i for i in q(srv, "zpythagore", S["tc"])["items"] if i["id"] == pdf][0]
    assert "<mark>zpythagore</mark>" in x["snippet_html"], x
    assert wait_until(lambda: ("document", md) in ids(q(srv, "zphotosynthese", S["td"])), timeout=20)
    assert q(srv, "zphotosynthese", S["tc"])["items"] == []  # not in the closed group
    assert q(srv, "zphotosynthese", None)["items"] == []


def test_reindex_rebuilds_the_same_index(srv):
    before = q(srv, "zmarq", S["tm"], limit=50)
    r = subprocess.run([srv.bin, "reindex", "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                       env=srv.env, timeout=120)
    assert r.returncode == 0 and "search index rebuilt" in r.stdout, r.stderr
    after = q(srv, "zmarq", S["tm"], limit=50)
    assert sorted(ids(before)) == sorted(ids(after)) and before["counts"] == after["counts"]
    assert ("document", [x for x in WORLD if x[0] == "zmarq00doc"][0][2]) in ids(q(srv, "zmarq00doc", S["tm"]))
    r = subprocess.run([srv.bin, "reindex", "--nope"], capture_output=True, text=True, env=srv.env, timeout=30)
    assert r.returncode == 2 and "unknown argument" in r.stderr


def test_every_page_has_the_search_box(srv):
    for path in ("/", "/login", "/search", "/groups"):
        html = srv.web().get(path).text
        assert 'role="search"' in html and 'action="/search"' in html and 'name="q"' in html, path


def test_older_matches_are_found_behind_many_newer_ones_the_viewer_may_not_see(srv):
    """Unfiltered searches rank the newest matches first (src/domain/search.h,
    SEARCH_WINDOW); when those are all in a secret group, an older item the
    viewer may see is still found, on the page and in the API."""
    old = post(srv, S["ta"], "Fil zvieillerie ancien", "Une zvieillerie qui date un peu.")
    S["old_doc"] = upload(srv, S["ta"], "vieux.txt", "Une fiche sur la zvieillerie\n".encode(), "text/plain",
                          title="Fiche zvieillerie", visibility="members")
    time.sleep(1.1)  # times are in seconds: the replies are strictly newer
    pid = post(srv, S["td"], "Fil du groupe secret", "Sans le mot.", visibility="group", group_id=S["gsecret"])
    for i in range(1010):
        r = srv.api("POST", f"/posts/{pid}/replies", {"body": f"zvieillerie numéro {i}"}, token=S["td"])
        assert r.status == 201, r
    S["old_post"] = old
    res = q(srv, "zvieillerie", S["tc"])
    assert sorted(ids(res)) == sorted([("post", old), ("document", S["old_doc"])]), res
    w = srv.web()
    w.login("membre.recherche@ac-nice.fr")
    html = w.get("/search?q=zvieillerie").text
    assert f"/posts/{old}" in html
    # a member of the group sees the newest replies first, and more of them
    res = q(srv, "zvieillerie", S["td"])
    assert len(res["items"]) == 20 and all(x["type"] == "reply" for x in res["items"]), res
    # 1010 replies match: the count stops at 1000 and says it is not exact ("more than 1000")
    assert res["counts"]["reply"] == 1000 and res["counts_exact"] is False, res["counts"]


def test_after_a_reindex_the_newest_matches_are_still_the_newest_items(srv):
    """The index is filled kind after kind by a reindex; the window of the
    newest matches must still follow the items' creation: the older document
    is outside it for a member who sees the 1010 newer replies, and still
    found by one who does not."""
    before = q(srv, "zvieillerie", S["td"])
    r = subprocess.run([srv.bin, "reindex", "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                       env=srv.env, timeout=300)
    assert r.returncode == 0, r.stderr
    after = q(srv, "zvieillerie", S["td"])
    assert after["counts"]["document"] == 0 and not after["counts_exact"], after["counts"]
    assert ids(after) == ids(before) and all(x["type"] == "reply" for x in after["items"])
    res = q(srv, "zvieillerie", S["tc"])
    assert sorted(ids(res)) == sorted([("post", S["old_post"]), ("document", S["old_doc"])]), res
    # new items after the reindex come after the old ones
    new = post(srv, S["td"], "Fil zvieillerie tout neuf", "zvieillerie du jour", visibility="members")
    assert ("post", new) in ids(q(srv, "zvieillerie", S["tc"]))


def test_counts_of_the_newest_matches_say_more_than_what_they_found(srv):
    """Without filters only the newest matches are counted: when those are
    not all the matches, the page says "more than" the number found among
    them, never a number it did not count."""
    for i in range(30):
        post(srv, S["ta"], f"Fil zvieillerie récent {i}", "Encore une zvieillerie.", visibility="members")
    res = q(srv, "zvieillerie", S["tc"])
    assert len(res["items"]) == 20 and not res["counts_exact"], res["counts"]
    assert res["counts"]["post"] == 31 and res["counts"]["reply"] == 0, res["counts"]  # 30 + the one of before
    w = srv.web()
    w.login("membre.recherche@ac-nice.fr")
    html = w.get("/search?q=zvieillerie").text
    assert "plus de 31 résultats" in html and '<span class="count">31+</span>' in html, html
    assert "plus de 1 000" not in html
