/* Documents and classroom films: files shared in a member's own space or in
 * a group, with a licence, tags, versions, comments, "useful" marks and a
 * download count. A document follows the post rule of the access module
 * (same visibilities, same group rule, same moderation flag): its facts
 * fill a struct post_ref, and lists use ACCESS_POST_SQL with documents
 * aliased "p". Files are kept in content-addressed storage (store/blobs.h). */
#ifndef RESPIRE_DOMAIN_DOCUMENTS_H
#define RESPIRE_DOMAIN_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"

#define DOC_TITLE_MAX 200
#define DOC_DESCRIPTION_MAX 5000
#define DOC_NOTE_MAX 500
#define DOC_COMMENT_MAX 5000
#define DOC_TAGS_MAX 10
#define DOC_TAG_MAX 60
#define DOC_FILES_MAX 20         /* files in one upload */
#define DOC_TEXT_PREVIEW_MAX (256 * 1024)

struct licence {
	const char *code;          /* CC-BY-SA, ..., CC0, ARR */
	const char *label;         /* "CC BY-SA 4.0" */
	const char *url;           /* the licence's deed (NULL for all rights reserved) */
};
extern const struct licence doc_licences[]; /* ends with code NULL */
const struct licence *licence_find(const char *code);

/* What a file is, from its real MIME type: image, video, audio, pdf, text,
 * office, archive; NULL when the type is not accepted. */
const char *doc_kind_of_mime(const char *mime);
extern const char *const doc_kinds[];

struct document {
	struct post_ref ref;       /* id, author, group, visibility, hidden */
	const char *title, *description, *licence;
	const char *filename, *mime, *kind, *sha256;
	const char *author_name, *author_handle, *group_name;
	int64_t size, version, download_count, useful_count, comment_count;
	int64_t created_at, updated_at;
	const char *subjects[DOC_TAGS_MAX], *levels[DOC_TAGS_MAX];
	int nsubjects, nlevels;
	int useful_by_me, may_edit, has_thumbnail;
};

/* The columns of a document in lists (24 of them), the tables they come
 * from (documents p, groups g, users u, blobs b), and the reader of a row
 * from column c. Filter with ACCESS_POST_SQL: documents follow the post rule. */
#define DOCS_COLUMNS \
	ACCESS_REF_COLUMNS("p") ", p.title," \
	" p.description, p.licence, p.filename, p.mime, p.kind, p.sha256, u.name, u.handle, g.name, p.size," \
	" p.version, p.download_count, p.useful_count, p.comment_count, p.created_at, p.updated_at," \
	" b.thumb_state"
#define DOCS_FROM \
	" FROM documents p LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users u ON u.id = p.author_id" \
	" JOIN blobs b ON b.sha256 = p.sha256"
void documents_read_row(struct dctx *dc, struct db_stmt *st, int c, struct document *d);

/* Fields of a new document or of a change (NULL: unchanged). */
struct doc_input {
	const char *title, *description, *licence, *visibility;
	int64_t group_id;          /* 0: the member's own space */
	const char *subjects[DOC_TAGS_MAX + 1], *levels[DOC_TAGS_MAX + 1]; /* one more: refused */
	int nsubjects, nlevels;    /* -1: unchanged */
};

/* A file received by a front-end: a temporary file in FILES/tmp. */
struct doc_file_in {
	const char *tmp_path, *filename;
	int64_t size;
	int too_large;             /* cut off past max_upload */
};

/* Creates one document per file (title: in->title for a single file, else
 * the file's name). D_TOO_LARGE (file), D_QUOTA (quota reached; *field is
 * "member" or "group"), D_UNSUPPORTED_TYPE, D_INVALID (see *field). All or
 * nothing. ids receives the new ids in order. */
enum derr documents_create(struct dctx *dc, const struct viewer *v, const struct doc_input *in,
			   const struct doc_file_in *files, int nfiles, int64_t *ids, const char **field);
/* D_NOT_FOUND when absent or not visible. */
enum derr document_get(struct dctx *dc, const struct viewer *v, int64_t id, struct document *out);
enum derr document_update(struct dctx *dc, const struct viewer *v, int64_t id,
			  const struct doc_input *in, const char **field);
enum derr document_delete(struct dctx *dc, const struct viewer *v, int64_t id);
/* A new version of the file (the author, group moderators, admins). */
enum derr document_add_version(struct dctx *dc, const struct viewer *v, int64_t id,
			       const struct doc_file_in *file, const char *note, int64_t *version,
			       const char **field);
