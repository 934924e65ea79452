"""The operators' console (issue 24): 404 to anyone but an admin on every
admin route (pages and API), members (filters, paging, suspension effective at
once, reactivation, roles), the audit log, settings validated and applied
without restart (here and on a second server sharing the database), moderation
of every kind with bulk actions, pinned and locked discussions, the pages."""
import os
import re
import signal
import socket
import subprocess
import time

import lib
from lib import expect, multipart

W = {}


def api(srv, who, method, path, body=None, **kw):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None, **kw)


def audit(srv, **query):
    q = "&".join("%s=%s" % kv for kv in query.items())
    return expect(api(srv, "admin", "GET", "/admin/audit" + ("?" + q if q else "")), 200)["items"]


def test_world(srv):
    for k, name in [("admin", "Alix Admin"), ("alice", "Alice Martin"), ("bob", "Bob Durand"),
                    ("carol", "Carol Petit")]:
        W[k], W["t" + k] = srv.member("con.%s@ac-lyon.fr" % k, name, admin=(k == "admin"))
    W["admin_web"] = srv.web()
    W["admin_web"].login("con.admin@ac-lyon.fr")
    W["alice_web"] = srv.web()
    W["alice_web"].login("con.alice@ac-lyon.fr")


def admin_routes(srv):
    out = subprocess.run([srv.bin, "routes"], capture_output=True, text=True, env=srv.env, timeout=30)
    assert out.returncode == 0, out.stderr
    rows = []
    for line in out.stdout.splitlines():
        methods, pattern, who, csrf, body = line.split("\t")
        if pattern.startswith("/admin") or pattern.startswith("/api/v1/admin"):
            rows.append((methods.split("|"), re.sub(r"\{[a-z_]+(:[a-z]+)?\}", str(W["bob"]), pattern), who))
    return rows


def test_every_admin_route_answers_404_to_non_admins(srv):
    rows = admin_routes(srv)
    assert len(rows) >= 20, rows
    problems = []
    for methods, path, who in rows:
        assert who == "admin", (path, who)
        for method in methods:
            for viewer in (None, "alice"):
                if path.startswith("/api/"):
                    r = api(srv, viewer, method, path[len("/api/v1"):], {"reason": "x", "role": "admin"}
                            if method not in ("GET", "HEAD") else None)
                else:
                    web = W["alice_web"] if viewer else srv.web()
                    r = web.get(path) if method in ("GET", "HEAD") else web.post(path, {"reason": "x"})
                if r.status != 404:
                    problems.append("%s %s as %s: %s" % (method, path, viewer or "visitor", r.status))
    assert not problems, problems
    # nothing changed: bob is still an active member
    m = expect(api(srv, "admin", "GET", "/admin/members/%s" % W["bob"]), 200)
    assert m["status"] == "active" and m["role"] == "member", m


def test_members_search_filters_and_paging(srv):
    for i in range(52):
        expect(srv.api("POST", "/accounts", {"email": "con.pending%02d@ac-lyon.fr" % i, "password": lib.PASSWORD,
                                             "name": "En Attente %02d" % i}), 201)
    page = expect(api(srv, "admin", "GET", "/admin/members?status=pending"), 200)
    assert len(page["items"]) == 50 and page["next"], page
    rest = expect(api(srv, "admin", "GET", "/admin/members?status=pending&cursor=" + page["next"]), 200)
    assert len(rest["items"]) == 2 and rest["next"] is None, rest
    ids = [m["id"] for m in page["items"] + rest["items"]]
    assert len(set(ids)) == 52 and all(m["status"] == "pending" for m in page["items"])
    found = expect(api(srv, "admin", "GET", "/admin/members?q=alice"), 200)["items"]
    assert [m["id"] for m in found] == [W["alice"]], found
    assert found[0]["email"] == "con.alice@ac-lyon.fr" and found[0]["last_seen_at"], found
    admins = expect(api(srv, "admin", "GET", "/admin/members?role=admin"), 200)["items"]
    assert [m["id"] for m in admins] == [W["admin"]], admins
    seen = {m["id"] for m in expect(api(srv, "admin", "GET", "/admin/members?seen_within=7"), 200)["items"]}
    assert {W["alice"], W["bob"], W["admin"]} <= seen and not seen & set(ids), seen
    unseen = expect(api(srv, "admin", "GET", "/admin/members?unseen_for=30&status=pending"), 200)
    assert len(unseen["items"]) == 50, unseen
    expect(api(srv, "admin", "GET", "/admin/members?status=frozen"), 422, "invalid_field")
    expect(api(srv, "admin", "GET", "/admin/members?role=king"), 422, "invalid_field")
    expect(api(srv, "admin", "GET", "/admin/members?seen_within=0"), 422)
    expect(api(srv, "admin", "GET", "/admin/members?cursor=abc"), 400, "invalid_cursor")
    expect(api(srv, "admin", "GET", "/admin/members/999999"), 404)


