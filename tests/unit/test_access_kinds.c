/* The table of kinds (domain/access.c): every kind has its row, the one
 * entry point access_check() answers what the rules say for each kind,
 * viewer and action, and each kind's C rule agrees with its SQL filter from
 * access.h (the ACCESS_*_SQL that lists use), for every viewer and item of a
 * small world: a secret group and an open one, posts, hidden replies,
 * documents and comments, a group room and a conversation with messages,
 * notifications, a session, a pending account, innovation records (public,
 * for members, hidden) with a co-author and advisers of two academies, calls
 * for proposals (in the secret group, of no group) and their proposals.
 *
 * SQLite always; PostgreSQL too when RESPIRE_TEST_PG_URL names an empty
 * database (everything in one transaction, rolled back). */
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

enum { ANA = 1, BEN, CARL, DORA, EVE, FRED, PAUL, NUSERS = PAUL };

static const char *const names[NUSERS + 1] = { "visitor", "ana (author, owner)", "ben (member)",
	"carl (outsider)", "dora (admin)", "eve (moderator)", "fred (left)", "paul (pending)" };

static char dir[64];
static int on_pg;
static struct db_pool *pool;
static struct db *db;
static struct arena *arena;
static struct dctx dc;
static int64_t t0;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void exec_ok(const char *sql)
{
	ck_assert_msg(db_exec(db, sql, "") >= 0, "fixture: %s", sql);
}

