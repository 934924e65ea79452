"""The access-control matrix: every viewer x every post x every read path.

The world: an author with an accepted contact; an owner's open, closed and
secret groups where the author, a plain group member and a group moderator
belong, an invitee is invited (not joined) and a requester asked to join the
closed one; an unrelated member, an admin and a visitor (no token). The
author writes a post for every allowed (group openness x post visibility)
and one outside groups for every visibility, plus hidden variants wherever a
moderator can hide them; every post has two replies, the second hidden where
someone moderates it, and mentions every viewer.

The expected answers come from the oracle below, written from the rules in
src/domain/access.h (never from the server). Every disagreement is recorded
with the viewer, the post, the path, what was expected and what came back;
each test fails listing all of its own.
"""

# ---- client ------------------------------------------------------------------

SRV = None                          # the lib.Server of this module (set by test_world_setup)


def call(who, method, path, body=None):
    """(status, decoded JSON body) of an API call by a viewer (the visitor has no token)."""
    r = SRV.api(method, path, body, token=getattr(who, "token", None))
    try:
        return r.status, r.json()
    except ValueError:
        return r.status, r.text


# ---- the oracle (src/domain/access.h) ----------------------------------------


class Viewer:
    def __init__(self, name, uid=0, token=None, handle=None, admin=False):
        self.name, self.uid, self.token, self.handle, self.admin = name, uid, token, handle, admin

    def __repr__(self):
        return self.name


class Group:
    def __init__(self, key, vis):
        self.key, self.vis, self.id = key, vis, None
        self.members, self.mods, self.invited, self.requested = set(), set(), set(), set()


class Post:
    def __init__(self, author, vis, group=None, hidden=False):
        self.author, self.vis, self.group, self.hidden = author, vis, group, hidden
        self.id = None
        self.replies = []           # Reply objects

    @property
    def desc(self):
        where = "group %s" % self.group.key if self.group else "no group"
        return "%s post in %s%s (id %s)" % (self.vis, where, ", hidden" if self.hidden else "", self.id)


class Reply:
    def __init__(self, post, author, hidden=False):
        self.post, self.author, self.hidden, self.id = post, author, hidden, None


CONTACTS = set()                    # frozenset({uid, uid}) of accepted contacts


def is_contact(a, b):
    return frozenset((a, b)) in CONTACTS


def sees_group(v, g):
    """open: everyone; closed: signed in; secret: members and invitees."""
    if g.vis == "open":
        return True
    if not v.uid:
        return False
    if g.vis == "closed":
        return True
    return v.uid in g.members or v.uid in g.invited


def sees_members(v, g):
    """Member lists: open groups to every signed-in member; closed and secret
    groups to their current members only."""
    return v.uid > 0 and (g.vis == "open" or v.uid in g.members)


def sees_post(v, p):
    """In a group, unless the group is open and the post members or public,
    only current members; then by visibility; hidden posts only for the
    author, the group's moderators and admins."""
    me, g = v.uid, p.group
    if g is not None and not (g.vis == "open" and p.vis in ("members", "public")) and me not in g.members:
        return False
    if p.vis == "public":
        ok = True
    elif p.vis == "members":
        ok = me > 0
    elif p.vis == "contacts":
        ok = me > 0 and (me == p.author.uid or is_contact(me, p.author.uid))
    elif p.vis == "group":
        ok = g is not None
    elif p.vis == "private":
        ok = me > 0 and me == p.author.uid
    else:
        ok = False
    if not ok:
        return False
    if p.hidden:
        return me > 0 and (me == p.author.uid or v.admin or (g is not None and me in g.mods))
    return True


def may_edit(v, p):
    return v.uid > 0 and sees_post(v, p) and (
        v.uid == p.author.uid or v.admin or (p.group is not None and v.uid in p.group.mods))


def may_moderate(v, p):
    return v.uid > 0 and sees_post(v, p) and (v.admin or (p.group is not None and v.uid in p.group.mods))


def sees_reply(v, r):
    """Hidden replies: their author and those who moderate the post."""
    return sees_post(v, r.post) and (not r.hidden or (v.uid > 0 and v.uid == r.author.uid) or
                                     may_moderate(v, r.post))


# ---- the world -------------------------------------------------------------

V = {}                              # name -> Viewer
VISITOR = Viewer("visitor")
G = {}                              # key -> Group
POSTS = []
FAILS = []


def signed_in():
    return list(V.values())


def everyone():
    return [VISITOR] + signed_in()


