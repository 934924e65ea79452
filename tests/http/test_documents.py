"""Documents and films: upload, download, ranges, validators, types, names,
versions, comments, marks, quotas, thumbnails, pages, and who may reach what."""
import hashlib
import os
import re
import subprocess
import tempfile
import time

from lib import expect, server_today, multipart, png, wait_until

# Small limits so that the quota and size paths are reachable quickly.
SERVER_ENV = {"RESPIRE_QUOTA_MEMBER": "1m", "RESPIRE_QUOTA_GROUP": "2m", "RESPIRE_MAX_UPLOAD": "3m"}

S = {}


def upload(srv, token, files, **fields):
    """POST /documents; files: [(name, bytes, type)]."""
    body, ctype = multipart({k: v for k, v in fields.items()}, [("file", f) for f in files])
    return srv.api("POST", "/documents", raw=body, token=token, headers={"Content-Type": ctype})


def objects(srv):
    root = os.path.join(srv.data, "objects")
    return sorted(f for _, _, fs in os.walk(root) for f in fs)


def tmp_files(srv):
    d = os.path.join(srv.data, "tmp")
    return os.listdir(d) if os.path.isdir(d) else []


def text(n, seed=b"Respire "):
    return (seed * (n // len(seed) + 1))[:n]


def test_setup(srv):
    S["a"], S["ta"] = srv.member("doc.alice@ac-lyon.fr", "Alice Document")
    S["b"], S["tb"] = srv.member("doc.bruno@ac-lyon.fr", "Bruno Document")
    S["c"], S["tc"] = srv.member("doc.chloe@ac-lyon.fr", "Chloé Document")
    g = expect(srv.api("POST", "/groups", {"name": "Ressources fermées", "kind": "resources", "visibility": "closed"},
                       token=S["ta"]), 201)["id"]
    assert expect(srv.api("POST", f"/groups/{g}/join", token=S["tb"]), 202)["state"] == "requested"
    assert srv.api("POST", f"/groups/{g}/requests/{S['b']}/accept", token=S["ta"]).status == 200
    o = expect(srv.api("POST", "/groups", {"name": "Ressources ouvertes", "kind": "resources", "visibility": "open"},
                       token=S["ta"]), 201)["id"]
    S["closed"], S["open"] = g, o


def test_upload_then_download_byte_for_byte(srv):
    data = text(10_000) + "\nÉlèves de 6e\n".encode()
    r = upload(srv, S["ta"], [("séquence 1.txt", data, "text/plain")], title="Séquence 1",
               description="Une fiche", subjects="Mathématiques, Physique", levels="6e", licence="CC-BY")
    assert r.status == 201, r.text
    d = r.json()
    assert d["title"] == "Séquence 1" and d["filename"] == "séquence 1.txt" and d["size"] == len(data)
    assert d["kind"] == "text" and d["licence"]["code"] == "CC-BY" and "creativecommons.org" in d["licence"]["url"]
    assert d["subjects"] == ["Mathématiques", "Physique"] and d["levels"] == ["6e"]
    assert d["visibility"] == "members" and d["version"] == 1 and d["sha256"] == hashlib.sha256(data).hexdigest()
    S["doc"] = d["id"]
    r = srv.api("GET", f"/documents/{d['id']}/file", token=S["tb"])
    assert r.status == 200 and r.body == data
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''s%C3%A9quence%201.txt" in r.headers["content-disposition"]
    assert r.headers["etag"] == '"%s"' % d["sha256"] and "last-modified" in r.headers
    assert expect(srv.api("GET", f"/documents/{d['id']}", token=S["tb"]), 200)["download_count"] == 1
    # shown inline only when asked, as plain text whatever its name
    r = srv.api("GET", f"/documents/{d['id']}/file?inline=1", token=S["tb"])
    assert r.headers["content-disposition"].startswith("inline;")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert expect(srv.api("GET", f"/documents/{d['id']}", token=S["tb"]), 200)["download_count"] == 1
    assert wait_until(lambda: tmp_files(srv) == []), tmp_files(srv)


def test_ranges(srv):
    data = text(10_000) + "\nÉlèves de 6e\n".encode()
    path = f"/documents/{S['doc']}/file"
    n = len(data)
    for rng, start, end in [("bytes=0-99", 0, 99), ("bytes=5000-5099", 5000, 5099), ("bytes=-100", n - 100, n - 1),
                            ("bytes=9990-", 9990, n - 1), ("bytes=0-999999", 0, n - 1)]:
        r = srv.api("GET", path, token=S["tb"], headers={"Range": rng})
        assert r.status == 206, (rng, r.status)
        assert r.body == data[start:end + 1], rng
        assert r.headers["content-range"] == f"bytes {start}-{end}/{n}", rng
    for rng in ["bytes=99999-", "bytes=50-10", "bytes=abc", "items=0-1", "bytes=-0", "bytes=--5"]:
        r = srv.api("GET", path, token=S["tb"], headers={"Range": rng})
        assert r.status == 416, (rng, r.status)
        assert r.headers["content-range"] == f"bytes */{n}", rng
    # several ranges: the whole file
    r = srv.api("GET", path, token=S["tb"], headers={"Range": "bytes=0-1,5-6"})
    assert r.status == 200 and r.body == data
    # If-Range with another tag: the whole file
    r = srv.api("GET", path, token=S["tb"], headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert r.status == 200 and r.body == data


def test_conditional_requests(srv):
    path = f"/documents/{S['doc']}/file"
    r = srv.api("GET", path, token=S["tb"])
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    before = expect(srv.api("GET", f"/documents/{S['doc']}", token=S["tb"]), 200)["download_count"]
    r = srv.api("GET", path, token=S["tb"], headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b""
    r = srv.api("GET", path, token=S["tb"], headers={"If-None-Match": '"nope", ' + etag})
    assert r.status == 304
    r = srv.api("GET", path, token=S["tb"], headers={"If-Modified-Since": modified})
    assert r.status == 304
    r = srv.api("GET", path, token=S["tb"], headers={"If-None-Match": '"nope"'})
    assert r.status == 200
    r = srv.api("GET", path, token=S["tb"], headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert r.status == 200
    r = srv.api("GET", path, token=S["tb"], headers={"If-Modified-Since": "not a date"})
    assert r.status == 200
    after = expect(srv.api("GET", f"/documents/{S['doc']}", token=S["tb"]), 200)["download_count"]
    assert after == before + 3  # the three full answers, not the revalidations


def test_forbidden_types_are_refused(srv):
    elf = open("/bin/true", "rb").read()[:4096]
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    html = b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body>x</body></html>"
    for name, data in [("page.html", html), ("image.svg", svg), ("prog.png", elf), ("run.sh", b"#!/bin/sh\nrm -rf /\n")]:
        before = objects(srv)
        r = upload(srv, S["ta"], [(name, data, "image/png")], title="Refusé")
        assert r.status == 415 and r.json()["error"]["code"] == "unsupported_type", (name, r.text)
        assert objects(srv) == before and wait_until(lambda: tmp_files(srv) == [])
    # Markdown or text with tags in it stays text, sent as plain text
    r = upload(srv, S["ta"], [("notes.txt", html, "text/plain")], title="Des balises")
    assert r.status == 201 and r.json()["mime"] == "text/plain", r.text
    f = srv.api("GET", f"/documents/{r.json()['id']}/file?inline=1", token=S["ta"])
    assert f.headers["content-type"] == "text/plain; charset=utf-8" and "sandbox" in f.headers["content-security-policy"]


def test_file_names_are_made_safe(srv):
    for raw, want in [("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\win.txt", "win.txt"), (".hidden.txt", "hidden.txt"),
                      ("a<b>c|d?.txt", "a_b_c_d_.txt")]:
        r = upload(srv, S["ta"], [(raw, b"contenu\n", "text/plain")], title="Nom")
        assert r.status == 201, (raw, r.text)
        assert r.json()["filename"] == want, (raw, r.json()["filename"])
    long = "é" * 300 + ".txt"
    name = expect(upload(srv, S["ta"], [(long, b"long\n", "text/plain")], title="Long"), 201)["filename"]
    assert name.endswith(".txt") and len(name.encode()) <= 180 and name.startswith("éé")
    # a NUL byte inside the name (raw bytes in the multipart header)
    boundary = "----respirenul"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nNul\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a").encode() + b"\x00" + \
        (f"b.txt\"\r\nContent-Type: text/plain\r\n\r\nnul\r\n--{boundary}--\r\n").encode()
    r = srv.api("POST", "/documents", raw=body, token=S["ta"],
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    # the part whose name holds a NUL is not taken for a file: no file was sent
    assert r.status == 422 and r.json()["error"]["field"] == "file", r.text
    # whatever came in, the download header stays one clean line
    recent = expect(srv.api("GET", "/documents?sort=recent", token=S["ta"]), 200)["items"][:3]
    assert len(recent) == 3, recent
    for d in recent:
        cd = srv.api("GET", f"/documents/{d['id']}/file", token=S["ta"]).headers["content-disposition"]
        assert "\r" not in cd and "\n" not in cd and "\x00" not in cd


def test_truncated_or_broken_multipart_leaves_nothing(srv):
    before_objects = objects(srv)
    before = len(expect(srv.api("GET", "/documents", token=S["ta"]), 200)["items"])
    body, ctype = multipart({"title": "Coupé"}, [("file", ("cut.txt", text(50_000), "text/plain"))])
    cut = body[:-150]  # no closing boundary
    r = srv.api("POST", "/documents", raw=cut, token=S["ta"], headers={"Content-Type": ctype})
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_body", r.text
    r = srv.api("POST", "/documents", raw=b"not multipart at all", token=S["ta"],
                headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    assert r.status == 422 and r.json()["error"]["code"] == "invalid_field" and r.json()["error"]["field"] == "file", r
    r = srv.api("POST", "/documents", raw=b'{"title": "x"}', token=S["ta"], headers={"Content-Type": "application/json"})
    # not a form: read as an empty one, which lacks its file
    assert r.status == 422 and r.json()["error"]["code"] == "invalid_field" and r.json()["error"]["field"] == "file", r
    # a client that goes away in the middle of its upload
    import socket
    s = socket.create_connection((srv.host, srv.port))
    head = (f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {S['ta']}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    s.sendall(head + body[:20_000])
    time.sleep(0.5)
    s.close()
    assert wait_until(lambda: tmp_files(srv) == [], timeout=40)
    assert objects(srv) == before_objects
    assert len(expect(srv.api("GET", "/documents", token=S["ta"]), 200)["items"]) == before


def test_a_body_sent_in_small_pieces_is_read_whole(srv):
    """However the network cuts the body (here: one byte of file per packet,
    pauses between), the file arrives whole and is one file."""
    import socket
    for data in [b"ab", b"Bonjour\n", text(300)]:
        body, ctype = multipart({"title": "Morceaux"}, [("file", ("morceaux.txt", data, "text/plain"))])
        head = (f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {S['ta']}\r\n"
                f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        s = socket.create_connection((srv.host, srv.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(head)
        cut = body.index(data)
        for piece in [body[:cut]] + [body[i:i + 1] for i in range(cut, cut + len(data))] + [body[cut + len(data):]]:
            time.sleep(0.02)
            s.sendall(piece)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        s.close()
        assert answer.startswith(b"HTTP/1.1 201"), answer[:400]
        doc = answer.split(b"\r\n\r\n", 1)[1]
        import json
        d = json.loads(doc)
        assert d["size"] == len(data), d
        assert srv.api("GET", f"/documents/{d['id']}/file", token=S["ta"]).body == data
        assert srv.api("DELETE", f"/documents/{d['id']}", token=S["ta"]).status == 204


def test_several_files_at_once_and_the_same_file_twice(srv):
    a, b = text(3000, b"Fiche A "), text(3000, b"Fiche B ")
    before = objects(srv)
    r = upload(srv, S["ta"], [("fiche-a.txt", a, "text/plain"), ("fiche-b.txt", b, "text/plain")],
               title="Lot", licence="CC0")
    assert r.status == 201, r.text
    items = r.json()["items"]
    assert [d["title"] for d in items] == ["Lot — fiche-a", "Lot — fiche-b"]
    assert all(d["licence"]["code"] == "CC0" for d in items)
    assert len(objects(srv)) == len(before) + 2
    # the same bytes again, by another member: stored once
    r = upload(srv, S["tb"], [("copie.txt", a, "text/plain")], title="Copie")
    assert r.status == 201 and r.json()["sha256"] == items[0]["sha256"]
    assert len(objects(srv)) == len(before) + 2
    # deleting one of the two keeps the file for the other; deleting both removes it
    assert srv.api("DELETE", f"/documents/{items[0]['id']}", token=S["ta"]).status == 204
    assert items[0]["sha256"] in objects(srv)
    copy = r.json()["id"]
    assert srv.api("GET", f"/documents/{copy}/file", token=S["tb"]).body == a
    assert srv.api("DELETE", f"/documents/{copy}", token=S["tb"]).status == 204
    assert srv.api("GET", f"/documents/{copy}", token=S["tb"]).status == 404
    # the file goes with housekeeping, not with the request (an upload of the
    # same bytes may be on its way): kept within the grace period...
    assert housekeeping(srv, 600) == "expired rows: 0, upload leftovers: 0, unused files: 0"
    assert items[0]["sha256"] in objects(srv)
    # ...then removed, once
    out = housekeeping(srv, 0)
    assert int(out.rsplit(" ", 1)[1]) >= 1, out  # earlier tests' deletions count too
    assert items[0]["sha256"] not in objects(srv)
    assert housekeeping(srv, 0).endswith("unused files: 0")
    # the same bytes uploaded again are stored again
    r = upload(srv, S["ta"], [("fiche-a.txt", a, "text/plain")], title="Retour")
    assert r.status == 201 and items[0]["sha256"] in objects(srv)
    assert srv.api("GET", f"/documents/{r.json()['id']}/file", token=S["ta"]).body == a
    assert srv.api("DELETE", f"/documents/{items[1]['id']}", token=S["ta"]).status == 204


def housekeeping(srv, grace):
    r = subprocess.run([srv.bin, "housekeeping", "--grace", str(grace), "--data", srv.data, *srv.db_args],
                       capture_output=True, text=True, env=srv.env, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_failed_uploads_leave_no_stored_file_for_long(srv):
    """Version races: the losers' files are noted and removed by housekeeping."""
    import threading
    doc = expect(upload(srv, S["ta"], [("course.txt", b"version 1\n", "text/plain")], title="Course"), 201)["id"]
    results = []

    def new_version(i):
        body, ctype = multipart({}, [("file", (f"v{i}.txt", f"version course {i}\n".encode() * 50, "text/plain"))])
        results.append(srv.api("POST", f"/documents/{doc}/versions", raw=body, token=S["ta"],
                               headers={"Content-Type": ctype}).status)

    threads = [threading.Thread(target=new_version, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Each new version either wins (201) or loses the race for its number (409): which ones is up to the
    # scheduler; at least one wins.
    assert len(results) == 8 and set(results) <= {201, 409} and 201 in results, results
    housekeeping(srv, 0)
    versions = expect(srv.api("GET", f"/documents/{doc}/versions", token=S["ta"]), 200)["items"]
    assert versions and versions[-1]["version"] == 1, versions
    used = {v["sha256"] for v in versions}
    mine = {hashlib.sha256(f"version course {i}\n".encode() * 50).hexdigest() for i in range(8)}
    assert mine & set(objects(srv)) == mine & used, "files of lost races are gone, the others kept"
    for v in versions:
        assert srv.api("GET", f"/documents/{doc}/versions/{v['version']}/file", token=S["ta"]).status == 200
    assert srv.api("DELETE", f"/documents/{doc}", token=S["ta"]).status == 204
    housekeeping(srv, 0)
    assert not (used & set(objects(srv)))


def test_parallel_uploads_never_overrun_a_quota(srv):
    """Six uploads at once of 300 kB into a 1 MB space: at most three fit, whatever the order."""
    import threading
    uid, token = srv.member("doc.quota.race@ac-lyon.fr", "Course Quota")
    statuses = []

    def send(i):
        data = (f"fichier {i} ".encode() * 30000)[:300 * 1024]
        statuses.append(upload(srv, token, [(f"q{i}.txt", data, "text/plain")], title=f"Q{i}").status)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 201, 201, 413, 413, 413], statuses
    use = expect(srv.api("GET", "/me/storage", token=token), 200)
    assert use["used"] <= use["quota"] == 1024 * 1024, use


def test_bad_input(srv):
    ok = [("ok.txt", b"ok\n", "text/plain")]
    cases = [
        ({"licence": "GPL"}, 422, "licence"), ({"visibility": "group"}, 422, "visibility"),
        ({"visibility": "everyone"}, 422, "visibility"), ({"title": "x" * 201}, 422, "title"),
        ({"subjects": ",".join(f"s{i}" for i in range(11))}, 422, "subjects"), ({"group_id": "abc"}, 404, None),
        ({"group_id": "999999"}, 404, None), ({"description": "x" * 5001}, 422, "description"),
    ]
    for fields, status, field in cases:
        fields.setdefault("title", "Titre")
        r = upload(srv, S["ta"], ok, **fields)
        assert r.status == status, (fields, r.text)
        if field:
            assert r.json()["error"]["field"] == field, (fields, r.text)
    r = upload(srv, S["ta"], ok)  # one file needs a title
    assert r.status == 422 and r.json()["error"]["field"] == "title"
    r = upload(srv, S["ta"], [], title="Rien")
    assert r.status == 422 and r.json()["error"]["field"] == "file"
    r = upload(srv, S["ta"], [("vide.txt", b"", "text/plain")], title="Vide")
    expect(r, 422, "invalid_field")
    r = upload(srv, S["tc"], ok, title="Pas membre", group_id=str(S["closed"]))
    assert r.status == 403 and r.json()["error"]["code"] == "not_member"
    r = upload(srv, None, ok, title="Visiteur")
    assert r.status == 401
    for q, code in [("type=exe", "invalid_type"), ("licence=GPL", "invalid_licence"), ("sort=random", "invalid_sort"),
                    ("cursor=abc", "invalid_cursor"), ("group_id=x", "invalid_group_id")]:
        r = srv.api("GET", "/documents?" + q, token=S["ta"])
        assert r.status == 400 and r.json()["error"]["code"] == code, (q, r)
    for p in ["/documents/99999", "/documents/99999/file", "/documents/1/versions/99/file"]:
        assert srv.api("GET", p, token=S["ta"]).status == 404, p
    for p in ["/documents/abc", "/documents/0", "/documents/1/versions/abc/file"]:
        r = srv.api("GET", p, token=S["ta"])
        assert r.status == 400 and r.json()["error"]["code"] == "invalid_parameter", p
    assert wait_until(lambda: tmp_files(srv) == []), tmp_files(srv)


def test_quota_and_size_limits(srv):
    big = text(600 * 1024)
    r = upload(srv, S["tc"], [("a.txt", big, "text/plain")], title="Gros 1")
    assert r.status == 201, r.text
    r = upload(srv, S["tc"], [("b.txt", text(600 * 1024, b"autre "), "text/plain")], title="Gros 2")
    assert r.status == 413 and r.json()["error"]["code"] == "quota_exceeded", r.text
    assert r.json()["error"]["field"] == "member"
    use = expect(srv.api("GET", "/me/storage", token=S["tc"]), 200)
    assert use["used"] == 600 * 1024 and use["quota"] == 1024 * 1024
    # a new version counts too
    d = r = expect(srv.api("GET", "/documents", token=S["tc"]), 200)["items"][0]
    body, ctype = multipart({}, {"file": ("v2.txt", text(500 * 1024, b"v2 "), "text/plain")})
    r = srv.api("POST", f"/documents/{d['id']}/versions", raw=body, token=S["tc"], headers={"Content-Type": ctype})
    assert r.status == 413 and r.json()["error"]["code"] == "quota_exceeded"
    # the group has its own quota: the member's full space does not matter there
    g = expect(srv.api("POST", "/groups", {"name": "Quota de groupe", "kind": "project", "visibility": "closed"},
                       token=S["tc"]), 201)["id"]
    r = upload(srv, S["tc"], [("g.txt", text(900 * 1024, b"g1 "), "text/plain")], title="G1", group_id=str(g))
    assert r.status == 201, r.text
    r = upload(srv, S["tc"], [("g.txt", text(900 * 1024, b"g2 "), "text/plain")], title="G2", group_id=str(g))
    assert r.status == 201, r.text
    r = upload(srv, S["tc"], [("g.txt", text(900 * 1024, b"g3 "), "text/plain")], title="G3", group_id=str(g))
    assert r.status == 413 and r.json()["error"]["field"] == "group"
    # larger than max_upload: refused before the body is read
    r = srv.api("POST", "/documents", raw=b"x" * 10, token=S["tc"],
                headers={"Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(8 * 1024 * 1024)})
    expect(r, 413, "body_too_large")
    # chunked, with no Content-Length to refuse early: held to the same bound as the body comes,
    # however the files share it (each of the three is under max_upload, together they are not)
    body, ctype = multipart({"title": "Par morceaux"},
                            [("file", (f"c{i}.txt", text(2 * 1024 * 1024, b"c%d " % i), "text/plain")) for i in range(3)])
    head = (f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {S['tc']}\r\n"
            f"Content-Type: {ctype}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    chunks = b"".join(b"%x\r\n" % len(body[i:i + 65536]) + body[i:i + 65536] + b"\r\n"
                      for i in range(0, len(body), 65536))
    reply = srv.raw(head + chunks + b"0\r\n\r\n", timeout=30)
    assert b" 413 " in reply.split(b"\r\n")[0] and b"body_too_large" in reply, reply[:300]
    assert wait_until(lambda: tmp_files(srv) == []), tmp_files(srv)
    # the page says it in words
    w = srv.web()
    w.login("doc.chloe@ac-lyon.fr")
    w.get("/documents/new")
    r = w.post_multipart("/documents/new", {"title": "Trop"}, [("file", ("t.txt", text(600 * 1024, b"t "), "text/plain"))])
    assert r.status == 413 and "espace de stockage est plein" in r.text
    assert wait_until(lambda: tmp_files(srv) == []), tmp_files(srv)


def test_versions(srv):
    v1, v2 = b"Version un\n", b"Version deux, corrigee\n"
    d = expect(upload(srv, S["ta"], [("fiche.txt", v1, "text/plain")], title="Versions", group_id=str(S["closed"])), 201)
    body, ctype = multipart({"note": "coquilles corrigées"}, {"file": ("fiche-v2.txt", v2, "text/plain")})
    r = srv.api("POST", f"/documents/{d['id']}/versions", raw=body, token=S["tb"], headers={"Content-Type": ctype})
    expect(r, 403, "forbidden")  # a plain member of the group: not the author
    r = srv.api("POST", f"/documents/{d['id']}/versions", raw=body, token=S["ta"], headers={"Content-Type": ctype})
    assert r.status == 201 and r.json()["version"] == 2 and r.json()["filename"] == "fiche-v2.txt"
    vs = expect(srv.api("GET", f"/documents/{d['id']}/versions", token=S["tb"]), 200)["items"]
    assert [v["version"] for v in vs] == [2, 1] and vs[0]["note"] == "coquilles corrigées"
    assert srv.api("GET", f"/documents/{d['id']}/file", token=S["tb"]).body == v2
    assert srv.api("GET", f"/documents/{d['id']}/versions/1/file", token=S["tb"]).body == v1
    assert srv.api("GET", f"/documents/{d['id']}/versions/2/file", token=S["tb"]).body == v2
    assert srv.api("GET", f"/documents/{d['id']}/versions/3/file", token=S["tb"]).status == 404
    S["versioned"] = d["id"]


def test_edit_comments_and_marks(srv):
    doc = S["versioned"]
    r = srv.api("PATCH", f"/documents/{doc}", {"title": "Renommé", "licence": "CC-BY-NC-SA", "subjects": ["SVT"]},
                token=S["ta"])
    assert r.status == 200 and r.json()["title"] == "Renommé" and r.json()["subjects"] == ["SVT"]
    expect(srv.api("PATCH", f"/documents/{doc}", {"title": "Volé"}, token=S["tb"]), 403, "forbidden")
    expect(srv.api("PATCH", f"/documents/{doc}", {"licence": "WTFPL"}, token=S["ta"]), 422, "invalid_field")
    expect(srv.api("PATCH", f"/documents/{doc}", {"visibility": "public"}, token=S["ta"]), 422, "invalid_field")  # closed group
    r = srv.api("POST", f"/documents/{doc}/comments", {"body": "Très utile, merci @alice-document"}, token=S["tb"])
    assert r.status == 201
    cid = r.json()["id"]
    expect(srv.api("POST", f"/documents/{doc}/comments", {"body": "   "}, token=S["tb"]), 422, "invalid_field")
    cs = expect(srv.api("GET", f"/documents/{doc}/comments", token=S["ta"]), 200)["items"]
    assert len(cs) == 1 and cs[0]["body_html"].startswith("<p>")
    assert srv.api("DELETE", f"/document-comments/{cid}", token=S["tc"]).status == 404  # not in the group
    assert expect(srv.api("PUT", f"/documents/{doc}/useful", token=S["tb"]), 200)["useful_count"] == 1
    assert expect(srv.api("PUT", f"/documents/{doc}/useful", token=S["tb"]), 200)["useful_count"] == 1
    d = expect(srv.api("GET", f"/documents/{doc}", token=S["ta"]), 200)
    assert d["comment_count"] == 1 and d["useful_count"] == 1 and not d["useful_by_me"]
    assert srv.api("DELETE", f"/document-comments/{cid}", token=S["tb"]).status == 204
    assert expect(srv.api("DELETE", f"/documents/{doc}/useful", token=S["tb"]), 200)["useful_count"] == 0


def test_lists_and_filters(srv):
    mine = expect(srv.api("GET", "/documents", token=S["tb"]), 200)["items"]
    titles = [d["title"] for d in mine]
    assert "Renommé" in titles  # shared in Bruno's group
    assert "Séquence 1" not in titles  # Alice's own document: not Bruno's nor his group's
    every = [d["title"] for d in expect(srv.api("GET", "/documents?scope=all", token=S["tb"]), 200)["items"]]
    assert "Séquence 1" in every
    texts = expect(srv.api("GET", "/documents?type=text&licence=CC-BY", token=S["ta"]), 200)["items"]
    assert texts and all(d["kind"] == "text" and d["licence"]["code"] == "CC-BY" for d in texts)
    by_title = [d["title"] for d in expect(srv.api("GET", "/documents?sort=title", token=S["ta"]), 200)["items"]]
    assert by_title == sorted(by_title, key=str.lower)
    bank = expect(srv.api("GET", f"/groups/{S['closed']}/documents", token=S["tb"]), 200)["items"]
    assert [d["title"] for d in bank] == ["Renommé"]
    # pages of 20 with a cursor, no repeats
    for i in range(22):
        expect(upload(srv, S["tb"], [(f"p{i}.txt", f"page {i}\n".encode(), "text/plain")], title=f"Page {i:02d}"), 201)
    seen, cursor = [], None
    while True:
        r = expect(srv.api("GET", "/documents?sort=title" + (f"&cursor={cursor}" if cursor else ""), token=S["tb"]), 200)
        seen += [d["id"] for d in r["items"]]
        cursor = r["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 23
    # by date of sharing (both days included), on the API and the page
    today, old = server_today(), "2020-01-01"
    assert len(expect(srv.api("GET", f"/documents?from={today}&to={today}", token=S["tb"]), 200)["items"]) == 20
    assert expect(srv.api("GET", f"/documents?to={old}", token=S["tb"]), 200)["items"] == []
    assert expect(srv.api("GET", f"/documents?from=2999-01-01", token=S["tb"]), 200)["items"] == []
    for bad in ("2026-02-30x", "hier", "2026-13-01"):
        expect(srv.api("GET", f"/documents?from={bad}", token=S["tb"]), 400, "invalid_parameter")
    w = srv.web()
    w.login("doc.bruno@ac-lyon.fr")
    page = w.get(f"/documents?to={old}")
    assert page.status == 200 and "Page 00" not in page.text and f'value="{old}"' in page.text
    assert "Page 00" in w.get(f"/documents?from={today}&sort=title").text
    assert w.get("/documents?from=hier").status == 400


def test_thumbnails_and_poster_frames(srv):
    doc = expect(upload(srv, S["ta"], [("photo.png", png(64, 48), "image/png")], title="Photo de classe"), 201)["id"]
    assert wait_until(lambda: srv.api("GET", f"/documents/{doc}", token=S["ta"]).json()["thumbnail_url"], timeout=15)
    t = srv.api("GET", f"/documents/{doc}/thumbnail", token=S["ta"])
    assert t.status == 200 and t.headers["content-type"] == "image/jpeg" and t.body[:2] == b"\xff\xd8"
    with tempfile.TemporaryDirectory() as d:
        film = os.path.join(d, "film.webm")
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
                        "-c:v", "libvpx", "-b:v", "100k", film], check=True)
        data = open(film, "rb").read()
    r = upload(srv, S["ta"], [("film.webm", data, "video/webm")], title="Film de classe")
    assert r.status == 201 and r.json()["kind"] == "video", r.text
    vid = r.json()["id"]
    assert wait_until(lambda: srv.api("GET", f"/documents/{vid}", token=S["ta"]).json()["thumbnail_url"], timeout=30)
    # the film plays from a range in the middle
    r = srv.api("GET", f"/documents/{vid}/file?inline=1", token=S["ta"], headers={"Range": f"bytes={len(data)//2}-"})
    assert r.status == 206 and r.body == data[len(data) // 2:] and r.headers["content-type"] == "video/webm"
    assert r.headers["content-disposition"].startswith("inline")
    S["video"] = vid


def test_pages(srv):
    w = srv.web()
    w.login("doc.alice@ac-lyon.fr")
    r = w.get("/documents/new")
    assert r.status == 200 and 'enctype="multipart/form-data"' in r.text and "CC BY-SA" in r.text
    md = b"# Titre\n\nDu **gras** et <script>alert(1)</script> [lien](javascript:alert(1))\n"
    r = w.post_multipart("/documents/new", {"title": "Fiche <b>web</b>", "licence": "CC-BY-SA", "subjects": "Français"},
                         [("file", ("fiche.md", md, "text/markdown"))])
    assert r.status == 303, r.text
    loc = r.headers["location"]
    doc = int(re.search(r"/documents/(\d+)", loc).group(1))
    page = w.get(f"/documents/{doc}")
    assert page.status == 200
    assert "Fiche &lt;b&gt;web&lt;/b&gt;" in page.text and "<b>web</b>" not in page.text
    assert "<strong>gras</strong>" in page.text and "<script>alert" not in page.text and "javascript:" not in page.text
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr"' in page.text
    assert 'rel="license' in page.text and "Français" in page.text
    assert '<title>Fiche &lt;b&gt;web&lt;/b&gt; · Respire</title>' in page.text
    assert 'og:description' not in page.text  # for members: no preview for others to read
    # without a CSRF token nothing is stored
    n = len(objects(srv))
    r = w.post_multipart("/documents/new", {"title": "Sans jeton", "csrf": "bad"},
                         [("file", ("x.txt", b"sans jeton\n", "text/plain"))])
    assert r.status == 403 and len(objects(srv)) == n
    # the film page has a player
    r = w.get(f"/documents/{S['video']}")
    assert f'<video controls preload="metadata" src="/documents/{S["video"]}/file?inline=1"' in r.text
    assert "poster=" in r.text
    # lists, the group's bank, the home box, in English too
    assert "Fiche &lt;b&gt;web&lt;/b&gt;" in w.get("/documents").text
    assert "Renommé" in w.get(f"/groups/{S['closed']}/documents").text
    assert "Fiche &lt;b&gt;web&lt;/b&gt;" in w.get("/").text
    en = srv.web(lang="en")
    en.login("doc.alice@ac-lyon.fr")
    en.cookies["lang"] = "en"  # this browser chose English (the profile says French)
    assert "My documents" in en.get("/documents").text
    r = en.get(f"/documents/{doc}/edit")
    assert r.status == 200
    r = en.post(f"/documents/{doc}/edit", {"title": "", "licence": "CC0"})
    assert r.status == 422 and "Give a title" in r.text
    r = en.post(f"/documents/{doc}/edit", {"title": "Renamed sheet", "licence": "CC0", "subjects": "French, Latin",
                                           "visibility": "public"})
    assert r.status == 303
    d = expect(srv.api("GET", f"/documents/{doc}", token=S["ta"]), 200)
    assert d["title"] == "Renamed sheet" and d["licence"]["code"] == "CC0" and d["subjects"] == ["French", "Latin"]
    assert d["visibility"] == "public"
    # the default licence of the profile is proposed
    assert expect(srv.api("PATCH", "/me", {"default_licence": "CC-BY-ND"}, token=S["ta"]), 200)["default_licence"] == "CC-BY-ND"
    expect(srv.api("PATCH", "/me", {"default_licence": "nope"}, token=S["ta"]), 422, "invalid_field")
    assert '<option value="CC-BY-ND" selected>' in w.get("/documents/new").text
    r = upload(srv, S["ta"], [("def.txt", b"licence par defaut\n", "text/plain")], title="Défaut")
    assert r.status == 201 and r.json()["licence"]["code"] == "CC-BY-ND", r
    S["public"] = doc


# ---- who may reach what --------------------------------------------------------

def urls(doc):
    return [f"/documents/{doc}", f"/documents/{doc}/file", f"/documents/{doc}/file?inline=1",
            f"/documents/{doc}/versions", f"/documents/{doc}/versions/1/file", f"/documents/{doc}/comments",
            f"/documents/{doc}/thumbnail"]


def test_access_on_every_url(srv):
    a, b, c = S["ta"], S["tb"], S["tc"]
    secret = expect(srv.api("POST", "/groups", {"name": "Secret", "kind": "project", "visibility": "secret"},
                            token=S["ta"]), 201)["id"]
    docs = {}
    for key, fields, who in [
        ("closed", {"group_id": str(S["closed"])}, a),
        ("secret", {"group_id": str(secret)}, a),
        ("private", {"visibility": "private"}, a),
        ("contacts", {"visibility": "contacts"}, a),
        ("members", {"visibility": "members"}, a),
        ("public_open", {"group_id": str(S["open"]), "visibility": "public"}, a),
    ]:
        r = upload(srv, who, [(f"{key}.png", png(16, 16), "image/png")], title=f"Doc {key}", **fields)
        assert r.status == 201, (key, r.text)
        docs[key] = r.json()["id"]
    # Chloé is Alice's contact; Bruno is in the closed group, not the secret one
    expect(srv.api("POST", "/contacts", {"user_id": S["a"]}, token=c), 201)
    assert srv.api("POST", f"/contacts/{S['c']}/accept", token=a).status == 200
    for doc in docs.values():
        assert wait_until(lambda: srv.api("GET", f"/documents/{doc}", token=a).json()["thumbnail_url"], timeout=15), doc
    sees = {
        "closed": {a, b}, "secret": {a}, "private": {a}, "contacts": {a, c}, "members": {a, b, c},
        "public_open": {a, b, c, None},
    }
    webs = {}
    for name, email in [(a, "doc.alice@ac-lyon.fr"), (b, "doc.bruno@ac-lyon.fr"), (c, "doc.chloe@ac-lyon.fr")]:
        webs[name] = srv.web()
        webs[name].login(email)
    webs[None] = srv.web()
    problems = []
    for key, doc in docs.items():
        for who in [a, b, c, None]:
            want = who in sees[key]
            for u in urls(doc):
                st = srv.api("GET", u, token=who).status
                if (st == 200) != want or (not want and st != 404):
                    problems.append((key, who and who[:4], "api", u, st))
                st = webs[who].get(u).status
                if u.endswith("/versions") or u.endswith("/comments"):
                    continue  # API only
                # what one may not see: 404, to a visitor too (a public document has a public page)
                if (st == 200) != want or (not want and st != 404):
                    problems.append((key, who and who[:4], "web", u, st))
            if who and not want:
                for m, u, body in [("PUT", f"/documents/{doc}/useful", None),
                                   ("POST", f"/documents/{doc}/comments", {"body": "x"}),
                                   ("PATCH", f"/documents/{doc}", {"title": "x"}), ("DELETE", f"/documents/{doc}", None)]:
                    st = srv.api(m, u, body, token=who).status
                    if st != 404:
                        problems.append((key, who[:4], m, u, st))
                mp, ct = multipart({}, {"file": ("v.txt", b"v\n", "text/plain")})
                st = srv.api("POST", f"/documents/{doc}/versions", raw=mp, token=who, headers={"Content-Type": ct}).status
                if st != 404:
                    problems.append((key, who[:4], "POST versions", doc, st))
    # lists never show what the viewer may not see
    for who in [a, b, c]:
        shown = {d["id"] for d in expect(srv.api("GET", "/documents?scope=all", token=who), 200)["items"]}
        for key, doc in docs.items():
            if (doc in shown) and who not in sees[key]:
                problems.append((key, who[:4], "list scope=all"))
    assert srv.api("GET", f"/groups/{secret}/documents", token=b).status == 404
    assert webs[b].get(f"/groups/{secret}/documents").status == 404
    assert problems == [], problems
    # a member who leaves loses the group's documents at once, by every URL
    assert srv.api("POST", f"/groups/{S['closed']}/leave", token=b).status == 200
    for u in urls(docs["closed"]):
        assert srv.api("GET", u, token=b).status == 404, u
    assert srv.api("GET", f"/documents/{S['versioned']}/versions/2/file", token=b).status == 404


def test_operators_see_usage(srv):
    r = subprocess.run([srv.bin, "usage", "--top", "2", "--data", srv.data, *srv.db_args], capture_output=True,
                       text=True, env=srv.env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert re.search(r"documents: \d+, versions: \d+", r.stdout)
    assert "quotas: 1.0 MiB per member, 2.0 MiB per group" in r.stdout
    assert "Quota de groupe" in r.stdout  # Chloé's group holds the most
    members = r.stdout.split("members using the most")[1].split("groups using the most")[0]
    assert len([line for line in members.splitlines() if line.strip()]) <= 3  # heading rest + 2 lines
    r = subprocess.run([srv.bin, "usage", "--top", "0"], capture_output=True, text=True, env=srv.env, timeout=60)
    assert r.returncode == 2 and "--top" in r.stderr


def test_shared_documents_reach_the_feed_of_those_who_may_see_them(srv):
    def feed_titles(token):
        items = expect(srv.api("GET", "/feed", token=token), 200)["items"]
        return [i["document"]["title"] for i in items if i["verb"] == "document"]
    # Chloé is Alice's contact by now; Bruno left the closed group
    chloe = feed_titles(S["tc"])
    assert "Doc members" in chloe and "Doc contacts" in chloe
    assert not {"Doc closed", "Doc secret", "Doc private"} & set(chloe), chloe
    bruno = feed_titles(S["tb"])
    assert "Doc closed" not in bruno and "Renommé" not in bruno, bruno
    alice = feed_titles(S["ta"])
    assert {"Doc closed", "Doc secret", "Doc private"} <= set(alice)
    item = next(i for i in expect(srv.api("GET", "/feed", token=S["tc"]), 200)["items"] if i["verb"] == "document")
    assert item["actor"]["name"] == "Alice Document" and item["post"] is None and item["document"]["id"]
    w = srv.web()
    w.login("doc.chloe@ac-lyon.fr")
    page = w.get("/feed").text
    assert "a partagé" in page and "Doc members" in page and "Doc closed" not in page
    # the feed pages on with a cursor mixing posts and documents, without repeats or gaps
    for i in range(6):
        if i % 2:
            expect(upload(srv, S["ta"], [(f"mix{i}.txt", f"mix {i}\n".encode(), "text/plain")], title=f"Mélange {i}"), 201)
        else:
            expect(srv.api("POST", "/posts", {"kind": "discussion", "title": f"Mélange {i}", "body": "x"}, token=S["ta"]), 201)
    first = expect(srv.api("GET", "/feed", token=S["ta"]), 200)["items"]
    assert [i["verb"] for i in first[:6]] == ["document", "post"] * 3
    seen, cursor = [], None
    for _ in range(20):
        r = expect(srv.api("GET", "/feed" + (f"?cursor={cursor}" if cursor else ""), token=S["ta"]), 200)
        seen += [i["id"] for i in r["items"]]
        cursor = r["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and len(seen) > 20, (len(seen), len(set(seen)))
