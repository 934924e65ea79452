/* Post pages: reading with replies, writing, editing, revisions, marks,
 * reports and moderation. Every read goes through the domain's access checks. */
#include "web/social.h"

#include <stdlib.h>
#include <string.h>

#include "domain/admin.h"
#include "domain/moderation.h"
#include "http/errors.h"
#include "util/diff.h"
#include "util/markdown.h"
#include "util/text.h"
#include "web/admin.h"
#include "web/web.h"

const char *label(struct request *r, const char *prefix, const char *value)
{
	char *key = arena_printf(r->arena, "%s.%s", prefix, value ? value : "");

	return key ? T(r, key) : "";
}

void web_diff_block(struct request *r, const struct diff_line *lines, int n)
{
	if (n < 0) {
		H(r, "<p class=\"empty\">%s</p>", T(r, "post.diff_too_large"));
	} else {
		H(r, "<div class=\"diff\" role=\"list\">");
		for (int i = 0; i < n; i++)
			H(r, "<div role=\"listitem\" class=\"%s\"><span class=\"visually-hidden\">%s</span>%s%s</div>",
			  lines[i].op == DIFF_ADD ? "add" : lines[i].op == DIFF_DEL ? "del" : "same",
			  lines[i].op == DIFF_ADD ? T(r, "post.diff_added") : lines[i].op == DIFF_DEL ?
			  T(r, "post.diff_removed") : "", lines[i].op == DIFF_ADD ? "+ " : lines[i].op == DIFF_DEL ?
			  "− " : "  ", lines[i].text);
		H(r, "</div>");
	}
}

void markdown_block(struct request *r, const char *md)
{
	H(r, "<div class=\"post-body\">");
	html_raw_trusted(&r->out, markdown_render(r->arena, md)); /* cmark-gfm safe mode: no raw HTML, no unsafe links */
	H(r, "</div>");
}

void button_form(struct request *r, const char *action, const char *label_text, const char *cls)
{
	H(r, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
	form_csrf(r);
	H(r, "<button type=\"submit\" class=\"%s\">%s</button></form>", cls ? cls : "secondary", label_text);
}

const char *web_excerpt(struct request *r, const char *body, size_t max)
{
	char *e = arena_strdup(r->arena, body ? body : "");
	size_t n = 0, bytes = 0;
	char *w;

	if (!e)
		return "";
	for (w = e; *w; w++)
		if (*w == '\n' || *w == '\r' || *w == '\t' || *w == '#' || *w == '*' || *w == '>' || *w == '_' ||
		    *w == '`')
			*w = ' ';
	for (w = e; *w && n < max; w++, bytes++)
		if (((unsigned char)*w & 0xC0) != 0x80)
			n++;
	if (*w) {
		while (bytes > 0 && ((unsigned char)e[bytes] & 0xC0) == 0x80)
			bytes--;
		e[bytes] = '\0';
		return arena_printf(r->arena, "%s…", text_trim(e));
	}
	return text_trim(e);
}

void post_summary(struct request *r, const struct post *p)
{
	H(r, "<li class=\"post-item\"><p class=\"meta\"><span class=\"pill\">%s</span>", label(r, "kind", p->kind));
	if (p->ref.group_id)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)p->ref.group_id, p->group_name);
	H(r, "</p><h3><a href=\"/posts/%lld\">%s</a></h3><p class=\"meta\">", (long long)p->ref.id, p->title);
	if (p->ref.author_id)
		H(r, "<a href=\"/users/%lld\">%s</a> · ", (long long)p->ref.author_id, p->author_name);
	H(r, "%s · %s · %s</p></li>", web_date(r, p->created_at),
	  web_count(r, p->reply_count, "post.reply_one", "post.replies_count"),
	  web_count(r, p->useful_count, "post.useful_count", "post.useful_count"));
}

