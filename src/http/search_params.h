/* The parameters of a search, read the same way for the page (/search) and
 * the API (/api/v1/search): q, type (comma-separated kinds), group_id,
 * author_id, from and to (YYYY-MM-DD, both days included), subject, level,
 * kind (with one type: a post or document kind), cursor (an offset). */
#ifndef RESPIRE_HTTP_SEARCH_PARAMS_H
#define RESPIRE_HTTP_SEARCH_PARAMS_H

#include "domain/search.h"
#include "http/request.h"

/* 0, or -1 with *bad naming the first parameter that is not valid. */
int search_params(struct request *r, struct search_filter *f, const char **bad);

#endif
