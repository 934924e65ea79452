"""Facet counts of the innovation catalogue (issue 19, performance): one statement counts
every facet and the total, and the counts are kept per generation of the records. Checked
against counts made here from the records themselves, for every kind of caller and
combinations of one to three filters; and after each kind of write (creation, tags, support,
hiding, co-authors, deletion, an import by another process) the next answer counts the
change."""
import csv
import datetime
import io
import itertools
import os
import subprocess
import tempfile
import urllib.parse

from lib import expect

W = {}
R = {}          # key -> the record as sent, with its id, hidden flag and co-authors
YEAR = datetime.datetime.utcnow().year
FACETS = ("academy", "type", "support", "year", "level", "theme")


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=120)


def add(srv, key, who="coord", hidden=False, coauthors=(), support=None, **kw):
    body = {"title": "Fiche %s" % key, "summary": "Résumé", "academy": "Nice", "levels": ["CM1"],
            "themes": ["Numérique"], "type": "local", "started_year": 2020, "duration_years": 2,
            "visibility": "public", "coauthors": [W[c] for c in coauthors]}
    body.update(kw)
    x = expect(api(srv, who, "POST", "/innovations", body), 201)
    rec = dict(body, id=x["id"], hidden=False, coordinator=W[who], support="none", team={W[who]} | {W[c] for c in coauthors})
    R[key] = rec
    if support:
        expect(api(srv, "admin", "PATCH", "/innovations/%s" % x["id"], {"support": support}), 200)
        rec["support"] = support
    if hidden:
        expect(api(srv, "admin", "PATCH", "/innovations/%s" % x["id"], {"hidden": True}), 200)
        rec["hidden"] = True
    return rec


def opens(who, rec):
    """The access rule, written again: may who open rec?"""
    if rec["visibility"] == "members" and not who:
        return False
    if rec["hidden"]:
        return bool(who) and (who == "admin" or W[who] in rec["team"])
    return True


def value_of(rec, facet):
    return {"academy": [rec["academy"]], "type": [rec["type"]], "support": [rec["support"]],
            "year": [str(rec["started_year"])], "level": rec["levels"], "theme": rec["themes"]}[facet]


def passes(rec, filters, but=None):
    for k, v in filters.items():
        if k == but:
            continue
        if str(v) not in value_of(rec, k):
            return False
    return True


def expected(who, filters):
    """(total, {facet: {value: count}}) counted from R."""
    seen = [r for r in R.values() if opens(who, r)]
    total = sum(1 for r in seen if passes(r, filters))
    facets = {}
    for f in FACETS:
        c = {}
        for r in seen:
            if passes(r, filters, but=f):
                for v in set(value_of(r, f)):
                    c[v] = c.get(v, 0) + 1
        facets[f] = c
    return total, facets


def check(srv, who, filters):
    q = urllib.parse.urlencode(filters)
    r = expect(api(srv, who, "GET", "/innovations" + ("?" + q if q else "")), 200)
    total, facets = expected(who, filters)
    assert r["total"] == total, (who, filters, r["total"], total)
    ids = sorted((x["id"] for x in R.values() if opens(who, x) and passes(x, filters)), reverse=True)
    assert [x["id"] for x in r["items"]] == ids[:20], (who, filters, r["items"], ids)
    assert bool(r["next"]) == (len(ids) > 20), (who, filters, r["next"])
    for f in FACETS:
        got = {str(x["value"]): x["count"] for x in r["facets"][f]}
        assert got == facets[f], (who, filters, f, got, facets[f])
        counts = [x["count"] for x in r["facets"][f]]
        if f == "year":
            assert [int(x["value"]) for x in r["facets"][f]] == sorted((int(x["value"]) for x in r["facets"][f]),
                                                                      reverse=True)
        else:
            assert counts == sorted(counts, reverse=True), (f, r["facets"][f])
    return r


