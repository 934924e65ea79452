/* Document pages: "Mes documents", upload (with progress when JavaScript
 * runs), the document page with its preview, player, versions and
 * comments, editing, a group's resource bank. */
#include "web/documents.h"
#include "http/errors.h"
#include "http/search_params.h"

#include <stdio.h>
#include <string.h>

#include "http/doc_form.h"
#include "domain/groups.h"
#include "util/text.h"
#include "web/social.h"
#include "web/web.h"

const char *web_size(struct request *r, int64_t bytes)
{
	static const char *const fr[] = { "o", "ko", "Mo", "Go", "To" }, *const en[] = { "B", "kB", "MB", "GB", "TB" };
	const char *const *u = !strcmp(r->lang, "en") ? en : fr;
	double v = (double)bytes;
	int i = 0;
	char *s;

	while (v >= 1024 && i < 4) { /* powers of 1024, as file managers show them */
		v /= 1024;
		i++;
	}
	s = i == 0 ? arena_printf(r->arena, "%lld %s", (long long)bytes, u[0])
		   : arena_printf(r->arena, v < 10 ? "%.1f %s" : "%.0f %s", v, u[i]);
	if (s && strcmp(r->lang, "en"))
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s ? s : "";
}

/* The licence as a badge linking to its deed. */
static void licence_badge(struct request *r, const char *code)
{
	const struct licence *l = licence_find(code);
	char *key = arena_printf(r->arena, "licence.%s", code);

	if (l && l->url)
		H(r, "<a class=\"licence\" href=\"%s\" rel=\"license noopener\" title=\"%s\">%s</a>", l->url,
		  T(r, key ? key : ""), l->label);
	else
		H(r, "<span class=\"licence licence-arr\">%s</span>", T(r, "licence.ARR"));
}

void document_summary(struct request *r, const struct document *d)
{
	H(r, "<li class=\"doc-item\"><a class=\"doc-thumb kind-%s\" href=\"/documents/%lld\" aria-hidden=\"true\""
	  " tabindex=\"-1\">", d->kind, (long long)d->ref.id);
	if (d->has_thumbnail)
		H(r, "<img src=\"/documents/%lld/thumbnail\" alt=\"\" loading=\"lazy\">", (long long)d->ref.id);
	else
		H(r, "<span>%s</span>", label(r, "dkind", d->kind));
	H(r, "</a><div><h3><a href=\"/documents/%lld\">%s</a></h3><p class=\"meta\">%s · %s",
	  (long long)d->ref.id, d->title, label(r, "dkind", d->kind), web_size(r, d->size));
	if (d->ref.group_id)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)d->ref.group_id, d->group_name);
	if (d->ref.author_id)
		H(r, " · <a href=\"/users/%lld\">%s</a>", (long long)d->ref.author_id, d->author_name);
	H(r, " · %s</p><p class=\"meta\">", web_date(r, d->created_at));
	licence_badge(r, d->licence);
	H(r, " · %s · %s</p></div></li>", web_count(r, d->download_count, "doc.download_one", "doc.downloads"),
	  web_count(r, d->useful_count, "post.useful_count", "post.useful_count"));
}

/* The bar of used storage. */
static void usage_meter(struct request *r, const struct storage_use *u, const char *key)
{
	long long pct = u->quota > 0 ? u->used * 100 / u->quota : 0;

	H(r, "<p class=\"meta\"><label for=\"usage\">%s</label> <meter id=\"usage\" min=\"0\" max=\"%lld\""
	  " value=\"%lld\" high=\"%lld\">%lld %%</meter> %s / %s</p>", T(r, key), (long long)u->quota,
	  (long long)u->used, (long long)(u->quota / 10 * 9), pct, web_size(r, u->used), web_size(r, u->quota));
}

