/* The access rules three ways: the C functions of domain/access.c, the SQL
 * predicates ACCESS_POST_SQL and ACCESS_GROUP_SQL, and an oracle written here
 * from the rules in access.h's comment. For every viewer and every post and
 * group of a fixture inserted row by row (including rows the API would refuse:
 * imports and earlier states), all three must agree; then again after members
 * leave and a group turns secret.
 *
 * Runs on a temporary SQLite database, and on PostgreSQL too when
 * RESPIRE_TEST_PG_URL names an empty database: there everything (schema
 * included) happens in one transaction rolled back at the end, so the
 * database is left empty. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/domain.h"
#include "store/db.h"
#include "suites.h"
#include "util/arena.h"
#include "util/buf.h"

/* ---- the model: what the fixture holds, kept in step with the database ---- */

enum { NU = 14, NG = 5, MAXP = 128 };

struct person {
	const char *name;
	int admin;              /* site_role 'admin' and viewer.admin = 1 */
};

/* Users 1..NU; index 0 is the visitor. */
static const struct person people[NU + 1] = {
	{ "visitor", 0 },
	{ "alice (author)", 0 },
	{ "bob (plain member)", 0 },
	{ "carol (accepted contact, alice asked)", 0 },
	{ "dan (accepted contact, dan asked)", 0 },
	{ "erin (pending contact, erin asked)", 0 },
	{ "frank (pending contact, alice asked)", 0 },
	{ "gina (group member)", 0 },
	{ "hugo (group moderator)", 0 },
	{ "ines (group owner)", 0 },
	{ "jack (invited)", 0 },
	{ "kim (requested)", 0 },
	{ "lea (admin, no ties)", 1 },
	{ "mona (invited as moderator)", 0 },
	{ "nina (accepted contact and group member)", 0 },
};
enum { ALICE = 1, BOB, CAROL, DAN, ERIN, FRANK, GINA, HUGO, INES, JACK, KIM, LEA, MONA, NINA };

/* Groups 1..NG: alice belongs to the first three only. */
static const char *const group_names[NG + 1] = { "", "agora", "atelier", "cercle", "forum", "archive" };
static const char *const group_vis0[NG + 1] = { "", "open", "closed", "secret", "open", "secret" };
static const char *gvis[NG + 1];

/* Membership of user u in group g: state NULL when there is no row. */
struct membership {
	const char *state;
	const char *role;
};
static struct membership mem[NG + 1][NU + 1];

/* The same standing in every group (alice: groups 1-3). */
static const struct {
	int64_t user;
	const char *role, *state;
} standing[] = {
	{ GINA, "member", "member" },
	{ HUGO, "moderator", "member" },
	{ INES, "owner", "member" },
	{ JACK, "member", "invited" },
	{ KIM, "member", "requested" },
	{ MONA, "moderator", "invited" },
	{ NINA, "member", "member" },
};

static const struct {
	int64_t requester, addressee;
	const char *state;
} contact_rows[] = {
	{ ALICE, CAROL, "accepted" },
	{ DAN, ALICE, "accepted" },
	{ ERIN, ALICE, "pending" },
	{ ALICE, FRANK, "pending" },
	{ NINA, ALICE, "accepted" },
	{ BOB, GINA, "accepted" },      /* ties that do not involve the author */
	{ HUGO, CAROL, "accepted" },
};

struct fpost {
	int64_t id;
	int64_t author;         /* 0: the account is gone (NULL) */
	int64_t group;          /* 0: outside groups */
	const char *vis;
	int hidden;
};
static struct fpost posts[MAXP];
static int nposts;

static const char *const post_vis[] = { "public", "members", "contacts", "group", "private" };

/* ---- the database ---------------------------------------------------------- */

