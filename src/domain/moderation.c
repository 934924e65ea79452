#include "domain/moderation.h"

#include <string.h>

#include "domain/posts.h"
#include "util/text.h"

enum derr report_create(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id,
			const char *reason, int64_t *id, const char **field)
{
	struct post p;
	struct reply r;
	struct db_stmt *st;
	enum derr rc;

	if (reply_id) {
		rc = reply_get(dc, v, reply_id, &r, NULL);
		if (rc == D_OK && post_id && r.post_id != post_id)
			rc = D_NOT_FOUND;
		post_id = rc == D_OK ? r.post_id : post_id;
	} else {
		rc = post_get(dc, v, post_id, &p);
	}
	if (rc != D_OK)
		return rc;
	*field = "reason";
	if (!reason || !text_ok(reason, 1) || utf8_len(reason) < 1 || utf8_len(reason) > REPORT_REASON_MAX)
		return D_INVALID;
	*field = NULL;
	st = db_query(dc->db, "INSERT INTO reports (post_id, reply_id, reporter_id, reason, created_at)"
		      " VALUES (?, NULLIF(?, 0), ?, ?, ?) RETURNING id", "iiisi", post_id, reply_id, v->id,
		      reason, dc->now);
	rc = D_INTERNAL;
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = D_OK;
	}
	db_finish(st);
	return rc;
}

int reports_queue(struct dctx *dc, const struct viewer *v, struct report **out)
{
	struct db_stmt *st;
	int kept = 0, cap = 200;

	*out = arena_alloc(dc->arena, sizeof **out * (size_t)cap);
	st = db_query(dc->db, "SELECT rp.id, rp.post_id, COALESCE(rp.reply_id, 0), COALESCE(rp.reporter_id, 0),"
		      " COALESCE(p.group_id, 0), u.name, rp.reason, p.title,"
		      " substr(COALESCE(r.body, p.body), 1, 280), rp.created_at,"
		      " CASE WHEN rp.reply_id IS NULL THEN p.hidden_at IS NOT NULL ELSE r.hidden_at IS NOT NULL END"
		      " FROM reports rp JOIN posts p ON p.id = rp.post_id LEFT JOIN replies r ON r.id = rp.reply_id"
		      " LEFT JOIN users u ON u.id = rp.reporter_id"
		      " WHERE rp.resolved_at IS NULL ORDER BY rp.id LIMIT 2000", "");
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (kept < cap && db_step(st) == DB_ROW) {
		struct report *x = &(*out)[kept];
		struct post_ref ref;

		x->id = db_col_int(st, 0);
		x->post_id = db_col_int(st, 1);
		x->reply_id = db_col_int(st, 2);
		x->reporter_id = db_col_int(st, 3);
		x->group_id = db_col_int(st, 4);
		x->reporter_name = db_col_dup(st, 5, dc->arena);
		x->reason = db_col_dup(st, 6, dc->arena);
		x->post_title = db_col_dup(st, 7, dc->arena);
		x->excerpt = db_col_dup(st, 8, dc->arena);
		x->created_at = db_col_int(st, 9);
		x->hidden = (int)db_col_int(st, 10);
		/* Keep what this viewer moderates: the access module decides. */
		if (access_load_post(dc, x->post_id, &ref) == D_OK &&
		    (access_may_moderate_post(dc, v, &ref) ||
		     access_admin_may_moderate_reported(dc, v, x->post_id, x->reply_id)))
			kept++;
	}
	if (db_finish(st) < 0)
		return -1;
	return kept;
}

