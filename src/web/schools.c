/* Pages: /schools?q= (a plain search form, results as links; the
 * profile's autocomplete asks the API with the same search) and
 * /schools/{uai} (a school: its facts for anyone, its members who show it
 * and their groups the viewer may see for members). */
#include "web/schools.h"

#include <string.h>

#include "domain/academies.h"
#include "domain/innovations.h"
#include "domain/schools.h"
#include "util/search_text.h"
#include "util/text.h"
#include "web/web.h"

static const char *query_url(struct request *r, const char *q, const char *academy, const char *cursor)
{
	struct buf b = BUF_INIT;
	const char *s;

	buf_puts(&b, "/schools?q=");
	url_escape(&b, q ? q : "");
	if (academy) {
		buf_puts(&b, "&academy=");
		url_escape(&b, academy);
	}
	if (cursor) {
		buf_puts(&b, "&cursor=");
		url_escape(&b, cursor);
	}
	s = b.failed ? "/schools" : arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return s ? s : "/schools";
}

/* GET /schools?q=&academy=&cursor=: academy (a name or a slug) lists that
 * academy's schools, all of them with an empty q. */
void web_schools(struct request *r)
{
	const char *q = req_query(r, "q"), *cursor = req_query(r, "cursor"), *next = NULL;
	const char *a = req_query(r, "academy"), *academy = NULL, *slug = NULL;
	struct school *rows = NULL;
	int n = 0, bad = 0;

	if (a && *a) {
		slug = academy_slug_of(&r->dc, a);
		academy = slug ? academy_by_slug(slug) : NULL;
		if (!academy)
			bad = 1;
	}

	if (q && (strlen(q) > SEARCH_QUERY_MAX || !text_ok(q, 0))) {
		bad = 1;
		q = NULL;
	}
	if (cursor && *cursor && !school_uai_parse(cursor, NULL))
		bad = 1;
	if (((q && *q) || academy) && !bad) {
		const char *spelled = academy ? academy_directory_spelling(&r->dc, academy) : NULL;

		if (academy && !spelled) {
			web_error_page(r, 500);
			return;
		}
		n = schools_search_in(&r->dc, q, spelled, cursor && *cursor ? cursor : NULL, SCHOOLS_PAGE, &rows, &next);
		if (n < 0) {
			web_error_page(r, 500);
			return;
		}
	}
	if (bad)
		r->status = 400;
	page_begin(r, academy ? arena_printf(r->arena, "%s · %s", T(r, "schools.title"), academy) : T(r, "schools.title"));
	H(r, "<h1>%s</h1>", T(r, "schools.title"));
	if (academy)
		H(r, "<p>%s <a href=\"/academies/%s\">%s</a> · <a href=\"/schools\">%s</a></p>",
		  T(r, "academies.schools.of"), slug, academy, T(r, "academies.schools.every"));
	else
		H(r, "<p class=\"muted\">%s</p>", T(r, "schools.intro"));
	if (bad)
		page_notice(r, "error", T(r, "schools.bad"));
	H(r, "<section class=\"card\"><form method=\"get\" action=\"/schools\" role=\"search\" class=\"search-form\">"
	  "<label for=\"s-q\">%s<span class=\"hint\" id=\"h-q\">%s</span></label><div class=\"search-line\">"
	  "<input id=\"s-q\" name=\"q\" type=\"search\" value=\"%s\" maxlength=\"1000\" aria-describedby=\"h-q\">",
	  T(r, "schools.q"), T(r, "schools.q.hint"), q ? q : "");
	if (academy)
		H(r, "<input type=\"hidden\" name=\"academy\" value=\"%s\">", slug);
	H(r, "<button type=\"submit\">%s</button></div></form></section>", T(r, "search.submit"));
	if (((q && *q) || academy) && !bad) {
		H(r, "<section class=\"card\" aria-live=\"polite\"><h2>%s</h2>", T(r, "schools.results"));
		if (n == 0)
			H(r, "<p>%s</p>", T(r, "schools.none"));
		else
			H(r, "<ul class=\"plain\">");
		for (int i = 0; i < n; i++)
			H(r, "<li><a href=\"/schools/%s\">%s</a> <span class=\"muted\">%s%s%s · %s</span></li>", rows[i].uai,
			  rows[i].name, rows[i].town, rows[i].academy[0] ? " · " : "", rows[i].academy, rows[i].uai);
		if (n > 0)
			H(r, "</ul>");
		if (next)
			H(r, "<p><a href=\"%s\">%s</a></p>", query_url(r, q, slug, next), T(r, "schools.more"));
		H(r, "</section>");
	}
	page_end(r);
}

