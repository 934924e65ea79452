/* Atom feeds of public content: a group's and a member's blog. Feed readers
 * come without cookies: only what a visitor may see is ever listed. */
#include "web/social.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/profile.h"
#include "http/server.h"
#include "util/markdown.h"
#include "web/web.h"

static const char *iso(struct request *r, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(r->arena, buf);
}

static void feed(struct request *r, const char *title, const char *self, const char *alt,
		 const struct post *ps, int n)
{
	const char *base = r->app->base_url;

	r->content_type = "application/atom+xml; charset=utf-8";
	H(r, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	  "<title>%s</title><id>%s%s</id><link rel=\"self\" href=\"%s%s\"/><link rel=\"alternate\" href=\"%s%s\"/>"
	  "<updated>%s</updated><generator>Respire</generator>\n", title, base, self, base, self, base, alt,
	  iso(r, n ? ps[0].updated_at : r->dc.now));
	for (int i = 0; i < n; i++) {
		const char *html = markdown_render(r->arena, ps[i].body).html; /* escaped below: text of the XML */

		H(r, "<entry><title>%s</title><id>%s/posts/%lld</id><link href=\"%s/posts/%lld\"/>"
		  "<published>%s</published><updated>%s</updated><author><name>%s</name></author>"
		  "<content type=\"html\">%s</content></entry>\n", ps[i].title, base, (long long)ps[i].ref.id, base,
		  (long long)ps[i].ref.id, iso(r, ps[i].created_at), iso(r, ps[i].updated_at), ps[i].author_name,
		  html ? html : "");
	}
	H(r, "</feed>\n");
	resp_header(r, "Cache-Control", "public, max-age=300");
}

/* GET /groups/{id:int}/feed.atom */
void web_group_atom(struct request *r)
{
	static const struct viewer visitor = { 0 };
	struct post_filter f = { 0 };
	struct group g;
	struct post *ps;
	int64_t id = req_param_id(r, 0), next;
	int n;

	if (group_get(&r->dc, &visitor, id, &g) != D_OK) {
		web_error_page(r, 404);
		return;
	}
	f.group_id = id;
	f.only_public = 1;
	f.limit = 30;
	n = posts_list(&r->dc, &visitor, &f, &ps, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	feed(r, g.name, arena_printf(r->arena, "/groups/%lld/feed.atom", (long long)id),
	     arena_printf(r->arena, "/groups/%lld", (long long)id), ps, n);
}

/* GET /users/{id:int}/blog.atom */
void web_user_atom(struct request *r)
{
	static const struct viewer visitor = { 0 };
	struct post_filter f = { 0 };
	struct post *ps;
	int64_t id = req_param_id(r, 0), next;
	const char *name = user_public_name(&r->dc, id);
	int n;

	/* The member must exist; the feed itself shows public posts only. */
	if (!name) {
		web_error_page(r, 404);
		return;
	}
	f.author_id = id;
	f.kind = "blog";
	f.only_public = 1;
	f.limit = 30;
	n = posts_list(&r->dc, &visitor, &f, &ps, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	/* A member without public posts stays unknown to visitors (profiles are for members). */
	if (n == 0) {
		web_error_page(r, 404);
		return;
	}
	feed(r, arena_printf(r->arena, "%s — blog", name), arena_printf(r->arena, "/users/%lld/blog.atom",
									  (long long)id),
	     /* a page a visitor may open (the profile is for members): the latest post */
	     n ? arena_printf(r->arena, "/posts/%lld", (long long)ps[0].ref.id) : "/", ps, n);
}
