/* The neutral storage interface. Domain code speaks only this; backends
 * (sqlite.c now, postgres.c later) implement struct db_driver.
 *
 * SQL uses '?' placeholders and portable constructs only (integer Unix
 * timestamps, RETURNING, no backend-only functions in domain queries).
 * Parameters are always bound, described by a type string:
 *   'i' int64_t, 's' const char * (NULL binds a text NULL), 'n' NULL of the
 *   type its place implies (no argument).
 */
#ifndef RESPIRE_STORE_DB_H
#define RESPIRE_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct db;
struct db_pool;
struct db_stmt;

enum db_step_result { DB_ERR = -1, DB_DONE = 0, DB_ROW = 1 };
/* DB_E_FULL: the disk (or the database's quota) is full; nothing was written. */
enum db_error { DB_E_NONE = 0, DB_E_CONSTRAINT, DB_E_BUSY, DB_E_UNAVAILABLE, DB_E_FULL, DB_E_OTHER };

int db_pool_open(struct db_pool **out, const char *url, unsigned size, char *err, size_t errlen);
void db_pool_close(struct db_pool *pool);
/* Waits for a free connection (opened lazily); NULL when one cannot be opened. */
struct db *db_pool_get(struct db_pool *pool);
void db_pool_put(struct db_pool *pool, struct db *db);
/* How many connections the pool may open, has open, and holds idle. */
void db_pool_stats(struct db_pool *pool, unsigned *size, unsigned *opened, unsigned *idle);
/* Logs (warning) every statement that takes ms milliseconds or more from
 * being taken to being finished, with its caller and text; -1: none. */
void db_set_slow_ms(int ms);
/* Names what the connection serves until it goes back to the pool ("GET"
 * "/posts/1"): slow statements are logged with it (cut at 95 bytes). */
void db_set_label(struct db *db, const char *a, const char *b);

/* Brings the schema to the newest migration; returns the number applied or -1. */
int db_migrate(struct db *db);
int db_schema_version(struct db *db);

/* Prepares (from the connection's cache), binds and returns a statement ready
 * to step; NULL on error (logged with the SQL and the caller). sql must be a
 * string literal: the cache knows statements by its address. */
#define db_query(db, sql, ...) db_query_at(__func__, db, sql, __VA_ARGS__)
struct db_stmt *db_query_at(const char *caller, struct db *db, const char *sql, const char *types, ...);
/* For statements built at run time (the cache keys on the address of literal
 * SQL, so these are never cached): values bound from an array. */
struct db_value {
	char type;            /* 'i', 's' or 'n' (NULL, typed by where it goes) */
	int64_t i;
	const char *s;
};
struct db_stmt *db_query_dynamic(struct db *db, const char *sql, const struct db_value *vals, int n);
int db_step(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int col);
/* NULL for SQL NULL; valid until the next step or db_finish. */
const char *db_col_text(struct db_stmt *st, int col);
char *db_col_dup(struct db_stmt *st, int col, struct arena *a);
int db_col_is_null(struct db_stmt *st, int col);

/* A row read into a struct, column after column, by a table of fields (one
 * home for the mapping of each kind's columns, in the order of its SELECT):
 * DBF_INT an int64_t; DBF_ID an int64_t, 0 for NULL; DBF_TEXT a string
 * copied into the arena, "" for NULL; DBF_TEXT_OR_NULL the same, NULL for
 * NULL; DBF_FLAG an int. */
enum db_field_kind { DBF_INT, DBF_ID, DBF_TEXT, DBF_TEXT_OR_NULL, DBF_FLAG };
struct db_field {
	enum db_field_kind kind;
	size_t offset;
};
#define DB_FIELD(KIND, TYPE, MEMBER) { KIND, offsetof(TYPE, MEMBER) }
#define DB_FIELDS_N(F) (sizeof (F) / sizeof (F)[0])
/* Reads n fields from column col on into out. */
void db_read_fields(struct db_stmt *st, int col, struct arena *a, void *out, const struct db_field *fields, size_t n);
/* Returns the statement to the cache: -1 when one of its steps failed
 * (a list cut short by an error is an error, not an end). */
int db_finish(struct db_stmt *st);