def test_suspension_is_effective_at_once_and_content_stays(srv):
    post = expect(api(srv, "bob", "POST", "/posts", {"kind": "discussion", "title": "Sujet de Bob",
                                                     "body": "Texte", "visibility": "members"}), 201)["id"]
    W["bob_post"] = post
    second = srv.login("con.bob@ac-lyon.fr")          # another device
    bob_web = srv.web()
    bob_web.login("con.bob@ac-lyon.fr")
    assert bob_web.get("/").status == 200
    expect(api(srv, "bob", "GET", "/me"), 200)
    # a live stream of bob's, open when the suspension comes
    sock = socket.create_connection((srv.host, srv.port), timeout=10)
    sock.sendall(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % W["tbob"]).encode())
    got = b""
    while b"event: unread" not in got:
        got += sock.recv(4096)
    expect(api(srv, "admin", "POST", "/admin/members/%s/suspend" % W["bob"], {}), 422)
    expect(api(srv, "admin", "POST", "/admin/members/%s/suspend" % W["bob"], {"reason": "   "}), 422, "invalid_field")
    m = expect(api(srv, "admin", "POST", "/admin/members/%s/suspend" % W["bob"],
                   {"reason": "Messages insultants répétés"}), 200)
    assert m["status"] == "suspended" and m["suspend_reason"] == "Messages insultants répétés" and m["sessions"] == 0
    # the stream ends at once
    end = time.time() + 5
    while b"event: closed" not in got and time.time() < end:
        sock.settimeout(max(0.05, end - time.time()))
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
    sock.close()
    assert b"event: closed" in got, got[-300:]
    # every session of bob is gone at once: API tokens and the browser
    expect(api(srv, "bob", "GET", "/me"), 401)
    expect(srv.api("GET", "/me", token=second), 401)
    r = bob_web.get("/notifications")
    assert r.status == 303 and "/login" in r.headers["location"], r
    expect(srv.api("POST", "/sessions", {"email": "con.bob@ac-lyon.fr", "password": lib.PASSWORD}), 401,
           "invalid_credentials")
    # the content stays
    assert expect(api(srv, "alice", "GET", "/posts/%s" % post), 200)["title"] == "Sujet de Bob"
    expect(api(srv, "admin", "POST", "/admin/members/%s/suspend" % W["bob"], {"reason": "encore"}), 409,
           "already_suspended")
    expect(api(srv, "admin", "POST", "/admin/members/%s/suspend" % W["admin"], {"reason": "moi"}), 403)
    suspended = expect(api(srv, "admin", "GET", "/admin/members?status=suspended"), 200)["items"]
    assert [x["id"] for x in suspended] == [W["bob"]], suspended
    e = audit(srv, action="member_suspend")[0]
    assert e["actor"]["id"] == W["admin"] and e["target"]["id"] == W["bob"], e
    assert e["reason"] == "Messages insultants répétés" and e["created_at"] > 0, e
    m = expect(api(srv, "admin", "POST", "/admin/members/%s/reactivate" % W["bob"], {"reason": "Excuses reçues"}),
               200)
    assert m["status"] == "active" and m["suspended_at"] is None, m
    W["tbob"] = srv.login("con.bob@ac-lyon.fr")
    expect(api(srv, "bob", "GET", "/me"), 200)
    expect(api(srv, "admin", "POST", "/admin/members/%s/reactivate" % W["bob"], {"reason": "x"}), 409, "not_suspended")
    assert audit(srv, action="member_reactivate")[0]["reason"] == "Excuses reçues"


