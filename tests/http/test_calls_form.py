"""The managers' pages of calls for proposals (issue 20): /calls/new and
/calls/{id}/edit without JavaScript -- an admin's and a group owner's call made
through the page and read back through the API (fields, rubric, dates typed in
Paris time across the change to summer time), the links, refusals (a plain
member 403, a visitor to the login page, others 404/403 on the edit page), bad
input re-shown with its message and nothing written, empty rows ignored."""
import calendar
import html

from lib import expect

W = {}


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def utc(y, mo, d, h, mi):
    return calendar.timegm((y, mo, d, h, mi, 0))


def form(**kw):
    f = {"title": "Prix <b>académique</b> 2027", "description": "Un appel **ouvert** aux équipes.",
         # winter time (UTC+1) for the opening, summer time (UTC+2) for the close
         "opens": "2027-03-20T09:00", "closes": "2027-04-15T18:30", "reviews_due": "",
         "stage_academy": "1", "stage_national": "1", "reviewers": "3", "public_vote": "1",
         "f0_key": "summary", "f0_label": "Résumé", "f0_type": "longtext", "f0_required": "1", "f0_options": "",
         "f1_key": "", "f1_label": "", "f1_type": "text", "f1_options": "",
         "f2_key": "theme", "f2_label": "Thème", "f2_type": "choice", "f2_options": "Climat\r\n\r\n  Numérique  \r\n",
         "f3_key": "film", "f3_label": "Film", "f3_type": "file", "f3_options": "",
         "c0_key": "", "c0_label": "", "c0_max": "", "c0_weight": "",
         "c1_key": "impact", "c1_label": "Impact", "c1_max": "10", "c1_weight": "2",
         "c2_key": "clarity", "c2_label": "Clarté", "c2_max": "5", "c2_weight": "1"}
    f.update(kw)
    return {k: v for k, v in f.items() if v is not None}


def count_calls(srv):
    return len(expect(api(srv, "admin", "GET", "/calls?limit=100"), 200)["items"])


def test_world(srv):
    for k in ["admin", "owner", "member", "outsider"]:
        W[k], W["t" + k] = srv.member("cf.%s@ac-lyon.fr" % k, "Cf %s" % k.title(), admin=(k == "admin"))
        W["w" + k] = srv.web()
        W["w" + k].login("cf.%s@ac-lyon.fr" % k)
    g = expect(api(srv, "owner", "POST", "/groups", {"name": "Comité CF", "description": "x", "kind": "project",
                                                    "visibility": "secret"}), 201)
    W["group"] = g["id"]
    expect(api(srv, "owner", "POST", "/groups/%s/invitations" % W["group"], {"user_id": W["member"]}), 201)
    expect(api(srv, "member", "POST", "/groups/%s/join" % W["group"]), 200)


def test_links_for_those_who_may_create(srv):
    for who, shown in [("admin", True), ("owner", True), ("member", False), ("outsider", False)]:
        r = W["w" + who].get("/calls")
        assert r.status == 200
        assert ('href="/calls/new"' in r.text) == shown, who
    assert 'href="/calls/new"' not in srv.web().get("/calls").text


def test_refusals(srv):
    r = W["wmember"].get("/calls/new")
    assert r.status == 403, r
    r = W["wmember"].post("/calls/new", form())
    assert r.status == 403, r
    r = srv.web().get("/calls/new")
    assert r.status == 303 and "/login" in r.headers.get("location", ""), r
    # without the form's token, nothing is written
    n = count_calls(srv)
    r = W["wadmin"].post("/calls/new", form(), csrf=False)
    assert r.status == 403, r
    assert count_calls(srv) == n


def test_admin_creates_a_call(srv):
    w = W["wadmin"]
    r = w.get("/calls/new")
    assert r.status == 200 and 'type="datetime-local"' in r.text and "Heure de Paris (UTC+1 en hiver, UTC+2 en été)" in html.unescape(r.text)
    assert 'name="f7_key"' in r.text and 'name="c5_weight"' in r.text and 'name="f8_key"' not in r.text
    r = w.post("/calls/new", form())
    assert r.status == 303, r
    loc = r.headers["location"]
    assert loc.startswith("/calls/"), loc
    cid = int(loc.rsplit("/", 1)[1])
    W["call"] = cid
    c = expect(api(srv, "admin", "GET", "/calls/%s" % cid), 200)
    assert c["title"] == "Prix <b>académique</b> 2027" and c["group"] is None or not c.get("group"), c
    assert c["opens_at"] == utc(2027, 3, 20, 8, 0), c["opens_at"]        # 09:00 CET
    assert c["closes_at"] == utc(2027, 4, 15, 16, 30), c["closes_at"]    # 18:30 CEST
    assert c["stages"] == ["academy", "national"] and c["reviewers_per_proposal"] == 3 and c["public_vote"] is True
    assert [(f["key"], f["type"], f["required"]) for f in c["fields"]] == [
        ("summary", "longtext", True), ("theme", "choice", False), ("film", "file", False)], c["fields"]
    assert c["fields"][1]["options"] == ["Climat", "Numérique"], c["fields"][1]
    assert c["rubric"] == [{"key": "impact", "label": "Impact", "max": 10, "weight": 2},
                           {"key": "clarity", "label": "Clarté", "max": 5, "weight": 1}], c["rubric"]
    page = w.get(loc)
    assert page.status == 200 and "Prix &lt;b&gt;académique&lt;/b&gt; 2027" in page.text
    assert 'href="/calls/%s/edit"' % cid in page.text
    # a member sees the call but no edit link
    page = W["wmember"].get(loc)
    assert page.status == 200 and 'href="/calls/%s/edit"' % cid not in page.text


