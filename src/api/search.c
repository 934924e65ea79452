/* GET /api/v1/search and /api/v1/search/suggest */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/search.h"
#include "http/search_params.h"
#include "util/text.h"

static const char *hit_url(struct request *r, const struct search_hit *h)
{
	const char *u = search_hit_url(r->arena, h);

	return u ? u : "/search";
}

static json_t *ref_or_null(int64_t id, const char *name)
{
	return id ? json_pack("{s:o,s:s}", "id", api_id(id), "name", name ? name : "") : json_null();
}

static int answer_bad(struct request *r, const char *bad)
{
	char msg[120];

	snprintf(msg, sizeof msg, !strcmp(bad, "q") ? "The query is too long (at most 1000 bytes) or not valid text."
			     : "Parameter '%s' is invalid.", bad);
	resp_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", !strcmp(bad, "q") ? "invalid_query"
				    : "invalid_parameter", "message", msg, "field", bad));
	return -1;
}

/* GET /search?q=&type=&group_id=&author_id=&from=&to=&subject=&level=&kind=&cursor=&limit= */
void api_search(struct request *r)
{
	struct search_filter f;
	struct search_result res;
	const char *bad, *limit = req_query(r, "limit");
	json_t *items, *counts;
	enum derr e;
	int more = 0;

	if (search_params(r, &f, &bad) < 0) {
		answer_bad(r, bad);
		return;
	}
	f.limit = 20;
	if (limit && *limit) {
		int64_t l = parse_id(limit);

		if (l < 1 || l > SEARCH_PAGE_MAX) {
			answer_bad(r, "limit");
			return;
		}
		f.limit = (int)l;
	}
	e = search_run(&r->dc, &r->me, &f, 1, &res, &bad);
	if (e == D_INVALID) {
		answer_bad(r, bad ? bad : "q");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < res.n; i++) {
		const struct search_hit *h = &res.hits[i];
		json_t *o = json_pack("{s:s,s:o,s:s,s:s,s:o,s:s,s:I,s:o,s:o,s:s}", "type", search_kind_names[h->kind],
				      "id", api_id(h->id), "title", h->title, "snippet", h->snippet,
				      "snippet_html", api_safe_html(search_snippet_html(r->arena, h->snippet, res.query)), "url", hit_url(r, h), "created_at",
				      (json_int_t)h->created_at, "group", ref_or_null(h->group_id, h->group_name),
				      "author", ref_or_null(h->author_id, h->author_name), "kind", h->sub ? h->sub : "");

		if (h->kind == SK_REPLY)
			json_object_set_new(o, "post_id", api_id(h->post_id));
		json_array_append_new(items, o);
	}
	counts = json_object();
	for (int k = 0; k < SEARCH_KINDS; k++) {
		json_object_set_new(counts, search_kind_names[k],
				    json_integer(res.counts[k] > SEARCH_COUNT_CAP ? SEARCH_COUNT_CAP : res.counts[k]));
		more |= res.counts[k] > SEARCH_COUNT_CAP;
	}
	more |= res.partial; /* only the newest matches were counted */
	resp_json(r, 200, json_pack("{s:o,s:o,s:o,s:b,s:b}", "items", items, "next",
				    res.more ? json_sprintf("%d", f.offset + res.n) : json_null(), "counts", counts,
				    "counts_exact", !more, "empty_query", res.nterms == 0));
}

/* GET /search/suggest?q=&type=: a few titles while typing */
void api_search_suggest(struct request *r)
{
	struct search_filter f;
	struct search_result res;
	const char *bad;
	json_t *items;
	enum derr e;

	if (search_params(r, &f, &bad) < 0) {
		answer_bad(r, bad);
		return;
	}
	f.limit = 8;
	f.offset = 0;
	e = search_run(&r->dc, &r->me, &f, 0, &res, &bad);
	if (e == D_INVALID) {
		answer_bad(r, bad ? bad : "q");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < res.n; i++)
		json_array_append_new(items, json_pack("{s:s,s:o,s:s,s:s}", "type", search_kind_names[res.hits[i].kind],
						       "id", api_id(res.hits[i].id), "title", res.hits[i].title,
						       "url", hit_url(r, &res.hits[i])));
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}
