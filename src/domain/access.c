/* The access rules (see access.h); tests/unit/test_access.c checks that the
 * C rules, the SQL predicates and the rules as written agree. */
#include "domain/access.h"

#include <string.h>

#include "domain/posts.h"
#include "util/text.h"

enum group_role access_group_role(struct dctx *dc, const struct viewer *v, int64_t group_id)
{
	struct db_stmt *st;
	enum group_role r = GR_NONE;

	if (!v || !v->id || group_id <= 0)
		return GR_NONE;
	st = db_query(dc->db, "SELECT role, state FROM group_members WHERE group_id = ? AND user_id = ?",
		      "ii", group_id, v->id);
	if (st && db_step(st) == DB_ROW) {
		const char *role = db_col_text(st, 0), *state = db_col_text(st, 1);

		if (!strcmp(state, "invited"))
			r = GR_INVITED;
		else if (!strcmp(state, "requested"))
			r = GR_REQUESTED;
		else if (!strcmp(role, "owner"))
			r = GR_OWNER;
		else if (!strcmp(role, "moderator"))
			r = GR_MODERATOR;
		else
			r = GR_MEMBER;
	}
	db_finish(st);
	return r;
}

int access_is_contact(struct dctx *dc, int64_t a, int64_t b)
{
	int64_t n = 0;

	if (a <= 0 || b <= 0 || a == b)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM contacts WHERE state = 'accepted' AND"
		      " ((requester_id = ? AND addressee_id = ?) OR (requester_id = ? AND addressee_id = ?))",
		      "iiii", a, b, b, a) == 1;
}

int access_may_see_group(struct dctx *dc, const struct viewer *v, const struct group_ref *g)
{
	enum group_role r;

	if (!strcmp(g->visibility, "open"))
		return 1;
	if (!v || !v->id)
		return 0;
	if (!strcmp(g->visibility, "closed"))
		return 1;
	r = access_group_role(dc, v, g->id);
	return r == GR_INVITED || r >= GR_MEMBER;
}

int access_may_see_group_members(struct dctx *dc, const struct viewer *v, const struct group_ref *g)
{
	if (!v || !v->id)
		return 0;
	if (!strcmp(g->visibility, "open"))
		return 1;
	return access_group_role(dc, v, g->id) >= GR_MEMBER;
}

int access_may_moderate_group(struct dctx *dc, const struct viewer *v, int64_t group_id)
{
	return v && v->id && access_group_role(dc, v, group_id) >= GR_MODERATOR;
}

int access_may_see_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p)
{
	int64_t me = v ? v->id : 0;
	enum group_role gr = GR_NONE;
	int vis_ok;

	if (p->group_id) {
		gr = access_group_role(dc, v, p->group_id);
		if (!(p->group_visibility && !strcmp(p->group_visibility, "open") &&
		      (!strcmp(p->visibility, "members") || !strcmp(p->visibility, "public"))) &&
		    gr < GR_MEMBER)
			return 0;
	}
	if (!strcmp(p->visibility, "public"))
		vis_ok = 1;
	else if (!strcmp(p->visibility, "members"))
		vis_ok = me > 0;
	else if (!strcmp(p->visibility, "contacts"))
		vis_ok = me > 0 && (me == p->author_id || access_is_contact(dc, me, p->author_id));
	else if (!strcmp(p->visibility, "group"))
		vis_ok = p->group_id > 0; /* membership checked above */
	else if (!strcmp(p->visibility, "private"))
		vis_ok = me > 0 && me == p->author_id;
	else
		vis_ok = 0;
	if (!vis_ok)
		return 0;
	if (p->hidden)
		return me > 0 && (me == p->author_id || v->admin || gr >= GR_MODERATOR);
	return 1;
}

int access_may_edit_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p)
{
	if (!v || !v->id || !access_may_see_post(dc, v, p))
		return 0;
	return v->id == p->author_id || v->admin ||
	       (p->group_id && access_group_role(dc, v, p->group_id) >= GR_MODERATOR);
}