def check(cond_expected, got, viewer, what, path):
    """Records a mismatch; returns whether it matched."""
    if cond_expected != got:
        FAILS.append("viewer=%s | %s | %s | expected %s, got %s" % (viewer, what, path, cond_expected, got))
        return False
    return True


def need_world():
    assert SRV is not None and len(POSTS) == 16, "the matrix was not set up (see test_world_setup)"


def flush(title):
    if FAILS:
        msg = "%s: %d mismatch(es):\n  " % (title, len(FAILS)) + "\n  ".join(FAILS[:200])
        del FAILS[:]
        raise AssertionError(msg)


def must(status, body, want, what):
    if status != want:
        raise AssertionError("%s: expected %s, got %s %s" % (what, want, status, body))
    return body


def all_pages(viewer, path, limit_pages=50):
    """GET a list and every page after it; (status, items)."""
    items, cursor = [], None
    for _ in range(limit_pages):
        sep = "&" if "?" in path else "?"
        st, body = call(viewer, "GET", path + (sep + "cursor=" + str(cursor) if cursor else ""))
        if st != 200:
            return st, items
        items.extend(body["items"])
        cursor = body.get("next")
        if cursor is None:
            return 200, items
    raise AssertionError("%s: more than %d pages" % (path, limit_pages))


# ---- setup -----------------------------------------------------------------

VIEWERS = ["member", "contact", "invitee", "requester", "gmember", "gmod", "owner", "author", "admin"]


def test_world_setup(srv):
    global SRV
    SRV = srv
    for name in VIEWERS:
        email = "%s@matrix.ac-test.fr" % name
        uid = srv.user(email, "Matrix " + name.capitalize(), admin=(name == "admin"))
        V[name] = Viewer(name, uid, srv.login(email), None, admin=(name == "admin"))
    for v in V.values():        # the handle as the public profile shows it
        st, prof = call(V["member"], "GET", "/users/%s" % v.uid)
        must(st, prof, 200, "GET /users/%s" % v.uid)
        v.handle = prof["handle"]
        assert v.handle, "user %s has no handle" % v
    owner, author = V["owner"], V["author"]

    # author <-> contact, accepted
    st, b = call(author, "POST", "/contacts", {"user_id": V["contact"].uid})
    must(st, b, 201, "contact request")
    st, b = call(V["contact"], "POST", "/contacts/%s/accept" % author.uid)
    must(st, b, 200, "contact accept")
    CONTACTS.add(frozenset((author.uid, V["contact"].uid)))

    for vis in ("open", "closed", "secret"):
        g = G[vis] = Group(vis, vis)
        st, b = call(owner, "POST", "/groups", {"name": "Matrix %s" % vis, "description": "d",
                                               "kind": "practice", "visibility": vis})
        g.id = must(st, b, 201, "create %s group" % vis)["id"]
        g.members.add(owner.uid)
        g.mods.add(owner.uid)
        for name in ("gmember", "gmod", "author"):
            st, b = call(owner, "POST", "/groups/%s/invitations" % g.id, {"user_id": V[name].uid})
            must(st, b, 201, "invite %s to %s" % (name, vis))
            st, b = call(V[name], "POST", "/groups/%s/join" % g.id)
            must(st, b, 200, "%s accepts the invitation to %s" % (name, vis))
            g.members.add(V[name].uid)
        st, b = call(owner, "PUT", "/groups/%s/members/%s" % (g.id, V["gmod"].uid), {"role": "moderator"})
        must(st, b, 200, "gmod becomes moderator of %s" % vis)
        g.mods.add(V["gmod"].uid)
        st, b = call(owner, "POST", "/groups/%s/invitations" % g.id, {"user_id": V["invitee"].uid})
        must(st, b, 201, "invite invitee to %s" % vis)
        g.invited.add(V["invitee"].uid)
    st, b = call(V["requester"], "POST", "/groups/%s/join" % G["closed"].id)
    must(st, b, 202, "requester asks to join the closed group")
    G["closed"].requested.add(V["requester"].uid)

    # every allowed (group visibility x post visibility), plus hidden variants
    # wherever someone may hide them
    combos = [(None, "public", True), (None, "members", True), (None, "contacts", False),
              (None, "private", False),
              ("open", "group", True), ("open", "members", True), ("open", "public", True),
              ("closed", "group", True), ("secret", "group", True)]
    mentions = " ".join("@" + V[n].handle for n in VIEWERS)
    for gkey, vis, hideable in combos:
        for hidden in ((False, True) if hideable else (False,)):
            p = Post(author, vis, G[gkey] if gkey else None, hidden)
            body = {"kind": "discussion", "title": "Matrix %s %s%s" % (gkey or "nogroup", vis,
                                                                    " hidden" if hidden else ""),
                    "body": "Premier jet.\n\nBonjour %s !" % mentions, "visibility": vis}
            if gkey:
                body["group_id"] = G[gkey].id
            st, b = call(author, "POST", "/posts", body)
            p.id = must(st, b, 201, "create " + p.desc)["id"]
            POSTS.append(p)
    for p in POSTS:
        st, b = call(author, "PATCH", "/posts/%s" % p.id, {"body": "Second jet.\n\nMerci %s." % mentions})
        must(st, b, 200, "edit " + p.desc)
        for i in range(2):
            r = Reply(p, author)
            text = "Réponse %d" % (i + 1) + (" pour %s" % mentions if i == 1 else "")
            st, b = call(author, "POST", "/posts/%s/replies" % p.id, {"body": text})
            r.id = must(st, b, 201, "reply to " + p.desc)["id"]
            p.replies.append(r)
    # hide the second reply and the hidden variants, as a moderator who sees them
    for p in POSTS:
        mod = V["gmod"] if p.group else V["admin"] if p.vis in ("public", "members") else None
        if mod is None:
            continue
        r = p.replies[1]
        st, b = call(mod, "POST", "/replies/%s/hide" % r.id, {"note": "matrix"})
        must(st, b, 200, "hide the second reply of " + p.desc)
        r.hidden = True
        if p.hidden:
            st, b = call(mod, "POST", "/posts/%s/hide" % p.id, {"note": "matrix"})
            must(st, b, 200, "hide " + p.desc)
    assert len(POSTS) == 16


