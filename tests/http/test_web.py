"""Web pages: language, security headers, cookies, CSRF, escaping, access and errors."""
import re
import urllib.parse

from lib import PASSWORD, expect

HOSTILE = '<script>alert("x")</script>'


def test_landing_is_french_by_default_and_english_on_request(srv):
    w = srv.web()
    r = w.get("/")
    assert r.status == 200 and '<html lang="fr">' in r.text and "Créer un compte" in r.text
    r = srv.web("en-GB,en;q=0.9").get("/")
    assert '<html lang="en">' in r.text and "Create an account" in r.text
    r = srv.web("de-DE,de;q=0.9").get("/")
    assert '<html lang="fr">' in r.text


def test_accept_language_q_values_decide(srv):
    for header, want in [("fr;q=0.1, en;q=0.9", "en"), ("en;q=0, fr", "fr"), ("de, en-GB;q=0.8, fr;q=0.5", "en"),
                         ("fry, en;q=0.2", "en"), ("*", "fr"), ("fr-CA;q=0.9, en-US;q=0.9", "fr"), (";;,q=", "fr")]:
        r = srv.request("GET", "/", headers={"Accept-Language": header})
        assert f'<html lang="{want}">' in r.text, (header, want)


def test_the_language_cookie_wins_and_the_switch_needs_csrf(srv):
    w = srv.web("en")
    w.get("/")
    assert w.post("/lang", {"lang": "fr", "next": "/"}, csrf=False).status == 403
    r = w.post("/lang", {"lang": "fr", "next": "/login"})
    assert r.status == 303 and r.headers["location"] == "/login"
    assert '<html lang="fr">' in w.get("/").text
    r = w.post("/lang", {"lang": "fr", "next": "//evil.example/"})
    assert r.headers["location"] == "/"
    assert w.post("/lang", {"lang": "klingon"}).status == 400


def test_the_lang_cookie_overrides_accept_language(srv):
    r = srv.request("GET", "/", headers={"Accept-Language": "fr-FR,fr", "Cookie": "lang=en"})
    assert '<html lang="en">' in r.text and "Create an account" in r.text
    r = srv.request("GET", "/login", headers={"Accept-Language": "en-US,en", "Cookie": "lang=fr"})
    assert '<html lang="fr">' in r.text
    r = srv.request("GET", "/", headers={"Accept-Language": "en", "Cookie": "lang=xx"})  # unknown: ignored
    assert '<html lang="en">' in r.text


def test_security_headers_on_every_kind_of_response(srv):
    for path in ["/", "/login", "/nope", "/static/style.css", "/api/v1/me", "/api/v1/nope"]:
        r = srv.request("GET", path)
        csp = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (path, csp)
        assert r.headers.get("x-content-type-options") == "nosniff", path
        assert r.headers.get("referrer-policy") == "same-origin", path
        assert "frame-ancestors 'none'" in csp, path


def test_security_headers_on_redirects_errors_and_posts(srv):
    w = srv.web()
    w.get("/login")
    responses = [
        srv.request("GET", "/me/edit"),                                       # 303 to the login
        srv.request("DELETE", "/login"),                                      # 405 page
        srv.request("PUT", "/api/v1/me"),                                     # 405 JSON
        w.post("/login", {"email": "a@ac-lyon.fr", "password": "x"}, csrf=False),  # 403
        w.post("/login", {"email": "nobody@ac-lyon.fr", "password": "wrong password"}),  # 401 page
        srv.api("POST", "/accounts", raw=b"{", headers={"Content-Type": "application/json"}),  # 400
        srv.request("POST", "/login", None, {"Content-Length": str(8 * 1024 * 1024),
                                                  "Content-Type": "application/x-www-form-urlencoded"}),
    ]
    for r in responses:
        csp = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (r, csp)
        assert r.headers.get("x-content-type-options") == "nosniff", r
        assert r.headers.get("referrer-policy") == "same-origin", r
    assert [r.status for r in responses] == [303, 405, 405, 403, 401, 400, 413], responses


