"""Three-way access: an author, a group member, an outsider (and someone who
left) each see exactly what the rules say, on the API, the pages, search,
the feed and the notification list.

Rooms: a closed group's room is read by its current members; an outsider and
a member who left get 404 (messages, the room page, the live stream), and a
mention there stops showing once its member left.

Hidden replies: the reply's author sees it (marked hidden), a moderator of
the group sees it, a plain member and an outsider do not (thread, page,
search, feed, notifications). A member who left the group no longer sees
the group's posts or their replies, not even their own.
"""
import socket
import time

from lib import wait_until

S = {}
MARK_ROOM = "Zqxsalon"
MARK_HIDDEN = "Zqxcachee"
MARK_LEFT = "Zqxquitte"


def api(srv, who, method, path, body=None, want=None):
    r = srv.api(method, path, body, token=S["t" + who] if who else None)
    if want is not None:
        assert r.status == want, (who, method, path, body, r)
    return r


def page(srv, who, path):
    return S["w" + who].get(path)


def stream_status(srv, who, path):
    s = socket.create_connection((srv.host, srv.port), timeout=8)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n"
                   % (path, S["t" + who])).encode())
        data = b""
        while b"\r\n" not in data:
            c = s.recv(4096)
            if not c:
                break
            data += c
        return int(data.split()[1])
    finally:
        s.close()


def search_ids(srv, who, q, kind):
    r = api(srv, who, "GET", "/search?q=%s" % q, want=200).json()
    return {x["id"] for x in r["items"] if x["type"] == kind}


def search_page(srv, who, q):
    """The search page (it repeats the query: look for the hit's link, not the words)."""
    return page(srv, who, "/search?q=%s" % q).text


def feed_text(srv, who):
    return api(srv, who, "GET", "/feed", want=200).text + page(srv, who, "/feed").text


def notifications(srv, who):
    return api(srv, who, "GET", "/notifications", want=200).json()["items"]


def test_setup(srv):
    for k, name in [("owner", "Olga Proprio"), ("mod", "Marc Moderateur"), ("author", "Alice Autrice"),
                    ("member", "Bruno Membre"), ("outsider", "Chloe Dehors"), ("leaver", "Denis Partant")]:
        S[k], S["t" + k] = srv.member("tw.%s@ac-rennes.fr" % k, name)
        S["w" + k] = srv.web()
        S["w" + k].login("tw.%s@ac-rennes.fr" % k)
    for k in ("owner", "mod", "author", "member", "outsider", "leaver"):
        S["h" + k] = api(srv, "owner" if k != "owner" else "mod", "GET", "/users/%s" % S[k], want=200).json()["handle"]
    g = api(srv, "owner", "POST", "/groups", {"name": "Salle des profs", "description": "d", "kind": "practice",
                                              "visibility": "closed"}, want=201).json()["id"]
    S["g"] = g
    for k in ("mod", "author", "member", "leaver"):
        api(srv, k, "POST", "/groups/%s/join" % g, want=202)
        api(srv, "owner", "POST", "/groups/%s/requests/%s/accept" % (g, S[k]), want=200)
    api(srv, "owner", "PUT", "/groups/%s/members/%s" % (g, S["mod"]), {"role": "moderator"}, want=200)
    S["room"] = api(srv, "author", "GET", "/groups/%s/rooms" % g, want=200).json()["items"][0]["id"]


# ---- rooms ---------------------------------------------------------------------

