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

/* A notification about an event (event_promoted: a place came free and the
 * member moved from the waiting list), stored with its event_id. */
int notify_event(struct dctx *dc, int64_t user, const char *kind, int64_t actor, int64_t event);

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
	int64_t room_id;            /* a chat room's notification (0: none) */
	int64_t event_id;           /* an event's notification (0: none) */
	const char *event_title;    /* "" when none */
	int64_t proposal_id;        /* a decision on a proposal (0: none; its title in post_title) */
};

/* The viewer's notifications, newest first, only about what they may see. */
int notifications_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
		       struct notification **out, int64_t *next);
/* Those newer than after, oldest first (live streams catching up). */
int notifications_since(struct dctx *dc, const struct viewer *v, int64_t after, int limit,
			struct notification **out);
int64_t notifications_unread(struct dctx *dc, const struct viewer *v);
/* The header's figures, read in one statement: unread notifications, unread
 * messages over all of V's rooms, and whether V moderates anything
 * (access_moderates_something). Zero for a visitor. */
struct badges {
	int64_t notifications;
	int64_t messages;
	int moderates;
};
enum derr notify_badges(struct dctx *dc, const struct viewer *v, struct badges *out);
/* Marks one (id > 0) or all (id 0) as read. */
enum derr notifications_mark_read(struct dctx *dc, const struct viewer *v, int64_t id);

/* ---- mail (settings in domain/notify_prefs.h, queue in domain/mailq.h) ---- */

/* For the notification's member, when their setting for its kind
 * (notify_category) is "mail": queues a mail at once in their language
 * (users.lang) with the link to the item, only while they may still see
 * it (the rules of notifications_list; room notifications: the room's
 * participants, a group room's members). notify() calls it after each
 * insert; the chat module calls it for room mentions. 1 queued, 0 nothing
 * to send, -1 on a database error. */
int notify_mail_now(struct dctx *dc, int64_t notification_id);

/* A private message from actor to user in room_id: a mail when the
 * member's "message" setting is "mail", at most one per room and member
 * every MESSAGE_MAIL_GAP seconds (table mail_throttle), never for a room
 * they are not in or from someone they blocked. excerpt: the message's
 * text (cut at 300 characters). 1 queued, 0 not, -1 on a database error. */
#define MESSAGE_MAIL_GAP 600
int notify_message_mail(struct dctx *dc, int64_t user, int64_t room_id, int64_t actor, const char *excerpt);

/* A new post in a group: one mail (in one statement) to each current member
 * of the group, but its author, whose "group" setting is "mail" and who
 * may see the post. The number queued, or -1. */
int notify_group_post(struct dctx *dc, int64_t post_id);

/* The viewer's notifications created from `from` to `to` (both included:
 * timestamps are whole seconds), only what they may see, oldest first
 * (daily digests). */
int notifications_between(struct dctx *dc, const struct viewer *v, int64_t from, int64_t to, int limit,
			  struct notification **out);
/* The site path of what a notification is about ("/posts/3#reply-9", "/rooms/2"...). */
const char *notification_path(struct dctx *dc, const struct notification *n);
/* "Claire Martin a répondu à « Titre »" in lang (in dc's arena; NULL: out of memory). */
const char *notification_sentence(struct dctx *dc, const struct notification *n, const char *lang);
/* List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) header lines for
 * one member's mails of a setting ("all" for digests); NULL when unusable. */
const char *notify_unsubscribe_headers(struct dctx *dc, int64_t user, const char *category);

#endif
