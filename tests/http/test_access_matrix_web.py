"""The access-control matrix of the web pages, Atom feeds and Open Graph tags.

The same world as test_access_matrix.py (the JSON API matrix), built through
the API: an author with an accepted contact; an owner's open, closed and
secret groups where the author, a plain group member and a group moderator
belong, an invitee is invited (not joined) and a requester asked to join the
closed one; an unrelated member, an admin and a visitor (no session). The
author writes a post for every allowed (group openness x post visibility)
and one outside groups for every visibility, plus hidden variants wherever a
moderator can hide them; every post is edited once and has two replies, the
second hidden where someone moderates it and mentioning every viewer. A few
reports fill the moderation queues.

Every title, body, reply and group name carries a unique marker (ZT07Q,
ZB07Q, ZR07AQ, ZGSECRETQ...), so every page fetched is also scanned: no
marker, no /posts/ID or /groups/ID link and no #reply-ID anchor of something
the viewer may not see may appear anywhere in it (head included). Atom feeds
and Open Graph tags are scanned against what a visitor may see.

Each viewer reads the pages signed in through the web client (session
cookie); the expected answers come from the oracle below, written from the
rules in src/domain/access.h, with the member-list rule: member lists of
closed and secret groups are visible to the group's current members only
(open groups: every signed-in member). Every disagreement is recorded with
the viewer, the item, the path, what was expected and what came back; each
test fails listing all of its own.
"""
import html
import re

# ---- clients -------------------------------------------------------------------

SRV = None                          # the lib.Server of this module (set by test_world_setup)


def call(who, method, path, body=None):
    """(status, decoded JSON body) of an API call by a viewer (the visitor has no token)."""
    r = SRV.api(method, path, body, token=getattr(who, "token", None))
    try:
        return r.status, r.json()
    except ValueError:
        return r.status, r.text


# ---- the oracle (src/domain/access.h), as in test_access_matrix.py ------------------


class Viewer:
    def __init__(self, name, uid=0, token=None, handle=None, admin=False):
        self.name, self.uid, self.token, self.handle, self.admin = name, uid, token, handle, admin
        self.web = None             # a lib.Web signed in as this viewer (none for the visitor)
        self.display = ""

    def __repr__(self):
        return self.name


class Group:
    def __init__(self, key, vis):
        self.key, self.vis, self.id = key, vis, None
        self.members, self.mods, self.invited, self.requested = set(), set(), set(), set()
        self.marker = "ZG%sQ" % key.upper()


class Post:
    def __init__(self, author, vis, group=None, hidden=False, kind="discussion"):
        self.author, self.vis, self.group, self.hidden, self.kind = author, vis, group, hidden, kind
        self.id = None
        self.replies = []           # Reply objects
        self.n = 0                  # creation order (markers)

    @property
    def tmark(self):
        return "ZT%02dQ" % self.n

    @property
    def bmark(self):
        return "ZB%02dQ" % self.n

    @property
    def desc(self):
        where = "group %s" % self.group.key if self.group else "no group"
        return "%s %s post in %s%s (id %s, %s)" % (self.vis, self.kind, where, ", hidden" if self.hidden else "",
                                                   self.id, self.tmark)


class Reply:
    def __init__(self, post, author, hidden=False):
        self.post, self.author, self.hidden, self.id = post, author, hidden, None
        self.marker = ""

    @property
    def desc(self):
        return "%s reply %s (%s) of %s" % ("hidden" if self.hidden else "visible", self.id, self.marker,
                                           self.post.desc)


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
    if not v.uid:
        return False
    if g.vis == "open":
        return True
    return v.uid in g.members


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


def related(v, p, actor):
    """Is this activity in v's feed (before the access check)?"""
    return (v.uid == actor.uid or is_contact(v.uid, actor.uid) or
            (p.group is not None and v.uid in p.group.members))


# ---- the world ---------------------------------------------------------------------

V = {}                              # name -> Viewer
VISITOR = Viewer("visitor")
G = {}                              # key -> Group
POSTS = []
REPORTS = []                        # (post, reply or None)
FAILS = []
BY_ID = {}                          # str(post id) -> Post
MARKS = {}                          # title marker -> Post
REPLY_BY_ID = {}                    # str(reply id) -> Reply
GROUP_BY_ID = {}                    # str(group id) -> Group


def signed_in():
    return list(V.values())


def everyone():
    return [VISITOR] + signed_in()


def fail(viewer, what, path, expected, got):
    FAILS.append("viewer=%s | %s | %s | expected %s, got %s" % (viewer, what, path, expected, got))


