#include "web/admin.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domain/admin.h"
#include "domain/innovations.h"
#include "domain/settings.h"
#include "http/errors.h"
#include "http/metrics.h"
#include "util/text.h"
#include "web/social.h"
#include "web/web.h"

/* "1.5 Go" / "1.5 GB" */
static const char *bytes_text(struct request *r, uint64_t n)
{
	const char *fr = !strcmp(r->lang, "fr") ? "o" : "B";

	if (n >= 1024ULL * 1024 * 1024)
		return arena_printf(r->arena, "%.1f G%s", (double)n / (1024.0 * 1024 * 1024), fr);
	if (n >= 1024 * 1024)
		return arena_printf(r->arena, "%.1f M%s", (double)n / (1024.0 * 1024), fr);
	return arena_printf(r->arena, "%.1f k%s", (double)n / 1024.0, fr);
}

static void admin_nav(struct request *r, const char *here)
{
	static const char *const links[][2] = {
		{ "/admin", "admin.home" }, { "/admin/members", "admin.members" },
		{ "/admin/moderation", "admin.moderation" }, { "/admin/settings", "admin.settings" },
		{ "/admin/audit", "admin.audit" }, { "/admin/stats", "admin.stats" },
	};

	H(r, "<nav class=\"admin-nav\" aria-label=\"%s\"><ul>", T(r, "admin.nav"));
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		H(r, "<li><a href=\"%s\"%s>%s</a></li>", links[i][0], !strcmp(here, links[i][0]) ? " aria-current=\"page\"" : "",
		  T(r, links[i][1]));
	H(r, "</ul></nav>");
}

static void admin_begin(struct request *r, const char *here, const char *title)
{
	page_begin(r, title);
	admin_nav(r, here);
	H(r, "<h1>%s</h1>", title);
}

/* ---- home ---- */

void web_admin_home(struct request *r)
{
	struct health h;
	int ok = admin_health(&r->dc, &h);

	admin_begin(r, "/admin", T(r, "admin.title"));
	H(r, "<p class=\"muted\">%s</p><div class=\"admin-cards\">", T(r, "admin.intro"));
	H(r, "<section class=\"card\"><h2><a href=\"/admin/members\">%s</a></h2><p>%s</p></section>",
	  T(r, "admin.members"), T(r, "admin.members.intro"));
	H(r, "<section class=\"card\"><h2><a href=\"/admin/moderation\">%s</a></h2><p>%s</p>"
	  "<p><strong>%lld</strong> %s</p></section>", T(r, "admin.moderation"), T(r, "admin.moderation.intro"),
	  (long long)h.reports_open, T(r, "admin.reports_open"));
	H(r, "<section class=\"card\"><h2><a href=\"/admin/settings\">%s</a></h2><p>%s</p></section>",
	  T(r, "admin.settings"), T(r, "admin.settings.intro"));
	H(r, "<section class=\"card\"><h2><a href=\"/admin/audit\">%s</a></h2><p>%s</p></section>",
	  T(r, "admin.audit"), T(r, "admin.audit.intro"));
	H(r, "<section class=\"card\"><h2><a href=\"/admin/stats\">%s</a></h2><p>%s</p></section>",
	  T(r, "admin.stats"), T(r, "admin.stats.intro"));
	H(r, "</div><section class=\"card\" aria-labelledby=\"health\"><h2 id=\"health\">%s</h2>"
	  "<p class=\"health %s\" role=\"status\">%s</p><dl class=\"facts\">", T(r, "admin.health"), ok ? "ok" : "fail",
	  T(r, ok ? "admin.health.ok" : "admin.health.fail"));
	H(r, "<dt>%s</dt><dd>%s (%s ms)</dd>", T(r, "admin.health.db"), T(r, h.db_ok ? "admin.yes" : "admin.no"),
	  arena_printf(r->arena, "%.1f", h.db_ms)); /* html_fmt takes no %f */
	H(r, "<dt>%s</dt><dd>%s / %s</dd>", T(r, "admin.health.disk"), bytes_text(r, h.disk_free),
	  bytes_text(r, h.disk_total));
	H(r, "<dt>%s</dt><dd>%lld (%s %lld)</dd>", T(r, "admin.health.mail"), (long long)h.mail_pending,
	  T(r, "admin.health.failed"), (long long)h.mail_failed);
	H(r, "<dt>%s</dt><dd>%lld</dd>", T(r, "admin.health.thumbs"), (long long)h.thumbs_pending);
	H(r, "</dl><p><a href=\"/healthz\">/healthz</a> · <a href=\"/metrics\">/metrics</a></p></section>");
	page_end(r);
}

/* ---- members ---- */

