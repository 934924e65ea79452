/* Pages of the ego-network: contacts, notifications, discussions, the full
 * feed, and the moderation queue and audit log. */
#include "web/social.h"

#include <string.h>

#include "domain/academies.h"
#include "domain/contacts.h"
#include "domain/moderation.h"
#include "domain/notify.h"
#include "domain/picker.h"
#include "util/text.h"
#include "web/web.h"

static void person_line(struct request *r, const struct profile *p)
{
	H(r, "<a href=\"/users/%lld\">%s</a>", (long long)p->id, p->name);
	if (p->school[0])
		H(r, " <span class=\"meta\">· %s</span>", p->school);
}

/* GET /contacts */
void web_contacts(struct request *r)
{
	struct profile *mine, *in, *out;
	int nm = contacts_list(&r->dc, &r->me, &mine);
	int ni = contact_requests(&r->dc, &r->me, 1, &in);
	int no = contact_requests(&r->dc, &r->me, 0, &out);

	if (nm < 0 || ni < 0 || no < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "home.contacts"));
	H(r, "<h1>%s</h1><div class=\"grid\">", T(r, "home.contacts"));
	H(r, "<section class=\"card\"><h2>%s</h2><ul class=\"plain\">", T(r, "contacts.requests_in"));
	if (!ni)
		H(r, "<li class=\"empty\">%s</li>", T(r, "contacts.none_in"));
	for (int i = 0; i < ni; i++) {
		H(r, "<li>");
		person_line(r, &in[i]);
		H(r, " ");
		button_form(r, arena_printf(r->arena, "/contacts/%lld/accept", (long long)in[i].id), T(r, "contacts.accept"), "");
		button_form(r, arena_printf(r->arena, "/contacts/%lld/remove", (long long)in[i].id), T(r, "contacts.decline"),
			    "secondary");
		H(r, "</li>");
	}
	H(r, "</ul></section><section class=\"card\"><h2>%s (%d)</h2><ul class=\"plain\">", T(r, "home.contacts"), nm);
	if (!nm)
		H(r, "<li class=\"empty\">%s <a href=\"/users\">%s</a></li>", T(r, "home.contacts.empty"),
		  T(r, "home.find_colleagues"));
	for (int i = 0; i < nm; i++) {
		H(r, "<li>");
		person_line(r, &mine[i]);
		H(r, "</li>");
	}
	H(r, "</ul></section><section class=\"card\"><h2>%s</h2><ul class=\"plain\">", T(r, "contacts.requests_out"));
	if (!no)
		H(r, "<li class=\"empty\">%s</li>", T(r, "contacts.none_out"));
	for (int i = 0; i < no; i++) {
		H(r, "<li>");
		person_line(r, &out[i]);
		H(r, " ");
		button_form(r, arena_printf(r->arena, "/contacts/%lld/remove", (long long)out[i].id),
			    T(r, "contacts.withdraw"), "secondary");
		H(r, "</li>");
	}
	H(r, "</ul></section></div>");
	page_end(r);
}

/* POST /contacts/{uid:int}/request|accept|remove */
void web_contact_action(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	const char *action = strrchr(r->path, '/') + 1;
	int accepted;
	enum derr e;

	if (!strcmp(action, "request"))
		e = contact_request(&r->dc, &r->me, user, &accepted);
	else if (!strcmp(action, "accept"))
		e = contact_accept(&r->dc, &r->me, user);
	else
		e = contact_remove(&r->dc, &r->me, user);
	if (e == D_OK) {
		const char *back = req_form(r, "next");
		resp_redirect(r, is_local_path(back) ? back : "/contacts");
		return;
	}
	web_derr_page(r, e);
}

/* POST /users/{id:int}/follow|unfollow */
void web_follow_action(struct request *r)
{
	int64_t user = req_param_id(r, 0);
	int on = !strcmp(strrchr(r->path, '/'), "/follow");
	enum derr e = on ? follow(&r->dc, &r->me, user) : unfollow(&r->dc, &r->me, user);

	if (e == D_OK || e == D_CONFLICT)
		resp_redirect(r, arena_printf(r->arena, "/users/%lld", (long long)user));
	else
		web_derr_page(r, e);
}

