"""Helpers for Respire's HTTP behaviour tests: a running server, API and web
clients (cookies, CSRF), the mail outbox, raw sockets. Standard library only."""
import http.client
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse

PASSWORD = "une phrase de passe solide"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-case name -> last value
        self.all_headers = []           # [(name, value)] in order
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body) if self.body else None

    def __repr__(self):
        return f"<{self.status} {self.text[:300]!r}>"


class Server:
    """A running `respire serve` (started by the harness)."""

    def __init__(self, bin, data, base, db_args, env):
        self.bin, self.data, self.base, self.db_args, self.env = bin, data, base, db_args, env
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port

    # ---- the domain clock (RESPIRE_CLOCK_FILE, set by the harness) ------------
    def set_clock(self, when):
        """Moves the server's domain clock: an int is Unix seconds, a string
        "+N"/"-N" an offset from the system clock; None gives the system clock back."""
        path = self.env.get("RESPIRE_CLOCK_FILE")
        if when is None:
            if path and os.path.exists(path):
                os.remove(path)
            return
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(when))
        os.replace(tmp, path)  # a new inode: the server sees the change at once

    # ---- raw HTTP ---------------------------------------------------------
    def request(self, method, path, body=None, headers=None, timeout=30, source=None):
        """source: a local address to connect from (127.0.0.2, ...: another client)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
            resp.all_headers = r.getheaders()
            return resp
        finally:
            conn.close()

    def api(self, method, path, body=None, token=None, headers=None, raw=None, source=None):
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if token:
            h["Authorization"] = "Bearer " + token
        return self.request(method, "/api/v1" + path, data, h, source=source)

    # ---- accounts ------------------------------------------------------------
    def user(self, email, name, admin=False, password=PASSWORD):
        """A verified account made with the CLI; returns its id."""
        cmd = [self.bin, "user", "add", "--email", email, "--name", name, "--password-stdin",
               "--data", self.data] + self.db_args
        if admin:
            cmd += ["--role", "admin"]
        out = subprocess.run(cmd, input=password + "\n", capture_output=True, text=True, env=self.env,
                             timeout=60)
        assert out.returncode == 0, f"user add failed: {out.stderr}"
        return int(re.search(r"created user (\d+)", out.stdout).group(1))

    def login(self, email, password=PASSWORD):
        r = self.api("POST", "/sessions", {"email": email, "password": password})
        assert r.status == 201, f"login {email}: {r}"
        return r.json()["token"]

    def register(self, email, name, password=PASSWORD):
        """Registers through the API, verifies with the mailed token, signs in: (id, token)."""
        r = self.api("POST", "/accounts", {"email": email, "password": password, "name": name})
        assert r.status == 201, f"register {email}: {r}"
        v = self.api("POST", "/accounts/verify", {"token": self.mail_token(email)})
        assert v.status == 200, f"verify {email}: {v}"
        return r.json()["id"], self.login(email, password)

    def member(self, email, name, admin=False):
        """A verified, signed-in member: (id, token)."""
        uid = self.user(email, name, admin)
        return uid, self.login(email)

    # ---- mail -------------------------------------------------------------------
    def mails(self, to=None):
        d = os.path.join(self.data, "outbox")
        if not os.path.isdir(d):
            return []
        out = []
        for f in sorted(os.listdir(d)):
            if f.endswith(".eml"):
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    text = fh.read()
                if to is None or f"To: <{to}>" in text:
                    out.append(text)
        return out

    def mail_link(self, to):
        mails = self.mails(to)
        assert mails, f"no mail to {to}"
        m = re.search(r"(http://\S+)", mails[-1])
        assert m, f"no link in the mail to {to}"
        return m.group(1)

    def mail_token(self, to):
        return urllib.parse.parse_qs(urllib.parse.urlparse(self.mail_link(to)).query)["token"][0]

    # ---- hostile requests ----------------------------------------------------------
    def raw(self, data, timeout=5, read=True):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            s.sendall(data)
            if not read:
                return b""
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except socket.timeout:
                    break
                if not c:
                    break
                chunks.append(c)
            return b"".join(chunks)
        finally:
            s.close()

    def web(self, lang=None):
        return Web(self, lang)


class Web:
    """A browser-like client: cookies, the CSRF token of the last page, redirects by hand."""

    def __init__(self, srv, lang=None):
        self.srv = srv
        self.cookies = {}
        self.csrf = None
        self.lang = lang

    def _headers(self, extra=None):
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.lang:
            h["Accept-Language"] = self.lang
        h.update(extra or {})
        return h

    def _keep(self, r):
        for name, value in r.all_headers:
            if name.lower() == "set-cookie":
                k, v = value.split(";", 1)[0].split("=", 1)
                if "Max-Age=0" in value:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        m = re.search(r'name="csrf" value="([^"]*)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def get(self, path, headers=None):
        return self._keep(self.srv.request("GET", path, None, self._headers(headers)))

    def post(self, path, fields=None, csrf=True, headers=None):
        f = dict(fields or {})
        if csrf and "csrf" not in f:
            f["csrf"] = self.csrf or ""
        body = urllib.parse.urlencode(f).encode()
        h = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        h.update(headers or {})
        return self._keep(self.srv.request("POST", path, body, h))

    def post_multipart(self, path, fields, files):
        """files: {field: (filename, bytes, content_type)}"""
        boundary = "----respire" + os.urandom(8).hex()
        parts = []
        fields = dict(fields)
        fields.setdefault("csrf", self.csrf or "")
        for k, v in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        for k, (fname, data, ctype) in (files.items() if isinstance(files, dict) else files):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                         f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        h = self._headers({"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._keep(self.srv.request("POST", path, b"".join(parts), h))

    def login(self, email, password=PASSWORD):
        self.get("/login")
        r = self.post("/login", {"email": email, "password": password})
        assert r.status == 303, f"web login {email}: {r}"
        # follow the redirect as a browser does: the forms' token is bound to the new session
        self.get(r.headers.get("location") or "/")
        return r


def multipart(fields, files):
    """A multipart body for the API: returns (body, content_type). files: {field: (name, bytes, type)}
    or a list of (field, (name, bytes, type)) when a field repeats."""
    boundary = "----respire" + os.urandom(8).hex()
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (fname, data, ctype) in (files.items() if isinstance(files, dict) else files):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                     f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png(width=8, height=8, declared=None):
    """A small valid PNG image; declared=(w, h): a header that claims that size instead (a tiny
    file announcing a huge image, as a decompression bomb does)."""
    import struct
    import zlib

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"".join(bytes([(x * 30) % 256, (y * 30) % 256, 160]) for x in range(width))
                   for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", *(declared or (width, height)), 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def expect(r, status, code=None):
    """Asserts one expected outcome: the status, and for an error the error code when given.
    Returns the JSON body (None when empty), or the response itself when it is not JSON."""
    assert r.status == status, f"expected {status}{' ' + code if code else ''}, got {r!r}"
    if code is not None:
        body = r.json()
        got = body.get("error", {}).get("code") if isinstance(body, dict) else None
        assert got == code, f"expected error code {code!r}, got {got!r}: {r!r}"
    if "json" in r.headers.get("content-type", ""):
        return r.json()
    return r if r.body else None


def wait_until(pred, timeout=5.0, step=0.05):
    """Polls pred until it is truthy or timeout passes; returns its last value (assert it)."""
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def server_today():
    """Today's date where the server counts days (Europe/Paris unless TZ says otherwise)."""
    import datetime
    import zoneinfo
    return datetime.datetime.now(zoneinfo.ZoneInfo(os.environ.get("TZ") or "Europe/Paris")).strftime("%Y-%m-%d")
