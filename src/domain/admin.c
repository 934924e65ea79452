#include "domain/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "domain/access.h"
#include "domain/innovations.h"
#include "domain/moderation.h"
#include "domain/settings.h"
#include "util/buf.h"
#include "util/text.h"

const char *const admin_statuses[] = { "pending", "active", "suspended", NULL };
const char *const admin_roles[] = { "member", "adviser", "trainer", "admin", NULL };

static int reason_ok(const char *reason)
{
	return reason && text_ok(reason, 1) && !text_blank(reason) && utf8_len(reason) <= ADMIN_REASON_MAX;
}

int admin_audit_write(struct dctx *dc, const struct viewer *v, const char *action, int64_t target_user,
		      const char *item_kind, int64_t item_id, const char *detail)
{
	return db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, target_user_id, item_kind, item_id, detail,"
		       " created_at) VALUES (?, ?, NULLIF(?, 0), ?, NULLIF(?, 0), ?, ?)", "isisisi", v->id, action,
		       target_user, item_kind ? item_kind : "", item_id, detail ? detail : "", dc->now) == 1 ? 0 : -1;
}

/* ---- members ------------------------------------------------------------ */

#define MEMBER_COLUMNS \
	"u.id, u.created_at, COALESCE((SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id), 0)," \
	" COALESCE(u.suspended_at, 0), u.name, u.email, u.handle," \
	" CASE u.status WHEN 'disabled' THEN 'suspended' ELSE u.status END," \
	" CASE WHEN u.site_role = 'admin' THEN 'admin' WHEN u.adviser_academy IS NOT NULL THEN 'adviser'" \
	"  WHEN u.trainer = 1 THEN 'trainer' ELSE 'member' END," \
	" u.academy, u.adviser_academy, u.suspend_reason," \
	" (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?)"

static const struct db_field member_fields[] = {
	DB_FIELD(DBF_INT, struct admin_member, id),
	DB_FIELD(DBF_INT, struct admin_member, created_at),
	DB_FIELD(DBF_INT, struct admin_member, last_seen_at),
	DB_FIELD(DBF_INT, struct admin_member, suspended_at),
	DB_FIELD(DBF_TEXT, struct admin_member, name),
	DB_FIELD(DBF_TEXT, struct admin_member, email),
	DB_FIELD(DBF_TEXT, struct admin_member, handle),
	DB_FIELD(DBF_TEXT, struct admin_member, status),
	DB_FIELD(DBF_TEXT, struct admin_member, role),
	DB_FIELD(DBF_TEXT, struct admin_member, academy),
	DB_FIELD(DBF_TEXT_OR_NULL, struct admin_member, adviser_academy),
	DB_FIELD(DBF_TEXT, struct admin_member, suspend_reason),
	DB_FIELD(DBF_FLAG, struct admin_member, sessions),
};

enum derr admin_members(struct dctx *dc, const struct viewer *v, const struct member_filter *f,
			struct admin_member **out, int *n, int64_t *next, const char **field)
{
	struct buf sql = BUF_INIT;
	struct db_value vals[16];
	struct db_stmt *st;
	int nv = 0;
	enum derr rc = D_INTERNAL;