/* GET /notifications */
void web_notifications(struct request *r)
{
	struct notification *ns;
	int64_t next;
	int64_t before = web_cursor(r);
	int n;

	if (before < 0)
		return;
	n = notifications_list(&r->dc, &r->me, before, 30, &ns, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "nav.notifications"));
	H(r, "<h1>%s</h1><section class=\"card\"><div class=\"actions\">", T(r, "nav.notifications"));
	button_form(r, "/notifications/read", T(r, "notif.read_all"), "secondary");
	H(r, "<a href=\"/me/notification-settings\">%s</a>", T(r, "notify_settings.link"));
	H(r, "</div><ul class=\"plain\">");
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "notif.none"));
	for (int i = 0; i < n; i++) {
		const char *href = ns[i].post_id && ns[i].reply_id ? arena_printf(r->arena, "/posts/%lld#reply-%lld",
										  (long long)ns[i].post_id, (long long)ns[i].reply_id) :
				   ns[i].group_id ? arena_printf(r->arena, "/groups/%lld", (long long)ns[i].group_id) :
				   ns[i].actor_id ? (!strcmp(ns[i].kind, "contact_request") ? "/contacts" :
						     arena_printf(r->arena, "/users/%lld", (long long)ns[i].actor_id)) : "/";
		if (href && ns[i].post_id && !ns[i].reply_id)
			href = arena_printf(r->arena, "/posts/%lld", (long long)ns[i].post_id);
		if (ns[i].event_id)
			href = arena_printf(r->arena, "/events/%lld", (long long)ns[i].event_id);
		if (ns[i].proposal_id)     /* a decision on one's proposal (domain/calls.c) */
			href = arena_printf(r->arena, "/proposals/%lld", (long long)ns[i].proposal_id);
		H(r, "<li class=\"%s\"><a href=\"%s\">%s %s", ns[i].read ? "" : "unread", href ? href : "/",
		  ns[i].actor_id ? ns[i].actor_name : "", label(r, "notif", ns[i].kind));
		if (ns[i].post_id || ns[i].proposal_id)
			H(r, " « %s »", ns[i].post_title);
		else if (ns[i].event_id)
			H(r, " « %s »", ns[i].event_title);
		else if (ns[i].group_id)
			H(r, " « %s »", ns[i].group_name);
		H(r, "</a> <span class=\"meta\">%s%s</span></li>", web_datetime(r, ns[i].created_at),
		  ns[i].read ? "" : arena_printf(r->arena, " · %s", T(r, "notif.new")));
	}
	H(r, "</ul>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/notifications?cursor=%lld\">%s</a></p>", (long long)next,
		  T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

void web_notifications_read(struct request *r)
{
	if (notifications_mark_read(&r->dc, &r->me, 0) != D_OK) {
		web_error_page(r, 500);
		return;
	}
	resp_redirect(r, "/notifications");
}

/* GET /me/discussions */
void web_discussions(struct request *r)
{
	struct thread *ts;
	int64_t next_at, next_id, before = 0, before_id = 0;
	const char *cursor = req_query(r, "cursor");
	int n;

	if (cursor && *cursor && parse_id_pair(cursor, &before, &before_id) < 0) {
		web_error_page(r, 400);
		return;
	}
	n = my_discussions(&r->dc, &r->me, before, before_id, 30, &ts, &next_at, &next_id);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "home.discussions"));
	H(r, "<h1>%s</h1><section class=\"card\"><ul class=\"plain\">", T(r, "home.discussions"));
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "home.discussions.empty"));
	for (int i = 0; i < n; i++)
	{
		H(r, "<li class=\"%s\"><a href=\"/posts/%lld\">%s</a>", ts[i].unread ? "unread" : "",
		  (long long)ts[i].p.ref.id, ts[i].p.title);
		if (ts[i].unread)
			H(r, " <span class=\"pill\">%s</span>", T(r, "notif.new"));
		H(r, " <span class=\"meta\">· %s · %s</span></li>",
		  web_count(r, ts[i].p.reply_count, "post.reply_one", "post.replies_count"),
		  web_datetime(r, ts[i].p.last_activity_at));
	}
	H(r, "</ul>");
	if (next_id)
		H(r, "<p><a class=\"button secondary\" href=\"/me/discussions?cursor=%lld-%lld\">%s</a></p>",
		  (long long)next_at, (long long)next_id, T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

/* The feed's items, shared by the home and the full feed page. */
void feed_items(struct request *r, const struct activity *as, int n)
{
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++) {
		const struct activity *a = &as[i];

		H(r, "<li><p class=\"meta\">");
		if (a->actor_id)
			H(r, "<a href=\"/users/%lld\">%s</a> ", (long long)a->actor_id, a->actor_name);
		H(r, "%s", label(r, "verb", a->verb));
		if (a->innovation_id) {
			H(r, " · %s</p><a href=\"/innovations/%lld\">%s</a>", web_datetime(r, a->created_at),
			  (long long)a->innovation_id, a->innovation_title);
			if (!strcmp(a->innovation_visibility, "members"))
				H(r, " <span class=\"pill\">%s</span>", label(r, "innovation.vis", a->innovation_visibility));
			if (academy_slug_of(&r->dc, a->innovation_academy))
				H(r, "<p class=\"meta\"><a href=\"/academies/%s\">%s</a></p>",
				  academy_slug_of(&r->dc, a->innovation_academy), a->innovation_academy);
			else
				H(r, "<p class=\"meta\">%s</p>", a->innovation_academy);
			if (a->excerpt && a->excerpt[0])
				H(r, "<p>%s</p>", web_excerpt(r, a->excerpt, 200));
			H(r, "</li>");
			continue;
		}
		if (a->doc) {
			if (a->doc->ref.group_id)
				H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)a->doc->ref.group_id, a->doc->group_name);
			H(r, " · %s</p><a href=\"/documents/%lld\">%s</a> <span class=\"pill\">%s</span>",
			  web_datetime(r, a->created_at), (long long)a->doc->ref.id, a->doc->title, label(r, "dkind", a->doc->kind));
			if (a->doc->description[0])
				H(r, "<p>%s</p>", web_excerpt(r, a->doc->description, 200));
			H(r, "</li>");
			continue;
		}
		if (a->post.ref.group_id)
			H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)a->post.ref.group_id, a->post.group_name);
		H(r, " · %s</p><a href=\"%s\">%s</a><p>%s</p></li>", web_datetime(r, a->created_at),
		  a->reply_id ? arena_printf(r->arena, "/posts/%lld#reply-%lld", (long long)a->post.ref.id,
					     (long long)a->reply_id)
			      : arena_printf(r->arena, "/posts/%lld", (long long)a->post.ref.id),
		  a->post.title, web_excerpt(r, a->excerpt, 200));
	}
	H(r, "</ul>");
}