static char dir[64];
static int on_pg;
static struct db_pool *pool;
static struct db *db;
static struct arena *arena;
static struct dctx dc;
static int64_t t0;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void add_post(int64_t author, int64_t group, const char *vis, int hidden)
{
	struct fpost *p;

	ck_assert_int_lt(nposts, MAXP);
	p = &posts[nposts++];
	p->id = nposts;
	p->author = author;
	p->group = group;
	p->vis = vis;
	p->hidden = hidden;
	ck_assert_int_eq(db_exec(db, "INSERT INTO posts (id, kind, title, body, author_id, visibility,"
				 " group_id, created_at, updated_at, last_activity_at, hidden_at)"
				 " VALUES (?, 'discussion', 'titre', 'corps', NULLIF(?, 0), ?, NULLIF(?, 0),"
				 " ?, ?, ?, NULLIF(?, 0))", "iisiiiii", p->id, author, vis, group,
				 t0, t0, t0, hidden ? t0 : (int64_t)0), 1);
}

static void fill(void)
{
	char email[64], handle[32];

	for (int64_t u = 1; u <= NU; u++) {
		snprintf(email, sizeof email, "u%lld@example.org", (long long)u);
		snprintf(handle, sizeof handle, "u%lld", (long long)u);
		ck_assert_int_eq(db_exec(db, "INSERT INTO users (id, email, name, handle, password_hash, status,"
					 " site_role, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'active', ?, ?, ?)",
					 "issssii", u, email, people[u].name, handle,
					 people[u].admin ? "admin" : "member", t0, t0), 1);
	}
	for (size_t i = 0; i < sizeof contact_rows / sizeof *contact_rows; i++)
		ck_assert_int_eq(db_exec(db, "INSERT INTO contacts (requester_id, addressee_id, state, created_at)"
					 " VALUES (?, ?, ?, ?)", "iisi", contact_rows[i].requester,
					 contact_rows[i].addressee, contact_rows[i].state, t0), 1);
	memset(mem, 0, sizeof mem);
	for (int64_t g = 1; g <= NG; g++) {
		gvis[g] = group_vis0[g];
		ck_assert_int_eq(db_exec(db, "INSERT INTO groups (id, name, kind, visibility, created_by, created_at,"
					 " updated_at, last_activity_at) VALUES (?, ?, 'practice', ?, ?, ?, ?, ?)",
					 "issiiii", g, group_names[g], gvis[g], (int64_t)INES, t0, t0, t0), 1);
		for (size_t i = 0; i < sizeof standing / sizeof *standing; i++) {
			ck_assert_int_eq(db_exec(db, "INSERT INTO group_members (group_id, user_id, role, state,"
						 " created_at) VALUES (?, ?, ?, ?, ?)", "iissi", g,
						 standing[i].user, standing[i].role, standing[i].state, t0), 1);
			mem[g][standing[i].user].role = standing[i].role;
			mem[g][standing[i].user].state = standing[i].state;
		}
		if (g <= 3) {
			ck_assert_int_eq(db_exec(db, "INSERT INTO group_members (group_id, user_id, role, state,"
						 " created_at) VALUES (?, ?, 'member', 'member', ?)", "iii",
						 g, (int64_t)ALICE, t0), 1);
			mem[g][ALICE].role = "member";
			mem[g][ALICE].state = "member";
		}
	}
	nposts = 0;
	/* Outside groups ('group' is refused there by the schema), by alice and by
	 * a deleted account. */
	for (int a = 0; a < 2; a++)
		for (int v = 0; v < 5; v++)
			for (int h = 0; h < 2; h++)
				if (strcmp(post_vis[v], "group"))
					add_post(a ? 0 : ALICE, 0, post_vis[v], h);
	/* In every group, every visibility, whatever the API would allow; by alice
	 * (a member of groups 1-3 only), and by a deleted account in two groups. */
	for (int64_t g = 1; g <= NG; g++)
		for (int v = 0; v < 5; v++)
			for (int h = 0; h < 2; h++)
				add_post(ALICE, g, post_vis[v], h);
	for (int64_t g = 1; g <= 3; g += 2)
		for (int v = 0; v < 5; v++)
			for (int h = 0; h < 2; h++)
				add_post(0, g, post_vis[v], h);
}