def check(expected, got, viewer, what, path):
    """Records a mismatch; returns whether it matched."""
    if expected != got:
        fail(viewer, what, path, expected, got)
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


# ---- reading pages ---------------------------------------------------------------------

OG_RE = re.compile(r'<meta (?:property="og:[a-z_]+"|name="description") content="([^"]*)"')
POST_HREF = re.compile(r'href="(?:https?://[^/"]*)?/posts/(\d+)')
GROUP_HREF = re.compile(r'href="(?:https?://[^/"]*)?/groups/(\d+)')
REPLY_ANCHOR = re.compile(r'#reply-(\d+)"')
TITLED_LINK = re.compile(r'href="(?:https?://[^/"]*)?/posts/(\d+)[^"]*"[^>]*>[^<]*?(ZT\d\dQ)')
COUNT = r"(\d+) (?:reply|replies|réponse|réponses)"       # members read pages in their own language


def leaks(oracle_viewer, text, allowed=()):
    """What of the world this text shows that the viewer may not see
    (allowed: markers this page may show anyway)."""
    out = []
    for p in POSTS:
        if not sees_post(oracle_viewer, p):
            for m, what in ((p.tmark, "title"), (p.bmark, "body")):
                if m in text and m not in allowed:
                    out.append("%s of %s" % (what, p.desc))
        for r in p.replies:
            if r.marker in text and r.marker not in allowed and not sees_reply(oracle_viewer, r):
                out.append("body of " + r.desc)
    for g in G.values():
        if g.marker in text and not sees_group(oracle_viewer, g):
            out.append("name of the %s group" % g.key)
    return out


def broken_links(text):
    """Links whose text is a world post's title but whose href is another path."""
    out = []
    for pid, mark in TITLED_LINK.findall(text):
        p = MARKS.get(mark)
        if p and str(p.id) != pid:
            out.append((p, pid))
    return out


def link_leaks(oracle_viewer, text, allowed=()):
    out = []
    broken = set(pid for _, pid in broken_links(text))
    for pid in sorted(set(POST_HREF.findall(text))):
        p = BY_ID.get(pid)
        if p and not sees_post(oracle_viewer, p) and pid not in broken and p.tmark not in allowed:
            out.append("link to " + p.desc)
    for gid in sorted(set(GROUP_HREF.findall(text))):
        g = GROUP_BY_ID.get(gid)
        if g and not sees_group(oracle_viewer, g):
            out.append("link to the %s group" % g.key)
    for rid in sorted(set(REPLY_ANCHOR.findall(text))):
        r = REPLY_BY_ID.get(rid)
        if r and not sees_reply(oracle_viewer, r) and r.marker not in allowed:
            out.append("anchor of " + r.desc)
    return out


def get(v, path, what="page", og=None, links=True, allowed=()):
    """GETs a page as v (the web client with its session cookie) and scans it.

    og: True (Open Graph tags required), None (forbidden), "any" (allowed).
    links: also scan links to items (off for the audit log, which shows ids
    of every entry to administrators by design)."""
    r = (v.web if v.web else VISITOR.web).get(path)
    text = r.text
    atom = path.split("?")[0].endswith(".atom")
    oracle = VISITOR if atom else v
    for leak in leaks(oracle, text, allowed):
        fail(v, what, "GET " + path, "nothing the viewer may not see", "LEAK: " + leak)
    if links:
        for leak in link_leaks(oracle, text, allowed):
            fail(v, what, "GET " + path, "nothing the viewer may not see", "LEAK: " + leak)
    for p, pid in sorted(set(broken_links(text)), key=lambda x: (x[0].n, int(x[1]))):
        fail(v, what, "GET " + path, "the link titled %s to go to /posts/%s" % (p.tmark, p.id),
             "BROKEN LINK href=/posts/%s... (%s)" % (pid, "a trailing 0 appended to the id" if pid == "%s0" % p.id
                                                     else "another post"))
    if not atom:
        tags = OG_RE.findall(text)
        if r.status != 200 or og is False:
            og = None
        if og is True and not tags:
            fail(v, what, "GET " + path, "Open Graph tags (a visitor may see this page)", "none")
        elif og is None and tags:
            fail(v, what, "GET " + path, "no Open Graph tags (not a public page)",
                 "og tags: %r" % html.unescape(" | ".join(tags))[:160])
        elif tags:
            for leak in leaks(VISITOR, html.unescape(" ".join(tags))):
                fail(v, what, "GET " + path + " (Open Graph tags)", "only public content", "LEAK: " + leak)
    return r