# ---- single-post read paths ------------------------------------------------

def test_post_get(srv):
    need_world()
    for v in everyone():
        for p in POSTS:
            path = "GET /posts/%s" % p.id
            st, b = call(v, "GET", "/posts/%s" % p.id)
            want = 200 if sees_post(v, p) else 404
            if check(want, st, v, p.desc, path) and st == 200:
                check(p.id, b.get("id"), v, p.desc, path + " id")
                check(p.hidden, b.get("hidden"), v, p.desc, path + " hidden flag")
                check(may_edit(v, p), b.get("may_edit"), v, p.desc, path + " may_edit")
                check(may_moderate(v, p), b.get("may_moderate"), v, p.desc, path + " may_moderate")
                reply_count_ok(v, b, p, path)
            elif st == 404:
                check(None, b.get("title") if isinstance(b, dict) else None, v, p.desc, path + " body leaks")
    flush("GET /posts/{id}")


def test_replies_list(srv):
    need_world()
    for v in everyone():
        for p in POSTS:
            path = "GET /posts/%s/replies" % p.id
            st, items = all_pages(v, "/posts/%s/replies" % p.id)
            want = 200 if sees_post(v, p) else 404
            if check(want, st, v, p.desc, path) and st == 200:
                got = sorted(x["id"] for x in items)
                exp = sorted(r.id for r in p.replies if sees_reply(v, r))
                check(exp, got, v, p.desc, path + " reply ids")
    flush("GET /posts/{id}/replies")


def test_revisions_and_diff(srv):
    need_world()
    for v in everyone():
        for p in POSTS:
            want = 200 if sees_post(v, p) else 404
            for path in ("/posts/%s/revisions" % p.id, "/posts/%s/revisions/1" % p.id,
                         "/posts/%s/revisions/2" % p.id, "/posts/%s/diff?from=1&to=2" % p.id):
                st, b = call(v, "GET", path)
                if check(want, st, v, p.desc, "GET " + path) and st == 200 and path.endswith("/revisions"):
                    check([2, 1], [x["revision"] for x in b["items"]], v, p.desc, "GET " + path + " revisions")
                if st == 200 and "diff" in path:
                    ops = sorted(set(x["op"] for x in b["lines"]))
                    check(["add", "del", "same"], ops, v, p.desc, "GET " + path + " ops")
    flush("revisions and diff")


