#include "domain/notify.h"

#include <stdio.h>
#include <string.h>

#include "domain/access.h"
#include "domain/chat.h"
#include "domain/mailq.h"
#include "domain/notify_prefs.h"
#include "i18n/i18n.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mail.h"
#include "util/text.h"

static int64_t opt(int64_t id) { return id; }

int notify(struct dctx *dc, int64_t user, const char *kind, int64_t actor, int64_t post,
	   int64_t reply, int64_t group)
{
	struct db_stmt *st;
	int64_t id = 0;
	int rc;

	if (user <= 0 || user == actor)
		return 0;
	dctx_wake(dc, user);
	/* NULLIF keeps 0 out of the foreign keys. */
	st = db_query(dc->db, "INSERT INTO notifications (user_id, kind, actor_id, post_id, reply_id,"
		      " group_id, created_at) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0),"
		      " NULLIF(?, 0), ?) RETURNING id", "isiiiii", user, kind, opt(actor), opt(post), opt(reply),
		      opt(group), dc->now);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	if (db_finish(st) < 0 || rc != DB_ROW)
		return -1;
	return notify_mail_now(dc, id) < 0 ? -1 : 0;
}

int notify_event(struct dctx *dc, int64_t user, const char *kind, int64_t actor, int64_t event)
{
	struct db_stmt *st;
	int64_t id = 0;
	int rc;

	if (user <= 0 || user == actor || event <= 0)
		return 0;
	dctx_wake(dc, user);
	st = db_query(dc->db, "INSERT INTO notifications (user_id, kind, actor_id, event_id, created_at)"
		      " VALUES (?, ?, NULLIF(?, 0), ?, ?) RETURNING id", "isiii", user, kind, actor, event, dc->now);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	if (db_finish(st) < 0 || rc != DB_ROW)
		return -1;
	return notify_mail_now(dc, id) < 0 ? -1 : 0;
}

/* What a member is shown of their notifications: the access module's rule. */
#define NOTIF_VISIBLE ACCESS_NOTIFICATION_SQL
#define NOTIF_TYPES ACCESS_NOTIFICATION_TYPES
#define NOTIF_ARGS(v) ACCESS_NOTIFICATION_ARGS(v)

/* The columns of a notification in lists, and their fields in that order. */
#define NOTIFICATION_COLUMNS \
	"n.id, n.kind, n.actor_id, u.name, n.post_id, n.reply_id, n.group_id," \
	" COALESCE((SELECT title FROM posts WHERE id = n.post_id), (SELECT title FROM proposals WHERE id = n.proposal_id))," \
	" (SELECT name FROM groups WHERE id = n.group_id)," \
	" n.created_at, n.read_at IS NOT NULL, COALESCE(n.room_id, 0), COALESCE(n.event_id, 0)," \
	" COALESCE((SELECT title FROM events WHERE id = n.event_id), ''), COALESCE(n.proposal_id, 0)" \
	" FROM notifications n LEFT JOIN users u ON u.id = n.actor_id"
static const struct db_field notification_fields[] = {
	DB_FIELD(DBF_INT, struct notification, id),
	DB_FIELD(DBF_TEXT, struct notification, kind),
	DB_FIELD(DBF_INT, struct notification, actor_id),
	DB_FIELD(DBF_TEXT, struct notification, actor_name),
	DB_FIELD(DBF_INT, struct notification, post_id),
	DB_FIELD(DBF_INT, struct notification, reply_id),
	DB_FIELD(DBF_INT, struct notification, group_id),
	DB_FIELD(DBF_TEXT, struct notification, post_title),
	DB_FIELD(DBF_TEXT, struct notification, group_name),
	DB_FIELD(DBF_INT, struct notification, created_at),
	DB_FIELD(DBF_FLAG, struct notification, read),
	DB_FIELD(DBF_INT, struct notification, room_id),
	DB_FIELD(DBF_INT, struct notification, event_id),
	DB_FIELD(DBF_TEXT, struct notification, event_title),
	DB_FIELD(DBF_INT, struct notification, proposal_id),
};