/* The filter form of a list: type, licence, sort (group in "Mes documents"). */
static void filter_form(struct request *r, const char *action, const struct doc_filter *f,
			const struct group *groups, int ngroups)
{
	static const char *const sorts[] = { "recent", "title", "downloads", "size" };

	H(r, "<form method=\"get\" action=\"%s\" class=\"grid filters\"><div><label for=\"f-type\">%s</label>"
	  "<select id=\"f-type\" name=\"type\"><option value=\"\">%s</option>", action, T(r, "doc.type"), T(r, "doc.any"));
	for (const char *const *k = doc_kinds; *k; k++)
		H(r, "<option value=\"%s\"%s>%s</option>", *k, f->kind && !strcmp(f->kind, *k) ? " selected" : "",
		  label(r, "dkind", *k));
	H(r, "</select></div>");
	if (groups) {
		H(r, "<div><label for=\"f-group\">%s</label><select id=\"f-group\" name=\"group_id\"><option value=\"\">%s"
		  "</option>", T(r, "doc.group"), T(r, "doc.any"));
		for (int i = 0; i < ngroups; i++)
			H(r, "<option value=\"%lld\"%s>%s</option>", (long long)groups[i].id,
			  f->group_id == groups[i].id ? " selected" : "", groups[i].name);
		H(r, "</select></div>");
	}
	H(r, "<div><label for=\"f-licence\">%s</label><select id=\"f-licence\" name=\"licence\"><option value=\"\">%s"
	  "</option>", T(r, "doc.licence"), T(r, "doc.any"));
	for (const struct licence *l = doc_licences; l->code; l++)
		H(r, "<option value=\"%s\"%s>%s</option>", l->code, f->licence && !strcmp(f->licence, l->code) ? " selected" : "",
		  l->label ? l->label : T(r, "licence.ARR"));
	H(r, "</select></div><div><label for=\"f-from\">%s</label><input id=\"f-from\" name=\"from\" type=\"date\""
	  " value=\"%s\"></div><div><label for=\"f-to\">%s</label><input id=\"f-to\" name=\"to\" type=\"date\""
	  " value=\"%s\"></div>", T(r, "search.from"), req_query(r, "from") ? req_query(r, "from") : "",
	  T(r, "search.to"), req_query(r, "to") ? req_query(r, "to") : "");
	H(r, "<div><label for=\"f-sort\">%s</label><select id=\"f-sort\" name=\"sort\">", T(r, "doc.sort"));
	for (int i = 0; i < 4; i++)
		H(r, "<option value=\"%s\"%s>%s</option>", sorts[i], (int)f->sort == i ? " selected" : "",
		  label(r, "doc.sort", sorts[i]));
	H(r, "</select></div><div><button type=\"submit\" class=\"secondary\">%s</button></div></form>", T(r, "doc.filter"));
}

/* Reads the filters of a list page; -1 after answering 400. */
static int page_filter(struct request *r, struct doc_filter *f)
{
	const char *type = req_query(r, "type"), *lic = req_query(r, "licence"), *sort = req_query(r, "sort");
	const char *g = req_query(r, "group_id");

	f->limit = 20;
	if ((f->offset = web_cursor(r)) < 0)
		return -1;
	if ((type && *type && !text_one_of(type, doc_kinds)) || (lic && *lic && !licence_find(lic)) ||
	    (g && *g && parse_id(g) <= 0) || req_query_day(r, "from", 0, &f->from) < 0 ||
	    req_query_day(r, "to", 1, &f->to) < 0) {
		web_error_page(r, 400);
		return -1;
	}
	f->kind = type && *type ? type : NULL;
	f->licence = lic && *lic ? lic : NULL;
	f->group_id = g && *g ? parse_id(g) : 0;
	f->sort = DOC_SORT_RECENT;
	if (sort && !strcmp(sort, "title"))
		f->sort = DOC_SORT_TITLE;
	else if (sort && !strcmp(sort, "downloads"))
		f->sort = DOC_SORT_DOWNLOADS;
	else if (sort && !strcmp(sort, "size"))
		f->sort = DOC_SORT_SIZE;
	return 0;
}

/* The list and its "more" link, keeping the filters. */
static void doc_list(struct request *r, const char *base, const struct doc_filter *f, const char *empty)
{
	struct document *ds;
	int64_t next;
	int n = documents_list(&r->dc, &r->me, f, &ds, &next);
	struct buf q = BUF_INIT;

	if (n < 0) {
		H(r, "<p class=\"notice notice-error\">%s</p>", T(r, "error.500.text"));
		return;
	}
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", empty);
	H(r, "<ul class=\"plain doc-list\">");
	for (int i = 0; i < n; i++)
		document_summary(r, &ds[i]);
	H(r, "</ul>");
	if (next) {
		static const char *const sorts[] = { "recent", "title", "downloads", "size" };

		buf_printf(&q, "%s?cursor=%lld&sort=%s", base, (long long)next, sorts[f->sort]);
		if (f->kind)
			buf_printf(&q, "&type=%s", f->kind);
		if (f->licence)
			buf_printf(&q, "&licence=%s", f->licence);
		if (f->group_id && strncmp(base, "/groups/", 8))
			buf_printf(&q, "&group_id=%lld", (long long)f->group_id);
		if (req_query(r, "from") && *req_query(r, "from")) {
			buf_puts(&q, "&from=");
			url_escape(&q, req_query(r, "from"));
		}
		if (req_query(r, "to") && *req_query(r, "to")) {
			buf_puts(&q, "&to=");
			url_escape(&q, req_query(r, "to"));
		}
		H(r, "<p><a class=\"button secondary\" href=\"%s\">%s</a></p>", buf_str(&q), T(r, "doc.more"));
		buf_free(&q);
	}
}

