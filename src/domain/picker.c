/* Choosing members by name: see picker.h. */
#include "domain/picker.h"

#include <ctype.h>
#include <string.h>

#include "domain/access.h"
#include "domain/search.h"
#include "util/search_text.h"
#include "util/text.h"

#define PICKER_WORDS 4

#define PICKED_COLUMNS "u.id, u.name, u.handle, u.academy"
/* Members the search index finds for the words (names are the items' titles). */
#define PICKED_FROM_INDEX \
	" FROM users u WHERE " ACCESS_USER_SQL("u") \
	" AND u.id IN (SELECT s.item_id FROM search_fts(?) m JOIN search_items s ON s.id = m.rowid WHERE s.kind = 'user')"

static void read_picked(struct dctx *dc, struct db_stmt *st, struct picked *p)
{
	p->id = db_col_int(st, 0);
	p->name = db_col_dup(st, 1, dc->arena);
	p->handle = db_col_dup(st, 2, dc->arena);
	p->academy = db_col_dup(st, 3, dc->arena);
	p->label = arena_printf(dc->arena, "%s (@%s)", p->name ? p->name : "", p->handle ? p->handle : "");
}

/* The folded words of q (letters and digits), at most PICKER_WORDS, each as
 * a LIKE pattern "%word%" (no wildcard can be in a word). */
static int name_patterns(struct dctx *dc, const char *q, const char *pat[PICKER_WORDS])
{
	char f[1024], w[256];
	size_t n = search_fold(q, strlen(q), f, sizeof f - 1), k = 0;
	int nw = 0;

	f[n] = '\0';
	for (size_t i = 0; i <= n && nw < PICKER_WORDS; i++) {
		unsigned char ch = (unsigned char)f[i];

		if (i < n && (ch >= 0x80 || isalnum(ch))) {
			if (k + 1 < sizeof w)
				w[k++] = (char)ch;
			continue;
		}
		if (k > 0) {
			w[k] = '\0';
			if (!(pat[nw++] = arena_printf(dc->arena, "%%%s%%", w)))
				return -1;
			k = 0;
		}
	}
	return nw;
}

int picker_suggest(struct dctx *dc, const struct viewer *v, const char *q, int limit, struct picked **out)
{
	const char *pat[PICKER_WORDS] = { 0 }, *expr = NULL;
	struct db_stmt *st;
	int n = 0, nw, rc;

	*out = NULL;
	if (!v || !v->id || !q || !text_ok(q, 0) || strlen(q) > PICKER_LABEL_MAX)
		return 0;
	if (limit < 1 || limit > 20)
		limit = PICKER_LIMIT;
	if ((nw = name_patterns(dc, q, pat)) <= 0)
		return nw;
	if (search_expr(dc, q, &expr) == -1)
		return -1;
	if (!expr)
		return 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit)))
		return -1;
	st = db_query(dc->db, "SELECT " PICKED_COLUMNS PICKED_FROM_INDEX " AND respire_fold(u.name) LIKE ?"
		      " AND (? IS NULL OR respire_fold(u.name) LIKE ?) AND (? IS NULL OR respire_fold(u.name) LIKE ?)"
		      " AND (? IS NULL OR respire_fold(u.name) LIKE ?) ORDER BY u.name, u.id LIMIT ?", "ssssssssi", expr,
		      pat[0], pat[1], pat[1], pat[2], pat[2], pat[3], pat[3], (int64_t)limit);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < limit)
		read_picked(dc, st, &(*out)[n++]);
	return db_finish(st) < 0 || rc == DB_ERR ? -1 : n;
}

/* The member with this handle V may see: D_OK, D_INVALID (unknown). */
static enum derr by_handle(struct dctx *dc, const char *handle, size_t len, struct picked *out)
{
	char h[128];
	struct db_stmt *st;
	int rc;

	if (len == 0 || len >= sizeof h)
		return D_INVALID;
	memcpy(h, handle, len);
	h[len] = '\0';
	st = db_query(dc->db, "SELECT " PICKED_COLUMNS " FROM users u WHERE u.handle = ? AND " ACCESS_USER_SQL("u"), "s",
		      h);
	if (!st)
		return D_INTERNAL;
	if ((rc = db_step(st)) == DB_ROW)
		read_picked(dc, st, out);
	if (db_finish(st) < 0 || rc == DB_ERR)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : D_INVALID;
}

enum derr picker_resolve(struct dctx *dc, const struct viewer *v, const char *entry, struct picked *out,
			 const char **why)
{
	char t[PICKER_LABEL_MAX + 1];
	const char *expr = NULL, *open;
	struct db_stmt *st;
	size_t len;
	int n = 0, rc;

	*why = "unknown";
	if (!v || !v->id || !entry || strlen(entry) > PICKER_LABEL_MAX || !text_ok(entry, 0))
		return D_INVALID;
	strcpy(t, entry);
	entry = text_trim(t);
	len = strlen(entry);
	if (len == 0)
		return D_INVALID;
	/* "Name (@handle)": the handle decides */
	if (entry[len - 1] == ')' && (open = strstr(entry, "(@")) && !strchr(open + 2, '('))
		return by_handle(dc, open + 2, (size_t)(entry + len - 1 - (open + 2)), out);
	if (entry[0] == '@')
		return by_handle(dc, entry + 1, len - 1, out);
	/* a bare name: the one visible member who bears it */
	if (search_expr(dc, entry, &expr) == -1)
		return D_INTERNAL;
	if (!expr)
		return D_INVALID;
	st = db_query(dc->db, "SELECT " PICKED_COLUMNS PICKED_FROM_INDEX " AND respire_fold(u.name) = respire_fold(?)"
		      " ORDER BY u.id LIMIT 2", "ss", expr, entry);
	if (!st)
		return D_INTERNAL;
	while ((rc = db_step(st)) == DB_ROW)
		if (n++ == 0)
			read_picked(dc, st, out);
	if (db_finish(st) < 0 || rc == DB_ERR)
		return D_INTERNAL;
	if (n > 1)
		*why = "ambiguous";
	return n == 1 ? D_OK : D_INVALID;
}

const char *picker_label(struct dctx *dc, const struct viewer *v, int64_t id)
{
	struct db_stmt *st;
	struct picked p;
	int rc;

	if (!v || !v->id)
		return NULL;
	st = db_query(dc->db, "SELECT " PICKED_COLUMNS " FROM users u WHERE u.id = ? AND " ACCESS_USER_SQL("u"), "i", id);
	if (!st)
		return NULL;
	if ((rc = db_step(st)) == DB_ROW)
		read_picked(dc, st, &p);
	db_finish(st);
	return rc == DB_ROW ? p.label : NULL;
}
