"""Calls for proposals (issue 20): calls and their validation, proposals
(drafts, co-authors, answers against the form, the deadline judged by the
domain clock, receipts), reviewers and automatic assignment with its conflict
rules, blind reviews within the rubric, listings and the CSV export, decisions
with notifications, publication as an innovation record, the public vote, the
pages (autosave included) -- for every role: visitor, member, author,
co-author, reviewer assigned and not, manager (a group's owner), admin."""
import csv
import io
import os
import re
import subprocess
import tempfile
import time

from lib import expect

W = {}
T0 = int(time.time())
OPENS = T0 - 3600
CLOSES = T0 + 10 * 86400


def run(srv, *args):
    return subprocess.run([srv.bin, *args, "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                          env=srv.env, timeout=60)


def api(srv, who, method, path, body=None, raw=None, headers=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None, raw=raw, headers=headers)


FIELDS = [
    {"key": "summary", "label": "Résumé du projet", "type": "longtext", "required": True},
    {"key": "theme", "label": "Thème", "type": "choice", "required": True, "options": ["Climat scolaire", "Numérique"]},
    {"key": "school", "label": "Établissement", "type": "text"},
    {"key": "film", "label": "Film", "type": "file"},
]
RUBRIC = [{"key": "impact", "label": "Impact", "max": 10, "weight": 2},
          {"key": "clarity", "label": "Clarté", "max": 5, "weight": 1}]


def call(**kw):
    body = {"title": "Journées de l'innovation 2012", "description": "Un appel **national**.",
            "opens_at": OPENS, "closes_at": CLOSES, "fields": FIELDS, "rubric": RUBRIC,
            "stages": ["academy", "national"], "reviewers_per_proposal": 2, "public_vote": True}
    body.update(kw)
    return body


def answers(**kw):
    a = {"summary": "Des élèves qui **coopèrent**.", "theme": "Numérique", "school": "Collège Jean Moulin"}
    a.update(kw)
    return a


# ---- the world ----------------------------------------------------------------------------

def test_world(srv):
    people = [("admin", "nice"), ("owner", "nice"), ("author", "nice"), ("coauthor", "nice"), ("member", "nice"),
              ("outsider", "nice"), ("rev_school", "nice"), ("rev_nice", "nice"), ("rev_nice2", "nice"),
              ("rev_lyon", "lyon"), ("author2", "nice")]
    for k, ac in people:
        W[k], W["t" + k] = srv.member("call.%s@ac-%s.fr" % (k, ac), "Call %s" % k.replace("_", " ").title(),
                                      admin=(k == "admin"))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("uai,name,kind,academy,town,postcode\n0061111A,Collège Un,Collège,Nice,Nice,06000\n"
                "0062222B,Collège Deux,Collège,Nice,Nice,06000\n")
        path = f.name
    try:
        r = run(srv, "schools", "import", path)
        assert r.returncode == 0, r
    finally:
        os.unlink(path)
    for k, uai in [("author", "0061111A"), ("rev_school", "0061111A"), ("rev_nice", "0062222B"),
                   ("author2", "0062222B")]:
        expect(api(srv, k, "PATCH", "/me", {"school_uai": uai}), 200)
    me = expect(api(srv, "author", "GET", "/me"), 200)
    assert me["academy"] == "Nice", me
    # a secret group owned by "owner", with the author as a member
    g = expect(api(srv, "owner", "POST", "/groups", {"name": "Comité secret", "description": "x",
                                                    "kind": "project", "visibility": "secret"}), 201)
    W["secret"] = g["id"]
    expect(api(srv, "owner", "POST", "/groups/%s/invitations" % W["secret"], {"user_id": W["author"]}), 201)
    expect(api(srv, "author", "POST", "/groups/%s/join" % W["secret"]), 200)


# ---- calls ----------------------------------------------------------------------------------

def test_only_managers_create_calls(srv):
    expect(api(srv, None, "POST", "/calls", call()), 401)
    expect(api(srv, "member", "POST", "/calls", call()), 403, "forbidden")
    # a group's owner for a call inside their group, not a mere member of it
    expect(api(srv, "author", "POST", "/calls", call(group_id=W["secret"])), 403, "forbidden")
    expect(api(srv, "outsider", "POST", "/calls", call(group_id=W["secret"])), 422, "invalid_field")
    c = expect(api(srv, "owner", "POST", "/calls", call(title="Appel du comité", group_id=W["secret"],
                                                       public_vote=False, stages=["national"])), 201)
    W["gcall"] = c["id"]
    assert c["group"]["id"] == W["secret"] and c["may_manage"] is True
    c = expect(api(srv, "admin", "POST", "/calls", call()), 201)
    W["call"] = c["id"]
    assert c["timezone"] == "Europe/Paris" and c["open"] is True and c["stages"] == ["academy", "national"], c
    assert [f["key"] for f in c["fields"]] == ["summary", "theme", "school", "film"]
    assert c["rubric"][0] == {"key": "impact", "label": "Impact", "max": 10, "weight": 2}


def test_bad_calls_are_refused_with_clear_codes(srv):
    cases = [
        (call(closes_at=OPENS - 1), "invalid_dates"),
        (call(closes_at=OPENS), "invalid_dates"),
        (call(fields=[]), "no_field"),
        (call(fields=None), "no_field"),
        (call(fields=[{"key": "a", "label": "A", "type": "video"}]), "unknown_field_type"),
        (call(fields=[{"key": "a", "label": "A"}]), "unknown_field_type"),
        (call(fields=[{"key": "a", "label": "A", "type": "choice"}]), "choice_without_options"),
        (call(fields=[{"key": "a", "label": "A", "type": "choice", "options": []}]), "choice_without_options"),
        (call(rubric=[{"key": "x", "label": "X", "max": 0, "weight": 1}]), "rubric_out_of_range"),
        (call(rubric=[{"key": "x", "label": "X", "max": 101, "weight": 1}]), "rubric_out_of_range"),
        (call(rubric=[{"key": "x", "label": "X", "max": 10, "weight": 0}]), "rubric_out_of_range"),
        (call(rubric=[{"key": "x", "label": "X", "max": 10, "weight": 1.5}]), "rubric_out_of_range"),
        (call(stages=["national", "academy"]), "invalid_field"),
        (call(reviewers_per_proposal=0), "invalid_field"),
        (call(title=""), "invalid_field"),
        (call(fields=[{"key": "A B", "label": "A", "type": "text"}]), "invalid_field"),
    ]
    for body, code in cases:
        body = {k: v for k, v in body.items() if v is not None}
        expect(api(srv, "admin", "POST", "/calls", body), 422, code)
    expect(api(srv, "admin", "POST", "/calls", raw=b"{not json", headers={"Content-Type": "application/json"}), 400)
    before = expect(api(srv, "owner", "GET", "/calls"), 200)["items"]
    assert len(before) == 2, before    # nothing half-written


def test_calls_are_listed_and_read(srv):
    items = expect(api(srv, None, "GET", "/calls"), 200)["items"]
    assert [c["id"] for c in items] == [W["call"]], items      # the secret group's call is not for visitors
    items = expect(api(srv, "author", "GET", "/calls?open=1"), 200)["items"]
    assert {c["id"] for c in items} == {W["call"], W["gcall"]}
    expect(api(srv, "outsider", "GET", "/calls/%s" % W["gcall"]), 404)
    expect(api(srv, None, "GET", "/calls/%s" % W["gcall"]), 404)
    c = expect(api(srv, None, "GET", "/calls/%s" % W["call"]), 200)
    assert "<strong>national</strong>" in c["description_html"] and c["may_manage"] is False


def test_managers_edit_calls(srv):
    expect(api(srv, "member", "PATCH", "/calls/%s" % W["call"], {"title": "x"}), 403)
    expect(api(srv, "outsider", "PATCH", "/calls/%s" % W["gcall"], {"title": "x"}), 404)
    expect(api(srv, "admin", "PATCH", "/calls/%s" % W["call"], {"closes_at": OPENS - 5}), 422, "invalid_dates")
    expect(api(srv, "owner", "PATCH", "/calls/%s" % W["gcall"], {"description": "Précisions"}), 200)
    # admins manage the calls they see; a secret group's call is its members' only
    expect(api(srv, "admin", "PATCH", "/calls/%s" % W["gcall"], {"title": "x"}), 404)
    expect(api(srv, "admin", "PATCH", "/calls/%s" % W["call"], {"description": "Un appel **national**."}), 200)
    c = expect(api(srv, "owner", "PATCH", "/calls/%s" % W["gcall"], {"title": "Appel du comité (2)"}), 200)
    assert c["title"] == "Appel du comité (2)" and c["description"] == "Précisions"
    # a deadline moved past the reviews' date pushes that date as far
    c = expect(api(srv, "owner", "PATCH", "/calls/%s" % W["gcall"], {"closes_at": CLOSES + 40 * 86400}), 200)
    assert c["closes_at"] == CLOSES + 40 * 86400 and c["reviews_due_at"] == c["closes_at"] + 21 * 86400, c
    expect(api(srv, "owner", "PATCH", "/calls/%s" % W["gcall"], {"reviews_due_at": CLOSES}), 422)


# ---- proposals ------------------------------------------------------------------------------

def test_authors_write_drafts_with_coauthors(srv):
    expect(api(srv, None, "POST", "/calls/%s/proposals" % W["call"], {"title": "x"}), 401)
    expect(api(srv, "outsider", "POST", "/calls/%s/proposals" % W["gcall"], {"title": "x"}), 404)
    p = expect(api(srv, "author", "POST", "/calls/%s/proposals" % W["call"],
                   {"title": "Classe coopérative", "answers": {"summary": "Brouillon"}, "coauthors": [W["coauthor"]]}),
               201)
    W["p1"] = p["id"]
    assert p["status"] == "draft" and p["academy"] == "Nice" and p["coauthors"] == [W["coauthor"]], p
    assert p["author"]["id"] == W["author"] and p["is_author"] is True
    x = expect(api(srv, "coauthor", "GET", "/proposals/%s" % W["p1"]), 200)
    assert x["answers"] == {"summary": "Brouillon"}
    for who in ("member", "outsider", "rev_nice", None):
        assert api(srv, who, "GET", "/proposals/%s" % W["p1"]).status in ((401,) if who is None else (404,)), who
    # the manager (admin) reads it; the co-author edits it
    expect(api(srv, "admin", "GET", "/proposals/%s" % W["p1"]), 200)
    x = expect(api(srv, "coauthor", "PATCH", "/proposals/%s" % W["p1"], {"answers": answers()}), 200)
    assert x["answers"]["theme"] == "Numérique" and x["title"] == "Classe coopérative"
    expect(api(srv, "member", "PATCH", "/proposals/%s" % W["p1"], {"title": "pris"}), 404)
    expect(api(srv, "admin", "PATCH", "/proposals/%s" % W["p1"], {"title": "pris"}), 403, "forbidden")
    p2 = expect(api(srv, "author2", "POST", "/calls/%s/proposals" % W["call"],
                    {"title": "Tutorat", "answers": answers(theme="Climat scolaire")}), 201)
    W["p2"] = p2["id"]
    p3 = expect(api(srv, "member", "POST", "/calls/%s/proposals" % W["call"],
                    {"title": "Radio du collège", "answers": answers()}), 201)
    W["p3"] = p3["id"]


def test_answers_are_checked_against_the_form(srv):
    path = "/proposals/%s" % W["p1"]
    expect(api(srv, "author", "PATCH", path, {"answers": {"theme": "Cuisine"}}), 422, "invalid_answer")
    expect(api(srv, "author", "PATCH", path, {"answers": {"nope": "x"}}), 422, "invalid_answer")
    expect(api(srv, "author", "PATCH", path, {"answers": {"summary": ["a"]}}), 422, "invalid_answer")
    expect(api(srv, "author", "PATCH", path, {"answers": {"school": "a\nb"}}), 422, "invalid_answer")
    expect(api(srv, "author", "PATCH", path, {"answers": {"school": "é" * 1001}}), 422, "answer_too_long")
    r = expect(api(srv, "author", "PATCH", path, {"answers": {"summary": "x" * 200000}}), 422, "answer_too_long")
    assert r["error"]["field"] == "summary"
    # a document the author may not open (the outsider's private one), then their own
    doc = outsider_doc(srv)
    expect(api(srv, "author", "PATCH", path, {"answers": {"film": str(doc)}}), 422, "invalid_answer")
    expect(api(srv, "author", "PATCH", path, {"answers": {"film": "999999"}}), 422, "invalid_answer")
    mine = own_doc(srv, "author")
    x = expect(api(srv, "author", "PATCH", path, {"answers": {"film": mine}}), 200)
    assert x["answers"]["film"] == str(mine)
    expect(api(srv, "author", "PATCH", path, {"coauthors": [999999]}), 422, "invalid_field")
    # a 10 MB answer: refused before it is read, nothing changed
    head = ("PATCH /api/v1%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (path, W["tauthor"], 10 * 1024 * 1024 + 30)).encode()
    reply = srv.raw(head + b'{"answers": {"summary": "' + b"y" * 65536, timeout=10)
    assert b" 413 " in reply.split(b"\r\n")[0] and b"body_too_large" in reply, reply[:300]
    x = expect(api(srv, "author", "GET", path), 200)
    assert x["answers"]["summary"].startswith("Des élèves"), x["answers"]


def outsider_doc(srv):
    from lib import multipart
    body, ctype = multipart({"title": "Privé", "visibility": "private", "licence": "CC-BY"},
                            {"file": ("a.txt", b"secret", "text/plain")})
    r = srv.request("POST", "/api/v1/documents", body, {"Authorization": "Bearer " + W["toutsider"],
                                                         "Content-Type": ctype})
    assert r.status == 201, r
    return r.json()["id"]


def own_doc(srv, who):
    from lib import multipart
    body, ctype = multipart({"title": "Film", "visibility": "private", "licence": "CC-BY"},
                            {"file": ("b.txt", b"film", "text/plain")})
    r = srv.request("POST", "/api/v1/documents", body, {"Authorization": "Bearer " + W["t" + who],
                                                         "Content-Type": ctype})
    assert r.status == 201, r
    return r.json()["id"]


def test_submit_needs_every_required_answer_and_mails_a_receipt(srv):
    expect(api(srv, "author2", "PATCH", "/proposals/%s" % W["p2"], {"answers": {"theme": None}}), 200)
    r = expect(api(srv, "author2", "POST", "/proposals/%s/submit" % W["p2"]), 422, "missing_answer")
    assert r["error"]["field"] == "theme"
    expect(api(srv, "author2", "PATCH", "/proposals/%s" % W["p2"], {"answers": {"theme": "Climat scolaire"}}), 200)
    expect(api(srv, "member", "POST", "/proposals/%s/submit" % W["p2"]), 404)
    before = len(srv.mails("call.author@ac-nice.fr"))
    for pid, who in (("p1", "coauthor"), ("p2", "author2"), ("p3", "member")):
        x = expect(api(srv, who, "POST", "/proposals/%s/submit" % W[pid]), 200)
        assert x["status"] == "submitted" and x["submitted_at"], x
    mails = srv.mails("call.author@ac-nice.fr")
    assert len(mails) == before + 1 and "Classe coop" in mails[-1], mails[-1:]
    assert any("/proposals/%s" % W["p1"] in m for m in srv.mails("call.coauthor@ac-nice.fr"))
    # edited after submitting, before the deadline: still submitted
    x = expect(api(srv, "author", "PATCH", "/proposals/%s" % W["p1"], {"title": "Classe coopérative (v2)"}), 200)
    assert x["status"] == "submitted"


def test_the_deadline_is_the_servers_and_exclusive(srv):
    d = expect(api(srv, "author", "POST", "/calls/%s/proposals" % W["call"],
                   {"title": "Dernière minute", "answers": answers()}), 201)["id"]
    W["late"] = d
    try:
        srv.set_clock(CLOSES - 1)
        expect(api(srv, "author", "PATCH", "/proposals/%s" % d, {"title": "Dernière seconde"}), 200)
        srv.set_clock(CLOSES)           # exactly at closes_at: closed
        expect(api(srv, "author", "POST", "/proposals/%s/submit" % d), 422, "call_closed")
        expect(api(srv, "author", "PATCH", "/proposals/%s" % d, {"title": "Trop tard"}), 422, "call_closed")
        expect(api(srv, "author", "POST", "/calls/%s/proposals" % W["call"], {"title": "Trop tard"}), 422,
               "call_closed")
        assert expect(api(srv, "author", "GET", "/proposals/%s" % d), 200)["title"] == "Dernière seconde"
        c = expect(api(srv, None, "GET", "/calls/%s" % W["call"]), 200)
        assert c["open"] is False
        srv.set_clock(OPENS - 10)       # before the opening
        expect(api(srv, "author", "POST", "/calls/%s/proposals" % W["call"], {"title": "Trop tôt"}), 422,
               "call_not_open")
    finally:
        srv.set_clock(None)
    expect(api(srv, "author", "POST", "/proposals/%s/withdraw" % d), 200)
    expect(api(srv, "author", "POST", "/proposals/%s/withdraw" % d), 422, "invalid_status")
    expect(api(srv, "author", "POST", "/proposals/%s/submit" % d), 422, "invalid_status")


# ---- reviewers and assignment -------------------------------------------------------------

def test_reviewers_are_declared_by_managers(srv):
    path = "/calls/%s/reviewers/%s" % (W["call"], W["rev_nice"])
    expect(api(srv, "member", "PUT", path, {"stage": "academy"}), 403)
    expect(api(srv, "outsider", "PUT", "/calls/%s/reviewers/%s" % (W["gcall"], W["rev_nice"]), {}), 404)
    expect(api(srv, "admin", "PUT", path, {"stage": "moon"}), 422)
    expect(api(srv, "admin", "PUT", path, {"stage": "academy", "academies": ["Atlantide"]}), 422)
    expect(api(srv, "admin", "PUT", "/calls/%s/reviewers/999999" % W["call"], {"stage": "academy"}), 404)
    for who in ("rev_nice", "rev_nice2", "rev_school", "rev_lyon", "coauthor"):
        expect(api(srv, "admin", "PUT", "/calls/%s/reviewers/%s" % (W["call"], W[who]), {"stage": "academy"}), 200)
    expect(api(srv, "admin", "PUT", "/calls/%s/reviewers/%s" % (W["call"], W["rev_lyon"]),
               {"stage": "national"}), 200)
    items = expect(api(srv, "admin", "GET", "/calls/%s/reviewers" % W["call"]), 200)["items"]
    assert len(items) == 6, items
    expect(api(srv, "member", "GET", "/calls/%s/reviewers" % W["call"]), 403)


def assigned(srv, pid, stage=None):
    x = expect(api(srv, "admin", "GET", "/proposals/%s" % W[pid]), 200)
    return {r["reviewer"]["id"] for r in x["reviews"] if stage is None or r["stage"] == stage}


def test_automatic_assignment_respects_conflicts_and_balances(srv):
    expect(api(srv, "member", "POST", "/calls/%s/assignments" % W["call"], {}), 403)
    r = expect(api(srv, "admin", "POST", "/calls/%s/assignments" % W["call"], {"stage": "academy"}), 200)
    assert r["assigned"] == 6 and r["unfilled"] == 0, r
    a1, a2, a3 = assigned(srv, "p1"), assigned(srv, "p2"), assigned(srv, "p3")
    # p1: author's school is rev_school's; the co-author never reviews it; Lyon never at the academy stage
    assert W["rev_school"] not in a1 and W["coauthor"] not in a1 and W["rev_lyon"] not in a1, a1
    # p2: author2 shares rev_nice's school
    assert W["rev_nice"] not in a2 and W["rev_lyon"] not in a2, a2
    assert W["rev_lyon"] not in a3, a3
    loads = {}
    for s in (a1, a2, a3):
        assert len(s) == 2
        for u in s:
            loads[u] = loads.get(u, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1, loads
    # again: nothing new
    assert expect(api(srv, "admin", "POST", "/calls/%s/assignments" % W["call"], {"stage": "academy"}),
                  200)["assigned"] == 0
    x = expect(api(srv, "author", "GET", "/proposals/%s" % W["p1"]), 200)
    assert x["status"] == "under_review" and x["reviews"] == [], x     # authors do not read the reviews
    # national stage: rev_lyon alone, not the academy's reviewers
    r = expect(api(srv, "admin", "POST", "/calls/%s/assignments" % W["call"], {"stage": "national"}), 200)
    assert r["assigned"] == 3 and r["unfilled"] == 3, r
    assert assigned(srv, "p1", "national") == {W["rev_lyon"]}


def test_manual_assignment_refuses_conflicts(srv):
    path = "/proposals/%s/assignments" % W["p1"]
    expect(api(srv, "admin", "POST", path, {"reviewer_id": W["rev_school"], "stage": "academy"}), 422,
           "reviewer_conflict")
    expect(api(srv, "admin", "POST", path, {"reviewer_id": W["coauthor"], "stage": "academy"}), 422,
           "reviewer_conflict")
    expect(api(srv, "admin", "POST", path, {"reviewer_id": W["member"], "stage": "academy"}), 422, "not_a_reviewer")
    expect(api(srv, "rev_nice", "POST", path, {"reviewer_id": W["rev_nice2"]}), 403)
    expect(api(srv, "outsider", "POST", path, {"reviewer_id": W["rev_nice2"]}), 404)
    a = assigned(srv, "p1", "academy")
    other = ({W["rev_nice"], W["rev_nice2"]} - a).pop() if len({W["rev_nice"], W["rev_nice2"]} - a) else None
    some = a.pop()
    expect(api(srv, "admin", "DELETE", "/proposals/%s/assignments/%s?stage=academy" % (W["p1"], some)), 204)
    expect(api(srv, "admin", "POST", path, {"reviewer_id": some, "stage": "academy"}), 201)
    if other:
        expect(api(srv, "admin", "POST", path, {"reviewer_id": other, "stage": "academy"}), 201)


# ---- reviews ------------------------------------------------------------------------------

def test_reviews_by_assigned_reviewers_within_the_rubric(srv):
    revs = sorted(assigned(srv, "p1", "academy"))
    W["r1"] = [k for k in ("rev_nice", "rev_nice2") if W[k] == revs[0]][0]
    path = "/proposals/%s/reviews" % W["p1"]
    good = {"scores": {"impact": 8, "clarity": 4}, "recommendation": "accept", "comment": "Solide."}
    for bad, code in [({"scores": {"impact": 11, "clarity": 4}}, "score_out_of_range"),
                      ({"scores": {"impact": -1, "clarity": 4}}, "score_out_of_range"),
                      ({"scores": {"impact": 8}}, "score_out_of_range"),
                      ({"scores": {"impact": 8, "clarity": 4, "style": 2}}, "score_out_of_range"),
                      ({"scores": {"impact": "8", "clarity": 4}}, "score_out_of_range"),
                      ({"recommendation": "maybe"}, "invalid_field")]:
        body = dict(good)
        body.update(bad)
        expect(api(srv, W["r1"], "POST", path, body), 422, code)
    # not assigned: a reviewer of the call, the author, a member, the manager
    for who in ("rev_school", "author", "member", "admin"):
        expect(api(srv, who, "POST", path, good), 404)
    x = expect(api(srv, W["r1"], "POST", path, good), 201)
    assert x["author"] is None and x["authors"] == [], x             # blind
    mine = [r for r in x["reviews"] if r["reviewer"]["id"] == W[W["r1"]]]
    assert len(x["reviews"]) == 1 and mine[0]["scores"] == {"impact": 8, "clarity": 4}, x["reviews"]
    assert x["score"] == 6.67, x                                     # (8*2 + 4*1) / (2 + 1)
    x = expect(api(srv, "admin", "GET", "/proposals/%s" % W["p1"]), 200)
    assert len(x["reviews"]) == 3 and x["reviews_done"] == 1, x


def test_listings_by_role(srv):
    path = "/calls/%s/proposals" % W["call"]
    allp = expect(api(srv, "admin", "GET", path), 200)["items"]
    assert {p["id"] for p in allp} == {W["p1"], W["p2"], W["p3"], W["late"]}
    p1 = [p for p in allp if p["id"] == W["p1"]][0]
    assert p1["score"] is not None and p1["author"]["id"] == W["author"]
    assert {p["id"] for p in expect(api(srv, "admin", "GET", path + "?status=withdrawn"), 200)["items"]} == {W["late"]}
    assert len(expect(api(srv, "admin", "GET", path + "?academy=Lyon"), 200)["items"]) == 0
    expect(api(srv, "admin", "GET", path + "?status=nope"), 400)
    mine = expect(api(srv, "author", "GET", path), 200)["items"]
    assert {p["id"] for p in mine} == {W["p1"], W["late"]}
    rev = expect(api(srv, "rev_lyon", "GET", path), 200)["items"]
    assert {p["id"] for p in rev} == {W["p1"], W["p2"], W["p3"]} and all(p["author"] is None for p in rev)
    assert expect(api(srv, "outsider", "GET", path), 200)["items"] == []
    expect(api(srv, "outsider", "GET", "/calls/%s/proposals" % W["gcall"]), 404)
    queue = expect(api(srv, "rev_lyon", "GET", "/me/reviews"), 200)["items"]
    assert len(queue) == 3
    assert {p["id"] for p in expect(api(srv, "coauthor", "GET", "/me/proposals"), 200)["items"]} == {W["p1"]}


def test_csv_export_parses_back(srv):
    r = srv.request("GET", "/calls/%s/proposals.csv" % W["call"])
    assert r.status in (303, 401), r                                 # a visitor: sign in first
    w = srv.web()
    w.login("call.admin@ac-nice.fr")
    r = w.get("/calls/%s/proposals.csv" % W["call"])
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv"), r
    rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))
    assert len(rows) == 4, rows
    byid = {int(x["id"]): x for x in rows}
    assert byid[W["p1"]]["coauthors"] == str(W["coauthor"]) and byid[W["p1"]]["theme"] == "Numérique"
    assert byid[W["p1"]]["summary"].startswith("Des élèves") and byid[W["p1"]]["score"]
    assert byid[W["late"]]["status"] == "withdrawn"
    m = srv.web()
    m.login("call.member@ac-nice.fr")
    assert m.get("/calls/%s/proposals.csv" % W["call"]).status == 403
    o = srv.web()
    o.login("call.outsider@ac-nice.fr")
    assert o.get("/calls/%s/proposals.csv" % W["gcall"]).status == 404


# ---- decisions and publication --------------------------------------------------------------

def test_decisions_by_managers_only_and_authors_are_told(srv):
    path = "/proposals/%s/decision" % W["p1"]
    body = {"status": "accepted", "message": "Bravo, **rendez-vous** en mai."}
    expect(api(srv, W["r1"], "POST", path, body), 403, "forbidden")      # sees it, may not decide
    expect(api(srv, "author", "POST", path, body), 403, "forbidden")
    expect(api(srv, "member", "POST", path, body), 404)
    # the co-author hears of requests and decisions by mail at once
    expect(api(srv, "coauthor", "PATCH", "/me/notification-settings", {"settings": {"request": "mail"}}), 200)
    before = len(srv.mails("call.coauthor@ac-nice.fr"))
    expect(api(srv, "admin", "POST", path, {"status": "draft"}), 422)
    expect(api(srv, "admin", "POST", "/proposals/%s/decision" % W["late"], body), 422, "invalid_status")
    x = expect(api(srv, "admin", "POST", path, body), 200)
    assert x["status"] == "accepted" and x["decided_at"]
    mails = srv.mails("call.coauthor@ac-nice.fr")
    assert len(mails) == before + 1 and "/proposals/%s" % W["p1"] in mails[-1], mails[-1:]
    x = expect(api(srv, "author", "GET", "/proposals/%s" % W["p1"]), 200)
    assert x["decision_message"].startswith("Bravo"), x
    for who in ("author", "coauthor"):
        notes = expect(api(srv, who, "GET", "/notifications"), 200)["items"]
        assert any(n["kind"] == "decision" and n["proposal_id"] == W["p1"] and n["title"].startswith("Classe")
                   for n in notes), notes
    assert expect(api(srv, W["r1"], "GET", "/proposals/%s" % W["p1"]), 200)["decision_message"] == ""
    w = srv.web()
    w.login("call.coauthor@ac-nice.fr")
    page = w.get("/notifications")
    assert page.status == 200 and 'href="/proposals/%s"' % W["p1"] in page.text, page
    expect(api(srv, "admin", "POST", "/proposals/%s/decision" % W["p2"], {"status": "waitlisted", "message": ""}), 200)
    # a review after the decision is refused
    expect(api(srv, W["r1"], "POST", "/proposals/%s/reviews" % W["p1"],
               {"scores": {"impact": 1, "clarity": 1}, "recommendation": "reject"}), 422, "invalid_status")


def test_accepted_proposals_publish_as_innovation_records(srv):
    expect(api(srv, "admin", "POST", "/proposals/%s/publish" % W["p2"]), 422, "invalid_status")
    expect(api(srv, "author", "POST", "/proposals/%s/publish" % W["p1"]), 403)
    expect(api(srv, "outsider", "POST", "/proposals/%s/publish" % W["p1"]), 404)
    r = expect(api(srv, "admin", "POST", "/proposals/%s/publish" % W["p1"]), 201)
    inno = r["id"]
    rec = expect(api(srv, "author", "GET", "/innovations/%s" % inno), 200)
    assert rec["coordinator"]["id"] == W["author"] and rec["academy"] == "Nice", rec
    assert [c["id"] for c in rec["coauthors"]] == [W["coauthor"]]
    assert expect(api(srv, "author", "GET", "/proposals/%s" % W["p1"]), 200)["innovation_id"] == inno
    expect(api(srv, "admin", "POST", "/proposals/%s/publish" % W["p1"]), 409, "already_published")
    w = srv.web()
    w.login("call.author@ac-nice.fr")
    page = w.get("/innovations/%s" % inno)
    assert page.status == 200 and "/calls/%s" % W["call"] in page.text, page


# ---- the public vote ------------------------------------------------------------------------

def test_public_vote_once_and_counts_after_the_close(srv):
    path = "/proposals/%s/votes" % W["p3"]
    expect(api(srv, None, "POST", path), 401)
    expect(api(srv, "outsider", "POST", path), 201)
    expect(api(srv, "outsider", "POST", path), 409, "already_voted")
    expect(api(srv, "rev_nice", "POST", path), 201)
    expect(api(srv, "outsider", "POST", "/proposals/%s/votes" % W["late"]), 404)   # withdrawn: not on the ballot
    ballot = expect(api(srv, "outsider", "GET", "/calls/%s/proposals?ballot=1" % W["call"]), 200)["items"]
    assert W["p3"] in [p["id"] for p in ballot] and all(p["votes"] is None for p in ballot), ballot
    assert [p["voted_by_me"] for p in ballot if p["id"] == W["p3"]] == [True], ballot
    w = srv.web()
    w.login("call.outsider@ac-nice.fr")
    page = w.get("/calls/%s" % W["call"])
    assert "Vous avez voté pour cette proposition." in page.text, page
    assert expect(api(srv, "admin", "GET", "/proposals/%s" % W["p3"]), 200)["votes"] is None
    # the group call has no public vote
    gp = expect(api(srv, "author", "POST", "/calls/%s/proposals" % W["gcall"],
                    {"title": "Interne", "answers": answers()}), 201)["id"]
    expect(api(srv, "author", "POST", "/proposals/%s/submit" % gp), 200)
    expect(api(srv, "owner", "POST", "/proposals/%s/votes" % gp), 422, "no_public_vote")
    expect(api(srv, "outsider", "POST", "/proposals/%s/votes" % gp), 404)
    try:
        srv.set_clock(CLOSES + 60)
        assert expect(api(srv, "admin", "GET", "/proposals/%s" % W["p3"]), 200)["votes"] == 2
        expect(api(srv, "member", "POST", path), 422, "call_closed")
    finally:
        srv.set_clock(None)


# ---- dashboard and pages --------------------------------------------------------------------

def test_dashboard_for_managers(srv):
    d = expect(api(srv, "admin", "GET", "/calls/%s/dashboard" % W["call"]), 200)
    assert d["by_status"].get("accepted") == 1 and d["by_status"].get("withdrawn") == 1, d
    assert d["by_academy"] == {"Nice": 3}, d
    assert sum(x["value"] for x in d["submissions_per_day"]) == 3, d
    assert d["reviews"]["assigned"] >= 9 and d["reviews"]["done"] == 1 and d["reviews"]["late"] == 0, d
    expect(api(srv, "member", "GET", "/calls/%s/dashboard" % W["call"]), 403)
    expect(api(srv, "outsider", "GET", "/calls/%s/dashboard" % W["gcall"]), 404)
    try:
        srv.set_clock(CLOSES + 30 * 86400)
        assert expect(api(srv, "admin", "GET", "/calls/%s/dashboard" % W["call"]), 200)["reviews"]["late"] >= 8
    finally:
        srv.set_clock(None)
    w = srv.web()
    w.login("call.admin@ac-nice.fr")
    page = w.get("/calls/%s/dashboard" % W["call"])
    assert page.status == 200 and "<svg" in page.text and "proposals.csv" in page.text, page
    m = srv.web()
    m.login("call.member@ac-nice.fr")
    assert m.get("/calls/%s/dashboard" % W["call"]).status == 403


def test_pages(srv):
    v = srv.web()
    r = v.get("/calls")
    assert r.status == 200 and "Journées de l" in r.text and "Appel du comité" not in r.text
    r = v.get("/calls/%s" % W["call"])
    assert r.status == 200 and "heure de Paris" in r.text and "UTC+0" in r.text, r.text[:2000]
    assert v.get("/calls/%s" % W["gcall"]).status == 404
    assert "Journées de l" in v.get("/").text                          # the home page's block
    e = srv.web(lang="en")
    assert "Paris time" in e.get("/calls/%s" % W["call"]).text
    w = srv.web()
    w.login("call.author2@ac-nice.fr")
    assert "Journées de l" in w.get("/").text
    r = w.get("/calls/%s/proposals/new" % W["call"])
    assert r.status == 200 and 'name="a_summary"' in r.text and "calls.js" in r.text
    # without JavaScript: a plain form; a refusal keeps the text sent
    r = w.post("/calls/%s/proposals/new" % W["call"], {"title": "", "a_summary": "Mon texte précieux"})
    assert r.status == 422 and "Mon texte précieux" in r.text, r
    r = w.post("/calls/%s/proposals/new" % W["call"], {"title": "Par la page", "a_summary": "Texte", "do": "save"})
    assert r.status == 303, r
    pid = int(re.search(r"/proposals/(\d+)", r.headers["location"]).group(1))
    r = w.get("/proposals/%s/edit" % pid)
    assert r.status == 200 and "data-autosave" in r.text
    # the autosave (calls.js): a JSON answer, the draft saved
    r = w.post("/proposals/%s/edit" % pid, {"title": "Par la page", "a_summary": "Texte autosauvé",
                                            "autosave": "1"})
    assert r.status == 200 and r.json()["saved"] is True, r
    x = expect(api(srv, "author2", "GET", "/proposals/%s" % pid), 200)
    assert x["answers"]["summary"] == "Texte autosauvé"
    r = w.post("/proposals/%s/edit" % pid, {"title": "Par la page", "a_theme": "Cuisine", "autosave": "1"})
    assert r.status == 422 and r.json()["error"]["code"].startswith("invalid_answer"), r
    r = w.post("/proposals/%s/edit" % pid, {"title": "Par la page", "a_summary": "Texte", "a_theme": "Numérique",
                                            "do": "submit"})
    assert r.status == 303, r
    assert expect(api(srv, "author2", "GET", "/proposals/%s" % pid), 200)["status"] == "submitted"
    r = w.get("/proposals/%s" % pid)
    assert r.status == 200 and "déposée" in r.text
    assert w.get("/me/proposals").status == 200
    # a CSRF-less post changes nothing
    r = w.post("/proposals/%s/withdraw" % pid, {}, csrf=False)
    assert r.status == 403
    # the reviewer's queue and form
    rv = srv.web()
    rv.login("call.rev_lyon@ac-lyon.fr")
    r = rv.get("/me/reviews")
    assert r.status == 200 and "Radio du coll" in r.text
    r = rv.get("/proposals/%s" % W["p3"])
    assert r.status == 200 and 'name="s_impact"' in r.text and "Call Member" not in r.text, r
    r = rv.post("/proposals/%s/review" % W["p3"], {"s_impact": "7", "s_clarity": "9", "recommendation": "discuss"})
    assert r.status == 422, r
    r = rv.post("/proposals/%s/review" % W["p3"], {"s_impact": "7", "s_clarity": "3", "recommendation": "discuss"})
    assert r.status == 303, r
    o = srv.web()
    o.login("call.outsider@ac-nice.fr")
    assert o.get("/proposals/%s" % W["p3"]).status == 404
    assert o.get("/proposals/%s/edit" % W["p3"]).status == 404
    # the manager's page of a proposal: reviews, decision form
    a = srv.web()
    a.login("call.admin@ac-nice.fr")
    r = a.get("/proposals/%s" % W["p3"])
    assert r.status == 200 and "/decision" in r.text and "Call Member" in r.text
    r = a.post("/proposals/%s/decision" % W["p3"], {"status": "rejected", "message": "Merci."})
    assert r.status == 303


def test_calls_in_the_search(srv):
    r = expect(api(srv, None, "GET", "/search?q=innovation&type=call"), 200)
    ids = [(h["type"], h["id"]) for h in r["items"]]
    assert ("call", W["call"]) in ids, r
    assert all(t == "call" for t, _ in ids)
    # the secret group's call: to its members only
    r = expect(api(srv, "outsider", "GET", "/search?q=comit%C3%A9&type=call"), 200)
    assert W["gcall"] not in [h["id"] for h in r["items"]], r
    r = expect(api(srv, "author", "GET", "/search?q=comit%C3%A9&type=call"), 200)
    assert W["gcall"] in [h["id"] for h in r["items"]], r
    w = srv.web()
    page = w.get("/search?q=innovation&type=call")
    assert page.status == 200 and "/calls/%s" % W["call"] in page.text
