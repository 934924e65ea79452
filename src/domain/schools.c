/* Schools of the national directory: import, lookup, search, a school's page. */
#include "domain/schools.h"

#include <ctype.h>
#include <string.h>

#include "domain/access.h"
#include "util/csv.h"
#include "util/log.h"
#include "util/search_text.h"
#include "util/text.h"

#define SCHOOL_COLUMNS "s.uai, s.name, s.kind, s.academy, s.town, s.postcode, s.updated_at"
static const struct db_field school_fields[] = {
	DB_FIELD(DBF_TEXT, struct school, uai),
	DB_FIELD(DBF_TEXT, struct school, name),
	DB_FIELD(DBF_TEXT, struct school, kind),
	DB_FIELD(DBF_TEXT, struct school, academy),
	DB_FIELD(DBF_TEXT, struct school, town),
	DB_FIELD(DBF_TEXT, struct school, postcode),
	DB_FIELD(DBF_INT, struct school, updated_at),
};

int school_uai_parse(const char *s, char out[9])
{
	if (!s || strlen(s) != 8)
		return 0;
	for (int i = 0; i < 7; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (!((s[7] >= 'A' && s[7] <= 'Z') || (s[7] >= 'a' && s[7] <= 'z')))
		return 0;
	if (out) {
		memcpy(out, s, 8);
		out[7] = (char)toupper((unsigned char)s[7]);
		out[8] = '\0';
	}
	return 1;
}

/* Folded words of text appended to out (bounded): lower case without
 * accents, every ASCII character that is neither a letter nor a digit a
 * single space, each word after a space. Returns the length. */
static size_t fold_words(const char *text, char *out, size_t len, size_t outlen)
{
	char f[1024];
	size_t n = search_fold(text, strlen(text), f, sizeof f);

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)f[i];
		size_t k = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;

		if (ch < 0x80 && !isalnum(ch)) {
			if (len > 0 && out[len - 1] != ' ' && len + 2 < outlen)
				out[len++] = ' ';
			continue;
		}
		if ((ch & 0xC0) != 0x80 && len + k + 3 >= outlen)
			break;   /* no room for the whole character */
		if (len == 0)
			out[len++] = ' ';
		out[len++] = (char)ch;
	}
	if ((len == 0 || out[len - 1] != ' ') && len + 1 < outlen)
		out[len++] = ' ';
	out[len] = '\0';
	return len;
}

void school_search_text(const char *name, const char *town, const char *uai, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	len = fold_words(name, out, len, outlen);
	len = fold_words(town, out, len, outlen);
	fold_words(uai, out, len, outlen);
}

enum derr school_get(struct dctx *dc, const char *uai, struct school *out)
{
	char u[9];
	struct db_stmt *st;
	int rc;

	if (!school_uai_parse(uai, u))
		return D_INVALID;
	st = db_query(dc->db, "SELECT " SCHOOL_COLUMNS " FROM schools s WHERE s.uai = ?", "s", u);
	if (!st)
		return D_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW)
		db_read_fields(st, 0, dc->arena, out, school_fields, DB_FIELDS_N(school_fields));
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return rc == DB_ROW ? D_OK : D_NOT_FOUND;
}

int schools_any(struct dctx *dc)
{
	struct db_stmt *st = db_query(dc->db, "SELECT uai FROM schools LIMIT 1", "");
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (db_finish(st) < 0)
		return -1;
	return rc == DB_ROW;
}

#define SEARCH_WORDS 6

/* The folded words of q, at most SEARCH_WORDS, each as a LIKE pattern
 * "% word%" (words hold letters and digits only: no LIKE wildcard). */
static int query_patterns(struct dctx *dc, const char *q, const char *pat[SEARCH_WORDS])
{
	char f[1024];
	int n = 0;
	char *p, *save = NULL;

	if (!q || !text_ok(q, 0) || strlen(q) > SEARCH_QUERY_MAX)
		return 0;
	fold_words(q, f, 0, sizeof f);
	for (p = strtok_r(f, " ", &save); p && n < SEARCH_WORDS; p = strtok_r(NULL, " ", &save))
		if (!(pat[n++] = arena_printf(dc->arena, "%% %s%%", p)))
			return -1;
	return n;
}

int schools_search(struct dctx *dc, const char *q, const char *after, int limit, struct school **out,
		   const char **next)
{
	return schools_search_in(dc, q, NULL, after, limit, out, next);
}

int schools_search_in(struct dctx *dc, const char *q, const char *academy, const char *after, int limit,
		      struct school **out, const char **next)
{
	const char *pat[SEARCH_WORDS] = { 0 };
	char cursor[9] = "", uai[9];
	char *qt;
	struct db_stmt *st;
	struct school *rows;
	int n = 0, nw, rc;

