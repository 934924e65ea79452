"""The import of innovation records from CSV (issue 19, "In and out"): the CLI, the API
(admins only) and the admins' page; idempotent by ref; validation as the API's; odd CSVs
(a BOM, ',' or ';', a quoted newline, a 1 MB row, 20,000 rows, a wrong separator or a
missing column, invalid UTF-8); the round trip export -> import -> export."""
import datetime
import os
import re
import subprocess
import tempfile
import time

from lib import expect, multipart

W = {}
YEAR = datetime.datetime.utcnow().year
HEAD = "ref;title;academy;type;started_year;duration_years"


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=300)


def upload(srv, who, data, query="", name="fiches.csv", timeout=30):
    if isinstance(data, str):
        data = data.encode()
    body, ctype = multipart({}, {"file": (name, data, "text/csv")})
    h = {"Content-Type": ctype}
    if who:
        h["Authorization"] = "Bearer " + W["t" + who]
    return srv.request("POST", "/api/v1/innovations/import" + query, body, h, timeout=timeout)


def csv_file(text):
    f = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    f.write(text if isinstance(text, bytes) else text.encode())
    f.close()
    return f.name


def get(srv, ref):
    """The record of ref as the admin sees it (found through the list, newest first)."""
    cursor = None
    while True:
        page = expect(srv.api("GET", "/innovations" + ("?cursor=%s" % cursor if cursor else ""), token=W["tadmin"]), 200)
        for it in page["items"]:
            if it["ref"] == ref:
                return expect(srv.api("GET", "/innovations/%s" % it["id"], token=W["tadmin"]), 200)
        cursor = page["next"]
        if not cursor:
            return None


def test_world(srv):
    for k in ("admin", "member", "coauthor", "coord"):
        W[k], W["t" + k] = srv.member("imp.%s@ac-nice.fr" % k, "Imp %s" % k.capitalize(), admin=(k == "admin"))


def test_only_admins_import(srv):
    data = HEAD + "\nA-1;Titre;Nice;local;2020;2\n"
    expect(upload(srv, None, data), 404)                             # an admin's route: 404 to anyone else
    expect(upload(srv, "member", data), 404)
    assert srv.web().get("/innovations/import").status == 404
    w = srv.web()
    w.login("imp.member@ac-nice.fr")
    assert w.get("/innovations/import").status == 404
    assert get(srv, "A-1") is None                                   # nothing was written


def test_create_then_unchanged_then_updated_with_a_revision(srv):
    data = ("ref;title;academy;type;started_year;duration_years;levels;themes;coauthors;coordinator_email;"
            "summary;visibility;support;support_comment\n"
            "B-1;Jardin pédagogique;Nice;local;2021;3;CM1|CM2;Développement durable|Sciences;imp.coauthor@ac-nice.fr;"
            "imp.coord@ac-nice.fr;Un **jardin**;public;followed;Bien suivi\n"
            "B-2;Tutorat;Lyon;experimentation;2019;2;6e;;%s;;;members;;\n" % W["coauthor"])
    r = expect(upload(srv, "admin", data), 200)
    assert (r["created"], r["updated"], r["unchanged"], r["rejected"]) == (2, 0, 0, []), r
    x = get(srv, "B-1")
    assert x["coordinator"]["id"] == W["coord"] and [c["id"] for c in x["coauthors"]] == [W["coauthor"]], x
    assert x["levels"] == ["CM1", "CM2"] and x["themes"] == ["Développement durable", "Sciences"], x
    assert x["support"] == "followed" and x["support_comment"] == "Bien suivi" and x["visibility"] == "public", x
    assert x["revision"] == 1, x
    y = get(srv, "B-2")
    assert y["coordinator"]["id"] == W["admin"] and y["visibility"] == "members", y   # no coordinator_email: the admin
    # the same file again: nothing changes
    r = expect(upload(srv, "admin", data), 200)
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 0, 2), r
    assert get(srv, "B-1")["revision"] == 1
    # a change: an update that keeps a revision by the admin
    r = expect(upload(srv, "admin", data.replace("Jardin pédagogique", "Jardin partagé")), 200)
    assert (r["created"], r["updated"], r["unchanged"]) == (0, 1, 1), r
    x = get(srv, "B-1")
    assert x["title"] == "Jardin partagé" and x["revision"] == 2, x
    revs = expect(srv.api("GET", "/innovations/%s/revisions" % x["id"], token=W["tadmin"]), 200)["items"]
    assert revs[0]["author"]["id"] == W["admin"] and len(revs) == 2, revs
    W["b1"] = x["id"]


