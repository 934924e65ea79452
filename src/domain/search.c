#include "domain/search.h"

#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "util/log.h"
#include "util/search_text.h"
#include "util/text.h"

const char *const search_kind_names[] = { "user", "group", "post", "reply", "document", "innovation", "event",
					   "call", NULL };

/* ---- the query ------------------------------------------------------------
 * m: what the text matches (search_fts() of either backend, once, with the
 * kind and id of each match); then one branch per kind, each joined back to
 * its table and filtered there by the access module's rules. A branch is
 * switched off by its first '?'. Only the page's rows are joined to their
 * text (body, tags and file text) for snippets, after ranking.
 *
 * Without filters, m holds the SEARCH_WINDOW newest matches only: a query of
 * common words matches a good part of the network, and ranking (bm25 or
 * ts_rank) and checking access for every match made one search cost more
 * the larger the network (seconds for "grille évaluation" over 500,000
 * posts and replies); one statement then returns every one of them the
 * viewer may see, ranked, which gives both the page and the counts. With a
 * filter (kind, group, author, dates, tags) every match is considered, so
 * that older items of a group or a member are found, and counted apart. */

#define FTS_M(window) \
	"WITH m AS MATERIALIZED (SELECT f.sid AS sid, f.rnk AS rnk, s.kind AS skind, s.item_id AS sitem" \
	" FROM (SELECT rowid AS sid, rank AS rnk FROM search_fts(?)" window ") f JOIN search_items s ON s.id = f.sid)"
/* The same without relevance, for counting (ranking a prefix's matches is
 * the dearest part of a search). */
#define FTS_M_UNRANKED(window) \
	"WITH m AS MATERIALIZED (SELECT f.sid AS sid, 0 AS rnk, s.kind AS skind, s.item_id AS sitem" \
	" FROM (SELECT rowid AS sid FROM search_fts(?)" window ") f JOIN search_items s ON s.id = f.sid)"
#define ALL_MATCHES ""
#define NEWEST_MATCHES " ORDER BY rowid DESC LIMIT 1001" /* SEARCH_WINDOW */
/* What each branch reads m as. The window's LIMIT changes no row (m holds
 * 1001 at most); it tells SQLite's planner how small m is. Without it the
 * planner takes m for a large table and builds a Bloom filter over the
 * whole of posts, groups or documents before each branch: ~100 ms of a
 * search at 500,000 posts and replies, for 1001 lookups. */
#define ALL_ROWS "m"
#define WINDOW_ROWS "(SELECT * FROM m LIMIT 1001) m"

#define SCORE_PLAIN "CAST(-m.rnk AS DOUBLE PRECISION)"
/* relevance, halved after a year, a third after two... (one '?': now) */
#define SCORE_RECENT(t) \
	"CAST(-m.rnk AS DOUBLE PRECISION) / (1.0 + CAST(? - " t " AS DOUBLE PRECISION) / 31536000.0)"

/* subject, level: four '?' */
#define TAGS(table, col, id) \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM " table " tg WHERE tg." col " = " id \
	"      AND tg.kind = 'subject' AND respire_fold(tg.value) = respire_fold(?)))" \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM " table " tg WHERE tg." col " = " id \
	"      AND tg.kind = 'level' AND respire_fold(tg.value) = respire_fold(?)))"

/* group, author, dates, sub-kind: eight '?' */
#define CONTENT(g, a, t, k) \
	" AND (? = 0 OR " g " = ?) AND (? = 0 OR " a " = ?) AND " t " >= ? AND " t " < ?" \
	" AND (? IS NULL OR " k " = ?)"

#define SEL_USER \
	"SELECT 'user' AS kind, u.id AS item_id, " SCORE_PLAIN " AS score, u.name AS title, m.sid AS sid," \
	" u.created_at AS created_at, 0 AS group_id, '' AS group_name, 0 AS author_id," \
	" '' AS author_name, 0 AS post_id, u.role AS sub"
#define FROM_USER(m) " FROM " m " JOIN users u ON u.id = m.sitem"
#define WHERE_USER " WHERE ? = 1 AND m.skind = 'user' AND " ACCESS_USER_SQL("u") " AND ? > 0" \
	TAGS("user_tags", "user_id", "u.id")