	*n = 0;
	*next = 0;
	*field = NULL;
	if (!v->admin)
		return D_NOT_FOUND;
	if (f->status && *f->status && !text_one_of(f->status, admin_statuses))
		return *field = "status", D_INVALID;
	if (f->role && *f->role && !text_one_of(f->role, admin_roles))
		return *field = "role", D_INVALID;
	if (f->q && (!text_ok(f->q, 0) || utf8_len(f->q) > 200))
		return *field = "q", D_INVALID;
	if (f->academy && (!text_ok(f->academy, 0) || utf8_len(f->academy) > 100))
		return *field = "academy", D_INVALID;
	if (f->seen_within < 0 || f->seen_within > 3650)
		return *field = "seen_within", D_INVALID;
	if (f->unseen_for < 0 || f->unseen_for > 3650)
		return *field = "unseen_for", D_INVALID;
	*out = arena_alloc(dc->arena, sizeof **out * ADMIN_PAGE);
	if (!*out)
		return D_INTERNAL;
	buf_puts(&sql, "SELECT " MEMBER_COLUMNS " FROM users u WHERE 1 = 1");
	vals[nv++] = (struct db_value){ 'i', dc->now, NULL };
	if (f->q && *f->q) {
		char *like = arena_printf(dc->arena, "%%%s%%", f->q);

		buf_puts(&sql, " AND (lower(u.name) LIKE lower(?) OR lower(u.email) LIKE lower(?) OR u.handle LIKE lower(?))");
		for (int i = 0; i < 3; i++)
			vals[nv++] = (struct db_value){ 's', 0, like };
	}
	if (f->status && *f->status) {
		buf_puts(&sql, " AND u.status = ?");
		vals[nv++] = (struct db_value){ 's', 0, !strcmp(f->status, "suspended") ? "disabled" : f->status };
	}
	if (f->role && *f->role) {
		if (!strcmp(f->role, "admin"))
			buf_puts(&sql, " AND u.site_role = 'admin'");
		else if (!strcmp(f->role, "adviser"))
			buf_puts(&sql, " AND u.site_role <> 'admin' AND u.adviser_academy IS NOT NULL");
		else if (!strcmp(f->role, "trainer"))
			buf_puts(&sql, " AND u.site_role <> 'admin' AND u.adviser_academy IS NULL AND u.trainer = 1");
		else
			buf_puts(&sql, " AND u.site_role <> 'admin' AND u.adviser_academy IS NULL AND u.trainer = 0");
	}
	if (f->academy && *f->academy) {
		buf_puts(&sql, " AND u.academy = ?");
		vals[nv++] = (struct db_value){ 's', 0, f->academy };
	}
	if (f->seen_within) {
		buf_puts(&sql, " AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= ?)");
		vals[nv++] = (struct db_value){ 'i', dc->now - (int64_t)f->seen_within * 86400, NULL };
	}
	if (f->unseen_for) {
		buf_puts(&sql, " AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= ?)");
		vals[nv++] = (struct db_value){ 'i', dc->now - (int64_t)f->unseen_for * 86400, NULL };
	}
	if (f->before > 0) {
		buf_puts(&sql, " AND u.id < ?");
		vals[nv++] = (struct db_value){ 'i', f->before, NULL };
	}
	buf_printf(&sql, " ORDER BY u.id DESC LIMIT %d", ADMIN_PAGE + 1);
	st = db_query_dynamic(dc->db, buf_str(&sql), vals, nv);
	while (st && db_step(st) == DB_ROW) {
		if (*n == ADMIN_PAGE) {
			*next = (*out)[*n - 1].id;
			break;
		}
		db_read_fields(st, 0, dc->arena, &(*out)[(*n)++], member_fields, DB_FIELDS_N(member_fields));
	}
	if (st && db_finish(st) == 0)
		rc = D_OK;
	buf_free(&sql);
	return rc;
}

enum derr admin_member_get(struct dctx *dc, const struct viewer *v, int64_t id, struct admin_member *out)
{
	struct db_stmt *st;
	enum derr rc = D_NOT_FOUND;

