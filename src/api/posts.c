/* /api/v1 posts, replies, revisions, marks, feed, notifications, moderation. */
#include "api/social.h"

#include <string.h>

#include "api/api.h"
#include "api/documents.h"
#include "util/text.h"

static int post_input(struct request *r, json_t *o, struct post_input *in, int creating)
{
	json_t *g = json_object_get(o, "group_id");

	memset(in, 0, sizeof *in);
	if (api_str(r, o, "kind", creating, &in->kind) || api_str(r, o, "title", creating, &in->title) ||
	    api_str(r, o, "body", creating, &in->body) || api_str(r, o, "visibility", 0, &in->visibility))
		return -1;
	if (g && !json_is_null(g) && (in->group_id = api_id_of(g)) <= 0) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    "group_id must be the id of a group.", "field", "group_id"));
		return -1;
	}
	return 0;
}

static void post_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_NOT_FOUND && field && !strcmp(field, "group_id"))
		resp_json_error(r, 404, "group_not_found", "No such group.");
	else if (e == D_FORBIDDEN && field && !strcmp(field, "group_id"))
		resp_json_error(r, 403, "not_member", "Only the group's members post in it.");
	else if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "forbidden", "Only the author, the group's moderators and admins may do this.");
	else
		api_derr(r, e, field);
}

static void answer_post(struct request *r, int status, int64_t id)
{
	struct post p;
	enum derr e = post_get(&r->dc, &r->me, id, &p);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, status, api_post(r->arena, &p, 1));
}

void api_posts_create(struct request *r)
{
	json_t *o = api_body(r);
	struct post_input in;
	const char *field = NULL;
	int64_t id;
	enum derr e;

	if (!o || post_input(r, o, &in, 1) < 0)
		return;
	e = post_create(&r->dc, &r->me, &in, &id, &field);
	if (e != D_OK) {
		post_error(r, e, field);
		return;
	}
	answer_post(r, 201, id);
}

static void list_posts(struct request *r, struct post_filter *f)
{
	struct post *ps;
	int64_t next;
	json_t *items;
	int n;

	if ((f->before = api_cursor(r)) < 0)
		return;
	f->limit = 20;
	n = posts_list(&r->dc, &r->me, f, &ps, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_post(r->arena, &ps[i], 0));
	api_list(r, items, next);
}

void api_posts_list(struct request *r)
{
	struct post_filter f = { 0 };
	const char *a = req_query(r, "author"), *g = req_query(r, "group"), *k = req_query(r, "kind");

	if ((a && (f.author_id = parse_id(a)) < 0) || (g && (f.group_id = parse_id(g)) < 0)) {
		resp_json_error(r, 400, "invalid_parameter", "author and group are ids.");
		return;
	}
	f.kind = k && *k ? k : NULL;
	if (f.kind && !text_one_of(f.kind, post_kinds)) {
		resp_json_error(r, 400, "invalid_parameter", "kind is discussion, blog or page.");
		return;
	}
	list_posts(r, &f);
}

void api_groups_posts(struct request *r)
{
	struct post_filter f = { 0 };
	struct group g;
	enum derr e;

	f.group_id = req_param_id(r, 0);
	e = group_get(&r->dc, &r->me, f.group_id, &g);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	list_posts(r, &f);
}

void api_posts_get(struct request *r)
{
	answer_post(r, 200, req_param_id(r, 0));
}

void api_posts_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct post_input in;
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || post_input(r, o, &in, 0) < 0)
		return;
	e = post_update(&r->dc, &r->me, id, &in, &field);
	if (e != D_OK) {
		post_error(r, e, field);
		return;
	}
	answer_post(r, 200, id);
}

void api_posts_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = post_delete(&r->dc, &r->me, id);

	if (e != D_OK)
		post_error(r, e, NULL);
	else
		api_no_content(r);
}

static void useful(struct request *r, int on)
{
	int64_t id = req_param_id(r, 0);
	struct post p;
	enum derr e = post_mark_useful(&r->dc, &r->me, id, on);

	if (e == D_OK)
		e = post_get(&r->dc, &r->me, id, &p);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:I,s:b}", "useful_count", (json_int_t)p.useful_count, "useful_by_me",
				    p.useful_by_me));
}

