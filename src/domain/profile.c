/* Professional profiles, avatars and the colleague directory. */
#include "domain/profile.h"
#include "domain/search.h"

#include "domain/documents.h"
#include "domain/schools.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/filetype.h"
#include "util/log.h"
#include "util/text.h"
#include "util/thumb.h"

const char *const tag_kind_names[TAG_KINDS] = { "subject", "level", "interest" };

const char *const profile_roles[] = {
	"teacher", "head_teacher", "adviser", "trainer", "inspector", "librarian", "trainee",
	"other", NULL
};

static const struct { const char *mime, *ext; } avatar_types[] = {
	{ "image/png", "png" }, { "image/jpeg", "jpg" }, { "image/gif", "gif" }, { "image/webp", "webp" },
};

static int text_field_ok(const char *s, size_t max, int multiline)
{
	return s && text_ok(s, multiline) && utf8_len(s) <= max;
}

static int role_ok(const char *r)
{
	if (!*r)
		return 1;
	for (const char *const *p = profile_roles; *p; p++)
		if (!strcmp(*p, r))
			return 1;
	return 0;
}

static int load_tags(struct dctx *dc, struct profile *p)
{
	struct db_stmt *st = db_query(dc->db, "SELECT kind, value FROM user_tags WHERE user_id = ?"
				      " ORDER BY kind, pos", "i", p->id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_col_text(st, 0);

		for (int k = 0; k < TAG_KINDS; k++)
			if (!strcmp(kind, tag_kind_names[k]) && p->ntags[k] < PROFILE_MAX_TAGS)
				p->tags[k][p->ntags[k]++] = db_col_dup(st, 1, dc->arena);
	}
	db_finish(st);
	return rc == DB_DONE ? 0 : -1;
}

#define PROFILE_COLUMNS "id, name, email, role, bio, academy, school, avatar, site_role, created_at, lang, handle," \
	" allow_follow, default_licence, school_uai, show_school"

/* with_account: the member's own account (the e-mail), for themselves only. */
static void read_profile(struct dctx *dc, struct db_stmt *st, int with_account, struct profile *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->name = db_col_dup(st, 1, dc->arena);
	p->email = with_account ? db_col_dup(st, 2, dc->arena) : NULL;
	p->role = db_col_dup(st, 3, dc->arena);
	p->bio = db_col_dup(st, 4, dc->arena);
	p->academy = db_col_dup(st, 5, dc->arena);
	p->school = db_col_dup(st, 6, dc->arena);
	p->has_avatar = !db_col_is_null(st, 7);
	p->admin = !strcmp(db_col_text(st, 8), "admin");
	p->created_at = db_col_int(st, 9);
	p->lang = db_col_dup(st, 10, dc->arena);
	p->handle = db_col_dup(st, 11, dc->arena);
	p->allow_follow = (int)db_col_int(st, 12);
	p->default_licence = db_col_dup(st, 13, dc->arena);
	p->school_uai = db_col_is_null(st, 14) ? NULL : db_col_dup(st, 14, dc->arena);
	p->show_school = (int)db_col_int(st, 15);
}

static enum derr get(struct dctx *dc, const struct viewer *who, int64_t id, int with_account,
		     struct profile *out)
{
	struct db_stmt *st;
	int rc;

	if (!who || !who->id || id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " PROFILE_COLUMNS " FROM users WHERE id = ? AND " ACCESS_USER_SQL("users"),
		      "i", id);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW)
		read_profile(dc, st, with_account && who->id == id, out);
	db_finish(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	return load_tags(dc, out) < 0 ? D_INTERNAL : D_OK;
}

enum derr profile_get(struct dctx *dc, const struct viewer *who, int64_t id, struct profile *out)
{
	return get(dc, who, id, 0, out);
}

enum derr profile_get_account(struct dctx *dc, const struct viewer *who, struct profile *out)
{
	return get(dc, who, who ? who->id : 0, 1, out);
}

