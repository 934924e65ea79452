/* Posts, revisions, replies, marks. */
#include "domain/stats.h"
#include "domain/posts.h"

#include "domain/admin.h"

#include <ctype.h>
#include <string.h>

#include "domain/admin.h"
#include "domain/notify.h"
#include "util/text.h"

const char *const post_kinds[] = { "discussion", "blog", "page", NULL };
const char *const post_visibilities[] = { "public", "members", "contacts", "group", "private", NULL };

#define POST_COLUMNS POSTS_COLUMNS
#define POST_FROM POSTS_FROM

static const struct db_field post_fields[] = {
	DB_FIELD(DBF_TEXT, struct post, kind),
	DB_FIELD(DBF_TEXT, struct post, title),
	DB_FIELD(DBF_TEXT, struct post, body),
	DB_FIELD(DBF_TEXT, struct post, author_name),
	DB_FIELD(DBF_TEXT, struct post, author_handle),
	DB_FIELD(DBF_TEXT, struct post, group_name),
	DB_FIELD(DBF_INT, struct post, created_at),
	DB_FIELD(DBF_INT, struct post, updated_at),
	DB_FIELD(DBF_INT, struct post, last_activity_at),
	DB_FIELD(DBF_INT, struct post, reply_count),
	DB_FIELD(DBF_INT, struct post, useful_count),
	DB_FIELD(DBF_INT, struct post, revision),
};

void posts_read_row(struct dctx *dc, struct db_stmt *st, int c, struct post *p)
{
	memset(p, 0, sizeof *p);
	access_read_ref(dc, st, c, &p->ref);
	db_read_fields(st, c + 6, dc->arena, p, post_fields, DB_FIELDS_N(post_fields));
}

static void read_post(struct dctx *dc, struct db_stmt *st, struct post *p)
{
	posts_read_row(dc, st, 0, p);
}

/* Notifies members named as @handle in text who may see the post. */
static int mentioned_in(const char *text, const char *handle)
{
	size_t n = strlen(handle);

	for (const char *s = text; s && (s = strchr(s, '@')); s++)
		if (!strncmp(s + 1, handle, n) && !(islower((unsigned char)s[1 + n]) ||
						    isdigit((unsigned char)s[1 + n]) || s[1 + n] == '-'))
			return 1;
	return 0;
}

/* Notifies members named as @handle in text who may see the post; after an
 * edit (old_text), only those the previous text did not name. */
static int notify_mentions(struct dctx *dc, const struct viewer *v, const char *text, const char *old_text,
			   const struct post_ref *p, int64_t reply)
{
	int64_t done[20];
	int ndone = 0;

	char handle[64];

	for (const char *pos = text; ndone < 20 && text_next_mention(text, &pos, handle, sizeof handle);) {
		int64_t user = 0;
		struct viewer who = { 0 };
		int dup = 0, found;

		if (old_text && mentioned_in(old_text, handle))
			continue;
		found = db_int(dc->db, &user, "SELECT id FROM users WHERE handle = ? AND status = 'active'",
			       "s", handle);
		if (found < 0)
			return -1;
		if (!found || user == v->id)
			continue;
		for (int i = 0; i < ndone; i++)
			dup |= done[i] == user;
		if (dup)
			continue;
		done[ndone++] = user;
		who.id = user;
		if (access_may_see_post(dc, &who, p) && notify(dc, user, "mention", v->id, p->id, reply, 0) < 0)
			return -1;
	}
	return 0;
}

