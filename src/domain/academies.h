/* Academies (issue 19): the thirty French academies of the innovation bank
 * (innovation_academies), each with a stable slug ("versailles",
 * "aix-marseille", "la-reunion": the name folded, words joined by '-'),
 * and what a page of an academy gathers: its innovation records the viewer
 * may open, the schools of the directory in it, the groups its members
 * belong to and its advisers.
 *
 * - Records are counted and listed through ACCESS_INNOVATION_SQL: a
 *   visitor counts public records only.
 * - The schools of the directory are open data (counted for anyone).
 * - Members, advisers and groups are shown to members only (profiles are
 *   never shown to visitors); only active accounts (ACCESS_USER_SQL) and
 *   groups the viewer may see (ACCESS_GROUP_SQL).
 * - Groups have no academy of their own: an academy's groups are the
 *   groups with current members whose profile names the academy, by the
 *   number of those members (honest: "groups its members belong to"). */
#ifndef RESPIRE_DOMAIN_ACADEMIES_H
#define RESPIRE_DOMAIN_ACADEMIES_H

#include <stdint.h>

#include "domain/domain.h"

#define ACADEMY_SLUG_MAX 64
#define ACADEMY_GROUPS_MAX 20
#define ACADEMY_ADVISERS_MAX 50
#define ACADEMY_SCHOOLS_MAX 10   /* schools with the most records, on the page */

struct academy_count {
	const char *name, *slug;
	int64_t records;          /* that the viewer may open */
	int64_t schools;          /* of the directory */
	int64_t members;          /* active members whose profile names it; -1 for a visitor */
	int64_t advisers;         /* -1 for a visitor */
};

/* The slug of an academy's name into out (ACADEMY_SLUG_MAX bytes). */
void academy_slug(const char *name, char out[ACADEMY_SLUG_MAX]);
/* The academy's name for a slug, or NULL when no academy has it. */
const char *academy_by_slug(const char *slug);
/* The slug of a known academy's name, in dc's arena; NULL when name is not
 * an academy of the bank (web/ links academies named in free text only
 * when they are one). Case and accents do not matter ("creteil"). */
const char *academy_slug_of(struct dctx *dc, const char *name);

/* How the directory (schools.academy, the Annuaire's Libelle_academie)
 * spells the academy name: the first of its spellings that folds to the
 * same slug, else name itself; NULL on a storage error. */
const char *academy_directory_spelling(struct dctx *dc, const char *name);

/* Every academy, in the bank's order, with its counts for V: 0 and *out
 * (innovation_academies' length), or -1. */
int academies_list(struct dctx *dc, const struct viewer *v, struct academy_count **out, int *n);

/* One academy's counts for V (name from academy_by_slug): D_OK. */
enum derr academy_counts(struct dctx *dc, const struct viewer *v, const char *name, struct academy_count *out);

struct academy_school {
	const char *uai, *name, *town;
	int64_t records;
};
struct academy_group {
	int64_t id;
	const char *name, *kind, *visibility;
	int64_t members;          /* current members of the academy */
};
struct academy_person {
	int64_t id;
	const char *name, *handle;
};

/* The schools with the most records V may open in the academy (a record's
 * UAI), most first: their number or -1. */
int academy_schools(struct dctx *dc, const struct viewer *v, const char *name, struct academy_school **out);
/* The groups V may see with current members of the academy, most such
 * members first (none for a visitor): their number or -1. */
int academy_groups(struct dctx *dc, const struct viewer *v, const char *name, struct academy_group **out);
/* The academy's advisers by name (none for a visitor): their number or -1. */
int academy_advisers(struct dctx *dc, const struct viewer *v, const char *name, struct academy_person **out);

#endif