static enum derr check_patch(const struct profile_patch *p, const char **field)
{
	if (p->name) {
		*field = "name";
		if (!text_field_ok(p->name, 100, 0) || text_blank(p->name))
			return D_INVALID;
	}
	if (p->role) {
		*field = "role";
		if (!role_ok(p->role))
			return D_INVALID;
	}
	if (p->bio) {
		*field = "bio";
		if (!text_field_ok(p->bio, BIO_MAX_CHARS, 1))
			return D_INVALID;
	}
	if (p->academy) {
		*field = "academy";
		if (!text_field_ok(p->academy, FIELD_MAX_CHARS, 0))
			return D_INVALID;
	}
	if (p->school) {
		*field = "school";
		if (!text_field_ok(p->school, FIELD_MAX_CHARS, 0))
			return D_INVALID;
	}
	if (p->default_licence) {
		*field = "default_licence";
		if (!licence_find(p->default_licence))
			return D_INVALID;
	}
	if (p->lang) {
		*field = "lang";
		if (strcmp(p->lang, "fr") && strcmp(p->lang, "en"))
			return D_INVALID;
	}
	for (int k = 0; k < TAG_KINDS; k++) {
		static const char *const names[] = { "subjects", "levels", "interests" };

		if (!p->set_tags[k])
			continue;
		*field = names[k];
		if (p->ntags[k] > PROFILE_MAX_TAGS)
			return D_INVALID;
		for (int i = 0; i < p->ntags[k]; i++)
			if (!text_field_ok(p->tags[k][i], TAG_MAX_CHARS, 0) || !*p->tags[k][i])
				return D_INVALID;
	}
	*field = NULL;
	return D_OK;
}

static int save_tags(struct dctx *dc, int64_t user, int k, const struct profile_patch *p)
{
	if (db_exec(dc->db, "DELETE FROM user_tags WHERE user_id = ? AND kind = ?", "is", user,
		    tag_kind_names[k]) < 0)
		return -1;
	for (int i = 0, pos = 0; i < p->ntags[k]; i++) {
		int dup = 0;

		for (int j = 0; j < i; j++)
			if (!strcmp(p->tags[k][i], p->tags[k][j]))
				dup = 1;
		if (dup)
			continue;
		if (db_exec(dc->db, "INSERT INTO user_tags (user_id, kind, pos, value) VALUES (?, ?, ?, ?)",
			    "isis", user, tag_kind_names[k], (int64_t)pos++, p->tags[k][i]) < 0)
			return -1;
	}
	return 0;
}

