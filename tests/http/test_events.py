"""Live events (Server-Sent Events): delivery, catch-up with Last-Event-ID, access."""
import socket
import threading
import time

from lib import expect


class Stream:
    """A raw SSE connection that collects what arrives."""

    def __init__(self, srv, token, last_id=None):
        self.sock = socket.create_connection((srv.host, srv.port), timeout=10)
        h = f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer {token}\r\n"
        if last_id is not None:
            h += f"Last-Event-ID: {last_id}\r\n"
        self.sock.sendall((h + "\r\n").encode())
        self.data = b""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                c = self.sock.recv(65536)
            except OSError:
                return
            if not c:
                return
            with self.lock:
                self.data += c

    def wait_for(self, needle, timeout=5):
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                if needle.encode() in self.data:
                    return True
            time.sleep(0.05)
        return False

    def text(self):
        with self.lock:
            return self.data.decode(errors="replace")

    def close(self):
        self.sock.close()


def test_setup(srv):
    global A, TA, B, TB
    A, TA = srv.member("live.anna@ac-caen.fr", "Anna Live")
    B, TB = srv.member("live.bruno@ac-caen.fr", "Bruno Live")


def test_a_stream_needs_a_member(srv):
    r = srv.request("GET", "/api/v1/events")
    assert r.status == 401 and r.json()["error"]["code"] == "unauthorized", r
    r = srv.request("GET", "/events")
    assert r.status == 303 and r.headers["location"].startswith("/login?next="), r


def test_a_reply_reaches_the_author_live(srv):
    post = expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "En direct", "body": "Qui est là ?"},
                          token=TA), 201)["id"]
    s = Stream(srv, TA)
    try:
        assert s.wait_for("event: unread"), s.text()
        assert "HTTP/1.1 200" in s.text() and "text/event-stream" in s.text()
        r = srv.api("POST", f"/posts/{post}/replies", {"body": "Moi !"}, token=TB)
        assert r.status == 201
        assert s.wait_for("event: notification"), s.text()
        assert '"kind":"reply"' in s.text() and '"unread":1' in s.text()
    finally:
        s.close()


def test_reconnecting_with_last_event_id_gets_exactly_what_was_missed(srv):
    first = expect(srv.api("GET", "/notifications", token=TA), 200)["items"][0]["id"]
    post = expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "Encore", "body": "Suite"},
                          token=TA), 201)["id"]
    for i in range(3):
        expect(srv.api("POST", f"/posts/{post}/replies", {"body": f"réponse {i}"}, token=TB), 201)
    s = Stream(srv, TA, last_id=first)
    try:
        assert s.wait_for('"unread":4'), s.text()
        ids = [int(line[4:]) for line in s.text().splitlines() if line.startswith("id: ")]
        assert len(ids) == 3 and all(i > first for i in ids) and ids == sorted(ids), ids
    finally:
        s.close()


def test_no_event_about_what_the_member_may_not_see(srv):
    g = expect(srv.api("POST", "/groups", {"name": "Cercle secret", "kind": "project", "visibility": "secret"},
                       token=TB), 201)["id"]
    s = Stream(srv, TA)
    try:
        assert s.wait_for("event: unread")
        # A mention of Anna in a post she cannot see never reaches her.
        r = srv.api("POST", "/posts", {"kind": "discussion", "title": "Entre nous", "body": "Et @live-anna ?",
                                        "group_id": g}, token=TB)
        assert r.status == 201, r
        time.sleep(1)
        assert "Entre nous" not in s.text() and "mention" not in s.text(), s.text()
    finally:
        s.close()


def test_many_streams_at_once(srv):
    streams = [Stream(srv, TB) for _ in range(200)]
    try:
        assert all(s.wait_for("event: unread", timeout=10) for s in streams)
        post = expect(srv.api("POST", "/posts", {"kind": "blog", "title": "Pour tous", "body": "Bonjour"},
                              token=TB), 201)["id"]
        expect(srv.api("POST", f"/posts/{post}/replies", {"body": "Bravo"}, token=TA), 201)
        assert all(s.wait_for("Pour tous", timeout=10) for s in streams)
    finally:
        for s in streams:
            s.close()
    assert srv.request("GET", "/").status == 200


def test_streams_end_when_the_server_stops(srv):
    s = Stream(srv, TA)
    assert s.wait_for("event: unread")
    # the harness stops the server after the last test; the stream must not keep it alive
    s.close()