def test_single_post_probes(srv):
    need_world()
    """Paths that act on a post answer 404 before anything else when the
    viewer may not see it. The probes carry invalid input so that nothing
    changes: a visible post answers 403 or 422, never 201."""
    long_note = "x" * 1001
    for v in signed_in():
        for p in POSTS:
            sees = sees_post(v, p)
            pid = p.id
            st, _ = call(v, "POST", "/posts/%s/replies" % pid, {"body": "   "})
            check(422 if sees else 404, st, v, p.desc, "POST /posts/%s/replies (blank body)" % pid)
            st, _ = call(v, "POST", "/posts/%s/reports" % pid, {"reason": ""})
            check(422 if sees else 404, st, v, p.desc, "POST /posts/%s/reports (empty reason)" % pid)
            st, _ = call(v, "PATCH", "/posts/%s" % pid, {"title": ""})
            check(422 if may_edit(v, p) else 403 if sees else 404, st, v, p.desc,
                  "PATCH /posts/%s (empty title)" % pid)
            st, _ = call(v, "POST", "/posts/%s/hide" % pid, {"note": long_note})
            check(422 if may_moderate(v, p) else 403 if sees else 404, st, v, p.desc,
                  "POST /posts/%s/hide (over-long note)" % pid)
            st, b = call(v, "PUT", "/posts/%s/useful" % pid)
            check(200 if sees else 404, st, v, p.desc, "PUT /posts/%s/useful" % pid)
            if st == 404:
                check(None, b.get("useful_count"), v, p.desc, "PUT /posts/%s/useful body leaks" % pid)
            for r in p.replies:
                what = "%s reply of %s" % ("hidden" if r.hidden else "visible", p.desc)
                rs = sees_reply(v, r)
                st, _ = call(v, "POST", "/replies/%s/reports" % r.id, {"reason": ""})
                check(422 if rs else 404, st, v, what, "POST /replies/%s/reports (empty reason)" % r.id)
                st, _ = call(v, "PATCH", "/replies/%s" % r.id, {"body": ""})
                red = rs and (v.uid == r.author.uid or may_moderate(v, p))
                check(422 if red else 403 if rs else 404, st, v, what, "PATCH /replies/%s (empty body)" % r.id)
                st, _ = call(v, "POST", "/replies/%s/hide" % r.id, {"note": long_note})
                check(422 if rs and may_moderate(v, p) else 403 if rs else 404, st, v, what,
                      "POST /replies/%s/hide (over-long note)" % r.id)
    # the marks counted are exactly those of the viewers who see the post;
    # then every viewer takes theirs back
    for p in POSTS:
        st, b = call(V["author"], "GET", "/posts/%s" % p.id)
        n = sum(1 for v in signed_in() if sees_post(v, p))
        check(n, b.get("useful_count"), V["author"], p.desc, "useful_count after every viewer's PUT useful")
    for v in signed_in():
        for p in POSTS:
            st, b = call(v, "DELETE", "/posts/%s/useful" % p.id)
            check(200 if sees_post(v, p) else 404, st, v, p.desc, "DELETE /posts/%s/useful" % p.id)
    for p in POSTS:
        st, b = call(V["author"], "GET", "/posts/%s" % p.id)
        check(0, b.get("useful_count"), V["author"], p.desc, "useful_count after every viewer's DELETE useful")
    # a visitor is asked to sign in, whatever the post
    for p in POSTS[:3]:
        st, _ = call(VISITOR, "POST", "/posts/%s/replies" % p.id, {"body": "x"})
        check(401, st, VISITOR, p.desc, "POST /posts/%s/replies" % p.id)
    flush("probes on single posts")


# ---- lists -----------------------------------------------------------------

def reply_count_ok(v, item, p, path):
    """reply_count counts what everyone who sees the post may read: the replies that are not hidden
    (never more than this viewer may read; a moderator reads the hidden ones besides)."""
    n = sum(1 for r in p.replies if not r.hidden)
    assert n <= sum(1 for r in p.replies if sees_reply(v, r))
    check(n, item.get("reply_count"), v, p.desc, path + " reply_count")


BY_ID = {}


def post_of(pid):
    if not BY_ID:
        BY_ID.update((p.id, p) for p in POSTS)
    return BY_ID.get(pid)


def test_posts_by_author(srv):
    need_world()
    author = V["author"]
    for v in everyone():
        path = "/posts?author=%s" % author.uid
        st, items = all_pages(v, path)
        if not check(200, st, v, "all posts", "GET " + path):
            continue
        got = sorted(x["id"] for x in items if post_of(x["id"]))
        exp = sorted(p.id for p in POSTS if sees_post(v, p))
        for pid in sorted(set(got) - set(exp)):
            check("absent", "listed", v, post_of(pid).desc, "GET " + path)
        for pid in sorted(set(exp) - set(got)):
            check("listed", "absent", v, post_of(pid).desc, "GET " + path)
        for x in items:
            if post_of(x["id"]):
                reply_count_ok(v, x, post_of(x["id"]), "GET " + path)
    flush("GET /posts?author=")


