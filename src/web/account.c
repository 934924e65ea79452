/* Account pages: register, verify, sign in and out, passwords, sessions. */
#include "web/pages.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "http/auth.h"
#include "http/errors.h"
#include "util/text.h"
#include "web/web.h"

/* One labelled input; value may be NULL. */
static void field(struct request *r, const char *name, const char *type, const char *label,
		  const char *hint, const char *value, const char *autocomplete)
{
	H(r, "<label for=\"f-%s\">%s", name, label);
	if (hint)
		H(r, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	H(r, "</label><input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\" autocomplete=\"%s\" required%s%s%s>",
	  name, name, type, value ? value : "", autocomplete, hint ? " aria-describedby=\"h-" : "",
	  hint ? name : "", hint ? "\"" : "");
}

static void form_begin(struct request *r, const char *action)
{
	H(r, "<form method=\"post\" action=\"%s\" novalidate>", action);
	form_csrf(r);
}

/* A small page with a title, a message and a link. */
static void message_page(struct request *r, int status, const char *title, const char *text,
			 const char *href, const char *link)
{
	r->status = status;
	page_begin(r, title);
	H(r, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p>", title, text);
	if (href)
		H(r, "<p><a class=\"button\" href=\"%s\">%s</a></p>", href, link);
	H(r, "</section>");
	page_end(r);
}

/* ---- register ----------------------------------------------------------- */

static void register_form(struct request *r, const char *error, const char *name, const char *email)
{
	page_begin(r, T(r, "register.title"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1><p class=\"muted\">%s</p>",
	  T(r, "register.title"), T(r, "register.intro"));
	if (error)
		page_notice(r, "error", error);
	form_begin(r, "/register");
	field(r, "name", "text", T(r, "register.name"), T(r, "register.name.hint"), name, "name");
	field(r, "email", "email", T(r, "register.email"), T(r, "register.email.hint"), email, "email");
	field(r, "password", "password", T(r, "register.password"), T(r, "register.password.hint"), NULL,
	      "new-password");
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button>"
	  "<a href=\"/login\">%s</a></div></form></section>", T(r, "register.submit"),
	  T(r, "register.have_account"));
	page_end(r);
}

void web_register(struct request *r)
{
	const char *name = req_form(r, "name"), *email = req_form(r, "email");
	const char *password = req_form(r, "password"), *field_name = NULL, *err;
	int64_t id;
	enum derr e;

	if (r->me.id) {
		resp_redirect(r, "/");
		return;
	}
	if (r->method != HTTP_POST) {
		/* An invitation link names the invited address. */
		const char *invited = req_query(r, "email");

		register_form(r, NULL, NULL, invited && text_ok(invited, 0) && strlen(invited) < 255 ? invited : NULL);
		return;
	}
	e = account_register(&r->dc, email ? email : "", password ? password : "", name ? name : "",
			     &id, &field_name);
	switch (e) {
	case D_OK:
		message_page(r, 200, T(r, "register.done.title"), T(r, "register.done.text"),
			     "/login", T(r, "nav.login"));
		return;
	case D_DOMAIN_NOT_ALLOWED: err = T(r, "register.error.domain"); break;
	case D_CONFLICT: err = T(r, "register.error.taken"); break;
	case D_WEAK_PASSWORD: err = T(r, "register.error.weak"); break;
	case D_INVALID:
		err = field_name && !strcmp(field_name, "name") ? T(r, "register.error.name") :
		      field_name && !strcmp(field_name, "password") ? T(r, "register.error.weak") :
		      T(r, "register.error.email");
		break;
	default:
		web_error_page(r, 500);
		return;
	}
	r->status = derr_error(e)->status;
	register_form(r, err, name && text_ok(name, 0) ? name : NULL, email && text_ok(email, 0) ? email : NULL);
}

/* ---- verify -------------------------------------------------------------- */

void web_verify(struct request *r)
{
	const char *token = r->method == HTTP_POST ? req_form(r, "token") : req_query(r, "token");
	enum derr e;

	if (!token || !*token || strlen(token) > 128 || !text_ok(token, 0)) {
		message_page(r, 400, T(r, "verify.invalid.title"), T(r, "verify.invalid.text"), "/", T(r, "error.back_home"));
		return;
	}
	if (r->method != HTTP_POST) {
		/* Confirming takes a click: mail scanners that open links change nothing. */
		page_begin(r, T(r, "verify.title"));
		H(r, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p>", T(r, "verify.title"), T(r, "verify.text"));
		form_begin(r, "/verify");
		H(r, "<input type=\"hidden\" name=\"token\" value=\"%s\">"
		  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
		  token, T(r, "verify.submit"));
		page_end(r);
		return;
	}
	e = account_verify(&r->dc, token);
	if (e == D_OK)
		message_page(r, 200, T(r, "verify.done.title"), T(r, "verify.done.text"), "/login", T(r, "nav.login"));
	else if (e == D_TOKEN_INVALID)
		message_page(r, 400, T(r, "verify.invalid.title"), T(r, "verify.invalid.text"), "/", T(r, "error.back_home"));
	else
		web_error_page(r, 500);
}

/* ---- login / logout -------------------------------------------------------- */

static void login_form(struct request *r, const char *error, const char *email, const char *next)
{
	page_begin(r, T(r, "login.title"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", T(r, "login.title"));
	if (error)
		page_notice(r, "error", error);
	form_begin(r, "/login");
	if (next && is_local_path(next))
		H(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
	field(r, "email", "email", T(r, "login.email"), NULL, email, "username");
	field(r, "password", "password", T(r, "login.password"), NULL, NULL, "current-password");
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button>"
	  "<a href=\"/password-reset\">%s</a></div></form>"
	  "<p class=\"muted\">%s <a href=\"/register\">%s</a></p></section>",
	  T(r, "login.submit"), T(r, "login.forgot"), T(r, "login.no_account"), T(r, "nav.register"));
	page_end(r);
}

void web_login(struct request *r)
{
	const char *email = req_form(r, "email"), *password = req_form(r, "password");
	const char *next = r->method == HTTP_POST ? req_form(r, "next") : req_query(r, "next");
	const char *token;
	struct viewer who = { 0 };
	enum derr e;

	if (r->method != HTTP_POST) {
		if (r->me.id) {
			resp_redirect(r, is_local_path(next) ? next : "/");
			return;
		}
		login_form(r, NULL, NULL, next);
		return;
	}
	e = session_login(&r->dc, email ? email : "", password ? password : "", &token, &who);
	if (e == D_OK) {
		/* A session already open in this browser ends: one cookie, one session. */
		if (r->me.id)
			session_end(&r->dc, &r->me, r->me.session_id);
		auth_set_session_cookie(r, token);
		resp_redirect(r, is_local_path(next) ? next : "/");
		return;
	}
	if (e == D_INTERNAL) {
		web_error_page(r, 500);
		return;
	}
	r->status = derr_error(e)->status;
	if (e == D_THROTTLED)
		resp_header(r, "Retry-After", "900");
	login_form(r, T(r, e == D_THROTTLED ? "login.error.throttled" : "login.error.credentials"),
		   email && text_ok(email, 0) ? email : NULL, next);
}

void web_logout(struct request *r)
{
	if (r->me.id)
		session_end(&r->dc, &r->me, r->me.session_id);
	auth_clear_session_cookie(r);
	resp_redirect(r, "/");
}

/* ---- passwords ------------------------------------------------------------ */

void web_password_reset(struct request *r)
{
	const char *email = req_form(r, "email");

	if (r->method == HTTP_POST) {
		if (password_reset_request(&r->dc, email ? email : "") != D_OK) {
			web_error_page(r, 500);
			return;
		}
		message_page(r, 200, T(r, "reset.sent.title"), T(r, "reset.sent.text"), "/login", T(r, "nav.login"));
		return;
	}
	page_begin(r, T(r, "reset.title"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p>", T(r, "reset.title"), T(r, "reset.intro"));
	form_begin(r, "/password-reset");
	field(r, "email", "email", T(r, "login.email"), NULL, NULL, "email");
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "reset.submit"));
	page_end(r);
}

static void new_password_form(struct request *r, const char *title, const char *action,
			      const char *token, int ask_current, const char *error)
{
	page_begin(r, title);
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", title);
	if (error)
		page_notice(r, "error", error);
	form_begin(r, action);
	if (token)
		H(r, "<input type=\"hidden\" name=\"token\" value=\"%s\">", token);
	if (ask_current)
		field(r, "current_password", "password", T(r, "password.current"), NULL, NULL, "current-password");
	field(r, "password", "password", T(r, "password.new"), T(r, "register.password.hint"), NULL, "new-password");
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "password.submit"));
	page_end(r);
}

void web_password_reset_confirm(struct request *r)
{
	const char *token = r->method == HTTP_POST ? req_form(r, "token") : req_query(r, "token");
	const char *password = req_form(r, "password");
	enum derr e;

	if (!token || !*token || strlen(token) > 128 || !text_ok(token, 0)) {
		message_page(r, 400, T(r, "verify.invalid.title"), T(r, "verify.invalid.text"),
			     "/password-reset", T(r, "reset.again"));
		return;
	}
	if (r->method != HTTP_POST) {
		new_password_form(r, T(r, "reset.confirm.title"), "/password-reset/confirm", token, 0, NULL);
		return;
	}
	e = password_reset_confirm(&r->dc, token, password ? password : "");
	switch (e) {
	case D_OK:
		auth_clear_session_cookie(r);
		message_page(r, 200, T(r, "reset.done.title"), T(r, "reset.done.text"), "/login", T(r, "nav.login"));
		break;
	case D_TOKEN_INVALID:
		message_page(r, 400, T(r, "verify.invalid.title"), T(r, "verify.invalid.text"),
			     "/password-reset", T(r, "reset.again"));
		break;
	case D_WEAK_PASSWORD:
	case D_INVALID:
		r->status = 422;
		new_password_form(r, T(r, "reset.confirm.title"), "/password-reset/confirm", token, 0,
				  T(r, "register.error.weak"));
		break;
	default:
		web_error_page(r, 500);
	}
}

void web_password_change(struct request *r)
{
	const char *cur = req_form(r, "current_password"), *password = req_form(r, "password");
	enum derr e;

	if (r->method != HTTP_POST) {
		new_password_form(r, T(r, "password.title"), "/me/password", NULL, 1, NULL);
		return;
	}
	e = password_change(&r->dc, &r->me, cur ? cur : "", password ? password : "");
	switch (e) {
	case D_OK:
		message_page(r, 200, T(r, "password.done.title"), T(r, "password.done.text"), "/", T(r, "nav.home"));
		break;
	case D_BAD_CREDENTIALS:
		r->status = 403;
		new_password_form(r, T(r, "password.title"), "/me/password", NULL, 1, T(r, "password.error.current"));
		break;
	case D_WEAK_PASSWORD:
	case D_INVALID:
		r->status = 422;
		new_password_form(r, T(r, "password.title"), "/me/password", NULL, 1, T(r, "register.error.weak"));
		break;
	default:
		web_error_page(r, 500);
	}
}

/* ---- sessions ------------------------------------------------------------- */

/* A short device name from a user agent: browser and system. */
static const char *device_of(struct request *r, const char *ua)
{
	static const char *const browsers[] = { "Edg", "Firefox", "Chrome", "Safari", "curl", "python" };
	static const char *const systems[] = { "Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux", "CrOS" };
	const char *b = NULL, *s = NULL;

	for (size_t i = 0; i < sizeof browsers / sizeof browsers[0] && !b; i++)
		if (strstr(ua, browsers[i]))
			b = !strcmp(browsers[i], "Edg") ? "Edge" : browsers[i];
	for (size_t i = 0; i < sizeof systems / sizeof systems[0] && !s; i++)
		if (strstr(ua, systems[i]))
			s = !strcmp(systems[i], "CrOS") ? "ChromeOS" : systems[i];
	if (!b && !s)
		return *ua ? T(r, "sessions.device.other") : T(r, "sessions.device.unknown");
	return arena_printf(r->arena, "%s%s%s", b ? b : "", b && s ? " · " : "", s ? s : "");
}

void web_sessions(struct request *r)
{
	struct session_info *s;
	int n = session_list(&r->dc, &r->me, &s);

	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "sessions.title"));
	H(r, "<h1>%s</h1><p class=\"muted\">%s</p>", T(r, "sessions.title"), T(r, "sessions.intro"));
	if (req_query(r, "ended"))
		page_notice(r, "ok", T(r, "sessions.ended"));
	H(r, "<section class=\"card\"><div class=\"table-wrap\"><table><caption class=\"muted\">%s</caption>"
	  "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th><th scope=\"col\"><span class=\"visually-hidden\">%s</span></th></tr></thead><tbody>",
	  T(r, "sessions.caption"), T(r, "sessions.device"), T(r, "sessions.ip"), T(r, "sessions.started"),
	  T(r, "sessions.last_seen"), T(r, "sessions.actions"));
	for (int i = 0; i < n; i++) {
		H(r, "<tr><td>%s", device_of(r, s[i].user_agent));
		if (s[i].current)
			H(r, " <strong>(%s)</strong>", T(r, "sessions.this_device"));
		H(r, "</td><td>%s</td><td>%s</td><td>%s</td><td>", s[i].ip, web_date(r, s[i].created_at),
		  web_datetime(r, s[i].last_seen_at));
		if (!s[i].current) {
			H(r, "<form method=\"post\" action=\"/me/sessions/%lld/end\" class=\"inline\">",
			  (long long)s[i].id);
			form_csrf(r);
			H(r, "<button type=\"submit\" class=\"secondary\">%s</button></form>", T(r, "sessions.end"));
		}
		H(r, "</td></tr>");
	}
	H(r, "</tbody></table></div></section>");
	H(r, "<section class=\"card\"><h2>%s</h2><p>%s</p>", T(r, "sessions.everywhere"),
	  T(r, "sessions.everywhere.text"));
	form_begin(r, "/me/sessions/end-all");
	H(r, "<button type=\"submit\" class=\"danger\">%s</button></form></section>", T(r, "sessions.everywhere"));
	H(r, "<p><a href=\"/me/password\">%s</a></p>", T(r, "password.title"));
	page_end(r);
}

void web_session_end(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = session_end(&r->dc, &r->me, id);

	if (e == D_NOT_FOUND) {
		web_error_page(r, 404);
		return;
	}
	if (e != D_OK) {
		web_error_page(r, 500);
		return;
	}
	resp_redirect(r, "/me/sessions?ended=1");
}

/* Signs out every device, this one included. */
void web_sessions_end_all(struct request *r)
{
	if (session_end_others(&r->dc, &r->me) < 0 || session_end(&r->dc, &r->me, r->me.session_id) == D_INTERNAL) {
		web_error_page(r, 500);
		return;
	}
	auth_clear_session_cookie(r);
	resp_redirect(r, "/login");
}
