"""Schools of the national directory: `respire schools import` (odd CSVs,
idempotence, bad rows by line), GET /api/v1/schools?q= (accents folded),
a school's page (members who show it, groups the viewer may see), and the
profile's school chosen from the directory (API and the no-JS form)."""
import os
import re
import subprocess
import tempfile
import time

from lib import expect

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "docs", "examples", "schools.csv")
S = {}


def run(srv, *args):
    return subprocess.run([srv.bin, *args], capture_output=True, text=True, env=srv.env, timeout=120)


def import_text(srv, text, encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        f.write(data)
        path = f.name
    try:
        return run(srv, "schools", "import", path, "--data", srv.data, *srv.db_args)
    finally:
        os.unlink(path)


def counts(r):
    m = re.search(r"^(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) rejected$", r.stdout, re.M)
    assert m, r
    return tuple(int(x) for x in m.groups())


def rejects(r):
    return re.findall(r"^line (\d+): (.+)$", r.stdout, re.M)


# ---- the import ------------------------------------------------------------------------

def test_the_example_file_imports(srv):
    r = run(srv, "schools", "import", EXAMPLE, "--data", srv.data, *srv.db_args)
    assert r.returncode == 0 and counts(r) == (42, 0, 0, 0), r


def test_a_second_run_changes_nothing(srv):
    r = run(srv, "schools", "import", EXAMPLE, "--data", srv.data, *srv.db_args)
    assert r.returncode == 0 and counts(r) == (0, 0, 42, 0), r


def test_short_headers_with_commas_update_a_changed_name(srv):
    r = import_text(srv, "uai,name,kind,academy,town,postcode\n"
                         "0750655E,\"Lycée Louis-le-Grand, Paris\",Lycée,Paris,Paris,75005\n"
                         "0750654D,Lycée Henri-IV,Lycée,Paris,Paris,75005\n")
    assert r.returncode == 0 and counts(r) == (0, 1, 1, 0), r
    s = expect(srv.api("GET", "/schools/0750655E"), 200)
    assert s["name"] == "Lycée Louis-le-Grand, Paris", s


def test_a_byte_order_mark_is_tolerated(srv):
    r = import_text(srv, b"\xef\xbb\xbfuai;name;town\r\n0011111A;\xc3\x89cole BOM;Bourg\r\n")
    assert r.returncode == 0 and counts(r) == (1, 0, 0, 0), r


def test_a_quoted_newline_keeps_physical_line_numbers(srv):
    r = import_text(srv, 'uai;name;town\n'
                         '0022222B;"École\nsur deux lignes";Laon\n'
                         'bad;Mauvais UAI;Laon\n'
                         '0033333C;"Guillemets ""doublés""";Laon\n')
    assert r.returncode == 0 and counts(r) == (2, 0, 0, 1), r
    assert rejects(r) == [("4", "invalid UAI (7 digits and a letter)")], r
    assert expect(srv.api("GET", "/schools/0022222B"), 200)["name"] == "École sur deux lignes"
    assert expect(srv.api("GET", "/schools/0033333C"), 200)["name"] == 'Guillemets "doublés"'


def test_a_missing_required_column_refuses_the_whole_file(srv):
    r = import_text(srv, "uai;town\n0044444D;Nulle part\n")
    assert r.returncode == 1 and "missing column: name" in r.stderr, r
    expect(srv.api("GET", "/schools/0044444D"), 404)


def test_bad_rows_are_reported_by_line_and_skipped(srv):
    r = import_text(srv, "uai;name\n"
                         "12345678;Huit chiffres\n"
                         "0055555E;\n"
                         "0066666F;Bon\n"
                         ";Sans UAI\n"
                         "0077777G;Invalide \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    assert r.returncode == 0 and counts(r) == (1, 0, 0, 4), r
    lines = [int(n) for n, _ in rejects(r)]
    assert lines == [2, 3, 5, 6], r


def test_a_row_over_a_megabyte_is_rejected_and_the_others_imported(srv):
    big = "x" * (1024 * 1024 + 10)
    r = import_text(srv, "uai;name\n0088888H;%s\n0099999J;Après la grande ligne\n" % big)
    assert r.returncode == 0 and counts(r) == (1, 0, 0, 1), r
    assert rejects(r) == [("2", "row too long (over 1 MiB)")], r


def test_twenty_thousand_rows_import_quickly_and_again_unchanged(srv):
    rows = ["Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Libelle_academie;Nom_commune;Code_postal"]
    for i in range(20000):
        rows.append("%07dK;École numéro %d;Ecole;Académie %d;Ville %d;%05d" % (2000000 + i, i, i % 30, i % 500, i % 99999))
    text = "\n".join(rows) + "\n"
    t0 = time.monotonic()
    r = import_text(srv, text)
    took = time.monotonic() - t0
    assert r.returncode == 0 and counts(r) == (20000, 0, 0, 0) and took < 60, (took, r.stdout[-200:], r.stderr[-500:])
    r = import_text(srv, text)
    assert counts(r) == (0, 0, 20000, 0), r


def test_usage_errors_and_unreadable_files(srv):
    assert run(srv, "schools", "--help").returncode == 0
    assert run(srv, "schools", "import", "--help").returncode == 0
    for args in [["schools"], ["schools", "frob"], ["schools", "import"], ["schools", "import", "a", "b"],
                 ["schools", "import", "--bogus", "x"]]:
        r = run(srv, *args)
        assert r.returncode == 2 and r.stderr.strip(), (args, r)
    r = run(srv, "schools", "import", "/nonexistent/schools.csv", "--data", srv.data, *srv.db_args)
    assert r.returncode == 1 and "cannot read" in r.stderr, r
    r = import_text(srv, "")
    assert r.returncode == 1 and "empty" in r.stderr, r


# ---- the API's search --------------------------------------------------------------------

def test_search_folds_accents_and_case(srv):
    items = expect(srv.api("GET", "/schools?q=ecole+maternelle"), 200)["items"]
    names = [s["name"] for s in items]
    assert "École maternelle Vitruve" in names and "École maternelle Les Œillets" in names, names
    assert set(items[0]) >= {"uai", "name", "town", "academy"}, items[0]


def test_search_matches_towns_and_uais(srv):
    items = expect(srv.api("GET", "/schools?q=saint+etienne"), 200)["items"]
    assert [s["uai"] for s in items] == ["0420034J"], items
    items = expect(srv.api("GET", "/schools?q=0690026d"), 200)["items"]
    assert [s["name"] for s in items] == ["Lycée du Parc"], items


def test_search_pages_with_a_cursor(srv):
    seen, cursor = [], None
    while True:
        r = expect(srv.api("GET", "/schools?q=lycee&limit=3" + ("&cursor=" + cursor if cursor else "")), 200)
        seen += [s["uai"] for s in r["items"]]
        cursor = r["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and len(seen) >= 15, seen


def test_an_empty_query_answers_no_items(srv):
    assert expect(srv.api("GET", "/schools?q="), 200) == {"items": [], "next": None}


def test_bad_search_parameters_are_400(srv):
    expect(srv.api("GET", "/schools?q=" + "a" * 1001), 400, "invalid_query")
    expect(srv.api("GET", "/schools?q=a&limit=0"), 400, "invalid_parameter")
    expect(srv.api("GET", "/schools?q=a&cursor=nope"), 400, "invalid_parameter")


def test_a_school_by_uai_in_either_case(srv):
    s = expect(srv.api("GET", "/schools/0690026d"), 200)
    assert (s["uai"], s["name"], s["town"], s["academy"], s["postcode"]) == \
        ("0690026D", "Lycée du Parc", "Lyon", "Lyon", "69006"), s


def test_a_malformed_uai_is_400_and_an_unknown_one_404(srv):
    expect(srv.api("GET", "/schools/069002"), 400, "invalid_parameter")
    expect(srv.api("GET", "/schools/0690026DD"), 400, "invalid_parameter")
    expect(srv.api("GET", "/schools/9999999Z"), 404, "not_found")


# ---- the profile's school ----------------------------------------------------------------

def test_patch_me_takes_a_school_of_the_directory(srv):
    S["a"], S["ta"] = srv.member("ecole.a@ac-lyon.fr", "Alice Parc")
    me = expect(srv.api("PATCH", "/me", {"school_uai": "0690026d"}, token=S["ta"]), 200)
    assert (me["school_uai"], me["school"], me["show_school"]) == ("0690026D", "Lycée du Parc", True), me


def test_patch_me_refuses_an_unknown_or_malformed_uai(srv):
    expect(srv.api("PATCH", "/me", {"school_uai": "9999999Z"}, token=S["ta"]), 422, "invalid_field")
    r = srv.api("PATCH", "/me", {"school_uai": "lycée"}, token=S["ta"])
    assert expect(r, 422, "invalid_field") and r.json()["error"]["field"] == "school_uai", r
    expect(srv.api("PATCH", "/me", {"school_uai": 7}, token=S["ta"]), 422, "invalid_field")
    assert expect(srv.api("GET", "/me", token=S["ta"]), 200)["school_uai"] == "0690026D"


def test_null_clears_the_school_and_free_text_stays(srv):
    _, t = srv.member("ecole.libre@ac-lyon.fr", "Libre Texte")
    expect(srv.api("PATCH", "/me", {"school": "Mon école d'avant"}, token=t), 200)
    me = expect(srv.api("PATCH", "/me", {"school_uai": None}, token=t), 200)
    assert (me["school"], me["school_uai"]) == ("Mon école d'avant", None), me


# ---- a school's page ----------------------------------------------------------------------

def world(srv):
    if "secret" in S:
        return
    S["b"], S["tb"] = srv.member("ecole.b@ac-lyon.fr", "Bruno Cache")        # same school, hidden
    S["c"], S["tc"] = srv.member("ecole.c@ac-lyon.fr", "Chloé Dehors")        # elsewhere
    expect(srv.api("PATCH", "/me", {"school_uai": "0690026D", "show_school": False}, token=S["tb"]), 200)
    S["secret"] = expect(srv.api("POST", "/groups", {"name": "Groupe secret du Parc", "description": "",
                                                      "kind": "project", "visibility": "secret"},
                                 token=S["ta"]), 201)["id"]
    S["open"] = expect(srv.api("POST", "/groups", {"name": "Maths ouvertes", "description": "",
                                                    "kind": "practice", "visibility": "open"},
                               token=S["ta"]), 201)["id"]
    S["hidden_only"] = expect(srv.api("POST", "/groups", {"name": "Groupe de Bruno", "description": "",
                                                           "kind": "practice", "visibility": "open"},
                                      token=S["tb"]), 201)["id"]


def test_a_member_sees_the_members_who_show_the_school(srv):
    world(srv)
    s = expect(srv.api("GET", "/schools/0690026D", token=S["tc"]), 200)
    assert [m["name"] for m in s["members"]] == ["Alice Parc"], s


def test_an_outsider_never_sees_a_secret_group(srv):
    world(srv)
    s = expect(srv.api("GET", "/schools/0690026D", token=S["tc"]), 200)
    assert [g["name"] for g in s["groups"]] == ["Maths ouvertes"], s


def test_a_group_member_sees_the_secret_group(srv):
    world(srv)
    s = expect(srv.api("GET", "/schools/0690026D", token=S["ta"]), 200)
    assert sorted(g["name"] for g in s["groups"]) == ["Groupe secret du Parc", "Maths ouvertes"], s


def test_a_visitor_sees_the_school_but_no_members_or_groups(srv):
    world(srv)
    s = expect(srv.api("GET", "/schools/0690026D"), 200)
    assert (s["name"], s["members"], s["groups"]) == ("Lycée du Parc", [], []), s


def test_the_school_page_for_a_member_and_a_visitor(srv):
    world(srv)
    w = srv.web()
    w.login("ecole.c@ac-lyon.fr")
    r = w.get("/schools/0690026d")
    assert r.status == 200 and "Lycée du Parc" in r.text and "/users/%s" % S["a"] in r.text, r
    assert "Bruno Cache" not in r.text and "Groupe secret" not in r.text and "Maths ouvertes" in r.text
    v = srv.web().get("/schools/0690026D")
    assert v.status == 200 and "Lycée du Parc" in v.text and "Alice Parc" not in v.text, v
    assert "Maths ouvertes" not in v.text


def innovation(**kw):
    body = {"title": "Atelier sciences au Parc", "summary": "Des expériences en classe.", "academy": "Lyon",
            "uai": "0690026D", "levels": ["Lycée"], "subjects": ["Physique"], "themes": ["Numérique"],
            "keywords": [], "type": "local", "started_year": 2022, "duration_years": 2, "aims": "",
            "actions": "", "evaluation": "", "effects": "", "partners": "", "visibility": "public"}
    body.update(kw)
    return body


def test_an_innovation_names_a_school_of_the_directory(srv):
    world(srv)
    # Once the directory is loaded, a UAI of the right shape that it does not hold is refused.
    r = srv.api("POST", "/innovations", innovation(uai="0699999Z"), token=S["ta"])
    e = expect(r, 422, "invalid_field")
    assert e["error"]["field"] == "uai", e
    S["pub_inno"] = expect(srv.api("POST", "/innovations", innovation(), token=S["ta"]), 201)["id"]
    S["mem_inno"] = expect(srv.api("POST", "/innovations", innovation(title="Projet réservé aux membres",
                                                                       visibility="members"),
                                   token=S["ta"]), 201)["id"]


def test_the_school_page_lists_its_innovations_the_viewer_may_open(srv):
    world(srv)
    assert "pub_inno" in S
    w = srv.web()
    w.login("ecole.c@ac-lyon.fr")
    r = w.get("/schools/0690026D")
    assert r.status == 200, r
    assert "/innovations/%s" % S["pub_inno"] in r.text and "/innovations/%s" % S["mem_inno"] in r.text, r.text
    v = srv.web().get("/schools/0690026D")
    assert v.status == 200 and "Atelier sciences au Parc" in v.text, v
    assert "Projet réservé aux membres" not in v.text
    # The record's page names the school with a link to it.
    r = w.get("/innovations/%s" % S["pub_inno"])
    assert r.status == 200 and 'href="/schools/0690026D">Lycée du Parc</a>' in r.text, r.text


def test_the_school_pages_answer_404_and_400(srv):
    assert srv.web().get("/schools/9999999Z").status == 404
    assert srv.web().get("/schools/99999").status == 400


def test_the_search_page_works_without_javascript(srv):
    r = srv.web().get("/schools?q=ecole+lyon")
    assert r.status == 200 and 'href="/schools/0691234T"' in r.text and "École primaire Jean-Macé" in r.text, r
    r = srv.web().get("/schools?q=zzzzzz")
    assert r.status == 200 and "Aucun établissement" in r.text


def test_the_profile_form_resolves_a_uai_or_a_name_without_javascript(srv):
    _, t = srv.member("ecole.form@ac-lyon.fr", "Fanny Formulaire")
    w = srv.web()
    w.login("ecole.form@ac-lyon.fr")
    page = w.get("/me/edit")
    assert 'list="school-suggestions"' in page.text and '<datalist id="school-suggestions">' in page.text
    r = w.post("/me/edit", {"name": "Fanny Formulaire", "school": "0130040y", "show_school": "1"})
    assert r.status == 303, r
    assert expect(srv.api("GET", "/me", token=t), 200)["school_uai"] == "0130040Y"
    r = w.post("/me/edit", {"name": "Fanny Formulaire", "school": "lycee frederic mistral", "show_school": "1"})
    assert r.status == 303, r
    assert expect(srv.api("GET", "/me", token=t), 200)["school_uai"] == "0840004Y"
    r = w.post("/me/edit", {"name": "Fanny Formulaire", "school": "Lycée Thiers — Marseille (0130040Y)",
                            "show_school": "1"})
    assert r.status == 303 and expect(srv.api("GET", "/me", token=t), 200)["school_uai"] == "0130040Y"


def test_the_profile_form_refuses_an_unknown_school(srv):
    _, t = srv.member("ecole.form2@ac-lyon.fr", "Gaston Formulaire")
    w = srv.web()
    w.login("ecole.form2@ac-lyon.fr")
    w.get("/me/edit")
    r = w.post("/me/edit", {"name": "Gaston Formulaire", "school": "Lycée de nulle part"})
    assert r.status == 422 and "Aucun établissement de l’annuaire ne correspond" in r.text, r
    assert 'value="Lycée de nulle part"' in r.text
    assert expect(srv.api("GET", "/me", token=t), 200)["school_uai"] is None


def test_the_profile_form_keeps_old_free_text(srv):
    _, t = srv.member("ecole.form3@ac-lyon.fr", "Hélène Ancienne")
    expect(srv.api("PATCH", "/me", {"school": "Collège d'autrefois"}, token=t), 200)
    w = srv.web()
    w.login("ecole.form3@ac-lyon.fr")
    page = w.get("/me/edit")
    assert "Collège d&#39;autrefois" in page.text or "Collège d&#x27;autrefois" in page.text, page.text[:3000]
    r = w.post("/me/edit", {"name": "Hélène Ancienne", "school": "Collège d'autrefois", "show_school": "1"})
    assert r.status == 303, r
    me = expect(srv.api("GET", "/me", token=t), 200)
    assert (me["school"], me["school_uai"]) == ("Collège d'autrefois", None), me
