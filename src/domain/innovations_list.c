/* Innovation records: the catalogue (lists with their facet counts, kept
 * per generation of the records) and the lists of many records at once
 * (the CSV export). */
#include "domain/innovations.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/innovations_rows.h"
#include "domain/search.h"
#include "util/buf.h"

/* ---- lists and facets ------------------------------------------------------ */

/* The list's WHERE, built from the filters in use only: a filter written
 * "(? IS NULL OR i.academy = ?)" in one cached statement hid every index from
 * the planner, which then read all the records for each of the eight
 * statements of a catalogue page (120 ms at 7,000 records, SCALE=1). Only
 * fixed fragments are joined; every value is bound. */
#define WHERE_VALUES_MAX 128
struct where {
	struct buf sql;
	struct db_value v[WHERE_VALUES_MAX];
	int n, failed;
};

static void where_int(struct where *w, int64_t x)
{
	if (w->n == WHERE_VALUES_MAX) {
		w->failed = 1;
		return;
	}
	w->v[w->n].type = 'i';
	w->v[w->n].i = x;
	w->v[w->n++].s = NULL;
}

static void where_text(struct where *w, const char *s)
{
	if (w->n == WHERE_VALUES_MAX) {
		w->failed = 1;
		return;
	}
	w->v[w->n].type = 's';
	w->v[w->n].i = 0;
	w->v[w->n++].s = s;
}

/* Appends " WHERE " the access rule and the filters of f (q: the search
 * index's match expression). */
static void where_build(struct where *w, const struct viewer *v, const struct innovation_filter *f)
{
	static const struct { const char *kind; size_t off; } tags[] = {
		{ "level", offsetof(struct innovation_filter, level) },
		{ "subject", offsetof(struct innovation_filter, subject) },
		{ "theme", offsetof(struct innovation_filter, theme) },
	};

	buf_puts(&w->sql, " WHERE " ACCESS_INNOVATION_SQL);
	where_int(w, v->id);
	where_int(w, v->admin ? 1 : 0);
	where_int(w, v->id);
	where_int(w, v->id);
	if (f->q) {
		buf_puts(&w->sql, " AND i.id IN (SELECT qs.item_id FROM search_fts(?) qf JOIN search_items qs"
			 " ON qs.id = qf.rowid WHERE qs.kind = 'innovation')");
		where_text(w, f->q);
	}
	if (f->academy) {
		buf_puts(&w->sql, " AND i.academy = ?");
		where_text(w, f->academy);
	}
	if (f->type) {
		buf_puts(&w->sql, " AND i.type = ?");
		where_text(w, f->type);
	}
	if (f->support) {
		buf_puts(&w->sql, " AND i.support = ?");
		where_text(w, f->support);
	}
	if (f->uai) {
		buf_puts(&w->sql, " AND i.uai = ?");
		where_text(w, f->uai);
	}
	if (f->year) {
		buf_puts(&w->sql, " AND i.started_year = ?");
		where_int(w, f->year);
	}
	for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
		const char *value = *(const char *const *)((const char *)f + tags[k].off);

		if (!value)
			continue;
		/* an IN list the planner may start from (innovation_tags_value) */
		buf_puts(&w->sql, " AND i.id IN (SELECT ft.innovation_id FROM innovation_tags ft"
			 " WHERE ft.kind = ? AND ft.value = ?)");
		where_text(w, tags[k].kind);
		where_text(w, value);
	}
	if (f->only_public)
		buf_puts(&w->sql, " AND i.visibility = 'public' AND i.hidden_at IS NULL");
}

