/* In-page notifications: a reply to me, a mention, an invitation, a request,
 * an accepted request. Listing goes through the access module: a
 * notification about something the member may no longer see is not shown. */
#ifndef RESPIRE_DOMAIN_NOTIFY_H
#define RESPIRE_DOMAIN_NOTIFY_H

#include <stdint.h>

#include "domain/domain.h"

/* Kinds: "reply", "mention", "invitation", "group_request", "group_accepted",
 * "contact_request", "contact_accepted". Ids of 0 are stored as NULL. */
int notify(struct dctx *dc, int64_t user, const char *kind, int64_t actor, int64_t post,
	   int64_t reply, int64_t group);

struct notification {
	int64_t id;
	const char *kind;
	int64_t actor_id;
	const char *actor_name;
	int64_t post_id, reply_id, group_id;
	const char *post_title;
	const char *group_name;
	int64_t created_at;
	int read;
	int64_t room_id;            /* a mention in a chat room */
};

/* The viewer's notifications, newest first, only about what they may see. */
int notifications_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
		       struct notification **out, int64_t *next);
/* Those newer than after, oldest first (live streams catching up). */
int notifications_since(struct dctx *dc, const struct viewer *v, int64_t after, int limit,
			struct notification **out);
int64_t notifications_unread(struct dctx *dc, const struct viewer *v);
/* Marks one (id > 0) or all (id 0) as read. */
enum derr notifications_mark_read(struct dctx *dc, const struct viewer *v, int64_t id);

#endif