enum derr profile_update(struct dctx *dc, const struct viewer *who, const struct profile_patch *p,
			 const char **field)
{
	enum derr rc = check_patch(p, field);
	struct school sc = { 0 };
	const char *school = p->school, *uai = NULL;

	if (rc != D_OK)
		return rc;
	if (p->school_uai && *p->school_uai) {
		*field = "school_uai";
		if ((rc = school_get(dc, p->school_uai, &sc)) != D_OK)
			return rc == D_NOT_FOUND ? D_INVALID : rc;
		uai = sc.uai;
		if (!school)
			school = sc.name;
		*field = NULL;
	}
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	/* COALESCE keeps what the patch leaves out: one statement, every field bound. */
	if (db_exec(dc->db, "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role),"
		    " bio = COALESCE(?, bio), academy = COALESCE(?, academy),"
		    " school = COALESCE(?, school), lang = COALESCE(?, lang),"
		    " default_licence = COALESCE(?, default_licence),"
		    " allow_follow = CASE WHEN ? = 1 THEN ? ELSE allow_follow END,"
		    " school_uai = CASE WHEN ? = 1 THEN ? ELSE school_uai END,"
		    " show_school = CASE WHEN ? = 1 THEN ? ELSE show_school END, updated_at = ?"
		    " WHERE id = ?", "sssssssiiisiiii", p->name, p->role, p->bio, p->academy, school,
		    p->lang, p->default_licence, (int64_t)(p->set_allow_follow ? 1 : 0), (int64_t)(p->allow_follow ? 1 : 0),
		    (int64_t)(p->school_uai ? 1 : 0), uai, (int64_t)(p->set_show_school ? 1 : 0),
		    (int64_t)(p->show_school ? 1 : 0), dc->now, who->id) != 1)
		rc = D_INTERNAL;
	for (int k = 0; k < TAG_KINDS && rc == D_OK; k++)
		if (p->set_tags[k] && save_tags(dc, who->id, k, p) < 0)
			rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

static char *avatar_dir(struct dctx *dc)
{
	char *dir = arena_printf(dc->arena, "%s/avatars", dc->cfg->files_dir);

	if (dir && mkdir(dir, 0750) < 0 && errno != EEXIST) {
		LOG_E("profile: cannot create %s: %s", dir, strerror(errno));
		return NULL;
	}
	return dir;
}

static const char *current_avatar(struct dctx *dc, int64_t user)
{
	struct db_stmt *st = db_query(dc->db, "SELECT avatar FROM users WHERE id = ?", "i", user);
	const char *name = NULL;

	if (st && db_step(st) == DB_ROW && !db_col_is_null(st, 0))
		name = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	return name;
}

enum derr profile_set_avatar(struct dctx *dc, const struct viewer *who, const char *tmp_path)
{
	char mime[128];
	const char *ext = NULL, *old, *dir;
	char *name, *path;
	unsigned char rnd[8];
	char hex[17];
	long w, h;

	if (filetype_of(tmp_path, mime, sizeof mime) < 0)
		return D_UNSUPPORTED_TYPE;
	for (size_t i = 0; i < sizeof avatar_types / sizeof avatar_types[0]; i++)
		if (!strcmp(mime, avatar_types[i].mime))
			ext = avatar_types[i].ext;
	if (!ext)
		return D_UNSUPPORTED_TYPE;
	/* The size in pixels from the header alone, before anything decodes
	 * the image (ours or a browser): a small file may declare a huge one. */
	if (image_dimensions(tmp_path, &w, &h) < 0)
		return D_UNSUPPORTED_TYPE;
	if (w > (long)dc->cfg->max_avatar_side || h > (long)dc->cfg->max_avatar_side)
		return D_INVALID;
	if (!(dir = avatar_dir(dc)))
		return D_INTERNAL;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	name = arena_printf(dc->arena, "%lld-%s.%s", (long long)who->id, hex, ext);
	path = arena_printf(dc->arena, "%s/%s", dir, name ? name : "");
	if (!name || !path)
		return D_INTERNAL;
	if (rename(tmp_path, path) < 0) {
		LOG_E("profile: cannot store avatar: %s", strerror(errno));
		return D_INTERNAL;
	}
	chmod(path, 0640);
	old = current_avatar(dc, who->id);
	if (db_exec(dc->db, "UPDATE users SET avatar = ?, updated_at = ? WHERE id = ?", "sii", name,
		    dc->now, who->id) != 1) {
		unlink(path);
		return D_INTERNAL;
	}
	if (old) {
		char *op = arena_printf(dc->arena, "%s/%s", dir, old);
		if (op)
			unlink(op);
	}
	return D_OK;
}

enum derr profile_remove_avatar(struct dctx *dc, const struct viewer *who)
{
	const char *old = current_avatar(dc, who->id);
	char *op;

	if (db_exec(dc->db, "UPDATE users SET avatar = NULL, updated_at = ? WHERE id = ?", "ii",
		    dc->now, who->id) != 1)
		return D_INTERNAL;
	if (old && (op = arena_printf(dc->arena, "%s/avatars/%s", dc->cfg->files_dir, old)))
		unlink(op);
	return D_OK;
}

enum derr profile_avatar(struct dctx *dc, const struct viewer *who, int64_t id,
			 const char **path, const char **mime)
{
	struct db_stmt *st;
	const char *name = NULL, *dot;

	if (!who || !who->id)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT avatar FROM users WHERE id = ? AND " ACCESS_USER_SQL("users"), "i", id);
	if (st && db_step(st) == DB_ROW && !db_col_is_null(st, 0))
		name = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	if (!name || !(dot = strrchr(name, '.')))
		return D_NOT_FOUND;
	*mime = NULL;
	for (size_t i = 0; i < sizeof avatar_types / sizeof avatar_types[0]; i++)
		if (!strcmp(dot + 1, avatar_types[i].ext))
			*mime = avatar_types[i].mime;
	*path = arena_printf(dc->arena, "%s/avatars/%s", dc->cfg->files_dir, name);
	return *mime && *path ? D_OK : D_NOT_FOUND;
}

/* The directory's filters; the text box goes through the search index
 * (names, roles, schools, academies, presentations, subjects, levels and
 * interests, accents folded, prefixes), the rest compares whole values. */
#define DIRECTORY_FILTERS \
	" FROM users u WHERE " ACCESS_USER_SQL("u") " AND id > ?" \
	" AND (? IS NULL OR respire_fold(academy) = respire_fold(?))" \
	" AND (? IS NULL OR respire_fold(school) = respire_fold(?))" \
	" AND (? IS NULL OR role = ?)" \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id" \
	"      AND t.kind = 'subject' AND respire_fold(t.value) = respire_fold(?)))" \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id" \
	"      AND t.kind = 'level' AND respire_fold(t.value) = respire_fold(?)))" \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id" \
	"      AND t.kind = 'interest' AND respire_fold(t.value) = respire_fold(?)))"