	*out = NULL;
	*next = NULL;
	if (limit < 1 || limit > 100)
		limit = SCHOOLS_PAGE;
	if ((nw = query_patterns(dc, q, pat)) < 0 || (nw == 0 && !academy))
		return nw;
	if (nw == 0)
		pat[0] = "%";   /* an academy's schools, every one */
	if (!after && academy == NULL && (qt = arena_strdup(dc->arena, q)) && school_uai_parse(text_trim(qt), uai)) {
		/* a whole UAI: that school alone, by its key */
		enum derr e;

		if (!(rows = arena_alloc(dc->arena, sizeof *rows)))
			return -1;
		e = school_get(dc, uai, rows);
		if (e == D_OK || e == D_NOT_FOUND) {
			*out = rows;
			return e == D_OK ? 1 : 0;
		}
		return -1;
	}
	if (after && !school_uai_parse(after, cursor))
		return 0;
	if (!(rows = arena_alloc(dc->arena, sizeof *rows * (size_t)(limit + 1))))
		return -1;
	/* In name order along schools_folded, each word a word prefix of the
	 * folded name, town or UAI; the page ends after limit + 1 rows. */
	st = db_query(dc->db, "SELECT " SCHOOL_COLUMNS " FROM schools s"
		      " WHERE (? IS NULL OR s.academy = ?) AND s.folded LIKE ? AND (? IS NULL OR s.folded LIKE ?) AND (? IS NULL OR s.folded LIKE ?)"
		      " AND (? IS NULL OR s.folded LIKE ?) AND (? IS NULL OR s.folded LIKE ?)"
		      " AND (? IS NULL OR s.folded LIKE ?)"
		      " AND (? = '' OR (s.folded, s.uai) > (SELECT c.folded, c.uai FROM schools c WHERE c.uai = ?))"
		      " ORDER BY s.folded, s.uai LIMIT ?",
		      "sssssssssssssssi", academy, academy, pat[0], pat[1], pat[1], pat[2], pat[2], pat[3], pat[3], pat[4], pat[4],
		      pat[5], pat[5], cursor, cursor, (int64_t)limit + 1);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n <= limit)
		db_read_fields(st, 0, dc->arena, &rows[n++], school_fields, DB_FIELDS_N(school_fields));
	if (db_finish(st) < 0)
		return -1;
	if (n > limit) {
		n = limit;
		*next = rows[n - 1].uai;
	}
	*out = rows;
	return n;
}

/* "Name — Town (0750001A)": the UAI between the last parentheses. */
static int option_uai(const char *text, char out[9])
{
	const char *open = strrchr(text, '('), *close = strrchr(text, ')');
	char u[9];

	if (!open || !close || close != open + 9 || close[1] != '\0')
		return 0;
	memcpy(u, open + 1, 8);
	u[8] = '\0';
	return school_uai_parse(u, out);
}

enum derr school_resolve(struct dctx *dc, const char *text, struct school *out, const char **why)
{
	char t[SCHOOL_NAME_MAX * 4 + 64], u[9], folded[1024], pat[1030];
	struct db_stmt *st;
	int n = 0, rc;
	enum derr e;

	*why = "unknown";
	if (!text || strlen(text) >= sizeof t || !text_ok(text, 0))
		return D_INVALID;
	strcpy(t, text);
	text = text_trim(t);
	if (school_uai_parse(text, u) || option_uai(text, u)) {
		e = school_get(dc, u, out);
		return e == D_NOT_FOUND ? D_INVALID : e;
	}
	/* a name: the schools whose folded name is exactly it */
	fold_words(text, folded, 0, sizeof folded);
	if (strlen(folded) < 2)
		return D_INVALID;
	snprintf(pat, sizeof pat, "%s%%", folded);
	st = db_query(dc->db, "SELECT " SCHOOL_COLUMNS ", s.name FROM schools s WHERE s.folded LIKE ?"
		      " ORDER BY s.folded, s.uai LIMIT 200", "s", pat);
	if (!st)
		return D_INTERNAL;
	while ((rc = db_step(st)) == DB_ROW) {
		char nf[1024];

		fold_words(db_col_text(st, 7), nf, 0, sizeof nf);
		if (strcmp(nf, folded))
			continue;
		if (n++ == 0)
			db_read_fields(st, 0, dc->arena, out, school_fields, DB_FIELDS_N(school_fields));
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	if (n == 1)
		return D_OK;
	if (n > 1)
		*why = "ambiguous";
	return D_INVALID;
}

int school_members_of(struct dctx *dc, const struct viewer *v, const struct school *s,
		      struct school_member **out)
{
	struct db_stmt *st;
	int n = 0, rc;