#define SEL_GROUP \
	"SELECT 'group', g.id, " SCORE_PLAIN ", g.name, m.sid, g.created_at, g.id, g.name, 0, '', 0, g.kind"
#define FROM_GROUP(m) " FROM " m " JOIN groups g ON g.id = m.sitem"
#define WHERE_GROUP " WHERE ? = 1 AND m.skind = 'group' AND " ACCESS_GROUP_SQL

#define SEL_POST \
	"SELECT 'post', p.id, " SCORE_RECENT("p.created_at") ", p.title, m.sid, p.created_at," \
	" COALESCE(p.group_id, 0), COALESCE(g.name, ''), COALESCE(p.author_id, 0), COALESCE(au.name, ''), p.id, p.kind"
#define FROM_POST(m) \
	" FROM " m " JOIN posts p ON p.id = m.sitem" \
	" LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users au ON au.id = p.author_id"
#define WHERE_POST " WHERE ? = 1 AND m.skind = 'post' AND " ACCESS_POST_SQL CONTENT("p.group_id", "p.author_id", "p.created_at", "p.kind")

#define SEL_REPLY \
	"SELECT 'reply', rp.id, " SCORE_RECENT("rp.created_at") ", p.title, m.sid, rp.created_at," \
	" COALESCE(p.group_id, 0), COALESCE(g.name, ''), COALESCE(rp.author_id, 0), COALESCE(au.name, ''), p.id, p.kind"
#define FROM_REPLY(m) \
	" FROM " m " JOIN replies rp ON rp.id = m.sitem" \
	" JOIN posts p ON p.id = rp.post_id LEFT JOIN groups g ON g.id = p.group_id" \
	" LEFT JOIN users au ON au.id = rp.author_id"
#define WHERE_REPLY \
	" WHERE ? = 1 AND m.skind = 'reply' AND " ACCESS_POST_SQL " AND " ACCESS_REPLY_SQL("rp") \
	CONTENT("p.group_id", "rp.author_id", "rp.created_at", "p.kind")

#define SEL_DOC \
	"SELECT 'document', p.id, " SCORE_RECENT("p.created_at") ", p.title, m.sid, p.created_at," \
	" COALESCE(p.group_id, 0), COALESCE(g.name, ''), COALESCE(p.author_id, 0), COALESCE(au.name, ''), 0, p.kind"
#define FROM_DOC(m) \
	" FROM " m " JOIN documents p ON p.id = m.sitem" \
	" LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users au ON au.id = p.author_id"
#define WHERE_DOC \
	" WHERE ? = 1 AND m.skind = 'document' AND " ACCESS_POST_SQL \
	CONTENT("p.group_id", "p.author_id", "p.created_at", "p.kind") TAGS("document_tags", "document_id", "p.id")

/* Innovation records: the access rule, the coordinator as author, dates,
 * the type as sub-kind, subject and level from their tags. */
#define SEL_INNO \
	"SELECT 'innovation', i.id, " SCORE_RECENT("i.created_at") ", i.title, m.sid, i.created_at," \
	" 0, '', COALESCE(i.coordinator_id, 0), COALESCE(au.name, ''), 0, i.type"
#define FROM_INNO(m) \
	" FROM " m " JOIN innovations i ON i.id = m.sitem LEFT JOIN users au ON au.id = i.coordinator_id"
#define WHERE_INNO \
	" WHERE ? = 1 AND m.skind = 'innovation' AND " ACCESS_INNOVATION_SQL \
	CONTENT("0", "i.coordinator_id", "i.created_at", "i.type") TAGS("innovation_tags", "innovation_id", "i.id")

/* Events: the access rule, the organiser as author, the group, dates (of
 * creation), the visibility as sub-kind. */
#define SEL_EVENT \
	"SELECT 'event', e.id, " SCORE_RECENT("e.created_at") ", e.title, m.sid, e.created_at," \
	" COALESCE(e.group_id, 0), COALESCE(g.name, ''), COALESCE(e.author_id, 0), COALESCE(au.name, ''), 0, e.visibility"
