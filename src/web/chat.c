/* Pages of live exchange: my rooms and conversations (/messages), a room
 * (/rooms/{id}), a group's rooms, blocks. Without JavaScript a room is a page
 * with a form (reload to see new messages); with it (chat.js) messages come
 * live through the room's event stream and are sent without reloading. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/chat.h"
#include "domain/groups.h"
#include "domain/profile.h"
#include "http/errors.h"
#include "http/events.h"
#include "util/markdown.h"
#include "util/text.h"
#include "web/chat.h"
#include "web/social.h"

static const char *hhmm(struct request *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm, now_tm;
	time_t now = time(NULL);

	localtime_r(&tt, &tm);
	localtime_r(&now, &now_tm);
	if (tm.tm_year == now_tm.tm_year && tm.tm_yday == now_tm.tm_yday)
		return arena_printf(r->arena, "%02d:%02d", tm.tm_hour, tm.tm_min);
	return web_datetime(r, t);
}

static void message_item(struct request *r, const struct chat_message *m)
{
	H(r, "<li class=\"msg%s\" id=\"m-%lld\"><p class=\"meta\">", m->author_id == r->me.id ? " mine" : "",
	  (long long)m->id);
	if (m->author_id)
		H(r, "<a href=\"/users/%lld\">%s</a>", (long long)m->author_id, m->author_name);
	else
		H(r, "%s", T(r, "chat.gone"));
	H(r, " · <time>%s</time></p><div class=\"msg-body\">", hhmm(r, m->created_at));
	html_raw_trusted(&r->out, markdown_render(r->arena, m->body)); /* sanitized Markdown */
	H(r, "</div>");
	if (m->document_id)
		H(r, "<p class=\"msg-doc\"><a href=\"/documents/%lld\">📄 %s</a></p>", (long long)m->document_id,
		  m->document_title ? m->document_title : "");
	H(r, "</li>");
}

static void room_link(struct request *r, const struct room *x)
{
	H(r, "<li><a href=\"/rooms/%lld\">%s</a> <span class=\"pill\">%s</span>", (long long)x->ref.id, x->title,
	  T(r, !strcmp(x->ref.kind, "group") ? "chat.kind.group" : "chat.kind.private"));
	if (x->unread > 0)
		H(r, " <span class=\"badge\">%lld<span class=\"visually-hidden\"> %s</span></span>",
		  (long long)(x->unread > 99 ? 99 : x->unread), T(r, "chat.unread"));
	if (x->last_message_at)
		H(r, " <span class=\"meta\">· %s</span>", web_datetime(r, x->last_message_at));
	H(r, "</li>");
}

/* GET /messages: my rooms and conversations, and a new conversation */
void web_messages(struct request *r)
{
	struct room *xs;
	int n = chat_rooms_mine(&r->dc, &r->me, 200, &xs), groups = 0, convs = 0;
	const char *err = req_query(r, "error");

	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "chat.title"));
	H(r, "<h1>%s</h1>", T(r, "chat.title"));
	if (err && !strcmp(err, "who"))
		page_notice(r, "error", T(r, "chat.error.who"));
	else if (err && !strcmp(err, "blocked"))
		page_notice(r, "error", T(r, "chat.error.blocked"));
	H(r, "<div class=\"home-layout\"><div>");
	H(r, "<section class=\"card\"><h2>%s</h2><ul class=\"plain rooms\">", T(r, "chat.conversations"));
	for (int i = 0; i < n; i++)
		if (!strcmp(xs[i].ref.kind, "private")) {
			room_link(r, &xs[i]);
			convs++;
		}
	if (!convs)
		H(r, "<li class=\"empty\">%s</li>", T(r, "chat.conversations.empty"));
	H(r, "</ul></section><section class=\"card\"><h2>%s</h2><ul class=\"plain rooms\">", T(r, "chat.rooms"));
	for (int i = 0; i < n; i++)
		if (!strcmp(xs[i].ref.kind, "group")) {
			room_link(r, &xs[i]);
			groups++;
		}
	if (!groups)
		H(r, "<li class=\"empty\">%s</li>", T(r, "chat.rooms.empty"));
	H(r, "</ul></section></div><aside><section class=\"card\"><h2>%s</h2>"
	  "<form method=\"post\" action=\"/messages/new\">", T(r, "chat.new"));
	form_csrf(r);
	H(r, "<label for=\"c-who\">%s<span class=\"hint\" id=\"h-who\">%s</span></label>"
	  "<input id=\"c-who\" name=\"who\" required aria-describedby=\"h-who\" value=\"%s\">"
	  "<label for=\"c-body\">%s</label><textarea id=\"c-body\" name=\"body\" required maxlength=\"4000\"></textarea>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section></aside></div>",
	  T(r, "chat.new.who"), T(r, "chat.new.who.hint"), req_query(r, "to") ? req_query(r, "to") : "",
	  T(r, "chat.message"), T(r, "chat.send"));
	page_end(r);
}

