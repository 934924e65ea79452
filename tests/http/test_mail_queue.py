"""Live exchange, the mail part: notification settings (API and page), mails at
once (replies, group posts) in the member's language with the right link,
daily digests (content limited to what the member may see, once a day),
unsubscribe links without a session (GET shows, POST acts, one-click, forged
tokens refused), and the queue against an SMTP server that refuses (421, 451)
then accepts, across a restart.

The module's own server writes mails to DATA/outbox; the SMTP tests start a
second server (its own data folder; on PostgreSQL its own database) with
RESPIRE_SMTP_URL pointing at a tiny responder in this file and
RESPIRE_MAIL_RETRY_MIN=1 so that retries come within seconds. The server's
own digest round is off (RESPIRE_DIGEST_HOUR=off): the tests run
'respire digest' themselves."""
import email
import email.policy
import json
import os
import re
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
import urllib.parse

import harness
from lib import PASSWORD, Server, expect, wait_until

# The server's hourly digest round must not race the test's 'respire digest'.
SERVER_ENV = {"RESPIRE_DIGEST_HOUR": "off"}

KINDS = ["reply", "mention", "invitation", "request", "message", "group"]
ME = {}


def run(srv, *args, env=None):
    e = dict(srv.env, RESPIRE_BASE_URL=srv.base)
    e.update(env or {})
    return subprocess.run([srv.bin, *args, "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                          env=e, timeout=120)


def parsed(text):
    return email.message_from_bytes(text.encode("utf-8"), policy=email.policy.default)


def mails_to(srv, addr):
    return [parsed(t) for t in srv.mails(addr)]


def settings(srv, token):
    r = srv.api("GET", "/me/notification-settings", token=token)
    assert r.status == 200, r
    return r.json()["settings"]


def put(srv, token, body, method="PUT"):
    return srv.api(method, "/me/notification-settings", body, token=token)


def ok(r, status=200):
    assert r.status == status, r
    return r.json() if r.body else None


# ---- settings -----------------------------------------------------------------------


def test_setup_members(srv):
    for key, email_, name in [("ana", "ana.mail@ac-lyon.fr", "Ana Courriel"),
                              ("bob", "bob.mail@ac-lyon.fr", "Bob Répond"),
                              ("cam", "cam.mail@ac-lyon.fr", "Cam Résumé"),
                              ("dan", "dan.mail@ac-lyon.fr", "Dan Dehors"),
                              ("eve", "eve.mail@ac-lyon.fr", "Eve Groupe")]:
        uid, tok = srv.member(email_, name)
        ME[key] = {"id": uid, "token": tok, "email": email_, "name": name}


def test_settings_api_defaults_changes_and_refusals(srv):
    t = ME["dan"]["token"]
    assert settings(srv, t) == {k: "page" for k in KINDS}
    s = ok(put(srv, t, {"settings": {"reply": "mail", "group": "digest"}}))["settings"]
    assert s["reply"] == "mail" and s["group"] == "digest" and s["mention"] == "page", s
    # PATCH, the kinds at the top level: only those change
    s = ok(put(srv, t, {"mention": "digest"}, "PATCH"))["settings"]
    assert s == dict({k: "page" for k in KINDS}, reply="mail", group="digest", mention="digest"), s
    assert settings(srv, t) == s
    for body, field, code in [({"settings": {"replies": "mail"}}, "replies", "unknown_kind"),
                              ({"bogus": "mail"}, "bogus", "unknown_kind"),
                              ({"settings": {"reply": "sms"}}, "reply", "invalid_mode"),
                              ({"reply": 3}, "reply", "invalid_mode"), ({"reply": None}, "reply", "invalid_mode"),
                              ({"settings": "all"}, "settings", "invalid_field"),
                              ({"settings": {"reply": "mail"}, "other": 1}, "settings", "invalid_field")]:
        r = put(srv, t, body)
        assert r.status == 422 and r.json()["error"]["code"] == code, (body, r)
        assert r.json()["error"]["field"] == field, (body, r.json())
    assert settings(srv, t) == s, "a refused request changed something"
    r = srv.api("PUT", "/me/notification-settings", token=t)
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_json", r
    r = srv.api("PUT", "/me/notification-settings", raw=b"{nope", token=t,
                headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_json", r
    assert srv.api("GET", "/me/notification-settings").status == 401
    assert srv.api("PUT", "/me/notification-settings", {"reply": "mail"}).status == 401
    ok(put(srv, t, {k: "page" for k in KINDS}))


def test_settings_page_needs_csrf_and_refuses_bad_values(srv):
    w = srv.web()
    w.login(ME["dan"]["email"])
    r = w.get("/me/notification-settings")
    assert r.status == 200, r
    for k in KINDS:
        for m in ("page", "mail", "digest"):
            assert f'name="{k}" value="{m}"' in r.text, (k, m)
    assert 'type="radio"' in r.text and 'name="csrf"' in r.text
    # linked from the profile edit page and the notifications page
    assert 'href="/me/notification-settings"' in w.get("/me/edit").text
    assert 'href="/me/notification-settings"' in w.get("/notifications").text
    # no CSRF token: 403, nothing changes
    r = w.post("/me/notification-settings", {"reply": "digest"}, csrf=False)
    assert r.status == 403, r
    r = w.post("/me/notification-settings", {"reply": "digest", "csrf": "forged"})
    assert r.status == 403, r
    assert settings(srv, ME["dan"]["token"])["reply"] == "page"
    # a bad value: 422, nothing changes
    w.get("/me/notification-settings")
    r = w.post("/me/notification-settings", {"reply": "digest", "mention": "pigeon"})
    assert r.status == 422, r
    assert settings(srv, ME["dan"]["token"])["reply"] == "page"
    # saved
    r = w.post("/me/notification-settings", {"reply": "digest", "group": "mail"})
    assert r.status == 303 and r.headers["location"] == "/me/notification-settings?saved=1", r
    s = settings(srv, ME["dan"]["token"])
    assert s["reply"] == "digest" and s["group"] == "mail" and s["mention"] == "page", s
    r = w.get("/me/notification-settings?saved=1")
    assert 'name="reply" value="digest" checked' in r.text, r.text
    # English page
    w.get("/me/notification-settings")
    r = w.post("/lang", {"lang": "en", "next": "/me/notification-settings"})
    assert r.status == 303, r
    assert "Daily digest" in w.get("/me/notification-settings").text
    # visitors are sent to the login page
    r = srv.web().get("/me/notification-settings")
    assert r.status == 303 and r.headers["location"].startswith("/login?next="), r
    ok(put(srv, ME["dan"]["token"], {k: "page" for k in KINDS}))


# ---- mails at once --------------------------------------------------------------------


def test_a_reply_mails_the_author_at_once_in_their_language(srv):
    ana, bob = ME["ana"], ME["bob"]
    ok(srv.api("PATCH", "/me", {"lang": "en"}, token=ana["token"]))
    ok(put(srv, ana["token"], {"reply": "mail"}))
    p = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Rituels du matin", "body": "Vos idées ?",
                                      "visibility": "members"}, token=ana["token"]), 201)
    before = len(srv.mails(ana["email"]))
    bob_before = len(srv.mails(bob["email"]))
    rep = ok(srv.api("POST", f"/posts/{p['id']}/replies", {"body": "Un chant !"}, token=bob["token"]), 201)
    ms = mails_to(srv, ana["email"])
    assert len(ms) == before + 1, "not exactly one mail for one reply"
    m = ms[-1]
    assert m["Subject"] == "[Respire] Bob Répond replied to « Rituels du matin »", m["Subject"]
    body = m.get_content()
    link = re.search(r"(http://\S+)", body).group(1)
    assert link == f"{srv.base}/posts/{p['id']}#reply-{rep['id']}", link
    assert "Choose your notifications: " + srv.base + "/me/notification-settings" in body, body
    assert m["List-Unsubscribe"].startswith(f"<{srv.base}/unsubscribe?u={ana['id']}&k=reply&t="), m["List-Unsubscribe"]
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Bob (settings: page) is not mailed about Ana's answer to him
    ok(srv.api("POST", f"/posts/{p['id']}/replies", {"body": "Merci"}, token=ana["token"]), 201)
    assert len(srv.mails(bob["email"])) == bob_before
    # page mode: nothing by mail, but the notification is there
    ok(put(srv, ana["token"], {"reply": "page"}))
    ok(srv.api("POST", f"/posts/{p['id']}/replies", {"body": "Encore"}, token=bob["token"]), 201)
    assert len(srv.mails(ana["email"])) == before + 1
    items = ok(srv.api("GET", "/notifications", token=ana["token"]))["items"]
    assert sum(1 for n in items if n["kind"] == "reply") == 2, items  # "Un chant !" and "Encore"
    ok(srv.api("PATCH", "/me", {"lang": "fr"}, token=ana["token"]))


