/* Profile pages: a member's profile, editing mine, my avatar, the directory. */
#include "web/pages.h"

#include <stdio.h>
#include <string.h>

#include "domain/chat.h"
#include "domain/contacts.h"
#include "domain/documents.h"
#include "domain/profile.h"
#include "domain/academies.h"
#include "domain/schools.h"
#include "http/errors.h"
#include "web/social.h"
#include "util/text.h"
#include "web/web.h"

static const char *role_label(struct request *r, const char *role)
{
	char *key;

	if (!role || !*role)
		return "";
	key = arena_printf(r->arena, "role.%s", role);
	return key ? T(r, key) : role;
}

/* The avatar image, or the initial of the name. */
static void avatar(struct request *r, const struct profile *p, const char *size)
{
	if (p->has_avatar) {
		H(r, "<img class=\"avatar %s\" src=\"/users/%lld/avatar\" alt=\"\" width=\"64\" height=\"64\">",
		  size, (long long)p->id);
	} else {
		char initial[5] = { 0 };
		size_t n = 1;

		while (p->name[n] && ((unsigned char)p->name[n] & 0xC0) == 0x80 && n < 4)
			n++;
		memcpy(initial, p->name, n);
		H(r, "<span class=\"avatar %s\" aria-hidden=\"true\">%s</span>", size, initial);
	}
}

static void tag_list(struct request *r, const struct profile *p, int kind)
{
	if (!p->ntags[kind])
		return;
	H(r, "<ul class=\"tags\">");
	for (int i = 0; i < p->ntags[kind]; i++)
		H(r, "<li>%s</li>", p->tags[kind][i]);
	H(r, "</ul>");
}

static void contact_button(struct request *r, const char *base, const char *action, const char *back,
			   const char *text, const char *cls)
{
	H(r, "<form method=\"post\" action=\"%s%s\" class=\"inline\">", base, action);
	form_csrf(r);
	H(r, "<input type=\"hidden\" name=\"next\" value=\"%s\"><button type=\"submit\" class=\"%s\">%s</button></form>",
	  back, cls, text);
}