/* GET /documents: "Mes documents" */
void web_documents(struct request *r)
{
	struct doc_filter f = { .mine_and_groups = 1 };
	struct group_filter gf = { .mine = 1, .limit = 100 };
	struct group *gs;
	struct storage_use u;
	int64_t gnext;
	int ng;

	if (page_filter(r, &f) < 0)
		return;
	ng = groups_list(&r->dc, &r->me, &gf, &gs, &gnext);
	if (ng < 0 || storage_use_member(&r->dc, r->me.id, &u) < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "doc.mine.title"));
	H(r, "<div class=\"page-head\"><h1>%s</h1><a class=\"button\" href=\"/documents/new\">%s</a></div>",
	  T(r, "doc.mine.title"), T(r, "doc.upload"));
	if (req_query(r, "uploaded"))
		page_notice(r, "ok", T(r, "doc.uploaded"));
	if (req_query(r, "deleted"))
		page_notice(r, "ok", T(r, "doc.deleted"));
	usage_meter(r, &u, "doc.usage");
	H(r, "<section class=\"card\">");
	filter_form(r, "/documents", &f, gs, ng);
	doc_list(r, "/documents", &f, T(r, "doc.mine.empty"));
	H(r, "</section>");
	page_end(r);
}

/* GET /groups/{id:int}/documents: the group's resource bank */
void web_group_documents(struct request *r)
{
	struct doc_filter f = { 0 };
	struct group g;
	struct storage_use u = { 0 };
	int64_t id = req_param_id(r, 0);
	enum derr e = group_get(&r->dc, &r->me, id, &g);
	char *base;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (page_filter(r, &f) < 0)
		return;
	f.group_id = id;
	base = arena_printf(r->arena, "/groups/%lld/documents", (long long)id);
	page_begin(r, arena_printf(r->arena, "%s — %s", T(r, "doc.bank"), g.name));
	H(r, "<p class=\"meta\"><a href=\"/groups/%lld\">%s</a></p><div class=\"page-head\"><h1>%s</h1>",
	  (long long)id, g.name, T(r, "doc.bank"));
	if (g.my_role >= GR_MEMBER)
		H(r, "<a class=\"button\" href=\"/documents/new?group=%lld\">%s</a>", (long long)id, T(r, "doc.upload"));
	H(r, "</div>");
	if (g.my_role >= GR_MEMBER && storage_use_group(&r->dc, id, &u) == 0)
		usage_meter(r, &u, "doc.group_usage");
	H(r, "<section class=\"card\">");
	filter_form(r, base ? base : "/documents", &f, NULL, 0);
	doc_list(r, base ? base : "/documents", &f, T(r, "doc.bank.empty"));
	H(r, "</section>");
	page_end(r);
}

/* ---- upload ---------------------------------------------------------------- */

static void visibility_choices(struct request *r, const char *group_visibility, const char *current)
{
	static const char *const own[] = { "members", "public", "contacts", "private", NULL };
	static const char *const open_group[] = { "members", "public", "group", NULL };
	static const char *const closed_group[] = { "group", NULL };
	const char *const *opts = !group_visibility ? own : !strcmp(group_visibility, "open") ? open_group : closed_group;

	H(r, "<label for=\"f-visibility\">%s</label><select id=\"f-visibility\" name=\"visibility\">", T(r, "post.visibility"));
	for (const char *const *o = opts; *o; o++)
		H(r, "<option value=\"%s\"%s>%s</option>", *o, current && !strcmp(current, *o) ? " selected" : "",
		  label(r, "vis", *o));
	H(r, "</select>");
}

static void licence_choices(struct request *r, const char *current)
{
	H(r, "<label for=\"f-licence\">%s<span class=\"hint\" id=\"h-licence\">%s</span></label>"
	  "<select id=\"f-licence\" name=\"licence\" aria-describedby=\"h-licence\">", T(r, "doc.licence"),
	  T(r, "doc.licence.hint"));
	for (const struct licence *l = doc_licences; l->code; l++) {
		char *key = arena_printf(r->arena, "licence.%s", l->code);

		H(r, "<option value=\"%s\"%s>%s</option>", l->code, current && !strcmp(current, l->code) ? " selected" : "",
		  T(r, key ? key : ""));
	}
	H(r, "</select>");
}