def test_owner_creates_a_call_in_their_group(srv):
    w = W["wowner"]
    r = w.get("/calls/new?group_id=%s" % W["group"])
    assert r.status == 200
    assert '<option value="%s" selected>Comité CF</option>' % W["group"] in r.text, r.text
    assert 'value="0"' not in r.text.split('name="group_id"')[1].split("</select>")[0]
    r = w.post("/calls/new", form(title="Appel du comité", group_id=str(W["group"]), stage_academy=None,
                                  public_vote=None, opens="2027-10-01T10:00", closes="2027-11-02T12:00",
                                  reviews_due="2027-11-20T17:00"))
    assert r.status == 303, r
    cid = int(r.headers["location"].rsplit("/", 1)[1])
    W["gcall"] = cid
    c = expect(api(srv, "owner", "GET", "/calls/%s" % cid), 200)
    assert c["group"]["id"] == W["group"] and c["may_manage"] is True
    assert c["opens_at"] == utc(2027, 10, 1, 8, 0)         # summer time, UTC+2
    assert c["closes_at"] == utc(2027, 11, 2, 11, 0)       # winter time, UTC+1
    assert c["reviews_due_at"] == utc(2027, 11, 20, 16, 0)
    assert c["stages"] == ["national"] and c["public_vote"] is False
    # without a group, an owner is no manager: the form again, nothing written
    n = count_calls(srv)
    r = w.post("/calls/new", form(group_id="0"))
    assert r.status == 403 and 'name="title"' in r.text, r
    assert count_calls(srv) == n


def bad(srv, w, action, fields, message, part, status=422):
    n = count_calls(srv)
    r = w.post(action, fields)
    assert r.status == status, (r.status, r.text[:300])
    text = html.unescape(r.text)
    assert message in text, (message, text[:3000])
    assert 'id="err-%s"' % part in r.text, part
    assert count_calls(srv) == n
    return r


def test_bad_input_is_shown_again(srv):
    w = W["wadmin"]
    r = bad(srv, w, "/calls/new", form(title="Appel raté", closes="2027-03-19T09:00"),
            "La date de clôture doit suivre la date d'ouverture.", "closes")
    # what was typed comes back
    r2 = bad(srv, w, "/calls/new", form(closes="2027-03-19T09:00"), "La date de clôture", "closes")
    assert 'value="Prix &lt;b&gt;académique&lt;/b&gt; 2027"' in r2.text and "<b>" not in r2.text
    assert 'value="Appel raté"' in r.text and 'value="2027-03-19T09:00"' in r.text
    assert "Climat\r\n\r\n  Numérique" in html.unescape(r.text) and 'value="impact"' in r.text
    bad(srv, w, "/calls/new", form(f2_options=""), "Un champ à choix doit avoir ses options.", "fields")
    bad(srv, w, "/calls/new", form(f0_key="", f0_label="", f2_key="", f2_label="", f2_options="", f3_key="",
                                   f3_label=""), "Le formulaire doit avoir au moins un champ.", "fields")
    bad(srv, w, "/calls/new", form(f0_key="Résumé"), "Un champ est incomplet", "fields")
    bad(srv, w, "/calls/new", form(c1_max="0"), "Maximum et coefficient vont de 1 à 100.", "rubric")
    bad(srv, w, "/calls/new", form(c2_key="impact"), "Un critère est incomplet", "rubric")
    bad(srv, w, "/calls/new", form(opens="demain"), "date et une heure d'ouverture", "opens")
    bad(srv, w, "/calls/new", form(title="  "), "Le titre est obligatoire", "title")
    bad(srv, w, "/calls/new", form(stage_academy=None, stage_national=None), "au moins une étape", "stages")
    bad(srv, w, "/calls/new", form(reviewers="11"), "De 1 à 10", "reviewers")
    bad(srv, w, "/calls/new", form(reviews_due="2027-04-01T10:00"), "avant la clôture", "due")
    # in English
    expect(api(srv, "admin", "PATCH", "/me", {"lang": "en"}), 200)
    w.get("/calls/new")
    bad(srv, w, "/calls/new", form(closes="2027-03-01T09:00"), "The closing date must follow the opening date.",
        "closes")
    expect(api(srv, "admin", "PATCH", "/me", {"lang": "fr"}), 200)


