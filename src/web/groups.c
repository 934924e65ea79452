/* Group pages: directory, creation, group home, members, membership actions. */
#include "web/social.h"

#include <string.h>

#include "util/text.h"
#include "web/agenda.h"
#include "web/web.h"

void group_summary(struct request *r, const struct group *g)
{
	H(r, "<li class=\"card\"><h3><a href=\"/groups/%lld\">%s</a></h3><p class=\"meta\"><span class=\"pill\">%s</span>"
	  " <span class=\"pill\">%s</span> · %s</p>", (long long)g->id, g->name, label(r, "gkind", g->kind),
	  label(r, "gvis", g->visibility), web_count(r, g->member_count, "group.member_one", "group.members_count"));
	if (g->description[0])
		H(r, "<p>%s</p>", g->description);
	H(r, "</li>");
}

/* GET /groups?kind=&mine=1 */
void web_groups(struct request *r)
{
	struct group_filter f = { 0 };
	struct group *gs;
	int64_t next;
	const char *kind = req_query(r, "kind"), *mine = req_query(r, "mine"), *cursor = req_query(r, "cursor");
	int n;

	f.kind = kind && *kind ? kind : NULL;
	if (f.kind) {
		int ok = 0;
		for (const char *const *k = group_kinds; *k; k++)
			ok |= !strcmp(*k, f.kind);
		if (!ok) {
			web_error_page(r, 400);
			return;
		}
	}
	f.mine = mine && !strcmp(mine, "1") && r->me.id;
	f.after = cursor ? parse_id(cursor) : 0;
	if (f.after < 0) {
		web_error_page(r, 400);
		return;
	}
	f.limit = 30;
	n = groups_list(&r->dc, &r->me, &f, &gs, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin_og(r, T(r, "groups.title"), T(r, "groups.intro"), NULL);
	H(r, "<h1>%s</h1><p class=\"muted\">%s</p>", T(r, "groups.title"), T(r, "groups.intro"));
	if (r->me.id)
		H(r, "<p class=\"actions\"><a class=\"button\" href=\"/groups/new\">%s</a></p>", T(r, "groups.create"));
	H(r, "<nav aria-label=\"%s\"><ul class=\"tabs\"><li><a href=\"/groups\"%s>%s</a></li>", T(r, "groups.filter"),
	  !f.kind && !f.mine ? " aria-current=\"page\"" : "", T(r, "groups.all"));
	if (r->me.id)
		H(r, "<li><a href=\"/groups?mine=1\"%s>%s</a></li>", f.mine ? " aria-current=\"page\"" : "",
		  T(r, "home.groups"));
	for (const char *const *k = group_kinds; *k; k++)
		H(r, "<li><a href=\"/groups?kind=%s\"%s>%s</a></li>", *k,
		  f.kind && !strcmp(f.kind, *k) ? " aria-current=\"page\"" : "", label(r, "gkind", *k));
	H(r, "</ul></nav>");
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "groups.none"));
	H(r, "<ul class=\"grid cards\">");
	for (int i = 0; i < n; i++)
		group_summary(r, &gs[i]);
	H(r, "</ul>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/groups?cursor=%lld%s%s%s\">%s</a></p>", (long long)next,
		  f.kind ? "&kind=" : "", f.kind ? f.kind : "", f.mine ? "&mine=1" : "", T(r, "groups.more"));
	page_end(r);
}

static void option_list(struct request *r, const char *name, const char *prefix, const char *const *values,
			const char *current)
{
	H(r, "<select id=\"f-%s\" name=\"%s\">", name, name);
	for (const char *const *v = values; *v; v++)
		H(r, "<option value=\"%s\"%s>%s</option>", *v, current && !strcmp(current, *v) ? " selected" : "",
		  label(r, prefix, *v));
	H(r, "</select>");
}

