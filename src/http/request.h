/* The request/response object every handler receives. Handlers never see
 * libmicrohttpd types: only http/server.c does. */
#ifndef RESPIRE_HTTP_REQUEST_H
#define RESPIRE_HTTP_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/buf.h"

enum http_method {
	HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_PUT = 8, HTTP_PATCH = 16, HTTP_DELETE = 32,
	HTTP_OPTIONS = 64,
};

struct kv {
	const char *key;
	const char *val;
	struct kv *next;
};

/* A file field of a multipart form, streamed to a temporary file. */
struct upload {
	const char *field;
	const char *filename;
	const char *path;     /* temporary file, removed when the request ends */
	uint64_t size;
	int too_large;
	struct upload *next;
};

struct app;
struct route;

#define ROUTE_MAX_PARAMS 4 /* parameters in one route pattern */

struct request {
	struct app *app;
	const struct route *route;
	struct arena *arena;
	struct dctx dc;               /* domain context (db, arena, config, now) */
	struct viewer me;             /* id 0: visitor */
	int method;
	const char *method_name;
	const char *path;
	const char *params[ROUTE_MAX_PARAMS]; /* the "{name:type}" segments of the route, in order */
	int64_t param_ids[ROUTE_MAX_PARAMS];  /* their values when of type int (else 0) */
	int nparams;
	struct kv *query;
	struct kv *form;
	struct upload *uploads;
	json_t *json;                 /* parsed body of JSON routes (NULL when empty) */
	struct buf body;
	const char *lang;             /* "fr" or "en" */
	int lang_chosen;              /* from the "lang" cookie: it wins over the profile */
	const char *csrf;             /* the token this client's forms carry */
	const char *new_csrf_cookie;  /* a new client: set this CSRF cookie */
	int is_api;
	int secure;                   /* served over HTTPS: cookies get Secure */
	const char *client_ip;
	void *conn;                   /* private to http/server.c */

	/* the response */
	int status;
	struct buf out;
	const char *content_type;
	struct kv *resp_headers;
	const char *resp_file;        /* serve this file instead of out */
	const char *resp_etag;        /* of resp_file: answers conditional and range requests */
	int64_t resp_mtime;           /* of resp_file: Last-Modified (0: none) */
	void *stream;                 /* a live event stream (events.c) instead of out */
};

const char *req_query(struct request *r, const char *name);
const char *req_form(struct request *r, const char *name);
/* Every value of a repeated form field, in order; returns the count. */
int req_form_all(struct request *r, const char *name, const char **out, int max);
struct upload *req_upload(struct request *r, const char *field);
const char *req_header(struct request *r, const char *name);
const char *req_cookie(struct request *r, const char *name);
/* The n-th path parameter, a {name:int} the router checked (> 0), or -1
 * when it is not an int parameter. */
int64_t req_param_id(struct request *r, int n);
/* The n-th path parameter as text (any type), or NULL. */
const char *req_param(struct request *r, int n);

void resp_header(struct request *r, const char *name, const char *value);
/* max_age < 0: a session cookie; 0: deletes it. Always HttpOnly, SameSite=Lax. */
void resp_cookie(struct request *r, const char *name, const char *value, long max_age);
void resp_redirect(struct request *r, const char *location);
void resp_text(struct request *r, int status, const char *ctype, const char *body);
void resp_file(struct request *r, const char *path, const char *ctype);
/* A stored file sent from disk (never read into memory) with validators:
 * If-None-Match / If-Modified-Since answer 304, Range answers 206 (one
 * range; If-Range honoured) or 416. etag is the bare tag, without quotes. */
/* Does the client's copy match (If-None-Match, else If-Modified-Since)? */
int req_is_fresh(struct request *r, const char *quoted_etag, int64_t mtime);
void resp_file_cached(struct request *r, const char *path, const char *ctype, const char *etag,
		      int64_t mtime);

/* JSON API responses. resp_json steals the reference to v. */
void resp_json(struct request *r, int status, json_t *v);
void resp_json_error(struct request *r, int status, const char *code, const char *message);

#endif
