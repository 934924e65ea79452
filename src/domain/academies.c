/* Academies: slugs, counts, and what an academy's page gathers. */
#include "domain/academies.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "domain/access.h"
#include "domain/innovations.h"
#include "util/search_text.h"

void academy_slug(const char *name, char out[ACADEMY_SLUG_MAX])
{
	char f[4 * ACADEMY_SLUG_MAX];
	size_t n = search_fold(name ? name : "", name ? strlen(name) : 0, f, sizeof f), k = 0;

	for (size_t i = 0; i < n && k + 1 < ACADEMY_SLUG_MAX; i++) {
		unsigned char ch = (unsigned char)f[i];

		if (isalnum(ch) && ch < 0x80)
			out[k++] = (char)ch;
		else if (ch < 0x80 && k > 0 && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k > 0 && out[k - 1] == '-')
		k--;
	out[k] = '\0';
}

const char *academy_by_slug(const char *slug)
{
	char s[ACADEMY_SLUG_MAX];

	if (!slug || !*slug || strlen(slug) >= ACADEMY_SLUG_MAX)
		return NULL;
	for (int i = 0; innovation_academies[i]; i++) {
		academy_slug(innovation_academies[i], s);
		if (!strcmp(s, slug))
			return innovation_academies[i];
	}
	return NULL;
}

const char *academy_slug_of(struct dctx *dc, const char *name)
{
	char s[ACADEMY_SLUG_MAX];

	if (!name || !*name || strlen(name) > 200)
		return NULL;
	academy_slug(name, s);
	return academy_by_slug(s) ? arena_strdup(dc->arena, s) : NULL;
}

const char *academy_directory_spelling(struct dctx *dc, const char *name)
{
	char want[ACADEMY_SLUG_MAX], s[ACADEMY_SLUG_MAX];
	struct db_stmt *st;
	const char *out = NULL;
	int rc;

	academy_slug(name, want);
	/* the exact spelling first: one probe of the index */
	st = db_query(dc->db, "SELECT 1 FROM schools s WHERE s.academy = ? LIMIT 1", "s", name);
	if (!st)
		return NULL;
	rc = db_step(st);
	if (db_finish(st) < 0 || rc == DB_ERR)
		return NULL;
	if (rc == DB_ROW)
		return name;
	st = db_query(dc->db, "SELECT s.academy FROM schools s GROUP BY s.academy", "");
	if (!st)
		return NULL;
	while ((rc = db_step(st)) == DB_ROW && !out) {
		const char *v = db_col_text(st, 0);

		if (v && strlen(v) <= 200) {
			academy_slug(v, s);
			if (!strcmp(s, want))
				out = db_col_dup(st, 0, dc->arena);
		}
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return NULL;
	return out ? out : name;
}

static int nacademies(void)
{
	int n = 0;

	while (innovation_academies[n])
		n++;
	return n;
}

/* The index in innovation_academies of a value that folds to an academy's
 * slug, or -1. */
static int academy_index(const char *value)
{
	char s[ACADEMY_SLUG_MAX], t[ACADEMY_SLUG_MAX];

	if (!value || !*value || strlen(value) > 200)
		return -1;
	academy_slug(value, s);
	for (int i = 0; innovation_academies[i]; i++) {
		academy_slug(innovation_academies[i], t);
		if (!strcmp(s, t))
			return i;
	}
	return -1;
}

/* Adds each row's count (column 1) to the field at offset of the academy
 * its column 0 names. Returns 0 or -1. */
static int add_counts(struct db_stmt *st, struct academy_count *rows, size_t offset)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int i = academy_index(db_col_text(st, 0));

		if (i >= 0)
			*(int64_t *)((char *)&rows[i] + offset) += db_col_int(st, 1);
	}
	return db_finish(st) < 0 || rc == DB_ERR ? -1 : 0;
}

/* The counts of every academy (academy NULL) or of one (the others stay 0). */
static int count_all(struct dctx *dc, const struct viewer *v, const char *academy, struct academy_count *rows)
{
	struct viewer none = { 0 };
	int n = nacademies();

	if (!v)
		v = &none;
	for (int i = 0; i < n; i++) {
		char s[ACADEMY_SLUG_MAX];

		academy_slug(innovation_academies[i], s);
		rows[i].name = innovation_academies[i];
		rows[i].slug = arena_strdup(dc->arena, s);
		if (!rows[i].slug)
			return -1;
		rows[i].records = rows[i].schools = 0;
		rows[i].members = rows[i].advisers = v->id ? 0 : -1;
	}
	/* records stored under the bank's own names (validated on write) */
	if (add_counts(db_query(dc->db, "SELECT i.academy, COUNT(*) FROM innovations i WHERE (? IS NULL OR i.academy = ?)"
				" AND " ACCESS_INNOVATION_SQL " GROUP BY i.academy", "ss" ACCESS_INNOVATION_TYPES, academy,
				academy, ACCESS_INNOVATION_ARGS(v)),
		       rows, offsetof(struct academy_count, records)) < 0)
		return -1;
	/* the directory's own spelling (Libelle_academie) folds to the slug */
	if (add_counts(db_query(dc->db, "SELECT s.academy, COUNT(*) FROM schools s GROUP BY s.academy", ""), rows,
		       offsetof(struct academy_count, schools)) < 0)
		return -1;
	if (!v->id)
		return 0;
	/* a profile's academy is free text (or follows the address): folded too */
	if (add_counts(db_query(dc->db, "SELECT u.academy, COUNT(*) FROM users u WHERE u.academy <> '' AND "
				ACCESS_USER_SQL("u") " GROUP BY u.academy", ""), rows,
		       offsetof(struct academy_count, members)) < 0 ||
	    add_counts(db_query(dc->db, "SELECT u.adviser_academy, COUNT(*) FROM users u WHERE u.adviser_academy IS NOT NULL"
				" AND " ACCESS_USER_SQL("u") " GROUP BY u.adviser_academy", ""), rows,
		       offsetof(struct academy_count, advisers)) < 0)
		return -1;
	return 0;
}

