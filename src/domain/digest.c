/* Daily digests (see digest.h). */
#include "domain/digest.h"

#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/mailq.h"
#include "domain/notify.h"
#include "domain/notify_prefs.h"
#include "i18n/i18n.h"
#include "util/buf.h"
#include "util/log.h"

#define DIGEST_DAY 86400
#define DIGEST_MAX_NOTIFICATIONS 50
#define DIGEST_MAX_POSTS 30
#define DIGEST_BATCH 200

struct member {
	int64_t id;
	const char *email, *name, *lang;
	int admin;
	int digest[NOTIFY_KINDS];   /* in notify_pref_kinds order */
};

static int wants(const struct member *m, const char *kind)
{
	for (int i = 0; i < NOTIFY_KINDS; i++)
		if (!strcmp(notify_pref_kinds[i], kind))
			return m->digest[i];
	return 0;
}

/* 1 with the member filled, 0 when gone or inactive, -1 on error. */
static int member_load(struct dctx *dc, int64_t user, struct member *m)
{
	struct db_stmt *st = db_query(dc->db, "SELECT email, name, lang, CASE WHEN site_role = 'admin' THEN 1 ELSE 0 END"
				      " FROM users WHERE id = ? AND status = 'active'", "i", user);
	struct notify_prefs prefs;
	int rc;

	memset(m, 0, sizeof *m);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *lang = db_col_text(st, 2);

		m->id = user;
		m->email = db_col_dup(st, 0, dc->arena);
		m->name = db_col_dup(st, 1, dc->arena);
		m->lang = lang && !strcmp(lang, "en") ? "en" : "fr";
		m->admin = (int)db_col_int(st, 3);
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	if (rc != DB_ROW || !m->email || !m->name)
		return 0;
	if (notify_prefs_get(dc, user, &prefs) != D_OK)
		return -1;
	for (int i = 0; i < NOTIFY_KINDS; i++)
		m->digest[i] = !strcmp(prefs.mode[i], "digest");
	return 1;
}

/* The notifications part; the number of lines written, or -1. */
static int add_notifications(struct dctx *dc, const struct member *m, const struct viewer *v, int64_t from,
			     struct buf *b)
{
	struct notification *ns;
	int n = notifications_between(dc, v, from, dc->now, DIGEST_MAX_NOTIFICATIONS, &ns), shown = 0;

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *cat = notify_category(ns[i].kind), *s;

		/* Private messages are counted below, not listed. */
		if (!cat || !strcmp(cat, "message") || !wants(m, cat))
			continue;
		if (!(s = notification_sentence(dc, &ns[i], m->lang)))
			continue;
		if (!shown++)
			buf_printf(b, "\n%s\n\n", tr(m->lang, "mail.digest.notifications"));
		buf_printf(b, "- %s\n  %s%s\n", s, dc->base_url, notification_path(dc, &ns[i]));
	}
	return shown;
}

/* New posts in the member's groups that they may see; lines written, or -1. */
static int add_group_posts(struct dctx *dc, const struct member *m, const struct viewer *v, int64_t from,
			   struct buf *b)
{
	struct db_stmt *st;
	int shown = 0;
	int64_t last_group = 0;

	st = db_query(dc->db, "SELECT p.id, p.title, g.id, g.name, COALESCE(u.name, '')"
		      " FROM posts p LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users u ON u.id = p.author_id"
		      " WHERE p.group_id IN (SELECT mg.group_id FROM group_members mg WHERE mg.user_id = ?"
		      " AND mg.state = 'member') AND p.created_at >= ? AND p.created_at <= ?"
		      " AND COALESCE(p.author_id, 0) <> ? AND " ACCESS_POST_SQL
		      " ORDER BY g.name, g.id, p.id LIMIT ?",
		      "iiii" ACCESS_POST_TYPES "i", m->id, from, dc->now, m->id, ACCESS_POST_ARGS(v),
		      (int64_t)DIGEST_MAX_POSTS);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		int64_t post = db_col_int(st, 0), group = db_col_int(st, 2);
		const char *title = db_col_text(st, 1), *gname = db_col_text(st, 3), *author = db_col_text(st, 4);

		if (!shown++)
			buf_printf(b, "\n%s\n", tr(m->lang, "mail.digest.groups"));
		if (group != last_group) {
			buf_printf(b, "\n%s (%s/groups/%lld)\n", gname ? gname : "", dc->base_url, (long long)group);
			last_group = group;
		}
		buf_printf(b, "- « %s »", title ? title : "");
		if (author && *author)
			buf_printf(b, " %s %s", tr(m->lang, "mail.digest.by"), author);
		buf_printf(b, "\n  %s/posts/%lld\n", dc->base_url, (long long)post);
	}
	if (db_finish(st) < 0)
		return -1;
	return shown;
}

/* Unread private messages; the count, or -1. */
static int64_t unread_messages(struct dctx *dc, int64_t user)
{
	int64_t n = 0;

	if (db_int(dc->db, &n, "SELECT COUNT(*) FROM chat_messages m"
		   " JOIN chat_rooms cr ON cr.id = m.room_id AND cr.kind = 'private'"
		   " JOIN chat_participants cp ON cp.room_id = cr.id AND cp.user_id = ?"
		   " LEFT JOIN chat_reads rd ON rd.room_id = cr.id AND rd.user_id = ?"
		   " WHERE m.id > COALESCE(rd.last_read_id, 0) AND COALESCE(m.author_id, 0) <> ?"
		   " AND NOT EXISTS (SELECT 1 FROM blocks bl WHERE bl.blocker_id = ? AND bl.blocked_id = m.author_id)",
		   "iiii", user, user, user, user) < 0)
		return -1;
	return n;
}

