#include "http/metrics.h"

#include <pthread.h>
#include <string.h>

#include "http/events.h"
#include "util/escape.h"

#define SLOTS 1024 /* distinct (route, method, status) triples kept */

static const double bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NB ((int)(sizeof bounds / sizeof bounds[0]))

struct slot {
	const char *route;          /* a pattern of the route table (static), or "" */
	const char *method;         /* a static method name */
	int status;
	unsigned long long count;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[SLOTS];
static unsigned long long overflow;
static unsigned long long buckets[NB + 1], hcount;
static double hsum;

static const char *method_name(const char *m)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

	for (size_t i = 0; m && i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(m, known[i]))
			return known[i];
	return "OTHER";
}

void metrics_request(const char *route, const char *method, int status, double ms)
{
	double s = ms / 1000.0;
	unsigned h = (unsigned)status * 31u;
	int b = 0;

	route = route ? route : "";
	method = method_name(method);
	for (const char *p = route; *p; p++)
		h = h * 33u + (unsigned char)*p;
	h = (h * 33u + (unsigned char)method[0] + (unsigned char)method[1]) % SLOTS;
	while (b < NB && s > bounds[b])
		b++;
	pthread_mutex_lock(&mu);
	for (unsigned i = 0; i < SLOTS; i++) {
		struct slot *x = &slots[(h + i) % SLOTS];

		if (!x->route) {
			x->route = route;
			x->method = method;
			x->status = status;
		}
		if (x->route == route && x->method == method && x->status == status) {
			x->count++;
			goto counted;
		}
	}
	overflow++;
counted:
	buckets[b]++;
	hcount++;
	hsum += s;
	pthread_mutex_unlock(&mu);
}

/* A label value: backslash, quote and newline escaped. */
static void label(struct buf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(out, '\\');
		if (*v == '\n') {
			buf_puts(out, "\\n");
			continue;
		}
		buf_putc(out, *v);
	}
}

void metrics_write(struct app *app, struct buf *out)
{
	unsigned long long cum = 0;
	unsigned size = 0, opened = 0, idle = 0;

	buf_puts(out, "# HELP respire_http_requests_total Requests answered, by route pattern, method and status.\n"
		 "# TYPE respire_http_requests_total counter\n");
	pthread_mutex_lock(&mu);
	for (unsigned i = 0; i < SLOTS; i++) {
		if (!slots[i].route)
			continue;
		buf_puts(out, "respire_http_requests_total{route=\"");
		label(out, slots[i].route[0] ? slots[i].route : "unmatched");
		buf_printf(out, "\",method=\"%s\",status=\"%d\"} %llu\n", slots[i].method, slots[i].status,
			   slots[i].count);
	}
	buf_printf(out, "# HELP respire_http_requests_untracked_total Requests past the table of routes and statuses.\n"
		   "# TYPE respire_http_requests_untracked_total counter\n"
		   "respire_http_requests_untracked_total %llu\n", overflow);
	buf_puts(out, "# HELP respire_http_request_duration_seconds Time from the first byte read to the answer.\n"
		 "# TYPE respire_http_request_duration_seconds histogram\n");
	for (int b = 0; b < NB; b++) {
		cum += buckets[b];
		buf_printf(out, "respire_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[b], cum);
	}
	cum += buckets[NB];
	buf_printf(out, "respire_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		   "respire_http_request_duration_seconds_sum %.6f\n"
		   "respire_http_request_duration_seconds_count %llu\n", cum, hsum, hcount);
	pthread_mutex_unlock(&mu);
	buf_printf(out, "# HELP respire_live_streams Live event streams open on this instance.\n"
		   "# TYPE respire_live_streams gauge\nrespire_live_streams %u\n", events_live(app));
	db_pool_stats(app->pool, &size, &opened, &idle);
	buf_printf(out, "# HELP respire_db_pool_size Database connections this instance may open.\n"
		   "# TYPE respire_db_pool_size gauge\nrespire_db_pool_size %u\n"
		   "# HELP respire_db_pool_open Database connections open.\n"
		   "# TYPE respire_db_pool_open gauge\nrespire_db_pool_open %u\n"
		   "# HELP respire_db_pool_in_use Database connections taken by a request or a worker.\n"
		   "# TYPE respire_db_pool_in_use gauge\nrespire_db_pool_in_use %u\n",
		   size, opened, opened >= idle ? opened - idle : 0);
}
