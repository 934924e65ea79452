/* Counters of this process for GET /metrics (Prometheus text format):
 * requests by route pattern, method and status, and a latency histogram.
 * Kept in memory (a fixed table under a mutex); each instance has its own. */
#ifndef RESPIRE_HTTP_METRICS_H
#define RESPIRE_HTTP_METRICS_H

#include "http/server.h"
#include "util/buf.h"

/* One finished request: route is its pattern ("" when none matched). */
void metrics_request(const char *route, const char *method, int status, double ms);
/* Writes the request counters, the histogram, live streams and the
 * database pool in the text exposition format. */
void metrics_write(struct app *app, struct buf *out);

#endif
