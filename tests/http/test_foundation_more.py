"""Foundation behaviours not covered elsewhere: the member's home (the five
ego-network boxes), the request log (one line per request, no secret in it),
the web avatar forms, HTTPS base URL (Secure cookies, mail links), no e-mail in
the directory list, allowed domains through the running server (environment
and respire.conf), login throttling through the web form, `respire demo` twice."""
import contextlib
import html
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

import harness
from lib import PASSWORD, Server, expect, multipart, png, wait_until

S = {}
SECRETS = []   # strings that must never reach the log (tokens, passwords, cookie values)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (error|warn|info|debug) \S")
REQUEST_LINE = r"^\S+ info {method} {path} {status} (\d+(?:\.\d+)?)ms$"


def text_of(r):
    """The page's text with entities decoded (apostrophes come escaped)."""
    return html.unescape(r.text)


def box(page, box_id):
    """The HTML of one home box: <section ... aria-labelledby="ID"> ... </section>."""
    m = re.search(r'<section class="card" aria-labelledby="%s">(.*?)</section>' % box_id, page, re.S)
    assert m, f"no box {box_id!r} on the page"
    return m.group(1)


def server_log(data):
    with open(os.path.join(data, "server.log"), "rb") as f:
        return f.read().decode("utf-8", "replace")


def clean_env(srv, **extra):
    env = {k: v for k, v in srv.env.items()
           if k not in ("RESPIRE_DB", "RESPIRE_DATA", "RESPIRE_LISTEN", "RESPIRE_ALLOWED_DOMAINS",
                        "RESPIRE_BASE_URL", "RESPIRE_SMTP_URL", "RESPIRE_FILES")}
    env.update(extra)
    return env


@contextlib.contextmanager
def extra_server(srv, conf=None, **env_extra):
    """Another `respire serve` (SQLite) on a data folder of its own, optionally with DATA/respire.conf."""
    data = tempfile.mkdtemp(prefix="respire-extra-")
    if conf is not None:
        with open(os.path.join(data, "respire.conf"), "w") as f:
            f.write(conf)
    env = clean_env(srv, **env_extra)
    proc, base = harness.start_server(data, [], env)
    other = Server(srv.bin, data, base, [], env)
    other.proc = proc
    try:
        yield other
    finally:
        problem = harness.stop_server(proc, os.path.join(data, "server.log"))
        shutil.rmtree(data, ignore_errors=True)
    assert problem is None, problem


def mails_to(server, addr):
    d = os.path.join(server.data, "outbox")
    out = []
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if f.endswith(".eml"):
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                t = fh.read()
            if f"To: <{addr}>" in t:
                out.append(t)
    return out


def link_to(server, addr):
    ms = mails_to(server, addr)
    assert ms, f"no mail to {addr}"
    links = re.findall(r"(https?://\S+)", ms[-1])
    assert len(links) == 1, ms[-1]
    return links[0]


def token_of(link):
    return urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]


def set_cookies(r):
    return [v for k, v in r.all_headers if k.lower() == "set-cookie"]


# ---- 1. the member's home ---------------------------------------------------------

BOXES = [("news", "Mes informations", "My news"), ("documents", "Mes documents", "My documents"),
         ("discussions", "Mes discussions", "My discussions"), ("groups", "Mes groupes", "My groups"),
         ("contacts", "Mes contacts", "My contacts")]


