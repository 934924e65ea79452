/* Pages of the social core and the pieces they share. */
#ifndef RESPIRE_WEB_SOCIAL_H
#define RESPIRE_WEB_SOCIAL_H

#include "domain/feed.h"
#include "domain/groups.h"
#include "domain/posts.h"
#include "http/request.h"

/* A post in a list: kind, title link, author, group, counts. */
void post_summary(struct request *r, const struct post *p);
/* Markdown rendered safely, inserted raw (the only raw insertion of user text). */
void markdown_block(struct request *r, const char *md);
/* The lines of a revision diff (util/diff.h), added and removed ones marked
 * for eyes and screen readers; n < 0: too large to compare. */
struct diff_line;
void web_diff_block(struct request *r, const struct diff_line *lines, int n);
/* A plain-text excerpt of Markdown, for descriptions and lists (max characters). */
const char *web_excerpt(struct request *r, const char *body, size_t max);
/* A group in a list. */
void group_summary(struct request *r, const struct group *g);
/* Labels of kinds and visibilities. */
const char *label(struct request *r, const char *prefix, const char *value);
/* A small "post" form for the answer to a button: action and hidden fields. */
void button_form(struct request *r, const char *action, const char *label_text, const char *cls);

/* posts.c */
void web_post(struct request *r);
void web_post_new(struct request *r);
void web_post_edit(struct request *r);
void web_post_delete(struct request *r);
void web_post_useful(struct request *r);
void web_post_reply(struct request *r);
void web_reply_delete(struct request *r);
void web_reply_edit(struct request *r);
void web_post_report(struct request *r);
void web_reply_report(struct request *r);
void web_post_moderate(struct request *r);
void web_reply_moderate(struct request *r);
void web_post_revisions(struct request *r);
void web_post_diff(struct request *r);

/* groups.c */
void web_groups(struct request *r);
void web_group_new(struct request *r);
void web_group(struct request *r);
void web_group_edit(struct request *r);
void web_group_members(struct request *r);
void web_group_join(struct request *r);
void web_group_leave(struct request *r);
void web_group_invite(struct request *r);
void web_group_request(struct request *r);
void web_group_member_role(struct request *r);
void web_group_member_remove(struct request *r);

/* people.c */
void web_contacts(struct request *r);
void web_contact_action(struct request *r);
void web_follow_action(struct request *r);
void web_notifications(struct request *r);
void web_notifications_read(struct request *r);
void web_discussions(struct request *r);
void web_feed(struct request *r);
/* The feed's items as a list (home and feed page). */
void feed_items(struct request *r, const struct activity *as, int n);
void web_moderation(struct request *r);
void web_report_dismiss(struct request *r);
void web_audit(struct request *r);

/* atom.c */
void web_group_atom(struct request *r);
void web_user_atom(struct request *r);
void web_users_suggest(struct request *r);

#endif