def test_world(srv):
    for k in ("coord", "coauthor", "member", "other", "admin"):
        W[k], W["t" + k] = srv.member("fac.%s@ac-nice.fr" % k, "Fac %s" % k.capitalize(), admin=(k == "admin"))
    add(srv, "a", levels=["CM1", "CM2"], themes=["Numérique", "Inclusion"])
    add(srv, "b", academy="Lyon", type="experimentation", started_year=2019, support="followed")
    add(srv, "c", academy="Lyon", visibility="members", levels=["6e"], themes=["Inclusion"])
    add(srv, "d", academy="Nice", hidden=True, coauthors=("coauthor",), themes=["Inclusion", "Sciences"])
    add(srv, "e", who="other", academy="Reims", visibility="members", hidden=True, levels=["CM2", "6e"])
    add(srv, "f", who="member", academy="Reims", started_year=2021, support="selected", themes=["Sciences"])
    add(srv, "g", academy="Nice", type="experimentation", visibility="members", levels=["CM2"],
        themes=["Numérique", "Sciences"])


COMBOS = [{}, {"academy": "Nice"}, {"theme": "Inclusion"}, {"level": "CM2"}, {"year": 2020},
          {"academy": "Nice", "theme": "Numérique"}, {"academy": "Lyon", "type": "experimentation"},
          {"theme": "Sciences", "level": "CM2"}, {"support": "none", "year": 2020},
          {"academy": "Nice", "theme": "Inclusion", "level": "CM1"},
          {"academy": "Reims", "type": "local", "support": "selected", "year": 2021},
          {"academy": "Atlantide"}, {"theme": "Sciences", "academy": "Nice", "type": "local", "level": "CM2"}]
WHO = (None, "member", "coauthor", "coord", "other", "admin")


def test_counts_equal_what_each_caller_may_open(srv):
    # twice: the second pass answers from the kept counts
    for _ in range(2):
        for who, filters in itertools.product(WHO, COMBOS):
            check(srv, who, filters)


def test_counts_with_a_search_and_filters_outside_the_facets(srv):
    r = expect(api(srv, "member", "GET", "/innovations?q=Fiche&academy=Nice"), 200)
    assert r["total"] == sum(1 for x in R.values() if opens("member", x) and x["academy"] == "Nice")
    assert {x["value"]: x["count"] for x in r["facets"]["academy"]} == \
        {a: sum(1 for x in R.values() if opens("member", x) and x["academy"] == a) for a in ("Nice", "Lyon", "Reims")}
    r = expect(api(srv, "coord", "GET", "/innovations?subject=Sciences&theme=Inclusion"), 200)
    assert r["total"] == 0 and all(x["count"] == 0 for f in FACETS for x in r["facets"][f]) is True


def test_every_write_moves_the_counts(srv):
    filters = {"academy": "Nice", "theme": "Numérique"}
    everyone = lambda: [check(srv, who, f) for who in WHO for f in (filters, {}, {"level": "CM2"})]
    everyone()
    # a new record
    x = add(srv, "h", levels=["CM2"], themes=["Numérique"])
    everyone()
    # its tags change
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"themes": ["Inclusion"], "levels": ["6e"]}), 200)
    x["themes"], x["levels"] = ["Inclusion"], ["6e"]
    everyone()
    # its support, its academy, its year
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % x["id"], {"support": "autonomous"}), 200)
    x["support"] = "autonomous"
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"academy": "Lyon", "started_year": 2018}), 200)
    x["academy"], x["started_year"] = "Lyon", 2018
    everyone()
    # hidden: only its team and admins count it
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % x["id"], {"hidden": True}), 200)
    x["hidden"] = True
    everyone()
    # a member joins the team of a hidden record: they count it at once
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"coauthors": [W["member"]]}), 200)
    x["team"] = {W["coord"], W["member"]}
    everyone()
    # and leaves it
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"coauthors": []}), 200)
    x["team"] = {W["coord"]}
    everyone()
    # shown again, visibility members
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % x["id"], {"hidden": False}), 200)
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"visibility": "members"}), 200)
    x["hidden"], x["visibility"] = False, "members"
    everyone()
    # deleted
    expect(api(srv, "coord", "DELETE", "/innovations/%s" % x["id"]), 204)
    del R["h"]
    everyone()


