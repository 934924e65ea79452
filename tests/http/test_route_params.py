"""Typed route parameters: a path segment declared {id:int} that does not
parse (not a number, signed, zero-padded, zero, overflowing, empty) answers
400 invalid_parameter before any handler runs, in JSON on the API and as an
HTML page on pages; a well-formed id that names nothing is the handler's 404."""
from lib import PASSWORD  # noqa: F401  (the harness's accounts use it)

BAD = ["abc", "-1", "+1", "007", "0", "1.5", "1e3", "%20", "12abc",
       "9223372036854775808", "99999999999999999999",
       # a NUL and what follows it are part of the segment: never read as "1"
       "1%00", "1%00abc", "%00"]

S = {}


def setup(srv):
    if not S:
        S["uid"], S["token"] = srv.member("params.one@ac-rennes.fr", "Params Un")
        S["web"] = w = srv.web()
        assert w.get("/login").status == 200
        r = w.post("/login", {"email": "params.one@ac-rennes.fr", "password": PASSWORD})
        assert r.status == 303, r
        w.get("/")
    return S


def api_bad(srv, method, path, token):
    r = srv.api(method, path, token=token, body={} if method in ("POST", "PATCH", "PUT") else None)
    assert r.status == 400, (method, path, r)
    e = r.json()["error"]
    assert e["code"] == "invalid_parameter" and e["message"], (path, e)
    assert "application/json" in r.headers["content-type"], path


def page_bad(w, method, path):
    r = w.get(path) if method == "GET" else w.post(path, {})
    assert r.status == 400, (method, path, r.status)
    assert "text/html" in r.headers["content-type"], path
    assert "Requête incorrecte" in r.text and "numéro" in r.text, (path, r.text[:500])


def test_api_routes_answer_400_for_malformed_ids(srv):
    s = setup(srv)
    for bad in BAD:
        api_bad(srv, "GET", f"/posts/{bad}", s["token"])
        api_bad(srv, "GET", f"/users/{bad}", s["token"])
        api_bad(srv, "GET", f"/groups/{bad}/members", s["token"])
        api_bad(srv, "DELETE", f"/posts/{bad}", s["token"])
        api_bad(srv, "PATCH", f"/groups/{bad}", s["token"])
        api_bad(srv, "GET", f"/posts/1/revisions/{bad}", s["token"])
        api_bad(srv, "DELETE", f"/groups/1/members/{bad}", s["token"])
        api_bad(srv, "GET", f"/documents/{bad}/file", s["token"])
        api_bad(srv, "GET", f"/documents/1/versions/{bad}/file", s["token"])
    # An empty segment is a malformed id too.
    api_bad(srv, "GET", "/posts//replies", s["token"])
    api_bad(srv, "POST", "/groups//join", s["token"])


def test_pages_answer_400_pages_for_malformed_ids(srv):
    s = setup(srv)
    w = s["web"]
    for bad in BAD:
        page_bad(w, "GET", f"/posts/{bad}")
        page_bad(w, "GET", f"/groups/{bad}")
        page_bad(w, "GET", f"/users/{bad}")
        page_bad(w, "GET", f"/documents/{bad}/file")
        page_bad(w, "POST", f"/posts/{bad}/delete")
        page_bad(w, "POST", f"/groups/1/members/{bad}/remove")
    page_bad(w, "GET", "/groups//members")
    # In English too.
    r = srv.request("GET", "/posts/abc", headers={"Accept-Language": "en"})
    assert r.status == 400 and "Bad request" in r.text and "number" in r.text, r


def test_before_anything_else(srv):
    """The router answers before who-may-call and CSRF: a visitor, or a form
    without its token, gets the 400 too; nothing is written."""
    setup(srv)
    r = srv.api("GET", "/users/abc")
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_parameter", r
    r = srv.request("POST", "/posts/abc/delete", b"x=1", {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 400 and "text/html" in r.headers["content-type"], r


def test_well_formed_unknown_ids_are_404(srv):
    s = setup(srv)
    for path in ["/posts/999999", "/users/999999", "/groups/999999", "/documents/999999/file",
                 "/posts/9223372036854775807"]:
        r = srv.api("GET", path, token=s["token"])
        assert r.status == 404 and r.json()["error"]["code"] == "not_found", (path, r)
    for path in ["/posts/999999", "/groups/999999", "/users/999999", "/documents/999999/file"]:
        r = s["web"].get(path)
        assert r.status == 404 and "Page introuvable" in r.text, (path, r.status)


def test_shape_still_decides_404_and_405(srv):
    s = setup(srv)
    # A trailing slash is another path; a method the path never takes is 405.
    assert srv.api("GET", "/posts/", token=s["token"]).status == 404
    assert srv.api("GET", "/posts/abc/nothing", token=s["token"]).status == 404
    r = srv.api("PUT", "/posts/abc", token=s["token"], body={})
    assert r.status == 405 and r.json()["error"]["code"] == "method_not_allowed", r
    # Literal segments beside a parameter still win: /groups/new is a page, /contacts/requests a list.
    assert s["web"].get("/groups/new").status == 200
    assert srv.api("GET", "/contacts/requests", token=s["token"]).status == 200
