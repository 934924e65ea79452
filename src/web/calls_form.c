/* The managers' form of a call for proposals (issue 20): /calls/new and
 * /calls/{id}/edit. Works without JavaScript: the form's fields and the
 * rubric are fixed sets of rows, the empty ones ignored. Dates are typed in
 * Paris time (datetime-local) and stored as Unix seconds. Every rule is the
 * domain's (call_create, call_update); a refusal re-shows what was typed
 * with the message beside the field named. */
#include "web/calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/calls.h"
#include "domain/groups.h"
#include "http/errors.h"
#include "util/text.h"
#include "util/tz_paris.h"
#include "web/web.h"

#define FORM_FIELD_ROWS 8
#define FORM_RUBRIC_ROWS 6

struct row_field {
	const char *key, *label, *type, *options;
	int required;
};

struct row_crit {
	const char *key, *label, *max, *weight;
};

struct call_form {
	const char *title, *description, *opens, *closes, *due, *reviewers;
	int academy, national, public_vote;
	int64_t group_id;
	struct row_field fields[CALL_FIELDS_MAX];
	int nfields;                        /* rows to show */
	struct row_crit crits[CALL_CRITERIA_MAX];
	int ncrits;
};

static const char *s(const char *v) { return v ? v : ""; }

/* "YYYY-MM-DDTHH:MM" in Paris time. */
static const char *local_input(struct request *r, int64_t t)
{
	struct tm tm;

	if (t <= 0)
		return "";
	tz_paris_tm(t, &tm);
	return arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min);
}

