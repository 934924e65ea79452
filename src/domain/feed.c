#include "domain/feed.h"

#include <string.h>

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
		      " substr(COALESCE(r.body, p.body), 1, 280), a.created_at,"
		      " p.id, p.author_id, p.group_id, p.visibility, g.visibility, p.hidden_at IS NOT NULL, p.kind,"
		      " p.title, u.name, u.handle, g.name, p.created_at, p.updated_at, p.last_activity_at,"
		      " p.reply_count, p.useful_count, p.revision"
		      " FROM activities a JOIN posts p ON p.id = a.post_id"
		      " LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users u ON u.id = p.author_id"
		      " LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN replies r ON r.id = a.reply_id"
		      " WHERE (a.actor_id = ?"
		      "   OR EXISTS (SELECT 1 FROM contacts c WHERE c.state = 'accepted' AND"
		      "     ((c.requester_id = ? AND c.addressee_id = a.actor_id) OR (c.addressee_id = ? AND c.requester_id = a.actor_id)))"
		      "   OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = a.actor_id)"
		      "   OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = p.group_id AND gm.user_id = ?"
		      "     AND gm.state = 'member'))"
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
		struct post *p;

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
		a->excerpt = db_col_dup(st, 5, dc->arena);
		a->created_at = db_col_int(st, 6);
		p = &a->post;
		p->ref.id = db_col_int(st, 7);
		p->ref.author_id = db_col_is_null(st, 8) ? 0 : db_col_int(st, 8);
		p->ref.group_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
		p->ref.visibility = db_col_dup(st, 10, dc->arena);
		p->ref.group_visibility = db_col_is_null(st, 11) ? NULL : db_col_dup(st, 11, dc->arena);
		p->ref.hidden = (int)db_col_int(st, 12);
		p->kind = db_col_dup(st, 13, dc->arena);
		p->title = db_col_dup(st, 14, dc->arena);
		p->author_name = db_col_dup(st, 15, dc->arena);
		p->author_handle = db_col_dup(st, 16, dc->arena);
		p->group_name = db_col_dup(st, 17, dc->arena);
		p->created_at = db_col_int(st, 18);
		p->updated_at = db_col_int(st, 19);
		p->last_activity_at = db_col_int(st, 20);
		p->reply_count = db_col_int(st, 21);
		p->useful_count = db_col_int(st, 22);
		p->revision = db_col_int(st, 23);
		/* Excerpts are cut by bytes: drop a split character at the end. */
		{
			char *e = (char *)a->excerpt;
			size_t len = strlen(e);
			size_t i = len;

			while (i > 0 && ((unsigned char)e[i - 1] & 0xC0) == 0x80)
				i--;
			if (i > 0 && (unsigned char)e[i - 1] >= 0xC0) {
				unsigned char lead = (unsigned char)e[i - 1];
				size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
				if (len - (i - 1) < need)
					e[i - 1] = '\0';
			}
		}
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}
