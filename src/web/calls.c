/* Calls for proposals: the open calls, a call's page, the proposal form
 * (autosaved where JavaScript runs, a plain form elsewhere), a proposal's
 * page with its review and decision forms, my proposals, the reviewer's
 * queue, the managers' dashboard and the CSV export. */
#include "web/calls.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/calls.h"
#include "domain/picker.h"
#include "http/errors.h"
#include "http/server.h"
#include "util/text.h"
#include "web/chart.h"
#include "web/social.h"
#include "web/web.h"

/* "24 novembre 2026, 14:05 (heure de Paris, UTC+01:00)" */
static const char *paris_when(struct request *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long off;

	if (!localtime_r(&tt, &tm))
		return web_datetime(r, t);
	off = tm.tm_gmtoff;
	return arena_printf(r->arena, "%s (%s, UTC%c%02ld:%02ld)", web_datetime(r, t), T(r, "call.tz"),
			    off < 0 ? '-' : '+', (off < 0 ? -off : off) / 3600, ((off < 0 ? -off : off) % 3600) / 60);
}

static const char *call_state(struct request *r, const struct call *c)
{
	if (r->dc.now < c->opens_at)
		return T(r, "call.state.soon");
	return T(r, c->open ? "call.state.open" : "call.state.closed");
}

/* The text of a refusal's reason (domain/calls.h: a CALL_E_* code, maybe
 * "code:key", or a field name). */
static const char *reason_text(struct request *r, enum derr e, const char *reason)
{
	static const char *const codes[] = { CALL_E_CLOSED, CALL_E_NOT_OPEN, CALL_E_DATES, CALL_E_NO_FIELD,
		CALL_E_FIELD_TYPE, CALL_E_NO_OPTIONS, CALL_E_RUBRIC, CALL_E_MISSING, CALL_E_ANSWER, CALL_E_TOO_LONG,
		CALL_E_STATUS, CALL_E_SCORE, CALL_E_CONFLICT, CALL_E_NOT_REVIEWER, CALL_E_VOTED, CALL_E_NO_VOTE,
		CALL_E_PUBLISHED, CALL_E_ACADEMY, "manager", "author", NULL };
	static const char *const fields[] = { "title", "coauthors", "stage", "user_id", "academies", "recommendation",
		"comment", "status", "message", NULL };
	char code[64];

	if (reason) {
		const char *colon = strchr(reason, ':');
		int n = colon ? (int)(colon - reason) : (int)strlen(reason);

		snprintf(code, sizeof code, "%.*s", n > 60 ? 60 : n, reason);
		if (text_one_of(code, codes)) {
			const char *t = T(r, arena_printf(r->arena, "call.e.%s", code));

			return colon ? arena_printf(r->arena, "%s (%s)", t, colon + 1) : t;
		}
		if (e == D_INVALID && text_one_of(code, fields))
			return arena_printf(r->arena, "%s : %s", T(r, "innovation.error.field"),
					    T(r, arena_printf(r->arena, "call.field.%s", code)));
	}
	return derr_error(e)->key ? T(r, derr_error(e)->key) : T(r, "error.forbidden.text");
}

static void refusal_page(struct request *r, enum derr e, const char *reason, const char *back)
{
	if (e == D_NOT_FOUND || e == D_INTERNAL) {
		web_derr_page(r, e);
		return;
	}
	r->status = derr_error(e)->status;
	page_begin(r, T(r, "call.refused"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", T(r, "call.refused"));
	page_notice(r, "error", reason_text(r, e, reason));
	if (back)
		H(r, "<p><a href=\"%s\">%s</a></p>", back, T(r, "call.back"));
	H(r, "</section>");
	page_end(r);
}

/* ---- the calls ---------------------------------------------------------------- */

static void call_item(struct request *r, const struct call *c)
{
	H(r, "<li class=\"card\"><h2><a href=\"/calls/%lld\">%s</a></h2><p class=\"meta\"><span class=\"pill\">%s</span>",
	  (long long)c->id, c->title, call_state(r, c));
	if (c->group_id)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)c->group_id, c->group_name);
	H(r, " · %s %s</p><p>%s</p></li>", T(r, "call.deadline"), paris_when(r, c->closes_at),
	  web_excerpt(r, c->description, 200));
}

