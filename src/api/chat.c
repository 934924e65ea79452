/* JSON API of live exchange: rooms, messages, conversations, blocks. */
#include "api/api.h"
#include "api/chat.h"
#include "api/social.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/chat.h"
#include "domain/notify.h"
#include "http/events.h"
#include "util/text.h"

static json_t *room_json(const struct room *x)
{
	return json_pack("{s:o,s:s,s:o,s:s,s:s,s:b,s:I,s:I,s:I,s:b}", "id", api_id(x->ref.id), "kind", x->ref.kind,
			 "group", x->ref.group_id ? json_pack("{s:o,s:s}", "id", api_id(x->ref.group_id), "name",
								x->group_name) : json_null(),
			 "name", x->name, "title", x->title, "is_main", x->is_main, "unread", (json_int_t)x->unread,
			 "last_message_at", (json_int_t)x->last_message_at, "last_message_id",
			 (json_int_t)x->last_message_id, "may_manage", x->may_manage);
}

/* A message as the room's live stream sends it (http/events.c, through the
 * site): ids as numbers and the time of day, for live.js. */
json_t *api_stream_message(struct arena *a, const struct chat_message *m)
{
	time_t t = (time_t)m->created_at;
	struct tm tm;
	char hhmm[8];

	localtime_r(&t, &tm); /* the server's time zone, as the pages */
	snprintf(hhmm, sizeof hhmm, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
	return json_pack("{s:I,s:I,s:{s:I,s:s},s:s,s:o,s:o,s:I,s:s}", "id", (json_int_t)m->id, "room_id",
			 (json_int_t)m->room_id, "author", "id", (json_int_t)m->author_id, "name", m->author_name, "body",
			 m->body, "body_html", api_body_html(a, m->body),
			 "document", m->document_id ? json_pack("{s:I,s:s}", "id", (json_int_t)m->document_id, "title",
								m->document_title ? m->document_title : "")
						    : json_null(),
			 "created_at", (json_int_t)m->created_at, "time", hhmm);
}

static json_t *message_json(struct arena *a, const struct chat_message *m)
{
	return json_pack("{s:o,s:o,s:o,s:s,s:o,s:o,s:I}", "id", api_id(m->id), "room_id", api_id(m->room_id), "author",
			 m->author_id ? json_pack("{s:o,s:s}", "id", api_id(m->author_id), "name", m->author_name)
				      : json_null(),
			 "body", m->body, "body_html", api_body_html(a, m->body), "document",
			 m->document_id ? json_pack("{s:o,s:s}", "id", api_id(m->document_id), "title",
						    m->document_title ? m->document_title : "") : json_null(),
			 "created_at", (json_int_t)m->created_at);
}

static void answer_room(struct request *r, int status, int64_t id)
{
	struct room x;
	struct chat_person *ps;
	enum derr e = chat_room_get(&r->dc, &r->me, id, &x);
	int n;
	json_t *o, *online;

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	n = chat_online(&r->dc, &r->me, id, 100, &ps);
	online = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(online, json_pack("{s:o,s:s}", "id", api_id(ps[i].id), "name", ps[i].name));
	o = room_json(&x);
	json_object_set_new(o, "online", online);
	resp_json(r, status, o);
}

/* A list of n rooms; n < 0: -2 not found, else an internal error. */
static void answer_rooms(struct request *r, int n, const struct room *xs)
{
	json_t *items;

	if (n < 0) {
		api_derr(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, room_json(&xs[i]));
	api_list(r, items, 0);
}

/* GET /rooms: my groups' rooms and my conversations, latest activity first */
void api_rooms_mine(struct request *r)
{
	struct room *xs = NULL;
	int n = chat_rooms_mine(&r->dc, &r->me, 200, &xs);

	answer_rooms(r, n, xs);
}

/* GET /groups/{id:int}/rooms (members), POST /groups/{id:int}/rooms {name} (moderators) */
void api_group_rooms(struct request *r)
{
	int64_t gid = req_param_id(r, 0);

	if (r->method == HTTP_POST) {
		json_t *o = api_body(r);
		const char *name = NULL, *field = NULL;
		int64_t id = 0;
		enum derr e;

		if (!o || api_str(r, o, "name", 1, &name) < 0)
			return;
		e = chat_room_create(&r->dc, &r->me, gid, name, &id, &field);
		if (e == D_FORBIDDEN)
			resp_json_error(r, 403, "not_moderator", "Only the group's owners and moderators open rooms.");
		else if (e != D_OK)
			api_derr(r, e, field);
		else
			answer_room(r, 201, id);
		return;
	}
	{
		struct room *xs = NULL;
		int n = chat_group_rooms(&r->dc, &r->me, gid, &xs);

		answer_rooms(r, n, xs);
	}
}

/* GET /rooms/{id:int}: the room and who is online (the caller, who looks at it, is) */
void api_room_get(struct request *r)
{
	struct room x;
	int64_t id = req_param_id(r, 0);

	if (chat_room_get(&r->dc, &r->me, id, &x) == D_OK)
		chat_touch(&r->dc, &r->me, id);
	answer_room(r, 200, id);
}

/* GET /rooms/{id:int}/messages?before=&limit= (oldest first; next: older messages) */
void api_room_messages(struct request *r)
{
	int64_t id = req_param_id(r, 0), before = 0, older;
	const char *b = req_query(r, "before"), *l = req_query(r, "limit");
	struct chat_message *ms;
	json_t *items;
	int n, limit = 50;

	if ((b && *b && (before = parse_id(b)) < 0) || (l && *l && (parse_id(l) < 1 || parse_id(l) > CHAT_PAGE_MAX))) {
		resp_json_error(r, 400, "invalid_parameter", "before is a message id; limit from 1 to 100.");
		return;
	}
	if (l && *l)
		limit = (int)parse_id(l);
	n = chat_messages_page(&r->dc, &r->me, id, before, limit, &ms, &older);
	if (n < 0) {
		api_derr(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, message_json(r->arena, &ms[i]));
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
				    older ? json_sprintf("%lld", (long long)older) : json_null()));
}

/* 429 too_many_messages: the member's flood limit (CHAT_RATE_SECONDS). */
static void answer_flood(struct request *r)
{
	char s[16];

	snprintf(s, sizeof s, "%d", CHAT_RATE_SECONDS);
	resp_header(r, "Retry-After", s);
	resp_json_error(r, 429, "too_many_messages", "Too many messages at once; wait a few seconds.");
}

/* POST /rooms/{id:int}/messages {body, document_id?} */
void api_room_post(struct request *r)
{
	int64_t id = req_param_id(r, 0), mid = 0, doc = 0;
	json_t *o = api_body(r), *d;
	const char *body = NULL, *field = NULL;
	enum derr e;

	if (!o || api_str(r, o, "body", 1, &body) < 0)
		return;
	if ((d = json_object_get(o, "document_id")) && !json_is_null(d) && (doc = api_id_of(d)) <= 0) {
		api_derr(r, D_INVALID, "document_id");
		return;
	}
	e = chat_post(&r->dc, &r->me, id, body, doc, &mid, &field);
	if (e == D_THROTTLED) {
		answer_flood(r);
		return;
	}
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "blocked", "A block stands between you and this conversation.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	{
		struct chat_message *ms;
		int n = chat_messages_since(&r->dc, &r->me, id, mid - 1, 1, &ms);

		if (n == 1)
			resp_json(r, 201, message_json(r->arena, &ms[0]));
		else
			resp_json(r, 201, json_pack("{s:o}", "id", api_id(mid)));
	}
}