def test_a_mention_mail_is_french_by_default(srv):
    ana, dan = ME["ana"], ME["dan"]
    ok(put(srv, dan["token"], {"mention": "mail"}))
    handle = ok(srv.api("GET", "/me", token=dan["token"]))["handle"]
    before = len(srv.mails(dan["email"]))
    p = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Sortie", "body": f"Avec @{handle} ?",
                                      "visibility": "members"}, token=ana["token"]), 201)
    ms = mails_to(srv, dan["email"])
    assert len(ms) == before + 1
    assert ms[-1]["Subject"] == "[Respire] Ana Courriel vous a mentionné·e dans « Sortie »", ms[-1]["Subject"]
    assert f"{srv.base}/posts/{p['id']}" in ms[-1].get_content()
    # a private post: the mentioned member may not see it, so no mail
    ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Privé", "body": f"@{handle} chut",
                                  "visibility": "private"}, token=ana["token"]), 201)
    assert len(srv.mails(dan["email"])) == before + 1
    ok(put(srv, dan["token"], {"mention": "page"}))


def test_group_posts_mail_the_members_who_asked_and_may_see(srv):
    ana, bob, eve, dan = ME["ana"], ME["bob"], ME["eve"], ME["dan"]
    g = ok(srv.api("POST", "/groups", {"name": "Atelier courriel", "kind": "practice", "visibility": "closed",
                                       "description": ""}, token=eve["token"]), 201)["id"]
    ME["closed_group"] = g
    # Bob and Ana join (Eve accepts); Dan is not a member but asks for group mails
    for who in (bob, ana):
        assert srv.api("POST", f"/groups/{g}/join", token=who["token"]).status == 202
        assert srv.api("POST", f"/groups/{g}/requests/{who['id']}/accept", token=eve["token"]).status == 200
    ok(put(srv, bob["token"], {"group": "mail"}))
    ok(put(srv, dan["token"], {"group": "mail"}))
    ok(put(srv, eve["token"], {"group": "mail"}))
    counts = {k: len(srv.mails(ME[k]["email"])) for k in ("ana", "bob", "eve", "dan")}
    p = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Compte rendu", "body": "Texte",
                                      "group_id": g}, token=eve["token"]), 201)
    after = {k: len(srv.mails(ME[k]["email"])) for k in counts}
    assert after["bob"] == counts["bob"] + 1, "the member who asked got no mail"
    assert after["ana"] == counts["ana"], "a member in page mode got a mail"
    assert after["eve"] == counts["eve"], "the author got a mail about their own post"
    assert after["dan"] == counts["dan"], "a non-member got a mail about a closed group's post"
    m = mails_to(srv, bob["email"])[-1]
    assert "Atelier courriel" in m["Subject"] and "Compte rendu" in m["Subject"], m["Subject"]
    assert f"{srv.base}/posts/{p['id']}" in m.get_content()
    # Bob leaves: no more mails about the group
    assert srv.api("POST", f"/groups/{g}/leave", token=bob["token"]).status == 200
    ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Après le départ", "body": "x", "group_id": g},
               token=eve["token"]), 201)
    assert len(srv.mails(bob["email"])) == after["bob"]
    ok(put(srv, bob["token"], {"group": "page"}))
    ok(put(srv, dan["token"], {"group": "page"}))
    ok(put(srv, eve["token"], {"group": "page"}))