void web_calls(struct request *r)
{
	struct call *open, *all;
	int64_t next = 0, before = web_cursor(r), next_open = 0;
	int nopen, nall;

	if (before < 0)
		return;
	nopen = before ? 0 : calls_list(&r->dc, &r->me, 1, 0, 50, &open, &next_open);
	nall = calls_list(&r->dc, &r->me, 0, before, 20, &all, &next);
	if (nopen < 0 || nall < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "call.list"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "call.list"), T(r, "call.intro"));
	if (r->me.id)
		H(r, "<p><a class=\"button secondary\" href=\"/me/proposals\">%s</a> <a class=\"button secondary\""
		  " href=\"/me/reviews\">%s</a></p>", T(r, "call.mine"), T(r, "call.queue"));
	if (web_may_create_call(r))
		H(r, "<p><a class=\"button\" href=\"/calls/new\">%s</a></p>", T(r, "callform.new"));
	H(r, "</section>");
	if (!before) {
		H(r, "<section aria-labelledby=\"open-calls\"><h2 id=\"open-calls\">%s</h2>", T(r, "call.open_now"));
		if (!nopen)
			H(r, "<p class=\"empty\">%s</p>", T(r, "call.none_open"));
		H(r, "<ul class=\"plain\">");
		for (int i = 0; i < nopen; i++)
			call_item(r, &open[i]);
		H(r, "</ul></section>");
	}
	H(r, "<section aria-labelledby=\"all-calls\"><h2 id=\"all-calls\">%s</h2><ul class=\"plain\">", T(r, "call.all"));
	if (!nall)
		H(r, "<li class=\"empty\">%s</li>", T(r, "call.none"));
	for (int i = 0; i < nall; i++)
		call_item(r, &all[i]);
	H(r, "</ul>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/calls?cursor=%lld\">%s</a></p>", (long long)next,
		  T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

void web_calls_home_block(struct request *r)
{
	struct call *open;
	int64_t next = 0;
	int n = calls_list(&r->dc, &r->me, 1, 0, 3, &open, &next);

	if (n <= 0)
		return;
	H(r, "<section class=\"card\" aria-labelledby=\"home-calls\"><h2 id=\"home-calls\">%s</h2><ul>",
	  T(r, "call.open_now"));
	for (int i = 0; i < n; i++)
		H(r, "<li><a href=\"/calls/%lld\">%s</a> — %s %s</li>", (long long)open[i].id, open[i].title,
		  T(r, "call.deadline"), paris_when(r, open[i].closes_at));
	H(r, "</ul><p><a href=\"/calls\">%s</a></p></section>", T(r, "call.all"));
}

static void proposal_row(struct request *r, const struct proposal *p, int show_call)
{
	H(r, "<li class=\"card\"><h3><a href=\"/proposals/%lld\">%s</a></h3><p class=\"meta\"><span class=\"pill\">%s</span>",
	  (long long)p->id, p->title, label(r, "proposal.status", p->status));
	if (show_call)
		H(r, " · <a href=\"/calls/%lld\">%s</a>", (long long)p->call_id, p->call_title);
	if (*p->academy)
		H(r, " · %s", p->academy);
	if (p->author_id)
		H(r, " · %s", p->author_name);
	if (p->score_den)
		H(r, " · %s %s", T(r, "proposal.score"),
		  arena_printf(r->arena, "%.2f", (double)p->score_num / (double)p->score_den));
	if (p->reviews_assigned)
		H(r, " · %s %lld/%lld", T(r, "proposal.reviews_done"), (long long)p->reviews_done,
		  (long long)p->reviews_assigned);
	if (p->votes >= 0)
		H(r, " · %lld %s", (long long)p->votes, T(r, "proposal.votes"));
	H(r, "</p></li>");
}

void web_call(struct request *r)
{
	struct call c;
	struct proposal *mine = NULL, *ballot = NULL;
	struct proposal_filter f;
	int64_t id = req_param_id(r, 0), next = 0;
	enum derr e = call_get(&r->dc, &r->me, id, &c);
	int nmine = 0, nballot = 0;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (r->me.id) {
		memset(&f, 0, sizeof f);
		f.mine = 1;
		nmine = proposals_list(&r->dc, &r->me, id, &f, &mine, &next);
		if (c.public_vote) {
			memset(&f, 0, sizeof f);
			f.ballot = 1;
			f.limit = 100;
			nballot = proposals_list(&r->dc, &r->me, id, &f, &ballot, &next);
		}
	}
	page_begin(r, c.title);
	H(r, "<article class=\"card\"><p class=\"meta\"><span class=\"pill\">%s</span>", call_state(r, &c));
	if (c.group_id)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)c.group_id, c.group_name);
	H(r, "</p><h1>%s</h1>", c.title);
	markdown_block(r, c.description);
	H(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><strong>%s</strong></dd>", T(r, "call.opens"),
	  paris_when(r, c.opens_at), T(r, "call.deadline"), paris_when(r, c.closes_at));
	H(r, "<dt>%s</dt><dd>", T(r, "call.stages"));
	for (int i = 0; i < c.nstages; i++)
		H(r, "%s%s", i ? " → " : "", label(r, "call.stage", c.stages[i]));
	H(r, "</dd>");
	if (c.public_vote)
		H(r, "<dt>%s</dt><dd>%s</dd>", T(r, "call.public_vote"), T(r, "call.public_vote.yes"));
	H(r, "</dl>");
	if (c.ncriteria) {
		H(r, "<h2>%s</h2><ul>", T(r, "call.rubric"));
		for (int i = 0; i < c.ncriteria; i++)
			H(r, "<li>%s (%s %lld, %s %lld)</li>", c.criteria[i].label, T(r, "call.max"),
			  (long long)c.criteria[i].max, T(r, "call.weight"), (long long)c.criteria[i].weight);
		H(r, "</ul>");
	}
	H(r, "<div class=\"actions\">");
	if (c.open && r->me.id)
		H(r, "<a class=\"button\" href=\"/calls/%lld/proposals/new\">%s</a>", (long long)id, T(r, "call.write"));
	else if (c.open)
		H(r, "<a class=\"button\" href=\"/login?next=/calls/%lld\">%s</a>", (long long)id, T(r, "call.write"));
	else if (r->dc.now >= c.closes_at)
		H(r, "<p class=\"notice\">%s</p>", T(r, "call.e.call_closed"));
	if (c.may_manage)
		H(r, "<a class=\"button secondary\" href=\"/calls/%lld/edit\">%s</a>", (long long)id, T(r, "callform.edit_link"));
	if (c.may_manage)
		H(r, "<a class=\"button secondary\" href=\"/calls/%lld/dashboard\">%s</a>"
		  "<a class=\"button secondary\" href=\"/calls/%lld/proposals.csv\">%s</a>", (long long)id,
		  T(r, "call.dashboard"), (long long)id, T(r, "call.csv"));
	if (c.is_reviewer)
		H(r, "<a class=\"button secondary\" href=\"/me/reviews\">%s</a>", T(r, "call.queue"));
	H(r, "</div></article>");
	if (nmine > 0) {
		H(r, "<section aria-labelledby=\"my-props\"><h2 id=\"my-props\">%s</h2><ul class=\"plain\">",
		  T(r, "call.mine"));
		for (int i = 0; i < nmine; i++)
			proposal_row(r, &mine[i], 0);
		H(r, "</ul></section>");
	}
	if (c.public_vote && r->me.id) {
		H(r, "<section aria-labelledby=\"ballot\"><h2 id=\"ballot\">%s</h2>", T(r, "call.ballot"));
		if (nballot <= 0)
			H(r, "<p class=\"empty\">%s</p>", T(r, "call.ballot.empty"));
		H(r, "<ul class=\"plain\">");
		for (int i = 0; i < nballot; i++) {
			H(r, "<li class=\"card\"><h3>%s</h3><p class=\"meta\">%s", ballot[i].title, ballot[i].academy);
			if (ballot[i].votes >= 0)
				H(r, " · %lld %s", (long long)ballot[i].votes, T(r, "proposal.votes"));
			H(r, "</p>");
			if (ballot[i].voted_by_me)
				H(r, "<p class=\"meta\">✓ %s</p>", T(r, "call.voted"));
			else if (c.open)
				button_form(r, arena_printf(r->arena, "/proposals/%lld/vote", (long long)ballot[i].id),
					    T(r, "call.vote"), "secondary");
			H(r, "</li>");
		}
		H(r, "</ul></section>");
	}
	page_end(r);
}

