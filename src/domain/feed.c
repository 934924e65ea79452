#include "domain/feed.h"

#include <string.h>

/* Reading the feed in two steps keeps its cost independent of the size of
 * the network (the benchmark's growth figure):
 *  1. candidates: ids of the activities of my circle, newest first, taken
 *     from the indexes of my circle's own rows only: my contacts' and
 *     followees' activities (activities_actor_posts / _documents, migration
 *     8) and the activities of my groups (activities_group_posts /
 *     _documents, migration 9: each activity names its group). Scanning
 *     every activity of the network newest first and testing each against
 *     my circle costs more the larger the network is around a circle of the
 *     same size; joining every post of my groups to its activities cost ten
 *     times more than reading the groups' activities from their index;
 *  2. the candidates, in order, read with the access rule (ACCESS_POST_SQL)
 *     until the page is full, IDS_N in one statement.
 * Innovation records (migration 16: an activity names its record) come the
 * same way from three index ranges: the records I follow, the records whose
 * coordinator or co-authors are of my circle, the records linked to my
 * groups; each candidate is read with ACCESS_INNOVATION_SQL. */

/* Who my circle is, as a list of member ids: me, my accepted contacts,
 * the members I follow. Four times the viewer's id. */
#define CIRCLE_SQL \
	"SELECT ? UNION ALL SELECT c.addressee_id FROM contacts c WHERE c.requester_id = ? AND c.state = 'accepted'" \
	" UNION ALL SELECT c.requester_id FROM contacts c WHERE c.addressee_id = ? AND c.state = 'accepted'" \
	" UNION ALL SELECT f.followee_id FROM follows f WHERE f.follower_id = ?"

/* Parameters: before twice, the viewer 4 times (circle), the viewer (groups), before twice, the limit. */
static const char post_candidates_sql[] =
	"SELECT id FROM (SELECT a1.id AS id FROM activities a1 WHERE a1.post_id IS NOT NULL"
	"  AND (? = 0 OR a1.id < ?) AND a1.actor_id IN (" CIRCLE_SQL ")"
	" UNION ALL SELECT a2.id FROM group_members gm JOIN activities a2 ON a2.group_id = gm.group_id"
	"  WHERE gm.user_id = ? AND gm.state = 'member' AND a2.post_id IS NOT NULL AND (? = 0 OR a2.id < ?)) c"
	" ORDER BY id DESC LIMIT ?";
static const char doc_candidates_sql[] =
	"SELECT id FROM (SELECT a1.id AS id FROM activities a1 WHERE a1.document_id IS NOT NULL"
	"  AND (? = 0 OR a1.id < ?) AND a1.actor_id IN (" CIRCLE_SQL ")"
	" UNION ALL SELECT a2.id FROM group_members gm JOIN activities a2 ON a2.group_id = gm.group_id"
	"  WHERE gm.user_id = ? AND gm.state = 'member' AND a2.document_id IS NOT NULL AND (? = 0 OR a2.id < ?)) c"
	" ORDER BY id DESC LIMIT ?";

/* Parameters: the viewer (follows), the circle twice (coordinator, co-authors),
 * the viewer (groups), each range with before twice; then the limit. */
static const char innovation_candidates_sql[] =
	"SELECT id FROM (SELECT a1.id AS id FROM innovation_follows f JOIN activities a1 ON a1.innovation_id = f.innovation_id"
	"  WHERE f.user_id = ? AND (? = 0 OR a1.id < ?)"
	" UNION ALL SELECT a2.id FROM innovations i2 JOIN activities a2 ON a2.innovation_id = i2.id"
	"  WHERE i2.coordinator_id IN (" CIRCLE_SQL ") AND (? = 0 OR a2.id < ?)"
	" UNION ALL SELECT a3.id FROM innovation_coauthors ic JOIN activities a3 ON a3.innovation_id = ic.innovation_id"
	"  WHERE ic.user_id IN (" CIRCLE_SQL ") AND (? = 0 OR a3.id < ?)"
	" UNION ALL SELECT a4.id FROM group_members gm JOIN innovation_groups ig ON ig.group_id = gm.group_id"
	"  JOIN activities a4 ON a4.innovation_id = ig.innovation_id"
	"  WHERE gm.user_id = ? AND gm.state = 'member' AND (? = 0 OR a4.id < ?)) c"
	" ORDER BY id DESC LIMIT ?";

enum { K_POSTS, K_DOCS, K_INNOVATIONS };

