/* One table of errors: for every domain result (enum derr) and every
 * refusal of the HTTP layer itself, the HTTP status, the API's error code
 * and message, and the i18n key of the text a page shows. The API
 * (api_derr) and the pages (web_derr_page) both read it. */
#ifndef RESPIRE_HTTP_ERRORS_H
#define RESPIRE_HTTP_ERRORS_H

#include "domain/domain.h"
#include "http/request.h"

struct http_error {
	int status;
	const char *code;       /* the API's "error.code" */
	const char *message;    /* the API's "error.message" (English) */
	const char *key;        /* the pages' text (i18n key; NULL: the status's own) */
};

/* What a domain result means over HTTP; D_OK and unknown values: internal. */
const struct http_error *derr_error(enum derr e);

/* Refusals decided before any handler runs. */
extern const struct http_error HTTP_E_INVALID_PARAMETER; /* 400: a typed path segment does not parse */
extern const struct http_error HTTP_E_INVALID_BODY;      /* 400: a form or multipart body cut short */
extern const struct http_error HTTP_E_INVALID_FORM_FIELD; /* 422: a form field with a NUL byte or bad UTF-8 */
extern const struct http_error HTTP_E_INVALID_JSON;      /* 400: a JSON route's body does not parse */
extern const struct http_error HTTP_E_UNAUTHORIZED;      /* 401: an API member route without a token */
extern const struct http_error HTTP_E_CSRF;              /* 403: a form without its CSRF token */
extern const struct http_error HTTP_E_NOT_FOUND;         /* 404 */
extern const struct http_error HTTP_E_METHOD;            /* 405 */
extern const struct http_error HTTP_E_TOO_LARGE;         /* 413: the body */
extern const struct http_error HTTP_E_MEDIA_TYPE;        /* 415 */
extern const struct http_error HTTP_E_UNAVAILABLE;       /* 503 */
extern const struct http_error HTTP_E_STORAGE_FULL;      /* 507 */
extern const struct http_error HTTP_E_QUERY_TOO_LONG;    /* 414 */
extern const struct http_error HTTP_E_INTERNAL;          /* 500 */
/* The refusal of that status among those above (500 for any other). */
const struct http_error *http_error_of_status(int status);

/* Answers an error in the caller's format: {"error":{"code","message"}} on
 * the API, the site's error page (server_run's renderer) on pages. */
void resp_error(struct request *r, const struct http_error *e);

#endif
