/* SQLite backend: WAL, foreign keys, busy timeout, one connection per pool slot. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/driver.h"

extern const char *const sqlite_migrations[];
extern const char *const sqlite_search_rebuild;

/* respire_fold(text): lower case without accents, as util/search_text.c
 * folds; PostgreSQL has the same function (migration 5), so that whole
 * values (tags, schools, academies) compare alike on both backends. */
static void s_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *in = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	char *out;

	(void)argc;
	if (!in) {
		sqlite3_result_null(ctx);
		return;
	}
	out = sqlite3_malloc(n * 2 + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	search_fold((const char *)in, (size_t)n, out, (size_t)n * 2 + 1);
	sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

/* ---- respire_rank: the search's relevance ----------------------------------
 * rank = respire_rank(w_title, w_body, w_extra) (migration 11): BM25's term
 * frequency and length normalisation (k1 = 1.2, b = 0.75), each column
 * weighted, without its inverse document frequency. FTS5's bm25() finds the
 * IDF by reading every match of every phrase before the first row: most of
 * a search's time (8 ms of 10 at 500,000 items), growing with the network,
 * while the search without filters only ranks the newest 1,001 matches.
 * Every row of such a search holds every word searched for (the words are
 * ANDed), so the IDF only shifted the weight between words; PostgreSQL's
 * ts_rank has none either. Lower is better, as with bm25(). */

#define RANK_COLS 3
#define RANK_PHRASES 64 /* more than SEARCH_TERMS_MAX phrases */

struct rank_avg {
	double avg[RANK_COLS];      /* mean tokens per row of each column */
};

static void s_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
		   sqlite3_value **val)
{
	const double k1 = 1.2, b = 0.75;
	struct rank_avg *a = api->xGetAuxdata(fts, 0);
	double tf[RANK_PHRASES][RANK_COLS];
	double score = 0;
	int ncol = api->xColumnCount(fts), nphrase = api->xPhraseCount(fts), ninst = 0, rc;

	if (ncol > RANK_COLS || nphrase > RANK_PHRASES || nval > ncol) {
		sqlite3_result_error(ctx, "respire_rank: too many columns or phrases", -1);
		return;
	}
	if (!a) { /* once per query: the mean length of each column */
		sqlite3_int64 rows = 0, tokens = 0;

		if (!(a = sqlite3_malloc(sizeof *a))) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		rc = api->xRowCount(fts, &rows);
		for (int c = 0; c < ncol && rc == SQLITE_OK; c++) {
			rc = api->xColumnTotalSize(fts, c, &tokens);
			a->avg[c] = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
		}
		if (rc == SQLITE_OK)
			rc = api->xSetAuxdata(fts, a, sqlite3_free); /* frees a on failure */
		else
			sqlite3_free(a);
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
	}
	memset(tf, 0, sizeof tf);
	rc = api->xInstCount(fts, &ninst);
	for (int i = 0; i < ninst && rc == SQLITE_OK; i++) {
		int p, c, off;

		rc = api->xInst(fts, i, &p, &c, &off);
		if (rc == SQLITE_OK && p >= 0 && p < nphrase && c >= 0 && c < ncol)
			tf[p][c] += 1;
	}
	for (int c = 0; c < ncol && rc == SQLITE_OK; c++) {
		double w = c < nval ? sqlite3_value_double(val[c]) : 1.0;
		int len = 0;
		double norm;

		if (w == 0)
			continue;
		rc = api->xColumnSize(fts, c, &len);
		norm = k1 * (1 - b + b * (double)len / a->avg[c]);
		for (int p = 0; p < nphrase; p++)
			if (tf[p][c] > 0)
				score += w * tf[p][c] * (k1 + 1) / (tf[p][c] + norm);
	}
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else
		sqlite3_result_double(ctx, -score);
}

/* Registers respire_rank with this connection's FTS5. */
static int add_rank(sqlite3 *c)
{
	fts5_api *fts = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, &fts, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!fts || fts->iVersion < 2)
		return -1;
	return fts->xCreateFunction(fts, "respire_rank", NULL, s_rank, NULL) == SQLITE_OK ? 0 : -1;
}

static void *s_connect(const char *path, char *err, size_t errlen)
{
	sqlite3 *c = NULL;
	char *msg = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open SQLite database %s: %s", path,
			 c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
		sqlite3_close(c);
		return NULL;
	}
	sqlite3_busy_timeout(c, 5000);
	sqlite3_extended_result_codes(c, 1);
	/* mmap_size: pages are read from the operating system's page cache in
	 * place (up to 2 GiB of the file, SQLite's limit), not copied by one
	 * pread() each into a 2 MB cache per connection: lists that read a few
	 * hundred rows spread over the file went 4 to 10 times faster. The
	 * mapped pages are the kernel's (shared, reclaimable), not the server's. */
	rc = sqlite3_exec(c, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=2147418112;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure SQLite database %s: %s", path,
			 msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(c);
		return NULL;
	}
	if (sqlite3_create_function(c, "respire_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, s_fold, NULL,
				    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure SQLite database %s: %s", path, sqlite3_errmsg(c));
		sqlite3_close(c);
		return NULL;
	}
	if (add_rank(c) < 0) {
		snprintf(err, errlen, "cannot configure SQLite database %s: this SQLite has no FTS5 (full-text search)",
			 path);
		sqlite3_close(c);
		return NULL;
	}
	return c;
}

