"""Behaviour of the social core's JSON API: contacts, follows, groups, posts,
replies, feed, discussions, notifications, moderation.

Members are made with the CLI and sign in once (test_members_setup); every
later test builds its own groups and posts, so each reads on its own."""

import re
import time

from lib import PASSWORD

# ---- client ------------------------------------------------------------------

SRV = None                              # the lib.Server of this module (set by test_members_setup)


def call(who, method, path, body=None):
    """(status, decoded JSON body) of an API call; who=None is a visitor."""
    r = SRV.api(method, path, body, token=getattr(who, "token", None))
    try:
        return r.status, r.json()
    except ValueError:
        return r.status, r.text


# ---- helpers ---------------------------------------------------------------

U = {}                                  # name -> User


class User:
    def __init__(self, name, uid, token, handle, email):
        self.name, self.uid, self.token, self.handle, self.email = name, uid, token, handle, email

    def __repr__(self):
        return self.name


def ok(who, method, path, body=None, want=200):
    st, b = call(who, method, path, body)
    assert st == want, "%s %s %s by %s: expected %s, got %s %s" % (method, path, body if body is not None else "",
                                                                  who, want, st, b)
    return b


# The error code of a status when a call does not name another one.
DEFAULT_CODE = {400: "invalid_parameter", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                409: "conflict", 422: "invalid_field"}


def err(who, method, path, body, want, code=None, field=None):
    st, b = call(who, method, path, body)
    assert st == want, "%s %s %s by %s: expected %s, got %s %s" % (method, path, body if body is not None else "",
                                                                  who, want, st, b)
    assert want >= 400, "err() is for errors; use ok()"
    code = code or DEFAULT_CODE[want]
    assert isinstance(b, dict) and "error" in b and b["error"].get("code"), \
        "%s %s: no {error: {code}} in %s" % (method, path, b)
    assert b["error"]["code"] == code, "%s %s: expected code %s, got %s" % (method, path, code, b)
    if field:
        assert b["error"].get("field") == field, "%s %s: expected field %s, got %s" % (method, path, field, b)
    return b


def pages(who, path, limit=50):
    items, cursor = [], None
    for _ in range(limit):
        sep = "&" if "?" in path else "?"
        b = ok(who, "GET", path + (sep + "cursor=" + str(cursor) if cursor else ""))
        assert "items" in b and "next" in b, "%s: not a list %s" % (path, b)
        items.extend(b["items"])
        cursor = b["next"]
        if cursor is None:
            return items
    raise AssertionError("%s: too many pages" % path)


def ids(items, key="id"):
    return [x[key] for x in items]


def new_group(who, name, vis="open", **extra):
    o = {"name": name, "description": "Groupe " + name, "kind": "practice", "visibility": vis}
    o.update(extra)
    return ok(who, "POST", "/groups", o, 201)


def new_post(who, title, body=None, **extra):
    o = {"kind": "discussion", "title": title, "body": body or "Texte : " + title}
    o.update(extra)
    return ok(who, "POST", "/posts", o, 201)


def notifs(who):
    b = ok(who, "GET", "/notifications")
    return b["items"], b["unread"]


def member_role(who, gid, uid):
    for m in pages(who, "/groups/%s/members" % gid):
        if m["user"]["id"] == uid:
            return m["role"]
    return None


def need_setup():
    assert SRV is not None and len(U) >= 7, "the members were not set up (see test_members_setup)"


NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "admin"]


def test_members_setup(srv):
    global SRV
    SRV = srv
    for name in NAMES:
        email = "%s@social.ac-test.fr" % name
        uid = srv.user(email, name.capitalize() + " Testeur", admin=(name == "admin"))
        U[name] = User(name, uid, srv.login(email), None, email)
    for u in U.values():
        u.handle = ok(U["alice"], "GET", "/users/%s" % u.uid)["handle"]
    assert all(u.handle for u in U.values())
    assert len(set(u.handle for u in U.values())) == len(U)


# ---- contacts and follows ----------------------------------------------------

def test_contacts(srv):
    need_setup()
    a, b, c, d = U["alice"], U["bob"], U["carol"], U["dave"]
    r = ok(a, "POST", "/contacts", {"user_id": b.uid}, 201)
    assert r["state"] == "requested", r
    err(a, "POST", "/contacts", {"user_id": b.uid}, 409, code="already_requested")
    assert a.uid not in ids(ok(b, "GET", "/contacts")["items"])
    assert a.uid in ids(ok(b, "GET", "/contacts/requests")["items"]), "bob sees alice's request"
    assert b.uid in ids(ok(a, "GET", "/contacts/requests?direction=sent")["items"])
    assert b.uid not in ids(ok(a, "GET", "/contacts/requests")["items"]), "a sent request is not incoming"
    # the reverse request accepts
    r = ok(b, "POST", "/contacts", {"user_id": a.uid}, 200)
    assert r["state"] == "accepted", r
    assert b.uid in ids(ok(a, "GET", "/contacts")["items"])
    assert a.uid in ids(ok(b, "GET", "/contacts")["items"])
    assert a.uid not in ids(ok(b, "GET", "/contacts/requests")["items"])
    err(b, "POST", "/contacts/%s/accept" % a.uid, None, 409, code="already_contacts")
    err(a, "POST", "/contacts", {"user_id": b.uid}, 409, code="already_requested")
    # accept
    ok(c, "POST", "/contacts", {"user_id": d.uid}, 201)
    err(c, "POST", "/contacts/%s/accept" % d.uid, None, 404)     # c asked; only d accepts
    r = ok(d, "POST", "/contacts/%s/accept" % c.uid)
    assert r["state"] == "accepted", r
    err(d, "POST", "/contacts/%s/accept" % c.uid, None, 409, code="already_contacts")
    err(d, "POST", "/contacts/999999/accept", None, 404)
    err(d, "POST", "/contacts/%s/accept" % U["erin"].uid, None, 404)
    # self, unknown, bad input
    err(a, "POST", "/contacts", {"user_id": a.uid}, 422, "cannot_contact_self")
    err(a, "POST", "/contacts", {"user_id": 999999}, 404)
    err(a, "POST", "/contacts", {}, 422)
    err(a, "POST", "/contacts", {"user_id": "abc"}, 422)
    err(a, "POST", "/contacts", None, 400, "invalid_json")
    # the profile tells the state
    assert ok(c, "GET", "/users/%s" % d.uid)["contact"] == "accepted"
    # remove
    ok(c, "DELETE", "/contacts/%s" % d.uid, None, 204)
    assert d.uid not in ids(ok(c, "GET", "/contacts")["items"])
    assert c.uid not in ids(ok(d, "GET", "/contacts")["items"])
    err(c, "DELETE", "/contacts/%s" % d.uid, None, 404)
    assert ok(c, "GET", "/users/%s" % d.uid)["contact"] == "none"
    # visitors are asked to sign in
    err(None, "GET", "/contacts", None, 401)
    err(None, "POST", "/contacts", {"user_id": a.uid}, 401)


def test_contact_notifications(srv):
    need_setup()
    a, b = U["alice"], U["bob"]
    items, _ = notifs(b)
    assert any(n["kind"] == "contact_request" and n["actor"]["id"] == a.uid for n in items), items
    items, _ = notifs(a)
    assert any(n["kind"] == "contact_accepted" and n["actor"]["id"] == b.uid for n in items), items


