/* Live event streams (see events.h). The second file, beside server.c, that
 * speaks libmicrohttpd: it owns suspended connections. */
#include "http/events.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/admin.h"
#include "domain/chat.h"
#include "domain/notify.h"
#include "http/errors.h"
#include "http/server.h"
#include "util/clock.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/text.h"

#define HEARTBEAT_SECONDS 20
#define CHANNEL "respire_events"

#define STREAM_GROUPS 64

struct stream {
	struct app *app;
	struct MHD_Connection *conn;
	struct viewer me;            /* id and admin only: enough for access checks */
	int64_t room_id;             /* a chat room's stream; 0: the member's own */
	int64_t last_id;             /* last notification (or message) sent */
	int64_t last_unread;         /* last count sent, -1 before the first */
	int64_t last_messages;       /* last unread messages count sent, -1 before the first */
	int64_t groups[STREAM_GROUPS]; /* the member's groups: their rooms' news concern this stream */
	int ngroups;
	uint64_t presence;           /* a hash of the last "who is online" sent (room streams) */
	int dirty, suspended, closed, heartbeat;
	struct buf out;
	size_t out_pos;
	struct stream *prev, *next;
};

struct event_hub {
	pthread_mutex_t mu;
	struct stream *streams;
	unsigned count;
	int stopping;
	pthread_t ticker, listener;
	int have_ticker, have_listener;
	pthread_cond_t cv;
	struct db_listener *l;
};

/* Called with the hub locked: lets a waiting stream run again. */
static void poke(struct stream *s)
{
	if (s->suspended) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

static void wake_user(struct event_hub *h, int64_t user)
{
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s; s = s->next)
		if (user <= 0 || s->me.id == user) {
			s->dirty = 1;
			poke(s);
		}
	pthread_mutex_unlock(&h->mu);
}

/* A new message in a room: its streams, and the member streams of its group's members. */
static void wake_room(struct event_hub *h, int64_t room, int64_t group)
{
	pthread_mutex_lock(&h->mu);
	for (struct stream *s = h->streams; s; s = s->next) {
		int concerned = s->room_id == room;

		for (int i = 0; !concerned && !s->room_id && group && i < s->ngroups; i++)
			concerned = s->groups[i] == group;
		if (concerned) {
			s->dirty = 1;
			poke(s);
		}
	}
	pthread_mutex_unlock(&h->mu);
}

/* A room's stream: the messages after the last one sent, who is online;
 * it ends when the member may no longer read the room. */
static void fill_room(struct stream *s, struct dctx *dc, struct buf *b)
{
	struct chat_message *ms;
	struct chat_person *ps;
	struct buf who = BUF_INIT;
	int n = chat_messages_since(dc, &s->me, s->room_id, s->last_id, 50, &ms), np;

	if (n == -2) {
		buf_puts(b, "event: closed\ndata: {}\n\n");
		pthread_mutex_lock(&s->app->hub->mu);
		s->closed = 1;
		pthread_mutex_unlock(&s->app->hub->mu);
		return;
	}
	for (int i = 0; i < n; i++) {
		json_t *o = s->app->site->stream_message(dc->arena, &ms[i]);
		char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;

		if (js)
			buf_printf(b, "id: %lld\nevent: message\ndata: %s\n\n", (long long)ms[i].id, js);
		free(js);
		json_decref(o);
		s->last_id = ms[i].id;
	}
	if (n == 50) { /* more to come: next round */
		pthread_mutex_lock(&s->app->hub->mu);
		s->dirty = 1;
		pthread_mutex_unlock(&s->app->hub->mu);
	}
	chat_touch(dc, &s->me, s->room_id);
	np = chat_online(dc, &s->me, s->room_id, 50, &ps);
	if (np >= 0) {
		json_t *arr = json_array();
		char *js;

		for (int i = 0; i < np; i++)
			json_array_append_new(arr, json_pack("{s:I,s:s}", "id", (json_int_t)ps[i].id, "name", ps[i].name));
		js = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		if (js) {
			uint64_t hash = 1469598103934665603ULL; /* FNV-1a */

			for (const char *c = js; *c; c++)
				hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
			if (hash != s->presence) {
				buf_printf(&who, "event: presence\ndata: {\"online\":%s}\n\n", js);
				s->presence = hash;
				buf_append(b, who.data, who.len);
			}
		}
		free(js);
	}
	buf_free(&who);
}