/* GET /feed */
void web_feed(struct request *r)
{
	struct activity *as;
	int64_t next;
	int64_t before = web_cursor(r);
	int n;

	if (before < 0)
		return;
	n = feed_list(&r->dc, &r->me, before, 30, &as, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "home.news"));
	H(r, "<h1>%s</h1><section class=\"card\">", T(r, "home.news"));
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "home.news.empty"));
	feed_items(r, as, n);
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/feed?cursor=%lld\">%s</a></p>", (long long)next,
		  T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

/* GET /moderation */
void web_moderation(struct request *r)
{
	struct report *rs;
	int n = reports_queue(&r->dc, &r->me, &rs);

	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "moderation.title"));
	H(r, "<h1>%s</h1><p class=\"muted\">%s</p><section class=\"card\"><ul class=\"plain\">", T(r, "moderation.title"),
	  T(r, "moderation.intro"));
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "moderation.empty"));
	for (int i = 0; i < n; i++) {
		H(r, "<li><p class=\"meta\">%s · %s %s</p><p><a href=\"%s\">%s</a>%s</p>"
		  "<blockquote class=\"quote\">%s</blockquote><p>%s : %s</p><div class=\"actions\">",
		  web_datetime(r, rs[i].created_at), T(r, "moderation.reported_by"), rs[i].reporter_name,
		  rs[i].reply_id ? arena_printf(r->arena, "/posts/%lld#reply-%lld", (long long)rs[i].post_id,
						(long long)rs[i].reply_id)
				 : arena_printf(r->arena, "/posts/%lld", (long long)rs[i].post_id),
		  rs[i].post_title, rs[i].reply_id ? arena_printf(r->arena, " (%s)", T(r, "moderation.a_reply")) : "",
		  rs[i].excerpt, T(r, "report.reason"), rs[i].reason);
		if (!rs[i].hidden)
			button_form(r, rs[i].reply_id ? arena_printf(r->arena, "/replies/%lld/hide", (long long)rs[i].reply_id) :
				    arena_printf(r->arena, "/posts/%lld/hide", (long long)rs[i].post_id), T(r, "moderation.hide"), "");
		button_form(r, arena_printf(r->arena, "/moderation/reports/%lld/dismiss", (long long)rs[i].id),
			    T(r, "moderation.dismiss"), "secondary");
		H(r, "</div></li>");
	}
	H(r, "</ul></section><p><a href=\"/moderation/audit\">%s</a></p>", T(r, "moderation.audit"));
	page_end(r);
}