enum derr post_create(struct dctx *dc, const struct viewer *v, const struct post_input *in,
		      int64_t *id, const char **field)
{
	struct group_ref g = { 0 };
	struct db_stmt *st;
	struct post_ref ref = { 0 };
	const char *vis = in->visibility;
	const char *title;
	enum derr rc;

	*field = "kind";
	if (!text_one_of(in->kind, post_kinds))
		return D_INVALID;
	*field = "title";
	if (!text_length_ok(in->title, 1, POST_TITLE_MAX, 0) || text_blank(in->title))
		return D_INVALID;
	*field = "body";
	if (!text_length_ok(in->body, 1, POST_BODY_MAX, 1) || text_blank(in->body))
		return D_INVALID;
	*field = "group_id";
	if (in->group_id) {
		rc = access_load_group(dc, in->group_id, &g);
		if (rc != D_OK || !access_may_see_group(dc, v, &g))
			return rc == D_INTERNAL ? D_INTERNAL : D_NOT_FOUND;
		if (access_group_role(dc, v, g.id) < GR_MEMBER)
			return D_FORBIDDEN;
	} else if (in->group_id < 0) {
		return D_NOT_FOUND;
	}
	if (!vis)
		vis = in->group_id ? (!strcmp(g.visibility, "open") ? "members" : "group") : "members";
	*field = "visibility";
	if (access_visibility_ok(vis, in->group_id, g.visibility) != D_OK)
		return D_INVALID;
	*field = NULL;
	title = text_trim(arena_strdup(dc->arena, in->title));
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO posts (kind, title, body, author_id, visibility, group_id, created_at,"
		      " updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?) RETURNING id",
		      "sssisiiii", in->kind, title, in->body, v->id, vis, in->group_id, dc->now, dc->now, dc->now);
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = D_OK;
	}
	db_finish(st);
	ref.id = *id;
	ref.author_id = v->id;
	ref.group_id = in->group_id;
	ref.visibility = vis;
	ref.group_visibility = in->group_id ? g.visibility : NULL;
	if (rc == D_OK &&
	    (db_exec(dc->db, "INSERT INTO post_revisions (post_id, revision, title, body, author_id, created_at)"
		     " VALUES (?, 1, ?, ?, ?, ?)", "issii", *id, title, in->body, v->id, dc->now) != 1 ||
	     db_exec(dc->db, "INSERT INTO activities (actor_id, verb, post_id, created_at) VALUES (?, 'post', ?, ?)",
		     "iii", v->id, *id, dc->now) != 1 ||
	     (in->group_id && db_exec(dc->db, "UPDATE groups SET last_activity_at = ? WHERE id = ?", "ii",
				      dc->now, in->group_id) != 1) ||
	     notify_mentions(dc, v, in->body, NULL, &ref, 0) < 0 ||
	     (in->group_id && notify_group_post(dc, *id) < 0)))
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	stats_note(dc, v->id, STATS_POST, in->group_id, title);
	return D_OK;
}

/* Loads the full post if v may see it. */
static enum derr load_visible(struct dctx *dc, const struct viewer *v, int64_t id, struct post *out)
{
	struct db_stmt *st;
	int step;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " POST_COLUMNS POST_FROM " WHERE p.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_post(dc, st, out);
	db_finish(st);
	if (step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	if (!access_may_see_post(dc, v, &out->ref))
		return D_NOT_FOUND;
	out->may_edit = access_may_edit_post(dc, v, &out->ref);
	out->may_moderate = access_may_moderate_post(dc, v, &out->ref);
	return D_OK;
}

enum derr post_get(struct dctx *dc, const struct viewer *v, int64_t id, struct post *out)
{
	enum derr rc = load_visible(dc, v, id, out);
	int64_t x;

