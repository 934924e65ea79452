/* The outgoing mail queue (see mailq.h). */
#include "domain/mailq.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/mail.h"
#include "util/text.h"

/* Set once before the threads start (serve), read-only afterwards. */
static void (*waker)(void);

void mailq_set_waker(void (*fn)(void))
{
	waker = fn;
}

static int outbox_mode(const struct dctx *dc)
{
	return !dc->cfg->smtp_url[0];
}

struct qrow {
	int64_t id;
	const char *to, *subject, *body, *headers;
	int64_t created_at, attempts;
};

int64_t mailq_backoff(const struct config *cfg, int64_t attempts)
{
	int64_t d = cfg->mail_retry_min ? cfg->mail_retry_min : 30;

	for (int64_t i = 1; i < attempts && d < MAILQ_BACKOFF_MAX; i++)
		d *= 2;
	return d < MAILQ_BACKOFF_MAX ? d : MAILQ_BACKOFF_MAX;
}

char *mailq_clean_subject(struct dctx *dc, const char *subject)
{
	size_t n = strlen(subject), cut = n > 200 ? 200 : n;
	char *s;

	/* Cut on a character boundary. */
	while (cut < n && cut > 0 && ((unsigned char)subject[cut] & 0xC0) == 0x80)
		cut--;
	s = arena_alloc(dc->arena, cut + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < cut; i++)
		s[i] = (unsigned char)subject[i] < 0x20 || subject[i] == 0x7f ? ' ' : subject[i];
	s[cut] = '\0';
	return s;
}

/* One attempt at a claimed row, and its outcome recorded. */
static void deliver_row(struct dctx *dc, const struct qrow *q)
{
	char err[256], msgid[64];
	enum mail_result res;
	int64_t now, attempts = q->attempts + 1;
	int64_t n;

	snprintf(msgid, sizeof msgid, "q%lld.%lld", (long long)q->id, (long long)q->created_at);
	res = mail_deliver(dc->cfg, q->to, q->subject, q->body, q->headers, msgid, err, sizeof err);
	now = clock_now();
	if (res == MAIL_SENT) {
		n = db_exec(dc->db, "UPDATE mail_queue SET sent_at = ?, claimed_at = NULL, attempts = ?,"
			    " last_error = '', body = '' WHERE id = ?", "iii", now, attempts, q->id);
		if (n != 1)
			LOG_E("mail: message %lld was sent but could not be marked sent", (long long)q->id);
		return;
	}
	if (res == MAIL_REJECTED || now - q->created_at >= MAILQ_GIVE_UP) {
		n = db_exec(dc->db, "UPDATE mail_queue SET failed_at = ?, claimed_at = NULL, attempts = ?,"
			    " last_error = ?, body = '' WHERE id = ?", "iisi", now, attempts, err, q->id);
		LOG_W("mail: message %lld given up after %lld attempt(s): %s", (long long)q->id,
		      (long long)attempts, err);
	} else {
		int64_t wait = mailq_backoff(dc->cfg, attempts);

		n = db_exec(dc->db, "UPDATE mail_queue SET next_attempt_at = ?, claimed_at = NULL, attempts = ?,"
			    " last_error = ? WHERE id = ?", "iisi", now + wait, attempts, err, q->id);
		LOG_I("mail: message %lld not delivered (attempt %lld), next try in %llds", (long long)q->id,
		      (long long)attempts, (long long)wait);
	}
	if (n != 1)
		LOG_E("mail: the outcome of message %lld could not be recorded", (long long)q->id);
}

static void wake_worker(struct dctx *dc)
{
	dc->mail_queued = 0;
	if (waker)
		waker();
}

int64_t mailq_claim_at(const struct dctx *dc)
{
	/* Outbox: the request that queues it writes it, nobody else. */
	return outbox_mode(dc) ? dc->now : 0;
}

/* A queued row known only by its id: load it (if its transaction committed). */
static void deliver_id(struct dctx *dc, int64_t id)
{
	struct db_stmt *st = db_query(dc->db, "SELECT id, to_addr, subject, body, headers, created_at, attempts"
				      " FROM mail_queue WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
				      "i", id);
	struct qrow q;
	int rc;

	if (!st)
		return;
	rc = db_step(st);
	if (rc == DB_ROW) {
		q.id = db_col_int(st, 0);
		q.to = db_col_dup(st, 1, dc->arena);
		q.subject = db_col_dup(st, 2, dc->arena);
		q.body = db_col_dup(st, 3, dc->arena);
		q.headers = db_col_dup(st, 4, dc->arena);
		q.created_at = db_col_int(st, 5);
		q.attempts = db_col_int(st, 6);
	}
	db_finish(st);
	if (rc == DB_ROW && q.to && q.subject && q.body && q.headers)
		deliver_row(dc, &q);
}

void mailq_queued(struct dctx *dc, int64_t id)
{
	if (!outbox_mode(dc)) {
		dc->mail_queued = 1;
		if (!db_in_transaction(dc->db))
			wake_worker(dc);
		return;
	}
	if (!db_in_transaction(dc->db)) {
		deliver_id(dc, id);
	} else if (dc->nmail_pending < (int)(sizeof dc->mail_pending / sizeof dc->mail_pending[0])) {
		dc->mail_pending[dc->nmail_pending++] = id;
	} else {
		/* More than this context keeps: the worker sends it once committed. */
		db_exec(dc->db, "UPDATE mail_queue SET claimed_at = NULL WHERE id = ?", "i", id);
	}
}