def all_pages(v, path, what, limit_pages=20, **kw):
    """A list page and every page after it (its "more" link ?cursor=): the
    responses (only the first when it is not 200). kw: as for get()."""
    out = []
    base = path.split("?")[0]
    nxt = re.compile(r'href="(%s\?cursor=[^"#]*)' % re.escape(base))
    for _ in range(limit_pages):
        r = get(v, path, what, **kw)
        out.append(r)
        if r.status != 200:
            return out
        m = nxt.search(r.text)
        if not m:
            return out
        path = html.unescape(m.group(1))
    raise AssertionError("%s: more than %d pages" % (path, limit_pages))


def main_of(text):
    i = text.find('<main id="main"')
    j = text.rfind("</main>")
    return text[i:j] if i >= 0 and j > i else text


def to_login(v, r, path, what):
    """A member-only page without a session: a redirect to the login."""
    loc = r.headers.get("location", "")
    if not (r.status == 303 and loc.startswith("/login?next=")):
        fail(v, what, "GET " + path, "303 to /login?next=...", "%s %s" % (r.status, loc))


SUMMARY = re.compile(r'<h3><a href="/posts/(\d+)">(?:(?!</li>).)*?' + COUNT + ' ·', re.S)


def summaries(v, text, path):
    """Post summaries of a list page: ids; checks their reply counts."""
    ids = re.findall(r'<h3><a href="/posts/(\d+)">', main_of(text))
    counts = SUMMARY.findall(main_of(text))
    check(len(ids), len(counts), v, "post summaries", "GET " + path + " summaries with a reply count")
    for pid, count in counts:
        p = BY_ID.get(pid)
        if p:
            reply_count_ok(v, int(count), p, "GET " + path)
    return ids


def reply_count_ok(v, count, p, path):
    """The count shown is the replies everyone who sees the post may read: those not hidden."""
    n = sum(1 for r in p.replies if not r.hidden)
    assert n <= sum(1 for r in p.replies if sees_reply(v, r))
    if count != n:
        fail(v, p.desc, path + " reply count", "%d (replies not hidden)" % n, count)


def listed(v, got, exp, path, what=None):
    """Compares the world posts listed (ids as strings) with the expected Posts."""
    got = set(pid for pid in got if pid in BY_ID)
    exp = set(str(p.id) for p in exp)
    for pid in sorted(got - exp, key=int):
        check("absent", "listed", v, what or BY_ID[pid].desc, "GET " + path)
    for pid in sorted(exp - got, key=int):
        check("listed", "absent", v, what or BY_ID[pid].desc, "GET " + path)


# ---- setup ---------------------------------------------------------------------------

VIEWERS = ["member", "contact", "invitee", "requester", "gmember", "gmod", "owner", "author", "admin"]


def test_world_setup(srv):
    global SRV
    SRV = srv
    VISITOR.web = srv.web("en")
    for name in VIEWERS:
        email = "%s@matrixweb.ac-test.fr" % name
        uid = srv.user(email, "Matrix " + name.capitalize(), admin=(name == "admin"))
        v = V[name] = Viewer(name, uid, srv.login(email), None, admin=(name == "admin"))
        v.display = "Matrix " + name.capitalize()
        v.web = srv.web("en")
        v.web.login(email)
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
        st, b = call(owner, "POST", "/groups", {"name": "Matrix %s %s" % (vis, g.marker),
                                               "description": "Groupe %s" % g.marker,
                                               "kind": "practice", "visibility": vis})
        g.id = must(st, b, 201, "create %s group" % vis)["id"]
        GROUP_BY_ID[str(g.id)] = g
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
    # wherever someone may hide them; blog posts outside groups and in the
    # open group (the member's Atom feed lists blog posts), discussions elsewhere
    combos = [(None, "public", True), (None, "members", True), (None, "contacts", False),
              (None, "private", False),
              ("open", "group", True), ("open", "members", True), ("open", "public", True),
              ("closed", "group", True), ("secret", "group", True)]
    mentions = " ".join("@" + V[n].handle for n in VIEWERS)
    for gkey, vis, hideable in combos:
        for hidden in ((False, True) if hideable else (False,)):
            kind = "blog" if gkey in (None, "open") else "discussion"
            p = Post(author, vis, G[gkey] if gkey else None, hidden, kind)
            p.n = len(POSTS) + 1
            body = {"kind": kind, "title": "Matrix %s %s%s %s" % (gkey or "nogroup", vis,
                                                                 " hidden" if hidden else "", p.tmark),
                    "body": "%s Premier jet.\n\nBonjour %s !" % (p.bmark, mentions), "visibility": vis}
            if gkey:
                body["group_id"] = G[gkey].id
            st, b = call(author, "POST", "/posts", body)
            p.id = must(st, b, 201, "create " + p.desc)["id"]
            POSTS.append(p)
            BY_ID[str(p.id)] = p
            MARKS[p.tmark] = p
    for p in POSTS:
        st, b = call(author, "PATCH", "/posts/%s" % p.id,
                     {"body": "%s Second jet.\n\nMerci %s." % (p.bmark, mentions)})
        must(st, b, 200, "edit " + p.desc)
        for i in range(2):
            r = Reply(p, author)
            r.marker = "ZR%02d%sQ" % (p.n, "AB"[i])
            text = "%s Réponse %d" % (r.marker, i + 1) + (" pour %s" % mentions if i == 1 else "")
            st, b = call(author, "POST", "/posts/%s/replies" % p.id, {"body": text})
            r.id = must(st, b, 201, "reply to " + p.desc)["id"]
            p.replies.append(r)
            REPLY_BY_ID[str(r.id)] = r
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

    # open reports (after the hiding, which resolves reports): who moderates sees them
    def find(gkey, vis):
        return next(p for p in POSTS if (p.group.key if p.group else None) == gkey and p.vis == vis
                    and not p.hidden)
    for reporter, p, reply in ((V["gmember"], find("closed", "group"), None),
                               (V["gmember"], find("secret", "group"), None),
                               (V["gmember"], find("open", "group"), 0),
                               (V["member"], find(None, "public"), 0),
                               (V["contact"], find(None, "contacts"), None)):
        path = "/replies/%s/reports" % p.replies[reply].id if reply is not None else "/posts/%s/reports" % p.id
        st, b = call(reporter, "POST", path, {"reason": "matrix report"})
        must(st, b, 201, "report by %s: %s" % (reporter, path))
        REPORTS.append((p, p.replies[reply] if reply is not None else None))