def test_follows(srv):
    need_setup()
    c, d, e = U["carol"], U["dave"], U["erin"]
    r = ok(c, "POST", "/users/%s/follow" % e.uid, None, 201)
    assert r["following"] is True, r
    err(c, "POST", "/users/%s/follow" % e.uid, None, 409, code="already_following")
    assert ok(c, "GET", "/users/%s" % e.uid)["following"] is True
    err(c, "POST", "/users/%s/follow" % c.uid, None, 422, "cannot_follow_self")
    err(c, "POST", "/users/999999/follow", None, 404)
    # a followed member's public post reaches the follower's feed
    p = new_post(e, "Billet suivi", visibility="public")
    assert p["id"] in [x["post"]["id"] for x in pages(c, "/feed")]
    assert p["id"] not in [x["post"]["id"] for x in pages(d, "/feed")]
    ok(c, "DELETE", "/users/%s/follow" % e.uid, None, 204)
    err(c, "DELETE", "/users/%s/follow" % e.uid, None, 404)
    assert ok(c, "GET", "/users/%s" % e.uid)["following"] is False
    # a member may refuse followers
    ok(d, "PATCH", "/me", {"allow_follow": False})
    err(c, "POST", "/users/%s/follow" % d.uid, None, 403, "follow_not_allowed")
    ok(d, "PATCH", "/me", {"allow_follow": True})
    ok(c, "POST", "/users/%s/follow" % d.uid, None, 201)
    ok(c, "DELETE", "/users/%s/follow" % d.uid, None, 204)


# ---- groups ----------------------------------------------------------------

def test_group_create_and_validation(srv):
    need_setup()
    a = U["alice"]
    g = new_group(a, "Lettres modernes", "open")
    assert g["my_role"] == "owner" and g["member_count"] == 1, g
    assert g["visibility"] == "open" and g["kind"] == "practice", g
    assert ok(a, "GET", "/groups/%s" % g["id"])["name"] == "Lettres modernes"
    for vis in ("closed", "secret"):
        assert new_group(a, "G " + vis, vis)["visibility"] == vis
    for kind in ("resources", "practice", "training", "project"):
        ok(a, "POST", "/groups", {"name": "K " + kind, "kind": kind, "visibility": "open"}, 201)
    base = {"name": "Nom", "kind": "practice", "visibility": "open"}
    for bad, field in (({"name": ""}, "name"), ({"name": "   "}, "name"), ({"name": "\u00a0\u200b"}, "name"), ({"name": "x" * 121}, "name"),
                       ({"name": "a\u0001b"}, "name"), ({"kind": "club"}, "kind"),
                       ({"visibility": "public"}, "visibility"), ({"kind": None}, "kind"),
                       ({"visibility": None}, "visibility"), ({"name": None}, "name"), ({"name": 12}, "name")):
        o = dict(base)
        o.update(bad)
        o = dict((k, v) for k, v in o.items() if v is not None)
        err(a, "POST", "/groups", o, 422, field=field)
    ok(a, "POST", "/groups", dict(base, name="x" * 120), 201)
    err(a, "POST", "/groups", None, 400, "invalid_json")
    err(None, "POST", "/groups", base, 401)
    err(a, "GET", "/groups/999999", None, 404)


def test_group_lists(srv):
    need_setup()
    a, b = U["alice"], U["bob"]
    made = [new_group(b, "Liste %02d" % i, "open", kind="training")["id"] for i in range(32)]
    listed = pages(a, "/groups")
    got = ids(listed)
    assert len(got) == len(set(got)), "a group is listed twice across pages"
    assert set(made) <= set(got), "every open group is listed"
    first = ok(a, "GET", "/groups")
    assert len(first["items"]) == 30 and first["next"] is not None, (len(first["items"]), first["next"])
    assert all(x["kind"] == "training" for x in pages(a, "/groups?kind=training"))
    assert set(made) <= set(ids(pages(a, "/groups?kind=training")))
    assert not set(made) & set(ids(pages(a, "/groups?kind=project")))
    mine = ids(pages(b, "/groups?mine=1"))
    assert set(mine) == set(made) | set(x["id"] for x in pages(b, "/groups") if x["my_role"] in
                                        ("member", "moderator", "owner")), mine
    assert not set(made) & set(ids(pages(a, "/groups?mine=1")))
    err(a, "GET", "/groups?cursor=zz", None, 400, code="invalid_cursor")


def test_group_join_request_invite(srv):
    need_setup()
    a, b, c, d = U["alice"], U["bob"], U["carol"], U["dave"]
    op = new_group(a, "Ouvert à tous", "open")["id"]
    cl = new_group(a, "Sur demande", "closed")["id"]
    se = new_group(a, "Très discret", "secret")["id"]
    r = ok(b, "POST", "/groups/%s/join" % op, None, 200)
    assert r["state"] == "member", r
    assert ok(b, "GET", "/groups/%s" % op)["my_role"] == "member"
    err(b, "POST", "/groups/%s/join" % op, None, 409, code="already_member")
    r = ok(b, "POST", "/groups/%s/join" % cl, None, 202)
    assert r["state"] == "requested", r
    assert ok(b, "GET", "/groups/%s" % cl)["my_role"] == "requested"
    err(b, "POST", "/groups/%s/join" % cl, None, 409, code="already_member")
    err(b, "POST", "/groups/%s/join" % se, None, 404)
    err(b, "GET", "/groups/%s" % se, None, 404)
    err(b, "POST", "/groups/999999/join", None, 404)
    # the owner is told about the request and sees it among pending members
    items, _ = notifs(a)
    assert any(n["kind"] == "group_request" and n["group_id"] == cl and n["actor"]["id"] == b.uid
               for n in items), items
    pending = pages(a, "/groups/%s/members?state=pending" % cl)
    assert [(m["user"]["id"], m["state"]) for m in pending] == [(b.uid, "requested")], pending
    # a closed group's members (pending or not) are its members' business
    err(b, "GET", "/groups/%s/members?state=pending" % cl, None, 404)
    err(b, "GET", "/groups/%s/members" % cl, None, 404)
    # accepting
    err(c, "POST", "/groups/%s/requests/%s/accept" % (cl, b.uid), None, 403, "not_moderator")
    err(a, "POST", "/groups/%s/requests/%s/accept" % (cl, c.uid), None, 404)
    r = ok(a, "POST", "/groups/%s/requests/%s/accept" % (cl, b.uid))
    assert r["state"] == "member", r
    err(a, "POST", "/groups/%s/requests/%s/accept" % (cl, b.uid), None, 409, code="already_member")
    assert ok(b, "GET", "/groups/%s" % cl)["my_role"] == "member"
    items, _ = notifs(b)
    assert any(n["kind"] == "group_accepted" and n["group_id"] == cl for n in items), items
    # refusing
    ok(c, "POST", "/groups/%s/join" % cl, None, 202)
    err(b, "POST", "/groups/%s/requests/%s/refuse" % (cl, c.uid), None, 403, "not_moderator")
    ok(a, "POST", "/groups/%s/requests/%s/refuse" % (cl, c.uid), None, 204)
    assert ok(c, "GET", "/groups/%s" % cl)["my_role"] is None
    err(a, "POST", "/groups/%s/requests/%s/refuse" % (cl, c.uid), None, 404)
    # invitations by id: secret groups open to the invitee only
    err(b, "POST", "/groups/%s/invitations" % op, {"user_id": c.uid}, 403, "not_moderator")
    err(b, "POST", "/groups/%s/invitations" % se, {"user_id": c.uid}, 404)
    r = ok(a, "POST", "/groups/%s/invitations" % se, {"user_id": c.uid}, 201)
    assert r["state"] == "invited", r
    err(a, "POST", "/groups/%s/invitations" % se, {"user_id": c.uid}, 409, code="already_invited")
    err(a, "POST", "/groups/%s/invitations" % se, {"user_id": 999999}, 404)
    err(a, "POST", "/groups/%s/invitations" % se, {"user_id": "x"}, 422)
    err(a, "POST", "/groups/%s/invitations" % se, {}, 422)
    items, _ = notifs(c)
    assert any(n["kind"] == "invitation" and n["group_id"] == se for n in items), items
    g = ok(c, "GET", "/groups/%s" % se)
    assert g["my_role"] == "invited", g
    assert se in ids(pages(c, "/groups")), "an invitee sees the secret group listed"
    assert se not in ids(pages(d, "/groups"))
    r = ok(c, "POST", "/groups/%s/join" % se, None, 200)
    assert r["state"] == "member", r
    assert c.uid in [m["user"]["id"] for m in pages(a, "/groups/%s/members" % se)]
    # inviting someone who asked to join makes them a member
    ok(d, "POST", "/groups/%s/join" % cl, None, 202)
    r = ok(a, "POST", "/groups/%s/invitations" % cl, {"user_id": d.uid}, 201)
    assert r["state"] == "member", r
    assert ok(d, "GET", "/groups/%s" % cl)["my_role"] == "member"
    # leaving
    r = ok(b, "POST", "/groups/%s/leave" % op)
    assert r["state"] == "left", r
    err(b, "POST", "/groups/%s/leave" % op, None, 409, "not_member")
    assert ok(b, "GET", "/groups/%s" % op)["my_role"] is None
    err(a, "POST", "/groups/%s/leave" % op, None, 409, "last_owner")
    assert ok(a, "GET", "/groups/%s" % op)["my_role"] == "owner"
    # visitors
    err(None, "POST", "/groups/%s/join" % op, None, 401)
    err(None, "GET", "/groups/%s/members" % op, None, 401)


