"""Export and import: a whole network moves between backends without loss."""
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

from lib import expect, multipart, png


def run(srv, *args):
    return subprocess.run([srv.bin, *args], capture_output=True, text=True, env=srv.env, timeout=120)


DERIVED = ("schema_migrations", "innovation_generation")


def live_tables(srv):
    """{table: row count} of the server's live database, without the migration bookkeeping,
    the full-text-search shadow tables (derived data, rebuilt from the rest) and the
    innovation records' generation counter (migration 19: moved by triggers, a cache's key)."""
    if srv.db_args:
        tables = subprocess.run(["psql", srv.db_args[1], "-At", "-c",
                                 "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                                 " current_schema() AND table_type = 'BASE TABLE'"],
                                check=True, capture_output=True, text=True).stdout.split()
        tables = [t for t in tables if t not in DERIVED and not t.startswith("search_")]
        sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
        out = subprocess.run(["psql", srv.db_args[1], "-At", "-F", " ", "-c", sql],
                             check=True, capture_output=True, text=True).stdout.split("\n")
        return {t: int(n) for t, n in (line.split() for line in out if line.strip())}
    db = sqlite3.connect(f"file:{os.path.join(srv.data, 'respire.db')}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name NOT LIKE 'sqlite%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
                  if t not in DERIVED and not t.startswith("search_")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


def table_rows(lines, table):
    return [line for line in lines if json.loads(line)["table"] == table]


def test_round_trip_through_an_empty_sqlite_database(srv):
    a, ta = srv.member("export.anna@ac-amiens.fr", "Anna Export")
    b, tb = srv.member("export.basile@ac-amiens.fr", "Basile Export")
    expect(srv.api("PATCH", "/me", {"subjects": ["Histoire"], "bio": "Ligne 1\nLigne 2 « guillemets »"}, token=ta), 200)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("uai;name;town;academy\n0801234A;Lycée de l'Export;Amiens;Amiens\n")
    r = run(srv, "schools", "import", f.name, "--data", srv.data, *srv.db_args)
    os.unlink(f.name)
    assert r.returncode == 0, r
    expect(srv.api("PATCH", "/me", {"school_uai": "0801234A", "show_school": False}, token=ta), 200)
    body, ctype = multipart({}, {"avatar": ("a.png", png(), "image/png")})
    assert srv.api("PUT", "/me/avatar", raw=body, token=ta, headers={"Content-Type": ctype}).status == 200
    expect(srv.api("POST", "/contacts", {"user_id": b}, token=ta), 201)
    expect(srv.api("POST", f"/contacts/{a}/accept", token=tb), 200)
    g = expect(srv.api("POST", "/groups", {"name": "Groupe exporté", "kind": "resources", "visibility": "closed"},
                       token=ta), 201)["id"]
    p = expect(srv.api("POST", "/posts", {"kind": "page", "title": "Wiki", "body": "v1", "group_id": g}, token=ta), 201)["id"]
    expect(srv.api("PATCH", f"/posts/{p}", {"body": "v2"}, token=ta), 200)
    expect(srv.api("POST", f"/posts/{p}/replies", {"body": "Une réponse"}, token=ta), 201)
    r = srv.api("POST", "/posts", {"kind": "blog", "title": "Public", "body": "x", "visibility": "public"}, token=tb)
    assert r.status == 201, r
    # not a moderator: refused, nothing logged
    expect(srv.api("POST", f"/posts/{r.json()['id']}/hide", token=tb), 403, "not_moderator")
    body, ctype = multipart({"title": "Fiche exportée", "group_id": str(g), "subjects": "Histoire"},
                            {"file": ("fiche.txt", "Séquence 1\n".encode(), "text/plain")})
    doc = srv.api("POST", "/documents", raw=body, token=ta, headers={"Content-Type": ctype})
    assert doc.status == 201, doc.text
    doc = doc.json()["id"]
    body, ctype = multipart({"note": "corrigée"}, {"file": ("fiche.txt", "Séquence 1 bis\n".encode(), "text/plain")})
    assert srv.api("POST", f"/documents/{doc}/versions", raw=body, token=ta, headers={"Content-Type": ctype}).status == 201
    expect(srv.api("POST", f"/documents/{doc}/comments", {"body": "Merci !"}, token=ta), 201)
    expect(srv.api("PUT", f"/documents/{doc}/useful", token=ta), 200)
    # a deleted copy of the first version: its file, still used, is noted for housekeeping (blob_orphans)
    body, ctype = multipart({"title": "Copie"}, {"file": ("copie.txt", "Séquence 1\n".encode(), "text/plain")})
    copy = srv.api("POST", "/documents", raw=body, token=ta, headers={"Content-Type": ctype})
    assert copy.status == 201, copy
    assert srv.api("DELETE", f"/documents/{copy.json()['id']}", token=ta).status == 204
    # a row in every other table: follows, useful marks, reads, tokens, invitations by mail, failures
    assert srv.api("POST", f"/users/{a}/follow", token=tb).status == 201
    assert srv.api("PUT", f"/posts/{r.json()['id']}/useful", token=ta).status == 200
    assert srv.api("GET", f"/posts/{r.json()['id']}", token=ta).status == 200
    assert srv.api("POST", "/password-resets", {"email": "export.anna@ac-amiens.fr"}).status == 202
    assert srv.api("POST", f"/groups/{g}/invitations", {"email": "export.nouveau@ac-amiens.fr"},
                   token=ta).status == 201
    assert srv.api("POST", "/sessions", {"email": "export.basile@ac-amiens.fr", "password": "pas le bon"}).status == 401
    # live exchange: a conversation with a message, read marks, presence, a block
    conv = srv.api("POST", "/conversations", {"user_ids": [b], "body": "Bonjour « Basile »"}, token=ta)
    assert conv.status == 201, conv
    assert srv.api("GET", f"/rooms/{conv.json()['id']}", token=tb).status == 200
    assert srv.api("POST", f"/rooms/{conv.json()['id']}/read", {}, token=tb).status == 200
    assert srv.api("PUT", f"/users/{a}/block", token=tb).status == 200
    # moderation, which writes the audit log: a site administrator on a public post, the group's
    # owner on a reply in her group
    _, tc = srv.member("export.chef@ac-amiens.fr", "Chef Export", admin=True)
    pub = r.json()["id"]
    rep = srv.api("POST", f"/posts/{pub}/reports", {"reason": "Hors sujet"}, token=ta)
    assert rep.status == 201, rep
    assert srv.api("POST", f"/posts/{pub}/hide", {"note": "masqué « export »"}, token=tc).status == 200
    assert srv.api("POST", f"/posts/{pub}/restore", {"note": "rétabli"}, token=tc).status == 200
    reply = expect(srv.api("POST", f"/posts/{p}/replies", {"body": "À modérer"}, token=ta), 201)["id"]
    rep = srv.api("POST", f"/replies/{reply}/reports", {"reason": "Doublon"}, token=ta)
    assert rep.status == 201, rep
    assert srv.api("POST", f"/moderation/reports/{rep.json()['id']}/dismiss", token=ta).status == 200
    assert srv.api("POST", f"/replies/{reply}/hide", {"note": "masquée"}, token=ta).status == 200
    assert srv.api("POST", f"/replies/{reply}/restore", token=ta).status == 200
    # notification settings, a daily digest (mail_queue has the mails already); mail_throttle
    # fills when a private message reaches a member whose 'message' setting is 'mail'
    assert srv.api("PUT", "/me/notification-settings", {"reply": "digest", "message": "mail"},
                   token=tb).status == 200
    assert srv.api("POST", f"/posts/{pub}/replies", {"body": "Pour le résumé"}, token=ta).status == 201
    d = run(srv, "digest", "--force", "--data", srv.data, *srv.db_args)
    assert d.returncode == 0 and "digests sent: 1" in d.stdout, d
    # a private message to b, who wants them by mail: mail_throttle (after the block is lifted)
    room = conv.json()["id"]
    assert srv.api("DELETE", f"/users/{a}/block", token=tb).status == 200
    assert srv.api("POST", f"/rooms/{room}/messages", {"body": "Tu as vu ?"}, token=ta).status == 201
    assert any("Tu as vu" in m for m in srv.mails("export.basile@ac-amiens.fr"))
    assert srv.api("PUT", f"/users/{a}/block", token=tb).status == 200
    # an innovation record with a co-author, a group, a document, a second revision, a follow, a useful mark
    inno = expect(srv.api("POST", "/innovations", {
        "title": "Classe « dehors »", "summary": "Résumé", "academy": "Amiens", "uai": "0801234A", "type": "local",
        "started_year": 2021, "duration_years": 2, "levels": ["CM1"], "themes": ["Numérique"],
        "coauthors": [b], "group_ids": [g], "document_ids": [doc], "visibility": "public"}, token=ta), 201)["id"]
    expect(srv.api("PATCH", f"/innovations/{inno}", {"aims": "Sortir"}, token=ta), 200)
    expect(srv.api("POST", f"/innovations/{inno}/follow", token=tb), 200)
    expect(srv.api("POST", f"/innovations/{inno}/useful", token=tb), 200)
    # a call for proposals (migration 17): a form, a rubric, a reviewer, a proposal with a co-author and
    # answers, an assignment with its review and scores, a vote, a decision (a notification about it)
    now = int(time.time())
    call = expect(srv.api("POST", "/calls", {
        "title": "Appel exporté", "opens_at": now - 60, "closes_at": now + 3600, "public_vote": True,
        "fields": [{"key": "resume", "label": "Résumé", "type": "longtext", "required": True}],
        "rubric": [{"key": "q", "label": "Qualité", "max": 5, "weight": 2}]}, token=tc), 201)["id"]
    _, td = srv.member("export.dora@ac-amiens.fr", "Dora Relectrice")
    dora = expect(srv.api("GET", "/me", token=td), 200)["id"]
    expect(srv.api("PUT", f"/calls/{call}/reviewers/{dora}", {"stage": "national"}, token=tc), 200)
    prop = expect(srv.api("POST", f"/calls/{call}/proposals", {"title": "Proposition « exportée »",
                                                               "answers": {"resume": "Texte"}, "coauthors": [b]},
                          token=ta), 201)["id"]
    expect(srv.api("POST", f"/proposals/{prop}/submit", token=ta), 200)
    expect(srv.api("POST", f"/calls/{call}/assignments", {}, token=tc), 200)
    expect(srv.api("POST", f"/proposals/{prop}/reviews", {"scores": {"q": 4}, "recommendation": "accept"},
                   token=td), 201)
    expect(srv.api("POST", f"/proposals/{prop}/votes", token=td), 201)
    expect(srv.api("POST", f"/proposals/{prop}/decision", {"status": "accepted", "message": "Bravo"}, token=tc), 200)
    # an event with its call (its programme), full with one waiting: registrations, and a notification about the
    # event when a place comes free (migration 18)
    ev = expect(srv.api("POST", "/events", {
        "title": "Rencontre « export »", "description": "Ordre du jour", "starts_at": 4000000000,
        "ends_at": 4000007200, "place": "Amiens", "url": "https://visio.example.org/x",
        "capacity": 1, "visibility": "members", "call_id": call}, token=ta), 201)["id"]
    expect(srv.api("POST", f"/events/{ev}/registrations", token=ta), 201)
    expect(srv.api("POST", f"/events/{ev}/registrations", token=tb), 201)
    expect(srv.api("DELETE", f"/events/{ev}/registrations/me", token=ta), 204)
    expect(srv.api("POST", f"/events/{ev}/registrations", token=ta), 201)
    audit = expect(srv.api("GET", "/moderation/audit", token=tc), 200)["items"]
    assert {"post_hide", "post_restore", "reply_hide", "reply_restore", "report_dismiss"} <= \
        {e["action"] for e in audit}, audit
    # statistics (migration 21): a page seen two days ago rolled up by housekeeping (members' days,
    # daily counts) beside today's raw events; reading a statistic writes the server's buffer first,
    # so that nothing is written between the export and the count below
    srv.set_clock(int(time.time()) - 2 * 86400)
    srv.web().login("export.anna@ac-amiens.fr")
    expect(srv.api("GET", "/admin/stats/signups", token=tc), 200)
    srv.set_clock(None)
    r = run(srv, "housekeeping", "--data", srv.data, *srv.db_args)
    assert r.returncode == 0, r.stderr
    expect(srv.api("GET", "/admin/stats/signups", token=tc), 200)

    with tempfile.TemporaryDirectory() as d:
        out1, out2, data2 = os.path.join(d, "e1"), os.path.join(d, "e2"), os.path.join(d, "data2")
        r = run(srv, "export", "--data", srv.data, *srv.db_args, "--out", out1)
        assert r.returncode == 0, r.stderr
        assert oct(os.stat(os.path.join(out1, "respire.jsonl")).st_mode & 0o777) == "0o600"
        r = run(srv, "import", "--data", data2, "--in", out1)
        assert r.returncode == 0, r.stderr
        # activities know their group again (the feed of the group's members reads them by group)
        with sqlite3.connect(os.path.join(data2, "respire.db")) as db2:
            kinds = db2.execute("SELECT verb, group_id FROM activities WHERE post_id = ? OR document_id = ?"
                                " ORDER BY id", (p, doc)).fetchall()
        assert kinds and all(gid == g for _, gid in kinds) and {"post", "revise", "reply", "document"} <= \
            {v for v, _ in kinds}, kinds
        r = run(srv, "export", "--data", data2, "--out", out2)
        assert r.returncode == 0, r.stderr
        with open(os.path.join(out1, "respire.jsonl")) as f1, open(os.path.join(out2, "respire.jsonl")) as f2:
            rows1, rows2 = f1.read().splitlines()[1:], f2.read().splitlines()[1:]
        assert rows1 == rows2 and len(rows1) > 20
        for t in ["users", "groups", "group_members", "posts", "post_revisions", "replies", "contacts",
                  "notifications", "activities", "settings", "blobs", "documents", "document_versions",
                  "document_tags", "document_comments", "document_useful", "reports", "audit_log"]:
            assert any(f'"table":"{t}"' in line for line in rows1), t
        # the audit log went out whole and came back identical
        logged = table_rows(rows1, "audit_log")
        assert len(logged) == len(audit) and table_rows(rows2, "audit_log") == logged, (logged, audit)
        assert any("masqué « export »" in (json.loads(x)["row"][7] or "") for x in logged), logged
        # every table of the schema is exported, every row of it (a table that a migration adds
        # must be added to src/store/transfer.c, and a row put into it above)
        live = live_tables(srv)
        assert len(live) >= 26, live
        empty = sorted(t for t, n in live.items() if n == 0)
        assert not empty, f"no row in {empty}: add one above so that the export of the table is checked"
        counts = {t: len(table_rows(rows1, t)) for t in live}
        assert counts == live, {t: (counts[t], live[t]) for t in live if counts[t] != live[t]}
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
                rows3 = f3.read().splitlines()[1:]
            assert table_rows(rows3, "audit_log") == logged
            assert rows3 == rows1


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
