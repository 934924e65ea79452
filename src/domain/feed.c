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
 *  2. each candidate, in order, read with the access rule (ACCESS_POST_SQL)
 *     until the page is full. */

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

#define CANDIDATES 48      /* read at a time */
#define MAX_ROUNDS 64      /* at most CANDIDATES * MAX_ROUNDS activities looked at per page */

/* Up to n candidate ids older than before (0: the newest) into ids; their
 * number, or -1. *rows: rows read (n: there may be more). */
static int candidates(struct dctx *dc, const struct viewer *v, int docs, int64_t before, int64_t *ids, int n,
		      int *rows)
{
	struct db_stmt *st = docs
		? db_query(dc->db, doc_candidates_sql, "iiiiiiiiii", before, before, v->id, v->id, v->id, v->id,
			   v->id, before, before, (int64_t)n)
		: db_query(dc->db, post_candidates_sql, "iiiiiiiiii", before, before, v->id, v->id, v->id, v->id,
			   v->id, before, before, (int64_t)n);
	int k = 0;

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

/* Activity id of a post, reply or revision, if v may see it: 1 read, 0 not for v, -1 error. */
static int read_post_activity(struct dctx *dc, const struct viewer *v, int64_t id, struct activity *a)
{
	struct db_stmt *st = db_query(dc->db,
		"SELECT a.id, a.verb, a.actor_id, au.name, a.reply_id,"
		" substr(COALESCE(r.body, p.body), 1, 280), a.created_at, " POSTS_COLUMNS POSTS_FROM
		" JOIN activities a ON a.post_id = p.id"
		" LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN replies r ON r.id = a.reply_id"
		" WHERE a.id = ? AND (a.reply_id IS NULL OR " ACCESS_REPLY_SHOWN_SQL("r") ") AND " ACCESS_POST_SQL,
		"i" ACCESS_POST_TYPES, id, ACCESS_POST_ARGS(v));
	int rc = db_step(st);

	if (rc == DB_ROW) {
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
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	return rc == DB_ROW;
}

/* The same for a shared document. */
static int read_doc_activity(struct dctx *dc, const struct viewer *v, int64_t id, struct activity *a)
{
	struct db_stmt *st = db_query(dc->db,
		"SELECT a.id, a.actor_id, au.name, a.created_at, " DOCS_COLUMNS DOCS_FROM
		" JOIN activities a ON a.document_id = p.id LEFT JOIN users au ON au.id = a.actor_id"
		" WHERE a.id = ? AND " ACCESS_POST_SQL,
		"i" ACCESS_POST_TYPES, id, ACCESS_POST_ARGS(v));
	int rc = db_step(st);

	if (rc == DB_ROW) {
		memset(a, 0, sizeof *a);
		a->id = db_col_int(st, 0);
		a->verb = "document";
		a->actor_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		a->actor_name = db_col_dup(st, 2, dc->arena);
		a->created_at = db_col_int(st, 3);
		if (!(a->doc = arena_alloc(dc->arena, sizeof *a->doc)))
			rc = DB_ERR;
		else
			documents_read_row(dc, st, 4, a->doc);
		if (a->doc)
			a->excerpt = a->doc->description;
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	return rc == DB_ROW;
}

/* Up to want activities of one kind older than before, newest first; their
 * number (want + 1 found means more remain), or -1. */
static int collect(struct dctx *dc, const struct viewer *v, int docs, int64_t before, int want, struct activity *out)
{
	int64_t ids[CANDIDATES];
	int n = 0;

	for (int round = 0; round < MAX_ROUNDS && n < want; round++) {
		int rows, k = candidates(dc, v, docs, before, ids, CANDIDATES, &rows);

		if (k < 0)
			return -1;
		for (int i = 0; i < k && n < want; i++) {
			int got = docs ? read_doc_activity(dc, v, ids[i], &out[n]) : read_post_activity(dc, v, ids[i], &out[n]);

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
	struct activity *posts, *docs;
	int np, nd, i = 0, j = 0, k = 0;

	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	posts = arena_alloc(dc->arena, sizeof *posts * (size_t)(limit + 1));
	docs = arena_alloc(dc->arena, sizeof *docs * (size_t)(limit + 1));
	if (!*out || !posts || !docs)
		return -1;
	if ((np = collect(dc, v, 0, before, limit + 1, posts)) < 0 ||
	    (nd = collect(dc, v, 1, before, limit + 1, docs)) < 0)
		return -1;
	/* Both lists are newest first; keep the newest `limit` of the two. */
	while (k < limit && (i < np || j < nd))
		(*out)[k++] = j >= nd || (i < np && posts[i].id > docs[j].id) ? posts[i++] : docs[j++];
	if ((i < np || j < nd) && k)
		*next = (*out)[k - 1].id;
	return k;
}
