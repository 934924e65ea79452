/* The outgoing mail queue (table mail_queue). Every mail the domain sends
 * goes through it, so that none is lost while the SMTP server is down and
 * none is sent twice.
 *
 * - Outbox mode (no smtp_url: development, tests): a mail is written to
 *   DATA/outbox at once, or, when queued inside a transaction, as soon as
 *   the front-end calls mailq_flush() after the transaction (the request's
 *   end), so a rolled-back action mails nothing. Until then the row is
 *   claimed by the request; a failed write leaves it to the worker.
 * - SMTP mode: the row waits for the mail worker (cmd/serve.c, every second
 *   and woken after a request that queued mail), which claims due rows with
 *   one UPDATE ... RETURNING (several instances share the queue; a claim
 *   older than MAILQ_STALE_CLAIM is taken over), sends them, marks them
 *   sent. A temporary failure is retried after mail_retry_min seconds,
 *   doubling up to an hour; a permanent one (a 5xx answer, a malformed
 *   message) or 48 hours of failures mark the row failed (logged). */
#ifndef RESPIRE_DOMAIN_MAILQ_H
#define RESPIRE_DOMAIN_MAILQ_H

#include <stdint.h>

#include "domain/domain.h"

#define MAILQ_STALE_CLAIM 300            /* seconds: an abandoned claim is retried */
#define MAILQ_GIVE_UP (48 * 3600)        /* seconds after queuing: failed for good */
#define MAILQ_BACKOFF_MAX 3600           /* the longest wait between two attempts */
#define MAILQ_BODY_MAX (256 * 1024)      /* bytes of one message's text */
#define MAILQ_KEEP (30 * 86400)          /* seconds sent and failed rows are kept (bodies are not) */

/* Queues one mail; extra_headers (may be NULL) as for mail_headers_ok().
 * The subject is cleaned (control characters become spaces, at most 200
 * bytes). 0 when queued (delivered or not yet), -1 on a database error,
 * -2 when the address, a header or the text is malformed (logged). */
int mail_enqueue(struct dctx *dc, const char *to, const char *subject, const char *body,
		 const char *extra_headers);

/* For one statement that queues many mails at once:
 *   INSERT INTO mail_queue (to_addr, subject, body, headers, created_at,
 *   next_attempt_at, claimed_at) SELECT ..., ?, ?, NULLIF(?, 0) ... RETURNING id
 * binds dc->now twice and mailq_claim_at(dc), then calls mailq_queued() with
 * every id returned. */
int64_t mailq_claim_at(const struct dctx *dc);
void mailq_queued(struct dctx *dc, int64_t id);
/* A subject made safe for a header line, in dc's arena (NULL: out of memory). */
char *mailq_clean_subject(struct dctx *dc, const char *subject);

/* Delivers what this context queued inside its transactions (call once
 * they are committed or rolled back), and wakes the worker when SMTP mail
 * waits. Safe to call any time, also with nothing queued. */
void mailq_flush(struct dctx *dc);

/* The worker: claims up to max due mails and tries each once. The number
 * tried, or -1 on a database error. */
int mailq_deliver(struct dctx *dc, int max);

/* Seconds to wait after the given number of failed attempts (1, 2, ...). */
int64_t mailq_backoff(const struct config *cfg, int64_t attempts);

/* Housekeeping: sent and failed rows older than age seconds, marks of
 * message mails older than a day (mail_throttle), digest records older than
 * 60 days. The number of rows removed, or -1. */
int64_t mailq_purge(struct dctx *dc, int64_t age);

/* Called (from any thread) when a committed mail waits for the worker; set
 * once by serve before its threads start. NULL: nobody to wake. */
void mailq_set_waker(void (*fn)(void));

#endif
