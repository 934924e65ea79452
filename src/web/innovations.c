/* Innovation record pages: the faceted catalogue, the record, its forms
 * (working without JavaScript), its revisions and their diff, follow,
 * useful, the adviser's support form, messages to the team. */
#include "web/innovations.h"

#include <string.h>
#include <time.h>

#include "domain/academies.h"
#include "domain/groups.h"
#include "domain/picker.h"
#include "domain/calls.h"
#include "domain/schools.h"
#include "http/errors.h"
#include "http/innovation_params.h"
#include "http/server.h"
#include "util/csv.h"
#include "util/diff.h"
#include "util/markdown.h"
#include "util/text.h"
#include "web/social.h"
#include "web/web.h"

#define LIST_MAX 64

static const char *filter_link(struct request *r, const char *key, const char *value);

/* ---- the catalogue ----------------------------------------------------------- */

static const char *const filter_keys[] = { "q", "academy", "level", "subject", "theme", "type", "support", "uai",
	"year", "sort", NULL };

/* The catalogue's URL with the current filters, key set to value (NULL: removed). */
static const char *catalogue_url(struct request *r, const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	const char *out;
	char sep = '?';

	buf_puts(&b, "/innovations");
	for (int i = 0; filter_keys[i]; i++) {
		const char *v = strcmp(filter_keys[i], key) ? req_query(r, filter_keys[i]) : value;

		if (!v || !*v)
			continue;
		buf_printf(&b, "%c%s=", sep, filter_keys[i]);
		url_escape(&b, v);
		sep = '&';
	}
	out = b.failed ? "/innovations" : arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

static void facet_block(struct request *r, const char *key, const char *title_key, const struct facet_count *c,
			int n, const char *label_prefix)
{
	const char *current = req_query(r, key);
	/* the links differ only in this facet's value: catalogue_url's other
	 * filters, before and after key in its order, are written once */
	struct buf pre = BUF_INIT, post = BUF_INIT, url = BUF_INIT;
	int after = 0;

	if (n <= 0)
		return;
	for (int i = 0; filter_keys[i]; i++) {
		const char *v = strcmp(filter_keys[i], key) ? req_query(r, filter_keys[i]) : NULL;

		after |= !strcmp(filter_keys[i], key);
		if (!v || !*v)
			continue;
		buf_printf(after ? &post : &pre, "&%s=", filter_keys[i]);
		url_escape(after ? &post : &pre, v);
	}
	H(r, "<section class=\"facet\" aria-labelledby=\"facet-%s\"><h3 id=\"facet-%s\">%s</h3><ul>", key, key,
	  T(r, title_key));
	for (int i = 0; i < n; i++) {
		int on = current && !strcmp(current, c[i].value);
		const char *shown = label_prefix ? label(r, label_prefix, c[i].value) : c[i].value;

		buf_reset(&url);
		buf_puts(&url, "/innovations");
		if (pre.len)
			buf_append(&url, pre.data, pre.len);
		if (!on && *c[i].value) {
			buf_printf(&url, "&%s=", key);
			url_escape(&url, c[i].value);
		}
		if (post.len)
			buf_append(&url, post.data, post.len);
		if (url.len > 12 && !url.failed)
			url.data[12] = '?';         /* after "/innovations" */
		/* (the attribute is in the format: an argument would be escaped) */
		if (on)
			H(r, "<li><a href=\"%s\" aria-current=\"true\">✓ %s</a> <span class=\"count\">(%lld)</span></li>",
			  url.failed || pre.failed || post.failed ? "/innovations" : buf_str(&url), shown,
			  (long long)c[i].count);
		else
			H(r, "<li><a href=\"%s\">%s</a> <span class=\"count\">(%lld)</span></li>",
			  url.failed || pre.failed || post.failed ? "/innovations" : buf_str(&url), shown,
			  (long long)c[i].count);
	}
	H(r, "</ul></section>");
	buf_free(&pre);
	buf_free(&post);
	buf_free(&url);
}

static void summary_item(struct request *r, const struct innovation *x)
{
	H(r, "<li class=\"card\"><h2><a href=\"/innovations/%lld\">%s</a></h2><p class=\"meta\">"
	  "<span class=\"pill\">%s</span> · %s · %lld", (long long)x->id, x->title, label(r, "innovation.type", x->type),
	  x->academy, (long long)x->started_year);
	if (strcmp(x->support, "none"))
		H(r, " · <span class=\"pill\">%s</span>", label(r, "innovation.support", x->support));
	if (strcmp(x->visibility, "public"))
		H(r, " · %s", label(r, "innovation.vis", x->visibility));
	if (x->hidden)
		H(r, " · %s", T(r, "innovation.hidden"));
	if (x->snippet) {
		/* the matching text, the words marked (search_snippet_html escapes it) */
		H(r, "</p><p class=\"snippet\">");
		html_raw_trusted(&r->out, search_snippet_html(r->arena, x->snippet, x->query));
		H(r, "</p></li>");
		return;
	}
	H(r, "</p><p>%s</p></li>", web_excerpt(r, x->summary, 240));
}

void web_innovations(struct request *r)
{
	struct innovation_filter f;
	struct innovation_facets fc;
	struct innovation *xs;
	int64_t next = 0, total = 0;
	const char *bad, *q = req_query(r, "q");
	int n;

	if (innovation_params(r, &f, &bad) < 0) {
		web_error_page(r, 400);
		return;
	}
	f.limit = 20;
	n = innovations_list(&r->dc, &r->me, &f, &xs, &next, &total, &fc);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "innovation.catalogue"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s <a href=\"/academies\">%s</a></p>", T(r, "innovation.catalogue"),
	  T(r, "innovation.intro"), T(r, "innovation.by_academy"));
	if (r->me.id) {
		const char *mine = innovation_adviser_academy(&r->dc, &r->me);

		H(r, "<p><a class=\"button\" href=\"/innovations/new\">%s</a>", T(r, "innovation.new"));
		if (mine)
			H(r, " <a class=\"button secondary\" href=\"/innovations/queue\">%s %s</a>", T(r, "innovation.queue"),
			  mine);
		else if (r->me.admin)
			H(r, " <a class=\"button secondary\" href=\"/innovations/queue\">%s</a>", T(r, "innovation.queue.title"));
		H(r, "</p>");
	}
	H(r, "<form method=\"get\" action=\"/innovations\" role=\"search\"><label for=\"inno-q\">%s</label>"
	  "<input id=\"inno-q\" name=\"q\" type=\"search\" value=\"%s\" maxlength=\"200\">", T(r, "search.q"),
	  q ? q : "");
	for (int i = 1; filter_keys[i]; i++) {
		const char *v = req_query(r, filter_keys[i]);

		if (v && *v)
			H(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", filter_keys[i], v);
	}
	H(r, "<button type=\"submit\">%s</button></form>", T(r, "search.submit"));
	if (q && *q) {
		/* by relevance (the default with words) or newest first */
		const char *sort = f.sort ? f.sort : "relevance";

		H(r, "<p class=\"sort\">%s ", T(r, "innovation.sort"));
		for (int i = 0; i < 2; i++) {
			const char *key = i ? "recent" : "relevance";

			if (!strcmp(sort, key))
				H(r, "%s<strong aria-current=\"true\">%s</strong>", i ? " · " : "",
				  T(r, i ? "innovation.sort.recent" : "innovation.sort.relevance"));
			else
				H(r, "%s<a href=\"%s\">%s</a>", i ? " · " : "", catalogue_url(r, "sort", key),
				  T(r, i ? "innovation.sort.recent" : "innovation.sort.relevance"));
		}
		H(r, "</p>");
	}
	for (int i = 1; filter_keys[i]; i++) {
		const char *v = strcmp(filter_keys[i], "sort") ? req_query(r, filter_keys[i]) : NULL;

		if (v && *v)
			H(r, " <a class=\"pill\" href=\"%s\">%s ✕<span class=\"visually-hidden\"> %s</span></a>",
			  catalogue_url(r, filter_keys[i], NULL), v, T(r, "search.remove_filter"));
	}
	H(r, "</section><div class=\"catalogue\"><aside class=\"card facets\" aria-label=\"%s\">", T(r, "search.filters"));
	facet_block(r, "academy", "innovation.academy", fc.academy, fc.nacademy, NULL);
	facet_block(r, "theme", "innovation.themes", fc.theme, fc.ntheme, NULL);
	facet_block(r, "level", "innovation.levels", fc.level, fc.nlevel, NULL);
	facet_block(r, "type", "innovation.type", fc.type, fc.ntype, "innovation.type");
	facet_block(r, "year", "innovation.started_year", fc.year, fc.nyear, NULL);
	facet_block(r, "support", "innovation.support", fc.support, fc.nsupport, "innovation.support");
	H(r, "</aside><section aria-labelledby=\"inno-results\"><h2 id=\"inno-results\">%s</h2>",
	  web_count(r, total, "innovation.record_one", "innovation.records"));
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "innovation.none"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++)
		summary_item(r, &xs[i]);
	H(r, "</ul>");
	if (next) {
		const char *base = catalogue_url(r, "cursor", NULL);

		H(r, "<p><a class=\"button secondary\" href=\"%s%scursor=%lld\">%s</a></p>", base,
		  strchr(base, '?') ? "&" : "?", (long long)next, T(r, "search.next"));
	}
	H(r, "</section></div>");
	page_end(r);
}