static void setup_at(const char *url)
{
	char err[256] = "";

	ck_assert_msg(db_pool_open(&pool, url, 1, err, sizeof err) == 0, "pool: %s", err);
	db = db_pool_get(pool);
	ck_assert_msg(db != NULL, "no connection to the %s database", on_pg ? "PostgreSQL" : "SQLite");
	if (on_pg)
		ck_assert_int_eq(db_begin(db), 0);
	ck_assert_msg(db_migrate(db) > 0, "the database must start empty (no migration applied)");
	arena = arena_new();
	ck_assert_ptr_nonnull(arena);
	t0 = (int64_t)time(NULL);
	memset(&dc, 0, sizeof dc);
	dc.db = db;
	dc.arena = arena;
	dc.now = t0;
	dc.lang = "fr";
	dc.base_url = "http://test";
	fill();
}

static void setup_sqlite(void)
{
	char path[128];

	on_pg = 0;
	snprintf(dir, sizeof dir, "/tmp/respire-access-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/respire.db", dir);
	setup_at(path);
}

static void setup_pg(void)
{
	const char *url = getenv("RESPIRE_TEST_PG_URL");

	on_pg = 1;
	dir[0] = '\0';
	ck_assert_ptr_nonnull(url);
	setup_at(url);
}

static void teardown(void)
{
	arena_free(arena);
	arena = NULL;
	if (db && on_pg)
		db_rollback(db);        /* the schema and the rows go too */
	if (db)
		db_pool_put(pool, db);
	db_pool_close(pool);
	pool = NULL;
	db = NULL;
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the oracle: access.h's comment, read literally ----------------------- */

static int in_state(int64_t u, int64_t g, const char *state)
{
	return u > 0 && g > 0 && mem[g][u].state && !strcmp(mem[g][u].state, state);
}

/* A current member who moderates (owners moderate too). */
static int moderates(int64_t u, int64_t g)
{
	return in_state(u, g, "member") &&
	       (!strcmp(mem[g][u].role, "moderator") || !strcmp(mem[g][u].role, "owner"));
}

static int accepted_contacts(int64_t a, int64_t b)
{
	for (size_t i = 0; i < sizeof contact_rows / sizeof *contact_rows; i++)
		if (!strcmp(contact_rows[i].state, "accepted") &&
		    ((contact_rows[i].requester == a && contact_rows[i].addressee == b) ||
		     (contact_rows[i].requester == b && contact_rows[i].addressee == a)))
			return 1;
	return 0;
}

static int rule_post(int64_t u, const struct fpost *p)
{
	int member = in_state(u, p->group, "member"), ok;

	/* In a group: a current member, unless the group is open and the post
	 * 'members' or 'public'. */
	if (p->group && !member &&
	    !(!strcmp(gvis[p->group], "open") && (!strcmp(p->vis, "members") || !strcmp(p->vis, "public"))))
		return 0;
	if (!strcmp(p->vis, "public"))
		ok = 1;
	else if (!strcmp(p->vis, "members"))
		ok = u > 0;
	else if (!strcmp(p->vis, "contacts"))
		ok = u > 0 && p->author > 0 && (u == p->author || accepted_contacts(u, p->author));
	else if (!strcmp(p->vis, "group"))
		ok = p->group > 0 && member;
	else if (!strcmp(p->vis, "private"))
		ok = u > 0 && u == p->author;
	else
		ok = 0;
	if (!ok)
		return 0;
	/* Hidden: the author, the group's moderators, admins. */
	if (p->hidden)
		return u > 0 && (u == p->author || people[u].admin || (p->group && moderates(u, p->group)));
	return 1;
}

static int rule_edit_post(int64_t u, const struct fpost *p)
{
	return u > 0 && rule_post(u, p) &&
	       (u == p->author || people[u].admin || (p->group && moderates(u, p->group)));
}

static int rule_moderate_post(int64_t u, const struct fpost *p)
{
	return u > 0 && rule_post(u, p) && (people[u].admin || (p->group && moderates(u, p->group)));
}

/* Open: anyone; closed: anyone signed in; secret: members and invitees. */
static int rule_group(int64_t u, int64_t g)
{
	if (!strcmp(gvis[g], "open"))
		return 1;
	if (!strcmp(gvis[g], "closed"))
		return u > 0;
	return in_state(u, g, "member") || in_state(u, g, "invited");
}

/* Member lists: open groups to every member of Respire; closed and secret
 * ones to their current members only. */
static int rule_members(int64_t u, int64_t g)
{
	if (u <= 0)
		return 0;
	return !strcmp(gvis[g], "open") || in_state(u, g, "member");
}

/* ---- the two implementations ----------------------------------------------- */

static struct viewer viewer_of(int64_t u)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	v.id = u;
	v.name = people[u].name;
	v.admin = people[u].admin;
	v.lang = "fr";
	return v;
}

