/* /api/v1 innovation records: create, read, edit, delete, the faceted
 * list, revisions and their diff, follows, useful marks, support, messages
 * to the team. */
#include "api/innovations.h"

#include <string.h>

#include "api/api.h"
#include "domain/innovations.h"
#include "http/innovation_params.h"
#include "util/text.h"

#define LIST_READ_MAX 64       /* read this many; the domain refuses more than its limits */

static json_t *str_list_json(const struct str_list *l)
{
	json_t *a = json_array();

	for (int i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static json_t *people_json(const struct innovation_person *p, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o,s:s}", "id", api_id(p[i].id), "name", p[i].name));
	return a;
}

/* A record as JSON; full adds the lists, the marks and the rendered texts. */
static json_t *innovation_json(struct arena *a, const struct innovation *x, int full)
{
	json_t *o = json_pack("{s:o,s:s?,s:s,s:s,s:s,s:s?,s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:b}",
			      "id", api_id(x->id), "ref", x->ref, "title", x->title, "summary", x->summary,
			      "academy", x->academy, "uai", x->uai, "type", x->type,
			      "started_year", (json_int_t)x->started_year, "duration_years", (json_int_t)x->duration_years,
			      "aims", x->aims, "actions", x->actions, "evaluation", x->evaluation, "effects", x->effects,
			      "partners", x->partners, "visibility", x->visibility, "support", x->support,
			      "support_comment", x->support_comment, "created_at", (json_int_t)x->created_at,
			      "updated_at", (json_int_t)x->updated_at, "revision", (json_int_t)x->revision,
			      "hidden", x->hidden);

	if (!o)
		return json_null();
	json_object_set_new(o, "coordinator", x->coordinator_id ?
			    json_pack("{s:o,s:s}", "id", api_id(x->coordinator_id), "name", x->coordinator_name) :
			    json_null());
	if (x->snippet) {
		/* a list with q: the matching text, plain and marked */
		json_object_set_new(o, "snippet", json_string(x->snippet));
		json_object_set_new(o, "snippet_html", api_safe_html(search_snippet_html(a, x->snippet, x->query)));
	}
	if (!full)
		return o;
	json_object_set_new(o, "summary_html", api_body_html(a, x->summary));
	json_object_set_new(o, "aims_html", api_body_html(a, x->aims));
	json_object_set_new(o, "actions_html", api_body_html(a, x->actions));
	json_object_set_new(o, "evaluation_html", api_body_html(a, x->evaluation));
	json_object_set_new(o, "effects_html", api_body_html(a, x->effects));
	json_object_set_new(o, "partners_html", api_body_html(a, x->partners));
	json_object_set_new(o, "levels", str_list_json(&x->levels));
	json_object_set_new(o, "subjects", str_list_json(&x->subjects));
	json_object_set_new(o, "themes", str_list_json(&x->themes));
	json_object_set_new(o, "keywords", str_list_json(&x->keywords));
	json_object_set_new(o, "coauthors", people_json(x->coauthors, x->ncoauthors));
	json_object_set_new(o, "groups", people_json(x->groups, x->ngroups));
	{
		json_t *docs = json_array();

		for (int i = 0; i < x->ndocuments; i++)
			json_array_append_new(docs, json_pack("{s:o,s:s}", "id", api_id(x->documents[i].id), "title",
							      x->documents[i].name));
		json_object_set_new(o, "documents", docs);
	}
	json_object_set_new(o, "useful_count", json_integer(x->useful_count));
	json_object_set_new(o, "follower_count", json_integer(x->follower_count));
	json_object_set_new(o, "useful_by_me", json_boolean(x->useful_by_me));
	json_object_set_new(o, "followed_by_me", json_boolean(x->followed_by_me));
	json_object_set_new(o, "may_edit", json_boolean(x->may_edit));
	json_object_set_new(o, "may_support", json_boolean(x->may_support));
	return o;
}

/* 422 invalid_field naming key. */
static void bad_field(struct request *r, const char *key)
{
	api_derr(r, D_INVALID, key);
}

static int read_ids(struct request *r, json_t *o, const char *key, int64_t **out, int *n)
{
	json_t *v = json_object_get(o, key), *e;
	size_t i;

	*n = -1;
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > LIST_READ_MAX) {
		bad_field(r, key);
		return -1;
	}
	*out = arena_alloc(r->arena, (json_array_size(v) + 1) * sizeof **out);
	if (!*out) {
		api_derr(r, D_INTERNAL, NULL);
		return -1;
	}
	json_array_foreach(v, i, e) {
		if (((*out)[i] = api_id_of(e)) <= 0) {
			bad_field(r, key);
			return -1;
		}
	}
	*n = (int)json_array_size(v);
	return 0;
}

static int read_list(struct request *r, json_t *o, const char *key, struct str_list *l)
{
	l->v = arena_alloc(r->arena, (LIST_READ_MAX + 1) * sizeof *l->v);
	if (!l->v) {
		api_derr(r, D_INTERNAL, NULL);
		return -1;
	}
	l->n = api_str_list(r, o, key, l->v, LIST_READ_MAX);
	if (l->n == -2)
		l->n = -1;
	else if (l->n < 0)
		return -1;
	return 0;
}