/* ---- the forms --------------------------------------------------------------- */

/* "a, b, c" as a list (empty items dropped). */
static void split_list(struct request *r, const char *text, struct str_list *l)
{
	char *copy;

	l->n = -1;
	if (!text)
		return;
	l->v = arena_alloc(r->arena, (LIST_MAX + 1) * sizeof *l->v);
	copy = arena_strdup(r->arena, text);
	if (!l->v || !copy)
		return;
	l->n = 0;
	for (char *s = copy; s && l->n < LIST_MAX;) {
		char *comma = strchr(s, ',');
		char *item;

		if (comma)
			*comma = '\0';
		item = text_trim(s);
		if (*item)
			l->v[l->n++] = item;
		s = comma ? comma + 1 : NULL;
	}
}

static const char *join_list(struct request *r, const struct str_list *l)
{
	struct buf b = BUF_INIT;
	const char *out;

	for (int i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->v[i]);
	out = arena_strdup(r->arena, l->n > 0 && !b.failed ? buf_str(&b) : "");
	buf_free(&b);
	return out ? out : "";
}

static int in_list(const struct str_list *l, const char *v)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], v))
			return 1;
	return 0;
}

static int64_t form_int(struct request *r, const char *name)
{
	const char *v = req_form(r, name);
	int64_t n;

	if (!v)
		return -1;
	n = parse_id(v);
	return n < 0 ? (*v == '0' && !v[1] ? 0 : 100000) : n;   /* malformed: out of range, refused by the domain */
}

/* What the form's people picker sent: its entries as typed (shown back on
 * an error) and the first error, a sentence naming the entry. */
struct picker_form {
	struct str_list entries;
	const char *error;
};

/* The co-authors' entries (coauthor, repeated; blank ones dropped), each
 * resolved to a member the author may see (domain/picker.h); with
 * coauthors_shown, the list replaces the record's (an empty one clears it). */
static void read_coauthors(struct request *r, struct innovation_input *in, struct picker_form *pf)
{
	const char *vals[LIST_MAX];
	int n = req_form_all(r, "coauthor", vals, LIST_MAX);
	int64_t *ids;

	pf->entries.n = 0;
	pf->entries.v = arena_alloc(r->arena, (LIST_MAX + 1) * sizeof *pf->entries.v);
	ids = arena_alloc(r->arena, (LIST_MAX + 1) * sizeof *ids);
	if (!req_form(r, "coauthors_shown") && n <= 0)
		return;
	if (!pf->entries.v || !ids) {
		pf->error = T(r, "error.500.text");
		return;
	}
	in->coauthors = ids;
	in->ncoauthors = 0;
	for (int i = 0; i < n; i++) {
		struct picked p;
		const char *why = NULL;
		enum derr e;

		if (!vals[i] || text_blank(vals[i]))
			continue;
		pf->entries.v[pf->entries.n++] = text_ok(vals[i], 0) ? vals[i] : "";
		if (pf->error)
			continue;
		if (in->ncoauthors >= INNOVATION_COAUTHORS_MAX) {
			pf->error = T(r, "innovation.picker.too_many");
			continue;
		}
		e = picker_resolve(&r->dc, &r->me, vals[i], &p, &why);
		if (e == D_OK) {
			ids[in->ncoauthors++] = p.id;
			continue;
		}
		if (e != D_INVALID)
			pf->error = T(r, "error.500.text");
		else
			pf->error = arena_printf(r->arena, "%s « %s » : %s", T(r, "innovation.picker.entry"),
						 text_ok(vals[i], 0) ? vals[i] : "?",
						 T(r, !strcmp(why, "ambiguous") ? "innovation.picker.ambiguous"
										: "innovation.picker.unknown"));
	}
}