static const char *post_label(const struct fpost *p)
{
	if (p->group)
		return arena_printf(arena, "post %lld ('%s' in %s group %lld '%s'%s, by %s)", (long long)p->id,
				    p->vis, gvis[p->group], (long long)p->group, group_names[p->group],
				    p->hidden ? ", hidden" : "", p->author ? "alice" : "a deleted account");
	return arena_printf(arena, "post %lld ('%s' outside groups%s, by %s)", (long long)p->id, p->vis,
			    p->hidden ? ", hidden" : "", p->author ? "alice" : "a deleted account");
}

static void load_post(const struct fpost *p, struct post_ref *ref)
{
	ck_assert_int_eq(access_load_post(&dc, p->id, ref), D_OK);
	ck_assert_msg(ref->id == p->id && ref->author_id == p->author && ref->group_id == p->group &&
		      !strcmp(ref->visibility, p->vis) && ref->hidden == p->hidden &&
		      (p->group ? ref->group_visibility && !strcmp(ref->group_visibility, gvis[p->group])
				: ref->group_visibility == NULL),
		      "access_load_post does not match the fixture for %s", post_label(p));
}

static int c_sees_post(int64_t u, const struct fpost *p)
{
	struct viewer v = viewer_of(u);
	struct post_ref ref;

	load_post(p, &ref);
	return access_may_see_post(&dc, &v, &ref);
}

static int sql_sees_post(int64_t u, const struct fpost *p)
{
	struct viewer v = viewer_of(u);
	struct db_stmt *st;
	int rc;

	st = db_query(db, "SELECT p.id FROM posts p LEFT JOIN groups g ON g.id = p.group_id"
		      " WHERE p.id = ? AND " ACCESS_POST_SQL,
		      "i" ACCESS_POST_TYPES, p->id, ACCESS_POST_ARGS(&v));
	ck_assert_msg(st != NULL, "ACCESS_POST_SQL does not prepare (%s)", db_backend(db));
	rc = db_step(st);
	ck_assert_msg(rc != DB_ERR, "ACCESS_POST_SQL fails for %s, %s", people[u].name, post_label(p));
	if (rc == DB_ROW)
		ck_assert_int_eq(db_col_int(st, 0), p->id);
	ck_assert_int_eq(db_step(st), DB_DONE);
	ck_assert_int_eq(db_finish(st), 0);
	return rc == DB_ROW;
}

/* The same rule with the member as a column (statements over many members). */
static int sql_for_sees_post(int64_t u, const struct fpost *p)
{
	struct db_stmt *st;
	int rc;

	st = db_query(db, "SELECT p.id FROM posts p LEFT JOIN groups g ON g.id = p.group_id, users uu"
		      " WHERE p.id = ? AND uu.id = ? AND " ACCESS_POST_SQL_FOR("uu.id", ACCESS_ADMIN_OF("uu")),
		      "ii", p->id, u);
	ck_assert_msg(st != NULL, "ACCESS_POST_SQL_FOR does not prepare (%s)", db_backend(db));
	rc = db_step(st);
	ck_assert_msg(rc != DB_ERR, "ACCESS_POST_SQL_FOR fails for %s, %s", people[u].name, post_label(p));
	ck_assert_int_eq(db_finish(st), 0);
	return rc == DB_ROW;
}