def test_roles(srv):
    path = "/admin/members/%s/role" % W["carol"]
    expect(api(srv, "admin", "PUT", path, {"role": "king", "reason": "x"}), 422, "invalid_field")
    expect(api(srv, "admin", "PUT", path, {"role": "adviser", "reason": "x"}), 422, "invalid_field")
    expect(api(srv, "admin", "PUT", path, {"role": "adviser", "academy": "Atlantis", "reason": "x"}), 422)
    expect(api(srv, "admin", "PUT", path, {"role": "trainer", "academy": "Lyon", "reason": "x"}), 422)
    expect(api(srv, "admin", "PUT", path, {"role": "trainer"}), 422)
    m = expect(api(srv, "admin", "PUT", path, {"role": "adviser", "academy": "Lyon", "reason": "Nommée CARDIE"}), 200)
    assert m["role"] == "adviser" and m["adviser_academy"] == "Lyon", m
    m = expect(api(srv, "admin", "PUT", path, {"role": "trainer", "reason": "Formatrice INSPÉ"}), 200)
    assert m["role"] == "trainer" and m["adviser_academy"] is None, m
    expect(api(srv, "carol", "GET", "/admin/members"), 404)
    expect(api(srv, "admin", "PUT", path, {"role": "admin", "reason": "Renfort"}), 200)
    expect(api(srv, "carol", "GET", "/admin/members"), 200)
    expect(api(srv, "admin", "PUT", path, {"role": "admin", "reason": "Renfort"}), 409)
    expect(api(srv, "admin", "PUT", path, {"role": "member", "reason": "Fin de mission"}), 200)
    expect(api(srv, "carol", "GET", "/admin/members"), 404)
    expect(api(srv, "admin", "PUT", "/admin/members/%s/role" % W["admin"], {"role": "member", "reason": "x"}), 403)
    trail = [e["reason"] for e in audit(srv, action="member_role", target=W["carol"])]
    assert trail == ["admin → member: Fin de mission", "trainer → admin: Renfort",
                     "adviser → trainer: Formatrice INSPÉ", "member → adviser Lyon: Nommée CARDIE"], trail
    assert len(audit(srv, action="member_")) >= 6


