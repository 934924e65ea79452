/* Documents, versions, comments, marks, quotas and thumbnails. */
#include "domain/stats.h"
#include "domain/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "store/blobs.h"
#include "util/filetype.h"
#include "util/log.h"
#include "util/textract.h"
#include "util/text.h"
#include "util/thumb.h"

const struct licence doc_licences[] = {
	{ "CC-BY", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.fr" },
	{ "CC-BY-SA", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.fr" },
	{ "CC-BY-NC", "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/deed.fr" },
	{ "CC-BY-NC-SA", "CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr" },
	{ "CC-BY-ND", "CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/deed.fr" },
	{ "CC-BY-NC-ND", "CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/deed.fr" },
	{ "CC0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.fr" },
	{ "ARR", NULL, NULL },
	{ NULL, NULL, NULL },
};

const struct licence *licence_find(const char *code)
{
	for (const struct licence *l = doc_licences; code && l->code; l++)
		if (!strcmp(l->code, code))
			return l;
	return NULL;
}

const char *const doc_kinds[] = { "image", "video", "audio", "pdf", "text", "office", "archive", NULL };

/* The accepted types (by content, never by name). Types that a browser
 * could run from our origin (HTML, SVG, XML, scripts) are not among them. */
static const struct { const char *mime, *kind; } accepted[] = {
	{ "image/png", "image" }, { "image/jpeg", "image" }, { "image/gif", "image" }, { "image/webp", "image" },
	{ "video/mp4", "video" }, { "video/webm", "video" }, { "video/ogg", "video" },
	{ "video/quicktime", "video" }, { "video/x-m4v", "video" }, { "video/x-matroska", "video" },
	{ "audio/mpeg", "audio" }, { "audio/ogg", "audio" }, { "audio/x-wav", "audio" }, { "audio/wav", "audio" },
	{ "audio/webm", "audio" }, { "audio/mp4", "audio" }, { "audio/x-m4a", "audio" }, { "audio/flac", "audio" },
	{ "application/pdf", "pdf" },
	{ "text/plain", "text" }, { "text/markdown", "text" }, { "text/csv", "text" },
	{ "text/tab-separated-values", "text" }, { "text/x-tex", "text" },
	{ "application/vnd.oasis.opendocument.text", "office" },
	{ "application/vnd.oasis.opendocument.spreadsheet", "office" },
	{ "application/vnd.oasis.opendocument.presentation", "office" },
	{ "application/vnd.oasis.opendocument.graphics", "office" },
	{ "application/msword", "office" }, { "application/vnd.ms-excel", "office" },
	{ "application/vnd.ms-powerpoint", "office" }, { "application/rtf", "office" }, { "text/rtf", "office" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "office" },
	{ "application/zip", "archive" }, { "application/epub+zip", "archive" },
};

const char *doc_kind_of_mime(const char *mime)
{
	for (size_t i = 0; mime && i < sizeof accepted / sizeof accepted[0]; i++)
		if (!strcmp(mime, accepted[i].mime))
			return accepted[i].kind;
	return NULL;
}

/* ---- reading ---------------------------------------------------------- */

#define DOC_COLUMNS DOCS_COLUMNS
#define DOC_FROM DOCS_FROM

static const struct db_field document_fields[] = {
	DB_FIELD(DBF_TEXT, struct document, title),
	DB_FIELD(DBF_TEXT, struct document, description),
	DB_FIELD(DBF_TEXT, struct document, licence),
	DB_FIELD(DBF_TEXT, struct document, filename),
	DB_FIELD(DBF_TEXT, struct document, mime),
	DB_FIELD(DBF_TEXT, struct document, kind),
	DB_FIELD(DBF_TEXT, struct document, sha256),
	DB_FIELD(DBF_TEXT, struct document, author_name),
	DB_FIELD(DBF_TEXT, struct document, author_handle),
	DB_FIELD(DBF_TEXT, struct document, group_name),
	DB_FIELD(DBF_INT, struct document, size),
	DB_FIELD(DBF_INT, struct document, version),
	DB_FIELD(DBF_INT, struct document, download_count),
	DB_FIELD(DBF_INT, struct document, useful_count),
	DB_FIELD(DBF_INT, struct document, comment_count),
	DB_FIELD(DBF_INT, struct document, created_at),
	DB_FIELD(DBF_INT, struct document, updated_at),
};

void documents_read_row(struct dctx *dc, struct db_stmt *st, int c, struct document *d)
{
	const char *thumb;

	memset(d, 0, sizeof *d);
	access_read_ref(dc, st, c, &d->ref);
	db_read_fields(st, c + 6, dc->arena, d, document_fields, DB_FIELDS_N(document_fields));
	thumb = db_col_text(st, c + 23);
	d->has_thumbnail = thumb && !strcmp(thumb, "done");
}

static void read_doc(struct dctx *dc, struct db_stmt *st, struct document *d)
{
	documents_read_row(dc, st, 0, d);
}

static int load_tags(struct dctx *dc, struct document *d)
{
	struct db_stmt *st = db_query(dc->db, "SELECT kind, value FROM document_tags WHERE document_id = ?"
				      " ORDER BY kind, pos", "i", d->ref.id);

	while (st && db_step(st) == DB_ROW) {
		const char *kind = db_col_text(st, 0);

		if (kind && !strcmp(kind, "subject") && d->nsubjects < DOC_TAGS_MAX)
			d->subjects[d->nsubjects++] = db_col_dup(st, 1, dc->arena);
		else if (kind && !strcmp(kind, "level") && d->nlevels < DOC_TAGS_MAX)
			d->levels[d->nlevels++] = db_col_dup(st, 1, dc->arena);
	}
	return db_finish(st);
}

/* Loads the document if v may see it; D_NOT_FOUND otherwise. */
static enum derr load_visible(struct dctx *dc, const struct viewer *v, int64_t id, struct document *d)
{
	struct db_stmt *st;
	int step;

	if (id <= 0)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT " DOC_COLUMNS DOC_FROM " WHERE p.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_doc(dc, st, d);
	if (db_finish(st) < 0)
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	if (!access_may_see_post(dc, v, &d->ref))
		return D_NOT_FOUND;
	d->may_edit = access_may_edit_post(dc, v, &d->ref);
	return D_OK;
}

enum derr document_get(struct dctx *dc, const struct viewer *v, int64_t id, struct document *out)
{
	enum derr rc = load_visible(dc, v, id, out);
	int64_t mine = 0;

	if (rc != D_OK)
		return rc;
	if (load_tags(dc, out) < 0)
		return D_INTERNAL;
	if (v->id && db_int(dc->db, &mine, "SELECT COUNT(*) FROM document_useful WHERE document_id = ? AND user_id = ?",
			    "ii", id, v->id) < 0)
		return D_INTERNAL;
	out->useful_by_me = mine > 0;
	return D_OK;
}

/* ---- quotas ------------------------------------------------------------ */

int storage_use_member(struct dctx *dc, int64_t user, struct storage_use *out)
{
	out->quota = (int64_t)dc->cfg->quota_member;
	return db_int(dc->db, &out->used, "SELECT COALESCE(SUM(v.size), 0) FROM document_versions v"
		      " JOIN documents d ON d.id = v.document_id WHERE d.group_id IS NULL AND d.author_id = ?",
		      "i", user) < 0 ? -1 : 0;
}

int storage_use_group(struct dctx *dc, int64_t group, struct storage_use *out)
{
	out->quota = (int64_t)dc->cfg->quota_group;
	return db_int(dc->db, &out->used, "SELECT COALESCE(SUM(v.size), 0) FROM document_versions v"
		      " JOIN documents d ON d.id = v.document_id WHERE d.group_id = ?", "i", group) < 0 ? -1 : 0;
}

/* May `extra` more bytes be stored in the document's space (a group or the member's own)? */
/* Inside a transaction: takes the row of the space being filled, so that
 * concurrent uploads into one space check its quota one after the other
 * (SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs the row lock). */
static int lock_space(struct dctx *dc, int64_t owner, int64_t group)
{
	return (group ? db_exec(dc->db, "UPDATE groups SET updated_at = updated_at WHERE id = ?", "i", group)
		      : db_exec(dc->db, "UPDATE users SET updated_at = updated_at WHERE id = ?", "i", owner)) < 0 ? -1 : 0;
}

static enum derr check_quota(struct dctx *dc, int64_t owner, int64_t group, int64_t extra, const char **field)
{
	struct storage_use use;

	if ((group ? storage_use_group(dc, group, &use) : storage_use_member(dc, owner, &use)) < 0)
		return D_INTERNAL;
	if (use.used + extra > use.quota) {
		*field = group ? "group" : "member";
		return D_QUOTA;
	}
	return D_OK;
}

/* ---- writing ----------------------------------------------------------- */

/* A received file checked and hashed, ready to store. */
struct checked_file {
	char sha[BLOB_HEX_LEN + 1];
	char mime[128];
	char name[FILENAME_MAX_BYTES + 1];
	const char *kind;
	int64_t size;
};

/* Markdown and plain text may contain tags, which libmagic then calls HTML
 * or XML: named .md, .markdown or .txt they are kept as text (always sent as
 * text/plain, never shown as a page). A file named .html stays refused. */
static void text_named_as_text(struct checked_file *c)
{
	static const char *const exts[] = { ".md", ".markdown", ".txt" };
	size_t n = strlen(c->name);

	if (strcmp(c->mime, "text/html") && strcmp(c->mime, "text/xml"))
		return;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);

		if (n > k && !strcasecmp(c->name + n - k, exts[i])) {
			snprintf(c->mime, sizeof c->mime, "%s", i < 2 ? "text/markdown" : "text/plain");
			return;
		}
	}
}

