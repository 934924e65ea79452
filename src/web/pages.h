/* Account, profile and directory pages (handlers listed in routes.c). */
#ifndef RESPIRE_WEB_PAGES_H
#define RESPIRE_WEB_PAGES_H

#include "http/request.h"

/* account.c */
void web_register(struct request *r);
void web_verify(struct request *r);
void web_login(struct request *r);
void web_logout(struct request *r);
void web_password_reset(struct request *r);
void web_password_reset_confirm(struct request *r);
void web_password_change(struct request *r);
void web_sessions(struct request *r);
void web_session_end(struct request *r);
void web_sessions_end_all(struct request *r);

/* profile.c */
void web_profile(struct request *r);
void web_profile_edit(struct request *r);
void web_avatar_upload(struct request *r);
void web_avatar_remove(struct request *r);
void web_avatar(struct request *r);
void web_directory(struct request *r);

/* web/search.c */
void web_search(struct request *r);
void web_search_suggest(struct request *r);

#endif