def test_group_inclusion_criteria(srv):
    need_setup()
    a, b, c = U["alice"], U["bob"], U["carol"]
    g = new_group(a, "Académie de Lyon", "open", allowed_academies=["Lyon"])
    assert g["allowed_academies"] == ["Lyon"], g
    err(b, "POST", "/groups/%s/join" % g["id"], None, 403, "not_eligible")
    ok(b, "PATCH", "/me", {"academy": "Lyon"})
    r = ok(b, "POST", "/groups/%s/join" % g["id"])
    assert r["state"] == "member", r
    ok(b, "PATCH", "/me", {"academy": ""})
    h = new_group(a, "Domaine réservé", "closed", allowed_domains=["ac-autre.fr"])
    err(c, "POST", "/groups/%s/join" % h["id"], None, 403, "not_eligible")
    assert ok(c, "GET", "/groups/%s" % h["id"])["my_role"] is None
    k = new_group(a, "Domaine du réseau", "closed", allowed_domains=["social.ac-test.fr"])
    ok(c, "POST", "/groups/%s/join" % k["id"], None, 202)


def test_group_invitation_by_email_to_a_future_member(srv):
    need_setup()
    a, b = U["alice"], U["bob"]
    gid = new_group(a, "Accueil des nouveaux", "secret")["id"]
    email = "nouvelle.collegue@ac-nice.fr"
    err(b, "POST", "/groups/%s/invitations" % gid, {"email": email}, 404)
    err(a, "POST", "/groups/%s/invitations" % gid, {"email": "pas-une-adresse"}, 422)
    r = ok(a, "POST", "/groups/%s/invitations" % gid, {"email": email}, 201)
    assert r["state"] == "invited_by_email", r
    err(a, "POST", "/groups/%s/invitations" % gid, {"email": email}, 409, code="already_invited")
    mails = SRV.mails(email)
    assert len(mails) == 1 and "/register" in mails[0], "one invitation mail to %s: %s" % (email, mails)
    # the person registers with that address and verifies it
    r = ok(None, "POST", "/accounts", {"email": email, "password": PASSWORD, "name": "Nina Nouvelle"}, 201)
    uid = r["id"]
    ok(None, "POST", "/accounts/verify", {"token": SRV.mail_token(email)})
    nina = User("nina", uid, SRV.login(email), None, email)
    g = ok(nina, "GET", "/groups/%s" % gid)
    assert g["my_role"] == "member", g
    assert uid in [m["user"]["id"] for m in pages(a, "/groups/%s/members" % gid)]
    assert gid in ids(pages(nina, "/groups?mine=1"))
    U["nina"] = nina


def test_an_invitation_by_email_never_tells_whose_address_it_is(srv):
    """Inviting addresses by e-mail answers the same whether the address has an
    account, and the pending list shows the address, never the account."""
    need_setup()
    a, c, e = U["alice"], U["carol"], U["erin"]
    gid = new_group(a, "Sondage d'adresses", "secret")["id"]
    ok(a, "POST", "/groups/%s/invitations" % gid, {"user_id": e.uid}, 201)  # invited by name first
    answers = {}
    for email in (c.email, e.email, "personne.inconnue@ac-nice.fr", a.email):
        answers[email] = ok(a, "POST", "/groups/%s/invitations" % gid, {"email": email}, 201)
    assert all(x == {"state": "invited_by_email"} for x in answers.values()), answers
    for email in answers:  # twice is the same conflict for every address
        err(a, "POST", "/groups/%s/invitations" % gid, {"email": email}, 409, code="already_invited")
    pending = pages(a, "/groups/%s/members?state=pending" % gid)
    by_mail = sorted(m["email"] for m in pending if m["state"] == "invited_by_email")
    assert by_mail == sorted(answers), pending
    assert all(m["user"] is None for m in pending if m["state"] == "invited_by_email"), pending
    named = [m["user"]["id"] for m in pending if m["user"]]
    assert named == [e.uid], "only the member invited by name is shown by name: %s" % pending
    assert c.uid not in named
    # the account holder is invited for real: the group shows, joining works
    assert ok(c, "GET", "/groups/%s" % gid)["my_role"] == "invited"
    ok(c, "POST", "/groups/%s/join" % gid, None, 200)
    assert c.uid in [m["user"]["id"] for m in pages(a, "/groups/%s/members" % gid)]
    assert len(SRV.mails(c.email)) == 1, SRV.mails(c.email)  # the invitation by address (CLI accounts get no other)


