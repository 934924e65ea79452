"""Form fields are as strict as JSON strings: a NUL byte (which would cut the
value short) or bytes that are not UTF-8 in a field's value, or a name that
is not UTF-8, urlencoded or multipart, are refused with 422 and nothing
changes. (libmicrohttpd hands names over as C strings: a NUL in a name cuts
it, and the field is then one the route does not read.)"""
import lib

S = {}


def member(srv):
    if not S:
        S["uid"], S["token"] = srv.member("octets.formulaire@ac-caen.fr", "Octets Formulaire")
        S["web"] = w = srv.web()
        w.login("octets.formulaire@ac-caen.fr")
    return S


def my_name(srv, s):
    return lib.expect(srv.api("GET", "/me", token=s["token"]), 200)["name"]


def refused(r):
    assert r.status == 422, r
    assert "text/html" in r.headers["content-type"], r.headers
    assert "caractères qui ne sont pas du texte" in r.text, r.text[-900:]


def test_a_nul_in_a_post_title_creates_no_post(srv):
    s = member(srv)
    w = s["web"]
    assert w.get("/posts/new").status == 200
    fields = {"kind": "discussion", "title": "Titre\x00caché", "body": "Un message", "visibility": "members"}
    refused(w.post("/posts/new", fields))
    r = srv.api("GET", "/search?q=Titre", token=s["token"])
    assert lib.expect(r, 200)["items"] == [], r
    # The same form without the NUL is published: the refusal was for the byte alone.
    assert w.get("/posts/new").status == 200
    r = w.post("/posts/new", dict(fields, title="Titre visible"))
    assert r.status == 303 and r.headers["location"].startswith("/posts/"), r


def test_a_nul_or_bad_utf8_in_a_profile_field_changes_nothing(srv):
    s = member(srv)
    w = s["web"]
    for name in ["Nom\x00\xff", "Nom\x00", "Nom\xff"]:
        assert w.get("/me/edit").status == 200
        raw = {"name": name.encode("latin-1") if "\xff" in name else name}
        refused(w.post("/me/edit", raw))
        assert my_name(srv, s) == "Octets Formulaire", name
    # A field whose name is not UTF-8 is refused too.
    assert w.get("/me/edit").status == 200
    refused(w.post("/me/edit", {"name": "Autre Nom", b"bio\xff": "b"}))
    assert my_name(srv, s) == "Octets Formulaire"


def test_multipart_fields_are_checked_alike(srv):
    s = member(srv)
    body, ctype = lib.multipart({"name": "Mul\x00ti"}, [])
    w = s["web"]
    assert w.get("/me/edit").status == 200
    # Through the page (multipart form with the CSRF token)...
    r = w.post_multipart("/me/edit", {"name": "Mul\x00ti"}, [])
    refused(r)
    # ...and through the API's multipart avatar route: 422 naming the field.
    r = srv.api("PUT", "/me/avatar", raw=body, token=s["token"], headers={"Content-Type": ctype})
    assert r.status == 422 and r.json()["error"]["code"] == "invalid_field", r
    assert r.json()["error"]["field"] == "name", r.json()
    assert my_name(srv, s) == "Octets Formulaire"
