/* One search over people, groups, posts, replies and documents, that finds
 * everything the viewer may see and nothing else.
 *
 * What a member types is parsed once (util/search_text.h: folded words,
 * light French stemming, prefixes, "phrases"); the storage backend matches
 * it through search_fts() (FTS5 on SQLite, tsvector on PostgreSQL) and the
 * rest is one portable query: each kind of item joined back to its table
 * and filtered there by the access module's SQL rules, so that pages are
 * full, counts exact (within the window of newest matches, see
 * SEARCH_WINDOW) and nothing hidden is ever ranked, counted, suggested
 * or quoted. Ranking: the backend's relevance (title over text over tags
 * and file text), weighed down with age for posts, replies and documents. */
#ifndef RESPIRE_DOMAIN_SEARCH_H
#define RESPIRE_DOMAIN_SEARCH_H

#include <stdint.h>

#include "domain/domain.h"
#include "util/search_text.h"

enum search_kind { SK_USER = 0, SK_GROUP, SK_POST, SK_REPLY, SK_DOCUMENT, SK_INNOVATION, SK_EVENT, SK_CALL, SEARCH_KINDS };
/* "user", "group", "post", "reply", "document" (NULL-terminated). */
extern const char *const search_kind_names[];

#define SEARCH_COUNT_CAP 1000   /* counts stop past it: SEARCH_COUNT_CAP + 1 means "more than 1000" */
#define SEARCH_OFFSET_MAX 1000  /* pages reach this far */
#define SEARCH_PAGE_MAX 50
/* Without filters only the newest SEARCH_WINDOW matches are ranked and
 * counted (see search.c); the literal in NEWEST_MATCHES must agree. */
#define SEARCH_WINDOW 1001

struct search_filter {
	const char *q;
	unsigned kinds;             /* 1 << SK_*; 0: every kind */
	int64_t group_id;           /* items of this group (posts, replies, documents) */
	int64_t author_id;          /* items by this member */
	int64_t from, to;           /* created in [from, to); 0: open */
	const char *subject, *level; /* tags (people, documents) */
	const char *sub;            /* with one kind: a post kind (discussion, blog, page) or a document kind */
	int offset, limit;
};

struct search_hit {
	enum search_kind kind;
	int64_t id;
	double score;
	const char *title;
	const char *snippet;        /* plain text (web/ and api/ mark the words: search_snippet_html) */
	int64_t created_at;
	int64_t group_id, author_id;
	const char *group_name, *author_name; /* "" when none */
	int64_t post_id;            /* replies: their post */
	const char *sub;            /* post kind, document kind, group kind, member role */
};

struct search_result {
	struct search_hit *hits;
	int n;
	int more;                   /* another page follows (offset + n) */
	int64_t counts[SEARCH_KINDS]; /* what the query finds per kind for this viewer, up to SEARCH_COUNT_CAP + 1 */
	int nterms;                 /* 0: the query held nothing to look for */
	const struct search_query *query; /* as parsed, to mark the snippets' words (NULL: none) */
	int partial;                /* the counts are those of the newest SEARCH_WINDOW matches: more exist */
};

/* The page of a hit: /users/1, /groups/2, /posts/3, /posts/3#reply-4, /documents/5. */
const char *search_hit_url(struct arena *a, const struct search_hit *h);

/* The kinds a filter can reach (a group filter leaves people and groups out...). */
unsigned search_kinds_reachable(const struct search_filter *f);

/* D_OK, D_INVALID (*field "q": not valid UTF-8 or longer than
 * SEARCH_QUERY_MAX bytes; "sub", "kinds"...), D_INTERNAL. with_counts: also
 * fill counts (a second query; without filters they come with the page). */
enum derr search_run(struct dctx *dc, const struct viewer *v, const struct search_filter *f, int with_counts,
		     struct search_result *out, const char **field);

/* The storage's match expression for what was typed, to bind to
 * search_fts(?) in other lists (the colleague directory); *expr is NULL when
 * there is nothing to look for. 0, -1 on error, -2 when q is not a query. */
int search_expr(struct dctx *dc, const char *q, const char **expr);

/* respire reindex: search_items filled again from the tables; texts: the
 * words of every file read again (by the server's background worker). */
int search_reindex(struct dctx *dc, int texts);

#endif
