/* "/": the landing page for visitors, the ego-network home for members. */
#include "web/web.h"

#include <string.h>

#include "domain/contacts.h"
#include "domain/documents.h"
#include "domain/profile.h"
#include "web/agenda.h"
#include "web/calls.h"
#include "web/social.h"

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
	H(r, "</div>");
	web_calls_home_block(r);    /* open calls for proposals, when there are */
	H(r, "<p class=\"muted\">%s</p>", T(r, "landing.who"));
	page_end(r);
}

static void box_begin(struct request *r, const char *id, const char *title)
{
	H(r, "<section class=\"card\" aria-labelledby=\"%s\"><h2 id=\"%s\">%s</h2>", id, id, title);
}

static void member_home(struct request *r)
{
	struct profile p, *contacts;
	struct activity *as;
	struct thread *ts;
	struct group *gs;
	struct group_filter gf = { .mine = 1, .limit = 8 };
	int64_t next, next_id;
	struct document *ds;
	struct doc_filter df = { .mine_and_groups = 1, .limit = 6 };
	int complete = 0, na, nt, ng, nc, nd;

	if (profile_get(&r->dc, &r->me, r->me.id, &p) == D_OK)
		complete = p.role[0] && p.ntags[TAG_SUBJECT] > 0;
	na = feed_list(&r->dc, &r->me, 0, 10, &as, &next);
	nt = my_discussions(&r->dc, &r->me, 0, 0, 6, &ts, &next, &next_id);
	ng = groups_list(&r->dc, &r->me, &gf, &gs, &next);
	nc = contacts_first(&r->dc, &r->me, 8, &contacts);
	nd = documents_list(&r->dc, &r->me, &df, &ds, &next);
	if (na < 0 || nt < 0 || ng < 0 || nc < 0 || nd < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "home.title"));
	H(r, "<h1>%s, %s</h1>", T(r, "home.hello"), r->me.name);
	if (!complete)
		H(r, "<p class=\"notice notice-ok\" role=\"status\">%s <a href=\"/me/edit\">%s</a></p>",
		  T(r, "home.complete_profile"), T(r, "home.complete_profile.link"));
	H(r, "<p class=\"actions\"><a class=\"button\" href=\"/posts/new\">%s</a>"
	  "<a class=\"button secondary\" href=\"/groups/new\">%s</a></p>", T(r, "home.write"), T(r, "groups.create"));
	H(r, "<div class=\"home-layout\"><div>");
	box_begin(r, "news", T(r, "home.news"));
	if (!na)
		H(r, "<p class=\"empty\">%s</p><p><a href=\"/users\">%s</a></p>", T(r, "home.news.empty"),
		  T(r, "home.find_colleagues"));
	feed_items(r, as, na);
	if (na)
		H(r, "<p><a href=\"/feed\">%s</a></p>", T(r, "home.see_all"));
	H(r, "</section></div><div>");
	web_agenda_home_box(r);
	web_calls_home_block(r);    /* open calls for proposals, when there are */
	box_begin(r, "discussions", T(r, "home.discussions"));
	if (!nt)
		H(r, "<p class=\"empty\">%s</p>", T(r, "home.discussions.empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < nt; i++) {
		H(r, "<li class=\"%s\"><a href=\"/posts/%lld\">%s</a>", ts[i].unread ? "unread" : "",
		  (long long)ts[i].p.ref.id, ts[i].p.title);
		if (ts[i].unread)
			H(r, " <span class=\"pill\">%s</span>", T(r, "notif.new"));
		H(r, "</li>");
	}
	H(r, "</ul><p><a href=\"/me/discussions\">%s</a></p></section>", T(r, "home.see_all"));
	box_begin(r, "groups", T(r, "home.groups"));
	if (!ng)
		H(r, "<p class=\"empty\">%s</p>", T(r, "home.groups.empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < ng; i++)
		H(r, "<li><a href=\"/groups/%lld\">%s</a> <span class=\"meta\">· %s</span></li>", (long long)gs[i].id,
		  gs[i].name, label(r, "gkind", gs[i].kind));
	H(r, "</ul><p><a href=\"/groups\">%s</a></p></section>", T(r, "home.browse_groups"));
	box_begin(r, "contacts", T(r, "home.contacts"));
	if (!nc)
		H(r, "<p class=\"empty\">%s</p>", T(r, "home.contacts.empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < nc && i < 8; i++)
		H(r, "<li><a href=\"/users/%lld\">%s</a></li>", (long long)contacts[i].id, contacts[i].name);
	H(r, "</ul><p><a href=\"/contacts\">%s</a> · <a href=\"/users\">%s</a></p></section>",
	  T(r, "home.see_all"), T(r, "home.find_colleagues"));
	box_begin(r, "documents", T(r, "home.documents"));
	if (!nd)
		H(r, "<p class=\"empty\">%s</p>", T(r, "home.documents.empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < nd; i++)
		H(r, "<li><a href=\"/documents/%lld\">%s</a> <span class=\"meta\">· %s</span></li>", (long long)ds[i].ref.id,
		  ds[i].title, label(r, "dkind", ds[i].kind));
	H(r, "</ul><p><a href=\"/documents\">%s</a> · <a href=\"/documents/new\">%s</a></p></section>",
	  T(r, "home.see_all"), T(r, "doc.upload"));
	H(r, "</div></div>");
	page_end(r);
}

void web_home(struct request *r)
{
	if (r->me.id)
		member_home(r);
	else
		landing(r);
}
