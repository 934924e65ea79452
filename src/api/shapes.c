/* JSON shapes shared by the social handlers. */
#include "api/social.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/text.h"

json_t *api_person(int64_t id, const char *name, const char *handle)
{
	if (!id)
		return json_null();
	return json_pack("{s:o,s:s,s:s}", "id", api_id(id), "name", name ? name : "", "handle",
			 handle ? handle : "");
}

json_t *api_post(struct arena *a, const struct post *p, int with_body)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", api_id(p->ref.id));
	json_object_set_new(o, "kind", json_string(p->kind));
	json_object_set_new(o, "title", json_string(p->title));
	if (with_body) {
		json_object_set_new(o, "body", json_string(p->body));
		json_object_set_new(o, "body_html", api_body_html(a, p->body));
	}
	json_object_set_new(o, "author", api_person(p->ref.author_id, p->author_name, p->author_handle));
	json_object_set_new(o, "visibility", json_string(p->ref.visibility));
	json_object_set_new(o, "group_id", p->ref.group_id ? api_id(p->ref.group_id) : json_null());
	json_object_set_new(o, "group", p->ref.group_id ?
			    json_pack("{s:o,s:s}", "id", api_id(p->ref.group_id), "name", p->group_name) : json_null());
	json_object_set_new(o, "created_at", json_integer(p->created_at));
	json_object_set_new(o, "updated_at", json_integer(p->updated_at));
	json_object_set_new(o, "last_activity_at", json_integer(p->last_activity_at));
	json_object_set_new(o, "reply_count", json_integer(p->reply_count));
	json_object_set_new(o, "useful_count", json_integer(p->useful_count));
	json_object_set_new(o, "revision", json_integer(p->revision));
	json_object_set_new(o, "hidden", json_boolean(p->ref.hidden));
	if (with_body) {
		json_object_set_new(o, "useful_by_me", json_boolean(p->useful_by_me));
		json_object_set_new(o, "may_edit", json_boolean(p->may_edit));
		json_object_set_new(o, "may_moderate", json_boolean(p->may_moderate));
	}
	return o;
}

json_t *api_reply(struct arena *a, const struct reply *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", api_id(x->id));
	json_object_set_new(o, "post_id", api_id(x->post_id));
	json_object_set_new(o, "author", api_person(x->author_id, x->author_name, x->author_handle));
	json_object_set_new(o, "body", json_string(x->body));
	json_object_set_new(o, "body_html", api_body_html(a, x->body));
	json_object_set_new(o, "quote", x->quote_id && x->quote_body ?
			    json_pack("{s:o,s:s,s:s}", "id", api_id(x->quote_id), "author_name",
				      x->quote_author ? x->quote_author : "", "body", x->quote_body) : json_null());
	json_object_set_new(o, "created_at", json_integer(x->created_at));
	json_object_set_new(o, "updated_at", json_integer(x->updated_at));
	json_object_set_new(o, "hidden", json_boolean(x->hidden));
	json_object_set_new(o, "may_edit", json_boolean(x->may_edit));
	return o;
}

/* "a, b" -> ["a", "b"] */
static json_t *comma_list(const char *s)
{
	json_t *a = json_array();
	const char *p = s;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n && *p == ' ') { p++; n--; }
		while (n && p[n - 1] == ' ')
			n--;
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p = e ? e + 1 : NULL;
	}
	return a;
}

json_t *api_group(const struct group *g)
{
	static const char *const roles[] = { NULL, "invited", "requested", "member", "moderator", "owner" };

	return json_pack("{s:o,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:o,s:I,s:I}",
			 "id", api_id(g->id), "name", g->name, "description", g->description, "kind", g->kind,
			 "visibility", g->visibility, "allowed_academies", comma_list(g->allowed_academies),
			 "allowed_domains", comma_list(g->allowed_domains), "member_count",
			 (json_int_t)g->member_count, "my_role",
			 roles[g->my_role] ? json_string(roles[g->my_role]) : json_null(),
			 "created_at", (json_int_t)g->created_at, "last_activity_at",
			 (json_int_t)g->last_activity_at);
}

void api_list(struct request *r, json_t *items, int64_t next)
{
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
				    next ? json_sprintf("%lld", (long long)next) : json_null()));
}

int64_t api_cursor(struct request *r)
{
	const char *c = req_query(r, "cursor");
	int64_t v;

	if (!c || !*c)
		return 0;
	v = parse_id(c);
	if (v < 0)
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
	return v;
}

void api_derr_code(struct request *r, enum derr e, const char *field, const char *conflict_code,
		   const char *conflict_message)
{
	if (e == D_CONFLICT && conflict_code)
		resp_json_error(r, 409, conflict_code, conflict_message);
	else
		api_derr(r, e, field);
}