def test_settings_validated_audited_and_applied_without_restart(srv):
    s = expect(api(srv, "admin", "GET", "/admin/settings"), 200)
    assert s["site_name"] == "Respire" and s["overridden"] == [] and "Lyon" in s["academies"], s
    gen = s["generation"]
    expect(api(srv, "alice", "GET", "/admin/settings"), 404)
    expect(api(srv, "alice", "PATCH", "/admin/settings", {"site_name": "X"}), 404)
    expect(api(srv, "admin", "PATCH", "/admin/settings", {"colour": "blue"}), 422, "unknown_setting")
    for bad in ({"allowed_domains": "not a domain"}, {"allowed_domains": ""}, {"site_name": ""},
                {"quota_member": "lots"}, {"quota_member": 10}, {"academies": []}, {"academies": ["A|B"]},
                {"academies": ["Lyon", "Lyon"]}, {"academies": ["Lyon", " Lyon "]}, {"contact": "nobody"}, {"innovation_themes": "Numérique"},
                {"legal_text": "x" * 100001}):
        r = api(srv, "admin", "PATCH", "/admin/settings", bad)
        assert r.status == 422 and r.json()["error"]["field"] == list(bad)[0], (bad, r)
    assert expect(api(srv, "admin", "GET", "/admin/settings"), 200)["generation"] == gen   # nothing written
    s = expect(api(srv, "admin", "PATCH", "/admin/settings", {
        "site_name": "Respire Lyon", "contact": "respire@ac-lyon.fr", "allowed_domains": "ac-lyon.fr, ac-grenoble.fr",
        "academies": ["Lyon", "Grenoble", "Polynésie française"], "innovation_themes": ["Numérique", "Jardins"],
        "max_upload": 2048, "legal_text": "# Éditeur\n\nLe **rectorat** de Lyon.",
        "reason": "Ouverture académique"}), 200)
    assert s["site_name"] == "Respire Lyon" and s["generation"] > gen, s
    assert s["allowed_domains"] == "ac-lyon.fr,ac-grenoble.fr" and s["max_upload"] == 2048, s
    assert sorted(s["overridden"]) == sorted(["site_name", "contact", "allowed_domains", "academies",
                                              "innovation_themes", "max_upload", "legal_text"]), s
    # applied at once, without restart
    assert "Respire Lyon</title>" in srv.web().get("/login").text
    expect(srv.api("POST", "/accounts", {"email": "x@ac-nice.fr", "password": lib.PASSWORD, "name": "Nice"}), 422,
           "email_domain_not_allowed")
    expect(srv.api("POST", "/accounts", {"email": "x@ac-grenoble.fr", "password": lib.PASSWORD, "name": "G"}), 201)
    legal = srv.web().get("/legal")
    assert legal.status == 200 and "<strong>rectorat</strong>" in legal.text and "respire@ac-lyon.fr" in legal.text
    rec = {"title": "Jardin", "summary": "s", "academy": "Polynésie française", "levels": [], "subjects": [],
           "themes": ["Jardins"], "keywords": [], "type": "local", "started_year": 2022, "duration_years": 1,
           "visibility": "members"}
    expect(api(srv, "alice", "POST", "/innovations", rec), 201)
    expect(api(srv, "alice", "POST", "/innovations", dict(rec, academy="Nice")), 422)
    body, ctype = multipart({"title": "Gros"}, [("file", ("gros.txt", b"x" * 4096, "text/plain"))])
    expect(srv.api("POST", "/documents", raw=body, token=W["talice"], headers={"Content-Type": ctype}), 413)
    body, ctype = multipart({"title": "Petit"}, [("file", ("petit.txt", b"x" * 100, "text/plain"))])
    expect(srv.api("POST", "/documents", raw=body, token=W["talice"], headers={"Content-Type": ctype}), 201)
    changes = audit(srv, action="setting_change")
    assert {e["reason"] for e in changes} >= {"site_name: Ouverture académique", "max_upload: Ouverture académique"}
    assert all(e["actor"]["id"] == W["admin"] for e in changes)
    # back to the file's values
    s = expect(api(srv, "admin", "PATCH", "/admin/settings", {
        "allowed_domains": None, "max_upload": None, "academies": None, "innovation_themes": None}), 200)
    assert s["allowed_domains"] == "education.gouv.fr,ac-*.fr" and "Nice" in s["academies"], s
    expect(srv.api("POST", "/accounts", {"email": "y@ac-nice.fr", "password": lib.PASSWORD, "name": "Nice"}), 201)
    assert audit(srv, action="setting_reset")


def test_settings_reach_a_second_server_on_the_same_database(srv):
    env = dict(srv.env)
    env.pop("RESPIRE_CLOCK_FILE", None)
    log = open(os.path.join(srv.data, "second.log"), "ab")
    proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", srv.data] + srv.db_args,
                            stdout=subprocess.PIPE, stderr=log, env=env)
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("listening on "), line
        other = lib.Server(srv.bin, srv.data, line.split()[-1], srv.db_args, env)
        assert "Respire Lyon" in other.web().get("/").text          # read at its start
        expect(api(srv, "admin", "PATCH", "/admin/settings", {"site_name": "Respire Auvergne-Rhône-Alpes"}), 200)
        t0 = time.time()
        assert lib.wait_until(lambda: "Respire Auvergne-Rhône-Alpes" in other.web().get("/").text, timeout=5)
        assert time.time() - t0 < 3, "the second server saw the change after %.1f s" % (time.time() - t0)
        expect(api(srv, "admin", "PATCH", "/admin/settings", {"max_upload": 1024}), 200)
        body, ctype = multipart({"title": "Moyen"}, [("file", ("m.txt", b"x" * 2000, "text/plain"))])
        assert lib.wait_until(lambda: other.api("POST", "/documents", raw=body, token=W["talice"],
                                                headers={"Content-Type": ctype}).status == 413, timeout=5)
        expect(api(srv, "admin", "PATCH", "/admin/settings", {"max_upload": None}), 200)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=40) == 0
        log.close()