/* The linked groups: checkboxes (group_ids) with groups_shown. */
static void read_groups(struct request *r, struct innovation_input *in)
{
	const char *vals[LIST_MAX];
	int n = req_form_all(r, "group_ids", vals, LIST_MAX);
	int64_t *ids;

	if (!req_form(r, "groups_shown"))
		return;
	if (!(ids = arena_alloc(r->arena, (LIST_MAX + 1) * sizeof *ids)))
		return;
	in->group_ids = ids;
	in->ngroups = 0;
	for (int i = 0; i < n; i++)
		ids[in->ngroups++] = parse_id(vals[i]) > 0 ? parse_id(vals[i]) : -1;
}

static void read_form(struct request *r, struct innovation_input *in, struct picker_form *pf)
{
	const char *themes[LIST_MAX];
	int n;

	innovation_input_init(in);
	in->title = req_form(r, "title");
	in->summary = req_form(r, "summary");
	in->academy = req_form(r, "academy");
	in->uai = req_form(r, "uai");
	in->type = req_form(r, "type");
	in->visibility = req_form(r, "visibility");
	in->aims = req_form(r, "aims");
	in->actions = req_form(r, "actions");
	in->evaluation = req_form(r, "evaluation");
	in->effects = req_form(r, "effects");
	in->partners = req_form(r, "partners");
	in->started_year = form_int(r, "started_year");
	in->duration_years = form_int(r, "duration_years");
	split_list(r, req_form(r, "levels"), &in->levels);
	split_list(r, req_form(r, "subjects"), &in->subjects);
	split_list(r, req_form(r, "keywords"), &in->keywords);
	n = req_form_all(r, "themes", themes, LIST_MAX);
	if (n > 0 || req_form(r, "themes_shown")) {
		in->themes.v = arena_alloc(r->arena, (LIST_MAX + 1) * sizeof *in->themes.v);
		in->themes.n = 0;
		for (int i = 0; in->themes.v && i < n; i++)
			in->themes.v[in->themes.n++] = themes[i];
	}
	memset(pf, 0, sizeof *pf);
	read_coauthors(r, in, pf);
	read_groups(r, in);
}

static void text_field(struct request *r, const char *name, const char *key, const char *value, int rows)
{
	H(r, "<label for=\"f-%s\">%s", name, T(r, key));
	if (rows)
		H(r, "<span class=\"hint\">%s</span></label><textarea id=\"f-%s\" name=\"%s\" rows=\"%d\">%s</textarea>",
		  T(r, "post.body.hint"), name, name, rows, value ? value : "");
	else
		H(r, "</label><input id=\"f-%s\" name=\"%s\" type=\"text\" value=\"%s\">", name, name, value ? value : "");
}

#define PICKER_FREE_ROWS 2   /* empty co-author fields under the chosen ones */

/* The co-authors' people picker: a field per co-author, shown as "Name
 * (@handle)", and empty ones; site.js proposes members while one types
 * (GET /users/suggest, data-people) and adds fields (up to 20);
 * without JavaScript a name or an @handle typed is resolved on saving. */
static void coauthors_picker(struct request *r, const struct innovation *x, const struct str_list *entries)
{
	int n = entries ? entries->n : x->ncoauthors, rows = n + PICKER_FREE_ROWS;

	if (rows < 3)
		rows = 3;
	if (rows > INNOVATION_COAUTHORS_MAX)
		rows = n > INNOVATION_COAUTHORS_MAX ? n : INNOVATION_COAUTHORS_MAX;
	H(r, "<fieldset class=\"picker\" aria-describedby=\"h-coauthors\"><legend>%s</legend>"
	  "<p class=\"hint\" id=\"h-coauthors\">%s</p><input type=\"hidden\" name=\"coauthors_shown\" value=\"1\">"
	  "<datalist id=\"people-suggestions\"></datalist><ol class=\"picker-rows\">",
	  T(r, "innovation.coauthors"), T(r, "innovation.coauthors.hint"));
	for (int i = 0; i < rows; i++) {
		const char *v = "";

		if (entries && i < n)
			v = entries->v[i];
		else if (!entries && i < n) {
			v = picker_label(&r->dc, &r->me, x->coauthors[i].id);
			if (!v)
				v = x->coauthors[i].name;
		}
		H(r, "<li><label for=\"f-co-%d\">%s %d</label><input id=\"f-co-%d\" name=\"coauthor\" type=\"text\""
		  " value=\"%s\" list=\"people-suggestions\" autocomplete=\"off\" data-people=\"1\" maxlength=\"%d\""
		  " aria-describedby=\"h-coauthors\"></li>", i, T(r, "innovation.coauthor"), i + 1, i, v ? v : "",
		  PICKER_LABEL_MAX);
	}
	H(r, "</ol><button type=\"button\" class=\"secondary\" data-picker-add=\"%d\" hidden>%s</button></fieldset>",
	  INNOVATION_COAUTHORS_MAX, T(r, "innovation.coauthor.add"));
}

/* The linked groups: the author's groups and those already linked, as
 * checkboxes (nothing to type). */
static void groups_picker(struct request *r, const struct innovation *x, const int64_t *chosen, int nchosen)
{
	struct group_filter f = { 0 };
	struct group *gs = NULL;
	int64_t next = 0;
	int n, shown = 0;

	f.mine = 1;
	f.limit = 100;
	n = groups_list(&r->dc, &r->me, &f, &gs, &next);
	H(r, "<fieldset><legend>%s</legend><p class=\"hint\">%s</p><input type=\"hidden\" name=\"groups_shown\""
	  " value=\"1\">", T(r, "innovation.groups"), T(r, "innovation.groups.hint"));
	for (int i = 0; i < x->ngroups; i++, shown++) {
		int on = 1;

		if (nchosen >= 0) {
			on = 0;
			for (int k = 0; k < nchosen; k++)
				on |= chosen[k] == x->groups[i].id;
		}
		H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"group_ids\" value=\"%lld\"%s> %s</label>",
		  (long long)x->groups[i].id, on ? " checked" : "", x->groups[i].name);
	}
	for (int i = 0; i < n; i++) {
		int linked = 0, on = 0;

		for (int k = 0; k < x->ngroups; k++)
			linked |= x->groups[k].id == gs[i].id;
		if (linked)
			continue;
		for (int k = 0; k < nchosen; k++)
			on |= chosen[k] == gs[i].id;
		H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"group_ids\" value=\"%lld\"%s> %s</label>",
		  (long long)gs[i].id, on ? " checked" : "", gs[i].name);
		shown++;
	}
	if (!shown)
		H(r, "<p class=\"muted\">%s</p>", T(r, "innovation.groups.none"));
	H(r, "</fieldset>");
}

