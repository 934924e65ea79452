/* The mail queue, notification settings and unsubscribe tokens, and the
 * private-message mails' throttle, on a temporary SQLite database. Outbox
 * mode writes to TMP/outbox; SMTP mode points at a closed port. */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/domain.h"
#include "domain/mailq.h"
#include "domain/notify.h"
#include "domain/notify_prefs.h"
#include "store/db.h"
#include "suites.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/mail.h"

static char dir[64];
static struct db_pool *pool;
static struct db *db;
static struct arena *arena;
static struct config cfg;
static struct dctx dc;
static const unsigned char secret[33] = "0123456789abcdef0123456789abcdef";

static void setup(void)
{
	struct config_flags fl = { NULL, NULL, NULL };
	char err[256] = "", path[128];
	static const char *const env[] = { "RESPIRE_DATA", "RESPIRE_DB", "RESPIRE_SMTP_URL", "RESPIRE_BASE_URL",
					   "RESPIRE_MAIL_RETRY_MIN", NULL };

	for (const char *const *e = env; *e; e++)
		unsetenv(*e);
	snprintf(dir, sizeof dir, "/tmp/respire-unit-mail-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fl.data = dir;
	ck_assert_msg(config_load(&cfg, &fl, err, sizeof err) == 0, "config: %s", err);
	snprintf(path, sizeof path, "%s/respire.db", dir);
	ck_assert_msg(db_pool_open(&pool, path, 2, err, sizeof err) == 0, "pool: %s", err);
	db = db_pool_get(pool);
	ck_assert_ptr_nonnull(db);
	ck_assert_int_gt(db_migrate(db), 0);
	arena = arena_new();
	memset(&dc, 0, sizeof dc);
	dc.db = db;
	dc.arena = arena;
	dc.cfg = &cfg;
	dc.base_url = "http://test";
	dc.lang = "fr";
	dc.secret = secret;
	dc.now = (int64_t)time(NULL);
	dc.client_ip = "";
	dc.user_agent = "";
	for (int u = 1; u <= 3; u++) {
		char email[64];

		snprintf(email, sizeof email, "m%d@ac-lyon.fr", u);
		ck_assert_int_eq(db_exec(db, "INSERT INTO users (id, email, name, handle, password_hash, status, site_role,"
					 " created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'active', 'member', ?, ?)",
					 "isssii", (int64_t)u, email, email, email, dc.now, dc.now), 1);
	}
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void teardown(void)
{
	arena_free(arena);
	db_pool_put(pool, db);
	db_pool_close(pool);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int is_mail(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 && !strcmp(d->d_name + n - 4, ".eml");
}

static int outbox_count(void)
{
	char ob[128];
	struct dirent **list;
	int n;

	snprintf(ob, sizeof ob, "%s/outbox", dir);
	n = scandir(ob, &list, is_mail, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return n;
}

static int64_t q_int(const char *what)
{
	int64_t v = -1;
	int rc = -1;

	if (!strcmp(what, "pending"))
		rc = db_int(db, &v, "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL", "");
	else if (!strcmp(what, "sent"))
		rc = db_int(db, &v, "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NOT NULL AND body = ''", "");
	else if (!strcmp(what, "failed"))
		rc = db_int(db, &v, "SELECT COUNT(*) FROM mail_queue WHERE failed_at IS NOT NULL", "");
	ck_assert_msg(rc == 1, "q_int(%s): the count could not be read", what);
	return v;
}

START_TEST(headers_checked)
{
	ck_assert(mail_headers_ok(NULL));
	ck_assert(mail_headers_ok(""));
	ck_assert(mail_headers_ok("List-Unsubscribe: <http://x/u?a=1&b=2>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"));
	ck_assert(mail_headers_ok("X-A: b\r\nX-B: c\r\n"));
	ck_assert(!mail_headers_ok("Bcc: victim@example.org"));
	ck_assert(!mail_headers_ok("subject: again"));
	ck_assert(!mail_headers_ok("X-A: b\rX-B: c"));
	ck_assert(!mail_headers_ok("X-A: b\n\nbody"));
	ck_assert(!mail_headers_ok("X-A b"));
	ck_assert(!mail_headers_ok(": b"));
	ck_assert(!mail_headers_ok("X-A: caf\xc3\xa9"));
	ck_assert(!mail_headers_ok("X-A: a\tb"));
}
END_TEST

START_TEST(backoff_doubles_up_to_an_hour)
{
	ck_assert_int_eq(mailq_backoff(&cfg, 1), 30);
	ck_assert_int_eq(mailq_backoff(&cfg, 2), 60);
	ck_assert_int_eq(mailq_backoff(&cfg, 3), 120);
	ck_assert_int_eq(mailq_backoff(&cfg, 7), 1920);
	ck_assert_int_eq(mailq_backoff(&cfg, 8), 3600);
	ck_assert_int_eq(mailq_backoff(&cfg, 1000), 3600);
	cfg.mail_retry_min = 1;
	ck_assert_int_eq(mailq_backoff(&cfg, 1), 1);
	ck_assert_int_eq(mailq_backoff(&cfg, 4), 8);
}
END_TEST

START_TEST(outbox_after_commit_only)
{
	/* Outside a transaction: written at once. */
	ck_assert_int_eq(mail_enqueue(&dc, "m1@ac-lyon.fr", "Un", "corps", NULL), 0);
	ck_assert_int_eq(outbox_count(), 1);
	ck_assert_int_eq(q_int("sent"), 1);
	/* Inside a rolled-back transaction: never written. */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(mail_enqueue(&dc, "m1@ac-lyon.fr", "Deux", "corps", NULL), 0);
	ck_assert_int_eq(outbox_count(), 1);
	db_rollback(db);
	mailq_flush(&dc);
	ck_assert_int_eq(outbox_count(), 1);
	/* Inside a committed one: written by the flush, once. */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(mail_enqueue(&dc, "m1@ac-lyon.fr", "Trois\r\nBcc: x@y.fr", "corps", "X-Test: 1"), 0);
	mailq_flush(&dc); /* still open: nothing yet */
	ck_assert_int_eq(outbox_count(), 1);
	ck_assert_int_eq(db_commit(db), 0);
	mailq_flush(&dc);
	mailq_flush(&dc);
	ck_assert_int_eq(outbox_count(), 2);
	ck_assert_int_eq(q_int("sent"), 2);
	ck_assert_int_eq(q_int("pending"), 0);
	/* The worker finds nothing left to do. */
	ck_assert_int_eq(mailq_deliver(&dc, 10), 0);
	/* Malformed: refused before the queue. */
	ck_assert_int_eq(mail_enqueue(&dc, "not an address", "x", "y", NULL), -2);
	ck_assert_int_eq(mail_enqueue(&dc, "m1@ac-lyon.fr", "x", "y", "Bcc: a@b.fr"), -2);
	ck_assert_int_eq(mail_enqueue(&dc, "m1@ac-lyon.fr", "x", "\xff\xfe", NULL), -2);
}
END_TEST

START_TEST(smtp_down_retries_then_gives_up)
{
	int64_t attempts = 0, next = 0, claimed = 1;

	snprintf(cfg.smtp_url, sizeof cfg.smtp_url, "smtp://127.0.0.1:1");
	ck_assert_int_eq(mail_enqueue(&dc, "m2@ac-lyon.fr", "Sujet", "corps", NULL), 0);
	ck_assert_int_eq(q_int("pending"), 1);
	ck_assert_int_eq(mailq_deliver(&dc, 10), 1); /* refused connection: a temporary failure */
	ck_assert_int_eq(q_int("pending"), 1);
	ck_assert_int_eq(db_int(db, &attempts, "SELECT attempts FROM mail_queue", ""), 1);
	ck_assert_int_eq(attempts, 1);
	ck_assert_int_eq(db_int(db, &next, "SELECT next_attempt_at - created_at FROM mail_queue", ""), 1);
	ck_assert_int_ge(next, 30);
	ck_assert_int_eq(db_int(db, &claimed, "SELECT COUNT(*) FROM mail_queue WHERE claimed_at IS NOT NULL", ""), 1);
	ck_assert_int_eq(claimed, 0);
	/* Not due yet: nothing to do. */
	ck_assert_int_eq(mailq_deliver(&dc, 10), 0);
	/* Queued 49 hours ago and due: given up. */
	ck_assert_int_eq(db_exec(db, "UPDATE mail_queue SET created_at = ?, next_attempt_at = ?", "ii",
				 dc.now - 49 * 3600, dc.now - 1), 1);
	ck_assert_int_eq(mailq_deliver(&dc, 10), 1);
	ck_assert_int_eq(q_int("failed"), 1);
	ck_assert_int_eq(q_int("pending"), 0);
	/* A claim younger than MAILQ_STALE_CLAIM is left alone, an older one is taken over. */
	ck_assert_int_eq(mail_enqueue(&dc, "m2@ac-lyon.fr", "Autre", "corps", NULL), 0);
	ck_assert_int_eq(db_exec(db, "UPDATE mail_queue SET claimed_at = ? WHERE failed_at IS NULL", "i", dc.now), 1);
	ck_assert_int_eq(mailq_deliver(&dc, 10), 0);
	ck_assert_int_eq(db_exec(db, "UPDATE mail_queue SET claimed_at = ? WHERE failed_at IS NULL", "i",
				 dc.now - MAILQ_STALE_CLAIM - 10), 1);
	ck_assert_int_eq(mailq_deliver(&dc, 10), 1);
	ck_assert_int_eq(outbox_count(), 0);
	/* Housekeeping: the failed row of 49 hours ago goes after 30 days only. */
	ck_assert_int_eq(mailq_purge(&dc, MAILQ_KEEP), 0); /* nothing old enough: no row removed */
	ck_assert_int_eq(q_int("failed"), 1);
}
END_TEST

START_TEST(settings_and_unsubscribe_tokens)
{
	struct notify_prefs p;
	const char *kinds[] = { "reply", "group" }, *modes[] = { "mail", "digest" }, *field;
	const char *bad_kind[] = { "replies" }, *bad_mode[] = { "sms" };
	char t[UNSUBSCRIBE_TOKEN_LEN + 1], t2[UNSUBSCRIBE_TOKEN_LEN + 1];

	ck_assert_int_eq(notify_prefs_get(&dc, 1, &p), D_OK);
	for (int i = 0; i < NOTIFY_KINDS; i++)
		ck_assert_str_eq(p.mode[i], "page");
	ck_assert_int_eq(notify_prefs_set(&dc, 1, 2, kinds, modes, &field), D_OK);
	ck_assert_str_eq(notify_pref_mode(&dc, 1, "reply"), "mail");
	ck_assert_str_eq(notify_pref_mode(&dc, 1, "group"), "digest");
	ck_assert_str_eq(notify_pref_mode(&dc, 2, "reply"), "page");
	ck_assert_int_eq(notify_prefs_set(&dc, 1, 1, bad_kind, modes, &field), D_INVALID);
	ck_assert_int_eq(notify_prefs_set(&dc, 1, 1, kinds, bad_mode, &field), D_INVALID);
	ck_assert_str_eq(field, "reply");
	ck_assert_str_eq(notify_category("group_request"), "request");
	ck_assert_str_eq(notify_category("contact_accepted"), "request");
	ck_assert_ptr_null(notify_category("nonsense"));

	unsubscribe_token(&dc, 1, "reply", t);
	ck_assert_uint_eq(strlen(t), UNSUBSCRIBE_TOKEN_LEN);
	unsubscribe_token(&dc, 1, "group", t2);
	ck_assert_str_ne(t, t2);
	ck_assert_int_eq(unsubscribe_check(&dc, 1, "reply", t), D_OK);
	ck_assert_int_eq(unsubscribe_check(&dc, 2, "reply", t), D_NOT_FOUND);
	ck_assert_int_eq(unsubscribe_check(&dc, 1, "group", t), D_NOT_FOUND);
	ck_assert_int_eq(unsubscribe_check(&dc, 1, "bogus", t), D_NOT_FOUND);
	ck_assert_int_eq(unsubscribe_check(&dc, 99, "reply", t), D_NOT_FOUND);
	t[0] = t[0] == '0' ? '1' : '0';
	ck_assert_int_eq(unsubscribe_check(&dc, 1, "reply", t), D_NOT_FOUND);
	ck_assert_int_eq(unsubscribe_check(&dc, 1, "reply", "short"), D_NOT_FOUND);
	unsubscribe_token(&dc, 1, "all", t);
	ck_assert_int_eq(unsubscribe_apply(&dc, 1, "all", t), D_OK);
	ck_assert_str_eq(notify_pref_mode(&dc, 1, "reply"), "page");
	ck_assert_str_eq(notify_pref_mode(&dc, 1, "group"), "page");
	ck_assert_ptr_nonnull(strstr(unsubscribe_url(&dc, 1, "all"), "http://test/unsubscribe?u=1&k=all&t="));
}
END_TEST

START_TEST(message_mails_are_throttled_per_room)
{
	const char *kinds[] = { "message" }, *modes[] = { "mail" }, *field;

	ck_assert_int_eq(db_exec(db, "INSERT INTO chat_rooms (id, kind, created_at) VALUES (1, 'private', ?)", "i",
				 dc.now), 1);
	ck_assert_int_eq(db_exec(db, "INSERT INTO chat_rooms (id, kind, created_at) VALUES (2, 'private', ?)", "i",
				 dc.now), 1);
	ck_assert_int_eq(db_exec(db, "INSERT INTO chat_participants (room_id, user_id, joined_at) VALUES"
				 " (1, 1, 0), (1, 2, 0), (2, 1, 0), (2, 2, 0)", ""), 4);
	/* page mode: nothing */
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Bonjour"), 0);
	ck_assert_int_eq(notify_prefs_set(&dc, 1, 1, kinds, modes, &field), D_OK);
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Bonjour, voici le document"), 1);
	ck_assert_int_eq(outbox_count(), 1);
	/* the same room within ten minutes: nothing; another room: a mail */
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Encore"), 0);
	ck_assert_int_eq(notify_message_mail(&dc, 1, 2, 2, "Ailleurs"), 1);
	dc.now += MESSAGE_MAIL_GAP - 1;
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Toujours"), 0);
	dc.now += 1;
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Dix minutes après"), 1);
	ck_assert_int_eq(outbox_count(), 3);
	/* not in the room, blocked, or one's own message: nothing */
	ck_assert_int_eq(notify_prefs_set(&dc, 3, 1, kinds, modes, &field), D_OK);
	ck_assert_int_eq(notify_message_mail(&dc, 3, 1, 2, "Intrus"), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (1, 2, 0)", ""), 1);
	dc.now += MESSAGE_MAIL_GAP;
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 2, "Bloqué"), 0);
	ck_assert_int_eq(notify_message_mail(&dc, 1, 1, 1, "Moi"), 0);
	ck_assert_int_eq(outbox_count(), 3);
}
END_TEST

Suite *mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tu = tcase_create("pure");
	TCase *tq = tcase_create("queue");

	tcase_add_test(tu, headers_checked);
	suite_add_tcase(s, tu);
	tcase_add_checked_fixture(tq, setup, teardown);
	tcase_set_timeout(tq, 60);
	tcase_add_test(tq, backoff_doubles_up_to_an_hour);
	tcase_add_test(tq, outbox_after_commit_only);
	tcase_add_test(tq, smtp_down_retries_then_gives_up);
	tcase_add_test(tq, settings_and_unsubscribe_tokens);
	tcase_add_test(tq, message_mails_are_throttled_per_room);
	suite_add_tcase(s, tq);
	return s;
}