#define FROM_EVENT(m) \
	" FROM " m " JOIN events e ON e.id = m.sitem" \
	" LEFT JOIN groups g ON g.id = e.group_id LEFT JOIN users au ON au.id = e.author_id"
#define WHERE_EVENT \
	" WHERE ? = 1 AND m.skind = 'event' AND " ACCESS_EVENT_SQL \
	CONTENT("e.group_id", "e.author_id", "e.created_at", "e.visibility")
/* Calls for proposals: the call rule (their group's), the creator as author,
 * the group, dates. */
#define SEL_CALL \
	"SELECT 'call', c.id, " SCORE_RECENT("c.created_at") ", c.title, m.sid, c.created_at," \
	" COALESCE(c.group_id, 0), COALESCE(cg.name, ''), COALESCE(c.created_by, 0), COALESCE(au.name, ''), 0, 'call'"
#define FROM_CALL(m) \
	" FROM " m " JOIN calls c ON c.id = m.sitem LEFT JOIN groups cg ON cg.id = c.group_id" \
	" LEFT JOIN users au ON au.id = c.created_by"
#define WHERE_CALL \
	" WHERE ? = 1 AND m.skind = 'call' AND " ACCESS_CALL_SQL \
	CONTENT("COALESCE(c.group_id, 0)", "COALESCE(c.created_by, 0)", "c.created_at", "'call'")

/* Every kind's matches, m read as rows. */
#define BRANCHES(rows) \
	SEL_USER FROM_USER(rows) WHERE_USER \
	" UNION ALL " SEL_GROUP FROM_GROUP(rows) WHERE_GROUP \
	" UNION ALL " SEL_POST FROM_POST(rows) WHERE_POST \
	" UNION ALL " SEL_REPLY FROM_REPLY(rows) WHERE_REPLY \
	" UNION ALL " SEL_DOC FROM_DOC(rows) WHERE_DOC \
	" UNION ALL " SEL_INNO FROM_INNO(rows) WHERE_INNO \
	" UNION ALL " SEL_EVENT FROM_EVENT(rows) WHERE_EVENT \
	" UNION ALL " SEL_CALL FROM_CALL(rows) WHERE_CALL

#define RESULTS_SQL \
	FTS_M(ALL_MATCHES) " SELECT x.kind, x.item_id, x.score, x.title, s.body," \
	" CASE WHEN x.kind IN ('user', 'document') THEN s.extra ELSE '' END, x.created_at, x.group_id," \
	" x.group_name, x.author_id, x.author_name, x.post_id, x.sub FROM (" \
	BRANCHES(ALL_ROWS) \
	" ORDER BY score DESC, kind, item_id LIMIT ? OFFSET ?) x JOIN search_items s ON s.id = x.sid" \
	" ORDER BY x.score DESC, x.kind, x.item_id"

#define COUNT_OF(from, where) \
	"(SELECT count(*) FROM (SELECT 1 AS one" from where " LIMIT 1001) c)"

/* The counts of each kind, every match considered (with a filter). */
#define COUNTS_SQL \
	FTS_M_UNRANKED(ALL_MATCHES) " SELECT " COUNT_OF(FROM_USER(ALL_ROWS), WHERE_USER) ", " \
	COUNT_OF(FROM_GROUP(ALL_ROWS), WHERE_GROUP) ", " COUNT_OF(FROM_POST(ALL_ROWS), WHERE_POST) ", " \
	COUNT_OF(FROM_REPLY(ALL_ROWS), WHERE_REPLY) ", " COUNT_OF(FROM_DOC(ALL_ROWS), WHERE_DOC) ", " \
	COUNT_OF(FROM_INNO(ALL_ROWS), WHERE_INNO) ", " COUNT_OF(FROM_EVENT(ALL_ROWS), WHERE_EVENT) ", " \
	COUNT_OF(FROM_CALL(ALL_ROWS), WHERE_CALL)

/* Within the window: every match the viewer may see, ranked (1001 at most),
 * so that one statement gives both the page and the counts; column 4 is the
 * search item (its text is read for the page's rows only), 5 the number of
 * matches in the window. The other columns are those of RESULTS_SQL. */
