/* Choosing members by name: the people pickers of forms (an innovation
 * record's co-authors). Only members the chooser may see are proposed or
 * found (active accounts, ACCESS_USER_SQL: never an unverified, suspended
 * or erased one); a visitor finds no one.
 *
 * - An entry is shown and sent back as its label "Name (@handle)", which
 *   names one member whatever their namesakes; "@handle" alone does too;
 *   a bare name is accepted when exactly one visible member bears it
 *   (accents, case and spacing do not matter). */
#ifndef RESPIRE_DOMAIN_PICKER_H
#define RESPIRE_DOMAIN_PICKER_H

#include <stdint.h>

#include "domain/domain.h"

#define PICKER_LIMIT 10           /* suggestions at most, by default */
#define PICKER_LABEL_MAX 300      /* bytes of an entry */

struct picked {
	int64_t id;
	const char *name, *handle, *academy;
	const char *label;        /* "Name (@handle)" */
};

/* Members V may see whose name holds every word of q as a part (accents
 * and case folded: "helene" finds "Hélène Durand"), by name; at most limit
 * (1..20). Returns their number (0 for a visitor or an empty q) or -1. */
int picker_suggest(struct dctx *dc, const struct viewer *v, const char *q, int limit, struct picked **out);

/* The member an entry names (see above) into *out: D_OK; D_INVALID with
 * *why "unknown" (no visible member) or "ambiguous" (several bear the
 * name: the label or @handle tells them apart). */
enum derr picker_resolve(struct dctx *dc, const struct viewer *v, const char *entry, struct picked *out,
			 const char **why);

/* The label of member id (for showing a chosen entry back), or NULL when
 * V may not see them. */
const char *picker_label(struct dctx *dc, const struct viewer *v, int64_t id);

#endif
