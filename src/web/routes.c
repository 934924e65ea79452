/* The pages' routes, one list per capability (joined with the API's in
 * cmd/routes_table.c). Session cookie; every POST form carries the CSRF
 * token (the flag). Patterns: see http/router.h ({id:int} and friends). */
#include "web/routes.h"

#include "http/events.h"
#include "http/files.h"
#include "web/admin.h"
#include "web/calls.h"
#include "web/chat.h"
#include "web/documents.h"
#include "web/agenda.h"
#include "web/academies.h"
#include "web/innovations.h"
#include "web/innovations_import.h"
#include "web/mail.h"
#include "web/pages.h"
#include "web/schools.h"
#include "web/social.h"
#include "web/stats.h"
#include "web/web.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define PATCH HTTP_PATCH
#define PUT HTTP_PUT
#define DELETE HTTP_DELETE

/* Home page, static files, language */
const struct route web_site_routes[] = {
	{ GET,    "/",                               web_home,                      WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/static/{name}",                  web_static,                    WHO_ANYONE, 0, BODY_NONE },
	{ POST,   "/lang",                           web_lang,                      WHO_ANYONE, 1, BODY_FORM },
	{ 0 }
};

/* Registration, verification, login, password, sessions, own profile */
const struct route web_account_routes[] = {
	{ GET | POST, "/register",                   web_register,                  WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/verify",                     web_verify,                    WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/login",                      web_login,                     WHO_ANYONE, 1, BODY_FORM },
	{ POST,   "/logout",                         web_logout,                    WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/password-reset",             web_password_reset,            WHO_ANYONE, 1, BODY_FORM },
	{ GET | POST, "/password-reset/confirm",     web_password_reset_confirm,    WHO_ANYONE, 1, BODY_FORM },
	{ GET,    "/me/sessions",                    web_sessions,                  WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/me/sessions/{id:int}/end",       web_session_end,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/sessions/end-all",            web_sessions_end_all,          WHO_MEMBER, 1, BODY_FORM },
	{ GET | POST, "/me/edit",                    web_profile_edit,              WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/avatar",                      web_avatar_upload,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/me/avatar/remove",               web_avatar_remove,             WHO_MEMBER, 1, BODY_FORM },
	{ GET | POST, "/me/password",                web_password_change,           WHO_MEMBER, 1, BODY_FORM },
	{ 0 }
};

/* The directory, profiles, avatars */
const struct route web_profile_routes[] = {
	{ GET,    "/users",                          web_directory,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/users/{id:int}",                 web_profile,                   WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/users/{id:int}/avatar",          web_avatar,                    WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Search and suggestions */
const struct route web_search_routes[] = {
	{ GET,    "/search",                         web_search,                    WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/search/suggest",                 web_search_suggest,            WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Live events, messages, chat rooms, blocks */
const struct route web_chat_routes[] = {
	{ GET,    "/messages",                       web_messages,                  WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/messages/new",                   web_messages_new,              WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/groups/{id:int}/room",           web_group_room,                WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/groups/{id:int}/rooms/new",      web_group_room_new,            WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/rooms/{id:int}",                 web_room,                      WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/rooms/{id:int}/messages",        web_room_post,                 WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/rooms/{id:int}/read",            web_room_read,                 WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/rooms/{id:int}/events",          web_room_events,               WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/users/{id:int}/block",           web_user_block,                WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/users/{id:int}/unblock",         web_user_block,                WHO_MEMBER, 1, BODY_FORM },
	{ 0 }
};

/* The feed, my discussions, notifications */
const struct route web_feed_routes[] = {
	{ GET,    "/feed",                           web_feed,                      WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/me/discussions",                 web_discussions,               WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/notifications",                  web_notifications,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/notifications/read",             web_notifications_read,        WHO_MEMBER, 1, BODY_FORM },
	{ 0 }
};

/* Notification settings and unsubscribing */
const struct route web_mail_routes[] = {
	{ GET | POST, "/me/notification-settings",   web_notification_settings,     WHO_MEMBER, 1, BODY_FORM },
	/* No CSRF flag: RFC 8058 one-click POSTs come from mail clients, with the
	 * link's token as the proof; web_unsubscribe checks CSRF on every other POST. */
	{ GET | POST, "/unsubscribe",                web_unsubscribe,               WHO_ANYONE, 0, BODY_FORM },
	{ 0 }
};

/* Contacts, follows, a member's Atom feed */
const struct route web_people_routes[] = {
	{ GET,    "/contacts",                       web_contacts,                  WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/contacts/{uid:int}/request",     web_contact_action,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/contacts/{uid:int}/accept",      web_contact_action,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/contacts/{uid:int}/remove",      web_contact_action,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/users/{id:int}/follow",          web_follow_action,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/users/{id:int}/unfollow",        web_follow_action,             WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/users/{id:int}/blog.atom",       web_user_atom,                 WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/users/suggest",                  web_users_suggest,             WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Groups, their members, invitations and requests */
const struct route web_groups_routes[] = {
	{ GET,    "/groups",                         web_groups,                    WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/groups/new",                 web_group_new,                 WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/groups/{id:int}",                web_group,                     WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/groups/{id:int}/feed.atom",      web_group_atom,                WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/groups/{id:int}/edit",       web_group_edit,                WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/groups/{id:int}/members",        web_group_members,             WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/groups/{id:int}/join",           web_group_join,                WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/leave",          web_group_leave,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/invite",         web_group_invite,              WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/requests/{uid:int}/accept", web_group_request,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/requests/{uid:int}/refuse", web_group_request,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/members/{uid:int}/role", web_group_member_role,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/groups/{id:int}/members/{uid:int}/remove", web_group_member_remove,       WHO_MEMBER, 1, BODY_FORM },
	{ 0 }
};

/* Posts, replies, revisions, reports and moderation */
const struct route web_posts_routes[] = {
	{ GET | POST, "/posts/new",                  web_post_new,                  WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/posts/{id:int}",                 web_post,                      WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/posts/{id:int}/edit",        web_post_edit,                 WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/delete",          web_post_delete,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/useful",          web_post_useful,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/replies",         web_post_reply,                WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/report",          web_post_report,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/hide",            web_post_moderate,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/posts/{id:int}/restore",         web_post_moderate,             WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/posts/{id:int}/revisions",       web_post_revisions,            WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/posts/{id:int}/diff",            web_post_diff,                 WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/replies/{id:int}/edit",      web_reply_edit,                WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/replies/{id:int}/delete",        web_reply_delete,              WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/replies/{id:int}/report",        web_reply_report,              WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/replies/{id:int}/hide",          web_reply_moderate,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/replies/{id:int}/restore",       web_reply_moderate,            WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/moderation",                     web_moderation,                WHO_MEMBER, 0, BODY_NONE },
	{ POST,   "/moderation/reports/{id:int}/dismiss", web_report_dismiss,            WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/moderation/audit",               web_audit,                     WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* Documents, versions, files, comments, a group's resource bank */
const struct route web_documents_routes[] = {
	{ GET,    "/documents",                      web_documents,                 WHO_MEMBER, 0, BODY_NONE },
	{ GET | POST, "/documents/new",              web_document_new,              WHO_MEMBER, 1, BODY_UPLOAD },
	{ GET,    "/documents/{id:int}",             web_document,                  WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/documents/{id:int}/edit",    web_document_edit,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/documents/{id:int}/delete",      web_document_delete,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/documents/{id:int}/versions",    web_document_version_add,      WHO_MEMBER, 1, BODY_UPLOAD },
	{ POST,   "/documents/{id:int}/useful",      web_document_useful,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/documents/{id:int}/comments",    web_document_comment,          WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/document-comments/{id:int}/delete", web_document_comment_delete,   WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/documents/{id:int}/file",        http_document_file,            WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/documents/{id:int}/thumbnail",   http_document_thumbnail,       WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/documents/{id:int}/versions/{n:int}/file", http_document_version_file,    WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/groups/{id:int}/documents",      web_group_documents,           WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Schools of the directory */
const struct route web_schools_routes[] = {
	{ GET,    "/schools",                        web_schools,                   WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/schools/{uai:uai}",              web_school,                    WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Academies (issue 19): their records, schools, groups and advisers */
const struct route web_academies_routes[] = {
	{ GET,    "/academies",                      web_academies,                 WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/academies/{slug}",               web_academy,                   WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Innovation records (issue 19) */
const struct route web_innovations_routes[] = {
	{ GET,    "/innovations",                    web_innovations,               WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/innovations/queue",              web_innovations_queue,         WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/innovations/new",            web_innovation_new,            WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/innovations/{id:int}",           web_innovation,                WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/innovations/{id:int}/edit",  web_innovation_edit,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/innovations/{id:int}/delete",    web_innovation_delete,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/innovations/{id:int}/follow",    web_innovation_follow,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/innovations/{id:int}/useful",    web_innovation_useful,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/innovations/{id:int}/support",   web_innovation_support,        WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/innovations/{id:int}/message",   web_innovation_message,        WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/innovations/{id:int}/revisions", web_innovation_revisions,      WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/innovations/{id:int}/diff",      web_innovation_diff,           WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/innovations.csv",                web_innovations_csv,           WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/innovations/import",         web_innovations_import,        WHO_ADMIN,  1, BODY_UPLOAD },
	{ GET,    "/innovations/feed.atom",          web_innovations_atom,          WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Events and registrations (web/agenda.c). GET /events is also the
 * member's live stream (http/events.c), by the request's Accept. */
const struct route web_agenda_routes[] = {
	{ GET,    "/events",                         web_agenda,                    WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/events/new",                 web_agenda_new,                WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/events/{id:int}",                web_agenda_event,              WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/events/{id:int}/edit",       web_agenda_edit,               WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/events/{id:int}/delete",         web_agenda_delete,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/events/{id:int}/register",       web_agenda_register,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/events/{id:int}/cancel",         web_agenda_cancel,             WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/events/{id:int}.ics",            web_agenda_ics,                WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/events/{id:int}/registrations.csv", web_agenda_csv,             WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* The operators' console (issue 24), the legal pages, health and metrics */
const struct route web_admin_routes[] = {
	{ GET,    "/admin",                          web_admin_home,                WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/admin/members",                  web_admin_members,             WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/admin/members/{id:int}",         web_admin_member,              WHO_ADMIN,  0, BODY_NONE },
	{ POST,   "/admin/members/{id:int}/suspend", web_admin_member_action,       WHO_ADMIN,  1, BODY_FORM },
	{ POST,   "/admin/members/{id:int}/reactivate", web_admin_member_action,    WHO_ADMIN,  1, BODY_FORM },
	{ POST,   "/admin/members/{id:int}/role",    web_admin_member_action,       WHO_ADMIN,  1, BODY_FORM },
	{ GET | POST, "/admin/settings",             web_admin_settings,            WHO_ADMIN,  1, BODY_FORM },
	{ GET,    "/admin/audit",                    web_admin_audit,               WHO_ADMIN,  0, BODY_NONE },
	{ GET | POST, "/admin/moderation",           web_admin_moderation,          WHO_ADMIN,  1, BODY_FORM },
	{ POST,   "/admin/posts/{id:int}/flags",     web_admin_post_flags,          WHO_ADMIN,  1, BODY_FORM },
	{ GET,    "/legal",                          web_legal,                     WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/privacy",                        web_legal,                     WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/accessibility",                  web_legal,                     WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/healthz",                        web_healthz,                   WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/metrics",                        web_metrics,                   WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};

/* Calls for proposals (issue 20) */
const struct route web_calls_routes[] = {
	{ GET,    "/calls",                          web_calls,                     WHO_ANYONE, 0, BODY_NONE },
	{ GET,    "/calls/{id:int}",                 web_call,                      WHO_ANYONE, 0, BODY_NONE },
	{ GET | POST, "/calls/new",                  web_call_new,                  WHO_MEMBER, 1, BODY_FORM },
	{ GET | POST, "/calls/{id:int}/edit",        web_call_edit,                 WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/calls/{id:int}/dashboard",       web_call_dashboard,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/calls/{id:int}/proposals",       web_call_proposals,            WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/calls/{id:int}/proposals.csv",   web_call_csv,                  WHO_MEMBER, 0, BODY_NONE },
	{ GET | POST, "/calls/{id:int}/proposals/new", web_proposal_new,            WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/calls/{id:int}/reviewers",       web_call_reviewer_add,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/calls/{id:int}/assignments",     web_call_assign,               WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/proposals/{id:int}",             web_proposal,                  WHO_MEMBER, 0, BODY_NONE },
	{ GET | POST, "/proposals/{id:int}/edit",    web_proposal_edit,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/submit",      web_proposal_submit,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/withdraw",    web_proposal_withdraw,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/review",      web_proposal_review,           WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/decision",    web_proposal_decision,         WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/publish",     web_proposal_publish,          WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/vote",        web_proposal_vote,             WHO_MEMBER, 1, BODY_FORM },
	{ POST,   "/proposals/{id:int}/assign",      web_proposal_assign,           WHO_MEMBER, 1, BODY_FORM },
	{ GET,    "/me/proposals",                   web_my_proposals,              WHO_MEMBER, 0, BODY_NONE },
	{ GET,    "/me/reviews",                     web_my_reviews,                WHO_MEMBER, 0, BODY_NONE },
	{ 0 }
};

/* The operators' statistics and a member's objection. The statistics answer
 * 404 to everyone but an admin, visitors included (not a redirect to the
 * login page: the console shows nothing of itself), so the handlers check. */
const struct route web_stats_routes[] = {
	{ GET,    "/admin/stats",                    web_admin_stats,               WHO_ADMIN,  0, BODY_NONE },
	{ GET,    "/admin/stats/{metric}",           web_admin_stat,                WHO_ADMIN,  0, BODY_NONE },
	{ GET | POST, "/me/statistics",              web_me_statistics,             WHO_MEMBER, 1, BODY_FORM },
	{ 0 }
};