/* The record's form; x gives the values (a new record: an empty one);
 * entries, the co-authors as typed (NULL: x's); chosen, the groups
 * ticked (nchosen -1: x's). */
static void innovation_form(struct request *r, const char *action, const struct innovation *x, const char *error,
			    int editing, const struct str_list *entries, const int64_t *chosen, int nchosen)
{
	const char *const *themes = innovation_themes(&r->dc);

	page_begin(r, T(r, editing ? "innovation.edit" : "innovation.new"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", T(r, editing ? "innovation.edit" : "innovation.new"));
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"%s\">", action);
	form_csrf(r);
	H(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" type=\"text\" required"
	  " maxlength=\"%d\" value=\"%s\">", T(r, "innovation.title"), INNOVATION_TITLE_MAX, x->title ? x->title : "");
	text_field(r, "summary", "innovation.summary", x->summary, 5);
	H(r, "<label for=\"f-academy\">%s</label><select id=\"f-academy\" name=\"academy\" required>",
	  T(r, "innovation.academy"));
	for (const char *const *a = innovation_academy_list(&r->dc); *a; a++)
		H(r, "<option%s>%s</option>", x->academy && !strcmp(x->academy, *a) ? " selected" : "", *a);
	H(r, "</select><label for=\"f-uai\">%s<span class=\"hint\">%s</span></label>"
	  "<input id=\"f-uai\" name=\"uai\" type=\"text\" maxlength=\"8\" pattern=\"[0-9]{7}[A-Za-z]\" value=\"%s\">",
	  T(r, "innovation.uai"), T(r, "innovation.uai.hint"), x->uai ? x->uai : "");
	H(r, "<fieldset><legend>%s</legend><p class=\"hint\">%s</p>", T(r, "innovation.type"),
	  T(r, "innovation.type.help"));
	for (int i = 0; innovation_types[i]; i++)
		H(r, "<label class=\"check\"><input type=\"radio\" name=\"type\" value=\"%s\"%s required> %s</label>", innovation_types[i],
		  x->type && !strcmp(x->type, innovation_types[i]) ? " checked" : "",
		  label(r, "innovation.type", innovation_types[i]));
	H(r, "</fieldset>");
	H(r, "<label for=\"f-year\">%s</label><input id=\"f-year\" name=\"started_year\" type=\"number\" min=\"%d\""
	  " required value=\"%s\">", T(r, "innovation.started_year"), INNOVATION_YEAR_MIN,
	  x->started_year > 0 ? arena_printf(r->arena, "%lld", (long long)x->started_year) : "");
	H(r, "<label for=\"f-duration\">%s</label><input id=\"f-duration\" name=\"duration_years\" type=\"number\""
	  " min=\"1\" max=\"%d\" required value=\"%s\">", T(r, "innovation.duration_years"), INNOVATION_DURATION_MAX,
	  x->duration_years > 0 ? arena_printf(r->arena, "%lld", (long long)x->duration_years) : "");
	H(r, "<label for=\"f-levels\">%s<span class=\"hint\">%s</span></label><input id=\"f-levels\" name=\"levels\""
	  " type=\"text\" value=\"%s\">", T(r, "innovation.levels"), T(r, "innovation.list.hint"),
	  join_list(r, &x->levels));
	H(r, "<label for=\"f-subjects\">%s<span class=\"hint\">%s</span></label><input id=\"f-subjects\""
	  " name=\"subjects\" type=\"text\" value=\"%s\">", T(r, "innovation.subjects"), T(r, "innovation.list.hint"),
	  join_list(r, &x->subjects));
	H(r, "<fieldset><legend>%s</legend><input type=\"hidden\" name=\"themes_shown\" value=\"1\">",
	  T(r, "innovation.themes"));
	for (int i = 0; themes[i]; i++)
		H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"themes\" value=\"%s\"%s> %s</label>", themes[i],
		  in_list(&x->themes, themes[i]) ? " checked" : "", themes[i]);
	H(r, "</fieldset>");
	H(r, "<label for=\"f-keywords\">%s<span class=\"hint\">%s</span></label><input id=\"f-keywords\""
	  " name=\"keywords\" type=\"text\" value=\"%s\">", T(r, "innovation.keywords"), T(r, "innovation.list.hint"),
	  join_list(r, &x->keywords));
	text_field(r, "aims", "innovation.aims", x->aims, 4);
	text_field(r, "actions", "innovation.actions", x->actions, 4);
	text_field(r, "evaluation", "innovation.evaluation", x->evaluation, 4);
	text_field(r, "effects", "innovation.effects", x->effects, 4);
	text_field(r, "partners", "innovation.partners", x->partners, 3);
	coauthors_picker(r, x, entries);
	groups_picker(r, x, chosen, nchosen);
	H(r, "<fieldset><legend>%s</legend>", T(r, "innovation.visibility"));
	for (int i = 0; innovation_visibilities[i]; i++)
		H(r, "<label class=\"check\"><input type=\"radio\" name=\"visibility\" value=\"%s\"%s> %s</label>",
		  innovation_visibilities[i], (x->visibility ? !strcmp(x->visibility, innovation_visibilities[i]) : i == 1)
		  ? " checked" : "", label(r, "innovation.vis", innovation_visibilities[i]));
	H(r, "</fieldset><div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, editing ? "innovation.save" : "innovation.publish"));
	page_end(r);
}

static const char *form_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_INVALID && field)
		return arena_printf(r->arena, "%s : %s", T(r, "innovation.error.field"),
				    T(r, arena_printf(r->arena, "innovation.%s", field)));
	return derr_error(e)->key ? T(r, derr_error(e)->key) : T(r, "error.forbidden.text");
}

/* Shows the form again with what was sent; base, the record being edited
 * (NULL: a new one); pf->error, when set, is the message (a co-author not
 * found: nothing was written). */
