/* The JSON API's route lists, one per capability (routes.c). */
#ifndef RESPIRE_API_ROUTES_H
#define RESPIRE_API_ROUTES_H

#include "http/router.h"

extern const struct route api_accounts_routes[];
extern const struct route api_contacts_routes[];
extern const struct route api_groups_routes[];
extern const struct route api_search_routes[];
extern const struct route api_posts_routes[];
extern const struct route api_documents_routes[];
extern const struct route api_chat_routes[];
extern const struct route api_feed_routes[];
extern const struct route api_mail_routes[];
extern const struct route api_schools_routes[];
extern const struct route api_academies_routes[];
extern const struct route api_innovations_routes[];
extern const struct route api_agenda_routes[];
extern const struct route api_admin_routes[];
extern const struct route api_calls_routes[];
extern const struct route api_stats_routes[];

#endif