def test_pages_carry_no_inline_script(srv):
    for path in ["/", "/login", "/register", "/password-reset", "/groups"]:
        r = srv.request("GET", path)
        assert r.status == 200, (path, r)
        for tag in re.findall(r"<script\b[^>]*>", r.text, re.I):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"<script\b[^>]*>\s*(?!</script>)\S", r.text, re.I), path  # no inline body
        assert not re.search(r"\son[a-z]+\s*=", r.text, re.I), path      # no inline handlers


def test_register_verify_login_logout_through_forms(srv):
    w = srv.web()
    w.get("/register")
    r = w.post("/register", {"name": "Zoé Petit", "email": "zoe.petit@ac-rennes.fr", "password": PASSWORD})
    assert r.status == 200 and "messagerie" in r.text, r
    link = srv.mail_link("zoe.petit@ac-rennes.fr")
    path = link[link.index("/verify"):]
    r = w.get(path)
    assert r.status == 200 and 'name="token"' in r.text
    token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    r = w.post("/verify", {"token": token})
    assert r.status == 200, r
    w.get("/login")
    r = w.post("/login", {"email": "zoe.petit@ac-rennes.fr", "password": "wrong one, surely"})
    assert r.status == 401
    r = w.post("/login", {"email": "zoe.petit@ac-rennes.fr", "password": PASSWORD, "next": "/me/edit"})
    assert r.status == 303 and r.headers["location"] == "/me/edit"
    cookie = [v for k, v in r.all_headers if k.lower() == "set-cookie" and v.startswith("respire_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Bonjour, Zoé Petit" in w.get("/").text
    assert w.post("/logout", csrf=False).status == 403
    assert "Bonjour" in w.get("/").text  # nothing changed
    r = w.post("/logout")
    assert r.status == 303
    assert "Bonjour" not in w.get("/").text


def test_a_form_without_csrf_creates_no_account(srv):
    w = srv.web()
    w.get("/register")
    r = w.post("/register", {"name": "Sans Jeton", "email": "sans.jeton@ac-rennes.fr", "password": PASSWORD},
               csrf=False)
    assert r.status == 403 and "text/html" in r.headers["content-type"], r
    assert srv.mails("sans.jeton@ac-rennes.fr") == []
    # the address is still free: a proper registration works
    r = srv.api("POST", "/accounts", {"email": "sans.jeton@ac-rennes.fr", "password": PASSWORD, "name": "Sans"})
    assert r.status == 201, r
    # a CSRF cookie without the field, or the field without the cookie, is refused too
    r = srv.request("POST", "/register", urllib.parse.urlencode(
        {"csrf": w.csrf, "name": "X", "email": "no.cookie@ac-rennes.fr", "password": PASSWORD}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 403, r
    assert srv.mails("no.cookie@ac-rennes.fr") == []


def test_a_form_body_over_the_limit_is_413(srv):
    w = srv.web()
    w.get("/login")
    r = w.post("/login", {"email": "big@ac-rennes.fr", "password": "p" * (1024 * 1024 + 10)})
    assert r.status == 413 and "text/html" in r.headers["content-type"], r
    assert srv.request("GET", "/").status == 200


def test_registration_errors_keep_the_values_and_escape_them(srv):
    w = srv.web()
    w.get("/register")
    r = w.post("/register", {"name": HOSTILE, "email": "x@gmail.com", "password": PASSWORD})
    assert r.status == 422
    assert HOSTILE not in r.text and "&lt;script&gt;" in r.text


def test_forms_without_a_valid_csrf_token_change_nothing(srv):
    srv.user("csrf.target@ac-rennes.fr", "Cible")
    w = srv.web()
    w.login("csrf.target@ac-rennes.fr")
    for token in [None, "", "forged", w.csrf[:-1] + ("A" if w.csrf[-1] != "A" else "B")]:
        fields = {"name": "Pirate"}
        if token is not None:
            fields["csrf"] = token
        r = w.post("/me/edit", fields, csrf=False)
        assert r.status == 403, (token, r.status)
    # another browser's token does not work either
    other = srv.web()
    other.get("/")
    r = w.post("/me/edit", {"name": "Pirate", "csrf": other.csrf})
    assert r.status == 403
    assert "Pirate" not in w.get("/me/edit").text


def test_a_csrf_token_is_bound_to_its_session(srv):
    srv.user("csrf.alice@ac-rennes.fr", "Alice Liée")
    srv.user("csrf.bruno@ac-rennes.fr", "Bruno Lié")
    a, b = srv.web(), srv.web()
    a.login("csrf.alice@ac-rennes.fr")
    b.login("csrf.bruno@ac-rennes.fr")
    # B's token in A's session: refused, even with B's pre-session cookie planted in A's browser
    assert a.post("/me/edit", {"name": "Pirate", "csrf": b.csrf}).status == 403
    planted = srv.web()
    planted.cookies = dict(a.cookies, respire_csrf=b.cookies["respire_csrf"])
    r = planted.post("/me/edit", {"name": "Pirate", "csrf": b.csrf})
    assert r.status == 403, r
    # a visitor's token, taken before signing in, is refused once someone signs in with that cookie
    visitor = srv.web()
    visitor.get("/login")
    victim = srv.web()
    victim.cookies["respire_csrf"] = visitor.cookies["respire_csrf"]
    victim.login("csrf.alice@ac-rennes.fr")
    assert victim.csrf != visitor.csrf
    r = victim.post("/me/edit", {"name": "Pirate", "csrf": visitor.csrf})
    assert r.status == 403, r
    assert "Pirate" not in a.get("/me/edit").text
    # each session's own token works
    r = a.post("/me/edit", {"name": "Alice Liée-Bis"})
    assert r.status == 303, r
    r = victim.post("/me/edit", {"name": "Alice Liée-Ter"})
    assert r.status == 303, r
    assert "Alice Liée-Ter" in a.get("/me/edit").text


def test_a_hostile_name_is_escaped_everywhere(srv):
    uid = srv.user("hostile.name@ac-rennes.fr", HOSTILE)
    w = srv.web()
    w.login("hostile.name@ac-rennes.fr")
    for path in ["/", f"/users/{uid}", "/users", "/me/edit", "/me/sessions"]:
        r = w.get(path)
        assert r.status == 200, (path, r.status)
        assert HOSTILE not in r.text, path
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in w.get(f"/users/{uid}").text


def test_member_pages_send_visitors_to_the_login(srv):
    for path in ["/me/edit", "/me/sessions", "/users", "/users/1", "/contacts", "/notifications"]:
        r = srv.request("GET", path)
        assert r.status == 303, (path, r.status)
        assert r.headers["location"].startswith("/login?next="), path


def test_unknown_things_are_404_pages_and_wrong_methods_405(srv):
    srv.user("viewer.four@ac-rennes.fr", "Viewer")
    w = srv.web()
    w.login("viewer.four@ac-rennes.fr")
    for path in ["/users/999999", "/nope", "/groups/", "/static/../respire.db"]:
        r = w.get(path)
        assert r.status == 404, (path, r.status)
        assert "text/html" in r.headers["content-type"] and "Page introuvable" in r.text, path
    # A malformed id is the router's 400 (test_route_params.py), not a 404.
    for path in ["/users/abc", "/posts/0"]:
        r = w.get(path)
        assert r.status == 400 and "text/html" in r.headers["content-type"], (path, r.status)
    pending = expect(srv.api("POST", "/accounts", {"email": "pending.page@ac-rennes.fr", "password": PASSWORD,
                                                   "name": "En Attente"}), 201)["id"]
    r = w.get(f"/users/{pending}")
    assert r.status == 404 and "En Attente" not in r.text, r.status
    r = srv.request("GET", "/api/v1/nope")
    assert r.status == 404 and r.json()["error"]["code"] == "not_found"
    assert r.json()["error"]["message"] and "json" in r.headers["content-type"]
    r = srv.request("DELETE", "/login")
    assert r.status == 405 and "GET" in r.headers.get("allow", "")
    r = srv.request("PUT", "/api/v1/me")
    assert r.status == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_sessions_page_and_sign_out_everywhere(srv):
    srv.user("many.devices@ac-rennes.fr", "Appareils")
    phone = srv.web()
    phone.login("many.devices@ac-rennes.fr")
    laptop = srv.web()
    laptop.login("many.devices@ac-rennes.fr")
    r = laptop.get("/me/sessions")
    assert r.status == 200 and r.text.count("<tr>") == 3, r  # header + two sessions
    r = laptop.post("/me/sessions/end-all")
    assert r.status == 303
    assert "Bonjour" not in phone.get("/").text
    assert "Bonjour" not in laptop.get("/").text


def test_password_reset_through_the_pages(srv):
    srv.user("forgot.it@ac-rennes.fr", "Oublieux")
    w = srv.web()
    w.get("/password-reset")
    r = w.post("/password-reset", {"email": "forgot.it@ac-rennes.fr"})
    assert r.status == 200
    link = srv.mail_link("forgot.it@ac-rennes.fr")
    r = w.get(link[link.index("/password-reset"):])
    assert r.status == 200, r
    token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    assert w.post("/password-reset/confirm", {"token": token, "password": "court"}).status == 422
    r = w.post("/password-reset/confirm", {"token": token, "password": "une toute nouvelle phrase"})
    assert r.status == 200
    w.login("forgot.it@ac-rennes.fr", "une toute nouvelle phrase")


def test_profile_edit_form(srv):
    uid = srv.user("edit.form@ac-rennes.fr", "Forme")
    w = srv.web()
    w.login("edit.form@ac-rennes.fr")
    w.get("/me/edit")
    r = w.post("/me/edit", {"name": "Forme Éditée", "role": "trainer", "subjects": "Lettres, Latin ,, ",
                            "levels": "Lycée", "interests": "", "bio": "Bonjour\nà tous", "school": "Lycée X",
                            "academy": "Rennes", "lang": "fr", "allow_follow": "1"})
    assert r.status == 303, r
    p = expect(srv.api("GET", f"/users/{uid}", token=srv.login("edit.form@ac-rennes.fr")), 200)
    assert p["name"] == "Forme Éditée" and p["subjects"] == ["Lettres", "Latin"] and p["role"] == "trainer"
    w.get("/me/edit")
    r = w.post("/me/edit", {"name": "", "role": "trainer"})
    assert r.status == 422 and "Indiquez votre nom" in r.text


def test_replies_are_edited_from_the_page_and_moderators_see_the_moderation_link(srv):
    a_id, a_tok = srv.member("edit.reply.a@ac-lyon.fr", "Auteur Réponse")
    b_id, b_tok = srv.member("edit.reply.b@ac-lyon.fr", "Autre Membre")
    g = expect(srv.api("POST", "/groups", {"name": "Groupe édition", "kind": "practice", "visibility": "open"},
                       token=a_tok), 201)["id"]
    assert expect(srv.api("POST", f"/groups/{g}/join", token=b_tok), 200)["state"] == "member"
    pid = expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "Fil", "body": "Texte", "group_id": g,
                                            "visibility": "members"}, token=a_tok), 201)["id"]
    rid = expect(srv.api("POST", f"/posts/{pid}/replies", {"body": "Première version"}, token=b_tok), 201)["id"]
    wb = srv.web()
    wb.login("edit.reply.b@ac-lyon.fr")
    assert f'href="/replies/{rid}/edit"' in wb.get(f"/posts/{pid}").text
    form = wb.get(f"/replies/{rid}/edit")
    assert form.status == 200 and "Première version" in form.text
    assert wb.post(f"/replies/{rid}/edit", {"body": "Sans jeton"}, csrf=False).status == 403
    r = wb.post(f"/replies/{rid}/edit", {"body": "   "})
    assert r.status == 422
    r = wb.post(f"/replies/{rid}/edit", {"body": "Seconde <b>version</b>"})
    assert r.status == 303 and r.headers["location"] == f"/posts/{pid}#reply-{rid}"
    page = wb.get(f"/posts/{pid}").text
    assert "Seconde" in page and "<b>version</b>" not in page
    # someone else: 403 (they see the reply); unknown: 404
    c_id, c_tok = srv.member("edit.reply.c@ac-lyon.fr", "Troisième")
    wc = srv.web()
    wc.login("edit.reply.c@ac-lyon.fr")
    assert wc.get(f"/replies/{rid}/edit").status == 403
    assert wc.get("/replies/999999/edit").status == 404
    assert 'href="/moderation"' not in wc.get("/").text
    # the group's owner moderates: the header links to the queue
    wa = srv.web()
    wa.login("edit.reply.a@ac-lyon.fr")
    assert 'href="/moderation"' in wa.get("/").text
    assert wa.get(f"/replies/{rid}/edit").status == 200
