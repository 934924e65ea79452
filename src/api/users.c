/* /api/v1 me and users: profiles, avatars, the colleague directory. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/contacts.h"
#include "domain/picker.h"
#include "util/text.h"

void api_me_get(struct request *r)
{
	struct profile p;
	enum derr e = profile_get_account(&r->dc, &r->me, &p);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, api_profile(&p));
}

/* PATCH /me: name, bio, role, subjects, levels, academy, school, interests, lang, default_licence,
 * allow_follow, school_uai (a UAI of the directory, or null for none), show_school */
void api_me_patch(struct request *r)
{
	static const char *const scalars[] = { "name", "role", "bio", "academy", "school", "lang",
					       "default_licence" };
	static const char *const lists[TAG_KINDS] = { "subjects", "levels", "interests" };
	static const char *const allowed[] = { "name", "role", "bio", "academy", "school", "lang",
					       "default_licence", "subjects", "levels", "interests", "allow_follow",
					       "school_uai", "show_school" };
	json_t *o = api_body(r), *v;
	struct profile_patch p = { 0 };
	const char *vals[7], *field = NULL, *key;
	enum derr e;

	if (!o)
		return;
	json_object_foreach(o, key, v) {
		int known = 0;

		for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
			known |= !strcmp(key, allowed[i]);
		if (!known) {
			char msg[120];

			snprintf(msg, sizeof msg, "Unknown field '%.60s'.", key);
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field",
						    "message", msg, "field", key));
			return;
		}
	}
	for (int i = 0; i < 7; i++)
		if (api_str(r, o, scalars[i], 0, &vals[i]))
			return;
	p.name = vals[0];
	p.role = vals[1];
	p.bio = vals[2];
	p.academy = vals[3];
	p.school = vals[4];
	p.lang = vals[5];
	p.default_licence = vals[6];
	for (int k = 0; k < TAG_KINDS; k++) {
		int n = api_str_list(r, o, lists[k], p.tags[k], PROFILE_MAX_TAGS);

		if (n == -1)
			return;
		if (n >= 0) {
			p.set_tags[k] = 1;
			p.ntags[k] = n;
		}
	}
	v = json_object_get(o, "allow_follow");
	if (v) {
		if (!json_is_boolean(v)) {
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
						    "allow_follow must be true or false.", "field", "allow_follow"));
			return;
		}
		p.set_allow_follow = 1;
		p.allow_follow = json_is_true(v);
	}
	v = json_object_get(o, "school_uai");
	if (v) {
		if (!json_is_null(v) && !json_is_string(v)) {
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
						    "school_uai must be a UAI or null.", "field", "school_uai"));
			return;
		}
		p.school_uai = json_is_null(v) ? "" : json_string_value(v);
	}
	v = json_object_get(o, "show_school");
	if (v) {
		if (!json_is_boolean(v)) {
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
						    "show_school must be true or false.", "field", "show_school"));
			return;
		}
		p.set_show_school = 1;
		p.show_school = json_is_true(v);
	}
	e = profile_update(&r->dc, &r->me, &p, &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	api_me_get(r);
}

/* PUT /me/avatar (multipart, field "avatar") */
void api_me_avatar_put(struct request *r)
{
	struct upload *u = req_upload(r, "avatar");
	enum derr e;

	if (!u || u->size == 0) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field",
					    "message", "Send an image in the multipart field 'avatar'.",
					    "field", "avatar"));
		return;
	}
	e = u->too_large ? D_TOO_LARGE : profile_set_avatar(&r->dc, &r->me, u->path);
	if (e == D_INVALID) {
		char msg[120];

		snprintf(msg, sizeof msg, "The image is wider or taller than %u pixels.", r->dc.cfg->max_avatar_side);
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "image_too_large",
					    "message", msg, "field", "avatar"));
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, "avatar");
		return;
	}
	api_me_get(r);
}