/* ---- the proposal form ---------------------------------------------------------- */

/* Reads the form's answers (a_KEY), title and co-authors (ids, commas). */
static void read_form(struct request *r, const struct call *c, struct proposal_input *in)
{
	struct proposal_answer *as = arena_alloc(r->arena, (size_t)(c->nfields + 1) * sizeof *as);
	const char *co = req_form(r, "coauthors");

	proposal_input_init(in);
	in->title = req_form(r, "title");
	if (as) {
		in->nanswers = 0;
		for (int i = 0; i < c->nfields; i++) {
			const char *v = req_form(r, arena_printf(r->arena, "a_%s", c->fields[i].key));

			if (!v)
				continue;
			as[in->nanswers].key = c->fields[i].key;
			as[in->nanswers++].value = v;
		}
		in->answers = as;
	}
	if (co) {
		int64_t *ids = arena_alloc(r->arena, (PROPOSAL_COAUTHORS_MAX + 2) * sizeof *ids);
		char *copy = arena_strdup(r->arena, co);
		int n = 0;

		for (char *s = copy; ids && s && *s;) {
			char *comma = strchr(s, ',');
			char *item;

			if (comma)
				*comma = '\0';
			item = text_trim(s);
			if (*item) {
				if (n > PROPOSAL_COAUTHORS_MAX) {
					ids[n++] = -1;
					break;
				}
				ids[n++] = parse_id(item) > 0 ? parse_id(item) : -1;
			}
			s = comma ? comma + 1 : NULL;
		}
		in->coauthors = ids;
		in->ncoauthors = ids ? n : -1;
	}
}

static const char *answer_of(const struct proposal *p, const char *key)
{
	for (int i = 0; p && i < p->nanswers; i++)
		if (!strcmp(p->answers[i].key, key))
			return p->answers[i].value;
	return "";
}

/* The form; p: the proposal (NULL: a new one), error: a message to show. */
static void proposal_form(struct request *r, const struct call *c, const struct proposal *p, const char *error)
{
	struct buf co = BUF_INIT;
	const char *action = p ? arena_printf(r->arena, "/proposals/%lld/edit", (long long)p->id)
			       : arena_printf(r->arena, "/calls/%lld/proposals/new", (long long)c->id);

	page_begin(r, T(r, p ? "proposal.edit" : "call.write"));
	H(r, "<section class=\"card narrow\"><p class=\"meta\"><a href=\"/calls/%lld\">%s</a></p><h1>%s</h1>"
	  "<p>%s <strong>%s</strong></p>", (long long)c->id, c->title, T(r, p ? "proposal.edit" : "call.write"),
	  T(r, "call.deadline"), paris_when(r, c->closes_at));
	if (error)
		page_notice(r, "error", error);
	if (p)
		H(r, "<form method=\"post\" action=\"%s\" data-autosave=\"%s\" data-pending=\"%s\" data-saved=\"%s\""
		  " data-failed=\"%s\" data-offline=\"%s\">", action, action, T(r, "proposal.autosave.pending"),
		  T(r, "proposal.autosave.saved"), T(r, "proposal.autosave.failed"), T(r, "proposal.autosave.offline"));
	else
		H(r, "<form method=\"post\" action=\"%s\">", action);
	form_csrf(r);
	H(r, "<label for=\"p-title\">%s</label><input id=\"p-title\" name=\"title\" type=\"text\" required maxlength=\"%d\""
	  " value=\"%s\">", T(r, "proposal.title"), CALL_TITLE_MAX, p ? p->title : (req_form(r, "title") ? req_form(r, "title") : ""));
	for (int i = 0; i < c->nfields; i++) {
		const struct call_field *f = &c->fields[i];
		const char *v = p ? answer_of(p, f->key) : "";
		const char *sent = req_form(r, arena_printf(r->arena, "a_%s", f->key));

		if (sent)
			v = sent;
		H(r, "<label for=\"a-%s\">%s%s", f->key, f->label, f->required ? " *" : "");
		if (!strcmp(f->type, "longtext")) {
			H(r, "<span class=\"hint\">%s</span></label><textarea id=\"a-%s\" name=\"a_%s\" rows=\"8\">%s</textarea>",
			  T(r, "proposal.longtext.hint"), f->key, f->key, v);
		} else if (!strcmp(f->type, "choice")) {
			H(r, "</label><select id=\"a-%s\" name=\"a_%s\"><option value=\"\">—</option>", f->key, f->key);
			for (int k = 0; k < f->noptions; k++)
				H(r, "<option%s>%s</option>", !strcmp(v, f->options[k]) ? " selected" : "", f->options[k]);
			H(r, "</select>");
		} else if (!strcmp(f->type, "file")) {
			H(r, "<span class=\"hint\">%s</span></label><input id=\"a-%s\" name=\"a_%s\" type=\"text\""
			  " inputmode=\"numeric\" value=\"%s\">", T(r, "proposal.file.hint"), f->key, f->key, v);
		} else {
			H(r, "</label><input id=\"a-%s\" name=\"a_%s\" type=\"text\" maxlength=\"%d\" value=\"%s\">", f->key,
			  f->key, PROPOSAL_TEXT_MAX, v);
		}
	}
	for (int i = 0; p && i < p->nauthors; i++)
		if (strcmp(p->authors[i].role, "author"))
			buf_printf(&co, "%s%lld", co.len ? ", " : "", (long long)p->authors[i].id);
	H(r, "<label for=\"p-co\">%s<span class=\"hint\">%s</span></label><input id=\"p-co\" name=\"coauthors\""
	  " type=\"text\" value=\"%s\">", T(r, "proposal.coauthors"), T(r, "proposal.coauthors.hint"),
	  co.len && !co.failed ? buf_str(&co) : (req_form(r, "coauthors") ? req_form(r, "coauthors") : ""));
	buf_free(&co);
	H(r, "<p id=\"autosave-status\" class=\"autosave\" role=\"status\" aria-live=\"polite\"></p>"
	  "<div class=\"actions\"><button type=\"submit\" name=\"do\" value=\"save\" class=\"secondary\">%s</button>"
	  "<button type=\"submit\" name=\"do\" value=\"submit\">%s</button></div></form></section>",
	  T(r, "proposal.save"), T(r, "proposal.submit"));
	H(r, "<script src=\"/static/calls.js\" defer></script>");
	page_end(r);
}

