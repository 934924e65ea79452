/* Pages: /academies (every academy with its counts, a table) and
 * /academies/{slug} (an academy: its newest records the viewer may open
 * with a link to the catalogue filtered by it, its schools, and for
 * members the groups its members belong to and its advisers). */
#include "web/academies.h"

#include <string.h>

#include "domain/academies.h"
#include "domain/innovations.h"
#include "util/buf.h"
#include "web/social.h"
#include "web/web.h"

#define ACADEMY_RECORDS 10

/* A count, or "—" where the viewer is not told (a visitor). */
static const char *count_cell(struct request *r, int64_t n)
{
	return n < 0 ? "—" : arena_printf(r->arena, "%lld", (long long)n);
}

/* GET /academies */
void web_academies(struct request *r)
{
	struct academy_count *rows;
	int n;

	if (academies_list(&r->dc, &r->me, &rows, &n) < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "academies.title"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "academies.title"), T(r, "academies.intro"));
	if (!r->me.id)
		H(r, "<p class=\"muted\">%s</p>", T(r, "academies.visitor"));
	H(r, "<div class=\"table-wrap\"><table class=\"data\"><caption class=\"visually-hidden\">%s</caption><thead><tr>"
	  "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
	  T(r, "academies.title"), T(r, "innovation.academy"), T(r, "academies.records"), T(r, "academies.schools"));
	if (r->me.id)
		H(r, "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
		  T(r, "academies.members"), T(r, "academies.advisers"));
	H(r, "</tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		H(r, "<tr><th scope=\"row\"><a href=\"/academies/%s\">%s</a></th><td class=\"num\">%s</td>"
		  "<td class=\"num\">%s</td>", rows[i].slug, rows[i].name, count_cell(r, rows[i].records),
		  count_cell(r, rows[i].schools));
		if (r->me.id)
			H(r, "<td class=\"num\">%s</td><td class=\"num\">%s</td>", count_cell(r, rows[i].members),
			  count_cell(r, rows[i].advisers));
		H(r, "</tr>");
	}
	H(r, "</tbody></table></div></section>");
	page_end(r);
}

/* prefix and the value percent-encoded ("/innovations?academy=La%20R..."). */
static const char *link_to(struct request *r, const char *prefix, const char *name)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, prefix);
	url_escape(&b, name);
	out = b.failed ? NULL : arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return out ? out : "/innovations";
}

