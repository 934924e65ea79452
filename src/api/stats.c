/* JSON API of the statistics (issue 24): GET /api/v1/admin/stats/{metric}
 * (admins; everyone else 404, by the route table and again by the domain)
 * and a member's objection, GET|PUT /api/v1/me/statistics. */
#include "api/stats.h"

#include <string.h>

#include "api/api.h"
#include "domain/stats.h"
#include "http/stats_params.h"

static json_t *points(const struct stats_query *q, const struct stats_result *res)
{
	json_t *a = json_array();

	for (int i = 0; i < res->n; i++) {
		const struct stats_point *p = &res->points[i];

		if (q->metric->shape == STATS_SERIES)
			json_array_append_new(a, json_pack("{s:I,s:f}", "t", (json_int_t)p->t, "value", p->value));
		else
			json_array_append_new(a, json_pack("{s:s,s:f}", "key", p->key, "value", p->value));
	}
	return a;
}

/* GET /api/v1/admin/stats: the metrics there are. */
void api_admin_stats_index(struct request *r)
{
	json_t *items;

	if (!r->me.admin) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; stats_metrics[i].name; i++)
		json_array_append_new(items, json_pack("{s:s,s:s}", "metric", stats_metrics[i].name, "shape",
						       stats_metrics[i].shape == STATS_SERIES ? "series" : "table"));
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/admin/stats/{metric}?from=&to=&academy=&period=&format=csv */
void api_admin_stats(struct request *r)
{
	struct stats_query q = { 0 };
	struct stats_result cur = { 0 }, prev = { 0 };
	const char *bad, *format = req_query(r, "format"), *list = NULL;
	enum derr e;
	json_t *o;

	if (!r->me.admin || !(q.metric = stats_metric(req_param(r, 0)))) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	if (stats_params(r, &q, &bad) < 0) {
		api_derr(r, D_INVALID, bad);
		return;
	}
	if ((e = stats_compute(&r->dc, &r->me, &q, &cur, &prev)) != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	if (format && !strcmp(format, "csv")) {
		stats_csv(r, &q, &cur, &prev);
		return;
	}
	list = q.metric->shape == STATS_SERIES ? "series" : "rows";
	o = json_pack("{s:s,s:I,s:I,s:s,s:o,s:{s:I,s:I,s:o}}", "metric", q.metric->name, "from", (json_int_t)cur.from,
		      "to", (json_int_t)cur.to, "academy", q.academy, list, points(&q, &cur), "previous",
		      "from", (json_int_t)prev.from, "to", (json_int_t)prev.to, list, points(&q, &prev));
	if (o && !strcmp(q.metric->name, "active"))
		json_object_set_new(o, "period", json_string(q.period));
	resp_json(r, 200, o);
}

/* GET /api/v1/me/statistics → {opt_out} */
void api_me_statistics_get(struct request *r)
{
	int optout = 0;
	enum derr e = stats_optout_get(&r->dc, &r->me, &optout);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:b}", "opt_out", optout));
}

/* PUT /api/v1/me/statistics {opt_out: bool}: nothing about me is recorded. */
void api_me_statistics_put(struct request *r)
{
	json_t *body = api_body(r), *v;
	enum derr e;

	if (!body)
		return;
	v = json_object_get(body, "opt_out");
	if (!v || !json_is_boolean(v)) {
		api_derr(r, D_INVALID, "opt_out");
		return;
	}
	if ((e = stats_optout_set(&r->dc, &r->me, json_is_true(v))) != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:b}", "opt_out", json_is_true(v)));
}