static const char *upload_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_QUOTA)
		return T(r, field && !strcmp(field, "group") ? "doc.error.quota_group" : "doc.error.quota");
	if (e == D_TOO_LARGE)
		return T(r, "doc.error.too_large");
	if (e == D_UNSUPPORTED_TYPE)
		return T(r, "doc.error.type");
	if (e == D_FORBIDDEN)
		return T(r, "doc.error.not_member");
	if (field && !strcmp(field, "title"))
		return T(r, "doc.error.title");
	if (field && (!strcmp(field, "subjects") || !strcmp(field, "levels")))
		return T(r, "doc.error.tags");
	if (field && !strcmp(field, "visibility"))
		return T(r, "post.error.visibility");
	if (field && !strcmp(field, "description"))
		return T(r, "doc.error.description");
	return T(r, "doc.error.file");
}

static const char *joined(struct request *r, const char *const *tags, int n)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", tags[i]);
	s = arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return s ? s : "";
}

static void upload_form(struct request *r, const struct group *g, const struct doc_input *in, const char *error)
{
	const char *licence = in && in->licence ? in->licence : NULL;
	struct profile p;

	if (!licence && profile_get(&r->dc, &r->me, r->me.id, &p) == D_OK)
		licence = p.default_licence;
	page_begin(r, T(r, "doc.new.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "doc.new.title"));
	if (g)
		H(r, "<p class=\"meta\">%s <a href=\"/groups/%lld\">%s</a></p>", T(r, "post.in_group"), (long long)g->id, g->name);
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"/documents/new\" enctype=\"multipart/form-data\" class=\"upload-form\""
	  " data-progress=\"upload-progress\" data-uploading=\"%s\" data-failed=\"%s\">", T(r, "doc.uploading"),
	  T(r, "doc.upload_failed"));
	form_csrf(r);
	if (g)
		H(r, "<input type=\"hidden\" name=\"group_id\" value=\"%lld\">", (long long)g->id);
	H(r, "<label for=\"f-file\">%s<span class=\"hint\" id=\"h-file\">%s</span></label>"
	  "<input id=\"f-file\" name=\"file\" type=\"file\" multiple required aria-describedby=\"h-file\">",
	  T(r, "doc.files"), T(r, "doc.files.hint"));
	H(r, "<label for=\"f-title\">%s<span class=\"hint\" id=\"h-title\">%s</span></label><input id=\"f-title\""
	  " name=\"title\" type=\"text\" maxlength=\"%d\" value=\"%s\" aria-describedby=\"h-title\">", T(r, "doc.title"),
	  T(r, "doc.title.hint"), DOC_TITLE_MAX, in && in->title ? in->title : "");
	H(r, "<label for=\"f-description\">%s</label><textarea id=\"f-description\" name=\"description\" rows=\"4\""
	  " maxlength=\"%d\">%s</textarea>", T(r, "doc.description"), DOC_DESCRIPTION_MAX,
	  in && in->description ? in->description : "");
	H(r, "<label for=\"f-subjects\">%s<span class=\"hint\" id=\"h-tags\">%s</span></label><input id=\"f-subjects\""
	  " name=\"subjects\" type=\"text\" value=\"%s\" aria-describedby=\"h-tags\">", T(r, "doc.subjects"),
	  T(r, "doc.tags.hint"), in && in->nsubjects > 0 ? joined(r, in->subjects, in->nsubjects) : "");
	H(r, "<label for=\"f-levels\">%s</label><input id=\"f-levels\" name=\"levels\" type=\"text\" value=\"%s\">",
	  T(r, "doc.levels"), in && in->nlevels > 0 ? joined(r, in->levels, in->nlevels) : "");
	licence_choices(r, licence);
	visibility_choices(r, g ? g->visibility : NULL, in && in->visibility ? in->visibility
			   : g ? (!strcmp(g->visibility, "open") ? "members" : "group") : "members");
	H(r, "<div class=\"upload-status\" id=\"upload-progress\" hidden><progress max=\"100\" value=\"0\"></progress>"
	  " <span role=\"status\" aria-live=\"polite\"></span></div>"
	  "<div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>", T(r, "doc.send"));
	page_end(r);
}

/* GET/POST /documents/new?group=ID */
void web_document_new(struct request *r)
{
	const char *gq = r->method == HTTP_POST ? req_form(r, "group_id") : req_query(r, "group");
	struct group g = { 0 }, *gp = NULL;
	struct doc_input in;
	struct doc_file_in files[DOC_FILES_MAX + 1];
	int64_t ids[DOC_FILES_MAX] = { 0 };
	const char *field = NULL;
	enum derr e;
	int n;

	if (gq && *gq) {
		int64_t gid = parse_id(gq);

		if (gid <= 0 || group_get(&r->dc, &r->me, gid, &g) != D_OK) {
			web_error_page(r, 404);
			return;
		}
		gp = &g;
	}
	if (r->method != HTTP_POST) {
		upload_form(r, gp, NULL, NULL);
		return;
	}
	doc_form_read(r, &in, 1);
	n = doc_form_files(r, files, DOC_FILES_MAX);
	if (n < 1 || n > DOC_FILES_MAX) {
		e = D_INVALID;
		field = "file";
	} else {
		e = documents_create(&r->dc, &r->me, &in, files, n, ids, &field);
	}
	if (e == D_OK) {
		resp_redirect(r, n == 1 ? arena_printf(r->arena, "/documents/%lld?uploaded=1", (long long)ids[0])
				       : "/documents?uploaded=1");
		return;
	}
	if (e == D_INTERNAL || (e == D_NOT_FOUND)) {
		web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	if (in.title && !text_ok(in.title, 0))
		in.title = NULL;
	if (in.description && !text_ok(in.description, 1))
		in.description = NULL;
	if (in.visibility && !text_ok(in.visibility, 0))
		in.visibility = NULL;
	if (in.licence && !licence_find(in.licence))
		in.licence = NULL;
	for (int i = 0; i < in.nsubjects; i++)
		if (!text_ok(in.subjects[i], 0))
			in.nsubjects = 0;
	for (int i = 0; i < in.nlevels; i++)
		if (!text_ok(in.levels[i], 0))
			in.nlevels = 0;
	if (in.nsubjects > DOC_TAGS_MAX)
		in.nsubjects = DOC_TAGS_MAX;
	if (in.nlevels > DOC_TAGS_MAX)
		in.nlevels = DOC_TAGS_MAX;
	upload_form(r, gp, &in, upload_error(r, e, field));
}

/* ---- the document page ------------------------------------------------------- */

static void preview(struct request *r, const struct document *d)
{
	long long id = (long long)d->ref.id;

	if (!strcmp(d->kind, "image")) {
		H(r, "<figure class=\"doc-preview\"><img src=\"/documents/%lld/file?inline=1\" alt=\"%s\"></figure>", id, d->title);
	} else if (!strcmp(d->kind, "video")) {
		H(r, "<figure class=\"doc-preview\"><video controls preload=\"metadata\" src=\"/documents/%lld/file?inline=1\"", id);
		if (d->has_thumbnail)
			H(r, " poster=\"/documents/%lld/thumbnail\"", id);
		H(r, "><a href=\"/documents/%lld/file\">%s</a></video></figure>", id, T(r, "doc.download"));
	} else if (!strcmp(d->kind, "audio")) {
		H(r, "<figure class=\"doc-preview\"><audio controls preload=\"metadata\" src=\"/documents/%lld/file?inline=1\">"
		  "<a href=\"/documents/%lld/file\">%s</a></audio></figure>", id, id, T(r, "doc.download"));
	} else if (!strcmp(d->kind, "pdf")) {
		H(r, "<figure class=\"doc-preview\"><iframe class=\"pdf\" src=\"/documents/%lld/file?inline=1\" title=\"%s\">"
		  "</iframe><figcaption><a href=\"/documents/%lld/file?inline=1\">%s</a></figcaption></figure>",
		  id, d->title, id, T(r, "doc.open_pdf"));
	} else if (!strcmp(d->kind, "text")) {
		int truncated = 0;
		const char *text = document_text_preview(&r->dc, d, &truncated);
		size_t n = strlen(d->filename);
		int md = (n > 3 && !strcasecmp(d->filename + n - 3, ".md")) ||
			 (n > 9 && !strcasecmp(d->filename + n - 9, ".markdown"));

		if (!text) {
			H(r, "<p class=\"empty\">%s</p>", T(r, "doc.no_preview"));
			return;
		}
		H(r, "<div class=\"doc-preview doc-text\">");
		if (md)
			markdown_block(r, text);
		else
			H(r, "<pre>%s</pre>", text);
		if (truncated)
			H(r, "<p class=\"meta\">%s</p>", T(r, "doc.preview_cut"));
		H(r, "</div>");
	} else {
		H(r, "<p class=\"empty\">%s</p>", T(r, "doc.no_preview_office"));
	}
}

static void comment_block(struct request *r, const struct doc_comment *c)
{
	H(r, "<div class=\"reply\" id=\"comment-%lld\"><p class=\"meta\">", (long long)c->id);
	if (c->author_id)
		H(r, "<a href=\"/users/%lld\">%s</a>", (long long)c->author_id, c->author_name);
	else
		H(r, "%s", T(r, "post.former_member"));
	H(r, " · %s</p>", web_datetime(r, c->created_at));
	markdown_block(r, c->body);
	if (c->may_delete) {
		H(r, "<div class=\"actions\">");
		button_form(r, arena_printf(r->arena, "/document-comments/%lld/delete", (long long)c->id), T(r, "post.delete"),
			    "secondary");
		H(r, "</div>");
	}
	H(r, "</div>");
}

/* GET /documents/{id:int} */
void web_document(struct request *r)
{
	struct document d;
	struct doc_version *vs;
	struct doc_comment *cs;
	int64_t id = req_param_id(r, 0), next = 0, after = web_cursor(r);
	enum derr e;
	int nv, nc;

	if (after < 0)
		return;
	e = document_get(&r->dc, &r->me, id, &d);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	nv = document_versions_of(&r->dc, &d, &vs);
	nc = doc_comments_list_of(&r->dc, &r->me, &d, after, 50, &cs, &next);
	if (nv < 0 || nc < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin_og(r, d.title, !access_public_post(&r->dc, &d.ref) ? NULL
				  : d.description[0] ? web_excerpt(r, d.description, 200) : label(r, "dkind", d.kind),
		      "article");
	if (req_query(r, "uploaded"))
		page_notice(r, "ok", T(r, "doc.uploaded"));
	if (req_query(r, "versioned"))
		page_notice(r, "ok", T(r, "doc.versioned"));
	H(r, "<article class=\"card\"><p class=\"meta\"><span class=\"pill\">%s</span>", label(r, "dkind", d.kind));
	if (d.ref.group_id)
		H(r, " · %s <a href=\"/groups/%lld\">%s</a>", T(r, "post.in_group"), (long long)d.ref.group_id, d.group_name);
	H(r, " · <span class=\"pill\" title=\"%s\">%s</span></p><h1>%s</h1><p class=\"meta\">", T(r, "post.visibility"),
	  label(r, "vis", d.ref.visibility), d.title);
	if (d.ref.author_id)
		H(r, "%s <a href=\"/users/%lld\">%s</a> · ", T(r, "post.by"), (long long)d.ref.author_id, d.author_name);
	H(r, "%s</p>", web_datetime(r, d.created_at));
	preview(r, &d);
	if (d.description[0])
		markdown_block(r, d.description);
	H(r, "<dl class=\"facts\"><dt>%s</dt><dd>", T(r, "doc.licence"));
	licence_badge(r, d.licence);
	H(r, "</dd><dt>%s</dt><dd>%s · %s · %s</dd>", T(r, "doc.file"), d.filename, web_size(r, d.size), d.mime);
	if (d.nsubjects)
		H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "doc.subjects"), joined(r, d.subjects, d.nsubjects));
	if (d.nlevels)
		H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "doc.levels"), joined(r, d.levels, d.nlevels));
	H(r, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "doc.downloads_title"),
	  web_count(r, d.download_count, "doc.download_one", "doc.downloads"));
	H(r, "<div class=\"actions\"><a class=\"button\" href=\"/documents/%lld/file\" download>%s</a>", (long long)id,
	  T(r, "doc.download"));
	if (r->me.id)
		button_form(r, arena_printf(r->arena, "/documents/%lld/useful", (long long)id),
			    arena_printf(r->arena, "%s (%lld)", T(r, d.useful_by_me ? "post.useful.undo" : "post.useful"),
					 (long long)d.useful_count), d.useful_by_me ? "" : "secondary");
	else
		H(r, "<span class=\"meta\">%lld %s</span>", (long long)d.useful_count, T(r, "post.useful_count"));
	if (d.may_edit) {
		H(r, "<a class=\"button secondary\" href=\"/documents/%lld/edit\">%s</a>", (long long)id, T(r, "post.edit"));
		button_form(r, arena_printf(r->arena, "/documents/%lld/delete", (long long)id), T(r, "post.delete"), "danger");
	}
	H(r, "</div></article>");

	H(r, "<section class=\"card\" aria-labelledby=\"versions-title\"><h2 id=\"versions-title\">%s</h2>"
	  "<div class=\"table-wrap\"><table class=\"versions\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
	  "</th><th scope=\"col\">%s</th></tr></thead><tbody>", T(r, "doc.versions"), T(r, "doc.version"),
	  T(r, "doc.file"), T(r, "doc.date"), T(r, "doc.note"));
	for (int i = 0; i < nv; i++)
		H(r, "<tr><td>%lld</td><td><a href=\"/documents/%lld/versions/%lld/file\">%s</a> · %s</td><td>%s</td>"
		  "<td>%s</td></tr>", (long long)vs[i].version, (long long)id, (long long)vs[i].version, vs[i].filename,
		  web_size(r, vs[i].size), web_datetime(r, vs[i].created_at), vs[i].note);
	H(r, "</tbody></table></div>");
	if (d.may_edit) {
		H(r, "<form method=\"post\" action=\"/documents/%lld/versions\" enctype=\"multipart/form-data\""
		  " class=\"upload-form\" data-progress=\"version-progress\" data-uploading=\"%s\" data-failed=\"%s\">",
		  (long long)id, T(r, "doc.uploading"), T(r, "doc.upload_failed"));
		form_csrf(r);
		H(r, "<label for=\"v-file\">%s</label><input id=\"v-file\" name=\"file\" type=\"file\" required>"
		  "<label for=\"v-note\">%s</label><input id=\"v-note\" name=\"note\" type=\"text\" maxlength=\"%d\">"
		  "<div class=\"upload-status\" id=\"version-progress\" hidden><progress max=\"100\" value=\"0\"></progress>"
		  " <span role=\"status\" aria-live=\"polite\"></span></div>"
		  "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%s</button></div></form>",
		  T(r, "doc.new_version"), T(r, "doc.note"), DOC_NOTE_MAX, T(r, "doc.send_version"));
	}
	H(r, "</section>");

	H(r, "<section class=\"card\" id=\"comments\" aria-labelledby=\"comments-title\"><h2 id=\"comments-title\">%s (%lld)</h2>",
	  T(r, "post.comments"), (long long)d.comment_count);
	if (!nc)
		H(r, "<p class=\"empty\">%s</p>", T(r, "doc.no_comments"));
	for (int i = 0; i < nc; i++)
		comment_block(r, &cs[i]);
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/documents/%lld?cursor=%lld#comments\">%s</a></p>",
		  (long long)id, (long long)next, T(r, "post.more_replies"));
	if (r->me.id) {
		H(r, "<form method=\"post\" action=\"/documents/%lld/comments\">", (long long)id);
		form_csrf(r);
		H(r, "<label for=\"c-body\">%s</label><textarea id=\"c-body\" name=\"body\" rows=\"4\" required"
		  " maxlength=\"%d\"></textarea><div class=\"actions\"><button type=\"submit\">%s</button></div></form>",
		  T(r, "doc.comment"), DOC_COMMENT_MAX, T(r, "doc.send_comment"));
	} else {
		H(r, "<p><a href=\"/login?next=/documents/%lld\">%s</a></p>", (long long)id, T(r, "post.login_to_reply"));
	}
	H(r, "</section>");
	page_end(r);
}