/* The instant of a datetime-local value read in Paris time: -1 empty, -2 malformed. */
static int64_t local_parse(const char *v)
{
	struct tm tm;
	int y, mo, d, h, mi, n = 0;

	if (!v || !*v)
		return -1;
	if (sscanf(v, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || (v[n] && v[n] != ':') || y < 2000 ||
	    y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return -2;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return tz_paris_from_local(&tm);
}

/* A small positive number, -1 when empty, 0 when malformed or out of range. */
static int64_t small_number(const char *v)
{
	char *end;
	long long n;

	if (!v || !*v)
		return -1;
	n = strtoll(v, &end, 10);
	if (*end || end == v || n < 1 || n > 1000)
		return 0;
	return n;
}

/* Which part of the form a domain reason names ("" : the whole form). */
static const char *reason_part(const char *reason)
{
	static const struct { const char *reason, *part; } map[] = {
		{ "title", "title" }, { "description", "description" }, { "opens_at", "opens" },
		{ "closes_at", "closes" }, { CALL_E_DATES, "closes" }, { "reviews_due_at", "due" },
		{ CALL_E_NO_FIELD, "fields" }, { CALL_E_FIELD_TYPE, "fields" }, { CALL_E_NO_OPTIONS, "fields" },
		{ "fields", "fields" }, { "rubric", "rubric" }, { CALL_E_RUBRIC, "rubric" }, { "stages", "stages" },
		{ "reviewers_per_proposal", "reviewers" }, { "group_id", "group" },
	};

	for (size_t i = 0; reason && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(reason, map[i].reason))
			return map[i].part;
	return "";
}

static const char *reason_message(struct request *r, enum derr e, const char *reason)
{
	const char *part = reason_part(reason);

	if (reason && (!strcmp(reason, CALL_E_DATES) || !strcmp(reason, CALL_E_NO_FIELD) ||
		       !strcmp(reason, CALL_E_FIELD_TYPE) || !strcmp(reason, CALL_E_NO_OPTIONS) ||
		       !strcmp(reason, CALL_E_RUBRIC)))
		return T(r, arena_printf(r->arena, "call.e.%s", reason));
	if (*part)
		return T(r, arena_printf(r->arena, "callform.e.%s", part));
	if (reason && !strcmp(reason, "manager"))
		return T(r, "call.e.manager");
	return derr_error(e)->key ? T(r, derr_error(e)->key) : T(r, "error.forbidden.text");
}

/* The message beside a part of the form, when the refusal names it. */
static void part_error(struct request *r, const char *part, const char *err_part, const char *msg)
{
	if (err_part && msg && !strcmp(part, err_part))
		H(r, "<p class=\"field-error\" id=\"err-%s\" role=\"alert\">%s</p>", part, msg);
}

static const char *invalid(const char *part, const char *err_part)
{
	return err_part && !strcmp(part, err_part) ? " aria-invalid=\"true\"" : "";
}

static void call_form_page(struct request *r, const char *action, const struct call_form *x, int editing,
			   enum derr e, const char *reason)
{
	const char *msg = reason || e != D_OK ? reason_message(r, e, reason) : NULL;
	const char *ep = msg ? reason_part(reason) : NULL;
	const char *title = T(r, editing ? "callform.edit" : "callform.new");

	page_begin(r, title);
	H(r, "<section class=\"card\"><h1>%s</h1>", title);
	if (msg)
		page_notice(r, "error", msg);
	H(r, "<form method=\"post\" action=\"%s\" class=\"call-form\">", action);
	form_csrf(r);
	H(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" type=\"text\" required"
	  " maxlength=\"%d\" value=\"%s\"%s>", T(r, "callform.title"), CALL_TITLE_MAX, s(x->title),
	  invalid("title", ep));
	part_error(r, "title", ep, msg);
	H(r, "<label for=\"f-description\">%s<span class=\"hint\">%s</span></label><textarea id=\"f-description\""
	  " name=\"description\" rows=\"8\"%s>%s</textarea>", T(r, "callform.description"), T(r, "post.body.hint"),
	  invalid("description", ep), s(x->description));
	part_error(r, "description", ep, msg);
	H(r, "<label for=\"f-opens\">%s<span class=\"hint\">%s</span></label><input id=\"f-opens\" name=\"opens\""
	  " type=\"datetime-local\" required value=\"%s\"%s>", T(r, "callform.opens"), T(r, "callform.paris"),
	  s(x->opens), invalid("opens", ep));
	part_error(r, "opens", ep, msg);
	H(r, "<label for=\"f-closes\">%s<span class=\"hint\">%s</span></label><input id=\"f-closes\" name=\"closes\""
	  " type=\"datetime-local\" required value=\"%s\"%s>", T(r, "callform.closes"), T(r, "callform.paris"),
	  s(x->closes), invalid("closes", ep));
	part_error(r, "closes", ep, msg);
	H(r, "<label for=\"f-due\">%s<span class=\"hint\">%s</span></label><input id=\"f-due\" name=\"reviews_due\""
	  " type=\"datetime-local\" value=\"%s\"%s>", T(r, "callform.due"), T(r, "callform.due.hint"), s(x->due),
	  invalid("due", ep));
	part_error(r, "due", ep, msg);
	H(r, "<fieldset%s><legend>%s</legend>", invalid("stages", ep), T(r, "call.stages"));
	H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"stage_academy\" value=\"1\"%s> %s</label>",
	  x->academy ? " checked" : "", T(r, "call.stage.academy"));
	H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"stage_national\" value=\"1\"%s> %s</label>",
	  x->national ? " checked" : "", T(r, "call.stage.national"));
	part_error(r, "stages", ep, msg);
	H(r, "</fieldset>");
	H(r, "<label for=\"f-reviewers\">%s</label><input id=\"f-reviewers\" name=\"reviewers\" type=\"number\""
	  " min=\"1\" max=\"%d\" value=\"%s\"%s>", T(r, "callform.reviewers"), CALL_REVIEWERS_MAX, s(x->reviewers),
	  invalid("reviewers", ep));
	part_error(r, "reviewers", ep, msg);
	H(r, "<label class=\"check\"><input type=\"checkbox\" name=\"public_vote\" value=\"1\"%s> %s</label>",
	  x->public_vote ? " checked" : "", T(r, "call.public_vote"));
	if (!editing) {
		struct group *gs = NULL;
		struct group_filter gf = { .mine = 1, .limit = 100 };
		int64_t next = 0;
		int ng = groups_list(&r->dc, &r->me, &gf, &gs, &next);

		H(r, "<label for=\"f-group\">%s<span class=\"hint\">%s</span></label><select id=\"f-group\""
		  " name=\"group_id\"%s>", T(r, "callform.group"), T(r, "callform.group.hint"), invalid("group", ep));
		if (r->me.admin)
			H(r, "<option value=\"0\">%s</option>", T(r, "callform.no_group"));
		for (int i = 0; i < ng; i++)
			if (gs[i].my_role == GR_OWNER || gs[i].id == x->group_id)
				H(r, "<option value=\"%lld\"%s>%s</option>", (long long)gs[i].id,
				  gs[i].id == x->group_id ? " selected" : "", gs[i].name);
		H(r, "</select>");
		part_error(r, "group", ep, msg);
	}
	H(r, "<fieldset%s><legend>%s</legend><p class=\"hint\">%s</p>", invalid("fields", ep),
	  T(r, "callform.fields"), T(r, "callform.fields.hint"));
	part_error(r, "fields", ep, msg);
	for (int i = 0; i < x->nfields; i++) {
		const struct row_field *f = &x->fields[i];
		static const char *const types[] = { "text", "longtext", "choice", "file" };

		H(r, "<div class=\"form-row\" role=\"group\" aria-label=\"%s %d\">", T(r, "callform.field"), i + 1);
		H(r, "<label>%s<input name=\"f%d_key\" type=\"text\" maxlength=\"%d\" pattern=\"[a-z0-9_]+\" value=\"%s\">"
		  "</label>", T(r, "callform.key"), i, CALL_KEY_MAX, s(f->key));
		H(r, "<label>%s<input name=\"f%d_label\" type=\"text\" maxlength=\"%d\" value=\"%s\"></label>",
		  T(r, "callform.label"), i, CALL_LABEL_MAX, s(f->label));
		H(r, "<label>%s<select name=\"f%d_type\">", T(r, "callform.type"), i);
		for (int k = 0; k < 4; k++)
			H(r, "<option value=\"%s\"%s>%s</option>", types[k],
			  (f->type ? !strcmp(f->type, types[k]) : k == 0) ? " selected" : "",
			  T(r, arena_printf(r->arena, "callform.type.%s", types[k])));
		H(r, "</select></label>");
		H(r, "<label class=\"check\"><input name=\"f%d_required\" type=\"checkbox\" value=\"1\"%s> %s</label>", i,
		  f->required ? " checked" : "", T(r, "callform.required"));
		H(r, "<label>%s<textarea name=\"f%d_options\" rows=\"2\">%s</textarea></label></div>",
		  T(r, "callform.options"), i, s(f->options));
	}
	H(r, "</fieldset><fieldset%s><legend>%s</legend><p class=\"hint\">%s</p>", invalid("rubric", ep),
	  T(r, "call.rubric"), T(r, "callform.rubric.hint"));
	part_error(r, "rubric", ep, msg);
	for (int i = 0; i < x->ncrits; i++) {
		const struct row_crit *c = &x->crits[i];

		H(r, "<div class=\"form-row\" role=\"group\" aria-label=\"%s %d\">", T(r, "callform.criterion"), i + 1);
		H(r, "<label>%s<input name=\"c%d_key\" type=\"text\" maxlength=\"%d\" pattern=\"[a-z0-9_]+\" value=\"%s\">"
		  "</label>", T(r, "callform.key"), i, CALL_KEY_MAX, s(c->key));
		H(r, "<label>%s<input name=\"c%d_label\" type=\"text\" maxlength=\"%d\" value=\"%s\"></label>",
		  T(r, "callform.label"), i, CALL_LABEL_MAX, s(c->label));
		H(r, "<label>%s<input name=\"c%d_max\" type=\"number\" min=\"1\" max=\"%d\" value=\"%s\"></label>",
		  T(r, "callform.max"), i, CALL_SCORE_MAX, s(c->max));
		H(r, "<label>%s<input name=\"c%d_weight\" type=\"number\" min=\"1\" max=\"%d\" value=\"%s\"></label></div>",
		  T(r, "callform.weight"), i, CALL_WEIGHT_MAX, s(c->weight));
	}
	H(r, "</fieldset><div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
	  T(r, editing ? "callform.save" : "callform.create"));
	page_end(r);
}

