/* PostgreSQL backend through libpq. Domain SQL uses '?' placeholders: they
 * become $1..$n here (outside quoted text). A statement is prepared on its
 * first execution, once the parameter types are known, so that PostgreSQL
 * can type expressions such as "? IS NULL". A broken connection is reset on
 * the next use and its statements are prepared again. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

#define PG_MAX_PARAMS 160   /* the search binds about 115 (domain/search.c, MAX_VALUES): a branch per kind */
#define INT8OID 20
#define TEXTOID 25

extern const char *const postgres_migrations[];
extern const char *const postgres_search_rebuild;

struct pg_conn {
	PGconn *c;
	unsigned generation;       /* bumped when the connection is reset */
	int in_tx;                 /* between BEGIN and COMMIT/ROLLBACK */
	int tx_lost;               /* the connection broke inside that transaction */
	unsigned next_name;
	int64_t changes;
	enum db_error last;
	char err[512];
};

struct pg_stmt {
	struct pg_conn *pc;
	char *sql;                 /* with $n placeholders */
	char name[24];
	unsigned prepared_in;      /* generation it was prepared in, 0: not yet */
	int nparams;
	Oid types[PG_MAX_PARAMS];
	const char *values[PG_MAX_PARAMS];
	char *owned[PG_MAX_PARAMS];
	char ints[PG_MAX_PARAMS][24];
	PGresult *res;
	int row, nrows;
	int each_call;             /* an unnamed statement, planned at each call for its values */
};

static void set_error(struct pg_conn *pc, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(pc->c);

	snprintf(pc->err, sizeof pc->err, "%s", msg && *msg ? msg : PQerrorMessage(pc->c));
	pc->err[strcspn(pc->err, "\n")] = '\0';
	if (PQstatus(pc->c) != CONNECTION_OK || (state && !strncmp(state, "08", 2)) ||
	    (state && (!strcmp(state, "57P01") || !strcmp(state, "57P02") || !strcmp(state, "57P03"))))
		pc->last = DB_E_UNAVAILABLE;
	else if (state && (!strcmp(state, "53100") || !strcmp(state, "53400")))
		pc->last = DB_E_FULL; /* disk_full, configuration_limit_exceeded (a quota) */
	else if (state && !strncmp(state, "23", 2))
		pc->last = DB_E_CONSTRAINT;
	else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
		pc->last = DB_E_BUSY;
	else
		pc->last = DB_E_OTHER;
}

/* Makes sure the connection works, resetting it once if it broke. A
 * connection lost inside a transaction is not replaced until the transaction
 * ends: what follows would otherwise run, and commit, piece by piece. */
static int ensure(struct pg_conn *pc)
{
	/* A connection idle in the pool may have been closed by the server (a
	 * restart sends a last error, then closes): an idle connection has
	 * nothing to read, so whatever is there is read, without waiting, until
	 * the end of the connection shows or nothing is left. */
	for (int i = 0; i < 4 && PQstatus(pc->c) == CONNECTION_OK && !pc->tx_lost; i++) {
		struct pollfd pfd = { .fd = PQsocket(pc->c), .events = POLLIN };

		if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0 || !PQconsumeInput(pc->c))
			break;
	}
	if (PQstatus(pc->c) == CONNECTION_OK && !pc->tx_lost)
		return 0;
	if (pc->in_tx) {
		pc->tx_lost = 1;
		snprintf(pc->err, sizeof pc->err, "the connection to PostgreSQL was lost during a transaction");
		pc->last = DB_E_UNAVAILABLE;
		return -1;
	}
	pc->tx_lost = 0;
	PQreset(pc->c);
	pc->generation++;
	if (PQstatus(pc->c) != CONNECTION_OK) {
		set_error(pc, NULL);
		return -1;
	}
	return 0;
}

