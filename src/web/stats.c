/* /admin/stats: each metric as a server-drawn SVG chart (web/chart.c) with
 * its data table and the previous period, for a period and an academy
 * chosen in a plain GET form; a CSV download for each. /me/statistics: a
 * member objects to being counted. Admins only for the statistics (404 to
 * everyone else, by the route table and again by the domain). */
#include "web/stats.h"

#include <string.h>

#include "domain/innovations.h"
#include "domain/stats.h"
#include "http/stats_params.h"
#include "web/chart.h"
#include "web/web.h"

/* The query string of the current choice (for the CSV links). */
static const char *choice_query(struct request *r, const struct stats_query *q)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_printf(&b, "from=%lld&to=%lld", (long long)q->from, (long long)q->to);
	if (q->academy && *q->academy) {
		buf_puts(&b, "&academy=");
		url_escape(&b, q->academy);
	}
	if (q->period && strcmp(q->period, "day"))
		buf_printf(&b, "&period=%s", q->period);
	out = arena_strdup(r->arena, b.failed ? "" : buf_str(&b));
	buf_free(&b);
	return out;
}

static const char *series_label(struct request *r, const char *period, int64_t t)
{
	char d[11];

	stats_date(t, d);
	if (!strcmp(period, "month"))
		return arena_printf(r->arena, "%.2s/%.4s", d + 5, d);
	if (!strcmp(period, "week"))
		return arena_printf(r->arena, "%s %.2s/%.2s", T(r, "stats.week.short"), d + 8, d + 5);
	return arena_printf(r->arena, "%.2s/%.2s", d + 8, d + 5);
}

/* One metric's figure: the chart, its table, the totals, the links. */
static void metric_figure(struct request *r, struct stats_query *q, int single)
{
	struct stats_result cur = { 0 }, prev = { 0 };
	const char *name = q->metric->name, *period = !strcmp(name, "active") ? q->period : "day";
	const char *title_key = arena_printf(r->arena, "stats.metric.%s", name);
	struct chart_row *rows;
	struct chart c = { 0 };
	double total = 0, ptotal = 0;
	enum derr e = stats_compute(&r->dc, &r->me, q, &cur, &prev);
	char *id;

	if (e != D_OK) {
		page_notice(r, "error", T(r, "stats.failed"));
		return;
	}
	rows = arena_alloc(r->arena, (size_t)(cur.n ? cur.n : 1) * sizeof *rows);
	id = arena_printf(r->arena, "chart-%s", name);
	if (!rows || !id) {
		page_notice(r, "error", T(r, "stats.failed"));
		return;
	}
	for (char *p = id; *p; p++)
		if (*p == '_')
			*p = '-';
	for (int i = 0; i < cur.n; i++) {
		const struct stats_point *p = &cur.points[i];

		rows[i].label = q->metric->shape == STATS_SERIES ? series_label(r, period, p->t)
			      : !strcmp(name, "hour_of_day") ? arena_printf(r->arena, "%s h", p->key)
			      : T(r, arena_printf(r->arena, "stats.key.%s", p->key));
		rows[i].value = p->value;
		rows[i].previous = i < prev.n ? prev.points[i].value : 0;
		total += p->value;
		ptotal += rows[i].previous;
	}
	/* Shares make the 1 % / 9 % / 90 % reading visible: "Lecteurs · 88 %". */
	if ((!strcmp(name, "contributors") || !strcmp(name, "purpose")) && total > 0)
		for (int i = 0; i < cur.n; i++)
			rows[i].label = arena_printf(r->arena, "%s · %d %%", rows[i].label,
						     (int)(100.0 * cur.points[i].value / total + 0.5));
	c.id = id;
	c.title = T(r, title_key);
	c.key_header = q->metric->shape == STATS_SERIES ? T(r, !strcmp(period, "day") ? "stats.col.day"
					: !strcmp(period, "week") ? "stats.col.week" : "stats.col.month")
		     : T(r, arena_printf(r->arena, "stats.col.%s", name));
	c.value_header = T(r, arena_printf(r->arena, "stats.unit.%s", name));
	c.previous_header = T(r, "stats.previous");
	c.rows = rows;
	c.n = (size_t)cur.n;
	c.compare = 1;
	c.decimals = q->metric->decimals;
	H(r, "<section class=\"card stats-metric\">");
	if (!single)
		H(r, "<h2><a href=\"/admin/stats/%s?%s\">%s</a></h2>", name, choice_query(r, q), T(r, title_key));
	H(r, "<p class=\"hint\">%s</p>", T(r, arena_printf(r->arena, "stats.help.%s", name)));
	chart_bars(&r->out, &c);
	/* Totals make sense for counts over the period (not for rates, means
	 * or distinct members per bucket, which do not add up). */
	if (!strcmp(name, "signups") || !strcmp(name, "views") || !strcmp(name, "purpose") ||
	    !strcmp(name, "hour_of_day") || !strcmp(name, "contributors"))
		H(r, "<p class=\"stats-total\">%s %lld · %s %lld</p>", T(r, "stats.total"), (long long)total,
		  T(r, "stats.previous"), (long long)ptotal);
	H(r, "<p class=\"stats-links\"><a href=\"/admin/stats/%s?%s&amp;format=csv\" download>%s</a></p></section>",
	  name, choice_query(r, q), T(r, "stats.csv"));
}