/* Visibility choices a post may have, given its group (NULL: none). */
static void visibility_select(struct request *r, const char *group_visibility, const char *current)
{
	static const char *const free_post[] = { "members", "public", "contacts", "private", NULL };
	static const char *const open_group[] = { "members", "public", "group", NULL };
	static const char *const closed_group[] = { "group", NULL };
	const char *const *opts = !group_visibility ? free_post :
				  !strcmp(group_visibility, "open") ? open_group : closed_group;

	H(r, "<label for=\"f-visibility\">%s<span class=\"hint\" id=\"h-visibility\">%s</span></label>"
	  "<select id=\"f-visibility\" name=\"visibility\" aria-describedby=\"h-visibility\">",
	  T(r, "post.visibility"), T(r, "post.visibility.hint"));
	for (const char *const *o = opts; *o; o++)
		H(r, "<option value=\"%s\"%s>%s</option>", *o, current && !strcmp(current, *o) ? " selected" : "",
		  label(r, "vis", *o));
	H(r, "</select>");
}

static void post_form(struct request *r, const char *action, const char *kind, const char *title,
		      const char *body, const char *vis, int64_t group_id, const char *group_name,
		      const char *group_visibility, const char *error, int editing)
{
	page_begin(r, T(r, editing ? "post.edit.title" : "post.new.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, editing ? "post.edit.title" : "post.new.title"));
	if (group_id)
		H(r, "<p class=\"meta\">%s <a href=\"/groups/%lld\">%s</a></p>", T(r, "post.in_group"),
		  (long long)group_id, group_name);
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"%s\">", action);
	form_csrf(r);
	if (group_id && !editing)
		H(r, "<input type=\"hidden\" name=\"group_id\" value=\"%lld\">", (long long)group_id);
	if (!editing) {
		H(r, "<label for=\"f-kind\">%s</label><select id=\"f-kind\" name=\"kind\">", T(r, "post.kind"));
		for (const char *const *k = post_kinds; *k; k++)
			H(r, "<option value=\"%s\"%s>%s</option>", *k, kind && !strcmp(kind, *k) ? " selected" : "",
			  label(r, "kind", *k));
		H(r, "</select>");
	}
	H(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" type=\"text\" maxlength=\"%d\""
	  " value=\"%s\" required>", T(r, "post.title"), POST_TITLE_MAX, title ? title : "");
	H(r, "<label for=\"f-body\">%s<span class=\"hint\" id=\"h-body\">%s</span></label>"
	  "<textarea id=\"f-body\" name=\"body\" rows=\"12\" aria-describedby=\"h-body\" required>%s</textarea>",
	  T(r, "post.body"), T(r, "post.body.hint"), body ? body : "");
	visibility_select(r, group_id ? group_visibility : NULL, vis);
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, editing ? "post.save" : "post.publish"));
	page_end(r);
}

static const char *post_error_text(struct request *r, enum derr e, const char *field)
{
	if (e == D_FORBIDDEN)
		return T(r, "post.error.not_member");
	if (field && !strcmp(field, "title"))
		return T(r, "post.error.title");
	if (field && !strcmp(field, "body"))
		return T(r, "post.error.body");
	if (field && !strcmp(field, "visibility"))
		return T(r, "post.error.visibility");
	return T(r, "post.error.kind");
}