def test_dry_run_writes_nothing(srv):
    data = HEAD + "\nC-1;Nouveau;Nice;local;2020;2\nB-1;Jardin renommé;Nice;local;2021;3\nC-1;Nouveau bis;Nice;local;2020;2\n"
    r = expect(upload(srv, "admin", data, "?dry_run=1"), 200)
    assert (r["created"], r["updated"], r["unchanged"], r["dry_run"]) == (1, 2, 0, True), r
    assert get(srv, "C-1") is None and get(srv, "B-1")["title"] == "Jardin partagé"
    expect(upload(srv, "admin", data, "?dry_run=maybe"), 400, "invalid_parameter")


def test_bad_rows_are_rejected_by_line_and_the_others_imported(srv):
    many = "|".join(str(W["coauthor"]) for _ in range(1)) + "|" + "|".join("%d" % (900000 + i) for i in range(21))
    rows = [
        "D-ok1;Bon;Nice;local;2020;2;Numérique",
        "D-acad;Mauvais;Atlantide;local;2020;2;",
        "D-uai;Mauvais;Nice;local;2020;2;;12AB",
        "D-theme;Mauvais;Nice;local;2020;2;Astrologie",
        "D-future;Mauvais;Nice;local;%d;2;" % (YEAR + 1),
        "D-old;Mauvais;Nice;local;1949;2;",
        "D-zero;Mauvais;Nice;local;2020;0;",
        "D-eleven;Mauvais;Nice;local;2020;11;",
        "D-type;Mauvais;Nice;projet;2020;2;",
        "D-co;Mauvais;Nice;local;2020;2;;;999999",
        "D-co21;Mauvais;Nice;local;2020;2;;;" + many,
        "D-coemail;Mauvais;Nice;local;2020;2;;;personne@ac-nice.fr",
        ";Sans ref;Nice;local;2020;2;",
        "D-year;Mauvais;Nice;local;deux mille;2;",
        "D-ok2;Bon aussi;Nice;local;2020;2;",
    ]
    data = HEAD + ";themes;uai;coauthors\n" + "\n".join(rows) + "\n"
    r = expect(upload(srv, "admin", data), 200)
    assert (r["created"], r["updated"], r["unchanged"]) == (2, 0, 0), r
    lines = {e["line"]: e["error"] for e in r["rejected"]}
    assert sorted(lines) == list(range(3, 16)), r
    assert "academy" in lines[3] and "Atlantide" in lines[3]
    assert lines[4].startswith("uai")
    assert "Astrologie" in lines[5]
    assert lines[6].startswith("started_year") and lines[7].startswith("started_year")
    assert lines[8].startswith("duration_years") and lines[9].startswith("duration_years")
    assert lines[10].startswith("type")
    assert lines[11].startswith("coauthors") and lines[12].startswith("coauthors")
    assert lines[13].startswith("coauthors") and "personne@ac-nice.fr" in lines[13]
    assert lines[14].startswith("ref")
    assert lines[15].startswith("started_year")
    assert r["rejected_count"] == 13
    assert get(srv, "D-ok1") and get(srv, "D-ok2") and get(srv, "D-acad") is None