void web_profile(struct request *r)
{
	struct profile p;
	int64_t id = req_param_id(r, 0);
	enum derr e = profile_get(&r->dc, &r->me, id, &p);
	static const char *const tag_titles[TAG_KINDS] = { "profile.subjects", "profile.levels",
							   "profile.interests" };

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, p.name);
	H(r, "<section class=\"card\"><div class=\"person\">");
	avatar(r, &p, "large");
	H(r, "<div><h1>%s</h1><p class=\"muted handle\">@%s</p><p class=\"muted\">%s", p.name, p.handle,
	  role_label(r, p.role));
	if (p.school[0] && p.school_uai && (p.show_school || p.id == r->me.id))
		H(r, "%s<a href=\"/schools/%s\">%s</a>", p.role[0] ? " · " : "", p.school_uai, p.school);
	else if (p.school[0])
		H(r, "%s%s", p.role[0] ? " · " : "", p.school);
	if (p.academy[0]) {
		/* an academy of the bank links to its page (domain/academies.h) */
		const char *slug = academy_slug_of(&r->dc, p.academy);

		if (slug)
			H(r, " · %s <a href=\"/academies/%s\">%s</a>", T(r, "profile.academy_of"), slug, p.academy);
		else
			H(r, " · %s %s", T(r, "profile.academy_of"), p.academy);
	}
	H(r, "</p></div></div>");
	H(r, "<div class=\"actions\">");
	if (p.id == r->me.id) {
		H(r, "<a class=\"button secondary\" href=\"/me/edit\">%s</a>", T(r, "profile.edit"));
	} else {
		enum contact_state cs = contact_state_with(&r->dc, &r->me, p.id);
		char *base = arena_printf(r->arena, "/contacts/%lld/", (long long)p.id);
		char *back = arena_printf(r->arena, "/users/%lld", (long long)p.id);

		if (cs == CONTACT_NONE)
			contact_button(r, base, "request", back, T(r, "contacts.ask"), "");
		else if (cs == CONTACT_REQUESTED_TO_ME)
			contact_button(r, base, "accept", back, T(r, "contacts.accept"), "");
		else if (cs == CONTACT_REQUESTED_BY_ME)
			contact_button(r, base, "remove", back, T(r, "contacts.withdraw"), "secondary");
		else
			contact_button(r, base, "remove", back, T(r, "contacts.remove"), "secondary");
		if (cs == CONTACT_ACCEPTED)
			H(r, "<span class=\"pill\">%s</span>", T(r, "contacts.is_contact"));
		if (is_following(&r->dc, &r->me, p.id))
			button_form(r, arena_printf(r->arena, "/users/%lld/unfollow", (long long)p.id),
				    T(r, "contacts.unfollow"), "secondary");
		else if (p.allow_follow)
			button_form(r, arena_printf(r->arena, "/users/%lld/follow", (long long)p.id),
				    T(r, "contacts.follow"), "secondary");
		if (chat_has_blocked(&r->dc, &r->me, p.id)) {
			button_form(r, arena_printf(r->arena, "/users/%lld/unblock", (long long)p.id), T(r, "chat.unblock"),
				    "secondary");
			H(r, "<p class=\"muted\">%s</p>", T(r, "chat.blocked"));
		} else {
			H(r, "<a class=\"button secondary\" href=\"/messages?to=@%s\">%s</a>", p.handle ? p.handle : "",
			  T(r, "chat.write"));
			button_form(r, arena_printf(r->arena, "/users/%lld/block", (long long)p.id), T(r, "chat.block"),
				    "secondary");
		}
	}
	H(r, "</div></section><div class=\"grid\">");
	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "profile.about"));
	if (p.bio[0])
		H(r, "<p class=\"bio\">%s</p>", p.bio);
	else
		H(r, "<p class=\"empty\">%s</p>", T(r, "profile.no_bio"));
	H(r, "<p class=\"muted\">%s %s</p></section>", T(r, "profile.member_since"), web_date(r, p.created_at));
	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "profile.teaching"));
	for (int k = 0; k < TAG_KINDS; k++) {
		H(r, "<h3>%s</h3>", T(r, tag_titles[k]));
		if (p.ntags[k])
			tag_list(r, &p, k);
		else
			H(r, "<p class=\"empty\">%s</p>", T(r, "profile.none"));
	}
	H(r, "</section></div>");
	{
		struct post_filter f = { .author_id = p.id, .limit = 10 };
		struct post *ps;
		int64_t next;
		int n = posts_list(&r->dc, &r->me, &f, &ps, &next);

		H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "profile.posts"));
		if (n <= 0)
			H(r, "<p class=\"empty\">%s</p>", T(r, "profile.no_posts"));
		H(r, "<ul class=\"plain\">");
		for (int i = 0; i < n; i++)
			post_summary(r, &ps[i]);
		H(r, "</ul><p><a href=\"/users/%lld/blog.atom\">%s</a></p></section>", (long long)p.id,
		  T(r, "profile.blog_atom"));
	}
	page_end(r);
}

