"""Export and import: a whole network moves between backends without loss."""
import os
import subprocess
import tempfile
import urllib.parse

from lib import multipart, png


def run(srv, *args):
    return subprocess.run([srv.bin, *args], capture_output=True, text=True, env=srv.env, timeout=120)


def test_round_trip_through_an_empty_sqlite_database(srv):
    a, ta = srv.member("export.anna@ac-amiens.fr", "Anna Export")
    b, tb = srv.member("export.basile@ac-amiens.fr", "Basile Export")
    srv.api("PATCH", "/me", {"subjects": ["Histoire"], "bio": "Ligne 1\nLigne 2 « guillemets »"}, token=ta)
    body, ctype = multipart({}, {"avatar": ("a.png", png(), "image/png")})
    assert srv.api("PUT", "/me/avatar", raw=body, token=ta, headers={"Content-Type": ctype}).status == 200
    srv.api("POST", "/contacts", {"user_id": b}, token=ta)
    srv.api("POST", f"/contacts/{a}/accept", token=tb)
    g = srv.api("POST", "/groups", {"name": "Groupe exporté", "kind": "resources", "visibility": "closed"},
                token=ta).json()["id"]
    p = srv.api("POST", "/posts", {"kind": "page", "title": "Wiki", "body": "v1", "group_id": g}, token=ta).json()["id"]
    srv.api("PATCH", f"/posts/{p}", {"body": "v2"}, token=ta)
    srv.api("POST", f"/posts/{p}/replies", {"body": "Une réponse"}, token=ta)
    r = srv.api("POST", "/posts", {"kind": "blog", "title": "Public", "body": "x", "visibility": "public"}, token=tb)
    srv.api("POST", f"/posts/{r.json()['id']}/hide", token=tb)  # not a moderator: refused, nothing logged
    body, ctype = multipart({"title": "Fiche exportée", "group_id": str(g), "subjects": "Histoire"},
                            {"file": ("fiche.txt", "Séquence 1\n".encode(), "text/plain")})
    doc = srv.api("POST", "/documents", raw=body, token=ta, headers={"Content-Type": ctype})
    assert doc.status == 201, doc.text
    doc = doc.json()["id"]
    body, ctype = multipart({"note": "corrigée"}, {"file": ("fiche.txt", "Séquence 1 bis\n".encode(), "text/plain")})
    assert srv.api("POST", f"/documents/{doc}/versions", raw=body, token=ta, headers={"Content-Type": ctype}).status == 201
    srv.api("POST", f"/documents/{doc}/comments", {"body": "Merci !"}, token=ta)
    srv.api("PUT", f"/documents/{doc}/useful", token=ta)

    with tempfile.TemporaryDirectory() as d:
        out1, out2, data2 = os.path.join(d, "e1"), os.path.join(d, "e2"), os.path.join(d, "data2")
        r = run(srv, "export", "--data", srv.data, *srv.db_args, "--out", out1)
        assert r.returncode == 0, r.stderr
        assert oct(os.stat(os.path.join(out1, "respire.jsonl")).st_mode & 0o777) == "0o600"
        r = run(srv, "import", "--data", data2, "--in", out1)
        assert r.returncode == 0, r.stderr
        r = run(srv, "export", "--data", data2, "--out", out2)
        assert r.returncode == 0, r.stderr
        with open(os.path.join(out1, "respire.jsonl")) as f1, open(os.path.join(out2, "respire.jsonl")) as f2:
            rows1, rows2 = f1.read().splitlines()[1:], f2.read().splitlines()[1:]
        assert rows1 == rows2 and len(rows1) > 20
        for t in ["users", "groups", "group_members", "posts", "post_revisions", "replies", "contacts",
                  "notifications", "activities", "settings", "blobs", "documents", "document_versions",
                  "document_tags", "document_comments", "document_useful"]:
            assert any(f'"table":"{t}"' in line for line in rows1), t
        assert sorted(os.listdir(os.path.join(out1, "avatars"))) == sorted(os.listdir(os.path.join(data2, "avatars")))

        def tree(root):
            return sorted(os.path.relpath(os.path.join(w, f), root) for w, _, fs in os.walk(root) for f in fs)
        objects = tree(os.path.join(srv.data, "objects"))
        assert len(objects) == 2 and tree(os.path.join(data2, "objects")) == objects
        for o in objects:  # byte for byte
            with open(os.path.join(srv.data, "objects", o), "rb") as x, open(os.path.join(data2, "objects", o), "rb") as y:
                assert x.read() == y.read()
        # importing twice is refused: the target is no longer empty
        r = run(srv, "import", "--data", data2, "--in", out1)
        assert r.returncode == 1 and "not empty" in r.stderr
        # and back into PostgreSQL (in the PostgreSQL pass): the same rows again
        pg = os.environ.get("RESPIRE_TEST_PG_URL")
        if srv.db_args and pg:
            u = urllib.parse.urlparse(pg)
            name = f"roundtrip_{os.getpid()}"
            subprocess.run(["psql", u._replace(path="/postgres").geturl(), "-q", "-c", f'CREATE DATABASE "{name}"'],
                           check=True, capture_output=True)
            back = u._replace(path="/" + name).geturl()
            out3, data3 = os.path.join(d, "e3"), os.path.join(d, "data3")
            r = run(srv, "import", "--data", data3, "--db", back, "--in", out2)
            assert r.returncode == 0, r.stderr
            r = run(srv, "export", "--data", data3, "--db", back, "--out", out3)
            assert r.returncode == 0, r.stderr
            with open(os.path.join(out3, "respire.jsonl")) as f3:
                assert f3.read().splitlines()[1:] == rows1


def test_import_refuses_what_is_not_an_export(srv):
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "in"))
        with open(os.path.join(d, "in", "respire.jsonl"), "w") as f:
            f.write('{"hello": 1}\n')
        r = run(srv, "import", "--data", os.path.join(d, "data"), "--in", os.path.join(d, "in"))
        assert r.returncode == 1 and "not a Respire export" in r.stderr, r
        with open(os.path.join(d, "in", "respire.jsonl"), "w") as f:
            f.write('{"respire_export":1,"schema_version":1}\n{"table":"users","row":[1]}\n')
        r = run(srv, "import", "--data", os.path.join(d, "data"), "--in", os.path.join(d, "in"))
        assert r.returncode == 1 and "columns" in r.stderr, r
        r = run(srv, "import", "--data", os.path.join(d, "data"), "--in", os.path.join(d, "missing"))
        assert r.returncode == 1