static void form_again(struct request *r, const char *action, const struct innovation_input *in,
		       const struct picker_form *pf, const struct innovation *base, enum derr e, const char *field,
		       int editing)
{
	struct innovation x;

	memset(&x, 0, sizeof x);
	if (base) {
		x.coauthors = base->coauthors;
		x.ncoauthors = base->ncoauthors;
		x.groups = base->groups;
		x.ngroups = base->ngroups;
	}
	x.title = in->title;
	x.summary = in->summary;
	x.academy = in->academy;
	x.uai = in->uai;
	x.type = in->type;
	x.visibility = in->visibility;
	x.aims = in->aims;
	x.actions = in->actions;
	x.evaluation = in->evaluation;
	x.effects = in->effects;
	x.partners = in->partners;
	x.started_year = in->started_year;
	x.duration_years = in->duration_years;
	x.levels = in->levels;
	x.subjects = in->subjects;
	x.themes = in->themes;
	x.keywords = in->keywords;
	if (x.levels.n < 0)
		x.levels.n = 0;
	if (x.subjects.n < 0)
		x.subjects.n = 0;
	if (x.themes.n < 0)
		x.themes.n = 0;
	if (x.keywords.n < 0)
		x.keywords.n = 0;
	r->status = pf->error ? 422 : derr_error(e)->status;
	innovation_form(r, action, &x, pf->error ? pf->error : form_error(r, e, field), editing,
			in->ncoauthors >= 0 || pf->entries.n > 0 ? &pf->entries : NULL, in->group_ids, in->ngroups);
}

void web_innovation_new(struct request *r)
{
	struct picker_form pf;
	struct innovation_input in;
	struct innovation empty;
	const char *field = NULL;
	int64_t id = 0;
	enum derr e;

	if (r->method != HTTP_POST) {
		memset(&empty, 0, sizeof empty);
		innovation_form(r, "/innovations/new", &empty, NULL, 0, NULL, NULL, 0);
		return;
	}
	read_form(r, &in, &pf);
	if (!in.title)
		in.title = "";
	if (!in.academy)
		in.academy = "";
	if (!in.type)
		in.type = "";
	if (in.started_year < 0)
		in.started_year = 0;
	if (in.duration_years < 0)
		in.duration_years = 0;
	if (pf.error) {
		form_again(r, "/innovations/new", &in, &pf, NULL, D_INVALID, "coauthors", 0);
		return;
	}
	e = innovation_create(&r->dc, &r->me, &in, &id, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/innovations/%lld", (long long)id));
		return;
	}
	form_again(r, "/innovations/new", &in, &pf, NULL, e, field, 0);
}

void web_innovation_edit(struct request *r)
{
	struct picker_form pf;
	struct innovation x;
	struct innovation_input in;
	const char *field = NULL, *action;
	int64_t id = req_param_id(r, 0);
	enum derr e = innovation_get(&r->dc, &r->me, id, &x);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!x.may_edit) {
		web_error_page(r, 403);
		return;
	}
	action = arena_printf(r->arena, "/innovations/%lld/edit", (long long)id);
	if (r->method != HTTP_POST) {
		innovation_form(r, action, &x, NULL, 1, NULL, NULL, -1);
		return;
	}
	read_form(r, &in, &pf);
	if (in.uai && !*in.uai)
		in.uai_null = 1;
	if (pf.error) {
		form_again(r, action, &in, &pf, &x, D_INVALID, "coauthors", 1);
		return;
	}
	e = innovation_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/innovations/%lld", (long long)id));
		return;
	}
	form_again(r, action, &in, &pf, &x, e, field, 1);
}

/* ---- the record -------------------------------------------------------------- */

static void section(struct request *r, const char *key, const char *md)
{
	if (!md || !*md)
		return;
	H(r, "<h2>%s</h2>", T(r, key));
	markdown_block(r, md);
}

/* "/innovations?key=value", the value percent-encoded. */
static const char *filter_link(struct request *r, const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_printf(&b, "/innovations?%s=", key);
	url_escape(&b, value);
	out = b.failed ? "/innovations" : arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return out ? out : "/innovations";
}

static void tags_line(struct request *r, const char *key, const char *filter, const struct str_list *l)
{
	if (l->n <= 0)
		return;
	H(r, "<dt>%s</dt><dd>", T(r, key));
	for (int i = 0; i < l->n; i++) {
		if (filter[0])
			H(r, "%s<a href=\"%s\">%s</a>", i ? ", " : "", filter_link(r, filter, l->v[i]), l->v[i]);
		else
			H(r, "%s%s", i ? ", " : "", l->v[i]);
	}
	H(r, "</dd>");
}

