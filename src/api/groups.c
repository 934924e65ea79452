/* /api/v1 contacts, follows and groups. */
#include "api/social.h"
#include "util/text.h"

#include <string.h>

#include "api/api.h"
#include "domain/contacts.h"

/* ---- contacts ------------------------------------------------------------ */

static int64_t body_user_id(struct request *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	int64_t id = v ? api_id_of(v) : -1;

	if (id <= 0)
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    "Give the id of a member.", "field", key));
	return id;
}

void api_contacts_create(struct request *r)
{
	json_t *o = api_body(r);
	int64_t user;
	int accepted;
	enum derr e;

	if (!o || (user = body_user_id(r, o, "user_id")) <= 0)
		return;
	e = contact_request(&r->dc, &r->me, user, &accepted);
	if (e == D_INVALID) {
		resp_json_error(r, 422, "cannot_contact_self", "You cannot be your own contact.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, "user_id", "already_requested", "A request exists or you are already contacts.");
		return;
	}
	resp_json(r, accepted ? 200 : 201, json_pack("{s:o,s:s}", "user_id", api_id(user), "state",
						     accepted ? "accepted" : "requested"));
}

void api_contacts_accept(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	enum derr e = contact_accept(&r->dc, &r->me, user);

	if (e != D_OK) {
		api_derr_code(r, e, NULL, "already_contacts", "You are already contacts.");
		return;
	}
	resp_json(r, 200, json_pack("{s:o,s:s}", "user_id", api_id(user), "state", "accepted"));
}

void api_contacts_delete(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	enum derr e = contact_remove(&r->dc, &r->me, user);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

static void people(struct request *r, int n, struct profile *ps)
{
	api_answer_rows(r, n, ps, api_profile, 0);
}

void api_contacts_list(struct request *r)
{
	struct profile *ps = NULL;
	int n = contacts_list(&r->dc, &r->me, &ps);

	people(r, n, ps);
}

void api_contacts_requests(struct request *r)
{
	struct profile *ps = NULL;
	const char *dir = req_query(r, "direction");
	int n = contact_requests(&r->dc, &r->me, !dir || strcmp(dir, "sent"), &ps);

	people(r, n, ps);
}

void api_follow(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	enum derr e = follow(&r->dc, &r->me, user);

	if (e == D_INVALID)
		resp_json_error(r, 422, "cannot_follow_self", "You cannot follow yourself.");
	else if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "follow_not_allowed", "This member does not accept followers.");
	else if (e != D_OK)
		api_derr_code(r, e, NULL, "already_following", "You already follow this member.");
	else
		resp_json(r, 201, json_pack("{s:o,s:b}", "user_id", api_id(user), "following", 1));
}

void api_unfollow(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	enum derr e = unfollow(&r->dc, &r->me, user);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

/* ---- groups -------------------------------------------------------------- */

/* Reads a string or a list of strings as a comma-separated value. */
static int criteria(struct request *r, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key), *e;
	struct buf b = BUF_INIT;
	size_t i;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return api_str(r, o, key, 0, out);
	if (!json_is_array(v) || json_array_size(v) > 50)
		goto bad;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || strchr(json_string_value(e), ','))
			goto bad;
		buf_printf(&b, "%s%s", i ? "," : "", json_string_value(e));
	}
	*out = arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return 0;
bad:
	buf_free(&b);
	resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
				    "Give a list of strings.", "field", key));
	return -1;
}

static int group_input(struct request *r, json_t *o, struct group_input *in, int creating)
{
	memset(in, 0, sizeof *in);
	return api_str(r, o, "name", creating, &in->name) || api_str(r, o, "description", 0, &in->description) ||
	       api_str(r, o, "kind", creating, &in->kind) ||
	       api_str(r, o, "visibility", creating, &in->visibility) ||
	       criteria(r, o, "allowed_academies", &in->allowed_academies) ||
	       criteria(r, o, "allowed_domains", &in->allowed_domains) ? -1 : 0;
}

static void answer_group(struct request *r, int status, int64_t id)
{
	struct group g;
	enum derr e = group_get(&r->dc, &r->me, id, &g);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, status, api_group(&g));
}