static enum derr check_file(const struct doc_file_in *f, struct checked_file *c, const char **field)
{
	*field = "file";
	if (f->too_large)
		return D_TOO_LARGE;
	if (f->size <= 0)
		return D_INVALID;
	if (filetype_of(f->tmp_path, c->mime, sizeof c->mime) < 0)
		return D_UNSUPPORTED_TYPE;
	filename_sanitize(f->filename, c->name, sizeof c->name);
	text_named_as_text(c);
	if (!(c->kind = doc_kind_of_mime(c->mime)))
		return D_UNSUPPORTED_TYPE;
	c->size = f->size;
	if (blob_hash_file(f->tmp_path, c->sha) < 0)
		return D_INTERNAL;
	return D_OK;
}

/* Inserts the blob's row (kept once whatever the number of documents). */
static int record_blob(struct dctx *dc, const struct checked_file *c)
{
	const char *thumb = !strcmp(c->kind, "image") || !strcmp(c->kind, "video") ? "pending" : "none";

	if (db_exec(dc->db, "INSERT INTO blobs (sha256, size, mime, thumb_state, created_at) VALUES (?, ?, ?, ?, ?)"
		    " ON CONFLICT (sha256) DO NOTHING", "sissi", c->sha, c->size, c->mime, thumb, dc->now) < 0)
		return -1;
	/* Its words, for search: extracted in the background (PDF, text, Markdown). */
	if (text_extractable(c->mime) &&
	    db_exec(dc->db, "INSERT INTO blob_texts (sha256) VALUES (?) ON CONFLICT (sha256) DO NOTHING", "s", c->sha) < 0)
		return -1;
	return 0;
}