static void fill(void)
{
	char email[64], handle[32];

	for (int64_t u = 1; u <= NUSERS; u++) {
		snprintf(email, sizeof email, "k%lld@example.org", (long long)u);
		snprintf(handle, sizeof handle, "k%lld", (long long)u);
		ck_assert_int_eq(db_exec(db, "INSERT INTO users (id, email, name, handle, password_hash, status,"
					 " site_role, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?, ?, ?)",
					 "isssssii", u, email, names[u], handle, u == PAUL ? "pending" : "active",
					 u == DORA ? "admin" : "member", t0, t0), 1);
	}
	/* group 1 secret (ana owner, eve moderator, ben member; fred left), group 2 open */
	exec_ok("INSERT INTO groups (id, name, kind, visibility, created_by, created_at, updated_at, last_activity_at)"
		" VALUES (1, 'secret', 'practice', 'secret', 1, 0, 0, 0), (2, 'open', 'practice', 'open', 1, 0, 0, 0)");
	exec_ok("INSERT INTO group_members (group_id, user_id, role, state, created_at) VALUES"
		" (1, 1, 'owner', 'member', 0), (1, 2, 'member', 'member', 0), (1, 5, 'moderator', 'member', 0),"
		" (2, 1, 'owner', 'member', 0)");
	/* posts: 1 public, 2 in the secret group, 3 private, 4 public hidden */
	exec_ok("INSERT INTO posts (id, kind, title, body, author_id, visibility, group_id, created_at, updated_at,"
		" last_activity_at, hidden_at) VALUES"
		" (1, 'discussion', 't', 'b', 1, 'public', NULL, 0, 0, 0, NULL),"
		" (2, 'discussion', 't', 'b', 1, 'group', 1, 0, 0, 0, NULL),"
		" (3, 'discussion', 't', 'b', 1, 'private', NULL, 0, 0, 0, NULL),"
		" (4, 'discussion', 't', 'b', 1, 'public', NULL, 0, 0, 0, 1)");
	/* replies: 1 ben's hidden on the public post, 2 ben's on the group post, 3 ana's hidden there,
	 * 4 fred's on the group post (written before he left) */
	exec_ok("INSERT INTO replies (id, post_id, author_id, body, created_at, updated_at, hidden_at) VALUES"
		" (1, 1, 2, 'r', 0, 0, 1), (2, 2, 2, 'r', 0, 0, NULL), (3, 2, 1, 'r', 0, 0, 1),"
		" (4, 2, 6, 'r', 0, 0, NULL)");
	exec_ok("INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('00aa', 1, 'text/plain', 0)");
	/* documents: 1 of the secret group, 2 ana's private, 3 public */
	exec_ok("INSERT INTO documents (id, author_id, group_id, title, licence, visibility, sha256, filename, mime,"
		" kind, size, created_at, updated_at) VALUES"
		" (1, 1, 1, 'd', 'CC-BY', 'group', '00aa', 'a.txt', 'text/plain', 'text', 1, 0, 0),"
		" (2, 1, NULL, 'd', 'CC-BY', 'private', '00aa', 'a.txt', 'text/plain', 'text', 1, 0, 0),"
		" (3, 1, NULL, 'd', 'CC-BY', 'public', '00aa', 'a.txt', 'text/plain', 'text', 1, 0, 0)");
	/* comments: 1 ben's on the group document, 2 the same hidden, 3 carl's on the public one */
	exec_ok("INSERT INTO document_comments (id, document_id, author_id, body, created_at, updated_at, hidden_at)"
		" VALUES (1, 1, 2, 'c', 0, 0, NULL), (2, 1, 2, 'c', 0, 0, 1), (3, 3, 3, 'c', 0, 0, NULL)");
	/* rooms: 1 the secret group's, 2 ana and ben's conversation; a message in each */
	exec_ok("INSERT INTO chat_rooms (id, kind, group_id, is_main, created_at) VALUES"
		" (1, 'group', 1, 1, 0), (2, 'private', NULL, 0, 0)");
	exec_ok("INSERT INTO chat_participants (room_id, user_id, joined_at) VALUES (2, 1, 0), (2, 2, 0)");
	exec_ok("INSERT INTO chat_messages (id, room_id, author_id, body, created_at) VALUES"
		" (1, 1, 2, 'm', 0), (2, 2, 1, 'm', 0)");
	/* notifications: 1 ben's about ana's hidden reply, 2 ben's about his visible thread, 3 carl's
	 * about the group room, 4 ben's about the conversation, 5 fred's about the group post */
	exec_ok("INSERT INTO notifications (id, user_id, kind, actor_id, post_id, reply_id, group_id, room_id,"
		" created_at) VALUES (1, 2, 'reply', 1, 2, 3, NULL, NULL, 0), (2, 2, 'reply', 1, 2, 2, NULL, NULL, 0),"
		" (3, 3, 'mention', 2, NULL, NULL, NULL, 1, 0), (4, 2, 'message', 1, NULL, NULL, NULL, 2, 0),"
		" (5, 6, 'reply', 1, 2, 4, NULL, NULL, 0)");
	exec_ok("INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at) VALUES"
		" (1, 'h1', 1, 0, 0, 9999999999)");
	/* innovations of Nice, ana coordinator, ben co-author: 1 public, 2 members, 3 public hidden,
	 * 4 members hidden; eve advises Nice, carl Lyon */
	exec_ok("INSERT INTO innovations (id, coordinator_id, title, academy, type, started_year, duration_years,"
		" visibility, created_at, updated_at, hidden_at) VALUES"
		" (1, 1, 't', 'Nice', 'local', 2020, 1, 'public', 0, 0, NULL),"
		" (2, 1, 't', 'Nice', 'local', 2020, 1, 'members', 0, 0, NULL),"
		" (3, 1, 't', 'Nice', 'local', 2020, 1, 'public', 0, 0, 1),"
		" (4, 1, 't', 'Nice', 'local', 2020, 1, 'members', 0, 0, 1)");
	exec_ok("INSERT INTO innovation_coauthors (innovation_id, user_id, pos) VALUES (1, 2, 0), (2, 2, 0),"
		" (3, 2, 0), (4, 2, 0)");
	exec_ok("UPDATE users SET adviser_academy = 'Nice' WHERE id = 5");
	exec_ok("UPDATE users SET adviser_academy = 'Lyon' WHERE id = 3");
	/* events: 1 carl's public, 2 ben's for members, 3 ben's in the secret group, 4 carl's for
	 * members in the open group, 5 ana's for the open group's members; notifications 6 ben's and
	 * 7 fred's (who left) about event 3 */
	exec_ok("INSERT INTO events (id, author_id, group_id, title, starts_at, ends_at, place, visibility, created_at,"
		" updated_at) VALUES (1, 3, NULL, 't', 10, 20, 'p', 'public', 0, 0),"
		" (2, 2, NULL, 't', 10, 20, 'p', 'members', 0, 0), (3, 2, 1, 't', 10, 20, 'p', 'group', 0, 0),"
		" (4, 3, 2, 't', 10, 20, 'p', 'members', 0, 0), (5, 1, 2, 't', 10, 20, 'p', 'group', 0, 0)");
	exec_ok("INSERT INTO notifications (id, user_id, kind, actor_id, event_id, created_at) VALUES"
		" (6, 2, 'event_promoted', 1, 3, 0), (7, 6, 'event_promoted', 1, 3, 0)");
	/* calls: 1 in the secret group (ana owns it, eve moderates it), 2 of no group; proposals:
	 * 1 on call 2 by ben with carl co-author, eve its reviewer; 2 on call 1 by ben */
	exec_ok("INSERT INTO calls (id, group_id, title, opens_at, closes_at, reviews_due_at, created_at, updated_at)"
		" VALUES (1, 1, 'c', 0, 10, 20, 0, 0), (2, NULL, 'c', 0, 10, 20, 0, 0)");
	exec_ok("INSERT INTO proposals (id, call_id, author_id, title, created_at, updated_at) VALUES"
		" (1, 2, 2, 'p', 0, 0), (2, 1, 2, 'p', 0, 0)");
	exec_ok("INSERT INTO proposal_authors (proposal_id, user_id, role, pos) VALUES (1, 2, 'author', 0),"
		" (1, 3, 'coauthor', 1), (2, 2, 'author', 0)");
	exec_ok("INSERT INTO proposal_assignments (proposal_id, reviewer_id, stage, assigned_at) VALUES"
		" (1, 5, 'national', 0)");
}