/* Runs head, the WHERE of f, then tail, with extra values after the filters'. */
static struct db_stmt *where_query(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
				   const char *head, const struct db_value *head_vals, int nhead, const char *tail,
				   const struct db_value *tail_vals, int ntail)
{
	struct where *w = arena_alloc(dc->arena, sizeof *w);
	struct db_stmt *st = NULL;

	if (!w)
		return NULL;
	memset(w, 0, sizeof *w);
	w->sql = (struct buf)BUF_INIT;
	buf_puts(&w->sql, head);
	for (int k = 0; k < nhead; k++)
		if (w->n < WHERE_VALUES_MAX)
			w->v[w->n++] = head_vals[k];
		else
			w->failed = 1;
	where_build(w, v, f);
	buf_puts(&w->sql, tail);
	for (int k = 0; k < ntail; k++)
		if (w->n < WHERE_VALUES_MAX)
			w->v[w->n++] = tail_vals[k];
		else
			w->failed = 1;
	if (!w->failed && !w->sql.failed) {
		/* the statement keeps its SQL (errors, the slow statement log): in the arena */
		const char *sql = arena_strdup(dc->arena, buf_str(&w->sql));

		if (sql)
			st = db_query_dynamic(dc->db, sql, w->v, w->n);
	}
	buf_free(&w->sql);
	return st;
}

/* The facets, in the order of their number in the statement below. */
enum { FACET_ACADEMY, FACET_TYPE, FACET_SUPPORT, FACET_YEAR, FACET_LEVEL, FACET_THEME, FACET_N };

/* Is facet k's filter in use in f? */
static int facet_filter_on(const struct innovation_filter *f, int k)
{
	switch (k) {
	case FACET_ACADEMY: return f->academy != NULL;
	case FACET_TYPE: return f->type != NULL;
	case FACET_SUPPORT: return f->support != NULL;
	case FACET_YEAR: return f->year != 0;
	case FACET_LEVEL: return f->level != NULL;
	default: return f->theme != NULL;
	}
}

/* Appends facet k's filter as a condition on i, its value bound. */
static void facet_match(struct where *w, const struct innovation_filter *f, int k, const char *alias)
{
	switch (k) {
	case FACET_ACADEMY:
		buf_printf(&w->sql, "%s.academy = ?", alias);
		where_text(w, f->academy);
		break;
	case FACET_TYPE:
		buf_printf(&w->sql, "%s.type = ?", alias);
		where_text(w, f->type);
		break;
	case FACET_SUPPORT:
		buf_printf(&w->sql, "%s.support = ?", alias);
		where_text(w, f->support);
		break;
	case FACET_YEAR:
		buf_printf(&w->sql, "%s.started_year = ?", alias);
		where_int(w, f->year);
		break;
	default:
		buf_printf(&w->sql, "EXISTS (SELECT 1 FROM innovation_tags ft WHERE ft.innovation_id = %s.id"
			   " AND ft.kind = ? AND ft.value = ?)", alias);
		where_text(w, k == FACET_LEVEL ? "level" : "theme");
		where_text(w, k == FACET_LEVEL ? f->level : f->theme);
		break;
	}
}

/* The ids matching facet k's filter alone, through its index. */
static void facet_ids(struct where *w, const struct innovation_filter *f, int k)
{
	static const char *const columns[] = { "academy", "type", "support", "started_year" };

	if (k >= FACET_LEVEL) {
		buf_puts(&w->sql, "SELECT ct.innovation_id FROM innovation_tags ct WHERE ct.kind = ? AND ct.value = ?");
		where_text(w, k == FACET_LEVEL ? "level" : "theme");
		where_text(w, k == FACET_LEVEL ? f->level : f->theme);
		return;
	}
	buf_printf(&w->sql, "SELECT cx.id FROM innovations cx WHERE cx.%s = ?", columns[k]);
	if (k == FACET_YEAR)
		where_int(w, f->year);
	else
		where_text(w, k == FACET_ACADEMY ? f->academy : k == FACET_TYPE ? f->type : f->support);
}

/* " WHERE the flags of the facet filters in use but k's are 0" (k -1:
 * all), when there are some: 1, else 0. */
static int facet_others(struct where *w, const struct innovation_filter *f, int k)
{
	int any = 0;

	for (int j = 0; j < FACET_N; j++)
		if (j != k && facet_filter_on(f, j))
			buf_printf(&w->sql, "%sd.m%d", any++ ? " + " : " WHERE ", j);
	if (any)
		buf_puts(&w->sql, " = 0");
	return any > 0;
}