/* POST /rooms/{id:int}/read {message_id?}: read up to there (everything when absent) */
void api_room_read(struct request *r)
{
	int64_t id = req_param_id(r, 0), upto = 0;
	json_t *o = r->json, *m;
	enum derr e;

	if (o && (m = json_object_get(o, "message_id")) && !json_is_null(m) && (upto = api_id_of(m)) <= 0) {
		api_derr(r, D_INVALID, "message_id");
		return;
	}
	e = chat_mark_read(&r->dc, &r->me, id, upto);
	if (e != D_OK) {
		api_derr(r, e, "message_id");
		return;
	}
	answer_room(r, 200, id);
}

/* GET /rooms/{id:int}/events?after=: the room live (Server-Sent Events) */
void api_room_events(struct request *r)
{
	int64_t id = req_param_id(r, 0), after = 0;
	const char *a = req_query(r, "after");
	struct room x;
	enum derr e = chat_room_get(&r->dc, &r->me, id, &x);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	if (a && *a && strcmp(a, "0") && (after = parse_id(a)) < 0) {
		resp_json_error(r, 400, "invalid_parameter", "after is a message id.");
		return;
	}
	events_open_room(r, id, after);
}

/* POST /conversations {user_ids: [...], body?} → 201 (new) or 200 (the existing one with that person) */
void api_conversations_create(struct request *r)
{
	json_t *o = api_body(r), *list, *v;
	int64_t users[CHAT_PARTICIPANTS_MAX], room = 0;
	const char *body = NULL;
	int n = 0, created = 0;
	size_t i;
	enum derr e;

	if (!o)
		return;
	list = json_object_get(o, "user_ids");
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) >= CHAT_PARTICIPANTS_MAX) {
		api_derr(r, D_INVALID, "user_ids");
		return;
	}
	json_array_foreach(list, i, v) {
		if ((users[n++] = api_id_of(v)) <= 0) {
			api_derr(r, D_INVALID, "user_ids");
			return;
		}
	}
	if (api_str(r, o, "body", 0, &body) < 0)
		return;
	e = chat_conversation_start(&r->dc, &r->me, users, n, &room, &created);
	if (e == D_FORBIDDEN) {
		resp_json_error(r, 403, "blocked", "A block stands between you and one of these members.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, "user_ids");
		return;
	}
	if (body && *body) {
		int64_t mid;
		const char *field = NULL;

		e = chat_post(&r->dc, &r->me, room, body, 0, &mid, &field);
		if (e == D_THROTTLED) { /* the conversation stands; its first message waits */
			answer_flood(r);
			return;
		}
		if (e != D_OK) {
			api_derr(r, e, field);
			return;
		}
	}
	answer_room(r, created ? 201 : 200, room);
}

/* PUT, DELETE /users/{id:int}/block */
void api_user_block(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = chat_block(&r->dc, &r->me, id, r->method == HTTP_PUT);

	if (e == D_INVALID) {
		resp_json_error(r, 422, "cannot_block_yourself", "You cannot block yourself.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:o,s:b}", "user_id", api_id(id), "blocked", r->method == HTTP_PUT));
}

/* GET /me/blocks */
void api_me_blocks(struct request *r)
{
	struct chat_person *ps;
	int n = chat_blocks_list(&r->dc, &r->me, &ps);
	json_t *items;

	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:s}", "id", api_id(ps[i].id), "name", ps[i].name));
	api_list(r, items, 0);
}

/* GET /me/unread: the header's counts */
void api_me_unread(struct request *r)
{
	struct badges b;
	enum derr e = notify_badges(&r->dc, &r->me, &b);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:I,s:I}", "notifications", (json_int_t)b.notifications, "messages",
				    (json_int_t)b.messages));
}