static const char *role_label(struct request *r, const char *role)
{
	return T(r, arena_printf(r->arena, "admin.role.%s", role));
}

static const char *status_label(struct request *r, const char *status)
{
	return T(r, arena_printf(r->arena, "admin.status.%s", status));
}

static void option(struct request *r, const char *value, const char *text, const char *selected)
{
	H(r, "<option value=\"%s\"%s>%s</option>", value, selected && !strcmp(selected, value) ? " selected" : "", text);
}

static void academy_options(struct request *r, const char *selected, const char *none)
{
	if (none)
		option(r, "", none, selected ? selected : "");
	for (const char *const *a = innovation_academy_list(&r->dc); *a; a++)
		option(r, *a, *a, selected);
}

/* A query's days (0: absent); -1 after answering 400. */
static int days_of(struct request *r, const char *name)
{
	const char *v = req_query(r, name);
	int64_t n = v && *v ? parse_id(v) : 0;

	if (n < 0 || n > 3650) {
		web_error_page(r, 400);
		return -1;
	}
	return (int)n;
}

void web_admin_members(struct request *r)
{
	struct member_filter f = { 0 };
	struct admin_member *ms;
	const char *field;
	int64_t next;
	int n;
	enum derr e;
	static const int days[] = { 7, 30, 90, 365 };

	f.q = req_query(r, "q");
	f.status = req_query(r, "status");
	f.role = req_query(r, "role");
	f.academy = req_query(r, "academy");
	if ((f.seen_within = days_of(r, "seen_within")) < 0 || (f.unseen_for = days_of(r, "unseen_for")) < 0 ||
	    (f.before = web_cursor(r)) < 0)
		return;
	e = admin_members(&r->dc, &r->me, &f, &ms, &n, &next, &field);
	if (e != D_OK) {
		web_derr_page(r, e == D_INVALID ? D_INVALID : e);
		return;
	}
	admin_begin(r, "/admin/members", T(r, "admin.members"));
	H(r, "<form method=\"get\" action=\"/admin/members\" class=\"filters grid card\">"
	  "<div><label for=\"m-q\">%s</label><input id=\"m-q\" name=\"q\" type=\"search\" maxlength=\"200\" value=\"%s\"></div>",
	  T(r, "admin.members.q"), f.q ? f.q : "");
	H(r, "<div><label for=\"m-status\">%s</label><select id=\"m-status\" name=\"status\">", T(r, "admin.status"));
	option(r, "", T(r, "admin.any"), f.status ? f.status : "");
	for (int i = 0; admin_statuses[i]; i++)
		option(r, admin_statuses[i], status_label(r, admin_statuses[i]), f.status);
	H(r, "</select></div><div><label for=\"m-role\">%s</label><select id=\"m-role\" name=\"role\">", T(r, "admin.role"));
	option(r, "", T(r, "admin.any"), f.role ? f.role : "");
	for (int i = 0; admin_roles[i]; i++)
		option(r, admin_roles[i], role_label(r, admin_roles[i]), f.role);
	H(r, "</select></div><div><label for=\"m-academy\">%s</label><select id=\"m-academy\" name=\"academy\">",
	  T(r, "innovation.academy"));
	academy_options(r, f.academy, T(r, "admin.any"));
	H(r, "</select></div><div><label for=\"m-seen\">%s</label><select id=\"m-seen\" name=\"seen_within\">",
	  T(r, "admin.seen_within"));
	option(r, "", T(r, "admin.any"), "");
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		char v[16];

		snprintf(v, sizeof v, "%d", days[i]);
		option(r, v, web_count(r, days[i], "admin.day", "admin.days"),
		       f.seen_within == days[i] ? v : "");
	}
	H(r, "</select></div><div><label for=\"m-unseen\">%s</label><select id=\"m-unseen\" name=\"unseen_for\">",
	  T(r, "admin.unseen_for"));
	option(r, "", T(r, "admin.any"), "");
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		char v[16];

		snprintf(v, sizeof v, "%d", days[i]);
		option(r, v, web_count(r, days[i], "admin.day", "admin.days"), f.unseen_for == days[i] ? v : "");
	}
	H(r, "</select></div><button type=\"submit\">%s</button></form>", T(r, "search.submit"));
	H(r, "<section class=\"card\"><div class=\"table-wrap\"><table class=\"members\"><thead><tr><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th></tr></thead><tbody>", T(r, "admin.member"), T(r, "admin.email"),
	  T(r, "admin.status"), T(r, "admin.role"), T(r, "innovation.academy"), T(r, "admin.last_seen"));
	if (!n)
		H(r, "<tr><td colspan=\"6\" class=\"empty\">%s</td></tr>", T(r, "admin.members.none"));
	for (int i = 0; i < n; i++) {
		H(r, "<tr><td><a href=\"/admin/members/%lld\">%s</a></td><td>%s</td><td><span class=\"status-%s\">%s</span></td>"
		  "<td>%s%s%s</td><td>%s</td><td>%s</td></tr>", (long long)ms[i].id, ms[i].name, ms[i].email, ms[i].status,
		  status_label(r, ms[i].status), role_label(r, ms[i].role), ms[i].adviser_academy ? " · " : "",
		  ms[i].adviser_academy ? ms[i].adviser_academy : "", ms[i].academy,
		  ms[i].last_seen_at ? web_datetime(r, ms[i].last_seen_at) : T(r, "admin.never"));
	}
	H(r, "</tbody></table></div></section>");
	if (next) {
		struct buf q = BUF_INIT;

		buf_printf(&q, "/admin/members?cursor=%lld", (long long)next);
		for (const char *const *k = (const char *const[]){ "q", "status", "role", "academy", "seen_within",
								   "unseen_for", NULL }; *k; k++) {
			const char *v = req_query(r, *k);

			if (v && *v) {
				buf_printf(&q, "&%s=", *k);
				url_escape(&q, v);
			}
		}
		H(r, "<p><a rel=\"next\" href=\"%s\">%s</a></p>", buf_str(&q), T(r, "admin.next"));
		buf_free(&q);
	}
	page_end(r);
}