enum derr document_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on);

struct doc_version {
	int64_t version, size, author_id, created_at;
	const char *filename, *mime, *kind, *sha256, *note, *author_name;
};
/* Versions newest first; -2 when the document is not visible. */
int document_versions(struct dctx *dc, const struct viewer *v, int64_t id, struct doc_version **out);
/* The same for a document V was already given by document_get. */
int document_versions_of(struct dctx *dc, const struct document *d, struct doc_version **out);

/* A file to send: the stored object of a version (0: the current one). */
struct doc_blob {
	const char *path, *mime, *kind, *filename, *sha256;
	int64_t size, created_at;
};
enum derr document_file(struct dctx *dc, const struct viewer *v, int64_t id, int64_t version,
			struct doc_blob *out);
/* Counts one download (a whole file sent as an attachment). */
void document_count_download(struct dctx *dc, int64_t id);
/* The thumbnail of the current version, when made. */
enum derr document_thumbnail(struct dctx *dc, const struct viewer *v, int64_t id, const char **path);
/* The text of a text document's current version for a preview (at most
 * DOC_TEXT_PREVIEW_MAX bytes, valid UTF-8), or NULL. */
const char *document_text_preview(struct dctx *dc, const struct document *d, int *truncated);

struct doc_comment {
	int64_t id, document_id, author_id, created_at;
	const char *author_name, *author_handle, *body;
	int may_delete;
};
enum derr doc_comment_create(struct dctx *dc, const struct viewer *v, int64_t id, const char *body,
			     int64_t *comment_id);
/* Comments in time order after the cursor; -2 when the document is not visible. */
int doc_comments_list(struct dctx *dc, const struct viewer *v, int64_t id, int64_t after, int limit,
		      struct doc_comment **out, int64_t *next);
/* The same for a document V was already given by document_get. */
int doc_comments_list_of(struct dctx *dc, const struct viewer *v, const struct document *d, int64_t after,
			 int limit, struct doc_comment **out, int64_t *next);
/* The comment's author, the document's editors. */
enum derr doc_comment_delete(struct dctx *dc, const struct viewer *v, int64_t comment_id,
			     int64_t *document_id);

enum doc_sort { DOC_SORT_RECENT = 0, DOC_SORT_TITLE, DOC_SORT_DOWNLOADS, DOC_SORT_SIZE };
struct doc_filter {
	int mine_and_groups;       /* "Mes documents": mine and those of my groups */
	int64_t group_id;          /* a group's resource bank (0: any) */
	int64_t author_id;         /* 0: any */
	const char *kind;          /* NULL: any */
	const char *licence;       /* NULL: any */
	int64_t from, to;          /* shared in [from, to) (Unix seconds; 0: open) */
	enum doc_sort sort;
	int64_t offset;            /* cursor: rows already shown */
	int limit;
};
/* Documents the viewer may see, filtered and sorted; *next is the next
 * offset or 0. -1 on error. */
int documents_list(struct dctx *dc, const struct viewer *v, const struct doc_filter *f,
		   struct document **out, int64_t *next);

/* Bytes used (every version counts) and the quota. */
struct storage_use {
	int64_t used, quota;
};
int storage_use_member(struct dctx *dc, int64_t user, struct storage_use *out);
int storage_use_group(struct dctx *dc, int64_t group, struct storage_use *out);

/* For operators: totals and the largest users of storage. */
struct storage_line {
	int64_t id, used;
	const char *name;
};
struct storage_report {
	int64_t documents, versions;
	int64_t logical;           /* every version counted (what quotas see) */
	int64_t stored, blobs;     /* on disk: identical files once */
	struct storage_line *members, *groups;
	int nmembers, ngroups;
};
int storage_report(struct dctx *dc, int top, struct storage_report *out);

/* The background media worker: makes up to max pending thumbnails; returns
 * how many were handled, -1 on a database error. */
int documents_make_thumbnails(struct dctx *dc, int max);
/* Stored files nothing refers to any more, noted at least grace seconds ago
 * and not written since: removed (rows and files), up to max. Returns how
 * many files went, or -1. Housekeeping waits BLOB_ORPHAN_GRACE. */
#define BLOB_ORPHAN_GRACE 600
/* Reads the words of new files for search (PDF, text, Markdown), up to max
 * of them; returns how many, or -1. */
int documents_extract_texts(struct dctx *dc, int max);
int documents_collect_orphans(struct dctx *dc, int64_t grace, int max);

#endif
