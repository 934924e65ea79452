/* Outgoing mail: one RFC 5322 file per message in DATA/outbox (names sort in
 * sending order), or SMTP through libcurl when smtp_url is set. */
#ifndef RESPIRE_UTIL_MAIL_H
#define RESPIRE_UTIL_MAIL_H

#include "util/config.h"

/* Returns 0 when the message was written or accepted by the SMTP server. */
int mail_send(const struct config *cfg, const char *to, const char *subject, const char *text);

#endif