void web_innovation(struct request *r)
{
	struct innovation x;
	int64_t id = req_param_id(r, 0);
	enum derr e = innovation_get(&r->dc, &r->me, id, &x);
	char *base;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	base = arena_printf(r->arena, "/innovations/%lld", (long long)id);
	page_begin_og(r, x.title, !strcmp(x.visibility, "public") && !x.hidden ? web_excerpt(r, x.summary, 200) : NULL,
		      "article");
	H(r, "<article class=\"card%s\"><p class=\"meta\"><span class=\"pill\">%s</span> · %s · <span class=\"pill\">"
	  "%s</span></p><h1>%s</h1>", x.hidden ? " hidden-item" : "", label(r, "innovation.type", x.type), x.academy,
	  label(r, "innovation.vis", x.visibility), x.title);
	if (x.hidden)
		H(r, "<p class=\"notice notice-error\">%s</p>", T(r, "moderation.hidden_notice"));
	H(r, "<p class=\"meta\">%s ", T(r, "innovation.coordinator"));
	if (x.coordinator_id)
		H(r, "<a href=\"/users/%lld\">%s</a>", (long long)x.coordinator_id, x.coordinator_name);
	for (int i = 0; i < x.ncoauthors; i++)
		H(r, "%s<a href=\"/users/%lld\">%s</a>", i ? ", " : " · " , (long long)x.coauthors[i].id,
		  x.coauthors[i].name);
	H(r, " · %s %lld", T(r, "post.revision"), (long long)x.revision);
	H(r, " · <a href=\"%s/revisions\">%s</a></p>", base, T(r, "post.history"));
	{
		/* published from a call for proposals (domain/calls.c) */
		int64_t call_id = 0;
		const char *call_title = NULL;

		if (call_of_innovation(&r->dc, id, &call_id, &call_title) == 1 &&
		    access_check(&r->dc, &r->me, AK_CALL, call_id, AA_SEE) == D_OK)
			H(r, "<p class=\"meta\">%s <a href=\"/calls/%lld\">%s</a></p>", T(r, "call.from_call"),
			  (long long)call_id, call_title);
	}
	markdown_block(r, x.summary);
	H(r, "<dl class=\"facts\"><dt>%s</dt><dd><a href=\"/academies/%s\">%s</a> · <a href=\"%s\">%s</a></dd>",
	  T(r, "innovation.academy"), academy_slug_of(&r->dc, x.academy) ? academy_slug_of(&r->dc, x.academy) : "",
	  x.academy, filter_link(r, "academy", x.academy), T(r, "innovation.academy.records"));
	if (x.uai) {
		struct school s;

		/* The school of the directory when it is there, else the UAI alone. */
		if (school_get(&r->dc, x.uai, &s) == D_OK)
			H(r, "<dt>%s</dt><dd><a href=\"/schools/%s\">%s</a> (%s, %s)</dd>", T(r, "innovation.uai"), s.uai,
			  s.name, s.town, s.uai);
		else
			H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "innovation.uai"), x.uai);
	}
	H(r, "<dt>%s</dt><dd>%lld · %lld %s</dd>", T(r, "innovation.started_year"), (long long)x.started_year,
	  (long long)x.duration_years, T(r, "innovation.years"));
	tags_line(r, "innovation.levels", "level", &x.levels);
	tags_line(r, "innovation.subjects", "subject", &x.subjects);
	tags_line(r, "innovation.themes", "theme", &x.themes);
	tags_line(r, "innovation.keywords", "", &x.keywords);
	H(r, "<dt>%s</dt><dd>%s", T(r, "innovation.support"), label(r, "innovation.support", x.support));
	if (*x.support_comment)
		H(r, " — %s", x.support_comment);
	H(r, "</dd>");
	if (x.ngroups > 0) {
		H(r, "<dt>%s</dt><dd>", T(r, "innovation.groups"));
		for (int i = 0; i < x.ngroups; i++)
			H(r, "%s<a href=\"/groups/%lld\">%s</a>", i ? ", " : "", (long long)x.groups[i].id, x.groups[i].name);
		H(r, "</dd>");
	}
	if (x.ndocuments > 0) {
		H(r, "<dt>%s</dt><dd>", T(r, "innovation.documents"));
		for (int i = 0; i < x.ndocuments; i++)
			H(r, "%s<a href=\"/documents/%lld\">%s</a>", i ? ", " : "", (long long)x.documents[i].id,
			  x.documents[i].name);
		H(r, "</dd>");
	}
	H(r, "</dl>");
	section(r, "innovation.aims", x.aims);
	section(r, "innovation.actions", x.actions);
	section(r, "innovation.evaluation", x.evaluation);
	section(r, "innovation.effects", x.effects);
	section(r, "innovation.partners", x.partners);
	H(r, "<div class=\"actions\">");
	if (r->me.id) {
		button_form(r, arena_printf(r->arena, "%s/useful", base),
			    arena_printf(r->arena, "%s (%lld)", T(r, x.useful_by_me ? "post.useful.undo" : "post.useful"),
					 (long long)x.useful_count), x.useful_by_me ? "" : "secondary");
		button_form(r, arena_printf(r->arena, "%s/follow", base),
			    T(r, x.followed_by_me ? "innovation.unfollow" : "innovation.follow"), "secondary");
	} else {
		H(r, "<span class=\"meta\">%lld %s</span>", (long long)x.useful_count, T(r, "post.useful_count"));
	}
	if (x.may_edit) {
		H(r, "<a class=\"button secondary\" href=\"%s/edit\">%s</a>", base, T(r, "innovation.edit"));
		button_form(r, arena_printf(r->arena, "%s/delete", base), T(r, "post.delete"), "danger");
	}
	H(r, "</div>");
	if (r->me.id && x.coordinator_id && x.coordinator_id != r->me.id) {
		H(r, "<details><summary>%s</summary><form method=\"post\" action=\"%s/message\">", T(r, "innovation.contact"),
		  base);
		form_csrf(r);
		H(r, "<label for=\"f-contact\">%s</label><textarea id=\"f-contact\" name=\"body\" rows=\"4\" required>"
		  "</textarea><button type=\"submit\">%s</button></form></details>", T(r, "innovation.contact.body"),
		  T(r, "innovation.contact.send"));
	}
	if (x.may_support) {
		H(r, "<section class=\"card\" aria-labelledby=\"support-title\"><h2 id=\"support-title\">%s</h2>"
		  "<form method=\"post\" action=\"%s/support\">", T(r, "innovation.support.form"), base);
		form_csrf(r);
		H(r, "<label for=\"f-support\">%s</label><select id=\"f-support\" name=\"support\">",
		  T(r, "innovation.support"));
		for (int i = 0; innovation_supports[i]; i++)
			H(r, "<option value=\"%s\"%s>%s</option>", innovation_supports[i],
			  !strcmp(x.support, innovation_supports[i]) ? " selected" : "",
			  label(r, "innovation.support", innovation_supports[i]));
		H(r, "</select><label for=\"f-support-comment\">%s</label><textarea id=\"f-support-comment\""
		  " name=\"support_comment\" rows=\"3\">%s</textarea><button type=\"submit\">%s</button></form>",
		  T(r, "innovation.support_comment"), x.support_comment, T(r, "innovation.save"));
		if (x.coordinator_id && x.coordinator_id != r->me.id) {
			H(r, "<form method=\"post\" action=\"%s/message\"><input type=\"hidden\" name=\"changes\" value=\"1\">",
			  base);
			form_csrf(r);
			H(r, "<label for=\"f-changes\">%s</label><textarea id=\"f-changes\" name=\"body\" rows=\"3\" required>"
			  "</textarea><button type=\"submit\" class=\"secondary\">%s</button></form>",
			  T(r, "innovation.changes.body"), T(r, "innovation.changes.send"));
		}
		H(r, "</section>");
	}
	H(r, "</article>");
	page_end(r);
}

static void after(struct request *r, enum derr e, const char *location)
{
	if (e == D_OK)
		resp_redirect(r, location);
	else
		web_derr_page(r, e);
}

/* GET /innovations/queue: the adviser's queue of their academy's records,
 * not yet supported first, each with the support form (404 to anyone but
 * advisers and admins; an admin chooses the academy). */