static void edit_form(struct request *r, const struct document *d, const struct doc_input *in, const char *error)
{
	page_begin(r, T(r, "doc.edit.title"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "doc.edit.title"));
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"/documents/%lld/edit\">", (long long)d->ref.id);
	form_csrf(r);
	H(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" type=\"text\" maxlength=\"%d\""
	  " value=\"%s\" required>", T(r, "doc.title"), DOC_TITLE_MAX, in && in->title ? in->title : d->title);
	H(r, "<label for=\"f-description\">%s</label><textarea id=\"f-description\" name=\"description\" rows=\"5\""
	  " maxlength=\"%d\">%s</textarea>", T(r, "doc.description"), DOC_DESCRIPTION_MAX,
	  in && in->description ? in->description : d->description);
	H(r, "<label for=\"f-subjects\">%s<span class=\"hint\" id=\"h-tags\">%s</span></label><input id=\"f-subjects\""
	  " name=\"subjects\" type=\"text\" value=\"%s\" aria-describedby=\"h-tags\">", T(r, "doc.subjects"),
	  T(r, "doc.tags.hint"), joined(r, d->subjects, d->nsubjects));
	H(r, "<label for=\"f-levels\">%s</label><input id=\"f-levels\" name=\"levels\" type=\"text\" value=\"%s\">",
	  T(r, "doc.levels"), joined(r, d->levels, d->nlevels));
	licence_choices(r, in && in->licence ? in->licence : d->licence);
	visibility_choices(r, d->ref.group_id ? (d->ref.group_visibility ? d->ref.group_visibility : "closed") : NULL,
			   in && in->visibility ? in->visibility : d->ref.visibility);
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button> <a href=\"/documents/%lld\">%s</a></div>"
	  "</form></section>", T(r, "post.save"), (long long)d->ref.id, T(r, "doc.cancel"));
	page_end(r);
}

