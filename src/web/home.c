/* "/": the landing page for visitors, the ego-network home for members. */
#include "web/web.h"

#include <string.h>

#include "domain/profile.h"

static void landing(struct request *r)
{
	page_begin(r, T(r, "landing.title"));
	H(r, "<section class=\"hero\"><h1>%s</h1><p class=\"lead\">%s</p>"
	  "<div class=\"actions\"><a class=\"button\" href=\"/register\">%s</a>"
	  "<a class=\"button secondary\" href=\"/login\">%s</a></div></section>",
	  T(r, "landing.headline"), T(r, "landing.lead"), T(r, "nav.register"), T(r, "nav.login"));
	H(r, "<div class=\"grid\">");
	static const char *const points[] = { "landing.p1", "landing.p2", "landing.p3", "landing.p4" };
	for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
		char *h = arena_printf(r->arena, "%s.title", points[i]);
		char *t = arena_printf(r->arena, "%s.text", points[i]);

		H(r, "<section class=\"card\"><h2>%s</h2><p>%s</p></section>", T(r, h ? h : ""),
		  T(r, t ? t : ""));
	}
	H(r, "</div><p class=\"muted\">%s</p>", T(r, "landing.who"));
	page_end(r);
}

/* One box of the home; later capabilities fill them in. */
static void box(struct request *r, const char *id, const char *title, const char *empty,
		const char *link, const char *link_label)
{
	H(r, "<section class=\"card\" aria-labelledby=\"%s\"><h2 id=\"%s\">%s</h2>"
	  "<p class=\"empty\">%s</p>", id, id, title, empty);
	if (link)
		H(r, "<p><a href=\"%s\">%s</a></p>", link, link_label);
	H(r, "</section>");
}

static void member_home(struct request *r)
{
	struct profile p;
	int complete = 0;

	if (profile_get(&r->dc, &r->me, r->me.id, &p) == D_OK)
		complete = p.role[0] && p.ntags[TAG_SUBJECT] > 0;
	page_begin(r, T(r, "home.title"));
	H(r, "<h1>%s, %s</h1>", T(r, "home.hello"), r->me.name);
	if (!complete)
		H(r, "<p class=\"notice notice-ok\" role=\"status\">%s <a href=\"/me/edit\">%s</a></p>",
		  T(r, "home.complete_profile"), T(r, "home.complete_profile.link"));
	H(r, "<div class=\"grid\">");
	box(r, "news", T(r, "home.news"), T(r, "home.news.empty"), "/users", T(r, "home.find_colleagues"));
	box(r, "documents", T(r, "home.documents"), T(r, "home.documents.empty"), NULL, NULL);
	box(r, "discussions", T(r, "home.discussions"), T(r, "home.discussions.empty"), NULL, NULL);
	box(r, "groups", T(r, "home.groups"), T(r, "home.groups.empty"), NULL, NULL);
	box(r, "contacts", T(r, "home.contacts"), T(r, "home.contacts.empty"), "/users",
	    T(r, "home.find_colleagues"));
	H(r, "</div>");
	page_end(r);
}

void web_home(struct request *r)
{
	if (r->me.id)
		member_home(r);
	else
		landing(r);
}
