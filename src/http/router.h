/* One explicit route table (routes.c): method, pattern, handler, who may
 * call it, CSRF, body kind. */
#ifndef RESPIRE_HTTP_ROUTER_H
#define RESPIRE_HTTP_ROUTER_H

#include "http/request.h"

enum route_who { WHO_ANYONE, WHO_MEMBER, WHO_ADMIN };
/* BODY_FORM: a form, files up to max_avatar; BODY_UPLOAD: a multipart form
 * whose files (documents, films) may reach max_upload, the caller known
 * before the body is read. */
enum route_body { BODY_NONE, BODY_JSON, BODY_FORM, BODY_UPLOAD };

typedef void (*handler_fn)(struct request *r);

struct route {
	int methods;             /* enum http_method bits */
	const char *pattern;     /* "/api/v1/users/:id"; ":x" matches one segment */
	handler_fn handler;
	enum route_who who;
	int csrf;                /* a web form: POST needs a valid CSRF token */
	enum route_body body;
};

extern const struct route routes[];

/* Finds the route for method and path; fills params. Returns NULL and sets
 * *status to 404 (no such path) or 405 (path exists, other methods). */
const struct route *route_find(int method, const char *path, struct arena *a,
			       const char **params, int *nparams, int *status, int *allowed);

#endif