def test_an_import_by_another_process_moves_the_counts(srv):
    check(srv, "member", {"academy": "Nice"})
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("ref;title;academy;type;started_year;duration_years;themes;levels;visibility\n"
                "FAC-1;Importée;Nice;local;2020;2;Numérique;CM1;public\n")
    try:
        r = run(srv, "innovations", "import", f.name, "--as", "fac.admin@ac-nice.fr")
        assert r.returncode == 0, r
    finally:
        os.unlink(f.name)
    page = expect(api(srv, "admin", "GET", "/innovations?academy=Nice"), 200)
    x = [i for i in page["items"] if i["ref"] == "FAC-1"][0]
    R["imp"] = {"id": x["id"], "academy": "Nice", "type": "local", "support": "none", "started_year": 2020,
                "levels": ["CM1"], "themes": ["Numérique"], "visibility": "public", "hidden": False,
                "team": {W["admin"]}}
    for who in WHO:
        check(srv, who, {"academy": "Nice"})
        check(srv, who, {})


def test_the_catalogue_page_shows_the_same_counts(srv):
    r = srv.request("GET", "/innovations?academy=Nice&theme=Num%C3%A9rique")
    assert r.status == 200
    total, facets = expected(None, {"academy": "Nice", "theme": "Numérique"})
    html = r.text
    for v, n in facets["academy"].items():
        assert ">%s</a> <span class=\"count\">(%d)</span>" % (v, n) in html or \
            "%s</a> <span class=\"count\">(%d)</span>" % (v, n) in html, (v, n)


def test_pages_and_cursor_from_the_kept_counts(srv):
    for i in range(23):
        add(srv, "p%d" % i, academy="Amiens", visibility="members" if i % 2 else "public")
    for who in WHO:
        for _ in range(2):      # counted, then from the kept counts and first page
            r = check(srv, who, {"academy": "Amiens"})
            if r["next"]:
                r2 = expect(api(srv, who, "GET", "/innovations?academy=Amiens&cursor=%s" % r["next"]), 200)
                ids = sorted((x["id"] for x in R.values() if opens(who, x) and x["academy"] == "Amiens"),
                             reverse=True)
                assert [x["id"] for x in r2["items"]] == ids[20:40] and r2["total"] == len(ids), (who, r2)


def test_a_new_records_first_revision_is_its_stored_text(srv):
    # the first revision is written from the input (not read back): an edit that changes
    # nothing keeps no second revision, whatever spaces, repeats and case the input had
    body = {"title": "  Espaces autour  ", "summary": "S", "academy": "Nice", "uai": "0061234a",
            "levels": [" CM1 ", "CM1", "CM2"], "subjects": [], "themes": ["Numérique", "Numérique"],
            "keywords": ["a ", " b", "a"], "type": "local", "started_year": 2020, "duration_years": 2,
            "visibility": "members"}
    x = expect(api(srv, "coord", "POST", "/innovations", body), 201)
    R["rev"] = {"id": x["id"], "academy": "Nice", "type": "local", "support": "none", "started_year": 2020,
                "levels": ["CM1", "CM2"], "themes": ["Numérique"], "visibility": "members", "hidden": False,
                "team": {W["coord"]}}
    same = dict(body, title="Espaces autour", uai="0061234A", levels=["CM1", "CM2"], themes=["Numérique"],
                keywords=["a", "b"])
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], same), 200)
    revs = expect(api(srv, "coord", "GET", "/innovations/%s/revisions" % x["id"]), 200)["items"]
    assert [r["revision"] for r in revs] == [1], revs
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % x["id"], {"keywords": ["a"]}), 200)
    revs = expect(api(srv, "coord", "GET", "/innovations/%s/revisions" % x["id"]), 200)["items"]
    assert [r["revision"] for r in revs] == [2, 1], revs
    d = expect(api(srv, "coord", "GET", "/innovations/%s/diff?from=1&to=2" % x["id"]), 200)["lines"]
    changed = [l for l in d if l["op"] != "same"]
    assert changed and all("Mots-clés" in l["text"] or l["text"] in ("a", "b", "a, b") for l in changed), changed