/* Appends the notifications this member has not been sent yet, and the count. */
static void fill(struct stream *s)
{
	struct dctx dc = { 0 };
	struct notification *ns;
	struct buf b = BUF_INIT;
	struct badges badges;
	int n;

	dc.db = db_pool_get(s->app->pool);
	dc.arena = arena_new();
	dc.cfg = &s->app->cfg;
	dc.now = clock_now();
	if (!dc.db || !dc.arena)
		goto out;
	/* a suspended member's streams end (the suspension wakes them) */
	if (admin_account_active(&dc, s->me.id) == 0) {
		buf_puts(&b, "event: closed\ndata: {}\n\n");
		pthread_mutex_lock(&s->app->hub->mu);
		s->closed = 1;
		pthread_mutex_unlock(&s->app->hub->mu);
		goto out;
	}
	if (s->room_id) {
		fill_room(s, &dc, &b);
		goto out;
	}
	n = notifications_since(&dc, &s->me, s->last_id, 50, &ns);
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:I}", "id", (json_int_t)ns[i].id,
				      "kind", ns[i].kind, "actor_id", (json_int_t)ns[i].actor_id, "actor_name",
				      ns[i].actor_name, "post_id", (json_int_t)ns[i].post_id, "reply_id",
				      (json_int_t)ns[i].reply_id, "group_id", (json_int_t)ns[i].group_id, "event_id",
				      (json_int_t)ns[i].event_id, "title",
				      ns[i].post_id ? ns[i].post_title : ns[i].event_id ? ns[i].event_title :
				      ns[i].group_name, "created_at", (json_int_t)ns[i].created_at);
		char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;

		if (js)
			buf_printf(&b, "id: %lld\nevent: notification\ndata: %s\n\n", (long long)ns[i].id, js);
		free(js);
		json_decref(o);
		s->last_id = ns[i].id;
	}
	if (notify_badges(&dc, &s->me, &badges) == D_OK) {
		if (badges.notifications != s->last_unread) {
			buf_printf(&b, "event: unread\ndata: {\"unread\":%lld}\n\n", (long long)badges.notifications);
			s->last_unread = badges.notifications;
		}
		if (badges.messages != s->last_messages) {
			buf_printf(&b, "event: messages\ndata: {\"unread\":%lld}\n\n", (long long)badges.messages);
			s->last_messages = badges.messages;
		}
	}
	{
		/* the groups whose rooms concern this member (joined or left since) */
		int64_t groups[STREAM_GROUPS];
		int ng = chat_my_groups(&dc, &s->me, groups, STREAM_GROUPS);

		if (ng >= 0) {
			pthread_mutex_lock(&s->app->hub->mu);
			memcpy(s->groups, groups, sizeof groups[0] * (size_t)ng);
			s->ngroups = ng;
			pthread_mutex_unlock(&s->app->hub->mu);
		}
	}
out:
	if (dc.db && db_was_unavailable(dc.db))
		buf_puts(&b, ": the database is unavailable\n\n");
	arena_free(dc.arena);
	db_pool_put(s->app->pool, dc.db);
	if (b.len) {
		pthread_mutex_lock(&s->app->hub->mu);
		buf_append(&s->out, b.data, b.len);
		pthread_mutex_unlock(&s->app->hub->mu);
	}
	buf_free(&b);
}

/* Copies pending output; called with the hub locked. */
static ssize_t take(struct stream *s, char *dst, size_t max)
{
	size_t n = s->out.len - s->out_pos;

	if (n > max)
		n = max;
	memcpy(dst, s->out.data + s->out_pos, n);
	s->out_pos += n;
	if (s->out_pos == s->out.len) {
		buf_reset(&s->out);
		s->out_pos = 0;
	}
	return (ssize_t)n;
}