static void *p_connect(const char *url, char *err, size_t errlen)
{
	struct pg_conn *pc = calloc(1, sizeof *pc);
	PGresult *res;

	if (!pc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	{
		/* Defaults first: what the URL itself says wins (expanded last). */
		const char *const keys[] = { "connect_timeout", "keepalives_idle", "dbname", NULL };
		const char *const vals[] = { "10", "60", url, NULL };

		pc->c = PQconnectdbParams(keys, vals, 1);
	}
	if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
		/* The URL may hold a password: never print it. */
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
			 pc->c ? PQerrorMessage(pc->c) : "out of memory");
		err[strcspn(err, "\n")] = '\0';
		PQfinish(pc->c);
		free(pc);
		return NULL;
	}
	pc->generation = 1;
	res = PQexec(pc->c, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on");
	PQclear(res);
	return pc;
}

static void p_disconnect(void *conn)
{
	struct pg_conn *pc = conn;

	PQfinish(pc->c);
	free(pc);
}

/* '?' -> $n outside single-quoted text; returns the count or -1. */
static int convert(const char *sql, char **out)
{
	size_t n = strlen(sql);
	char *o = malloc(n * 4 + 1), *w = o;
	int count = 0, quoted = 0;

	if (!o)
		return -1;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted) {
			if (++count > PG_MAX_PARAMS) {
				free(o);
				return -1;
			}
			w += sprintf(w, "$%d", count);
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	*out = o;
	return count;
}

static void *p_prepare(void *conn, const char *sql)
{
	struct pg_conn *pc = conn;
	struct pg_stmt *st = calloc(1, sizeof *st);

	if (!st)
		return NULL;
	st->pc = pc;
	st->nparams = convert(sql, &st->sql);
	if (st->nparams < 0) {
		snprintf(pc->err, sizeof pc->err, "too many parameters");
		pc->last = DB_E_OTHER;
		free(st);
		return NULL;
	}
	snprintf(st->name, sizeof st->name, "r%u", ++pc->next_name);
	st->row = -1;
	return st;
}

static void clear_values(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->values[i] = NULL;
	}
}

static void p_reset(void *h)
{
	struct pg_stmt *st = h;

	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	clear_values(st);
}

static void p_finalize(void *h)
{
	struct pg_stmt *st = h;
	char sql[64];
	PGresult *res;

	p_reset(st);
	if (st->prepared_in && st->prepared_in == st->pc->generation &&
	    PQstatus(st->pc->c) == CONNECTION_OK) {
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		res = PQexec(st->pc->c, sql);
		PQclear(res);
	}
	free(st->sql);
	free(st);
}

static void p_plan_each_call(void *h)
{
	((struct pg_stmt *)h)->each_call = 1;
}

static int p_param_count(void *h) { return ((struct pg_stmt *)h)->nparams; }

static int p_bind_int(void *h, int i, int64_t v)
{
	struct pg_stmt *st = h;

	if (i < 1 || i > st->nparams)
		return -1;
	snprintf(st->ints[i - 1], sizeof st->ints[i - 1], "%lld", (long long)v);
	st->values[i - 1] = st->ints[i - 1];
	st->types[i - 1] = INT8OID;
	return 0;
}

static int p_bind_text(void *h, int i, const char *v)
{
	struct pg_stmt *st = h;

	if (i < 1 || i > st->nparams || !(st->owned[i - 1] = strdup(v)))
		return -1;
	st->values[i - 1] = st->owned[i - 1];
	st->types[i - 1] = TEXTOID;
	return 0;
}

static int p_bind_null(void *h, int i, char type)
{
	struct pg_stmt *st = h;

	if (i < 1 || i > st->nparams)
		return -1;
	st->values[i - 1] = NULL;
	/* 'n': let the server infer the type from where the value goes. */
	st->types[i - 1] = type == 'i' ? INT8OID : type == 'n' ? 0 : TEXTOID;
	return 0;
}

