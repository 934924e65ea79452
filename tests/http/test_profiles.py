"""Profiles, the colleague directory and avatars (JSON API)."""
from urllib.parse import quote

from lib import expect, multipart, png

MATHS = quote("Mathématiques")


def setup_members(srv):
    global A, TA, B, TB
    A, TA = srv.member("nadia.haddad@ac-nice.fr", "Nadia Haddad")
    B, TB = srv.register("hugo.lambert@ac-nice.fr", "Hugo Lambert")  # through the API this time


def test_me_has_the_email_and_defaults(srv):
    setup_members(srv)
    r = srv.api("GET", "/me", token=TA)
    assert r.status == 200, r
    me = r.json()
    assert me["email"] == "nadia.haddad@ac-nice.fr" and me["name"] == "Nadia Haddad"
    assert me["academy"] == "Nice"  # from the address
    assert me["handle"] == "nadia-haddad"


def test_patch_me(srv):
    body = {"name": "Nadia Haddad-Roy", "bio": "Professeure de SVT.\nClasse dehors.", "role": "teacher",
            "subjects": ["SVT", "Physique-chimie"], "levels": ["Collège"], "academy": "Nice",
            "school": "Collège Matisse", "interests": ["Classe dehors"]}
    r = srv.api("PATCH", "/me", body, token=TA)
    assert r.status == 200, r
    me = r.json()
    for k, v in body.items():
        assert me[k] == v, (k, me[k])


def test_every_listed_role_is_accepted(srv):
    # profile_roles in src/domain/profile.c
    for role in ["head_teacher", "adviser", "trainer", "inspector", "librarian", "trainee", "other", "teacher"]:
        r = srv.api("PATCH", "/me", {"role": role}, token=TA)
        assert r.status == 200 and r.json()["role"] == role, (role, r)
    r = srv.api("PATCH", "/me", {"role": "Teacher"}, token=TA)
    expect(r, 422, "invalid_field")


def test_patch_me_refuses_bad_values(srv):
    cases = [({"role": "admin"}, "role"), ({"role": "king"}, "role"), ({"name": ""}, "name"),
             ({"name": 12}, "name"), ({"subjects": "SVT"}, "subjects"), ({"subjects": [1]}, "subjects"),
             ({"subjects": ["x"] * 21}, "subjects"), ({"bio": "b" * 2001}, "bio"), ({"is_admin": True}, "is_admin"),
             ({"email": "other@ac-nice.fr"}, "email"), ({"school": "a\tb"}, "school"),
             ({"name": "   "}, "name"), ({"name": "\u00a0"}, "name"), ({"name": "\u202e\u200b"}, "name")]
    for body, field in cases:
        r = srv.api("PATCH", "/me", body, token=TA)
        code = "unknown_field" if field in ("is_admin", "email") else "invalid_field"  # not editable here
        assert r.status == 422 and r.json()["error"]["code"] == code, (body, r)
        assert r.json()["error"].get("field") == field, (body, r)
    assert expect(srv.api("GET", "/me", token=TA), 200)["name"] == "Nadia Haddad-Roy"  # nothing half-written


def test_another_members_profile_never_shows_the_email(srv):
    r = srv.api("GET", f"/users/{A}", token=TB)
    assert r.status == 200, r
    assert "email" not in r.json() and "nadia.haddad" not in r.text
    assert r.json()["subjects"] == ["SVT", "Physique-chimie"]


def test_ones_own_profile_never_shows_the_email(srv):
    # the e-mail is in GET /me only: a profile never carries it, one's own included
    r = srv.api("GET", f"/users/{A}", token=TA)
    assert r.status == 200, r
    assert "email" not in r.json() and "nadia.haddad@" not in r.text, r.text
    assert srv.api("GET", "/me", token=TA).json()["email"] == "nadia.haddad@ac-nice.fr"
    # nor in a list of members that holds oneself
    gid = srv.api("POST", "/groups", {"name": "Classe dehors", "description": "", "kind": "practice",
                                      "visibility": "open"}, token=TA).json()["id"]
    r = srv.api("GET", f"/groups/{gid}/members", token=TA)
    assert r.status == 200 and "nadia.haddad@" not in r.text, r.text
    # the profile page, to oneself and to others
    for email in ("nadia.haddad@ac-nice.fr", "hugo.lambert@ac-nice.fr"):
        w = srv.web()
        w.login(email)
        page = w.get(f"/users/{A}")
        assert page.status == 200 and "Nadia Haddad" in page.text, page
        assert "nadia.haddad@" not in page.text, (email, page.text)


def test_profiles_need_a_member_and_hide_the_unknown(srv):
    assert srv.api("GET", f"/users/{A}").status == 401
    for bad in ["999999"]:
        r = srv.api("GET", f"/users/{bad}", token=TB)
        assert r.status == 404, (bad, r)
    # Not an id at all: the router's 400 (test_route_params.py).
    for bad in ["0", "-1", "abc", "1e3", "%00", "1%00"]:
        r = srv.api("GET", f"/users/{bad}", token=TB)
        assert r.status == 400 and r.json()["error"]["code"] == "invalid_parameter", (bad, r)
    pending = expect(srv.api("POST", "/accounts", {"email": "pending.one@ac-nice.fr", "password": "une phrase de passe solide",
                                                   "name": "Pending"}), 201)["id"]
    assert srv.api("GET", f"/users/{pending}", token=TB).status == 404