def test_group_posts_list(srv):
    need_world()
    for v in everyone():
        for g in G.values():
            path = "/groups/%s/posts" % g.id
            st, items = all_pages(v, path)
            if not check(200 if sees_group(v, g) else 404, st, v, "group %s" % g.key, "GET " + path) or st != 200:
                continue
            got = set(x["id"] for x in items)
            exp = set(p.id for p in POSTS if p.group is g and sees_post(v, p))
            for pid in sorted(got - exp):
                p = post_of(pid)
                check("absent", "listed", v, p.desc if p else "post %s" % pid, "GET " + path)
            for pid in sorted(exp - got):
                check("listed", "absent", v, post_of(pid).desc, "GET " + path)
            for x in items:
                if post_of(x["id"]):
                    reply_count_ok(v, x, post_of(x["id"]), "GET " + path)
    flush("GET /groups/{id}/posts")


def related(v, p, actor):
    """Is this activity in v's feed (before the access check)?"""
    return (v.uid == actor.uid or is_contact(v.uid, actor.uid) or
            (p.group is not None and v.uid in p.group.members))


def test_feed(srv):
    need_world()
    for v in signed_in():
        st, items = all_pages(v, "/feed")
        if not check(200, st, v, "feed", "GET /feed"):
            continue
        seen = set()
        for a in items:
            p = post_of(a["post"]["id"])
            if not p:
                continue
            seen.add(p.id)
            if not sees_post(v, p):
                check("absent", "present (verb %s)" % a["verb"], v, p.desc, "GET /feed")
            if a.get("reply_id"):
                r = next((r for r in p.replies if r.id == a["reply_id"]), None)
                if r and r.hidden and not sees_reply(v, r):
                    check("absent", "present", v, "hidden reply %s of %s" % (r.id, p.desc), "GET /feed")
            reply_count_ok(v, a["post"], p, "GET /feed")
        for p in POSTS:
            if sees_post(v, p) and related(v, p, p.author) and p.id not in seen:
                check("present", "absent", v, p.desc, "GET /feed")
    flush("GET /feed")


def test_mentions_reach_only_those_who_see(srv):
    need_world()
    for v in signed_in():
        st, b = call(v, "GET", "/notifications")
        if not check(200, st, v, "notifications", "GET /notifications"):
            continue
        st, items = all_pages(v, "/notifications")
        got = sorted(x["post_id"] for x in items if x["kind"] == "mention" and post_of(x["post_id"])
                     and not x.get("reply_id"))
        exp = sorted(p.id for p in POSTS if sees_post(v, p) and v.uid != p.author.uid)
        for pid in sorted(set(got) - set(exp)):
            check("no mention", "mention", v, post_of(pid).desc, "GET /notifications")
        for pid in sorted(set(exp) - set(got)):
            check("mention", "none", v, post_of(pid).desc, "GET /notifications")
        check(len(got), len(set(got)), v, "mentions", "GET /notifications duplicates")
        # the second reply of every post mentions everyone too; some are hidden
        replies = dict((r.id, r) for p in POSTS for r in p.replies)
        got = sorted(x["reply_id"] for x in items if x["kind"] == "mention" and x.get("reply_id") in replies)
        exp = sorted(r.id for r in replies.values() if r is r.post.replies[1] and sees_reply(v, r)
                     and v.uid != r.author.uid)
        for rid in sorted(set(got) - set(exp)):
            r = replies[rid]
            check("no mention", "mention", v, "%s reply %s of %s" % ("hidden" if r.hidden else "visible", rid,
                                                                    r.post.desc), "GET /notifications")
        for rid in sorted(set(exp) - set(got)):
            check("mention", "none", v, "reply %s of %s" % (rid, replies[rid].post.desc), "GET /notifications")
        unread = sum(1 for x in items if not x["read"])
        check(unread, b.get("unread"), v, "notifications", "GET /notifications unread count")
    st, _ = call(VISITOR, "GET", "/notifications")
    check(401, st, VISITOR, "notifications", "GET /notifications")
    flush("GET /notifications")


