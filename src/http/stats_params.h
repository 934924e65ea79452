/* The parameters of a statistic, read the same way for the pages
 * (/admin/stats) and the API (/api/v1/admin/stats/{metric}), and its CSV
 * download (both answer ?format=csv). */
#ifndef RESPIRE_HTTP_STATS_PARAMS_H
#define RESPIRE_HTTP_STATS_PARAMS_H

#include "domain/stats.h"
#include "http/request.h"

/* from and to: Unix seconds, or a Paris date YYYY-MM-DD (from its start;
 * to: to its end); academy; period (day, week, month). Then the domain's
 * checks and defaults (stats_check). 0, or -1 with *bad naming the field. */
int stats_params(struct request *r, struct stats_query *q, const char **bad);

/* Writes the result as CSV: "t,date,value,previous" for a series (previous:
 * the same row of the previous period), "key,value,previous" for a table. */
void stats_csv(struct request *r, const struct stats_query *q, const struct stats_result *cur,
	       const struct stats_result *prev);

#endif
