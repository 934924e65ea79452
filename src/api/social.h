/* JSON shapes and handlers of the social core (contacts, groups, posts,
 * feed, notifications, moderation). */
#ifndef RESPIRE_API_SOCIAL_H
#define RESPIRE_API_SOCIAL_H

#include <jansson.h>

#include "domain/feed.h"
#include "domain/groups.h"
#include "domain/moderation.h"
#include "domain/notify.h"
#include "domain/posts.h"
#include "http/request.h"

json_t *api_post(struct arena *a, const struct post *p, int with_body);
json_t *api_reply(struct arena *a, const struct reply *r);
json_t *api_group(const struct group *g);
json_t *api_person(int64_t id, const char *name, const char *handle);
/* Lists answer {items, next}; next is a string cursor or null. */
/* The ?cursor= value: 0 when absent, -1 (after answering 400) when malformed. */
int64_t api_cursor(struct request *r);
/* Answers a domain error with a specific code for conflicts. */
void api_derr_code(struct request *r, enum derr e, const char *field, const char *conflict_code,
		   const char *conflict_message);

void api_contacts_create(struct request *r);
void api_contacts_accept(struct request *r);
void api_contacts_delete(struct request *r);
void api_contacts_list(struct request *r);
void api_contacts_requests(struct request *r);
void api_follow(struct request *r);
void api_unfollow(struct request *r);

void api_groups_create(struct request *r);
void api_groups_list(struct request *r);
void api_groups_get(struct request *r);
void api_groups_patch(struct request *r);
void api_groups_members(struct request *r);
void api_groups_join(struct request *r);
void api_groups_leave(struct request *r);
void api_groups_invite(struct request *r);
void api_groups_accept_request(struct request *r);
void api_groups_refuse_request(struct request *r);
void api_groups_set_role(struct request *r);
void api_groups_remove_member(struct request *r);
void api_groups_posts(struct request *r);

void api_posts_create(struct request *r);
void api_posts_list(struct request *r);
void api_posts_get(struct request *r);
void api_posts_patch(struct request *r);
void api_posts_delete(struct request *r);
void api_posts_useful_put(struct request *r);
void api_posts_useful_delete(struct request *r);
void api_posts_revisions(struct request *r);
void api_posts_revision(struct request *r);
void api_posts_diff(struct request *r);
void api_replies_create(struct request *r);
void api_replies_list(struct request *r);
void api_replies_patch(struct request *r);
void api_replies_delete(struct request *r);

void api_feed(struct request *r);
void api_my_discussions(struct request *r);
void api_notifications(struct request *r);
void api_notifications_read(struct request *r);
void api_notifications_read_all(struct request *r);

void api_posts_report(struct request *r);
void api_replies_report(struct request *r);
void api_posts_hide(struct request *r);
void api_posts_restore(struct request *r);
void api_replies_hide(struct request *r);
void api_replies_restore(struct request *r);
void api_reports_queue(struct request *r);
void api_reports_dismiss(struct request *r);
void api_audit(struct request *r);

#endif
