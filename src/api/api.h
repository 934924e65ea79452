/* The JSON API under /api/v1: a thin front-end over the domain. */
#ifndef RESPIRE_API_API_H
#define RESPIRE_API_API_H

#include <jansson.h>

#include "domain/profile.h"
#include "http/request.h"
#include "util/escape.h"

/* The body as a JSON object, or NULL after answering 400 invalid_json. */
json_t *api_body(struct request *r);
/* Reads a string member. Returns 0 with *out (NULL when absent and optional),
 * or -1 after answering 422 (missing or not a string). */
int api_str(struct request *r, json_t *o, const char *key, int required, const char **out);
/* Reads a list of strings (at most max). Returns the count, -2 when absent,
 * or -1 after answering 422. */
int api_str_list(struct request *r, json_t *o, const char *key, const char **out, int max);
/* Answers the HTTP status and error code that a domain result means. */
void api_derr(struct request *r, enum derr e, const char *field);
/* A list answer: {items, next} (next 0: null). */
void api_list(struct request *r, json_t *items, int64_t next);
/* Answers n rows of a domain list (n < 0: the list failed, 500) as
 * {items, next}, each row through shape (api_group, api_profile...). */
#define api_answer_rows(r, n, rows, shape, next) do { \
		json_t *items_; \
		if ((n) < 0) { \
			api_derr((r), D_INTERNAL, NULL); \
			break; \
		} \
		items_ = json_array(); \
		for (int i_ = 0; i_ < (n); i_++) \
			json_array_append_new(items_, shape(&(rows)[i_])); \
		api_list((r), items_, (next)); \
	} while (0)
/* The one way markup reaches the API's JSON (body_html, snippet_html): a
 * struct safe_html, made by a sanitizing renderer (util/escape.h); ""
 * when rendering failed. */
json_t *api_safe_html(struct safe_html h);
/* body_html: the Markdown source md rendered (cmark-gfm safe mode) in a. */
json_t *api_body_html(struct arena *a, const char *md);
/* A profile as JSON (with email only when p->email is set). */
json_t *api_profile(const struct profile *p);
/* GET .../diff?from=N&to=M of two revisions (posts, innovation records):
 * 200 {from, to, from_title, to_title, lines: [{op, text}]}, or 422
 * too_large_to_compare. */
void api_answer_diff(struct request *r, int64_t from, int64_t to, const char *from_title, const char *from_body,
		     const char *to_title, const char *to_body);
/* An id as the JSON value clients send back. */
json_t *api_id(int64_t id);
/* Reads an id sent by a client (number or decimal string); -1 when not one. */
int64_t api_id_of(json_t *v);
void api_no_content(struct request *r);

/* Handlers (routes.c lists them). */
void api_accounts_create(struct request *r);
void api_accounts_verify(struct request *r);
void api_sessions_create(struct request *r);
void api_sessions_delete_current(struct request *r);
void api_me_sessions(struct request *r);
void api_me_sessions_delete(struct request *r);
void api_me_sessions_delete_others(struct request *r);
void api_password_resets_create(struct request *r);
void api_password_resets_confirm(struct request *r);
void api_me_get(struct request *r);
void api_me_patch(struct request *r);
void api_me_password(struct request *r);
void api_me_avatar_put(struct request *r);
void api_me_avatar_delete(struct request *r);
void api_users_get(struct request *r);
void api_users_list(struct request *r);
void api_users_suggest(struct request *r);
void api_users_avatar(struct request *r);
void api_not_found(struct request *r);
void api_search(struct request *r);
void api_search_suggest(struct request *r);

#endif