# ---- digests ----------------------------------------------------------------------------


def test_digest_content_once_a_day_and_only_what_the_member_may_see(srv):
    cam, eve, bob = ME["cam"], ME["eve"], ME["bob"]
    ok(put(srv, cam["token"], {"reply": "digest", "group": "digest", "message": "digest"}))
    # Cam's post gets a reply from Bob (a digest notification)
    p = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Projet lecture", "body": "Qui participe ?",
                                      "visibility": "members"}, token=cam["token"]), 201)
    rep = ok(srv.api("POST", f"/posts/{p['id']}/replies", {"body": "Moi"}, token=bob["token"]), 201)
    # an open group Cam is in, with a post by Eve; a closed group Cam is not in
    g = ok(srv.api("POST", "/groups", {"name": "Groupe ouvert du résumé", "kind": "resources", "visibility": "open",
                                       "description": ""}, token=eve["token"]), 201)["id"]
    assert srv.api("POST", f"/groups/{g}/join", token=cam["token"]).status == 200
    gp = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Fiches de lecture partagées", "body": "x",
                                       "group_id": g}, token=eve["token"]), 201)
    ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Titre secret du groupe fermé", "body": "x",
                                  "group_id": ME["closed_group"]}, token=eve["token"]), 201)
    # an open group Cam is NOT in: not "their groups"
    g2 = ok(srv.api("POST", "/groups", {"name": "Autre groupe", "kind": "resources", "visibility": "open",
                                        "description": ""}, token=eve["token"]), 201)["id"]
    ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Ailleurs", "body": "x", "group_id": g2},
               token=eve["token"]), 201)
    before = len(srv.mails(cam["email"]))
    r = run(srv, "digest", "--force")
    assert r.returncode == 0, r
    assert re.search(r"digests sent: [1-9]", r.stdout), (r.stdout, r.stderr)
    ms = mails_to(srv, cam["email"])
    assert len(ms) == before + 1, "one digest"
    m = ms[-1]
    assert m["Subject"] == "Votre résumé du jour sur Respire", m["Subject"]
    body = m.get_content()
    assert "Bonjour Cam Résumé" in body, body
    assert "Bob Répond a répondu à « Projet lecture »" in body, body
    assert f"{srv.base}/posts/{p['id']}#reply-{rep['id']}" in body, body
    assert "Groupe ouvert du résumé" in body and "Fiches de lecture partagées" in body, body
    assert f"{srv.base}/posts/{gp['id']}" in body, body
    assert "Titre secret" not in body and "Ailleurs" not in body, body
    assert "non lu" not in body, "no private message yet: no count"
    unsub = re.search(r"(http://\S+/unsubscribe\?\S+)", body).group(1)
    assert f"u={cam['id']}&k=all&t=" in unsub, unsub
    assert m["List-Unsubscribe"] == f"<{unsub}>", m["List-Unsubscribe"]
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ME["cam_unsub"] = unsub
    # the same day again, forced or not: nothing new
    for args in (["digest", "--force"], ["digest"]):
        r = run(srv, *args)
        assert r.returncode == 0 and "digests sent: 0" in r.stdout, (args, r)
    assert len(srv.mails(cam["email"])) == before + 1, "a second digest the same day"
    # Eve, Bob and the others asked for none
    assert all("résumé du jour" not in t for t in srv.mails(bob["email"]))