/* Tags of a plain form field, comma-separated. */
static int split_tags(struct request *r, const char *s, const char **out)
{
	char *copy = arena_strdup(r->arena, s ? s : ""), *save = NULL;
	int n = 0;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && n <= DOC_TAGS_MAX; t = strtok_r(NULL, ",", &save))
		if (*(t = text_trim(t)))
			out[n++] = t;
	return n;
}

/* GET/POST /documents/{id:int}/edit */
void web_document_edit(struct request *r)
{
	struct document d;
	struct doc_input in = { 0 };
	int64_t id = req_param_id(r, 0);
	const char *field = NULL;
	enum derr e = document_get(&r->dc, &r->me, id, &d);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!d.may_edit) {
		web_error_page(r, 403);
		return;
	}
	if (r->method != HTTP_POST) {
		edit_form(r, &d, NULL, NULL);
		return;
	}
	in.title = req_form(r, "title");
	in.description = req_form(r, "description");
	in.licence = req_form(r, "licence");
	in.visibility = req_form(r, "visibility");
	in.nsubjects = split_tags(r, req_form(r, "subjects"), in.subjects);
	in.nlevels = split_tags(r, req_form(r, "levels"), in.levels);
	if (!in.title)
		in.title = "";
	e = document_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/documents/%lld", (long long)id));
		return;
	}
	if (e != D_INVALID) {
		web_derr_page(r, e);
		return;
	}
	r->status = 422;
	if (!text_ok(in.title, 0))
		in.title = NULL;
	if (in.description && !text_ok(in.description, 1))
		in.description = NULL;
	if (in.licence && !licence_find(in.licence))
		in.licence = NULL;
	if (in.visibility && !text_ok(in.visibility, 0))
		in.visibility = NULL;
	edit_form(r, &d, &in, upload_error(r, e, field));
}

