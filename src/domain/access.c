/* The access rules (see access.h); tests/unit/test_access.c checks that the
 * C rules, the SQL predicates and the rules as written agree. */
#include "domain/access.h"

#include <string.h>

#include "domain/posts.h"
#include "util/arena.h"
#include "util/text.h"

static enum group_role role_of(const char *role, const char *state)
{
	if (!strcmp(state, "invited"))
		return GR_INVITED;
	if (!strcmp(state, "requested"))
		return GR_REQUESTED;
	if (!strcmp(role, "owner"))
		return GR_OWNER;
	if (!strcmp(role, "moderator"))
		return GR_MODERATOR;
	return GR_MEMBER;
}

/* Every standing of user in one statement, in order of group (at most
 * ROLES_MAX; more: nroles -1 and each group is asked on its own). */
#define ROLES_MAX 512
static void load_roles(struct dctx *dc, int64_t user)
{
	struct db_stmt *st;
	int n = 0;

	dc->roles_user = 0;
	if (!dc->roles && !(dc->roles = arena_alloc(dc->arena, sizeof *dc->roles * ROLES_MAX)))
		return;
	st = db_query(dc->db, "SELECT group_id, role, state FROM group_members WHERE user_id = ?"
		      " ORDER BY group_id LIMIT ?", "ii", user, (int64_t)ROLES_MAX + 1);
	while (st && db_step(st) == DB_ROW) {
		if (n == ROLES_MAX) {
			n = -1;
			break;
		}
		dc->roles[n].group_id = db_col_int(st, 0);
		dc->roles[n].role = role_of(db_col_text(st, 1), db_col_text(st, 2));
		n++;
	}
	if (db_finish(st) < 0)
		return;
	dc->nroles = n;
	dc->roles_user = user;
}

void access_forget_roles(struct dctx *dc)
{
	dc->roles_user = 0;
}

enum group_role access_group_role(struct dctx *dc, const struct viewer *v, int64_t group_id)
{
	struct db_stmt *st;
	enum group_role r = GR_NONE;