static int read_int(struct request *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);

	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000) {
		bad_field(r, key);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int read_input(struct request *r, json_t *o, struct innovation_input *in)
{
	json_t *h = json_object_get(o, "hidden"), *u = json_object_get(o, "uai");
	int64_t *ids = NULL;

	innovation_input_init(in);
	if (api_str(r, o, "ref", 0, &in->ref) || api_str(r, o, "title", 0, &in->title) ||
	    api_str(r, o, "summary", 0, &in->summary) || api_str(r, o, "academy", 0, &in->academy) ||
	    api_str(r, o, "uai", 0, &in->uai) || api_str(r, o, "type", 0, &in->type) ||
	    api_str(r, o, "visibility", 0, &in->visibility) || api_str(r, o, "aims", 0, &in->aims) ||
	    api_str(r, o, "actions", 0, &in->actions) || api_str(r, o, "evaluation", 0, &in->evaluation) ||
	    api_str(r, o, "effects", 0, &in->effects) || api_str(r, o, "partners", 0, &in->partners) ||
	    api_str(r, o, "support", 0, &in->support) || api_str(r, o, "support_comment", 0, &in->support_comment))
		return -1;
	if (read_int(r, o, "started_year", &in->started_year) || read_int(r, o, "duration_years", &in->duration_years))
		return -1;
	if (read_list(r, o, "levels", &in->levels) || read_list(r, o, "subjects", &in->subjects) ||
	    read_list(r, o, "themes", &in->themes) || read_list(r, o, "keywords", &in->keywords))
		return -1;
	if (read_ids(r, o, "coauthors", &ids, &in->ncoauthors))
		return -1;
	in->coauthors = ids;
	ids = NULL;
	if (read_ids(r, o, "group_ids", &ids, &in->ngroups))
		return -1;
	in->group_ids = ids;
	ids = NULL;
	if (read_ids(r, o, "document_ids", &ids, &in->ndocuments))
		return -1;
	in->document_ids = ids;
	in->uai_null = u && json_is_null(u);
	if (h) {
		if (!json_is_boolean(h)) {
			bad_field(r, "hidden");
			return -1;
		}
		in->hidden = json_is_true(h);
	}
	return 0;
}

static void innovation_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_FORBIDDEN && field && !strcmp(field, "support"))
		resp_json_error(r, 403, "forbidden", "Only an adviser of the record's academy or an admin sets its support.");
	else if (e == D_FORBIDDEN && field && !strcmp(field, "hidden"))
		resp_json_error(r, 403, "forbidden", "Only admins hide a record.");
	else if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "forbidden", "Only the coordinator, the co-authors and admins edit the record.");
	else if (e == D_CONFLICT && field && !strcmp(field, "ref"))
		resp_json_error(r, 409, "ref_taken", "Another record has this ref.");
	else
		api_derr(r, e, field);
}

static void answer(struct request *r, int status, int64_t id)
{
	struct innovation x;
	enum derr e = innovation_get(&r->dc, &r->me, id, &x);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, status, innovation_json(r->arena, &x, 1));
}

void api_innovations_create(struct request *r)
{
	json_t *o = api_body(r);
	struct innovation_input in;
	const char *field = NULL;
	int64_t id = 0;
	enum derr e;

	if (!o || read_input(r, o, &in) < 0)
		return;
	if (!in.title || !in.academy || !in.type || in.started_year < 0 || in.duration_years < 0) {
		bad_field(r, !in.title ? "title" : !in.academy ? "academy" : !in.type ? "type" :
			  in.started_year < 0 ? "started_year" : "duration_years");
		return;
	}
	in.support = in.support_comment = NULL;  /* set by PATCH, by advisers and admins */
	in.hidden = -1;
	e = innovation_create(&r->dc, &r->me, &in, &id, &field);
	if (e != D_OK) {
		innovation_error(r, e, field);
		return;
	}
	answer(r, 201, id);
}

void api_innovations_get(struct request *r)
{
	answer(r, 200, req_param_id(r, 0));
}

void api_innovations_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct innovation_input in;
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || read_input(r, o, &in) < 0)
		return;
	e = innovation_update(&r->dc, &r->me, id, &in, &field);
	if (e != D_OK) {
		innovation_error(r, e, field);
		return;
	}
	answer(r, 200, id);
}

void api_innovations_delete(struct request *r)
{
	enum derr e = innovation_delete(&r->dc, &r->me, req_param_id(r, 0));

	if (e != D_OK)
		innovation_error(r, e, NULL);
	else
		api_no_content(r);
}

static json_t *facet_json(const struct facet_count *c, int n, int numeric)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o,s:I}", "value",
						   numeric ? json_integer(parse_id(c[i].value)) : json_string(c[i].value),
						   "count", (json_int_t)c[i].count));
	return a;
}