static void member_page(struct request *r, const struct admin_member *m, const char *notice, const char *kind)
{
	struct audit_filter f = { 0 };
	struct admin_audit *es;
	int64_t next;
	int n = 0;
	char *base = arena_printf(r->arena, "/admin/members/%lld", (long long)m->id);

	f.target = m->id;
	admin_begin(r, "/admin/members", m->name);
	if (notice)
		page_notice(r, kind, notice);
	H(r, "<section class=\"card\"><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>@%s</dd>"
	  "<dt>%s</dt><dd><span class=\"status-%s\">%s</span></dd><dt>%s</dt><dd>%s%s%s</dd><dt>%s</dt><dd>%s</dd>"
	  "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%d</dd>",
	  T(r, "admin.email"), m->email, T(r, "admin.handle"), m->handle, T(r, "admin.status"), m->status,
	  status_label(r, m->status), T(r, "admin.role"), role_label(r, m->role), m->adviser_academy ? " · " : "",
	  m->adviser_academy ? m->adviser_academy : "", T(r, "innovation.academy"), m->academy[0] ? m->academy : "—",
	  T(r, "admin.joined"), web_date(r, m->created_at), T(r, "admin.last_seen"),
	  m->last_seen_at ? web_datetime(r, m->last_seen_at) : T(r, "admin.never"), T(r, "admin.sessions"), m->sessions);
	if (m->suspended_at)
		H(r, "<dt>%s</dt><dd>%s — %s</dd>", T(r, "admin.suspended_since"), web_datetime(r, m->suspended_at),
		  m->suspend_reason);
	H(r, "</dl><p><a href=\"/users/%lld\">%s</a></p></section>", (long long)m->id, T(r, "admin.profile"));

	/* suspend or reactivate */
	H(r, "<section class=\"card\"><h2>%s</h2><form method=\"post\" action=\"%s/%s\">",
	  T(r, strcmp(m->status, "suspended") ? "admin.suspend" : "admin.reactivate"), base,
	  strcmp(m->status, "suspended") ? "suspend" : "reactivate");
	form_csrf(r);
	H(r, "<p class=\"hint\">%s</p><label for=\"s-reason\">%s</label>"
	  "<textarea id=\"s-reason\" name=\"reason\" rows=\"2\" required maxlength=\"1000\"></textarea>"
	  "<button type=\"submit\" class=\"%s\">%s</button></form></section>",
	  T(r, strcmp(m->status, "suspended") ? "admin.suspend.help" : "admin.reactivate.help"), T(r, "admin.reason"),
	  strcmp(m->status, "suspended") ? "danger" : "", T(r, strcmp(m->status, "suspended") ? "admin.suspend" : "admin.reactivate"));

	/* role */
	H(r, "<section class=\"card\"><h2>%s</h2><form method=\"post\" action=\"%s/role\">", T(r, "admin.change_role"), base);
	form_csrf(r);
	H(r, "<label for=\"r-role\">%s</label><select id=\"r-role\" name=\"role\">", T(r, "admin.role"));
	for (int i = 0; admin_roles[i]; i++)
		option(r, admin_roles[i], role_label(r, admin_roles[i]), m->role);
	H(r, "</select><label for=\"r-academy\">%s <span class=\"hint\">%s</span></label>"
	  "<select id=\"r-academy\" name=\"academy\">", T(r, "innovation.academy"), T(r, "admin.role.academy_hint"));
	academy_options(r, m->adviser_academy ? m->adviser_academy : "", "—");
	H(r, "</select><label for=\"r-reason\">%s</label>"
	  "<textarea id=\"r-reason\" name=\"reason\" rows=\"2\" required maxlength=\"1000\"></textarea>"
	  "<button type=\"submit\">%s</button></form></section>", T(r, "admin.reason"), T(r, "admin.change_role"));

	if (admin_audit_list(&r->dc, &r->me, &f, &es, &n, &next) == D_OK && n) {
		H(r, "<section class=\"card\"><h2>%s</h2><ul class=\"plain\">", T(r, "admin.audit"));
		for (int i = 0; i < n && i < 20; i++)
			H(r, "<li><span class=\"meta\">%s · %s</span> %s — %s</li>", web_datetime(r, es[i].created_at),
			  es[i].actor_name, T(r, arena_printf(r->arena, "audit.%s", es[i].action)), es[i].detail);
		H(r, "</ul></section>");
	}
	page_end(r);
}