/* The statement counting every facet and the total at once. Each facet
 * counts under the other filters: a record that fails no facet filter counts
 * in every facet, one that fails exactly one counts in that filter's facet
 * only, so one pass over the records failing at most one (d) does it all.
 * With two filters or more, such a record matches one of the two most
 * selective, which the candidates (c) are read from, through their indexes.
 * Rows: (facet number, value, count); FACET_N: the total. */
static struct db_stmt *facets_query(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f)
{
	/* most selective first: tags and years, then academies, then the rest */
	static const int order[] = { FACET_THEME, FACET_LEVEL, FACET_YEAR, FACET_ACADEMY, FACET_SUPPORT, FACET_TYPE };
	struct where *w = arena_alloc(dc->arena, sizeof *w);
	struct innovation_filter g = *f;
	struct db_stmt *st = NULL;
	int pick[2], npick = 0, nfilters = 0;

	if (!w)
		return NULL;
	memset(w, 0, sizeof *w);
	w->sql = (struct buf)BUF_INIT;
	for (int k = 0; k < FACET_N; k++)
		nfilters += facet_filter_on(f, k);
	for (size_t i = 0; i < sizeof order / sizeof order[0] && npick < 2; i++)
		if (facet_filter_on(f, order[i]))
			pick[npick++] = order[i];
	buf_puts(&w->sql, "WITH d AS MATERIALIZED (SELECT * FROM (SELECT i.id, i.academy, i.type, i.support,"
		 " i.started_year");
	for (int k = 0; k < FACET_N; k++) {
		if (!facet_filter_on(f, k))
			continue;
		buf_puts(&w->sql, ", CASE WHEN ");
		facet_match(w, f, k, "i");
		buf_printf(&w->sql, " THEN 0 ELSE 1 END AS m%d", k);
	}
	buf_puts(&w->sql, " FROM innovations i");
	/* the other filters (q, subject, uai, only_public) and the access rule */
	g.academy = g.type = g.support = g.level = g.theme = NULL;
	g.year = 0;
	where_build(w, v, &g);
	if (nfilters >= 2) {
		buf_puts(&w->sql, " AND i.id IN (");
		facet_ids(w, f, pick[0]);
		buf_puts(&w->sql, " UNION ");
		facet_ids(w, f, pick[1]);
		buf_puts(&w->sql, ")");
	}
	buf_puts(&w->sql, ") c");
	for (int k = 0, any = 0; k < FACET_N; k++)
		if (facet_filter_on(f, k))
			buf_printf(&w->sql, "%sc.m%d", any++ ? " + " : " WHERE ", k);
	if (nfilters)
		buf_puts(&w->sql, " <= 1");
	buf_puts(&w->sql, ")");
	{
		static const char *const columns[] = { "d.academy", "d.type", "d.support",
			"CAST(d.started_year AS TEXT)" };

		for (int k = 0; k < FACET_LEVEL; k++) {
			buf_printf(&w->sql, "%s SELECT %d, %s, COUNT(*) FROM d", k ? " UNION ALL" : "", k, columns[k]);
			facet_others(w, f, k);
			buf_printf(&w->sql, " GROUP BY %s", columns[k]);
		}
	}
	for (int k = FACET_LEVEL; k < FACET_N; k++) {
		/* the records first, then their tags (CROSS JOIN keeps SQLite from
		 * starting at every tag of the kind) */
		int more;

		buf_printf(&w->sql, " UNION ALL SELECT %d, t.value, COUNT(*) FROM d CROSS JOIN innovation_tags t", k);
		more = facet_others(w, f, k);
		buf_printf(&w->sql, "%s t.innovation_id = d.id AND t.kind = '%s' GROUP BY t.value", more ? " AND" : " WHERE",
			   k == FACET_LEVEL ? "level" : "theme");
	}
	buf_printf(&w->sql, " UNION ALL SELECT %d, NULL, COUNT(*) FROM d", FACET_N);
	facet_others(w, f, -1);
	if (!w->failed && !w->sql.failed) {
		const char *sql = arena_strdup(dc->arena, buf_str(&w->sql));

		if (sql)
			st = db_query_dynamic(dc->db, sql, w->v, w->n);
	}
	buf_free(&w->sql);
	return st;
}