static int c_sees_group(int64_t u, int64_t g)
{
	struct viewer v = viewer_of(u);
	struct group_ref ref;

	ck_assert_int_eq(access_load_group(&dc, g, &ref), D_OK);
	ck_assert_msg(ref.id == g && !strcmp(ref.visibility, gvis[g]),
		      "access_load_group does not match the fixture for group %lld", (long long)g);
	return access_may_see_group(&dc, &v, &ref);
}

static int sql_sees_group(int64_t u, int64_t g)
{
	struct viewer v = viewer_of(u);
	struct db_stmt *st;
	int rc;

	st = db_query(db, "SELECT g.id FROM groups g WHERE g.id = ? AND " ACCESS_GROUP_SQL,
		      "i" ACCESS_GROUP_TYPES, g, ACCESS_GROUP_ARGS(&v));
	ck_assert_msg(st != NULL, "ACCESS_GROUP_SQL does not prepare (%s)", db_backend(db));
	rc = db_step(st);
	ck_assert_msg(rc != DB_ERR, "ACCESS_GROUP_SQL fails for %s, group %lld", people[u].name, (long long)g);
	ck_assert_int_eq(db_finish(st), 0);
	return rc == DB_ROW;
}

/* The posts V may see, as a list query would ask: seen[id] = 1. */
static void sql_post_list(int64_t u, char seen[MAXP + 1])
{
	struct viewer v = viewer_of(u);
	struct db_stmt *st;
	int rc;

	memset(seen, 0, MAXP + 1);
	st = db_query(db, "SELECT p.id FROM posts p LEFT JOIN groups g ON g.id = p.group_id WHERE "
		      ACCESS_POST_SQL " ORDER BY p.id", ACCESS_POST_TYPES, ACCESS_POST_ARGS(&v));
	ck_assert_ptr_nonnull(st);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);

		ck_assert_msg(id >= 1 && id <= nposts && !seen[id], "list for %s: odd or repeated id %lld",
			      people[u].name, (long long)id);
		seen[id] = 1;
	}
	ck_assert_int_eq(rc, DB_DONE);
	ck_assert_int_eq(db_finish(st), 0);
}

/* Every viewer against every post and group; all disagreements are listed
 * (on stderr and in the failure message), naming viewer and item. Returns
 * the number of posts seen (a sanity count for the caller). */
static int check_all(const char *when)
{
	struct buf out = BUF_INIT;
	int bad = 0, seen_total = 0;
	char listed[MAXP + 1];

	for (int64_t u = 0; u <= NU; u++) {
		struct viewer v = viewer_of(u);

		sql_post_list(u, listed);
		for (int i = 0; i < nposts; i++) {
			const struct fpost *p = &posts[i];
			struct post_ref ref;
			int c = c_sees_post(u, p), s = sql_sees_post(u, p), r = rule_post(u, p);
			int ce, cm, re = rule_edit_post(u, p), rm = rule_moderate_post(u, p);

			load_post(p, &ref);
			ce = access_may_edit_post(&dc, &v, &ref);
			cm = access_may_moderate_post(&dc, &v, &ref);
			seen_total += r;
			if (u == 0 && access_may_see_post(&dc, NULL, &ref) != c) {
				buf_printf(&out, "  no viewer (NULL), %s: C %d, as visitor %d\n", post_label(p),
					   access_may_see_post(&dc, NULL, &ref), c);
				bad++;
			}
			if (u > 0 && sql_for_sees_post(u, p) != r) {
				buf_printf(&out, "  %s, %s: SQL with the member as a column %d, rules %d\n",
					   people[u].name, post_label(p), sql_for_sees_post(u, p), r);
				bad++;
			}
			if (c != r || s != r || listed[p->id] != s) {
				buf_printf(&out, "  %s, %s: C %d, SQL %d, SQL list %d, rules %d\n",
					   people[u].name, post_label(p), c, s, listed[p->id], r);
				bad++;
			}
			if (ce != re || cm != rm) {
				buf_printf(&out, "  %s, %s: C edit %d (rules %d), C moderate %d (rules %d)\n",
					   people[u].name, post_label(p), ce, re, cm, rm);
				bad++;
			}
		}
		for (int64_t g = 1; g <= NG; g++) {
			struct group_ref gref;
			int c = c_sees_group(u, g), s = sql_sees_group(u, g), r = rule_group(u, g), cmem;

			ck_assert_int_eq(access_load_group(&dc, g, &gref), D_OK);
			cmem = access_may_see_group_members(&dc, &v, &gref);
			if (u == 0 && (access_may_see_group(&dc, NULL, &gref) != c ||
				       access_may_see_group_members(&dc, NULL, &gref) != 0)) {
				buf_printf(&out, "  no viewer (NULL), group %lld: C %d, as visitor %d\n",
					   (long long)g, access_may_see_group(&dc, NULL, &gref), c);
				bad++;
			}
			if (c != r || s != r || cmem != rule_members(u, g)) {
				buf_printf(&out, "  %s, %s group %lld '%s': C %d, SQL %d, rules %d,"
					   " C members list %d\n", people[u].name, gvis[g], (long long)g,
					   group_names[g], c, s, r, cmem);
				bad++;
			}
		}
	}
	if (bad) {
		/* Check's messages are bounded: the whole list goes to stderr. */
		const char *s = buf_str(&out);
		int head = 0;

		fprintf(stderr, "access (%s, %s): %d disagreements\n%s", db_backend(db), when, bad, s);
		for (const char *q = s; *q && q - s < 2000; q++)
			if (*q == '\n')
				head = (int)(q - s + 1);
		ck_abort_msg("access (%s, %s): %d disagreements (all on stderr), first:\n%.*s", db_backend(db),
			     when, bad, head, s);
	}
	buf_free(&out);
	return seen_total;
}