int notifications_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
		       struct notification **out, int64_t *next)
{
	struct db_stmt *st;
	int n = 0;

	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 30;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	st = db_query(dc->db,
		      "SELECT " NOTIFICATION_COLUMNS
		      " WHERE n.user_id = ? AND (? = 0 OR n.id < ?) AND" NOTIF_VISIBLE
		      " ORDER BY n.id DESC LIMIT ?",
		      "iii" NOTIF_TYPES "i", v->id, before, before, NOTIF_ARGS(v), (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		struct notification *x;

		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		x = &(*out)[n++];
		db_read_fields(st, 0, dc->arena, x, notification_fields, DB_FIELDS_N(notification_fields));
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int notifications_since(struct dctx *dc, const struct viewer *v, int64_t after, int limit,
			struct notification **out)
{
	struct db_stmt *st;
	int n = 0;

	if (limit < 1 || limit > 100)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	st = db_query(dc->db,
		      "SELECT " NOTIFICATION_COLUMNS
		      " WHERE n.user_id = ? AND n.id > ? AND" NOTIF_VISIBLE
		      " ORDER BY n.id LIMIT ?",
		      "ii" NOTIF_TYPES "i", v->id, after, NOTIF_ARGS(v), (int64_t)limit);
	if (!st)
		return -1;
	while (n < limit && db_step(st) == DB_ROW) {
		db_read_fields(st, 0, dc->arena, &(*out)[n++], notification_fields, DB_FIELDS_N(notification_fields));
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int64_t notifications_unread(struct dctx *dc, const struct viewer *v)
{
	int64_t n = 0;

	if (!v->id)
		return 0;
	if (db_int(dc->db, &n, "SELECT COUNT(*) FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL"
		   " AND" NOTIF_VISIBLE, "i" NOTIF_TYPES, v->id, NOTIF_ARGS(v)) < 0)
		return -1;
	return n;
}

enum derr notify_badges(struct dctx *dc, const struct viewer *v, struct badges *out)
{
	struct db_stmt *st;
	enum derr rc = D_INTERNAL;

	memset(out, 0, sizeof *out);
	if (!v || !v->id)
		return D_OK;
	st = db_query(dc->db,
		      "SELECT (SELECT COUNT(*) FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND"
		      NOTIF_VISIBLE "),"
		      " (SELECT COALESCE(SUM(" UNREAD_OF_R "), 0) FROM chat_rooms r WHERE" MY_ROOMS "),"
		      " EXISTS (SELECT 1 FROM group_members WHERE user_id = ? AND state = 'member'"
		      "   AND role IN ('owner','moderator'))",
		      "i" NOTIF_TYPES "iiiiiii", v->id, NOTIF_ARGS(v), v->id, v->id, v->id, v->id, v->id, v->id,
		      v->id);
	if (st && db_step(st) == DB_ROW) {
		out->notifications = db_col_int(st, 0);
		out->messages = db_col_int(st, 1);
		out->moderates = v->admin || db_col_int(st, 2);
		rc = D_OK;
	}
	if (db_finish(st) < 0)
		rc = D_INTERNAL;
	return rc;
}

enum derr notifications_mark_read(struct dctx *dc, const struct viewer *v, int64_t id)
{
	enum derr rc = id ? access_check(dc, v, AK_NOTIFICATION, id, AA_SEE) : D_OK;
	int64_t n = rc != D_OK ? 0 : db_exec(dc->db, "UPDATE notifications SET read_at = ? WHERE user_id = ?"
			    " AND read_at IS NULL AND (? = 0 OR id = ?)", "iiii", dc->now, v->id, id, id);

	if (rc != D_OK)
		return rc;
	if (n < 0)
		return D_INTERNAL;
	return D_OK;    /* one's own, visible: already read is fine */
}

/* ---- mail: at once, private messages, group activity ------------------------ */

#define NOTIF_COLUMNS \
	"n.id, n.kind, n.actor_id, u.name, n.post_id, n.reply_id, n.group_id," \
	" COALESCE((SELECT title FROM posts WHERE id = n.post_id), (SELECT title FROM proposals WHERE id = n.proposal_id))," \
	" (SELECT name FROM groups WHERE id = n.group_id)," \
	" n.created_at, n.read_at IS NOT NULL, n.room_id, COALESCE(n.event_id, 0)," \
	" COALESCE((SELECT title FROM events WHERE id = n.event_id), ''), n.proposal_id"

static void read_notification(struct dctx *dc, struct db_stmt *st, struct notification *x)
{
	x->id = db_col_int(st, 0);
	x->kind = db_col_dup(st, 1, dc->arena);
	x->actor_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
	x->actor_name = db_col_dup(st, 3, dc->arena);
	x->post_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	x->reply_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	x->group_id = db_col_is_null(st, 6) ? 0 : db_col_int(st, 6);
	x->post_title = db_col_dup(st, 7, dc->arena);
	x->group_name = db_col_dup(st, 8, dc->arena);
	x->created_at = db_col_int(st, 9);
	x->read = (int)db_col_int(st, 10);
	x->room_id = db_col_is_null(st, 11) ? 0 : db_col_int(st, 11);
	x->event_id = db_col_int(st, 12);
	x->event_title = db_col_dup(st, 13, dc->arena);
	x->proposal_id = db_col_is_null(st, 14) ? 0 : db_col_int(st, 14);
}

int notifications_between(struct dctx *dc, const struct viewer *v, int64_t from, int64_t to, int limit,
			  struct notification **out)
{
	struct db_stmt *st;
	int n = 0;

	if (limit < 1 || limit > 200)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	st = db_query(dc->db, "SELECT " NOTIF_COLUMNS " FROM notifications n LEFT JOIN users u ON u.id = n.actor_id"
		      " WHERE n.user_id = ? AND n.created_at >= ? AND n.created_at <= ? AND" NOTIF_VISIBLE
		      " ORDER BY n.id LIMIT ?",
		      "iii" NOTIF_TYPES "i", v->id, from, to, NOTIF_ARGS(v),
		      (int64_t)limit);
	if (!st)
		return -1;
	while (n < limit && db_step(st) == DB_ROW)
		read_notification(dc, st, &(*out)[n++]);
	if (db_finish(st) < 0)
		return -1;
	return n;
}

const char *notification_path(struct dctx *dc, const struct notification *x)
{
	if (x->room_id)
		return arena_printf(dc->arena, "/rooms/%lld", (long long)x->room_id);
	if (x->post_id && x->reply_id)
		return arena_printf(dc->arena, "/posts/%lld#reply-%lld", (long long)x->post_id, (long long)x->reply_id);
	if (x->post_id)
		return arena_printf(dc->arena, "/posts/%lld", (long long)x->post_id);
	if (x->event_id)
		return arena_printf(dc->arena, "/events/%lld", (long long)x->event_id);
	if (x->proposal_id)
		return arena_printf(dc->arena, "/proposals/%lld", (long long)x->proposal_id);
	if (x->group_id)
		return arena_printf(dc->arena, "/groups/%lld", (long long)x->group_id);
	if (x->kind && !strcmp(x->kind, "contact_request"))
		return "/contacts";
	if (x->actor_id)
		return arena_printf(dc->arena, "/users/%lld", (long long)x->actor_id);
	return "/notifications";
}

const char *notification_sentence(struct dctx *dc, const struct notification *x, const char *lang)
{
	struct buf b = BUF_INIT;
	const char *label, *cat = notify_category(x->kind);
	char key[80];
	char *out;

	if (x->room_id) {
		label = tr(lang, cat && !strcmp(cat, "mention") ? "mail.now.room_mention" : "mail.now.room");
	} else {
		snprintf(key, sizeof key, "notif.%.60s", x->kind ? x->kind : "");
		label = tr(lang, key);
	}
	buf_printf(&b, "%s %s", x->actor_name && *x->actor_name ? x->actor_name : tr(lang, "mail.someone"), label);
	if ((x->post_id || x->proposal_id) && x->post_title)
		buf_printf(&b, " « %s »", x->post_title);
	else if (x->event_id && x->event_title)
		buf_printf(&b, " « %s »", x->event_title);
	else if (x->group_id && x->group_name)
		buf_printf(&b, " « %s »", x->group_name);
	out = b.failed ? NULL : arena_strdup(dc->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* An active member who may receive mail. */
struct recipient {
	int64_t id;
	const char *email, *lang;
	int admin;
};

/* 1 found, 0 none (gone or not active), -1 on a database error. */
static int recipient_load(struct dctx *dc, int64_t user, struct recipient *out)
{
	struct db_stmt *st = db_query(dc->db, "SELECT email, lang, CASE WHEN site_role = 'admin' THEN 1 ELSE 0 END"
				      " FROM users WHERE id = ? AND status = 'active'", "i", user);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *lang = db_col_text(st, 1);

		out->id = user;
		out->email = db_col_dup(st, 0, dc->arena);
		out->lang = lang && !strcmp(lang, "en") ? "en" : "fr";
		out->admin = (int)db_col_int(st, 2);
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	return rc == DB_ROW && out->email ? 1 : 0;
}

/* The end of every notification mail: the signature, why it came, where to
 * change it and, for one member's mail, a link that stops it without
 * signing in. */
static void mail_footer(struct dctx *dc, struct buf *b, const char *lang, int64_t user, const char *category)
{
	buf_printf(b, "\n\n%s\n\n-- \n%s\n%s%s/me/notification-settings\n", tr(lang, "mail.signature"),
		   tr(lang, "mail.now.why"), tr(lang, "mail.now.settings"), dc->base_url ? dc->base_url : "");
	if (user && category) {
		const char *u = unsubscribe_url(dc, user, category);

		if (u)
			buf_printf(b, "%s%s\n", tr(lang, "mail.now.stop"), u);
	}
}

const char *notify_unsubscribe_headers(struct dctx *dc, int64_t user, const char *category)
{
	const char *u = unsubscribe_url(dc, user, category);
	const char *h = u ? arena_printf(dc->arena, "List-Unsubscribe: <%s>\n"
				       "List-Unsubscribe-Post: List-Unsubscribe=One-Click", u) : NULL;

	return h && mail_headers_ok(h) ? h : NULL;
}

/* Queues it: 1. A message that cannot be composed is logged and dropped
 * (0), never a failure of the action that caused it; -1 only on a
 * database error. */
static int queue(struct dctx *dc, const char *to, const char *subject, const struct buf *body, const char *headers)
{
	int rc;

	if (body->failed) {
		LOG_E("notify: a mail could not be composed (out of memory)");
		return 0;
	}
	rc = mail_enqueue(dc, to, subject, buf_str(body), headers);
	return rc == 0 ? 1 : rc == -2 ? 0 : -1;
}

int notify_mail_now(struct dctx *dc, int64_t nid)
{
	struct db_stmt *st;
	struct recipient to;
	struct notification x = { 0 };
	struct viewer v = { 0 };
	struct buf body = BUF_INIT;
	const char *cat = NULL, *mode, *sentence, *subject;
	int64_t user = 0;
	int rc;

	st = db_query(dc->db, "SELECT user_id, kind FROM notifications WHERE id = ?", "i", nid);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		user = db_col_int(st, 0);
		cat = notify_category(db_col_text(st, 1));
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	if (rc != DB_ROW || !cat)
		return 0;
	if (!(mode = notify_pref_mode(dc, user, cat)))
		return -1;
	if (strcmp(mode, "mail"))
		return 0;
	if ((rc = recipient_load(dc, user, &to)) <= 0)
		return rc;
	v.id = user;
	v.admin = to.admin;
	/* Only while the member may see what it is about, as in their list. */
	st = db_query(dc->db, "SELECT " NOTIF_COLUMNS " FROM notifications n LEFT JOIN users u ON u.id = n.actor_id"
		      " WHERE n.id = ? AND" NOTIF_VISIBLE,
		      "i" NOTIF_TYPES, nid, NOTIF_ARGS(&v));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		read_notification(dc, st, &x);
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	if (rc != DB_ROW)
		return 0;
	sentence = notification_sentence(dc, &x, to.lang);
	subject = sentence ? arena_printf(dc->arena, "[Respire] %s", sentence) : NULL;
	if (!subject)
		return 0;
	buf_printf(&body, "%s\n\n%s%s", sentence, dc->base_url ? dc->base_url : "", notification_path(dc, &x));
	mail_footer(dc, &body, to.lang, user, cat);
	rc = queue(dc, to.email, subject, &body, notify_unsubscribe_headers(dc, user, cat));
	buf_free(&body);
	return rc;
}

/* Valid UTF-8 of at most max characters on one paragraph per line, each
 * quoted with "> "; control characters become spaces. */
static void quote_excerpt(struct buf *b, const char *s, size_t max)
{
	size_t chars = 0;

	if (!s || !utf8_valid(s, strlen(s)))
		return;
	buf_puts(b, "> ");
	for (; *s && chars < max; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80)
			chars++;
		if (c == '\n')
			buf_puts(b, "\n> ");
		else if (c < 0x20 || c == 0x7f)
			buf_putc(b, ' ');
		else
			buf_putc(b, (char)c);
	}
	/* Finish the character the cut fell in. */
	while (*s && ((unsigned char)*s & 0xC0) == 0x80)
		buf_putc(b, *s++);
	if (*s)
		buf_puts(b, "…");
}

int notify_message_mail(struct dctx *dc, int64_t user, int64_t room_id, int64_t actor, const char *excerpt)
{
	struct db_stmt *st;
	struct recipient to;
	struct buf body = BUF_INIT;
	const char *mode, *subject, *who;
	char *name = NULL;
	int64_t x = 0;
	int rc;

	if (user <= 0 || user == actor || room_id <= 0)
		return 0;
	if (!(mode = notify_pref_mode(dc, user, "message")))
		return -1;
	if (strcmp(mode, "mail"))
		return 0;
	if ((rc = recipient_load(dc, user, &to)) <= 0)
		return rc;
	/* A private room they are in, with someone they have not blocked. */
	rc = db_int(dc->db, &x, "SELECT 1 FROM chat_rooms cr WHERE cr.id = ? AND cr.kind = 'private'"
		    " AND EXISTS (SELECT 1 FROM chat_participants cp WHERE cp.room_id = cr.id AND cp.user_id = ?)"
		    " AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = ? AND b.blocked_id = ?)",
		    "iiii", room_id, user, user, actor);
	if (rc <= 0)
		return rc;
	/* At most one such mail per room and member every MESSAGE_MAIL_GAP seconds. */
	st = db_query(dc->db, "INSERT INTO mail_throttle (user_id, room_id, last_at) VALUES (?, ?, ?)"
		      " ON CONFLICT (user_id, room_id) DO UPDATE SET last_at = excluded.last_at"
		      " WHERE mail_throttle.last_at <= ? RETURNING user_id", "iiii", user, room_id, dc->now,
		      dc->now - MESSAGE_MAIL_GAP);
	if (!st)
		return -1;
	rc = db_step(st);
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	if (rc != DB_ROW)
		return 0;
	st = db_query(dc->db, "SELECT name FROM users WHERE id = ?", "i", actor);
	if (st && db_step(st) == DB_ROW)
		name = db_col_dup(st, 0, dc->arena);
	if (db_finish(st) < 0)
		return -1;
	who = name && *name ? name : tr(to.lang, "mail.someone");
	subject = arena_printf(dc->arena, "[Respire] %s %s", who, tr(to.lang, "mail.message.wrote"));
	if (!subject)
		return 0;
	buf_printf(&body, "%s %s :\n\n", who, tr(to.lang, "mail.message.wrote"));
	quote_excerpt(&body, excerpt, 300);
	buf_printf(&body, "\n\n%s%s/rooms/%lld\n\n%s", tr(to.lang, "mail.message.answer"),
		   dc->base_url ? dc->base_url : "", (long long)room_id, tr(to.lang, "mail.message.gap"));
	mail_footer(dc, &body, to.lang, user, "message");
	rc = queue(dc, to.email, subject, &body, notify_unsubscribe_headers(dc, user, "message"));
	buf_free(&body);
	return rc;
}

/* The mail about a new post in a group, in one language. */
static int group_post_text(struct dctx *dc, const char *lang, const char *author, const char *group,
			   const char *title, int64_t post, const char **subject, const char **body)
{
	struct buf b = BUF_INIT;
	const char *s = arena_printf(dc->arena, "[Respire] %s · %s", group, title);

	*subject = s ? mailq_clean_subject(dc, s) : NULL;
	buf_printf(&b, "%s %s « %s » :\n\n%s\n%s/posts/%lld", author, tr(lang, "mail.group.posted"), group, title,
		   dc->base_url ? dc->base_url : "", (long long)post);
	mail_footer(dc, &b, lang, 0, NULL);
	*body = b.failed ? NULL : arena_strdup(dc->arena, buf_str(&b));
	buf_free(&b);
	return *subject && *body ? 0 : -1;
}

int notify_group_post(struct dctx *dc, int64_t post)
{
	struct db_stmt *st;
	const char *title = NULL, *author = NULL, *group = NULL;
	const char *subj_fr, *body_fr, *subj_en, *body_en;
	int64_t *ids = NULL;
	int n = 0, cap = 0, rc;

	st = db_query(dc->db, "SELECT p.title, COALESCE(u.name, ''), g.name FROM posts p JOIN groups g ON g.id = p.group_id"
		      " LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?", "i", post);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		title = db_col_dup(st, 0, dc->arena);
		author = db_col_dup(st, 1, dc->arena);
		group = db_col_dup(st, 2, dc->arena);
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	if (rc != DB_ROW || !title || !author || !group)
		return 0; /* not in a group */
	if (group_post_text(dc, "fr", author, group, title, post, &subj_fr, &body_fr) < 0 ||
	    group_post_text(dc, "en", author, group, title, post, &subj_en, &body_en) < 0)
		return 0;
	/* One statement for every member of the group who wants a mail at once
	 * and may see the post (the access rule with the member as a column). */
	st = db_query(dc->db, "INSERT INTO mail_queue (to_addr, subject, body, headers, created_at, next_attempt_at,"
		      " claimed_at) SELECT u.email, CASE WHEN u.lang = 'en' THEN ? ELSE ? END,"
		      " CASE WHEN u.lang = 'en' THEN ? ELSE ? END, '', ?, ?, NULLIF(?, 0)"
		      " FROM posts p JOIN groups g ON g.id = p.group_id"
		      " JOIN group_members gm ON gm.group_id = p.group_id AND gm.state = 'member'"
		      " JOIN users u ON u.id = gm.user_id AND u.status = 'active'"
		      " JOIN notification_prefs np ON np.user_id = u.id AND np.kind = 'group' AND np.mode = 'mail'"
		      " WHERE p.id = ? AND u.id <> COALESCE(p.author_id, 0) AND "
		      ACCESS_POST_SQL_FOR("u.id", ACCESS_ADMIN_OF("u")) " ORDER BY u.id RETURNING id",
		      "ssssiiii", subj_en, subj_fr, body_en, body_fr, dc->now, dc->now, mailq_claim_at(dc), post);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			int64_t *more = arena_alloc(dc->arena, sizeof *more * (size_t)(cap ? cap * 2 : 64));

			if (!more)
				break;
			if (n)
				memcpy(more, ids, sizeof *ids * (size_t)n);
			ids = more;
			cap = cap ? cap * 2 : 64;
		}
		ids[n++] = db_col_int(st, 0);
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		mailq_queued(dc, ids[i]);
	return n;
}
