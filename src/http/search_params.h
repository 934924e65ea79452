/* The parameters of a search, read the same way for the page (/search) and
 * the API (/api/v1/search): q, type (comma-separated kinds), group_id,
 * author_id, from and to (YYYY-MM-DD, both days included), subject, level,
 * kind (with one type: a post or document kind), cursor (an offset). */
#ifndef RESPIRE_HTTP_SEARCH_PARAMS_H
#define RESPIRE_HTTP_SEARCH_PARAMS_H

#include "domain/search.h"
#include "http/request.h"

/* ?name=YYYY-MM-DD as the local midnight of that day plus `days` (1 for the
 * end of a range that includes the day); 0 when absent. -1 when malformed. */
int req_query_day(struct request *r, const char *name, int days, int64_t *out);

/* 0, or -1 with *bad naming the first parameter that is not valid. */
int search_params(struct request *r, struct search_filter *f, const char **bad);

#endif
