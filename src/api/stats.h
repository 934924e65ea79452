/* JSON API: the operators' statistics and a member's objection (api/stats.c). */
#ifndef RESPIRE_API_STATS_H
#define RESPIRE_API_STATS_H

#include "http/request.h"

void api_admin_stats_index(struct request *r);
void api_admin_stats(struct request *r);
void api_me_statistics_get(struct request *r);
void api_me_statistics_put(struct request *r);

#endif