/* Runs a statement that returns no rows; the number of rows changed, or -1. */
#define db_exec(db, sql, ...) db_exec_at(__func__, db, sql, __VA_ARGS__)
int64_t db_exec_at(const char *caller, struct db *db, const char *sql, const char *types, ...);
/* First column of the first row as an integer: 1 found, 0 no row, -1 error. */
#define db_int(db, out, sql, ...) db_int_at(__func__, db, out, sql, __VA_ARGS__)
int db_int_at(const char *caller, struct db *db, int64_t *out, const char *sql, const char *types, ...);

/* What the last failing call on this connection was about (reset when the
 * connection is taken from the pool). */
enum db_error db_last_error(struct db *db);
/* Did a call since the connection was taken fail because the database could
 * not be reached (or stayed locked)? Requests then answer 503. */
int db_was_unavailable(struct db *db);
/* Did a write fail for want of space since the connection was taken from the pool? */
int db_was_full(struct db *db);

/* Nested transactions by counting: only the outermost begin/commit reach the
 * backend; a rollback at any depth makes the outermost commit roll back. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* Is a transaction open on this connection (at any depth)? */
int db_in_transaction(struct db *db);

/* Cross-instance signals (PostgreSQL LISTEN/NOTIFY). With SQLite there is one
 * process: db_signal does nothing and db_listener_open returns NULL. */
int db_signal(struct db *db, const char *channel, const char *payload);
struct db_listener;
struct db_listener *db_listener_open(const char *url, const char *channel, char *err, size_t errlen);
/* Waits up to timeout_ms for a signal: 1 with its payload, 0 on timeout,
 * -1 when the connection broke (it is re-opened on the next call). */
int db_listener_wait(struct db_listener *l, int timeout_ms, char *payload, size_t len);
void db_listener_close(struct db_listener *l);

/* Search. Both backends offer the same table function search_fts(?) with
 * columns rowid (a search_items id) and rank (lower is better), given the
 * expression db_fts_expr() makes of a parsed query (0, or -1 when out failed). */
struct search_query;
struct buf;
int db_fts_expr(struct db *db, const struct search_query *q, struct buf *out);
/* Refills search_items from the tables, in one transaction (respire reindex). */
int db_search_rebuild(struct db *db);
/* A cached statement (sql a literal) bound from an array of values. */
#define db_query_values(db, sql, vals, n) db_query_values_at(__func__, db, sql, vals, n)
struct db_value;
struct db_stmt *db_query_values_at(const char *caller, struct db *db, const char *sql,
				   const struct db_value *vals, int n);
/* The same for a statement whose best plan depends on its values (the
 * search: how common the words are, which kinds are asked for): planned for
 * them at each call. PostgreSQL otherwise switches a statement to one
 * generic plan after five calls, which for the search was a hundred times
 * slower. */
#define db_query_values_replanned(db, sql, vals, n) db_query_replanned_at(__func__, db, sql, vals, n)
struct db_stmt *db_query_replanned_at(const char *caller, struct db *db, const char *sql,
				      const struct db_value *vals, int n);

/* Bulk loading on this connection (on: 1, off: 0): SQLite writes without
 * waiting for the disk (synchronous=OFF) with a large page cache, PostgreSQL
 * commits without waiting for its WAL. For `respire seed` only: a crash
 * meanwhile may lose or corrupt what was loaded. Never in the server. */
int db_bulk_mode(struct db *db, int on);
/* Fresh statistics for the query planner. SQLite keeps none by itself: without
 * them it may drive a list from a low-selectivity index (posts_visibility)
 * and read most of a table. Run by `respire seed` and by housekeeping once a
 * day (PostgreSQL's autovacuum analyses by itself; running it does no harm). */
int db_analyze(struct db *db);
/* Moves a table's id generator past its largest id (after an import). */
int db_reset_ids(struct db *db, const char *table);
/* "sqlite" or "postgres". */
const char *db_backend(struct db *db);

/* A consistent copy of the SQLite database src into dst (a new file) while
 * others write (the online backup API, one read transaction); -1 with err. */
int db_sqlite_backup(const char *src, const char *dst, char *err, size_t errlen);

#endif
