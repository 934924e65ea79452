/* Innovation records (issue 19): the bank of innovations that academy
 * advisers follow. A member writes a record and is its coordinator; the
 * coordinator, the co-authors and admins edit it (every edit keeps a
 * revision); advisers of its academy and admins set its support. Every
 * read goes through the access module (AK_INNOVATION). */
#ifndef RESPIRE_DOMAIN_INNOVATIONS_H
#define RESPIRE_DOMAIN_INNOVATIONS_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"
#include "util/search_text.h"

#define INNOVATION_TITLE_MAX 200
#define INNOVATION_TEXT_MAX 50000        /* each Markdown text */
#define INNOVATION_TAG_MAX 100           /* characters of a level, subject, theme or keyword */
#define INNOVATION_TAGS_MAX 20           /* values of each list */
#define INNOVATION_COAUTHORS_MAX 20
#define INNOVATION_GROUPS_MAX 20
#define INNOVATION_DOCUMENTS_MAX 20
#define INNOVATION_YEAR_MIN 1950
#define INNOVATION_DURATION_MAX 10

extern const char *const innovation_academies[];      /* the French academies */
extern const char *const innovation_default_themes[]; /* unless innovation_themes is set */
extern const char *const innovation_types[];          /* local, experimentation */
extern const char *const innovation_supports[];       /* none, autonomous, followed, selected */
extern const char *const innovation_visibilities[];   /* public, members */

/* The themes in effect (the configuration's innovation_themes, '|'-separated,
 * else the default list), NULL-terminated, in dc's arena. */
const char *const *innovation_themes(struct dctx *dc);
/* The academies in effect (the settings' academies, '|'-separated, else
 * innovation_academies), NULL-terminated, in dc's arena; and membership. */
const char *const *innovation_academy_list(struct dctx *dc);
int innovation_academy_known(struct dctx *dc, const char *academy);
/* "0123456A": seven digits and a letter. */
int innovation_uai_ok(const char *uai);

struct str_list {
	const char **v;
	int n;                  /* -1: absent (an update leaves it) */
};

struct innovation_person {
	int64_t id;
	const char *name;
};

struct innovation {
	int64_t id;
	const char *ref;                 /* NULL: none */
	int64_t coordinator_id;          /* 0: the account is gone */
	const char *coordinator_name;
	const char *title, *summary, *academy, *uai, *type;
	int64_t started_year, duration_years;
	const char *aims, *actions, *evaluation, *effects, *partners;
	const char *visibility, *support, *support_comment;
	int64_t created_at, updated_at, revision;
	int hidden;
	/* read by innovation_get only */
	struct str_list levels, subjects, themes, keywords;
	struct innovation_person *coauthors;
	int ncoauthors;
	struct innovation_person *groups;   /* linked groups the viewer sees (name in .name) */
	int ngroups;
	struct innovation_person *documents; /* attached documents the viewer sees (title in .name) */
	int ndocuments;
	int64_t useful_count, follower_count;
	int useful_by_me, followed_by_me;
	int may_edit, may_support;
	/* read by innovations_list with a query: the piece of the summary, aims,
	 * actions or effects around the first match (plain text; web/ and api/
	 * mark the words with search_snippet_html and query), else NULL */
	const char *snippet;
	const struct search_query *query;
};

struct innovation_input {
	const char *ref, *title, *summary, *academy, *uai, *type, *visibility;
	const char *aims, *actions, *evaluation, *effects, *partners;
	int64_t started_year, duration_years;     /* -1: absent */
	struct str_list levels, subjects, themes, keywords;
	const int64_t *coauthors;
	int ncoauthors;                           /* -1: absent */
	const int64_t *group_ids;
	int ngroups;                              /* -1: absent */
	const int64_t *document_ids;              /* attached documents and films the author sees */
	int ndocuments;                           /* -1: absent */
	const char *support, *support_comment;    /* updates only, advisers and admins */
	int hidden;                               /* -1: absent; admins only */
	int uai_null;                             /* an update clears the UAI */
	/* An import's row: the importing admin (0: not an import). Its feed
	 * activity (the creation or the update, domain/feed.c) is written only
	 * when the record has people beyond the importer: a coordinator who is
	 * another member, co-authors, or followers; the bank's records filed
	 * under the importer's name flood no feed. */
	int64_t importer;
};

/* An input with every member absent. */
void innovation_input_init(struct innovation_input *in);

/* The author becomes the coordinator. D_INVALID with *field on bad input. */
enum derr innovation_create(struct dctx *dc, const struct viewer *v, const struct innovation_input *in,
			    int64_t *id, const char **field);
