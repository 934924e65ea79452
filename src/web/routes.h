/* The pages' route lists, one per capability (routes.c). */
#ifndef RESPIRE_WEB_ROUTES_H
#define RESPIRE_WEB_ROUTES_H

#include "http/router.h"

extern const struct route web_site_routes[];
extern const struct route web_account_routes[];
extern const struct route web_profile_routes[];
extern const struct route web_search_routes[];
extern const struct route web_chat_routes[];
extern const struct route web_feed_routes[];
extern const struct route web_mail_routes[];
extern const struct route web_people_routes[];
extern const struct route web_groups_routes[];
extern const struct route web_posts_routes[];
extern const struct route web_documents_routes[];
extern const struct route web_schools_routes[];
extern const struct route web_academies_routes[];
extern const struct route web_innovations_routes[];
extern const struct route web_agenda_routes[];
extern const struct route web_admin_routes[];
extern const struct route web_calls_routes[];
extern const struct route web_stats_routes[];

#endif
