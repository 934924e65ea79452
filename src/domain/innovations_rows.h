/* Inside the innovation records' domain files (innovations.c,
 * innovations_list.c): a record's columns and how a row of them is read. */
#ifndef RESPIRE_DOMAIN_INNOVATIONS_ROWS_H
#define RESPIRE_DOMAIN_INNOVATIONS_ROWS_H

#include "domain/innovations.h"

#define INNOVATION_COLUMNS \
	"i.id, i.ref, i.coordinator_id, COALESCE(u.name, ''), i.title, i.summary, i.academy, i.uai, i.type," \
	" i.started_year, i.duration_years, i.aims, i.actions, i.evaluation, i.effects, i.partners, i.visibility," \
	" i.support, i.support_comment, i.created_at, i.updated_at, i.revision, i.hidden_at IS NOT NULL"
#define INNOVATION_FROM " FROM innovations i LEFT JOIN users u ON u.id = i.coordinator_id"

/* The INNOVATION_COLUMNS of st's row into *out (lists empty). */
void innovation_read_row(struct dctx *dc, struct db_stmt *st, struct innovation *out);

#endif
