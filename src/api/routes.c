/* The JSON API's routes, one list per capability (joined with the pages'
 * in cmd/routes_table.c). Bearer tokens, no cookies, so never a CSRF flag.
 * Patterns: see http/router.h ({id:int} and friends). */
#include "api/routes.h"

#include "api/admin.h"
#include "api/api.h"
#include "api/calls.h"
#include "api/chat.h"
#include "api/documents.h"
#include "api/agenda.h"
#include "api/academies.h"
#include "api/innovations.h"
#include "api/innovations_import.h"
#include "api/mail.h"
#include "api/schools.h"
#include "api/social.h"
#include "api/stats.h"
#include "http/events.h"
#include "http/files.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define PATCH HTTP_PATCH
#define PUT HTTP_PUT
#define DELETE HTTP_DELETE

/* Accounts, sessions, password resets, the signed-in member, profiles */
const struct route api_accounts_routes[] = {
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
	{ DELETE, "/api/v1/me/sessions/{id:int}",    api_me_sessions_delete,        WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users",                   api_users_list,                WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users/suggest",           api_users_suggest,             WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users/{id:int}",          api_users_get,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/users/{id:int}/avatar",   api_users_avatar,              WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Contacts and follows */
const struct route api_contacts_routes[] = {
	{ POST,   "/api/v1/contacts",                api_contacts_create,           WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/contacts",                api_contacts_list,             WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/contacts/requests",       api_contacts_requests,         WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/contacts/{uid:int}/accept", api_contacts_accept,           WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/contacts/{uid:int}",      api_contacts_delete,           WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/users/{id:int}/follow",   api_follow,                    WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/users/{id:int}/follow",   api_unfollow,                  WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Groups, their members, invitations and requests */
const struct route api_groups_routes[] = {
	{ POST,   "/api/v1/groups",                  api_groups_create,             WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/groups",                  api_groups_list,               WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/groups/{id:int}",         api_groups_get,                WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/groups/{id:int}",         api_groups_patch,              WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/groups/{id:int}/members", api_groups_members,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/groups/{id:int}/posts",   api_groups_posts,              WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/{id:int}/join",    api_groups_join,               WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/{id:int}/leave",   api_groups_leave,              WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/{id:int}/invitations", api_groups_invite,             WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/groups/{id:int}/requests/{uid:int}/accept", api_groups_accept_request, WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/groups/{id:int}/requests/{uid:int}/refuse", api_groups_refuse_request, WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/groups/{id:int}/members/{uid:int}", api_groups_set_role,           WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/groups/{id:int}/members/{uid:int}", api_groups_remove_member,      WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Search and suggestions */
const struct route api_search_routes[] = {
	{ GET,    "/api/v1/search",                  api_search,                    WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/search/suggest",          api_search_suggest,            WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Posts, replies, revisions, reports and moderation */
const struct route api_posts_routes[] = {
	{ POST,   "/api/v1/posts",                   api_posts_create,              WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/posts",                   api_posts_list,                WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/{id:int}",          api_posts_get,                 WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/posts/{id:int}",          api_posts_patch,               WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/posts/{id:int}",          api_posts_delete,              WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/posts/{id:int}/useful",   api_posts_useful_put,          WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/posts/{id:int}/useful",   api_posts_useful_delete,       WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/{id:int}/revisions", api_posts_revisions,           WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/{id:int}/revisions/{rev:int}", api_posts_revision,           WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/posts/{id:int}/diff",     api_posts_diff,                WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/posts/{id:int}/replies",  api_replies_create,            WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/posts/{id:int}/replies",  api_replies_list,              WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/replies/{id:int}",        api_replies_patch,             WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/replies/{id:int}",        api_replies_delete,            WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/posts/{id:int}/reports",  api_posts_report,              WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/{id:int}/reports", api_replies_report,            WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/posts/{id:int}/hide",     api_posts_hide,                WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/posts/{id:int}/restore",  api_posts_restore,             WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/{id:int}/hide",   api_replies_hide,              WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/replies/{id:int}/restore", api_replies_restore,           WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/moderation/reports",      api_reports_queue,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/moderation/reports/{id:int}/dismiss", api_reports_dismiss,    WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/moderation/audit",        api_audit,                     WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Documents, versions, files, comments, storage */
const struct route api_documents_routes[] = {
	{ POST,   "/api/v1/documents",               api_documents_create,          WHO_MEMBER, 0, BODY_UPLOAD },
	{ GET,    "/api/v1/documents",               api_documents_list,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/documents/{id:int}",      api_documents_get,             WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/documents/{id:int}",      api_documents_patch,           WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/documents/{id:int}",      api_documents_delete,          WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/documents/{id:int}/file", http_document_file,            WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/documents/{id:int}/thumbnail", http_document_thumbnail,       WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/documents/{id:int}/versions", api_documents_versions,        WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/documents/{id:int}/versions", api_documents_version_add,     WHO_MEMBER, 0, BODY_UPLOAD },
	{ GET,    "/api/v1/documents/{id:int}/versions/{n:int}/file", http_document_version_file, WHO_ANYONE, 0, BODY_NONE },
	{ PUT,    "/api/v1/documents/{id:int}/useful", api_documents_useful_put,      WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/documents/{id:int}/useful", api_documents_useful_delete,   WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/documents/{id:int}/comments", api_documents_comments,        WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/documents/{id:int}/comments", api_documents_comment_create,  WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/document-comments/{id:int}", api_document_comments_delete,  WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/groups/{id:int}/documents", api_groups_documents,          WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/users/{id:int}/documents", api_users_documents,           WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/storage",              api_me_storage,                WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Live events, chat rooms, conversations, blocks, unread counts */
const struct route api_chat_routes[] = {
	{ GET,    "/api/v1/rooms",                   api_rooms_mine,                WHO_MEMBER, 0, BODY_NONE },
	{ GET | POST, "/api/v1/groups/{id:int}/rooms", api_group_rooms,               WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/rooms/{id:int}",          api_room_get,                  WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/rooms/{id:int}/messages", api_room_messages,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/rooms/{id:int}/messages", api_room_post,                 WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/rooms/{id:int}/read",     api_room_read,                 WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/rooms/{id:int}/events",   api_room_events,               WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/conversations",           api_conversations_create,      WHO_MEMBER, 0, BODY_JSON },
	{ PUT | DELETE, "/api/v1/users/{id:int}/block", api_user_block,                WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/blocks",               api_me_blocks,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/unread",               api_me_unread,                 WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* The feed, my discussions, notifications */
const struct route api_feed_routes[] = {
	{ GET,    "/api/v1/feed",                    api_feed,                      WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/discussions",          api_my_discussions,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/notifications",           api_notifications,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/notifications/{id:int}/read", api_notifications_read,        WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/notifications/read-all",  api_notifications_read_all,    WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Notification settings and unsubscribing */
const struct route api_mail_routes[] = {
	{ GET,    "/api/v1/me/notification-settings", api_notification_settings_get, WHO_MEMBER, 0, BODY_NONE },
	{ PUT | PATCH, "/api/v1/me/notification-settings", api_notification_settings_put, WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/unsubscribe",             api_unsubscribe,               WHO_ANYONE, 0, BODY_JSON },
	{ 0 }
};

/* Schools of the directory (open data; members and groups for members) */
const struct route api_schools_routes[] = {
	{ GET,    "/api/v1/schools",                 api_schools_search,            WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/schools/{uai:uai}",       api_schools_get,               WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Academies (issue 19) */
const struct route api_academies_routes[] = {
	{ GET,    "/api/v1/academies",               api_academies_list,            WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/academies/{slug}",        api_academies_get,             WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Innovation records (issue 19) */
const struct route api_innovations_routes[] = {
	{ POST,   "/api/v1/innovations",             api_innovations_create,        WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/innovations",             api_innovations_list,          WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/innovations/queue",       api_innovations_queue,         WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/innovations/{id:int}",    api_innovations_get,           WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/innovations/{id:int}",    api_innovations_patch,         WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/innovations/{id:int}",    api_innovations_delete,        WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/innovations/{id:int}/revisions", api_innovations_revisions, WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/innovations/{id:int}/diff", api_innovations_diff,        WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/api/v1/innovations/import",      api_innovations_import,        WHO_ADMIN,  0, BODY_UPLOAD },
	{ POST | DELETE, "/api/v1/innovations/{id:int}/follow", api_innovations_follow, WHO_MEMBER, 0, BODY_NONE },
	{ POST | DELETE, "/api/v1/innovations/{id:int}/useful", api_innovations_useful, WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/innovations/{id:int}/messages", api_innovations_message,  WHO_MEMBER, 0, BODY_JSON },
	{ 0 }
};

/* Events and registrations (api/agenda.c). GET /api/v1/events is also the
 * member's live stream (http/events.c), by the request's Accept. */
const struct route api_agenda_routes[] = {
	{ POST,   "/api/v1/events",                  api_agenda_create,             WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/events",                  api_agenda_list,               WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/events/{id:int}",         api_agenda_get,                WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/events/{id:int}",         api_agenda_patch,              WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/events/{id:int}",         api_agenda_delete,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/events/{id:int}/registrations", api_agenda_register,     WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/events/{id:int}/registrations", api_agenda_registrations, WHO_MEMBER, 0, BODY_NONE },
	{ DELETE, "/api/v1/events/{id:int}/registrations/me", api_agenda_unregister, WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* The operators' console (issue 24): members, audit, settings, moderation */
const struct route api_admin_routes[] = {
	{ GET,    "/api/v1/admin/members",           api_admin_members,             WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/api/v1/admin/members/{id:int}",  api_admin_member_get,          WHO_ADMIN,  0, BODY_NONE },
	{ POST,   "/api/v1/admin/members/{id:int}/suspend", api_admin_member_suspend, WHO_ADMIN, 0, BODY_JSON },
	{ POST,   "/api/v1/admin/members/{id:int}/reactivate", api_admin_member_reactivate, WHO_ADMIN, 0, BODY_JSON },
	{ PUT,    "/api/v1/admin/members/{id:int}/role", api_admin_member_role,     WHO_ADMIN,  0, BODY_JSON },
	{ GET,    "/api/v1/admin/audit",             api_admin_audit,               WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/api/v1/admin/settings",          api_admin_settings_get,        WHO_ADMIN,  0, BODY_NONE },
	{ PATCH,  "/api/v1/admin/settings",          api_admin_settings_patch,      WHO_ADMIN,  0, BODY_JSON },
	{ GET,    "/api/v1/admin/moderation",        api_admin_moderation,          WHO_ADMIN,  0, BODY_NONE },
	{ POST,   "/api/v1/admin/moderation",        api_admin_moderation_bulk,     WHO_ADMIN,  0, BODY_JSON },
	{ PATCH,  "/api/v1/admin/posts/{id:int}",    api_admin_post_flags,          WHO_ADMIN,  0, BODY_JSON },
	{ 0 }
};

/* Calls for proposals (issue 20) */
const struct route api_calls_routes[] = {
	{ POST,   "/api/v1/calls",                   api_calls_create,              WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/calls",                   api_calls_list,                WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/api/v1/calls/{id:int}",          api_calls_get,                 WHO_ANYONE, 0, BODY_NONE },
	{ PATCH,  "/api/v1/calls/{id:int}",          api_calls_patch,               WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/calls/{id:int}/proposals", api_calls_proposals,          WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/calls/{id:int}/proposals", api_proposals_create,         WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/calls/{id:int}/reviewers", api_calls_reviewers,          WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/calls/{id:int}/reviewers/{uid:int}", api_calls_reviewer_put, WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/calls/{id:int}/reviewers/{uid:int}", api_calls_reviewer_delete, WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/calls/{id:int}/assignments", api_calls_assignments,      WHO_MEMBER, 0, BODY_JSON },
	{ GET,    "/api/v1/calls/{id:int}/dashboard", api_calls_dashboard,          WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/proposals/{id:int}",      api_proposals_get,             WHO_MEMBER, 0, BODY_NONE },
	{ PATCH,  "/api/v1/proposals/{id:int}",      api_proposals_patch,           WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/proposals/{id:int}/submit", api_proposals_submit,        WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/proposals/{id:int}/withdraw", api_proposals_withdraw,    WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/proposals/{id:int}/reviews", api_proposals_review,       WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/proposals/{id:int}/decision", api_proposals_decision,    WHO_MEMBER, 0, BODY_JSON },
	{ POST,   "/api/v1/proposals/{id:int}/publish", api_proposals_publish,      WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/proposals/{id:int}/votes", api_proposals_vote,           WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/api/v1/proposals/{id:int}/assignments", api_proposals_assign,   WHO_MEMBER, 0, BODY_JSON },
	{ DELETE, "/api/v1/proposals/{id:int}/assignments/{uid:int}", api_proposals_unassign, WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/proposals",            api_me_proposals,              WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/api/v1/me/reviews",              api_me_reviews,                WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* The operators' statistics and a member's objection. The statistics answer
 * 404 to everyone but an admin, visitors included (not 401: the console
 * shows nothing of itself), so the handlers check, not the table. */
const struct route api_stats_routes[] = {
	{ GET,    "/api/v1/admin/stats",             api_admin_stats_index,         WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/api/v1/admin/stats/{metric}",    api_admin_stats,               WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/api/v1/me/statistics",           api_me_statistics_get,         WHO_MEMBER, 0, BODY_NONE },
	{ PUT,    "/api/v1/me/statistics",           api_me_statistics_put,         WHO_MEMBER, 0, BODY_JSON },
	{ 0 }
};