# ---- single posts ----------------------------------------------------------------------

REPLY_BLOCK = re.compile(r'<div class="reply[^"]*" id="reply-(\d+)"')
REPLY_TITLE = re.compile(r'id="replies-title">[^<]*\((\d+)\)</h2>')


def test_post_pages(srv):
    need_world()
    for v in everyone():
        for p in POSTS:
            path = "/posts/%s" % p.id
            sees = sees_post(v, p)
            r = get(v, path, p.desc, og=sees_post(VISITOR, p))
            if not check(200 if sees else 404, r.status, v, p.desc, "GET " + path) or r.status != 200:
                continue
            t = r.text
            check(True, p.tmark in t and p.bmark in t, v, p.desc, "GET " + path + " shows title and body")
            got = sorted(REPLY_BLOCK.findall(t), key=int)
            exp = sorted((str(x.id) for x in p.replies if sees_reply(v, x)), key=int)
            check(exp, got, v, p.desc, "GET " + path + " reply blocks shown")
            m = REPLY_TITLE.search(t)
            if check(True, bool(m), v, p.desc, "GET " + path + " reply count in the heading") and m:
                reply_count_ok(v, int(m.group(1)), p, "GET " + path)
            check(may_edit(v, p), 'href="/posts/%s/edit"' % p.id in t, v, p.desc, "GET " + path + " edit link")
            check(may_moderate(v, p), bool(re.search(r'action="/posts/%s/(hide|restore)"' % p.id, t)), v, p.desc,
                  "GET " + path + " hide/restore button")
            for x in p.replies:
                if sees_reply(v, x):
                    check(may_moderate(v, p), bool(re.search(r'action="/replies/%s/(hide|restore)"' % x.id, t)),
                          v, x.desc, "GET " + path + " reply hide/restore button")
            m = re.search(r'<meta property="og:title" content="([^"]*)"', t)
            if m:
                check(True, p.tmark in m.group(1), v, p.desc, "GET " + path + " og:title is the post's title")
    flush("GET /posts/{id}")