static int facet_cmp(const void *a, const void *b)
{
	const struct facet_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int year_cmp(const void *a, const void *b)
{
	long long x = atoll(((const struct facet_count *)a)->value), y = atoll(((const struct facet_count *)b)->value);

	return x < y ? 1 : x > y ? -1 : 0;
}

static struct facet_count **facet_list(struct innovation_facets *fc, int k, int **n)
{
	struct facet_count **lists[] = { &fc->academy, &fc->type, &fc->support, &fc->year, &fc->level, &fc->theme };
	int *counts[] = { &fc->nacademy, &fc->ntype, &fc->nsupport, &fc->nyear, &fc->nlevel, &fc->ntheme };

	*n = counts[k];
	return lists[k];
}

/* Reads the facets statement: each facet by count (most first, then by
 * value), the years newest first. */
static int facets_read(struct dctx *dc, struct db_stmt *st, struct innovation_facets *out, int64_t *total)
{
	int cap[FACET_N] = { 0 };

	memset(out, 0, sizeof *out);
	*total = 0;
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		int k = (int)db_col_int(st, 0), *n;
		struct facet_count **l;

		if (k == FACET_N) {
			*total = db_col_int(st, 2);
			continue;
		}
		if (k < 0 || k > FACET_N)
			continue;
		l = facet_list(out, k, &n);
		if (*n == cap[k]) {
			int ncap = cap[k] ? cap[k] * 2 : 32;
			struct facet_count *more = arena_alloc(dc->arena, (size_t)ncap * sizeof *more);

			if (!more) {
				db_finish(st);
				return -1;
			}
			if (*n)
				memcpy(more, *l, (size_t)*n * sizeof *more);
			*l = more;
			cap[k] = ncap;
		}
		(*l)[*n].value = db_col_dup(st, 1, dc->arena);
		(*l)[*n].count = db_col_int(st, 2);
		(*n)++;
	}
	if (db_finish(st) < 0)
		return -1;
	for (int k = 0; k < FACET_N; k++) {
		int *n;
		struct facet_count **l = facet_list(out, k, &n);

		if (*n > 1)
			qsort(*l, (size_t)*n, sizeof **l, k == FACET_YEAR ? year_cmp : facet_cmp);
	}
	return 0;
}

/* The facet counts of recent filters, for each kind of viewer whose counts
 * are the same: visitors, admins, and members on the team of no hidden
 * record (the others are counted at each request). An entry holds for one
 * generation of the records: a counter in the database (innovation_generation,
 * migration 19) that triggers move at every write to the records, their
 * tags and their co-authors, whichever process or instance writes. It is
 * read before counting: counts kept under a generation are never older
 * than it. */
#define FACET_CACHE_N 128
#define FACET_KEY_MAX 1024
#define PAGE_IDS_MAX 41                   /* a first page of up to 40, and whether more follow */

struct facet_entry {
	char key[FACET_KEY_MAX];          /* "" : free */
	int64_t generation, total;
	uint64_t used;
	struct innovation_facets fc;      /* in block */
	void *block;
	/* the ids of the first page, newest first (npage -1: not kept) */
	int64_t page[PAGE_IDS_MAX];
	int npage;
};

static pthread_mutex_t facet_mu = PTHREAD_MUTEX_INITIALIZER;
static struct facet_entry facet_cache[FACET_CACHE_N];
static uint64_t facet_tick;

/* The cache's key of V's kind and f's filters into key: 0, or -1 when these
 * counts are not cached (a search, a member on a hidden record's team). */