/* GET/POST /posts/new?group=ID */
void web_post_new(struct request *r)
{
	const char *gq = r->method == HTTP_POST ? req_form(r, "group_id") : req_query(r, "group");
	struct post_input in = { 0 };
	struct group g = { 0 };
	const char *field = NULL;
	int64_t id;
	enum derr e;

	if (gq && *gq) {
		in.group_id = parse_id(gq);
		if (in.group_id <= 0 || group_get(&r->dc, &r->me, in.group_id, &g) != D_OK) {
			web_error_page(r, 404);
			return;
		}
	}
	if (r->method != HTTP_POST) {
		post_form(r, "/posts/new", "discussion", NULL, NULL, in.group_id ?
			  (!strcmp(g.visibility, "open") ? "members" : "group") : "members",
			  in.group_id, g.name, g.visibility, NULL, 0);
		return;
	}
	in.kind = req_form(r, "kind");
	in.title = req_form(r, "title");
	in.body = req_form(r, "body");
	in.visibility = req_form(r, "visibility");
	e = post_create(&r->dc, &r->me, &in, &id, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/posts/%lld", (long long)id));
		return;
	}
	if (e == D_INTERNAL || e == D_NOT_FOUND) {
		web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	post_form(r, "/posts/new", in.kind && text_ok(in.kind, 0) ? in.kind : NULL,
		  in.title && text_ok(in.title, 0) ? in.title : NULL, in.body && text_ok(in.body, 1) ? in.body : NULL,
		  in.visibility && text_ok(in.visibility, 0) ? in.visibility : NULL, in.group_id, g.name,
		  g.visibility, post_error_text(r, e, field), 0);
}

static void reply_block(struct request *r, const struct post *p, const struct reply *x)
{
	H(r, "<div class=\"reply%s\" id=\"reply-%lld\"><p class=\"meta\">", x->hidden ? " hidden-item" : "",
	  (long long)x->id);
	if (x->author_id)
		H(r, "<a href=\"/users/%lld\">%s</a>", (long long)x->author_id, x->author_name);
	else
		H(r, "%s", T(r, "post.former_member"));
	H(r, " · %s</p>", web_datetime(r, x->created_at));
	if (x->hidden)
		H(r, "<p class=\"notice notice-error\">%s</p>", T(r, "moderation.hidden_notice"));
	if (x->quote_body) {
		H(r, "<blockquote class=\"quote\"><p class=\"meta\">%s %s</p>", x->quote_author, T(r, "post.wrote"));
		markdown_block(r, x->quote_body);
		H(r, "</blockquote>");
	}
	markdown_block(r, x->body);
	H(r, "<div class=\"actions\">");
	if (r->me.id && !x->hidden)
		H(r, "<a href=\"/posts/%lld?quote=%lld#reply-form\">%s</a>", (long long)p->ref.id, (long long)x->id,
		  T(r, "post.quote"));
	if (x->may_edit) {
		H(r, "<a href=\"/replies/%lld/edit\">%s</a>", (long long)x->id, T(r, "post.edit"));
		button_form(r, arena_printf(r->arena, "/replies/%lld/delete", (long long)x->id), T(r, "post.delete"),
			    "secondary");
	}
	if (x->may_moderate)
		button_form(r, arena_printf(r->arena, "/replies/%lld/%s", (long long)x->id, x->hidden ? "restore" : "hide"),
			    T(r, x->hidden ? "moderation.restore" : "moderation.hide"), "secondary");
	if (r->me.id && x->author_id != r->me.id) {
		H(r, "<details><summary>%s</summary><form method=\"post\" action=\"/replies/%lld/report\">",
		  T(r, "report.action"), (long long)x->id);
		form_csrf(r);
		H(r, "<label for=\"rr-%lld\">%s</label><input id=\"rr-%lld\" name=\"reason\" type=\"text\" required"
		  " maxlength=\"%d\"><button type=\"submit\" class=\"secondary\">%s</button></form></details>",
		  (long long)x->id, T(r, "report.reason"), (long long)x->id, REPORT_REASON_MAX, T(r, "report.send"));
	}
	H(r, "</div></div>");
}

/* GET /posts/{id:int} */
void web_post(struct request *r)
{
	struct post p;
	struct reply *xs, quoted;
	int64_t id = req_param_id(r, 0), next = 0, after = 0, qid = 0;
	const char *cursor = req_query(r, "cursor"), *q = req_query(r, "quote");
	enum derr e = post_get(&r->dc, &r->me, id, &p);
	int n, locked;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (cursor && (after = parse_id(cursor)) < 0) {
		web_error_page(r, 400);
		return;
	}
	n = replies_list_of(&r->dc, &r->me, &p, after, 50, &xs, &next);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	/* Previews describe only what a visitor may read. */
	page_begin_og(r, p.title, access_public_post(&r->dc, &p.ref) ? web_excerpt(r, p.body, 200) : NULL, "article");
	H(r, "<article class=\"card%s\"><p class=\"meta\"><span class=\"pill\">%s</span>",
	  p.ref.hidden ? " hidden-item" : "", label(r, "kind", p.kind));
	if (p.ref.group_id)
		H(r, " · %s <a href=\"/groups/%lld\">%s</a>", T(r, "post.in_group"), (long long)p.ref.group_id,
		  p.group_name);
	H(r, " · <span class=\"pill\" title=\"%s\">%s</span></p><h1>%s</h1><p class=\"meta\">",
	  T(r, "post.visibility"), label(r, "vis", p.ref.visibility), p.title);
	if (p.ref.author_id)
		H(r, "%s <a href=\"/users/%lld\">%s</a> · ", T(r, "post.by"), (long long)p.ref.author_id, p.author_name);
	H(r, "%s", web_datetime(r, p.created_at));
	if (p.revision > 1)
		H(r, " · <a href=\"/posts/%lld/revisions\">%s %lld</a>", (long long)id, T(r, "post.revision"),
		  (long long)p.revision);
	H(r, "</p>");
	if (p.ref.hidden) {
		const char *by, *why;
		int64_t at;

		H(r, "<p class=\"notice notice-error\">%s", T(r, "moderation.hidden_notice"));
		/* who hid it and why (the audit log) */
		if (mod_hidden_info(&r->dc, "post", id, &by, &why, &at) == D_OK)
			H(r, " %s %s, %s%s%s", T(r, "admin.hidden_by"), by, web_datetime(r, at), why[0] ? " — " : "", why);
		H(r, "</p>");
	}
	markdown_block(r, p.body);
	H(r, "<div class=\"actions\">");
	if (r->me.id)
		button_form(r, arena_printf(r->arena, "/posts/%lld/useful", (long long)id),
			    arena_printf(r->arena, "%s (%lld)", T(r, p.useful_by_me ? "post.useful.undo" : "post.useful"),
					 (long long)p.useful_count), p.useful_by_me ? "" : "secondary");
	else
		H(r, "<span class=\"meta\">%lld %s</span>", (long long)p.useful_count, T(r, "post.useful_count"));
	if (p.may_edit) {
		H(r, "<a class=\"button secondary\" href=\"/posts/%lld/edit\">%s</a>", (long long)id, T(r, "post.edit"));
		button_form(r, arena_printf(r->arena, "/posts/%lld/delete", (long long)id), T(r, "post.delete"), "danger");
	}
	if (p.may_moderate)
		button_form(r, arena_printf(r->arena, "/posts/%lld/%s", (long long)id, p.ref.hidden ? "restore" : "hide"),
			    T(r, p.ref.hidden ? "moderation.restore" : "moderation.hide"), "secondary");
	if (!strcmp(p.kind, "page"))
		H(r, "<a href=\"/posts/%lld/revisions\">%s</a>", (long long)id, T(r, "post.history"));
	H(r, "</div>");
	locked = admin_post_tools(r, &p);
	if (r->me.id && p.ref.author_id != r->me.id) {
		H(r, "<details><summary>%s</summary><form method=\"post\" action=\"/posts/%lld/report\">",
		  T(r, "report.action"), (long long)id);
		form_csrf(r);
		H(r, "<label for=\"report-reason\">%s</label><input id=\"report-reason\" name=\"reason\" type=\"text\""
		  " required maxlength=\"%d\"><button type=\"submit\" class=\"secondary\">%s</button></form></details>",
		  T(r, "report.reason"), REPORT_REASON_MAX, T(r, "report.send"));
	}
	if (req_query(r, "reported"))
		page_notice(r, "ok", T(r, "report.done"));
	H(r, "</article><section class=\"card\" id=\"replies\" aria-labelledby=\"replies-title\">"
	  "<h2 id=\"replies-title\">%s (%lld)</h2>", T(r, !strcmp(p.kind, "blog") ? "post.comments" : "post.replies"),
	  (long long)p.reply_count);
	if (n == 0)
		H(r, "<p class=\"empty\">%s</p>", T(r, "post.no_replies"));
	for (int i = 0; i < n; i++)
		reply_block(r, &p, &xs[i]);
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/posts/%lld?cursor=%lld#replies\">%s</a></p>",
		  (long long)id, (long long)next, T(r, "post.more_replies"));
	if (r->me.id && !p.may_moderate && locked) {
		H(r, "<p class=\"muted\">%s</p>", T(r, "admin.locked_notice")); /* no new replies */
	} else if (r->me.id) {
		H(r, "<form method=\"post\" action=\"/posts/%lld/replies\" id=\"reply-form\">", (long long)id);
		form_csrf(r);
		if (q && (qid = parse_id(q)) > 0 && reply_get(&r->dc, &r->me, qid, &quoted, NULL) == D_OK &&
		    quoted.post_id == id && !quoted.hidden) {
			H(r, "<input type=\"hidden\" name=\"quote_id\" value=\"%lld\"><blockquote class=\"quote\">"
			  "<p class=\"meta\">%s %s</p>", (long long)qid, quoted.author_name, T(r, "post.wrote"));
			markdown_block(r, quoted.body);
			H(r, "</blockquote>");
		}
		H(r, "<label for=\"f-reply\">%s<span class=\"hint\" id=\"h-reply\">%s</span></label>"
		  "<textarea id=\"f-reply\" name=\"body\" rows=\"5\" aria-describedby=\"h-reply\" required></textarea>"
		  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>",
		  T(r, "post.your_reply"), T(r, "post.body.hint"), T(r, "post.send_reply"));
	} else {
		H(r, "<p><a href=\"/login?next=/posts/%lld\">%s</a></p>", (long long)id, T(r, "post.login_to_reply"));
	}
	H(r, "</section>");
	page_end(r);
}