/* Files that may have lost their last reference (after a failed transaction
 * or a deletion): housekeeping removes them once nothing uses them. Never
 * removed here, where an upload of the same bytes may be on its way. */
static void note_orphans(struct dctx *dc, const char *const *shas, int n)
{
	for (int i = 0; i < n; i++)
		if (db_exec(dc->db, "INSERT INTO blob_orphans (sha256, since) VALUES (?, ?)"
			    " ON CONFLICT (sha256) DO UPDATE SET since = excluded.since", "si", shas[i], dc->now) < 0)
			LOG_W("documents: cannot note a possibly unused file; it stays on disk");
}

static int tag_list_ok(const char *const *tags, int n)
{
	if (n < 0)
		return 1;
	if (n > DOC_TAGS_MAX)
		return 0;
	for (int i = 0; i < n; i++)
		if (!text_length_ok(tags[i], 1, DOC_TAG_MAX, 0) || text_blank(tags[i]))
			return 0;
	return 1;
}

static int save_tags(struct dctx *dc, int64_t id, const char *kind, const char *const *tags, int n)
{
	if (n < 0)
		return 0;
	if (db_exec(dc->db, "DELETE FROM document_tags WHERE document_id = ? AND kind = ?", "is", id, kind) < 0)
		return -1;
	for (int i = 0, pos = 0; i < n; i++) {
		char *t = text_trim(arena_strdup(dc->arena, tags[i]));

		if (!t)
			return -1;
		if (db_exec(dc->db, "INSERT INTO document_tags (document_id, kind, pos, value) VALUES (?, ?, ?, ?)"
			    " ON CONFLICT DO NOTHING", "isis", id, kind, (int64_t)pos++, t) < 0)
			return -1;
	}
	return 0;
}

/* Checks the fields shared by creation and change. */
static enum derr check_fields(const struct doc_input *in, const char **field)
{
	*field = "title";
	if (in->title && (!text_length_ok(in->title, 1, DOC_TITLE_MAX, 0) || text_blank(in->title)))
		return D_INVALID;
	*field = "description";
	if (in->description && !text_length_ok(in->description, 0, DOC_DESCRIPTION_MAX, 1))
		return D_INVALID;
	*field = "licence";
	if (in->licence && !licence_find(in->licence))
		return D_INVALID;
	*field = "subjects";
	if (!tag_list_ok(in->subjects, in->nsubjects))
		return D_INVALID;
	*field = "levels";
	if (!tag_list_ok(in->levels, in->nlevels))
		return D_INVALID;
	*field = NULL;
	return D_OK;
}

/* "Séquence 3.pdf" -> "Séquence 3" */
static char *stem_of(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name);
	char *dot = s ? strrchr(s, '.') : NULL;

	if (dot && dot != s)
		*dot = '\0';
	return s;
}

