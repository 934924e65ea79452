/* JSON API: GET /schools?q= (the search that the profile's autocomplete
 * asks) and GET /schools/{uai} (a school, its members who show it and
 * their groups). The directory is open data: anyone may search it; members
 * and groups go to members only (domain/schools.h). */
#include "api/schools.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/academies.h"
#include "domain/schools.h"
#include "http/errors.h"
#include "util/search_text.h"
#include "util/text.h"

static json_t *api_school(const struct school *s)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "uai", s->uai, "name", s->name, "kind", s->kind,
			 "academy", s->academy, "town", s->town, "postcode", s->postcode);
}

/* GET /api/v1/schools?q=&academy=&cursor=&limit=: an empty q answers no
 * items, unless academy (a name or a slug) asks for its schools. */
void api_schools_search(struct request *r)
{
	const char *q = req_query(r, "q"), *cursor = req_query(r, "cursor"), *lim = req_query(r, "limit");
	const char *a = req_query(r, "academy"), *academy = NULL;
	const char *next = NULL;
	struct school *rows;
	json_t *items;
	int limit = SCHOOLS_PAGE, n;

	if (q && (strlen(q) > SEARCH_QUERY_MAX || !text_ok(q, 0))) {
		resp_json_error(r, 400, "invalid_query", "q is at most 1000 bytes of text.");
		return;
	}
	if (lim && (parse_id(lim) < 1 || parse_id(lim) > 100)) {
		resp_json_error(r, 400, "invalid_parameter", "limit is from 1 to 100.");
		return;
	}
	if (lim)
		limit = (int)parse_id(lim);
	if (cursor && *cursor && !school_uai_parse(cursor, NULL)) {
		resp_json_error(r, 400, "invalid_parameter", "cursor is the next value of a previous answer.");
		return;
	}
	if (a && *a) {
		const char *slug = academy_slug_of(&r->dc, a);

		if (!slug || !(academy = academy_by_slug(slug))) {
			resp_json_error(r, 400, "invalid_parameter", "academy is the name or the slug of an academy.");
			return;
		}
		if (!(academy = academy_directory_spelling(&r->dc, academy))) {
			api_derr(r, D_INTERNAL, NULL);
			return;
		}
	}
	n = schools_search_in(&r->dc, q, academy, cursor && *cursor ? cursor : NULL, limit, &rows, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_school(&rows[i]));
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next", next ? json_string(next) : json_null()));
}

/* GET /api/v1/schools/{uai} */
void api_schools_get(struct request *r)
{
	struct school s;
	struct school_member *m;
	struct school_group *g;
	enum derr e = school_get(&r->dc, req_param(r, 0), &s);
	json_t *o, *members, *groups;
	int nm, ng;

	if (e != D_OK) {
		api_derr(r, e == D_INVALID ? D_NOT_FOUND : e, NULL);
		return;
	}
	nm = school_members_of(&r->dc, &r->me, &s, &m);
	ng = school_groups_of(&r->dc, &r->me, &s, &g);
	if (nm < 0 || ng < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	o = api_school(&s);
	members = json_array();
	groups = json_array();
	for (int i = 0; i < nm; i++)
		json_array_append_new(members, json_pack("{s:o,s:s,s:s,s:s}", "id", api_id(m[i].id), "name",
							 m[i].name, "handle", m[i].handle, "role", m[i].role));
	for (int i = 0; i < ng; i++)
		json_array_append_new(groups, json_pack("{s:o,s:s,s:s,s:s,s:I}", "id", api_id(g[i].id), "name",
							g[i].name, "kind", g[i].kind, "visibility", g[i].visibility,
							"members", (json_int_t)g[i].members));
	json_object_set_new(o, "updated_at", json_integer(s.updated_at));
	json_object_set_new(o, "members", members);
	json_object_set_new(o, "groups", groups);
	resp_json(r, 200, o);
}