void web_innovations_queue(struct request *r)
{
	struct innovation_queue_pos pos = { 0 }, next;
	struct innovation *xs;
	const char *cursor = req_query(r, "cursor"), *filter = req_query(r, "academy"), *academy = NULL;
	enum derr e;
	int n;

	if (cursor && *cursor && innovation_queue_cursor(cursor, &pos) < 0) {
		web_error_page(r, 400);
		return;
	}
	e = innovations_queue(&r->dc, &r->me, filter, &pos, 20, &xs, &n, &next, &academy);
	if (e == D_INVALID) {
		web_error_page(r, 422);
		return;
	}
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, T(r, "innovation.queue.title"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "innovation.queue.title"),
	  academy ? arena_printf(r->arena, "%s %s", T(r, "innovation.queue"), academy) : T(r, "innovation.queue.every"));
	if (r->me.admin) {
		H(r, "<form method=\"get\" action=\"/innovations/queue\"><label for=\"q-academy\">%s</label>"
		  "<select id=\"q-academy\" name=\"academy\"><option value=\"\">%s</option>", T(r, "innovation.academy"),
		  T(r, "innovation.queue.every"));
		for (const char *const *a = innovation_academy_list(&r->dc); *a; a++)
			H(r, "<option%s>%s</option>", academy && !strcmp(academy, *a) ? " selected" : "", *a);
		H(r, "</select><button type=\"submit\">%s</button></form>", T(r, "search.submit"));
	}
	H(r, "</section>");
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "innovation.queue.empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++) {
		const struct innovation *x = &xs[i];
		const char *base = arena_printf(r->arena, "/innovations/%lld", (long long)x->id);

		H(r, "<li class=\"card\"><h2><a href=\"%s\">%s</a></h2><p class=\"meta\"><span class=\"pill\">%s</span>"
		  " · %s · %s %s", base, x->title, label(r, "innovation.support", x->support), x->academy,
		  T(r, "innovation.queue.updated"), web_datetime(r, x->updated_at));
		if (x->hidden)
			H(r, " · %s", T(r, "innovation.hidden"));
		H(r, "</p><p>%s</p><form method=\"post\" action=\"%s/support\"><input type=\"hidden\" name=\"back\""
		  " value=\"queue\">", web_excerpt(r, x->summary, 240), base);
		form_csrf(r);
		H(r, "<label for=\"s-%lld\">%s</label><select id=\"s-%lld\" name=\"support\">", (long long)x->id,
		  T(r, "innovation.support"), (long long)x->id);
		for (int k = 0; innovation_supports[k]; k++)
			H(r, "<option value=\"%s\"%s>%s</option>", innovation_supports[k],
			  !strcmp(x->support, innovation_supports[k]) ? " selected" : "",
			  label(r, "innovation.support", innovation_supports[k]));
		H(r, "</select><label for=\"c-%lld\">%s</label><textarea id=\"c-%lld\" name=\"support_comment\""
		  " rows=\"2\">%s</textarea><button type=\"submit\">%s</button></form></li>", (long long)x->id,
		  T(r, "innovation.support_comment"), (long long)x->id, x->support_comment, T(r, "innovation.save"));
	}
	H(r, "</ul>");
	if (next.id) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "/innovations/queue?cursor=%d-%lld-%lld", next.supported, (long long)next.updated_at,
			   (long long)next.id);
		if (r->me.admin && academy) {
			buf_puts(&b, "&academy=");
			url_escape(&b, academy);
		}
		if (!b.failed)
			H(r, "<p><a class=\"button secondary\" href=\"%s\">%s</a></p>", buf_str(&b), T(r, "groups.more"));
		buf_free(&b);
	}
	page_end(r);
}

void web_innovation_delete(struct request *r)
{
	after(r, innovation_delete(&r->dc, &r->me, req_param_id(r, 0)), "/innovations");
}

void web_innovation_follow(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct innovation x;
	enum derr e = innovation_get(&r->dc, &r->me, id, &x);

	if (e == D_OK)
		e = innovation_follow(&r->dc, &r->me, id, !x.followed_by_me);
	after(r, e, arena_printf(r->arena, "/innovations/%lld", (long long)id));
}

void web_innovation_useful(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	struct innovation x;
	enum derr e = innovation_get(&r->dc, &r->me, id, &x);

	if (e == D_OK)
		e = innovation_mark_useful(&r->dc, &r->me, id, !x.useful_by_me);
	after(r, e, arena_printf(r->arena, "/innovations/%lld", (long long)id));
}

void web_innovation_support(struct request *r)
{
	struct innovation_input in;
	const char *field = NULL, *back;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	innovation_input_init(&in);
	in.support = req_form(r, "support");
	in.support_comment = req_form(r, "support_comment");
	if (!in.support)
		in.support = "";
	e = innovation_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_INVALID) {
		web_error_page(r, 422);
		return;
	}
	back = req_form(r, "back");
	after(r, e, back && !strcmp(back, "queue") ? "/innovations/queue"
		: arena_printf(r->arena, "/innovations/%lld", (long long)id));
}

void web_innovation_message(struct request *r)
{
	const char *body = req_form(r, "body"), *changes = req_form(r, "changes"), *field = NULL;
	int64_t room = 0;
	enum derr e = innovation_message(&r->dc, &r->me, req_param_id(r, 0), body ? body : "",
					 changes && !strcmp(changes, "1"), &room, &field);

	if (e == D_INVALID) {
		web_error_page(r, 422);
		return;
	}
	after(r, e, arena_printf(r->arena, "/rooms/%lld", (long long)room));
}

/* ---- revisions --------------------------------------------------------------- */

void web_innovation_revisions(struct request *r)
{
	struct innovation_revision *revs;
	int64_t id = req_param_id(r, 0);
	int n = innovation_revisions(&r->dc, &r->me, id, &revs);

	if (n == -2) {
		web_error_page(r, 404);
		return;
	}
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "post.history"));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/innovations/%lld\">%s</a></p><h1>%s</h1><ol>",
	  (long long)id, n ? revs[0].title : "", T(r, "post.history"));
	for (int i = 0; i < n; i++) {
		H(r, "<li>%s %lld · %s · ", T(r, "post.revision"), (long long)revs[i].revision,
		  web_datetime(r, revs[i].created_at));
		if (revs[i].author_id)
			H(r, "<a href=\"/users/%lld\">%s</a>", (long long)revs[i].author_id, revs[i].author_name);
		H(r, " · %s", revs[i].title);
		if (i + 1 < n)
			H(r, " · <a href=\"/innovations/%lld/diff?from=%lld&amp;to=%lld\">%s</a>", (long long)id,
			  (long long)revs[i + 1].revision, (long long)revs[i].revision, T(r, "post.compare"));
		H(r, "</li>");
	}
	H(r, "</ol></section>");
	page_end(r);
}

