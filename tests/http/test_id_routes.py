"""Every route with an id in its path, walked from the route table.

`respire routes` lists the routes; for each one whose pattern carries a
parameter, FILLS below says which items of the world fill it. The world holds
items of every kind that an outsider (a signed-in member of Respire with no
tie to them) may not see: a private post, a contacts post, a secret group's
post, a closed group's post, a hidden post, a hidden reply, a reply of a secret group's post, a
document of a secret group (its versions, file, thumbnail, a comment), the
secret group itself and its member list, a closed group's member list, a
group room and a private conversation with messages, another member's
notification, session and report, and a pending (unverified) account.

For every such route and fill:
 - the outsider, with every method of the route (a harmless body for the
   state-changing ones), never gets a 2xx and never a body that quotes the
   item: 404 (a WHO_MEMBER route's visitor: 401, or a redirect to /login);
 - a visitor does the same on GET, and so does a site admin for what admins
   do not read either (private posts, secret groups, rooms);
 - whoever may see the item (its author, or a group member) gets 200 on GET,
   so that a 404 means "not yours" and not "broken route".
A parameter pattern missing from FILLS fails the test: a new route with an
id must say here how to fill it. Patterns are read in both syntaxes,
`:id` and `{id:int}`.
"""
import json
import os
import re
import socket
import subprocess
import time

from lib import multipart, png, wait_until

W = {}                   # world: name -> id; tokens under "t" + viewer
MARK = "Zqx"             # every invisible item's text carries MARK + a number
MARKS = []


def mark(what):
    m = "%s%d%s" % (MARK, len(MARKS) + 1, what)
    MARKS.append(m)
    return m


def api(srv, who, method, path, body=None, want=None, raw=None, headers=None):
    r = srv.api(method, path, body, token=W.get("t" + who) if who else None, raw=raw, headers=headers)
    if want is not None:
        assert r.status == want, (who, method, path, body, r)
    return r


# ---- the world ---------------------------------------------------------------