#define DIRECTORY_TYPES "i" "ss" "ss" "ss" "ss" "ss" "ss"

int users_find(struct dctx *dc, const struct viewer *who, const struct user_filter *f,
	       struct profile **out, int64_t *next)
{
	struct db_stmt *st;
	const char *expr = NULL;
	int n = 0, limit = f->limit < 1 ? 20 : f->limit > 100 ? 100 : f->limit;
	int64_t after = f->after > 0 ? f->after : 0;

	*next = 0;
	*out = NULL;
	if (!who || !who->id)
		return 0;
	if (f->q && *f->q && search_expr(dc, f->q, &expr) == -1)
		return -1;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(limit + 1));
	if (!*out)
		return -1;
	if (f->q && *f->q && !expr)
		return 0; /* typed, but nothing to look for ("%", "***") */
	if (expr)
		st = db_query(dc->db, "SELECT " PROFILE_COLUMNS DIRECTORY_FILTERS
			      " AND u.id IN (SELECT s.item_id FROM search_fts(?) m JOIN search_items s ON s.id = m.rowid"
			      "   WHERE s.kind = 'user') ORDER BY id LIMIT ?",
			      DIRECTORY_TYPES "si", after, f->academy, f->academy, f->school, f->school, f->role, f->role,
			      f->subject, f->subject, f->level, f->level, f->interest, f->interest, expr,
			      (int64_t)limit + 1);
	else
		st = db_query(dc->db, "SELECT " PROFILE_COLUMNS DIRECTORY_FILTERS " ORDER BY id LIMIT ?",
			      DIRECTORY_TYPES "i", after, f->academy, f->academy, f->school, f->school, f->role, f->role,
			      f->subject, f->subject, f->level, f->level, f->interest, f->interest, (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		read_profile(dc, st, 0, &(*out)[n++]);
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (load_tags(dc, &(*out)[i]) < 0)
			return -1;
	return n;
}

int64_t user_by_handle(struct dctx *dc, const char *handle)
{
	int64_t id = 0;

	if (!handle)
		return 0;
	if (handle[0] == '@')
		handle++;
	if (db_int(dc->db, &id, "SELECT id FROM users WHERE handle = ? AND " ACCESS_USER_SQL("users"), "s", handle) != 1)
		return 0;
	return id;
}

const char *user_public_name(struct dctx *dc, int64_t id)
{
	struct db_stmt *st = db_query(dc->db, "SELECT name FROM users WHERE id = ? AND " ACCESS_USER_SQL("users"), "i", id);
	const char *name = NULL;

	if (st && db_step(st) == DB_ROW)
		name = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	return name;
}