def test_unknown_coordinator_is_a_rejected_row(srv):
    data = HEAD + ";coordinator_email\nE-1;Titre;Nice;local;2020;2;nobody@ac-nice.fr\n"
    r = expect(upload(srv, "admin", data), 200)
    assert r["created"] == 0 and r["rejected"][0]["line"] == 2 and "coordinator_email" in r["rejected"][0]["error"], r


def test_bom_comma_and_quoted_newline_keep_physical_lines(srv):
    data = ("\ufeffref,title,academy,type,started_year,duration_years,summary\n"
            'F-1,"Titre, avec virgule",Nice,local,2020,2,"Deux\nlignes\net trois"\n'
            "F-2,Mauvais,Atlantide,local,2020,2,\n"
            'F-3,"Cité ""scolaire""",Nice,local,2020,2,\r\n')
    r = expect(upload(srv, "admin", data.encode("utf-8")), 200)
    assert r["created"] == 2 and [e["line"] for e in r["rejected"]] == [5], r
    x = get(srv, "F-1")
    assert x["title"] == "Titre, avec virgule" and x["summary"] == "Deux\nlignes\net trois", x
    assert get(srv, "F-3")["title"] == 'Cité "scolaire"'


def test_a_one_megabyte_row_is_rejected_alone(srv):
    big = "x" * (1024 * 1024 + 10)
    data = HEAD + ";summary\nG-1;Avant;Nice;local;2020;2;\nG-2;Gros;Nice;local;2020;2;%s\nG-3;Après;Nice;local;2020;2;\n" % big
    r = expect(upload(srv, "admin", data), 200)
    assert r["created"] == 2 and r["rejected"] == [{"line": 3, "error": "row too long (over 1 MiB)"}], r
    assert get(srv, "G-3")["title"] == "Après"


def test_invalid_utf8_rejects_its_row(srv):
    data = (HEAD + "\nH-1;Bon;Nice;local;2020;2\n").encode() + b"H-2;Mauvais \xff\xfe;Nice;local;2020;2\n" + \
        "H-3;Bon aussi;Nice;local;2020;2\n".encode()
    r = expect(upload(srv, "admin", data), 200)
    assert r["created"] == 2 and r["rejected"] == [{"line": 3, "error": "not valid UTF-8"}], r


def test_missing_column_or_wrong_separator_refuses_the_file(srv):
    r = expect(upload(srv, "admin", "ref;title;academy;type;started_year\nI-1;T;Nice;local;2020\n"), 422, "invalid_csv")
    assert "duration_years" in r["error"]["message"], r
    tabbed = HEAD.replace(";", "\t") + "\nI-2\tT\tNice\tlocal\t2020\t2\n"
    r = expect(upload(srv, "admin", tabbed), 422, "invalid_csv")
    assert "missing column: ref" in r["error"]["message"] and "1 column" in r["error"]["message"], r
    r = expect(upload(srv, "admin", "\n\n"), 422, "invalid_csv")
    assert "empty" in r["error"]["message"], r
    body, ctype = multipart({"other": "x"}, {})
    expect(srv.api("POST", "/innovations/import", token=W["tadmin"], raw=body, headers={"Content-Type": ctype}), 400,
           "file_required")
    assert get(srv, "I-1") is None and get(srv, "I-2") is None


def test_the_page_imports_and_shows_the_result(srv):
    w = srv.web()
    w.login("imp.admin@ac-nice.fr")
    r = w.get("/innovations/import")
    assert r.status == 200 and 'enctype="multipart/form-data"' in r.text and 'name="file"' in r.text
    data = HEAD + "\nJ-1;Page;Nice;local;2020;2\nJ-2;Mauvais;Atlantide;local;2020;2\n"
    r = w.post_multipart("/innovations/import", {"dry_run": "1"}, {"file": ("f.csv", data.encode(), "text/csv")})
    assert r.status == 200 and "Atlantide" in r.text and get(srv, "J-1") is None, r
    r = w.post_multipart("/innovations/import", {}, {"file": ("f.csv", data.encode(), "text/csv")})
    assert r.status == 200 and re.search(r"<strong>1</strong> (créées|created)", r.text), r.text[:3000]
    assert "<td>3</td>" in r.text and get(srv, "J-1")
    r = w.post_multipart("/innovations/import", {}, {"file": ("f.csv", b"ref;title\nx;y\n", "text/csv")})
    assert r.status == 422 and "duration_years" in r.text
    r = w.post_multipart("/innovations/import", {"csrf": "wrong"}, {"file": ("f.csv", data.encode(), "text/csv")})
    assert r.status == 403