def sql(srv, statement):
    """One statement on the live database (chat rows: no chat API on this branch yet)."""
    if srv.db_args:
        return subprocess.run(["psql", srv.db_args[1], "-At", "-c", statement], check=True, capture_output=True,
                              text=True).stdout.split("\n")[0]
    import sqlite3
    db = sqlite3.connect(os.path.join(srv.data, "respire.db"), timeout=10)
    try:
        row = db.execute(statement).fetchone()
        db.commit()
        return row[0] if row else None
    finally:
        db.close()


def test_digest_counts_unread_private_messages(srv):
    fay, fay_t = srv.member("fay.mail@ac-lyon.fr", "Fay Messages")
    gus, _ = srv.member("gus.mail@ac-lyon.fr", "Gus Écrit")
    ok(put(srv, fay_t, {"message": "digest"}))
    room = int(sql(srv, "INSERT INTO chat_rooms (kind, created_at) VALUES ('private', 1) RETURNING id"))
    other = int(sql(srv, "INSERT INTO chat_rooms (kind, created_at) VALUES ('private', 1) RETURNING id"))
    sql(srv, f"INSERT INTO chat_participants (room_id, user_id, joined_at) VALUES ({room}, {fay}, 1), ({room}, {gus}, 1),"
             f" ({other}, {gus}, 1), ({other}, {ME['bob']['id']}, 1)")
    first = int(sql(srv, f"INSERT INTO chat_messages (room_id, author_id, body, created_at) VALUES"
                         f" ({room}, {gus}, 'lu', 1) RETURNING id"))
    for body, author in (("un", gus), ("deux", gus), ("le mien", fay)):
        sql(srv, f"INSERT INTO chat_messages (room_id, author_id, body, created_at) VALUES ({room}, {author}, '{body}', 2)")
    # a conversation Fay is not in
    sql(srv, f"INSERT INTO chat_messages (room_id, author_id, body, created_at) VALUES ({other}, {gus}, 'ailleurs', 2)")
    sql(srv, f"INSERT INTO chat_reads (room_id, user_id, last_read_id) VALUES ({room}, {fay}, {first})")
    r = run(srv, "digest", "--force")
    assert r.returncode == 0 and "digests sent: 1" in r.stdout, r
    ms = mails_to(srv, "fay.mail@ac-lyon.fr")
    assert len(ms) == 1, len(ms)
    body = ms[0].get_content()
    assert "Messages privés" in body and "2 messages non lus" in body, body
    assert f"{srv.base}/rooms" in body, body