int access_may_moderate_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p)
{
	if (!v || !v->id || !access_may_see_post(dc, v, p))
		return 0;
	return v->admin || (p->group_id && access_group_role(dc, v, p->group_id) >= GR_MODERATOR);
}

enum derr access_load_post(struct dctx *dc, int64_t post_id, struct post_ref *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (post_id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT p.id, p.author_id, p.group_id, p.visibility, g.visibility,"
		      " p.hidden_at IS NOT NULL FROM posts p LEFT JOIN groups g ON g.id = p.group_id"
		      " WHERE p.id = ?", "i", post_id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->author_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		out->group_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		out->visibility = db_col_dup(st, 3, dc->arena);
		out->group_visibility = db_col_is_null(st, 4) ? NULL : db_col_dup(st, 4, dc->arena);
		out->hidden = (int)db_col_int(st, 5);
	}
	db_finish(st);
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

enum derr access_load_group(struct dctx *dc, int64_t group_id, struct group_ref *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (group_id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT id, visibility FROM groups WHERE id = ?", "i", group_id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->visibility = db_col_dup(st, 1, dc->arena);
	}
	db_finish(st);
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

enum derr access_visibility_ok(const char *vis, int64_t group_id, const char *group_vis)
{
	if (!text_one_of(vis, post_visibilities))
		return D_INVALID;
	if (!group_id)
		return strcmp(vis, "group") ? D_OK : D_INVALID;
	if (!strcmp(vis, "group"))
		return D_OK;
	if ((!strcmp(vis, "members") || !strcmp(vis, "public")) && group_vis && !strcmp(group_vis, "open"))
		return D_OK;
	return D_INVALID;
}

int access_public_post(struct dctx *dc, const struct post_ref *p)
{
	const struct viewer visitor = { 0 };

	return access_may_see_post(dc, &visitor, p);
}

int access_public_group(struct dctx *dc, const struct group_ref *g)
{
	const struct viewer visitor = { 0 };

	return access_may_see_group(dc, &visitor, g);
}

int access_admin_may_moderate_reported(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id)
{
	int64_t n = 0;

	if (!v || !v->id || !v->admin)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM reports WHERE post_id = ? AND COALESCE(reply_id, 0) = ? LIMIT 1",
		      "ii", post_id, reply_id) == 1;
}

int access_moderates_something(struct dctx *dc, const struct viewer *v)
{
	int64_t n = 0;

	if (!v || !v->id)
		return 0;
	if (v->admin)
		return 1;
	return db_int(dc->db, &n, "SELECT 1 FROM group_members WHERE user_id = ? AND state = 'member'"
		      " AND role IN ('owner','moderator') LIMIT 1", "i", v->id) == 1;
}

int access_may_see_room(struct dctx *dc, const struct viewer *v, const struct room_ref *r)
{
	int64_t n = 0;

	if (!v || !v->id || !r)
		return 0;
	if (!strcmp(r->kind, "group"))
		return access_group_role(dc, v, r->group_id) >= GR_MEMBER;
	return db_int(dc->db, &n, "SELECT 1 FROM chat_participants WHERE room_id = ? AND user_id = ?", "ii", r->id,
		      v->id) == 1;
}

enum derr access_load_room(struct dctx *dc, int64_t room_id, struct room_ref *out)
{
	struct db_stmt *st = db_query(dc->db, "SELECT id, kind, COALESCE(group_id, 0) FROM chat_rooms WHERE id = ?",
				      "i", room_id);
	int step = st ? db_step(st) : DB_ERR;

	if (step == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->kind = db_col_dup(st, 1, dc->arena);
		out->group_id = db_col_int(st, 2);
	}
	if (db_finish(st) < 0 || step == DB_ERR)
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	return out->kind ? D_OK : D_INTERNAL;
}