void web_innovation_diff(struct request *r)
{
	struct innovation_revision a, b;
	struct diff_line *lines;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t id = req_param_id(r, 0), f = from ? parse_id(from) : -1, t = to ? parse_id(to) : -1;
	enum derr e = access_check(&r->dc, &r->me, AK_INNOVATION, id, AA_SEE);
	int n;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (f <= 0 || t <= 0) {
		web_error_page(r, 400);
		return;
	}
	e = innovation_revision_get(&r->dc, &r->me, id, f, &a);
	if (e == D_OK)
		e = innovation_revision_get(&r->dc, &r->me, id, t, &b);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	n = diff_lines(r->arena, a.body, b.body, &lines);
	page_begin(r, T(r, "post.compare"));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/innovations/%lld/revisions\">%s</a></p>"
	  "<h1>%s %lld → %lld</h1>", (long long)id, T(r, "post.history"), T(r, "post.compare"), (long long)f,
	  (long long)t);
	web_diff_block(r, lines, n);
	H(r, "</section>");
	page_end(r);
}

/* ---- downloads --------------------------------------------------------------- */

/* One CSV cell, quoted, quotes doubled (raw output: this is not HTML); a
 * cell a spreadsheet would run as a formula gets a leading apostrophe,
 * which the import takes away (util/csv.h). */
static void csv_cell(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	if (csv_guarded(s))
		buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

static void csv_list(struct buf *b, const struct str_list *l)
{
	struct buf cell = BUF_INIT;

	for (int i = 0; i < l->n; i++)
		buf_printf(&cell, "%s%s", i ? "|" : "", l->v[i]);
	csv_cell(b, cell.len && !cell.failed ? buf_str(&cell) : "", 0);
	buf_free(&cell);
}

#define CSV_COLUMNS "id,ref,title,summary,academy,uai,levels,subjects,themes,keywords,type,started_year," \
	"duration_years,aims,actions,evaluation,effects,partners,coauthors,visibility,support,support_comment"

/* GET /innovations.csv?(the catalogue's filters): every record the caller
 * may open that matches, newest first; lists joined by '|'. */
void web_innovations_csv(struct request *r)
{
	struct innovation_filter f;
	struct innovation *xs;
	const char *bad;
	int64_t next = 0;
	struct buf *b = &r->out;

	if (innovation_params(r, &f, &bad) < 0) {
		web_error_page(r, 400);
		return;
	}
	f.limit = 100;
	buf_puts(b, CSV_COLUMNS "\r\n");
	do {
		int n = innovations_list(&r->dc, &r->me, &f, &xs, &next, NULL, NULL);

		if (n < 0) {
			buf_reset(b);
			web_error_page(r, 500);
			return;
		}
		/* the page's lists and co-authors in two statements */
		if (innovations_read_lists(&r->dc, xs, n) < 0) {
			buf_reset(b);
			web_error_page(r, 500);
			return;
		}
		for (int i = 0; i < n; i++) {
			struct innovation *x = &xs[i];
			struct buf co = BUF_INIT;

			for (int k = 0; k < x->ncoauthors; k++)
				buf_printf(&co, "%s%lld", k ? "|" : "", (long long)x->coauthors[k].id);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)x->id), 0);
			csv_cell(b, x->ref, 0);
			csv_cell(b, x->title, 0);
			csv_cell(b, x->summary, 0);
			csv_cell(b, x->academy, 0);
			csv_cell(b, x->uai, 0);
			csv_list(b, &x->levels);
			csv_list(b, &x->subjects);
			csv_list(b, &x->themes);
			csv_list(b, &x->keywords);
			csv_cell(b, x->type, 0);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)x->started_year), 0);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)x->duration_years), 0);
			csv_cell(b, x->aims, 0);
			csv_cell(b, x->actions, 0);
			csv_cell(b, x->evaluation, 0);
			csv_cell(b, x->effects, 0);
			csv_cell(b, x->partners, 0);
			csv_cell(b, co.len && !co.failed ? buf_str(&co) : "", 0);
			csv_cell(b, x->visibility, 0);
			csv_cell(b, x->support, 0);
			csv_cell(b, x->support_comment, 1);
			buf_free(&co);
		}
		f.before = next;
	} while (next);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"innovations.csv\"");
}

static const char *iso_time(struct request *r, int64_t t)
{
	char out[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return "1970-01-01T00:00:00Z";
	strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(r->arena, out);
}

/* GET /innovations/feed.atom: the newest public records (what a visitor sees). */
void web_innovations_atom(struct request *r)
{
	struct innovation_filter f;
	struct innovation *xs;
	int64_t next = 0;
	const char *base = r->app->base_url;
	int n;

	memset(&f, 0, sizeof f);
	f.only_public = 1;
	f.limit = 30;
	n = innovations_list(&r->dc, NULL, &f, &xs, &next, NULL, NULL);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	r->content_type = "application/atom+xml; charset=utf-8";
	H(r, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	  "<title>%s</title><id>%s/innovations/feed.atom</id><link rel=\"self\" href=\"%s/innovations/feed.atom\"/>"
	  "<link rel=\"alternate\" href=\"%s/innovations\"/><updated>%s</updated><generator>Respire</generator>\n",
	  T(r, "innovation.catalogue"), base, base, base, iso_time(r, n ? xs[0].updated_at : r->dc.now));
	for (int i = 0; i < n; i++) {
		const char *html = markdown_render(r->arena, xs[i].summary).html; /* escaped below: text of the XML */

		H(r, "<entry><title>%s</title><id>%s/innovations/%lld</id><link href=\"%s/innovations/%lld\"/>"
		  "<published>%s</published><updated>%s</updated><author><name>%s</name></author>"
		  "<category term=\"%s\"/><content type=\"html\">%s</content></entry>\n", xs[i].title, base,
		  (long long)xs[i].id, base, (long long)xs[i].id, iso_time(r, xs[i].created_at),
		  iso_time(r, xs[i].updated_at), xs[i].coordinator_name, xs[i].academy, html ? html : "");
	}
	H(r, "</feed>\n");
	resp_header(r, "Cache-Control", "public, max-age=300");
}
