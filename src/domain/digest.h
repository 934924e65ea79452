/* Daily digests: one mail a day per member who put at least one kind of
 * notification in "digest" mode, with
 *  - the notifications of those kinds since their last digest (the first
 *    one: the last 24 hours), only what they may still see;
 *  - with "group": the posts of the last day (and since the last digest) in
 *    the groups they are a member of, only those they may see, not theirs;
 *  - with "message": how many private messages they have not read (rooms of
 *    kind private they are in, past their read mark, not their own, not
 *    from someone they blocked).
 * Nothing to say: no mail (and the day stays open: a later round may send
 * one). The table digests (user_id, day) makes it once a day, also with
 * several instances: the row is claimed in the transaction that queues the
 * mail. Each digest carries a link that unsubscribes from every mail
 * without signing in, and List-Unsubscribe headers (RFC 8058). */
#ifndef RESPIRE_DOMAIN_DIGEST_H
#define RESPIRE_DOMAIN_DIGEST_H

#include "domain/domain.h"

/* Sends today's digests (the day in local time, TZ). Without force,
 * nothing happens before cfg->digest_hour (07:00 by default; "off": no
 * wait, the caller's schedule decides); force skips that wait only: a
 * member never gets two digests the same day. The number of digests
 * queued, or -1 on a database error. */
int digest_run(struct dctx *dc, int force);

#endif