void api_innovations_list(struct request *r)
{
	struct innovation_filter f;
	struct innovation_facets fc;
	struct innovation *xs;
	int64_t next = 0, total = 0;
	json_t *items, *o;
	int n;

	const char *bad;

	if (innovation_params(r, &f, &bad) < 0) {
		resp_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_parameter", "message",
					    "A filter is malformed.", "parameter", bad));
		return;
	}
	f.limit = 20;
	n = innovations_list(&r->dc, &r->me, &f, &xs, &next, &total, &fc);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, innovation_json(r->arena, &xs[i], 0));
	o = json_pack("{s:o,s:o,s:I}", "items", items, "next", next ? api_id(next) : json_null(),
		      "total", (json_int_t)total);
	json_object_set_new(o, "facets", json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
						   "academy", facet_json(fc.academy, fc.nacademy, 0),
						   "level", facet_json(fc.level, fc.nlevel, 0),
						   "theme", facet_json(fc.theme, fc.ntheme, 0),
						   "type", facet_json(fc.type, fc.ntype, 0),
						   "year", facet_json(fc.year, fc.nyear, 1),
						   "support", facet_json(fc.support, fc.nsupport, 0)));
	resp_json(r, 200, o);
}

/* GET /api/v1/innovations/queue: the adviser's queue (404 to anyone else). */
void api_innovations_queue(struct request *r)
{
	struct innovation_queue_pos after = { 0 }, next;
	struct innovation *xs;
	const char *cursor = req_query(r, "cursor"), *academy = NULL;
	json_t *items;
	enum derr e;
	int n;

	if (cursor && *cursor && innovation_queue_cursor(cursor, &after) < 0) {
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
		return;
	}
	e = innovations_queue(&r->dc, &r->me, req_query(r, "academy"), &after, 20, &xs, &n, &next, &academy);
	if (e != D_OK) {
		api_derr(r, e, e == D_INVALID ? "academy" : NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, innovation_json(r->arena, &xs[i], 0));
	resp_json(r, 200, json_pack("{s:o,s:o,s:o}", "items", items, "next",
				    next.id ? json_sprintf("%d-%lld-%lld", next.supported, (long long)next.updated_at,
							   (long long)next.id) : json_null(),
				    "academy", academy ? json_string(academy) : json_null()));
}

void api_innovations_revisions(struct request *r)
{
	struct innovation_revision *revs;
	int n = innovation_revisions(&r->dc, &r->me, req_param_id(r, 0), &revs);
	json_t *items;

	if (n == -2) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:I}", "revision", (json_int_t)revs[i].revision,
						       "title", revs[i].title, "body", revs[i].body, "author",
						       revs[i].author_id ? json_pack("{s:o,s:s}", "id",
										 api_id(revs[i].author_id), "name",
										 revs[i].author_name) : json_null(),
						       "created_at", (json_int_t)revs[i].created_at));
	api_list(r, items, 0);
}

void api_innovations_diff(struct request *r)
{
	struct innovation_revision a, b;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t id = req_param_id(r, 0), f = from ? parse_id(from) : -1, t = to ? parse_id(to) : -1;
	enum derr e = access_check(&r->dc, &r->me, AK_INNOVATION, id, AA_SEE);

	if (e != D_OK) {         /* not visible: 404 before anything */
		api_derr(r, e, NULL);
		return;
	}
	if (f <= 0 || t <= 0) {
		resp_json_error(r, 400, "invalid_parameter", "Give the revisions to compare: ?from=N&to=M.");
		return;
	}
	e = innovation_revision_get(&r->dc, &r->me, id, f, &a);
	if (e == D_OK)
		e = innovation_revision_get(&r->dc, &r->me, id, t, &b);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	api_answer_diff(r, f, t, a.title, a.body, b.title, b.body);
}

void api_innovations_follow(struct request *r)
{
	int on = r->method != HTTP_DELETE;
	enum derr e = innovation_follow(&r->dc, &r->me, req_param_id(r, 0), on);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, json_pack("{s:b}", "following", on));
}

void api_innovations_useful(struct request *r)
{
	int on = r->method != HTTP_DELETE;
	int64_t id = req_param_id(r, 0);
	enum derr e = innovation_mark_useful(&r->dc, &r->me, id, on);
	struct innovation x;

	if (e == D_OK)
		e = innovation_get(&r->dc, &r->me, id, &x);
	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, json_pack("{s:b,s:I}", "useful", on, "useful_count", (json_int_t)x.useful_count));
}

void api_innovations_message(struct request *r)
{
	json_t *o = api_body(r), *c;
	const char *body = NULL, *field = NULL;
	int64_t room = 0;
	enum derr e;

	if (!o || api_str(r, o, "body", 1, &body))
		return;
	c = json_object_get(o, "changes");
	if (c && !json_is_boolean(c)) {
		bad_field(r, "changes");
		return;
	}
	e = innovation_message(&r->dc, &r->me, req_param_id(r, 0), body, c && json_is_true(c), &room, &field);
	if (e == D_FORBIDDEN && !field)
		resp_json_error(r, 403, "forbidden", "Only an adviser of the record's academy or an admin asks for changes.");
	else if (e != D_OK)
		api_derr(r, e, field);
	else
		resp_json(r, 201, json_pack("{s:o}", "room_id", api_id(room)));
}