static void setup_at(const char *url)
{
	char err[256] = "";

	ck_assert_msg(db_pool_open(&pool, url, 1, err, sizeof err) == 0, "pool: %s", err);
	db = db_pool_get(pool);
	ck_assert_ptr_nonnull(db);
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
	snprintf(dir, sizeof dir, "/tmp/respire-kinds-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/respire.db", dir);
	setup_at(path);
}

static void setup_pg(void)
{
	on_pg = 1;
	dir[0] = '\0';
	setup_at(getenv("RESPIRE_TEST_PG_URL"));
}

static void teardown(void)
{
	arena_free(arena);
	arena = NULL;
	if (db && on_pg)
		db_rollback(db);
	if (db)
		db_pool_put(pool, db);
	db_pool_close(pool);
	pool = NULL;
	db = NULL;
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct viewer viewer_of(int64_t u)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	v.id = u;
	v.admin = u == DORA;
	return v;
}

/* ---- the table itself ------------------------------------------------------ */

START_TEST(every_kind_has_one_row)
{
	static const enum access_kind all[] = { AK_POST, AK_REPLY, AK_DOCUMENT, AK_DOC_VERSION, AK_COMMENT,
		AK_GROUP, AK_GROUP_MEMBERS, AK_GROUP_ROOMS, AK_ROOM, AK_MESSAGE, AK_NOTIFICATION, AK_USER,
		AK_SESSION, AK_INNOVATION, AK_EVENT, AK_CALL, AK_PROPOSAL };

	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		const struct access_kind_entry *k = access_kind_get(all[i]);

		ck_assert_msg(k != NULL, "kind %zu has no row", i);
		ck_assert_int_eq(k->kind, all[i]);
		ck_assert_ptr_nonnull(k->name);
		ck_assert_ptr_nonnull(k->load);
		ck_assert_ptr_nonnull(k->may_see);
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(k->name, access_kind_name(all[j]));
	}
	ck_assert_ptr_null(access_kind_get((enum access_kind)999));
}
END_TEST

/* ---- access_check: the rules, spelled out ----------------------------------- */

struct expect {
	enum access_kind kind;
	int64_t id;
	int64_t viewer;
	enum access_action action;
	enum derr want;
};

#define SEE AA_SEE
#define EDIT AA_EDIT
#define MOD AA_MODERATE
#define OK D_OK
#define NF D_NOT_FOUND
#define FB D_FORBIDDEN