/* "a, b , c" -> list of trimmed non-empty parts; returns the count or -1 when too many. */
static int split_list(struct request *r, const char *s, const char **out, int max)
{
	char *copy, *tok, *save = NULL;
	int n = 0;

	if (!s || !(copy = arena_strdup(r->arena, s)))
		return 0;
	for (tok = strtok_r(copy, ",;\n", &save); tok; tok = strtok_r(NULL, ",;\n", &save)) {
		tok = text_trim(tok);
		if (!*tok)
			continue;
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n;
}

static const char *join_tags(struct request *r, const struct profile *p, int k)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (int i = 0; i < p->ntags[k]; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", p->tags[k][i]);
	s = arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

static void text_input(struct request *r, const char *name, const char *label, const char *hint,
		       const char *value, int required)
{
	H(r, "<label for=\"f-%s\">%s", name, label);
	if (hint)
		H(r, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	H(r, "</label><input id=\"f-%s\" name=\"%s\" type=\"text\" value=\"%s\"%s%s%s%s>", name, name,
	  value ? value : "", required ? " required" : "", hint ? " aria-describedby=\"h-" : "",
	  hint ? name : "", hint ? "\"" : "");
}

/* The school field as the form shows it: "Name (UAI)" for a school of the
 * directory (what the server resolves back), else the free text. */
static const char *school_shown(struct request *r, const struct profile *p)
{
	if (p->school_uai) {
		const char *s = arena_printf(r->arena, "%s (%s)", p->school, p->school_uai);

		return s ? s : "";
	}
	return p->school ? p->school : "";
}

static void edit_form(struct request *r, const struct profile *p, const struct profile_patch *in,
		      const char *error, const char *notice)
{
	static const char *const tag_names[TAG_KINDS] = { "subjects", "levels", "interests" };
	static const char *const tag_labels[TAG_KINDS] = { "profile.subjects", "profile.levels",
							   "profile.interests" };
	const char *role = in && in->role ? in->role : p->role;
	const char *lang = in && in->lang ? in->lang : p->lang;

	page_begin(r, T(r, "edit.title"));
	H(r, "<h1>%s</h1>", T(r, "edit.title"));
	if (error)
		page_notice(r, "error", error);
	if (notice)
		page_notice(r, "ok", notice);
	H(r, "<div class=\"grid\"><section class=\"card\"><h2>%s</h2>", T(r, "edit.identity"));
	H(r, "<form method=\"post\" action=\"/me/edit\">");
	form_csrf(r);
	text_input(r, "name", T(r, "register.name"), NULL, in && in->name ? in->name : p->name, 1);
	H(r, "<label for=\"f-role\">%s</label><select id=\"f-role\" name=\"role\"><option value=\"\">%s</option>",
	  T(r, "profile.role"), T(r, "edit.choose"));
	for (const char *const *ro = profile_roles; *ro; ro++)
		H(r, "<option value=\"%s\"%s>%s</option>", *ro, !strcmp(*ro, role) ? " selected" : "",
		  role_label(r, *ro));
	H(r, "</select>");
	/* The directory's school: suggestions from GET /api/v1/schools?q= as
	 * the member types (site.js, data-schools); without JavaScript the
	 * server resolves a UAI or an exact name. */
	H(r, "<label for=\"f-school\">%s<span class=\"hint\" id=\"h-school\">%s</span></label>"
	  "<input id=\"f-school\" name=\"school\" type=\"text\" value=\"%s\" list=\"school-suggestions\""
	  " autocomplete=\"off\" data-schools=\"1\" aria-describedby=\"h-school\" maxlength=\"300\">"
	  "<datalist id=\"school-suggestions\"></datalist>",
	  T(r, "profile.school"), T(r, "edit.school.pick"), in && in->school ? in->school : school_shown(r, p));
	H(r, "<p><input type=\"hidden\" name=\"show_school\" value=\"0\">"
	  "<label class=\"check\"><input type=\"checkbox\" name=\"show_school\" value=\"1\"%s> %s</label></p>",
	  (in && in->set_show_school ? in->show_school : p->show_school) ? " checked" : "", T(r, "edit.show_school"));
	text_input(r, "academy", T(r, "profile.academy"), NULL, in && in->academy ? in->academy : p->academy, 0);
	for (int k = 0; k < TAG_KINDS; k++) {
		const char *v = in ? req_form(r, tag_names[k]) : join_tags(r, p, k);
		text_input(r, tag_names[k], T(r, tag_labels[k]), T(r, "edit.list.hint"), v, 0);
	}
	H(r, "<label for=\"f-bio\">%s<span class=\"hint\" id=\"h-bio\">%s</span></label>"
	  "<textarea id=\"f-bio\" name=\"bio\" aria-describedby=\"h-bio\" maxlength=\"%d\">%s</textarea>",
	  T(r, "profile.about"), T(r, "edit.bio.hint"), BIO_MAX_CHARS, in && in->bio ? in->bio : p->bio);
	H(r, "<label for=\"f-lang\">%s</label><select id=\"f-lang\" name=\"lang\">"
	  "<option value=\"fr\"%s>Français</option><option value=\"en\"%s>English</option></select>",
	  T(r, "edit.lang"), !strcmp(lang, "fr") ? " selected" : "", !strcmp(lang, "en") ? " selected" : "");
	{
		const char *cur = in && in->default_licence ? in->default_licence : p->default_licence;

		H(r, "<label for=\"f-default_licence\">%s<span class=\"hint\" id=\"h-default_licence\">%s</span></label>"
		  "<select id=\"f-default_licence\" name=\"default_licence\" aria-describedby=\"h-default_licence\">",
		  T(r, "edit.default_licence"), T(r, "edit.default_licence.hint"));
		for (const struct licence *l = doc_licences; l->code; l++) {
			char *key = arena_printf(r->arena, "licence.%s", l->code);

			H(r, "<option value=\"%s\"%s>%s</option>", l->code, cur && !strcmp(cur, l->code) ? " selected" : "",
			  T(r, key ? key : ""));
		}
		H(r, "</select>");
	}
	H(r, "<p><input type=\"hidden\" name=\"allow_follow\" value=\"0\">"
	  "<label class=\"check\"><input type=\"checkbox\" name=\"allow_follow\" value=\"1\"%s> %s</label></p>",
	  (in ? in->allow_follow : p->allow_follow) ? " checked" : "", T(r, "edit.allow_follow"));
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button><a href=\"/users/%lld\">%s</a></div>"
	  "</form></section>", T(r, "edit.save"), (long long)p->id, T(r, "edit.view"));

	H(r, "<section class=\"card\"><h2>%s</h2><div class=\"person\">", T(r, "edit.avatar"));
	avatar(r, p, "large");
	H(r, "<p class=\"muted\">%s</p></div>", T(r, "edit.avatar.hint"));
	H(r, "<form method=\"post\" action=\"/me/avatar\" enctype=\"multipart/form-data\">");
	form_csrf(r);
	H(r, "<label for=\"f-avatar\">%s</label><input id=\"f-avatar\" name=\"avatar\" type=\"file\" "
	  "accept=\"image/png,image/jpeg,image/gif,image/webp\" required>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>",
	  T(r, "edit.avatar.choose"), T(r, "edit.avatar.upload"));
	if (p->has_avatar) {
		H(r, "<form method=\"post\" action=\"/me/avatar/remove\">");
		form_csrf(r);
		H(r, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%s</button></div></form>",
		  T(r, "edit.avatar.remove"));
	}
	H(r, "<h2>%s</h2><ul class=\"plain\"><li><a href=\"/me/password\">%s</a></li>"
	  "<li><a href=\"/me/sessions\">%s</a></li>"
	  "<li><a href=\"/me/notification-settings\">%s</a></li>"
	  "<li><a href=\"/me/statistics\">%s</a></li></ul></section></div>",
	  T(r, "edit.security"), T(r, "password.title"), T(r, "sessions.title"), T(r, "notify_settings.link"),
	  T(r, "stats.me.title"));
	page_end(r);
}

static const char *field_message(struct request *r, const char *field)
{
	char *key = arena_printf(r->arena, "edit.error.%s", field ? field : "name");

	return key ? T(r, key) : "";
}

void web_profile_edit(struct request *r)
{
	static const char *const tag_names[TAG_KINDS] = { "subjects", "levels", "interests" };
	struct profile p;
	struct profile_patch in = { 0 };
	const char *field = NULL, *school;
	char *typed;
	enum derr e = profile_get(&r->dc, &r->me, r->me.id, &p);

	if (e != D_OK) {
		web_error_page(r, 500);
		return;
	}
	if (r->method != HTTP_POST) {
		const char *done = req_query(r, "saved") ? T(r, "edit.saved") :
				   req_query(r, "avatar") ? T(r, "edit.avatar.saved") : NULL;
		edit_form(r, &p, NULL, NULL, done);
		return;
	}
	in.name = req_form(r, "name");
	in.role = req_form(r, "role");
	in.bio = req_form(r, "bio");
	in.academy = req_form(r, "academy");
	in.school = NULL;
	in.lang = req_form(r, "lang");
	in.default_licence = req_form(r, "default_licence");
	if (in.default_licence && !licence_find(in.default_licence))
		in.default_licence = NULL; /* the domain would refuse it; the select offers only known ones */
	if (in.name)
		in.name = text_trim(arena_strdup(r->arena, in.name));
	{
		const char *vals[2];
		int nv = req_form_all(r, "allow_follow", vals, 2);

		if (nv > 0) {
			in.set_allow_follow = 1;
			in.allow_follow = !strcmp(vals[nv - 1], "1");
		}
	}
	{
		const char *vals[2];
		int nv = req_form_all(r, "show_school", vals, 2);

		if (nv > 0) {
			in.set_show_school = 1;
			in.show_school = !strcmp(vals[nv - 1], "1");
		}
	}
	/* The school: cleared, left as it is (the old free text stays), or
	 * resolved in the directory (a UAI, a suggestion, an exact name); free
	 * text while the directory is empty (no import yet). */
	school = req_form(r, "school");
	typed = school ? arena_strdup(r->arena, school) : NULL;
	if (school && !typed) {
		web_error_page(r, 500);
		return;
	}
	if (school && text_blank(school)) {
		in.school = "";
		in.school_uai = "";
	} else if (school && strcmp(text_trim(typed), school_shown(r, &p))) {
		struct school sc;
		const char *why = NULL;
		enum derr se = school_resolve(&r->dc, school, &sc, &why);

		if (se == D_OK) {
			in.school_uai = sc.uai;
		} else if (se == D_INVALID && schools_any(&r->dc) == 0) {
			in.school = school;   /* no directory loaded yet: free text, as before */
			in.school_uai = "";
		} else if (se == D_INVALID) {
			r->status = 422;
			in.school = text_ok(school, 0) ? school : "";
			edit_form(r, &p, &in, T(r, !strcmp(why, "ambiguous") ? "edit.error.school_ambiguous"
									   : "edit.error.school_uai"), NULL);
			return;
		} else {
			web_error_page(r, 500);
			return;
		}
	}
	for (int k = 0; k < TAG_KINDS; k++) {
		const char *v = req_form(r, tag_names[k]);

		if (!v)
			continue;
		in.set_tags[k] = 1;
		in.ntags[k] = split_list(r, v, in.tags[k], PROFILE_MAX_TAGS);
		if (in.ntags[k] < 0) {
			in.ntags[k] = PROFILE_MAX_TAGS + 1; /* the domain says it is too many */
		}
	}
	e = profile_update(&r->dc, &r->me, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, "/me/edit?saved=1");
		return;
	}
	if (e != D_INVALID) {
		web_error_page(r, 500);
		return;
	}
	r->status = 422;
	/* Values that are not valid text are not shown back. */
	if (in.name && !text_ok(in.name, 0)) in.name = "";
	if (in.bio && !text_ok(in.bio, 1)) in.bio = "";
	if (in.school && !text_ok(in.school, 0)) in.school = "";
	if (in.academy && !text_ok(in.academy, 0)) in.academy = "";
	if (in.role && !text_ok(in.role, 0)) in.role = "";
	if (in.lang && strcmp(in.lang, "fr") && strcmp(in.lang, "en")) in.lang = NULL;
	edit_form(r, &p, &in, field_message(r, field), NULL);
}

void web_avatar_upload(struct request *r)
{
	struct upload *u = req_upload(r, "avatar");
	struct profile p;
	enum derr e;
	const char *err;

	if (!u || !u->size)
		e = D_INVALID;
	else if (u->too_large)
		e = D_TOO_LARGE;
	else
		e = profile_set_avatar(&r->dc, &r->me, u->path);
	if (e == D_OK) {
		resp_redirect(r, "/me/edit?avatar=1");
		return;
	}
	if (e == D_INTERNAL || profile_get(&r->dc, &r->me, r->me.id, &p) != D_OK) {
		web_error_page(r, 500);
		return;
	}
	r->status = derr_error(e)->status;
	if (e == D_INVALID && u && u->size)
		err = arena_printf(r->arena, "%s %u × %u pixels.", T(r, "edit.avatar.too_many_pixels"),
				   r->dc.cfg->max_avatar_side, r->dc.cfg->max_avatar_side);
	else
		err = T(r, e == D_TOO_LARGE ? "edit.avatar.too_large" :
			   e == D_UNSUPPORTED_TYPE ? "edit.avatar.bad_type" : "edit.avatar.missing");
	edit_form(r, &p, NULL, err, NULL);
}

void web_avatar_remove(struct request *r)
{
	if (profile_remove_avatar(&r->dc, &r->me) != D_OK) {
		web_error_page(r, 500);
		return;
	}
	resp_redirect(r, "/me/edit");
}

void web_avatar(struct request *r)
{
	const char *path, *mime;
	int64_t id = req_param_id(r, 0);
	enum derr e = profile_avatar(&r->dc, &r->me, id, &path, &mime);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	resp_file(r, path, mime);
	resp_header(r, "Cache-Control", "private, max-age=300");
	resp_header(r, "Content-Disposition", "inline; filename=\"avatar\"");
}

static const char *query_text(struct request *r, const char *name)
{
	const char *v = req_query(r, name);

	return v && *v && text_ok(v, 0) && strlen(v) <= 200 ? v : NULL;
}

void web_directory(struct request *r)
{
	struct user_filter f = { 0 };
	struct profile *ps;
	int64_t next;
	int n;
	const char *cursor = req_query(r, "cursor");
	struct buf more = BUF_INIT;

	f.q = query_text(r, "q");
	f.subject = query_text(r, "subject");
	f.level = query_text(r, "level");
	f.academy = query_text(r, "academy");
	f.interest = query_text(r, "interest");
	f.school = query_text(r, "school");
	f.role = query_text(r, "role");
	f.after = cursor ? parse_id(cursor) : 0;
	if (f.after < 0) {
		web_error_page(r, 400);
		return;
	}
	f.limit = 24;
	n = users_find(&r->dc, &r->me, &f, &ps, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "directory.title"));
	H(r, "<h1>%s</h1><p class=\"muted\"><a href=\"/schools\">%s</a></p>", T(r, "directory.title"),
	  T(r, "schools.find"));
	H(r, "<section class=\"card\"><form method=\"get\" action=\"/users\" role=\"search\">"
	  "<div class=\"grid filters\">");
	H(r, "<div>");
	text_input(r, "q", T(r, "directory.q"), NULL, f.q, 0);
	H(r, "</div><div>");
	text_input(r, "subject", T(r, "profile.subjects"), NULL, f.subject, 0);
	H(r, "</div><div>");
	text_input(r, "level", T(r, "profile.levels"), NULL, f.level, 0);
	H(r, "</div><div>");
	text_input(r, "academy", T(r, "profile.academy"), NULL, f.academy, 0);
	H(r, "</div><div>");
	text_input(r, "school", T(r, "profile.school"), NULL, f.school, 0);
	H(r, "</div><div>");
	text_input(r, "interest", T(r, "profile.interests"), NULL, f.interest, 0);
	H(r, "</div><div><label for=\"f-role\">%s</label><select id=\"f-role\" name=\"role\"><option value=\"\">%s</option>",
	  T(r, "profile.role"), T(r, "directory.any_role"));
	for (const char *const *ro = profile_roles; *ro; ro++)
		H(r, "<option value=\"%s\"%s>%s</option>", *ro, f.role && !strcmp(*ro, f.role) ? " selected" : "",
		  role_label(r, *ro));
	H(r, "</select></div></div><div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "directory.search"));
	if (n == 0) {
		H(r, "<p class=\"empty\">%s</p>", T(r, "directory.none"));
	} else {
		H(r, "<ul class=\"grid cards\" aria-label=\"%s\">", T(r, "directory.results"));
		for (int i = 0; i < n; i++) {
			H(r, "<li class=\"card person\">");
			avatar(r, &ps[i], "");
			H(r, "<div><h2><a href=\"/users/%lld\">%s</a></h2><p class=\"muted\">%s%s%s</p>",
			  (long long)ps[i].id, ps[i].name, role_label(r, ps[i].role),
			  ps[i].role[0] && ps[i].school[0] ? " · " : "", ps[i].school);
			tag_list(r, &ps[i], TAG_SUBJECT);
			H(r, "</div></li>");
		}
		H(r, "</ul>");
	}
	if (next) {
		buf_printf(&more, "/users?cursor=%lld", (long long)next);
		static const char *const keys[] = { "q", "subject", "level", "academy", "role", "school", "interest" };
		const char *vals[] = { f.q, f.subject, f.level, f.academy, f.role, f.school, f.interest };
		for (int i = 0; i < 7; i++)
			if (vals[i]) {
				buf_printf(&more, "&%s=", keys[i]);
				url_escape(&more, vals[i]);
			}
		H(r, "<p><a class=\"button secondary\" href=\"%s\">%s</a></p>", buf_str(&more), T(r, "directory.more"));
	}
	buf_free(&more);
	page_end(r);
}