/* The period and academy form (a plain GET). */
static void choice_form(struct request *r, const char *action, const struct stats_query *q, int with_period)
{
	char from[11], to[11];

	stats_date(q->from, from);
	stats_date(q->to, to);
	H(r, "<form method=\"get\" action=\"%s\" class=\"stats-form\">"
	  "<div><label for=\"s-from\">%s</label><input id=\"s-from\" name=\"from\" type=\"date\" value=\"%s\" required></div>"
	  "<div><label for=\"s-to\">%s</label><input id=\"s-to\" name=\"to\" type=\"date\" value=\"%s\" required></div>"
	  "<div><label for=\"s-academy\">%s</label><select id=\"s-academy\" name=\"academy\"><option value=\"\">%s</option>",
	  action, T(r, "stats.from"), from, T(r, "stats.to"), to, T(r, "stats.academy"), T(r, "stats.academy.all"));
	for (int i = 0; innovation_academies[i]; i++)
		H(r, "<option%s>%s</option>", q->academy && !strcmp(q->academy, innovation_academies[i]) ? " selected" : "",
		  innovation_academies[i]);
	H(r, "</select></div>");
	if (with_period) {
		static const char *const periods[] = { "day", "week", "month", NULL };

		H(r, "<div><label for=\"s-period\">%s</label><select id=\"s-period\" name=\"period\">", T(r, "stats.period"));
		for (int i = 0; periods[i]; i++)
			H(r, "<option value=\"%s\"%s>%s</option>", periods[i],
			  q->period && !strcmp(q->period, periods[i]) ? " selected" : "",
			  T(r, arena_printf(r->arena, "stats.period.%s", periods[i])));
		H(r, "</select></div>");
	}
	H(r, "<div><button type=\"submit\">%s</button></div></form>", T(r, "stats.show"));
}