def test_groups_listing_and_pages(srv):
    need_world()
    for v in everyone():
        st, items = all_pages(v, "/groups")
        if check(200, st, v, "groups", "GET /groups"):
            got = set(x["id"] for x in items)
            for g in G.values():
                check(sees_group(v, g), g.id in got, v, "group %s" % g.key, "GET /groups (listed?)")
        for g in G.values():
            st, b = call(v, "GET", "/groups/%s" % g.id)
            if check(200 if sees_group(v, g) else 404, st, v, "group %s" % g.key, "GET /groups/%s" % g.id) \
                    and st == 200:
                check(len(g.members), b.get("member_count"), v, "group %s" % g.key, "member_count")
            st, b = call(v, "GET", "/groups/%s/members" % g.id)
            want = 401 if not v.uid else 200 if sees_members(v, g) else 404
            if check(want, st, v, "group %s" % g.key, "GET /groups/%s/members" % g.id) and st == 200:
                check(sorted(g.members), sorted(x["user"]["id"] for x in b["items"]), v, "group %s" % g.key,
                      "GET /groups/%s/members ids" % g.id)
    flush("groups")


# ---- the rules over time ---------------------------------------------------

def ids_of(viewer, path):
    st, items = all_pages(viewer, path)
    assert st == 200, "viewer=%s | GET %s | expected 200, got %s" % (viewer, path, st)
    return set((x["post"]["id"] if "post" in x and "verb" in x else x["id"]) for x in items)


def mention_posts(viewer):
    st, items = all_pages(viewer, "/notifications")
    assert st == 200, "viewer=%s | GET /notifications | expected 200, got %s" % (viewer, st)
    return set(x["post_id"] for x in items if x["kind"] == "mention")


def expect(viewer, method, path, want, what, body=None):
    st, b = call(viewer, method, path, body)
    check(want, st, viewer, what, "%s %s" % (method, path))
    return b


def expect_in(flag, viewer, pid, ids, what, path):
    check("listed" if flag else "absent", "listed" if pid in ids else "absent", viewer, what, "GET " + path)


def new_group(owner, name, vis):
    st, b = call(owner, "POST", "/groups", {"name": name, "kind": "project", "visibility": vis})
    return must(st, b, 201, "create group " + name)["id"]


def bring_in(owner, gid, who):
    st, b = call(owner, "POST", "/groups/%s/invitations" % gid, {"user_id": who.uid})
    must(st, b, 201, "invite %s" % who)
    st, b = call(who, "POST", "/groups/%s/join" % gid)
    must(st, b, 200, "%s joins" % who)


def new_post(author, title, vis=None, gid=None, body=None):
    o = {"kind": "discussion", "title": title, "body": body or "Texte de " + title}
    if vis:
        o["visibility"] = vis
    if gid:
        o["group_id"] = gid
    st, b = call(author, "POST", "/posts", o)
    return must(st, b, 201, "create post " + title)


def test_member_who_leaves_a_closed_group_loses_access_at_once(srv):
    need_world()
    owner, author, x = V["owner"], V["author"], V["member"]
    gid = new_group(owner, "Départ immédiat", "closed")
    bring_in(owner, gid, author)
    st, b = call(x, "POST", "/groups/%s/join" % gid)
    must(st, b, 202, "member asks to join")
    st, b = call(owner, "POST", "/groups/%s/requests/%s/accept" % (gid, x.uid))
    must(st, b, 200, "owner accepts the request")
    p = new_post(author, "Réservé au groupe fermé", gid=gid, body="Pour @%s seulement" % x.handle)
    assert p["visibility"] == "group", "default visibility in a closed group: %s" % p["visibility"]
    pid, what = p["id"], "closed-group post %s" % p["id"]
    st, b = call(x, "POST", "/posts/%s/replies" % pid, {"body": "Je participe, @%s" % author.handle})
    must(st, b, 201, "member replies")
    # before leaving: everything shows it
    expect(x, "GET", "/posts/%s" % pid, 200, what)
    expect_in(True, x, pid, ids_of(x, "/groups/%s/posts" % gid), what, "/groups/%s/posts" % gid)
    expect_in(True, x, pid, ids_of(x, "/feed"), what, "/feed")
    expect_in(True, x, pid, ids_of(x, "/me/discussions"), what, "/me/discussions")
    expect_in(True, x, pid, ids_of(x, "/posts?author=%s" % author.uid), what, "/posts?author=")
    expect_in(True, x, pid, mention_posts(x), what, "/notifications")
    flush("before leaving")

    st, b = call(x, "POST", "/groups/%s/leave" % gid)
    must(st, b, 200, "member leaves")
    for path in ("/posts/%s" % pid, "/posts/%s/replies" % pid, "/posts/%s/revisions" % pid,
                 "/posts/%s/revisions/1" % pid, "/posts/%s/diff?from=1&to=1" % pid):
        expect(x, "GET", path, 404, what + " after leaving")
    expect(x, "PUT", "/posts/%s/useful" % pid, 404, what + " after leaving")
    expect(x, "POST", "/posts/%s/replies" % pid, 404, what + " after leaving", {"body": "encore ?"})
    expect(x, "GET", "/groups/%s" % gid, 200, "closed group after leaving (still listed)")
    expect_in(False, x, pid, ids_of(x, "/groups/%s/posts" % gid), what, "/groups/%s/posts" % gid)
    expect_in(False, x, pid, ids_of(x, "/feed"), what, "/feed")
    expect_in(False, x, pid, ids_of(x, "/me/discussions"), what, "/me/discussions")
    expect_in(False, x, pid, ids_of(x, "/posts?author=%s" % author.uid), what, "/posts?author=")
    expect_in(False, x, pid, mention_posts(x), what, "/notifications")
    # the others keep it
    expect(author, "GET", "/posts/%s" % pid, 200, what + " for its author")
    expect(owner, "GET", "/posts/%s" % pid, 200, what + " for the owner")
    flush("after leaving")