	if (!v->admin)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " MEMBER_COLUMNS " FROM users u WHERE u.id = ?", "ii", dc->now, id);
	if (!st)
		return D_INTERNAL;
	if (db_step(st) == DB_ROW) {
		db_read_fields(st, 0, dc->arena, out, member_fields, DB_FIELDS_N(member_fields));
		rc = D_OK;
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc;
}

int admin_account_active(struct dctx *dc, int64_t id)
{
	int64_t one = 0;
	int found = db_int(dc->db, &one, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", id);

	return found < 0 ? -1 : found == 1;
}

static enum derr finish_tx(struct dctx *dc, enum derr rc)
{
	if (rc == D_OK && db_commit(dc->db) == 0)
		return D_OK;
	db_rollback(dc->db);
	return rc == D_OK ? D_INTERNAL : rc;
}

enum derr admin_suspend(struct dctx *dc, const struct viewer *v, int64_t id, const char *reason, const char **field)
{
	struct admin_member m;
	enum derr rc = admin_member_get(dc, v, id, &m);

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (id == v->id)
		return D_FORBIDDEN;
	if (!reason_ok(reason))
		return *field = "reason", D_INVALID;
	if (!strcmp(m.status, "suspended"))
		return D_CONFLICT;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_OK;
	/* Signed out at once on every instance: the sessions are rows, and a
	 * session is only honoured for an active account (session_identify). */
	if (db_exec(dc->db, "UPDATE users SET status = 'disabled', suspended_at = ?, suspend_reason = ?, updated_at = ?"
		    " WHERE id = ? AND status <> 'disabled'", "isii", dc->now, reason, dc->now, id) != 1 ||
	    db_exec(dc->db, "DELETE FROM sessions WHERE user_id = ?", "i", id) < 0 ||
	    admin_audit_write(dc, v, "member_suspend", id, "user", id, reason) < 0)
		rc = D_INTERNAL;
	rc = finish_tx(dc, rc);
	if (rc == D_OK)
		dctx_wake(dc, id); /* their live streams, here and on the other instances, end */
	return rc;
}

enum derr admin_reactivate(struct dctx *dc, const struct viewer *v, int64_t id, const char *reason,
			   const char **field)
{
	struct admin_member m;
	enum derr rc = admin_member_get(dc, v, id, &m);

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (!reason_ok(reason))
		return *field = "reason", D_INVALID;
	if (strcmp(m.status, "suspended"))
		return D_CONFLICT;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_OK;
	if (db_exec(dc->db, "UPDATE users SET status = 'active', suspended_at = NULL, suspend_reason = '', updated_at = ?"
		    " WHERE id = ? AND status = 'disabled'", "ii", dc->now, id) != 1 ||
	    admin_audit_write(dc, v, "member_reactivate", id, "user", id, reason) < 0)
		rc = D_INTERNAL;
	return finish_tx(dc, rc);
}

enum derr admin_set_role(struct dctx *dc, const struct viewer *v, int64_t id, const char *role,
			 const char *academy, const char *reason, const char **field)
{
	struct admin_member m;
	enum derr rc = admin_member_get(dc, v, id, &m);
	const char *detail;

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (!role || !text_one_of(role, admin_roles))
		return *field = "role", D_INVALID;
	if (!strcmp(role, "adviser") ? !academy || !innovation_academy_known(dc, academy) : academy && *academy)
		return *field = "academy", D_INVALID;
	if (!reason_ok(reason))
		return *field = "reason", D_INVALID;
	if (id == v->id && strcmp(role, "admin"))
		return D_FORBIDDEN; /* an admin does not lock themselves out */
	if (!strcmp(m.role, role) && (strcmp(role, "adviser") || !strcmp(m.adviser_academy, academy)))
		return D_CONFLICT;
	detail = arena_printf(dc->arena, "%s → %s%s%s: %s", m.role, role, academy && *academy ? " " : "",
			      academy && *academy ? academy : "", reason);
	if (!detail)
		return D_INTERNAL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_OK;
	if (db_exec(dc->db, "UPDATE users SET site_role = CASE WHEN ? = 'admin' THEN 'admin' ELSE 'member' END,"
		    " adviser_academy = CASE WHEN ? = 'adviser' THEN ? ELSE NULL END,"
		    " trainer = CASE WHEN ? = 'trainer' THEN 1 ELSE 0 END, updated_at = ? WHERE id = ?", "ssssii",
		    role, role, academy ? academy : "", role, dc->now, id) != 1 ||
	    admin_audit_write(dc, v, "member_role", id, "user", id, detail) < 0)
		rc = D_INTERNAL;
	return finish_tx(dc, rc);
}

/* ---- audit -------------------------------------------------------------- */

enum derr admin_audit_list(struct dctx *dc, const struct viewer *v, const struct audit_filter *f,
			   struct admin_audit **out, int *n, int64_t *next)
{
	struct db_stmt *st;
	const char *action = f->action && *f->action ? f->action : "";
	size_t alen = strlen(action);
	int prefix = alen && action[alen - 1] == '_';

	*n = 0;
	*next = 0;
	if (!v->admin)
		return D_NOT_FOUND;
	if (alen > 64 || !text_ok(action, 0))
		return D_INVALID;
	*out = arena_alloc(dc->arena, sizeof **out * ADMIN_PAGE);
	if (!*out)
		return D_INTERNAL;
	st = db_query(dc->db, "SELECT l.id, COALESCE(l.actor_id, 0), COALESCE(l.target_user_id, 0), COALESCE(l.item_id, 0),"
		      " COALESCE(l.post_id, 0), COALESCE(l.reply_id, 0), COALESCE(l.group_id, 0), l.created_at,"
		      " COALESCE(a.name, ''), COALESCE(t.name, ''), l.action, l.item_kind, l.detail"
		      " FROM audit_log l LEFT JOIN users a ON a.id = l.actor_id LEFT JOIN users t ON t.id = l.target_user_id"
		      " WHERE (? = '' OR l.action = ? OR (? = 1 AND substr(l.action, 1, CAST(? AS INTEGER)) = ?))"
		      " AND (? = 0 OR l.actor_id = ?) AND (? = 0 OR l.target_user_id = ?) AND (? = 0 OR l.id < ?)"
		      " ORDER BY l.id DESC LIMIT ?", "ssiisiiiiiii", action, action, (int64_t)prefix, (int64_t)alen,
		      action, f->actor, f->actor, f->target, f->target, f->before, f->before, (int64_t)ADMIN_PAGE + 1);
	while (st && db_step(st) == DB_ROW) {
		struct admin_audit *e;

		if (*n == ADMIN_PAGE) {
			*next = (*out)[*n - 1].id;
			break;
		}
		e = &(*out)[(*n)++];
		e->id = db_col_int(st, 0);
		e->actor_id = db_col_int(st, 1);
		e->target_user_id = db_col_int(st, 2);
		e->item_id = db_col_int(st, 3);
		e->post_id = db_col_int(st, 4);
		e->reply_id = db_col_int(st, 5);
		e->group_id = db_col_int(st, 6);
		e->created_at = db_col_int(st, 7);
		e->actor_name = db_col_dup(st, 8, dc->arena);
		e->target_name = db_col_dup(st, 9, dc->arena);
		e->action = db_col_dup(st, 10, dc->arena);
		e->item_kind = db_col_dup(st, 11, dc->arena);
		e->detail = db_col_dup(st, 12, dc->arena);
	}
	if (!st || db_finish(st) < 0)
		return D_INTERNAL;
	return D_OK;
}

/* ---- settings ----------------------------------------------------------- */

/* The file's value of a setting, as the console shows it. */
static const char *file_value(struct dctx *dc, const struct config *c, const struct setting_def *d)
{
	const char *k = d->key;

	/* copies: c may be a copy on the caller's stack */
	if (!strcmp(k, "site_name"))
		return arena_strdup(dc->arena, c->site_name[0] ? c->site_name : "Respire");
	if (!strcmp(k, "contact"))
		return arena_strdup(dc->arena, c->contact);
	if (!strcmp(k, "allowed_domains"))
		return arena_strdup(dc->arena, c->allowed_domains);
	if (!strcmp(k, "academies") || !strcmp(k, "innovation_themes")) {
		struct dctx tmp = *dc;
		const char *const *l;
		struct buf b = BUF_INIT;
		char *s;

		tmp.cfg = c;
		l = !strcmp(k, "academies") ? innovation_academy_list(&tmp) : innovation_themes(&tmp);
		for (int i = 0; l[i]; i++)
			buf_printf(&b, "%s%s", i ? "|" : "", l[i]);
		s = arena_strdup(dc->arena, buf_str(&b));
		buf_free(&b);
		return s;
	}
	if (!strcmp(k, "quota_member"))
		return arena_printf(dc->arena, "%zu", c->quota_member);
	if (!strcmp(k, "quota_group"))
		return arena_printf(dc->arena, "%zu", c->quota_group);
	if (!strcmp(k, "max_upload"))
		return arena_printf(dc->arena, "%zu", c->max_upload);
	if (!strcmp(k, "max_avatar"))
		return arena_printf(dc->arena, "%zu", c->max_avatar);
	return ""; /* a legal page: its default text is the page's own */
}

enum derr admin_settings_get(struct dctx *dc, const struct viewer *v, struct setting_value **out, int *n,
			     int64_t *generation)
{
	int nd;
	const struct setting_def *d = settings_defs(&nd);
	struct config base;

	if (!v->admin)
		return D_NOT_FOUND;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)nd);
	if (!*out)
		return D_INTERNAL;
	/* what the file says: the configuration without the stored rows */
	base = dc->cfg->file ? *dc->cfg->file : *dc->cfg;
	*generation = settings_generation(dc);
	if (*generation < 0)
		return D_INTERNAL;
	for (int i = 0; i < nd; i++) {
		struct setting_value *x = &(*out)[i];

		x->key = d[i].key;
		x->kind = d[i].kind;
		x->stored = settings_stored(dc, d[i].key);
		x->value = x->stored ? x->stored : file_value(dc, &base, &d[i]);
		if (!x->value)
			return D_INTERNAL;
	}
	*n = nd;
	return D_OK;
}

