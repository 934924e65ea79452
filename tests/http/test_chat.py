"""Live exchange: group rooms and private conversations, live through
Server-Sent Events (catch-up with Last-Event-ID, access, the end of a stream
when a member leaves), read marks and unread counts, presence, blocks,
flood limits, many streams at once, the pages."""
import json
import re
import socket
import threading
import time

from lib import wait_until

S = {}


class Stream:
    """A raw SSE connection to a path, collecting what arrives."""

    def __init__(self, srv, token, path, last_id=None):
        self.sock = socket.create_connection((srv.host, srv.port), timeout=15)
        h = f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer {token}\r\n"
        if last_id is not None:
            h += f"Last-Event-ID: {last_id}\r\n"
        self.sock.sendall((h + "\r\n").encode())
        self.data = b""
        self.ended = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                c = self.sock.recv(65536)
            except OSError:
                break
            if not c:
                break
            with self.lock:
                self.data += c
        self.ended = True

    def wait_for(self, needle, timeout=8):
        return wait_until(lambda: needle.encode() in self.snapshot(), timeout=timeout)

    def snapshot(self):
        with self.lock:
            return self.data

    def status(self):
        assert wait_until(lambda: b"\r\n" in self.snapshot(), timeout=5), "no status line"
        line = self.snapshot().split(b"\r\n", 1)[0].split()
        return int(line[1]) if len(line) > 1 else None

    def messages(self):
        """The ids of 'message' events received, in order."""
        return [int(x) for x in re.findall(rb"id: (\d+)\nevent: message\n", self.snapshot())]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# The error code of a status when a call does not name another one.
CODES = {400: "invalid_parameter", 401: "unauthorized", 403: "forbidden", 404: "not_found", 422: "invalid_field"}


def api(srv, who, method, path, body=None, want=None, code=None):
    """An API call by member `who`; with want, asserts the status (and for an error its code)."""
    r = srv.api(method, path, body, token=S["t" + who] if who else None)
    if want is not None:
        assert r.status == want, (method, path, body, r)
        if want >= 400:
            assert r.json()["error"]["code"] == (code or CODES[want]), (method, path, body, r)
    return r


def test_setup(srv):
    for k, email, name in [("a", "chat.anne@ac-caen.fr", "Anne Salon"), ("b", "chat.bruno@ac-caen.fr", "Bruno Salon"),
                           ("c", "chat.chloe@ac-caen.fr", "Chloé Dehors"), ("d", "chat.david@ac-caen.fr", "David Contact")]:
        S[k], S["t" + k] = srv.member(email, name)
    for k in "abcd":
        S["h" + k] = api(srv, "b" if k == "a" else "a", "GET", f"/users/{S[k]}", want=200).json()["handle"]
        assert S["h" + k], k
    g = api(srv, "a", "POST", "/groups", {"name": "Salon fermé", "kind": "practice", "visibility": "closed"},
            want=201).json()["id"]
    api(srv, "b", "POST", f"/groups/{g}/join", want=202)
    api(srv, "a", "POST", f"/groups/{g}/requests/{S['b']}/accept", want=200)
    S["g"] = g
    rooms = api(srv, "a", "GET", f"/groups/{g}/rooms", want=200).json()["items"]
    assert len(rooms) == 1 and rooms[0]["is_main"] and rooms[0]["group"]["id"] == g
    S["room"] = rooms[0]["id"]
    # d is a's contact (for conversations)
    api(srv, "a", "POST", "/contacts", {"user_id": S["d"]}, want=201)
    api(srv, "d", "POST", f"/contacts/{S['a']}/accept", want=200)