/* Reads the choice; on a bad one, the page with the form and why (422). */
static int read_choice(struct request *r, struct stats_query *q, const char *action)
{
	const char *bad;
	struct stats_query dflt = { 0 };

	if (stats_params(r, q, &bad) == 0)
		return 0;
	stats_check(&r->dc, &dflt, &bad);
	page_begin(r, T(r, "stats.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "stats.title"));
	page_notice(r, "error", T(r, "stats.bad"));
	choice_form(r, action, &dflt, 1);
	H(r, "</section>");
	page_end(r);
	r->status = 422;
	return -1;
}

/* GET /admin/stats */
void web_admin_stats(struct request *r)
{
	struct stats_query q = { 0 };

	if (!r->me.admin) {
		web_error_page(r, 404);
		return;
	}
	if (read_choice(r, &q, "/admin/stats") < 0)
		return;
	page_begin(r, T(r, "stats.title"));
	H(r, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p>", T(r, "stats.console"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "stats.title"), T(r, "stats.intro"));
	choice_form(r, "/admin/stats", &q, 1);
	H(r, "<p class=\"hint\">%s <a href=\"/me/statistics\">%s</a></p></section>", T(r, "stats.privacy"),
	  T(r, "stats.privacy.link"));
	H(r, "<div class=\"stats-grid\">");
	for (int i = 0; stats_metrics[i].name; i++) {
		q.metric = &stats_metrics[i];
		metric_figure(r, &q, 0);
	}
	H(r, "</div>");
	page_end(r);
}

/* GET /admin/stats/{metric}[?format=csv] */
void web_admin_stat(struct request *r)
{
	struct stats_query q = { 0 };
	const char *format = req_query(r, "format");
	const char *action;

	if (!r->me.admin || !(q.metric = stats_metric(req_param(r, 0)))) {
		web_error_page(r, 404);
		return;
	}
	action = arena_printf(r->arena, "/admin/stats/%s", q.metric->name);
	if (format && !strcmp(format, "csv")) {
		struct stats_result cur = { 0 }, prev = { 0 };
		const char *bad;
		enum derr e;

		if (stats_params(r, &q, &bad) < 0) {
			web_error_page(r, 422);
			return;
		}
		if ((e = stats_compute(&r->dc, &r->me, &q, &cur, &prev)) != D_OK) {
			web_derr_page(r, e);
			return;
		}
		stats_csv(r, &q, &cur, &prev);
		return;
	}
	if (read_choice(r, &q, action) < 0)
		return;
	page_begin(r, T(r, arena_printf(r->arena, "stats.metric.%s", q.metric->name)));
	H(r, "<p class=\"crumbs\"><a href=\"/admin\">%s</a> › <a href=\"/admin/stats?%s\">%s</a></p>",
	  T(r, "stats.console"), choice_query(r, &q), T(r, "stats.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, arena_printf(r->arena, "stats.metric.%s", q.metric->name)));
	choice_form(r, action, &q, !strcmp(q.metric->name, "active"));
	H(r, "</section>");
	metric_figure(r, &q, 1);
	page_end(r);
}

/* GET|POST /me/statistics: the member's objection. */
void web_me_statistics(struct request *r)
{
	int optout = 0;
	enum derr e;

	if (r->method == HTTP_POST) {
		const char *v = req_form(r, "opt_out");

		if ((e = stats_optout_set(&r->dc, &r->me, v && !strcmp(v, "1"))) != D_OK) {
			web_derr_page(r, e);
			return;
		}
		resp_redirect(r, "/me/statistics?saved=1");
		return;
	}
	if ((e = stats_optout_get(&r->dc, &r->me, &optout)) != D_OK) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, T(r, "stats.me.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "stats.me.title"));
	if (req_query(r, "saved"))
		page_notice(r, "ok", T(r, "stats.me.saved"));
	H(r, "<p>%s</p><p>%s</p>", T(r, "stats.me.intro"), T(r, "stats.me.dnt"));
	H(r, "<form method=\"post\" action=\"/me/statistics\">");
	form_csrf(r);
	H(r, "<fieldset><legend>%s</legend>"
	  "<label class=\"check\"><input type=\"radio\" name=\"opt_out\" value=\"0\"%s> %s</label>"
	  "<label class=\"check\"><input type=\"radio\" name=\"opt_out\" value=\"1\"%s> %s</label></fieldset>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "stats.me.choice"), optout ? "" : " checked", T(r, "stats.me.counted"), optout ? " checked" : "",
	  T(r, "stats.me.optout"), T(r, "stats.me.save"));
	page_end(r);
}