#define WINDOW_SQL \
	FTS_M(NEWEST_MATCHES) " SELECT x.kind, x.item_id, x.score, x.title, x.sid, (SELECT count(*) FROM m)," \
	" x.created_at, x.group_id, x.group_name, x.author_id, x.author_name, x.post_id, x.sub FROM (" \
	BRANCHES(WINDOW_ROWS) \
	") x ORDER BY x.score DESC, x.kind, x.item_id"

/* SEARCH_PAGE_MAX placeholders (the driver refuses a statement whose count
 * differs from the values given). */
#define IDS10 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define PAGE_IDS IDS10 ", " IDS10 ", " IDS10 ", " IDS10 ", " IDS10

static const char results_sql[] = RESULTS_SQL;
static const char counts_sql[] = COUNTS_SQL;
static const char window_sql[] = WINDOW_SQL;

/* ---- parameters, in the order of the '?' above ---------------------------- */

#define MAX_VALUES 160

struct values {
	struct db_value v[MAX_VALUES];
	int n;
};

static void add_i(struct values *vs, int64_t i)
{
	if (vs->n < MAX_VALUES)
		vs->v[vs->n++] = (struct db_value){ .type = 'i', .i = i };
	else
		vs->n = MAX_VALUES + 1; /* counted wrong: refused by the placeholder check */
}

static void add_s(struct values *vs, const char *s)
{
	if (vs->n < MAX_VALUES)
		vs->v[vs->n++] = (struct db_value){ .type = 's', .s = s };
	else
		vs->n = MAX_VALUES + 1;
}

static void add_access_post(struct values *vs, const struct viewer *v)
{
	int64_t a[] = { ACCESS_POST_ARGS(v) };

	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
		add_i(vs, a[i]);
}

static void add_content(struct values *vs, const struct search_filter *f, const char *sub)
{
	add_i(vs, f->group_id);
	add_i(vs, f->group_id);
	add_i(vs, f->author_id);
	add_i(vs, f->author_id);
	add_i(vs, f->from > 0 ? f->from : 0);
	add_i(vs, f->to > 0 ? f->to : INT64_MAX);
	add_s(vs, sub);
	add_s(vs, sub);
}

static void add_tags(struct values *vs, const struct search_filter *f)
{
	add_s(vs, f->subject);
	add_s(vs, f->subject);
	add_s(vs, f->level);
	add_s(vs, f->level);
}

/* Which kinds this filter can reach: a filter a kind has not (a group for
 * people, a subject for posts...) leaves that kind out. */
unsigned search_kinds_reachable(const struct search_filter *f)
{
	unsigned k = f->kinds ? f->kinds : (1u << SEARCH_KINDS) - 1;

	if (f->group_id || f->author_id || f->from || f->to)
		k &= ~((1u << SK_USER) | (1u << SK_GROUP));
	if (f->group_id)
		k &= ~(1u << SK_INNOVATION);
	if (f->subject || f->level)
		k &= (1u << SK_USER) | (1u << SK_DOCUMENT) | (1u << SK_INNOVATION);
	return k;
}

/* Every branch's values; with_scores: the results query (one 'now' per
 * recency score), else the counts query. */
static void bind_branches(struct values *vs, struct dctx *dc, const struct viewer *v, const struct search_filter *f,
			  unsigned k, int with_scores)
{
	const char *post_sub = f->kinds == (1u << SK_POST) || f->kinds == (1u << SK_REPLY) ? f->sub : NULL;
	const char *doc_sub = f->kinds == (1u << SK_DOCUMENT) ? f->sub : NULL;

	/* people */
	add_i(vs, (k >> SK_USER) & 1);
	add_i(vs, v->id);
	add_tags(vs, f);
	/* groups */
	add_i(vs, (k >> SK_GROUP) & 1);
	add_i(vs, v->id);
	add_i(vs, v->id);
	/* posts */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_POST) & 1);
	add_access_post(vs, v);
	add_content(vs, f, post_sub);
	/* replies */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_REPLY) & 1);
	add_access_post(vs, v);
	{
		int64_t a[] = { ACCESS_REPLY_ARGS(v) };

		for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
			add_i(vs, a[i]);
	}
	add_content(vs, f, post_sub);
	/* documents */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_DOCUMENT) & 1);
	add_access_post(vs, v);
	add_content(vs, f, doc_sub);
	add_tags(vs, f);
	/* innovation records */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_INNOVATION) & 1);
	{
		int64_t a[] = { ACCESS_INNOVATION_ARGS(v) };

		for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
			add_i(vs, a[i]);
	}
	add_content(vs, f, f->kinds == (1u << SK_INNOVATION) ? f->sub : NULL);
	add_tags(vs, f);
	/* events */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_EVENT) & 1);
	{
		int64_t a[] = { ACCESS_EVENT_ARGS(v) };

		for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
			add_i(vs, a[i]);
	}
	add_content(vs, f, f->kinds == (1u << SK_EVENT) ? f->sub : NULL);

	/* calls for proposals */
	if (with_scores)
		add_i(vs, dc->now);
	add_i(vs, (k >> SK_CALL) & 1);
	{
		int64_t a[] = { ACCESS_CALL_ARGS(v) };

		for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
			add_i(vs, a[i]);
	}
	add_content(vs, f, NULL);
}

