/* JSON API: GET /academies (every academy with its counts for the caller)
 * and GET /academies/{slug} (an academy: its newest records the caller may
 * open, the schools with the most of them, and for members its groups and
 * advisers). Unknown slug: 404. */
#include "api/academies.h"

#include "api/api.h"
#include "domain/academies.h"
#include "domain/innovations.h"
#include "http/errors.h"
#include "util/buf.h"
#include "util/escape.h"

#define ACADEMY_RECORDS 10

/* The counts; members and advisers are null for a visitor. */
static json_t *academy_json(const struct academy_count *a)
{
	return json_pack("{s:s,s:s,s:I,s:I,s:o,s:o}", "slug", a->slug, "name", a->name, "records",
			 (json_int_t)a->records, "schools", (json_int_t)a->schools, "members",
			 a->members < 0 ? json_null() : json_integer(a->members), "advisers",
			 a->advisers < 0 ? json_null() : json_integer(a->advisers));
}

/* GET /api/v1/academies */
void api_academies_list(struct request *r)
{
	struct academy_count *rows;
	json_t *items;
	int n;

	if (academies_list(&r->dc, &r->me, &rows, &n) < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, academy_json(&rows[i]));
	resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

/* GET /api/v1/academies/{slug} */
void api_academies_get(struct request *r)
{
	const char *name = academy_by_slug(req_param(r, 0));
	struct academy_count c;
	struct academy_school *s;
	struct academy_group *g;
	struct academy_person *p;
	struct innovation_filter f = { 0 };
	struct innovation *xs;
	int64_t next = 0;
	json_t *o, *records, *schools, *groups, *advisers;
	int ns, ng, np, nx;
	enum derr e;

	if (!name) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	e = academy_counts(&r->dc, &r->me, name, &c);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	f.academy = name;
	f.limit = ACADEMY_RECORDS;
	nx = innovations_list(&r->dc, &r->me, &f, &xs, &next, NULL, NULL);
	ns = academy_schools(&r->dc, &r->me, name, &s);
	ng = academy_groups(&r->dc, &r->me, name, &g);
	np = academy_advisers(&r->dc, &r->me, name, &p);
	if (nx < 0 || ns < 0 || ng < 0 || np < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	o = academy_json(&c);
	records = json_array();
	for (int i = 0; i < nx; i++)
		json_array_append_new(records, json_pack("{s:o,s:s,s:s,s:I,s:s,s:s,s:I}", "id", api_id(xs[i].id), "title",
							 xs[i].title, "type", xs[i].type, "started_year",
							 (json_int_t)xs[i].started_year, "support", xs[i].support,
							 "visibility", xs[i].visibility, "updated_at",
							 (json_int_t)xs[i].updated_at));
	schools = json_array();
	for (int i = 0; i < ns; i++)
		json_array_append_new(schools, json_pack("{s:s,s:s,s:s,s:I}", "uai", s[i].uai, "name", s[i].name, "town",
							 s[i].town, "records", (json_int_t)s[i].records));
	groups = json_array();
	for (int i = 0; i < ng; i++)
		json_array_append_new(groups, json_pack("{s:o,s:s,s:s,s:s,s:I}", "id", api_id(g[i].id), "name", g[i].name,
							"kind", g[i].kind, "visibility", g[i].visibility, "members",
							(json_int_t)g[i].members));
	advisers = json_array();
	for (int i = 0; i < np; i++)
		json_array_append_new(advisers, json_pack("{s:o,s:s,s:s}", "id", api_id(p[i].id), "name", p[i].name,
							  "handle", p[i].handle));
	json_object_set_new(o, "recent_records", records);
	json_object_set_new(o, "top_schools", schools);
	json_object_set_new(o, "groups", groups);
	json_object_set_new(o, "advisers", advisers);
	{
		/* the catalogue filtered by the academy (its name) and the directory's list */
		struct buf b = BUF_INIT;

		buf_puts(&b, "/innovations?academy=");
		url_escape(&b, name);
		json_object_set_new(o, "catalogue", b.failed ? json_null() : json_string(buf_str(&b)));
		buf_free(&b);
	}
	json_object_set_new(o, "schools_url", json_sprintf("/schools?academy=%s", c.slug));
	resp_json(r, 200, o);
}