static void group_form(struct request *r, const char *action, const struct group_input *in, const char *error,
		       int editing)
{
	const char *title = T(r, editing ? "group.edit" : "groups.create");

	page_begin(r, title);
	H(r, "<section class=\"card\"><h1>%s</h1>", title);
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"%s\">", action);
	form_csrf(r);
	H(r, "<label for=\"f-name\">%s</label><input id=\"f-name\" name=\"name\" type=\"text\" maxlength=\"%d\""
	  " value=\"%s\" required>", T(r, "group.name"), GROUP_NAME_MAX, in->name ? in->name : "");
	H(r, "<label for=\"f-description\">%s</label><textarea id=\"f-description\" name=\"description\" rows=\"4\">"
	  "%s</textarea>", T(r, "group.description"), in->description ? in->description : "");
	H(r, "<label for=\"f-kind\">%s</label>", T(r, "group.kind"));
	option_list(r, "kind", "gkind", group_kinds, in->kind);
	H(r, "<label for=\"f-visibility\">%s<span class=\"hint\" id=\"h-gvis\">%s</span></label>",
	  T(r, "group.visibility"), T(r, "group.visibility.hint"));
	option_list(r, "visibility", "gvis", group_visibilities, in->visibility);
	H(r, "<fieldset><legend>%s</legend><p class=\"hint\">%s</p>"
	  "<label for=\"f-acad\">%s</label><input id=\"f-acad\" name=\"allowed_academies\" type=\"text\" value=\"%s\">"
	  "<label for=\"f-dom\">%s</label><input id=\"f-dom\" name=\"allowed_domains\" type=\"text\" value=\"%s\""
	  " placeholder=\"ac-lyon.fr, ac-grenoble.fr\"></fieldset>",
	  T(r, "group.criteria"), T(r, "group.criteria.hint"), T(r, "group.allowed_academies"),
	  in->allowed_academies ? in->allowed_academies : "", T(r, "group.allowed_domains"),
	  in->allowed_domains ? in->allowed_domains : "");
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, editing ? "edit.save" : "groups.create"));
	page_end(r);
}

static const char *group_error(struct request *r, const char *field)
{
	char *key = arena_printf(r->arena, "group.error.%s", field ? field : "name");

	return key ? T(r, key) : "";
}

static void read_group_form(struct request *r, struct group_input *in)
{
	in->name = req_form(r, "name");
	in->description = req_form(r, "description");
	in->kind = req_form(r, "kind");
	in->visibility = req_form(r, "visibility");
	in->allowed_academies = req_form(r, "allowed_academies");
	in->allowed_domains = req_form(r, "allowed_domains");
}

/* Values shown back in a form must be valid text. */
static void clean_group_input(struct group_input *in)
{
	const char **f[] = { &in->name, &in->description, &in->kind, &in->visibility, &in->allowed_academies,
			     &in->allowed_domains };

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (*f[i] && !text_ok(*f[i], 1))
			*f[i] = NULL;
}

void web_group_new(struct request *r)
{
	struct group_input in = { 0 };
	const char *field = NULL;
	int64_t id;
	enum derr e;

	if (r->method != HTTP_POST) {
		in.kind = "practice";
		in.visibility = "closed";
		group_form(r, "/groups/new", &in, NULL, 0);
		return;
	}
	read_group_form(r, &in);
	e = group_create(&r->dc, &r->me, &in, &id, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/groups/%lld", (long long)id));
		return;
	}
	if (e != D_INVALID) {
		web_error_page(r, 500);
		return;
	}
	r->status = 422;
	clean_group_input(&in);
	group_form(r, "/groups/new", &in, group_error(r, field), 0);
}

void web_group_edit(struct request *r)
{
	struct group g;
	struct group_input in = { 0 };
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e = group_get(&r->dc, &r->me, id, &g);
	char *action = arena_printf(r->arena, "/groups/%lld/edit", (long long)id);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (g.my_role < GR_MODERATOR) {
		web_error_page(r, 403);
		return;
	}
	if (r->method != HTTP_POST) {
		in.name = g.name;
		in.description = g.description;
		in.kind = g.kind;
		in.visibility = g.visibility;
		in.allowed_academies = g.allowed_academies;
		in.allowed_domains = g.allowed_domains;
		group_form(r, action, &in, NULL, 1);
		return;
	}
	read_group_form(r, &in);
	e = group_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/groups/%lld", (long long)id));
		return;
	}
	if (e != D_INVALID) {
		web_derr_page(r, e);
		return;
	}
	r->status = 422;
	clean_group_input(&in);
	group_form(r, action, &in, group_error(r, field), 1);
}