static enum search_kind kind_named(const char *s)
{
	for (int i = 0; i < SEARCH_KINDS; i++)
		if (s && !strcmp(s, search_kind_names[i]))
			return (enum search_kind)i;
	return SK_POST;
}

int search_expr(struct dctx *dc, const char *q, const char **expr)
{
	struct search_query *sq = arena_alloc(dc->arena, sizeof *sq);
	struct buf b = BUF_INIT;

	*expr = NULL;
	if (!sq)
		return -1;
	if (search_parse(q, sq) < 0)
		return -2;
	if (!sq->nterms)
		return 0;
	if (db_fts_expr(dc->db, sq, &b) < 0 || !(*expr = arena_strdup(dc->arena, buf_str(&b)))) {
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}

/* The text a hit's snippet comes from: its body, or its tags and file text. */
static const char *snippet_source(enum search_kind k, const char *body, const char *extra,
				  const struct search_query *q)
{
	/* the body when it holds a match, else the tags and file text */
	if ((k == SK_USER || k == SK_DOCUMENT) && !search_text_matches(body, q) && extra && *extra)
		return extra;
	return body;
}

/* A hit's columns but its text (0-3, 6-12 of RESULTS_SQL and WINDOW_SQL). */
static int read_columns(struct dctx *dc, struct db_stmt *st, struct search_hit *h)
{
	h->kind = kind_named(db_col_text(st, 0));
	h->id = db_col_int(st, 1);
	h->score = strtod(db_col_text(st, 2) ? db_col_text(st, 2) : "0", NULL);
	h->title = db_col_dup(st, 3, dc->arena);
	h->created_at = db_col_int(st, 6);
	h->group_id = db_col_int(st, 7);
	h->group_name = db_col_dup(st, 8, dc->arena);
	h->author_id = db_col_int(st, 9);
	h->author_name = db_col_dup(st, 10, dc->arena);
	h->post_id = db_col_int(st, 11);
	h->sub = db_col_dup(st, 12, dc->arena);
	return h->title && h->group_name && h->author_name && h->sub ? 0 : -1;
}

/* The hit's snippet, from its body or its tags and file text. */
static int add_snippet(struct dctx *dc, struct search_hit *h, const char *body, const char *extra,
		       const struct search_query *sq)
{
	struct buf plain = BUF_INIT;

	search_snippet(snippet_source(h->kind, body, extra, sq), sq, 30, &plain);
	h->snippet = plain.failed ? NULL : arena_strdup(dc->arena, buf_str(&plain));
	buf_free(&plain);
	return h->snippet ? 0 : -1;
}

/* Reads a page of hits (limit + 1 rows tell whether there are more). */
static int read_hits(struct dctx *dc, const char *sql, struct values *vs, const struct search_query *sq,
		     int limit, int offset, struct search_result *out)
{
	struct db_stmt *st = db_query_values_replanned(dc->db, sql, vs->v, vs->n);
	int rc = 0;

	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		struct search_hit *h = &out->hits[out->n];

		if (out->n == limit) {
			out->more = offset + limit < SEARCH_OFFSET_MAX;
			break;
		}
		if (read_columns(dc, st, h) < 0 || add_snippet(dc, h, db_col_text(st, 4), db_col_text(st, 5), sq) < 0) {
			rc = -1;
			break;
		}
		out->n++;
	}
	if (db_finish(st) < 0)
		return -1;
	return rc;
}

