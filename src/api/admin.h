/* JSON API: the operators' console (api/admin.c). Admins only: the routes
 * are WHO_ADMIN, so anyone else gets 404. */
#ifndef RESPIRE_API_ADMIN_H
#define RESPIRE_API_ADMIN_H

#include "http/request.h"

void api_admin_members(struct request *r);
void api_admin_member_get(struct request *r);
void api_admin_member_suspend(struct request *r);
void api_admin_member_reactivate(struct request *r);
void api_admin_member_role(struct request *r);
void api_admin_audit(struct request *r);
void api_admin_settings_get(struct request *r);
void api_admin_settings_patch(struct request *r);
void api_admin_moderation(struct request *r);
void api_admin_moderation_bulk(struct request *r);
void api_admin_post_flags(struct request *r);

#endif