void api_posts_useful_put(struct request *r) { useful(r, 1); }
void api_posts_useful_delete(struct request *r) { useful(r, 0); }

static json_t *revision_json(const struct revision *v, int with_body)
{
	json_t *o = json_pack("{s:I,s:s,s:o,s:I}", "revision", (json_int_t)v->revision, "title", v->title,
			      "author", api_person(v->author_id, v->author_name, NULL), "created_at",
			      (json_int_t)v->created_at);

	if (with_body)
		json_object_set_new(o, "body", json_string(v->body));
	return o;
}

void api_posts_revisions(struct request *r)
{
	struct revision *rv;
	int64_t id = req_param_id(r, 0);
	int n = post_revisions(&r->dc, &r->me, id, &rv);
	json_t *items;

	if (n < 0) {
		api_derr(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, revision_json(&rv[i], 0));
	api_list(r, items, 0);
}

void api_posts_revision(struct request *r)
{
	struct revision rv;
	int64_t id = req_param_id(r, 0), rev = req_param_id(r, 1);
	enum derr e = post_revision_get(&r->dc, &r->me, id, rev, &rv);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, revision_json(&rv, 1));
}

/* GET /posts/{id:int}/diff?from=N&to=M */
void api_posts_diff(struct request *r)
{
	struct revision a, b;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t id = req_param_id(r, 0), f = from ? parse_id(from) : -1, t = to ? parse_id(to) : -1;
	enum derr e;

	if (f <= 0 || t <= 0) {
		resp_json_error(r, 400, "invalid_parameter", "Give the revisions to compare: ?from=N&to=M.");
		return;
	}
	e = post_revision_get(&r->dc, &r->me, id, f, &a);
	if (e == D_OK)
		e = post_revision_get(&r->dc, &r->me, id, t, &b);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	api_answer_diff(r, f, t, a.title, a.body, b.title, b.body);
}

/* ---- replies ---------------------------------------------------------- */

void api_replies_create(struct request *r)
{
	json_t *o = api_body(r), *q;
	const char *body, *field = NULL;
	int64_t post = req_param_id(r, 0), quote = 0, id;
	struct reply x;
	enum derr e;

	if (!o || api_str(r, o, "body", 1, &body))
		return;
	q = json_object_get(o, "quote_id");
	if (q && !json_is_null(q) && (quote = api_id_of(q)) <= 0) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    "quote_id must be the id of a reply of this post.", "field", "quote_id"));
		return;
	}
	e = reply_create(&r->dc, &r->me, post, body, quote, &id, &field);
	if (e == D_OK)
		e = reply_get(&r->dc, &r->me, id, &x, NULL);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	resp_json(r, 201, api_reply(r->arena, &x));
}

void api_replies_list(struct request *r)
{
	struct reply *xs;
	int64_t post = req_param_id(r, 0), next, after = api_cursor(r);
	json_t *items;
	int n;

	if (after < 0)
		return;
	n = replies_list(&r->dc, &r->me, post, after, 50, &xs, &next);
	if (n < 0) {
		api_derr(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_reply(r->arena, &xs[i]));
	api_list(r, items, next);
}

void api_replies_patch(struct request *r)
{
	json_t *o = api_body(r);
	const char *body;
	int64_t id = req_param_id(r, 0);
	struct reply x;
	enum derr e;

	if (!o || api_str(r, o, "body", 1, &body))
		return;
	e = reply_update(&r->dc, &r->me, id, body);
	if (e == D_OK)
		e = reply_get(&r->dc, &r->me, id, &x, NULL);
	if (e != D_OK) {
		post_error(r, e, "body");
		return;
	}
	resp_json(r, 200, api_reply(r->arena, &x));
}

void api_replies_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = reply_delete(&r->dc, &r->me, id);

	if (e != D_OK)
		post_error(r, e, NULL);
	else
		api_no_content(r);
}

/* ---- home ---------------------------------------------------------------- */