/* Composes and queues one member's digest for day, in one transaction with
 * its digests row. 1 sent, 0 nothing to send (or sent already), -1 error. */
static int digest_one(struct dctx *dc, int64_t user, const char *day)
{
	struct member m;
	struct viewer v = { 0 };
	struct buf b = BUF_INIT;
	int64_t last = 0, from, unread = 0, claimed;
	int said = 0, rc, k;
	const char *headers, *stop;

	if ((rc = member_load(dc, user, &m)) <= 0)
		return rc;
	for (k = 0; k < NOTIFY_KINDS && !m.digest[k]; k++)
		;
	if (k == NOTIFY_KINDS)
		return 0;
	v.id = m.id;
	v.admin = m.admin;
	v.name = m.name;
	v.lang = m.lang;
	if (db_begin(dc->db) < 0)
		return -1;
	if (db_int(dc->db, &last, "SELECT COALESCE(MAX(sent_at), 0) FROM digests WHERE user_id = ?", "i", user) < 0)
		goto fail;
	claimed = db_exec(dc->db, "INSERT INTO digests (user_id, day, sent_at) VALUES (?, ?, ?)"
			  " ON CONFLICT (user_id, day) DO NOTHING", "isi", user, day, dc->now);
	if (claimed < 0)
		goto fail;
	if (claimed == 0) { /* another round, or another instance, did it */
		db_rollback(dc->db);
		return 0;
	}
	/* From the second of the last digest, both ends included: an item of
	 * that very second may show twice, none is ever skipped. */
	from = last > 0 && last <= dc->now ? last : dc->now - DIGEST_DAY;
	buf_printf(&b, "%s %s,\n\n%s\n", tr(m.lang, "mail.digest.hello"), m.name, tr(m.lang, "mail.digest.intro"));
	if ((rc = add_notifications(dc, &m, &v, from, &b)) < 0)
		goto fail;
	said += rc;
	if (wants(&m, "group")) {
		if ((rc = add_group_posts(dc, &m, &v, from > dc->now - DIGEST_DAY ? from : dc->now - DIGEST_DAY, &b)) < 0)
			goto fail;
		said += rc;
	}
	if (wants(&m, "message")) {
		if ((unread = unread_messages(dc, user)) < 0)
			goto fail;
		if (unread > 0) {
			buf_printf(&b, "\n%s\n\n%lld %s\n  %s/rooms\n", tr(m.lang, "mail.digest.messages"), (long long)unread,
				   tr(m.lang, unread == 1 ? "mail.digest.unread_one" : "mail.digest.unread_many"),
				   dc->base_url);
			said++;
		}
	}
	if (!said) { /* nothing to say: no mail, and the day is not used up */
		buf_free(&b);
		db_rollback(dc->db);
		return 0;
	}
	stop = unsubscribe_url(dc, user, "all");
	buf_printf(&b, "\n%s\n\n-- \n%s%s/me/notification-settings\n%s%s\n", tr(m.lang, "mail.signature"),
		   tr(m.lang, "mail.now.settings"), dc->base_url, tr(m.lang, "mail.digest.stop"), stop ? stop : "");
	headers = notify_unsubscribe_headers(dc, user, "all");
	if (b.failed)
		goto fail;
	rc = mail_enqueue(dc, m.email, tr(m.lang, "mail.digest.subject"), buf_str(&b), headers);
	if (rc == -2) { /* cannot be composed: logged; nothing sent today */
		buf_free(&b);
		db_rollback(dc->db);
		return 0;
	}
	if (rc < 0)
		goto fail;
	if (db_commit(dc->db) < 0)
		goto fail_rolled;
	buf_free(&b);
	mailq_flush(dc);
	return 1;
fail:
	db_rollback(dc->db);
fail_rolled:
	buf_free(&b);
	mailq_flush(dc); /* forgets what the rolled-back transaction queued */
	return -1;
}

int digest_run(struct dctx *dc, int force)
{
	time_t t = (time_t)dc->now;
	struct tm tm;
	char day[16];
	int64_t after = 0;
	int sent = 0, failed = 0;

	if (!dc->base_url || !dc->base_url[0]) {
		LOG_W("digest: no base URL for the links yet; not sent");
		return 0;
	}
	localtime_r(&t, &tm);
	if (!force && dc->cfg->digest_hour >= 0 && tm.tm_hour < dc->cfg->digest_hour)
		return 0;
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	for (;;) {
		int64_t ids[DIGEST_BATCH];
		int n = 0;
		struct db_stmt *st = db_query(dc->db, "SELECT DISTINCT np.user_id FROM notification_prefs np"
					      " JOIN users u ON u.id = np.user_id AND u.status = 'active'"
					      " WHERE np.mode = 'digest' AND np.user_id > ? AND NOT EXISTS (SELECT 1"
					      " FROM digests d WHERE d.user_id = np.user_id AND d.day = ?)"
					      " ORDER BY np.user_id LIMIT ?", "isi", after, day, (int64_t)DIGEST_BATCH);

		if (!st)
			return -1;
		while (n < DIGEST_BATCH && db_step(st) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		if (db_finish(st) < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			/* Each member's text in its own arena: memory stays flat. */
			struct arena *outer = dc->arena, *mine = arena_new();
			int rc;

			if (!mine)
				return -1;
			dc->arena = mine;
			rc = digest_one(dc, ids[i], day);
			dc->arena = outer;
			arena_free(mine);
			if (rc > 0)
				sent++;
			else if (rc < 0)
				failed++;
			after = ids[i];
		}
		if (n < DIGEST_BATCH)
			break;
	}
	if (sent)
		LOG_I("digest: %d daily digest(s) queued for %s", sent, day);
	if (failed)
		LOG_E("digest: %d digest(s) could not be made (database errors); the next round tries again", failed);
	return failed && !sent ? -1 : sent;
}