#define CANDIDATES 48      /* read at a time */
#define MAX_ROUNDS 64      /* at most CANDIDATES * MAX_ROUNDS activities looked at per page */

/* Up to n candidate ids older than before (0: the newest) into ids; their
 * number, or -1. *rows: rows read (n: there may be more). */
static int candidates(struct dctx *dc, const struct viewer *v, int kind, int64_t before, int64_t *ids, int n,
		      int *rows)
{
	struct db_stmt *st;
	int k = 0;

	if (kind == K_INNOVATIONS)
		st = db_query(dc->db, innovation_candidates_sql, "iiiiiiiiiiiiiiiiiii", v->id, before, before,
			      v->id, v->id, v->id, v->id, before, before, v->id, v->id, v->id, v->id, before, before,
			      v->id, before, before, (int64_t)n);
	else
		st = db_query(dc->db, kind == K_DOCS ? doc_candidates_sql : post_candidates_sql, "iiiiiiiiii", before,
			      before, v->id, v->id, v->id, v->id, v->id, before, before, (int64_t)n);

	*rows = 0;
	/* UNION ALL (cheaper than UNION's temporary index): an activity both of
	 * my circle and of my groups comes twice, side by side. */
	while (st && *rows < n && db_step(st) == DB_ROW) {
		int64_t id = db_col_int(st, 0);

		++*rows;
		if (!k || ids[k - 1] != id)
			ids[k++] = id;
	}
	return db_finish(st) < 0 ? -1 : k;
}

/* Candidates are read IDS_N at a time, each chunk in one statement (an
 * IN list padded with 0, which is no activity): a page of 20 takes two
 * statements instead of twenty (on PostgreSQL, round trips). */
#define IDS_N 16
#define IDS_IN "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define IDS_TYPES "iiiiiiiiiiiiiiii"
#define IDS_ARGS(x) x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12], x[13], x[14], \
	x[15]

/* The activities of ids (posts, replies, revisions) V may see, newest
 * first, up to max into out: their number, or -1. */
static int read_post_activities(struct dctx *dc, const struct viewer *v, const int64_t *ids, struct activity *out,
				int max)
{
	struct db_stmt *st = db_query(dc->db,
		"SELECT a.id, a.verb, a.actor_id, au.name, a.reply_id,"
		" substr(COALESCE(r.body, p.body), 1, 280), a.created_at, " POSTS_COLUMNS POSTS_FROM
		" JOIN activities a ON a.post_id = p.id"
		" LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN replies r ON r.id = a.reply_id"
		" WHERE a.id IN " IDS_IN " AND (a.reply_id IS NULL OR " ACCESS_REPLY_SHOWN_SQL("r") ") AND "
		ACCESS_POST_SQL " ORDER BY a.id DESC",
		IDS_TYPES ACCESS_POST_TYPES, IDS_ARGS(ids), ACCESS_POST_ARGS(v));
	int n = 0;

	while (st && n < max && db_step(st) == DB_ROW) {
		struct activity *a = &out[n++];

		memset(a, 0, sizeof *a);
		a->id = db_col_int(st, 0);
		a->verb = db_col_dup(st, 1, dc->arena);
		a->actor_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		a->actor_name = db_col_dup(st, 3, dc->arena);
		a->reply_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
		a->excerpt = db_col_dup(st, 5, dc->arena); /* substr counts characters */
		a->created_at = db_col_int(st, 6);
		posts_read_row(dc, st, 7, &a->post);
	}
	return db_finish(st) < 0 || !st ? -1 : n;
}

/* The same for shared documents. */
static int read_doc_activities(struct dctx *dc, const struct viewer *v, const int64_t *ids, struct activity *out,
			       int max)
{
	struct db_stmt *st = db_query(dc->db,
		"SELECT a.id, a.actor_id, au.name, a.created_at, " DOCS_COLUMNS DOCS_FROM
		" JOIN activities a ON a.document_id = p.id LEFT JOIN users au ON au.id = a.actor_id"
		" WHERE a.id IN " IDS_IN " AND " ACCESS_POST_SQL " ORDER BY a.id DESC",
		IDS_TYPES ACCESS_POST_TYPES, IDS_ARGS(ids), ACCESS_POST_ARGS(v));
	int n = 0, failed = 0;

	while (st && n < max && db_step(st) == DB_ROW) {
		struct activity *a = &out[n++];

		memset(a, 0, sizeof *a);
		a->id = db_col_int(st, 0);
		a->verb = "document";
		a->actor_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		a->actor_name = db_col_dup(st, 2, dc->arena);
		a->created_at = db_col_int(st, 3);
		if (!(a->doc = arena_alloc(dc->arena, sizeof *a->doc))) {
			failed = 1;
			break;
		}
		documents_read_row(dc, st, 4, a->doc);
		a->excerpt = a->doc->description;
	}
	return db_finish(st) < 0 || !st || failed ? -1 : n;
}