def test_home_shows_the_five_boxes_empty_at_first(srv):
    S["a"], S["ta"] = srv.member("home.anne@ac-lyon.fr", "Anne Accueil")
    S["b"], S["tb"] = srv.member("home.bruno@ac-lyon.fr", "Bruno Accueil")
    w = srv.web()
    w.login("home.anne@ac-lyon.fr")
    r = w.get("/")
    assert r.status == 200 and "Bonjour, Anne Accueil" in r.text, r
    for box_id, fr, _ in BOXES:
        assert re.search(r'<h2 id="%s">%s</h2>' % (box_id, fr), r.text), (box_id, fr)
    page = text_of(r)
    for empty in ["L'activité de vos contacts et de vos groupes apparaîtra ici.",
                  "Vos documents et ceux partagés dans vos groupes apparaîtront ici.",
                  "Les discussions que vous lancez ou suivez apparaîtront ici.",
                  "Les groupes dont vous êtes membre apparaîtront ici.", "Vos contacts apparaîtront ici."]:
        assert empty in page, empty
    # a visitor gets the landing page, not the boxes
    assert "Mes informations" not in srv.request("GET", "/").text


def test_home_boxes_show_a_contact_a_group_a_discussion_and_a_document(srv):
    a, ta, b, tb = S["a"], S["ta"], S["b"], S["tb"]
    assert srv.api("POST", "/contacts", {"user_id": b}, token=ta).status == 201
    assert srv.api("POST", f"/contacts/{a}/accept", token=tb).status == 200
    g = srv.api("POST", "/groups", {"name": "Groupe Accueil Sciences", "kind": "practice", "visibility": "open"},
                token=ta)
    assert g.status == 201, g
    gid = g.json()["id"]
    d = srv.api("POST", "/posts", {"kind": "discussion", "title": "Discussion Bruno Fractions",
                                   "body": "Comment enseignez-vous les fractions ?", "visibility": "members"},
                token=tb)
    assert d.status == 201, d
    did = d.json()["id"]
    assert srv.api("POST", f"/posts/{did}/replies", {"body": "Avec des bandes de papier."}, token=ta).status == 201
    blog = srv.api("POST", "/posts", {"kind": "blog", "title": "Billet Bruno Sortie", "body": "Sortie au musée.",
                                      "visibility": "contacts"}, token=tb)
    assert blog.status == 201, blog
    body, ctype = multipart({"title": "Fiche Accueil Fractions"},
                            [("file", ("fiche.txt", b"Fractions: 1/2, 1/4\n", "text/plain"))])
    doc = srv.api("POST", "/documents", raw=body, token=ta, headers={"Content-Type": ctype})
    assert doc.status == 201, doc
    S.update(gid=gid, did=did, blog=blog.json()["id"], doc=doc.json()["id"])

    w = srv.web()
    w.login("home.anne@ac-lyon.fr")
    page = w.get("/").text
    disc = box(page, "discussions")
    assert f'href="/posts/{did}"' in disc and "Discussion Bruno Fractions" in disc, disc
    groups = box(page, "groups")
    assert f'href="/groups/{gid}"' in groups and "Groupe Accueil Sciences" in groups, groups
    assert "Échange de pratiques" in html.unescape(groups), groups
    contacts = box(page, "contacts")
    assert f'href="/users/{b}"' in contacts and "Bruno Accueil" in contacts, contacts
    docs = box(page, "documents")
    assert f'href="/documents/{S["doc"]}"' in docs and "Fiche Accueil Fractions" in docs, docs
    for box_id, _, _ in BOXES:
        assert 'class="empty"' not in box(page, box_id), box_id
    # "Mes informations": Bruno's posts and Anne's own activity, each linking to its post
    news = box(page, "news")
    assert f'href="/users/{b}"' in news and "Bruno Accueil" in news, news
    assert f'href="/documents/{S["doc"]}"' in news, news
    links = dict((title, href) for href, title in re.findall(r'<a href="(/posts/[^"]+)">([^<]+)</a>', news))
    assert links.get("Billet Bruno Sortie") == f'/posts/{S["blog"]}', links
    feed = w.get("/feed").text
    m = re.search(r'<a href="(/posts/[^"]+)">Billet Bruno Sortie</a>', feed)
    assert m and m.group(1) == f'/posts/{S["blog"]}', m and m.group(1)
    hrefs = set(re.findall(r'href="(/posts/[^"#]+)', news))
    assert f'/posts/{S["blog"]}' in hrefs, hrefs
    for href in hrefs:
        assert w.get(href).status == 200, href