	*out = NULL;
	if (!v || !v->id)
		return 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * SCHOOL_MEMBERS_MAX)))
		return -1;
	st = db_query(dc->db, "SELECT u.id, u.name, u.handle, u.role FROM users u"
		      " WHERE u.school_uai = ? AND u.show_school = 1 AND " ACCESS_USER_SQL("u")
		      " ORDER BY u.name, u.id LIMIT ?", "si", s->uai, (int64_t)SCHOOL_MEMBERS_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < SCHOOL_MEMBERS_MAX) {
		struct school_member *m = &(*out)[n++];

		m->id = db_col_int(st, 0);
		m->name = db_col_dup(st, 1, dc->arena);
		m->handle = db_col_dup(st, 2, dc->arena);
		m->role = db_col_dup(st, 3, dc->arena);
	}
	return db_finish(st) < 0 ? -1 : n;
}

int school_groups_of(struct dctx *dc, const struct viewer *v, const struct school *s,
		     struct school_group **out)
{
	struct db_stmt *st;
	int n = 0, rc;

	*out = NULL;
	if (!v || !v->id)
		return 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * SCHOOL_GROUPS_MAX)))
		return -1;
	st = db_query(dc->db, "SELECT g.id, g.name, g.kind, g.visibility, COUNT(*) FROM groups g"
		      " JOIN group_members gm ON gm.group_id = g.id AND gm.state = 'member'"
		      " JOIN users u ON u.id = gm.user_id"
		      " WHERE u.school_uai = ? AND u.show_school = 1 AND " ACCESS_USER_SQL("u")
		      " AND " ACCESS_GROUP_SQL
		      " GROUP BY g.id, g.name, g.kind, g.visibility ORDER BY g.name, g.id LIMIT ?",
		      "s" ACCESS_GROUP_TYPES "i", s->uai, ACCESS_GROUP_ARGS(v), (int64_t)SCHOOL_GROUPS_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < SCHOOL_GROUPS_MAX) {
		struct school_group *g = &(*out)[n++];

		g->id = db_col_int(st, 0);
		g->name = db_col_dup(st, 1, dc->arena);
		g->kind = db_col_dup(st, 2, dc->arena);
		g->visibility = db_col_dup(st, 3, dc->arena);
		g->members = db_col_int(st, 4);
	}
	return db_finish(st) < 0 ? -1 : n;
}

/* ---- import ---- */

static const char *const col_uai[] = { "uai", "Identifiant_de_l_etablissement", NULL };
static const char *const col_name[] = { "name", "Nom_etablissement", NULL };
static const char *const col_kind[] = { "kind", "Type_etablissement", NULL };
static const char *const col_academy[] = { "academy", "Libelle_academie", NULL };
static const char *const col_town[] = { "town", "Nom_commune", NULL };
static const char *const col_postcode[] = { "postcode", "Code_postal", NULL };

/* A cell made single-line (tabs and newlines as spaces) and trimmed, in
 * place; NULL when it is not valid text of at most max code points. */
static char *cell(char *s, size_t max)
{
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	s = text_trim(s);
	if (!text_ok(s, 0) || utf8_len(s) > max)
		return NULL;
	return s;
}

/* A record's field (its own, writable), or empty when the row is shorter
 * or the column absent. */
static char *field(struct csv_record *rec, int col, char *empty)
{
	return col >= 0 && col < rec->nfields ? rec->fields[col] : empty;
}

static void reject(struct schools_import *im, long line, const char *reason)
{
	im->rejected++;
	if (im->on_reject)
		im->on_reject(im->arg, line, reason);
}