static ssize_t reader(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct stream *s = cls;
	struct event_hub *h = s->app->hub;
	ssize_t n;

	(void)pos;
	for (;;) {
		pthread_mutex_lock(&h->mu);
		if (s->out.len > s->out_pos) {
			n = take(s, dst, max);
			pthread_mutex_unlock(&h->mu);
			return n;
		}
		if (s->closed) {
			pthread_mutex_unlock(&h->mu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (s->heartbeat) {
			s->heartbeat = 0;
			buf_puts(&s->out, ":\n\n"); /* a comment: keeps proxies open, finds gone clients */
			pthread_mutex_unlock(&h->mu);
			continue;
		}
		if (s->dirty) {
			s->dirty = 0;
			pthread_mutex_unlock(&h->mu);
			fill(s);
			pthread_mutex_lock(&h->mu);
			if (s->out.len == s->out_pos && !s->dirty && !s->closed) {
				/* nothing new after all: wait */
				s->suspended = 1;
				MHD_suspend_connection(s->conn);
				pthread_mutex_unlock(&h->mu);
				return 0;
			}
			pthread_mutex_unlock(&h->mu);
			continue;
		}
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
		pthread_mutex_unlock(&h->mu);
		return 0;
	}
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	struct event_hub *h = s->app->hub;

	pthread_mutex_lock(&h->mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		h->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	h->count--;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	buf_free(&s->out);
	free(s);
}

static void open_stream(struct request *r, int64_t room_id, int64_t after);

void events_open(struct request *r)
{
	open_stream(r, 0, 0);
}

int events_stream_wanted(struct request *r)
{
	const char *a = req_header(r, "Accept");

	if (!a || strstr(a, "text/event-stream"))
		return 1;
	return !strstr(a, "text/html") && !strstr(a, "application/json");
}

void events_open_member(struct request *r)
{
	if (r->me.id) {
		events_open(r);
	} else if (r->is_api) {
		resp_error(r, &HTTP_E_UNAUTHORIZED);
	} else {
		struct buf loc = BUF_INIT;

		buf_puts(&loc, "/login?next=");
		url_escape(&loc, r->path);
		resp_redirect(r, loc.failed ? "/login" : buf_str(&loc));
		buf_free(&loc);
	}
}

void events_open_room(struct request *r, int64_t room_id, int64_t after)
{
	open_stream(r, room_id, after);
}

static void open_stream(struct request *r, int64_t room_id, int64_t after)
{
	struct event_hub *h = r->app->hub;
	const char *last = req_header(r, "Last-Event-ID");
	struct stream *s;

	if (!h) {
		resp_json_error(r, 503, "unavailable", "Live events are not available.");
		return;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		resp_json_error(r, 503, "unavailable", "Out of memory.");
		return;
	}
	s->app = r->app;
	s->conn = r->conn;
	s->me.id = r->me.id;
	s->me.admin = r->me.admin;
	s->room_id = room_id;
	s->last_unread = -1;
	s->last_messages = -1;
	s->dirty = 1;
	/* Resume after the last event the client saw; a new client starts from
	 * what its page showed (?after=), else from now. */
	if (last && *last && parse_id(last) > 0) {
		s->last_id = parse_id(last);
	} else if (room_id && after > 0) {
		s->last_id = after;
	} else if (room_id) {
		int64_t max = 0;

		db_int(r->dc.db, &max, "SELECT COALESCE(MAX(id), 0) FROM chat_messages WHERE room_id = ?", "i", room_id);
		s->last_id = max;
	} else {
		int64_t max = 0;

		db_int(r->dc.db, &max, "SELECT COALESCE(MAX(id), 0) FROM notifications WHERE user_id = ?", "i",
		       r->me.id);
		s->last_id = max;
	}
	buf_puts(&s->out, "retry: 3000\n\n");
	pthread_mutex_lock(&h->mu);
	if (h->stopping) {
		pthread_mutex_unlock(&h->mu);
		buf_free(&s->out);
		free(s);
		resp_json_error(r, 503, "unavailable", "The server is stopping.");
		return;
	}
	s->next = h->streams;
	if (h->streams)
		h->streams->prev = s;
	h->streams = s;
	h->count++;
	pthread_mutex_unlock(&h->mu);
	r->stream = s;
	r->status = 200;
	r->content_type = "text/event-stream; charset=utf-8";
	resp_header(r, "Cache-Control", "no-store");
	resp_header(r, "X-Accel-Buffering", "no"); /* nginx: pass events through at once */
}

void *events_response(struct request *r)
{
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, reader, r->stream,
								      stream_free);

	if (!resp)
		stream_free(r->stream);
	r->stream = NULL;
	return resp;
}

void events_publish(struct request *r)
{
	struct event_hub *h = r->app->hub;
	char payload[64];

	if (!h || (!r->dc.nwoken && !r->dc.woken_overflow && !r->dc.nwoken_rooms))
		return;
	for (int i = 0; i < r->dc.nwoken_rooms; i++) {
		wake_room(h, r->dc.woken_rooms[i], r->dc.woken_room_groups[i]);
		snprintf(payload, sizeof payload, "r:%lld:%lld", (long long)r->dc.woken_rooms[i],
			 (long long)r->dc.woken_room_groups[i]);
		if (r->dc.db)
			db_signal(r->dc.db, CHANNEL, payload);
	}
	if (r->dc.woken_overflow) {
		wake_user(h, 0);
		if (r->dc.db)
			db_signal(r->dc.db, CHANNEL, "*");
		return;
	}
	for (int i = 0; i < r->dc.nwoken; i++) {
		wake_user(h, r->dc.woken[i]);
		snprintf(payload, sizeof payload, "%lld", (long long)r->dc.woken[i]);
		/* Other instances: PostgreSQL delivers it to their listeners. */
		if (r->dc.db)
			db_signal(r->dc.db, CHANNEL, payload);
	}
}

static void *ticker_main(void *arg)
{
	struct event_hub *h = arg;

	pthread_mutex_lock(&h->mu);
	while (!h->stopping) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += HEARTBEAT_SECONDS;
		pthread_cond_timedwait(&h->cv, &h->mu, &until);
		if (h->stopping)
			break;
		for (struct stream *s = h->streams; s; s = s->next) {
			s->heartbeat = 1;
			if (s->room_id)
				s->dirty = 1; /* presence, and whether the member may still read the room */
			poke(s);
		}
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static void *listener_main(void *arg)
{
	struct event_hub *h = arg;
	char payload[64];

	for (;;) {
		int rc, stop;

		pthread_mutex_lock(&h->mu);
		stop = h->stopping;
		pthread_mutex_unlock(&h->mu);
		if (stop)
			break;
		rc = db_listener_wait(h->l, 500, payload, sizeof payload);
		if (rc == 1 && payload[0] == 'r') {
			long long room = 0, group = 0;

			if (sscanf(payload, "r:%lld:%lld", &room, &group) == 2 && room > 0)
				wake_room(h, room, group);
		} else if (rc == 1) {
			wake_user(h, payload[0] == '*' ? 0 : parse_id(payload));
		}
	}
	return NULL;
}

int events_start(struct app *app)
{
	struct event_hub *h = calloc(1, sizeof *h);
	char err[256] = "", dbtmp[600];

	if (!h)
		return -1;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	app->hub = h;
	h->have_ticker = pthread_create(&h->ticker, NULL, ticker_main, h) == 0;
	/* LISTEN needs a session of its own: past pgbouncer in transaction
	 * mode, db_listen names a direct connection. */
	h->l = db_listener_open(app->cfg.db_listen_url[0] ? app->cfg.db_listen_url
							 : config_db(&app->cfg, dbtmp, sizeof dbtmp),
				CHANNEL, err, sizeof err);
	if (err[0])
		LOG_W("events: %s (retrying)", err);
	if (h->l)
		h->have_listener = pthread_create(&h->listener, NULL, listener_main, h) == 0;
	return 0;
}

void events_stop(struct app *app)
{
	struct event_hub *h = app->hub;
	struct timespec until;

	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->stopping = 1;
	for (struct stream *s = h->streams; s; s = s->next) {
		s->closed = 1;
		poke(s);
	}
	pthread_cond_broadcast(&h->cv);
	/* Give the streams a moment to end; libmicrohttpd frees them. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	while (h->count && pthread_cond_timedwait(&h->cv, &h->mu, &until) == 0)
		;
	pthread_mutex_unlock(&h->mu);
	if (h->have_ticker)
		pthread_join(h->ticker, NULL);
	if (h->have_listener)
		pthread_join(h->listener, NULL);
	db_listener_close(h->l);
}

void events_free(struct app *app)
{
	struct event_hub *h = app->hub;

	if (!h)
		return;
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
	app->hub = NULL;
}

unsigned events_live(struct app *app)
{
	unsigned n;

	if (!app || !app->hub)
		return 0;
	pthread_mutex_lock(&app->hub->mu);
	n = app->hub->count;
	pthread_mutex_unlock(&app->hub->mu);
	return n;
}