/* POST /documents/{id:int}/delete */
void web_document_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = document_delete(&r->dc, &r->me, id);

	if (e != D_OK)
		web_derr_page(r, e);
	else
		resp_redirect(r, "/documents?deleted=1");
}

/* POST /documents/{id:int}/versions */
void web_document_version_add(struct request *r)
{
	struct doc_file_in files[2];
	struct document d;
	int64_t id = req_param_id(r, 0), version = 0;
	const char *field = NULL;
	int n = doc_form_files(r, files, 1);
	enum derr e;

	if (document_get(&r->dc, &r->me, id, &d) != D_OK) {
		web_error_page(r, 404);
		return;
	}
	e = n == 1 ? document_add_version(&r->dc, &r->me, id, &files[0], req_form(r, "note"), &version, &field) : D_INVALID;
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/documents/%lld?versioned=1", (long long)id));
		return;
	}
	if (e == D_NOT_FOUND || e == D_INTERNAL || e == D_FORBIDDEN) {
		web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	page_begin(r, T(r, "doc.new_version"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "doc.new_version"));
	page_notice(r, "error", e == D_CONFLICT ? T(r, "doc.error.conflict") : upload_error(r, e, field));
	H(r, "<p><a href=\"/documents/%lld\">%s</a></p></section>", (long long)id, d.title);
	page_end(r);
}

