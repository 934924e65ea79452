/* Backend-neutral half of the storage layer: pool, statement cache,
 * parameter binding, nested transactions, migrations. */
#include "store/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/driver.h"
#include "util/log.h"

#define STMT_CACHE 256
/* Statements built at run time (a list's WHERE from the filters in use),
 * known by their text: a few dozen shapes serve most requests, and on
 * PostgreSQL an uncached statement costs a PREPARE and a DEALLOCATE, two
 * more round trips. The least recently used is replaced. */
#define DYN_CACHE 48

struct db_stmt {
	struct db *db;
	const char *sql;
	const char *caller;
	void *h;
	int in_use;
	int cached;
	int failed;
	struct timespec t0;         /* when it was taken, for the slow statement log */
	/* dynamic cache entries only: their own copy of the text, its hash, last use */
	char *text;
	uint64_t hash, used;
};

struct db {
	const struct db_driver *drv;
	void *conn;
	int tx_depth;
	int tx_failed;
	int unavailable;
	int full;                   /* a write failed for want of space (DB_E_FULL) */
	enum db_error last;
	char label[96];             /* what the connection serves ("GET /posts/1"), for the slow log */
	struct db_stmt cache[STMT_CACHE];
	struct db_stmt dyn[DYN_CACHE];
	uint64_t dyn_tick;
};

/* Statements slower than this many milliseconds are logged (-1: none). */
static _Atomic int slow_ms = -1;

void db_set_slow_ms(int ms)
{
	slow_ms = ms;
}

void db_set_label(struct db *db, const char *a, const char *b)
{
	snprintf(db->label, sizeof db->label, "%s%s%s", a ? a : "", a && b ? " " : "", b ? b : "");
}

/* Logs sql when it ran slow_ms or longer since t0: its text only, as its
 * values may be private. */
