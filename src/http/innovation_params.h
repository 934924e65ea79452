/* The filters of the innovation catalogue, read the same way for the page
 * (/innovations) and the API (/api/v1/innovations): q, academy, level,
 * subject, theme, type, support, uai, year, cursor. */
#ifndef RESPIRE_HTTP_INNOVATION_PARAMS_H
#define RESPIRE_HTTP_INNOVATION_PARAMS_H

#include "domain/innovations.h"
#include "http/request.h"

/* 0, or -1 with *bad naming the first parameter that is not valid. */
int innovation_params(struct request *r, struct innovation_filter *f, const char **bad);

#endif
