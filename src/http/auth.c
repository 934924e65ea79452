#include "http/auth.h"

#include <string.h>
#include <strings.h>

#include "domain/account.h"
#include "domain/token.h"
#include "http/server.h"

void auth_identify(struct request *r)
{
	const char *token = NULL;

	memset(&r->me, 0, sizeof r->me);
	if (r->is_api) {
		const char *h = req_header(r, "Authorization");

		if (h && !strncasecmp(h, "Bearer ", 7))
			token = h + 7;
	} else {
		token = req_cookie(r, SESSION_COOKIE);
	}
	if (token && *token && session_identify(&r->dc, token, &r->me) != D_OK)
		memset(&r->me, 0, sizeof r->me);
	/* The session slid forward: so does the browser's cookie. */
	if (!r->is_api && r->me.id && r->me.session_renewed)
		auth_set_session_cookie(r, token);
}

/* The form token is a MAC of the client's random cookie under the server
 * secret, so that a cookie planted by a neighbour site is useless. */
void csrf_prepare(struct request *r)
{
	const char *c = req_cookie(r, CSRF_COOKIE);
	char fresh[TOKEN_TEXT_LEN + 1];

	if (!c || !token_hash(r->arena, c) || strlen(c) != TOKEN_TEXT_LEN) {
		if (token_new(fresh, sizeof fresh) < 0)
			return;
		c = arena_strdup(r->arena, fresh);
		r->new_csrf_cookie = c;
	}
	r->csrf = c ? token_mac(r->arena, r->app->secret, c) : NULL;
}

int csrf_valid(struct request *r)
{
	const char *c = req_cookie(r, CSRF_COOKIE);
	const char *sent = req_form(r, CSRF_FIELD);
	char *want;

	if (!c || !sent || r->new_csrf_cookie)
		return 0;
	want = token_mac(r->arena, r->app->secret, c);
	return want && token_equal(want, sent);
}

void auth_set_session_cookie(struct request *r, const char *token)
{
	resp_cookie(r, SESSION_COOKIE, token, (long)r->app->cfg.session_days * 86400);
}

void auth_clear_session_cookie(struct request *r)
{
	resp_cookie(r, SESSION_COOKIE, "", 0);
}