def test_author_who_leaves_loses_own_group_post_which_stays_for_the_group(srv):
    need_world()
    owner, author, other = V["owner"], V["author"], V["gmember"]
    gid = new_group(owner, "Auteur qui part", "closed")
    bring_in(owner, gid, author)
    bring_in(owner, gid, other)
    pid = new_post(author, "Mon billet de groupe", gid=gid)["id"]
    what = "own group post %s" % pid
    expect(author, "GET", "/posts/%s" % pid, 200, what)
    expect_in(True, author, pid, ids_of(author, "/me/discussions"), what, "/me/discussions")
    st, b = call(author, "POST", "/groups/%s/leave" % gid)
    must(st, b, 200, "author leaves")
    for path in ("/posts/%s" % pid, "/posts/%s/replies" % pid, "/posts/%s/revisions" % pid):
        expect(author, "GET", path, 404, what + " after the author left")
    expect(author, "PATCH", "/posts/%s" % pid, 404, what + " after the author left", {"title": "Nouveau"})
    expect(author, "DELETE", "/posts/%s" % pid, 404, what + " after the author left")
    expect_in(False, author, pid, ids_of(author, "/posts?author=%s" % author.uid), what, "/posts?author=")
    expect_in(False, author, pid, ids_of(author, "/me/discussions"), what, "/me/discussions")
    expect_in(False, author, pid, ids_of(author, "/feed"), what, "/feed")
    expect_in(False, author, pid, ids_of(author, "/groups/%s/posts" % gid), what, "/groups/{id}/posts")
    # it stays for the group
    expect(other, "GET", "/posts/%s" % pid, 200, what + " for a remaining member")
    expect_in(True, other, pid, ids_of(other, "/groups/%s/posts" % gid), what, "/groups/{id}/posts")
    expect_in(True, other, pid, ids_of(other, "/feed"), what, "/feed")
    expect(owner, "GET", "/posts/%s" % pid, 200, what + " for the owner")
    flush("author who left")