def test_cli_prints_counts_and_lines(srv):
    path = csv_file(HEAD + "\nL-1;CLI;Nice;local;2020;2\nL-2;CLI;Atlantide;local;2020;2\n")
    try:
        r = run(srv, "innovations", "import", path, "--dry-run")
        assert r.returncode == 0 and "line 3: academy" in r.stdout, r
        assert "1 created, 0 updated, 0 unchanged, 1 rejected" in r.stdout, r
        assert get(srv, "L-1") is None
        r = run(srv, "innovations", "import", path, "--as", "imp.admin@ac-nice.fr")
        assert r.returncode == 0 and r.stdout.strip().endswith("1 created, 0 updated, 0 unchanged, 1 rejected"), r
        assert get(srv, "L-1")["coordinator"]["id"] == W["admin"]
        r = run(srv, "innovations", "import", path, "--as", "imp.member@ac-nice.fr")
        assert r.returncode == 1 and "not an active admin" in r.stderr, r
    finally:
        os.unlink(path)
    path = csv_file("ref;title\nx;y\n")
    try:
        r = run(srv, "innovations", "import", path)
        assert r.returncode == 1 and "missing column: academy" in r.stderr, r
    finally:
        os.unlink(path)
    r = run(srv, "innovations", "import")
    assert r.returncode == 2
    r = run(srv, "innovations", "import", "/nonexistent.csv")
    assert r.returncode == 1 and "cannot read" in r.stderr
    r = subprocess.run([srv.bin, "innovations", "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and "coordinator_email" in r.stdout


def export(srv):
    r = srv.request("GET", "/innovations.csv", headers={"Cookie": W["cookie"]})
    assert r.status == 200, r
    return r.body


def test_round_trip_export_import_export(srv):
    w = srv.web()
    w.login("imp.admin@ac-nice.fr")
    W["cookie"] = "; ".join("%s=%s" % kv for kv in w.cookies.items())
    # a record with every kind of field, texts with quotes, semicolons and a CRLF from a form
    expect(srv.api("PATCH", "/innovations/%s" % W["b1"], {
        "aims": "Des « objectifs »; des \"guillemets\"\r\nsur deux lignes", "keywords": ["jardin", "sol"],
        "partners": "Mairie | associations", "uai": "0061234A"}, token=W["tadmin"]), 200)
    # records without a ref cannot come back (refused by line); give the others a ref
    first = export(srv)
    r = expect(upload(srv, "admin", first), 200)
    assert r["created"] == 0 and r["updated"] == 0 and r["unchanged"] >= 10, \
        {k: r[k] for k in ("created", "updated", "unchanged", "rejected_count")}
    assert export(srv) == first
    # an edit made since the export: importing the export restores the record
    expect(srv.api("PATCH", "/innovations/%s" % W["b1"], {"title": "Changé entre-temps", "levels": []},
                   token=W["tadmin"]), 200)
    r = expect(upload(srv, "admin", first), 200)
    assert r["updated"] == 1 and r["created"] == 0, {k: r[k] for k in ("created", "updated", "unchanged")}
    assert export(srv) == first


def test_formula_cells_are_neutralised_and_come_back(srv):
    """CSV injection: no exported cell starts with = + - @ (a spreadsheet would run it);
    the export's apostrophe goes on import, so export -> import -> export stays identical."""
    import csv
    import io
    texts = {"title": "=HYPERLINK(\"http://example.org\";\"clic\")", "summary": "- un point\n- un autre",
             "aims": "'=déjà une apostrophe", "partners": "+33 1 23 45 67 89", "keywords": ["@classe", "-moins"],
             "actions": "'texte entre apostrophes'"}
    expect(srv.api("PATCH", "/innovations/%s" % W["b1"], texts, token=W["tadmin"]), 200)
    first = export(srv)
    rows = list(csv.reader(io.StringIO(first.decode("utf-8"))))
    assert all(not cell or cell[0] not in "=+-@" for row in rows for cell in row), \
        [cell for row in rows for cell in row if cell and cell[0] in "=+-@"]
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("id")] == str(W["b1"]))
    cell = dict(zip(head, row))
    assert cell["title"] == "'" + texts["title"] and cell["summary"] == "'- un point\n- un autre", cell
    assert cell["aims"] == "''=déjà une apostrophe" and cell["partners"] == "'+33 1 23 45 67 89"
    assert cell["keywords"] == "'@classe|-moins" and cell["actions"] == "'texte entre apostrophes'"
    r = expect(upload(srv, "admin", first), 200)
    assert r["created"] == 0 and r["updated"] == 0 and r["rejected"] == [], \
        {k: r[k] for k in ("created", "updated", "unchanged", "rejected_count")}
    x = expect(srv.api("GET", "/innovations/%s" % W["b1"], token=W["tadmin"]), 200)
    for k in ("title", "summary", "aims", "partners", "actions"):
        assert x[k] == texts[k], (k, x[k])
    assert x["keywords"] == texts["keywords"], x["keywords"]
    assert export(srv) == first
    # a file written by hand: a guarded cell loses its apostrophe, another keeps it
    data = HEAD + ";summary\nFORMULE-1;'=1+1;Nice;local;2020;2;'bonjour\n"
    r = expect(upload(srv, "admin", data), 200)
    assert r["created"] == 1, r
    x = get(srv, "FORMULE-1")
    assert x["title"] == "=1+1" and x["summary"] == "'bonjour", x