enum derr documents_create(struct dctx *dc, const struct viewer *v, const struct doc_input *in,
			   const struct doc_file_in *files, int nfiles, int64_t *ids, const char **field)
{
	struct group_ref g = { 0 };
	struct checked_file *cf;
	const char *vis = in->visibility, *licence = in->licence;
	int64_t total = 0;
	enum derr rc;

	if ((rc = check_fields(in, field)) != D_OK)
		return rc;
	*field = "file";
	if (nfiles < 1 || nfiles > DOC_FILES_MAX)
		return D_INVALID;
	*field = "title";
	if (nfiles == 1 && !in->title)
		return D_INVALID;
	*field = "group_id";
	if (in->group_id < 0)
		return D_NOT_FOUND;
	if (in->group_id) {
		rc = access_load_group(dc, in->group_id, &g);
		if (rc != D_OK || !access_may_see_group(dc, v, &g))
			return rc == D_INTERNAL ? D_INTERNAL : D_NOT_FOUND;
		if (access_group_role(dc, v, g.id) < GR_MEMBER)
			return D_FORBIDDEN;
	}
	if (!vis)
		vis = in->group_id ? (!strcmp(g.visibility, "open") ? "members" : "group") : "members";
	*field = "visibility";
	if (access_visibility_ok(vis, in->group_id, g.visibility) != D_OK)
		return D_INVALID;
	if (!licence) {
		licence = "CC-BY-SA";
		struct db_stmt *st = db_query(dc->db, "SELECT default_licence FROM users WHERE id = ?", "i", v->id);
		if (st && db_step(st) == DB_ROW)
			licence = db_col_dup(st, 0, dc->arena);
		if (db_finish(st) < 0 || !licence)
			return D_INTERNAL;
	}
	if (!(cf = arena_alloc(dc->arena, sizeof *cf * (size_t)nfiles)))
		return D_INTERNAL;
	for (int i = 0; i < nfiles; i++) {
		if ((rc = check_file(&files[i], &cf[i], field)) != D_OK)
			return rc;
		total += cf[i].size;
	}
	if ((rc = check_quota(dc, v->id, in->group_id, total, field)) != D_OK)
		return rc;
	/* The files go into place first: a failed transaction leaves at worst an
	 * unreferenced object, never a document without its file. */
	for (int i = 0; i < nfiles; i++)
		if (blob_put(dc->cfg->files_dir, files[i].tmp_path, cf[i].sha) < 0)
			return D_INTERNAL;
	*field = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = lock_space(dc, v->id, in->group_id) < 0 ? D_INTERNAL
	   : check_quota(dc, v->id, in->group_id, total, field); /* again, inside the transaction */
	for (int i = 0; rc == D_OK && i < nfiles; i++) {
		const char *title = nfiles == 1 ? in->title
				  : in->title ? arena_printf(dc->arena, "%s — %s", in->title, stem_of(dc->arena, cf[i].name))
				  : stem_of(dc->arena, cf[i].name);
		struct db_stmt *st;

		rc = D_INTERNAL;
		if (!title || !(title = text_trim(arena_strdup(dc->arena, title))) || record_blob(dc, &cf[i]) < 0)
			break;
		if (utf8_len(title) > DOC_TITLE_MAX) /* a long name after a long title */
			title = arena_printf(dc->arena, "%.*s", DOC_TITLE_MAX, stem_of(dc->arena, cf[i].name));
		st = db_query(dc->db, "INSERT INTO documents (author_id, group_id, title, description, licence, visibility,"
			      " sha256, filename, mime, kind, size, created_at, updated_at)"
			      " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      "iissssssssiii", v->id, in->group_id, title, in->description ? in->description : "",
			      licence, vis, cf[i].sha, cf[i].name, cf[i].mime, cf[i].kind, cf[i].size, dc->now, dc->now);
		if (db_step(st) == DB_ROW)
			ids[i] = db_col_int(st, 0);
		if (db_finish(st) < 0 || !ids[i])
			break;
		if (db_exec(dc->db, "INSERT INTO document_versions (document_id, version, sha256, filename, mime, kind,"
			    " size, author_id, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)", "issssiii", ids[i],
			    cf[i].sha, cf[i].name, cf[i].mime, cf[i].kind, cf[i].size, v->id, dc->now) != 1 ||
		    db_exec(dc->db, "INSERT INTO activities (actor_id, verb, document_id, created_at)"
			    " VALUES (?, 'document', ?, ?)", "iii", v->id, ids[i], dc->now) != 1 ||
		    save_tags(dc, ids[i], "subject", in->subjects, in->nsubjects) < 0 ||
		    save_tags(dc, ids[i], "level", in->levels, in->nlevels) < 0)
			break;
		rc = D_OK;
	}
	if (rc == D_OK && in->group_id &&
	    db_exec(dc->db, "UPDATE groups SET last_activity_at = ? WHERE id = ?", "ii", dc->now, in->group_id) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		const char *shas[DOC_FILES_MAX];

		db_rollback(dc->db);
		for (int i = 0; i < nfiles; i++)
			shas[i] = cf[i].sha;
		note_orphans(dc, shas, nfiles);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	for (int i = 0; i < nfiles; i++)
		stats_note(dc, v->id, STATS_DOCUMENT, in->group_id, NULL);
	return D_OK;
}

enum derr document_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct doc_input *in,
			  const char **field)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (!d.may_edit)
		return D_FORBIDDEN;
	if ((rc = check_fields(in, field)) != D_OK)
		return rc;
	*field = "visibility";
	if (in->visibility && access_visibility_ok(in->visibility, d.ref.group_id, d.ref.group_visibility) != D_OK)
		return D_INVALID;
	*field = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	if (db_exec(dc->db, "UPDATE documents SET title = COALESCE(?, title), description = COALESCE(?, description),"
		    " licence = COALESCE(?, licence), visibility = COALESCE(?, visibility), updated_at = ? WHERE id = ?",
		    "ssssii", in->title ? text_trim(arena_strdup(dc->arena, in->title)) : NULL, in->description,
		    in->licence, in->visibility, dc->now, id) == 1 &&
	    save_tags(dc, id, "subject", in->subjects, in->nsubjects) == 0 &&
	    save_tags(dc, id, "level", in->levels, in->nlevels) == 0)
		rc = D_OK;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int documents_collect_orphans(struct dctx *dc, int64_t grace, int max)
{
	struct db_stmt *st;
	const char **shas;
	int n = 0, removed = 0;

	if (max < 1 || !(shas = arena_alloc(dc->arena, sizeof *shas * (size_t)max)))
		return -1;
	st = db_query(dc->db, "SELECT sha256 FROM blob_orphans WHERE since <= ? ORDER BY since LIMIT ?", "ii",
		      dc->now - grace, (int64_t)max);
	while (st && db_step(st) == DB_ROW)
		if ((shas[n] = db_col_dup(st, 0, dc->arena)))
			n++;
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		long age = blob_age(dc->cfg->files_dir, shas[i]);
		int64_t used = 0;
		int gone = 0;

		if (db_begin(dc->db) < 0)
			return -1;
		if (db_int(dc->db, &used, "SELECT (SELECT count(*) FROM document_versions WHERE sha256 = ?)"
			   " + (SELECT count(*) FROM documents WHERE sha256 = ?)", "ss", shas[i], shas[i]) != 1) {
			db_rollback(dc->db);
			return -1;
		}
		if (used == 0 && age >= 0 && age < grace) {
			/* Written again a moment ago (an upload of the same bytes on
			 * its way to its transaction): look again later. */
			if (db_exec(dc->db, "UPDATE blob_orphans SET since = ? WHERE sha256 = ?", "is", dc->now,
				    shas[i]) < 0) {
				db_rollback(dc->db);
				return -1;
			}
		} else if ((used == 0 && db_exec(dc->db, "DELETE FROM blobs WHERE sha256 = ?", "s", shas[i]) < 0) ||
			   db_exec(dc->db, "DELETE FROM blob_orphans WHERE sha256 = ?", "s", shas[i]) < 0) {
			db_rollback(dc->db);
			return -1;
		} else {
			gone = used == 0;
		}
		if (db_commit(dc->db) < 0)
			return -1;
		if (gone) {
			blob_remove(dc->cfg->files_dir, shas[i]);
			removed++;
		}
	}
	return removed;
}