def test_digest_usage_errors(srv):
    for args in (["digest", "--bogus"], ["digest", "--data"], ["digest", "extra"]):
        r = subprocess.run([srv.bin, *args], capture_output=True, text=True, env=srv.env, timeout=60)
        assert r.returncode == 2 and r.stderr.strip(), (args, r)
    r = subprocess.run([srv.bin, "digest", "--help"], capture_output=True, text=True, env=srv.env, timeout=60)
    assert r.returncode == 0 and "usage: respire digest" in r.stdout, r
    r = subprocess.run([srv.bin, "help"], capture_output=True, text=True, env=srv.env, timeout=60)
    assert "digest" in r.stdout


# ---- unsubscribe ---------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_a_session(srv):
    cam = ME["cam"]
    u = urllib.parse.urlparse(ME["cam_unsub"])
    q = urllib.parse.parse_qs(u.query)
    path = u.path + "?" + u.query
    w = srv.web()  # a visitor: no session
    r = w.get(path)
    assert r.status == 200 and 'action="/unsubscribe"' in r.text, r
    assert f'name="t" value="{q["t"][0]}"' in r.text
    assert settings(srv, cam["token"])["reply"] == "digest", "a GET changed something"
    # POST without the CSRF token: refused, nothing changes
    r = w.post("/unsubscribe", {"u": q["u"][0], "k": q["k"][0], "t": q["t"][0]}, csrf=False)
    assert r.status == 403, r
    assert settings(srv, cam["token"])["reply"] == "digest"
    # a forged token: 404 on GET and POST
    forged = q["t"][0][:-2] + ("00" if not q["t"][0].endswith("00") else "11")
    for t in (forged, "", "zz", q["t"][0] + "00"):
        r = w.get(f"/unsubscribe?u={q['u'][0]}&k=all&t={t}")
        assert r.status == 404, (t, r)
    assert w.get(path).status == 200  # a fresh form (its CSRF token)
    r = w.post("/unsubscribe", {"u": q["u"][0], "k": "all", "t": forged})
    assert r.status == 404, r
    # the token is for this member and "all": not for another member or kind
    assert w.get(path).status == 200  # a fresh form (its CSRF token)
    assert w.post("/unsubscribe", {"u": str(ME["bob"]["id"]), "k": "all", "t": q["t"][0]}).status == 404
    assert w.get(path).status == 200  # a fresh form (its CSRF token)
    assert w.post("/unsubscribe", {"u": q["u"][0], "k": "reply", "t": q["t"][0]}).status == 404
    assert settings(srv, cam["token"])["reply"] == "digest"
    # the real thing
    assert w.get(path).status == 200  # a fresh form (its CSRF token)
    r = w.post("/unsubscribe", {"u": q["u"][0], "k": q["k"][0], "t": q["t"][0]})
    assert r.status == 200, r
    assert settings(srv, cam["token"]) == {k: "page" for k in KINDS}


