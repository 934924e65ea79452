"""One load per request: a page reads each row it needs once.

The server logs every statement (slow_query_ms = 0) with the request it
served ("[GET /posts/12]"); each test reads the statements of one page from
the server's log and checks that no statement ran twice where one read is
enough: the page header's figures in one statement, the item of an item page
once, the viewer's standing in groups once."""
import collections
import os
import re

import lib

SERVER_ENV = {"RESPIRE_SLOW_QUERY_MS": "0"}

LINE = re.compile(r"slow statement \(([A-Za-z_0-9]+), [0-9.]+ ms\) \[(\S+) (\S+)\]: (.*)$")

world = {}


def statements(srv, method, path, fetch):
    """Runs fetch() and returns the (caller, sql) of every statement the
    request method+path ran, in order."""
    log = os.path.join(srv.data, "server.log")
    start = os.path.getsize(log)
    r = fetch()
    assert r.status == 200, r
    # The request's own line is written when it completes: wait for it.
    done = re.compile(r"info %s %s 200 " % (re.escape(method), re.escape(path)))

    def finished():
        with open(log, "rb") as f:
            f.seek(start)
            return done.search(f.read().decode("utf-8", "replace"))

    assert lib.wait_until(finished), f"no log line for {method} {path}"
    with open(log, "rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    out = []
    for line in text.splitlines():
        m = LINE.search(line)
        if m and m.group(2) == method and m.group(3) == path:
            out.append((m.group(1), m.group(4)))
    assert out, f"no statement logged for {method} {path}"
    return out


def repeated(stmts):
    return {k: n for k, n in collections.Counter(stmts).items() if n > 1}


def test_a_small_network(srv):
    a = srv.member("anne.charge@ac-lyon.fr", "Anne Chargé")
    b = srv.member("bruno.charge@ac-lyon.fr", "Bruno Chargé")
    c = srv.member("chloe.charge@ac-lyon.fr", "Chloé Chargé")
    groups = []
    for name, vis in [("Lecture au CP", "open"), ("Conseil pédagogique", "closed"), ("Projet théâtre", "secret")]:
        r = srv.api("POST", "/groups", {"name": name, "description": "Un groupe de travail", "kind": "practice",
                                        "visibility": vis}, token=a[1])
        assert r.status == 201, r
        groups.append(r.json()["id"])
    for g in groups:
        for who in (b, c):
            if g != groups[0]:
                r = srv.api("POST", f"/groups/{g}/invitations", {"user_id": who[0]}, token=a[1])
                assert r.status == 201, r
            r = srv.api("POST", f"/groups/{g}/join", token=who[1])
            assert r.status == 200, r
    posts = []
    for g in groups:
        for k in range(3):
            r = srv.api("POST", "/posts", {"kind": "discussion", "title": f"Sujet {k} du groupe {g}",
                                           "body": "Qu'en pensez-vous ?", "group_id": g}, token=b[1])
            assert r.status == 201, r
            posts.append(r.json()["id"])
    for p in posts[:3]:
        for who in (a, c, a):
            r = srv.api("POST", f"/posts/{p}/replies", {"body": "Une réponse"}, token=who[1])
            assert r.status == 201, r
    docs = []
    for g in groups[:2]:
        body, ctype = lib.multipart({"title": f"Fiche du groupe {g}", "group_id": str(g)},
                                    [("file", ("fiche.txt", b"Une fiche de lecture", "text/plain"))])
        r = srv.api("POST", "/documents", raw=body, token=b[1], headers={"Content-Type": ctype})
        assert r.status == 201, r
        docs.append(r.json()["id"])
        r = srv.api("POST", f"/documents/{docs[-1]}/comments", {"body": "Merci !"}, token=a[1])
        assert r.status == 201, r
    world.update(a=a, b=b, c=c, groups=groups, posts=posts, docs=docs)


def page(srv, path, who="chloe.charge@ac-lyon.fr"):
    """The statements of path as a member (Chloé, a plain member, by default)."""
    web = world.get(who)
    if not web:
        web = world[who] = srv.web()
        web.login(who)
    return statements(srv, "GET", path, lambda: web.get(path))


PAGES = ["/", "/groups", "/documents", "/notifications", "/messages", "/users"]


def test_the_page_header_reads_its_figures_in_one_statement(srv):
    for path in PAGES + [f"/posts/{world['posts'][0]}", f"/groups/{world['groups'][1]}",
                         f"/users/{world['a'][0]}"]:
        callers = [c for c, _ in page(srv, path)]
        assert callers.count("notify_badges") == 1, (path, callers)
        for old in ("notifications_unread", "chat_unread_total", "access_moderates_something"):
            assert old not in callers, (path, callers)


def test_an_item_page_reads_no_statement_twice(srv):
    for path in [f"/posts/{world['posts'][0]}", f"/posts/{world['posts'][4]}",
                 f"/groups/{world['groups'][0]}", f"/groups/{world['groups'][2]}",
                 f"/users/{world['b'][0]}", f"/documents/{world['docs'][0]}", f"/documents/{world['docs'][1]}"]:
        again = repeated(page(srv, path))
        assert not again, (path, again)
    # The owner's view of a group holds its pending requests and invitations too.
    for g in world["groups"]:
        again = repeated(page(srv, f"/groups/{g}", "anne.charge@ac-lyon.fr"))
        assert not again, (g, again)


def test_the_viewers_standing_in_groups_is_read_once_a_page(srv):
    for path in PAGES + [f"/posts/{world['posts'][0]}", f"/groups/{world['groups'][0]}"]:
        callers = [c for c, _ in page(srv, path)]
        assert callers.count("access_group_role") <= 1, (path, callers)


def test_a_school_page_reads_no_statement_twice(srv):
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("uai;name;town;academy\n0691111A;Collège Chargé;Lyon;Lyon\n")
    r = subprocess.run([srv.bin, "schools", "import", f.name, "--data", srv.data] + srv.db_args,
                       capture_output=True, text=True, env=srv.env, timeout=60)
    os.unlink(f.name)
    assert r.returncode == 0, r
    for who in (world["a"], world["b"]):
        assert srv.api("PATCH", "/me", {"school_uai": "0691111A"}, token=who[1]).status == 200
    again = repeated(page(srv, "/schools/0691111A"))
    assert not again, again
    web = world["chloe.charge@ac-lyon.fr"]
    again = repeated(statements(srv, "GET", "/schools", lambda: web.get("/schools?q=college")))
    assert not again, again