def test_revisions_diff_and_edit_pages(srv):
    need_world()
    for v in everyone():
        for p in POSTS:
            sees = sees_post(v, p)
            public = "any" if sees_post(VISITOR, p) else None
            path = "/posts/%s/revisions" % p.id
            r = get(v, path, p.desc, og=public)
            if check(200 if sees else 404, r.status, v, p.desc, "GET " + path) and r.status == 200:
                body = main_of(r.text)
                check(["2", "1"], re.findall(r"<tr><td>(\d+)</td>", body), v, p.desc, "GET " + path + " revisions")
                check(True, "diff?from=1&amp;to=2" in body, v, p.desc, "GET " + path + " link to the diff")
            path = "/posts/%s/diff?from=1&to=2" % p.id
            r = get(v, path, p.desc, og=public)
            if check(200 if sees else 404, r.status, v, p.desc, "GET " + path) and r.status == 200:
                check(True, 'class="add"' in r.text and 'class="del"' in r.text, v, p.desc,
                      "GET " + path + " added and removed lines")
            for path, want in (("/posts/%s/diff" % p.id, 400 if sees else 404),
                               ("/posts/%s/diff?from=1&to=9" % p.id, 404)):
                r = get(v, path, p.desc, og=public)
                check(want, r.status, v, p.desc, "GET " + path)
            path = "/posts/%s/edit" % p.id
            r = get(v, path, p.desc)
            if not v.uid:
                to_login(v, r, path, p.desc)
            elif check(200 if may_edit(v, p) else 403 if sees else 404, r.status, v, p.desc, "GET " + path) \
                    and r.status == 200:
                check(True, p.tmark in r.text, v, p.desc, "GET " + path + " form holds the title")
    flush("revisions, diff and edit pages")


def test_quoting_what_one_may_not_read(srv):
    """?quote= on a post every member sees, with replies of other posts and
    hidden replies: the quoted text shows only for a visible reply of that post."""
    need_world()
    host = POSTS[0]
    assert host.vis == "public" and not host.group and not host.hidden
    for v in signed_in():
        for p in POSTS:
            for x in p.replies:
                if x.post is host and not x.hidden:
                    continue
                path = "/posts/%s?quote=%s" % (host.id, x.id)
                r = get(v, path, x.desc, og=True)
                if check(200, r.status, v, x.desc, "GET " + path):
                    check(False, 'name="quote_id" value="%s"' % x.id in r.text, v, x.desc,
                          "GET " + path + " quote block")
    flush("quotes")


# ---- groups ------------------------------------------------------------------------------

MEMBER_ROW = re.compile(r'<li><a href="/users/(\d+)">')


def test_group_pages(srv):
    need_world()
    for v in everyone():
        for g in G.values():
            what = "%s group" % g.key
            sees = sees_group(v, g)
            # the group's page and its posts, page after page
            path = "/groups/%s" % g.id
            rs = all_pages(v, path, what, og=sees_group(VISITOR, g))   # Open Graph: only what a visitor may see
            if check(200 if sees else 404, rs[0].status, v, what, "GET " + path) and rs[0].status == 200:
                got = []
                for r in rs:
                    got += summaries(v, r.text, path)
                listed(v, got, [p for p in POSTS if p.group is g and sees_post(v, p)], path)
                t = rs[0].text
                if v.uid not in g.mods:
                    for name in ("invitee", "requester"):
                        u = V[name]
                        if u.uid in g.invited | g.requested and u.display in main_of(t):
                            fail(v, what, "GET " + path, "no pending requests or invitations (not a moderator)",
                                 "LEAK: shows %s" % u.display)
            m = re.search(r'<meta property="og:title" content="([^"]*)"', rs[0].text)
            if m:
                check(True, g.marker in m.group(1), v, what, "GET " + path + " og:title is the group's name")
            # members
            path = "/groups/%s/members" % g.id
            r = get(v, path, what)
            if not v.uid:
                to_login(v, r, path, what)
            elif check(200 if sees_members(v, g) else 404, r.status, v, what, "GET " + path) and r.status == 200:
                got = sorted(int(x) for x in MEMBER_ROW.findall(main_of(r.text)))
                check(sorted(g.members), got, v, what, "GET " + path + " member ids")
            # the resource bank
            path = "/groups/%s/documents" % g.id
            r = get(v, path, what)
            check(200 if sees else 404, r.status, v, what, "GET " + path)
            # forms that show the group
            for path, want in (("/groups/%s/edit" % g.id, 200 if v.uid in g.mods else 403 if sees else 404),
                               ("/posts/new?group=%s" % g.id, 200 if sees else 404),
                               ("/documents/new?group=%s" % g.id, 200 if sees else 404)):
                r = get(v, path, what)
                if not v.uid:
                    to_login(v, r, path, what)
                else:
                    check(want, r.status, v, what, "GET " + path)
        # the directory
        for path in ("/groups", "/groups?kind=practice"):
            rs = all_pages(v, path, "groups directory", og="any")
            if check(200, rs[0].status, v, "groups directory", "GET " + path):
                got = set()
                for r in rs:
                    got |= set(re.findall(r'<h3><a href="/groups/(\d+)">', main_of(r.text)))
                for g in G.values():
                    check("listed" if sees_group(v, g) else "absent", "listed" if str(g.id) in got else "absent",
                          v, "%s group" % g.key, "GET " + path)
        if v.uid:
            rs = all_pages(v, "/groups?mine=1", "my groups", og="any")
            if check(200, rs[0].status, v, "my groups", "GET /groups?mine=1"):
                got = set()
                for r in rs:
                    got |= set(re.findall(r'<h3><a href="/groups/(\d+)">', main_of(r.text)))
                for g in G.values():
                    if str(g.id) in got and v.uid not in g.members | g.invited:
                        fail(v, "%s group" % g.key, "GET /groups?mine=1", "absent (not a member)", "listed")
    flush("group pages")


