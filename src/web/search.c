/* The search page (/search) and the suggestions the header's box shows
 * while typing (/search/suggest, JSON for site.js, with the page's session). */
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/groups.h"
#include "domain/posts.h"
#include "domain/profile.h"
#include "domain/search.h"
#include "http/search_params.h"
#include "web/pages.h"
#include "web/social.h"

static const char *hit_href(struct request *r, const struct search_hit *h)
{
	const char *u = search_hit_url(r->arena, h);

	return u ? u : "/search";
}

/* "YYYY-MM-DD" of a day boundary (to: the day before). */
static const char *day_of(struct request *r, int64_t t, int before)
{
	time_t tt = (time_t)(t - (before ? 1 : 0));
	struct tm tm;
	char out[16];

	if (!t)
		return NULL;
	localtime_r(&tt, &tm);
	strftime(out, sizeof out, "%Y-%m-%d", &tm);
	return arena_strdup(r->arena, out);
}

/* /search?... with the filters of f, another type (kinds, -1: keep) and offset. */
static const char *search_href(struct request *r, const struct search_filter *f, long kinds, int offset)
{
	struct buf b = BUF_INIT;
	unsigned k = kinds < 0 ? f->kinds : (unsigned)kinds;
	const char *s;

	buf_puts(&b, "/search?q=");
	url_escape(&b, f->q ? f->q : "");
	if (k) {
		const char *sep = "&type=";

		for (int i = 0; i < SEARCH_KINDS; i++)
			if (k & (1u << i)) {
				buf_printf(&b, "%s%s", sep, search_kind_names[i]);
				sep = ",";
			}
	}
	if (f->group_id)
		buf_printf(&b, "&group_id=%lld", (long long)f->group_id);
	if (f->author_id)
		buf_printf(&b, "&author_id=%lld", (long long)f->author_id);
	{
		const char *keys[] = { "subject", "level", "kind", "from", "to" };
		const char *vals[] = { f->subject, f->level, kinds < 0 ? f->sub : NULL, day_of(r, f->from, 0),
				       day_of(r, f->to, 1) };

		for (int i = 0; i < 5; i++)
			if (vals[i]) {
				buf_printf(&b, "&%s=", keys[i]);
				url_escape(&b, vals[i]);
			}
	}
	if (offset > 0)
		buf_printf(&b, "&cursor=%d", offset);
	s = arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return s ? s : "/search";
}

static void search_form(struct request *r, const struct search_filter *f)
{
	static const char *const post_kinds_here[] = { "discussion", "blog", "page" };
	int only = -1, open = f->subject || f->level || f->from || f->to || f->sub;

	for (int i = 0; i < SEARCH_KINDS; i++)
		if (f->kinds == (1u << i))
			only = i;
	H(r, "<section class=\"card\"><form method=\"get\" action=\"/search\" role=\"search\" class=\"search-form\">"
	  "<label for=\"s-q\">%s</label><div class=\"search-line\">"
	  "<input id=\"s-q\" name=\"q\" type=\"search\" value=\"%s\" maxlength=\"1000\" autocomplete=\"off\""
	  " list=\"search-suggestions\" data-suggest=\"1\"><button type=\"submit\">%s</button></div>",
	  T(r, "search.q"), f->q ? f->q : "", T(r, "search.submit"));
	if (f->group_id)
		H(r, "<input type=\"hidden\" name=\"group_id\" value=\"%lld\">", (long long)f->group_id);
	if (f->author_id)
		H(r, "<input type=\"hidden\" name=\"author_id\" value=\"%lld\">", (long long)f->author_id);
	H(r, "<details%s><summary>%s</summary><div class=\"grid filters\">", open ? " open" : "", T(r, "search.filters"));
	H(r, "<div><label for=\"s-type\">%s</label><select id=\"s-type\" name=\"type\"><option value=\"\">%s</option>",
	  T(r, "search.type"), T(r, "search.all"));
	for (int i = 0; i < SEARCH_KINDS; i++) {
		char key[32];

		snprintf(key, sizeof key, "search.type.%s", search_kind_names[i]);
		H(r, "<option value=\"%s\"%s>%s</option>", search_kind_names[i], only == i ? " selected" : "", T(r, key));
	}
	H(r, "</select></div><div><label for=\"s-kind\">%s</label><select id=\"s-kind\" name=\"kind\">"
	  "<option value=\"\">%s</option>", T(r, "search.kind"), T(r, "search.any"));
	for (int i = 0; i < 3; i++)
		H(r, "<option value=\"%s\"%s>%s</option>", post_kinds_here[i],
		  f->sub && !strcmp(f->sub, post_kinds_here[i]) ? " selected" : "", label(r, "kind", post_kinds_here[i]));
	H(r, "</select></div>"
	  "<div><label for=\"s-subject\">%s</label><input id=\"s-subject\" name=\"subject\" value=\"%s\" maxlength=\"100\"></div>"
	  "<div><label for=\"s-level\">%s</label><input id=\"s-level\" name=\"level\" value=\"%s\" maxlength=\"100\"></div>"
	  "<div><label for=\"s-from\">%s</label><input id=\"s-from\" name=\"from\" type=\"date\" value=\"%s\"></div>"
	  "<div><label for=\"s-to\">%s</label><input id=\"s-to\" name=\"to\" type=\"date\" value=\"%s\"></div>"
	  "</div></details></form></section>",
	  T(r, "search.subject"), f->subject ? f->subject : "", T(r, "search.level"), f->level ? f->level : "",
	  T(r, "search.from"), day_of(r, f->from, 0) ? day_of(r, f->from, 0) : "", T(r, "search.to"),
	  day_of(r, f->to, 1) ? day_of(r, f->to, 1) : "");
}

