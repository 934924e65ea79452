/* The operators' statistics pages and a member's objection (web/stats.c). */
#ifndef RESPIRE_WEB_STATS_H
#define RESPIRE_WEB_STATS_H

#include "http/request.h"

void web_admin_stats(struct request *r);
void web_admin_stat(struct request *r);
void web_me_statistics(struct request *r);

#endif