enum derr document_delete(struct dctx *dc, const struct viewer *v, int64_t id)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);
	const char *shas[256];
	int n = 0;
	struct db_stmt *st;

	if (rc != D_OK)
		return rc;
	if (!d.may_edit)
		return D_FORBIDDEN;
	st = db_query(dc->db, "SELECT sha256 FROM document_versions WHERE document_id = ? ORDER BY version DESC"
		      " LIMIT 256", "i", id);
	while (st && db_step(st) == DB_ROW)
		if ((shas[n] = db_col_dup(st, 0, dc->arena)))
			n++;
	if (db_finish(st) < 0)
		return D_INTERNAL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (db_exec(dc->db, "DELETE FROM documents WHERE id = ?", "i", id) != 1 ||
	    (d.ref.author_id != v->id &&
	     db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, group_id, target_user_id, detail, created_at)"
		     " VALUES (?, 'document_delete', NULLIF(?, 0), NULLIF(?, 0), ?, ?)", "iiisi", v->id,
		     d.ref.group_id, d.ref.author_id, d.title, dc->now) != 1) ||
	    db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	note_orphans(dc, shas, n);
	return D_OK;
}

enum derr document_add_version(struct dctx *dc, const struct viewer *v, int64_t id,
			       const struct doc_file_in *file, const char *note, int64_t *version,
			       const char **field)
{
	struct document d;
	struct checked_file cf;
	enum derr rc = load_visible(dc, v, id, &d);

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (!d.may_edit)
		return D_FORBIDDEN;
	*field = "note";
	if (note && !text_length_ok(note, 0, DOC_NOTE_MAX, 0))
		return D_INVALID;
	if ((rc = check_file(file, &cf, field)) != D_OK)
		return rc;
	if ((rc = check_quota(dc, d.ref.author_id, d.ref.group_id, cf.size, field)) != D_OK)
		return rc;
	if (blob_put(dc->cfg->files_dir, file->tmp_path, cf.sha) < 0)
		return D_INTERNAL;
	*field = NULL;
	*version = d.version + 1;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = lock_space(dc, d.ref.author_id, d.ref.group_id) < 0 ? D_INTERNAL
	   : check_quota(dc, d.ref.author_id, d.ref.group_id, cf.size, field);
	if (rc == D_OK && (rc = D_INTERNAL, record_blob(dc, &cf) == 0)) {
		/* The version number moves only if nobody else added one meanwhile. */
		int moved = db_exec(dc->db, "UPDATE documents SET version = ?, sha256 = ?, filename = ?, mime = ?, kind = ?,"
				    " size = ?, updated_at = ? WHERE id = ? AND version = ?", "issssiiii", *version, cf.sha,
				    cf.name, cf.mime, cf.kind, cf.size, dc->now, id, d.version);

		if (moved == 0)
			rc = D_CONFLICT;
		else if (moved == 1 &&
			 db_exec(dc->db, "INSERT INTO document_versions (document_id, version, sha256, filename, mime, kind,"
				 " size, author_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iissssiisi", id,
				 *version, cf.sha, cf.name, cf.mime, cf.kind, cf.size, v->id, note ? note : "", dc->now) == 1)
			rc = D_OK;
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		const char *sha = cf.sha;

		db_rollback(dc->db);
		note_orphans(dc, &sha, 1);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr document_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);
	int changed;

	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	changed = on ? db_exec(dc->db, "INSERT INTO document_useful (document_id, user_id, created_at) VALUES (?, ?, ?)"
			       " ON CONFLICT DO NOTHING", "iii", id, v->id, dc->now)
		     : db_exec(dc->db, "DELETE FROM document_useful WHERE document_id = ? AND user_id = ?", "ii", id, v->id);
	if (changed < 0 ||
	    (changed > 0 && db_exec(dc->db, "UPDATE documents SET useful_count = useful_count + ? WHERE id = ?", "ii",
				    (int64_t)(on ? 1 : -1), id) != 1) ||
	    db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

/* ---- versions and files ------------------------------------------------- */

int document_versions(struct dctx *dc, const struct viewer *v, int64_t id, struct doc_version **out)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);

	*out = NULL;
	if (rc == D_NOT_FOUND)
		return -2;
	if (rc != D_OK)
		return -1;
	return document_versions_of(dc, &d, out);
}

int document_versions_of(struct dctx *dc, const struct document *doc, struct doc_version **out)
{
	const struct document d = *doc; /* read only */
	int64_t id = d.ref.id;
	struct db_stmt *st;
	int n = 0;

	if (!(*out = arena_alloc(dc->arena, sizeof **out * (size_t)(d.version > 0 ? d.version : 1))))
		return -1;
	st = db_query(dc->db, "SELECT dv.version, dv.size, dv.author_id, dv.created_at, dv.filename, dv.mime, dv.kind,"
		      " dv.sha256, dv.note, u.name FROM document_versions dv LEFT JOIN users u ON u.id = dv.author_id"
		      " WHERE dv.document_id = ? ORDER BY dv.version DESC", "i", id);
	while (st && n < d.version && db_step(st) == DB_ROW) {
		struct doc_version *x = &(*out)[n++];

		x->version = db_col_int(st, 0);
		x->size = db_col_int(st, 1);
		x->author_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		x->created_at = db_col_int(st, 3);
		x->filename = db_col_dup(st, 4, dc->arena);
		x->mime = db_col_dup(st, 5, dc->arena);
		x->kind = db_col_dup(st, 6, dc->arena);
		x->sha256 = db_col_dup(st, 7, dc->arena);
		x->note = db_col_dup(st, 8, dc->arena);
		x->author_name = db_col_dup(st, 9, dc->arena);
	}
	return db_finish(st) < 0 ? -1 : n;
}

