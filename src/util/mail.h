/* Outgoing mail: one RFC 5322 file per message in DATA/outbox (names sort in
 * sending order), or SMTP through libcurl when smtp_url is set. The queue
 * (domain/mailq.c) decides when; this file only composes and hands over. */
#ifndef RESPIRE_UTIL_MAIL_H
#define RESPIRE_UTIL_MAIL_H

#include <stddef.h>

#include "util/config.h"

/* What one delivery attempt came to. */
enum mail_result {
	MAIL_SENT = 0,      /* written to the outbox, or accepted by the SMTP server */
	MAIL_RETRY,         /* try again later: no connection, timeout, a 4xx answer, a full disk */
	MAIL_REJECTED,      /* never worth retrying: malformed message, a 5xx answer */
};

/* Extra header lines ("Name: value", separated by LF or CRLF) must be
 * printable ASCII, one header per line, and not one the composer writes
 * itself (From, To, Subject, Date, Message-ID, MIME-Version, Content-*,
 * Auto-Submitted). 1 when acceptable; NULL and "" are. */
int mail_headers_ok(const char *headers);

/* Sends one message. headers may be NULL; msgid (may be NULL) is the local
 * part of the Message-ID (a queue row keeps the same one across retries);
 * err (may be NULL) receives a short reason on failure, never the SMTP URL. */
enum mail_result mail_deliver(const struct config *cfg, const char *to, const char *subject, const char *text,
			      const char *headers, const char *msgid, char *err, size_t errlen);

/* mail_deliver without extra headers: 0 when sent, -1 otherwise. */
int mail_send(const struct config *cfg, const char *to, const char *subject, const char *text);

#endif