def test_bulk_moderation_of_every_kind(srv):
    g = expect(api(srv, "alice", "POST", "/groups", {"name": "Jardins", "description": "d", "kind": "practice",
                                                     "visibility": "open"}), 201)["id"]
    expect(api(srv, "carol", "POST", "/groups/%s/join" % g), 200)
    p1 = expect(api(srv, "alice", "POST", "/posts", {"kind": "discussion", "title": "Sujet un", "body": "b",
                                                     "visibility": "members"}), 201)["id"]
    p2 = expect(api(srv, "alice", "POST", "/posts", {"kind": "discussion", "title": "Sujet deux", "body": "b",
                                                     "visibility": "members"}), 201)["id"]
    r1 = expect(api(srv, "alice", "POST", "/posts/%s/replies" % p1, {"body": "Une réponse"}), 201)["id"]
    body, ctype = multipart({"title": "Fiche", "visibility": "members"},
                            [("file", ("f.txt", b"bonjour", "text/plain"))])
    d1 = expect(srv.api("POST", "/documents", raw=body, token=W["talice"], headers={"Content-Type": ctype}), 201)["id"]
    c1 = expect(api(srv, "alice", "POST", "/documents/%s/comments" % d1, {"body": "Un commentaire"}), 201)["id"]
    room = expect(api(srv, "alice", "GET", "/groups/%s/rooms" % g), 200)["items"][0]["id"]
    m1 = expect(api(srv, "alice", "POST", "/rooms/%s/messages" % room, {"body": "Un message"}), 201)["id"]
    i1 = expect(api(srv, "alice", "POST", "/innovations", {
        "title": "Potager", "summary": "s", "academy": "Lyon", "levels": [], "subjects": [], "themes": [],
        "keywords": [], "type": "local", "started_year": 2022, "duration_years": 1, "visibility": "members"}), 201)["id"]
    expect(api(srv, "bob", "POST", "/posts/%s/reports" % p1, {"reason": "Hors sujet"}), 201)
    expect(api(srv, "carol", "POST", "/posts/%s/reports" % p1, {"reason": "Publicité"}), 201)
    expect(api(srv, "bob", "POST", "/replies/%s/reports" % r1, {"reason": "Agressif"}), 201)
    expect(api(srv, "bob", "POST", "/posts/%s/reports" % p2, {"reason": "Doublon"}), 201)
    q = expect(api(srv, "admin", "GET", "/admin/moderation?state=reported"), 200)["items"]
    got = {(x["kind"], x["id"]): x for x in q}
    assert set(got) == {("post", p1), ("reply", r1), ("post", p2)}, got
    assert got[("post", p1)]["reports"] == 2 and got[("reply", r1)]["link"] == "/posts/%s#reply-%s" % (p1, r1)
    items = [{"kind": "post", "id": p1}, {"kind": "reply", "id": r1}, {"kind": "document", "id": d1},
             {"kind": "comment", "id": c1}, {"kind": "message", "id": m1}, {"kind": "innovation", "id": i1}]
    expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "items": items}), 422)   # no reason
    expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "burn", "items": items, "reason": "x"}), 422)
    expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "reason": "x",
                                                           "items": [{"kind": "poll", "id": 1}]}), 422)
    expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "reason": "x",
                                                           "items": [{"kind": "post", "id": p1}] * 101}), 422)
    expect(api(srv, "alice", "POST", "/admin/moderation", {"action": "hide", "items": items, "reason": "x"}), 404)
    res = expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "items": items,
                                                                 "reason": "Charte non respectée"}), 200)["results"]
    assert [x["result"] for x in res] == ["ok"] * 6, res
    again = expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "items": items[:1],
                                                                   "reason": "x"}), 200)["results"]
    assert again[0]["result"] == "unchanged", again
    hidden = expect(api(srv, "admin", "GET", "/admin/moderation?state=hidden"), 200)["items"]
    assert {(x["kind"], x["id"]) for x in hidden} >= {(i["kind"], i["id"]) for i in items}, hidden
    for x in hidden:
        assert x["hidden"] and x["hidden_by"] == "Alix Admin" and x["hidden_reason"] == "Charte non respectée", x
    # hidden for the others, everywhere
    expect(api(srv, "carol", "GET", "/posts/%s" % p1), 404)
    expect(api(srv, "carol", "GET", "/documents/%s" % d1), 404)
    expect(api(srv, "carol", "GET", "/innovations/%s" % i1), 404)
    msgs = expect(api(srv, "carol", "GET", "/rooms/%s/messages" % room), 200)["items"]
    assert m1 not in [m["id"] for m in msgs], msgs
    # the reports of what was hidden are resolved; p2 stays reported
    q = expect(api(srv, "admin", "GET", "/admin/moderation?state=reported"), 200)["items"]
    assert [(x["kind"], x["id"]) for x in q] == [("post", p2)], q
    page = W["admin_web"].get("/posts/%s" % p1)
    assert page.status == 200 and "Alix Admin" in page.text and "Charte non respectée" in page.text
    # filters and the cursor
    only = expect(api(srv, "admin", "GET", "/admin/moderation?kind=message&state=hidden"), 200)["items"]
    assert [(x["kind"], x["id"]) for x in only] == [("message", m1)], only
    expect(api(srv, "admin", "GET", "/admin/moderation?kind=poll"), 422)
    expect(api(srv, "admin", "GET", "/admin/moderation?state=lost"), 422)
    expect(api(srv, "admin", "GET", "/admin/moderation?cursor=zz"), 400, "invalid_cursor")
    res = expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "restore", "items": items}), 200)["results"]
    assert [x["result"] for x in res] == ["ok"] * 6, res
    expect(api(srv, "carol", "GET", "/posts/%s" % p1), 200)
    expect(api(srv, "carol", "GET", "/innovations/%s" % i1), 200)
    assert m1 in [m["id"] for m in expect(api(srv, "carol", "GET", "/rooms/%s/messages" % room), 200)["items"]]
    res = expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "dismiss", "items": [
        {"kind": "post", "id": p2}, {"kind": "document", "id": d1}]}), 200)["results"]
    assert [x["result"] for x in res] == ["ok", "unchanged"], res
    assert expect(api(srv, "admin", "GET", "/admin/moderation?state=reported"), 200)["items"] == []
    kinds = {(e["action"], e["item"]["kind"]) for e in audit(srv) if e["item"]}
    assert {("post_hide", "post"), ("reply_hide", "reply"), ("document_hide", "document"),
            ("comment_hide", "comment"), ("message_hide", "message"), ("innovation_hide", "innovation"),
            ("innovation_restore", "innovation"), ("report_dismiss", "post")} <= kinds, kinds
    W["p2"] = p2
    W["group"] = g