/* GET /schools/{uai} */
void web_school(struct request *r)
{
	struct school s;
	struct school_member *m = NULL;
	struct school_group *g = NULL;
	struct innovation_filter fi = { 0 };
	struct innovation *xs = NULL;
	int64_t inext = 0;
	enum derr e = school_get(&r->dc, req_param(r, 0), &s);
	int nm, ng, ni;

	if (e != D_OK) {
		web_derr_page(r, e == D_INVALID ? D_NOT_FOUND : e);
		return;
	}
	nm = school_members_of(&r->dc, &r->me, &s, &m);
	ng = school_groups_of(&r->dc, &r->me, &s, &g);
	/* Its innovation records the viewer may open, newest first. */
	fi.uai = s.uai;
	fi.limit = 10;
	ni = innovations_list(&r->dc, &r->me, &fi, &xs, &inext, NULL, NULL);
	if (nm < 0 || ng < 0 || ni < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, s.name);
	H(r, "<section class=\"card\"><h1>%s</h1><dl class=\"facts\">", s.name);
	if (s.kind[0])
		H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "schools.kind"), s.kind);
	H(r, "<dt>%s</dt><dd>%s%s%s</dd>", T(r, "schools.town"), s.postcode, s.postcode[0] ? " " : "", s.town);
	if (s.academy[0]) {
		const char *slug = academy_slug_of(&r->dc, s.academy);

		if (slug)
			H(r, "<dt>%s</dt><dd><a href=\"/academies/%s\">%s</a></dd>", T(r, "profile.academy"), slug, s.academy);
		else
			H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "profile.academy"), s.academy);
	}
	H(r, "<dt>%s</dt><dd>%s</dd></dl></section>", T(r, "schools.uai"), s.uai);
	H(r, "<div class=\"grid\"><section class=\"card\"><h2>%s</h2>", T(r, "schools.members"));
	if (!r->me.id)
		H(r, "<p><a href=\"/login?next=/schools/%s\">%s</a></p>", s.uai, T(r, "schools.members.login"));
	else if (nm == 0)
		H(r, "<p class=\"muted\">%s</p>", T(r, "schools.members.none"));
	else
		H(r, "<ul class=\"plain\">");
	for (int i = 0; i < nm; i++)
		H(r, "<li><a href=\"/users/%lld\">%s</a> <span class=\"muted\">@%s</span></li>", (long long)m[i].id,
		  m[i].name, m[i].handle);
	if (nm > 0)
		H(r, "</ul>");
	H(r, "</section>");
	if (r->me.id) {
		H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "schools.groups"));
		if (ng == 0)
			H(r, "<p class=\"muted\">%s</p>", T(r, "schools.groups.none"));
		else
			H(r, "<ul class=\"plain\">");
		for (int i = 0; i < ng; i++) {
			char *kind = arena_printf(r->arena, "gkind.%s", g[i].kind);

			H(r, "<li><a href=\"/groups/%lld\">%s</a> <span class=\"muted\">%s · %s</span></li>",
			  (long long)g[i].id, g[i].name, T(r, kind ? kind : ""),
			  web_count(r, g[i].members, "schools.members.one", "schools.members.many"));
		}
		if (ng > 0)
			H(r, "</ul>");
		H(r, "</section>");
	}
	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "schools.innovations"));
	if (ni == 0)
		H(r, "<p class=\"muted\">%s</p>", T(r, "schools.innovations.none"));
	else
		H(r, "<ul class=\"plain\">");
	for (int i = 0; i < ni; i++)
		H(r, "<li><a href=\"/innovations/%lld\">%s</a> <span class=\"muted\">%lld · %s</span></li>",
		  (long long)xs[i].id, xs[i].title, (long long)xs[i].started_year, xs[i].academy);
	if (ni > 0)
		H(r, "</ul>");
	if (inext)
		H(r, "<p><a href=\"/innovations?uai=%s\">%s</a></p>", s.uai, T(r, "schools.innovations.all"));
	H(r, "</section>");
	H(r, "</div>");
	page_end(r);
}