ENTRY_ID = re.compile(r"<entry><title>[^<]*</title><id>[^<]*/posts/(\d+)</id>")


def test_atom_feeds(srv):
    """Feed readers come without cookies: whoever asks, only public items;
    closed and secret groups answer 404."""
    need_world()
    author = V["author"]
    for v in everyone():
        for g in G.values():
            what = "%s group" % g.key
            path = "/groups/%s/feed.atom" % g.id
            r = get(v, path, what)
            open_ = sees_group(VISITOR, g)
            if check(200 if open_ else 404, r.status, v, what, "GET " + path) and r.status == 200:
                check(True, r.headers.get("content-type", "").startswith("application/atom+xml"), v, what,
                      "GET " + path + " content type")
                listed(v, ENTRY_ID.findall(r.text), [p for p in POSTS if p.group is g and sees_post(VISITOR, p)],
                       path)
            elif r.status == 404:
                check(False, g.marker in r.text, v, what, "GET " + path + " 404 names the group")
        path = "/users/%s/blog.atom" % author.uid
        r = get(v, path, "author's blog")
        if check(200, r.status, v, "author's blog", "GET " + path):
            listed(v, ENTRY_ID.findall(r.text), [p for p in POSTS if p.kind == "blog" and sees_post(VISITOR, p)],
                   path)
        for name in ("member", "owner"):
            path = "/users/%s/blog.atom" % V[name].uid
            r = get(v, path, "blog of %s (no public post)" % name)
            check(404, r.status, v, "blog of %s (no public post)" % name, "GET " + path)
    flush("Atom feeds")


# ---- member pages ------------------------------------------------------------------------

def test_profile_pages(srv):
    need_world()
    author = V["author"]
    for v in everyone():
        for u in (author, V["owner"], V["gmod"]):
            path = "/users/%s" % u.uid
            r = get(v, path, "profile of %s" % u)
            if not v.uid:
                to_login(v, r, path, "profile of %s" % u)
                continue
            if not check(200, r.status, v, "profile of %s" % u, "GET " + path) or u is not author:
                continue
            # the 10 latest posts the viewer may see
            got = summaries(v, r.text, path)
            exp = [p for p in reversed(POSTS) if sees_post(v, p)][:10]
            listed(v, got, exp, path)
    flush("profile pages")


def test_feed_pages(srv):
    need_world()
    for v in everyone():
        path = "/feed"
        rs = all_pages(v, path, "feed")
        if not v.uid:
            to_login(v, rs[0], path, "feed")
            continue
        if not check(200, rs[0].status, v, "feed", "GET " + path):
            continue
        seen = set()
        for r in rs:
            for mark in re.findall(r'<a href="/posts/[^"]*">[^<]*?(ZT\d\dQ)', main_of(r.text)):
                seen.add(str(MARKS[mark].id))
        for p in POSTS:
            if sees_post(v, p) and related(v, p, p.author) and str(p.id) not in seen:
                check("present", "absent", v, p.desc, "GET /feed")
        # the home page: its feed box, discussions and groups
        r = get(v, "/", "home")
        check(200, r.status, v, "home", "GET /")
    r = get(VISITOR, "/", "landing", og="any")
    check(200, r.status, VISITOR, "landing", "GET /")
    flush("feed and home pages")


def test_discussions_pages(srv):
    need_world()
    for v in everyone():
        path = "/me/discussions"
        rs = all_pages(v, path, "discussions")
        if not v.uid:
            to_login(v, rs[0], path, "discussions")
            continue
        if not check(200, rs[0].status, v, "discussions", "GET " + path):
            continue
        got = []
        for r in rs:
            t = main_of(r.text)
            for pid, count in re.findall(r'<li class="[a-z]*"><a href="/posts/(\d+)">[^<]*</a>'
                                         r'(?:(?!</li>).)*?· ' + COUNT + ' ·', t, re.S):
                got.append(pid)
                if pid in BY_ID:
                    reply_count_ok(v, int(count), BY_ID[pid], "GET " + path)
        mine = [p for p in POSTS if sees_post(v, p) and (p.author.uid == v.uid or
                                                          any(x.author.uid == v.uid for x in p.replies))]
        listed(v, got, mine, path)
    flush("discussions pages")