void web_proposal_new(struct request *r)
{
	struct call c;
	struct proposal_input in;
	const char *reason = NULL, *act = req_form(r, "do");
	int64_t call_id = req_param_id(r, 0), id = 0;
	enum derr e = call_get(&r->dc, &r->me, call_id, &c);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (r->method != HTTP_POST) {
		if (!c.open) {
			refusal_page(r, D_INVALID, r->dc.now < c.opens_at ? CALL_E_NOT_OPEN : CALL_E_CLOSED,
				     arena_printf(r->arena, "/calls/%lld", (long long)call_id));
			return;
		}
		proposal_form(r, &c, NULL, NULL);
		return;
	}
	read_form(r, &c, &in);
	if (!in.title)
		in.title = "";
	e = proposal_create(&r->dc, &r->me, call_id, &in, &id, &reason);
	if (e == D_OK && act && !strcmp(act, "submit"))
		e = proposal_submit(&r->dc, &r->me, id, &reason);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/proposals/%lld", (long long)id));
		return;
	}
	if (id) {   /* created, refused at submit: the draft is kept */
		resp_redirect(r, arena_printf(r->arena, "/proposals/%lld?refused=%s", (long long)id, reason ? reason : ""));
		return;
	}
	r->status = derr_error(e)->status;
	if (e == D_NOT_FOUND || e == D_INTERNAL) {
		web_derr_page(r, e);
		return;
	}
	proposal_form(r, &c, NULL, reason_text(r, e, reason));
}

/* POST with autosave=1 (calls.js): a JSON answer, the page stays. */
static void autosave_answer(struct request *r, enum derr e, const char *reason)
{
	if (e == D_OK) {
		resp_json(r, 200, json_pack("{s:b,s:I,s:s}", "saved", 1, "saved_at", (json_int_t)r->dc.now,
					    "saved_at_text", web_datetime(r, r->dc.now)));
		return;
	}
	resp_json(r, derr_error(e)->status, json_pack("{s:{s:s,s:s}}", "error", "code",
						      reason ? reason : derr_error(e)->code, "message",
						      reason_text(r, e, reason)));
}

void web_proposal_edit(struct request *r)
{
	struct proposal p;
	struct call c;
	struct proposal_input in;
	const char *reason = NULL, *act = req_form(r, "do"), *autosave = req_form(r, "autosave");
	int64_t id = req_param_id(r, 0);
	enum derr e = proposal_get(&r->dc, &r->me, id, &p);

	if (e == D_OK)
		e = call_get(&r->dc, &r->me, p.call_id, &c);
	if (e == D_OK && !p.is_author)
		e = D_FORBIDDEN;
	if (e != D_OK) {
		if (autosave)
			autosave_answer(r, e, NULL);
		else
			refusal_page(r, e, e == D_FORBIDDEN ? "author" : NULL, NULL);
		return;
	}
	if (r->method != HTTP_POST) {
		if (!c.open || (strcmp(p.status, "draft") && strcmp(p.status, "submitted"))) {
			refusal_page(r, D_INVALID, c.open ? CALL_E_STATUS : CALL_E_CLOSED,
				     arena_printf(r->arena, "/proposals/%lld", (long long)id));
			return;
		}
		proposal_form(r, &c, &p, NULL);
		return;
	}
	read_form(r, &c, &in);
	e = proposal_update(&r->dc, &r->me, id, &in, &reason);
	if (autosave) {
		autosave_answer(r, e, reason);
		return;
	}
	if (e == D_OK && act && !strcmp(act, "submit"))
		e = proposal_submit(&r->dc, &r->me, id, &reason);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/proposals/%lld", (long long)id));
		return;
	}
	if (e == D_NOT_FOUND || e == D_INTERNAL) {
		web_derr_page(r, e);
		return;
	}
	/* the text sent stays in the form */
	r->status = derr_error(e)->status;
	proposal_form(r, &c, &p, reason_text(r, e, reason));
}

/* ---- a proposal --------------------------------------------------------------- */

static void review_form(struct request *r, const struct call *c, const struct proposal *p)
{
	const struct proposal_review *mine = NULL;

	for (int i = 0; i < p->nreviews; i++)
		if (p->reviews[i].reviewer_id == r->me.id)
			mine = &p->reviews[i];
	H(r, "<section class=\"card\" aria-labelledby=\"review-title\"><h2 id=\"review-title\">%s</h2>"
	  "<form method=\"post\" action=\"/proposals/%lld/review\">", T(r, "review.form"), (long long)p->id);
	form_csrf(r);
	for (int k = 0; k < c->ncriteria; k++) {
		int64_t cur = -1;

		for (int s = 0; mine && s < mine->nscores; s++)
			if (!strcmp(mine->scores[s].key, c->criteria[k].key))
				cur = mine->scores[s].score;
		H(r, "<label for=\"s-%s\">%s (0–%lld)</label><input id=\"s-%s\" name=\"s_%s\" type=\"number\" min=\"0\""
		  " max=\"%lld\" required value=\"%s\">", c->criteria[k].key, c->criteria[k].label,
		  (long long)c->criteria[k].max, c->criteria[k].key, c->criteria[k].key, (long long)c->criteria[k].max,
		  cur >= 0 ? arena_printf(r->arena, "%lld", (long long)cur) : "");
	}
	H(r, "<fieldset><legend>%s</legend>", T(r, "review.recommendation"));
	for (int i = 0; review_recommendations[i]; i++)
		H(r, "<label class=\"check\"><input type=\"radio\" name=\"recommendation\" value=\"%s\"%s required> %s</label>",
		  review_recommendations[i], mine && !strcmp(mine->recommendation, review_recommendations[i]) ? " checked" : "",
		  label(r, "review.rec", review_recommendations[i]));
	H(r, "</fieldset><label for=\"r-comment\">%s</label><textarea id=\"r-comment\" name=\"comment\" rows=\"5\">%s"
	  "</textarea><button type=\"submit\">%s</button></form></section>", T(r, "review.comment"),
	  mine ? mine->comment : "", T(r, "review.save"));
}