def test_room_three_ways(srv):
    room = S["room"]
    body = "%s bonjour @%s @%s @%s" % (MARK_ROOM, S["hmember"], S["houtsider"], S["hleaver"])
    mid = api(srv, "author", "POST", "/rooms/%s/messages" % room, {"body": body}, want=201).json()["id"]
    # before leaving, the leaver reads it and was mentioned
    assert any(n.get("room_id") == room for n in notifications(srv, "leaver"))
    api(srv, "leaver", "POST", "/groups/%s/leave" % S["g"], want=200)
    for who, sees in [("author", True), ("member", True), ("outsider", False), ("leaver", False)]:
        r = api(srv, who, "GET", "/rooms/%s/messages" % room)
        if sees:
            assert r.status == 200 and mid in [m["id"] for m in r.json()["items"]], (who, r)
        else:
            assert r.status == 404 and MARK_ROOM not in r.text, (who, r)
        assert api(srv, who, "GET", "/rooms/%s" % room).status == (200 if sees else 404), who
        p = page(srv, who, "/rooms/%s" % room)
        assert p.status == (200 if sees else 404), (who, p.status)
        assert (MARK_ROOM in p.text) == sees, who
        assert stream_status(srv, who, "/api/v1/rooms/%s/events" % room) == (200 if sees else 404), who
        # posting and read marks too
        r = api(srv, who, "POST", "/rooms/%s/read" % room, {"message_id": mid})
        assert (r.status == 404) != sees, (who, r)
        # the room is among one's rooms only when readable
        mine = [x["id"] for x in api(srv, who, "GET", "/rooms", want=200).json()["items"]]
        assert (room in mine) == sees, (who, mine)
        # a message is no search hit, no feed item, for anyone who may not read it
        assert MARK_ROOM not in api(srv, who, "GET", "/search?q=%s" % MARK_ROOM, want=200).text or sees, who
        if not sees:
            assert MARK_ROOM not in feed_text(srv, who), who
        # mentions: the member's shows; the outsider was never told; the leaver's is gone
        notes = [n for n in notifications(srv, who) if n.get("room_id") == room]
        if who == "member":
            assert notes, who
        if who in ("outsider", "leaver"):
            assert not notes, (who, notes)
            assert MARK_ROOM not in page(srv, who, "/notifications").text, who
    # the leaver cannot write there either
    assert api(srv, "leaver", "POST", "/rooms/%s/messages" % room, {"body": "encore"}).status == 404


def test_private_conversation_three_ways(srv):
    r = api(srv, "author", "POST", "/conversations", {"user_ids": [S["member"]], "body": MARK_ROOM + " prive"})
    assert r.status in (200, 201), r
    conv = r.json()["id"]
    for who, sees in [("author", True), ("member", True), ("outsider", False), ("owner", False), ("mod", False)]:
        r = api(srv, who, "GET", "/rooms/%s/messages" % conv)
        assert r.status == (200 if sees else 404), (who, r)
        assert page(srv, who, "/rooms/%s" % conv).status == (200 if sees else 404), who


# ---- hidden replies ------------------------------------------------------------

def test_hidden_reply_three_ways(srv):
    g = S["g"]
    pid = api(srv, "owner", "POST", "/posts", {"kind": "discussion", "title": "Fil du groupe",
                                               "body": "Ouvert aux membres", "visibility": "group",
                                               "group_id": g}, want=201).json()["id"]
    rid = api(srv, "author", "POST", "/posts/%s/replies" % pid,
              {"body": "%s reponse @%s" % (MARK_HIDDEN, S["hmember"])}, want=201).json()["id"]
    assert any(n.get("reply_id") == rid for n in notifications(srv, "member"))
    api(srv, "mod", "POST", "/replies/%s/hide" % rid, {"note": "hors sujet"}, want=200)
    S["pid"], S["rid"] = pid, rid
    # API thread: author (marked hidden) and moderator yes; member no; outsider: no thread at all
    for who, sees in [("author", True), ("mod", True), ("owner", True), ("member", False)]:
        items = api(srv, who, "GET", "/posts/%s/replies" % pid, want=200).json()["items"]
        got = [x for x in items if x["id"] == rid]
        assert bool(got) == sees, (who, items)
        if sees:
            assert got[0]["hidden"] is True, got
    assert api(srv, "outsider", "GET", "/posts/%s/replies" % pid).status == 404
    assert api(srv, "outsider", "GET", "/posts/%s" % pid).status == 404
    # pages
    for who, sees in [("author", True), ("mod", True), ("member", False)]:
        p = page(srv, who, "/posts/%s" % pid)
        assert p.status == 200 and (MARK_HIDDEN in p.text) == sees, who
        if sees:
            assert "hidden-item" in p.text, who
        e = page(srv, who, "/replies/%s/edit" % rid)
        assert e.status == (200 if sees else 404), (who, e.status)
    # nor quoted in the reply form
    p = page(srv, "member", "/posts/%s?quote=%s" % (pid, rid))
    assert p.status == 200 and MARK_HIDDEN not in p.text
    r = api(srv, "member", "POST", "/posts/%s/replies" % pid, {"body": "je cite", "quote_id": rid})
    assert r.status in (400, 422) and MARK_HIDDEN not in r.text, r
    p = page(srv, "outsider", "/posts/%s" % pid)
    assert p.status == 404 and MARK_HIDDEN not in p.text
    assert page(srv, "outsider", "/replies/%s/edit" % rid).status == 404
    # search: the reply is a hit for those who may read it only
    for who, sees in [("author", True), ("mod", True), ("member", False), ("outsider", False)]:
        assert (rid in search_ids(srv, who, MARK_HIDDEN, "reply")) == sees, who
        if not sees:
            assert "/posts/%s" % pid not in search_page(srv, who, MARK_HIDDEN), who
    # feed: never for the member and the outsider
    for who in ("member", "outsider"):
        assert MARK_HIDDEN not in feed_text(srv, who), who
    # notifications: the member's mention went with the reply
    for who in ("member", "outsider"):
        assert not [n for n in notifications(srv, who) if n.get("reply_id") == rid], who
        assert MARK_HIDDEN not in page(srv, who, "/notifications").text, who
    # a plain member cannot act on it: not found
    assert api(srv, "member", "PATCH", "/replies/%s" % rid, {"body": "x"}).status == 404
    assert api(srv, "member", "POST", "/replies/%s/restore" % rid, {"note": "x"}).status == 404
    assert api(srv, "outsider", "DELETE", "/replies/%s" % rid).status == 404
    # restored, the member sees it again
    api(srv, "mod", "POST", "/replies/%s/restore" % rid, {"note": "ok"}, want=200)
    items = api(srv, "member", "GET", "/posts/%s/replies" % pid, want=200).json()["items"]
    assert rid in [x["id"] for x in items]
    api(srv, "mod", "POST", "/replies/%s/hide" % rid, {"note": "de nouveau"}, want=200)


