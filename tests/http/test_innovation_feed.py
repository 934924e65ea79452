"""Innovation records in "Mes informations" (issue 19): a record's creation
and its updates reach its followers, the contacts of its coordinator and
co-authors and the members of its linked groups, only when they may open it;
never a members-only record where a visitor reads, never a hidden one."""
from lib import expect

W = {}


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None)


def record(**kw):
    body = {"title": "Jardin partagé", "summary": "Un potager **au collège**.", "academy": "Nice",
            "levels": ["5e"], "subjects": ["SVT"], "themes": ["Développement durable"], "keywords": ["potager"],
            "type": "local", "started_year": 2022, "duration_years": 2, "visibility": "public"}
    body.update(kw)
    return body


def feed(srv, who):
    """The innovation items of who's feed, as (verb, record id) pairs, newest first."""
    items = expect(api(srv, who, "GET", "/feed"), 200)["items"]
    return [(a["verb"], a["innovation"]["id"]) for a in items if a.get("innovation")]


def test_world(srv):
    for k in ("coord", "coauthor", "contact", "follower", "groupie", "stranger", "admin"):
        W[k], W["t" + k] = srv.member("feed.%s@ac-nice.fr" % k, "Feed %s" % k.capitalize(), admin=(k == "admin"))
    expect(api(srv, "contact", "POST", "/contacts", {"user_id": W["coauthor"]}), 201)
    expect(api(srv, "coauthor", "POST", "/contacts/%s/accept" % W["contact"]), 200)
    W["group"] = expect(api(srv, "coord", "POST", "/groups", {"name": "Potagers", "description": "Jardiner",
                                                             "kind": "practice", "visibility": "open"}), 201)["id"]
    expect(api(srv, "groupie", "POST", "/groups/%s/join" % W["group"]), 200)
    W["pub"] = expect(api(srv, "coord", "POST", "/innovations",
                          record(coauthors=[W["coauthor"]], group_ids=[W["group"]])), 201)["id"]
    W["mem"] = expect(api(srv, "coord", "POST", "/innovations",
                          record(title="Conseil des élèves", visibility="members", coauthors=[W["coauthor"]],
                                 group_ids=[W["group"]])), 201)["id"]
    W["hid"] = expect(api(srv, "coord", "POST", "/innovations",
                          record(title="Fiche masquée", coauthors=[W["coauthor"]], group_ids=[W["group"]])), 201)["id"]
    expect(api(srv, "admin", "PATCH", "/innovations/%s" % W["hid"], {"hidden": True}), 200)


def test_a_contact_of_a_coauthor_sees_the_creation(srv):
    got = feed(srv, "contact")
    assert ("innovation", W["pub"]) in got and ("innovation", W["mem"]) in got, got
    assert all(i != W["hid"] for _, i in got), got


def test_the_linked_groups_members_see_the_creation(srv):
    got = feed(srv, "groupie")
    assert ("innovation", W["pub"]) in got and ("innovation", W["mem"]) in got, got
    assert all(i != W["hid"] for _, i in got), got


def test_a_stranger_sees_nothing(srv):
    assert feed(srv, "stranger") == []
    assert api(srv, None, "GET", "/feed").status == 401


def test_a_follower_sees_an_update(srv):
    expect(api(srv, "follower", "POST", "/innovations/%s/follow" % W["pub"]), 200)
    expect(api(srv, "coauthor", "PATCH", "/innovations/%s" % W["pub"], {"aims": "Nourrir la cantine"}), 200)
    items = expect(api(srv, "follower", "GET", "/feed"), 200)["items"]
    first = items[0]
    assert first["verb"] == "innovation_update" and first["innovation"]["id"] == W["pub"], items
    assert first["actor"]["id"] == W["coauthor"] and first["innovation"]["title"] == "Jardin partagé"
    assert first["post"] is None and "potager" in first["excerpt"]
    # the creation came before the follow, and is in the feed too
    assert [v for v, i in feed(srv, "follower")] == ["innovation_update", "innovation"]
    # the team and the contacts see the update as well
    assert feed(srv, "contact")[0] == ("innovation_update", W["pub"])
    assert ("innovation_update", W["pub"]) in feed(srv, "coord")


def test_a_hidden_record_never_appears(srv):
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % W["hid"], {"aims": "Encore"}), 200)
    for who in ("contact", "groupie", "stranger"):
        assert all(i != W["hid"] for _, i in feed(srv, who)), who
    # its team still sees its own record
    assert ("innovation_update", W["hid"]) in feed(srv, "coauthor")


def test_a_record_made_members_only_leaves_public_places(srv):
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % W["pub"], {"visibility": "members"}), 200)
    for path in ("/innovations/feed.atom", "/groups/%s/feed.atom" % W["group"], "/users/%s/blog.atom" % W["coord"]):
        r = srv.request("GET", path)
        t = r.body.decode("utf-8")
        assert r.status in (200, 404), (path, r.status)   # a member without a public blog: 404
        for k in ("pub", "mem", "hid"):
            assert "/innovations/%s<" % W[k] not in t and "/innovations/%s\"" % W[k] not in t, (path, k)
    expect(api(srv, "coord", "PATCH", "/innovations/%s" % W["pub"], {"visibility": "public"}), 200)
    t = srv.request("GET", "/innovations/feed.atom").body.decode("utf-8")
    assert "/innovations/%s<" % W["pub"] in t and "/innovations/%s<" % W["mem"] not in t


def test_cursor_pages_through_records_and_posts(srv):
    for n in range(3):
        expect(api(srv, "coauthor", "POST", "/posts", {"kind": "discussion", "title": "Note %d" % n,
                                                      "body": "Texte", "visibility": "members"}), 201)
    seen, cursor = [], None
    while True:
        b = expect(api(srv, "contact", "GET", "/feed" + ("?cursor=%s" % cursor if cursor else "")), 200)
        seen += [a["id"] for a in b["items"]]
        cursor = b["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True), seen


def test_home_and_feed_pages_link_the_record(srv):
    w = srv.web()
    w.login("feed.groupie@ac-nice.fr")
    for path in ("/", "/feed"):
        t = w.get(path).text
        assert 'href="/innovations/%s"' % W["pub"] in t and 'href="/innovations/%s"' % W["mem"] in t, path
        assert 'href="/innovations/%s"' % W["hid"] not in t, path
    w = srv.web()
    w.login("feed.stranger@ac-nice.fr")
    assert "/innovations/%s\"" % W["pub"] not in w.get("/feed").text