static void manager_block(struct request *r, const struct call *c, const struct proposal *p)
{
	H(r, "<section class=\"card\" aria-labelledby=\"reviews-title\"><h2 id=\"reviews-title\">%s</h2>",
	  T(r, "review.list"));
	if (!p->nreviews)
		H(r, "<p class=\"empty\">%s</p>", T(r, "review.none"));
	H(r, "<ul>");
	for (int i = 0; i < p->nreviews; i++) {
		const struct proposal_review *rv = &p->reviews[i];

		H(r, "<li><a href=\"/users/%lld\">%s</a> · %s · ", (long long)rv->reviewer_id, rv->reviewer_name,
		  label(r, "call.stage", rv->stage));
		if (!rv->reviewed_at) {
			H(r, "%s", T(r, "review.pending"));
		} else {
			H(r, "%s", label(r, "review.rec", rv->recommendation));
			for (int k = 0; k < rv->nscores; k++)
				H(r, " · %s %lld", rv->scores[k].key, (long long)rv->scores[k].score);
			if (*rv->comment)
				H(r, "<br>%s", rv->comment);
		}
		H(r, "</li>");
	}
	H(r, "</ul><form method=\"post\" action=\"/proposals/%lld/assign\" class=\"inline\">", (long long)p->id);
	form_csrf(r);
	H(r, "<label for=\"as-rev\">%s</label><input id=\"as-rev\" name=\"reviewer_id\" type=\"text\" autocomplete=\"off\""
	  " required><label for=\"as-stage\">%s</label><select id=\"as-stage\" name=\"stage\">", T(r, "review.assign.who"),
	  T(r, "call.stages"));
	for (int i = 0; i < c->nstages; i++)
		H(r, "<option value=\"%s\">%s</option>", c->stages[i], label(r, "call.stage", c->stages[i]));
	H(r, "</select><button type=\"submit\" class=\"secondary\">%s</button></form></section>", T(r, "review.assign"));
	H(r, "<section class=\"card\" aria-labelledby=\"decision-title\"><h2 id=\"decision-title\">%s</h2>"
	  "<form method=\"post\" action=\"/proposals/%lld/decision\"><fieldset><legend>%s</legend>", T(r, "decision.form"),
	  (long long)p->id, T(r, "decision.status"));
	form_csrf(r);
	for (int i = 0; proposal_decisions[i]; i++)
		H(r, "<label class=\"check\"><input type=\"radio\" name=\"status\" value=\"%s\"%s required> %s</label>", proposal_decisions[i],
		  !strcmp(p->status, proposal_decisions[i]) ? " checked" : "", label(r, "proposal.status", proposal_decisions[i]));
	H(r, "</fieldset><label for=\"d-msg\">%s</label><textarea id=\"d-msg\" name=\"message\" rows=\"4\">%s</textarea>"
	  "<button type=\"submit\">%s</button></form>", T(r, "decision.message"), p->decision_message,
	  T(r, "decision.save"));
	if (!strcmp(p->status, "accepted") && !p->innovation_id)
		button_form(r, arena_printf(r->arena, "/proposals/%lld/publish", (long long)p->id), T(r, "decision.publish"),
			    "secondary");
	H(r, "</section>");
}

void web_proposal(struct request *r)
{
	struct proposal p;
	struct call c;
	int64_t id = req_param_id(r, 0);
	const char *refused = req_query(r, "refused");
	enum derr e = proposal_get(&r->dc, &r->me, id, &p);

	if (e == D_OK)
		e = call_get(&r->dc, &r->me, p.call_id, &c);
	if (e == D_NOT_FOUND && p.id) {
		/* the call's group is closed to V: the proposal still shows, without the call's form */
		e = D_NOT_FOUND;
	}
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	page_begin(r, p.title);
	H(r, "<article class=\"card\"><p class=\"meta\"><a href=\"/calls/%lld\">%s</a> · <span class=\"pill\">%s</span>",
	  (long long)c.id, c.title, label(r, "proposal.status", p.status));
	if (*p.academy)
		H(r, " · %s", p.academy);
	H(r, "</p><h1>%s</h1>", p.title);
	if (refused && *refused)
		page_notice(r, "error", reason_text(r, D_INVALID, refused));
	if (p.nauthors) {
		H(r, "<p class=\"meta\">%s ", T(r, "proposal.authors"));
		for (int i = 0; i < p.nauthors; i++)
			H(r, "%s<a href=\"/users/%lld\">%s</a>", i ? ", " : "", (long long)p.authors[i].id, p.authors[i].name);
		H(r, "</p>");
	}
	H(r, "<p class=\"meta\">%s %s", T(r, "call.deadline"), paris_when(r, c.closes_at));
	if (p.submitted_at)
		H(r, " · %s %s", T(r, "proposal.submitted_at"), paris_when(r, p.submitted_at));
	H(r, "</p>");
	if (p.decided_at && (p.is_author || p.is_manager)) {
		H(r, "<section class=\"notice\" aria-labelledby=\"dec\"><h2 id=\"dec\">%s : %s</h2>", T(r, "decision.title"),
		  label(r, "proposal.status", p.status));
		markdown_block(r, p.decision_message);
		H(r, "</section>");
	}
	if (p.innovation_id)
		H(r, "<p><a href=\"/innovations/%lld\">%s</a></p>", (long long)p.innovation_id, T(r, "proposal.published"));
	H(r, "<dl class=\"facts\">");
	for (int i = 0; i < c.nfields; i++) {
		const char *v = answer_of(&p, c.fields[i].key);

		H(r, "<dt>%s</dt><dd>", c.fields[i].label);
		if (!*v)
			H(r, "<span class=\"empty\">—</span>");
		else if (!strcmp(c.fields[i].type, "longtext"))
			markdown_block(r, v);
		else if (!strcmp(c.fields[i].type, "file"))
			H(r, "<a href=\"/documents/%s\">%s %s</a>", v, T(r, "proposal.document"), v);
		else
			H(r, "%s", v);
		H(r, "</dd>");
	}
	H(r, "</dl>");
	if (p.score_den && p.is_manager)
		H(r, "<p>%s %s</p>", T(r, "proposal.score"),
		  arena_printf(r->arena, "%.2f", (double)p.score_num / (double)p.score_den));
	if (p.is_author) {
		int editable = c.open && (!strcmp(p.status, "draft") || !strcmp(p.status, "submitted"));

		H(r, "<div class=\"actions\">");
		if (editable) {
			H(r, "<a class=\"button secondary\" href=\"/proposals/%lld/edit\">%s</a>", (long long)id,
			  T(r, "proposal.edit"));
			button_form(r, arena_printf(r->arena, "/proposals/%lld/submit", (long long)id),
				    T(r, !strcmp(p.status, "draft") ? "proposal.submit" : "proposal.resubmit"), "");
		}
		if (!strcmp(p.status, "draft") || !strcmp(p.status, "submitted") || !strcmp(p.status, "under_review"))
			button_form(r, arena_printf(r->arena, "/proposals/%lld/withdraw", (long long)id),
				    T(r, "proposal.withdraw"), "danger");
		H(r, "</div>");
		if (!c.open && r->dc.now >= c.closes_at)
			H(r, "<p class=\"meta\">%s</p>", T(r, "call.e.call_closed"));
	}
	H(r, "</article>");
	if (p.is_reviewer && (!strcmp(p.status, "submitted") || !strcmp(p.status, "under_review")))
		review_form(r, &c, &p);
	if (p.is_manager)
		manager_block(r, &c, &p);
	page_end(r);
}

