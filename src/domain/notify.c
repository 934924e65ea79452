#include "domain/notify.h"

#include "domain/access.h"

static int64_t opt(int64_t id) { return id; }

int notify(struct dctx *dc, int64_t user, const char *kind, int64_t actor, int64_t post,
	   int64_t reply, int64_t group)
{
	if (user <= 0 || user == actor)
		return 0;
	dctx_wake(dc, user);
	/* NULLIF keeps 0 out of the foreign keys. */
	return db_exec(dc->db, "INSERT INTO notifications (user_id, kind, actor_id, post_id, reply_id,"
		       " group_id, created_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0),"
		       " NULLIF(?, 0), ?)", "isiiiii", user, kind, opt(actor), opt(post), opt(reply),
		       opt(group), dc->now) < 0 ? -1 : 0;
}

/* A notification is shown when its post (if any) is visible, its reply (if
 * any) is not hidden from the viewer (as in replies_list: its author and
 * those who moderate the post), and its group (if any, without a post) is
 * visible to the viewer. */
#define NOTIF_VISIBLE \
	" (n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p LEFT JOIN groups g ON g.id = p.group_id" \
	"   WHERE p.id = n.post_id AND " ACCESS_POST_SQL \
	"   AND (n.reply_id IS NULL OR EXISTS (SELECT 1 FROM replies nr WHERE nr.id = n.reply_id" \
	"     AND (nr.hidden_at IS NULL OR nr.author_id = ? OR ? = 1 OR EXISTS (SELECT 1 FROM group_members nm" \
	"       WHERE nm.group_id = p.group_id AND nm.user_id = ? AND nm.state = 'member'" \
	"       AND nm.role IN ('owner','moderator')))))))" \
	" AND (n.group_id IS NULL OR n.post_id IS NOT NULL OR EXISTS (SELECT 1 FROM groups g" \
	"   WHERE g.id = n.group_id AND " ACCESS_GROUP_SQL "))" \
	" AND (n.room_id IS NULL OR EXISTS (SELECT 1 FROM chat_rooms cr WHERE cr.id = n.room_id AND " \
	ACCESS_ROOM_SQL("cr") "))"
#define NOTIF_TYPES ACCESS_POST_TYPES "iii" ACCESS_GROUP_TYPES ACCESS_ROOM_TYPES
#define NOTIF_ARGS(v) ACCESS_POST_ARGS(v), (v)->id, (int64_t)((v)->admin ? 1 : 0), (v)->id, ACCESS_GROUP_ARGS(v), \
	ACCESS_ROOM_ARGS(v)

int notifications_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
		       struct notification **out, int64_t *next)
{
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 30;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	st = db_query(dc->db,
		      "SELECT n.id, n.kind, n.actor_id, u.name, n.post_id, n.reply_id, n.group_id,"
		      " (SELECT title FROM posts WHERE id = n.post_id),"
		      " (SELECT name FROM groups WHERE id = n.group_id), n.created_at, n.read_at IS NOT NULL, COALESCE(n.room_id, 0)"
		      " FROM notifications n LEFT JOIN users u ON u.id = n.actor_id"
		      " WHERE n.user_id = ? AND (? = 0 OR n.id < ?) AND" NOTIF_VISIBLE
		      " ORDER BY n.id DESC LIMIT ?",
		      "iii" NOTIF_TYPES "i", v->id, before, before, NOTIF_ARGS(v), (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		struct notification *x;

		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		x = &(*out)[n++];
		x->id = db_col_int(st, 0);
		x->kind = db_col_dup(st, 1, dc->arena);
		x->actor_id = db_col_int(st, 2);
		x->actor_name = db_col_dup(st, 3, dc->arena);
		x->post_id = db_col_int(st, 4);
		x->reply_id = db_col_int(st, 5);
		x->group_id = db_col_int(st, 6);
		x->post_title = db_col_dup(st, 7, dc->arena);
		x->group_name = db_col_dup(st, 8, dc->arena);
		x->created_at = db_col_int(st, 9);
		x->read = (int)db_col_int(st, 10);
		x->room_id = db_col_int(st, 11);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int notifications_since(struct dctx *dc, const struct viewer *v, int64_t after, int limit,
			struct notification **out)
{
	struct db_stmt *st;
	int n = 0;

	if (limit < 1 || limit > 100)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	st = db_query(dc->db,
		      "SELECT n.id, n.kind, n.actor_id, u.name, n.post_id, n.reply_id, n.group_id,"
		      " (SELECT title FROM posts WHERE id = n.post_id),"
		      " (SELECT name FROM groups WHERE id = n.group_id), n.created_at, n.read_at IS NOT NULL, COALESCE(n.room_id, 0)"
		      " FROM notifications n LEFT JOIN users u ON u.id = n.actor_id"
		      " WHERE n.user_id = ? AND n.id > ? AND" NOTIF_VISIBLE
		      " ORDER BY n.id LIMIT ?",
		      "ii" NOTIF_TYPES "i", v->id, after, NOTIF_ARGS(v), (int64_t)limit);
	if (!st)
		return -1;
	while (n < limit && db_step(st) == DB_ROW) {
		struct notification *x = &(*out)[n++];

		x->id = db_col_int(st, 0);
		x->kind = db_col_dup(st, 1, dc->arena);
		x->actor_id = db_col_int(st, 2);
		x->actor_name = db_col_dup(st, 3, dc->arena);
		x->post_id = db_col_int(st, 4);
		x->reply_id = db_col_int(st, 5);
		x->group_id = db_col_int(st, 6);
		x->post_title = db_col_dup(st, 7, dc->arena);
		x->group_name = db_col_dup(st, 8, dc->arena);
		x->created_at = db_col_int(st, 9);
		x->read = (int)db_col_int(st, 10);
		x->room_id = db_col_int(st, 11);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int64_t notifications_unread(struct dctx *dc, const struct viewer *v)
{
	int64_t n = 0;

	if (!v->id)
		return 0;
	if (db_int(dc->db, &n, "SELECT COUNT(*) FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL"
		   " AND" NOTIF_VISIBLE, "i" NOTIF_TYPES, v->id, NOTIF_ARGS(v)) < 0)
		return -1;
	return n;
}

enum derr notifications_mark_read(struct dctx *dc, const struct viewer *v, int64_t id)
{
	int64_t n = db_exec(dc->db, "UPDATE notifications SET read_at = ? WHERE user_id = ?"
			    " AND read_at IS NULL AND (? = 0 OR id = ?)", "iiii", dc->now, v->id, id, id);

	if (n < 0)
		return D_INTERNAL;
	if (id && n == 0) {
		int64_t x;
		int rc = db_int(dc->db, &x, "SELECT 1 FROM notifications WHERE id = ? AND user_id = ?",
				"ii", id, v->id);
		return rc < 0 ? D_INTERNAL : rc == 0 ? D_NOT_FOUND : D_OK;
	}
	return D_OK;
}