def test_two_members_exchange_live(srv):
    room = S["room"]
    sa = Stream(srv, S["ta"], f"/api/v1/rooms/{room}/events")
    sb = Stream(srv, S["tb"], f"/api/v1/rooms/{room}/events")
    assert sa.status() == 200 and sb.status() == 200
    assert sa.wait_for("event: presence")
    m1 = api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "Bonjour **Bruno**"}, want=201).json()
    assert m1["body_html"] == "<p>Bonjour <strong>Bruno</strong></p>\n" and m1["author"]["id"] == S["a"]
    assert sb.wait_for('"body":"Bonjour **Bruno**"') and sa.wait_for(f"id: {m1['id']}\n")
    m2 = api(srv, "b", "POST", f"/rooms/{room}/messages", {"body": "Bonjour Anne"}, want=201).json()
    # both streams get it (each at its own pace: wait for both)
    assert sa.wait_for('"body":"Bonjour Anne"') and sb.wait_for(f"id: {m2['id']}\n")
    assert sa.messages() == [m1["id"], m2["id"]] and sb.messages() == [m1["id"], m2["id"]]
    # who is online: both, while their streams are open
    online = {p["id"] for p in api(srv, "a", "GET", f"/rooms/{room}", want=200).json()["online"]}
    assert online == {S["a"], S["b"]}, online
    sa.close()
    sb.close()
    S["m2"] = m2["id"]


def test_reconnecting_with_last_event_id_gets_exactly_what_was_missed(srv):
    room = S["room"]
    seen = S["m2"]
    missed = [api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": f"Pendant ton absence {i}"},
                  want=201).json()["id"] for i in range(5)]
    s = Stream(srv, S["tb"], f"/api/v1/rooms/{room}/events", last_id=seen)
    assert wait_until(lambda: len(s.messages()) >= 5, timeout=8), s.snapshot()
    time.sleep(0.3)
    assert s.messages() == missed, (s.messages(), missed)
    s.close()
    # ?after= does the same for a page that loaded up to a message
    s = Stream(srv, S["tb"], f"/api/v1/rooms/{room}/events?after={missed[2]}")
    assert wait_until(lambda: len(s.messages()) >= 2, timeout=8)
    assert s.messages() == missed[3:]
    s.close()


def test_history_pages_and_unread_counts(srv):
    room = S["room"]
    page = api(srv, "b", "GET", f"/rooms/{room}/messages?limit=3", want=200).json()
    assert len(page["items"]) == 3 and page["next"]
    ids = [m["id"] for m in page["items"]]
    assert ids == sorted(ids)
    older = api(srv, "b", "GET", f"/rooms/{room}/messages?limit=3&before={page['next']}", want=200).json()
    assert [m["id"] for m in older["items"]] and max(m["id"] for m in older["items"]) < min(ids)
    # b has not read a's last five messages
    assert api(srv, "b", "GET", f"/rooms/{room}", want=200).json()["unread"] == 5
    assert api(srv, "b", "GET", "/me/unread", want=200).json()["messages"] == 5
    api(srv, "b", "POST", f"/rooms/{room}/read", {"message_id": ids[-2]}, want=200)
    assert api(srv, "b", "GET", f"/rooms/{room}", want=200).json()["unread"] == 1
    api(srv, "b", "POST", f"/rooms/{room}/read", {}, want=200)
    assert api(srv, "b", "GET", "/me/unread", want=200).json()["messages"] == 0
    # one's own messages are never unread
    assert api(srv, "a", "GET", f"/rooms/{room}", want=200).json()["unread"] == 0
    # the header's count follows live on the member's own stream
    s = Stream(srv, S["tb"], "/api/v1/events")
    assert s.wait_for('event: messages\ndata: {"unread":0}')
    api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "Un de plus"}, want=201)
    assert s.wait_for('event: messages\ndata: {"unread":1}')
    s.close()
    api(srv, "b", "POST", f"/rooms/{room}/read", {}, want=200)


def test_a_closed_groups_room_is_its_members_only(srv):
    room = S["room"]
    for path in (f"/rooms/{room}", f"/rooms/{room}/messages", f"/groups/{S['g']}/rooms"):
        api(srv, "c", "GET", path, want=404)
    api(srv, "c", "POST", f"/rooms/{room}/messages", {"body": "Je m'invite"}, want=404)
    api(srv, "c", "POST", f"/rooms/{room}/read", {}, want=404)
    s = Stream(srv, S["tc"], f"/api/v1/rooms/{room}/events")
    assert s.status() == 404
    s.close()
    assert srv.request("GET", f"/api/v1/rooms/{room}/events").status == 401
    api(srv, "c", "GET", "/rooms/999999", want=404)
    assert all(x["id"] != room for x in api(srv, "c", "GET", "/rooms", want=200).json()["items"])
    # a visitor's page: to the login; another member's page: 404
    w = srv.web()
    w.login("chat.chloe@ac-caen.fr")
    assert w.get(f"/rooms/{room}").status == 404 and w.get(f"/rooms/{room}/events").status == 404
    assert w.get(f"/groups/{S['g']}/room").status == 404