static void after(struct request *r, enum derr e, const char *reason, int64_t id)
{
	const char *back = arena_printf(r->arena, "/proposals/%lld", (long long)id);

	if (e == D_OK)
		resp_redirect(r, back);
	else
		refusal_page(r, e, reason, back);
}

void web_proposal_submit(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);

	after(r, proposal_submit(&r->dc, &r->me, id, &reason), reason, id);
}

void web_proposal_withdraw(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);

	after(r, proposal_withdraw(&r->dc, &r->me, id, &reason), reason, id);
}

void web_proposal_review(struct request *r)
{
	struct proposal p;
	struct call c;
	struct review_input in;
	struct review_score *sc;
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e = proposal_get(&r->dc, &r->me, id, &p);

	if (e == D_OK && !p.is_reviewer)
		e = D_NOT_FOUND;
	if (e == D_OK)
		e = call_get(&r->dc, &r->me, p.call_id, &c);
	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	memset(&in, 0, sizeof in);
	sc = arena_alloc(r->arena, (size_t)(c.ncriteria + 1) * sizeof *sc);
	for (int k = 0; sc && k < c.ncriteria; k++) {
		const char *v = req_form(r, arena_printf(r->arena, "s_%s", c.criteria[k].key));

		if (!v || !*v)
			continue;
		sc[in.nscores].key = c.criteria[k].key;
		sc[in.nscores++].score = (*v >= '0' && *v <= '9' && parse_id(v) >= 0) ? parse_id(v) : (*v == '0' ? 0 : -1);
	}
	in.scores = sc;
	in.recommendation = req_form(r, "recommendation");
	in.comment = req_form(r, "comment");
	after(r, proposal_review_save(&r->dc, &r->me, id, &in, &reason), reason, id);
}

void web_proposal_decision(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);

	after(r, proposal_decide(&r->dc, &r->me, id, req_form(r, "status"), req_form(r, "message"), &reason), reason, id);
}

void web_proposal_publish(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0), inno = 0;
	enum derr e = proposal_publish(&r->dc, &r->me, id, &inno, &reason);

	if (e == D_OK)
		resp_redirect(r, arena_printf(r->arena, "/innovations/%lld", (long long)inno));
	else
		refusal_page(r, e, reason, arena_printf(r->arena, "/proposals/%lld", (long long)id));
}

void web_proposal_vote(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0), call_id = 0;
	enum derr e = proposal_vote(&r->dc, &r->me, id, &call_id, &reason);

	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/calls/%lld#ballot", (long long)call_id));
		return;
	}
	refusal_page(r, e, reason, call_id ? arena_printf(r->arena, "/calls/%lld", (long long)call_id) : "/calls");
}

/* The member a manager names in a form: "Name (@handle)", "@handle", a name
 * only one member they see bears (domain/picker.h), or a member number;
 * 0 when it names no one. */
static int64_t member_named(struct request *r, const char *entry)
{
	struct picked p;
	const char *why = NULL;
	char *e = entry ? text_trim(arena_strdup(r->arena, entry)) : NULL;
	int64_t id;

	if (!e || !*e)
		return 0;
	if ((id = parse_id(e)) > 0)
		return id;
	return picker_resolve(&r->dc, &r->me, e, &p, &why) == D_OK ? p.id : 0;
}

void web_proposal_assign(struct request *r)
{
	const char *reason = NULL, *who = req_form(r, "reviewer_id");
	int64_t id = req_param_id(r, 0);
	int64_t reviewer = member_named(r, who);

	after(r, proposal_assign(&r->dc, &r->me, id, reviewer > 0 ? reviewer : 0, req_form(r, "stage"), 1, &reason),
	      reason, id);
}

/* ---- my proposals, my reviews --------------------------------------------------- */

void web_my_proposals(struct request *r)
{
	struct proposal *ps;
	int n = proposals_mine(&r->dc, &r->me, &ps);

	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "call.mine"));
	H(r, "<section class=\"card\"><h1>%s</h1><p><a href=\"/calls\">%s</a></p></section><ul class=\"plain\">",
	  T(r, "call.mine"), T(r, "call.list"));
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "call.mine.none"));
	for (int i = 0; i < n; i++)
		proposal_row(r, &ps[i], 1);
	H(r, "</ul>");
	page_end(r);
}

void web_my_reviews(struct request *r)
{
	struct proposal *ps;
	int n = proposals_to_review(&r->dc, &r->me, &ps);

	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "call.queue"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p></section><ul class=\"plain\">", T(r, "call.queue"),
	  T(r, "call.queue.intro"));
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "call.queue.none"));
	for (int i = 0; i < n; i++)
		proposal_row(r, &ps[i], 1);
	H(r, "</ul>");
	page_end(r);
}

/* ---- the managers' dashboard ------------------------------------------------------ */