static const struct expect expectations[] = {
	/* posts */
	{ AK_POST, 1, 0, SEE, OK }, { AK_POST, 1, CARL, EDIT, FB }, { AK_POST, 1, ANA, EDIT, OK },
	{ AK_POST, 2, BEN, SEE, OK }, { AK_POST, 2, BEN, EDIT, FB }, { AK_POST, 2, EVE, MOD, OK },
	{ AK_POST, 2, CARL, SEE, NF }, { AK_POST, 2, FRED, SEE, NF }, { AK_POST, 2, DORA, SEE, NF },
	{ AK_POST, 3, ANA, EDIT, OK }, { AK_POST, 3, BEN, SEE, NF }, { AK_POST, 3, DORA, MOD, NF },
	{ AK_POST, 4, ANA, SEE, OK }, { AK_POST, 4, DORA, MOD, OK }, { AK_POST, 4, BEN, SEE, NF },
	{ AK_POST, 4, 0, SEE, NF }, { AK_POST, 99, ANA, SEE, NF },
	/* replies: hidden ones to their author and the post's moderators */
	{ AK_REPLY, 1, BEN, SEE, OK }, { AK_REPLY, 1, BEN, EDIT, OK }, { AK_REPLY, 1, DORA, SEE, OK },
	{ AK_REPLY, 1, DORA, MOD, OK }, { AK_REPLY, 1, ANA, SEE, NF }, { AK_REPLY, 1, CARL, SEE, NF },
	{ AK_REPLY, 1, 0, SEE, NF },
	{ AK_REPLY, 2, BEN, EDIT, OK }, { AK_REPLY, 2, ANA, EDIT, OK }, { AK_REPLY, 2, EVE, EDIT, OK },
	{ AK_REPLY, 2, CARL, SEE, NF }, { AK_REPLY, 2, DORA, SEE, NF }, { AK_REPLY, 2, FRED, SEE, NF },
	{ AK_REPLY, 3, ANA, SEE, OK }, { AK_REPLY, 3, EVE, SEE, OK }, { AK_REPLY, 3, BEN, SEE, NF },
	{ AK_REPLY, 3, BEN, EDIT, NF }, { AK_REPLY, 3, EVE, MOD, OK }, { AK_REPLY, 2, BEN, MOD, FB },
	/* who left loses even their own reply */
	{ AK_REPLY, 4, FRED, SEE, NF }, { AK_REPLY, 4, FRED, EDIT, NF }, { AK_REPLY, 4, BEN, SEE, OK },
	{ AK_REPLY, 4, BEN, EDIT, FB },
	/* documents and their versions: the post rule */
	{ AK_DOCUMENT, 1, BEN, SEE, OK }, { AK_DOCUMENT, 1, BEN, EDIT, FB }, { AK_DOCUMENT, 1, ANA, EDIT, OK },
	{ AK_DOCUMENT, 1, CARL, SEE, NF }, { AK_DOCUMENT, 1, 0, SEE, NF }, { AK_DOCUMENT, 2, BEN, SEE, NF },
	{ AK_DOCUMENT, 3, 0, SEE, OK }, { AK_DOC_VERSION, 1, CARL, SEE, NF }, { AK_DOC_VERSION, 1, BEN, SEE, OK },
	{ AK_DOC_VERSION, 2, DORA, SEE, NF },
	/* comments: their document's rule; hidden ones for nobody */
	{ AK_COMMENT, 1, BEN, EDIT, OK }, { AK_COMMENT, 1, ANA, EDIT, OK }, { AK_COMMENT, 1, EVE, EDIT, OK },
	{ AK_COMMENT, 1, CARL, SEE, NF }, { AK_COMMENT, 2, BEN, SEE, NF }, { AK_COMMENT, 2, ANA, SEE, NF },
	{ AK_COMMENT, 3, 0, SEE, OK }, { AK_COMMENT, 3, 0, EDIT, FB }, { AK_COMMENT, 3, BEN, EDIT, FB },
	{ AK_COMMENT, 3, ANA, EDIT, OK }, { AK_COMMENT, 3, CARL, EDIT, OK },
	/* groups, member lists, a group's rooms */
	{ AK_GROUP, 1, BEN, SEE, OK }, { AK_GROUP, 1, BEN, EDIT, FB }, { AK_GROUP, 1, EVE, EDIT, OK },
	{ AK_GROUP, 1, CARL, SEE, NF }, { AK_GROUP, 1, DORA, SEE, NF }, { AK_GROUP, 2, 0, SEE, OK },
	{ AK_GROUP, 2, CARL, EDIT, FB },
	{ AK_GROUP_MEMBERS, 1, BEN, SEE, OK }, { AK_GROUP_MEMBERS, 1, BEN, MOD, FB },
	{ AK_GROUP_MEMBERS, 1, CARL, SEE, NF }, { AK_GROUP_MEMBERS, 2, CARL, SEE, OK },
	{ AK_GROUP_MEMBERS, 2, 0, SEE, NF },
	{ AK_GROUP_ROOMS, 1, BEN, SEE, OK }, { AK_GROUP_ROOMS, 1, BEN, EDIT, FB }, { AK_GROUP_ROOMS, 1, EVE, EDIT, OK },
	{ AK_GROUP_ROOMS, 1, FRED, SEE, NF }, { AK_GROUP_ROOMS, 2, CARL, SEE, NF }, { AK_GROUP_ROOMS, 2, ANA, SEE, OK },
	/* rooms and messages: current members, participants; admins no more than others */
	{ AK_ROOM, 1, BEN, SEE, OK }, { AK_ROOM, 1, BEN, EDIT, FB }, { AK_ROOM, 1, EVE, EDIT, OK },
	{ AK_ROOM, 1, CARL, SEE, NF }, { AK_ROOM, 1, FRED, SEE, NF }, { AK_ROOM, 1, DORA, SEE, NF },
	{ AK_ROOM, 1, 0, SEE, NF }, { AK_ROOM, 2, ANA, SEE, OK }, { AK_ROOM, 2, ANA, EDIT, FB },
	{ AK_ROOM, 2, EVE, SEE, NF }, { AK_ROOM, 2, DORA, SEE, NF },
	{ AK_MESSAGE, 1, BEN, EDIT, OK }, { AK_MESSAGE, 1, ANA, EDIT, FB }, { AK_MESSAGE, 1, CARL, SEE, NF },
	{ AK_MESSAGE, 2, BEN, SEE, OK }, { AK_MESSAGE, 2, EVE, SEE, NF },
	/* notifications: one's own, while what they are about stays visible */
	{ AK_NOTIFICATION, 1, BEN, SEE, NF }, { AK_NOTIFICATION, 2, BEN, SEE, OK }, { AK_NOTIFICATION, 2, ANA, SEE, NF },
	{ AK_NOTIFICATION, 3, CARL, SEE, NF }, { AK_NOTIFICATION, 4, BEN, EDIT, OK },
	{ AK_NOTIFICATION, 4, DORA, SEE, NF }, { AK_NOTIFICATION, 5, FRED, SEE, NF },
	/* users: active accounts, to members */
	{ AK_USER, ANA, CARL, SEE, OK }, { AK_USER, ANA, 0, SEE, NF }, { AK_USER, PAUL, CARL, SEE, NF },
	{ AK_USER, PAUL, DORA, SEE, NF }, { AK_USER, ANA, CARL, EDIT, FB }, { AK_USER, ANA, ANA, EDIT, OK },
	/* sessions: their member's */
	{ AK_SESSION, 1, ANA, EDIT, OK }, { AK_SESSION, 1, BEN, SEE, NF }, { AK_SESSION, 1, DORA, SEE, NF },
	{ AK_SESSION, 2, ANA, SEE, NF },
	/* innovation records: public to all, members to members; hidden to the team and admins;
	 * edited by the team and admins; supported by advisers of the academy and admins */
	{ AK_INNOVATION, 1, 0, SEE, OK }, { AK_INNOVATION, 1, 0, EDIT, FB }, { AK_INNOVATION, 1, CARL, EDIT, FB },
	{ AK_INNOVATION, 1, ANA, EDIT, OK }, { AK_INNOVATION, 1, BEN, EDIT, OK }, { AK_INNOVATION, 1, DORA, EDIT, OK },
	{ AK_INNOVATION, 1, EVE, MOD, OK }, { AK_INNOVATION, 1, CARL, MOD, FB }, { AK_INNOVATION, 1, ANA, MOD, FB },
	{ AK_INNOVATION, 1, DORA, MOD, OK }, { AK_INNOVATION, 1, EVE, EDIT, FB },
	{ AK_INNOVATION, 2, 0, SEE, NF }, { AK_INNOVATION, 2, CARL, SEE, OK }, { AK_INNOVATION, 2, 0, MOD, NF },
	{ AK_INNOVATION, 3, 0, SEE, NF }, { AK_INNOVATION, 3, CARL, SEE, NF }, { AK_INNOVATION, 3, EVE, MOD, NF },
	{ AK_INNOVATION, 3, ANA, EDIT, OK }, { AK_INNOVATION, 3, BEN, SEE, OK }, { AK_INNOVATION, 3, DORA, MOD, OK },
	{ AK_INNOVATION, 4, DORA, SEE, OK }, { AK_INNOVATION, 4, BEN, EDIT, OK }, { AK_INNOVATION, 4, 0, SEE, NF },
	{ AK_INNOVATION, 99, DORA, SEE, NF },
	/* events: the post rule; organised by their creator, their group's owners and admins */
	{ AK_EVENT, 1, 0, SEE, OK }, { AK_EVENT, 1, 0, EDIT, FB }, { AK_EVENT, 1, CARL, EDIT, OK },
	{ AK_EVENT, 1, BEN, EDIT, FB }, { AK_EVENT, 1, DORA, EDIT, OK }, { AK_EVENT, 1, PAUL, SEE, OK },
	{ AK_EVENT, 2, 0, SEE, NF }, { AK_EVENT, 2, CARL, SEE, OK }, { AK_EVENT, 2, BEN, EDIT, OK },
	{ AK_EVENT, 3, CARL, SEE, NF }, { AK_EVENT, 3, DORA, SEE, NF }, { AK_EVENT, 3, FRED, SEE, NF },
	{ AK_EVENT, 3, BEN, EDIT, OK }, { AK_EVENT, 3, ANA, EDIT, OK }, { AK_EVENT, 3, EVE, SEE, OK },
	{ AK_EVENT, 3, EVE, EDIT, FB },
	{ AK_EVENT, 4, 0, SEE, NF }, { AK_EVENT, 4, CARL, SEE, OK }, { AK_EVENT, 4, ANA, EDIT, OK },
	{ AK_EVENT, 4, CARL, EDIT, OK }, { AK_EVENT, 4, BEN, EDIT, FB },
	{ AK_EVENT, 5, CARL, SEE, NF }, { AK_EVENT, 5, ANA, SEE, OK }, { AK_EVENT, 99, DORA, SEE, NF },
	{ AK_NOTIFICATION, 6, BEN, SEE, OK }, { AK_NOTIFICATION, 7, FRED, SEE, NF },
	/* calls: who sees their group (no group: all); managed by admins and the group's owners */
	{ AK_CALL, 1, BEN, SEE, OK }, { AK_CALL, 1, CARL, SEE, NF }, { AK_CALL, 1, 0, SEE, NF },
	{ AK_CALL, 1, DORA, SEE, NF }, { AK_CALL, 1, ANA, EDIT, OK }, { AK_CALL, 1, EVE, EDIT, FB },
	{ AK_CALL, 1, BEN, EDIT, FB }, { AK_CALL, 1, FRED, SEE, NF }, { AK_CALL, 2, 0, SEE, OK },
	{ AK_CALL, 2, CARL, EDIT, FB }, { AK_CALL, 2, DORA, EDIT, OK }, { AK_CALL, 2, DORA, MOD, OK },
	{ AK_CALL, 99, DORA, SEE, NF },
	/* proposals: authors edit; managers decide; assigned reviewers read; nobody else */
	{ AK_PROPOSAL, 1, BEN, SEE, OK }, { AK_PROPOSAL, 1, BEN, EDIT, OK }, { AK_PROPOSAL, 1, BEN, MOD, FB },
	{ AK_PROPOSAL, 1, CARL, EDIT, OK }, { AK_PROPOSAL, 1, EVE, SEE, OK }, { AK_PROPOSAL, 1, EVE, EDIT, FB },
	{ AK_PROPOSAL, 1, EVE, MOD, FB }, { AK_PROPOSAL, 1, DORA, SEE, OK }, { AK_PROPOSAL, 1, DORA, MOD, OK },
	{ AK_PROPOSAL, 1, DORA, EDIT, FB }, { AK_PROPOSAL, 1, ANA, SEE, NF }, { AK_PROPOSAL, 1, 0, SEE, NF },
	{ AK_PROPOSAL, 1, FRED, SEE, NF }, { AK_PROPOSAL, 2, ANA, SEE, OK }, { AK_PROPOSAL, 2, ANA, MOD, OK },
	{ AK_PROPOSAL, 2, EVE, SEE, NF }, { AK_PROPOSAL, 2, CARL, SEE, NF }, { AK_PROPOSAL, 2, DORA, MOD, OK },
	{ AK_PROPOSAL, 99, DORA, SEE, NF },
};