static int facet_key(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f, int limit,
		     char *key, int64_t *generation)
{
	struct db_stmt *st;
	int64_t team = 0;
	int rc, n;

	if (f->q)
		return -1;
	st = v->id && !v->admin
		? db_query(dc->db, "SELECT g.n, CASE WHEN EXISTS (SELECT 1 FROM innovations h WHERE h.coordinator_id = ?"
			   " AND h.hidden_at IS NOT NULL) OR EXISTS (SELECT 1 FROM innovation_coauthors hc"
			   " JOIN innovations h2 ON h2.id = hc.innovation_id WHERE hc.user_id = ? AND h2.hidden_at IS NOT NULL)"
			   " THEN 1 ELSE 0 END FROM innovation_generation g", "ii", v->id, v->id)
		: db_query(dc->db, "SELECT n, 0 FROM innovation_generation", "");
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		*generation = db_col_int(st, 0);
		team = db_col_int(st, 1);
	}
	if (db_finish(st) < 0 || rc != DB_ROW || team)
		return -1;
	n = snprintf(key, FACET_KEY_MAX, "%c%d\x1f%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%lld",
		     !v->id ? 'v' : v->admin ? 'a' : 'm', f->only_public, limit, f->academy ? f->academy : "\x1e",
		     f->level ? f->level : "\x1e", f->subject ? f->subject : "\x1e", f->theme ? f->theme : "\x1e",
		     f->type ? f->type : "\x1e", f->support ? f->support : "\x1e", f->uai ? f->uai : "\x1e",
		     (long long)f->year);
	return n > 0 && n < FACET_KEY_MAX ? 0 : -1;
}

/* Copies the facets of src into to (allocated by alloc from ctx: the arena,
 * or malloc into one block). */
static int facets_copy(const struct innovation_facets *src, struct innovation_facets *to, struct arena *a,
		       void **block)
{
	size_t size = 0;
	char *p;

	for (int k = 0; k < FACET_N; k++) {
		int *n;
		struct facet_count **l = facet_list((struct innovation_facets *)src, k, &n);

		size += (size_t)*n * sizeof **l;
		for (int i = 0; i < *n; i++)
			size += strlen((*l)[i].value) + 1;
	}
	p = a ? arena_alloc(a, size + 1) : malloc(size + 1);
	if (!p)
		return -1;
	if (block)
		*block = p;
	memset(to, 0, sizeof *to);
	/* the arrays first (aligned: arena and malloc blocks are), then the strings */
	{
		char *strings = p;

		for (int k = 0; k < FACET_N; k++) {
			int *n;

			facet_list((struct innovation_facets *)src, k, &n);
			strings += (size_t)*n * sizeof(struct facet_count);
		}
		for (int k = 0; k < FACET_N; k++) {
			int *n, *tn;
			struct facet_count **l = facet_list((struct innovation_facets *)src, k, &n);
			struct facet_count **tl = facet_list(to, k, &tn);

			*tl = (struct facet_count *)(void *)p;
			*tn = *n;
			p += (size_t)*n * sizeof **l;
			for (int i = 0; i < *n; i++) {
				size_t len = strlen((*l)[i].value) + 1;

				memcpy(strings, (*l)[i].value, len);
				(*tl)[i].value = strings;
				(*tl)[i].count = (*l)[i].count;
				strings += len;
			}
		}
	}
	return 0;
}

static int facets_cached(struct dctx *dc, const char *key, int64_t generation, struct innovation_facets *out,
			 int64_t *total, int64_t *page, int *npage)
{
	int found = 0;

	pthread_mutex_lock(&facet_mu);
	for (int i = 0; i < FACET_CACHE_N; i++) {
		struct facet_entry *e = &facet_cache[i];

		if (e->key[0] && e->generation == generation && !strcmp(e->key, key)) {
			found = facets_copy(&e->fc, out, dc->arena, NULL) == 0;
			*total = e->total;
			*npage = e->npage;
			if (e->npage > 0)
				memcpy(page, e->page, (size_t)e->npage * sizeof *page);
			e->used = ++facet_tick;
			break;
		}
	}
	pthread_mutex_unlock(&facet_mu);
	return found;
}