void web_admin_member(struct request *r)
{
	struct admin_member m;
	enum derr e = admin_member_get(&r->dc, &r->me, req_param_id(r, 0), &m);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	member_page(r, &m, req_query(r, "done") ? T(r, "admin.done") : NULL, "ok");
}

void web_admin_member_action(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	const char *reason = req_form(r, "reason"), *field = NULL, *why;
	const char *tail = strrchr(r->path, '/');
	struct admin_member m;
	enum derr e;

	if (tail && !strcmp(tail, "/suspend"))
		e = admin_suspend(&r->dc, &r->me, id, reason, &field);
	else if (tail && !strcmp(tail, "/reactivate"))
		e = admin_reactivate(&r->dc, &r->me, id, reason, &field);
	else {
		const char *academy = req_form(r, "academy");

		e = admin_set_role(&r->dc, &r->me, id, req_form(r, "role"), academy && *academy ? academy : NULL, reason,
				   &field);
	}
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/admin/members/%lld?done=1", (long long)id));
		return;
	}
	if (e == D_NOT_FOUND || e == D_INTERNAL || admin_member_get(&r->dc, &r->me, id, &m) != D_OK) {
		web_derr_page(r, e == D_OK ? D_INTERNAL : e);
		return;
	}
	why = e == D_CONFLICT ? T(r, "admin.err.conflict") : e == D_FORBIDDEN ? T(r, "admin.err.self")
		: field && !strcmp(field, "academy") ? T(r, "admin.err.academy") : T(r, "admin.err.reason");
	r->status = derr_error(e)->status;
	member_page(r, &m, why, "error");
}

/* ---- settings ---- */

static void settings_page(struct request *r, const char *notice, const char *kind, const char *bad_key,
			  const char *const *posted)
{
	struct setting_value *xs;
	int64_t gen;
	int n;
	enum derr e = admin_settings_get(&r->dc, &r->me, &xs, &n, &gen);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	admin_begin(r, "/admin/settings", T(r, "admin.settings"));
	H(r, "<p class=\"muted\">%s</p>", T(r, "admin.settings.help"));
	if (notice)
		page_notice(r, kind, notice);
	H(r, "<form method=\"post\" action=\"/admin/settings\" class=\"card settings\">");
	form_csrf(r);
	for (int i = 0; i < n; i++) {
		const struct setting_value *x = &xs[i];
		const char *val = posted && posted[i] ? posted[i] : x->value;
		const char *id = x->key;
		char *shown = NULL;

		if (x->kind == SK_LIST && !(posted && posted[i])) {
			shown = arena_strdup(r->arena, val);
			for (char *p = shown; p && *p; p++)
				if (*p == '|')
					*p = '\n';
			val = shown;
		}
		H(r, "<div class=\"setting%s\"><label for=\"s-%s\">%s</label><p class=\"hint\" id=\"h-%s\">%s%s%s</p>",
		  bad_key && !strcmp(bad_key, id) ? " invalid" : "", id, T(r, arena_printf(r->arena, "setting.%s", id)), id,
		  T(r, arena_printf(r->arena, "setting.%s.help", id)), x->stored ? " " : "",
		  x->stored ? T(r, "admin.settings.overridden") : "");
		if (x->kind == SK_LIST || x->kind == SK_MARKDOWN)
			H(r, "<textarea id=\"s-%s\" name=\"%s\" rows=\"%d\" aria-describedby=\"h-%s\"%s>%s</textarea>", id, id,
			  x->kind == SK_LIST ? 8 : 12, id, bad_key && !strcmp(bad_key, id) ? " aria-invalid=\"true\"" : "", val);
		else
			H(r, "<input id=\"s-%s\" name=\"%s\" type=\"text\" value=\"%s\" aria-describedby=\"h-%s\"%s>", id, id,
			  x->kind == SK_SIZE && !(posted && posted[i]) ? bytes_text(r, strtoull(val, NULL, 10)) : val, id,
			  bad_key && !strcmp(bad_key, id) ? " aria-invalid=\"true\"" : "");
		if (x->stored)
			H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"reset\" value=\"%s\"> %s</label>", id,
			  T(r, "admin.settings.reset"));
		H(r, "</div>");
	}
	H(r, "<label for=\"s-reason\">%s</label><input id=\"s-reason\" name=\"reason\" type=\"text\" maxlength=\"1000\">"
	  "<button type=\"submit\">%s</button></form><p class=\"muted\">%s %lld</p>", T(r, "admin.reason"),
	  T(r, "admin.save"), T(r, "admin.settings.generation"), (long long)gen);
	page_end(r);
}