static int p_step(void *h)
{
	struct pg_stmt *st = h;
	struct pg_conn *pc = st->pc;
	ExecStatusType s;

	if (st->res) { /* already executed: next row */
		if (++st->row < st->nrows)
			return DB_ROW;
		return DB_DONE;
	}
	if (ensure(pc) < 0)
		return DB_ERR;
	if (!st->each_call && st->prepared_in != pc->generation) {
		PGresult *res = PQprepare(pc->c, st->name, st->sql, st->nparams, st->types);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			set_error(pc, res);
			PQclear(res);
			/* A connection lost meanwhile: try once more on a fresh one
			 * (never inside a transaction: ensure() refuses). */
			if (PQstatus(pc->c) != CONNECTION_OK && ensure(pc) == 0)
				return p_step(h);
			return DB_ERR;
		}
		PQclear(res);
		st->prepared_in = pc->generation;
	}
	st->res = st->each_call ? PQexecParams(pc->c, st->sql, st->nparams, st->types, st->values, NULL, NULL, 0)
				: PQexecPrepared(pc->c, st->name, st->nparams, st->values, NULL, NULL, 0);
	s = PQresultStatus(st->res);
	if (s == PGRES_TUPLES_OK) {
		st->nrows = PQntuples(st->res);
		st->row = 0;
		pc->changes = atoll(PQcmdTuples(st->res));
		return st->nrows > 0 ? DB_ROW : DB_DONE;
	}
	if (s == PGRES_COMMAND_OK) {
		pc->changes = atoll(PQcmdTuples(st->res));
		st->nrows = 0;
		return DB_DONE;
	}
	set_error(pc, st->res);
	PQclear(st->res);
	st->res = NULL;
	return DB_ERR;
}