static void tips(struct request *r)
{
	H(r, "<section class=\"card tips\"><h2>%s</h2><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li>",
	  T(r, "search.tips.title"), T(r, "search.tip.accents"), T(r, "search.tip.family"), T(r, "search.tip.phrase"),
	  T(r, "search.tip.filters"));
	if (!r->me.id)
		H(r, "<li><a href=\"/login?next=/search\">%s</a></li>", T(r, "search.tip.visitor"));
	H(r, "</ul></section>");
}

static void hit_item(struct request *r, const struct search_hit *h, const struct search_query *q)
{
	char key[32];

	snprintf(key, sizeof key, "search.one.%s", search_kind_names[h->kind]);
	H(r, "<li class=\"result\"><p class=\"meta\"><span class=\"pill\">%s</span>", T(r, key));
	if (h->kind == SK_POST || (h->kind == SK_REPLY && h->sub))
		H(r, " <span class=\"pill\">%s</span>", label(r, "kind", h->sub));
	else if (h->kind == SK_DOCUMENT && h->sub)
		H(r, " <span class=\"pill\">%s</span>", label(r, "dkind", h->sub));
	else if (h->kind == SK_INNOVATION && h->sub)
		H(r, " <span class=\"pill\">%s</span>", label(r, "innovation.type", h->sub));
	if (h->author_id && h->author_name[0])
		H(r, " · <a href=\"/users/%lld\">%s</a>", (long long)h->author_id, h->author_name);
	if (h->group_id && h->group_name[0] && h->kind != SK_GROUP)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)h->group_id, h->group_name);
	if (h->kind != SK_USER && h->kind != SK_GROUP)
		H(r, " · <time>%s</time>", web_date(r, h->created_at));
	H(r, "</p><h2><a href=\"%s\">%s%s</a></h2>", hit_href(r, h),
	  h->kind == SK_REPLY ? arena_printf(r->arena, "%s ", T(r, "search.reply_in")) : "", h->title);
	if (h->snippet[0]) {
		/* escaped, matching words in <mark> */
		H(r, "<p class=\"snippet\">");
		html_raw_trusted(&r->out, search_snippet_html(r->arena, h->snippet, q));
		H(r, "</p>");
	}
	H(r, "</li>");
}