int academies_list(struct dctx *dc, const struct viewer *v, struct academy_count **out, int *n)
{
	*n = nacademies();
	if (!(*out = arena_alloc(dc->arena, sizeof **out * (size_t)*n)))
		return -1;
	return count_all(dc, v, NULL, *out);
}

enum derr academy_counts(struct dctx *dc, const struct viewer *v, const char *name, struct academy_count *out)
{
	struct academy_count *rows = arena_alloc(dc->arena, sizeof *rows * (size_t)nacademies());
	int i = academy_index(name);

	if (i < 0)
		return D_NOT_FOUND;
	if (!rows || count_all(dc, v, innovation_academies[i], rows) < 0)
		return D_INTERNAL;
	*out = rows[i];
	return D_OK;
}

int academy_schools(struct dctx *dc, const struct viewer *v, const char *name, struct academy_school **out)
{
	struct viewer none = { 0 };
	struct db_stmt *st;
	int n = 0, rc;

	if (!v)
		v = &none;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * ACADEMY_SCHOOLS_MAX)))
		return -1;
	st = db_query(dc->db, "SELECT i.uai, COALESCE(s.name, ''), COALESCE(s.town, ''), COUNT(*) FROM innovations i"
		      " LEFT JOIN schools s ON s.uai = i.uai WHERE i.academy = ? AND i.uai IS NOT NULL AND "
		      ACCESS_INNOVATION_SQL " GROUP BY i.uai, s.name, s.town ORDER BY COUNT(*) DESC, i.uai LIMIT ?",
		      "s" ACCESS_INNOVATION_TYPES "i", name, ACCESS_INNOVATION_ARGS(v), (int64_t)ACADEMY_SCHOOLS_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < ACADEMY_SCHOOLS_MAX) {
		struct academy_school *s = &(*out)[n++];

		s->uai = db_col_dup(st, 0, dc->arena);
		s->name = db_col_dup(st, 1, dc->arena);
		s->town = db_col_dup(st, 2, dc->arena);
		s->records = db_col_int(st, 3);
	}
	return db_finish(st) < 0 || rc == DB_ERR ? -1 : n;
}

int academy_groups(struct dctx *dc, const struct viewer *v, const char *name, struct academy_group **out)
{
	struct db_stmt *st;
	int n = 0, rc;

	*out = NULL;
	if (!v || !v->id)
		return 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * ACADEMY_GROUPS_MAX)))
		return -1;
	st = db_query(dc->db, "SELECT g.id, g.name, g.kind, g.visibility, COUNT(*) FROM groups g"
		      " JOIN group_members gm ON gm.group_id = g.id AND gm.state = 'member'"
		      " JOIN users u ON u.id = gm.user_id"
		      " WHERE u.academy <> '' AND respire_fold(u.academy) = respire_fold(?) AND " ACCESS_USER_SQL("u")
		      " AND " ACCESS_GROUP_SQL
		      " GROUP BY g.id, g.name, g.kind, g.visibility ORDER BY COUNT(*) DESC, g.name, g.id LIMIT ?",
		      "s" ACCESS_GROUP_TYPES "i", name, ACCESS_GROUP_ARGS(v), (int64_t)ACADEMY_GROUPS_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < ACADEMY_GROUPS_MAX) {
		struct academy_group *g = &(*out)[n++];

		g->id = db_col_int(st, 0);
		g->name = db_col_dup(st, 1, dc->arena);
		g->kind = db_col_dup(st, 2, dc->arena);
		g->visibility = db_col_dup(st, 3, dc->arena);
		g->members = db_col_int(st, 4);
	}
	return db_finish(st) < 0 || rc == DB_ERR ? -1 : n;
}

int academy_advisers(struct dctx *dc, const struct viewer *v, const char *name, struct academy_person **out)
{
	struct db_stmt *st;
	int n = 0, rc;

	*out = NULL;
	if (!v || !v->id)
		return 0;
	if (!(*out = arena_alloc(dc->arena, sizeof **out * ACADEMY_ADVISERS_MAX)))
		return -1;
	st = db_query(dc->db, "SELECT u.id, u.name, u.handle FROM users u WHERE u.adviser_academy = ? AND "
		      ACCESS_USER_SQL("u") " ORDER BY u.name, u.id LIMIT ?", "si", name, (int64_t)ACADEMY_ADVISERS_MAX);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < ACADEMY_ADVISERS_MAX) {
		struct academy_person *p = &(*out)[n++];

		p->id = db_col_int(st, 0);
		p->name = db_col_dup(st, 1, dc->arena);
		p->handle = db_col_dup(st, 2, dc->arena);
	}
	return db_finish(st) < 0 || rc == DB_ERR ? -1 : n;
}
