#include "api/admin.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/social.h"
#include "domain/admin.h"
#include "domain/settings.h"
#include "util/text.h"

static json_t *api_admin_member(const struct admin_member *m)
{
	return json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:s,s:i}", "id", api_id(m->id), "name", m->name,
			 "email", m->email, "handle", m->handle, "status", m->status, "role", m->role, "academy",
			 m->academy, "adviser_academy", m->adviser_academy ? json_string(m->adviser_academy) : json_null(),
			 "created_at", (json_int_t)m->created_at,
			 "last_seen_at", m->last_seen_at ? json_integer(m->last_seen_at) : json_null(),
			 "suspended_at", m->suspended_at ? json_integer(m->suspended_at) : json_null(),
			 "suspend_reason", m->suspend_reason, "sessions", m->sessions);
}

/* A day count of the query (0 when absent); -1 after answering 422. */
static int query_days(struct request *r, const char *name)
{
	const char *v = req_query(r, name);
	int64_t n;

	if (!v || !*v)
		return 0;
	n = parse_id(v);
	if (n < 1 || n > 3650) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    "A number of days from 1 to 3650.", "field", name));
		return -1;
	}
	return (int)n;
}

void api_admin_members(struct request *r)
{
	struct member_filter f = { 0 };
	struct admin_member *rows;
	const char *field;
	int64_t next;
	int n;
	enum derr e;

	f.q = req_query(r, "q");
	f.status = req_query(r, "status");
	f.role = req_query(r, "role");
	f.academy = req_query(r, "academy");
	if ((f.seen_within = query_days(r, "seen_within")) < 0 || (f.unseen_for = query_days(r, "unseen_for")) < 0 ||
	    (f.before = api_cursor(r)) < 0)
		return;
	e = admin_members(&r->dc, &r->me, &f, &rows, &n, &next, &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	api_answer_rows(r, n, rows, api_admin_member, next);
}

void api_admin_member_get(struct request *r)
{
	struct admin_member m;
	enum derr e = admin_member_get(&r->dc, &r->me, req_param_id(r, 0), &m);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, api_admin_member(&m));
}

/* After an action on a member: the member as it is now. */
static void answer_member(struct request *r, enum derr e, const char *field, const char *conflict)
{
	struct admin_member m;

	if (e == D_CONFLICT) {
		resp_json_error(r, 409, conflict, "The member is already in that state.");
		return;
	}
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "forbidden_self", "An admin cannot do this to their own account.");
		return;
	}
	if (e == D_OK)
		e = admin_member_get(&r->dc, &r->me, req_param_id(r, 0), &m);
	if (e != D_OK)
		api_derr(r, e, field);
	else
		resp_json(r, 200, api_admin_member(&m));
}

static void suspend_or_reactivate(struct request *r, int suspend)
{
	json_t *body = api_body(r);
	const char *reason, *field = NULL;
	enum derr e;

	if (!body || api_str(r, body, "reason", 1, &reason) < 0)
		return;
	e = suspend ? admin_suspend(&r->dc, &r->me, req_param_id(r, 0), reason, &field)
		    : admin_reactivate(&r->dc, &r->me, req_param_id(r, 0), reason, &field);
	answer_member(r, e, field, suspend ? "already_suspended" : "not_suspended");
}

void api_admin_member_suspend(struct request *r) { suspend_or_reactivate(r, 1); }
void api_admin_member_reactivate(struct request *r) { suspend_or_reactivate(r, 0); }

void api_admin_member_role(struct request *r)
{
	json_t *body = api_body(r);
	const char *role, *academy, *reason, *field = NULL;
	enum derr e;

	if (!body || api_str(r, body, "role", 1, &role) < 0 || api_str(r, body, "academy", 0, &academy) < 0 ||
	    api_str(r, body, "reason", 1, &reason) < 0)
		return;
	e = admin_set_role(&r->dc, &r->me, req_param_id(r, 0), role, academy, reason, &field);
	answer_member(r, e, field, "same_role");
}