enum derr admin_settings_set(struct dctx *dc, const struct viewer *v, const char *const *keys,
			     const char *const *values, int n, const char *reason)
{
	enum derr rc = D_OK;
	int changed = 0;

	if (!v->admin)
		return D_NOT_FOUND;
	if (reason && *reason && !reason_ok(reason))
		return D_INVALID;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	for (int i = 0; i < n && rc == D_OK; i++) {
		const char *old = settings_stored(dc, keys[i]);
		const char *detail;

		if ((!old && !values[i]) || (old && values[i] && !strcmp(old, values[i])))
			continue;
		detail = arena_printf(dc->arena, "%s%s%s", keys[i], reason && *reason ? ": " : "",
				      reason && *reason ? reason : "");
		if (!detail || settings_write(dc, keys[i], values[i]) < 0 ||
		    admin_audit_write(dc, v, values[i] ? "setting_change" : "setting_reset", 0, "setting", 0, detail) < 0)
			rc = D_INTERNAL;
		changed++;
	}
	if (rc == D_OK && changed && settings_bump(dc) < 0)
		rc = D_INTERNAL;
	rc = finish_tx(dc, rc);
	if (rc == D_OK && changed)
		settings_changed();
	return rc;
}

/* ---- moderation of every kind ------------------------------------------- */

