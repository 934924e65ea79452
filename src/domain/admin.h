/* The operators' console (issue 24): members (search, suspension, roles),
 * the audit log, settings, moderation of every kind at scale, pinned and
 * locked discussions. Every call is for admins: others get D_NOT_FOUND. */
#ifndef RESPIRE_DOMAIN_ADMIN_H
#define RESPIRE_DOMAIN_ADMIN_H

#include <stdint.h>

#include "domain/domain.h"

#define ADMIN_REASON_MAX 1000
#define ADMIN_PAGE 50
#define ADMIN_BULK_MAX 100

/* ---- members ---- */
struct member_filter {
	const char *q;          /* name, e-mail or handle contains */
	const char *status;     /* pending, active, suspended (NULL: any) */
	const char *role;       /* member, adviser, trainer, admin (NULL: any) */
	const char *academy;    /* the member's academy */
	int seen_within;        /* days: seen within (0: any) */
	int unseen_for;         /* days: not seen for that long, or never (0: any) */
	int64_t before;         /* cursor: ids below */
};
struct admin_member {
	int64_t id, created_at, last_seen_at, suspended_at;
	const char *name, *email, *handle, *status, *role, *academy, *adviser_academy, *suspend_reason;
	int sessions;
};
extern const char *const admin_statuses[];  /* pending, active, suspended */
extern const char *const admin_roles[];     /* member, adviser, trainer, admin */

/* D_INVALID with *field for a bad filter. */
enum derr admin_members(struct dctx *dc, const struct viewer *v, const struct member_filter *f,
			struct admin_member **out, int *n, int64_t *next, const char **field);
enum derr admin_member_get(struct dctx *dc, const struct viewer *v, int64_t id, struct admin_member *out);
/* Suspension: signed out everywhere at once, cannot sign in, content stays.
 * D_CONFLICT when already so; D_FORBIDDEN on oneself. reason is required. */
enum derr admin_suspend(struct dctx *dc, const struct viewer *v, int64_t id, const char *reason, const char **field);
enum derr admin_reactivate(struct dctx *dc, const struct viewer *v, int64_t id, const char *reason,
			   const char **field);
/* role: member, adviser (academy required), trainer, admin. An admin cannot
 * take the role away from themselves (D_FORBIDDEN). */
enum derr admin_set_role(struct dctx *dc, const struct viewer *v, int64_t id, const char *role,
			 const char *academy, const char *reason, const char **field);

/* 1 when the account may act (active), 0 when not (suspended, gone), -1 on error. */
int admin_account_active(struct dctx *dc, int64_t id);

/* ---- audit log ---- */
struct admin_audit {
	int64_t id, actor_id, target_user_id, item_id, post_id, reply_id, group_id, created_at;
	const char *actor_name, *target_name, *action, *item_kind, *detail;
};
struct audit_filter {
	const char *action;     /* exact action, or a prefix ending in '_' ("member_") */
	int64_t actor, target;  /* 0: any */
	int64_t before;
};
enum derr admin_audit_list(struct dctx *dc, const struct viewer *v, const struct audit_filter *f,
			   struct admin_audit **out, int *n, int64_t *next);
/* One entry (inside the caller's transaction when there is one). */
int admin_audit_write(struct dctx *dc, const struct viewer *v, const char *action, int64_t target_user,
		      const char *item_kind, int64_t item_id, const char *detail);

/* ---- settings ---- */
struct setting_value {
	const char *key;
	const char *value;      /* in force (the stored one, else the file's) */
	const char *stored;     /* NULL: not overridden */
	int kind;               /* enum setting_kind */
};
/* Every console setting, in force, and the generation. */
enum derr admin_settings_get(struct dctx *dc, const struct viewer *v, struct setting_value **out, int *n,
			     int64_t *generation);
/* Changes: keys[i] to values[i] (already normalized; NULL: back to the
 * file's value); audited with reason, one entry per key that changed. */
enum derr admin_settings_set(struct dctx *dc, const struct viewer *v, const char *const *keys,
			     const char *const *values, int n, const char *reason);

/* ---- moderation of every kind ---- */
struct mod_item {
	const char *kind;
	int64_t id, parent_id, author_id, created_at, hidden_at, reports;
	int64_t sort_at;        /* when hidden, or last reported: the queue's order */
	const char *excerpt, *author_name, *hidden_by_name, *hidden_reason, *report_reason;
	const char *link;
};
struct mod_filter {
	const char *kind;       /* NULL: every kind */
	const char *state;      /* "open" (reported or hidden; the default), "reported", "hidden" */
	const char *cursor;     /* opaque, from next */
};
/* The kinds the queue knows (post, reply, document, comment, message, innovation). */
const char *const *mod_kinds(void);
enum derr admin_moderation(struct dctx *dc, const struct viewer *v, const struct mod_filter *f,
			   struct mod_item **out, int *n, const char **next, const char **field);
/* Who hid an item and why (the latest hide of the audit log); D_NOT_FOUND
 * when it is not hidden. For pages showing hidden content to moderators. */
enum derr mod_hidden_info(struct dctx *dc, const char *kind, int64_t id, const char **by_name,
			  const char **reason, int64_t *at);
struct mod_ref { const char *kind; int64_t id; };
/* action: hide, restore, dismiss. Each item's result in results[i]
 * (D_OK, D_NOT_FOUND, D_CONFLICT...); the call itself fails only on bad input. */
enum derr admin_moderate_bulk(struct dctx *dc, const struct viewer *v, const char *action,
			      const struct mod_ref *items, int n, const char *reason, enum derr *results,
			      const char **field);

/* ---- discussions ---- */
/* pinned, locked: 1 set, 0 clear, -1 leave; *now_pinned, *now_locked: the state after. */
enum derr admin_discussion_flags(struct dctx *dc, const struct viewer *v, int64_t post_id, int pinned, int locked,
				 const char *reason, int *now_pinned, int *now_locked, const char **field);
/* Is the post locked (no new replies but from its moderators)? */
int post_locked(struct dctx *dc, int64_t post_id);
/* Both flags of a post in one read (0 and 0 when it cannot be read). */
void post_flags(struct dctx *dc, int64_t post_id, int *pinned, int *locked);

/* ---- health ---- */
struct health {
	int db_ok;
	double db_ms;
	int disk_ok;
	uint64_t disk_free, disk_total;  /* bytes of the files folder's file system */
	int64_t mail_pending, mail_failed, mail_oldest_age; /* seconds the oldest pending mail waits */
	int64_t thumbs_pending, texts_pending, reports_open;
	int mail_ok;
};
#define HEALTH_DISK_MIN (256ULL * 1024 * 1024)  /* less free space than this: unhealthy */
#define HEALTH_MAIL_MAX_AGE 3600                /* a mail waiting longer: unhealthy */
/* Fills h (no viewer: /healthz is public); returns 1 when healthy. */
int admin_health(struct dctx *dc, struct health *h);

#endif
