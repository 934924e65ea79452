/* The import of innovation records from CSV (issue 19): the columns are the
 * JSON field names the export (GET /innovations.csv) writes, lists with
 * their values separated by '|'.
 *
 * - Required columns: ref, title, academy, type, started_year,
 *   duration_years; optional: summary, uai, levels, subjects, themes,
 *   keywords, aims, actions, evaluation, effects, partners, coauthors
 *   (member ids or e-mail addresses), visibility, support, support_comment,
 *   coordinator_email. id (the exporting bank's own) and unknown columns are
 *   ignored. A missing required column refuses the whole file.
 * - Idempotent by ref: a new ref creates a record, a known one updates it
 *   (an edit by the importing admin: a revision is kept) or leaves it
 *   unchanged. An absent optional column leaves the field as it is; an empty
 *   cell clears a text or a list (visibility and support: left as they are).
 * - Coordinator: the member named by coordinator_email, else (creating) the
 *   importing admin; on update an empty cell keeps the coordinator.
 * - Each row is validated as the API validates (innovation_validate) before
 *   anything is written: a bad row is rejected with its physical line and a
 *   reason and writes nothing, the others go on. Valid rows are written in
 *   transactions of INNOVATIONS_IMPORT_BATCH rows (a commit a row costs a
 *   WAL write a row); a storage failure rolls its batch back whole and
 *   stops the import (nothing half-written; the counts are those committed).
 * - dry_run: validates and counts, writes nothing (a ref repeated in the file
 *   counts as updated).
 * - The feed: a created or updated record writes its activity only when it
 *   has people beyond the importing admin (a coordinator named by
 *   coordinator_email who is another member, co-authors, followers): the
 *   bank's records filed under the admin's name flood no home feed
 *   (innovation_input.importer). */
#ifndef RESPIRE_DOMAIN_INNOVATIONS_IMPORT_H
#define RESPIRE_DOMAIN_INNOVATIONS_IMPORT_H

#include <stdio.h>

#include "domain/innovations.h"

#define INNOVATIONS_IMPORT_BATCH 200

struct innovations_import {
	int dry_run;
	long created, updated, unchanged, rejected;
	/* each rejected row; reason is valid during the call only */
	void (*on_reject)(void *arg, long line, const char *reason);
	void *arg;
	const char *error;        /* the file as a whole, in dc's arena */
};

/* admin: the importing admin (D_NOT_FOUND when not one). D_OK (rows may
 * have been rejected); D_INVALID when the file is refused (*error: no
 * header, a missing column); D_INTERNAL on a read or storage error (*error;
 * the batches before it stay imported). */
enum derr innovations_import_file(struct dctx *dc, const struct viewer *admin, FILE *f, struct innovations_import *im);

#endif