def test_edits_by_moderators_are_logged_and_mentions_added_by_an_edit_notify(srv):
    need_setup()
    a, b, c, d = U["alice"], U["bob"], U["carol"], U["dave"]
    gid = new_group(a, "Journal des modifications", "open")["id"]
    ok(b, "POST", "/groups/%s/join" % gid)
    pid = new_post(b, "Un fil modéré", visibility="members", group_id=gid)["id"]
    rid = ok(b, "POST", "/posts/%s/replies" % pid, {"body": "Ma réponse"}, 201)["id"]
    # an edit that changes nothing makes no revision
    before = ok(b, "GET", "/posts/%s" % pid)
    ok(b, "PATCH", "/posts/%s" % pid, {})
    ok(b, "PATCH", "/posts/%s" % pid, {"title": before["title"], "body": before["body"]})
    assert len(pages(b, "/posts/%s/revisions" % pid)) == 1
    # the owner edits b's reply and changes the group's openness: both logged
    ok(a, "PATCH", "/replies/%s" % rid, {"body": "Réponse reformulée par la modération"})
    ok(a, "PATCH", "/groups/%s" % gid, {"visibility": "closed"})
    log = [(x["action"], x.get("reply_id"), x["group_id"]) for x in pages(a, "/moderation/audit")]
    assert ("reply_edit", rid, gid) in log, log
    assert any(x[0] == "group_update" and x[2] == gid for x in log), log
    # the author's own edits are not moderation
    ok(b, "PATCH", "/replies/%s" % rid, {"body": "Ma réponse, encore"})
    assert [x for x in pages(a, "/moderation/audit") if x["action"] == "reply_edit" and x.get("reply_id") == rid
            and x["actor"]["id"] == b.uid] == []
    # a mention added by an edit notifies once; one already there does not again
    ok(c, "POST", "/groups/%s/join" % gid, None, 202)
    ok(a, "POST", "/groups/%s/requests/%s/accept" % (gid, c.uid))
    mentions = lambda who: [n for n in notifs(who)[0] if n["kind"] == "mention" and n.get("post_id") == pid]
    ok(b, "PATCH", "/posts/%s" % pid, {"body": "Qu'en pense @%s ?" % c.handle})
    assert len(mentions(c)) == 1
    ok(b, "PATCH", "/posts/%s" % pid, {"body": "Qu'en pense @%s ? Et toi ?" % c.handle})
    assert len(mentions(c)) == 1
    ok(b, "PATCH", "/replies/%s" % rid, {"body": "Et @%s ?" % c.handle})
    assert len(mentions(c)) == 2
    # someone who may not see the post is not told (d is not in the closed group)
    ok(b, "PATCH", "/posts/%s" % pid, {"body": "Et @%s ?" % d.handle})
    assert mentions(d) == []


def test_turning_a_group_secret_drops_its_pending_requests(srv):
    need_setup()
    a, e = U["alice"], U["erin"]
    gid = new_group(a, "Bientôt secret", "closed")["id"]
    ok(e, "POST", "/groups/%s/join" % gid, None, 202)
    assert [m["user"]["id"] for m in pages(a, "/groups/%s/members?state=pending" % gid)] == [e.uid]
    ok(a, "PATCH", "/groups/%s" % gid, {"visibility": "secret"})
    assert pages(a, "/groups/%s/members?state=pending" % gid) == []
    err(e, "GET", "/groups/%s" % gid, None, 404)
    err(e, "POST", "/groups/%s/join" % gid, None, 404)


def test_group_roles_transfer_and_removal(srv):
    need_setup()
    a, b, c, d, e = U["alice"], U["bob"], U["carol"], U["dave"], U["erin"]
    gid = new_group(a, "Rôles", "open")["id"]
    for x in (b, c, d, e):
        ok(x, "POST", "/groups/%s/join" % gid)
    r = ok(a, "PUT", "/groups/%s/members/%s" % (gid, b.uid), {"role": "moderator"})
    assert r["role"] == "moderator", r
    assert member_role(a, gid, b.uid) == "moderator"
    err(b, "PUT", "/groups/%s/members/%s" % (gid, c.uid), {"role": "moderator"}, 403, "not_owner")
    err(c, "PUT", "/groups/%s/members/%s" % (gid, d.uid), {"role": "moderator"}, 403, "not_owner")
    err(a, "PUT", "/groups/%s/members/%s" % (gid, c.uid), {"role": "king"}, 422)
    err(a, "PUT", "/groups/%s/members/%s" % (gid, c.uid), {}, 422)
    err(a, "PUT", "/groups/%s/members/%s" % (gid, a.uid), {"role": "member"}, 409, code="cannot_change_own_role")
    err(a, "PUT", "/groups/%s/members/%s" % (gid, U["frank"].uid), {"role": "moderator"}, 404)
    # the moderator manages the group but not its owner nor other moderators
    ok(b, "PATCH", "/groups/%s" % gid, {"description": "Décrit par le modérateur"})
    err(c, "PATCH", "/groups/%s" % gid, {"description": "non"}, 403)
    err(a, "PATCH", "/groups/%s" % gid, {"visibility": "hidden"}, 422)
    err(a, "PATCH", "/groups/%s" % gid, {"name": ""}, 422)
    ok(b, "DELETE", "/groups/%s/members/%s" % (gid, c.uid), None, 204)
    assert member_role(a, gid, c.uid) is None
    assert ok(c, "GET", "/groups/%s" % gid)["my_role"] is None
    err(b, "DELETE", "/groups/%s/members/%s" % (gid, c.uid), None, 404)
    err(b, "DELETE", "/groups/%s/members/%s" % (gid, a.uid), None, 403)
    err(d, "DELETE", "/groups/%s/members/%s" % (gid, e.uid), None, 403)
    ok(a, "PUT", "/groups/%s/members/%s" % (gid, d.uid), {"role": "moderator"})
    err(b, "DELETE", "/groups/%s/members/%s" % (gid, d.uid), None, 403)
    ok(a, "DELETE", "/groups/%s/members/%s" % (gid, d.uid), None, 204)
    # ownership transfer: the former owner becomes a moderator and may leave
    r = ok(a, "PUT", "/groups/%s/members/%s" % (gid, e.uid), {"role": "owner"})
    assert r["role"] == "owner", r
    assert member_role(e, gid, e.uid) == "owner"
    assert member_role(e, gid, a.uid) == "moderator"
    assert ok(a, "GET", "/groups/%s" % gid)["my_role"] == "moderator"
    err(e, "POST", "/groups/%s/leave" % gid, None, 409, "last_owner")
    ok(a, "POST", "/groups/%s/leave" % gid)
    assert member_role(e, gid, a.uid) is None
    # the log keeps the role changes and removals
    audit = pages(U["admin"], "/moderation/audit")
    acts = [(x["action"], x["group_id"], x["target_user_id"]) for x in audit]
    for want in (("group_role", gid, b.uid), ("group_role", gid, e.uid), ("group_remove_member", gid, c.uid),
                 ("group_remove_member", gid, d.uid)):
        assert want in acts, "audit log lacks %s: %s" % (want, acts[:20])
    mine = [(x["action"], x["group_id"]) for x in pages(e, "/moderation/audit")]
    assert ("group_role", gid) in mine, "the new owner reads the group's log"
    assert all(x["group_id"] != gid for x in pages(c, "/moderation/audit")), "a non-moderator reads no log"


# ---- posts -----------------------------------------------------------------