def test_home_boxes_in_english(srv):
    # Anne's profile says French (the CLI's default): this browser chooses English
    w = srv.web("en-GB,en;q=0.9")
    w.login("home.anne@ac-lyon.fr")
    assert w.post("/lang", {"lang": "en", "next": "/"}).status == 303
    r = w.get("/")
    assert '<html lang="en">' in r.text and "Hello, Anne Accueil" in r.text
    for box_id, fr, en in BOXES:
        assert re.search(r'<h2 id="%s">%s</h2>' % (box_id, en), r.text), (box_id, en)
        assert fr not in r.text, fr
    assert "Groupe Accueil Sciences" in box(r.text, "groups") and "Practice exchange" in box(r.text, "groups")
    assert "Fiche Accueil Fractions" in box(r.text, "documents")
    # a member who registered from an English browser: Accept-Language alone, empty boxes in English
    r = srv.api("POST", "/accounts", {"email": "home.empty@ac-lyon.fr", "password": PASSWORD, "name": "Empty Home"},
                headers={"Accept-Language": "en-US,en;q=0.8"})
    assert r.status == 201, r
    assert srv.api("POST", "/accounts/verify", {"token": srv.mail_token("home.empty@ac-lyon.fr")}).status == 200
    e = srv.web("en-US,en;q=0.8")
    e.login("home.empty@ac-lyon.fr")
    r = e.get("/")
    assert '<html lang="en">' in r.text and "Hello, Empty Home" in r.text, r
    for box_id, fr, en in BOXES:
        assert re.search(r'<h2 id="%s">%s</h2>' % (box_id, en), r.text), (box_id, en)
    page = text_of(r)
    assert "Your contacts will appear here." in page and "Mes contacts" not in page


# ---- 3. the request log ---------------------------------------------------------------

def log_lines(srv, method, path, status):
    pat = re.compile(REQUEST_LINE.format(method=re.escape(method), path=re.escape(path), status=status))
    return [ln for ln in server_log(srv.data).splitlines() if pat.match(ln)]


def test_one_log_line_per_request_with_method_path_status_and_duration(srv):
    path = "/log-probe-7f3a"
    r = srv.request("GET", path + "?q=query-secret-91c2&token=query-token-55e1")
    assert r.status == 404
    assert wait_until(lambda: len(log_lines(srv, "GET", path, 404)) == 1), server_log(srv.data)[-1500:]
    line = log_lines(srv, "GET", path, 404)[0]
    assert float(re.search(r" (\d+(?:\.\d+)?)ms$", line).group(1)) < 10000, line
    log = server_log(srv.data)
    assert "query-secret-91c2" not in log and "query-token-55e1" not in log and "?q=" not in log
    # three more requests of that path: three more lines, no more
    for _ in range(3):
        assert srv.request("HEAD", path).status == 404
    assert wait_until(lambda: len(log_lines(srv, "HEAD", path, 404)) == 3), server_log(srv.data)[-1500:]
    time.sleep(0.3)
    assert len(log_lines(srv, "HEAD", path, 404)) == 3
    assert len([ln for ln in server_log(srv.data).splitlines() if path in ln]) == 4
    # the status logged is the one sent, for API answers too
    t = srv.login("home.anne@ac-lyon.fr")
    SECRETS.append(t)
    assert srv.api("GET", "/me", token=t).status == 200
    expect(srv.api("POST", "/posts", {"kind": "blog"}, token=t), 422, "invalid_field")
    assert wait_until(lambda: log_lines(srv, "GET", "/api/v1/me", 200)), server_log(srv.data)[-1500:]
    assert wait_until(lambda: log_lines(srv, "POST", "/api/v1/posts", 422)), server_log(srv.data)[-1500:]
    assert wait_until(lambda: log_lines(srv, "POST", "/api/v1/sessions", 201))