def test_moderation_queue_pages_with_a_cursor(srv):
    ids = []
    for i in range(55):
        ids.append(expect(api(srv, "alice", "POST", "/posts", {"kind": "discussion", "title": "Lot %d" % i,
                                                               "body": "b", "visibility": "members"}), 201)["id"])
    res = expect(api(srv, "admin", "POST", "/admin/moderation", {"action": "hide", "reason": "Lot de test",
                                                                 "items": [{"kind": "post", "id": i}
                                                                           for i in ids[:100]]}), 200)["results"]
    assert all(x["result"] == "ok" for x in res)
    seen, cursor = [], None
    for _ in range(5):
        page = expect(api(srv, "admin", "GET", "/admin/moderation?kind=post&state=hidden" +
                          ("&cursor=" + cursor if cursor else "")), 200)
        seen += [x["id"] for x in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)), (len(seen), len(ids))


def test_pin_and_lock_a_discussion(srv):
    p = W["p2"]
    expect(api(srv, "alice", "PATCH", "/admin/posts/%s" % p, {"locked": True}), 404)
    expect(api(srv, "admin", "PATCH", "/admin/posts/%s" % p, {"locked": "yes"}), 422)
    r = expect(api(srv, "admin", "PATCH", "/admin/posts/%s" % p, {"locked": True, "pinned": True,
                                                                  "reason": "Débat clos"}), 200)
    assert r["locked"] and r["pinned"], r
    expect(api(srv, "carol", "POST", "/posts/%s/replies" % p, {"body": "Encore un mot"}), 403)
    expect(api(srv, "admin", "POST", "/posts/%s/replies" % p, {"body": "Le mot de la fin"}), 201)
    page = W["alice_web"].get("/posts/%s" % p)
    assert "Discussion verrouillée" in page.text and 'id="reply-form"' not in page.text
    r = expect(api(srv, "admin", "PATCH", "/admin/posts/%s" % p, {"locked": False}), 200)
    assert not r["locked"] and r["pinned"], r
    expect(api(srv, "carol", "POST", "/posts/%s/replies" % p, {"body": "Enfin"}), 201)
    acts = [e["action"] for e in audit(srv, action="post_") if e["item"] and e["item"]["id"] == p]
    assert acts[:3] == ["post_unlock", "post_lock", "post_pin"], acts
    expect(api(srv, "admin", "PATCH", "/admin/posts/999999", {"locked": True}), 404)
    # a pinned discussion of a group comes first on the group's page
    gp = expect(api(srv, "alice", "POST", "/posts", {"kind": "discussion", "title": "Charte du groupe",
                                                     "body": "b", "group_id": W["group"]}), 201)["id"]
    page = W["alice_web"].get("/groups/%s" % W["group"]).text
    assert "Discussions épinglées" not in page
    expect(api(srv, "admin", "PATCH", "/admin/posts/%s" % gp, {"pinned": True}), 200)
    page = W["alice_web"].get("/groups/%s" % W["group"]).text
    assert "Discussions épinglées" in page and page.index("Charte du groupe") < page.index("Activité récente")