static void facets_keep(const char *key, int64_t generation, const struct innovation_facets *fc, int64_t total,
			const int64_t *page, int npage)
{
	struct facet_entry *e = NULL;
	struct innovation_facets copy;
	void *block = NULL;

	if (facets_copy(fc, &copy, NULL, &block) < 0)
		return;
	pthread_mutex_lock(&facet_mu);
	for (int i = 0; i < FACET_CACHE_N; i++) {
		struct facet_entry *c = &facet_cache[i];

		if (c->key[0] && !strcmp(c->key, key)) {   /* the same filters, an older generation */
			e = c;
			break;
		}
		if (!e || (e->key[0] && (!c->key[0] || c->used < e->used)))
			e = c;
	}
	free(e->block);
	snprintf(e->key, sizeof e->key, "%s", key);
	e->generation = generation;
	e->total = total;
	e->fc = copy;
	e->block = block;
	e->npage = npage > PAGE_IDS_MAX ? -1 : npage;
	if (e->npage > 0)
		memcpy(e->page, page, (size_t)npage * sizeof *page);
	e->used = ++facet_tick;
	pthread_mutex_unlock(&facet_mu);
}

/* The snippet of a listed record: around the first match in its summary,
 * aims, actions or effects (the indexed text), else its summary's start. */
static int add_snippet(struct dctx *dc, struct innovation *x, const struct search_query *sq)
{
	const char *texts[] = { x->summary, x->aims, x->actions, x->effects };
	const char *from = x->summary;
	struct buf plain = BUF_INIT;

	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		if (texts[k] && search_text_matches(texts[k], sq)) {
			from = texts[k];
			break;
		}
	search_snippet(from, sq, 30, &plain);
	x->snippet = plain.failed ? NULL : arena_strdup(dc->arena, buf_str(&plain));
	x->query = sq;
	buf_free(&plain);
	return x->snippet ? 0 : -1;
}

#define RELEVANCE_OFFSET_MAX 10000

int innovations_list(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
		     struct innovation **out, int64_t *next, int64_t *total, struct innovation_facets *fc)
{
	static const struct viewer visitor = { 0 };
	struct innovation_filter g = *f, h;
	char *key = NULL;
	int64_t *page = NULL, all = 0, keep_gen = 0;
	int hit = 0, npage = -1;
	struct search_query *sq = NULL;
	struct db_stmt *st;
	const char *expr = NULL;
	int limit = f->limit > 0 && f->limit <= 100 ? f->limit : 20, n = 0, relevance;