def test_post_kinds_defaults_and_validation(srv):
    need_setup()
    a, b = U["alice"], U["bob"]
    for kind in ("discussion", "blog", "page"):
        p = new_post(a, "Un " + kind, kind=kind)
        assert p["kind"] == kind and p["visibility"] == "members", p
        assert p["author"]["id"] == a.uid and p["revision"] == 1 and p["reply_count"] == 0, p
        got = ok(b, "GET", "/posts/%s" % p["id"])
        for key in ("id", "kind", "title", "body", "body_html", "author", "visibility", "group_id",
                    "created_at", "updated_at", "reply_count"):
            assert key in got, "GET /posts/{id} lacks %s: %s" % (key, got)
    for vis in ("public", "members", "contacts", "private"):
        assert new_post(a, "Visibilité " + vis, visibility=vis)["visibility"] == vis
    op = new_group(a, "Groupe ouvert des billets", "open")["id"]
    cl = new_group(a, "Groupe fermé des billets", "closed")["id"]
    se = new_group(a, "Groupe secret des billets", "secret")["id"]
    p = new_post(a, "Défaut ouvert", group_id=op)
    assert p["visibility"] == "members" and p["group_id"] == op, p
    assert new_post(a, "Défaut fermé", group_id=cl)["visibility"] == "group"
    assert new_post(a, "Défaut secret", group_id=se)["visibility"] == "group"
    assert new_post(a, "Public ouvert", group_id=op, visibility="public")["visibility"] == "public"
    assert new_post(a, "Groupe ouvert", group_id=op, visibility="group")["visibility"] == "group"
    # ids are sent back as received, strings included
    assert new_post(a, "Id texte", group_id=str(op))["group_id"] == op
    base = {"kind": "discussion", "title": "Titre", "body": "Corps"}
    cases = [({"title": ""}, 422, "title"), ({"title": "   "}, 422, "title"), ({"title": "t" * 201}, 422, "title"),
             ({"body": ""}, 422, "body"), ({"body": " \n "}, 422, "body"), ({"body": "b" * 100001}, 422, "body"),
             ({"kind": "poll"}, 422, "kind"), ({"visibility": "friends"}, 422, "visibility"),
             ({"visibility": "group"}, 422, "visibility"), ({"title": None}, 422, "title"),
             ({"body": None}, 422, "body"), ({"kind": None}, 422, "kind"), ({"title": ["x"]}, 422, "title"),
             ({"group_id": "abc"}, 422, "group_id"), ({"group_id": -3}, 422, "group_id"),
             ({"group_id": op, "visibility": "contacts"}, 422, "visibility"),
             ({"group_id": op, "visibility": "private"}, 422, "visibility"),
             ({"group_id": cl, "visibility": "public"}, 422, "visibility"),
             ({"group_id": cl, "visibility": "members"}, 422, "visibility"),
             ({"group_id": se, "visibility": "public"}, 422, "visibility")]
    for change, status, field in cases:
        o = dict(base)
        o.update(change)
        o = dict((k, v) for k, v in o.items() if v is not None)
        err(a, "POST", "/posts", o, status, field=field)
    ok(a, "POST", "/posts", dict(base, title="t" * 200, body="b" * 100000), 201)
    # a group the author is not in: 403 when they see it, 404 when secret
    err(b, "POST", "/posts", dict(base, group_id=cl), 403, "not_member")
    err(b, "POST", "/posts", dict(base, group_id=op), 403, "not_member")
    err(b, "POST", "/posts", dict(base, group_id=se), 404, code="group_not_found")
    err(b, "POST", "/posts", dict(base, group_id=999999), 404, code="group_not_found")
    err(a, "POST", "/posts", None, 400, "invalid_json")
    err(None, "POST", "/posts", base, 401)


def test_body_html_is_sanitised(srv):
    need_setup()
    a, b = U["alice"], U["bob"]
    body = ("# Titre\n\n**gras** et [lien](https://example.org)\n\n<script>alert(1)</script>\n\n"
            "[piège](javascript:alert(2)) [piège2](JAVASCRIPT:alert(3)) [piège3](  javascript:alert(4))\n\n"
            "<a href=\"javascript:alert(5)\">a</a> <img src=x onerror=\"alert(6)\">\n\n"
            "<iframe src=\"https://evil.example\"></iframe> <svg onload=alert(7)>\n\n"
            "![img](javascript:alert(8)) <javascript:alert(9)>\n")
    p = new_post(a, "Markdown piégé", body, visibility="public")
    for who in (a, b, None):
        got = ok(who, "GET", "/posts/%s" % p["id"])
        html = got["body_html"]
        low = html.lower()
        assert got["body"] == body, "the Markdown source comes back as written"
        assert "<strong>gras</strong>" in html and "https://example.org" in html, html
        for bad in ("<script", "<iframe", "<svg"):
            assert bad not in low, "body_html contains %r: %s" % (bad, html)
        for tag in re.findall(r"<[^>]*>", low):
            assert "javascript:" not in tag and not re.search(r"\son[a-z]+\s*=", tag), \
                "body_html has a dangerous tag %r: %s" % (tag, html)
    r = ok(b, "POST", "/posts/%s/replies" % p["id"], {"body": "<script>x()</script> [a](javascript:alert(1))"}, 201)
    assert "<script" not in r["body_html"].lower() and "javascript:" not in r["body_html"].lower(), r
    assert "<script" not in ok(b, "GET", "/posts/%s/replies" % p["id"])["items"][0]["body_html"]


def test_edit_revisions_and_diff(srv):
    need_setup()
    a, b, admin = U["alice"], U["bob"], U["admin"]
    p = new_post(a, "Version un", "ligne A\nligne B\nligne C", visibility="members")
    pid = p["id"]
    r = ok(a, "PATCH", "/posts/%s" % pid, {"title": "Version deux", "body": "ligne A\nligne B modifiée\nligne C"})
    assert r["revision"] == 2 and r["title"] == "Version deux", r
    assert "modifiée" in r["body_html"], r
    revs = ok(b, "GET", "/posts/%s/revisions" % pid)["items"]
    assert [x["revision"] for x in revs] == [2, 1], revs
    assert [x["title"] for x in revs] == ["Version deux", "Version un"], revs
    assert ok(b, "GET", "/posts/%s/revisions/1" % pid)["body"] == "ligne A\nligne B\nligne C"
    err(b, "GET", "/posts/%s/revisions/3" % pid, None, 404)
    d = ok(b, "GET", "/posts/%s/diff?from=1&to=2" % pid)
    assert d["from_title"] == "Version un" and d["to_title"] == "Version deux", d
    lines = [(x["op"], x["text"]) for x in d["lines"]]
    assert ("del", "ligne B") in lines and ("add", "ligne B modifiée") in lines, lines
    assert ("same", "ligne A") in lines and ("same", "ligne C") in lines, lines
    err(b, "GET", "/posts/%s/diff" % pid, None, 400)
    err(b, "GET", "/posts/%s/diff?from=1&to=9" % pid, None, 404)
    err(b, "GET", "/posts/%s/diff?from=x&to=2" % pid, None, 400)
    # only the author (or moderators, admins) edits
    err(b, "PATCH", "/posts/%s" % pid, {"title": "Volé"}, 403)
    err(a, "PATCH", "/posts/%s" % pid, {"title": ""}, 422, field="title")
    err(a, "PATCH", "/posts/%s" % pid, {"kind": "blog"}, 422, field="kind")
    err(a, "PATCH", "/posts/%s" % pid, {"visibility": "group"}, 422, field="visibility")
    r = ok(admin, "PATCH", "/posts/%s" % pid, {"body": "ligne A\nmodérée"})
    assert r["revision"] == 3, r
    assert ok(a, "GET", "/posts/%s/revisions" % pid)["items"][0]["author"]["id"] == admin.uid
    assert ("post_edit", pid) in [(x["action"], x["post_id"]) for x in pages(admin, "/moderation/audit")]
    r = ok(a, "PATCH", "/posts/%s" % pid, {"visibility": "private"})
    assert r["visibility"] == "private", r
    err(b, "GET", "/posts/%s" % pid, None, 404)
    err(b, "GET", "/posts/%s/revisions" % pid, None, 404)