NOTIF_ITEM = re.compile(r'<li class="(unread|)"><a href="([^"]*)">')


def test_notifications_pages(srv):
    need_world()
    for v in everyone():
        path = "/notifications"
        rs = all_pages(v, path, "notifications")
        if not v.uid:
            to_login(v, rs[0], path, "notifications")
            continue
        if not check(200, rs[0].status, v, "notifications", "GET " + path):
            continue
        items = []
        for r in rs:
            items += NOTIF_ITEM.findall(main_of(r.text))
        posts, replies = [], []
        for _, href in items:
            m = re.match(r"/posts/(\d+)(?:#reply-(\d+))?$", href)
            if m and m.group(2):
                replies.append(m.group(2))
            elif m:
                posts.append(m.group(1))
        exp = [p for p in POSTS if sees_post(v, p) and v.uid != p.author.uid]
        got = set(posts)
        for p in exp:
            check("mention", "none" if str(p.id) not in got else "mention", v, p.desc, "GET " + path)
        exp_r = [x for p in POSTS for x in p.replies if x is p.replies[1] and sees_reply(v, x)
                 and v.uid != x.author.uid]
        for x in exp_r:
            check("mention", "mention" if str(x.id) in replies else "none", v, x.desc, "GET " + path)
        dups = sorted(pid for pid in got if pid in BY_ID and posts.count(pid) > 1)
        check([], dups, v, "mentions", "GET " + path + " duplicates")
        m = re.search(r'<span class="badge">(\d+)', rs[0].text)
        unread = sum(1 for cls, _ in items if cls == "unread")
        check(unread, int(m.group(1)) if m else 0, v, "notifications",
              "GET " + path + " unread badge vs unread items listed")
    flush("notifications pages")


def test_moderation_pages(srv):
    need_world()
    for v in everyone():
        path = "/moderation"
        # a report hands the item to the administrators, whatever its visibility
        handed = set()
        if v.admin:
            for p, x in REPORTS:
                handed |= {p.tmark, p.bmark} | ({x.marker} if x else set())
        r = get(v, path, "moderation queue", allowed=handed)
        if not v.uid:
            to_login(v, r, path, "moderation queue")
            continue
        if check(200, r.status, v, "moderation queue", "GET " + path):
            # identified by the title shown (the href is checked by get())
            got = set((str(MARKS[mark].id), rid) for rid, mark in
                      re.findall(r'<p><a href="/posts/\d+(?:#reply-(\d+))?">[^<]*?(ZT\d\dQ)', main_of(r.text)))
            for p, x in REPORTS:
                key = (str(p.id), str(x.id) if x else "")
                what = "report on " + (x.desc if x else p.desc)
                check("listed" if may_moderate(v, p) or v.admin else "absent", "listed" if key in got else "absent",
                      v, what, "GET " + path)
        path = "/moderation/audit"
        # administrators see the ids of every entry by design: texts are scanned, not links
        rs = all_pages(v, path, "audit log", limit_pages=5, links=False)
        if not v.uid:
            to_login(v, rs[0], path, "audit log")
        else:
            check(200, rs[0].status, v, "audit log", "GET " + path)
        # the other member pages that show groups or documents
        for path in ("/documents", "/contacts"):
            r = get(v, path, path)
            if v.uid:
                check(200, r.status, v, path, "GET " + path)
    flush("moderation and other member pages")


# ---- the rules over time -------------------------------------------------------------------

def new_group(owner, name, vis):
    st, b = call(owner, "POST", "/groups", {"name": name, "kind": "project", "visibility": vis})
    return must(st, b, 201, "create group " + name)["id"]


def bring_in(owner, gid, who):
    st, b = call(owner, "POST", "/groups/%s/invitations" % gid, {"user_id": who.uid})
    must(st, b, 201, "invite %s" % who)
    st, b = call(who, "POST", "/groups/%s/join" % gid)
    must(st, b, 200, "%s joins" % who)


def new_post(author, title, vis=None, gid=None, body=None, kind="discussion"):
    o = {"kind": kind, "title": title, "body": body or "Texte de " + title}
    if vis:
        o["visibility"] = vis
    if gid:
        o["group_id"] = gid
    st, b = call(author, "POST", "/posts", o)
    return must(st, b, 201, "create post " + title)


def shows(v, path, marker, want, what):
    """Does the page (every page of it) show the marker?"""
    rs = all_pages(v, path, what, og="any")
    got = any(marker in r.text for r in rs if r.status == 200)
    check("shown" if want else "not shown", "shown" if got else "not shown", v, what, "GET " + path)