/* GET/POST /posts/{id:int}/edit */
void web_post_edit(struct request *r)
{
	struct post p;
	struct post_input in = { 0 };
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e = post_get(&r->dc, &r->me, id, &p);
	char *action;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!p.may_edit) {
		web_error_page(r, 403);
		return;
	}
	action = arena_printf(r->arena, "/posts/%lld/edit", (long long)id);
	if (r->method != HTTP_POST) {
		post_form(r, action, p.kind, p.title, p.body, p.ref.visibility, p.ref.group_id, p.group_name,
			  p.ref.group_visibility, NULL, 1);
		return;
	}
	in.title = req_form(r, "title");
	in.body = req_form(r, "body");
	in.visibility = req_form(r, "visibility");
	e = post_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/posts/%lld", (long long)id));
		return;
	}
	if (e != D_INVALID) {
		web_derr_page(r, e);
		return;
	}
	r->status = 422;
	post_form(r, action, p.kind, in.title && text_ok(in.title, 0) ? in.title : p.title,
		  in.body && text_ok(in.body, 1) ? in.body : p.body, p.ref.visibility, p.ref.group_id, p.group_name,
		  p.ref.group_visibility, post_error_text(r, e, field), 1);
}

static void after_action(struct request *r, enum derr e, const char *location)
{
	if (e == D_OK)
		resp_redirect(r, location);
	else
		web_derr_page(r, e);
}

