#include "http/stats_params.h"

#include <stdlib.h>
#include <string.h>

/* Unix seconds (digits only) or YYYY-MM-DD; 0 when absent, -1 malformed. */
static int read_time(struct request *r, const char *name, int end_of_day, int64_t *out)
{
	const char *v = req_query(r, name);
	size_t n;

	*out = 0;
	if (!v || !*v)
		return 0;
	n = strlen(v);
	if (n == 10 && v[4] == '-') {
		int64_t day = stats_parse_date(v);

		if (day < 0)
			return -1;
		*out = end_of_day ? stats_next_day(day) - 1 : day;
		return *out ? 0 : -1;
	}
	if (n > 12)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return -1;
	*out = strtoll(v, NULL, 10);
	if (!*out)
		*out = -1;   /* 0 would mean "the default": the epoch is no period worth asking for */
	return 0;
}

int stats_params(struct request *r, struct stats_query *q, const char **bad)
{
	const char *academy = req_query(r, "academy"), *period = req_query(r, "period");
	const char *format = req_query(r, "format");

	*bad = NULL;
	if (read_time(r, "from", 0, &q->from) < 0) {
		*bad = "from";
		return -1;
	}
	if (read_time(r, "to", 1, &q->to) < 0) {
		*bad = "to";
		return -1;
	}
	if (format && *format && strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "html")) {
		*bad = "format";
		return -1;
	}
	if (academy && strlen(academy) > 100) {
		*bad = "academy";
		return -1;
	}
	q->academy = academy;
	q->period = period;
	return stats_check(&r->dc, q, bad) == D_OK ? 0 : -1;
}

static void csv_value(struct buf *b, double v, int decimals)
{
	buf_printf(b, "%.*f", decimals, v);
}

void stats_csv(struct request *r, const struct stats_query *q, const struct stats_result *cur,
	       const struct stats_result *prev)
{
	struct buf *b = &r->out;
	int dec = q->metric->decimals;

	buf_reset(b);
	if (q->metric->shape == STATS_SERIES) {
		buf_puts(b, "t,date,value,previous\r\n");
		for (int i = 0; i < cur->n; i++) {
			char date[11];

			stats_date(cur->points[i].t, date);
			buf_printf(b, "%lld,%s,", (long long)cur->points[i].t, date);
			csv_value(b, cur->points[i].value, dec);
			buf_putc(b, ',');
			if (i < prev->n)
				csv_value(b, prev->points[i].value, dec);
			buf_puts(b, "\r\n");
		}
	} else {
		buf_puts(b, "key,value,previous\r\n");
		for (int i = 0; i < cur->n; i++) {
			buf_printf(b, "%s,", cur->points[i].key); /* keys are fixed words: nothing to quote */
			csv_value(b, cur->points[i].value, dec);
			buf_putc(b, ',');
			if (i < prev->n)
				csv_value(b, prev->points[i].value, dec);
			buf_puts(b, "\r\n");
		}
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->arena, "attachment; filename=\"respire-%s.csv\"", q->metric->name));
}