/* "1.5 Go" (as the page shows sizes) back to bytes the settings read. */
static const char *size_from_page(struct request *r, const char *v)
{
	double x;
	char unit[8] = "";
	double mul = 1;

	if (!v || sscanf(v, "%lf %7s", &x, unit) < 1 || x < 0)
		return v;
	if (unit[0] == 'G' || unit[0] == 'g')
		mul = 1024.0 * 1024 * 1024;
	else if (unit[0] == 'M' || unit[0] == 'm')
		mul = 1024.0 * 1024;
	else if (unit[0] == 'k' || unit[0] == 'K')
		mul = 1024.0;
	else if (unit[0])
		return v;
	return arena_printf(r->arena, "%.0f", x * mul);
}

void web_admin_settings(struct request *r)
{
	struct setting_value *xs;
	const char **keys, **vals, **posted;
	const char *resets[32];
	int64_t gen;
	int n, nk = 0, nresets;
	enum derr e;

	if (r->method != HTTP_POST) {
		settings_page(r, req_query(r, "done") ? T(r, "admin.done") : NULL, "ok", NULL, NULL);
		return;
	}
	e = admin_settings_get(&r->dc, &r->me, &xs, &n, &gen);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	nresets = req_form_all(r, "reset", resets, 32);
	keys = arena_alloc(r->arena, sizeof *keys * (size_t)n);
	vals = arena_alloc(r->arena, sizeof *vals * (size_t)n);
	posted = arena_alloc(r->arena, sizeof *posted * (size_t)n);
	if (!keys || !vals || !posted) {
		web_error_page(r, 500);
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct setting_def *d = settings_def(xs[i].key);
		const char *v = req_form(r, xs[i].key), *stored, *why;
		int reset = 0;

		posted[i] = v;
		for (int j = 0; j < nresets; j++)
			reset |= !strcmp(resets[j], xs[i].key);
		if (reset && xs[i].stored) {
			keys[nk] = xs[i].key;
			vals[nk++] = NULL;
			continue;
		}
		if (!v)
			continue;
		if (d->kind == SK_MARKDOWN && !xs[i].stored && text_blank(v))
			continue; /* the default text stays */
		e = settings_normalize(&r->dc, d, NULL, 0, d->kind == SK_SIZE ? size_from_page(r, v) : v, &stored, &why);
		if (e != D_OK) {
			r->status = 422;
			settings_page(r, arena_printf(r->arena, "%s : %s", T(r, arena_printf(r->arena, "setting.%s", d->key)),
						      why), "error", d->key, posted);
			return;
		}
		/* a size shown rounded ("1.5 Go") that was not touched changes nothing */
		if (d->kind == SK_SIZE && !strcmp(v, bytes_text(r, strtoull(xs[i].value, NULL, 10))))
			continue;
		if (!strcmp(stored, xs[i].value))
			continue;
		keys[nk] = xs[i].key;
		vals[nk++] = stored;
	}
	e = admin_settings_set(&r->dc, &r->me, keys, vals, nk, req_form(r, "reason"));
	if (e != D_OK) {
		if (e == D_INVALID) {
			r->status = 422;
			settings_page(r, T(r, "admin.err.reason"), "error", NULL, posted);
		} else {
			web_derr_page(r, e);
		}
		return;
	}
	resp_redirect(r, "/admin/settings?done=1");
}

/* ---- audit ---- */