void web_post_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct post p;
	enum derr e = post_get(&r->dc, &r->me, id, &p);
	const char *back = "/";

	if (e == D_OK) {
		if (p.ref.group_id)
			back = arena_printf(r->arena, "/groups/%lld", (long long)p.ref.group_id);
		e = post_delete(&r->dc, &r->me, id);
	}
	after_action(r, e, back);
}

void web_post_useful(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct post p;
	enum derr e = post_get(&r->dc, &r->me, id, &p);

	if (e == D_OK)
		e = post_mark_useful(&r->dc, &r->me, id, !p.useful_by_me);
	after_action(r, e, arena_printf(r->arena, "/posts/%lld", (long long)id));
}

void web_post_reply(struct request *r)
{
	int64_t id = req_param_id(r, 0), rid = 0, quote = 0;
	const char *body = req_form(r, "body"), *q = req_form(r, "quote_id"), *field = NULL;
	enum derr e;

	if (q && *q && (quote = parse_id(q)) <= 0) {
		web_error_page(r, 422);
		return;
	}
	e = reply_create(&r->dc, &r->me, id, body ? body : "", quote, &rid, &field);
	if (e == D_INVALID) {
		/* Back to the thread with the message; nothing was written. */
		struct post p;

		if (post_get(&r->dc, &r->me, id, &p) != D_OK) {
			web_error_page(r, 404);
			return;
		}
		r->status = 422;
		page_begin(r, p.title);
		H(r, "<section class=\"card narrow\"><h1>%s</h1>", p.title);
		page_notice(r, "error", T(r, field && !strcmp(field, "quote_id") ? "post.error.quote" : "post.error.reply"));
		H(r, "<p><a class=\"button\" href=\"/posts/%lld#reply-form\">%s</a></p></section>", (long long)id,
		  T(r, "post.back_to_thread"));
		page_end(r);
		return;
	}
	after_action(r, e, arena_printf(r->arena, "/posts/%lld#reply-%lld", (long long)id, (long long)rid));
}