def test_csv_export_reads_lists_and_coauthors_across_pages(srv):
    # 230 records (three pages of the export) with their lists and co-authors
    lines = ["ref;title;academy;type;started_year;duration_years;levels;themes;keywords;coauthors;visibility"]
    for i in range(230):
        co = "fac.coauthor@ac-nice.fr|fac.member@ac-nice.fr" if i % 3 == 0 else ("fac.other@ac-nice.fr" if i % 3 == 1 else "")
        lines.append("CSV-%03d;Fiche CSV %d;Lyon;local;2015;1;CM1|6e;Sciences|Inclusion;k%d|commun;%s;public"
                     % (i, i, i, co))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        r = run(srv, "innovations", "import", f.name, "--as", "fac.admin@ac-nice.fr")
        assert r.returncode == 0 and "230 created" in r.stdout, r
    finally:
        os.unlink(f.name)
    w = srv.web()
    w.login("fac.admin@ac-nice.fr")
    r = w.get("/innovations.csv?year=2015")
    assert r.status == 200, r
    rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))
    assert len(rows) == 230, len(rows)
    for row in rows:
        i = int(row["ref"][4:])
        assert row["levels"] == "CM1|6e" and row["themes"] == "Sciences|Inclusion", row
        assert row["keywords"] == "k%d|commun" % i, row
        want = [W["coauthor"], W["member"]] if i % 3 == 0 else ([W["other"]] if i % 3 == 1 else [])
        assert row["coauthors"] == "|".join(str(x) for x in want), (row["ref"], row["coauthors"], want)


def test_import_knows_refs_made_before_and_during_it(srv):
    # the import reads the bank's refs once: a ref created by the API before it is updated, a
    # ref repeated in the file is created then updated
    x = expect(api(srv, "coord", "POST", "/innovations", {"ref": "KNOWN-1", "title": "Avant", "academy": "Corse",
                                                          "type": "local", "started_year": 2020,
                                                          "duration_years": 1}), 201)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("ref;title;academy;type;started_year;duration_years\n"
                "KNOWN-1;Après;Corse;local;2020;1\n"
                "TWICE-1;Premier;Corse;local;2020;1\n"
                "TWICE-1;Second;Corse;local;2020;1\n")
    try:
        r = run(srv, "innovations", "import", f.name, "--as", "fac.admin@ac-nice.fr")
        assert r.returncode == 0 and "1 created, 2 updated, 0 unchanged, 0 rejected" in r.stdout, r
    finally:
        os.unlink(f.name)
    assert expect(api(srv, "admin", "GET", "/innovations/%s" % x["id"]), 200)["title"] == "Après"
    titles = [i["title"] for i in expect(api(srv, "admin", "GET", "/innovations?academy=Corse"), 200)["items"]]
    assert sorted(titles) == ["Après", "Second"], titles


def test_facet_links_keep_the_other_filters_in_order(srv):
    import html
    import re
    order = ["q", "academy", "level", "subject", "theme", "type", "support", "uai", "year", "sort"]
    filters = {"academy": "Nice", "theme": "Numérique", "type": "local", "year": "2020"}
    r = srv.request("GET", "/innovations?" + urllib.parse.urlencode(filters))
    assert r.status == 200, r
    page = r.text
    seen = 0
    for key in ("academy", "theme", "level", "type", "year", "support"):
        block = re.search(r'<section class="facet" aria-labelledby="facet-%s">(.*?)</section>' % key, page, re.S)
        if not block:           # a facet with no value under the other filters is not shown
            continue
        seen += 1
        links = re.findall(r'<a href="([^"]*)"( aria-current="true")?>', block.group(1))
        assert links and 'aria-current=&quot;' not in block.group(1), (key, block.group(1)[:600])
        for href, current in links:
            href = html.unescape(href)
            path, _, query = href.partition("?")
            assert path == "/innovations", href
            pairs = urllib.parse.parse_qsl(query)
            keys = [k for k, _ in pairs]
            assert keys == sorted(keys, key=order.index), href
            got = dict(pairs)
            want = {k: v for k, v in filters.items() if k != key}
            if current:
                assert got == want, (href, want)       # the current value's link removes it
            else:
                assert {k: v for k, v in got.items() if k != key} == want and got.get(key), href
    assert seen >= 3, seen
