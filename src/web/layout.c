/* The page frame: head, header and navigation, footer, error pages. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/chat.h"
#include "domain/notify.h"
#include "http/auth.h"
#include "http/errors.h"
#include "http/server.h"
#include "util/text.h"

void form_csrf(struct request *r)
{
	H(r, "<input type=\"hidden\" name=\"" CSRF_FIELD "\" value=\"%s\">", r->csrf ? r->csrf : "");
}

void page_notice(struct request *r, const char *kind, const char *text)
{
	H(r, "<p class=\"notice notice-%s\" role=\"%s\">%s</p>", kind,
	  !strcmp(kind, "error") ? "alert" : "status", text);
}

int64_t web_cursor(struct request *r)
{
	const char *c = req_query(r, "cursor");
	int64_t v = c && *c ? parse_id(c) : 0;

	if (v < 0)
		web_error_page(r, 400);
	return v;
}

const char *web_count(struct request *r, long long n, const char *key_one, const char *key_many)
{
	/* French uses the singular for 0 and 1, English only for 1. */
	int one = !strcmp(r->lang, "en") ? n == 1 : (n == 0 || n == 1);

	return arena_printf(r->arena, "%lld %s", n, T(r, one ? key_one : key_many));
}

const char *web_date(struct request *r, long long t)
{
	static const char *const fr[] = { "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
					  "août", "septembre", "octobre", "novembre", "décembre" };
	static const char *const en[] = { "January", "February", "March", "April", "May", "June", "July",
					  "August", "September", "October", "November", "December" };
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return arena_printf(r->arena, "%d %s %d", tm.tm_mday,
			    (!strcmp(r->lang, "en") ? en : fr)[tm.tm_mon], tm.tm_year + 1900);
}

const char *web_datetime(struct request *r, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return arena_printf(r->arena, "%s, %02d:%02d", web_date(r, t), tm.tm_hour, tm.tm_min);
}

static void nav_link(struct request *r, const char *href, const char *label)
{
	int here = !strcmp(r->path, href);

	H(r, "<li><a href=\"%s\"%s>%s</a></li>", href, here ? " aria-current=\"page\"" : "", label);
}

/* The instance's name (the console's settings), else Respire. */
static const char *site_name(const struct request *r)
{
	return r->dc.cfg && r->dc.cfg->site_name[0] ? r->dc.cfg->site_name : "Respire";
}

void page_begin(struct request *r, const char *title)
{
	page_begin_og(r, title, NULL, NULL);
}