def test_console_pages(srv):
    w = W["admin_web"]
    home = w.get("/admin")
    assert home.status == 200 and 'href="/admin/stats"' in home.text and "/healthz" in home.text
    for path, text in [("/admin/members?q=bob", "Bob Durand"), ("/admin/members?status=pending", "En Attente"),
                       ("/admin/members/%s" % W["bob"], "Excuses reçues"), ("/admin/settings", "Respire Auvergne"),
                       ("/admin/audit?action=member_", "Messages insultants"), ("/admin/audit", "publication masquée"),
                       ("/admin/moderation?state=hidden", "Lot de test")]:
        r = w.get(path)
        assert r.status == 200 and text in r.text, (path, r.status)
    assert w.get("/admin/members?cursor=x").status == 400
    # suspend through the page, then reactivate
    w.get("/admin/members/%s" % W["carol"])
    r = w.post("/admin/members/%s/suspend" % W["carol"], {"reason": ""})
    assert r.status == 422, r
    r = w.post("/admin/members/%s/suspend" % W["carol"], {"reason": "Test de la page"})
    assert r.status == 303, r
    expect(api(srv, "carol", "GET", "/me"), 401)
    assert "suspendu" in w.get("/admin/members/%s" % W["carol"]).text
    assert w.post("/admin/members/%s/reactivate" % W["carol"], {"reason": "Fin du test"}).status == 303
    W["tcarol"] = srv.login("con.carol@ac-lyon.fr")
    assert w.post("/admin/members/%s/role" % W["carol"], {"role": "adviser", "academy": "Lyon",
                                                          "reason": "Par la page"}).status == 303
    assert expect(api(srv, "admin", "GET", "/admin/members/%s" % W["carol"]), 200)["adviser_academy"] == "Lyon"
    # settings through the page: a bad value is shown again with its message, nothing written
    page = w.get("/admin/settings")
    assert page.status == 200
    r = w.post("/admin/settings", {"site_name": "", "reason": "x"})
    assert r.status == 422 and "aria-invalid" in r.text, r.status
    r = w.post("/admin/settings", {"site_name": "Respire Académie", "contact": "https://ac-lyon.fr/contact",
                                   "reason": "Par la page"})
    assert r.status == 303, r
    assert "Respire Académie" in srv.web().get("/").text
    s = expect(api(srv, "admin", "GET", "/admin/settings"), 200)
    assert s["contact"] == "https://ac-lyon.fr/contact" and "quota_member" not in s["overridden"], s
    # bulk moderation through the page
    p = expect(api(srv, "alice", "POST", "/posts", {"kind": "discussion", "title": "Par la page", "body": "b",
                                                    "visibility": "members"}), 201)["id"]
    w.get("/admin/moderation")
    r = w.post("/admin/moderation", {"item": "post:%s" % p, "action": "hide", "reason": "Via la file"})
    assert r.status == 303, r
    expect(api(srv, "carol", "GET", "/posts/%s" % p), 404)
    assert w.post("/admin/moderation", {"action": "hide", "reason": "rien"}).status == 422
    for path in ("/legal", "/privacy", "/accessibility"):
        assert srv.web().get(path).status == 200