/* POST /documents/{id:int}/useful (toggles) */
void web_document_useful(struct request *r)
{
	struct document d;
	int64_t id = req_param_id(r, 0);
	enum derr e = document_get(&r->dc, &r->me, id, &d);

	if (e == D_OK)
		e = document_mark_useful(&r->dc, &r->me, id, !d.useful_by_me);
	if (e != D_OK)
		web_derr_page(r, e);
	else
		resp_redirect(r, arena_printf(r->arena, "/documents/%lld", (long long)id));
}

/* POST /documents/{id:int}/comments */
void web_document_comment(struct request *r)
{
	int64_t id = req_param_id(r, 0), cid = 0;
	enum derr e = doc_comment_create(&r->dc, &r->me, id, req_form(r, "body"), &cid);

	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/documents/%lld#comment-%lld", (long long)id, (long long)cid));
		return;
	}
	if (e != D_INVALID) {
		web_derr_page(r, e);
		return;
	}
	r->status = 422;
	page_begin(r, T(r, "doc.comment"));
	H(r, "<section class=\"card\"><h1>%s</h1>", T(r, "doc.comment"));
	page_notice(r, "error", T(r, "doc.error.comment"));
	H(r, "<p><a href=\"/documents/%lld#comments\">%s</a></p></section>", (long long)id, T(r, "doc.back"));
	page_end(r);
}

/* POST /document-comments/{id:int}/delete */
void web_document_comment_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0), doc = 0;
	enum derr e = doc_comment_delete(&r->dc, &r->me, id, &doc);

	if (e != D_OK)
		web_derr_page(r, e);
	else
		resp_redirect(r, arena_printf(r->arena, "/documents/%lld#comments", (long long)doc));
}