void page_begin_og(struct request *r, const char *title, const char *description, const char *og_type)
{
	r->content_type = "text/html; charset=utf-8";
	H(r, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	  "<title>%s · %s</title>\n"
	  "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
	  "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
	  "<meta name=\"color-scheme\" content=\"light dark\">\n", r->lang, title, site_name(r));
	if (description) {
		/* Previews for links shared elsewhere: only pages a visitor may see get here. */
		H(r, "<meta name=\"description\" content=\"%s\">\n"
		  "<meta property=\"og:title\" content=\"%s\">\n"
		  "<meta property=\"og:description\" content=\"%s\">\n"
		  "<meta property=\"og:type\" content=\"%s\">\n"
		  "<meta property=\"og:site_name\" content=\"%s\">\n"
		  "<meta property=\"og:url\" content=\"%s%s\">\n"
		  "<meta property=\"og:locale\" content=\"%s\">\n", description, title, description,
		  og_type ? og_type : "website", site_name(r), r->app->base_url, r->path, !strcmp(r->lang, "en") ? "en_GB" : "fr_FR");
	}
	if (r->me.id)
		H(r, "<script src=\"/static/live.js\" defer></script>\n");
	H(r, "<script src=\"/static/site.js\" defer></script>\n");
	H(r, "</head>\n<body%s>\n", r->me.id ? " data-live=\"1\"" : "");
	H(r, "<a class=\"skip\" href=\"#main\">%s</a>\n", T(r, "nav.skip"));
	/* Shown by site.js while the browser is offline. */
	H(r, "<div class=\"offline\" id=\"offline\" role=\"status\" hidden>%s</div>\n", T(r, "offline"));
	H(r, "<header class=\"site\"><div class=\"bar\">"
	  "<a class=\"brand\" href=\"/\"><span class=\"logo\" aria-hidden=\"true\">◠</span> %s</a>"
	  "<form class=\"site-search\" role=\"search\" method=\"get\" action=\"/search\">"
	  "<label class=\"visually-hidden\" for=\"site-q\">%s</label>"
	  "<input id=\"site-q\" name=\"q\" type=\"search\" placeholder=\"%s\" maxlength=\"1000\" autocomplete=\"off\""
	  " list=\"search-suggestions\" data-suggest=\"1\">"
	  "<button type=\"submit\" class=\"search-go\"><span aria-hidden=\"true\">⌕</span>"
	  "<span class=\"visually-hidden\">%s</span></button>"
	  "<datalist id=\"search-suggestions\"></datalist></form>"
	  "<nav aria-label=\"%s\"><ul>", site_name(r), T(r, "search.label"), T(r, "search.placeholder"), T(r, "search.submit"),
	  T(r, "nav.label"));
	if (r->me.id) {
		char *me = arena_printf(r->arena, "/users/%lld", (long long)r->me.id);

		struct badges b = { 0 };

		if (r->dc.db)
			notify_badges(&r->dc, &r->me, &b); /* on failure the figures stay 0 */

		nav_link(r, "/", T(r, "nav.home"));
		nav_link(r, "/groups", T(r, "nav.groups"));
		nav_link(r, "/documents", T(r, "nav.documents"));
		nav_link(r, "/innovations", T(r, "nav.innovations"));
		nav_link(r, "/events", T(r, "nav.agenda"));
		nav_link(r, "/users", T(r, "nav.directory"));
		H(r, "<li><a href=\"/messages\" data-unread-label=\"%s\"%s>%s", T(r, "chat.unread"),
		  !strcmp(r->path, "/messages") ? " aria-current=\"page\"" : "", T(r, "nav.messages"));
		if (b.messages > 0)
			H(r, " <span class=\"badge\">%lld<span class=\"visually-hidden\"> %s</span></span>",
			  (long long)(b.messages > 99 ? 99 : b.messages), T(r, "chat.unread"));
		H(r, "</a></li>");
		H(r, "<li><a href=\"/notifications\" data-unread-label=\"%s\"%s>%s", T(r, "nav.unread"),
		  !strcmp(r->path, "/notifications") ? " aria-current=\"page\"" : "", T(r, "nav.notifications"));
		if (b.notifications > 0)
			H(r, " <span class=\"badge\">%lld<span class=\"visually-hidden\"> %s</span></span>",
			  (long long)b.notifications, T(r, "nav.unread"));
		H(r, "</a></li>");
		nav_link(r, me ? me : "/", T(r, "nav.profile"));
		if (b.moderates)
			nav_link(r, "/moderation", T(r, "moderation.title"));
		if (r->me.admin)
			nav_link(r, "/admin", T(r, "admin.nav"));
		H(r, "<li><form method=\"post\" action=\"/logout\" class=\"inline\">");
		form_csrf(r);
		H(r, "<button type=\"submit\" class=\"link\">%s</button></form></li>", T(r, "nav.logout"));
	} else {
		nav_link(r, "/innovations", T(r, "nav.innovations"));
		nav_link(r, "/events", T(r, "nav.agenda"));
		nav_link(r, "/login", T(r, "nav.login"));
		H(r, "<li><a class=\"button\" href=\"/register\"%s>%s</a></li>",
		  !strcmp(r->path, "/register") ? " aria-current=\"page\"" : "", T(r, "nav.register"));
	}
	H(r, "</ul></nav></div></header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct request *r)
{
	const char *other = !strcmp(r->lang, "en") ? "fr" : "en";

	H(r, "\n</main>\n<footer class=\"site\"><div class=\"bar\">"
	  "<p>%s</p><nav class=\"legal\" aria-label=\"%s\"><a href=\"/legal\">%s</a> · <a href=\"/privacy\">%s</a>"
	  " · <a href=\"/accessibility\">%s</a></nav>"
	  "<form method=\"post\" action=\"/lang\" class=\"inline\">", T(r, "footer.tagline"), T(r, "legal.nav"),
	  T(r, "legal.legal"), T(r, "legal.privacy"), T(r, "legal.accessibility"));
	form_csrf(r);
	H(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">"
	  "<button type=\"submit\" name=\"lang\" value=\"%s\" class=\"link\" lang=\"%s\">%s</button>"
	  "</form></div></footer>\n</body>\n</html>\n",
	  r->path, other, other, !strcmp(other, "en") ? "English" : "Français");
}

void web_error(struct request *r, int status, const char *text_key)
{
	char key[32], text[32];
	const char *title;

	snprintf(key, sizeof key, "error.%d", status);
	snprintf(text, sizeof text, "error.%d.text", status);
	if (status != 400 && status != 401 && status != 403 && status != 404 && status != 405 &&
	    status != 409 && status != 413 && status != 415 && status != 422 && status != 429 &&
	    status != 414 && status != 503 && status != 507) {
		snprintf(key, sizeof key, "error.500");
		snprintf(text, sizeof text, "error.500.text");
	}
	buf_reset(&r->out);
	r->resp_file = NULL;
	r->status = status;
	title = T(r, key);
	page_begin(r, title);
	H(r, "<section class=\"card narrow error-page\"><p class=\"status\">%d</p><h1>%s</h1><p>%s</p>"
	  "<p><a class=\"button\" href=\"/\">%s</a></p></section>", status, title,
	  T(r, text_key ? text_key : text), T(r, "error.back_home"));
	page_end(r);
}

void web_error_page(struct request *r, int status)
{
	web_error(r, status, NULL);
}

void web_derr_page(struct request *r, enum derr e)
{
	const struct http_error *x = derr_error(e);

	web_error(r, x->status, x->key);
}

/* POST /lang: remembers the chosen language in a cookie. */
void web_lang(struct request *r)
{
	const char *lang = req_form(r, "lang");
	const char *next = req_form(r, "next");

	if (!lang || (strcmp(lang, "fr") && strcmp(lang, "en"))) {
		web_error_page(r, 400);
		return;
	}
	resp_cookie(r, "lang", lang, 60L * 60 * 24 * 365);
	resp_redirect(r, is_local_path(next) ? next : "/");
}