	if (rc != D_OK || !v->id)
		return rc;
	out->useful_by_me = db_int(dc->db, &x, "SELECT 1 FROM useful_marks WHERE post_id = ? AND user_id = ?",
				   "ii", id, v->id) == 1;
	/* Mark it read, writing only when something happened since the last visit. */
	if (db_int(dc->db, &x, "SELECT read_at FROM post_reads WHERE user_id = ? AND post_id = ?", "ii",
		   v->id, id) != 1 || x < out->last_activity_at)
		db_exec(dc->db, "INSERT INTO post_reads (user_id, post_id, read_at) VALUES (?, ?, ?)"
			" ON CONFLICT (user_id, post_id) DO UPDATE SET read_at = excluded.read_at",
			"iii", v->id, id, dc->now);
	return D_OK;
}

enum derr post_update(struct dctx *dc, const struct viewer *v, int64_t id,
		      const struct post_input *in, const char **field)
{
	struct post p;
	enum derr rc = load_visible(dc, v, id, &p);
	const char *title, *body, *vis;

	if (rc != D_OK)
		return rc;
	if (!p.may_edit)
		return D_FORBIDDEN;
	*field = "title";
	if (in->title && (!text_length_ok(in->title, 1, POST_TITLE_MAX, 0) || text_blank(in->title)))
		return D_INVALID;
	*field = "body";
	if (in->body && (!text_length_ok(in->body, 1, POST_BODY_MAX, 1) || text_blank(in->body)))
		return D_INVALID;
	*field = "visibility";
	if (in->visibility && access_visibility_ok(in->visibility, p.ref.group_id, p.ref.group_visibility) != D_OK)
		return D_INVALID;
	*field = "kind";
	if (in->kind && strcmp(in->kind, p.kind))
		return D_INVALID; /* a post keeps its kind */
	*field = "group_id";
	if (in->group_id && in->group_id != p.ref.group_id)
		return D_INVALID; /* a post stays in its group */
	*field = NULL;
	title = in->title ? text_trim(arena_strdup(dc->arena, in->title)) : p.title;
	body = in->body ? in->body : p.body;
	vis = in->visibility ? in->visibility : p.ref.visibility;
	if (!strcmp(title, p.title) && !strcmp(body, p.body) && !strcmp(vis, p.ref.visibility))
		return D_OK; /* nothing changes: no new revision */
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = db_exec(dc->db, "UPDATE posts SET title = ?, body = ?, visibility = ?, revision = revision + 1,"
		     " updated_at = ? WHERE id = ?", "sssii", title, body, vis, dc->now, id) == 1 &&
	     db_exec(dc->db, "INSERT INTO post_revisions (post_id, revision, title, body, author_id, created_at)"
		     " VALUES (?, ?, ?, ?, ?, ?)", "iissii", id, p.revision + 1, title, body, v->id, dc->now) == 1 ?
	     D_OK : D_INTERNAL;
	if (rc == D_OK && !strcmp(p.kind, "page") &&
	    db_exec(dc->db, "INSERT INTO activities (actor_id, verb, post_id, created_at) VALUES (?, 'revise', ?, ?)",
		    "iii", v->id, id, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && v->id != p.ref.author_id &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, group_id, created_at)"
		    " VALUES (?, 'post_edit', ?, NULLIF(?, 0), ?)", "iiii", v->id, id, p.ref.group_id, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && in->body) {
		struct post_ref now = p.ref;

		now.visibility = vis;
		if (notify_mentions(dc, v, body, p.body, &now, 0) < 0)
			rc = D_INTERNAL;
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr post_delete(struct dctx *dc, const struct viewer *v, int64_t id)
{
	struct post p;
	enum derr rc = load_visible(dc, v, id, &p);

	if (rc != D_OK)
		return rc;
	if (!p.may_edit)
		return D_FORBIDDEN;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = db_exec(dc->db, "DELETE FROM posts WHERE id = ?", "i", id) == 1 ? D_OK : D_INTERNAL;
	if (rc == D_OK && v->id != p.ref.author_id &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, group_id, target_user_id, detail,"
		    " created_at) VALUES (?, 'post_delete', ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)", "iiiisi",
		    v->id, id, p.ref.group_id, p.ref.author_id, p.title, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr post_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on)
{
	struct post p;
	enum derr rc = load_visible(dc, v, id, &p);
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (on)
		n = db_exec(dc->db, "INSERT INTO useful_marks (post_id, user_id, created_at) VALUES (?, ?, ?)"
			    " ON CONFLICT (post_id, user_id) DO NOTHING", "iii", id, v->id, dc->now);
	else
		n = db_exec(dc->db, "DELETE FROM useful_marks WHERE post_id = ? AND user_id = ?", "ii", id, v->id);
	if (n < 0 || db_exec(dc->db, "UPDATE posts SET useful_count = (SELECT COUNT(*) FROM useful_marks"
			     " WHERE post_id = ?) WHERE id = ?", "ii", id, id) != 1 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

/* A group's pinned discussions, last pinned first (few: no cursor). Its own
 * function: the statement is told apart from the group's list in the log. */
static struct db_stmt *pinned_query(struct dctx *dc, const struct viewer *as, int64_t group, int limit)
{
	return db_query(dc->db, "SELECT " POST_COLUMNS POST_FROM " WHERE p.group_id = ? AND p.pinned_at IS NOT NULL"
			" AND " ACCESS_POST_SQL " ORDER BY p.pinned_at DESC, p.id DESC LIMIT ?",
			"i" ACCESS_POST_TYPES "i", group, ACCESS_POST_ARGS(as), (int64_t)limit);
}

int posts_list(struct dctx *dc, const struct viewer *v, const struct post_filter *f,
	       struct post **out, int64_t *next)
{
	static const struct viewer visitor = { 0 };
	const struct viewer *as = f->only_public ? &visitor : v;
	struct db_stmt *st;
	int n = 0, limit = f->limit < 1 || f->limit > 100 ? 20 : f->limit;

	*next = 0;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	/* A group's or a member's posts from that group's or member's own rows
	 * (posts_group, posts_author): "? = 0 OR p.group_id = ?" would let no
	 * index help, and the newest posts of the whole network be read until
	 * enough of this group's turn up, the more the larger the network. */
	if (f->group_id && f->only_pinned)
		st = pinned_query(dc, as, f->group_id, limit);
	else if (f->group_id)
		st = db_query(dc->db, "SELECT " POST_COLUMNS POST_FROM " WHERE p.group_id = ?"
			      " AND (? = 0 OR p.author_id = ?) AND " ACCESS_POST_SQL
			      " AND (? IS NULL OR p.kind = ?) AND (? = 0 OR p.id < ?)"
			      " ORDER BY p.id DESC LIMIT ?",
			      "iii" ACCESS_POST_TYPES "ssiii", f->group_id, f->author_id, f->author_id,
			      ACCESS_POST_ARGS(as), f->kind, f->kind, f->before, f->before, (int64_t)limit + 1);
	else if (f->author_id)
		st = db_query(dc->db, "SELECT " POST_COLUMNS POST_FROM " WHERE p.author_id = ? AND " ACCESS_POST_SQL
			      " AND (? IS NULL OR p.kind = ?) AND (? = 0 OR p.id < ?)"
			      " ORDER BY p.id DESC LIMIT ?",
			      "i" ACCESS_POST_TYPES "ssiii", f->author_id, ACCESS_POST_ARGS(as), f->kind, f->kind,
			      f->before, f->before, (int64_t)limit + 1);
	else
		st = db_query(dc->db, "SELECT " POST_COLUMNS POST_FROM " WHERE " ACCESS_POST_SQL
			      " AND (? IS NULL OR p.kind = ?) AND (? = 0 OR p.id < ?)"
			      " ORDER BY p.id DESC LIMIT ?",
			      ACCESS_POST_TYPES "ssiii", ACCESS_POST_ARGS(as), f->kind, f->kind, f->before, f->before,
			      (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next = (*out)[n - 1].ref.id;
			break;
		}
		read_post(dc, st, &(*out)[n++]);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int post_revisions(struct dctx *dc, const struct viewer *v, int64_t id, struct revision **out)
{
	struct post p;
	struct db_stmt *st;
	enum derr rc = load_visible(dc, v, id, &p);
	int n = 0;

	if (rc != D_OK)
		return rc == D_NOT_FOUND ? -2 : -1;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(p.revision > 0 ? p.revision : 1));
	st = db_query(dc->db, "SELECT r.revision, r.title, r.body, r.author_id, u.name, r.created_at"
		      " FROM post_revisions r LEFT JOIN users u ON u.id = r.author_id"
		      " WHERE r.post_id = ? ORDER BY r.revision DESC", "i", id);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (n < p.revision && db_step(st) == DB_ROW) {
		struct revision *r = &(*out)[n++];

		r->revision = db_col_int(st, 0);
		r->title = db_col_dup(st, 1, dc->arena);
		r->body = db_col_dup(st, 2, dc->arena);
		r->author_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
		r->author_name = db_col_dup(st, 4, dc->arena);
		r->created_at = db_col_int(st, 5);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

enum derr post_revision_get(struct dctx *dc, const struct viewer *v, int64_t id, int64_t rev,
			    struct revision *out)
{
	struct post p;
	struct db_stmt *st;
	enum derr rc = load_visible(dc, v, id, &p);
	int step;

	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT r.revision, r.title, r.body, r.author_id, u.name, r.created_at"
		      " FROM post_revisions r LEFT JOIN users u ON u.id = r.author_id"
		      " WHERE r.post_id = ? AND r.revision = ?", "ii", id, rev);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW) {
		out->revision = db_col_int(st, 0);
		out->title = db_col_dup(st, 1, dc->arena);
		out->body = db_col_dup(st, 2, dc->arena);
		out->author_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
		out->author_name = db_col_dup(st, 4, dc->arena);
		out->created_at = db_col_int(st, 5);
	}
	db_finish(st);
	return step == DB_ROW ? D_OK : step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

/* ---- replies ----------------------------------------------------------- */

#define REPLY_COLUMNS \
	"r.id, r.post_id, r.author_id, r.quote_id, u.name, u.handle, qu.name, q.body, r.body," \
	" r.created_at, r.updated_at, r.hidden_at IS NOT NULL"
#define REPLY_FROM \
	" FROM replies r LEFT JOIN users u ON u.id = r.author_id" \
	" LEFT JOIN replies q ON q.id = r.quote_id AND " ACCESS_REPLY_SHOWN_SQL("q") \
	" LEFT JOIN users qu ON qu.id = q.author_id"

static void read_reply(struct dctx *dc, struct db_stmt *st, struct reply *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->post_id = db_col_int(st, 1);
	r->author_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
	r->quote_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	r->author_name = db_col_dup(st, 4, dc->arena);
	r->author_handle = db_col_dup(st, 5, dc->arena);
	r->quote_author = db_col_is_null(st, 7) ? NULL : db_col_dup(st, 6, dc->arena);
	r->quote_body = db_col_is_null(st, 7) ? NULL : db_col_dup(st, 7, dc->arena);
	r->body = db_col_dup(st, 8, dc->arena);
	r->created_at = db_col_int(st, 9);
	r->updated_at = db_col_int(st, 10);
	r->hidden = (int)db_col_int(st, 11);
}

enum derr reply_create(struct dctx *dc, const struct viewer *v, int64_t post_id, const char *body,
		       int64_t quote_id, int64_t *id, const char **field)
{
	struct post p;
	struct db_stmt *st;
	enum derr rc = load_visible(dc, v, post_id, &p);
	int64_t quoted_author = 0;

	if (rc != D_OK)
		return rc;
	/* a locked discussion (the operators' console) takes replies from its moderators only */
	*field = "locked";
	if (post_locked(dc, post_id) && !access_may_moderate_post(dc, v, &p.ref))
		return D_FORBIDDEN;
	*field = "body";
	if (!text_length_ok(body, 1, REPLY_BODY_MAX, 1) || text_blank(body))
		return D_INVALID;
	*field = "quote_id";
	if (quote_id) {
		int found = db_int(dc->db, &quoted_author, "SELECT COALESCE(author_id, 0) FROM replies"
				   " WHERE id = ? AND post_id = ? AND " ACCESS_REPLY_SHOWN_SQL("replies"), "ii", quote_id, post_id);
		if (found < 0)
			return D_INTERNAL;
		if (found == 0)
			return D_INVALID;
	}
	*field = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO replies (post_id, author_id, quote_id, body, created_at, updated_at)"
		      " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?) RETURNING id", "iiisii", post_id, v->id, quote_id,
		      body, dc->now, dc->now);
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = D_OK;
	}
	db_finish(st);
	if (rc == D_OK &&
	    (db_exec(dc->db, "UPDATE posts SET reply_count = reply_count + 1, last_activity_at = ? WHERE id = ?",
		     "ii", dc->now, post_id) != 1 ||
	     db_exec(dc->db, "INSERT INTO activities (actor_id, verb, post_id, reply_id, created_at)"
		     " VALUES (?, 'reply', ?, ?, ?)", "iiii", v->id, post_id, *id, dc->now) != 1 ||
	     (p.ref.group_id && db_exec(dc->db, "UPDATE groups SET last_activity_at = ? WHERE id = ?", "ii",
					dc->now, p.ref.group_id) != 1) ||
	     notify(dc, p.ref.author_id, "reply", v->id, post_id, *id, 0) < 0 ||
	     (quoted_author && quoted_author != p.ref.author_id &&
	      notify(dc, quoted_author, "reply", v->id, post_id, *id, 0) < 0) ||
	     notify_mentions(dc, v, body, NULL, &p.ref, *id) < 0))
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	stats_note(dc, v->id, STATS_REPLY, p.ref.group_id, NULL);
	return D_OK;
}

int replies_list(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t after, int limit,
		 struct reply **out, int64_t *next)
{
	struct post p;
	enum derr rc = load_visible(dc, v, post_id, &p);

	*next = 0;
	if (rc != D_OK)
		return rc == D_NOT_FOUND ? -2 : -1;
	return replies_list_of(dc, v, &p, after, limit, out, next);
}

int replies_list_of(struct dctx *dc, const struct viewer *v, const struct post *post, int64_t after, int limit,
		    struct reply **out, int64_t *next)
{
	int64_t post_id = post->ref.id;
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (limit < 1 || limit > 200)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	/* Hidden replies: only for their author and those who moderate the post. */
	st = db_query(dc->db, "SELECT " REPLY_COLUMNS REPLY_FROM " JOIN posts p ON p.id = r.post_id"
		      " WHERE r.post_id = ? AND r.id > ? AND " ACCESS_REPLY_SQL("r") " ORDER BY r.id LIMIT ?",
		      "ii" ACCESS_REPLY_TYPES "i", post_id, after, ACCESS_REPLY_ARGS(v), (int64_t)limit + 1);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		read_reply(dc, st, &(*out)[n]);
		(*out)[n].may_moderate = post->may_moderate;
		(*out)[n].may_edit = v->id && ((*out)[n].author_id == v->id || post->may_moderate);
		n++;
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

enum derr reply_get(struct dctx *dc, const struct viewer *v, int64_t id, struct reply *out,
		    struct post_ref *post)
{
	struct post p;
	struct db_stmt *st;
	int step;
	enum derr rc;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " REPLY_COLUMNS REPLY_FROM " WHERE r.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_reply(dc, st, out);
	db_finish(st);
	if (step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	rc = load_visible(dc, v, out->post_id, &p);
	if (rc != D_OK)
		return rc;
	if (!access_may_see_reply(dc, v, &p.ref, out->author_id, out->hidden))
		return D_NOT_FOUND;
	out->may_moderate = p.may_moderate;
	out->may_edit = v->id && (out->author_id == v->id || p.may_moderate);
	if (post)
		*post = p.ref;
	return D_OK;
}

enum derr reply_update(struct dctx *dc, const struct viewer *v, int64_t id, const char *body)
{
	struct reply r;
	struct post_ref pr;
	enum derr rc = reply_get(dc, v, id, &r, &pr);

	if (rc != D_OK)
		return rc;
	if (!r.may_edit)
		return D_FORBIDDEN;
	if (!text_length_ok(body, 1, REPLY_BODY_MAX, 1) || text_blank(body))
		return D_INVALID;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = db_exec(dc->db, "UPDATE replies SET body = ?, updated_at = ? WHERE id = ?", "sii", body, dc->now,
		     id) == 1 ? D_OK : D_INTERNAL;
	if (rc == D_OK && v->id != r.author_id &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, reply_id, group_id, target_user_id,"
		    " created_at) VALUES (?, 'reply_edit', ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)", "iiiiii",
		    v->id, r.post_id, id, pr.group_id, r.author_id, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && notify_mentions(dc, v, body, r.body, &pr, id) < 0)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr reply_delete(struct dctx *dc, const struct viewer *v, int64_t id)
{
	struct reply r;
	struct post_ref pr;
	enum derr rc = reply_get(dc, v, id, &r, &pr);

	if (rc != D_OK)
		return rc;
	if (!r.may_edit)
		return D_FORBIDDEN;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = db_exec(dc->db, "DELETE FROM replies WHERE id = ?", "i", id) == 1 &&
	     db_exec(dc->db, "UPDATE posts SET reply_count = (SELECT COUNT(*) FROM replies WHERE post_id = ?"
		     " AND hidden_at IS NULL) WHERE id = ?", "ii", r.post_id, r.post_id) == 1 ?
	     D_OK : D_INTERNAL;
	if (rc == D_OK && v->id != r.author_id &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, post_id, reply_id, group_id, target_user_id,"
		    " created_at) VALUES (?, 'reply_delete', ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)", "iiiiii",
		    v->id, r.post_id, id, pr.group_id, r.author_id, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int my_discussions(struct dctx *dc, const struct viewer *v, int64_t before_activity, int64_t before_id,
		   int limit, struct thread **out, int64_t *next_activity, int64_t *next_id)
{
	struct db_stmt *st;
	int n = 0;

	*next_activity = *next_id = 0;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	/* The page's ids first, from the member's own rows (posts_author,
	 * replies_author) rather than a scan of every post; then their columns
	 * (bodies are not carried through the sort). */
	st = db_query(dc->db, "SELECT " POST_COLUMNS ", p.last_activity_at > COALESCE(pr.read_at, 0)"
		      " FROM (SELECT p.id AS id FROM posts p LEFT JOIN groups g ON g.id = p.group_id"
		      "   WHERE p.id IN (SELECT mp.id FROM posts mp WHERE mp.author_id = ?"
		      "                  UNION SELECT mr.post_id FROM replies mr WHERE mr.author_id = ?) AND " ACCESS_POST_SQL
		      "   AND (? = 0 OR p.last_activity_at < ? OR (p.last_activity_at = ? AND p.id < ?))"
		      "   ORDER BY p.last_activity_at DESC, p.id DESC LIMIT ?) x"
		      " JOIN posts p ON p.id = x.id LEFT JOIN groups g ON g.id = p.group_id"
		      " LEFT JOIN users u ON u.id = p.author_id"
		      " LEFT JOIN post_reads pr ON pr.post_id = p.id AND pr.user_id = ?"
		      " ORDER BY p.last_activity_at DESC, p.id DESC",
		      "ii" ACCESS_POST_TYPES "iiiiii", v->id, v->id, ACCESS_POST_ARGS(v), before_activity,
		      before_activity, before_activity, before_id, (int64_t)limit + 1, v->id);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next_activity = (*out)[n - 1].p.last_activity_at;
			*next_id = (*out)[n - 1].p.ref.id;
			break;
		}
		read_post(dc, st, &(*out)[n].p);
		(*out)[n].unread = (int)db_col_int(st, 18);
		n++;
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}