	if (!v || !v->id || group_id <= 0)
		return GR_NONE;
	if (dc->memo_roles && dc->roles_user != v->id)
		load_roles(dc, v->id);
	if (dc->memo_roles && dc->roles_user == v->id && dc->nroles >= 0) {
		int lo = 0, hi = dc->nroles - 1;

		while (lo <= hi) {
			int mid = lo + (hi - lo) / 2;

			if (dc->roles[mid].group_id == group_id)
				return (enum group_role)dc->roles[mid].role;
			if (dc->roles[mid].group_id < group_id)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		return GR_NONE;
	}
	st = db_query(dc->db, "SELECT role, state FROM group_members WHERE group_id = ? AND user_id = ?",
		      "ii", group_id, v->id);
	if (st && db_step(st) == DB_ROW)
		r = role_of(db_col_text(st, 0), db_col_text(st, 1));
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

static const struct db_field ref_fields[] = {
	DB_FIELD(DBF_INT, struct post_ref, id),
	DB_FIELD(DBF_ID, struct post_ref, author_id),
	DB_FIELD(DBF_ID, struct post_ref, group_id),
	DB_FIELD(DBF_TEXT, struct post_ref, visibility),
	DB_FIELD(DBF_TEXT_OR_NULL, struct post_ref, group_visibility),
	DB_FIELD(DBF_FLAG, struct post_ref, hidden),
};

void access_read_ref(struct dctx *dc, struct db_stmt *st, int c, struct post_ref *out)
{
	db_read_fields(st, c, dc->arena, out, ref_fields, DB_FIELDS_N(ref_fields));
}

enum derr access_load_post(struct dctx *dc, int64_t post_id, struct post_ref *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (post_id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " ACCESS_REF_COLUMNS("p") " FROM posts p LEFT JOIN groups g ON g.id = p.group_id"
		      " WHERE p.id = ?", "i", post_id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW)
		access_read_ref(dc, st, 0, out);
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

/* ---- the table of kinds ------------------------------------------------- */

/* A document's facts, in the post shape (a document follows the post rule). */
static enum derr load_document_ref(struct dctx *dc, int64_t id, struct post_ref *out)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " ACCESS_REF_COLUMNS("d") " FROM documents d LEFT JOIN groups g ON g.id = d.group_id"
		      " WHERE d.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW)
		access_read_ref(dc, st, 0, out);
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

/* One row's (parent id, owner id, hidden flag) by a statement taking the id. */
static enum derr load_row3(struct dctx *dc, const char *sql, int64_t id, int64_t *parent, int64_t *owner, int *hidden)
{
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, sql, "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*parent = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
		*owner = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		*hidden = (int)db_col_int(st, 2);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

static enum derr load_post(struct dctx *dc, int64_t id, struct access_item *it)
{
	return access_load_post(dc, id, &it->post);
}

static enum derr load_reply(struct dctx *dc, int64_t id, struct access_item *it)
{
	enum derr rc = load_row3(dc, "SELECT post_id, author_id, hidden_at IS NOT NULL FROM replies WHERE id = ?",
				 id, &it->parent_id, &it->owner_id, &it->hidden);

	return rc == D_OK ? access_load_post(dc, it->parent_id, &it->post) : rc;
}

static enum derr load_document(struct dctx *dc, int64_t id, struct access_item *it)
{
	return load_document_ref(dc, id, &it->post);
}

/* A version: id is the document's; versions share its rule. */
static enum derr load_version(struct dctx *dc, int64_t id, struct access_item *it)
{
	return load_document_ref(dc, id, &it->post);
}

static enum derr load_comment(struct dctx *dc, int64_t id, struct access_item *it)
{
	enum derr rc = load_row3(dc, "SELECT document_id, author_id, hidden_at IS NOT NULL FROM document_comments"
				 " WHERE id = ?", id, &it->parent_id, &it->owner_id, &it->hidden);

	return rc == D_OK ? load_document_ref(dc, it->parent_id, &it->post) : rc;
}

static enum derr load_group(struct dctx *dc, int64_t id, struct access_item *it)
{
	return access_load_group(dc, id, &it->group);
}

static enum derr load_room(struct dctx *dc, int64_t id, struct access_item *it)
{
	return id > 0 ? access_load_room(dc, id, &it->room) : D_NOT_FOUND;
}

static enum derr load_message(struct dctx *dc, int64_t id, struct access_item *it)
{
	enum derr rc = load_row3(dc, "SELECT room_id, author_id, 0 FROM chat_messages WHERE id = ?", id,
				 &it->parent_id, &it->owner_id, &it->hidden);

	return rc == D_OK ? access_load_room(dc, it->parent_id, &it->room) : rc;
}

static enum derr load_notification(struct dctx *dc, int64_t id, struct access_item *it)
{
	return load_row3(dc, "SELECT 0, user_id, 0 FROM notifications WHERE id = ?", id, &it->parent_id,
			 &it->owner_id, &it->hidden);
}

static enum derr load_user(struct dctx *dc, int64_t id, struct access_item *it)
{
	int64_t active = 0;
	int found;

	if (id <= 0)
		return D_NOT_FOUND;
	found = db_int(dc->db, &active, "SELECT 1 FROM users WHERE id = ? AND " ACCESS_USER_SQL("users"), "i", id);
	if (found < 0)
		return D_INTERNAL;
	it->owner_id = id;
	return found == 1 ? D_OK : D_NOT_FOUND;
}

static enum derr load_session(struct dctx *dc, int64_t id, struct access_item *it)
{
	return load_row3(dc, "SELECT 0, user_id, 0 FROM sessions WHERE id = ?", id, &it->parent_id, &it->owner_id,
			 &it->hidden);
}

/* The rules, one pair a kind. */
static int see_post(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_see_post(dc, v, &it->post);
}

static int edit_post(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_edit_post(dc, v, &it->post);
}

static int moderate_post(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_moderate_post(dc, v, &it->post);
}

static int see_reply(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_see_reply(dc, v, &it->post, it->owner_id, it->hidden);
}

/* A reply is edited and deleted by its author and those who moderate its post. */
static int edit_reply(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_reply(dc, v, it) && v->id &&
	       (it->owner_id == v->id || access_may_moderate_post(dc, v, &it->post));
}

/* Hidden comments are seen by nobody (they wait for removal). */
static int see_comment(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return !it->hidden && access_may_see_post(dc, v, &it->post);
}

/* A comment is deleted by its author and by those who may edit its document. */
static int edit_comment(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_comment(dc, v, it) && v->id && (it->owner_id == v->id || access_may_edit_post(dc, v, &it->post));
}

static int see_group(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_see_group(dc, v, &it->group);
}

static int moderate_group(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_group(dc, v, it) && access_may_moderate_group(dc, v, it->group.id);
}

static int see_members(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_see_group_members(dc, v, &it->group);
}

/* A group's rooms: its current members (who sees the group sees that it has rooms, not them). */
static int see_group_rooms(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return v && v->id && access_group_role(dc, v, it->group.id) >= GR_MEMBER;
}

static int see_room(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_may_see_room(dc, v, &it->room);
}

/* A group room is managed by the group's moderators; a conversation by nobody. */
static int manage_room(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_room(dc, v, it) && !strcmp(it->room.kind, "group") &&
	       access_may_moderate_group(dc, v, it->room.group_id);
}

static int own_message(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_room(dc, v, it) && v->id && it->owner_id == v->id;
}

/* One's own notification, while what it is about stays visible. */
static int see_notification(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	int64_t n = 0;

	if (!v || !v->id || it->owner_id != v->id)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM notifications n WHERE n.id = ? AND " ACCESS_NOTIFICATION_SQL,
		      "i" ACCESS_NOTIFICATION_TYPES, it->id, ACCESS_NOTIFICATION_ARGS(v)) == 1;
}

/* Profiles are for members: any active account, to anyone signed in. */
static int see_user(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	(void)dc;
	(void)it;
	return v && v->id > 0;
}

static int self_only(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	(void)dc;
	return v && v->id && it->owner_id == v->id;
}

/* Innovation records: who sees them, edits them (the team, admins) and
 * sets their support (advisers of their academy, admins). */
static enum derr load_innovation(struct dctx *dc, int64_t id, struct access_item *it)
{
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT coordinator_id, hidden_at IS NOT NULL, visibility, academy FROM innovations"
		      " WHERE id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		it->owner_id = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
		it->hidden = (int)db_col_int(st, 1);
		it->visibility = db_col_dup(st, 2, dc->arena);
		it->academy = db_col_dup(st, 3, dc->arena);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

int access_innovation_team(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	int64_t n = 0;

	if (!v || !v->id)
		return 0;
	if (it->owner_id == v->id)
		return 1;
	return db_int(dc->db, &n, "SELECT 1 FROM innovation_coauthors WHERE innovation_id = ? AND user_id = ?", "ii",
		      it->id, v->id) == 1;
}

int access_is_adviser_of(struct dctx *dc, const struct viewer *v, const char *academy)
{
	int64_t n = 0;

	if (!v || !v->id || !academy)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND adviser_academy = ?", "is", v->id,
		      academy) == 1;
}

enum derr access_innovation_queue(struct dctx *dc, const struct viewer *v, const char **academy)
{
	struct db_stmt *st;
	enum derr rc = D_NOT_FOUND;

	*academy = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	if (v->admin)
		return D_OK;
	st = db_query(dc->db, "SELECT adviser_academy FROM users WHERE id = ? AND adviser_academy IS NOT NULL", "i",
		      v->id);
	if (!st)
		return D_INTERNAL;
	if (db_step(st) == DB_ROW) {
		*academy = db_col_dup(st, 0, dc->arena);
		rc = *academy ? D_OK : D_INTERNAL;
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc;
}

static int see_innovation(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	if (!it->visibility || (strcmp(it->visibility, "public") && !(v && v->id)))
		return 0;
	return !it->hidden || (v && v->admin) || access_innovation_team(dc, v, it);
}

static int edit_innovation(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_innovation(dc, v, it) && v && v->id && (v->admin || access_innovation_team(dc, v, it));
}

static int support_innovation(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_innovation(dc, v, it) && v && v->id && (v->admin || access_is_adviser_of(dc, v, it->academy));
}

/* Events: the post rule (visibilities public, members, group); organised
 * by their creator, their group's owners and admins. */
static enum derr load_event(struct dctx *dc, int64_t id, struct access_item *it)
{
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT e.id, e.author_id, e.group_id, e.visibility, g.visibility, 0 FROM events e"
		      " LEFT JOIN groups g ON g.id = e.group_id WHERE e.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		access_read_ref(dc, st, 0, &it->post);
		it->owner_id = it->post.author_id;
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

int access_event_organiser(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	if (!v || !v->id)
		return 0;
	return v->admin || (it->post.author_id && it->post.author_id == v->id) ||
	       (it->post.group_id && access_group_role(dc, v, it->post.group_id) == GR_OWNER);
}

static int organise_event(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_post(dc, v, it) && access_event_organiser(dc, v, it);
}

/* Calls for proposals: seen by whoever sees their group (no group: all);
 * managed by admins and the owners of their group. */
static enum derr load_call(struct dctx *dc, int64_t id, struct access_item *it)
{
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT COALESCE(c.group_id, 0), COALESCE(g.visibility, '') FROM calls c"
		      " LEFT JOIN groups g ON g.id = c.group_id WHERE c.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		it->group.id = db_col_int(st, 0);
		it->group.visibility = db_col_dup(st, 1, dc->arena);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

int access_call_manager(struct dctx *dc, const struct viewer *v, int64_t group_id)
{
	if (!v || !v->id)
		return 0;
	if (v->admin)
		return 1;
	return group_id > 0 && access_group_role(dc, v, group_id) == GR_OWNER;
}

static int see_call(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	if (!it->group.id)
		return 1;
	return it->group.visibility && access_may_see_group(dc, v, &it->group);
}

static int manage_call(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return see_call(dc, v, it) && access_call_manager(dc, v, it->group.id);
}

/* Proposals: their authors, the call's managers, their assigned reviewers. */
static enum derr load_proposal(struct dctx *dc, int64_t id, struct access_item *it)
{
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT p.call_id, COALESCE(p.author_id, 0), COALESCE(c.group_id, 0)"
		      " FROM proposals p JOIN calls c ON c.id = p.call_id WHERE p.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		it->parent_id = db_col_int(st, 0);
		it->owner_id = db_col_int(st, 1);
		it->group.id = db_col_int(st, 2);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

int access_proposal_author(struct dctx *dc, const struct viewer *v, int64_t proposal_id)
{
	int64_t n = 0;

	if (!v || !v->id)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM proposal_authors WHERE proposal_id = ? AND user_id = ?", "ii",
		      proposal_id, v->id) == 1;
}

int access_proposal_reviewer(struct dctx *dc, const struct viewer *v, int64_t proposal_id)
{
	int64_t n = 0;

	if (!v || !v->id)
		return 0;
	return db_int(dc->db, &n, "SELECT 1 FROM proposal_assignments WHERE proposal_id = ? AND reviewer_id = ?"
		      " LIMIT 1", "ii", proposal_id, v->id) == 1;
}

static int see_proposal(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	if (!v || !v->id)
		return 0;
	return access_call_manager(dc, v, it->group.id) || access_proposal_author(dc, v, it->id) ||
	       access_proposal_reviewer(dc, v, it->id);
}

static int edit_proposal(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_proposal_author(dc, v, it->id);
}

static int decide_proposal(struct dctx *dc, const struct viewer *v, const struct access_item *it)
{
	return access_call_manager(dc, v, it->group.id);
}

static const struct access_kind_entry kinds[] = {
	{ AK_POST,          "post",          load_post,         see_post,         edit_post,      moderate_post,
	  ACCESS_POST_SQL },
	{ AK_REPLY,         "reply",         load_reply,        see_reply,        edit_reply,     moderate_post,
	  ACCESS_POST_SQL " AND " ACCESS_REPLY_SQL("r") },
	{ AK_DOCUMENT,      "document",      load_document,     see_post,         edit_post,      moderate_post,
	  ACCESS_DOCUMENT_SQL },
	{ AK_DOC_VERSION,   "document version", load_version,   see_post,         edit_post,      moderate_post,
	  ACCESS_DOCUMENT_SQL },
	{ AK_COMMENT,       "document comment", load_comment,   see_comment,      edit_comment,   moderate_post,
	  ACCESS_DOCUMENT_SQL " AND " ACCESS_COMMENT_SQL("c") },
	{ AK_GROUP,         "group",         load_group,        see_group,        moderate_group, moderate_group,
	  ACCESS_GROUP_SQL },
	{ AK_GROUP_MEMBERS, "group members", load_group,        see_members,      moderate_group, moderate_group,
	  NULL },
	{ AK_GROUP_ROOMS,   "group rooms",   load_group,        see_group_rooms,  moderate_group, moderate_group,
	  NULL },
	{ AK_ROOM,          "room",          load_room,         see_room,         manage_room,    manage_room,
	  ACCESS_ROOM_SQL("r") },
	{ AK_MESSAGE,       "room message",  load_message,      see_room,         own_message,    manage_room,
	  ACCESS_ROOM_SQL("r") },
	{ AK_NOTIFICATION,  "notification",  load_notification, see_notification, see_notification, NULL,
	  ACCESS_NOTIFICATION_SQL },
	{ AK_USER,          "user",          load_user,         see_user,         self_only,      NULL,
	  ACCESS_USER_SQL("u") },
	{ AK_SESSION,       "session",       load_session,      self_only,        self_only,      NULL,
	  NULL },
	{ AK_INNOVATION,    "innovation",    load_innovation,   see_innovation,   edit_innovation, support_innovation,
	  ACCESS_INNOVATION_SQL },
	{ AK_EVENT,         "event",         load_event,        see_post,         organise_event, NULL,
	  ACCESS_EVENT_SQL },
	{ AK_CALL,          "call",          load_call,         see_call,         manage_call,    manage_call,
	  ACCESS_CALL_SQL },
	{ AK_PROPOSAL,      "proposal",      load_proposal,     see_proposal,     edit_proposal,  decide_proposal,
	  ACCESS_PROPOSAL_SQL },
};

const struct access_kind_entry *access_kind_get(enum access_kind kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == kind)
			return &kinds[i];
	return NULL;
}

const char *access_kind_name(enum access_kind kind)
{
	const struct access_kind_entry *k = access_kind_get(kind);

	return k ? k->name : "?";
}

enum derr access_check_item(struct dctx *dc, const struct viewer *v, enum access_kind kind, int64_t id,
			    enum access_action action, struct access_item *out)
{
	const struct access_kind_entry *k = access_kind_get(kind);
	struct access_item local;
	struct access_item *it = out ? out : &local;
	enum derr rc;

	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->id = id;
	if (!k)
		return D_INTERNAL;
	rc = k->load(dc, id, it);
	if (rc != D_OK)
		return rc;
	return access_check_loaded(dc, v, it, action);
}

enum derr access_check_loaded(struct dctx *dc, const struct viewer *v, const struct access_item *it,
			      enum access_action action)
{
	static const struct viewer visitor = { 0 };
	const struct access_kind_entry *k = access_kind_get(it->kind);
	access_rule_fn rule;

	if (!k)
		return D_INTERNAL;
	if (!v)
		v = &visitor;
	if (!k->may_see(dc, v, it))
		return db_was_unavailable(dc->db) ? D_INTERNAL : D_NOT_FOUND;
	rule = action == AA_SEE ? NULL : action == AA_EDIT ? k->may_edit : k->may_moderate;
	if (action != AA_SEE && (!rule || !rule(dc, v, it)))
		return D_FORBIDDEN;
	return D_OK;
}

enum derr access_check(struct dctx *dc, const struct viewer *v, enum access_kind kind, int64_t id,
		       enum access_action action)
{
	return access_check_item(dc, v, kind, id, action, NULL);
}

int access_may_see_reply(struct dctx *dc, const struct viewer *v, const struct post_ref *post, int64_t author_id,
			 int hidden)
{
	if (!access_may_see_post(dc, v, post))
		return 0;
	if (!hidden)
		return 1;
	return v && v->id && (v->id == author_id || access_may_moderate_post(dc, v, post));
}
