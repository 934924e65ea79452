/* The route table: every URL Respire answers, who may call it, whether it
 * is a form that needs a CSRF token, and what body it reads. */
#include "http/router.h"

#include "api/api.h"
#include "api/social.h"
#include "web/pages.h"
#include "web/web.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define PATCH HTTP_PATCH
#define PUT HTTP_PUT
#define DELETE HTTP_DELETE

const struct route routes[] = {
	/* JSON API: Bearer tokens, no cookies, so no CSRF. */
	{ POST,   "/api/v1/accounts",                api_accounts_create,           WHO_ANYONE, 0, BODY_JSON },
	{ POST,   "/api/v1/accounts/verify",         api_accounts_verify,           WHO_ANYONE, 0, BODY_JSON },
	{ POST,   "/api/v1/sessions",                api_sessions_create,           WHO_ANYONE, 0, BODY_JSON },
	{ DELETE, "/api/v1/sessions/current",        api_sessions_delete_current,   WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/password-resets",         api_password_resets_create,    WHO_ANYONE, 0, BODY_JSON },
	{ POST,   "/api/v1/password-resets/confirm", api_password_resets_confirm,   WHO_ANYONE, 0, BODY_JSON },
	{ GET,    "/api/v1/me",                      api_me_get,                    WHO_MEMBER, 0, BODY_NONE },
	{ PATCH,  "/api/v1/me",                      api_me_patch,                  WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/me/password",             api_me_password,               WHO_MEMBER, 0, BODY_JSON },
	{ PUT,    "/api/v1/me/avatar",               api_me_avatar_put,             WHO_MEMBER, 0, BODY_FORM },
	{ DELETE, "/api/v1/me/avatar",               api_me_avatar_delete,          WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/sessions",             api_me_sessions,               WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/me/sessions",             api_me_sessions_delete_others, WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/me/sessions/:id",         api_me_sessions_delete,        WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users",                   api_users_list,                WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users/:id",               api_users_get,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users/:id/avatar",        api_users_avatar,              WHO_MEMBER, 0, BODY_NONE },

	{ POST,   "/api/v1/contacts",                api_contacts_create,           WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/contacts",                api_contacts_list,             WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/contacts/requests",       api_contacts_requests,         WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/contacts/:uid/accept",    api_contacts_accept,           WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/contacts/:uid",           api_contacts_delete,           WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/users/:id/follow",        api_follow,                    WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/users/:id/follow",        api_unfollow,                  WHO_MEMBER, 0, BODY_NONE },

	{ POST,   "/api/v1/groups",                  api_groups_create,             WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/groups",                  api_groups_list,               WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/groups/:id",              api_groups_get,                WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/groups/:id",              api_groups_patch,              WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/groups/:id/members",      api_groups_members,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/groups/:id/posts",        api_groups_posts,              WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/:id/join",         api_groups_join,               WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/:id/leave",        api_groups_leave,              WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/:id/invitations",  api_groups_invite,             WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/groups/:id/requests/:uid/accept", api_groups_accept_request, WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/:id/requests/:uid/refuse", api_groups_refuse_request, WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/groups/:id/members/:uid", api_groups_set_role,           WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/groups/:id/members/:uid", api_groups_remove_member,      WHO_MEMBER, 0, BODY_NONE },

	{ POST,   "/api/v1/posts",                   api_posts_create,              WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/posts",                   api_posts_list,                WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/:id",               api_posts_get,                 WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/posts/:id",               api_posts_patch,               WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/posts/:id",               api_posts_delete,              WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/posts/:id/useful",        api_posts_useful_put,          WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/posts/:id/useful",        api_posts_useful_delete,       WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/:id/revisions",     api_posts_revisions,           WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/:id/revisions/:rev", api_posts_revision,           WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/:id/diff",          api_posts_diff,                WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/posts/:id/replies",       api_replies_create,            WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/posts/:id/replies",       api_replies_list,              WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/replies/:id",             api_replies_patch,             WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/replies/:id",             api_replies_delete,            WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/posts/:id/reports",       api_posts_report,              WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/:id/reports",     api_replies_report,            WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/posts/:id/hide",          api_posts_hide,                WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/posts/:id/restore",       api_posts_restore,             WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/:id/hide",        api_replies_hide,              WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/:id/restore",     api_replies_restore,           WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/moderation/reports",      api_reports_queue,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/moderation/reports/:id/dismiss", api_reports_dismiss,    WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/moderation/audit",        api_audit,                     WHO_MEMBER, 0, BODY_NONE },

	{ GET,    "/api/v1/feed",                    api_feed,                      WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/discussions",          api_my_discussions,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/notifications",           api_notifications,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/notifications/:id/read",  api_notifications_read,        WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/notifications/read-all",  api_notifications_read_all,    WHO_MEMBER, 0, BODY_NONE },

	/* Web pages: session cookie; every POST form carries the CSRF token. */
	{ GET,    "/",                               web_home,                      WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/static/:name",                   web_static,                    WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/lang",                           web_lang,                      WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/register",                   web_register,                  WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/verify",                     web_verify,                    WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/login",                      web_login,                     WHO_ANYONE, 1, BODY_FORM },
	{ POST,   "/logout",                         web_logout,                    WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/password-reset",             web_password_reset,            WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/password-reset/confirm",     web_password_reset_confirm,    WHO_ANYONE, 1, BODY_FORM },
	{ GET,    "/me/sessions",                    web_sessions,                  WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/me/sessions/:id/end",            web_session_end,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/sessions/end-all",            web_sessions_end_all,          WHO_MEMBER, 1, BODY_FORM },
	{ GET | POST, "/me/edit",                    web_profile_edit,              WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/avatar",                      web_avatar_upload,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/avatar/remove",               web_avatar_remove,             WHO_MEMBER, 1, BODY_FORM },
	{ GET | POST, "/me/password",                web_password_change,           WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/users",                          web_directory,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/users/:id",                      web_profile,                   WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/users/:id/avatar",               web_avatar,                    WHO_MEMBER, 0, BODY_NONE },
	{ 0, NULL, NULL, 0, 0, 0 }
};