def test_leaving_the_group_ends_the_stream_at_once(srv):
    room = S["room"]
    s = Stream(srv, S["tb"], f"/api/v1/rooms/{room}/events")
    assert s.wait_for("event: presence")
    api(srv, "b", "POST", f"/groups/{S['g']}/leave", want=200)
    assert s.wait_for("event: closed", timeout=5), s.snapshot()
    assert s.wait_for("\r\n0\r\n\r\n", timeout=5), "the response ends (its last chunk)"
    api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "Après ton départ"}, want=201)
    api(srv, "b", "GET", f"/rooms/{room}/messages", want=404)
    api(srv, "b", "POST", f"/rooms/{room}/messages", {"body": "Encore là ?"}, want=404)
    assert api(srv, "b", "GET", "/me/unread", want=200).json()["messages"] == 0
    # back in the group
    api(srv, "a", "POST", f"/groups/{S['g']}/invitations", {"user_id": S["b"]}, want=201)
    api(srv, "b", "POST", f"/groups/{S['g']}/join", want=200)


def test_more_rooms_by_moderators(srv):
    r = api(srv, "b", "POST", f"/groups/{S['g']}/rooms", {"name": "Projet"}, want=403, code="not_moderator")
    assert r.json()["error"]["code"] == "not_moderator"
    api(srv, "a", "POST", f"/groups/{S['g']}/rooms", {"name": "  "}, want=422)
    api(srv, "a", "POST", f"/groups/{S['g']}/rooms", {"name": "x" * 81}, want=422)
    api(srv, "c", "POST", f"/groups/{S['g']}/rooms", {"name": "Intrus"}, want=404)
    room = api(srv, "a", "POST", f"/groups/{S['g']}/rooms", {"name": "Projet <b>fiches</b>"}, want=201).json()
    assert room["name"] == "Projet <b>fiches</b>" and not room["is_main"]
    names = [x["name"] for x in api(srv, "b", "GET", f"/groups/{S['g']}/rooms", want=200).json()["items"]]
    assert names == ["", "Projet <b>fiches</b>"]
    w = srv.web()
    w.login("chat.bruno@ac-caen.fr")
    page = w.get(f"/rooms/{room['id']}").text
    assert "Projet &lt;b&gt;fiches&lt;/b&gt;" in page and "<b>fiches</b>" not in page


def test_mentions_and_documents_in_messages(srv):
    room = S["room"]
    m = api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": f"@{S['hb']} regarde ça, et @{S['hc']} aussi"},
            want=201).json()
    notes = api(srv, "b", "GET", "/notifications", want=200).json()["items"]
    assert any(n["kind"] == "mention" and n.get("room_id") == room for n in notes), notes
    notes = api(srv, "c", "GET", "/notifications", want=200).json()["items"]
    assert not any(n.get("room_id") == room for n in notes), "c is not in the room: not told"
    assert m["id"]
    # a document: shown to those who may see it
    from lib import multipart
    body, ct = multipart({"title": "Fiche du salon", "visibility": "private"}, [("file", ("f.txt", b"fiche\n", "text/plain"))])
    r = srv.api("POST", "/documents", raw=body, token=S["ta"], headers={"Content-Type": ct})
    assert r.status == 201, r
    doc = r.json()["id"]
    m = api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "La fiche", "document_id": doc}, want=201).json()
    assert m["document"]["id"] == doc
    last = api(srv, "b", "GET", f"/rooms/{room}/messages?limit=1", want=200).json()["items"][0]
    assert last["id"] == m["id"] and last["document"] is None, "b may not see a's private document"
    api(srv, "b", "POST", f"/rooms/{room}/messages", {"body": "Celle-ci", "document_id": doc}, want=422)
    api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "x", "document_id": "abc"}, want=422)