void api_feed(struct request *r)
{
	struct activity *as;
	int64_t next, before = api_cursor(r);
	json_t *items;
	int n;

	if (before < 0)
		return;
	n = feed_list(&r->dc, &r->me, before, 20, &as, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++) {
		if (as[i].innovation_id) {
			json_array_append_new(items, json_pack("{s:o,s:s,s:o,s:o,s:{s:o,s:s,s:s,s:s},s:s,s:I}", "id",
							       api_id(as[i].id), "verb", as[i].verb, "actor",
							       api_person(as[i].actor_id, as[i].actor_name, NULL), "post",
							       json_null(), "innovation", "id", api_id(as[i].innovation_id),
							       "title", as[i].innovation_title, "academy",
							       as[i].innovation_academy, "visibility",
							       as[i].innovation_visibility, "excerpt", as[i].excerpt,
							       "created_at", (json_int_t)as[i].created_at));
			continue;
		}
		if (as[i].doc) {
			json_array_append_new(items, json_pack("{s:o,s:s,s:o,s:o,s:o,s:s,s:I}", "id", api_id(as[i].id),
							       "verb", as[i].verb, "actor",
							       api_person(as[i].actor_id, as[i].actor_name, NULL), "post",
							       json_null(), "document", api_document(as[i].doc), "excerpt",
							       as[i].excerpt, "created_at", (json_int_t)as[i].created_at));
			continue;
		}
		json_array_append_new(items, json_pack("{s:o,s:s,s:o,s:o,s:o,s:s,s:I}", "id", api_id(as[i].id),
						       "verb", as[i].verb, "actor",
						       api_person(as[i].actor_id, as[i].actor_name, NULL), "post",
						       api_post(r->arena, &as[i].post, 0), "reply_id",
						       as[i].reply_id ? api_id(as[i].reply_id) : json_null(),
						       "excerpt", as[i].excerpt, "created_at",
						       (json_int_t)as[i].created_at));
	}
	api_list(r, items, next);
}

void api_my_discussions(struct request *r)
{
	struct thread *ts;
	int64_t next_at, next_id, before = 0, before_id = 0;
	const char *cursor = req_query(r, "cursor");
	json_t *items;
	int n;

	if (cursor && *cursor && parse_id_pair(cursor, &before, &before_id) < 0) {
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
		return;
	}
	n = my_discussions(&r->dc, &r->me, before, before_id, 20, &ts, &next_at, &next_id);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *p = api_post(r->arena, &ts[i].p, 0);

		json_object_set_new(p, "unread", json_boolean(ts[i].unread));
		json_array_append_new(items, p);
	}
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
				    next_id ? json_sprintf("%lld-%lld", (long long)next_at, (long long)next_id)
					    : json_null()));
}

void api_notifications(struct request *r)
{
	struct notification *ns;
	int64_t next, before = api_cursor(r);
	json_t *items;
	int n;

	if (before < 0)
		return;
	n = notifications_list(&r->dc, &r->me, before, 30, &ns, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:b}", "id",
						       api_id(ns[i].id), "kind", ns[i].kind, "actor",
						       api_person(ns[i].actor_id, ns[i].actor_name, NULL), "post_id",
						       ns[i].post_id ? api_id(ns[i].post_id) : json_null(), "reply_id",
						       ns[i].reply_id ? api_id(ns[i].reply_id) : json_null(), "group_id",
						       ns[i].group_id ? api_id(ns[i].group_id) : json_null(), "room_id",
						       ns[i].room_id ? api_id(ns[i].room_id) : json_null(), "event_id",
						       ns[i].event_id ? api_id(ns[i].event_id) : json_null(), "title",
						       json_string(ns[i].post_id || ns[i].proposal_id ? ns[i].post_title :
								   ns[i].event_id ? ns[i].event_title : ns[i].group_name),
						       "created_at", (json_int_t)ns[i].created_at, "read", ns[i].read));
	for (int i = 0; i < n; i++)      /* a decision on one's proposal (domain/calls.c) */
		json_object_set_new(json_array_get(items, (size_t)i), "proposal_id",
				    ns[i].proposal_id ? api_id(ns[i].proposal_id) : json_null());
	resp_json(r, 200, json_pack("{s:o,s:o,s:I}", "items", items, "next",
				    next ? json_sprintf("%lld", (long long)next) : json_null(), "unread",
				    (json_int_t)notifications_unread(&r->dc, &r->me)));
}