def status(v, path, want, what, og="any"):
    r = get(v, path, what, og=og)
    check(want, r.status, v, what, "GET " + path)
    return r


def test_member_who_leaves_a_closed_group_loses_its_pages_at_once(srv):
    need_world()
    owner, author, x = V["owner"], V["author"], V["member"]
    gid = new_group(owner, "Départ immédiat ZGLEAVEQ", "closed")
    bring_in(owner, gid, author)
    st, b = call(x, "POST", "/groups/%s/join" % gid)
    must(st, b, 202, "member asks to join")
    st, b = call(owner, "POST", "/groups/%s/requests/%s/accept" % (gid, x.uid))
    must(st, b, 200, "owner accepts the request")
    mark = "ZTLEAVEQ"
    p = new_post(author, "Réservé au groupe fermé " + mark, gid=gid, body="Pour @%s seulement" % x.handle)
    pid, what = p["id"], "closed-group post %s" % p["id"]
    st, b = call(x, "POST", "/posts/%s/replies" % pid, {"body": "Je participe, @%s" % author.handle})
    must(st, b, 201, "member replies")
    pages = ("/groups/%s" % gid, "/feed", "/me/discussions", "/notifications", "/users/%s" % author.uid, "/")
    status(x, "/posts/%s" % pid, 200, what)
    status(x, "/groups/%s/members" % gid, 200, "closed group's members, for a member")
    for path in pages:
        shows(x, path, mark, True, what)
    flush("before leaving")

    st, b = call(x, "POST", "/groups/%s/leave" % gid)
    must(st, b, 200, "member leaves")
    for path in ("/posts/%s" % pid, "/posts/%s/revisions" % pid, "/posts/%s/diff?from=1&to=1" % pid,
                 "/posts/%s/edit" % pid):
        status(x, path, 404, what + " after leaving")
    status(x, "/groups/%s" % gid, 200, "closed group after leaving (still listed)")
    status(x, "/groups/%s/members" % gid, 404, "closed group's members after leaving")
    for path in pages:
        shows(x, path, mark, False, what + " after leaving")
    status(author, "/posts/%s" % pid, 200, what + " for its author")
    status(owner, "/groups/%s/members" % gid, 200, "closed group's members, for its owner")
    flush("after leaving")


def test_open_group_turned_secret_leaves_the_public_web(srv):
    need_world()
    owner, author, outsider = V["owner"], V["author"], V["member"]
    gid = new_group(owner, "Ouvert puis secret ZGSWITCHQ", "open")
    st, b = call(author, "POST", "/groups/%s/join" % gid)
    must(st, b, 200, "author joins the open group")
    mark = "ZTSWITCHQ"
    pp = new_post(author, "Billet public " + mark, "public", gid, body="Salut @%s" % outsider.handle,
                  kind="blog")["id"]
    status(VISITOR, "/posts/%s" % pp, 200, "public post of an open group", og=True)
    status(VISITOR, "/groups/%s" % gid, 200, "open group", og=True)
    status(outsider, "/groups/%s/members" % gid, 200, "open group's members")
    shows(VISITOR, "/groups/%s/feed.atom" % gid, mark, True, "public post of an open group")
    shows(VISITOR, "/users/%s/blog.atom" % author.uid, mark, True, "public post of an open group")
    shows(outsider, "/notifications", mark, True, "public post of an open group")
    flush("before the switch")

    st, b = call(owner, "PATCH", "/groups/%s" % gid, {"visibility": "secret"})
    must(st, b, 200, "owner makes the group secret")
    what = "post %s of a group turned secret" % pp
    for v in (VISITOR, outsider, V["admin"]):
        for path in ("/posts/%s" % pp, "/posts/%s/revisions" % pp, "/groups/%s" % gid,
                     "/groups/%s/feed.atom" % gid, "/groups/%s/documents" % gid):
            r = get(v, path, what)
            check(404, r.status, v, what, "GET " + path)
            check(False, mark in r.text or "ZGSWITCHQ" in r.text, v, what, "GET " + path + " shows it")
        shows(v, "/users/%s/blog.atom" % author.uid, mark, False, what)
        shows(v, "/groups", "ZGSWITCHQ", False, "group turned secret")
        if v.uid:
            status(v, "/groups/%s/members" % gid, 404, "members of a group turned secret")
            shows(v, "/notifications", mark, False, what)
            shows(v, "/users/%s" % author.uid, mark, False, what)
    status(author, "/posts/%s" % pp, 200, what + ", for a member")
    flush("after the switch")