def test_thousands_of_rows(srv):
    # 20,000 rather than 100,000: each row is a whole record (five statements: the ref, the
    # record with its search index, its tags, revision and activity), some 0.4 ms a row under
    # the sanitizers on this 2-core
    # machine, so 100,000 would take 40 s or more of the suite; the reader and the batches
    # are the same for any length. On PostgreSQL every statement is a round trip (some 4 ms a
    # row under the sanitizers): 5,000 rows there.
    n = 5000 if srv.db_args else 20000
    data = HEAD + "\n" + "".join("K-%d;Fiche %d;Nice;local;2020;1\n" % (i, i) for i in range(n))
    t = time.time()
    r = expect(upload(srv, "admin", data, timeout=600), 200)
    assert (r["created"], r["rejected"]) == (n, []), {k: r[k] for k in ("created", "updated", "unchanged")}
    total = expect(srv.api("GET", "/innovations?q=Fiche", token=W["tadmin"]), 200)["total"]
    assert total >= n, total
    print("  %d rows imported in %.1f s" % (n, time.time() - t))


def test_the_demo_loads_the_example_csv(srv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    example = os.path.join(root, "docs", "examples", "innovations.csv")
    data = tempfile.mkdtemp(prefix="respire-demo-inno-")
    env = {k: v for k, v in srv.env.items() if not k.startswith("RESPIRE_DB")}
    try:
        r = subprocess.run([srv.bin, "demo", "--data", data], capture_output=True, text=True, env=env, timeout=300,
                           cwd=root)
        assert r.returncode == 0 and "12 innovation records loaded" in r.stdout, r
        r = subprocess.run([srv.bin, "innovations", "import", example, "--data", data], capture_output=True,
                           text=True, env=env, timeout=300)
        assert r.returncode == 0 and "0 created, 0 updated, 12 unchanged, 0 rejected" in r.stdout, r
    finally:
        subprocess.run(["rm", "-rf", data])