def test_who_left_sees_no_reply_of_the_group(srv):
    g = S["g2"] = api(srv, "owner", "POST", "/groups", {"name": "Atelier", "description": "d", "kind": "practice",
                                                        "visibility": "closed"}, want=201).json()["id"]
    for k in ("author", "member"):
        api(srv, k, "POST", "/groups/%s/join" % g, want=202)
        api(srv, "owner", "POST", "/groups/%s/requests/%s/accept" % (g, S[k]), want=200)
    # the member's own post and reply, the author's reply (which notifies the member)
    pid = api(srv, "member", "POST", "/posts", {"kind": "discussion", "title": "Mon sujet " + MARK_LEFT,
                                                "body": "Texte " + MARK_LEFT, "visibility": "group",
                                                "group_id": g}, want=201).json()["id"]
    own = api(srv, "member", "POST", "/posts/%s/replies" % pid, {"body": MARK_LEFT + " ma reponse"},
              want=201).json()["id"]
    other = api(srv, "author", "POST", "/posts/%s/replies" % pid, {"body": MARK_LEFT + " sa reponse"},
                want=201).json()["id"]
    assert any(n.get("reply_id") == other for n in notifications(srv, "member"))
    assert own in search_ids(srv, "member", MARK_LEFT, "reply")
    api(srv, "member", "POST", "/groups/%s/leave" % g, want=200)
    # the one who left: nothing, own post and reply included
    assert api(srv, "member", "GET", "/posts/%s" % pid).status == 404
    assert api(srv, "member", "GET", "/posts/%s/replies" % pid).status == 404
    assert api(srv, "member", "PATCH", "/replies/%s" % own, {"body": "x"}).status == 404
    assert page(srv, "member", "/posts/%s" % pid).status == 404
    assert page(srv, "member", "/replies/%s/edit" % own).status == 404
    assert not search_ids(srv, "member", MARK_LEFT, "reply") and not search_ids(srv, "member", MARK_LEFT, "post")
    assert "/posts/%s" % pid not in search_page(srv, "member", MARK_LEFT)
    assert MARK_LEFT not in feed_text(srv, "member")
    assert not [n for n in notifications(srv, "member") if n.get("post_id") == pid]
    assert MARK_LEFT not in page(srv, "member", "/notifications").text
    assert MARK_LEFT not in api(srv, "member", "GET", "/me/discussions", want=200).text
    # the author still a member: everything
    items = api(srv, "author", "GET", "/posts/%s/replies" % pid, want=200).json()["items"]
    assert {own, other} <= {x["id"] for x in items}
    assert {own, other} <= search_ids(srv, "author", MARK_LEFT, "reply")
    # an outsider: nothing
    assert api(srv, "outsider", "GET", "/posts/%s/replies" % pid).status == 404
    assert not search_ids(srv, "outsider", MARK_LEFT, "reply")
