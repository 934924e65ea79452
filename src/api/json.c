/* Shared helpers of the JSON API: reading input, mapping domain results. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "http/errors.h"
#include "util/diff.h"
#include "util/markdown.h"
#include "util/text.h"

json_t *api_body(struct request *r)
{
	if (!r->json || !json_is_object(r->json)) {
		resp_json_error(r, 400, "invalid_json", "The body must be a JSON object.");
		return NULL;
	}
	return r->json;
}

/* 422 invalid_field (the error table's D_INVALID) naming the field. */
static void field_error(struct request *r, const char *key, const char *what)
{
	const struct http_error *x = derr_error(D_INVALID);
	char msg[200];

	snprintf(msg, sizeof msg, "Field '%.60s' %s.", key, what);
	resp_json(r, x->status, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", x->code,
					  "message", msg, "field", key));
}

int api_str(struct request *r, json_t *o, const char *key, int required, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		field_error(r, key, "is required");
		return -1;
	}
	if (!json_is_string(v)) {
		field_error(r, key, "must be a string");
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		field_error(r, key, "must not contain NUL characters");
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int api_str_list(struct request *r, json_t *o, const char *key, const char **out, int max)
{
	json_t *v = json_object_get(o, key), *e;
	size_t i;

	if (!v)
		return -2;
	if (!json_is_array(v)) {
		field_error(r, key, "must be a list of strings");
		return -1;
	}
	if (json_array_size(v) > (size_t)max) {
		field_error(r, key, "has too many items");
		return -1;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
			field_error(r, key, "must be a list of strings");
			return -1;
		}
		out[i] = json_string_value(e);
	}
	return (int)json_array_size(v);
}

/* Status, code and message from the error table (http/errors.c); a bad
 * field also names the field. */
void api_derr(struct request *r, enum derr e, const char *field)
{
	const struct http_error *x = derr_error(e);

	if (e == D_OK)
		return;
	if (e == D_INVALID) {
		field_error(r, field ? field : "body", "is invalid (wrong format, empty or too long)");
		return;
	}
	if (e == D_THROTTLED) /* login throttling: 15 minutes */
		resp_header(r, "Retry-After", "900");
	resp_json_error(r, x->status, x->code, x->message);
}

json_t *api_id(int64_t id)
{
	return json_integer(id);
}

int64_t api_id_of(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : -1;
	if (json_is_string(v))
		return parse_id(json_string_value(v));
	return -1;
}

json_t *api_safe_html(struct safe_html h)
{
	return json_string(h.html ? h.html : "");
}

json_t *api_body_html(struct arena *a, const char *md)
{
	return api_safe_html(markdown_render(a, md));
}

json_t *api_profile(const struct profile *p)
{
	json_t *o = json_object(), *lists[TAG_KINDS];
	static const char *const names[TAG_KINDS] = { "subjects", "levels", "interests" };
	char avatar[64];

	if (!o)
		return NULL;
	json_object_set_new(o, "id", api_id(p->id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "handle", json_string(p->handle));
	if (p->email)
		json_object_set_new(o, "email", json_string(p->email));
	json_object_set_new(o, "role", json_string(p->role));
	json_object_set_new(o, "bio", json_string(p->bio));
	json_object_set_new(o, "academy", json_string(p->academy));
	json_object_set_new(o, "school", json_string(p->school));
	/* the directory's school: to others only when the member shows it */
	json_object_set_new(o, "school_uai", p->school_uai && (p->email || p->show_school) ? json_string(p->school_uai)
											  : json_null());
	for (int k = 0; k < TAG_KINDS; k++) {
		lists[k] = json_array();
		for (int i = 0; i < p->ntags[k]; i++)
			json_array_append_new(lists[k], json_string(p->tags[k][i]));
		json_object_set_new(o, names[k], lists[k]);
	}
	snprintf(avatar, sizeof avatar, "/api/v1/users/%lld/avatar", (long long)p->id);
	json_object_set_new(o, "avatar_url", p->has_avatar ? json_string(avatar) : json_null());
	if (p->email) {
		json_object_set_new(o, "lang", json_string(p->lang));
		json_object_set_new(o, "is_admin", json_boolean(p->admin));
		json_object_set_new(o, "allow_follow", json_boolean(p->allow_follow));
		json_object_set_new(o, "show_school", json_boolean(p->show_school));
		json_object_set_new(o, "default_licence", json_string(p->default_licence ? p->default_licence : "CC-BY-SA"));
	}
	json_object_set_new(o, "created_at", json_integer(p->created_at));
	return o;
}

void api_no_content(struct request *r)
{
	r->status = 204;
	r->content_type = NULL;
	buf_reset(&r->out);
}

void api_not_found(struct request *r)
{
	resp_json_error(r, HTTP_E_NOT_FOUND.status, HTTP_E_NOT_FOUND.code, HTTP_E_NOT_FOUND.message);
}

void api_answer_diff(struct request *r, int64_t from, int64_t to, const char *from_title, const char *from_body,
		     const char *to_title, const char *to_body)
{
	static const char *const ops[] = { "same", "add", "del" };
	struct diff_line *lines;
	int n = diff_lines(r->arena, from_body, to_body, &lines);
	json_t *items;

	if (n < 0) {
		resp_json_error(r, 422, "too_large_to_compare", "These revisions are too long to compare.");
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s}", "op", ops[lines[i].op], "text", lines[i].text));
	resp_json(r, 200, json_pack("{s:I,s:I,s:s,s:s,s:o}", "from", (json_int_t)from, "to", (json_int_t)to,
				    "from_title", from_title, "to_title", to_title, "lines", items));
}
