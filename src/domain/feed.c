#include "domain/feed.h"

#include <string.h>

/* Activity a (of an item p) comes from my circle: me, my contacts, the
 * members I follow, or one of my groups. Five times the viewer's id. */
#define MY_CIRCLE \
	"(a.actor_id = ?" \
	" OR EXISTS (SELECT 1 FROM contacts c WHERE c.state = 'accepted' AND" \
	"   ((c.requester_id = ? AND c.addressee_id = a.actor_id) OR (c.addressee_id = ? AND c.requester_id = a.actor_id)))" \
	" OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = a.actor_id)" \
	" OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = p.group_id AND gm.user_id = ?" \
	"   AND gm.state = 'member'))"

/* Documents shared by the same people and in the same groups: read apart
 * (other columns), then merged by activity id into the page of posts. */
static int merge_documents(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
			   struct activity *items, int n, int64_t *next)
{
	struct activity *docs = arena_alloc(dc->arena, sizeof *docs * (size_t)(limit + 1)), *merged;
	struct db_stmt *st;
	int nd = 0, i = 0, j = 0, k = 0, more = *next != 0;

	if (!docs)
		return -1;
	st = db_query(dc->db,
		      "SELECT a.id, a.actor_id, au.name, a.created_at, " DOCS_COLUMNS DOCS_FROM
		      " JOIN activities a ON a.document_id = p.id LEFT JOIN users au ON au.id = a.actor_id"
		      " WHERE " MY_CIRCLE
		      " AND " ACCESS_POST_SQL
		      " AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
		      "iiiii" ACCESS_POST_TYPES "iii", v->id, v->id, v->id, v->id, v->id, ACCESS_POST_ARGS(v),
		      before, before, (int64_t)limit + 1);
	while (st && nd <= limit && db_step(st) == DB_ROW) {
		struct activity *a = &docs[nd++];

		memset(a, 0, sizeof *a);
		a->id = db_col_int(st, 0);
		a->verb = "document";
		a->actor_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		a->actor_name = db_col_dup(st, 2, dc->arena);
		a->created_at = db_col_int(st, 3);
		if (!(a->doc = arena_alloc(dc->arena, sizeof *a->doc)))
			break;
		documents_read_row(dc, st, 4, a->doc);
		a->excerpt = a->doc->description;
	}
	if (db_finish(st) < 0)
		return -1;
	if (!nd)
		return n;
	if (!(merged = arena_alloc(dc->arena, sizeof *merged * (size_t)limit)))
		return -1;
	/* Both lists are newest first; keep the newest `limit` of the two. */
	while (k < limit && (i < n || j < nd))
		merged[k++] = j >= nd || (i < n && items[i].id > docs[j].id) ? items[i++] : docs[j++];
	more = more || i < n || j < nd;
	memcpy(items, merged, sizeof *merged * (size_t)k);
	*next = more && k ? items[k - 1].id : 0;
	return k;
}

int feed_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
	      struct activity **out, int64_t *next)
{
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	st = db_query(dc->db,
		      "SELECT a.id, a.verb, a.actor_id, au.name, a.reply_id,"
		      " substr(COALESCE(r.body, p.body), 1, 280), a.created_at, " POSTS_COLUMNS POSTS_FROM
		      " JOIN activities a ON a.post_id = p.id"
		      " LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN replies r ON r.id = a.reply_id"
		      " WHERE " MY_CIRCLE
		      " AND (a.reply_id IS NULL OR r.hidden_at IS NULL)"
		      " AND " ACCESS_POST_SQL
		      " AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
		      "iiiii" ACCESS_POST_TYPES "iii", v->id, v->id, v->id, v->id, v->id, ACCESS_POST_ARGS(v),
		      before, before, (int64_t)limit + 1);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		struct activity *a;

		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		a = &(*out)[n++];
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
	if (db_finish(st) < 0)
		return -1;
	return merge_documents(dc, v, before, limit, *out, n, next);
}