void web_call_dashboard(struct request *r)
{
	struct call c;
	struct call_dashboard d;
	struct call_reviewer *rs;
	struct chart_row *rows;
	struct chart ch;
	int64_t id = req_param_id(r, 0);
	enum derr e = call_get(&r->dc, &r->me, id, &c);
	int nrev;

	if (e == D_OK)
		e = call_dashboard(&r->dc, &r->me, id, &d);
	if (e != D_OK) {
		refusal_page(r, e, "manager", arena_printf(r->arena, "/calls/%lld", (long long)id));
		return;
	}
	nrev = call_reviewers(&r->dc, &r->me, id, &rs);
	rows = arena_alloc(r->arena, (size_t)(d.ndays + 1) * sizeof *rows);
	if (!rows || nrev < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "call.dashboard"));
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/calls/%lld\">%s</a></p><h1>%s</h1>"
	  "<p>%s %s · <a class=\"button secondary\" href=\"/calls/%lld/proposals.csv\">%s</a></p></section>",
	  (long long)id, c.title, T(r, "call.dashboard"), T(r, "call.deadline"), paris_when(r, c.closes_at),
	  (long long)id, T(r, "call.csv"));
	H(r, "<div class=\"grid\"><section class=\"card\" aria-labelledby=\"by-status\"><h2 id=\"by-status\">%s</h2>"
	  "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	  T(r, "call.by_status"), T(r, "proposal.status"), T(r, "call.count"));
	for (int i = 0; i < d.nstatus; i++)
		H(r, "<tr><td><a href=\"/calls/%lld/proposals?status=%s\">%s</a></td><td>%lld</td></tr>", (long long)id,
		  d.by_status[i].key, label(r, "proposal.status", d.by_status[i].key), (long long)d.by_status[i].count);
	H(r, "</tbody></table></section><section class=\"card\" aria-labelledby=\"by-academy\"><h2 id=\"by-academy\">%s"
	  "</h2><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	  T(r, "call.by_academy"), T(r, "innovation.academy"), T(r, "call.count"));
	for (int i = 0; i < d.nacademy; i++)
		H(r, "<tr><td>%s</td><td>%lld</td></tr>", *d.by_academy[i].key ? d.by_academy[i].key : "—",
		  (long long)d.by_academy[i].count);
	H(r, "</tbody></table></section><section class=\"card\" aria-labelledby=\"reviews-h\"><h2 id=\"reviews-h\">%s</h2>"
	  "<p>%s %lld · %s %lld · %s %lld</p><p class=\"meta\">%s %s</p>", T(r, "review.list"), T(r, "call.reviews.assigned"),
	  (long long)d.reviews_assigned, T(r, "call.reviews.done"), (long long)d.reviews_done, T(r, "call.reviews.late"),
	  (long long)d.reviews_late, T(r, "call.reviews.due"), paris_when(r, c.reviews_due_at));
	H(r, "</section></div>");
	for (int i = 0; i < d.ndays; i++) {
		rows[i].label = web_date(r, d.day0 + (int64_t)i * 86400);
		rows[i].value = (double)d.per_day[i];
		rows[i].previous = 0;
	}
	memset(&ch, 0, sizeof ch);
	ch.id = "submissions";
	ch.title = T(r, "call.per_day");
	ch.key_header = T(r, "call.day");
	ch.value_header = T(r, "call.submissions");
	ch.rows = rows;
	ch.n = (size_t)d.ndays;
	H(r, "<section class=\"card\">");
	chart_bars(&r->out, &ch);
	H(r, "</section>");
	/* reviewers and assignment */
	H(r, "<section class=\"card\" aria-labelledby=\"reviewers-h\"><h2 id=\"reviewers-h\">%s</h2><table><thead><tr>"
	  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
	  "</thead><tbody>", T(r, "call.reviewers"), T(r, "call.reviewer"), T(r, "call.stages"),
	  T(r, "call.reviews.assigned"), T(r, "call.reviews.done"));
	for (int i = 0; i < nrev; i++)
		H(r, "<tr><td><a href=\"/users/%lld\">%s</a></td><td>%s %s</td><td>%lld</td><td>%lld</td></tr>",
		  (long long)rs[i].user_id, rs[i].name, label(r, "call.stage", rs[i].stage), rs[i].academies,
		  (long long)rs[i].assigned, (long long)rs[i].reviewed);
	H(r, "</tbody></table><form method=\"post\" action=\"/calls/%lld/reviewers\">", (long long)id);
	form_csrf(r);
	H(r, "<label for=\"rv-user\">%s</label><input id=\"rv-user\" name=\"user_id\" type=\"text\" autocomplete=\"off\""
	  " required><label for=\"rv-stage\">%s</label><select id=\"rv-stage\" name=\"stage\">", T(r, "review.assign.who"),
	  T(r, "call.stages"));
	for (int i = 0; i < c.nstages; i++)
		H(r, "<option value=\"%s\">%s</option>", c.stages[i], label(r, "call.stage", c.stages[i]));
	H(r, "</select><label for=\"rv-ac\">%s<span class=\"hint\">%s</span></label><input id=\"rv-ac\" name=\"academies\""
	  " type=\"text\"><button type=\"submit\" class=\"secondary\">%s</button></form>", T(r, "call.reviewer.academies"),
	  T(r, "call.reviewer.academies.hint"), T(r, "call.reviewer.add"));
	H(r, "<form method=\"post\" action=\"/calls/%lld/assignments\">", (long long)id);
	form_csrf(r);
	H(r, "<label for=\"au-stage\">%s</label><select id=\"au-stage\" name=\"stage\">", T(r, "call.stages"));
	for (int i = 0; i < c.nstages; i++)
		H(r, "<option value=\"%s\">%s</option>", c.stages[i], label(r, "call.stage", c.stages[i]));
	H(r, "</select><button type=\"submit\">%s</button></form></section>", T(r, "call.auto_assign"));
	H(r, "<p><a href=\"/calls/%lld/proposals\">%s</a></p>", (long long)id, T(r, "call.all_proposals"));
	page_end(r);
}

void web_call_proposals(struct request *r)
{
	struct call c;
	struct proposal *ps;
	struct proposal_filter f;
	int64_t id = req_param_id(r, 0), next = 0;
	enum derr e = call_get(&r->dc, &r->me, id, &c);
	int n;

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	memset(&f, 0, sizeof f);
	f.status = req_query(r, "status");
	f.academy = req_query(r, "academy");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.academy && !*f.academy)
		f.academy = NULL;
	if (f.status && !text_one_of(f.status, proposal_statuses)) {
		web_error_page(r, 400);
		return;
	}
	if ((f.before = web_cursor(r)) < 0)
		return;
	f.limit = 50;
	n = proposals_list(&r->dc, &r->me, id, &f, &ps, &next);
	if (n < 0) {
		web_error_page(r, n == -2 ? 404 : 500);
		return;
	}
	page_begin(r, c.title);
	H(r, "<section class=\"card\"><p class=\"meta\"><a href=\"/calls/%lld\">%s</a></p><h1>%s</h1></section>"
	  "<ul class=\"plain\">", (long long)id, c.title, T(r, "call.all_proposals"));
	if (!n)
		H(r, "<li class=\"empty\">%s</li>", T(r, "call.mine.none"));
	for (int i = 0; i < n; i++)
		proposal_row(r, &ps[i], 0);
	H(r, "</ul>");
	if (next)
		H(r, "<p><a class=\"button secondary\" href=\"/calls/%lld/proposals?cursor=%lld\">%s</a></p>", (long long)id,
		  (long long)next, T(r, "groups.more"));
	page_end(r);
}