START_TEST(access_check_answers_the_rules)
{
	static const char *const actions[] = { "see", "edit", "moderate" };
	int bad = 0;

	for (size_t i = 0; i < sizeof expectations / sizeof *expectations; i++) {
		const struct expect *e = &expectations[i];
		struct viewer v = viewer_of(e->viewer);
		enum derr got = access_check(&dc, &v, e->kind, e->id, e->action);

		if (got != e->want) {
			fprintf(stderr, "access_check(%s %lld, %s, %s): expected %d, got %d\n",
				access_kind_name(e->kind), (long long)e->id, names[e->viewer], actions[e->action],
				e->want, got);
			bad++;
		}
	}
	ck_assert_msg(bad == 0, "%d answer(s) of access_check disagree with the rules (%s)", bad,
		      on_pg ? "PostgreSQL" : "SQLite");
}
END_TEST

/* ---- the C rule of each kind against its SQL filter ------------------------- */

static int sql_sees(enum access_kind kind, int64_t id, const struct viewer *v)
{
	struct db_stmt *st = NULL;
	int rc;

	switch (kind) {
	case AK_REPLY:
		st = db_query(db, "SELECT 1 FROM replies r JOIN posts p ON p.id = r.post_id"
			      " LEFT JOIN groups g ON g.id = p.group_id WHERE r.id = ? AND " ACCESS_POST_SQL
			      " AND " ACCESS_REPLY_SQL("r"), "i" ACCESS_POST_TYPES ACCESS_REPLY_TYPES, id,
			      ACCESS_POST_ARGS(v), ACCESS_REPLY_ARGS(v));
		break;
	case AK_DOCUMENT:
		st = db_query(db, "SELECT 1 FROM documents p LEFT JOIN groups g ON g.id = p.group_id"
			      " WHERE p.id = ? AND " ACCESS_DOCUMENT_SQL, "i" ACCESS_DOCUMENT_TYPES, id,
			      ACCESS_DOCUMENT_ARGS(v));
		break;
	case AK_COMMENT:
		st = db_query(db, "SELECT 1 FROM document_comments c JOIN documents p ON p.id = c.document_id"
			      " LEFT JOIN groups g ON g.id = p.group_id WHERE c.id = ? AND " ACCESS_DOCUMENT_SQL
			      " AND " ACCESS_COMMENT_SQL("c"), "i" ACCESS_DOCUMENT_TYPES, id, ACCESS_DOCUMENT_ARGS(v));
		break;
	case AK_GROUP:
		st = db_query(db, "SELECT 1 FROM groups g WHERE g.id = ? AND " ACCESS_GROUP_SQL,
			      "i" ACCESS_GROUP_TYPES, id, ACCESS_GROUP_ARGS(v));
		break;
	case AK_ROOM:
		st = db_query(db, "SELECT 1 FROM chat_rooms r WHERE r.id = ? AND " ACCESS_ROOM_SQL("r"),
			      "i" ACCESS_ROOM_TYPES, id, ACCESS_ROOM_ARGS(v));
		break;
	case AK_MESSAGE:
		st = db_query(db, "SELECT 1 FROM chat_messages m JOIN chat_rooms r ON r.id = m.room_id"
			      " WHERE m.id = ? AND " ACCESS_ROOM_SQL("r"), "i" ACCESS_ROOM_TYPES, id,
			      ACCESS_ROOM_ARGS(v));
		break;
	case AK_NOTIFICATION:
		st = db_query(db, "SELECT 1 FROM notifications n WHERE n.id = ? AND n.user_id = ? AND "
			      ACCESS_NOTIFICATION_SQL, "ii" ACCESS_NOTIFICATION_TYPES, id, v->id,
			      ACCESS_NOTIFICATION_ARGS(v));
		break;
	case AK_USER:
		st = db_query(db, "SELECT 1 FROM users u WHERE u.id = ? AND " ACCESS_USER_SQL("u") " AND ? > 0",
			      "ii", id, v->id);
		break;
	case AK_INNOVATION:
		st = db_query(db, "SELECT 1 FROM innovations i WHERE i.id = ? AND " ACCESS_INNOVATION_SQL,
			      "i" ACCESS_INNOVATION_TYPES, id, ACCESS_INNOVATION_ARGS(v));
		break;
	case AK_EVENT:
		st = db_query(db, "SELECT 1 FROM events e LEFT JOIN groups g ON g.id = e.group_id WHERE e.id = ? AND "
			      ACCESS_EVENT_SQL, "i" ACCESS_EVENT_TYPES, id, ACCESS_EVENT_ARGS(v));
		break;
	case AK_CALL:
		st = db_query(db, "SELECT 1 FROM calls c WHERE c.id = ? AND " ACCESS_CALL_SQL, "i" ACCESS_CALL_TYPES, id,
			      ACCESS_CALL_ARGS(v));
		break;
	case AK_PROPOSAL:
		st = db_query(db, "SELECT 1 FROM proposals pr WHERE pr.id = ? AND " ACCESS_PROPOSAL_SQL,
			      "i" ACCESS_PROPOSAL_TYPES, id, ACCESS_PROPOSAL_ARGS(v));
		break;
	default:
		ck_abort_msg("no SQL filter to compare for %s", access_kind_name(kind));
	}
	ck_assert_msg(st != NULL, "the SQL of %s does not prepare (%s)", access_kind_name(kind), db_backend(db));
	rc = db_step(st);
	ck_assert_msg(rc != DB_ERR, "the SQL of %s fails", access_kind_name(kind));
	ck_assert_int_eq(db_finish(st), 0);
	return rc == DB_ROW;
}