/* POST /messages/new: who (@handles, comma-separated) and a first message */
void web_messages_new(struct request *r)
{
	const char *who = req_form(r, "who"), *body = req_form(r, "body"), *field = NULL;
	int64_t users[CHAT_PARTICIPANTS_MAX], room = 0, mid;
	int n = 0, created = 0;
	char *copy = who ? arena_strdup(r->arena, who) : NULL, *save = NULL;
	enum derr e;

	for (char *t = copy ? strtok_r(copy, ", ", &save) : NULL; t; t = strtok_r(NULL, ", ", &save)) {
		int64_t id = user_by_handle(&r->dc, t);

		if (!id || n == CHAT_PARTICIPANTS_MAX - 1) {
			resp_redirect(r, "/messages?error=who");
			return;
		}
		users[n++] = id;
	}
	e = n ? chat_conversation_start(&r->dc, &r->me, users, n, &room, &created) : D_INVALID;
	if (e == D_FORBIDDEN) {
		resp_redirect(r, "/messages?error=blocked");
		return;
	}
	if (e != D_OK) {
		resp_redirect(r, "/messages?error=who");
		return;
	}
	if (body && !text_blank(body))
		chat_post(&r->dc, &r->me, room, body, 0, &mid, &field);
	resp_redirect(r, arena_printf(r->arena, "/rooms/%lld", (long long)room));
}

/* GET /groups/{id:int}/room: the group's main room */
void web_group_room(struct request *r)
{
	int64_t gid = req_param_id(r, 0), room = 0;
	enum derr e = chat_group_room(&r->dc, &r->me, gid, &room);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	resp_redirect(r, arena_printf(r->arena, "/rooms/%lld", (long long)room));
}

/* POST /groups/{id:int}/rooms/new (name): another room, by the group's moderators */
void web_group_room_new(struct request *r)
{
	int64_t gid = req_param_id(r, 0), room = 0;
	const char *field = NULL;
	enum derr e = chat_room_create(&r->dc, &r->me, gid, req_form(r, "name"), &room, &field);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	resp_redirect(r, arena_printf(r->arena, "/rooms/%lld", (long long)room));
}

static void room_page(struct request *r, int64_t id, const char *error, const char *draft)
{
	struct room x;
	struct chat_message *ms;
	struct chat_person *ps;
	int64_t before = 0, older = 0, last = 0;
	const char *b = req_query(r, "before");
	enum derr e = chat_room_get(&r->dc, &r->me, id, &x);
	int n, np;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (b && *b && (before = parse_id(b)) <= 0) {
		web_error_page(r, 400);
		return;
	}
	n = chat_messages_page(&r->dc, &r->me, id, before, 50, &ms, &older);
	if (n < 0) {
		web_error_page(r, n == -2 ? 404 : 500);
		return;
	}
	if (!before) {
		chat_touch(&r->dc, &r->me, id);
		chat_mark_read(&r->dc, &r->me, id, 0);
		x.unread = 0;
	}
	np = chat_online(&r->dc, &r->me, id, 50, &ps);
	last = n ? ms[n - 1].id : 0;
	page_begin(r, x.title);
	H(r, "<div class=\"chat-layout\"><section class=\"card chat\" id=\"chat\" data-room=\"%lld\" data-after=\"%lld\""
	  " data-live=\"%d\" data-closed=\"%s\">", (long long)id, (long long)last, before ? 0 : 1, T(r, "chat.closed"));
	H(r, "<p class=\"meta\">");
	if (x.ref.group_id)
		H(r, "<a href=\"/groups/%lld\">%s</a> · ", (long long)x.ref.group_id, x.group_name);
	H(r, "<a href=\"/messages\">%s</a></p><h1>%s</h1>", T(r, "chat.title"), x.title);
	if (older)
		H(r, "<p><a href=\"/rooms/%lld?before=%lld\">%s</a></p>", (long long)id, (long long)older, T(r, "chat.older"));
	if (before)
		H(r, "<p><a href=\"/rooms/%lld\">%s</a></p>", (long long)id, T(r, "chat.latest"));
	H(r, "<ol class=\"messages\" id=\"messages\" aria-live=\"polite\" aria-label=\"%s\">", T(r, "chat.messages"));
	if (!n)
		H(r, "<li class=\"empty\" id=\"no-messages\">%s</li>", T(r, "chat.empty"));
	for (int i = 0; i < n; i++)
		message_item(r, &ms[i]);
	H(r, "</ol>");
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"/rooms/%lld/messages\" id=\"chat-form\" class=\"chat-form\">", (long long)id);
	form_csrf(r);
	H(r, "<label for=\"m-body\">%s<span class=\"hint\" id=\"h-body\">%s</span></label>"
	  "<textarea id=\"m-body\" name=\"body\" required maxlength=\"4000\" aria-describedby=\"h-body\">%s</textarea>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button>"
	  "<a href=\"/rooms/%lld\" class=\"button secondary\" id=\"chat-refresh\">%s</a></div></form></section>",
	  T(r, "chat.message"), T(r, "chat.message.hint"), draft ? draft : "", T(r, "chat.send"), (long long)id,
	  T(r, "chat.refresh"));
	H(r, "<aside class=\"card\"><h2>%s</h2><ul class=\"plain online\" id=\"online\">", T(r, "chat.online"));
	for (int i = 0; i < np; i++)
		H(r, "<li><a href=\"/users/%lld\">%s</a></li>", (long long)ps[i].id, ps[i].name);
	H(r, "</ul>");
	if (x.ref.group_id) {
		struct room *rooms;
		int nr = chat_group_rooms(&r->dc, &r->me, x.ref.group_id, &rooms);

		H(r, "<h2>%s</h2><ul class=\"plain\">", T(r, "chat.group_rooms"));
		for (int i = 0; i < nr; i++)
			H(r, "<li><a href=\"/rooms/%lld\"%s>%s</a></li>", (long long)rooms[i].ref.id,
			  rooms[i].ref.id == id ? " aria-current=\"page\"" : "", rooms[i].is_main ? T(r, "chat.main_room")
			  : rooms[i].name);
		H(r, "</ul>");
		if (x.may_manage) {
			H(r, "<form method=\"post\" action=\"/groups/%lld/rooms/new\">", (long long)x.ref.group_id);
			form_csrf(r);
			H(r, "<label for=\"r-name\">%s</label><input id=\"r-name\" name=\"name\" required maxlength=\"80\">"
			  "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%s</button></div></form>",
			  T(r, "chat.new_room"), T(r, "chat.open_room"));
		}
	}
	H(r, "</aside></div><script src=\"/static/chat.js\" defer></script>");
	page_end(r);
}

