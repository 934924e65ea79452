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

/* The form token is a MAC under the server secret of what this client's
 * cookies hold, so that a cookie planted by a neighbour site is useless:
 * for a member, of the session itself (its cookie's token), so that a token
 * taken from another session, or from the visitor this browser was before
 * signing in, is refused; for a visitor, of the random pre-session cookie. */
static char *csrf_token(struct request *r, const char *csrf_cookie)
{
	const char *session = req_cookie(r, SESSION_COOKIE);
	char *msg;

	if (r->me.id && session && *session)
		msg = arena_printf(r->arena, "csrf:session:%s", session);
	else if (csrf_cookie)
		msg = arena_printf(r->arena, "csrf:visitor:%s", csrf_cookie);
	else
		return NULL;
	return msg ? token_mac(r->arena, r->app->secret, msg) : NULL;
}

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
	r->csrf = csrf_token(r, c);
}

int csrf_valid(struct request *r)
{
	const char *c = req_cookie(r, CSRF_COOKIE);
	const char *sent = req_form(r, CSRF_FIELD);
	char *want;

	if (!sent || (!r->me.id && (!c || r->new_csrf_cookie)))
		return 0;
	want = csrf_token(r, r->new_csrf_cookie ? NULL : c);
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