void api_me_avatar_delete(struct request *r)
{
	enum derr e = profile_remove_avatar(&r->dc, &r->me);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

/* GET /users/{id:int} */
void api_users_get(struct request *r)
{
	struct profile p;
	int64_t id = req_param_id(r, 0);
	enum derr e = profile_get(&r->dc, &r->me, id, &p);
	json_t *o;

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	o = api_profile(&p);
	if (p.id != r->me.id) {
		static const char *const states[] = { "none", "requested", "pending_my_answer", "accepted" };

		json_object_set_new(o, "contact", json_string(states[contact_state_with(&r->dc, &r->me, p.id)]));
		json_object_set_new(o, "following", json_boolean(is_following(&r->dc, &r->me, p.id)));
	}
	resp_json(r, 200, o);
}

/* GET /users/{id:int}/avatar (API and pages) */
void api_users_avatar(struct request *r)
{
	const char *path, *mime;
	int64_t id = req_param_id(r, 0);
	enum derr e = profile_avatar(&r->dc, &r->me, id, &path, &mime);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_file(r, path, mime);
	resp_header(r, "Cache-Control", "private, max-age=300");
	resp_header(r, "Content-Disposition", "inline; filename=\"avatar\"");
}

static int query_ok(struct request *r, const char *name, const char **out)
{
	const char *v = req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!text_ok(v, 0) || strlen(v) > 200) {
		char msg[100];

		snprintf(msg, sizeof msg, "Parameter '%s' is invalid.", name);
		resp_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_parameter",
					    "message", msg, "field", name));
		return -1;
	}
	*out = v;
	return 0;
}

/* GET /users?q=&subject=&level=&interest=&academy=&school=&role=&cursor=&limit= */
void api_users_list(struct request *r)
{
	struct user_filter f = { 0 };
	struct profile *ps;
	const char *cursor, *limit;
	int64_t next;
	int n;

	if (query_ok(r, "q", &f.q) || query_ok(r, "subject", &f.subject) ||
	    query_ok(r, "academy", &f.academy) || query_ok(r, "level", &f.level) ||
	    query_ok(r, "interest", &f.interest) || query_ok(r, "school", &f.school) ||
	    query_ok(r, "role", &f.role) || query_ok(r, "cursor", &cursor) ||
	    query_ok(r, "limit", &limit))
		return;
	if (cursor && (f.after = parse_id(cursor)) < 0) {
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
		return;
	}
	f.limit = 20;
	if (limit) {
		int64_t l = parse_id(limit);

		if (l < 1 || l > 100) {
			resp_json_error(r, 400, "invalid_parameter", "limit must be between 1 and 100.");
			return;
		}
		f.limit = (int)l;
	}
	n = users_find(&r->dc, &r->me, &f, &ps, &next);
	api_answer_rows(r, n, ps, api_profile, next);
}

/* GET /api/v1/users/suggest?q=&limit=: the people picker's suggestions,
 * members whose name holds the words (domain/picker.h), by name. */
void api_users_suggest(struct request *r)
{
	const char *q = req_query(r, "q"), *lim = req_query(r, "limit");
	struct picked *ps;
	json_t *items;
	int n, limit = PICKER_LIMIT;

	if (q && (strlen(q) > PICKER_LABEL_MAX || !text_ok(q, 0))) {
		resp_json_error(r, 400, "invalid_query", "q is at most 300 bytes of text.");
		return;
	}
	if (lim) {
		int64_t l = parse_id(lim);

		if (l < 1 || l > 20) {
			resp_json_error(r, 400, "invalid_parameter", "limit must be between 1 and 20.");
			return;
		}
		limit = (int)l;
	}
	n = picker_suggest(&r->dc, &r->me, q, limit, &ps);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:s,s:s,s:s,s:s}", "id", api_id(ps[i].id), "name", ps[i].name,
						       "handle", ps[i].handle, "academy", ps[i].academy, "label",
						       ps[i].label));
	resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}