void web_admin_audit(struct request *r)
{
	static const char *const families[] = { "member_", "setting_", "post_", "reply_", "document_", "comment_",
						"message_", "innovation_", "report_", NULL };
	struct audit_filter f = { 0 };
	struct admin_audit *es;
	const char *target = req_query(r, "target");
	int64_t next;
	int n;
	enum derr e;

	f.action = req_query(r, "action");
	f.target = target && *target ? parse_id(target) : 0;
	if (f.target < 0) {
		web_error_page(r, 400);
		return;
	}
	if ((f.before = web_cursor(r)) < 0)
		return;
	e = admin_audit_list(&r->dc, &r->me, &f, &es, &n, &next);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	admin_begin(r, "/admin/audit", T(r, "admin.audit"));
	H(r, "<form method=\"get\" action=\"/admin/audit\" class=\"filters grid card\"><div><label for=\"a-action\">%s</label>"
	  "<select id=\"a-action\" name=\"action\">", T(r, "admin.audit.family"));
	option(r, "", T(r, "admin.any"), f.action ? f.action : "");
	for (int i = 0; families[i]; i++)
		option(r, families[i], T(r, arena_printf(r->arena, "admin.family.%s", families[i])), f.action);
	H(r, "</select></div><button type=\"submit\">%s</button></form>", T(r, "search.submit"));
	H(r, "<section class=\"card\"><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
	  "</thead><tbody>", T(r, "post.date"), T(r, "moderation.who"), T(r, "moderation.action"),
	  T(r, "moderation.what"), T(r, "admin.why"));
	if (!n)
		H(r, "<tr><td colspan=\"5\" class=\"empty\">%s</td></tr>", T(r, "admin.audit.none"));
	for (int i = 0; i < n; i++) {
		const struct admin_audit *a = &es[i];

		H(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", web_datetime(r, a->created_at),
		  a->actor_name[0] ? a->actor_name : "—", T(r, arena_printf(r->arena, "audit.%s", a->action)));
		if (a->target_user_id)
			H(r, "<a href=\"/admin/members/%lld\">%s</a> ", (long long)a->target_user_id, a->target_name);
		else if (a->item_kind[0] && a->item_id)
			H(r, "%s #%lld ", T(r, arena_printf(r->arena, "admin.kind.%s", a->item_kind)), (long long)a->item_id);
		else if (a->post_id)
			H(r, "<a href=\"/posts/%lld\">#%lld</a> ", (long long)a->post_id, (long long)a->post_id);
		H(r, "</td><td>%s</td></tr>", a->detail);
	}
	H(r, "</tbody></table></div></section>");
	if (next) {
		struct buf q = BUF_INIT;

		buf_printf(&q, "/admin/audit?cursor=%lld", (long long)next);
		if (f.action && *f.action) {
			buf_puts(&q, "&action=");
			url_escape(&q, f.action);
		}
		H(r, "<p><a rel=\"next\" href=\"%s\">%s</a></p>", buf_str(&q), T(r, "admin.next"));
		buf_free(&q);
	}
	page_end(r);
}

/* ---- moderation ---- */