/* The page's texts, for snippets: one statement by search item, each row
 * taken only if it is still the item that was found (a reindex renumbers
 * the items, and an id may be reused once its item is deleted). */
static int read_texts(struct dctx *dc, const struct search_query *sq, struct search_result *out,
		      const int64_t *sids)
{
	static const char sql[] = "SELECT kind, item_id, body, CASE WHEN kind IN ('user', 'document') THEN extra"
				  " ELSE '' END FROM search_items WHERE id IN (" PAGE_IDS ")";
	struct db_value ids[SEARCH_PAGE_MAX];
	const char *bodies[SEARCH_PAGE_MAX] = { 0 }, *extras[SEARCH_PAGE_MAX] = { 0 };
	struct db_stmt *st;
	int rc = 0;

	for (int i = 0; i < SEARCH_PAGE_MAX; i++)
		ids[i] = (struct db_value){ .type = 'i', .i = i < out->n ? sids[i] : 0 };
	st = db_query_values(dc->db, sql, ids, SEARCH_PAGE_MAX);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		enum search_kind k = kind_named(db_col_text(st, 0));
		int64_t id = db_col_int(st, 1);

		for (int i = 0; i < out->n; i++) {
			if (out->hits[i].kind == k && out->hits[i].id == id && !bodies[i]) {
				bodies[i] = db_col_dup(st, 2, dc->arena);
				extras[i] = db_col_dup(st, 3, dc->arena);
				if (!bodies[i] || !extras[i])
					rc = -1;
				break;
			}
		}
	}
	if (db_finish(st) < 0 || rc < 0)
		return -1;
	for (int i = 0; i < out->n; i++)
		if (add_snippet(dc, &out->hits[i], bodies[i] ? bodies[i] : "", extras[i] ? extras[i] : "", sq) < 0)
			return -1;
	return 0;
}

/* The window's page and counts from one statement (WINDOW_SQL), then the
 * text of the page's rows; *matches: how many matches the window held. */
static int read_window(struct dctx *dc, struct values *vs, const struct search_query *sq, int limit, int offset,
		       struct search_result *out, int64_t *matches)
{
	int64_t sids[SEARCH_PAGE_MAX];
	struct db_stmt *st = db_query_values_replanned(dc->db, window_sql, vs->v, vs->n);
	int rc = 0, row = 0;

	*matches = 0;
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		enum search_kind k = kind_named(db_col_text(st, 0));

		*matches = db_col_int(st, 5);
		if (out->counts[k] <= SEARCH_COUNT_CAP)
			out->counts[k]++;
		if (row >= offset && out->n < limit) {
			sids[out->n] = db_col_int(st, 4);
			if (read_columns(dc, st, &out->hits[out->n]) < 0) {
				rc = -1;
				break;
			}
			out->n++;
		} else if (row == offset + limit) {
			out->more = offset + limit < SEARCH_OFFSET_MAX;
		}
		row++;
	}
	if (db_finish(st) < 0 || rc < 0)
		return -1;
	return read_texts(dc, sq, out, sids);
}

/* 1 when the text has more matches than the window holds, 0 if not, -1 on error. */
static int window_full(struct dctx *dc, const char *expr)
{
	int64_t n = 0;

	if (db_int(dc->db, &n, "SELECT count(*) FROM (SELECT rowid FROM search_fts(?)" NEWEST_MATCHES ") w",
		   "s", expr) < 0)
		return -1;
	return n >= SEARCH_WINDOW;
}

enum derr search_run(struct dctx *dc, const struct viewer *v, const struct search_filter *f, int with_counts,
		     struct search_result *out, const char **field)
{
	struct search_query *sq = arena_alloc(dc->arena, sizeof *sq);
	struct values *vs = arena_alloc(dc->arena, sizeof *vs);
	struct buf expr = BUF_INIT;
	struct db_stmt *st;
	const char *e;
	unsigned k;
	int limit = f->limit < 1 ? 20 : f->limit > SEARCH_PAGE_MAX ? SEARCH_PAGE_MAX : f->limit;
	int offset = f->offset < 0 ? 0 : f->offset;
	int window;