/* GET /academies/{slug} */
void web_academy(struct request *r)
{
	const char *name = academy_by_slug(req_param(r, 0));
	struct academy_count c;
	struct academy_school *s;
	struct academy_group *g;
	struct academy_person *p;
	struct innovation_filter f = { 0 };
	struct innovation *xs;
	int64_t next = 0;
	int ns, ng, np, nx;
	enum derr e;

	if (!name) {
		/* "/academies/Créteil" typed by hand: the page of its slug */
		const char *slug = academy_slug_of(&r->dc, req_param(r, 0));

		if (slug)
			resp_redirect(r, arena_printf(r->arena, "/academies/%s", slug));
		else
			web_error_page(r, 404);
		return;
	}
	e = academy_counts(&r->dc, &r->me, name, &c);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	f.academy = name;
	f.limit = ACADEMY_RECORDS;
	nx = innovations_list(&r->dc, &r->me, &f, &xs, &next, NULL, NULL);
	ns = academy_schools(&r->dc, &r->me, name, &s);
	ng = academy_groups(&r->dc, &r->me, name, &g);
	np = academy_advisers(&r->dc, &r->me, name, &p);
	if (nx < 0 || ns < 0 || ng < 0 || np < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, arena_printf(r->arena, "%s %s", T(r, "academies.one"), name));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/academies\">%s</a></p><h1>%s %s</h1>"
	  "<dl class=\"facts\"><dt>%s</dt><dd><a href=\"%s\">%s</a></dd><dt>%s</dt><dd><a href=\"/schools?academy=%s\">"
	  "%s</a></dd>", T(r, "academies.title"), T(r, "academies.one"), name, T(r, "academies.records"),
	  link_to(r, "/innovations?academy=", name), web_count(r, c.records, "innovation.record_one", "innovation.records"),
	  T(r, "academies.schools"), c.slug, web_count(r, c.schools, "academies.school_one", "academies.school_many"));
	if (r->me.id)
		H(r, "<dt>%s</dt><dd><a href=\"%s\">%s</a></dd>", T(r, "academies.members"), link_to(r, "/users?academy=", name),
		  web_count(r, c.members, "academies.member_one", "academies.member_many"));
	H(r, "</dl></section><div class=\"grid\">");

	H(r, "<section class=\"card\" aria-labelledby=\"a-records\"><h2 id=\"a-records\">%s</h2>", T(r, "academies.recent"));
	if (nx == 0)
		H(r, "<p class=\"muted\">%s</p>", T(r, "schools.innovations.none"));
	else
		H(r, "<ul class=\"plain\">");
	for (int i = 0; i < nx; i++) {
		H(r, "<li><a href=\"/innovations/%lld\">%s</a> <span class=\"muted\">%s · %lld", (long long)xs[i].id,
		  xs[i].title, label(r, "innovation.type", xs[i].type), (long long)xs[i].started_year);
		if (strcmp(xs[i].support, "none"))
			H(r, " · %s", label(r, "innovation.support", xs[i].support));
		if (strcmp(xs[i].visibility, "public"))
			H(r, " · %s", label(r, "innovation.vis", xs[i].visibility));
		H(r, "</span></li>");
	}
	if (nx > 0)
		H(r, "</ul>");
	H(r, "<p><a class=\"button secondary\" href=\"%s\">%s</a></p></section>", link_to(r, "/innovations?academy=", name),
	  T(r, "academies.catalogue"));

	H(r, "<section class=\"card\" aria-labelledby=\"a-schools\"><h2 id=\"a-schools\">%s</h2>", T(r, "academies.schools"));
	if (ns > 0) {
		H(r, "<p>%s</p><ul class=\"plain\">", T(r, "academies.schools.top"));
		for (int i = 0; i < ns; i++) {
			if (s[i].name[0])
				H(r, "<li><a href=\"/schools/%s\">%s</a> <span class=\"muted\">%s · %s</span></li>", s[i].uai,
				  s[i].name, s[i].town, web_count(r, s[i].records, "innovation.record_one", "innovation.records"));
			else
				H(r, "<li>%s <span class=\"muted\">%s</span></li>", s[i].uai,
				  web_count(r, s[i].records, "innovation.record_one", "innovation.records"));
		}
		H(r, "</ul>");
	}
	H(r, "<p><a href=\"/schools?academy=%s\">%s (%lld)</a></p></section>", c.slug, T(r, "academies.schools.all"),
	  (long long)c.schools);

	if (!r->me.id) {
		H(r, "<section class=\"card\"><h2>%s</h2><p><a href=\"/login?next=/academies/%s\">%s</a></p></section>",
		  T(r, "academies.people"), c.slug, T(r, "academies.people.login"));
	} else {
		H(r, "<section class=\"card\" aria-labelledby=\"a-advisers\"><h2 id=\"a-advisers\">%s</h2>",
		  T(r, "academies.advisers"));
		if (np == 0)
			H(r, "<p class=\"muted\">%s</p>", T(r, "academies.advisers.none"));
		else
			H(r, "<ul class=\"plain\">");
		for (int i = 0; i < np; i++)
			H(r, "<li><a href=\"/users/%lld\">%s</a> <span class=\"muted\">@%s</span></li>", (long long)p[i].id,
			  p[i].name, p[i].handle);
		if (np > 0)
			H(r, "</ul>");
		H(r, "</section><section class=\"card\" aria-labelledby=\"a-groups\"><h2 id=\"a-groups\">%s</h2><p class=\"hint\">"
		  "%s</p>", T(r, "academies.groups"), T(r, "academies.groups.hint"));
		if (ng == 0)
			H(r, "<p class=\"muted\">%s</p>", T(r, "schools.groups.none"));
		else
			H(r, "<ul class=\"plain\">");
		for (int i = 0; i < ng; i++) {
			char *kind = arena_printf(r->arena, "gkind.%s", g[i].kind);

			H(r, "<li><a href=\"/groups/%lld\">%s</a> <span class=\"muted\">%s · %s</span></li>",
			  (long long)g[i].id, g[i].name, T(r, kind ? kind : ""),
			  web_count(r, g[i].members, "academies.member_one", "academies.member_many"));
		}
		if (ng > 0)
			H(r, "</ul>");
		H(r, "</section>");
	}
	H(r, "</div>");
	page_end(r);
}