static void moderation_page(struct request *r, const char *notice, const char *kind)
{
	struct mod_filter f = { 0 };
	struct mod_item *xs;
	const char *next, *field;
	int n;
	enum derr e;

	f.kind = req_query(r, "kind");
	f.state = req_query(r, "state");
	f.cursor = req_query(r, "cursor");
	e = admin_moderation(&r->dc, &r->me, &f, &xs, &n, &next, &field);
	if (e != D_OK) {
		if (e == D_INVALID)
			web_error_page(r, 400);
		else
			web_derr_page(r, e);
		return;
	}
	admin_begin(r, "/admin/moderation", T(r, "admin.moderation"));
	if (notice)
		page_notice(r, kind, notice);
	H(r, "<form method=\"get\" action=\"/admin/moderation\" class=\"filters grid card\"><div><label for=\"q-kind\">%s</label>"
	  "<select id=\"q-kind\" name=\"kind\">", T(r, "admin.kind"));
	option(r, "", T(r, "admin.any"), f.kind ? f.kind : "");
	for (const char *const *k = mod_kinds(); *k; k++)
		option(r, *k, T(r, arena_printf(r->arena, "admin.kind.%s", *k)), f.kind);
	H(r, "</select></div><div><label for=\"q-state\">%s</label><select id=\"q-state\" name=\"state\">", T(r, "admin.state"));
	option(r, "open", T(r, "admin.state.open"), f.state ? f.state : "open");
	option(r, "reported", T(r, "admin.state.reported"), f.state);
	option(r, "hidden", T(r, "admin.state.hidden"), f.state);
	H(r, "</select></div><button type=\"submit\">%s</button></form>", T(r, "search.submit"));
	H(r, "<form method=\"post\" action=\"/admin/moderation\" class=\"card\">");
	form_csrf(r);
	H(r, "<div class=\"table-wrap\"><table class=\"queue\"><thead><tr><th scope=\"col\"><span class=\"visually-hidden\">"
	  "%s</span></th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th></tr></thead><tbody>", T(r, "admin.select"), T(r, "admin.kind"),
	  T(r, "admin.item"), T(r, "moderation.who"), T(r, "admin.state"));
	if (!n)
		H(r, "<tr><td colspan=\"5\" class=\"empty\">%s</td></tr>", T(r, "admin.moderation.none"));
	for (int i = 0; i < n; i++) {
		const struct mod_item *x = &xs[i];

		H(r, "<tr><td><input type=\"checkbox\" name=\"item\" value=\"%s:%lld\" id=\"i-%s-%lld\""
		  " aria-label=\"%s\"></td><td>%s</td><td><a href=\"%s\">%s</a><br><span class=\"meta\">%s</span></td>"
		  "<td>%s</td><td>", x->kind, (long long)x->id, x->kind, (long long)x->id,
		  arena_printf(r->arena, "%s : %s #%lld", T(r, "admin.select"),
			       T(r, arena_printf(r->arena, "admin.kind.%s", x->kind)), (long long)x->id),
		  T(r, arena_printf(r->arena, "admin.kind.%s", x->kind)), x->link, x->excerpt[0] ? x->excerpt : "…",
		  web_datetime(r, x->created_at), x->author_name[0] ? x->author_name : "—");
		if (x->hidden_at)
			H(r, "<strong>%s</strong> %s %s — %s", T(r, "admin.state.hidden"), T(r, "admin.hidden_by"),
			  x->hidden_by_name ? x->hidden_by_name : "?", x->hidden_reason ? x->hidden_reason : "");
		else
			H(r, "<strong>%s</strong> — %s", web_count(r, x->reports, "admin.report", "admin.reports"),
			  x->report_reason ? x->report_reason : "");
		H(r, "</td></tr>");
	}
	H(r, "</tbody></table></div><label for=\"b-reason\">%s</label>"
	  "<input id=\"b-reason\" name=\"reason\" type=\"text\" maxlength=\"1000\">"
	  "<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"hide\" class=\"danger\">%s</button>"
	  "<button type=\"submit\" name=\"action\" value=\"restore\">%s</button>"
	  "<button type=\"submit\" name=\"action\" value=\"dismiss\" class=\"secondary\">%s</button></div></form>",
	  T(r, "admin.reason"), T(r, "moderation.hide"), T(r, "admin.restore"), T(r, "moderation.dismiss"));
	if (next) {
		struct buf q = BUF_INIT;

		buf_puts(&q, "/admin/moderation?cursor=");
		url_escape(&q, next);
		if (f.kind && *f.kind) {
			buf_puts(&q, "&kind=");
			url_escape(&q, f.kind);
		}
		if (f.state && *f.state) {
			buf_puts(&q, "&state=");
			url_escape(&q, f.state);
		}
		H(r, "<p><a rel=\"next\" href=\"%s\">%s</a></p>", buf_str(&q), T(r, "admin.next"));
		buf_free(&q);
	}
	page_end(r);
}

void web_admin_moderation(struct request *r)
{
	const char *sel[ADMIN_BULK_MAX + 1], *field;
	struct mod_ref items[ADMIN_BULK_MAX];
	enum derr results[ADMIN_BULK_MAX], e;
	int n, done = 0;

	if (r->method != HTTP_POST) {
		const char *d = req_query(r, "done");

		moderation_page(r, d ? arena_printf(r->arena, "%s (%s)", T(r, "admin.done"), d) : NULL, "ok");
		return;
	}
	n = req_form_all(r, "item", sel, ADMIN_BULK_MAX + 1);
	if (n < 1 || n > ADMIN_BULK_MAX) {
		r->status = 422;
		moderation_page(r, T(r, "admin.err.select"), "error");
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(sel[i], ':');

		items[i].kind = colon ? arena_strndup(r->arena, sel[i], (size_t)(colon - sel[i])) : "";
		items[i].id = colon ? parse_id(colon + 1) : -1;
	}
	e = admin_moderate_bulk(&r->dc, &r->me, req_form(r, "action"), items, n, req_form(r, "reason"), results, &field);
	if (e != D_OK) {
		if (e == D_INVALID) {
			r->status = 422;
			moderation_page(r, T(r, field && !strcmp(field, "reason") ? "admin.err.reason" : "admin.err.select"),
					"error");
		} else {
			web_derr_page(r, e);
		}
		return;
	}
	for (int i = 0; i < n; i++)
		done += results[i] == D_OK;
	resp_redirect(r, arena_printf(r->arena, "/admin/moderation?done=%d", done));
}