def test_delete_posts(srv):
    need_setup()
    a, b, c, admin = U["alice"], U["bob"], U["carol"], U["admin"]
    p = new_post(a, "À supprimer")["id"]
    err(b, "DELETE", "/posts/%s" % p, None, 403)
    ok(a, "DELETE", "/posts/%s" % p, None, 204)
    err(a, "GET", "/posts/%s" % p, None, 404)
    err(a, "DELETE", "/posts/%s" % p, None, 404)
    err(a, "GET", "/posts/%s/revisions" % p, None, 404)
    # in a group: the group's moderator deletes a member's post; a member does not
    gid = new_group(a, "Suppressions", "open")["id"]
    ok(b, "POST", "/groups/%s/join" % gid)
    ok(c, "POST", "/groups/%s/join" % gid)
    q = new_post(b, "Billet de Bob", group_id=gid)["id"]
    err(c, "DELETE", "/posts/%s" % q, None, 403)
    ok(a, "DELETE", "/posts/%s" % q, None, 204)
    err(b, "GET", "/posts/%s" % q, None, 404)
    log = [(x["action"], x["post_id"], x["target_user_id"]) for x in pages(a, "/moderation/audit")]
    assert ("post_delete", q, b.uid) in log, log
    # an admin deletes what they see
    s = new_post(b, "Billet public de Bob", visibility="public")["id"]
    ok(admin, "DELETE", "/posts/%s" % s, None, 204)
    err(b, "GET", "/posts/%s" % s, None, 404)
    err(None, "DELETE", "/posts/%s" % p, None, 401)


def test_useful_marks(srv):
    need_setup()
    a, b, c = U["alice"], U["bob"], U["carol"]
    pid = new_post(a, "Utile ?", visibility="members")["id"]
    r = ok(b, "PUT", "/posts/%s/useful" % pid)
    assert r == {"useful_count": 1, "useful_by_me": True}, r
    r = ok(b, "PUT", "/posts/%s/useful" % pid)
    assert r["useful_count"] == 1, "marking twice counts once: %s" % r
    r = ok(c, "PUT", "/posts/%s/useful" % pid)
    assert r["useful_count"] == 2, r
    got = ok(b, "GET", "/posts/%s" % pid)
    assert got["useful_count"] == 2 and got["useful_by_me"] is True, got
    assert ok(a, "GET", "/posts/%s" % pid)["useful_by_me"] is False
    r = ok(b, "DELETE", "/posts/%s/useful" % pid)
    assert r == {"useful_count": 1, "useful_by_me": False}, r
    r = ok(b, "DELETE", "/posts/%s/useful" % pid)
    assert r["useful_count"] == 1, r
    listed = [x for x in pages(a, "/posts?author=%s" % a.uid) if x["id"] == pid]
    assert listed and listed[0]["useful_count"] == 1, listed
    err(b, "PUT", "/posts/999999/useful", None, 404)
    err(None, "PUT", "/posts/%s/useful" % pid, None, 401)


# ---- replies -----------------------------------------------------------------

def test_replies(srv):
    need_setup()
    a, b, c = U["alice"], U["bob"], U["carol"]
    pid = new_post(a, "On en discute ?", visibility="members")["id"]
    other = new_post(a, "Autre fil", visibility="members")["id"]
    r1 = ok(b, "POST", "/posts/%s/replies" % pid, {"body": "Première réponse"}, 201)
    assert r1["post_id"] == pid and r1["author"]["id"] == b.uid and r1["quote"] is None, r1
    assert r1["body_html"].strip() == "<p>Première réponse</p>", r1
    r2 = ok(c, "POST", "/posts/%s/replies" % pid, {"body": "Je cite", "quote_id": r1["id"]}, 201)
    assert r2["quote"] and r2["quote"]["id"] == r1["id"] and r2["quote"]["body"] == "Première réponse", r2
    x = ok(b, "POST", "/posts/%s/replies" % other, {"body": "Ailleurs"}, 201)
    err(c, "POST", "/posts/%s/replies" % pid, {"body": "Cite d'ailleurs", "quote_id": x["id"]}, 422, field="quote_id")
    err(c, "POST", "/posts/%s/replies" % pid, {"body": "Cite rien", "quote_id": 999999}, 422, field="quote_id")
    err(c, "POST", "/posts/%s/replies" % pid, {"body": ""}, 422, field="body")
    err(c, "POST", "/posts/%s/replies" % pid, {"body": "r" * 20001}, 422, field="body")
    err(c, "POST", "/posts/%s/replies" % pid, {}, 422)
    listed = pages(c, "/posts/%s/replies" % pid)
    assert [y["id"] for y in listed] == [r1["id"], r2["id"]], listed
    assert ok(c, "GET", "/posts/%s" % pid)["reply_count"] == 2
    # replying to what one may not see
    priv = new_post(a, "Privé", visibility="private")["id"]
    err(b, "POST", "/posts/%s/replies" % priv, {"body": "Coucou"}, 404)
    err(b, "GET", "/posts/%s/replies" % priv, None, 404)
    err(b, "POST", "/posts/999999/replies", {"body": "Coucou"}, 404)
    err(None, "POST", "/posts/%s/replies" % pid, {"body": "Anonyme"}, 401)
    # edit and delete a reply: its author; the post's author is no moderator
    y = ok(b, "PATCH", "/replies/%s" % r1["id"], {"body": "Première réponse, corrigée"})
    assert y["body"] == "Première réponse, corrigée", y
    err(a, "PATCH", "/replies/%s" % r1["id"], {"body": "Non"}, 403)
    err(b, "PATCH", "/replies/%s" % r1["id"], {"body": ""}, 422)
    err(c, "DELETE", "/replies/%s" % r1["id"], None, 403)
    ok(b, "DELETE", "/replies/%s" % r1["id"], None, 204)
    assert [y["id"] for y in pages(c, "/posts/%s/replies" % pid)] == [r2["id"]]
    assert ok(c, "GET", "/posts/%s" % pid)["reply_count"] == 1
    err(b, "DELETE", "/replies/%s" % r1["id"], None, 404)
    # a quote of a deleted reply is gone too
    assert ok(c, "GET", "/posts/%s/replies" % pid)["items"][0]["quote"] is None


# ---- feed and discussions ----------------------------------------------------

def test_feed_contacts_groups_newest_first_and_paging(srv):
    need_setup()
    # frank: contact of erin, member of a group where dave posts; carol is a stranger
    f, e, d, c = U["frank"], U["erin"], U["dave"], U["carol"]
    ok(f, "POST", "/contacts", {"user_id": e.uid}, 201)
    ok(e, "POST", "/contacts/%s/accept" % f.uid)
    gid = new_group(d, "Le groupe de Dave", "closed")["id"]
    ok(d, "POST", "/groups/%s/invitations" % gid, {"user_id": f.uid}, 201)
    ok(f, "POST", "/groups/%s/join" % gid)
    by_contact = new_post(e, "D'un contact", visibility="members")["id"]
    in_group = new_post(d, "Dans mon groupe", group_id=gid)["id"]
    stranger = new_post(c, "D'une inconnue", visibility="public")["id"]
    mine = new_post(f, "De moi", visibility="private")["id"]
    reply = ok(e, "POST", "/posts/%s/replies" % stranger, {"body": "Mon contact répond ailleurs"}, 201)["id"]
    feed = pages(f, "/feed")
    posts = [x["post"]["id"] for x in feed]
    for pid, what in ((by_contact, "a contact's post"), (in_group, "a group's post"), (mine, "my own post")):
        assert pid in posts, "the feed lacks %s" % what
    assert [x for x in feed if x["verb"] == "post" and x["post"]["id"] == stranger] == [], \
        "a stranger's post is in the feed"
    assert any(x["verb"] == "reply" and x["reply_id"] == reply for x in feed), "a contact's reply is in the feed"
    ids_ = [x["id"] for x in feed]
    assert ids_ == sorted(ids_, reverse=True), "the feed is newest first: %s" % ids_
    times = [x["created_at"] for x in feed]
    assert times == sorted(times, reverse=True), times
    for x in feed:
        for key in ("id", "verb", "actor", "post", "created_at"):
            assert key in x, x
    # paging
    many = [new_post(e, "Série %d" % i, visibility="members")["id"] for i in range(25)]
    first = ok(f, "GET", "/feed")
    assert len(first["items"]) == 20 and first["next"] is not None, "first page: %d items, next %s" % (
        len(first["items"]), first["next"])
    assert [x["post"]["id"] for x in first["items"]] == list(reversed(many))[:20]
    second = ok(f, "GET", "/feed?cursor=%s" % first["next"])
    got = [x["post"]["id"] for x in second["items"]]
    assert got[:5] == list(reversed(many))[20:], got
    all_ids = [x["id"] for x in first["items"] + second["items"]]
    assert len(all_ids) == len(set(all_ids)) and all_ids == sorted(all_ids, reverse=True), all_ids
    err(f, "GET", "/feed?cursor=abc", None, 400, code="invalid_cursor")
    err(f, "GET", "/groups?kind=bogus", None, 400)
    err(f, "GET", "/posts?kind=bogus", None, 400)
    err(None, "GET", "/feed", None, 401)


