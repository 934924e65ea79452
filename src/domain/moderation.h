/* Reporting, the moderation queue, hiding and restoring, the audit log. */
#ifndef RESPIRE_DOMAIN_MODERATION_H
#define RESPIRE_DOMAIN_MODERATION_H

#include <stdint.h>

#include "domain/domain.h"

#define REPORT_REASON_MAX 1000

/* Any member who sees the post (reply_id 0) or the reply may report it. */
enum derr report_create(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id,
			const char *reason, int64_t *id, const char **field);

struct report {
	int64_t id, post_id, reply_id, reporter_id, group_id;
	const char *reporter_name, *reason, *post_title, *excerpt;
	int64_t created_at;
	int hidden;
};
/* Open reports on what the viewer moderates (admins: all they may see). */
int reports_queue(struct dctx *dc, const struct viewer *v, struct report **out);

/* Hides or restores (hide = 0) a post (reply_id 0) or a reply; resolves its
 * open reports; writes the audit log. D_FORBIDDEN for non-moderators who see it. */
enum derr moderate(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id,
		   int hide, const char *note);
/* Closes a report without action. */
enum derr report_dismiss(struct dctx *dc, const struct viewer *v, int64_t report_id);

struct audit_entry {
	int64_t id, actor_id, post_id, reply_id, group_id, target_user_id, created_at;
	const char *actor_name, *action, *detail;
};
/* Admins: everything; group moderators: their groups' entries. */
int audit_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
	       struct audit_entry **out, int64_t *next);

#endif
