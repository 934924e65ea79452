"""Mail through SMTP (libcurl): a tiny SMTP responder bound at import time (so
that its port is known before the server starts) receives the verification,
reset and invitation mails; nothing lands in DATA/outbox. Mails go through the
queue: the mail worker hands them over within a second or so of the request,
so tests wait for them (wait_until). A refusing or absent SMTP server never
fails the request (README, "Mail"): the failure is logged, the URL never is;
a 5xx refusal is final, so none of those mails is retried later."""
import email
import email.policy
import os
import re
import socket
import socketserver
import shutil
import tempfile
import threading
import time
import urllib.parse

import harness
from lib import PASSWORD, Server, expect, wait_until

MESSAGES = []               # {"from", "rcpt", "data", "commands"}
CONNECTIONS = []            # one list of commands per SMTP session
STATE = {"mode": "accept"}  # accept | greet554 | rcpt550 | data554
LOCK = threading.Lock()


class SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        mode = STATE["mode"]
        commands = []
        with LOCK:
            CONNECTIONS.append(commands)
        if mode == "greet554":
            self.reply("554 5.3.2 test responder: no service for you")
            line = self.rfile.readline()  # curl may still say QUIT
            if line:
                commands.append(line.decode("ascii", "replace").rstrip("\r\n"))
                self.reply("221 bye")
            return
        self.reply("220 smtp.test ESMTP ready")
        sender, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").rstrip("\r\n")
            commands.append(cmd)
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-smtp.test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 smtp.test")
            elif verb == "MAIL":
                sender, rcpts = cmd.split(":", 1)[1].strip().split(" ")[0], []
                self.reply("250 2.1.0 ok")
            elif verb == "RCPT":
                if mode == "rcpt550":
                    self.reply("550 5.1.1 test responder: no such mailbox")
                else:
                    rcpts.append(cmd.split(":", 1)[1].strip())
                    self.reply("250 2.1.5 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("503 5.5.1 no valid recipients")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    dl = self.rfile.readline()
                    if not dl:
                        return
                    if dl == b".\r\n":
                        break
                    if dl.startswith(b"."):  # dot-unstuffing (RFC 5321 4.5.2)
                        dl = dl[1:]
                    lines.append(dl)
                if mode == "data554":
                    self.reply("554 5.7.1 test responder: message refused")
                else:
                    with LOCK:
                        MESSAGES.append({"from": sender, "rcpt": list(rcpts), "data": b"".join(lines),
                                         "commands": commands})
                    self.reply("250 2.0.0 queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 5.5.2 not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


SMTPD = SMTPServer(("127.0.0.1", 0), SMTPHandler)
PORT = SMTPD.server_address[1]
threading.Thread(target=SMTPD.serve_forever, daemon=True).start()

SERVER_ENV = {"RESPIRE_SMTP_URL": f"smtp://127.0.0.1:{PORT}"}


def messages_to(addr):
    with LOCK:
        return [m for m in MESSAGES if f"<{addr}>" in m["rcpt"]]


def one_message(addr):
    assert wait_until(lambda: messages_to(addr), timeout=15), f"no SMTP message to {addr}"
    ms = messages_to(addr)
    assert len(ms) == 1, f"{len(ms)} messages to {addr}"
    return ms[0]


def parse(m):
    return email.message_from_bytes(m["data"], policy=email.policy.default)


def link_in(msg):
    body = msg.get_content()
    found = re.findall(r"(https?://\S+)", body)
    assert len(found) == 1, body
    return found[0]


def outbox(srv):
    d = os.path.join(srv.data, "outbox")
    return os.listdir(d) if os.path.isdir(d) else []


def log_text(data):
    with open(os.path.join(data, "server.log"), "rb") as f:
        return f.read().decode("utf-8", "replace")


def test_the_verification_mail_goes_out_through_smtp(srv):
    addr = "smtp.alice@ac-lyon.fr"
    r = srv.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": "Alice Smtp"})
    assert r.status == 201 and r.json()["status"] == "pending", r
    m = one_message(addr)
    # envelope
    assert m["from"] == "<no-reply@respire.education.gouv.fr>", m["from"]
    assert m["rcpt"] == [f"<{addr}>"], m["rcpt"]
    assert m["commands"][0].upper().startswith("EHLO "), m["commands"]
    # headers
    raw = m["data"]
    assert not re.search(rb"(?<!\r)\n", raw), "bare LF in the SMTP data"
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # headers are 7-bit
    msg = parse(m)
    assert msg["From"].addresses[0].addr_spec == "no-reply@respire.education.gouv.fr", msg["From"]
    assert [a.addr_spec for a in msg["To"].addresses] == [addr], msg["To"]
    assert msg["Subject"] == "Confirmez votre adresse sur Respire", msg["Subject"]
    assert msg["Date"] and msg["Message-ID"], head
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert "Bienvenue sur Respire" in msg.get_content()
    # the link: the server's own base URL, /verify, a token that verifies once
    link = link_in(msg)
    u = urllib.parse.urlparse(link)
    assert link.startswith(srv.base + "/verify?token="), link
    token = urllib.parse.parse_qs(u.query)["token"][0]
    assert srv.api("POST", "/sessions", {"email": addr, "password": PASSWORD}).status == 401
    assert srv.api("POST", "/accounts/verify", {"token": token}).status == 200
    assert srv.api("POST", "/accounts/verify", {"token": token}).status != 200
    assert srv.login(addr)
    # no copy in the outbox
    assert outbox(srv) == [], outbox(srv)


def test_the_web_form_mails_in_english_through_smtp(srv):
    addr = "smtp.bruno@ac-lyon.fr"
    w = srv.web("en-GB,en;q=0.9")
    w.get("/register")
    r = w.post("/register", {"name": "Bruno Smtp", "email": addr, "password": PASSWORD})
    assert r.status == 200, r
    msg = parse(one_message(addr))
    assert msg["Subject"] == "Confirm your address on Respire", msg["Subject"]
    assert "Welcome to Respire" in msg.get_content()
    link = link_in(msg)
    r = w.get(link[len(srv.base):])
    assert r.status == 200 and 'name="token"' in r.text, r
    token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    assert w.post("/verify", {"token": token}).status == 200
    w.login(addr)
    assert outbox(srv) == []


def test_a_non_ascii_subject_is_encoded_and_the_reset_link_works(srv):
    addr = "smtp.chloe@ac-lyon.fr"
    srv.user(addr, "Chloé Smtp")
    assert srv.api("POST", "/password-resets", {"email": addr}).status == 202
    m = one_message(addr)
    head = m["data"].split(b"\r\n\r\n", 1)[0].decode("ascii")  # still 7-bit headers
    subject_line = [h for h in head.split("\r\n") if h.lower().startswith("subject:")][0]
    assert "=?UTF-8?" in subject_line.upper() or "=?utf-8?" in subject_line, subject_line
    msg = parse(m)
    assert msg["Subject"] == "Réinitialisation de votre mot de passe Respire", msg["Subject"]
    assert "L'équipe Respire" in msg.get_content()  # 8-bit body, UTF-8
    link = link_in(msg)
    assert link.startswith(srv.base + "/password-reset/confirm?token="), link
    token = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]
    r = srv.api("POST", "/password-resets/confirm", {"token": token, "password": "une phrase toute neuve ici"})
    assert r.status == 200, r
    srv.login(addr, "une phrase toute neuve ici")
    assert outbox(srv) == []


def test_a_group_invitation_by_address_goes_out_through_smtp(srv):
    _, t = srv.member("smtp.owner@ac-lyon.fr", "Owner Smtp")
    g = expect(srv.api("POST", "/groups", {"name": "Atelier SMTP", "kind": "practice", "visibility": "closed"},
                       token=t), 201)["id"]
    addr = "smtp.future@ac-lyon.fr"
    r = srv.api("POST", f"/groups/{g}/invitations", {"email": addr}, token=t)
    assert r.status == 201, r
    msg = parse(one_message(addr))
    assert msg["Subject"] == "Invitation à un groupe sur Respire", msg["Subject"]
    body = msg.get_content()
    assert "Owner Smtp" in body and "Atelier SMTP" in body, body
    assert srv.base + "/register?email=smtp.future%40ac-lyon.fr" in body, body
    assert outbox(srv) == []


def test_a_refusing_smtp_server_does_not_fail_the_request(srv):
    try:
        for i, mode in enumerate(["greet554", "rcpt550", "data554"]):
            STATE["mode"] = mode
            before = len(CONNECTIONS)
            addr = f"smtp.refused{i}@ac-lyon.fr"
            t0 = time.time()
            r = srv.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": f"Refused {i}"})
            assert r.status == 201 and r.json()["status"] == "pending", (mode, r)
            assert time.time() - t0 < 10, (mode, "the request waited for the refusal too long")
            # the mail worker delivers within a second or so of the request
            assert wait_until(lambda: len(CONNECTIONS) > before, timeout=10), \
                (mode, "the server did not even try SMTP")
            assert messages_to(addr) == [], mode
            # the account exists: the same address is now taken
            r = srv.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": "Again"})
            assert r.status == 409 and r.json()["error"]["code"] == "email_taken", (mode, r)
            assert srv.api("POST", "/password-resets", {"email": addr}).status == 202, mode
            # tried in this mode too, before the next one starts
            assert wait_until(lambda: len(CONNECTIONS) > before + 1, timeout=10), (mode, "no try for the reset")
        assert wait_until(lambda: log_text(srv.data).count("SMTP delivery failed") >= 6), \
            "SMTP failures are not logged"
    finally:
        STATE["mode"] = "accept"
    # and it works again once the SMTP server accepts
    addr = "smtp.after@ac-lyon.fr"
    assert srv.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": "After"}).status == 201
    one_message(addr)


def test_the_smtp_url_never_reaches_the_log(srv):
    log = log_text(srv.data)
    assert f"127.0.0.1:{PORT}" not in log and "smtp://" not in log, "the SMTP URL is in the log"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_an_smtp_server_that_is_down_does_not_fail_the_registration(srv):
    data = tempfile.mkdtemp(prefix="respire-smtp-down-")
    secret = "s3cret-relay-pw"
    env = dict(srv.env, RESPIRE_SMTP_URL=f"smtp://relay-user:{secret}@127.0.0.1:{free_port()}")
    env.pop("RESPIRE_DB", None)
    proc, base = harness.start_server(data, [], env)  # SQLite in its own data folder
    other = Server(srv.bin, data, base, [], env)
    try:
        addr = "smtp.down@ac-lyon.fr"
        t0 = time.time()
        r = other.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": "Down"})
        assert r.status == 201 and r.json()["status"] == "pending", r
        assert time.time() - t0 < 12, "the request waited too long for an absent SMTP server"
        w = other.web()
        w.get("/register")
        r = w.post("/register", {"name": "Down Web", "email": "smtp.down.web@ac-lyon.fr", "password": PASSWORD})
        assert r.status == 200, r
        assert other.api("POST", "/password-resets", {"email": addr}).status == 202
        assert messages_to(addr) == []
        assert wait_until(lambda: log_text(data).count("SMTP delivery failed") >= 3), log_text(data)[-2000:]
    finally:
        problem = harness.stop_server(proc, os.path.join(data, "server.log"))
    log = log_text(data)
    assert problem is None, problem
    assert secret not in log and "relay-user" not in log, "the SMTP URL (with its password) is in the log"
    shutil.rmtree(data, ignore_errors=True)