int admin_post_tools(struct request *r, const struct post *p)
{
	int pinned, locked;

	post_flags(&r->dc, p->ref.id, &pinned, &locked);
	if (locked)
		page_notice(r, "ok", T(r, "admin.locked_notice"));
	if (!r->me.admin)
		return locked;
	H(r, "<form method=\"post\" action=\"/admin/posts/%lld/flags\" class=\"admin-tools\">", (long long)p->ref.id);
	form_csrf(r);
	H(r, "<button type=\"submit\" name=\"locked\" value=\"%d\" class=\"secondary\">%s</button>"
	  "<button type=\"submit\" name=\"pinned\" value=\"%d\" class=\"secondary\">%s</button></form>", !locked,
	  T(r, locked ? "admin.unlock" : "admin.lock"), !pinned, T(r, pinned ? "admin.unpin" : "admin.pin"));
	return locked;
}

void web_admin_post_flags(struct request *r)
{
	const char *p = req_form(r, "pinned"), *l = req_form(r, "locked"), *field;
	int pinned = p ? !strcmp(p, "1") : -1, locked = l ? !strcmp(l, "1") : -1, np, nl;
	enum derr e = admin_discussion_flags(&r->dc, &r->me, req_param_id(r, 0), pinned, locked, req_form(r, "reason"),
					     &np, &nl, &field);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	resp_redirect(r, arena_printf(r->arena, "/posts/%lld", (long long)req_param_id(r, 0)));
}

/* ---- legal pages ---- */

void web_legal(struct request *r)
{
	const char *which = !strcmp(r->path, "/privacy") ? "privacy" : !strcmp(r->path, "/accessibility") ? "accessibility"
												    : "legal";
	const struct config *c = r->dc.cfg;
	const char *text = !strcmp(which, "privacy") ? c->privacy_text : !strcmp(which, "accessibility") ?
			   c->accessibility_text : c->legal_text;

	page_begin(r, T(r, arena_printf(r->arena, "legal.%s", which)));
	H(r, "<article class=\"card legal\"><h1>%s</h1>", T(r, arena_printf(r->arena, "legal.%s", which)));
	markdown_block(r, text ? text : T(r, arena_printf(r->arena, "legal.%s.default", which)));
	if (c->contact[0])
		H(r, "<p>%s %s</p>", T(r, "legal.contact"), c->contact);
	H(r, "</article>");
	page_end(r);
}

/* ---- health and metrics ---- */

void web_healthz(struct request *r)
{
	struct health h;
	int ok = admin_health(&r->dc, &h);
	json_t *o = json_pack("{s:s,s:{s:b,s:f},s:{s:b,s:I,s:I,s:s},s:{s:b,s:I,s:I,s:I}}", "status", ok ? "ok" : "fail",
			      "database", "ok", h.db_ok, "ms", h.db_ms,
			      "disk", "ok", h.disk_ok, "free_bytes", (json_int_t)h.disk_free, "total_bytes",
			      (json_int_t)h.disk_total, "path", "files",
			      "mail_queue", "ok", h.mail_ok, "depth", (json_int_t)h.mail_pending, "failed",
			      (json_int_t)h.mail_failed, "oldest_age", (json_int_t)h.mail_oldest_age);

	resp_header(r, "Cache-Control", "no-store");
	resp_json(r, ok ? 200 : 503, o);
}

static int loopback(const char *ip)
{
	return ip && (!strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11));
}

void web_metrics(struct request *r)
{
	struct health h;

	if (!r->me.admin && !loopback(r->client_ip)) {
		web_error_page(r, 404);
		return;
	}
	admin_health(&r->dc, &h);
	metrics_write(r->app, &r->out);
	buf_printf(&r->out, "# HELP respire_up The database answers.\n# TYPE respire_up gauge\nrespire_up %d\n"
		   "# HELP respire_db_ping_seconds Time of a trivial query.\n# TYPE respire_db_ping_seconds gauge\n"
		   "respire_db_ping_seconds %.6f\n"
		   "# HELP respire_disk_free_bytes Free space of the files folder's file system.\n"
		   "# TYPE respire_disk_free_bytes gauge\nrespire_disk_free_bytes %" PRIu64 "\n"
		   "# HELP respire_queue_depth Items waiting, by queue.\n# TYPE respire_queue_depth gauge\n"
		   "respire_queue_depth{queue=\"mail\"} %lld\nrespire_queue_depth{queue=\"mail_failed\"} %lld\n"
		   "respire_queue_depth{queue=\"thumbnails\"} %lld\nrespire_queue_depth{queue=\"texts\"} %lld\n"
		   "respire_queue_depth{queue=\"reports\"} %lld\n",
		   h.db_ok, h.db_ms / 1000.0, h.disk_free, (long long)h.mail_pending, (long long)h.mail_failed,
		   (long long)h.thumbs_pending, (long long)h.texts_pending, (long long)h.reports_open);
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	resp_header(r, "Cache-Control", "no-store");
}
