/* Schools of the national directory (the open "Annuaire de l'education"
 * export), known by their UAI, and the page of a school: its members who
 * chose to show it and their groups.
 *
 * - The directory is open data: a school's facts are public. Its members
 *   and their groups are shown to members only (profiles are never shown to
 *   visitors), and only members who chose to show their school
 *   (users.show_school); groups through the access module's group filter.
 * - A UAI is 7 digits and a letter, kept in upper case. */
#ifndef RESPIRE_DOMAIN_SCHOOLS_H
#define RESPIRE_DOMAIN_SCHOOLS_H

#include <stdint.h>
#include <stdio.h>

#include "domain/domain.h"

#define SCHOOL_NAME_MAX 200      /* code points */
#define SCHOOL_FIELD_MAX 120     /* kind, academy, town */
#define SCHOOL_POSTCODE_MAX 10
#define SCHOOLS_PAGE 20          /* a search's page */
#define SCHOOL_MEMBERS_MAX 200   /* shown on a school's page */
#define SCHOOL_GROUPS_MAX 100

struct school {
	const char *uai, *name, *kind, *academy, *town, *postcode;
	int64_t updated_at;
};

/* Is s a UAI (7 digits and a letter, either case)? If so and out is not
 * NULL, its upper-case form into out (9 bytes). */
int school_uai_parse(const char *s, char out[9]);

/* What the search reads of a school: " name town uai " folded (lower case,
 * no accents, words between single spaces), into out (bounded). For
 * writers outside this file (the seeder). */
void school_search_text(const char *name, const char *town, const char *uai, char *out, size_t outlen);

/* The school with this UAI (either case): D_NOT_FOUND, D_INVALID when uai
 * is not one. */
enum derr school_get(struct dctx *dc, const char *uai, struct school *out);

/* What a member typed for their school: a UAI, an option of the suggestions
 * ("Name — Town (UAI)"), or a name that folds to exactly one school's name.
 * D_OK with *out; D_INVALID when nothing matches (*why "unknown") or several
 * schools bear that name (*why "ambiguous"). */
enum derr school_resolve(struct dctx *dc, const char *text, struct school *out, const char **why);

/* Does the directory hold any school? 1, 0, or -1 on error. (Before an
 * operator imports it, the profile's school stays free text.) */
int schools_any(struct dctx *dc);

/* Schools whose name, town or UAI hold every word of q as a word prefix,
 * accents and case folded ("ecole lyon" finds "École Jean-Macé, Lyon"), in
 * name order, after the school `after` (a UAI, the cursor; NULL for the
 * first page); the first 6 words of q count, and a whole UAI is looked up
 * by its key. Empty q: no schools. Returns the number of rows (at most
 * limit, 1..100) or -1; *next is the cursor of the next page or NULL. */
int schools_search(struct dctx *dc, const char *q, const char *after, int limit, struct school **out,
		   const char **next);

/* The same within one academy (the directory's academy, exactly; NULL:
 * every one); an empty q with an academy: all its schools, in name order. */
int schools_search_in(struct dctx *dc, const char *q, const char *academy, const char *after, int limit,
		      struct school **out, const char **next);

/* A member shown on a school's page. */
struct school_member {
	int64_t id;
	const char *name, *handle, *role;
};
struct school_group {
	int64_t id;
	const char *name, *kind, *visibility;
	int64_t members;          /* of this school, shown ones */
};
/* Members of the school (already loaded) who show it, by name: none for a
 * visitor. Returns the count or -1. */
int school_members_of(struct dctx *dc, const struct viewer *v, const struct school *s,
		      struct school_member **out);
/* Groups the viewer may see (ACCESS_GROUP_SQL) with a current member among
 * those shown: none for a visitor. Returns the count or -1. */
int school_groups_of(struct dctx *dc, const struct viewer *v, const struct school *s,
		     struct school_group **out);
/* A school's innovation records: innovations_list() with filter uai. */

/* An import from CSV (util/csv.h): the Annuaire's header names or the short
 * ones (uai and name required, kind, academy, town and postcode optional),
 * ';' or ',', UTF-8. Idempotent by UAI: a row is created, updated (a field
 * changed) or unchanged; a bad row is rejected (reported with its physical
 * line and a reason to on_reject) and the others go on. Rows are written in
 * transactions of SCHOOLS_IMPORT_BATCH rows, each row one statement.
 * D_OK; D_INVALID when the file as a whole is refused (no header, a required
 * column missing: *error says which); D_INTERNAL on a read or storage error
 * (*error). */
#define SCHOOLS_IMPORT_BATCH 5000
struct schools_import {
	long created, updated, unchanged, rejected;
	void (*on_reject)(void *arg, long line, const char *reason);
	void *arg;
	const char *error;        /* for the file as a whole */
};
enum derr schools_import_file(struct dctx *dc, FILE *f, struct schools_import *im);

#endif