static int64_t p_col_int(void *h, int col)
{
	struct pg_stmt *st = h;
	const char *v;

	if (!st->res || PQgetisnull(st->res, st->row, col))
		return 0;
	v = PQgetvalue(st->res, st->row, col);
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *p_col_text(void *h, int col)
{
	struct pg_stmt *st = h;

	if (!st->res || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int p_col_is_null(void *h, int col)
{
	struct pg_stmt *st = h;

	return !st->res || PQgetisnull(st->res, st->row, col);
}

static int64_t p_changes(void *conn) { return ((struct pg_conn *)conn)->changes; }

static int p_exec_script(void *conn, const char *sql)
{
	struct pg_conn *pc = conn;
	PGresult *res;
	int ok, begin = !strncmp(sql, "BEGIN", 5), end = !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK");

	if (end && pc->tx_lost) {
		/* The transaction died with its connection: a COMMIT fails, a
		 * ROLLBACK has nothing left to undo; the next call reconnects. */
		pc->in_tx = 0;
		return !strcmp(sql, "ROLLBACK") ? 0 : -1;
	}
	if (ensure(pc) < 0)
		return -1;
	res = PQexec(pc->c, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		set_error(pc, res);
	PQclear(res);
	if (begin && ok)
		pc->in_tx = 1;
	else if (end)
		pc->in_tx = 0;
	if (end && !ok && PQstatus(pc->c) != CONNECTION_OK)
		pc->tx_lost = 0; /* nothing to keep: the next call reconnects */
	return ok ? 0 : -1;
}

static int p_reset_ids(void *conn, const char *table)
{
	char sql[256];

	/* table comes from the fixed list in transfer.c, never from input */
	snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
		 " COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)", table, table);
	return p_exec_script(conn, sql);
}

static const char *p_errmsg(void *conn) { return ((struct pg_conn *)conn)->err; }
static enum db_error p_errkind(void *conn) { return ((struct pg_conn *)conn)->last; }

/* tsquery: every word quoted, prefixes with ':*', phrases with '<->',
 * terms joined by '&'. Words hold only letters and digits. */
static int p_fts_expr(const struct search_query *q, struct buf *out)
{
	for (int k = 0; k < q->nterms; k++) {
		const struct search_term *t = &q->terms[k];

		buf_puts(out, k ? " & (" : "(");
		for (int j = 0; j < t->nwords; j++)
			buf_printf(out, "%s'%s'%s", j ? " <-> " : "", t->words[j], t->prefix ? ":*" : "");
		buf_putc(out, ')');
	}
	return out->failed ? -1 : 0;
}

const struct db_driver postgres_driver = {
	.name = "postgres",
	.migrations = postgres_migrations,
	.connect = p_connect,
	.disconnect = p_disconnect,
	.prepare = p_prepare,
	.finalize = p_finalize,
	.plan_each_call = p_plan_each_call,
	.param_count = p_param_count,
	.bind_int = p_bind_int,
	.bind_text = p_bind_text,
	.bind_null = p_bind_null,
	.step = p_step,
	.reset = p_reset,
	.col_int = p_col_int,
	.col_text = p_col_text,
	.col_is_null = p_col_is_null,
	.changes = p_changes,
	.exec_script = p_exec_script,
	.begin_sql = "BEGIN",
	.bulk_on_sql = "SET synchronous_commit = off",
	.bulk_off_sql = "RESET synchronous_commit",
	.analyze_sql = "ANALYZE",
	.migrate_lock_sql = "SELECT pg_advisory_xact_lock(7372747)",
	.reset_ids = p_reset_ids,
	.errmsg = p_errmsg,
	.errkind = p_errkind,
	.fts_expr = p_fts_expr,
	.search_rebuild = &postgres_search_rebuild,
};

/* ---- LISTEN/NOTIFY: one dedicated connection per listener ---------------- */

#include <poll.h>

struct db_listener {
	PGconn *c;
	char *url;
	char channel[64];
};

static int listen_on(struct db_listener *l)
{
	char sql[128];
	PGresult *res;
	int ok;

	snprintf(sql, sizeof sql, "LISTEN %s", l->channel); /* channel: our own fixed name */
	res = PQexec(l->c, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

struct db_listener *db_listener_open(const char *url, const char *channel, char *err, size_t errlen)
{
	struct db_listener *l;

	if (strncmp(url, "postgres://", 11) && strncmp(url, "postgresql://", 13))
		return NULL;
	l = calloc(1, sizeof *l);
	if (!l || !(l->url = strdup(url))) {
		free(l);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(l->channel, sizeof l->channel, "%s", channel);
	l->c = PQconnectdb(url);
	if (PQstatus(l->c) != CONNECTION_OK || listen_on(l) < 0) {
		snprintf(err, errlen, "cannot listen on PostgreSQL: %s", PQerrorMessage(l->c));
		err[strcspn(err, "\n")] = '\0';
		/* Keep it: db_listener_wait reconnects. */
	}
	return l;
}

int db_listener_wait(struct db_listener *l, int timeout_ms, char *payload, size_t len)
{
	PGnotify *n;
	struct pollfd pfd;

	if (!l)
		return 0;
	if (PQstatus(l->c) != CONNECTION_OK) {
		PQreset(l->c);
		if (PQstatus(l->c) != CONNECTION_OK || listen_on(l) < 0) {
			poll(NULL, 0, timeout_ms);
			return -1;
		}
		/* Signals sent while disconnected are lost: tell the caller to catch up. */
		snprintf(payload, len, "*");
		return 1;
	}
	if ((n = PQnotifies(l->c))) {
		snprintf(payload, len, "%s", n->extra);
		PQfreemem(n);
		return 1;
	}
	pfd.fd = PQsocket(l->c);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || poll(&pfd, 1, timeout_ms) < 0)
		return -1;
	if (!(pfd.revents & POLLIN))
		return 0;
	if (!PQconsumeInput(l->c))
		return -1;
	if ((n = PQnotifies(l->c))) {
		snprintf(payload, len, "%s", n->extra);
		PQfreemem(n);
		return 1;
	}
	return 0;
}

void db_listener_close(struct db_listener *l)
{
	if (!l)
		return;
	PQfinish(l->c);
	free(l->url);
	free(l);
}