enum derr document_file(struct dctx *dc, const struct viewer *v, int64_t id, int64_t version,
			struct doc_blob *out)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);
	char path[1024];
	struct db_stmt *st;
	int step;

	if (rc != D_OK)
		return rc;
	if (version < 0 || version > d.version)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT sha256, mime, kind, filename, size, created_at FROM document_versions"
		      " WHERE document_id = ? AND version = ?", "ii", id, version ? version : d.version);
	step = db_step(st);
	if (step == DB_ROW) {
		out->sha256 = db_col_dup(st, 0, dc->arena);
		out->mime = db_col_dup(st, 1, dc->arena);
		out->kind = db_col_dup(st, 2, dc->arena);
		out->filename = db_col_dup(st, 3, dc->arena);
		out->size = db_col_int(st, 4);
		out->created_at = db_col_int(st, 5);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	if (blob_path(dc->cfg->files_dir, out->sha256, path, sizeof path) < 0 ||
	    !(out->path = arena_strdup(dc->arena, path)))
		return D_INTERNAL;
	return D_OK;
}

void document_count_download(struct dctx *dc, int64_t id)
{
	if (db_exec(dc->db, "UPDATE documents SET download_count = download_count + 1 WHERE id = ?", "i", id) < 0)
		LOG_W("documents: could not count a download of %lld", (long long)id);
}

enum derr document_thumbnail(struct dctx *dc, const struct viewer *v, int64_t id, const char **path)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);
	char p[1024];

	if (rc != D_OK)
		return rc;
	if (!d.has_thumbnail || blob_thumb_path(dc->cfg->files_dir, d.sha256, p, sizeof p) < 0)
		return D_NOT_FOUND;
	*path = arena_strdup(dc->arena, p);
	return *path ? D_OK : D_INTERNAL;
}

const char *document_text_preview(struct dctx *dc, const struct document *d, int *truncated)
{
	char path[1024];
	char *text;
	ssize_t n;
	size_t len = 0, want;
	int fd;

	*truncated = 0;
	if (strcmp(d->kind, "text") || blob_path(dc->cfg->files_dir, d->sha256, path, sizeof path) < 0)
		return NULL;
	want = d->size > DOC_TEXT_PREVIEW_MAX ? DOC_TEXT_PREVIEW_MAX : (size_t)d->size;
	if (!(text = arena_alloc(dc->arena, want + 1)))
		return NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	while (len < want && (n = read(fd, text + len, want - len)) > 0)
		len += (size_t)n;
	close(fd);
	if ((int64_t)len < d->size) {
		*truncated = 1;
		while (len && ((unsigned char)text[len - 1] & 0xC0) == 0x80) /* a cut character */
			len--;
		if (len && (unsigned char)text[len - 1] >= 0xC0)
			len--;
	}
	text[len] = '\0';
	if (strlen(text) != len || !utf8_valid(text, len))
		return NULL; /* NUL bytes or another encoding: no preview */
	return text;
}

/* ---- comments ------------------------------------------------------------ */

enum derr doc_comment_create(struct dctx *dc, const struct viewer *v, int64_t id, const char *body,
			     int64_t *comment_id)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);
	struct db_stmt *st;

	if (rc != D_OK)
		return rc;
	if (!text_length_ok(body, 1, DOC_COMMENT_MAX, 1) || text_blank(body))
		return D_INVALID;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO document_comments (document_id, author_id, body, created_at, updated_at)"
		      " VALUES (?, ?, ?, ?, ?) RETURNING id", "iisii", id, v->id, body, dc->now, dc->now);
	if (db_step(st) == DB_ROW) {
		*comment_id = db_col_int(st, 0);
		rc = D_OK;
	}
	if (db_finish(st) < 0 ||
	    db_exec(dc->db, "UPDATE documents SET comment_count = comment_count + 1 WHERE id = ?", "i", id) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	stats_note(dc, v->id, STATS_COMMENT, d.ref.group_id, NULL);
	return D_OK;
}

int doc_comments_list(struct dctx *dc, const struct viewer *v, int64_t id, int64_t after, int limit,
		      struct doc_comment **out, int64_t *next)
{
	struct document d;
	enum derr rc = load_visible(dc, v, id, &d);

	*out = NULL;
	*next = 0;
	if (rc == D_NOT_FOUND)
		return -2;
	if (rc != D_OK)
		return -1;
	return doc_comments_list_of(dc, v, &d, after, limit, out, next);
}

int doc_comments_list_of(struct dctx *dc, const struct viewer *v, const struct document *d, int64_t after,
			 int limit, struct doc_comment **out, int64_t *next)
{
	int64_t id = d->ref.id;
	struct db_stmt *st;
	int n = 0;

	*out = NULL;
	*next = 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit)))
		return -1;
	st = db_query(dc->db, "SELECT c.id, c.author_id, c.created_at, u.name, u.handle, c.body"
		      " FROM document_comments c LEFT JOIN users u ON u.id = c.author_id"
		      " WHERE c.document_id = ? AND c.id > ? AND " ACCESS_COMMENT_SQL("c") " ORDER BY c.id LIMIT ?",
		      "iii", id, after, (int64_t)limit + 1);
	while (st && db_step(st) == DB_ROW) {
		struct doc_comment *c;

		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		c = &(*out)[n++];
		c->id = db_col_int(st, 0);
		c->document_id = id;
		c->author_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
		c->created_at = db_col_int(st, 2);
		c->author_name = db_col_dup(st, 3, dc->arena);
		c->author_handle = db_col_dup(st, 4, dc->arena);
		c->body = db_col_dup(st, 5, dc->arena);
		c->may_delete = (v->id && c->author_id == v->id) || d->may_edit;
	}
	return db_finish(st) < 0 ? -1 : n;
}