/* GET /search */
void web_search(struct request *r)
{
	struct search_filter f;
	struct search_result res;
	const char *bad;
	enum derr e;
	int64_t total = 0;
	int capped = 0;
	unsigned reachable;
	const char *said;

	if (search_params(r, &f, &bad) < 0) {
		r->status = 400;
		page_begin(r, T(r, "search.title"));
		H(r, "<h1>%s</h1>", T(r, "search.title"));
		page_notice(r, "error", T(r, "search.bad"));
		memset(&f, 0, sizeof f);
		search_form(r, &f);
		tips(r);
		page_end(r);
		return;
	}
	f.limit = 20;
	e = search_run(&r->dc, &r->me, &f, 1, &res, &bad);
	if (e != D_OK) {
		web_error_page(r, e == D_INVALID ? 400 : 500);
		return;
	}
	page_begin(r, f.q && *f.q ? arena_printf(r->arena, "%s · %s", f.q, T(r, "search.title")) : T(r, "search.title"));
	H(r, "<h1>%s</h1>", T(r, "search.title"));
	search_form(r, &f);
	if (f.group_id || f.author_id) {
		struct search_filter all = f;
		struct group g;
		const char *who = f.group_id ? (group_get(&r->dc, &r->me, f.group_id, &g) == D_OK ? g.name : "")
				 : user_public_name(&r->dc, f.author_id);

		all.group_id = all.author_id = 0;
		H(r, "<p class=\"chips\">%s <strong>%s</strong> · <a href=\"%s\">%s</a></p>",
		  T(r, f.group_id ? "search.in_group" : "search.by_author"), who ? who : "", search_href(r, &all, -1, 0),
		  T(r, "search.remove_filter"));
	}
	if (!res.nterms) {
		if (f.q && *f.q) {
			H(r, "<p class=\"empty\" role=\"status\">%s « %s ».</p>", T(r, "search.none"), f.q);
		} else {
			H(r, "<p class=\"empty\">%s</p>", T(r, "search.empty.title"));
		}
		tips(r);
		page_end(r);
		return;
	}
	for (int i = 0; i < SEARCH_KINDS; i++) {
		total += res.counts[i] > SEARCH_COUNT_CAP ? SEARCH_COUNT_CAP : res.counts[i];
		capped |= res.counts[i] > SEARCH_COUNT_CAP;
	}
	capped |= res.partial; /* only the newest matches were counted */
	/* One tab per kind the other filters can reach, with what this viewer may find there. */
	{
		struct search_filter any = f;

		any.kinds = 0;
		reachable = search_kinds_reachable(&any);
	}
	H(r, "<nav class=\"tabs\" aria-label=\"%s\"><ul><li><a href=\"%s\"%s>%s <span class=\"count\">%lld%s</span></a></li>",
	  T(r, "search.tabs"), search_href(r, &f, 0, 0), f.kinds ? "" : " aria-current=\"page\"", T(r, "search.all"),
	  (long long)total, capped && total ? "+" : "");
	for (int i = 0; i < SEARCH_KINDS; i++) {
		char key[32];
		long long c = res.counts[i] > SEARCH_COUNT_CAP ? SEARCH_COUNT_CAP : res.counts[i];

		if ((!r->me.id && i == SK_USER) || !(reachable & (1u << i)))
			continue;
		snprintf(key, sizeof key, "search.type.%s", search_kind_names[i]);
		H(r, "<li><a href=\"%s\"%s>%s <span class=\"count\">%lld%s</span></a></li>", search_href(r, &f, 1L << i, 0),
		  f.kinds == (1u << i) ? " aria-current=\"page\"" : "", T(r, key), c,
		  res.counts[i] > SEARCH_COUNT_CAP || (res.partial && c) ? "+" : "");
	}
	H(r, "</ul></nav>");
	if (!res.n) {
		H(r, "<p class=\"empty\" role=\"status\">%s « %s ».</p>", T(r, "search.none"), f.q);
		tips(r);
		page_end(r);
		return;
	}
	/* Capped: more than 1,000, or, when only the newest matches were
	 * counted, more than those the viewer may see among them. */
	said = web_count(r, total, "search.result_one", "search.results");
	if (capped)
		said = total >= SEARCH_COUNT_CAP ? T(r, "search.more_than")
		       : arena_printf(r->arena, "%s %s", T(r, "search.more_than_n"), said ? said : "");
	H(r, "<p class=\"muted\" role=\"status\">%s</p>", said);
	H(r, "<ol class=\"results plain\" aria-label=\"%s\">", T(r, "search.list"));
	for (int i = 0; i < res.n; i++)
		hit_item(r, &res.hits[i], res.query);
	H(r, "</ol>");
	if (f.offset > 0 || res.more) {
		H(r, "<nav class=\"pager actions\" aria-label=\"%s\">", T(r, "search.list"));
		if (f.offset > 0)
			H(r, "<a class=\"button secondary\" href=\"%s\">%s</a>",
			  search_href(r, &f, -1, f.offset > f.limit ? f.offset - f.limit : 0), T(r, "search.previous"));
		if (res.more)
			H(r, "<a class=\"button secondary\" href=\"%s\">%s</a>", search_href(r, &f, -1, f.offset + res.n),
			  T(r, "search.next"));
		H(r, "</nav>");
	}
	page_end(r);
}

/* GET /search/suggest?q=: titles for the header box while typing. */
void web_search_suggest(struct request *r)
{
	struct search_filter f;
	struct search_result res;
	const char *bad;
	json_t *items;

	if (search_params(r, &f, &bad) < 0) {
		resp_json_error(r, 400, "invalid_query", "The query is not valid.");
		return;
	}
	f.limit = 8;
	f.offset = 0;
	if (search_run(&r->dc, &r->me, &f, 0, &res, &bad) != D_OK) {
		resp_json_error(r, 400, "invalid_query", "The query is not valid.");
		return;
	}
	items = json_array();
	for (int i = 0; i < res.n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "type", search_kind_names[res.hits[i].kind],
						       "title", res.hits[i].title, "url", hit_href(r, &res.hits[i])));
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}