void web_report_dismiss(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = report_dismiss(&r->dc, &r->me, id);

	if (e == D_OK)
		resp_redirect(r, "/moderation");
	else
		web_derr_page(r, e);
}

/* GET /moderation/audit */
void web_audit(struct request *r)
{
	struct audit_entry *es;
	int64_t next;
	int64_t before = web_cursor(r);
	int n;

	if (before < 0)
		return;
	n = audit_list(&r->dc, &r->me, before, 50, &es, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "moderation.audit"));
	H(r, "<h1>%s</h1><section class=\"card\"><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	  T(r, "moderation.audit"), T(r, "post.date"), T(r, "moderation.who"), T(r, "moderation.action"),
	  T(r, "moderation.what"));
	for (int i = 0; i < n; i++) {
		H(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", web_datetime(r, es[i].created_at), es[i].actor_name,
		  label(r, "audit", es[i].action));
		if (es[i].post_id)
			H(r, "<a href=\"/posts/%lld\">#%lld</a> ", (long long)es[i].post_id, (long long)es[i].post_id);
		if (es[i].group_id)
			H(r, "<a href=\"/groups/%lld\">%s #%lld</a> ", (long long)es[i].group_id, T(r, "audit.group"),
			  (long long)es[i].group_id);
		H(r, "%s</td></tr>", es[i].detail);
	}
	if (!n)
		H(r, "<tr><td colspan=\"4\" class=\"empty\">%s</td></tr>", T(r, "moderation.audit_empty"));
	H(r, "</tbody></table></div>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/moderation/audit?cursor=%lld\">%s</a></p>", (long long)next,
		  T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

/* GET /users/suggest?q=&limit=: the people picker's suggestions for site.js
 * with the page's session (the API, GET /api/v1/users/suggest, takes a
 * Bearer token only): the same JSON. */
void web_users_suggest(struct request *r)
{
	const char *q = req_query(r, "q"), *lim = req_query(r, "limit");
	struct picked *ps;
	json_t *items;
	int n, limit = PICKER_LIMIT;

	if (q && (strlen(q) > PICKER_LABEL_MAX || !text_ok(q, 0))) {
		resp_json_error(r, 400, "invalid_query", "q is at most 300 bytes of text.");
		return;
	}
	if (lim && (parse_id(lim) < 1 || parse_id(lim) > 20)) {
		resp_json_error(r, 400, "invalid_parameter", "limit must be between 1 and 20.");
		return;
	}
	if (lim)
		limit = (int)parse_id(lim);
	n = picker_suggest(&r->dc, &r->me, q, limit, &ps);
	if (n < 0) {
		resp_json_error(r, 500, "internal", "The suggestions cannot be read.");
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)ps[i].id, "name",
						       ps[i].name, "handle", ps[i].handle, "academy", ps[i].academy,
						       "label", ps[i].label));
	resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}