static void pending_box(struct request *r, const struct group *g)
{
	struct group_member *ms;
	int n = group_members_of(&r->dc, &r->me, g, 1, &ms);

	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "group.pending"));
	if (n <= 0)
		H(r, "<p class=\"empty\">%s</p>", T(r, "group.no_pending"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++) {
		if (ms[i].email) {
			H(r, "<li>%s · %s</li>", ms[i].email, label(r, "mstate", ms[i].state));
			continue;
		}
		H(r, "<li><a href=\"/users/%lld\">%s</a> · %s ", (long long)ms[i].who.id, ms[i].who.name,
		  label(r, "mstate", ms[i].state));
		if (!strcmp(ms[i].state, "requested")) {
			button_form(r, arena_printf(r->arena, "/groups/%lld/requests/%lld/accept", (long long)g->id,
						    (long long)ms[i].who.id), T(r, "group.accept"), "");
			button_form(r, arena_printf(r->arena, "/groups/%lld/requests/%lld/refuse", (long long)g->id,
						    (long long)ms[i].who.id), T(r, "group.refuse"), "secondary");
		}
		H(r, "</li>");
	}
	H(r, "</ul><h3>%s</h3><form method=\"post\" action=\"/groups/%lld/invite\">", T(r, "group.invite"),
	  (long long)g->id);
	form_csrf(r);
	H(r, "<label for=\"f-invite\">%s<span class=\"hint\" id=\"h-invite\">%s</span></label>"
	  "<input id=\"f-invite\" name=\"who\" type=\"text\" required aria-describedby=\"h-invite\">"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "group.invite.who"), T(r, "group.invite.hint"), T(r, "group.invite.send"));
}