def test_my_discussions_and_unread(srv):
    need_setup()
    a, b, c = U["alice"], U["bob"], U["carol"]
    mine = new_post(c, "Ma discussion", visibility="members")["id"]
    theirs = new_post(a, "Sa discussion", visibility="members")["id"]
    untouched = new_post(a, "Pas la mienne", visibility="members")["id"]
    ok(c, "POST", "/posts/%s/replies" % theirs, {"body": "J'y participe"}, 201)
    ok(c, "GET", "/posts/%s" % mine)
    ok(c, "GET", "/posts/%s" % theirs)
    disc = pages(c, "/me/discussions")
    got = [x["id"] for x in disc]
    assert mine in got and theirs in got and untouched not in got, got
    assert all(x["unread"] is False for x in disc if x["id"] in (mine, theirs)), disc
    time.sleep(1.1)             # activity times are in seconds
    ok(b, "POST", "/posts/%s/replies" % mine, {"body": "Du nouveau"}, 201)
    disc = pages(c, "/me/discussions")
    assert [x["id"] for x in disc][0] == mine, "the latest activity comes first"
    state = dict((x["id"], x["unread"]) for x in disc)
    assert state[mine] is True and state[theirs] is False, state
    ok(c, "GET", "/posts/%s" % mine)
    state = dict((x["id"], x["unread"]) for x in pages(c, "/me/discussions"))
    assert state[mine] is False, state
    err(None, "GET", "/me/discussions", None, 401)
    for bad in ("abc", "12", "-5", "5-", "1-2-3", "99999999999999999999-1"):
        err(c, "GET", "/me/discussions?cursor=" + bad, None, 400, code="invalid_cursor")


def test_my_discussions_page_through_threads_of_the_same_second(srv):
    """45 threads started within a second or two: every one is listed once across the pages."""
    need_setup()
    d = U["frank"]
    made = [new_post(d, "Fil %d" % i, visibility="members")["id"] for i in range(45)]
    got = [x["id"] for x in pages(d, "/me/discussions")]
    assert len(got) == len(set(got)), "no thread twice"
    assert set(made) <= set(got), sorted(set(made) - set(got))
    # the page, by its "more" links
    w = srv.web()
    w.login(d.email)
    seen, path = [], "/me/discussions"
    for _ in range(10):
        html = w.get(path).text
        seen += [int(x) for x in re.findall(r'<li class="[^"]*"><a href="/posts/(\d+)">', html)]
        m = re.search(r'href="(/me/discussions\?cursor=[0-9-]+)"', html)
        if not m:
            break
        path = m.group(1)
    assert sorted(seen) == sorted(set(seen)) and set(made) <= set(seen), (len(seen), len(made))


# ---- notifications -------------------------------------------------------------

def test_notifications_reply_mention_and_reading(srv):
    need_setup()
    a, b, c, d = U["alice"], U["bob"], U["carol"], U["dave"]
    ok(d, "POST", "/notifications/read-all")
    pid = new_post(a, "Qui répond ?", "Une question pour @%s et @%s." % (d.handle, "personne-inconnue"),
                   visibility="members")["id"]
    r = ok(b, "POST", "/posts/%s/replies" % pid, {"body": "Moi ! @%s, tu en penses quoi ?" % d.handle}, 201)
    items, unread = notifs(a)
    assert any(n["kind"] == "reply" and n["post_id"] == pid and n["reply_id"] == r["id"] and n["actor"]["id"] == b.uid
               for n in items), "the author is told about the reply: %s" % items
    items, unread = notifs(d)
    got = sorted((n["kind"], n["post_id"], n["reply_id"] or 0) for n in items if not n["read"])
    assert got == sorted([("mention", pid, 0), ("mention", pid, r["id"])]), got
    assert unread == 2, unread
    assert all(n["title"] == "Qui répond ?" for n in items if n["post_id"] == pid), items
    # nobody is told about their own mention or reply
    ok(a, "POST", "/posts/%s/replies" % pid, {"body": "Je me cite @%s" % a.handle}, 201)
    items, _ = notifs(a)
    assert not any(n["actor"] and n["actor"]["id"] == a.uid for n in items), items
    # reading
    first = [n for n in notifs(d)[0] if not n["read"]][0]
    r = ok(d, "POST", "/notifications/%s/read" % first["id"])
    assert r["unread"] == 1, r
    r = ok(d, "POST", "/notifications/%s/read" % first["id"])
    assert r["unread"] == 1, r
    assert [n["read"] for n in notifs(d)[0] if n["id"] == first["id"]] == [True]
    err(d, "POST", "/notifications/999999/read", None, 404)
    someone_elses = notifs(a)[0][0]["id"]
    err(d, "POST", "/notifications/%s/read" % someone_elses, None, 404)
    r = ok(d, "POST", "/notifications/read-all")
    assert r["unread"] == 0, r
    items, unread = notifs(d)
    assert unread == 0 and all(n["read"] for n in items), items
    err(None, "GET", "/notifications", None, 401)


def test_notifications_paging(srv):
    need_setup()
    a, e = U["alice"], U["erin"]
    ok(e, "POST", "/notifications/read-all")
    made = []
    for i in range(35):
        made.append(new_post(a, "Mention %d" % i, "Salut @%s" % e.handle, visibility="members")["id"])
    b = ok(e, "GET", "/notifications")
    assert b["unread"] == 35, b["unread"]
    assert len(b["items"]) == 30 and b["next"] is not None, (len(b["items"]), b["next"])
    rest = ok(e, "GET", "/notifications?cursor=%s" % b["next"])
    got = [n["post_id"] for n in b["items"] + rest["items"] if n["kind"] == "mention" and n["post_id"] in made]
    assert got == list(reversed(made)), got


# ---- moderation --------------------------------------------------------------

