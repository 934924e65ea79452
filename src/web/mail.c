/* Pages: the notification settings form (/me/notification-settings) and
 * the unsubscribe page that mails link to (/unsubscribe). */
#include "web/mail.h"

#include <string.h>

#include "domain/notify_prefs.h"
#include "http/auth.h"
#include "util/text.h"
#include "web/web.h"

static const char *mode_key(const char *mode)
{
	return !strcmp(mode, "mail") ? "notify_settings.mode.mail" :
	       !strcmp(mode, "digest") ? "notify_settings.mode.digest" : "notify_settings.mode.page";
}

static const char *kind_key(struct request *r, const char *kind)
{
	return arena_printf(r->arena, "notify_settings.kind.%s", kind);
}

static void settings_form(struct request *r, const struct notify_prefs *p, const char *error, const char *notice)
{
	page_begin(r, T(r, "notify_settings.title"));
	H(r, "<h1>%s</h1><section class=\"card\">", T(r, "notify_settings.title"));
	if (error)
		page_notice(r, "error", error);
	if (notice)
		page_notice(r, "ok", notice);
	H(r, "<p>%s</p><form method=\"post\" action=\"/me/notification-settings\">", T(r, "notify_settings.intro"));
	form_csrf(r);
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		const char *kind = notify_pref_kinds[i], *key = kind_key(r, kind);

		H(r, "<fieldset><legend>%s</legend>", key ? T(r, key) : kind);
		for (int m = 0; notify_pref_modes[m]; m++) {
			const char *mode = notify_pref_modes[m];

			H(r, "<label class=\"check\"><input type=\"radio\" name=\"%s\" value=\"%s\"%s> %s</label>", kind,
			  mode, !strcmp(p->mode[i], mode) ? " checked" : "", T(r, mode_key(mode)));
		}
		H(r, "</fieldset>");
	}
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button><a href=\"/notifications\">%s</a></div>"
	  "</form></section>", T(r, "notify_settings.save"), T(r, "nav.notifications"));
	page_end(r);
}

/* GET and POST /me/notification-settings: a group of radio buttons per
 * kind; the kinds a POST names change, the others stay. */
void web_notification_settings(struct request *r)
{
	struct notify_prefs p;
	const char *kinds[NOTIFY_KINDS], *modes[NOTIFY_KINDS], *field = NULL;
	int n = 0;
	enum derr e;

	if (notify_prefs_get(&r->dc, r->me.id, &p) != D_OK) {
		web_error_page(r, 500);
		return;
	}
	if (r->method != HTTP_POST) {
		settings_form(r, &p, NULL, req_query(r, "saved") ? T(r, "notify_settings.saved") : NULL);
		return;
	}
	for (int i = 0; i < NOTIFY_KINDS; i++) {
		const char *v = req_form(r, notify_pref_kinds[i]);

		if (!v)
			continue;
		kinds[n] = notify_pref_kinds[i];
		modes[n++] = v;
	}
	e = notify_prefs_set(&r->dc, r->me.id, n, kinds, modes, &field);
	if (e == D_OK) {
		resp_redirect(r, "/me/notification-settings?saved=1");
		return;
	}
	if (e != D_INVALID) {
		web_error_page(r, 500);
		return;
	}
	r->status = 422;
	settings_form(r, &p, T(r, "notify_settings.invalid"), NULL);
}

/* The link's three values, from the query string (GET, one-click) or the form. */
static int read_link(struct request *r, int from_form, int64_t *user, const char **kind, const char **token)
{
	const char *u = from_form ? req_form(r, "u") : req_query(r, "u");

	*kind = from_form ? req_form(r, "k") : req_query(r, "k");
	*token = from_form ? req_form(r, "t") : req_query(r, "t");
	*user = u ? parse_id(u) : -1;
	return *user > 0 && *kind && *token && text_ok(*kind, 0) && text_ok(*token, 0) ? 0 : -1;
}

static void done_page(struct request *r)
{
	page_begin(r, T(r, "unsubscribe.done.title"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p><p><a class=\"button secondary\""
	  " href=\"/me/notification-settings\">%s</a></p></section>", T(r, "unsubscribe.done.title"),
	  T(r, "unsubscribe.done.text"), T(r, "unsubscribe.settings"));
	page_end(r);
}

/* GET /unsubscribe?u=&k=&t= shows a button and changes nothing (mail
 * scanners open links). POST /unsubscribe with the form's u, k, t and the
 * CSRF token sets that kind (or all) to "page". POST /unsubscribe?u=&k=&t=
 * with the body List-Unsubscribe=One-Click (RFC 8058) does the same without
 * a CSRF token: a mail client cannot have one, and the token of the link is
 * the proof. That is why the route has no CSRF flag: this handler checks the
 * CSRF token itself for every other POST. A token that does not match: 404. */
void web_unsubscribe(struct request *r)
{
	const char *kind, *token, *one_click = req_form(r, "List-Unsubscribe");
	int64_t user;
	enum derr e;

	if (r->method == HTTP_POST && one_click && !strcmp(one_click, "One-Click")) {
		if (read_link(r, 0, &user, &kind, &token) < 0 && read_link(r, 1, &user, &kind, &token) < 0) {
			web_error_page(r, 404);
			return;
		}
		e = unsubscribe_apply(&r->dc, user, kind, token);
		if (e == D_OK)
			resp_text(r, 200, "text/plain; charset=utf-8", "unsubscribed\n");
		else
			web_derr_page(r, e);
		return;
	}
	if (r->method == HTTP_POST && !csrf_valid(r)) {
		web_error_page(r, 403);
		return;
	}
	if (read_link(r, r->method == HTTP_POST, &user, &kind, &token) < 0) {
		web_error_page(r, 404);
		return;
	}
	if (r->method == HTTP_POST) {
		e = unsubscribe_apply(&r->dc, user, kind, token);
		if (e == D_OK)
			done_page(r);
		else
			web_derr_page(r, e);
		return;
	}
	e = unsubscribe_check(&r->dc, user, kind, token);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, T(r, "unsubscribe.title"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", T(r, "unsubscribe.title"));
	if (!strcmp(kind, "all")) {
		H(r, "<p>%s</p>", T(r, "unsubscribe.text.all"));
	} else {
		const char *key = kind_key(r, kind);

		H(r, "<p>%s <strong>%s</strong></p>", T(r, "unsubscribe.text.one"), key ? T(r, key) : kind);
	}
	H(r, "<form method=\"post\" action=\"/unsubscribe\">");
	form_csrf(r);
	H(r, "<input type=\"hidden\" name=\"u\" value=\"%lld\"><input type=\"hidden\" name=\"k\" value=\"%s\">"
	  "<input type=\"hidden\" name=\"t\" value=\"%s\"><div class=\"actions\"><button type=\"submit\">%s</button>"
	  "</div></form></section>", (long long)user, kind, token, T(r, "unsubscribe.submit"));
	page_end(r);
}