/* One row per kind that can be hidden (and reported): adding a kind is one
 * line. parent: the column the link (link, parent, anchor, id) starts from; reported: open reports as
 * (iid, at, n, why), or NULL when the kind has no reports yet. */
struct mod_kind {
	const char *name, *table, *parent, *author, *excerpt, *reported, *link, *anchor;
};
static const struct mod_kind kinds[] = {
	{ "post", "posts", "id", "author_id", "x.title",
	  "SELECT post_id AS iid, MAX(created_at) AS at, COUNT(*) AS n, MAX(reason) AS why FROM reports"
	  " WHERE resolved_at IS NULL AND reply_id IS NULL GROUP BY post_id", "/posts/", NULL },
	{ "reply", "replies", "post_id", "author_id", "substr(x.body, 1, 200)",
	  "SELECT reply_id AS iid, MAX(created_at) AS at, COUNT(*) AS n, MAX(reason) AS why FROM reports"
	  " WHERE resolved_at IS NULL AND reply_id IS NOT NULL GROUP BY reply_id", "/posts/", "#reply-" },
	{ "document", "documents", "id", "author_id", "x.title", NULL, "/documents/", NULL },
	{ "comment", "document_comments", "document_id", "author_id", "substr(x.body, 1, 200)", NULL,
	  "/documents/", "#comment-" },
	{ "message", "chat_messages", "room_id", "author_id", "substr(x.body, 1, 200)", NULL, "/rooms/", "#m-" },
	{ "innovation", "innovations", "id", "coordinator_id", "x.title", NULL, "/innovations/", NULL },
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

static const char *kind_names[NKINDS + 1];

const char *const *mod_kinds(void)
{
	for (int i = 0; i < NKINDS; i++)
		kind_names[i] = kinds[i].name; /* the same values each time: no race that matters */
	kind_names[NKINDS] = NULL;
	return kind_names;
}

static const struct mod_kind *kind_of(const char *name)
{
	for (int i = 0; name && i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

enum derr mod_hidden_info(struct dctx *dc, const char *kind, int64_t id, const char **by_name,
			  const char **reason, int64_t *at)
{
	char *action = arena_printf(dc->arena, "%s_hide", kind);
	struct db_stmt *st;
	enum derr rc = D_NOT_FOUND;

	*by_name = *reason = NULL;
	*at = 0;
	if (!action)
		return D_INTERNAL;
	st = db_query(dc->db, "SELECT l.created_at, COALESCE(u.name, ''), l.detail FROM audit_log l"
		      " LEFT JOIN users u ON u.id = l.actor_id"
		      " WHERE l.item_kind = ? AND l.item_id = ? AND l.action IN (?, ?) ORDER BY l.id DESC LIMIT 1",
		      "siss", kind, id, action, arena_printf(dc->arena, "%s_restore", kind));
	if (!st)
		return D_INTERNAL;
	if (db_step(st) == DB_ROW) {
		/* the latest change: a restore means nobody hides it now */
		*at = db_col_int(st, 0);
		*by_name = db_col_dup(st, 1, dc->arena);
		*reason = db_col_dup(st, 2, dc->arena);
		rc = D_OK;
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc;
}

enum derr admin_moderation(struct dctx *dc, const struct viewer *v, const struct mod_filter *f,
			   struct mod_item **out, int *n, const char **next, const char **field)
{
	struct buf sql = BUF_INIT;
	struct db_value vals[8];
	struct db_stmt *st;
	const char *state = f->state && *f->state ? f->state : "open";
	const struct mod_kind *only = NULL;
	long long c_at = 0, c_k = 0, c_id = 0;
	int nv = 0, branches = 0;
	enum derr rc = D_INTERNAL;

	*n = 0;
	*next = NULL;
	*field = NULL;
	if (!v->admin)
		return D_NOT_FOUND;
	if (f->kind && *f->kind && !(only = kind_of(f->kind)))
		return *field = "kind", D_INVALID;
	if (strcmp(state, "open") && strcmp(state, "reported") && strcmp(state, "hidden"))
		return *field = "state", D_INVALID;
	if (f->cursor && *f->cursor) {
		char tail;

		if (sscanf(f->cursor, "%lld.%lld.%lld%c", &c_at, &c_k, &c_id, &tail) != 3 || c_at < 0 || c_k < 0 ||
		    c_k >= NKINDS || c_id < 1)
			return *field = "cursor", D_INVALID;
	}
	*out = arena_alloc(dc->arena, sizeof **out * ADMIN_PAGE);
	if (!*out)
		return D_INTERNAL;
	buf_puts(&sql, "SELECT q.k, q.id, q.parent, q.author, q.created_at, q.hidden_at, q.at, q.n, q.why, q.excerpt,"
		 " COALESCE(u.name, '') FROM (");
	for (int i = 0; i < NKINDS; i++) {
		const struct mod_kind *k = &kinds[i];

		if (only && only != k)
			continue;
		if (strcmp(state, "reported")) {
			buf_printf(&sql, "%sSELECT %d AS k, x.id AS id, x.%s AS parent, COALESCE(x.%s, 0) AS author,"
				   " x.created_at AS created_at, x.hidden_at AS hidden_at, x.hidden_at AS at, 0 AS n,"
				   " '' AS why, %s AS excerpt FROM %s x WHERE x.hidden_at IS NOT NULL",
				   branches++ ? " UNION ALL " : "", i, k->parent, k->author, k->excerpt, k->table);
		}
		if (strcmp(state, "hidden") && k->reported) {
			buf_printf(&sql, "%sSELECT %d AS k, x.id AS id, x.%s AS parent, COALESCE(x.%s, 0) AS author,"
				   " x.created_at AS created_at, 0 AS hidden_at, r.at AS at, r.n AS n, r.why AS why, %s AS excerpt"
				   " FROM (%s) r JOIN %s x ON x.id = r.iid WHERE x.hidden_at IS NULL",
				   branches++ ? " UNION ALL " : "", i, k->parent, k->author, k->excerpt, k->reported,
				   k->table);
		}
	}
	if (!branches) {
		buf_free(&sql);
		return D_OK;
	}
	buf_puts(&sql, ") q LEFT JOIN users u ON u.id = q.author");
	if (c_id) {
		buf_puts(&sql, " WHERE (q.at < ? OR (q.at = ? AND (q.k < ? OR (q.k = ? AND q.id < ?))))");
		vals[nv++] = (struct db_value){ 'i', c_at, NULL };
		vals[nv++] = (struct db_value){ 'i', c_at, NULL };
		vals[nv++] = (struct db_value){ 'i', c_k, NULL };
		vals[nv++] = (struct db_value){ 'i', c_k, NULL };
		vals[nv++] = (struct db_value){ 'i', c_id, NULL };
	}
	buf_printf(&sql, " ORDER BY q.at DESC, q.k DESC, q.id DESC LIMIT %d", ADMIN_PAGE + 1);
	st = db_query_dynamic(dc->db, buf_str(&sql), vals, nv);
	while (st && db_step(st) == DB_ROW) {
		struct mod_item *x;
		const struct mod_kind *k;
		int64_t ki = db_col_int(st, 0), at = db_col_int(st, 6);

		if (ki < 0 || ki >= NKINDS)
			continue;
		if (*n == ADMIN_PAGE) {
			struct mod_item *last = &(*out)[*n - 1];
			int li = (int)(kind_of(last->kind) - kinds);

			*next = arena_printf(dc->arena, "%lld.%d.%lld", (long long)last->sort_at, li, (long long)last->id);
			break;
		}
		k = &kinds[ki];
		x = &(*out)[(*n)++];
		memset(x, 0, sizeof *x);
		x->kind = k->name;
		x->id = db_col_int(st, 1);
		x->parent_id = db_col_int(st, 2);
		x->author_id = db_col_int(st, 3);
		x->created_at = db_col_int(st, 4);
		x->hidden_at = db_col_int(st, 5);
		x->reports = db_col_int(st, 7);
		x->report_reason = db_col_dup(st, 8, dc->arena);
		x->excerpt = db_col_dup(st, 9, dc->arena);
		x->author_name = db_col_dup(st, 10, dc->arena);
		x->link = k->anchor ? arena_printf(dc->arena, "%s%lld%s%lld", k->link, (long long)x->parent_id, k->anchor,
						   (long long)x->id)
				    : arena_printf(dc->arena, "%s%lld", k->link, (long long)x->parent_id);
		x->sort_at = at;
	}
	if (st && db_finish(st) == 0)
		rc = D_OK;
	buf_free(&sql);
	/* who hid each hidden item, and why */
	for (int i = 0; rc == D_OK && i < *n; i++) {
		struct mod_item *x = &(*out)[i];
		int64_t when;

		if (x->hidden_at && mod_hidden_info(dc, x->kind, x->id, &x->hidden_by_name, &x->hidden_reason, &when) ==
					    D_INTERNAL)
			rc = D_INTERNAL;
	}
	return rc;
}

/* Hides or restores an item of a kind without reports of its own. */
static enum derr hide_generic(struct dctx *dc, const struct viewer *v, const struct mod_kind *k, int64_t id, int hide,
			      const char *reason)
{
	struct buf sql = BUF_INIT;
	struct db_value vals[2] = { { 'i', dc->now, NULL }, { 'i', id, NULL } };
	struct db_stmt *st;
	int64_t exists = 0;
	int changed;
	enum derr rc = D_OK;

	if (hide)
		buf_printf(&sql, "UPDATE %s SET hidden_at = ? WHERE id = ? AND hidden_at IS NULL RETURNING id", k->table);
	else
		buf_printf(&sql, "UPDATE %s SET hidden_at = NULL WHERE ? > 0 AND id = ? AND hidden_at IS NOT NULL"
			   " RETURNING id", k->table);
	if (db_begin(dc->db) < 0) {
		buf_free(&sql);
		return D_INTERNAL;
	}
	st = db_query_dynamic(dc->db, buf_str(&sql), vals, 2);
	changed = st && db_step(st) == DB_ROW;
	if (!st || db_finish(st) < 0)
		rc = D_INTERNAL;
	if (rc == D_OK && !changed) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT id FROM %s WHERE id = ?", k->table);
		st = db_query_dynamic(dc->db, buf_str(&sql), vals + 1, 1);
		exists = st && db_step(st) == DB_ROW;
		if (!st || db_finish(st) < 0)
			rc = D_INTERNAL;
		else
			rc = exists ? D_CONFLICT : D_NOT_FOUND;
	}
	if (rc == D_OK && admin_audit_write(dc, v, arena_printf(dc->arena, "%s_%s", k->name, hide ? "hide" : "restore"),
					    0, k->name, id, reason) < 0)
		rc = D_INTERNAL;
	buf_free(&sql);
	return finish_tx(dc, rc);
}

static enum derr dismiss_reports(struct dctx *dc, const struct viewer *v, const struct mod_kind *k, int64_t id,
				 const char *reason)
{
	int64_t n;
	enum derr rc = D_OK;

	if (!k->reported)
		return D_CONFLICT;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (!strcmp(k->name, "post"))
		n = db_exec(dc->db, "UPDATE reports SET resolved_at = ?, resolved_by = ?, resolution = 'dismissed'"
			    " WHERE resolved_at IS NULL AND post_id = ? AND reply_id IS NULL", "iii", dc->now, v->id, id);
	else
		n = db_exec(dc->db, "UPDATE reports SET resolved_at = ?, resolved_by = ?, resolution = 'dismissed'"
			    " WHERE resolved_at IS NULL AND reply_id = ?", "iii", dc->now, v->id, id);
	if (n < 0)
		rc = D_INTERNAL;
	else if (n == 0)
		rc = D_CONFLICT;
	else if (admin_audit_write(dc, v, "report_dismiss", 0, k->name, id, reason) < 0)
		rc = D_INTERNAL;
	return finish_tx(dc, rc);
}

enum derr admin_moderate_bulk(struct dctx *dc, const struct viewer *v, const char *action,
			      const struct mod_ref *items, int n, const char *reason, enum derr *results,
			      const char **field)
{
	int hide = action && !strcmp(action, "hide"), restore = action && !strcmp(action, "restore");
	int dismiss = action && !strcmp(action, "dismiss");

	*field = NULL;
	if (!v->admin)
		return D_NOT_FOUND;
	if (!hide && !restore && !dismiss)
		return *field = "action", D_INVALID;
	if (n < 1 || n > ADMIN_BULK_MAX)
		return *field = "items", D_INVALID;
	for (int i = 0; i < n; i++)
		if (!kind_of(items[i].kind) || items[i].id < 1)
			return *field = "items", D_INVALID;
	if (hide ? !reason_ok(reason) : reason && *reason && !reason_ok(reason))
		return *field = "reason", D_INVALID;
	for (int i = 0; i < n; i++) {
		const struct mod_kind *k = kind_of(items[i].kind);

		if (dismiss)
			results[i] = dismiss_reports(dc, v, k, items[i].id, reason);
		else if (!strcmp(k->name, "post") || !strcmp(k->name, "reply"))
			/* reply counts, reports resolved, the audit entry: moderation.c */
			results[i] = !strcmp(k->name, "reply") ? moderate(dc, v, 0, items[i].id, hide, reason ? reason : "")
							       : moderate(dc, v, items[i].id, 0, hide, reason ? reason : "");
		else
			results[i] = hide_generic(dc, v, k, items[i].id, hide, reason);
		if (results[i] == D_INTERNAL)
			return D_INTERNAL;
	}
	return D_OK;
}

/* ---- discussions -------------------------------------------------------- */

int post_locked(struct dctx *dc, int64_t post_id)
{
	int64_t at = 0;

	return db_int(dc->db, &at, "SELECT COALESCE(locked_at, 0) FROM posts WHERE id = ?", "i", post_id) == 1 && at > 0;
}

void post_flags(struct dctx *dc, int64_t post_id, int *pinned, int *locked)
{
	struct db_stmt *st = db_query(dc->db, "SELECT pinned_at IS NOT NULL, locked_at IS NOT NULL FROM posts WHERE id = ?",
				      "i", post_id);

	*pinned = *locked = 0;
	if (st && db_step(st) == DB_ROW) {
		*pinned = db_col_int(st, 0) != 0;
		*locked = db_col_int(st, 1) != 0;
	}
	db_finish(st);
}

enum derr admin_discussion_flags(struct dctx *dc, const struct viewer *v, int64_t post_id, int pinned, int locked,
				 const char *reason, int *now_pinned, int *now_locked, const char **field)
{
	int64_t was_pinned = 0, was_locked = 0;
	struct db_stmt *st;
	enum derr rc = D_OK;
	int found = 0;

	*field = NULL;
	if (!v->admin)
		return D_NOT_FOUND;
	if (reason && *reason && !reason_ok(reason))
		return *field = "reason", D_INVALID;
	if (pinned < 0 && locked < 0)
		return *field = "pinned", D_INVALID;
	st = db_query(dc->db, "SELECT COALESCE(pinned_at, 0), COALESCE(locked_at, 0) FROM posts WHERE id = ?", "i", post_id);
	if (st && db_step(st) == DB_ROW) {
		found = 1;
		was_pinned = db_col_int(st, 0);
		was_locked = db_col_int(st, 1);
	}
	if (!st || db_finish(st) < 0)
		return D_INTERNAL;
	if (!found)
		return D_NOT_FOUND;
	*now_pinned = pinned >= 0 ? pinned : was_pinned > 0;
	*now_locked = locked >= 0 ? locked : was_locked > 0;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (pinned >= 0 && pinned != (was_pinned > 0) &&
	    (db_exec(dc->db, "UPDATE posts SET pinned_at = CASE WHEN ? = 1 THEN ? ELSE NULL END WHERE id = ?", "iii",
		     (int64_t)pinned, dc->now, post_id) != 1 ||
	     admin_audit_write(dc, v, pinned ? "post_pin" : "post_unpin", 0, "post", post_id, reason) < 0))
		rc = D_INTERNAL;
	if (rc == D_OK && locked >= 0 && locked != (was_locked > 0) &&
	    (db_exec(dc->db, "UPDATE posts SET locked_at = CASE WHEN ? = 1 THEN ? ELSE NULL END WHERE id = ?", "iii",
		     (int64_t)locked, dc->now, post_id) != 1 ||
	     admin_audit_write(dc, v, locked ? "post_lock" : "post_unlock", 0, "post", post_id, reason) < 0))
		rc = D_INTERNAL;
	return finish_tx(dc, rc);
}

/* ---- health ------------------------------------------------------------- */

int admin_health(struct dctx *dc, struct health *h)
{
	struct timespec t0, t1;
	struct statvfs fs;
	int64_t one = 0, oldest = 0;

	memset(h, 0, sizeof *h);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	h->db_ok = dc->db && db_int(dc->db, &one, "SELECT 1", "") == 1 && one == 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	h->db_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (statvfs(dc->cfg->files_dir, &fs) == 0) {
		h->disk_free = (uint64_t)fs.f_bavail * fs.f_frsize;
		h->disk_total = (uint64_t)fs.f_blocks * fs.f_frsize;
		h->disk_ok = h->disk_free >= HEALTH_DISK_MIN;
	}
	h->mail_ok = 0;
	if (h->db_ok &&
	    db_int(dc->db, &h->mail_pending, "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL",
		   "") == 1 &&
	    db_int(dc->db, &h->mail_failed, "SELECT COUNT(*) FROM mail_queue WHERE failed_at IS NOT NULL", "") == 1 &&
	    db_int(dc->db, &oldest, "SELECT COALESCE(MIN(created_at), 0) FROM mail_queue"
		   " WHERE sent_at IS NULL AND failed_at IS NULL", "") == 1 &&
	    db_int(dc->db, &h->thumbs_pending, "SELECT COUNT(*) FROM blobs WHERE thumb_state IN ('pending', 'working')",
		   "") == 1 &&
	    db_int(dc->db, &h->texts_pending, "SELECT COUNT(*) FROM blob_texts WHERE state IN ('pending', 'working')",
		   "") == 1 &&
	    db_int(dc->db, &h->reports_open, "SELECT COUNT(*) FROM reports WHERE resolved_at IS NULL", "") == 1) {
		h->mail_oldest_age = oldest ? dc->now - oldest : 0;
		if (h->mail_oldest_age < 0)
			h->mail_oldest_age = 0;
		h->mail_ok = h->mail_oldest_age <= HEALTH_MAIL_MAX_AGE;
	}
	return h->db_ok && h->disk_ok && h->mail_ok;
}