/* GET, POST /replies/{id:int}/edit: the author, the group's moderators and admins */
void web_reply_edit(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct reply x;
	enum derr e = reply_get(&r->dc, &r->me, id, &x, NULL);
	const char *body = NULL;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!x.may_edit) {
		web_error_page(r, 403);
		return;
	}
	if (r->method == HTTP_POST) {
		body = req_form(r, "body");
		e = reply_update(&r->dc, &r->me, id, body ? body : "");
		if (e == D_OK) {
			resp_redirect(r, arena_printf(r->arena, "/posts/%lld#reply-%lld", (long long)x.post_id,
						      (long long)id));
			return;
		}
		if (e != D_INVALID) {
			web_derr_page(r, e);
			return;
		}
		r->status = 422;
	}
	page_begin(r, T(r, "reply.edit.title"));
	H(r, "<section class=\"card narrow\"><p class=\"meta\"><a href=\"/posts/%lld#reply-%lld\">%s</a></p><h1>%s</h1>",
	  (long long)x.post_id, (long long)id, T(r, "reply.edit.back"), T(r, "reply.edit.title"));
	if (r->status == 422)
		page_notice(r, "error", T(r, "reply.edit.invalid"));
	H(r, "<form method=\"post\" action=\"/replies/%lld/edit\">", (long long)id);
	form_csrf(r);
	H(r, "<label for=\"f-body\">%s</label><textarea id=\"f-body\" name=\"body\" required>%s</textarea>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, "reply.edit.body"), body ? body : x.body, T(r, "reply.edit.save"));
	page_end(r);
}

void web_reply_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct reply x;
	enum derr e = reply_get(&r->dc, &r->me, id, &x, NULL);

	if (e == D_OK)
		e = reply_delete(&r->dc, &r->me, id);
	after_action(r, e, e == D_OK ? arena_printf(r->arena, "/posts/%lld#replies", (long long)x.post_id) : "/");
}

static void report(struct request *r, int64_t post, int64_t reply)
{
	const char *reason = req_form(r, "reason"), *field = NULL;
	int64_t rid;
	struct reply x;
	enum derr e = report_create(&r->dc, &r->me, post, reply, reason ? reason : "", &rid, &field);

	if (e == D_OK && reply && reply_get(&r->dc, &r->me, reply, &x, NULL) == D_OK)
		post = x.post_id;
	after_action(r, e, arena_printf(r->arena, "/posts/%lld?reported=1", (long long)post));
}