/* GET /groups/{id:int} */
void web_group(struct request *r)
{
	struct group g;
	struct post_filter f = { 0 };
	struct post *ps;
	int64_t id = req_param_id(r, 0), next;
	const char *cursor = req_query(r, "cursor"), *notice = req_query(r, "notice");
	enum derr e = group_get(&r->dc, &r->me, id, &g);
	int n;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	f.group_id = id;
	f.before = cursor ? parse_id(cursor) : 0;
	if (f.before < 0) {
		web_error_page(r, 400);
		return;
	}
	f.limit = 20;
	n = posts_list(&r->dc, &r->me, &f, &ps, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	{
		struct group_ref gr = { g.id, g.visibility };

		page_begin_og(r, g.name, !access_public_group(&r->dc, &gr) ? NULL
					 : g.description[0] ? web_excerpt(r, g.description, 200) : label(r, "gkind", g.kind), NULL);
	}
	H(r, "<section class=\"card\"><p class=\"meta\"><span class=\"pill\">%s</span> <span class=\"pill\">%s</span>"
	  "</p><h1>%s</h1>", label(r, "gkind", g.kind), label(r, "gvis", g.visibility), g.name);
	if (notice && (!strcmp(notice, "joined") || !strcmp(notice, "requested") || !strcmp(notice, "invited") ||
		       !strcmp(notice, "left")))
		page_notice(r, "ok", label(r, "group.notice", notice));
	if (g.description[0])
		H(r, "<p class=\"bio\">%s</p>", g.description);
	H(r, "<p class=\"meta\">%s", web_count(r, g.member_count, "group.member_one", "group.members_count"));
	if (r->me.id && (!strcmp(g.visibility, "open") || g.my_role >= GR_MEMBER))
		H(r, " · <a href=\"/groups/%lld/members\">%s</a>", (long long)id, T(r, "group.see_members"));
	H(r, " · <a href=\"/groups/%lld/documents\">%s</a>", (long long)id, T(r, "doc.bank"));
	if (g.my_role >= GR_MEMBER)
		H(r, " · <a href=\"/groups/%lld/room\">%s</a>", (long long)id, T(r, "chat.group_link"));
	H(r, " · <a href=\"/groups/%lld/feed.atom\">%s</a></p>", (long long)id, T(r, "group.atom"));
	H(r, "<form class=\"search-line group-search\" role=\"search\" method=\"get\" action=\"/search\">"
	  "<input type=\"hidden\" name=\"group_id\" value=\"%lld\">"
	  "<label class=\"visually-hidden\" for=\"g-q\">%s</label>"
	  "<input id=\"g-q\" name=\"q\" type=\"search\" maxlength=\"1000\" placeholder=\"%s\">"
	  "<button type=\"submit\" class=\"secondary\">%s</button></form><div class=\"actions\">",
	  (long long)id, T(r, "search.in_this_group"), T(r, "search.in_this_group"), T(r, "search.submit"));
	if (!r->me.id) {
		H(r, "<a class=\"button\" href=\"/login?next=/groups/%lld\">%s</a>", (long long)id, T(r, "group.login_to_join"));
	} else if (g.my_role == GR_NONE) {
		button_form(r, arena_printf(r->arena, "/groups/%lld/join", (long long)id),
			    T(r, !strcmp(g.visibility, "open") ? "group.join" : "group.ask"), "");
	} else if (g.my_role == GR_INVITED) {
		button_form(r, arena_printf(r->arena, "/groups/%lld/join", (long long)id), T(r, "group.accept_invitation"), "");
		button_form(r, arena_printf(r->arena, "/groups/%lld/leave", (long long)id), T(r, "group.decline"), "secondary");
	} else if (g.my_role == GR_REQUESTED) {
		H(r, "<span class=\"pill\">%s</span>", T(r, "group.requested"));
		button_form(r, arena_printf(r->arena, "/groups/%lld/leave", (long long)id), T(r, "group.withdraw"), "secondary");
	} else {
		H(r, "<a class=\"button\" href=\"/posts/new?group=%lld\">%s</a>", (long long)id, T(r, "group.new_post"));
		H(r, "<a class=\"button secondary\" href=\"/documents/new?group=%lld\">%s</a>", (long long)id,
		  T(r, "doc.upload"));
		if (g.my_role >= GR_MODERATOR)
			H(r, "<a class=\"button secondary\" href=\"/groups/%lld/edit\">%s</a>"
			  "<a class=\"button secondary\" href=\"/moderation\">%s</a>", (long long)id, T(r, "group.edit"),
			  T(r, "moderation.title"));
		button_form(r, arena_printf(r->arena, "/groups/%lld/leave", (long long)id), T(r, "group.leave"), "secondary");
	}
	H(r, "</div></section>");
	if (g.my_role >= GR_MODERATOR)
		pending_box(r, &g);
	web_agenda_group_box(r, id, g.my_role >= GR_MEMBER);
	if (!f.before) {
		/* pinned discussions first (the operators' console pins them) */
		struct post_filter pf = { 0 };
		struct post *pinned;
		int64_t pnext;
		int np;

		pf.group_id = id;
		pf.only_pinned = 1;
		pf.limit = 5;
		np = posts_list(&r->dc, &r->me, &pf, &pinned, &pnext);
		if (np > 0) {
			H(r, "<section class=\"card\"><h2>%s</h2><ul class=\"plain\">", T(r, "group.pinned"));
			for (int i = 0; i < np; i++)
				post_summary(r, &pinned[i]);
			H(r, "</ul></section>");
		}
	}
	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "group.activity"));
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "group.no_posts"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++)
		post_summary(r, &ps[i]);
	H(r, "</ul>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/groups/%lld?cursor=%lld\">%s</a></p>", (long long)id,
		  (long long)next, T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

/* GET /groups/{id:int}/members */
void web_group_members(struct request *r)
{
	struct group g;
	struct group_member *ms;
	int64_t id = req_param_id(r, 0);
	enum derr e = group_get(&r->dc, &r->me, id, &g);
	int n;

	if (e != D_OK || (n = group_members_of(&r->dc, &r->me, &g, 0, &ms)) < 0) {
		web_error_page(r, e == D_NOT_FOUND || (e == D_OK && n == -2) ? 404 : 500);
		return;
	}
	page_begin(r, g.name);
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/groups/%lld\">%s</a></p><h1>%s</h1>"
	  "<ul class=\"plain\">", (long long)id, g.name, T(r, "group.see_members"));
	for (int i = 0; i < n; i++) {
		H(r, "<li><a href=\"/users/%lld\">%s</a> <span class=\"pill\">%s</span>", (long long)ms[i].who.id,
		  ms[i].who.name, label(r, "grole", ms[i].role));
		if (g.my_role == GR_OWNER && ms[i].who.id != r->me.id) {
			H(r, "<form method=\"post\" action=\"/groups/%lld/members/%lld/role\" class=\"inline\">",
			  (long long)id, (long long)ms[i].who.id);
			form_csrf(r);
			H(r, "<label class=\"visually-hidden\" for=\"role-%lld\">%s</label><select id=\"role-%lld\" name=\"role\">",
			  (long long)ms[i].who.id, T(r, "group.role"), (long long)ms[i].who.id);
			static const char *const roles[] = { "member", "moderator", "owner", NULL };
			for (const char *const *ro = roles; *ro; ro++)
				H(r, "<option value=\"%s\"%s>%s</option>", *ro, !strcmp(*ro, ms[i].role) ? " selected" : "",
				  label(r, "grole", *ro));
			H(r, "</select> <button type=\"submit\" class=\"secondary\">%s</button></form>", T(r, "group.set_role"));
		}
		if (g.my_role >= GR_MODERATOR && ms[i].who.id != r->me.id && strcmp(ms[i].role, "owner") &&
		    (g.my_role == GR_OWNER || strcmp(ms[i].role, "moderator")))
			button_form(r, arena_printf(r->arena, "/groups/%lld/members/%lld/remove", (long long)id,
						    (long long)ms[i].who.id), T(r, "group.remove"), "secondary");
		H(r, "</li>");
	}
	H(r, "</ul></section>");
	page_end(r);
}