	memset(out, 0, sizeof *out);
	*field = NULL;
	if (!sq || !vs)
		return D_INTERNAL;
	*field = "q";
	if (search_parse(f->q, sq) < 0)
		return D_INVALID;
	*field = "offset";
	if (offset > SEARCH_OFFSET_MAX)
		return D_INVALID;
	*field = NULL;
	out->nterms = sq->nterms;
	out->query = sq;
	k = search_kinds_reachable(f);
	if (!sq->nterms || !k)
		return D_OK;
	if (db_fts_expr(dc->db, sq, &expr) < 0 || !(e = arena_strdup(dc->arena, buf_str(&expr)))) {
		buf_free(&expr);
		return D_INTERNAL;
	}
	buf_free(&expr);

	out->hits = arena_alloc(dc->arena, sizeof *out->hits * (size_t)(limit + 1));
	if (!out->hits)
		return D_INTERNAL;
	window = !f->kinds && !f->group_id && !f->author_id && !f->from && !f->to && !f->subject && !f->level;
	vs->n = 0;
	add_s(vs, e);
	bind_branches(vs, dc, v, f, k, 1);
	if (window) {
		int64_t matches;

		if (read_window(dc, vs, sq, limit, offset, out, &matches) < 0)
			return D_INTERNAL;
		/* no row says how many matches the window held */
		out->partial = matches ? matches >= SEARCH_WINDOW : window_full(dc, e);
		if (out->partial < 0)
			return D_INTERNAL;
		/* The newest matches did not fill the page, though there are
		 * more matches than those: the viewer may see older ones (most
		 * of the newest may be in groups they are not in). Rank every
		 * match then. */
		if (out->n == limit || !out->partial)
			return D_OK;
		memset(out->counts, 0, sizeof out->counts);
		out->n = 0;
		out->more = 0;
		out->partial = 0;
	}
	add_i(vs, limit + 1);
	add_i(vs, offset);
	if (read_hits(dc, results_sql, vs, sq, limit, offset, out) < 0)
		return D_INTERNAL;
	if (!with_counts)
		return D_OK;
	vs->n = 0;
	add_s(vs, e);
	bind_branches(vs, dc, v, f, k, 0);
	st = db_query_values_replanned(dc->db, counts_sql, vs->v, vs->n);
	if (st && db_step(st) == DB_ROW)
		for (int i = 0; i < SEARCH_KINDS; i++)
			out->counts[i] = db_col_int(st, i);
	if (db_finish(st) < 0 || !st)
		return D_INTERNAL;
	return D_OK;
}

const char *search_hit_url(struct arena *a, const struct search_hit *h)
{
	switch (h->kind) {
	case SK_USER: return arena_printf(a, "/users/%lld", (long long)h->id);
	case SK_GROUP: return arena_printf(a, "/groups/%lld", (long long)h->id);
	case SK_REPLY: return arena_printf(a, "/posts/%lld#reply-%lld", (long long)h->post_id, (long long)h->id);
	case SK_DOCUMENT: return arena_printf(a, "/documents/%lld", (long long)h->id);
	case SK_INNOVATION: return arena_printf(a, "/innovations/%lld", (long long)h->id);
	case SK_EVENT: return arena_printf(a, "/events/%lld", (long long)h->id);
	case SK_CALL: return arena_printf(a, "/calls/%lld", (long long)h->id);
	default: return arena_printf(a, "/posts/%lld", (long long)h->id);
	}
}

int search_reindex(struct dctx *dc, int texts)
{
	if (texts && (db_exec(dc->db, "INSERT INTO blob_texts (sha256) SELECT sha256 FROM blobs WHERE mime IN"
			      " ('application/pdf','text/plain','text/markdown','text/csv') ON CONFLICT (sha256) DO NOTHING",
			      "") < 0 ||
		      db_exec(dc->db, "UPDATE blob_texts SET state = 'pending', claimed_at = NULL", "") < 0))
		return -1;
	return db_search_rebuild(dc->db);
}
