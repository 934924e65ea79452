/* Pages of the operators' console (web/admin.c): /admin and its pages
 * (admins only: WHO_ADMIN routes, 404 to anyone else), the legal pages, and
 * /healthz and /metrics at the root. */
#ifndef RESPIRE_WEB_ADMIN_H
#define RESPIRE_WEB_ADMIN_H

#include "domain/posts.h"
#include "http/request.h"

void web_admin_home(struct request *r);
void web_admin_members(struct request *r);
void web_admin_member(struct request *r);
void web_admin_member_action(struct request *r);
void web_admin_settings(struct request *r);
void web_admin_audit(struct request *r);
void web_admin_moderation(struct request *r);
void web_admin_post_flags(struct request *r);
void web_legal(struct request *r);
void web_healthz(struct request *r);
void web_metrics(struct request *r);
/* On a discussion's page: says when it is locked, and gives admins the
 * buttons that pin and lock it. Returns whether it is locked. */
int admin_post_tools(struct request *r, const struct post *p);

#endif