static void back_to_group(struct request *r, enum derr e, int64_t id, const char *notice)
{
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/groups/%lld%s%s", (long long)id, notice ? "?notice=" : "",
					      notice ? notice : ""));
		return;
	}
	web_derr_page(r, e);
}

void web_group_join(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	const char *state = NULL;
	enum derr e = group_join(&r->dc, &r->me, id, &state);

	back_to_group(r, e, id, state && !strcmp(state, "member") ? "joined" : "requested");
}

void web_group_leave(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct group g;
	enum derr e = group_leave(&r->dc, &r->me, id);

	/* After leaving a secret group it is no longer visible: go to the directory. */
	if (e == D_OK && group_get(&r->dc, &r->me, id, &g) != D_OK) {
		resp_redirect(r, "/groups");
		return;
	}
	back_to_group(r, e, id, "left");
}

/* POST /groups/{id:int}/invite {who: e-mail or @handle} */
void web_group_invite(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = 0;
	const char *who = req_form(r, "who"), *state = NULL;
	enum derr e;

	if (!who || !text_ok(who, 0)) {
		web_error_page(r, 422);
		return;
	}
	who = text_trim(arena_strdup(r->arena, who));
	if (who[0] == '@' || !strchr(who, '@')) {
		if (!(user = user_by_handle(&r->dc, who))) {
			web_error_page(r, 422);
			return;
		}
		who = NULL;
	}
	e = group_invite(&r->dc, &r->me, id, user, who, &state);
	back_to_group(r, e, id, "invited");
}

/* POST /groups/{id:int}/requests/{uid:int}/accept|refuse */
void web_group_request(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	int accept = !strcmp(strrchr(r->path, '/'), "/accept");
	enum derr e = accept ? group_accept_request(&r->dc, &r->me, id, user) :
			       group_refuse_request(&r->dc, &r->me, id, user);

	back_to_group(r, e, id, NULL);
}

void web_group_member_role(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e = group_set_role(&r->dc, &r->me, id, user, req_form(r, "role"));

	if (e == D_OK)
		resp_redirect(r, arena_printf(r->arena, "/groups/%lld/members", (long long)id));
	else
		back_to_group(r, e, id, NULL);
}

void web_group_member_remove(struct request *r)
{
	int64_t id = req_param_id(r, 0), user = req_param_id(r, 1);
	enum derr e = group_remove_member(&r->dc, &r->me, id, user);

	if (e == D_OK)
		resp_redirect(r, arena_printf(r->arena, "/groups/%lld/members", (long long)id));
	else
		back_to_group(r, e, id, NULL);
}