def test_open_group_turned_secret_hides_its_members_and_public_posts(srv):
    need_world()
    owner, author, outsider, contact = V["owner"], V["author"], V["member"], V["contact"]
    gid = new_group(owner, "Ouvert puis secret", "open")
    st, b = call(author, "POST", "/groups/%s/join" % gid)
    must(st, b, 200, "author joins the open group")
    assert b.get("state") == "member", b
    pm = new_post(author, "Billet membres", gid=gid, body="Coucou @%s et @%s" % (outsider.handle, contact.handle))
    assert pm["visibility"] == "members", "default visibility in an open group: %s" % pm["visibility"]
    pp = new_post(author, "Billet public", "public", gid, body="Salut @%s" % outsider.handle)
    pm, pp = pm["id"], pp["id"]
    for pid, vis in ((pm, "members"), (pp, "public")):
        what = "%s post %s of an open group" % (vis, pid)
        expect(outsider, "GET", "/posts/%s" % pid, 200, what)
        expect(VISITOR, "GET", "/posts/%s" % pid, 200 if vis == "public" else 404, what)
        expect_in(True, outsider, pid, ids_of(outsider, "/groups/%s/posts" % gid), what, "/groups/{id}/posts")
        expect_in(True, outsider, pid, mention_posts(outsider), what, "/notifications")
        expect_in(True, contact, pid, ids_of(contact, "/feed"), what, "/feed")
        expect_in(True, outsider, pid, ids_of(outsider, "/posts?author=%s" % author.uid), what, "/posts?author=")
    expect_in(True, outsider, gid, ids_of(outsider, "/groups"), "open group", "/groups")
    expect_in(True, VISITOR, gid, ids_of(VISITOR, "/groups"), "open group", "/groups")
    flush("before the switch")

    st, b = call(owner, "PATCH", "/groups/%s" % gid, {"visibility": "secret"})
    must(st, b, 200, "owner makes the group secret")
    for v in (outsider, contact, VISITOR, V["admin"]):
        for pid in (pm, pp):
            what = "post %s of a group turned secret" % pid
            for path in ("/posts/%s" % pid, "/posts/%s/replies" % pid, "/posts/%s/revisions" % pid):
                expect(v, "GET", path, 404, what)
            expect_in(False, v, pid, ids_of(v, "/posts?author=%s" % author.uid), what, "/posts?author=")
            if v.uid:
                expect_in(False, v, pid, ids_of(v, "/feed"), what, "/feed")
                expect_in(False, v, pid, mention_posts(v), what, "/notifications")
        expect(v, "GET", "/groups/%s" % gid, 404, "group turned secret")
        expect(v, "GET", "/groups/%s/posts" % gid, 404, "group turned secret")
        expect(v, "GET", "/groups/%s/members" % gid, 404 if v.uid else 401, "group turned secret")
        expect_in(False, v, gid, ids_of(v, "/groups"), "group turned secret", "/groups")
    for v in (author, owner):
        for pid in (pm, pp):
            expect(v, "GET", "/posts/%s" % pid, 200, "post %s of a group turned secret, for a member" % pid)
    flush("after the switch")


def test_hidden_post_disappears_for_others_and_comes_back_when_restored(srv):
    need_world()
    author, admin, owner, gmod = V["author"], V["admin"], V["owner"], V["gmod"]
    others = (V["member"], V["contact"], V["gmember"], VISITOR)
    pid = new_post(author, "Billet à masquer", "public")["id"]
    gid = G["open"].id
    qid = new_post(author, "Billet de groupe à masquer", "members", gid)["id"]
    for v in others:
        expect(v, "GET", "/posts/%s" % pid, 200, "public post before hiding")
    st, b = call(admin, "POST", "/posts/%s/hide" % pid, {"note": "hors charte"})
    must(st, b, 200, "admin hides")
    st, b = call(gmod, "POST", "/posts/%s/hide" % qid, {"note": "hors sujet"})
    must(st, b, 200, "group moderator hides")
    for v in others:
        for x in (pid, qid):
            expect(v, "GET", "/posts/%s" % x, 404, "hidden post %s" % x)
            expect_in(False, v, x, ids_of(v, "/posts?author=%s" % author.uid), "hidden post %s" % x, "/posts?author=")
            if v.uid:
                expect_in(False, v, x, ids_of(v, "/feed"), "hidden post %s" % x, "/feed")
        expect_in(False, v, qid, ids_of(v, "/groups/%s/posts" % gid), "hidden post %s" % qid, "/groups/{id}/posts")
    for v in (author, admin):
        for x in (pid, qid):
            b = expect(v, "GET", "/posts/%s" % x, 200, "hidden post %s" % x)
            check(True, (b or {}).get("hidden"), v, "hidden post %s" % x, "hidden flag")
    for v in (owner, gmod):
        expect(v, "GET", "/posts/%s" % qid, 200, "hidden group post %s, for a group moderator" % qid)
        expect(v, "GET", "/posts/%s" % pid, 404, "hidden post %s outside their group" % pid)
    flush("hidden")
    st, b = call(gmod, "POST", "/posts/%s/restore" % pid, {})
    must(st, b, 404, "a group moderator cannot even see a hidden post outside the group")
    st, b = call(admin, "POST", "/posts/%s/restore" % pid, {})
    must(st, b, 200, "admin restores")
    st, b = call(gmod, "POST", "/posts/%s/restore" % qid, {})
    must(st, b, 200, "group moderator restores")
    for v in others:
        expect(v, "GET", "/posts/%s" % pid, 200, "restored post %s" % pid)
        expect(v, "GET", "/posts/%s" % qid, 200 if v.uid else 404, "restored group post %s" % qid)
    flush("restored")