def test_tokens_passwords_and_cookies_never_reach_the_log(srv):
    pw = "log-password-d41d8cd98f"
    # registration, verification through the page (token in the query), then through the API body
    r = srv.api("POST", "/accounts", {"email": "log.lea@ac-lyon.fr", "password": pw, "name": "Léa Log"})
    assert r.status == 201, r
    vtoken = srv.mail_token("log.lea@ac-lyon.fr")
    SECRETS.extend([pw, vtoken])
    w = srv.web()
    assert w.get("/verify?token=" + urllib.parse.quote(vtoken)).status == 200
    assert srv.api("POST", "/accounts/verify", {"token": vtoken}).status == 200
    # a wrong password and a right one through the web form; the cookies it sets
    w.get("/login")
    wrong = "log-wrong-password-6b1e"
    SECRETS.append(wrong)
    assert w.post("/login", {"email": "log.lea@ac-lyon.fr", "password": wrong}).status == 401
    w.login("log.lea@ac-lyon.fr", pw)
    SECRETS.extend(v for k, v in w.cookies.items() if len(v) >= 16)
    assert any(len(v) >= 16 for v in w.cookies.values()), w.cookies
    assert w.get("/me/edit").status == 200
    SECRETS.append(w.csrf)
    # a Bearer token, a forged one, and a password change
    t = srv.login("log.lea@ac-lyon.fr", pw)
    SECRETS.append(t)
    assert srv.api("GET", "/me", token=t).status == 200
    assert srv.api("GET", "/me", token="forged-bearer-token-0c8f11").status == 401
    SECRETS.append("forged-bearer-token-0c8f11")
    new_pw = "log-new-password-77aa01"
    SECRETS.append(new_pw)
    assert srv.api("POST", "/me/password", {"current_password": pw, "password": new_pw}, token=t).status == 200
    # a reset token in the query string of the page, then in the API body
    assert srv.api("POST", "/password-resets", {"email": "log.lea@ac-lyon.fr"}).status == 202
    link = srv.mail_link("log.lea@ac-lyon.fr")
    rtoken = token_of(link)
    SECRETS.append(rtoken)
    assert "/password-reset/confirm" in link and rtoken != vtoken
    assert srv.web().get(link[link.index("/password-reset"):]).status == 200
    last_pw = "log-last-password-90fe3"
    SECRETS.append(last_pw)
    assert srv.api("POST", "/password-resets/confirm", {"token": rtoken, "password": last_pw}).status == 200
    assert wait_until(lambda: log_lines(srv, "POST", "/api/v1/password-resets/confirm", 200))
    assert wait_until(lambda: log_lines(srv, "GET", "/password-reset/confirm", 200))
    assert log_lines(srv, "GET", "/verify", 200) and log_lines(srv, "POST", "/login", 401)
    log = server_log(srv.data)
    for s in SECRETS:
        assert s and s not in log, f"a secret reached the log: {s[:12]}..."
    assert "Bearer" not in log and "respire_session=" not in log and "Cookie" not in log


