/* Every route Respire answers: the capability lists of the API and of the
 * pages, joined in this order (the order of the former single table; the
 * router refuses two routes answering the same request, so order decides
 * no match), and the site that serve hands to the server. A capability
 * adds its list to api/routes.c or web/routes.c and a line here. */
#include "cmd/cmd.h"

#include "api/chat.h"
#include "api/routes.h"
#include "web/routes.h"
#include "web/web.h"

const struct route *const respire_routes[] = {
	api_accounts_routes,
	api_contacts_routes,
	api_groups_routes,
	api_search_routes,
	api_posts_routes,
	api_documents_routes,
	api_chat_routes,
	api_feed_routes,
	api_mail_routes,
	api_schools_routes,
	api_innovations_routes,
	api_agenda_routes,
	api_academies_routes,
	api_admin_routes,
	api_calls_routes,
	api_stats_routes,
	web_site_routes,
	web_account_routes,
	web_profile_routes,
	web_search_routes,
	web_chat_routes,
	web_feed_routes,
	web_mail_routes,
	web_people_routes,
	web_groups_routes,
	web_posts_routes,
	web_documents_routes,
	web_schools_routes,
	web_innovations_routes,
	web_agenda_routes,
	web_academies_routes,
	web_admin_routes,
	web_calls_routes,
	web_stats_routes,
	NULL
};

const struct site respire_site = { respire_routes, web_error, api_stream_message };
