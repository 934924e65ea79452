/* Who is asking (Bearer token for the API, session cookie for pages) and
 * the CSRF token of web forms. */
#ifndef RESPIRE_HTTP_AUTH_H
#define RESPIRE_HTTP_AUTH_H

#include "http/request.h"

#define SESSION_COOKIE "respire_session"
#define CSRF_COOKIE "respire_csrf"
#define CSRF_FIELD "csrf"

/* Fills r->me from the request's credentials (visitor when none or invalid). */
void auth_identify(struct request *r);
/* Sets r->csrf for the forms of this page (and a cookie for a new client). */
void csrf_prepare(struct request *r);
/* Does the form carry the token of this client? */
int csrf_valid(struct request *r);
/* After login (web): sets the session cookie. */
void auth_set_session_cookie(struct request *r, const char *token);
void auth_clear_session_cookie(struct request *r);

#endif