def test_bad_messages(srv):
    room = S["room"]
    for body in ({"body": ""}, {"body": "   "}, {"body": "x" * 4001}, {"body": 12}, {}, {"body": "a\x07b"}):
        r = api(srv, "a", "POST", f"/rooms/{room}/messages", body, want=422)
        assert r.json()["error"]["code"] == "invalid_field" and r.json()["error"]["field"] == "body", (body, r)
    r = srv.api("POST", f"/rooms/{room}/messages", raw=b"{nope", token=S["ta"],
                headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_json", r
    api(srv, "a", "GET", f"/rooms/{room}/messages?before=abc", want=400)
    api(srv, "a", "GET", f"/rooms/{room}/messages?limit=1000", want=400)
    api(srv, "a", "POST", f"/rooms/{room}/read", {"message_id": "x"}, want=422)


def test_a_flood_of_messages_is_refused_with_429(srv):
    api(srv, "d", "POST", "/groups/%s/join" % api(srv, "a", "POST", "/groups", {"name": "Salon ouvert",
        "kind": "resources", "visibility": "open"}, want=201).json()["id"], want=200)
    room = [x for x in api(srv, "d", "GET", "/rooms", want=200).json()["items"] if x["kind"] == "group"][0]["id"]
    codes = [api(srv, "d", "POST", f"/rooms/{room}/messages", {"body": f"flot {i}"}).status for i in range(25)]
    assert codes.count(201) == 15 and codes[15:] == [429] * 10, codes
    r = api(srv, "d", "POST", f"/rooms/{room}/messages", {"body": "encore"})
    assert r.status == 429 and r.json()["error"]["code"] == "too_many_messages" and "retry-after" in r.headers
    # a new conversation's first message is held by the same limit, and says so (never dropped silently)
    S["e"], S["te"] = srv.member("eve.flot@ac-lyon.fr", "Eve Flot")
    api(srv, "d", "POST", "/contacts", {"user_id": S["e"]}, want=201)
    api(srv, "e", "POST", f"/contacts/{S['d']}/accept", want=200)
    r = api(srv, "d", "POST", "/conversations", {"user_ids": [S["e"]], "body": "Tu es là ?"})
    assert r.status == 429 and r.json()["error"]["code"] == "too_many_messages" and "retry-after" in r.headers, r
    conv = api(srv, "e", "POST", "/conversations", {"user_ids": [S["d"]]}, want=200).json()["id"]
    assert api(srv, "e", "GET", f"/rooms/{conv}/messages", want=200).json()["items"] == []


def test_private_conversations_and_blocks(srv):
    # with a contact: one conversation per pair
    r = api(srv, "a", "POST", "/conversations", {"user_ids": [S["d"]], "body": "Salut David"}, want=201).json()
    conv = r["id"]
    assert r["kind"] == "private" and r["title"] == "David Contact"
    assert api(srv, "a", "POST", "/conversations", {"user_ids": [S["d"]]}, want=200).json()["id"] == conv
    assert api(srv, "d", "POST", "/conversations", {"user_ids": [S["a"]]}, want=200).json()["id"] == conv
    assert api(srv, "d", "GET", f"/rooms/{conv}", want=200).json()["unread"] == 1
    # with a member of a shared group; never with a stranger
    api(srv, "b", "POST", "/conversations", {"user_ids": [S["a"]]}, want=201)
    api(srv, "c", "POST", "/conversations", {"user_ids": [S["a"]]}, want=404)
    for who, bad in (("c", {"user_ids": []}), ("c", {"user_ids": "x"}), ("c", {"user_ids": [0]}), ("c", {}),
                     ("c", {"user_ids": list(range(1, 25))}), ("a", {"user_ids": [S["d"], S["d"]]})):
        r = api(srv, who, "POST", "/conversations", bad, want=422)  # checked before who they are
        assert r.json()["error"]["code"] == "invalid_field" and r.json()["error"]["field"] == "user_ids", (bad, r)
    api(srv, "a", "POST", "/conversations", {"user_ids": [S["a"]]}, want=404)
    # third parties read nothing
    api(srv, "b", "GET", f"/rooms/{conv}/messages", want=404)
    s = Stream(srv, S["tb"], f"/api/v1/rooms/{conv}/events")
    assert s.status() == 404
    s.close()
    # a block: no new conversation, no more messages, either way
    live = Stream(srv, S["td"], f"/api/v1/rooms/{conv}/events")
    assert live.wait_for("event: presence")
    api(srv, "d", "PUT", f"/users/{S['a']}/block", want=200)
    assert [x["id"] for x in api(srv, "d", "GET", "/me/blocks", want=200).json()["items"]] == [S["a"]]
    r = api(srv, "a", "POST", f"/rooms/{conv}/messages", {"body": "Tu es là ?"}, want=403, code="blocked")
    assert r.json()["error"]["code"] == "blocked"
    api(srv, "d", "POST", f"/rooms/{conv}/messages", {"body": "Non"}, want=403, code="blocked")
    api(srv, "a", "POST", "/conversations", {"user_ids": [S["d"]]}, want=403, code="blocked")
    time.sleep(0.5)
    assert b"Tu es l" not in live.snapshot()
    live.close()
    api(srv, "d", "PUT", f"/users/{S['d']}/block", want=422, code="cannot_block_yourself")
    api(srv, "d", "PUT", "/users/999999/block", want=404)
    api(srv, "d", "DELETE", f"/users/{S['a']}/block", want=200)
    api(srv, "a", "POST", f"/rooms/{conv}/messages", {"body": "Ça remarche"}, want=201)
    # the header counts conversations too
    # "Salut David" and "Ça remarche", both unread (the refused ones never arrived)
    assert api(srv, "d", "GET", "/me/unread", want=200).json()["messages"] == 2


def test_a_thousand_streams_at_once(srv):
    room = S["room"]
    streams = [Stream(srv, S["tb"] if i % 2 else S["ta"], f"/api/v1/rooms/{room}/events") for i in range(1000)]
    try:
        assert wait_until(lambda: all(b"200 OK" in s.snapshot()[:40] for s in streams), timeout=60)
        m = api(srv, "a", "POST", f"/rooms/{room}/messages", {"body": "À tous les flux"}, want=201).json()
        assert wait_until(lambda: all(f"id: {m['id']}\n".encode() in s.snapshot() for s in streams), timeout=60)
        assert srv.request("GET", "/").status == 200  # still serving
    finally:
        for s in streams:
            s.close()


def test_the_pages_work_without_javascript(srv):
    w = srv.web()
    w.login("chat.bruno@ac-caen.fr")
    assert 'href="/messages"' in w.get("/").text
    page = w.get("/messages")
    assert page.status == 200 and "Salon fermé" in page.text
    r = w.get(f"/groups/{S['g']}/room")
    assert r.status == 303 and r.headers["location"] == f"/rooms/{S['room']}"
    room = w.get(f"/rooms/{S['room']}")
    assert room.status == 200 and 'id="chat-form"' in room.text and "/static/chat.js" in room.text
    assert w.post(f"/rooms/{S['room']}/messages", {"body": "Sans jeton"}, csrf=False).status == 403
    r = w.post(f"/rooms/{S['room']}/messages", {"body": "Par le formulaire <script>x</script>"})
    assert r.status == 303 and r.headers["location"].startswith(f"/rooms/{S['room']}#m-")
    page = w.get(f"/rooms/{S['room']}").text
    assert "Par le formulaire" in page and "<script>x</script>" not in page
    assert w.post(f"/rooms/{S['room']}/messages", {"body": " "}).status == 422
    # a conversation started from the page, with @handles
    r = w.post("/messages/new", {"who": "@" + S["ha"], "body": "Depuis la page"})
    assert r.status == 303 and r.headers["location"].startswith("/rooms/")
    assert "Depuis la page" in w.get(r.headers["location"]).text
    r = w.post("/messages/new", {"who": "@personne-inconnue", "body": "x"})
    assert r.status == 303 and "error=who" in r.headers["location"]
    # blocking from a profile
    wd = srv.web()
    wd.login("chat.david@ac-caen.fr")
    assert wd.post(f"/users/{S['a']}/block", {}).status == 303
    assert "Débloquer" in wd.get(f"/users/{S['a']}").text
    assert wd.post(f"/users/{S['a']}/unblock", {}).status == 303
    assert wd.get(f"/rooms/{S['room']}").status == 404