void web_call_reviewer_add(struct request *r)
{
	const char *who = req_form(r, "user_id"), *acs = req_form(r, "academies"), *reason = NULL;
	const char *list[41];
	int64_t id = req_param_id(r, 0), user = member_named(r, who);
	int n = 0;
	char *copy = acs ? arena_strdup(r->arena, acs) : NULL;
	enum derr e;

	for (char *s = copy; s && *s && n < 41;) {
		char *comma = strchr(s, ',');
		char *item;

		if (comma)
			*comma = '\0';
		item = text_trim(s);
		if (*item)
			list[n++] = item;
		s = comma ? comma + 1 : NULL;
	}
	e = call_set_reviewer(&r->dc, &r->me, id, user > 0 ? user : 0, req_form(r, "stage"), list, n, &reason);
	if (e == D_OK)
		resp_redirect(r, arena_printf(r->arena, "/calls/%lld/dashboard", (long long)id));
	else
		refusal_page(r, e, e == D_NOT_FOUND && access_check(&r->dc, &r->me, AK_CALL, id, AA_EDIT) == D_OK ? "user_id"
			     : reason, arena_printf(r->arena, "/calls/%lld/dashboard", (long long)id));
}

void web_call_assign(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0), assigned = 0, unfilled = 0;
	enum derr e = call_auto_assign(&r->dc, &r->me, id, req_form(r, "stage"), &assigned, &unfilled, &reason);

	if (e == D_OK)
		resp_redirect(r, arena_printf(r->arena, "/calls/%lld/dashboard", (long long)id));
	else
		refusal_page(r, e, reason, arena_printf(r->arena, "/calls/%lld", (long long)id));
}

/* ---- the CSV export --------------------------------------------------------------- */

static void csv_cell(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

/* GET /calls/{id}/proposals.csv (managers): every proposal with its
 * authors, status, score, reviews, votes and one column per field. */
void web_call_csv(struct request *r)
{
	struct call c;
	struct proposal *ps;
	struct proposal_filter f;
	int64_t id = req_param_id(r, 0), next = 0;
	enum derr e = call_get(&r->dc, &r->me, id, &c);
	struct buf *b = &r->out;

	if (e == D_OK && !c.may_manage)
		e = D_FORBIDDEN;
	if (e != D_OK) {
		refusal_page(r, e, "manager", NULL);
		return;
	}
	buf_puts(b, "id,title,status,academy,author_id,author,coauthors,created_at,submitted_at,decided_at,score,"
		 "reviews_done,reviews_assigned,votes,decision_message,innovation_id");
	for (int i = 0; i < c.nfields; i++)
		buf_printf(b, ",%s", c.fields[i].key);     /* keys are [a-z0-9_] */
	buf_puts(b, "\r\n");
	memset(&f, 0, sizeof f);
	f.limit = 500;
	do {
		int n = proposals_list(&r->dc, &r->me, id, &f, &ps, &next);

		if (n < 0) {
			buf_reset(b);
			web_error_page(r, 500);
			return;
		}
		for (int i = 0; i < n; i++) {
			struct proposal *p = &ps[i];
			struct buf co = BUF_INIT;

			if (proposal_read_details(&r->dc, p) < 0) {
				buf_reset(b);
				web_error_page(r, 500);
				return;
			}
			for (int k = 0; k < p->nauthors; k++)
				if (strcmp(p->authors[k].role, "author"))
					buf_printf(&co, "%s%lld", co.len ? "|" : "", (long long)p->authors[k].id);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)p->id), 0);
			csv_cell(b, p->title, 0);
			csv_cell(b, p->status, 0);
			csv_cell(b, p->academy, 0);
			csv_cell(b, p->author_id ? arena_printf(r->arena, "%lld", (long long)p->author_id) : "", 0);
			csv_cell(b, p->author_name, 0);
			csv_cell(b, co.len && !co.failed ? buf_str(&co) : "", 0);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)p->created_at), 0);
			csv_cell(b, p->submitted_at ? arena_printf(r->arena, "%lld", (long long)p->submitted_at) : "", 0);
			csv_cell(b, p->decided_at ? arena_printf(r->arena, "%lld", (long long)p->decided_at) : "", 0);
			csv_cell(b, p->score_den ? arena_printf(r->arena, "%.2f", (double)p->score_num / (double)p->score_den)
				 : "", 0);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)p->reviews_done), 0);
			csv_cell(b, arena_printf(r->arena, "%lld", (long long)p->reviews_assigned), 0);
			csv_cell(b, p->votes >= 0 ? arena_printf(r->arena, "%lld", (long long)p->votes) : "", 0);
			csv_cell(b, p->decision_message, 0);
			csv_cell(b, p->innovation_id ? arena_printf(r->arena, "%lld", (long long)p->innovation_id) : "",
				 c.nfields == 0);
			for (int k = 0; k < c.nfields; k++)
				csv_cell(b, answer_of(p, c.fields[k].key), k == c.nfields - 1);
			buf_free(&co);
		}
		f.before = next;
	} while (next);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->arena, "attachment; filename=\"call-%lld-proposals.csv\"", (long long)id));
}