static int blank(const char *v) { return !v || text_blank(v); }

static char *trimmed(struct request *r, const char *v)
{
	char *t = v ? arena_strdup(r->arena, v) : NULL;

	return t ? text_trim(t) : NULL;
}

/* Reads the posted form into x (to re-show) and in (for the domain).
 * Returns NULL, or the reason of a refusal met before the domain. */
static const char *read_call_form(struct request *r, struct call_form *x, struct call_input *in)
{
	struct call_field *fields = arena_alloc(r->arena, CALL_FIELDS_MAX * sizeof *fields);
	struct call_criterion *crits = arena_alloc(r->arena, CALL_CRITERIA_MAX * sizeof *crits);
	const char **st = arena_alloc(r->arena, 2 * sizeof *st);
	const char *g = req_form(r, "group_id"), *bad = NULL;
	int nf = 0, nc = 0, ns = 0, last_f = -1, last_c = -1;

	memset(x, 0, sizeof *x);
	call_input_init(in);
	if (!fields || !crits || !st)
		return "";
	x->title = req_form(r, "title");
	x->description = req_form(r, "description");
	x->opens = req_form(r, "opens");
	x->closes = req_form(r, "closes");
	x->due = req_form(r, "reviews_due");
	x->reviewers = req_form(r, "reviewers");
	x->academy = req_form(r, "stage_academy") != NULL;
	x->national = req_form(r, "stage_national") != NULL;
	x->public_vote = req_form(r, "public_vote") != NULL;
	x->group_id = g ? (!strcmp(g, "0") ? 0 : parse_id(g) > 0 ? parse_id(g) : -2) : 0;
	in->title = x->title ? x->title : "";
	in->description = x->description ? x->description : "";
	in->opens_at = local_parse(x->opens);
	in->closes_at = local_parse(x->closes);
	in->reviews_due_at = local_parse(x->due);
	if (in->opens_at < 0)
		bad = "opens_at";
	else if (in->closes_at < 0)
		bad = "closes_at";
	else if (in->reviews_due_at == -2)
		bad = "reviews_due_at";
	in->reviewers_per_proposal = small_number(x->reviewers);
	in->public_vote = x->public_vote;
	if (x->academy)
		st[ns++] = "academy";
	if (x->national)
		st[ns++] = "national";
	in->stages = st;
	in->nstages = ns;
	in->group_id = x->group_id == -2 ? 0 : x->group_id;
	if (x->group_id == -2 && !bad)
		bad = "group_id";
	for (int i = 0; i < CALL_FIELDS_MAX; i++) {
		struct row_field *f = &x->fields[i];

		f->key = req_form(r, arena_printf(r->arena, "f%d_key", i));
		f->label = req_form(r, arena_printf(r->arena, "f%d_label", i));
		f->type = req_form(r, arena_printf(r->arena, "f%d_type", i));
		f->options = req_form(r, arena_printf(r->arena, "f%d_options", i));
		f->required = req_form(r, arena_printf(r->arena, "f%d_required", i)) != NULL;
		if (blank(f->key) && blank(f->label) && blank(f->options))
			continue;
		last_f = i;
		fields[nf].key = trimmed(r, f->key);
		fields[nf].label = trimmed(r, f->label);
		fields[nf].type = f->type ? f->type : "text";
		fields[nf].required = f->required;
		fields[nf].options = NULL;
		fields[nf].noptions = 0;
		if (!strcmp(fields[nf].type, "choice") && !blank(f->options)) {
			const char **opts = arena_alloc(r->arena, (CALL_OPTIONS_MAX + 1) * sizeof *opts);
			char *copy = arena_strdup(r->arena, f->options), *save = NULL;

			if (!opts || !copy)
				return "";
			for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
				line = text_trim(line);
				if (!*line)
					continue;
				if (fields[nf].noptions > CALL_OPTIONS_MAX)
					break;
				opts[fields[nf].noptions++] = line;
			}
			fields[nf].options = opts;
		}
		nf++;
	}
	for (int i = 0; i < CALL_CRITERIA_MAX; i++) {
		struct row_crit *c = &x->crits[i];
		int64_t v;

		c->key = req_form(r, arena_printf(r->arena, "c%d_key", i));
		c->label = req_form(r, arena_printf(r->arena, "c%d_label", i));
		c->max = req_form(r, arena_printf(r->arena, "c%d_max", i));
		c->weight = req_form(r, arena_printf(r->arena, "c%d_weight", i));
		if (blank(c->key) && blank(c->label))
			continue;
		last_c = i;
		crits[nc].key = trimmed(r, c->key);
		crits[nc].label = trimmed(r, c->label);
		v = small_number(c->max);
		crits[nc].max = v < 0 ? 0 : v;
		v = small_number(c->weight);
		crits[nc].weight = v < 0 ? 1 : v;
		nc++;
	}
	x->nfields = last_f + 1 > FORM_FIELD_ROWS ? last_f + 1 : FORM_FIELD_ROWS;
	x->ncrits = last_c + 1 > FORM_RUBRIC_ROWS ? last_c + 1 : FORM_RUBRIC_ROWS;
	in->fields = fields;
	in->nfields = nf;
	in->criteria = crits;
	in->ncriteria = nc;
	return bad;
}