enum derr doc_comment_delete(struct dctx *dc, const struct viewer *v, int64_t comment_id, int64_t *document_id)
{
	struct access_item it;
	int64_t doc;
	enum derr rc = access_check_item(dc, v, AK_COMMENT, comment_id, AA_EDIT, &it);

	if (rc != D_OK)
		return rc;
	doc = it.parent_id;
	*document_id = doc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (db_exec(dc->db, "DELETE FROM document_comments WHERE id = ?", "i", comment_id) != 1 ||
	    db_exec(dc->db, "UPDATE documents SET comment_count = comment_count - 1 WHERE id = ?", "i", doc) != 1 ||
	    db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

/* ---- lists ----------------------------------------------------------------- */

#define LIST_FILTERS \
	" AND (? = 0 OR p.group_id = ?) AND (? = 0 OR p.author_id = ?)" \
	" AND (? = '' OR p.kind = ?) AND (? = '' OR p.licence = ?) AND p.created_at >= ? AND p.created_at < ?"
#define LIST_WHERE \
	" WHERE " ACCESS_POST_SQL \
	" AND (? = 0 OR p.author_id = ? OR p.group_id IN (SELECT mg.group_id FROM group_members mg" \
	"      WHERE mg.user_id = ? AND mg.state = 'member'))" LIST_FILTERS
#define LIST_SQL(order) "SELECT " DOC_COLUMNS DOC_FROM LIST_WHERE " ORDER BY " order " LIMIT ? OFFSET ?"
/* "Mine and my groups' ": the same parameters, the documents found from the
 * member's own rows (documents_author, group_members then documents_group)
 * rather than by reading every document of the network newest first. */
#define MINE_WHERE \
	" WHERE " ACCESS_POST_SQL \
	" AND ? = 1 AND p.id IN (SELECT md.id FROM documents md WHERE md.author_id = ?" \
	"   UNION SELECT gd.id FROM group_members mg JOIN documents gd ON gd.group_id = mg.group_id" \
	"   WHERE mg.user_id = ? AND mg.state = 'member')" LIST_FILTERS
#define MINE_SQL(order) "SELECT " DOC_COLUMNS DOC_FROM MINE_WHERE " ORDER BY " order " LIMIT ? OFFSET ?"

int documents_list(struct dctx *dc, const struct viewer *v, const struct doc_filter *f,
		   struct document **out, int64_t *next)
{
	static const char *const sql[] = {
		[DOC_SORT_RECENT] = LIST_SQL("p.id DESC"),
		[DOC_SORT_TITLE] = LIST_SQL("lower(p.title), p.id"),
		[DOC_SORT_DOWNLOADS] = LIST_SQL("p.download_count DESC, p.id DESC"),
		[DOC_SORT_SIZE] = LIST_SQL("p.size DESC, p.id DESC"),
	};
	static const char *const mine_sql[] = {
		[DOC_SORT_RECENT] = MINE_SQL("p.id DESC"),
		[DOC_SORT_TITLE] = MINE_SQL("lower(p.title), p.id"),
		[DOC_SORT_DOWNLOADS] = MINE_SQL("p.download_count DESC, p.id DESC"),
		[DOC_SORT_SIZE] = MINE_SQL("p.size DESC, p.id DESC"),
	};
	int64_t mine = f->mine_and_groups && v->id ? 1 : 0;
	const char *kind = f->kind ? f->kind : "", *licence = f->licence ? f->licence : "";
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (f->limit <= 0 || f->sort < DOC_SORT_RECENT || f->sort > DOC_SORT_SIZE ||
	    !(*out = arena_alloc(dc->arena, sizeof **out * (size_t)f->limit)))
		return -1;
	st = db_query(dc->db, mine ? mine_sql[f->sort] : sql[f->sort], ACCESS_POST_TYPES "iiiiiiissssiiii", ACCESS_POST_ARGS(v), mine, v->id,
		      v->id, f->group_id, f->group_id, f->author_id, f->author_id, kind, kind, licence, licence,
		      f->from > 0 ? f->from : (int64_t)0, f->to > 0 ? f->to : INT64_MAX, (int64_t)f->limit + 1, f->offset);
	while (st && db_step(st) == DB_ROW) {
		if (n == f->limit) {
			*next = f->offset + n;
			break;
		}
		read_doc(dc, st, &(*out)[n]);
		(*out)[n].may_edit = access_may_edit_post(dc, v, &(*out)[n].ref);
		n++;
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (load_tags(dc, &(*out)[i]) < 0)
			return -1;
	return n;
}

static int top_lines(struct dctx *dc, const char *sql, int top, struct storage_line **out)
{
	struct db_stmt *st;
	int n = 0;

	if (!(*out = arena_alloc(dc->arena, sizeof **out * (size_t)top)))
		return -1;
	st = db_query(dc->db, sql, "i", (int64_t)top);
	while (st && n < top && db_step(st) == DB_ROW) {
		(*out)[n].id = db_col_int(st, 0);
		(*out)[n].name = db_col_dup(st, 1, dc->arena);
		(*out)[n].used = db_col_int(st, 2);
		n++;
	}
	return db_finish(st) < 0 ? -1 : n;
}

int storage_report(struct dctx *dc, int top, struct storage_report *out)
{
	memset(out, 0, sizeof *out);
	if (top < 1)
		top = 1;
	if (db_int(dc->db, &out->documents, "SELECT COUNT(*) FROM documents", "") < 0 ||
	    db_int(dc->db, &out->versions, "SELECT COUNT(*) FROM document_versions", "") < 0 ||
	    db_int(dc->db, &out->logical, "SELECT COALESCE(SUM(size), 0) FROM document_versions", "") < 0 ||
	    db_int(dc->db, &out->stored, "SELECT COALESCE(SUM(size), 0) FROM blobs", "") < 0 ||
	    db_int(dc->db, &out->blobs, "SELECT COUNT(*) FROM blobs", "") < 0)
		return -1;
	out->nmembers = top_lines(dc, "SELECT u.id, u.name, SUM(v.size) AS used FROM document_versions v"
				  " JOIN documents d ON d.id = v.document_id JOIN users u ON u.id = d.author_id"
				  " WHERE d.group_id IS NULL GROUP BY u.id, u.name ORDER BY used DESC, u.id LIMIT ?",
				  top, &out->members);
	out->ngroups = top_lines(dc, "SELECT g.id, g.name, SUM(v.size) AS used FROM document_versions v"
				 " JOIN documents d ON d.id = v.document_id JOIN groups g ON g.id = d.group_id"
				 " GROUP BY g.id, g.name ORDER BY used DESC, g.id LIMIT ?", top, &out->groups);
	return out->nmembers < 0 || out->ngroups < 0 ? -1 : 0;
}

/* ---- the media worker ---------------------------------------------------- */

int documents_make_thumbnails(struct dctx *dc, int max)
{
	int done = 0;

	while (done < max) {
		char src[1024], dst[1024];
		const char *sha = NULL, *mime = NULL, *state;
		struct db_stmt *st;
		int ok;

		/* Claim one (another instance may be at work too; a claim older
		 * than ten minutes was abandoned). */
		st = db_query(dc->db, "UPDATE blobs SET thumb_state = 'working', thumb_claimed_at = ?"
			      " WHERE sha256 = (SELECT sha256 FROM blobs WHERE thumb_state = 'pending'"
			      "   OR (thumb_state = 'working' AND thumb_claimed_at < ?) ORDER BY created_at LIMIT 1)"
			      " AND (thumb_state = 'pending' OR thumb_claimed_at < ?) RETURNING sha256, mime",
			      "iii", dc->now, dc->now - 600, dc->now - 600);
		if (st && db_step(st) == DB_ROW) {
			sha = db_col_dup(st, 0, dc->arena);
			mime = db_col_dup(st, 1, dc->arena);
		}
		if (db_finish(st) < 0)
			return -1;
		if (!sha || !mime)
			break;
		ok = blob_path(dc->cfg->files_dir, sha, src, sizeof src) == 0 &&
		     blob_thumb_path(dc->cfg->files_dir, sha, dst, sizeof dst) == 0 && blob_make_dirs(dst) == 0;
		if (ok && !strncmp(mime, "image/", 6))
			state = thumb_image(src, mime, dst) == 0 ? "done" : "failed";
		else if (ok && !strncmp(mime, "video/", 6))
			state = !thumb_have_ffmpeg() ? "none" : thumb_video(src, dst) == 0 ? "done" : "failed";
		else
			state = ok ? "none" : "failed";
		if (db_exec(dc->db, "UPDATE blobs SET thumb_state = ? WHERE sha256 = ?", "ss", state, sha) < 0)
			return -1;
		done++;
	}
	return done;
}

int documents_extract_texts(struct dctx *dc, int max)
{
	int done = 0;

	while (done < max) {
		char path[1024];
		const char *sha = NULL, *mime = NULL, *state = "failed";
		struct db_stmt *st;
		struct buf text = BUF_INIT;
		int rc;

		/* Claimed as thumbnails are (several instances share the work). */
		st = db_query(dc->db, "UPDATE blob_texts SET state = 'working', claimed_at = ?"
			      " WHERE sha256 = (SELECT sha256 FROM blob_texts WHERE state = 'pending'"
			      "   OR (state = 'working' AND claimed_at < ?) LIMIT 1)"
			      " AND (state = 'pending' OR claimed_at < ?)"
			      " RETURNING sha256, (SELECT mime FROM blobs b WHERE b.sha256 = blob_texts.sha256)",
			      "iii", dc->now, dc->now - 600, dc->now - 600);
		if (st && db_step(st) == DB_ROW) {
			sha = db_col_dup(st, 0, dc->arena);
			mime = db_col_dup(st, 1, dc->arena);
		}
		if (db_finish(st) < 0)
			return -1;
		if (!sha)
			break;
		text.max = TEXTRACT_MAX * 2;
		rc = blob_path(dc->cfg->files_dir, sha, path, sizeof path) == 0
		     ? textract(path, mime, TEXTRACT_MAX, &text) : -1;
		if (rc == 0)
			state = "done";
		else if (rc == 1)
			state = "none";
		else
			LOG_W("documents: the text of %s could not be read", sha);
		if (db_exec(dc->db, "UPDATE blob_texts SET state = ?, text = ? WHERE sha256 = ?", "sss", state,
			    rc == 0 ? buf_str(&text) : "", sha) < 0) {
			buf_free(&text);
			return -1;
		}
		buf_free(&text);
		done++;
	}
	return done;
}