/* GET /rooms/{id:int}?before= */
void web_room(struct request *r)
{
	room_page(r, req_param_id(r, 0), NULL, NULL);
}

/* POST /rooms/{id:int}/messages (body, document_id) */
void web_room_post(struct request *r)
{
	int64_t id = req_param_id(r, 0), mid = 0, doc = 0;
	const char *body = req_form(r, "body"), *d = req_form(r, "document_id"), *field = NULL;
	enum derr e;

	if (d && *d && (doc = parse_id(d)) <= 0) {
		web_error_page(r, 400);
		return;
	}
	e = chat_post(&r->dc, &r->me, id, body ? body : "", doc, &mid, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/rooms/%lld#m-%lld", (long long)id, (long long)mid));
		return;
	}
	if (e == D_NOT_FOUND) {
		web_error_page(r, 404);
		return;
	}
	if (e == D_THROTTLED || e == D_FORBIDDEN || e == D_INVALID) {
		r->status = derr_error(e)->status;
		if (e == D_THROTTLED)
			resp_header(r, "Retry-After", "20");
		room_page(r, id, T(r, e == D_THROTTLED ? "chat.error.flood" : e == D_FORBIDDEN ? "chat.error.blocked"
					  : "chat.error.body"), body);
		return;
	}
	web_error_page(r, 500);
}

/* POST /rooms/{id:int}/read (message_id): chat.js, as the messages are seen */
void web_room_read(struct request *r)
{
	int64_t id = req_param_id(r, 0), upto = 0;
	const char *m = req_form(r, "message_id");
	enum derr e;

	if (m && *m && (upto = parse_id(m)) <= 0) {
		web_error_page(r, 400);
		return;
	}
	e = chat_mark_read(&r->dc, &r->me, id, upto);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	r->status = 204;
}

/* GET /rooms/{id:int}/events?after= */
void web_room_events(struct request *r)
{
	int64_t id = req_param_id(r, 0), after = 0;
	const char *a = req_query(r, "after");
	struct room x;
	enum derr e = chat_room_get(&r->dc, &r->me, id, &x);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (a && *a && strcmp(a, "0") && (after = parse_id(a)) < 0) {
		web_error_page(r, 400);
		return;
	}
	events_open_room(r, id, after);
}

/* POST /users/{id:int}/block, /users/{id:int}/unblock */
void web_user_block(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	int on = !strcmp(strrchr(r->path, '/'), "/block");
	enum derr e = chat_block(&r->dc, &r->me, id, on);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	resp_redirect(r, arena_printf(r->arena, "/users/%lld", (long long)id));
}
