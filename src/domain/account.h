/* Accounts, sessions, one-time tokens and professional profiles. */
#ifndef RESPIRE_DOMAIN_ACCOUNT_H
#define RESPIRE_DOMAIN_ACCOUNT_H

#include <stdint.h>

#include "domain/domain.h"

#define NAME_MAX_CHARS 100
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define TOKEN_TEXT_LEN 43            /* 32 random bytes, base64url without padding */
#define VERIFY_TOKEN_TTL (48 * 3600)
#define RESET_TOKEN_TTL 3600
#define LOGIN_WINDOW (15 * 60)
#define LOGIN_MAX_PER_ADDRESS 5
#define LOGIN_MAX_PER_CLIENT 30
#define RESET_MAX_PER_HOUR 3          /* reset mails per account and hour */

/* Creates a pending account and mails a verification link. On D_INVALID,
 * *field names the bad field ("email", "name", "password"). */
enum derr account_register(struct dctx *dc, const char *email, const char *password,
			   const char *name, int64_t *id, const char **field);
/* For operators: a verified account, any domain; admin when asked. */
enum derr account_create_verified(struct dctx *dc, const char *email, const char *password,
				  const char *name, int admin, int64_t *id, const char **field);
/* Consumes a verification token; the account becomes active. */
enum derr account_verify(struct dctx *dc, const char *token);

/* Checks the password and opens a session; *token is for the client. */
enum derr session_login(struct dctx *dc, const char *email, const char *password,
			const char **token, struct viewer *who);
/* Resolves a session token; D_NOT_FOUND when unknown or expired. */
enum derr session_identify(struct dctx *dc, const char *token, struct viewer *who);
enum derr session_end(struct dctx *dc, const struct viewer *who, int64_t session_id);
/* Ends every session of the viewer but the current one; returns how many. */
int session_end_others(struct dctx *dc, const struct viewer *who);

struct session_info {
	int64_t id;
	int64_t created_at;
	int64_t last_seen_at;
	const char *user_agent;
	const char *ip;
	int current;
};
/* The viewer's open sessions, newest use first; returns the count or -1. */
int session_list(struct dctx *dc, const struct viewer *who, struct session_info **out);

/* Always succeeds for the caller; mails a link when the address has an account. */
enum derr password_reset_request(struct dctx *dc, const char *email);
enum derr password_reset_confirm(struct dctx *dc, const char *token, const char *password);
/* For a signed-in member: checks the current password, ends other sessions. */
enum derr password_change(struct dctx *dc, const struct viewer *who, const char *current,
			  const char *password);

/* Deletes expired sessions, old tokens and old login failures; returns rows removed or -1. */
int64_t account_housekeeping(struct dctx *dc);

/* Is this password acceptable (length, not common, not the address)? */
int password_strong(const char *password, const char *email);
/* Lower-cases and trims an address in place; NULL when its shape is wrong. */
char *email_normalise(char *email);

#endif