def test_world(srv):
    for k, name in [("author", "Auteur Cache"), ("member", "Membre Secret"), ("outsider", "Curieux Dehors"),
                    ("admin", "Admin Site")]:
        W[k], W["t" + k] = srv.member("idr.%s@ac-nice.fr" % k, name, admin=(k == "admin"))
    # a pending account (registered, never verified): nobody sees it
    r = srv.api("POST", "/accounts", {"email": "idr.pending@ac-nice.fr", "password": "une phrase de passe solide",
                                      "name": "Pending " + mark("pending")})
    assert r.status == 201, r
    W["pending"] = r.json()["id"]
    # the author's session (another device) for /me/sessions/:id
    W["tauthor2"] = srv.login("idr.author@ac-nice.fr")
    W["session"] = [s["id"] for s in api(srv, "author", "GET", "/me/sessions", want=200).json()["items"]
                    if not s["current"]][0]

    # a secret group: author owner, member a plain member
    W["secret"] = api(srv, "author", "POST", "/groups", {"name": "Groupe " + mark("secretgroup"),
                                                        "description": mark("secretdesc"), "kind": "practice",
                                                        "visibility": "secret"}, want=201).json()["id"]
    api(srv, "author", "POST", "/groups/%s/invitations" % W["secret"], {"user_id": W["member"]}, want=201)
    api(srv, "member", "POST", "/groups/%s/join" % W["secret"], want=200)
    # a closed group the outsider sees but whose members it may not list
    W["closed"] = api(srv, "author", "POST", "/groups", {"name": "Groupe ferme", "description": "d",
                                                        "kind": "practice", "visibility": "closed"},
                      want=201).json()["id"]
    api(srv, "member", "POST", "/groups/%s/join" % W["closed"], want=202)
    api(srv, "author", "POST", "/groups/%s/requests/%s/accept" % (W["closed"], W["member"]), want=200)

    def post(vis, group=None, who="author"):
        body = {"kind": "discussion", "title": "Sujet " + mark("title" + vis), "body": "Texte " + mark("body"),
                "visibility": vis}
        if group:
            body["group_id"] = group
        pid = api(srv, who, "POST", "/posts", body, want=201).json()["id"]
        api(srv, who, "PATCH", "/posts/%s" % pid, {"body": "Texte revu " + mark("body2")}, want=200)
        return pid

    W["p_private"] = post("private")
    W["p_contacts"] = post("contacts")
    W["p_secret"] = post("group", W["secret"])
    # a group post of a closed group: the outsider sees the group, not the post
    W["p_closed"] = post("group", W["closed"])
    W["p_hidden"] = post("public")
    api(srv, "admin", "POST", "/posts/%s/hide" % W["p_hidden"], {"note": "n"}, want=200)
    # a public post (visible) with a hidden reply
    # a public blog post (the author's Atom feed is not empty)
    api(srv, "author", "POST", "/posts", {"kind": "blog", "title": "Billet public", "body": "Public",
                                          "visibility": "public"}, want=201)
    W["p_public"] = api(srv, "author", "POST", "/posts", {"kind": "discussion", "title": "Public ouvert",
                                                         "body": "Visible", "visibility": "public"},
                        want=201).json()["id"]
    W["r_hidden"] = api(srv, "author", "POST", "/posts/%s/replies" % W["p_public"],
                        {"body": "Reponse " + mark("hiddenreply")}, want=201).json()["id"]
    api(srv, "admin", "POST", "/replies/%s/hide" % W["r_hidden"], {"note": "n"}, want=200)
    W["r_secret"] = api(srv, "member", "POST", "/posts/%s/replies" % W["p_secret"],
                        {"body": "Reponse " + mark("secretreply")}, want=201).json()["id"]
    W["r_private"] = api(srv, "author", "POST", "/posts/%s/replies" % W["p_private"],
                         {"body": "Reponse " + mark("privatereply")}, want=201).json()["id"]
    # a report on the secret post, by the member
    api(srv, "member", "POST", "/posts/%s/reports" % W["p_secret"], {"reason": "spam"}, want=201)
    reports = api(srv, "author", "GET", "/moderation/reports", want=200).json()["items"]
    W["report"] = reports[0]["id"]

    # a document of the secret group (an image: it gets a thumbnail), a second version, a comment
    body, ctype = multipart({"title": "Doc " + mark("doctitle"), "description": mark("docdesc"),
                             "group_id": W["secret"], "visibility": "group"},
                            [("file", ("secret-%s.png" % mark("docfile"), png(32, 32), "image/png"))])
    r = api(srv, "author", "POST", "/documents", raw=body, headers={"Content-Type": ctype}, want=201).json()
    W["d_secret"] = (r["items"][0] if "items" in r else r)["id"]
    body, ctype = multipart({"note": mark("vnote")}, [("file", ("v2.png", png(40, 40), "image/png"))])
    api(srv, "author", "POST", "/documents/%s/versions" % W["d_secret"], raw=body, headers={"Content-Type": ctype},
        want=201)
    W["c_secret"] = api(srv, "member", "POST", "/documents/%s/comments" % W["d_secret"],
                        {"body": "Commentaire " + mark("comment")}, want=201).json()["id"]
    body, ctype = multipart({"title": "Doc " + mark("privdoc"), "visibility": "private"},
                            [("file", ("p.txt", b"prive " + mark("privfile").encode(), "text/plain"))])
    r = api(srv, "author", "POST", "/documents", raw=body, headers={"Content-Type": ctype}, want=201).json()
    W["d_private"] = (r["items"][0] if "items" in r else r)["id"]

    # the secret group's room, a message; a private conversation author <-> member
    rooms = api(srv, "author", "GET", "/groups/%s/rooms" % W["secret"], want=200).json()["items"]
    W["room"] = rooms[0]["id"]
    api(srv, "member", "POST", "/rooms/%s/messages" % W["room"], {"body": "Salon " + mark("roommsg")}, want=201)
    r = api(srv, "author", "POST", "/conversations", {"user_ids": [W["member"]],
                                                     "body": "Prive " + mark("convmsg")})
    assert r.status in (200, 201), r
    W["conv"] = r.json()["id"]
    # a notification of the author (the member replied to the secret post)
    notes = api(srv, "author", "GET", "/notifications", want=200).json()["items"]
    assert notes, "the author has no notification"
    W["notif"] = notes[0]["id"]
    # an innovation record hidden by an admin: its coordinator (the author) and admins see it, nobody else
    W["i_hidden"] = api(srv, "author", "POST", "/innovations", {
        "title": "Fiche " + mark("innotitle"), "summary": mark("innosummary"), "academy": "Nice", "type": "local",
        "started_year": 2020, "duration_years": 2, "visibility": "members"}, want=201).json()["id"]
    api(srv, "author", "PATCH", "/innovations/%s" % W["i_hidden"], {"aims": mark("innoaims")}, want=200)
    api(srv, "admin", "PATCH", "/innovations/%s" % W["i_hidden"], {"hidden": True}, want=200)
    # the thumbnail is made by the media worker
    assert wait_until(lambda: api(srv, "author", "GET", "/documents/%s/thumbnail" % W["d_secret"]).status == 200,
                      timeout=15), "no thumbnail"
    # an event of the secret group (its organiser: the author), the member registered
    start = (int(time.time()) // 3600 + 24 * 30) * 3600
    W["e_secret"] = api(srv, "author", "POST", "/events", {
        "title": "Evt " + mark("eventtitle"), "description": mark("eventdesc"), "starts_at": start,
        "ends_at": start + 7200, "place": mark("eventplace"), "group_id": W["secret"], "visibility": "group",
        "capacity": 5}, want=201).json()["id"]
    api(srv, "member", "POST", "/events/%s/registrations" % W["e_secret"], want=201)
    W["outsider_web"] = srv.web()
    W["outsider_web"].login("idr.outsider@ac-nice.fr")
    W["outsider_web"].get("/posts/new")
    W["author_web"] = srv.web()
    W["author_web"].login("idr.author@ac-nice.fr")
    W["author_web"].get("/posts/new")
    W["admin_web"] = srv.web()
    W["admin_web"].login("idr.admin@ac-nice.fr")
    # calls for proposals: one in the secret group (the author, its owner, manages it), with the
    # member's proposal; a public call (the admin's) with the author's proposal
    now = int(__import__("time").time())
    form = {"fields": [{"key": "text", "label": "Texte", "type": "longtext"}],
            "rubric": [{"key": "q", "label": "Q", "max": 5, "weight": 1}], "opens_at": now - 60,
            "closes_at": now + 86400}
    W["call_secret"] = api(srv, "author", "POST", "/calls", dict(form, title="Appel " + mark("calltitle"),
                                                                  description=mark("calldesc"),
                                                                  group_id=W["secret"]), want=201).json()["id"]
    W["prop_secret"] = api(srv, "member", "POST", "/calls/%s/proposals" % W["call_secret"],
                           {"title": "Proposition " + mark("proptitle"), "answers": {"text": mark("propanswer")}},
                           want=201).json()["id"]
    W["call_public"] = api(srv, "admin", "POST", "/calls", dict(form, title="Appel public"), want=201).json()["id"]
    W["prop_public"] = api(srv, "author", "POST", "/calls/%s/proposals" % W["call_public"],
                           {"title": "Proposition " + mark("proppublic"), "answers": {"text": mark("proppubanswer")}},
                           want=201).json()["id"]
    api(srv, "author", "POST", "/proposals/%s/submit" % W["prop_public"], want=200)

    W["admin_web"].get("/posts/new")
    W["member_web"] = srv.web()
    W["member_web"].login("idr.member@ac-nice.fr")
    W["member_web"].get("/posts/new")


# ---- how to fill each parameter pattern --------------------------------------
# pattern (":name" syntax) -> list of (values, who sees it or None). Values
# name world entries (or literal numbers). "who" gets 200 on GET; None: no
# one is expected to (a pending account, a secret group's Atom feed).

POSTS = [({"id": "p_private"}, "author"), ({"id": "p_contacts"}, "author"), ({"id": "p_secret"}, "member"),
         ({"id": "p_closed"}, "member"), ({"id": "p_hidden"}, "author")]
# Items a site admin may not read either (admins moderate what is reported to
# them, but read no private post, no group they are not in, no room).
ADMIN_REFUSED = {"p_private", "p_contacts", "p_secret", "p_closed", "r_secret", "r_private", "d_secret",
                 "d_private", "c_secret", "room", "conv", "secret", "notif", "session", "e_secret",
                 "call_secret"}
REPLIES = [({"id": "r_hidden"}, "author"), ({"id": "r_secret"}, "member"), ({"id": "r_private"}, "author")]
DOCS = [({"id": "d_secret"}, "member"), ({"id": "d_private"}, "author")]
SECRET = [({"id": "secret"}, "member")]
PENDING = [({"id": "pending"}, None)]
ROOMS = [({"id": "room"}, "member"), ({"id": "conv"}, "member")]
INNOS = [({"id": "i_hidden"}, "author")]
EVENTS = [({"id": "e_secret"}, "member")]
EVENTS_ORG = [({"id": "e_secret"}, "author")]
CALLS = [({"id": "call_secret"}, "author")]
PROPS = [({"id": "prop_secret"}, "member"), ({"id": "prop_public"}, "author")]
NOT_AN_ID = "not an id"

FILLS = {
    "/api/v1/me/sessions/:id": [({"id": "session"}, None)],
    "/api/v1/users/:id": PENDING,
    "/api/v1/users/:id/avatar": PENDING,
    "/api/v1/contacts/:uid/accept": [({"uid": "pending"}, None)],
    "/api/v1/contacts/:uid": [({"uid": "pending"}, None)],
    "/api/v1/users/:id/follow": PENDING,
    "/api/v1/groups/:id": SECRET,
    "/api/v1/groups/:id/members": SECRET + [({"id": "closed"}, "member")],
    "/api/v1/groups/:id/posts": SECRET,
    "/api/v1/groups/:id/join": SECRET,
    "/api/v1/groups/:id/leave": SECRET,
    "/api/v1/groups/:id/invitations": SECRET,
    "/api/v1/groups/:id/requests/:uid/accept": [({"id": "secret", "uid": "member"}, None)],
    "/api/v1/groups/:id/requests/:uid/refuse": [({"id": "secret", "uid": "member"}, None)],
    "/api/v1/groups/:id/members/:uid": [({"id": "secret", "uid": "member"}, None)],
    "/api/v1/posts/:id": POSTS,
    "/api/v1/posts/:id/useful": POSTS,
    "/api/v1/posts/:id/revisions": POSTS,
    "/api/v1/posts/:id/revisions/:rev": [({"id": p["id"], "rev": 1}, w) for p, w in POSTS],
    "/api/v1/posts/:id/diff": [(dict(p, _query="?from=1&to=2"), w) for p, w in POSTS],
    "/api/v1/posts/:id/replies": POSTS,
    "/api/v1/replies/:id": REPLIES,
    "/api/v1/posts/:id/reports": POSTS,
    "/api/v1/replies/:id/reports": REPLIES,
    "/api/v1/posts/:id/hide": POSTS,
    "/api/v1/posts/:id/restore": POSTS,
    "/api/v1/replies/:id/hide": REPLIES,
    "/api/v1/replies/:id/restore": REPLIES,
    "/api/v1/moderation/reports/:id/dismiss": [({"id": "report"}, None)],
    "/api/v1/documents/:id": DOCS,
    "/api/v1/documents/:id/file": DOCS,
    "/api/v1/documents/:id/thumbnail": [({"id": "d_secret"}, "member")],
    "/api/v1/documents/:id/versions": DOCS,
    "/api/v1/documents/:id/versions/:n/file": [({"id": "d_secret", "n": 1}, "member"),
                                               ({"id": "d_secret", "n": 2}, "member"),
                                               ({"id": "d_private", "n": 1}, "author")],
    "/api/v1/documents/:id/useful": DOCS,
    "/api/v1/documents/:id/comments": DOCS,
    "/api/v1/document-comments/:id": [({"id": "c_secret"}, None)],
    "/api/v1/groups/:id/documents": SECRET,
    "/api/v1/users/:id/documents": PENDING + [({"id": "author"}, "author")],
    "/api/v1/groups/:id/rooms": SECRET,
    "/api/v1/rooms/:id": ROOMS,
    "/api/v1/rooms/:id/messages": ROOMS,
    "/api/v1/rooms/:id/read": ROOMS,
    "/api/v1/rooms/:id/events": ROOMS,
    "/api/v1/users/:id/block": PENDING,
    "/api/v1/notifications/:id/read": [({"id": "notif"}, None)],

    "/static/:name": NOT_AN_ID,
    # A school of the directory is open data, answered to anyone: no item to
    # hide. What a school's page must hide (members who do not show it, secret
    # groups) is checked by test_schools.py.
    "/api/v1/schools/:uai": NOT_AN_ID,
    "/schools/:uai": NOT_AN_ID,
    # The thirty academies are public places named by a slug: no item to
    # hide. What an academy's page must hide (members-only and hidden records,
    # advisers and groups from visitors, secret groups) is checked by
    # test_academies.py.
    "/api/v1/academies/:slug": NOT_AN_ID,
    "/academies/:slug": NOT_AN_ID,
    "/me/sessions/:id/end": [({"id": "session"}, None)],
    "/users/:id": PENDING,
    "/users/:id/avatar": PENDING,
    "/groups/:id/room": SECRET,
    "/groups/:id/rooms/new": SECRET,
    "/rooms/:id": ROOMS,
    "/rooms/:id/messages": ROOMS,
    "/rooms/:id/read": ROOMS,
    "/rooms/:id/events": ROOMS,
    "/users/:id/block": PENDING,
    "/users/:id/unblock": PENDING,
    "/contacts/:uid/request": [({"uid": "pending"}, None)],
    "/contacts/:uid/accept": [({"uid": "pending"}, None)],
    "/contacts/:uid/remove": [({"uid": "pending"}, None)],
    "/users/:id/follow": PENDING,
    "/users/:id/unfollow": PENDING,
    "/users/:id/blog.atom": PENDING + [({"id": "author"}, "author")],
    "/groups/:id": SECRET,
    "/groups/:id/feed.atom": [({"id": "secret"}, None)],
    "/groups/:id/edit": [({"id": "secret"}, "author")],
    "/groups/:id/members": SECRET + [({"id": "closed"}, "member")],
    "/groups/:id/join": SECRET,
    "/groups/:id/leave": SECRET,
    "/groups/:id/invite": SECRET,
    "/groups/:id/requests/:uid/accept": [({"id": "secret", "uid": "member"}, None)],
    "/groups/:id/requests/:uid/refuse": [({"id": "secret", "uid": "member"}, None)],
    "/groups/:id/members/:uid/role": [({"id": "secret", "uid": "member"}, None)],
    "/groups/:id/members/:uid/remove": [({"id": "secret", "uid": "member"}, None)],
    "/posts/:id": POSTS,
    "/posts/:id/edit": [(p, "author") for p, _ in POSTS],
    "/posts/:id/delete": POSTS,
    "/posts/:id/useful": POSTS,
    "/posts/:id/replies": POSTS,
    "/posts/:id/report": POSTS,
    "/posts/:id/hide": POSTS,
    "/posts/:id/restore": POSTS,
    "/posts/:id/revisions": POSTS,
    "/posts/:id/diff": [(dict(p, _query="?from=1&to=2"), w) for p, w in POSTS],
    "/replies/:id/edit": [({"id": "r_hidden"}, "author"), ({"id": "r_secret"}, "member"),
                          ({"id": "r_private"}, "author")],
    "/replies/:id/delete": REPLIES,
    "/replies/:id/report": REPLIES,
    "/replies/:id/hide": REPLIES,
    "/replies/:id/restore": REPLIES,
    "/moderation/reports/:id/dismiss": [({"id": "report"}, None)],
    "/documents/:id": DOCS,
    "/documents/:id/edit": [({"id": "d_secret"}, "author"), ({"id": "d_private"}, "author")],
    "/documents/:id/delete": DOCS,
    "/documents/:id/versions": DOCS,
    "/documents/:id/useful": DOCS,
    "/documents/:id/comments": DOCS,
    "/document-comments/:id/delete": [({"id": "c_secret"}, None)],
    "/documents/:id/file": DOCS,
    "/documents/:id/thumbnail": [({"id": "d_secret"}, "member")],
    "/documents/:id/versions/:n/file": [({"id": "d_secret", "n": 1}, "member"),
                                        ({"id": "d_private", "n": 1}, "author")],
    "/groups/:id/documents": SECRET,

    "/api/v1/events/:id": EVENTS,
    "/api/v1/events/:id/registrations": EVENTS_ORG,
    "/api/v1/events/:id/registrations/me": EVENTS,
    "/events/:id": EVENTS,
    "/events/:id/edit": EVENTS_ORG,
    "/events/:id/delete": EVENTS,
    "/events/:id/register": EVENTS,
    "/events/:id/cancel": EVENTS,
    "/events/:id.ics": EVENTS,
    "/events/:id/registrations.csv": EVENTS_ORG,
    "/api/v1/calls/:id": CALLS,
    "/api/v1/calls/:id/proposals": CALLS,
    "/api/v1/calls/:id/reviewers": CALLS,
    "/api/v1/calls/:id/reviewers/:uid": [({"id": "call_secret", "uid": "member"}, None)],
    "/api/v1/calls/:id/assignments": CALLS,
    "/api/v1/calls/:id/dashboard": CALLS,
    "/api/v1/proposals/:id": PROPS,
    "/api/v1/proposals/:id/submit": PROPS,
    "/api/v1/proposals/:id/withdraw": PROPS,
    "/api/v1/proposals/:id/reviews": PROPS,
    "/api/v1/proposals/:id/decision": PROPS,
    "/api/v1/proposals/:id/publish": PROPS,
    "/api/v1/proposals/:id/votes": PROPS,
    "/api/v1/proposals/:id/assignments": PROPS,
    "/api/v1/proposals/:id/assignments/:uid": [({"id": "prop_public", "uid": "member"}, None)],
    "/calls/:id": CALLS,
    "/calls/:id/dashboard": CALLS,
    "/calls/:id/edit": CALLS,
    "/calls/:id/proposals": CALLS,
    "/calls/:id/proposals.csv": CALLS,
    "/calls/:id/proposals/new": CALLS,
    "/calls/:id/reviewers": CALLS,
    "/calls/:id/assignments": CALLS,
    "/proposals/:id": PROPS,
    "/proposals/:id/edit": PROPS,
    "/proposals/:id/submit": PROPS,
    "/proposals/:id/withdraw": PROPS,
    "/proposals/:id/review": PROPS,
    "/proposals/:id/decision": PROPS,
    "/proposals/:id/publish": PROPS,
    "/proposals/:id/vote": PROPS,
    "/proposals/:id/assign": PROPS,
    "/api/v1/innovations/:id": INNOS,
    "/api/v1/innovations/:id/revisions": INNOS,
    "/api/v1/innovations/:id/diff": [(dict(p, _query="?from=1&to=2"), w) for p, w in INNOS],
    "/api/v1/innovations/:id/follow": INNOS,
    "/api/v1/innovations/:id/useful": INNOS,
    "/api/v1/innovations/:id/messages": INNOS,
    "/innovations/:id": INNOS,
    "/innovations/:id/edit": INNOS,
    "/innovations/:id/delete": INNOS,
    "/innovations/:id/follow": INNOS,
    "/innovations/:id/useful": INNOS,
    "/innovations/:id/support": INNOS,
    "/innovations/:id/message": INNOS,
    "/innovations/:id/revisions": INNOS,
    "/innovations/:id/diff": [(dict(p, _query="?from=1&to=2"), w) for p, w in INNOS],

    # the operators' console: 404 to anyone but an admin (test_admin_console.py)
    "/api/v1/admin/members/:id": [({"id": "member"}, "admin")],
    "/api/v1/admin/members/:id/suspend": [({"id": "member"}, None)],
    "/api/v1/admin/members/:id/reactivate": [({"id": "member"}, None)],
    "/api/v1/admin/members/:id/role": [({"id": "member"}, None)],
    "/api/v1/admin/posts/:id": [({"id": "p_hidden"}, None)],
    "/admin/members/:id": [({"id": "member"}, "admin")],
    "/admin/members/:id/suspend": [({"id": "member"}, None)],
    "/admin/members/:id/reactivate": [({"id": "member"}, None)],
    "/admin/members/:id/role": [({"id": "member"}, None)],
    "/admin/posts/:id/flags": [({"id": "p_hidden"}, None)],
    # the operators' statistics: a metric's name, not an id (test_stats.py: 404 to all but admins)
    "/api/v1/admin/stats/:metric": NOT_AN_ID,
    "/admin/stats/:metric": NOT_AN_ID,
}

STREAMS = ("/events",)   # routes answering an endless stream: read the status line only
PARAM = re.compile(r":([a-z_]+)|\{([a-z_]+)(?::[a-z]+)?\}")


def routes(srv):
    """[(methods, pattern in ':name' syntax, who, csrf, body)] from `respire routes`."""
    out = subprocess.run([srv.bin, "routes"], capture_output=True, text=True, env=srv.env, timeout=30)
    assert out.returncode == 0, out.stderr
    rows = []
    for line in out.stdout.splitlines():
        methods, pattern, who, csrf, body = line.split("\t")
        norm = PARAM.sub(lambda m: ":" + (m.group(1) or m.group(2)), pattern)
        rows.append((methods.split("|"), norm, who, csrf == "1", body))
    assert len(rows) > 100, "respire routes printed %d routes" % len(rows)
    return rows


def fill(pattern, values):
    def one(m):
        name = m.group(1)
        v = values[name]
        v = W[v] if isinstance(v, str) else v
        return str(v)
    return re.sub(r":([a-z_]+)", one, pattern) + values.get("_query", "")


def stream_status(srv, path, token=None, cookies=None):
    """The status of a streaming GET, from its first line (the body never ends)."""
    s = socket.create_connection((srv.host, srv.port), timeout=8)
    try:
        h = "GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n" % path
        if token:
            h += "Authorization: Bearer %s\r\n" % token
        if cookies:
            h += "Cookie: %s\r\n" % "; ".join("%s=%s" % kv for kv in cookies.items())
        s.sendall((h + "\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            c = s.recv(4096)
            if not c:
                break
            data += c
        head, _, rest = data.partition(b"\r\n\r\n")
        return int(head.split()[1]), rest
    finally:
        s.close()


JSON_BODY = {"body": "x", "title": "x", "note": "x", "reason": "spam", "role": "member", "name": "x",
             "user_id": None, "description": "x"}
FORM_BODY = {"body": "x", "title": "x", "note": "x", "reason": "spam", "role": "member", "name": "x",
             "description": "x", "email": "idr.nobody@ac-nice.fr", "who": "idr.nobody@ac-nice.fr"}


def send(srv, who, method, path, body_kind, web):
    """One request by `who` (None: a visitor) on an API or page path; returns (status, body bytes)."""
    is_api = path.startswith("/api/v1/")
    stream = path.endswith(STREAMS)
    if is_api:
        token = W.get("t" + who) if who else None
        if stream and method == "GET":
            return stream_status(srv, path, token=token)
        h = {"Authorization": "Bearer " + token} if token else {}
        data = None
        if body_kind == "json" and method not in ("GET", "HEAD", "DELETE"):
            b = dict(JSON_BODY, user_ids=[W["outsider"]], user_id=W["outsider"])
            data = json.dumps(b).encode()
            h["Content-Type"] = "application/json"
        elif body_kind in ("upload", "form") and method not in ("GET", "HEAD", "DELETE"):
            data, ctype = multipart({"note": "x", "title": "x"}, [("file", ("x.txt", b"x", "text/plain"))])
            h["Content-Type"] = ctype
        r = srv.request(method, path, data, h)
        return r.status, r.body
    client = W[who + "_web"] if who else srv.web()
    if stream and method == "GET":
        return stream_status(srv, path, cookies=client.cookies)
    if method in ("GET", "HEAD"):
        r = srv.request(method, path, None, client._headers())
        return r.status, r.body
    if body_kind == "upload":
        r = client.post_multipart(path, {"note": "x", "title": "x"}, [("file", ("x.txt", b"x", "text/plain"))])
    else:
        r = client.post(path, dict(FORM_BODY))
    return r.status, r.body


def leaks(body):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [m for m in MARKS if m in text]


def order(methods):
    """GET and HEAD first, then the rest; DELETE last."""
    rank = {"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "PATCH": 4, "DELETE": 5}
    return sorted(methods, key=lambda m: rank.get(m, 9))


def test_every_id_route_is_filled(srv):
    missing = []
    for methods, pattern, who, csrf, body in routes(srv):
        if PARAM.search(pattern) and pattern not in FILLS:
            missing.append(pattern)
    assert not missing, "routes with a parameter this test does not know how to fill (add them to FILLS): %s" % missing


def test_outsider_and_visitor_get_nothing(srv):
    problems = []
    rows = [r for r in routes(srv) if PARAM.search(r[1]) and FILLS.get(r[1]) not in (None, NOT_AN_ID)]
    # reads first (state-changing requests might otherwise change what reads see)
    for phase in ("read", "write"):
        for methods, pattern, who, csrf, body in rows:
            for values, seer in FILLS[pattern]:
                path = fill(pattern, values)
                extra = ["HEAD"] if "GET" in methods and "HEAD" not in methods and not path.endswith(STREAMS) else []
                for method in order(methods + extra):
                    if (method in ("GET", "HEAD")) != (phase == "read"):
                        continue
                    admin = "admin" if values.get("id") in ADMIN_REFUSED else None
                    for viewer in ("outsider", None, admin):
                        if viewer is None and method not in ("GET", "HEAD"):
                            continue
                        if viewer == "admin" and method not in ("GET", "HEAD"):
                            continue       # admins may moderate what was reported to them
                        st, b = send(srv, viewer, method, path, body, None)
                        ok = st == 404 or (viewer is None and who == "member" and
                                           (st == 401 or (st == 303 and not path.startswith("/api/"))))
                        if values.get("id") == "author" and st == 200:
                            ok = True      # a visible container: only its contents are checked
                        found = leaks(b) if method != "HEAD" else []
                        if not ok or found:
                            problems.append("%s %s (%s, %s) as %s: %s%s" % (
                                method, path, pattern, "/".join("%s=%s" % kv for kv in values.items()),
                                viewer or "visitor", st, " leaks %s" % found if found else ""))
    assert not problems, "%d leak(s):\n  " % len(problems) + "\n  ".join(problems)


def test_those_who_may_see_get_200(srv):
    problems = []
    for methods, pattern, who, csrf, body in routes(srv):
        fills = FILLS.get(pattern)
        if not PARAM.search(pattern) or fills in (None, NOT_AN_ID) or "GET" not in methods:
            continue
        for values, seer in fills:
            if seer is None:
                continue
            path = fill(pattern, values)
            st, b = send(srv, seer, "GET", path, body, None)
            if pattern == "/groups/:id/room" and st == 303:
                continue           # the group's main room: a redirect to /rooms/N
            if st != 200:
                problems.append("GET %s as %s: %s %s" % (path, seer, st, b[:200]))
    assert not problems, "\n  ".join(problems)


def test_the_items_are_unchanged(srv):
    """After every refused request, the author still finds everything as it was."""
    for k in ("p_private", "p_contacts", "p_secret", "p_closed", "p_hidden"):
        r = api(srv, "author", "GET", "/posts/%s" % W[k], want=200).json()
        assert r["title"].startswith("Sujet " + MARK), r
    members = api(srv, "author", "GET", "/groups/%s/members" % W["secret"], want=200).json()["items"]
    ids = sorted(m["user"]["id"] if "user" in m else m["id"] for m in members)
    assert ids == sorted([W["author"], W["member"]]), ids
    assert api(srv, "author", "GET", "/documents/%s" % W["d_secret"], want=200).json()["title"].startswith("Doc ")
    assert api(srv, "member", "GET", "/rooms/%s/messages" % W["room"], want=200).json()["items"]
    assert api(srv, "outsider", "GET", "/me", want=200).status == 200
    assert api(srv, "author", "GET", "/innovations/%s" % W["i_hidden"], want=200).json()["title"].startswith("Fiche ")
    # the author's other session still works
    assert srv.api("GET", "/me", token=W["tauthor2"]).status == 200


def test_no_list_or_page_quotes_an_item(srv):
    """Every GET route without a parameter (lists, search, feed, notifications,
    home...), as the outsider and as a visitor, with ?q= the marks' common
    prefix: no page or list quotes an item they may not see."""
    problems = []
    for methods, pattern, who, csrf, body in routes(srv):
        if PARAM.search(pattern) or "GET" not in methods or pattern.endswith(STREAMS):
            continue
        queries = ["", "?q=" + MARK, "?q=" + MARK + "&type=reply",
                   "?group=%d&group_id=%d" % (W["secret"], W["secret"]),
                   "?q=%s&group_id=%d&author_id=%d" % (MARK, W["secret"], W["author"]),
                   "?author=%d&author_id=%d" % (W["author"], W["author"])]
        for q in queries:
            for viewer in ("outsider", None):
                st, b = send(srv, viewer, "GET", pattern + q, "none", None)
                found = leaks(b)
                if found or st >= 500:
                    problems.append("GET %s%s as %s: %s%s" % (pattern, q, viewer or "visitor", st,
                                                            " leaks %s" % found if found else ""))
    assert not problems, "\n  ".join(problems)


def test_search_finds_the_items_for_those_who_may_see_them(srv):
    """The check above means something: the same search finds them for their author."""
    r = api(srv, "author", "GET", "/search?q=" + MARK, want=200).json()
    types = {x["type"] for x in r["items"]}
    assert {"post", "document"} <= types, r