static json_t *api_audit_entry(const struct admin_audit *a)
{
	return json_pack("{s:o,s:I,s:s,s:o,s:o,s:o,s:o,s:s}", "id", api_id(a->id), "created_at", (json_int_t)a->created_at,
			 "action", a->action,
			 "actor", a->actor_id ? json_pack("{s:o,s:s}", "id", api_id(a->actor_id), "name", a->actor_name)
					      : json_null(),
			 "target", a->target_user_id ? json_pack("{s:o,s:s}", "id", api_id(a->target_user_id), "name",
								 a->target_name) : json_null(),
			 "item", a->item_kind[0] ? json_pack("{s:s,s:o}", "kind", a->item_kind, "id",
							     a->item_id ? api_id(a->item_id) : json_null())
						 : a->post_id ? json_pack("{s:s,s:o}", "kind", a->reply_id ? "reply" : "post",
									  "id", api_id(a->reply_id ? a->reply_id : a->post_id))
							      : json_null(),
			 "group_id", a->group_id ? api_id(a->group_id) : json_null(), "reason", a->detail);
}

void api_admin_audit(struct request *r)
{
	struct audit_filter f = { 0 };
	struct admin_audit *rows;
	const char *actor = req_query(r, "actor"), *target = req_query(r, "target");
	int64_t next;
	int n;
	enum derr e;

	f.action = req_query(r, "action");
	f.actor = actor && *actor ? parse_id(actor) : 0;
	f.target = target && *target ? parse_id(target) : 0;
	if (f.actor < 0 || f.target < 0) {
		api_derr(r, D_INVALID, f.actor < 0 ? "actor" : "target");
		return;
	}
	if ((f.before = api_cursor(r)) < 0)
		return;
	e = admin_audit_list(&r->dc, &r->me, &f, &rows, &n, &next);
	if (e != D_OK) {
		api_derr(r, e, "action");
		return;
	}
	api_answer_rows(r, n, rows, api_audit_entry, next);
}

/* ---- settings ---- */

static json_t *setting_json(const struct setting_value *x)
{
	if (x->kind == SK_LIST) {
		json_t *a = json_array();
		const char *p = x->value;

		while (p && *p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			json_array_append_new(a, json_stringn(p, len));
			p = bar ? bar + 1 : NULL;
		}
		return a;
	}
	if (x->kind == SK_SIZE)
		return json_integer(strtoll(x->value, NULL, 10));
	return json_string(x->value);
}

static void answer_settings(struct request *r)
{
	struct setting_value *xs;
	json_t *o, *over;
	int64_t gen;
	int n;
	enum derr e = admin_settings_get(&r->dc, &r->me, &xs, &n, &gen);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	o = json_object();
	over = json_array();
	for (int i = 0; i < n; i++) {
		json_object_set_new(o, xs[i].key, setting_json(&xs[i]));
		if (xs[i].stored)
			json_array_append_new(over, json_string(xs[i].key));
	}
	json_object_set_new(o, "overridden", over);
	json_object_set_new(o, "generation", json_integer(gen));
	resp_json(r, 200, o);
}

void api_admin_settings_get(struct request *r)
{
	answer_settings(r);
}

void api_admin_settings_patch(struct request *r)
{
	json_t *body = api_body(r), *v;
	const char *key, *reason = NULL;
	const char **keys, **vals;
	int n = 0;
	enum derr e;

	if (!body || api_str(r, body, "reason", 0, &reason) < 0)
		return;
	keys = arena_alloc(r->arena, sizeof *keys * (json_object_size(body) + 1));
	vals = arena_alloc(r->arena, sizeof *vals * (json_object_size(body) + 1));
	if (!keys || !vals) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	json_object_foreach(body, key, v) {
		const struct setting_def *d = settings_def(key);
		const char *text = NULL, *stored = NULL, *why = "invalid";
		const char *items[200];
		int nitems = 0;
		char num[32];

		if (!strcmp(key, "reason"))
			continue;
		if (!d) {
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_setting", "message",
						    "This setting does not exist.", "field", key));
			return;
		}
		if (!json_is_null(v)) {
			if (d->kind == SK_LIST) {
				nitems = api_str_list(r, body, key, items, 200);
				if (nitems < 0)
					return;
			} else if (d->kind == SK_SIZE && json_is_integer(v)) {
				snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
				text = num;
			} else if (api_str(r, body, key, 1, &text) < 0) {
				return;
			}
			e = settings_normalize(&r->dc, d, d->kind == SK_LIST ? items : NULL, nitems, text, &stored, &why);
			if (e != D_OK) {
				if (e == D_INVALID)
					resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field",
								    "message", why, "field", key));
				else
					api_derr(r, e, key);
				return;
			}
		}
		keys[n] = d->key;
		vals[n++] = stored;
	}
	e = admin_settings_set(&r->dc, &r->me, keys, vals, n, reason);
	if (e != D_OK) {
		api_derr(r, e, "reason");
		return;
	}
	/* the answer reads the settings as they now are */
	answer_settings(r);
}