/* GET|POST /calls/new?group_id= */
void web_call_new(struct request *r)
{
	struct call_form x;
	struct call_input in;
	const char *reason = NULL, *g = req_query(r, "group_id");
	int64_t id = 0;
	enum derr e;

	if (r->method != HTTP_POST) {
		int64_t group = g ? parse_id(g) : 0;

		if (!web_may_create_call(r)) {
			web_error_page(r, 403);
			return;
		}
		memset(&x, 0, sizeof x);
		x.group_id = group > 0 ? group : 0;
		x.national = 1;
		x.reviewers = "2";
		x.nfields = FORM_FIELD_ROWS;
		x.ncrits = FORM_RUBRIC_ROWS;
		call_form_page(r, "/calls/new", &x, 0, D_OK, NULL);
		return;
	}
	reason = read_call_form(r, &x, &in);
	if (reason) {
		e = *reason ? D_INVALID : D_INTERNAL;
	} else {
		e = call_create(&r->dc, &r->me, &in, &id, &reason);
		if (e == D_OK) {
			resp_redirect(r, arena_printf(r->arena, "/calls/%lld", (long long)id));
			return;
		}
	}
	if (e == D_INTERNAL || e == D_NOT_FOUND || (e == D_FORBIDDEN && !web_may_create_call(r))) {
		if (e == D_FORBIDDEN)
			web_error_page(r, 403);
		else
			web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	call_form_page(r, "/calls/new", &x, 0, e, reason);
}

/* GET|POST /calls/{id}/edit */
void web_call_edit(struct request *r)
{
	struct call c;
	struct call_form x;
	struct call_input in;
	const char *reason = NULL, *action;
	int64_t id = req_param_id(r, 0);
	enum derr e = call_get(&r->dc, &r->me, id, &c);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!c.may_manage) {
		web_error_page(r, 403);
		return;
	}
	action = arena_printf(r->arena, "/calls/%lld/edit", (long long)id);
	if (r->method != HTTP_POST) {
		memset(&x, 0, sizeof x);
		x.title = c.title;
		x.description = c.description;
		x.opens = local_input(r, c.opens_at);
		x.closes = local_input(r, c.closes_at);
		x.due = local_input(r, c.reviews_due_at);
		x.reviewers = arena_printf(r->arena, "%lld", (long long)c.reviewers_per_proposal);
		for (int i = 0; i < c.nstages; i++) {
			x.academy |= !strcmp(c.stages[i], "academy");
			x.national |= !strcmp(c.stages[i], "national");
		}
		x.public_vote = c.public_vote;
		for (int i = 0; i < c.nfields && i < CALL_FIELDS_MAX; i++) {
			struct buf opts = BUF_INIT;

			x.fields[i].key = c.fields[i].key;
			x.fields[i].label = c.fields[i].label;
			x.fields[i].type = c.fields[i].type;
			x.fields[i].required = c.fields[i].required;
			for (int k = 0; k < c.fields[i].noptions; k++)
				buf_printf(&opts, "%s%s", k ? "\n" : "", c.fields[i].options[k]);
			x.fields[i].options = opts.failed ? "" : arena_strdup(r->arena, opts.len ? buf_str(&opts) : "");
			buf_free(&opts);
		}
		for (int i = 0; i < c.ncriteria && i < CALL_CRITERIA_MAX; i++) {
			x.crits[i].key = c.criteria[i].key;
			x.crits[i].label = c.criteria[i].label;
			x.crits[i].max = arena_printf(r->arena, "%lld", (long long)c.criteria[i].max);
			x.crits[i].weight = arena_printf(r->arena, "%lld", (long long)c.criteria[i].weight);
		}
		x.nfields = c.nfields + 2 > FORM_FIELD_ROWS ? c.nfields + 2 : FORM_FIELD_ROWS;
		if (x.nfields > CALL_FIELDS_MAX)
			x.nfields = CALL_FIELDS_MAX;
		x.ncrits = c.ncriteria + 2 > FORM_RUBRIC_ROWS ? c.ncriteria + 2 : FORM_RUBRIC_ROWS;
		if (x.ncrits > CALL_CRITERIA_MAX)
			x.ncrits = CALL_CRITERIA_MAX;
		call_form_page(r, action, &x, 1, D_OK, NULL);
		return;
	}
	reason = read_call_form(r, &x, &in);
	in.group_id = -1;
	if (reason && !strcmp(reason, "group_id"))
		reason = NULL;
	if (reason) {
		e = *reason ? D_INVALID : D_INTERNAL;
	} else {
		e = call_update(&r->dc, &r->me, id, &in, &reason);
		if (e == D_OK) {
			resp_redirect(r, arena_printf(r->arena, "/calls/%lld", (long long)id));
			return;
		}
	}
	if (e == D_INTERNAL || e == D_NOT_FOUND) {
		web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	call_form_page(r, action, &x, 1, e, reason);
}

/* May the viewer create a call: an admin, or an owner of a group. */
int web_may_create_call(struct request *r)
{
	struct group *gs = NULL;
	struct group_filter gf = { .mine = 1, .limit = 100 };
	int64_t next = 0;
	int n;

	if (!r->me.id)
		return 0;
	if (r->me.admin)
		return 1;
	n = groups_list(&r->dc, &r->me, &gf, &gs, &next);
	for (int i = 0; i < n; i++)
		if (gs[i].my_role == GR_OWNER)
			return 1;
	return 0;
}