int mail_enqueue(struct dctx *dc, const char *to, const char *subject, const char *body,
		 const char *extra_headers)
{
	struct db_stmt *st;
	struct qrow q = { 0 };
	char *subj;
	int rc;

	if (!to || !email_shape_ok(to) || !subject || !body || !mail_headers_ok(extra_headers) ||
	    strlen(body) > MAILQ_BODY_MAX || !utf8_valid(body, strlen(body)) ||
	    !utf8_valid(subject, strlen(subject))) {
		LOG_E("mail: refused to queue a malformed message");
		return -2;
	}
	if (!(subj = mailq_clean_subject(dc, subject)))
		return -2;
	st = db_query(dc->db, "INSERT INTO mail_queue (to_addr, subject, body, headers, created_at, next_attempt_at,"
		      " claimed_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0)) RETURNING id", "ssssiii", to, subj, body,
		      extra_headers ? extra_headers : "", dc->now, dc->now, mailq_claim_at(dc));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		q.id = db_col_int(st, 0);
	if (db_finish(st) < 0 || rc != DB_ROW)
		return -1;
	if (outbox_mode(dc) && !db_in_transaction(dc->db)) {
		/* Known already: no need to read it back. */
		q.to = to;
		q.subject = subj;
		q.body = body;
		q.headers = extra_headers ? extra_headers : "";
		q.created_at = dc->now;
		deliver_row(dc, &q);
		return 0;
	}
	mailq_queued(dc, q.id);
	return 0;
}

void mailq_flush(struct dctx *dc)
{
	int n = dc->nmail_pending;

	if (!dc->db || db_in_transaction(dc->db))
		return; /* still open: the claim runs out and the worker sends them */
	dc->nmail_pending = 0;
	for (int i = 0; i < n; i++)
		deliver_id(dc, dc->mail_pending[i]);
	if (dc->mail_queued)
		wake_worker(dc);
}

int mailq_deliver(struct dctx *dc, int max)
{
	struct qrow *rows;
	struct db_stmt *st;
	int64_t now = clock_now(), due = 0;
	int n = 0, rc;

	if (max < 1)
		max = 1;
	/* A read first: most rounds find nothing and take no write lock. */
	rc = db_int(dc->db, &due, "SELECT id FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL"
		    " AND next_attempt_at <= ? AND (claimed_at IS NULL OR claimed_at < ?) LIMIT 1", "ii",
		    now, now - MAILQ_STALE_CLAIM);
	if (rc <= 0)
		return rc;
	rows = arena_alloc(dc->arena, sizeof *rows * (size_t)max);
	if (!rows)
		return -1;
	/* The conditions are checked again on the row itself, so that of two
	 * instances claiming at once only one gets each row. */
	st = db_query(dc->db, "UPDATE mail_queue SET claimed_at = ? WHERE id IN (SELECT id FROM mail_queue"
		      " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?"
		      " AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY id LIMIT ?)"
		      " AND sent_at IS NULL AND failed_at IS NULL AND (claimed_at IS NULL OR claimed_at < ?)"
		      " RETURNING id, to_addr, subject, body, headers, created_at, attempts", "iiiii",
		      now, now, now - MAILQ_STALE_CLAIM, (int64_t)max, now - MAILQ_STALE_CLAIM);
	if (!st)
		return -1;
	while (n < max && db_step(st) == DB_ROW) {
		struct qrow *q = &rows[n];

		q->id = db_col_int(st, 0);
		q->to = db_col_dup(st, 1, dc->arena);
		q->subject = db_col_dup(st, 2, dc->arena);
		q->body = db_col_dup(st, 3, dc->arena);
		q->headers = db_col_dup(st, 4, dc->arena);
		q->created_at = db_col_int(st, 5);
		q->attempts = db_col_int(st, 6);
		if (q->to && q->subject && q->body && q->headers)
			n++;
	}
	if (db_finish(st) < 0)
		return -1;
	/* In queuing order (RETURNING promises none). */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && rows[j - 1].id > rows[j].id; j--) {
			struct qrow t = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	for (int i = 0; i < n; i++)
		deliver_row(dc, &rows[i]);
	return n;
}

int64_t mailq_purge(struct dctx *dc, int64_t age)
{
	int64_t before = dc->now - age, n, t, d;

	n = db_exec(dc->db, "DELETE FROM mail_queue WHERE (sent_at IS NOT NULL AND sent_at < ?)"
		    " OR (failed_at IS NOT NULL AND failed_at < ?)", "ii", before, before);
	/* The bookkeeping of notification mails: marks past their use. */
	t = db_exec(dc->db, "DELETE FROM mail_throttle WHERE last_at < ?", "i", dc->now - 86400);
	d = db_exec(dc->db, "DELETE FROM digests WHERE sent_at < ?", "i", dc->now - 60 * 86400);
	return n < 0 || t < 0 || d < 0 ? -1 : n + t + d;
}