	if (!v || f->only_public)
		v = &visitor;
	*next = 0;
	if (total)
		*total = 0;
	if (fc)
		memset(fc, 0, sizeof *fc);
	*out = arena_alloc(dc->arena, (size_t)(limit + 1) * sizeof **out);
	if (!*out)
		return -1;
	g.q = NULL;
	if (f->q && *f->q) {
		/* the search index's match expression stands for q in the filters */
		int rc = search_expr(dc, f->q, &expr);

		if (rc == -1)
			return -1;
		if (rc == -2 || !expr)
			return 0;           /* typed, but nothing to look for ("%", "***"): nothing found */
		g.q = expr;
		if (!(sq = arena_alloc(dc->arena, sizeof *sq)) || search_parse(f->q, sq) < 0)
			return -1;
	}
	relevance = g.q && !(f->sort && !strcmp(f->sort, "recent"));
	if (fc) {
		/* the facets and the total kept for these filters and this kind of
		 * viewer, with the first page's ids (newest first): from the cache,
		 * or counted below and kept */
		int64_t generation = 0;

		if (!(key = arena_alloc(dc->arena, FACET_KEY_MAX)) || !(page = arena_alloc(dc->arena, sizeof *page * PAGE_IDS_MAX)))
			return -1;
		if (facet_key(dc, v, &g, limit, key, &generation) == 0) {
			keep_gen = generation;
			hit = facets_cached(dc, key, generation, fc, &all, page, &npage);
		} else {
			key = NULL;
		}
		if (!hit || relevance || f->before)
			npage = -1;
	}
	if (relevance) {
		/* ranked by the index (title over text over academy), the cursor an offset */
		struct db_value hv[1] = { { 's', 0, g.q } };
		struct db_value tv[2] = { { 'i', limit + 1, NULL }, { 'i', f->before, NULL } };

		if (f->before > RELEVANCE_OFFSET_MAX)
			return 0;
		h = g;
		h.q = NULL;  /* the join filters already */
		st = where_query(dc, v, &h, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM
				 " JOIN (SELECT qs.item_id AS iid, qf.rank AS rnk FROM search_fts(?) qf"
				 "  JOIN search_items qs ON qs.id = qf.rowid WHERE qs.kind = 'innovation') qm ON qm.iid = i.id",
				 hv, 1, " ORDER BY qm.rnk, i.id DESC LIMIT ? OFFSET ?", tv, 2);
	} else if (npage >= 0) {
		/* the first page's ids, kept with the facets: read by their ids */
		struct where *w = arena_alloc(dc->arena, sizeof *w);

		if (!w)
			return -1;
		memset(w, 0, sizeof *w);
		w->sql = (struct buf)BUF_INIT;
		buf_puts(&w->sql, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM " WHERE " ACCESS_INNOVATION_SQL " AND i.id");
		where_int(w, v->id);
		where_int(w, v->admin ? 1 : 0);
		where_int(w, v->id);
		where_int(w, v->id);
		buf_puts(&w->sql, " IN (");
		for (int i = 0; i < npage; i++) {
			buf_puts(&w->sql, i ? ", ?" : "?");
			where_int(w, page[i]);
		}
		buf_puts(&w->sql, npage ? ") ORDER BY i.id DESC" : "NULL) ORDER BY i.id DESC");
		st = NULL;
		if (!w->failed && !w->sql.failed) {
			const char *sql = arena_strdup(dc->arena, buf_str(&w->sql));

			if (sql)
				st = db_query_dynamic(dc->db, sql, w->v, w->n);
		}
		buf_free(&w->sql);
	} else {
		struct db_value tv[3] = { { 'i', f->before, NULL }, { 'i', f->before, NULL }, { 'i', limit + 1, NULL } };

		st = where_query(dc, v, &g, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM, NULL, 0,
				 " AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT ?", tv, 3);
	}
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW && n <= limit)
		innovation_read_row(dc, st, &(*out)[n++]);
	if (db_finish(st) < 0)
		return -1;
	if (n > limit) {
		n = limit;
		*next = relevance ? f->before + limit : (*out)[n - 1].id;
	}
	if (npage > 0 && !page[npage - 1] && n)       /* the kept page had more after it */
		*next = (*out)[n - 1].id;
	for (int i = 0; sq && i < n; i++)
		if (add_snippet(dc, &(*out)[i], sq) < 0)
			return -1;
	if (fc) {
		/* the total comes with the facets */
		if (!hit) {
			int64_t ids[PAGE_IDS_MAX];
			int nids = 0;

			if (facets_read(dc, facets_query(dc, v, &g), fc, &all) < 0)
				return -1;
			for (int i = 0; i < n && n < PAGE_IDS_MAX; i++)
				ids[nids++] = (*out)[i].id;
			if (*next && n < PAGE_IDS_MAX)
				ids[nids++] = 0;  /* more follow */
			if (key)
				facets_keep(key, keep_gen, fc, all, ids, relevance || f->before || n >= PAGE_IDS_MAX ? -1 : nids);
		}
		if (total)
			*total = all;
	} else if (total) {
		int rc;

		st = where_query(dc, v, &g, "SELECT COUNT(*) FROM innovations i", NULL, 0, "", NULL, 0);
		if (!st)
			return -1;
		if ((rc = db_step(st)) == DB_ROW)
			*total = db_col_int(st, 0);
		if (db_finish(st) < 0 || rc != DB_ROW)
			return -1;
	}
	return n;
}