void api_notifications_read(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = notifications_mark_read(&r->dc, &r->me, id);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)notifications_unread(&r->dc, &r->me)));
}

void api_notifications_read_all(struct request *r)
{
	enum derr e = notifications_mark_read(&r->dc, &r->me, 0);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)0));
}

/* ---- moderation ---------------------------------------------------------- */

static void report(struct request *r, int64_t post, int64_t reply)
{
	json_t *o = api_body(r);
	const char *reason, *field = NULL;
	int64_t id;
	enum derr e;

	if (!o || api_str(r, o, "reason", 1, &reason))
		return;
	e = report_create(&r->dc, &r->me, post, reply, reason, &id, &field);
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	resp_json(r, 201, json_pack("{s:o,s:s}", "id", api_id(id), "status", "open"));
}

void api_posts_report(struct request *r) { report(r, req_param_id(r, 0), 0); }
void api_replies_report(struct request *r) { report(r, 0, req_param_id(r, 0)); }

static void hide(struct request *r, int64_t post, int64_t reply, int on)
{
	json_t *o = r->json && json_is_object(r->json) ? r->json : NULL;
	const char *note = NULL;
	enum derr e;

	if (o && api_str(r, o, "note", 0, &note))
		return;
	e = moderate(&r->dc, &r->me, post, reply, on, note);
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "not_moderator", "Only the group's moderators and admins moderate.");
		return;
	}
	if (e != D_OK) {
		api_derr_code(r, e, "note", on ? "already_hidden" : "not_hidden",
			      on ? "This is already hidden." : "This is not hidden.");
		return;
	}
	resp_json(r, 200, json_pack("{s:b}", "hidden", on));
}

void api_posts_hide(struct request *r) { hide(r, req_param_id(r, 0), 0, 1); }
void api_posts_restore(struct request *r) { hide(r, req_param_id(r, 0), 0, 0); }
void api_replies_hide(struct request *r) { hide(r, 0, req_param_id(r, 0), 1); }
void api_replies_restore(struct request *r) { hide(r, 0, req_param_id(r, 0), 0); }

void api_reports_queue(struct request *r)
{
	struct report *rs;
	int n = reports_queue(&r->dc, &r->me, &rs);
	json_t *items;

	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:I,s:b}", "id",
						       api_id(rs[i].id), "post_id", api_id(rs[i].post_id),
						       "reply_id", rs[i].reply_id ? api_id(rs[i].reply_id) : json_null(),
						       "reporter", api_person(rs[i].reporter_id, rs[i].reporter_name, NULL),
						       "reason", rs[i].reason, "post_title", rs[i].post_title,
						       "excerpt", rs[i].excerpt, "created_at",
						       (json_int_t)rs[i].created_at, "hidden", rs[i].hidden));
	api_list(r, items, 0);
}

void api_reports_dismiss(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = report_dismiss(&r->dc, &r->me, id);

	if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "not_moderator", "Only the group's moderators and admins moderate.");
	else if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, 200, json_pack("{s:s}", "status", "dismissed"));
}

void api_audit(struct request *r)
{
	struct audit_entry *es;
	int64_t next, before = api_cursor(r);
	json_t *items;
	int n;

	if (before < 0)
		return;
	n = audit_list(&r->dc, &r->me, before, 50, &es, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:s,s:I}", "id", api_id(es[i].id),
						       "actor", api_person(es[i].actor_id, es[i].actor_name, NULL),
						       "action", es[i].action,
						       "post_id", es[i].post_id ? api_id(es[i].post_id) : json_null(),
						       "reply_id", es[i].reply_id ? api_id(es[i].reply_id) : json_null(),
						       "group_id", es[i].group_id ? api_id(es[i].group_id) : json_null(),
						       "target_user_id", es[i].target_user_id ? api_id(es[i].target_user_id) : json_null(),
						       "detail", es[i].detail, "created_at", (json_int_t)es[i].created_at));
	api_list(r, items, next);
}
