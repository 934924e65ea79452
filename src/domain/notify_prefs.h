/* Notification settings (table notification_prefs): per member and per
 * kind, how they hear of it: "page" (in the page only, the default), "mail"
 * (a mail at once) or "digest" (in the daily digest). And the unsubscribe
 * links of mails, which work without signing in: a MAC of the member and
 * the kind under the server secret is the proof. */
#ifndef RESPIRE_DOMAIN_NOTIFY_PREFS_H
#define RESPIRE_DOMAIN_NOTIFY_PREFS_H

#include <stdint.h>

#include "domain/domain.h"

/* reply, mention, invitation, request (group and contact requests and
 * their answers), message (private messages), group (new posts in my
 * groups); NULL-terminated, in the order pages show them. */
#define NOTIFY_KINDS 6
extern const char *const notify_pref_kinds[];
/* page, mail, digest; NULL-terminated. */
extern const char *const notify_pref_modes[];

/* The member's mode for each kind, in notify_pref_kinds order. */
struct notify_prefs {
	const char *mode[NOTIFY_KINDS];
};

enum derr notify_prefs_get(struct dctx *dc, int64_t user, struct notify_prefs *out);
/* One kind's mode: "page" when unset; NULL on a database error. */
const char *notify_pref_mode(struct dctx *dc, int64_t user, const char *kind);
/* Sets n kinds at once (all or nothing). D_INVALID with *field the kind
 * (or "settings") when a kind or a mode is unknown. */
enum derr notify_prefs_set(struct dctx *dc, int64_t user, int n, const char *const *kinds,
			   const char *const *modes, const char **field);

/* The setting a notification's kind falls under ("reply", "mention", ...),
 * or NULL for kinds that are never mailed. */
const char *notify_category(const char *notification_kind);

/* Unsubscribe tokens: hex of crypto_auth("unsubscribe:ID:KIND") under the
 * server secret; kind is a setting or "all". out holds 65 bytes. */
#define UNSUBSCRIBE_TOKEN_LEN 64
void unsubscribe_token(const struct dctx *dc, int64_t user, const char *kind, char out[UNSUBSCRIBE_TOKEN_LEN + 1]);
/* BASE/unsubscribe?u=ID&k=KIND&t=TOKEN in dc's arena. */
char *unsubscribe_url(struct dctx *dc, int64_t user, const char *kind);
/* Does the token prove this link (and does the member exist)? D_OK,
 * D_NOT_FOUND (a bad token, an unknown kind, a member gone) or D_INTERNAL. */
enum derr unsubscribe_check(struct dctx *dc, int64_t user, const char *kind, const char *token);
/* Checks, then sets that kind (every kind for "all") to "page". */
enum derr unsubscribe_apply(struct dctx *dc, int64_t user, const char *kind, const char *token);

#endif