enum derr innovation_get(struct dctx *dc, const struct viewer *v, int64_t id, struct innovation *out);
/* Content fields need AA_EDIT (the team, admins), support fields AA_MODERATE
 * (advisers of its academy, admins), hidden an admin: D_FORBIDDEN (field set)
 * when visible but refused. A content change keeps a revision. */
enum derr innovation_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct innovation_input *in,
			    const char **field);
enum derr innovation_delete(struct dctx *dc, const struct viewer *v, int64_t id);
enum derr innovation_follow(struct dctx *dc, const struct viewer *v, int64_t id, int on);
enum derr innovation_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on);
/* A private message to the coordinator: "contact the team" (any member who
 * sees the record) or, with changes set, an adviser's request for changes
 * (AA_MODERATE). *room_id is the conversation. D_INVALID (field "coordinator")
 * when V is the coordinator or the record has none. */
enum derr innovation_message(struct dctx *dc, const struct viewer *v, int64_t id, const char *body, int changes,
			     int64_t *room_id, const char **field);

struct innovation_filter {
	const char *q, *academy, *level, *subject, *theme, *type, *support, *uai;
	int64_t year;            /* 0: any */
	const char *sort;        /* "relevance" (the default with q) or "recent" (newest first, the default without) */
	int64_t before;          /* cursor: records with a smaller id; by relevance, the rows already read */
	int limit;
	int only_public;         /* feeds: what a visitor sees */
};

struct facet_count {
	const char *value;
	int64_t count;
};
struct innovation_facets {
	struct facet_count *academy, *level, *theme, *type, *year, *support;
	int nacademy, nlevel, ntheme, ntype, nyear, nsupport;
};

/* Records V may open, newest first or by relevance (q through the search
 * index, kind "innovation"); *total counts them all (NULL: not
 * counted), facets (NULL: not computed) count each value under the other
 * filters. Returns the number of rows or -1. */
int innovations_list(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
		     struct innovation **out, int64_t *next, int64_t *total, struct innovation_facets *facets);

/* A place in the adviser's queue: records not yet supported first
 * (supported 0), then by last update, newest first. id 0: the start. */
struct innovation_queue_pos {
	int supported;
	int64_t updated_at, id;
};

/* The queue's cursor "S-T-ID" (supported 0 or 1, updated_at, id) into *p:
 * 0, or -1 when malformed. */
int innovation_queue_cursor(const char *s, struct innovation_queue_pos *p);

/* The adviser's queue: the records of their academy V may open (an admin:
 * every academy, or academy when set), after *after; up to limit into *out,
 * their number in *n, *next the place after the last when more remain
 * (id 0: none); *queue_academy the academy shown (NULL: every one).
 * D_NOT_FOUND for anyone but advisers and admins, D_INVALID (field
 * "academy") for an unknown academy. */
enum derr innovations_queue(struct dctx *dc, const struct viewer *v, const char *academy,
			    const struct innovation_queue_pos *after, int limit, struct innovation **out, int *n,
			    struct innovation_queue_pos *next, const char **queue_academy);

/* Reads a listed record's levels, subjects, themes, keywords and
 * co-authors (the export: x comes from innovations_list, so V sees it). */
int innovation_read_lists(struct dctx *dc, struct innovation *x);
/* The same for n listed records in two statements per 48 (the CSV export). */
int innovations_read_lists(struct dctx *dc, struct innovation *xs, int n);

/* The record of ref with its lists and co-authors (innovation_read_lists),
 * whoever may see it (the import, an admin's): 1, 0 none, -1 error. */
int innovation_by_ref(struct dctx *dc, const char *ref, struct innovation *out);

struct innovation_revision {
	int64_t revision;
	const char *title, *body;
	int64_t author_id;
	const char *author_name;
	int64_t created_at;
};
/* Revisions newest first; -2 when V may not see the record. */
int innovation_revisions(struct dctx *dc, const struct viewer *v, int64_t id, struct innovation_revision **out);
enum derr innovation_revision_get(struct dctx *dc, const struct viewer *v, int64_t id, int64_t rev,
				  struct innovation_revision *out);

/* The checks create (creating) and update make, alone: the import's
 * --dry-run and its validation before writing. coordinator: the record's. */
enum derr innovation_validate(struct dctx *dc, const struct viewer *v, const struct innovation_input *in, int creating,
			      int64_t coordinator, const char **field);

/* The academy V advises, or NULL (none, or a visitor). */
const char *innovation_adviser_academy(struct dctx *dc, const struct viewer *v);

/* Makes a member an adviser of academy (NULL: none) and sets the site role
 * ("admin", "member", or NULL: unchanged). D_NOT_FOUND for an unknown
 * e-mail, D_INVALID for an unknown academy. */
enum derr innovation_set_role(struct dctx *dc, const char *email, const char *site_role, const char *adviser);

#endif