static void s_disconnect(void *c)
{
	sqlite3_close(c);
}

static void *s_prepare(void *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(c, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

static void s_finalize(void *h) { sqlite3_finalize(h); }

static int s_param_count(void *h) { return sqlite3_bind_parameter_count(h); }

static int s_bind_int(void *h, int i, int64_t v)
{
	return sqlite3_bind_int64(h, i, v) == SQLITE_OK ? 0 : -1;
}

static int s_bind_text(void *h, int i, const char *v)
{
	return sqlite3_bind_text(h, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int s_bind_null(void *h, int i, char type)
{
	(void)type;
	return sqlite3_bind_null(h, i) == SQLITE_OK ? 0 : -1;
}

static int s_step(void *h)
{
	int rc = sqlite3_step(h);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return DB_ERR;
}

static void s_reset(void *h)
{
	sqlite3_reset(h);
	sqlite3_clear_bindings(h);
}

static int64_t s_col_int(void *h, int col) { return sqlite3_column_int64(h, col); }

static const char *s_col_text(void *h, int col)
{
	return (const char *)sqlite3_column_text(h, col);
}

static int s_col_is_null(void *h, int col)
{
	return sqlite3_column_type(h, col) == SQLITE_NULL;
}

static int64_t s_changes(void *c) { return sqlite3_changes64(c); }

static int s_exec_script(void *c, const char *sql)
{
	return sqlite3_exec(c, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int s_reset_ids(void *c, const char *table)
{
	(void)c;
	(void)table;
	return 0; /* INTEGER PRIMARY KEY continues from the largest id */
}

static const char *s_errmsg(void *c) { return sqlite3_errmsg(c); }

static enum db_error s_errkind(void *c)
{
	switch (sqlite3_errcode(c) & 0xFF) {
	case SQLITE_OK: return DB_E_NONE;
	case SQLITE_CONSTRAINT: return DB_E_CONSTRAINT;
	case SQLITE_BUSY: case SQLITE_LOCKED: return DB_E_BUSY;
	case SQLITE_FULL: return DB_E_FULL;
	default: return DB_E_OTHER;
	}
}

/* FTS5: every word quoted (nothing the member typed is syntax), prefixes
 * with '*', phrases as one quoted string; terms side by side mean AND. */
#define FTS_PREFIX_MAX 8

static int s_fts_expr(const struct search_query *q, struct buf *out)
{
	for (int k = 0; k < q->nterms; k++) {
		const struct search_term *t = &q->terms[k];

		buf_puts(out, k ? " \"" : "\"");
		if (t->prefix) {
			/* the prefix indexes (migration 10) go up to FTS_PREFIX_MAX characters */
			const char *w = t->words[0];
			size_t n = 0;

			for (int chars = 0; w[n] && chars < FTS_PREFIX_MAX; chars++)
				do
					n++;
				while (((unsigned char)w[n] & 0xC0) == 0x80);
			buf_append(out, w, n);
			buf_puts(out, "\"*");
			continue;
		}
		for (int j = 0; j < t->nwords; j++)
			buf_printf(out, "%s%s", j ? " " : "", t->words[j]);
		buf_puts(out, "\"");
	}
	return out->failed ? -1 : 0;
}

const struct db_driver sqlite_driver = {
	.name = "sqlite",
	.migrations = sqlite_migrations,
	.connect = s_connect,
	.disconnect = s_disconnect,
	.prepare = s_prepare,
	.finalize = s_finalize,
	.param_count = s_param_count,
	.bind_int = s_bind_int,
	.bind_text = s_bind_text,
	.bind_null = s_bind_null,
	.step = s_step,
	.reset = s_reset,
	.col_int = s_col_int,
	.col_text = s_col_text,
	.col_is_null = s_col_is_null,
	.changes = s_changes,
	.exec_script = s_exec_script,
	.begin_sql = "BEGIN IMMEDIATE",
	.bulk_on_sql = "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;",
	.bulk_off_sql = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000;",
	/* sampled: about a second on a 1.3 GB database */
	.analyze_sql = "PRAGMA analysis_limit=400; ANALYZE; PRAGMA analysis_limit=0;",
	.reset_ids = s_reset_ids,
	.errmsg = s_errmsg,
	.errkind = s_errkind,
	.fts_expr = s_fts_expr,
	.search_rebuild = &sqlite_search_rebuild,
};

int db_sqlite_backup(const char *src, const char *dst, char *err, size_t errlen)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b;
	char *msg = NULL;
	int rc, tries = 0;

	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(from, 5000);
	if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", dst, to ? sqlite3_errmsg(to) : "out of memory");
		goto fail;
	}
	b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		snprintf(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(to));
		goto fail;
	}
	/* Every page in one step: one read transaction, so one consistent state
	 * of the database, however much the server writes meanwhile (WAL). */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(100);
	} while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++tries < 600);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		snprintf(err, errlen, "the backup failed: %s", sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_exec(to, "PRAGMA quick_check", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "the copy does not check: %s", msg ? msg : "");
		sqlite3_free(msg);
		goto fail;
	}
	sqlite3_close(from);
	return sqlite3_close(to) == SQLITE_OK ? 0 : (snprintf(err, errlen, "cannot close %s", dst), -1);
fail:
	sqlite3_close(from);
	sqlite3_close(to);
	return -1;
}