def test_a_path_cannot_forge_log_lines(srv):
    # An encoded newline (or other control character) in the path must not start a new,
    # forged line nor put raw control characters in the log: one request, one line.
    srv.raw(b"GET /forge%0a2026-01-01T00:00:00Z%20info%20POST%20/admin%20200%201.0ms HTTP/1.1\r\n"
            b"Host: x\r\nConnection: close\r\n\r\n")
    srv.raw(b"GET /forge-esc%1b[2J%0d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert srv.request("GET", "/forge-marker-after").status == 404
    assert wait_until(lambda: "/forge-marker-after" in server_log(srv.data))
    log = server_log(srv.data)
    assert not re.search(r"^2026-01-01T00:00:00Z info POST /admin", log, re.M), "a forged log line"
    bad = [ln for ln in log.split("\n")[:-1]
           if not LOG_LINE.match(ln) or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", ln)]
    assert not bad, f"log lines not written by the logger or with control characters: {bad!r}"


# ---- 4. the web avatar forms ---------------------------------------------------------------

def avatar_bytes(srv, uid, token):
    r = srv.request("GET", f"/api/v1/users/{uid}/avatar", headers={"Authorization": "Bearer " + token})
    return r.body if r.status == 200 else None


def test_web_avatar_upload_needs_csrf_and_refuses_non_images(srv):
    a, tb = S["a"], S["tb"]
    w = srv.web()
    w.login("home.anne@ac-lyon.fr")
    r = w.get("/me/edit")
    assert 'action="/me/avatar"' in r.text and 'enctype="multipart/form-data"' in r.text
    assert 'action="/me/avatar/remove"' not in r.text  # nothing to remove yet
    first = png(8, 8)
    r = w.post_multipart("/me/avatar", {}, {"avatar": ("moi.png", first, "image/png")})
    assert r.status == 303 and r.headers["location"] == "/me/edit?avatar=1", r
    r = w.get("/me/edit?avatar=1")
    assert "Votre photo est enregistrée." in text_of(r)
    assert f'src="/users/{a}/avatar"' in r.text and 'action="/me/avatar/remove"' in r.text
    assert avatar_bytes(srv, a, tb) == first
    r = w.get(f"/users/{a}/avatar")
    assert r.status == 200 and r.headers["content-type"] == "image/png" and r.body == first
    # without a valid CSRF token: 403, the picture stays
    second = png(16, 16)
    for token in ["", "forged"]:
        r = w.post_multipart("/me/avatar", {"csrf": token}, {"avatar": ("autre.png", second, "image/png")})
        assert r.status == 403, (token, r)
    assert avatar_bytes(srv, a, tb) == first
    # not an image: refused with a clear message, the picture stays
    w.get("/me/edit")
    for name, data in [("faux.png", b"du texte, pas une image\n"),
                       ("page.png", b"<html><script>alert(1)</script></html>"),
                       ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')]:
        r = w.post_multipart("/me/avatar", {}, {"avatar": (name, data, "image/png")})
        assert r.status == 415 and "text/html" in r.headers["content-type"], (name, r)
        assert "Ce fichier n'est pas une image PNG, JPEG, GIF ou WebP." in text_of(r), name
        assert 'role="alert"' in r.text, name
    assert avatar_bytes(srv, a, tb) == first
    # no file at all, and too large
    r = w.post_multipart("/me/avatar", {}, {})
    assert r.status == 422 and "Choisissez d'abord une image." in text_of(r), r
    r = w.post_multipart("/me/avatar", {}, {"avatar": ("gros.png", png() + b"\0" * (2 * 1024 * 1024 + 10),
                                                       "image/png")})
    assert r.status == 413 and "Cette image dépasse 2 Mo." in text_of(r), r
    assert avatar_bytes(srv, a, tb) == first
    # in English
    e = srv.web("en")
    e.login("home.anne@ac-lyon.fr")
    assert e.post("/lang", {"lang": "en", "next": "/me/edit"}).status == 303
    e.get("/me/edit")
    r = e.post_multipart("/me/avatar", {}, {"avatar": ("fake.png", b"plain text\n", "image/png")})
    assert r.status == 415 and "This file is not a PNG, JPEG, GIF or WebP image." in text_of(r), r
    # a valid replacement works
    r = w.post_multipart("/me/avatar", {}, {"avatar": ("autre.png", second, "image/png")})
    assert r.status == 303, r
    assert avatar_bytes(srv, a, tb) == second


def test_web_avatar_removal_needs_csrf(srv):
    a, tb = S["a"], S["tb"]
    w = srv.web()
    w.login("home.anne@ac-lyon.fr")
    w.get("/me/edit")
    r = w.post("/me/avatar/remove", {"csrf": "forged"})
    assert r.status == 403, r
    assert w.post("/me/avatar/remove", csrf=False).status == 403
    assert avatar_bytes(srv, a, tb) is not None
    r = w.post("/me/avatar/remove")
    assert r.status == 303 and r.headers["location"] == "/me/edit", r
    assert avatar_bytes(srv, a, tb) is None
    assert w.get(f"/users/{a}/avatar").status == 404
    r = w.get("/me/edit")
    assert 'action="/me/avatar/remove"' not in r.text and f'src="/users/{a}/avatar"' not in r.text
    assert expect(srv.api("GET", "/me", token=S["ta"]), 200)["avatar_url"] is None
    # a visitor cannot use the forms
    v = srv.web()
    v.get("/login")
    r = v.post("/me/avatar/remove")
    assert r.status == 303 and r.headers["location"].startswith("/login?next="), r  # sent to sign in first


# ---- 6. the directory list never shows others' addresses ---------------------------------------

def test_users_list_never_contains_another_members_email(srv):
    emails = []
    for i, (local, name) in enumerate([("dir.zorglub.one", "Directory One"), ("dir.zorglub.two", "Directory Two"),
                                       ("dir.zorglub.three", "Directory Three")]):
        addr = f"{local}@ac-lyon.fr"
        uid, t = srv.member(addr, name)
        expect(srv.api("PATCH", "/me", {"subjects": ["Histoire"], "academy": "Lyon", "school": "Collège Zorglub",
                                        "levels": ["5e"]}, token=t), 200)
        emails.append(addr)
    me, viewer = srv.member("dir.viewer@ac-lyon.fr", "Directory Viewer")
    emails += ["home.anne@ac-lyon.fr", "home.bruno@ac-lyon.fr"]
    seen, cursor, pages = set(), None, 0
    while True:
        r = srv.api("GET", "/users?limit=2" + (f"&cursor={cursor}" if cursor else ""), token=viewer)
        assert r.status == 200, r
        for e in emails:
            assert e not in r.text, (e, r.text[:500])
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", r.text.replace("dir.viewer@ac-lyon.fr", "")), r.text
        for it in r.json()["items"]:
            if it["id"] != me:  # the caller's own entry may carry the caller's own address
                assert "email" not in it, it
            seen.add(it["name"])
        pages += 1
        cursor = r.json()["next"]
        if not cursor:
            break
        assert pages < 50
    assert {"Directory One", "Directory Two", "Directory Three", "Anne Accueil"} <= seen, seen
    for q in ["?q=Directory", "?q=Zorglub", "?subject=Histoire", "?academy=Lyon", "?level=5e"]:
        r = srv.api("GET", "/users" + q, token=viewer)
        assert r.status == 200 and r.json()["items"], (q, r)
        for e in emails:
            assert e not in r.text, (q, e)
    # searching by an address finds nobody (no oracle of who is a member)
    r = srv.api("GET", "/users?q=dir.zorglub.two%40ac-lyon.fr", token=viewer)
    assert r.status == 200 and r.json()["items"] == [], r
    # nor does the directory page show any address
    w = srv.web()
    w.login("dir.viewer@ac-lyon.fr")
    page = w.get("/users?q=Directory").text
    assert "Directory One" in page
    for e in emails:
        assert e not in page, e


# ---- 8. login throttling through the web form ---------------------------------------------------

def test_web_login_is_throttled_with_a_readable_page(srv):
    addr = "throttle.web@ac-lyon.fr"
    srv.user(addr, "Throttle Web")
    w = srv.web()
    w.get("/login")
    for i in range(5):
        r = w.post("/login", {"email": addr, "password": f"wrong password {i}"})
        assert r.status == 401, (i, r)
        assert "Adresse ou mot de passe incorrect" in text_of(r)
    r = w.post("/login", {"email": addr, "password": PASSWORD})  # even the right password now
    assert r.status == 429, r
    assert "text/html" in r.headers["content-type"] and '<html lang="fr">' in r.text
    assert r.headers.get("retry-after", "").isdigit(), r.headers
    page = text_of(r)
    assert "Trop de tentatives échouées. Réessayez dans un quart d'heure ou réinitialisez votre mot de passe." in page
    assert 'role="alert"' in r.text and 'action="/login"' in r.text and f'value="{addr}"' in r.text
    assert 'href="/password-reset"' in r.text
    assert not any(c.startswith("respire_session=") for c in set_cookies(r)), set_cookies(r)
    assert "Bonjour" not in w.get("/").text
    # in English, from another browser: the address stays blocked
    e = srv.web("en")
    e.get("/login")
    r = e.post("/login", {"email": addr, "password": PASSWORD})
    assert r.status == 429 and "Too many failed attempts." in text_of(r), r
    # other members still sign in
    w.login("home.anne@ac-lyon.fr")


# ---- 5. an HTTPS base URL -------------------------------------------------------------------------

def test_https_base_url_makes_cookies_secure_and_mail_links_absolute(srv):
    with extra_server(srv, RESPIRE_BASE_URL="https://respire.example.fr") as o:
        addr = "https.zoe@ac-lyon.fr"
        w = o.web()
        r = w.get("/register")
        cookies = set_cookies(r)
        assert cookies and all("; Secure" in c for c in cookies), cookies
        r = w.post("/register", {"name": "Zoé Https", "email": addr, "password": PASSWORD})
        assert r.status == 200, r
        link = link_to(o, addr)
        assert link.startswith("https://respire.example.fr/verify?token="), link
        r = w.get(link[len("https://respire.example.fr"):])
        assert r.status == 200, r
        token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
        assert w.post("/verify", {"token": token}).status == 200
        w.get("/login")
        r = w.post("/login", {"email": addr, "password": PASSWORD})
        assert r.status == 303, r
        sess = [c for c in set_cookies(r) if c.startswith("respire_session=")]
        assert len(sess) == 1, set_cookies(r)
        attrs = [a.strip() for a in sess[0].split(";")]
        assert "Secure" in attrs and "HttpOnly" in attrs and "SameSite=Lax" in attrs, sess[0]
        assert "Bonjour, Zoé Https" in w.get("/").text
        r = w.post("/lang", {"lang": "en", "next": "/"})
        assert all("; Secure" in c for c in set_cookies(r)) and set_cookies(r), set_cookies(r)
        r = w.post("/logout")
        gone = [c for c in set_cookies(r) if c.startswith("respire_session=")]
        assert gone and "Secure" in gone[0], set_cookies(r)
        # the reset link and the invitation link start with the base URL too
        assert o.api("POST", "/password-resets", {"email": addr}).status == 202
        assert link_to(o, addr).startswith("https://respire.example.fr/password-reset/confirm?token=")
        _, t = o.member("https.owner@ac-lyon.fr", "Owner Https")
        g = expect(o.api("POST", "/groups", {"name": "Https", "kind": "project", "visibility": "closed"}, token=t), 201)
        expect(o.api("POST", f"/groups/{g['id']}/invitations", {"email": "https.new@ac-lyon.fr"}, token=t), 201)
        assert "https://respire.example.fr/register?email=https.new%40ac-lyon.fr" in \
            mails_to(o, "https.new@ac-lyon.fr")[-1]
        assert "http://127.0.0.1" not in "".join(mails_to(o, addr))


# ---- 7. allowed domains through the running server -------------------------------------------------

DOMAIN_CASES = [("prof@college.example.fr", 201), ("Prof.Deux@College.Example.FR", 201),
                ("prof@jean-moulin.lycee.fr", 201), ("prof@JEAN-JAURES.Lycee.FR", 201),
                ("prof@lycee.fr", 422), ("prof@a.b.lycee.fr", 422), ("prof@sub.college.example.fr", 422),
                ("prof@evilcollege.example.fr", 422), ("prof@college.example.fr.evil.com", 422),
                ("prof@ac-lyon.fr", 422), ("prof@education.gouv.fr", 422)]


def check_domains(o, cases):
    for i, (addr, want) in enumerate(cases):
        r = o.api("POST", "/accounts", {"email": addr, "password": PASSWORD, "name": f"Prof {i}"})
        assert r.status == want, (addr, r)
        if want == 422:
            assert r.json()["error"]["code"] == "email_domain_not_allowed", (addr, r)
            assert mails_to(o, addr.lower()) == [], addr
        else:
            assert mails_to(o, addr.lower()), addr


def test_allowed_domains_from_the_environment(srv):
    with extra_server(srv, RESPIRE_ALLOWED_DOMAINS="college.example.fr,*.lycee.fr") as o:
        check_domains(o, DOMAIN_CASES)
        w = o.web()
        w.get("/register")
        r = w.post("/register", {"name": "Web Prof", "email": "web@ac-lyon.fr", "password": PASSWORD})
        assert r.status == 422 and 'value="web@ac-lyon.fr"' in r.text, r
        r = w.post("/register", {"name": "Web Prof", "email": "web@victor-hugo.lycee.fr", "password": PASSWORD})
        assert r.status == 200, r
        assert mails_to(o, "web@victor-hugo.lycee.fr")


def test_allowed_domains_from_respire_conf_and_the_environment_wins(srv):
    conf = "# test\n\nallowed_domains = college.example.fr, *.lycee.fr\n"
    with extra_server(srv, conf=conf) as o:
        check_domains(o, DOMAIN_CASES)
    with extra_server(srv, conf=conf, RESPIRE_ALLOWED_DOMAINS="ecole.example.fr") as o:
        check_domains(o, [("prof@ecole.example.fr", 201), ("prof@college.example.fr", 422),
                          ("prof@jean-moulin.lycee.fr", 422)])


# ---- 9. respire demo twice -----------------------------------------------------------------------

def counts(db):
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("users", "groups", "posts", "replies", "contacts", "documents")}
    finally:
        con.close()


def test_demo_twice_does_nothing_the_second_time(srv):
    data = tempfile.mkdtemp(prefix="respire-demo-")
    env = clean_env(srv)
    try:
        r = subprocess.run([srv.bin, "demo", "--data", data], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r
        assert "created 8 members" in r.stdout, r.stdout
        first = counts(os.path.join(data, "respire.db"))
        assert first["users"] == 8 and first["groups"] >= 4 and first["posts"] > 0, first
        r = subprocess.run([srv.bin, "demo", "--data", data], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r
        assert "nothing to do" in r.stdout and "8 member" in r.stdout, r.stdout
        assert "created" not in r.stdout, r.stdout
        assert counts(os.path.join(data, "respire.db")) == first
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_demo_on_the_running_network_with_members_does_nothing(srv):
    viewer = srv.login("dir.viewer@ac-lyon.fr")

    def names():
        out, cursor = [], None
        while True:
            r = expect(srv.api("GET", "/users?limit=100" + (f"&cursor={cursor}" if cursor else ""), token=viewer), 200)
            out += [it["name"] for it in r["items"]]
            cursor = r["next"]
            if not cursor:
                return sorted(out)

    before = names()
    assert "Directory Viewer" in before, before
    r = subprocess.run([srv.bin, "demo", "--data", srv.data] + srv.db_args, capture_output=True, text=True,
                       env=srv.env, timeout=300)
    assert r.returncode == 0 and "nothing to do" in r.stdout, r
    assert names() == before
    assert srv.api("POST", "/sessions", {"email": "claire.martin@ac-versailles.fr",
                                         "password": "respire-demo-2026"}).status == 401