static const struct fpost *find_post(int64_t author, int64_t group, const char *vis, int hidden)
{
	for (int i = 0; i < nposts; i++)
		if (posts[i].author == author && posts[i].group == group && !strcmp(posts[i].vis, vis) &&
		    posts[i].hidden == hidden)
			return &posts[i];
	ck_abort_msg("no such post in the fixture");
	return NULL;
}

/* Both implementations give `want` (checked by hand, not by the oracle). */
static void expect_post(int64_t u, const struct fpost *p, int want)
{
	int c = c_sees_post(u, p), s = sql_sees_post(u, p);

	ck_assert_msg(c == want && s == want, "%s, %s: C %d, SQL %d, expected %d", people[u].name,
		      post_label(p), c, s, want);
}

static void expect_group(int64_t u, int64_t g, int want)
{
	int c = c_sees_group(u, g), s = sql_sees_group(u, g);

	ck_assert_msg(c == want && s == want, "%s, %s group %lld '%s': C %d, SQL %d, expected %d",
		      people[u].name, gvis[g], (long long)g, group_names[g], c, s, want);
}

static void leave(int64_t u, int64_t g)
{
	ck_assert_int_eq(db_exec(db, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", "ii", g, u), 1);
	mem[g][u].state = NULL;
	mem[g][u].role = NULL;
}

static void set_group_visibility(int64_t g, const char *vis)
{
	ck_assert_int_eq(db_exec(db, "UPDATE groups SET visibility = ? WHERE id = ?", "si", vis, g), 1);
	gvis[g] = vis;
}

/* ---- tests ----------------------------------------------------------------- */

START_TEST(matrix)
{
	int seen = check_all("fixture");

	/* Neither everything nor nothing: the matrix has both answers. */
	ck_assert_int_gt(seen, 0);
	ck_assert_int_lt(seen, (NU + 1) * nposts);
}
END_TEST

/* A few answers written out by hand, so that the oracle cannot drift with
 * the code unnoticed. */
START_TEST(spot_checks)
{
	/* Outside groups. */
	expect_post(0, find_post(ALICE, 0, "public", 0), 1);
	expect_post(0, find_post(ALICE, 0, "members", 0), 0);
	expect_post(BOB, find_post(ALICE, 0, "members", 0), 1);
	expect_post(CAROL, find_post(ALICE, 0, "contacts", 0), 1);
	expect_post(DAN, find_post(ALICE, 0, "contacts", 0), 1);
	expect_post(ERIN, find_post(ALICE, 0, "contacts", 0), 0);
	expect_post(FRANK, find_post(ALICE, 0, "contacts", 0), 0);
	expect_post(BOB, find_post(ALICE, 0, "contacts", 0), 0);
	expect_post(ALICE, find_post(ALICE, 0, "private", 0), 1);
	expect_post(CAROL, find_post(ALICE, 0, "private", 0), 0);
	expect_post(LEA, find_post(ALICE, 0, "private", 0), 0);
	expect_post(LEA, find_post(ALICE, 0, "public", 1), 1);
	expect_post(BOB, find_post(ALICE, 0, "public", 1), 0);
	expect_post(ALICE, find_post(ALICE, 0, "public", 1), 1);
	expect_post(HUGO, find_post(ALICE, 0, "public", 1), 0);
	expect_post(0, find_post(0, 0, "public", 0), 1);
	expect_post(ALICE, find_post(0, 0, "contacts", 0), 0);
	/* Open group 1: 'public' and 'members' posts reach beyond its members. */
	expect_post(0, find_post(ALICE, 1, "public", 0), 1);
	expect_post(0, find_post(ALICE, 1, "members", 0), 0);
	expect_post(BOB, find_post(ALICE, 1, "members", 0), 1);
	expect_post(BOB, find_post(ALICE, 1, "group", 0), 0);
	expect_post(GINA, find_post(ALICE, 1, "group", 0), 1);
	expect_post(JACK, find_post(ALICE, 1, "group", 0), 0);
	expect_post(KIM, find_post(ALICE, 1, "group", 0), 0);
	expect_post(CAROL, find_post(ALICE, 1, "contacts", 0), 0);
	expect_post(NINA, find_post(ALICE, 1, "contacts", 0), 1);
	expect_post(GINA, find_post(ALICE, 1, "contacts", 0), 0);
	/* Closed group 2 and secret group 3: members only, whatever the visibility. */
	expect_post(0, find_post(ALICE, 2, "public", 0), 0);
	expect_post(BOB, find_post(ALICE, 2, "public", 0), 0);
	expect_post(GINA, find_post(ALICE, 2, "public", 0), 1);
	expect_post(JACK, find_post(ALICE, 3, "public", 0), 0);
	expect_post(LEA, find_post(ALICE, 3, "public", 0), 0);
	expect_post(INES, find_post(ALICE, 3, "group", 0), 1);
	expect_post(INES, find_post(ALICE, 3, "private", 0), 0);
	/* Hidden: the author and the group's moderators among those who see it. */
	expect_post(HUGO, find_post(ALICE, 2, "group", 1), 1);
	expect_post(INES, find_post(ALICE, 2, "group", 1), 1);
	expect_post(GINA, find_post(ALICE, 2, "group", 1), 0);
	expect_post(MONA, find_post(ALICE, 2, "group", 1), 0);
	expect_post(ALICE, find_post(ALICE, 2, "group", 1), 1);
	expect_post(LEA, find_post(ALICE, 2, "group", 1), 0);
	expect_post(LEA, find_post(ALICE, 1, "members", 1), 1);
	expect_post(HUGO, find_post(0, 1, "members", 1), 1);
	/* Alice never joined groups 4 and 5: her own posts there are closed to her. */
	expect_post(ALICE, find_post(ALICE, 4, "group", 0), 0);
	expect_post(ALICE, find_post(ALICE, 4, "public", 0), 1);
	expect_post(ALICE, find_post(ALICE, 5, "public", 0), 0);
	expect_post(GINA, find_post(ALICE, 5, "group", 0), 1);
	/* Groups. */
	expect_group(0, 1, 1);
	expect_group(0, 2, 0);
	expect_group(BOB, 2, 1);
	expect_group(BOB, 3, 0);
	expect_group(JACK, 3, 1);
	expect_group(MONA, 3, 1);
	expect_group(KIM, 3, 0);
	expect_group(LEA, 3, 0);
	expect_group(GINA, 5, 1);
}
END_TEST

START_TEST(leaving_and_closing)
{
	const struct fpost *gp = find_post(ALICE, 2, "group", 0);

	/* A member who leaves no longer sees the group's 'group' posts. */
	expect_post(GINA, gp, 1);
	leave(GINA, 2);
	for (int i = 0; i < nposts; i++)
		if (posts[i].group == 2 && !strcmp(posts[i].vis, "group"))
			expect_post(GINA, &posts[i], 0);
	expect_group(GINA, 2, 1);       /* closed: still listed to the signed in */
	leave(GINA, 3);
	expect_post(GINA, find_post(ALICE, 3, "group", 0), 0);
	expect_group(GINA, 3, 0);
	check_all("after gina left groups 2 and 3");

	/* A moderator who leaves no longer sees hidden posts. */
	expect_post(HUGO, find_post(ALICE, 1, "public", 1), 1);
	leave(HUGO, 1);
	expect_post(HUGO, find_post(ALICE, 1, "public", 1), 0);
	expect_post(HUGO, find_post(ALICE, 1, "public", 0), 1);

	/* An author who leaves loses their own 'group' post (and the rest of
	 * what only members see), not what the open group shows to all. */
	expect_post(ALICE, find_post(ALICE, 1, "group", 0), 1);
	leave(ALICE, 1);
	expect_post(ALICE, find_post(ALICE, 1, "group", 0), 0);
	expect_post(ALICE, find_post(ALICE, 1, "group", 1), 0);
	expect_post(ALICE, find_post(ALICE, 1, "contacts", 0), 0);
	expect_post(ALICE, find_post(ALICE, 1, "private", 0), 0);
	expect_post(ALICE, find_post(ALICE, 1, "public", 0), 1);
	expect_post(ALICE, find_post(ALICE, 1, "members", 1), 1);
	leave(ALICE, 3);
	expect_post(ALICE, find_post(ALICE, 3, "public", 0), 0);
	expect_group(ALICE, 3, 0);
	check_all("after hugo left group 1 and alice groups 1 and 3");

	/* An open group turned secret hides its 'members' and 'public' posts from
	 * those who are not members. */
	expect_post(0, find_post(ALICE, 1, "public", 0), 1);
	expect_post(BOB, find_post(ALICE, 1, "members", 0), 1);
	set_group_visibility(1, "secret");
	expect_post(0, find_post(ALICE, 1, "public", 0), 0);
	expect_post(BOB, find_post(ALICE, 1, "public", 0), 0);
	expect_post(BOB, find_post(ALICE, 1, "members", 0), 0);
	expect_post(LEA, find_post(ALICE, 1, "public", 1), 0);
	expect_post(JACK, find_post(ALICE, 1, "public", 0), 0);
	expect_post(NINA, find_post(ALICE, 1, "members", 0), 1);
	expect_group(0, 1, 0);
	expect_group(BOB, 1, 0);
	expect_group(JACK, 1, 1);
	check_all("after group 1 turned secret");

	/* And a closed group opened shows them again. */
	set_group_visibility(2, "open");
	expect_post(0, find_post(ALICE, 2, "public", 0), 1);
	expect_post(BOB, find_post(ALICE, 2, "members", 0), 1);
	expect_post(BOB, find_post(ALICE, 2, "contacts", 0), 0);
	check_all("after group 2 opened");
}
END_TEST

Suite *access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tl = tcase_create("sqlite");

	tcase_add_checked_fixture(tl, setup_sqlite, teardown);
	tcase_set_timeout(tl, 120);
	tcase_add_test(tl, matrix);
	tcase_add_test(tl, spot_checks);
	tcase_add_test(tl, leaving_and_closing);
	suite_add_tcase(s, tl);
	if (getenv("RESPIRE_TEST_PG_URL") && *getenv("RESPIRE_TEST_PG_URL")) {
		TCase *tp = tcase_create("postgres");

		tcase_add_checked_fixture(tp, setup_pg, teardown);
		tcase_set_timeout(tp, 300);
		tcase_add_test(tp, matrix);
		tcase_add_test(tp, spot_checks);
		tcase_add_test(tp, leaving_and_closing);
		suite_add_tcase(s, tp);
	}
	return s;
}