def test_directory_filters_and_pages(srv):
    for i in range(5):
        uid, t = srv.member(f"prof{i}.maths@ac-nice.fr", f"Prof Maths {i}")
        expect(srv.api("PATCH", "/me", {"subjects": ["Mathématiques"], "levels": ["Lycée"], "role": "teacher"}, token=t), 200)
    r = srv.api("GET", f"/users?subject={MATHS}&limit=2", token=TA)
    assert r.status == 200, r
    page1 = r.json()
    assert len(page1["items"]) == 2 and page1["next"]
    seen = [u["name"] for u in page1["items"]]
    cursor = page1["next"]
    while cursor:
        p = expect(srv.api("GET", f"/users?subject={MATHS}&limit=2&cursor={cursor}", token=TA), 200)
        seen += [u["name"] for u in p["items"]]
        cursor = p["next"]
    assert sorted(seen) == [f"Prof Maths {i}" for i in range(5)], seen
    r = expect(srv.api("GET", "/users?q=haddad", token=TB), 200)
    assert [u["name"] for u in r["items"]] == ["Nadia Haddad-Roy"]
    r = expect(srv.api("GET", "/users?academy=Nice&level=" + quote("Collège"), token=TB), 200)
    assert [u["name"] for u in r["items"]] == ["Nadia Haddad-Roy"]
    assert expect(srv.api("GET", "/users?q=%25", token=TB), 200)["items"] == []  # LIKE wildcards are literal
    expect(srv.api("GET", "/users?cursor=abc", token=TB), 400, "invalid_cursor")
    expect(srv.api("GET", "/users?limit=1000", token=TB), 400, "invalid_parameter")
    expect(srv.api("GET", "/users?q=" + "x" * 300, token=TB), 400, "invalid_parameter")


def test_avatar_upload_and_download(srv):
    body, ctype = multipart({}, {"avatar": ("moi.png", png(), "image/png")})
    r = srv.api("PUT", "/me/avatar", raw=body, token=TA, headers={"Content-Type": ctype})
    assert r.status == 200, r
    url = r.json()["avatar_url"]
    assert url == f"/api/v1/users/{A}/avatar"
    r = srv.request("GET", url, headers={"Authorization": "Bearer " + TB})
    assert r.status == 200 and r.headers["content-type"] == "image/png" and r.body == png()
    assert r.headers["x-content-type-options"] == "nosniff"
    assert srv.request("GET", url).status == 401
    assert expect(srv.api("GET", f"/users/{A}", token=TB), 200)["avatar_url"] == url
    assert expect(srv.api("GET", "/me", token=TA), 200)["avatar_url"] == url


def test_avatar_refuses_what_is_not_an_image(srv):
    for name, data in [("fake.png", b"just text, not a picture\n"),
                       ("page.png", b"<html><script>alert(1)</script></html>"),
                       ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')]:
        body, ctype = multipart({}, {"avatar": (name, data, "image/png")})
        r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
        expect(r, 415, "unsupported_type")
    body, ctype = multipart({}, {"avatar": ("big.png", png() + b"\0" * (2 * 1024 * 1024 + 10), "image/png")})
    r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
    expect(r, 413, "too_large")
    body, ctype = multipart({"note": "no file"}, {})
    r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
    expect(r, 422, "invalid_field")
    assert expect(srv.api("GET", "/me", token=TB), 200)["avatar_url"] is None


def test_avatar_refuses_too_many_pixels_from_the_header(srv):
    bomb = png(declared=(20000, 20000))
    assert len(bomb) < 1000
    for size in [(20000, 20000), (4097, 10), (10, 4097)]:
        body, ctype = multipart({}, {"avatar": ("bombe.png", png(declared=size), "image/png")})
        r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
        assert r.status == 422, (size, r)
        err = r.json()["error"]
        assert err["code"] == "image_too_large" and err["field"] == "avatar" and "4096" in err["message"], err
    assert srv.api("GET", "/me", token=TB).json()["avatar_url"] is None
    # at the limit it is taken
    body, ctype = multipart({}, {"avatar": ("grande.png", png(declared=(4096, 4096)), "image/png")})
    r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
    assert r.status == 200 and r.json()["avatar_url"], r
    assert srv.api("DELETE", "/me/avatar", token=TB).status == 204
    # the page's form: the same refusal, said on the page
    w = srv.web()
    w.login("hugo.lambert@ac-nice.fr")
    w.get("/me/edit")
    r = w.post_multipart("/me/avatar", {}, {"avatar": ("bombe.png", bomb, "image/png")})
    assert r.status == 422 and "4096 × 4096" in r.text, r
    assert srv.api("GET", "/me", token=TB).json()["avatar_url"] is None
    # a header that gives no size is not an image we take
    broken = bomb[:16]
    body, ctype = multipart({}, {"avatar": ("cassee.png", broken, "image/png")})
    r = srv.api("PUT", "/me/avatar", raw=body, token=TB, headers={"Content-Type": ctype})
    assert r.status == 415, r


def test_avatar_removal(srv):
    assert srv.api("DELETE", "/me/avatar", token=TA).status == 204
    assert expect(srv.api("GET", "/me", token=TA), 200)["avatar_url"] is None
    assert srv.request("GET", f"/api/v1/users/{A}/avatar", headers={"Authorization": "Bearer " + TB}).status == 404