def test_a_report_hands_an_item_for_contacts_to_the_admins(srv):
    """A contact reports a post only contacts see: admins get it in their queue
    and may hide and restore it (and its replies), without reading it elsewhere."""
    need_setup()
    a, b, c, admin = U["alice"], U["bob"], U["carol"], U["admin"]
    if not any(x["id"] == b.uid for x in pages(a, "/contacts")):
        ok(a, "POST", "/contacts", {"user_id": b.uid}, 201)
        ok(b, "POST", "/contacts/%s/accept" % a.uid)
    pid = new_post(a, "Entre contacts", visibility="contacts")["id"]
    rid = ok(a, "POST", "/posts/%s/replies" % pid, {"body": "Suite entre contacts"}, 201)["id"]
    err(admin, "GET", "/posts/%s" % pid, None, 404)
    err(admin, "POST", "/posts/%s/hide" % pid, {}, 404)          # nothing reported yet
    rep = ok(b, "POST", "/posts/%s/reports" % pid, {"reason": "Données d'élèves"}, 201)
    ok(b, "POST", "/replies/%s/reports" % rid, {"reason": "Idem"}, 201)
    queue = dict((x["id"], x) for x in pages(admin, "/moderation/reports"))
    assert rep["id"] in queue and queue[rep["id"]]["post_id"] == pid, queue
    err(c, "POST", "/posts/%s/hide" % pid, {}, 404)               # other members: still nothing
    ok(admin, "POST", "/replies/%s/hide" % rid, {})
    ok(admin, "POST", "/posts/%s/hide" % pid, {})
    err(b, "GET", "/posts/%s" % pid, None, 404)
    err(admin, "GET", "/posts/%s" % pid, None, 404)               # moderating is not reading
    ok(admin, "POST", "/posts/%s/restore" % pid, {})
    assert ok(b, "GET", "/posts/%s" % pid)["id"] == pid


def test_reports_queue_hide_restore_and_audit(srv):
    need_setup()
    a, b, c, d, admin = U["alice"], U["bob"], U["carol"], U["dave"], U["admin"]
    gid = new_group(a, "Modération", "open")["id"]
    ok(b, "POST", "/groups/%s/join" % gid)
    ok(c, "POST", "/groups/%s/join" % gid)
    ok(a, "PUT", "/groups/%s/members/%s" % (gid, b.uid), {"role": "moderator"})
    pid = new_post(c, "Billet litigieux", group_id=gid)["id"]
    rid = ok(c, "POST", "/posts/%s/replies" % pid, {"body": "Réponse litigieuse"}, 201)["id"]
    outside = new_post(c, "Hors groupe", visibility="members")["id"]
    quoting = ok(d, "POST", "/posts/%s/replies" % pid, {"body": "Je cite", "quote_id": rid}, 201)["id"]
    # reports
    err(d, "POST", "/posts/%s/reports" % pid, {"reason": ""}, 422, field="reason")
    err(d, "POST", "/posts/%s/reports" % pid, {}, 422)
    err(d, "POST", "/posts/%s/reports" % pid, {"reason": "r" * 1001}, 422)
    r1 = ok(d, "POST", "/posts/%s/reports" % pid, {"reason": "Propos déplacés"}, 201)
    assert r1["status"] == "open", r1
    r2 = ok(d, "POST", "/replies/%s/reports" % rid, {"reason": "Insultant"}, 201)
    r3 = ok(d, "POST", "/posts/%s/reports" % outside, {"reason": "Hors sujet"}, 201)
    priv = new_post(c, "Privé", visibility="private")["id"]
    err(d, "POST", "/posts/%s/reports" % priv, {"reason": "?"}, 404)
    err(None, "POST", "/posts/%s/reports" % pid, {"reason": "?"}, 401)
    # the queue: group moderators see their group's, admins all, others nothing
    q = dict((x["id"], x) for x in pages(b, "/moderation/reports"))
    assert r1["id"] in q and r2["id"] in q and r3["id"] not in q, q.keys()
    assert q[r2["id"]]["reply_id"] == rid and q[r1["id"]]["reason"] == "Propos déplacés", q
    assert set([r1["id"], r2["id"], r3["id"]]) <= set(ids(pages(admin, "/moderation/reports")))
    for x in (c, d):
        assert pages(x, "/moderation/reports") == [], "%s reads the queue" % x
    err(None, "GET", "/moderation/reports", None, 401)
    # hide / restore
    err(c, "POST", "/posts/%s/hide" % pid, {"note": "moi"}, 403, "not_moderator")
    err(d, "POST", "/replies/%s/hide" % rid, {}, 403, "not_moderator")
    err(b, "POST", "/posts/%s/hide" % outside, {}, 403, "not_moderator")
    r = ok(b, "POST", "/replies/%s/hide" % rid, {"note": "insulte"})
    assert r["hidden"] is True, r
    err(b, "POST", "/replies/%s/hide" % rid, {}, 409, code="already_hidden")
    assert rid not in ids(pages(d, "/posts/%s/replies" % pid))
    assert rid in ids(pages(b, "/posts/%s/replies" % pid))
    assert rid in ids(pages(c, "/posts/%s/replies" % pid)), "the reply's author still sees it"
    err(d, "POST", "/posts/%s/replies" % pid, {"body": "Je cite", "quote_id": rid}, 422, field="quote_id")
    quoted = [x for x in pages(d, "/posts/%s/replies" % pid) if x["id"] == quoting]
    assert quoted and quoted[0]["quote"] is None, "a hidden reply is not quoted: %s" % quoted
    r = ok(b, "POST", "/posts/%s/hide" % pid, {"note": "propos"})
    assert r["hidden"] is True, r
    err(b, "POST", "/posts/%s/hide" % pid, {}, 409, code="already_hidden")
    err(d, "GET", "/posts/%s" % pid, None, 404)
    assert ok(c, "GET", "/posts/%s" % pid)["hidden"] is True
    assert ok(admin, "GET", "/posts/%s" % pid)["hidden"] is True
    q = ids(pages(b, "/moderation/reports"))
    assert r1["id"] not in q and r2["id"] not in q, "hiding resolves the reports: %s" % q
    err(c, "POST", "/posts/%s/restore" % pid, {}, 403, code="not_moderator")
    ok(b, "POST", "/posts/%s/restore" % pid, {})
    err(b, "POST", "/posts/%s/restore" % pid, {}, 409, code="not_hidden")
    ok(d, "GET", "/posts/%s" % pid)
    ok(admin, "POST", "/replies/%s/restore" % rid, {})
    assert rid in ids(pages(d, "/posts/%s/replies" % pid))
    # dismissing
    err(d, "POST", "/moderation/reports/%s/dismiss" % r3["id"], None, 403, code="not_moderator")
    err(b, "POST", "/moderation/reports/%s/dismiss" % r3["id"], None, 403, code="not_moderator")
    r = ok(admin, "POST", "/moderation/reports/%s/dismiss" % r3["id"])
    assert r["status"] == "dismissed", r
    err(admin, "POST", "/moderation/reports/%s/dismiss" % r3["id"], None, 404)
    assert r3["id"] not in ids(pages(admin, "/moderation/reports"))
    # the log
    log = [(x["action"], x["post_id"], x["reply_id"], x["actor"]["id"] if x["actor"] else None)
           for x in pages(admin, "/moderation/audit")]
    for want in (("reply_hide", pid, rid, b.uid), ("post_hide", pid, None, b.uid),
                 ("post_restore", pid, None, b.uid), ("reply_restore", pid, rid, admin.uid),
                 ("report_dismiss", outside, None, admin.uid)):
        assert want in log, "audit log lacks %s: %s" % (want, log[:10])
    notes = [x["detail"] for x in pages(admin, "/moderation/audit") if x["action"] == "post_hide" and x["post_id"] == pid]
    assert notes == ["propos"], notes
    mod_log = [(x["action"], x["post_id"]) for x in pages(b, "/moderation/audit")]
    assert ("post_hide", pid) in mod_log and ("report_dismiss", outside) not in mod_log, mod_log
    assert pages(d, "/moderation/audit") == [], "a member reads no log"
    err(None, "GET", "/moderation/audit", None, 401)
