/* What a storage backend implements. Only store/ includes this. */
#ifndef RESPIRE_STORE_DRIVER_H
#define RESPIRE_STORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/search_text.h"

struct db_driver {
	const char *name;
	const char *const *migrations; /* NULL-terminated, numbered from 1 */
	void *(*connect)(const char *url, char *err, size_t errlen);
	void (*disconnect)(void *conn);
	/* Prepared statement handle, or NULL (then errmsg says why). */
	void *(*prepare)(void *conn, const char *sql);
	void (*finalize)(void *h);
	/* This statement is planned anew for its values at each call (NULL:
	 * the backend always does, or its plan does not depend on them). */
	void (*plan_each_call)(void *h);
	int (*param_count)(void *h);                    /* number of '?' placeholders */
	int (*bind_int)(void *h, int idx, int64_t v);   /* idx from 1 */
	int (*bind_text)(void *h, int idx, const char *v);
	int (*bind_null)(void *h, int idx, char type);   /* type: 'i', 's' or 'n' (infer) */
	int (*step)(void *h);                           /* enum db_step_result */
	void (*reset)(void *h);
	int64_t (*col_int)(void *h, int col);
	const char *(*col_text)(void *h, int col);
	int (*col_is_null)(void *h, int col);
	int64_t (*changes)(void *conn);
	/* Runs SQL text with no parameters (migrations, transaction control). */
	int (*exec_script)(void *conn, const char *sql);
	const char *begin_sql;
	/* Run inside the migration transaction so that instances starting together
	 * migrate one after the other (NULL: begin_sql already serialises). */
	const char *migrate_lock_sql;
	/* Bulk loading (respire seed only, never the server): durability traded
	 * for speed on this connection, and back. */
	const char *bulk_on_sql, *bulk_off_sql;
	/* Fresh statistics for the query planner (db_analyze). */
	const char *analyze_sql;
	/* After rows were inserted with explicit ids: move the table's id generator past them. */
	int (*reset_ids)(void *conn, const char *table);
	const char *(*errmsg)(void *conn);
	enum db_error (*errkind)(void *conn);
	/* Search: the match expression of search_fts(?) in the backend's syntax,
	 * and the script that refills search_items from the tables. */
	int (*fts_expr)(const struct search_query *q, struct buf *out);
	const char *const *search_rebuild;
};

extern const struct db_driver sqlite_driver;
extern const struct db_driver postgres_driver;

#endif