def test_edit_by_a_manager(srv):
    w = W["wowner"]
    path = "/calls/%s/edit" % W["gcall"]
    r = w.get(path)
    assert r.status == 200
    assert 'value="Appel du comité"' in r.text and 'value="2027-10-01T10:00"' in r.text, r.text
    assert 'value="2027-11-02T12:00"' in r.text and 'value="impact"' in r.text and 'name="group_id"' not in r.text
    assert "Climat\nNumérique</textarea>" in html.unescape(r.text)
    fields = form(title="Appel du comité (2)", opens="2027-10-01T10:00", closes="2027-11-10T12:00",
                  reviews_due="", stage_academy=None, public_vote=None, f3_key="", f3_label="",
                  c1_key="", c1_label="", c1_max="", c1_weight="")
    bad(srv, w, path, dict(fields, closes="2027-09-30T10:00"), "La date de clôture doit suivre", "closes")
    c = expect(api(srv, "owner", "GET", "/calls/%s" % W["gcall"]), 200)
    assert c["title"] == "Appel du comité" and c["closes_at"] == utc(2027, 11, 2, 11, 0)
    r = w.post(path, fields)
    assert r.status == 303 and r.headers["location"] == "/calls/%s" % W["gcall"], r
    c = expect(api(srv, "owner", "GET", "/calls/%s" % W["gcall"]), 200)
    assert c["title"] == "Appel du comité (2)" and c["closes_at"] == utc(2027, 11, 10, 11, 0)
    assert [f["key"] for f in c["fields"]] == ["summary", "theme"]
    assert [x["key"] for x in c["rubric"]] == ["clarity"]
    assert c["group"]["id"] == W["group"]
    # the admin manages it too
    assert W["wadmin"].get("/calls/%s/edit" % W["call"]).status == 200


def test_edit_refused_to_others(srv):
    path = "/calls/%s/edit" % W["gcall"]
    # the member sees the secret group's call but may not manage it
    assert W["wmember"].get(path).status == 403
    r = W["wmember"].post(path, form(title="Pris"))
    assert r.status == 403
    # the outsider may not see it
    assert W["woutsider"].get(path).status == 404
    assert W["woutsider"].post(path, form(title="Pris")).status == 404
    assert W["woutsider"].get("/calls/%s/edit" % W["call"]).status == 403
    assert srv.web().get(path).status == 303
    assert W["wowner"].get("/calls/999999/edit").status == 404
    c = expect(api(srv, "owner", "GET", "/calls/%s" % W["gcall"]), 200)
    assert c["title"] == "Appel du comité (2)"


def test_reviewers_named_on_the_dashboard(srv):
    """The dashboard's reviewer field takes a name, an @handle or a number (domain/picker.h)."""
    cid, w = W["call"], W["wadmin"]
    _, _ = srv.member("cf.relectrice@ac-lyon.fr", "Hélène Relectrice")
    _, _ = srv.member("cf.homonyme1@ac-lyon.fr", "Paul Homonyme")
    _, _ = srv.member("cf.homonyme2@ac-lyon.fr", "Paul Homonyme")
    w.get("/calls/%s/dashboard" % cid)

    def reviewers():
        return sorted(x["user"]["name"] for x in expect(api(srv, "admin", "GET", "/calls/%s/reviewers" % cid), 200)["items"])

    before = reviewers()
    r = w.post("/calls/%s/reviewers" % cid, {"user_id": "helene relectrice", "stage": "national", "academies": ""})
    assert r.status == 303, r
    assert "Hélène Relectrice" in reviewers()
    handle = expect(api(srv, "admin", "GET", "/users/%s" % W["member"]), 200)["handle"]
    r = w.post("/calls/%s/reviewers" % cid, {"user_id": "@" + handle, "stage": "national", "academies": ""})
    assert r.status == 303, r
    assert "Cf Member" in reviewers()
    # a name two members bear, or nobody's: refused, nothing added
    for entry in ("Paul Homonyme", "Personne Inconnue"):
        r = w.post("/calls/%s/reviewers" % cid, {"user_id": entry, "stage": "national", "academies": ""})
        assert r.status in (404, 422), r
    assert reviewers() == sorted(before + ["Hélène Relectrice", "Cf Member"])