enum derr moderate(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id,
		   int hide, const char *note)
{
	struct post_ref ref;
	struct reply r;
	enum derr rc;
	int64_t n;

	int reported = 0;

	if (reply_id) {
		rc = reply_get(dc, v, reply_id, &r, &ref);
		if (rc == D_NOT_FOUND && v->admin) {
			/* out of the admin's sight, but reported to the moderators */
			int64_t pid = 0;

			if (db_int(dc->db, &pid, "SELECT post_id FROM replies WHERE id = ?", "i", reply_id) == 1 &&
			    access_admin_may_moderate_reported(dc, v, pid, reply_id) &&
			    access_load_post(dc, pid, &ref) == D_OK) {
				r.post_id = pid;
				reported = 1;
				rc = D_OK;
			}
		}
		if (rc == D_OK && post_id && r.post_id != post_id)
			rc = D_NOT_FOUND;
		if (rc == D_OK)
			post_id = r.post_id;
	} else {
		rc = access_load_post(dc, post_id, &ref);
		if (rc == D_OK && !access_may_see_post(dc, v, &ref)) {
			reported = access_admin_may_moderate_reported(dc, v, post_id, 0);
			if (!reported)
				rc = D_NOT_FOUND;
		}
	}
	if (rc != D_OK)
		return rc;
	if (!reported && !access_may_moderate_post(dc, v, &ref))
		return D_FORBIDDEN;
	if (note && (!text_ok(note, 1) || utf8_len(note) > REPORT_REASON_MAX))
		return D_INVALID;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (reply_id)
		n = db_exec(dc->db, hide ? "UPDATE replies SET hidden_at = ? WHERE id = ? AND hidden_at IS NULL"
				       : "UPDATE replies SET hidden_at = NULL WHERE ? > 0 AND id = ? AND hidden_at IS NOT NULL",
			    "ii", dc->now, reply_id);
	else
		n = db_exec(dc->db, hide ? "UPDATE posts SET hidden_at = ? WHERE id = ? AND hidden_at IS NULL"
				       : "UPDATE posts SET hidden_at = NULL WHERE ? > 0 AND id = ? AND hidden_at IS NOT NULL",
			    "ii", dc->now, post_id);
	rc = n < 0 ? D_INTERNAL : n == 0 ? D_CONFLICT : D_OK;
	/* reply_count counts what everyone may read: hidden replies are left out. */
	if (rc == D_OK && reply_id &&
	    db_exec(dc->db, "UPDATE posts SET reply_count = (SELECT COUNT(*) FROM replies WHERE post_id = ?"
		    " AND hidden_at IS NULL) WHERE id = ?", "ii", post_id, post_id) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && hide &&
	    db_exec(dc->db, "UPDATE reports SET resolved_at = ?, resolved_by = ?, resolution = 'hidden'"
		    " WHERE resolved_at IS NULL AND post_id = ? AND COALESCE(reply_id, 0) = ?", "iiii",
		    dc->now, v->id, post_id, reply_id) < 0)
		rc = D_INTERNAL;
	if (rc == D_OK &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, reply_id, group_id, detail, created_at,"
		    " item_kind, item_id) VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?)", "isiiisisi", v->id,
		    hide ? (reply_id ? "reply_hide" : "post_hide") : (reply_id ? "reply_restore" : "post_restore"),
		    post_id, reply_id, ref.group_id, note ? note : "", dc->now, reply_id ? "reply" : "post",
		    reply_id ? reply_id : post_id) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr report_dismiss(struct dctx *dc, const struct viewer *v, int64_t report_id)
{
	struct post_ref ref;
	int64_t post_id = 0, group = 0;
	int found = db_int(dc->db, &post_id, "SELECT post_id FROM reports WHERE id = ? AND resolved_at IS NULL",
			   "i", report_id);

	if (found <= 0)
		return found < 0 ? D_INTERNAL : D_NOT_FOUND;
	if (access_load_post(dc, post_id, &ref) != D_OK || !access_may_see_post(dc, v, &ref))
		return D_NOT_FOUND;
	if (!access_may_moderate_post(dc, v, &ref))
		return D_FORBIDDEN;
	group = ref.group_id;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (db_exec(dc->db, "UPDATE reports SET resolved_at = ?, resolved_by = ?, resolution = 'dismissed'"
		    " WHERE id = ?", "iii", dc->now, v->id, report_id) != 1 ||
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, group_id, detail, created_at, item_kind,"
		    " item_id) VALUES (?, 'report_dismiss', ?, NULLIF(?, 0), '', ?, 'post', ?)", "iiiii", v->id, post_id,
		    group, dc->now, post_id) != 1 ||
	    db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int audit_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
	       struct audit_entry **out, int64_t *next)
{
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (limit < 1 || limit > 200)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	st = db_query(dc->db, "SELECT l.id, COALESCE(l.actor_id, 0), COALESCE(l.post_id, 0), COALESCE(l.reply_id, 0),"
		      " COALESCE(l.group_id, 0), COALESCE(l.target_user_id, 0), l.created_at, u.name, l.action, l.detail"
		      " FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id"
		      " WHERE " ACCESS_AUDIT_SQL("l")
		      " AND (? = 0 OR l.id < ?) ORDER BY l.id DESC LIMIT ?", ACCESS_AUDIT_TYPES "iii",
		      ACCESS_AUDIT_ARGS(v), before, before, (int64_t)limit + 1);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		struct audit_entry *e;

		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		e = &(*out)[n++];
		e->id = db_col_int(st, 0);
		e->actor_id = db_col_int(st, 1);
		e->post_id = db_col_int(st, 2);
		e->reply_id = db_col_int(st, 3);
		e->group_id = db_col_int(st, 4);
		e->target_user_id = db_col_int(st, 5);
		e->created_at = db_col_int(st, 6);
		e->actor_name = db_col_dup(st, 7, dc->arena);
		e->action = db_col_dup(st, 8, dc->arena);
		e->detail = db_col_dup(st, 9, dc->arena);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}