/* The same for records' creations and updates: records V may open. */
static int read_innovation_activities(struct dctx *dc, const struct viewer *v, const int64_t *ids,
				      struct activity *out, int max)
{
	struct db_stmt *st = db_query(dc->db,
		"SELECT a.id, a.verb, a.actor_id, au.name, a.created_at, i.id, i.title, substr(i.summary, 1, 280), i.academy,"
		" i.visibility"
		" FROM activities a JOIN innovations i ON i.id = a.innovation_id LEFT JOIN users au ON au.id = a.actor_id"
		" WHERE a.id IN " IDS_IN " AND " ACCESS_INNOVATION_SQL " ORDER BY a.id DESC",
		IDS_TYPES ACCESS_INNOVATION_TYPES, IDS_ARGS(ids), ACCESS_INNOVATION_ARGS(v));
	int n = 0;

	while (st && n < max && db_step(st) == DB_ROW) {
		struct activity *a = &out[n++];

		memset(a, 0, sizeof *a);
		a->id = db_col_int(st, 0);
		a->verb = db_col_dup(st, 1, dc->arena);
		a->actor_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		a->actor_name = db_col_dup(st, 3, dc->arena);
		a->created_at = db_col_int(st, 4);
		a->innovation_id = db_col_int(st, 5);
		a->innovation_title = db_col_dup(st, 6, dc->arena);
		a->excerpt = db_col_dup(st, 7, dc->arena);
		a->innovation_academy = db_col_dup(st, 8, dc->arena);
		a->innovation_visibility = db_col_dup(st, 9, dc->arena);
	}
	return db_finish(st) < 0 || !st ? -1 : n;
}

/* Up to want activities of one kind older than before, newest first; their
 * number (want + 1 found means more remain), or -1. */
static int collect(struct dctx *dc, const struct viewer *v, int kind, int64_t before, int want, struct activity *out)
{
	int64_t ids[CANDIDATES];
	int n = 0;

	for (int round = 0; round < MAX_ROUNDS && n < want; round++) {
		int rows, k = candidates(dc, v, kind, before, ids, CANDIDATES, &rows);

		if (k < 0)
			return -1;
		for (int i = 0; i < k && n < want; i += IDS_N) {
			int64_t chunk[IDS_N] = { 0 };
			int got;

			memcpy(chunk, ids + i, (size_t)(k - i < IDS_N ? k - i : IDS_N) * sizeof *chunk);
			got = kind == K_DOCS ? read_doc_activities(dc, v, chunk, out + n, want - n)
				: kind == K_INNOVATIONS ? read_innovation_activities(dc, v, chunk, out + n, want - n)
				: read_post_activities(dc, v, chunk, out + n, want - n);
			if (got < 0)
				return -1;
			n += got;
		}
		if (rows < CANDIDATES || !k)
			break;
		before = ids[k - 1];
	}
	return n;
}

int feed_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
	      struct activity **out, int64_t *next)
{
	struct activity *lists[3];
	int counts[3], pos[3] = { 0, 0, 0 }, k = 0;

	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	for (int kind = K_POSTS; kind <= K_INNOVATIONS; kind++) {
		lists[kind] = arena_alloc(dc->arena, sizeof *lists[kind] * (size_t)(limit + 1));
		if (!lists[kind] || (counts[kind] = collect(dc, v, kind, before, limit + 1, lists[kind])) < 0)
			return -1;
	}
	/* The lists are newest first; keep the newest `limit` of the three. */
	for (;;) {
		int best = -1;

		for (int kind = K_POSTS; kind <= K_INNOVATIONS; kind++)
			if (pos[kind] < counts[kind] &&
			    (best < 0 || lists[kind][pos[kind]].id > lists[best][pos[best]].id))
				best = kind;
		if (best < 0)
			break;
		if (k == limit) {
			if (k)
				*next = (*out)[k - 1].id;
			break;
		}
		(*out)[k++] = lists[best][pos[best]++];
	}
	return k;
}