void web_post_report(struct request *r) { report(r, req_param_id(r, 0), 0); }
void web_reply_report(struct request *r) { report(r, 0, req_param_id(r, 0)); }

/* POST /posts/{id:int}/hide|restore (the action is the last path segment). */
void web_post_moderate(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	int hide = !strcmp(strrchr(r->path, '/'), "/hide");

	after_action(r, moderate(&r->dc, &r->me, id, 0, hide, NULL),
		     arena_printf(r->arena, "/posts/%lld", (long long)id));
}

void web_reply_moderate(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	int hide = !strcmp(strrchr(r->path, '/'), "/hide");
	struct reply x;
	enum derr e = reply_get(&r->dc, &r->me, id, &x, NULL);

	if (e == D_OK)
		e = moderate(&r->dc, &r->me, 0, id, hide, NULL);
	after_action(r, e, e == D_OK ? arena_printf(r->arena, "/posts/%lld#reply-%lld", (long long)x.post_id,
						    (long long)id) : "/");
}

/* GET /posts/{id:int}/revisions */
void web_post_revisions(struct request *r)
{
	struct post p;
	struct revision *rv;
	int64_t id = req_param_id(r, 0);
	enum derr e = post_get(&r->dc, &r->me, id, &p);
	int n;

	if (e != D_OK || (n = post_revisions(&r->dc, &r->me, id, &rv)) < 0) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, T(r, "post.history"));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/posts/%lld\">%s</a></p><h1>%s</h1>"
	  "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>", (long long)id, p.title,
	  T(r, "post.history"), T(r, "post.revision"), T(r, "post.by"), T(r, "post.date"), T(r, "post.compare"));
	for (int i = 0; i < n; i++) {
		H(r, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>", (long long)rv[i].revision,
		  rv[i].author_id ? rv[i].author_name : T(r, "post.former_member"), web_datetime(r, rv[i].created_at));
		if (rv[i].revision > 1)
			H(r, "<a href=\"/posts/%lld/diff?from=%lld&amp;to=%lld\">%s %lld → %lld</a>", (long long)id,
			  (long long)rv[i].revision - 1, (long long)rv[i].revision, T(r, "post.compare"),
			  (long long)rv[i].revision - 1, (long long)rv[i].revision);
		H(r, "</td></tr>");
	}
	H(r, "</tbody></table></div></section>");
	page_end(r);
}

/* GET /posts/{id:int}/diff?from=&to= */
void web_post_diff(struct request *r)
{
	struct revision a, b;
	struct diff_line *lines;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t id = req_param_id(r, 0), f = from ? parse_id(from) : -1, t = to ? parse_id(to) : -1;
	enum derr e;
	int n;

	if (f <= 0 || t <= 0) {
		e = post_revision_get(&r->dc, &r->me, id, 1, &a) == D_OK ? D_INVALID : D_NOT_FOUND;
		web_error_page(r, e == D_INVALID ? 400 : 404);
		return;
	}
	e = post_revision_get(&r->dc, &r->me, id, f, &a);
	if (e == D_OK)
		e = post_revision_get(&r->dc, &r->me, id, t, &b);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	n = diff_lines(r->arena, a.body, b.body, &lines);
	page_begin(r, T(r, "post.compare"));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/posts/%lld/revisions\">%s</a></p>"
	  "<h1>%s %lld → %lld</h1>", (long long)id, T(r, "post.history"), T(r, "post.compare"), (long long)f,
	  (long long)t);
	if (strcmp(a.title, b.title))
		H(r, "<p><del>%s</del> → <ins>%s</ins></p>", a.title, b.title);
	web_diff_block(r, lines, n);
	H(r, "</section>");
	page_end(r);
}