static void note_slow(const struct db *db, const char *caller, const struct timespec *t0, const char *sql)
{
	struct timespec t;
	double ms;
	int limit = slow_ms;

	if (limit < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
	if (ms >= limit)
		LOG_W("database: slow statement (%s, %.1f ms)%s%s%s: %.200s%s", caller ? caller : "?", ms,
		      db->label[0] ? " [" : "", db->label, db->label[0] ? "]" : "", sql, strlen(sql) > 200 ? "…" : "");
}


struct db_pool {
	const struct db_driver *drv;
	char *url;
	unsigned size, opened;
	struct db **free_list;
	unsigned nfree;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* A transaction's BEGIN, COMMIT or ROLLBACK (a wait for the write lock, a
 * sync to disk), timed like statements. */
static int tx_script(struct db *db, const char *caller, const char *sql)
{
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = db->drv->exec_script(db->conn, sql);
	note_slow(db, caller, &t0, sql);
	return rc;
}

/* Remembers an error of kind e on this connection. */
static void note_error(struct db *db, enum db_error e)
{
	db->last = e;
	if (e == DB_E_UNAVAILABLE || e == DB_E_BUSY)
		db->unavailable = 1;
	if (e == DB_E_FULL)
		db->full = 1;
}

static const struct db_driver *driver_for(const char *url)
{
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return &postgres_driver;
	return &sqlite_driver;
}

static struct db *db_connect(const struct db_driver *drv, const char *url, char *err, size_t errlen)
{
	struct db *db = calloc(1, sizeof *db);

	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->drv = drv;
	db->conn = drv->connect(url, err, errlen);
	if (!db->conn) {
		free(db);
		return NULL;
	}
	return db;
}

static void db_disconnect(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		if (db->cache[i].h)
			db->drv->finalize(db->cache[i].h);
	for (int i = 0; i < DYN_CACHE; i++) {
		if (db->dyn[i].h)
			db->drv->finalize(db->dyn[i].h);
		free(db->dyn[i].text);
	}
	db->drv->disconnect(db->conn);
	free(db);
}

int db_pool_open(struct db_pool **out, const char *url, unsigned size, char *err, size_t errlen)
{
	struct db_pool *p;
	struct db *first;
	const struct db_driver *drv = driver_for(url);

	*out = NULL;
	/* Open one connection now so that a bad URL fails at start. */
	first = db_connect(drv, url, err, errlen);
	if (!first)
		return -1;
	if (size == 0)
		size = 1;
	p = calloc(1, sizeof *p);
	if (!p || !(p->url = strdup(url)) || !(p->free_list = calloc(size, sizeof *p->free_list))) {
		if (p) {
			free(p->url);
			free(p);
		}
		db_disconnect(first);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->drv = drv;
	p->size = size;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->free_list[p->nfree++] = first;
	p->opened = 1;
	*out = p;
	return 0;
}

void db_pool_close(struct db_pool *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->nfree; i++)
		db_disconnect(p->free_list[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->free_list);
	free(p->url);
	free(p);
}

struct db *db_pool_get(struct db_pool *p)
{
	struct db *db = NULL;
	char err[256];

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->nfree) {
			db = p->free_list[--p->nfree];
			break;
		}
		if (p->opened < p->size) {
			p->opened++;
			pthread_mutex_unlock(&p->mu);
			db = db_connect(p->drv, p->url, err, sizeof err);
			pthread_mutex_lock(&p->mu);
			if (!db) {
				p->opened--;
				LOG_E("database: cannot open a connection: %s", err);
			}
			break;
		}
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	if (db) {
		db->last = DB_E_NONE;
		db->unavailable = 0;
		db->full = 0;
	}
	return db;
}

void db_pool_stats(struct db_pool *pool, unsigned *size, unsigned *opened, unsigned *idle)
{
	*size = *opened = *idle = 0;
	if (!pool)
		return;
	pthread_mutex_lock(&pool->mu);
	*size = pool->size;
	*opened = pool->opened;
	*idle = pool->nfree;
	pthread_mutex_unlock(&pool->mu);
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	if (!db)
		return;
	if (db->tx_depth) {
		LOG_E("database: connection returned inside a transaction; rolling back");
		db->tx_depth = 1;
		db_rollback(db);
	}
	db->label[0] = '\0';
	pthread_mutex_lock(&p->mu);
	p->free_list[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static struct db_stmt *stmt_get(struct db *db, const char *sql, int uncached)
{
	uintptr_t hv = (uintptr_t)sql;
	unsigned slot = (unsigned)((hv >> 3) ^ (hv >> 11)) % STMT_CACHE;
	struct db_stmt *st = NULL;

	for (unsigned i = 0; i < 8 && !uncached; i++) {
		struct db_stmt *c = &db->cache[(slot + i) % STMT_CACHE];

		if (c->h && c->sql == sql && !c->in_use) {
			st = c;
			break;
		}
		if (!c->h && !st)
			st = c;
	}
	if (st && st->h) {
		st->in_use = 1;
		clock_gettime(CLOCK_MONOTONIC, &st->t0);
		return st;
	}
	if (!st) { /* cache neighbourhood full or statement in use: uncached */
		st = calloc(1, sizeof *st);
		if (!st)
			return NULL;
	} else {
		st->cached = 1;
	}
	st->db = db;
	st->sql = sql;
	clock_gettime(CLOCK_MONOTONIC, &st->t0);
	st->h = db->drv->prepare(db->conn, sql);
	if (!st->h) {
		if (!st->cached)
			free(st);
		else
			memset(st, 0, sizeof *st);
		return NULL;
	}
	st->in_use = 1;
	return st;
}

/* Binds one value (1-based idx). */
static int bind_one(struct db *db, struct db_stmt *st, int idx, char type, int64_t i, const char *s)
{
	switch (type) {
	case 'i': return db->drv->bind_int(st->h, idx, i);
	case 's': return s ? db->drv->bind_text(st->h, idx, s) : db->drv->bind_null(st->h, idx, 's');
	case 'n': return db->drv->bind_null(st->h, idx, 'n');
	default: return -1;
	}
}

static uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* A statement of run-time text from the connection's dynamic cache: the one
 * prepared with the same text if free, else the least recently used slot
 * (its statement finalized) prepared anew; uncached when every slot is in
 * use or the copy fails. */
static struct db_stmt *dyn_get(struct db *db, const char *sql)
{
	uint64_t hv = text_hash(sql);
	struct db_stmt *st = NULL, *victim = NULL;
	char *copy;

	for (int i = 0; i < DYN_CACHE; i++) {
		struct db_stmt *c = &db->dyn[i];

		if (c->in_use)
			continue;
		if (c->h && c->hash == hv && !strcmp(c->text, sql)) {
			st = c;
			break;
		}
		if (!c->h) {                        /* an empty slot first */
			if (!victim || victim->h)
				victim = c;
		} else if (!victim || (victim->h && c->used < victim->used)) {
			victim = c;
		}
	}
	if (st) {
		st->in_use = 1;
		st->used = ++db->dyn_tick;
		clock_gettime(CLOCK_MONOTONIC, &st->t0);
		return st;
	}
	if (!victim || !(copy = strdup(sql)))
		return stmt_get(db, sql, 1);
	if (victim->h)
		db->drv->finalize(victim->h);
	free(victim->text);
	memset(victim, 0, sizeof *victim);
	clock_gettime(CLOCK_MONOTONIC, &victim->t0);
	victim->h = db->drv->prepare(db->conn, copy);
	if (!victim->h) {
		free(copy);
		return NULL;
	}
	victim->db = db;
	victim->text = copy;
	victim->sql = copy;
	victim->hash = hv;
	victim->cached = 1;
	victim->in_use = 1;
	victim->used = ++db->dyn_tick;
	return victim;
}

struct db_stmt *db_query_dynamic(struct db *db, const char *sql, const struct db_value *vals, int n)
{
	struct db_stmt *st = dyn_get(db, sql);

	if (!st) {
		note_error(db, db->drv->errkind(db->conn));
		LOG_E("database: prepare failed: %s; SQL: %s", db->drv->errmsg(db->conn), sql);
		return NULL;
	}
	st->caller = "dynamic";
	if (db->drv->param_count(st->h) != n) {
		LOG_E("database: %d placeholders but %d values; SQL: %s", db->drv->param_count(st->h), n, sql);
		db_finish(st);
		return NULL;
	}
	for (int k = 0; k < n; k++)
		if (bind_one(db, st, k + 1, vals[k].type, vals[k].i, vals[k].s) != 0) {
			LOG_E("database: bind failed: %s; SQL: %s", db->drv->errmsg(db->conn), sql);
			db_finish(st);
			return NULL;
		}
	return st;
}

struct db_stmt *db_query_values_at(const char *caller, struct db *db, const char *sql,
				   const struct db_value *vals, int n)
{
	struct db_stmt *st = stmt_get(db, sql, 0);

	if (!st) {
		note_error(db, db->drv->errkind(db->conn));
		LOG_E("database: %s: prepare failed: %s; SQL: %s", caller, db->drv->errmsg(db->conn), sql);
		return NULL;
	}
	st->caller = caller;
	if (db->drv->param_count(st->h) != n) {
		LOG_E("database: %s: %d placeholders but %d values; SQL: %s", caller, db->drv->param_count(st->h), n,
		      sql);
		db->last = DB_E_OTHER;
		db_finish(st);
		return NULL;
	}
	for (int k = 0; k < n; k++)
		if (bind_one(db, st, k + 1, vals[k].type, vals[k].i, vals[k].s) != 0) {
			LOG_E("database: %s: bind failed: %s; SQL: %s", caller, db->drv->errmsg(db->conn), sql);
			db_finish(st);
			return NULL;
		}
	return st;
}

struct db_stmt *db_query_replanned_at(const char *caller, struct db *db, const char *sql,
				      const struct db_value *vals, int n)
{
	struct db_stmt *st = db_query_values_at(caller, db, sql, vals, n);

	if (st && db->drv->plan_each_call)
		db->drv->plan_each_call(st->h);
	return st;
}

int db_fts_expr(struct db *db, const struct search_query *q, struct buf *out)
{
	return db->drv->fts_expr(q, out);
}

int db_search_rebuild(struct db *db)
{
	if (db_begin(db) < 0)
		return -1;
	if (db->drv->exec_script(db->conn, *db->drv->search_rebuild) < 0) {
		LOG_E("database: search index rebuild failed: %s", db->drv->errmsg(db->conn));
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static struct db_stmt *query_v(const char *caller, struct db *db, const char *sql,
			       const char *types, va_list ap)
{
	struct db_stmt *st = stmt_get(db, sql, 0);
	int idx = 1, rc = 0;

	if (!st) {
		note_error(db, db->drv->errkind(db->conn));
		LOG_E("database: %s: prepare failed: %s; SQL: %s", caller, db->drv->errmsg(db->conn), sql);
		return NULL;
	}
	st->caller = caller;
	if (db->drv->param_count(st->h) != (int)strlen(types)) {
		/* A programming error that would read the wrong arguments: refuse. */
		LOG_E("database: %s: %d placeholders but %zu parameters; SQL: %s", caller,
		      db->drv->param_count(st->h), strlen(types), sql);
		db->last = DB_E_OTHER;
		db_finish(st);
		return NULL;
	}
	for (const char *t = types; *t && rc == 0; t++, idx++) {
		if (*t == 'i')
			rc = bind_one(db, st, idx, 'i', va_arg(ap, int64_t), NULL);
		else if (*t == 's')
			rc = bind_one(db, st, idx, 's', 0, va_arg(ap, const char *));
		else
			rc = bind_one(db, st, idx, *t, 0, NULL);
	}
	if (rc) {
		LOG_E("database: %s: bind failed: %s; SQL: %s", caller, db->drv->errmsg(db->conn), sql);
		db_finish(st);
		return NULL;
	}
	return st;
}

struct db_stmt *db_query_at(const char *caller, struct db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	struct db_stmt *st;

	va_start(ap, types);
	st = query_v(caller, db, sql, types, ap);
	va_end(ap);
	return st;
}

int db_step(struct db_stmt *st)
{
	int rc;

	if (!st)
		return DB_ERR;
	rc = st->db->drv->step(st->h);
	if (rc == DB_ERR) {
		st->failed = 1;
		note_error(st->db, st->db->drv->errkind(st->db->conn));
		if (st->db->last == DB_E_CONSTRAINT)
			LOG_D("database: %s: constraint: %s", st->caller, st->db->drv->errmsg(st->db->conn));
		else
			LOG_E("database: %s: %s; SQL: %s", st->caller,
			      st->db->drv->errmsg(st->db->conn), st->sql);
	}
	return rc;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->drv->col_int(st->h, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->db->drv->col_text(st->h, col);
}

char *db_col_dup(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);

	return arena_strdup(a, s ? s : "");
}

void db_read_fields(struct db_stmt *st, int col, struct arena *a, void *out, const struct db_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *at = (char *)out + fields[i].offset;
		int c = col + (int)i;

		switch (fields[i].kind) {
		case DBF_INT:
			*(int64_t *)(void *)at = db_col_int(st, c);
			break;
		case DBF_ID:
			*(int64_t *)(void *)at = db_col_is_null(st, c) ? 0 : db_col_int(st, c);
			break;
		case DBF_TEXT:
			*(const char **)(void *)at = db_col_dup(st, c, a);
			break;
		case DBF_TEXT_OR_NULL:
			*(const char **)(void *)at = db_col_is_null(st, c) ? NULL : db_col_dup(st, c, a);
			break;
		case DBF_FLAG:
			*(int *)(void *)at = (int)db_col_int(st, c);
			break;
		}
	}
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return st->db->drv->col_is_null(st->h, col);
}

int db_finish(struct db_stmt *st)
{
	int failed;

	if (!st)
		return -1;
	failed = st->failed;
	st->failed = 0;
	note_slow(st->db, st->caller, &st->t0, st->sql);
	st->db->drv->reset(st->h);
	st->in_use = 0;
	if (!st->cached) {
		st->db->drv->finalize(st->h);
		free(st);
	}
	return failed ? -1 : 0;
}

int64_t db_exec_at(const char *caller, struct db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	struct db_stmt *st;
	int rc;
	int64_t n;

	va_start(ap, types);
	st = query_v(caller, db, sql, types, ap);
	va_end(ap);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		;
	n = rc == DB_DONE ? db->drv->changes(db->conn) : -1;
	db_finish(st);
	return n;
}

int db_int_at(const char *caller, struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	struct db_stmt *st;
	int rc;

	va_start(ap, types);
	st = query_v(caller, db, sql, types, ap);
	va_end(ap);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_finish(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

enum db_error db_last_error(struct db *db)
{
	return db->last;
}

int db_was_unavailable(struct db *db)
{
	return db->unavailable;
}

int db_was_full(struct db *db)
{
	return db->full;
}

int db_in_transaction(struct db *db)
{
	return db && db->tx_depth > 0;
}

int db_begin(struct db *db)
{
	if (db->tx_depth++ > 0)
		return 0;
	db->tx_failed = 0;
	if (tx_script(db, "db_begin", db->drv->begin_sql) < 0) {
		LOG_E("database: begin failed: %s", db->drv->errmsg(db->conn));
		note_error(db, db->drv->errkind(db->conn));
		db->tx_depth = 0;
		return -1;
	}
	return 0;
}

int db_commit(struct db *db)
{
	if (db->tx_depth <= 0)
		return -1;
	if (--db->tx_depth > 0)
		return db->tx_failed ? -1 : 0;
	if (db->tx_failed) {
		tx_script(db, "db_commit", "ROLLBACK");
		return -1;
	}
	if (tx_script(db, "db_commit", "COMMIT") < 0) {
		LOG_E("database: commit failed: %s", db->drv->errmsg(db->conn));
		db->drv->exec_script(db->conn, "ROLLBACK");
		return -1;
	}
	return 0;
}

void db_rollback(struct db *db)
{
	if (db->tx_depth <= 0)
		return;
	if (--db->tx_depth > 0) {
		db->tx_failed = 1;
		return;
	}
	db->drv->exec_script(db->conn, "ROLLBACK");
}

int db_schema_version(struct db *db)
{
	int64_t v = 0;

	if (db_int(db, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "") < 0)
		return -1;
	return (int)v;
}

int db_migrate(struct db *db)
{
	const char *const *m = db->drv->migrations;
	int applied = 0, current;

	if (db->drv->exec_script(db->conn,
				 "CREATE TABLE IF NOT EXISTS schema_migrations ("
				 " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)") < 0) {
		LOG_E("database: cannot create schema_migrations: %s", db->drv->errmsg(db->conn));
		return -1;
	}
	/* Up to date (the common case: every command checks at start): no write
	 * lock, so that commands started together do not queue for nothing. */
	{
		int known = 0;

		while (m[known])
			known++;
		if (db_schema_version(db) >= known)
			return 0;
	}
	if (db_begin(db) < 0)
		return -1;
	if (db->drv->migrate_lock_sql && db->drv->exec_script(db->conn, db->drv->migrate_lock_sql) < 0) {
		LOG_E("database: cannot take the migration lock: %s", db->drv->errmsg(db->conn));
		goto fail;
	}
	current = db_schema_version(db);
	if (current < 0)
		goto fail;
	for (int v = 1; m[v - 1]; v++) {
		if (v <= current)
			continue;
		if (db->drv->exec_script(db->conn, m[v - 1]) < 0) {
			LOG_E("database: migration %d failed: %s", v, db->drv->errmsg(db->conn));
			goto fail;
		}
		if (db_exec(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
			    "ii", (int64_t)v, (int64_t)time(NULL)) < 0)
			goto fail;
		applied++;
	}
	if (db_commit(db) < 0)
		return -1;
	return applied;
fail:
	db_rollback(db);
	return -1;
}

int db_signal(struct db *db, const char *channel, const char *payload)
{
	if (strcmp(db->drv->name, "postgres"))
		return 0;
	return db_exec(db, "SELECT pg_notify(?, ?)", "ss", channel, payload) < 0 ? -1 : 0;
}

int db_reset_ids(struct db *db, const char *table)
{
	if (db->drv->reset_ids(db->conn, table) < 0) {
		LOG_E("database: cannot reset ids of %s: %s", table, db->drv->errmsg(db->conn));
		return -1;
	}
	return 0;
}

const char *db_backend(struct db *db)
{
	return db->drv->name;
}

int db_bulk_mode(struct db *db, int on)
{
	const char *sql = on ? db->drv->bulk_on_sql : db->drv->bulk_off_sql;

	if (sql && db->drv->exec_script(db->conn, sql) < 0) {
		LOG_E("database: cannot switch bulk loading %s: %s", on ? "on" : "off", db->drv->errmsg(db->conn));
		return -1;
	}
	return 0;
}

int db_analyze(struct db *db)
{
	if (db->drv->analyze_sql && db->drv->exec_script(db->conn, db->drv->analyze_sql) < 0) {
		LOG_E("database: ANALYZE failed: %s", db->drv->errmsg(db->conn));
		return -1;
	}
	return 0;
}