/* One row: 1 created, 2 updated, 3 unchanged, 0 rejected (*why), -1 storage. */
static int import_row(struct dctx *dc, struct csv_record *rec, const int col[6], const char **why)
{
	char uai[9], folded[2048];
	char *name, *kind, *academy, *town, *postcode;
	struct db_stmt *st;
	int rc, same = 0;

	char empty[6][1] = { "", "", "", "", "", "" };

	char *u = text_trim(field(rec, col[0], empty[0]));

	if (!school_uai_parse(u, uai)) {
		*why = *u ? "invalid UAI (7 digits and a letter)" : "missing UAI";
		return 0;
	}
	name = cell(field(rec, col[1], empty[1]), SCHOOL_NAME_MAX);
	kind = cell(field(rec, col[2], empty[2]), SCHOOL_FIELD_MAX);
	academy = cell(field(rec, col[3], empty[3]), SCHOOL_FIELD_MAX);
	town = cell(field(rec, col[4], empty[4]), SCHOOL_FIELD_MAX);
	postcode = cell(field(rec, col[5], empty[5]), SCHOOL_POSTCODE_MAX);
	if (!name || !*name) {
		*why = name ? "empty name" : "name too long or not text";
		return 0;
	}
	if (!kind || !academy || !town) {
		*why = !kind ? "kind too long or not text" : !academy ? "academy too long or not text"
								       : "town too long or not text";
		return 0;
	}
	if (!postcode) {
		*why = "postcode too long or not text";
		return 0;
	}
	school_search_text(name, town, uai, folded, sizeof folded);
	st = db_query(dc->db, "SELECT name, kind, academy, town, postcode FROM schools WHERE uai = ?", "s", uai);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		same = !strcmp(db_col_text(st, 0), name) && !strcmp(db_col_text(st, 1), kind) &&
		       !strcmp(db_col_text(st, 2), academy) && !strcmp(db_col_text(st, 3), town) &&
		       !strcmp(db_col_text(st, 4), postcode);
	if (db_finish(st) < 0)
		return -1;
	if (rc == DB_ROW && same)
		return 3;
	if (rc == DB_ROW)
		return db_exec(dc->db, "UPDATE schools SET name = ?, kind = ?, academy = ?, town = ?, postcode = ?,"
			       " folded = ?, updated_at = ? WHERE uai = ?", "ssssssis", name, kind, academy, town,
			       postcode, folded, dc->now, uai) == 1 ? 2 : -1;
	return db_exec(dc->db, "INSERT INTO schools (uai, name, kind, academy, town, postcode, folded, updated_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "sssssssi", uai, name, kind, academy, town, postcode,
		       folded, dc->now) == 1 ? 1 : -1;
}

enum derr schools_import_file(struct dctx *dc, FILE *f, struct schools_import *im)
{
	struct csv *c = csv_open(f, CSV_RECORD_MAX);
	const char *const *cols[6] = { col_uai, col_name, col_kind, col_academy, col_town, col_postcode };
	int col[6], rc, batch = 0;
	struct csv_record rec;
	enum derr e = D_OK;
	long saved[3] = { 0, 0, 0 };   /* the counts as of the last commit: a failed batch rolls back */

	im->created = im->updated = im->unchanged = im->rejected = 0;
	im->error = NULL;
	if (!c) {
		im->error = "out of memory";
		return D_INTERNAL;
	}
	rc = csv_read_header(c);
	if (rc <= 0) {
		im->error = rc == 0 ? "the file is empty: a header line is required"
				    : arena_printf(dc->arena, "the header line cannot be read (%s)",
						   csv_header_error(c) ? csv_header_error(c) : "read error");
		e = rc == 0 || csv_header_error(c) ? D_INVALID : D_INTERNAL;
		goto out;
	}
	for (int i = 0; i < 6; i++)
		col[i] = csv_column(c, cols[i]);
	for (int i = 0; i < 2; i++) {
		if (col[i] < 0) {
			im->error = arena_printf(dc->arena, "missing column: %s (or %s); separator '%c'",
						 cols[i][0], cols[i][1], csv_separator(c));
			e = D_INVALID;
			goto out;
		}
	}
	while ((rc = csv_next(c, &rec)) == 1) {
		const char *why = NULL;
		int r;

		if (rec.error) {
			reject(im, rec.line, !strcmp(rec.error, "too_long") ? "row too long (over 1 MiB)"
					     : !strcmp(rec.error, "invalid_utf8") ? "not valid UTF-8"
					     : !strcmp(rec.error, "unterminated_quote") ? "a quote is never closed"
					     : "too many fields");
			continue;
		}
		if (batch == 0 && db_begin(dc->db) < 0) {
			e = D_INTERNAL;
			break;
		}
		r = import_row(dc, &rec, col, &why);
		if (r < 0) {
			db_rollback(dc->db);
			batch = 0;
			im->created = saved[0];
			im->updated = saved[1];
			im->unchanged = saved[2];
			e = D_INTERNAL;
			break;
		}
		if (r == 0)
			reject(im, rec.line, why);
		else if (r == 1)
			im->created++;
		else if (r == 2)
			im->updated++;
		else
			im->unchanged++;
		if (++batch >= SCHOOLS_IMPORT_BATCH) {
			batch = 0;
			if (db_commit(dc->db) < 0) {
				e = D_INTERNAL;
				break;
			}
			saved[0] = im->created;
			saved[1] = im->updated;
			saved[2] = im->unchanged;
		}
	}
	if (batch > 0 && db_commit(dc->db) < 0)
		e = D_INTERNAL;
	if (rc < 0 && e == D_OK)
		e = D_INTERNAL;
	if (e == D_INTERNAL && !im->error)
		im->error = rc < 0 ? "read error" : "storage error";
out:
	csv_close(c);
	return e;
}