void api_groups_create(struct request *r)
{
	json_t *o = api_body(r);
	struct group_input in;
	const char *field = NULL;
	int64_t id;
	enum derr e;

	if (!o || group_input(r, o, &in, 1) < 0)
		return;
	e = group_create(&r->dc, &r->me, &in, &id, &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	answer_group(r, 201, id);
}

void api_groups_list(struct request *r)
{
	struct group_filter f = { 0 };
	struct group *gs;
	int64_t next;
	int n;
	const char *mine = req_query(r, "mine");

	if ((f.after = api_cursor(r)) < 0)
		return;
	f.kind = req_query(r, "kind");
	if (f.kind && !*f.kind)
		f.kind = NULL;
	if (f.kind && !text_one_of(f.kind, group_kinds)) {
		resp_json_error(r, 400, "invalid_parameter", "kind is resources, practice, training or project.");
		return;
	}
	f.mine = mine && (!strcmp(mine, "1") || !strcmp(mine, "true"));
	f.limit = 30;
	n = groups_list(&r->dc, &r->me, &f, &gs, &next);
	api_answer_rows(r, n, gs, api_group, next);
}

void api_groups_get(struct request *r)
{
	answer_group(r, 200, req_param_id(r, 0));
}

void api_groups_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct group_input in;
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || group_input(r, o, &in, 0) < 0)
		return;
	e = group_update(&r->dc, &r->me, id, &in, &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	answer_group(r, 200, id);
}

void api_groups_members(struct request *r)
{
	static const char *const roles[] = { NULL, "invited", "requested", "member", "moderator", "owner" };
	struct group_member *ms;
	const char *state = req_query(r, "state");
	int64_t id = req_param_id(r, 0);
	int pending = state && !strcmp(state, "pending");
	int n = group_members(&r->dc, &r->me, id, pending, &ms);
	json_t *items;

	(void)roles;
	if (n == -2) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	if (n == -3) {
		api_derr(r, D_FORBIDDEN, NULL);
		return;
	}
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, ms[i].email
			? json_pack("{s:n,s:s,s:s,s:s,s:I}", "user", "email", ms[i].email, "role", ms[i].role,
				    "state", ms[i].state, "since", (json_int_t)ms[i].since)
			: json_pack("{s:o,s:s,s:s,s:I}", "user", api_profile(&ms[i].who), "role", ms[i].role,
				    "state", ms[i].state, "since", (json_int_t)ms[i].since));
	api_list(r, items, 0);
}

void api_groups_join(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	const char *state = NULL;
	enum derr e = group_join(&r->dc, &r->me, id, &state);

	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "not_eligible", "This group is limited to some academies or addresses.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, NULL, "already_member", "You are already a member or have asked to join.");
		return;
	}
	resp_json(r, !strcmp(state, "member") ? 200 : 202, json_pack("{s:s}", "state", state));
}

void api_groups_leave(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = group_leave(&r->dc, &r->me, id);

	if (e != D_OK) {
		struct group g;

		if (e == D_CONFLICT && group_get(&r->dc, &r->me, id, &g) == D_OK && g.my_role == GR_OWNER)
			resp_json_error(r, 409, "last_owner", "Give the ownership to another member first.");
		else
			api_derr_code(r, e, NULL, "not_member", "You are not a member of this group.");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "state", "left"));
}

void api_groups_invite(struct request *r)
{
	json_t *o = api_body(r), *uid;
	const char *email = NULL, *state = NULL;
	int64_t id = req_param_id(r, 0), user = 0;
	enum derr e;

	if (!o)
		return;
	uid = json_object_get(o, "user_id");
	if (uid && (user = api_id_of(uid)) <= 0) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    "Give the id of a member.", "field", "user_id"));
		return;
	}
	if (!uid && api_str(r, o, "email", 1, &email))
		return;
	e = group_invite(&r->dc, &r->me, id, user, email, &state);
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "not_moderator", "Only the group's owners and moderators invite.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, user ? "user_id" : "email", "already_invited",
			      "This person is already a member or invited.");
		return;
	}
	resp_json(r, 201, json_pack("{s:s}", "state", state));
}

void api_groups_accept_request(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e = group_accept_request(&r->dc, &r->me, id, user);

	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "not_moderator", "Only the group's owners and moderators accept requests.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, NULL, "already_member", "This member is already in the group.");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "state", "member"));
}

void api_groups_refuse_request(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e = group_refuse_request(&r->dc, &r->me, id, user);

	if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "not_moderator", "Only the group's owners and moderators refuse requests.");
	else if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

void api_groups_set_role(struct request *r)
{
	json_t *o = api_body(r);
	const char *role;
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e;

	if (!o || api_str(r, o, "role", 1, &role))
		return;
	e = group_set_role(&r->dc, &r->me, id, user, role);
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "not_owner", "Only the group's owner changes roles.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, "role", "cannot_change_own_role", "Give the ownership to another member.");
		return;
	}
	resp_json(r, 200, json_pack("{s:o,s:s}", "user_id", api_id(user), "role", role));
}

void api_groups_remove_member(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e = group_remove_member(&r->dc, &r->me, id, user);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}
