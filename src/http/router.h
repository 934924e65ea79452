/* Routes: method, pattern with typed parameters, handler, who may call it,
 * CSRF, body kind. http/ holds no route: the lists are made by the layers
 * above (api/routes.c, web/routes.c), joined in cmd/routes_table.c and
 * handed to the server (server_run). */
#ifndef RESPIRE_HTTP_ROUTER_H
#define RESPIRE_HTTP_ROUTER_H

#include <stddef.h>

#include "http/request.h"

enum route_who { WHO_ANYONE, WHO_MEMBER, WHO_ADMIN };
/* BODY_FORM: a form, files up to max_avatar; BODY_UPLOAD: a multipart form
 * whose files (documents, films) may reach max_upload, the caller known
 * before the body is read. */
enum route_body { BODY_NONE, BODY_JSON, BODY_FORM, BODY_UPLOAD };

typedef void (*handler_fn)(struct request *r);

/* A pattern is literal segments and parameters, one segment each, at most
 * ROUTE_MAX_PARAMS: "/api/v1/groups/{id:int}/members/{uid:int}".
 *   {name:int}   a positive decimal int64: no sign, no leading zero, no overflow
 *   {name:slug}  [a-z0-9-]{1,100}
 *   {name:uuid}  canonical 8-4-4-4-12 lower-case hexadecimal
 *   {name:uai}   a school's UAI: 7 digits and a letter, either case
 *   {name}       any non-empty segment (the handler checks it)
 * A segment that does not parse answers 400 invalid_parameter before any
 * handler runs; req_param_id() reads an {x:int} already checked. */
struct route {
	int methods;             /* enum http_method bits */
	const char *pattern;
	handler_fn handler;
	enum route_who who;
	int csrf;                /* a web form: POST needs a valid CSRF token */
	enum route_body body;
};

/* lists: lists of routes, each ended by a route without pattern ({ 0 }),
 * the whole ended by NULL. No two routes may answer the same method and
 * path (route_check), so their order decides nothing. */

/* Finds the route of r->method and r->path and fills r->route, r->params,
 * r->param_ids and r->nparams. Returns 0, or the status to answer: 404 (no
 * such path), 405 (the path exists with other methods: *allowed holds them)
 * or 400 (the path exists for this method but a typed segment does not
 * parse). A path ending in '/' (but "/") is never found. */
int route_find(const struct route *const *lists, struct request *r, int *allowed);

/* Is every pattern well formed, and is no method and path answered by two
 * routes? 0, or -1 with the reason in why. */
int route_check(const struct route *const *lists, char *why, size_t whylen);

#endif