/* The room rule in its other two shapes: from V's rows, and for a member column. */
static int sql_room_shapes_agree(int64_t room, const struct viewer *v, int want)
{
	int64_t n = 0;
	int mine = db_int(db, &n, "SELECT 1 FROM chat_rooms r WHERE r.id = ? AND " ACCESS_ROOM_MINE_SQL("r"),
			  "i" ACCESS_ROOM_TYPES, room, ACCESS_ROOM_ARGS(v));
	int each = v->id ? db_int(db, &n, "SELECT 1 FROM chat_rooms r JOIN users u ON u.id = ? WHERE r.id = ? AND "
				  ACCESS_ROOM_SQL_FOR("r", "u.id"), "ii", v->id, room) : 0;

	ck_assert_int_ge(mine, 0);
	ck_assert_int_ge(each, 0);
	return mine == want && each == want;
}

START_TEST(c_rules_agree_with_sql)
{
	static const struct { enum access_kind kind; int64_t max; } kinds[] = {
		{ AK_REPLY, 4 }, { AK_DOCUMENT, 3 }, { AK_COMMENT, 3 }, { AK_GROUP, 2 }, { AK_ROOM, 2 },
		{ AK_MESSAGE, 2 }, { AK_NOTIFICATION, 7 }, { AK_USER, NUSERS },
		{ AK_INNOVATION, 4 }, { AK_EVENT, 5 }, { AK_CALL, 2 }, { AK_PROPOSAL, 2 },
	};
	int bad = 0, checked = 0;

	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
		for (int64_t id = 1; id <= kinds[k].max; id++)
			for (int64_t u = 0; u <= NUSERS; u++) {
				struct viewer v = viewer_of(u);
				int c = access_check(&dc, &v, kinds[k].kind, id, AA_SEE) == D_OK;
				int s = sql_sees(kinds[k].kind, id, &v);

				checked++;
				if (c != s) {
					fprintf(stderr, "%s %lld, %s: the C rule says %d, the SQL %d\n",
						access_kind_name(kinds[k].kind), (long long)id, names[u], c, s);
					bad++;
				}
				if (kinds[k].kind == AK_ROOM && !sql_room_shapes_agree(id, &v, c)) {
					fprintf(stderr, "room %lld, %s: ACCESS_ROOM_MINE_SQL or _FOR disagree\n",
						(long long)id, names[u]);
					bad++;
				}
			}
	ck_assert_int_gt(checked, 100);
	ck_assert_msg(bad == 0, "%d disagreement(s) between C rules and SQL filters (%s)", bad,
		      on_pg ? "PostgreSQL" : "SQLite");
}
END_TEST

Suite *access_kinds_suite(void)
{
	Suite *s = suite_create("access_kinds");
	TCase *tl = tcase_create("sqlite");

	tcase_add_checked_fixture(tl, setup_sqlite, teardown);
	tcase_set_timeout(tl, 60);
	tcase_add_test(tl, every_kind_has_one_row);
	tcase_add_test(tl, access_check_answers_the_rules);
	tcase_add_test(tl, c_rules_agree_with_sql);
	suite_add_tcase(s, tl);
	if (getenv("RESPIRE_TEST_PG_URL") && *getenv("RESPIRE_TEST_PG_URL")) {
		TCase *tp = tcase_create("postgres");

		tcase_add_checked_fixture(tp, setup_pg, teardown);
		tcase_set_timeout(tp, 120);
		tcase_add_test(tp, access_check_answers_the_rules);
		tcase_add_test(tp, c_rules_agree_with_sql);
		suite_add_tcase(s, tp);
	}
	return s;
}