def test_unsubscribe_by_api_and_one_click(srv):
    ana = ME["ana"]
    ok(put(srv, ana["token"], {"reply": "mail", "mention": "mail"}))
    p = ok(srv.api("POST", "/posts", {"kind": "discussion", "title": "Un lien", "body": "x",
                                      "visibility": "members"}, token=ana["token"]), 201)
    ok(srv.api("POST", f"/posts/{p['id']}/replies", {"body": "y"}, token=ME["bob"]["token"]), 201)
    m = mails_to(srv, ana["email"])[-1]
    link = m["List-Unsubscribe"].strip("<>")
    q = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)
    assert q["k"] == ["reply"]
    # API: a bad token is a 404, a good one sets the kind to page
    r = srv.api("POST", "/unsubscribe", {"user_id": ana["id"], "kind": "reply", "token": "0" * 64})
    assert r.status == 404, r
    r = srv.api("POST", "/unsubscribe", {"user_id": ana["id"], "kind": "reply"})
    assert r.status == 422 and r.json()["error"]["field"] == "token", r
    r = srv.api("POST", "/unsubscribe", {"user_id": ana["id"], "kind": "reply", "token": q["t"][0]})
    assert r.status == 200 and r.json() == {"kind": "reply", "mode": "page"}, r
    s = settings(srv, ana["token"])
    assert s["reply"] == "page" and s["mention"] == "mail", s
    # RFC 8058 one-click: a POST to the header's URL, no cookie, no CSRF token
    ok(put(srv, ana["token"], {"reply": "mail"}))
    path = link[len(srv.base):]
    r = srv.request("POST", path, b"List-Unsubscribe=One-Click",
                    {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200, r
    assert settings(srv, ana["token"])["reply"] == "page"
    # one-click with a forged token: 404; without the one-click body: a CSRF-less POST, 403
    ok(put(srv, ana["token"], {"reply": "mail"}))
    bad = path.replace(q["t"][0], "f" * 64)
    r = srv.request("POST", bad, b"List-Unsubscribe=One-Click", {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 404, r
    r = srv.request("POST", path, b"x=1", {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 403, r
    assert settings(srv, ana["token"])["reply"] == "mail"
    ok(put(srv, ana["token"], {k: "page" for k in KINDS}))


# ---- the queue against an SMTP server that refuses, then accepts ------------------------------


SMTP = {"mode": "accept"}  # accept | greet421 | rcpt451
SMTP_MESSAGES = []
SMTP_TRIES = []
LOCK = threading.Lock()


class SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        mode = SMTP["mode"]
        with LOCK:
            SMTP_TRIES.append(mode)
        if mode == "greet421":
            self.reply("421 4.3.2 test responder: try again later")
            return
        self.reply("220 smtp.test ESMTP ready")
        rcpts = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-smtp.test\r\n250 8BITMIME\r\n")
                self.wfile.flush()
            elif verb == "MAIL":
                rcpts = []
                self.reply("250 ok")
            elif verb == "RCPT":
                if mode == "rcpt451":
                    self.reply("451 4.3.0 test responder: greylisted")
                else:
                    rcpts.append(cmd.split(":", 1)[1].strip())
                    self.reply("250 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("503 no valid recipients")
                    continue
                self.reply("354 go on")
                data = []
                while True:
                    dl = self.rfile.readline()
                    if not dl or dl == b".\r\n":
                        break
                    data.append(dl[1:] if dl.startswith(b".") else dl)
                with LOCK:
                    SMTP_MESSAGES.append({"rcpt": list(rcpts), "data": b"".join(data)})
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


SMTPD = SMTPServer(("127.0.0.1", 0), SMTPHandler)
threading.Thread(target=SMTPD.serve_forever, daemon=True).start()


def smtp_count(addr):
    with LOCK:
        return sum(1 for m in SMTP_MESSAGES if f"<{addr}>" in m["rcpt"])


def smtp_instance(srv, tag):
    """A second server sending by SMTP: its own data folder and database."""
    data = tempfile.mkdtemp(prefix=f"respire-mailq-{tag}-")
    env = dict(srv.env, RESPIRE_SMTP_URL=f"smtp://127.0.0.1:{SMTPD.server_address[1]}",
               RESPIRE_MAIL_RETRY_MIN="1")
    env.pop("RESPIRE_DB", None)
    db_args = []
    if srv.db_args:
        db_args = ["--db", harness.fresh_database(f"t_mailq_{tag}_{os.getpid()}_{int(time.time() * 1000) % 100000}")]
    proc, base = harness.start_server(data, db_args, env)
    other = Server(srv.bin, data, base, db_args, env)
    other.proc = proc
    return other


def stop(other):
    problem = harness.stop_server(other.proc, os.path.join(other.data, "server.log"))
    assert problem is None, problem


def register(other, addr, name):
    r = other.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": name})
    assert r.status == 201, r


def test_mails_queued_while_smtp_refuses_are_delivered_once_it_accepts(srv):
    other = smtp_instance(srv, "down")
    try:
        addrs = [f"queue{i}@ac-lyon.fr" for i in range(4)]
        SMTP["mode"] = "greet421"
        tries = len(SMTP_TRIES)
        register(other, addrs[0], "Queue Zero")
        register(other, addrs[1], "Queue One")
        assert wait_until(lambda: len(SMTP_TRIES) >= tries + 2, timeout=10), "the worker did not try"
        SMTP["mode"] = "rcpt451"
        tries = len(SMTP_TRIES)
        register(other, addrs[2], "Queue Two")
        register(other, addrs[3], "Queue Three")
        # retried (backoff from 1 s) and refused again, at RCPT this time
        assert wait_until(lambda: SMTP_TRIES[tries:].count("rcpt451") >= 4, timeout=15), SMTP_TRIES[tries:]
        assert all(smtp_count(a) == 0 for a in addrs)
        SMTP["mode"] = "accept"
        assert wait_until(lambda: all(smtp_count(a) >= 1 for a in addrs), timeout=30), \
            [smtp_count(a) for a in addrs]
        time.sleep(3)  # a duplicate would show up by now
        assert [smtp_count(a) for a in addrs] == [1, 1, 1, 1], [smtp_count(a) for a in addrs]
        # the delivered verification links work
        for a in addrs[:1]:
            with LOCK:
                data = [m["data"] for m in SMTP_MESSAGES if f"<{a}>" in m["rcpt"]][0]
            msg = email.message_from_bytes(data, policy=email.policy.default)
            link = re.search(r"(http://\S+)", msg.get_content()).group(1)
            token = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]
            assert other.api("POST", "/accounts/verify", {"token": token}).status == 200
        log = open(os.path.join(other.data, "server.log"), encoding="utf-8", errors="replace").read()
        assert "next try in" in log and "smtp://" not in log
    finally:
        SMTP["mode"] = "accept"
        stop(other)
        shutil.rmtree(other.data, ignore_errors=True)


def test_queued_mails_survive_a_restart(srv):
    other = smtp_instance(srv, "restart")
    try:
        SMTP["mode"] = "greet421"
        tries = len(SMTP_TRIES)
        addrs = [f"restart{i}@ac-lyon.fr" for i in range(3)]
        for i, a in enumerate(addrs):
            register(other, a, f"Restart {i}")
        assert wait_until(lambda: len(SMTP_TRIES) >= tries + 3, timeout=10)
        stop(other)  # the rows stay in the database
        SMTP["mode"] = "accept"
        proc, base = harness.start_server(other.data, other.db_args, other.env)
        other.proc = proc
        assert wait_until(lambda: all(smtp_count(a) >= 1 for a in addrs), timeout=30), \
            [smtp_count(a) for a in addrs]
        time.sleep(2)
        assert [smtp_count(a) for a in addrs] == [1, 1, 1]
    finally:
        SMTP["mode"] = "accept"
        stop(other)
        shutil.rmtree(other.data, ignore_errors=True)