/* " IN (?, ?, ...)" of the n records' ids into w. */
static void ids_in(struct where *w, const struct innovation *xs, int n)
{
	buf_puts(&w->sql, " IN (");
	for (int i = 0; i < n; i++) {
		buf_puts(&w->sql, i ? ", ?" : "?");
		where_int(w, xs[i].id);
	}
	buf_puts(&w->sql, ")");
}

static struct innovation *by_id(struct innovation *xs, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (xs[i].id == id)
			return &xs[i];
	return NULL;
}

static int read_lists_chunk(struct dctx *dc, struct innovation *xs, int n);

int innovations_read_lists(struct dctx *dc, struct innovation *xs, int n)
{
	/* 48 ids a statement (PostgreSQL's statements here take up to 96 values) */
	for (int off = 0; off < n; off += 48)
		if (read_lists_chunk(dc, xs + off, n - off < 48 ? n - off : 48) < 0)
			return -1;
	return 0;
}

static int read_lists_chunk(struct dctx *dc, struct innovation *xs, int n)
{
	static const char *const kinds[] = { "level", "subject", "theme", "keyword" };
	struct where *w = arena_alloc(dc->arena, sizeof *w);
	struct db_stmt *st = NULL;
	int cap = INNOVATION_COAUTHORS_MAX + INNOVATION_GROUPS_MAX;

	if (n <= 0)
		return 0;
	if (!w || n > WHERE_VALUES_MAX)
		return -1;
	for (int i = 0; i < n; i++) {
		struct str_list *lists[] = { &xs[i].levels, &xs[i].subjects, &xs[i].themes, &xs[i].keywords };

		for (int k = 0; k < 4; k++) {
			lists[k]->n = 0;
			if (!(lists[k]->v = arena_alloc(dc->arena, (INNOVATION_TAGS_MAX + 1) * sizeof *lists[k]->v)))
				return -1;
		}
		xs[i].ncoauthors = 0;
		if (!(xs[i].coauthors = arena_alloc(dc->arena, (size_t)cap * sizeof *xs[i].coauthors)))
			return -1;
	}
	/* the tags of every record, then their co-authors: two statements */
	for (int pass = 0; pass < 2; pass++) {
		memset(w, 0, sizeof *w);
		w->sql = (struct buf)BUF_INIT;
		buf_puts(&w->sql, pass ? "SELECT c.innovation_id, u.id, u.name FROM innovation_coauthors c"
				  " JOIN users u ON u.id = c.user_id WHERE c.innovation_id"
				: "SELECT innovation_id, kind, value FROM innovation_tags WHERE innovation_id");
		ids_in(w, xs, n);
		buf_puts(&w->sql, pass ? " ORDER BY c.innovation_id, c.pos, u.id" : " ORDER BY innovation_id, kind, pos");
		st = NULL;
		if (!w->failed && !w->sql.failed) {
			const char *sql = arena_strdup(dc->arena, buf_str(&w->sql));

			if (sql)
				st = db_query_dynamic(dc->db, sql, w->v, w->n);
		}
		buf_free(&w->sql);
		if (!st)
			return -1;
		while (db_step(st) == DB_ROW) {
			struct innovation *x = by_id(xs, n, db_col_int(st, 0));

			if (!x)
				continue;
			if (pass && x->ncoauthors < cap) {
				x->coauthors[x->ncoauthors].id = db_col_int(st, 1);
				x->coauthors[x->ncoauthors++].name = db_col_dup(st, 2, dc->arena);
			}
			for (int k = 0; !pass && k < 4; k++) {
				struct str_list *l = k == 0 ? &x->levels : k == 1 ? &x->subjects : k == 2 ? &x->themes : &x->keywords;

				if (!strcmp(db_col_text(st, 1), kinds[k]) && l->n < INNOVATION_TAGS_MAX)
					l->v[l->n++] = db_col_dup(st, 2, dc->arena);
			}
		}
		if (db_finish(st) < 0)
			return -1;
	}
	return 0;
}