/* ---- moderation ---- */

static json_t *api_mod_item(const struct mod_item *x)
{
	return json_pack("{s:s,s:o,s:s,s:o,s:I,s:b,s:o,s:o,s:o,s:I,s:o,s:s}", "kind", x->kind, "id", api_id(x->id),
			 "excerpt", x->excerpt,
			 "author", x->author_id ? json_pack("{s:o,s:s}", "id", api_id(x->author_id), "name", x->author_name)
						: json_null(),
			 "created_at", (json_int_t)x->created_at, "hidden", x->hidden_at != 0,
			 "hidden_at", x->hidden_at ? json_integer(x->hidden_at) : json_null(),
			 "hidden_by", x->hidden_by_name ? json_string(x->hidden_by_name) : json_null(),
			 "hidden_reason", x->hidden_reason ? json_string(x->hidden_reason) : json_null(),
			 "reports", (json_int_t)x->reports,
			 "report_reason", x->reports ? json_string(x->report_reason) : json_null(), "link", x->link);
}

void api_admin_moderation(struct request *r)
{
	struct mod_filter f = { 0 };
	struct mod_item *rows;
	const char *next, *field;
	json_t *items;
	int n;
	enum derr e;

	f.kind = req_query(r, "kind");
	f.state = req_query(r, "state");
	f.cursor = req_query(r, "cursor");
	e = admin_moderation(&r->dc, &r->me, &f, &rows, &n, &next, &field);
	if (e == D_INVALID && field && !strcmp(field, "cursor")) {
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_mod_item(&rows[i]));
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next", next ? json_string(next) : json_null()));
}

static const char *result_code(enum derr e)
{
	switch (e) {
	case D_OK: return "ok";
	case D_NOT_FOUND: return "not_found";
	case D_CONFLICT: return "unchanged";
	case D_FORBIDDEN: return "forbidden";
	default: return "failed";
	}
}

void api_admin_moderation_bulk(struct request *r)
{
	json_t *body = api_body(r), *list, *e, *out;
	const char *action, *reason, *field = NULL;
	struct mod_ref *items;
	enum derr *results, rc;
	size_t i, n;

	if (!body || api_str(r, body, "action", 1, &action) < 0 || api_str(r, body, "reason", 0, &reason) < 0)
		return;
	list = json_object_get(body, "items");
	if (!json_is_array(list) || !(n = json_array_size(list)) || n > ADMIN_BULK_MAX) {
		api_derr(r, D_INVALID, "items");
		return;
	}
	items = arena_alloc(r->arena, sizeof *items * n);
	results = arena_alloc(r->arena, sizeof *results * n);
	if (!items || !results) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	json_array_foreach(list, i, e) {
		json_t *k = json_object_get(e, "kind");

		items[i].kind = json_is_string(k) ? json_string_value(k) : NULL;
		items[i].id = api_id_of(json_object_get(e, "id"));
	}
	rc = admin_moderate_bulk(&r->dc, &r->me, action, items, (int)n, reason, results, &field);
	if (rc != D_OK) {
		api_derr(r, rc, field);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s,s:o,s:s}", "kind", items[i].kind, "id", api_id(items[i].id),
						     "result", result_code(results[i])));
	resp_json(r, 200, json_pack("{s:o}", "results", out));
}

void api_admin_post_flags(struct request *r)
{
	json_t *body = api_body(r), *p, *l;
	const char *reason, *field = NULL;
	int pinned = -1, locked = -1, now_pinned = 0, now_locked = 0;
	enum derr e;

	if (!body || api_str(r, body, "reason", 0, &reason) < 0)
		return;
	p = json_object_get(body, "pinned");
	l = json_object_get(body, "locked");
	if ((p && !json_is_boolean(p)) || (l && !json_is_boolean(l))) {
		api_derr(r, D_INVALID, p && !json_is_boolean(p) ? "pinned" : "locked");
		return;
	}
	if (p)
		pinned = json_is_true(p);
	if (l)
		locked = json_is_true(l);
	e = admin_discussion_flags(&r->dc, &r->me, req_param_id(r, 0), pinned, locked, reason, &now_pinned, &now_locked,
				   &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	resp_json(r, 200, json_pack("{s:o,s:b,s:b}", "id", api_id(req_param_id(r, 0)), "pinned", now_pinned, "locked",
				    now_locked));
}
