/* /api/v1 calls for proposals: calls, proposals, reviewers, assignments,
 * reviews, decisions, publication, votes, the dashboard's figures. */
#include "api/calls.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/calls.h"
#include "http/errors.h"
#include "util/text.h"

#define LIST_READ_MAX 64

/* ---- errors ------------------------------------------------------------------ */

static const struct { const char *code; int status; const char *message; } reasons[] = {
	{ CALL_E_CLOSED, 422, "The call is closed: its deadline has passed." },
	{ CALL_E_NOT_OPEN, 422, "The call is not open yet." },
	{ CALL_E_DATES, 422, "closes_at must come after opens_at." },
	{ CALL_E_NO_FIELD, 422, "A call's form needs at least one field." },
	{ CALL_E_FIELD_TYPE, 422, "A field's type must be text, longtext, choice or file." },
	{ CALL_E_NO_OPTIONS, 422, "A choice field needs its options." },
	{ CALL_E_RUBRIC, 422, "A criterion's max and weight are integers from 1 to 100." },
	{ CALL_E_MISSING, 422, "A required answer is missing." },
	{ CALL_E_ANSWER, 422, "An answer does not fit the form (unknown field, option or document)." },
	{ CALL_E_TOO_LONG, 422, "An answer is too long (text: 1,000 characters; long text: 100 KB)." },
	{ CALL_E_STATUS, 422, "The proposal's status does not allow this." },
	{ CALL_E_SCORE, 422, "Score every criterion of the rubric, from 0 to its max." },
	{ CALL_E_CONFLICT, 422, "This reviewer has a conflict with the proposal." },
	{ CALL_E_NOT_REVIEWER, 422, "This member is not a reviewer of the call at that stage." },
	{ CALL_E_VOTED, 409, "You already voted for this proposal." },
	{ CALL_E_NO_VOTE, 422, "This call has no public vote." },
	{ CALL_E_PUBLISHED, 409, "This proposal is already published as an innovation record." },
	{ CALL_E_ACADEMY, 422, "Publishing needs the author's academy." },
};

static void call_error(struct request *r, enum derr e, const char *reason)
{
	char code[64];
	const char *key = NULL;

	if (e == D_FORBIDDEN) {
		const char *msg = reason && !strcmp(reason, "author") ? "Only the proposal's authors do this." :
				  "Only the call's managers (admins, the group's owners) do this.";

		resp_json_error(r, 403, "forbidden", msg);
		return;
	}
	if (reason) {
		const char *colon = strchr(reason, ':');
		size_t n = colon ? (size_t)(colon - reason) : strlen(reason);

		snprintf(code, sizeof code, "%.*s", (int)(n < sizeof code ? n : sizeof code - 1), reason);
		key = colon ? colon + 1 : NULL;
		for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
			if (!strcmp(reasons[i].code, code)) {
				json_t *err = json_pack("{s:s,s:s}", "code", code, "message", reasons[i].message);

				if (key)
					json_object_set_new(err, "field", json_string(key));
				resp_json(r, reasons[i].status, json_pack("{s:o}", "error", err));
				return;
			}
	}
	api_derr(r, e, reason);
}

/* ---- shapes ------------------------------------------------------------------ */

static json_t *opt_time(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

static json_t *call_json(struct request *r, const struct call *c, int full)
{
	json_t *stages = json_array();
	json_t *o;

	for (int i = 0; i < c->nstages; i++)
		json_array_append_new(stages, json_string(c->stages[i]));
	o = json_pack("{s:o,s:o,s:s,s:s,s:I,s:I,s:I,s:s,s:o,s:I,s:b,s:b,s:I,s:I,s:I}",
		      "id", api_id(c->id), "group_id", c->group_id ? api_id(c->group_id) : json_null(),
		      "title", c->title, "description", c->description, "opens_at", (json_int_t)c->opens_at,
		      "closes_at", (json_int_t)c->closes_at, "reviews_due_at", (json_int_t)c->reviews_due_at,
		      "timezone", "Europe/Paris", "stages", stages,
		      "reviewers_per_proposal", (json_int_t)c->reviewers_per_proposal, "public_vote", c->public_vote,
		      "open", c->open, "proposal_count", (json_int_t)c->proposal_count,
		      "created_at", (json_int_t)c->created_at, "updated_at", (json_int_t)c->updated_at);
	if (!o)
		return json_null();
	json_object_set_new(o, "group", c->group_id ? json_pack("{s:o,s:s}", "id", api_id(c->group_id), "name",
							      c->group_name) : json_null());
	if (!full)
		return o;
	json_object_set_new(o, "description_html", api_body_html(r->arena, c->description));
	{
		json_t *fields = json_array(), *rubric = json_array();

		for (int i = 0; i < c->nfields; i++) {
			const struct call_field *f = &c->fields[i];
			json_t *opts = json_array();

			for (int k = 0; k < f->noptions; k++)
				json_array_append_new(opts, json_string(f->options[k]));
			json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:b,s:o}", "key", f->key, "label", f->label,
								"type", f->type, "required", f->required, "options", opts));
		}
		for (int i = 0; i < c->ncriteria; i++)
			json_array_append_new(rubric, json_pack("{s:s,s:s,s:I,s:I}", "key", c->criteria[i].key, "label",
								c->criteria[i].label, "max", (json_int_t)c->criteria[i].max,
								"weight", (json_int_t)c->criteria[i].weight));
		json_object_set_new(o, "fields", fields);
		json_object_set_new(o, "rubric", rubric);
	}
	json_object_set_new(o, "may_manage", json_boolean(c->may_manage));
	json_object_set_new(o, "is_reviewer", json_boolean(c->is_reviewer));
	return o;
}

static json_t *score_json(const struct proposal *p)
{
	char s[32];

	if (!p->score_den)
		return json_null();
	snprintf(s, sizeof s, "%.2f", (double)p->score_num / (double)p->score_den);
	return json_real(strtod(s, NULL));
}

static json_t *proposal_json(const struct proposal *p, int full)
{
	json_t *o = json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:I,s:I}",
			      "id", api_id(p->id), "call_id", api_id(p->call_id), "call_title", p->call_title,
			      "title", p->title, "status", p->status, "academy", p->academy,
			      "created_at", (json_int_t)p->created_at, "updated_at", (json_int_t)p->updated_at,
			      "submitted_at", opt_time(p->submitted_at), "decided_at", opt_time(p->decided_at),
			      "innovation_id", p->innovation_id ? api_id(p->innovation_id) : json_null(),
			      "score", score_json(p), "reviews_done", (json_int_t)p->reviews_done,
			      "reviews_assigned", (json_int_t)p->reviews_assigned);

	if (!o)
		return json_null();
	json_object_set_new(o, "author", p->author_id ? json_pack("{s:o,s:s}", "id", api_id(p->author_id), "name",
								  p->author_name) : json_null());
	json_object_set_new(o, "votes", p->votes >= 0 ? json_integer(p->votes) : json_null());
	json_object_set_new(o, "decision_message", json_string(p->decision_message));
	json_object_set_new(o, "voted_by_me", json_boolean(p->voted_by_me));
	if (!full)
		return o;
	{
		json_t *answers = json_object(), *authors = json_array(), *co = json_array(), *reviews = json_array();

		for (int i = 0; i < p->nanswers; i++)
			json_object_set_new(answers, p->answers[i].key, json_string(p->answers[i].value));
		for (int i = 0; i < p->nauthors; i++) {
			json_array_append_new(authors, json_pack("{s:o,s:s,s:s}", "id", api_id(p->authors[i].id), "name",
								 p->authors[i].name, "role", p->authors[i].role));
			if (strcmp(p->authors[i].role, "author"))
				json_array_append_new(co, api_id(p->authors[i].id));
		}
		for (int i = 0; i < p->nreviews; i++) {
			const struct proposal_review *rv = &p->reviews[i];
			json_t *scores = json_object();

			for (int k = 0; k < rv->nscores; k++)
				json_object_set_new(scores, rv->scores[k].key, json_integer(rv->scores[k].score));
			json_array_append_new(reviews, json_pack("{s:{s:o,s:s},s:s,s:o,s:o,s:s,s:o,s:I}",
								 "reviewer", "id", api_id(rv->reviewer_id), "name",
								 rv->reviewer_name, "stage", rv->stage, "scores", scores,
								 "recommendation", *rv->recommendation ?
								 json_string(rv->recommendation) : json_null(),
								 "comment", rv->comment, "reviewed_at",
								 opt_time(rv->reviewed_at), "assigned_at",
								 (json_int_t)rv->assigned_at));
		}
		json_object_set_new(o, "answers", answers);
		json_object_set_new(o, "authors", authors);
		json_object_set_new(o, "coauthors", co);
		json_object_set_new(o, "reviews", reviews);
		json_object_set_new(o, "is_author", json_boolean(p->is_author));
		json_object_set_new(o, "is_manager", json_boolean(p->is_manager));
		json_object_set_new(o, "is_reviewer", json_boolean(p->is_reviewer));
	}
	return o;
}

/* ---- reading input ----------------------------------------------------------- */

static int bad(struct request *r, const char *reason)
{
	call_error(r, D_INVALID, reason);
	return -1;
}

static int read_time(struct request *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);

	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 32503680000LL)
		return bad(r, key);
	*out = json_integer_value(v);
	return 0;
}

static int str_member(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

static int read_fields(struct request *r, json_t *a, struct call_input *in)
{
	struct call_field *fs;
	json_t *e;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > CALL_FIELDS_MAX)
		return bad(r, "fields");
	fs = arena_alloc(r->arena, (json_array_size(a) + 1) * sizeof *fs);
	if (!fs)
		return bad(r, "fields");
	json_array_foreach(a, i, e) {
		struct call_field *f = &fs[i];
		json_t *req, *opts, *x;
		size_t k;

		memset(f, 0, sizeof *f);
		if (!json_is_object(e) || str_member(e, "key", &f->key) || str_member(e, "label", &f->label))
			return bad(r, "fields");
		if (str_member(e, "type", &f->type) || !f->type) {
			in->bad_type = "type";
			f->type = "";
		}
		req = json_object_get(e, "required");
		if (req && !json_is_boolean(req))
			return bad(r, "fields");
		f->required = req && json_is_true(req);
		opts = json_object_get(e, "options");
		if (opts && !json_is_null(opts)) {
			if (!json_is_array(opts) || json_array_size(opts) > CALL_OPTIONS_MAX)
				return bad(r, "fields");
			f->options = arena_alloc(r->arena, (json_array_size(opts) + 1) * sizeof *f->options);
			if (!f->options)
				return bad(r, "fields");
			json_array_foreach(opts, k, x) {
				if (!json_is_string(x) || strlen(json_string_value(x)) != json_string_length(x))
					return bad(r, "fields");
				f->options[k] = json_string_value(x);
			}
			f->noptions = (int)json_array_size(opts);
		}
		if (!f->key)
			return bad(r, "fields");
		if (!f->label)
			f->label = "";
	}
	in->fields = fs;
	in->nfields = (int)json_array_size(a);
	return 0;
}

static int read_rubric(struct request *r, json_t *a, struct call_input *in)
{
	struct call_criterion *cs;
	json_t *e;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > CALL_CRITERIA_MAX)
		return bad(r, "rubric");
	cs = arena_alloc(r->arena, (json_array_size(a) + 1) * sizeof *cs);
	if (!cs)
		return bad(r, "rubric");
	json_array_foreach(a, i, e) {
		json_t *max = json_object_get(e, "max"), *w = json_object_get(e, "weight");

		memset(&cs[i], 0, sizeof cs[i]);
		if (!json_is_object(e) || str_member(e, "key", &cs[i].key) || str_member(e, "label", &cs[i].label) ||
		    !cs[i].key)
			return bad(r, "rubric");
		if (!cs[i].label)
			cs[i].label = cs[i].key;
		if (!max || !json_is_integer(max) || (w && !json_is_integer(w)))
			return bad(r, CALL_E_RUBRIC);
		cs[i].max = json_integer_value(max) > 1000000 ? 1000000 : json_integer_value(max);
		cs[i].weight = !w ? 1 : json_integer_value(w) > 1000000 ? 1000000 : json_integer_value(w);
	}
	in->criteria = cs;
	in->ncriteria = (int)json_array_size(a);
	return 0;
}

static int read_call(struct request *r, json_t *o, struct call_input *in)
{
	json_t *x;

	call_input_init(in);
	if (api_str(r, o, "title", 0, &in->title) || api_str(r, o, "description", 0, &in->description))
		return -1;
	if (read_time(r, o, "opens_at", &in->opens_at) || read_time(r, o, "closes_at", &in->closes_at) ||
	    read_time(r, o, "reviews_due_at", &in->reviews_due_at))
		return -1;
	if ((x = json_object_get(o, "group_id")) && !json_is_null(x)) {
		if ((in->group_id = api_id_of(x)) <= 0)
			return bad(r, "group_id");
	}
	if ((x = json_object_get(o, "fields")) && read_fields(r, x, in))
		return -1;
	if ((x = json_object_get(o, "rubric")) && read_rubric(r, x, in))
		return -1;
	if ((x = json_object_get(o, "stages")) && !json_is_null(x)) {
		const char **st = arena_alloc(r->arena, 3 * sizeof *st);
		int n = st ? api_str_list(r, o, "stages", st, 2) : -1;

		if (n == -1)
			return -1;
		in->stages = st;
		in->nstages = n;
	}
	if ((x = json_object_get(o, "reviewers_per_proposal")) && !json_is_null(x)) {
		if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > CALL_REVIEWERS_MAX)
			return bad(r, "reviewers_per_proposal");
		in->reviewers_per_proposal = json_integer_value(x);
	}
	if ((x = json_object_get(o, "public_vote")) && !json_is_null(x)) {
		if (!json_is_boolean(x))
			return bad(r, "public_vote");
		in->public_vote = json_is_true(x);
	}
	return 0;
}

static int read_ids(struct request *r, json_t *o, const char *key, const int64_t **out, int *n)
{
	json_t *v = json_object_get(o, key), *e;
	int64_t *ids;
	size_t i;

	*n = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > LIST_READ_MAX)
		return bad(r, key);
	ids = arena_alloc(r->arena, (json_array_size(v) + 1) * sizeof *ids);
	if (!ids)
		return bad(r, key);
	json_array_foreach(v, i, e)
		if ((ids[i] = api_id_of(e)) <= 0)
			return bad(r, key);
	*out = ids;
	*n = (int)json_array_size(v);
	return 0;
}

static int read_proposal(struct request *r, json_t *o, struct proposal_input *in)
{
	json_t *a;

	proposal_input_init(in);
	if (api_str(r, o, "title", 0, &in->title) || read_ids(r, o, "coauthors", &in->coauthors, &in->ncoauthors))
		return -1;
	if ((a = json_object_get(o, "answers")) && !json_is_null(a)) {
		struct proposal_answer *as;
		const char *key;
		json_t *v;
		int n = 0;

		if (!json_is_object(a) || json_object_size(a) > CALL_FIELDS_MAX)
			return bad(r, "answers");
		as = arena_alloc(r->arena, (json_object_size(a) + 1) * sizeof *as);
		if (!as)
			return bad(r, "answers");
		json_object_foreach(a, key, v) {
			as[n].key = key;
			if (json_is_null(v)) {
				as[n].value = "";
			} else if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
				as[n].value = json_string_value(v);
			} else if (json_is_integer(v) && json_integer_value(v) > 0) {
				as[n].value = arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
			} else {
				char *k = arena_printf(r->arena, "%s:%.60s", CALL_E_ANSWER, key);

				return bad(r, k ? k : CALL_E_ANSWER);
			}
			n++;
		}
		in->answers = as;
		in->nanswers = n;
	}
	return 0;
}

/* ---- calls ------------------------------------------------------------------- */

static void answer_call(struct request *r, int status, int64_t id)
{
	struct call c;
	enum derr e = call_get(&r->dc, &r->me, id, &c);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, status, call_json(r, &c, 1));
}

void api_calls_create(struct request *r)
{
	json_t *o = api_body(r);
	struct call_input in;
	const char *reason = NULL;
	int64_t id = 0;
	enum derr e;

	if (!o || read_call(r, o, &in) < 0)
		return;
	e = call_create(&r->dc, &r->me, &in, &id, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	answer_call(r, 201, id);
}

void api_calls_get(struct request *r)
{
	answer_call(r, 200, req_param_id(r, 0));
}

void api_calls_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct call_input in;
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || read_call(r, o, &in) < 0)
		return;
	in.group_id = -1;  /* a call stays where it was created */
	e = call_update(&r->dc, &r->me, id, &in, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	answer_call(r, 200, id);
}

static int64_t cursor_of(struct request *r)
{
	const char *c = req_query(r, "cursor");
	int64_t n;

	if (!c || !*c)
		return 0;
	n = parse_id(c);
	if (n <= 0) {
		resp_json_error(r, 400, "invalid_cursor", "The cursor is invalid.");
		return -1;
	}
	return n;
}

void api_calls_list(struct request *r)
{
	const char *open = req_query(r, "open");
	struct call *cs;
	int64_t next = 0, before = cursor_of(r);
	json_t *items;
	int n;

	if (before < 0)
		return;
	n = calls_list(&r->dc, &r->me, open && !strcmp(open, "1"), before, 20, &cs, &next);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, call_json(r, &cs[i], 0));
	api_list(r, items, next);
}

void api_calls_proposals(struct request *r)
{
	struct proposal_filter f;
	struct proposal *ps;
	const char *mine = req_query(r, "mine"), *ballot = req_query(r, "ballot");
	int64_t next = 0;
	json_t *items;
	int n;

	memset(&f, 0, sizeof f);
	f.status = req_query(r, "status");
	f.academy = req_query(r, "academy");
	if (f.status && !*f.status)
		f.status = NULL;
	if (f.academy && !*f.academy)
		f.academy = NULL;
	if (f.status && !text_one_of(f.status, proposal_statuses)) {
		resp_json_error(r, 400, "invalid_parameter", "status is one of draft, submitted, under_review, accepted,"
				" rejected, waitlisted, withdrawn.");
		return;
	}
	f.mine = mine && !strcmp(mine, "1");
	f.ballot = ballot && !strcmp(ballot, "1");
	if ((f.before = cursor_of(r)) < 0)
		return;
	f.limit = 50;
	n = proposals_list(&r->dc, &r->me, req_param_id(r, 0), &f, &ps, &next);
	if (n == -2) {
		api_derr(r, D_NOT_FOUND, NULL);
		return;
	}
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, proposal_json(&ps[i], 0));
	api_list(r, items, next);
}

void api_calls_reviewer_put(struct request *r)
{
	json_t *o = api_body(r);
	const char *stage = NULL, *reason = NULL;
	const char *academies[41];
	int n = 0;
	enum derr e;

	if (!o || api_str(r, o, "stage", 0, &stage))
		return;
	n = api_str_list(r, o, "academies", academies, 40);
	if (n == -1)
		return;
	e = call_set_reviewer(&r->dc, &r->me, req_param_id(r, 0), req_param_id(r, 1), stage, academies, n < 0 ? 0 : n,
			      &reason);
	if (e != D_OK) {
		call_error(r, e, e == D_NOT_FOUND ? NULL : reason);
		return;
	}
	resp_json(r, 200, json_pack("{s:o,s:s}", "user_id", api_id(req_param_id(r, 1)), "stage",
				    stage ? stage : "default"));
}

void api_calls_reviewer_delete(struct request *r)
{
	enum derr e = call_remove_reviewer(&r->dc, &r->me, req_param_id(r, 0), req_param_id(r, 1), req_query(r, "stage"));

	if (e != D_OK)
		call_error(r, e, e == D_FORBIDDEN ? "manager" : NULL);
	else
		api_no_content(r);
}

void api_calls_reviewers(struct request *r)
{
	struct call_reviewer *rs;
	int n = call_reviewers(&r->dc, &r->me, req_param_id(r, 0), &rs);
	json_t *items;

	if (n == -2) {
		enum derr e = access_check(&r->dc, &r->me, AK_CALL, req_param_id(r, 0), AA_EDIT);

		call_error(r, e == D_OK ? D_INTERNAL : e, "manager");
		return;
	}
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:{s:o,s:s},s:s,s:s,s:I,s:I}", "user", "id", api_id(rs[i].user_id),
						       "name", rs[i].name, "stage", rs[i].stage, "academies",
						       rs[i].academies, "assigned", (json_int_t)rs[i].assigned,
						       "reviewed", (json_int_t)rs[i].reviewed));
	api_list(r, items, 0);
}

void api_calls_assignments(struct request *r)
{
	json_t *o = r->json;
	const char *stage = NULL, *reason = NULL;
	int64_t assigned = 0, unfilled = 0;
	enum derr e;

	if (o && (!json_is_object(o) || api_str(r, o, "stage", 0, &stage))) {
		if (!json_is_object(o))
			api_body(r);
		return;
	}
	e = call_auto_assign(&r->dc, &r->me, req_param_id(r, 0), stage, &assigned, &unfilled, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	resp_json(r, 200, json_pack("{s:I,s:I}", "assigned", (json_int_t)assigned, "unfilled", (json_int_t)unfilled));
}

void api_calls_dashboard(struct request *r)
{
	struct call_dashboard d;
	enum derr e = call_dashboard(&r->dc, &r->me, req_param_id(r, 0), &d);
	json_t *st, *ac, *days;

	if (e != D_OK) {
		call_error(r, e, "manager");
		return;
	}
	st = json_object();
	ac = json_object();
	days = json_array();
	for (int i = 0; i < d.nstatus; i++)
		json_object_set_new(st, d.by_status[i].key, json_integer(d.by_status[i].count));
	for (int i = 0; i < d.nacademy; i++)
		json_object_set_new(ac, d.by_academy[i].key, json_integer(d.by_academy[i].count));
	for (int i = 0; i < d.ndays; i++)
		json_array_append_new(days, json_pack("{s:I,s:I}", "t", (json_int_t)(d.day0 + (int64_t)i * 86400),
						      "value", (json_int_t)d.per_day[i]));
	resp_json(r, 200, json_pack("{s:o,s:o,s:o,s:{s:I,s:I,s:I}}", "by_status", st, "by_academy", ac,
				    "submissions_per_day", days, "reviews", "assigned", (json_int_t)d.reviews_assigned,
				    "done", (json_int_t)d.reviews_done, "late", (json_int_t)d.reviews_late));
}

/* ---- proposals --------------------------------------------------------------- */

static void answer_proposal(struct request *r, int status, int64_t id)
{
	struct proposal p;
	enum derr e = proposal_get(&r->dc, &r->me, id, &p);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		resp_json(r, status, proposal_json(&p, 1));
}

void api_proposals_create(struct request *r)
{
	json_t *o = api_body(r);
	struct proposal_input in;
	const char *reason = NULL;
	int64_t id = 0;
	enum derr e;

	if (!o || read_proposal(r, o, &in) < 0)
		return;
	if (!in.title) {
		bad(r, "title");
		return;
	}
	e = proposal_create(&r->dc, &r->me, req_param_id(r, 0), &in, &id, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	answer_proposal(r, 201, id);
}

void api_proposals_get(struct request *r)
{
	answer_proposal(r, 200, req_param_id(r, 0));
}

void api_proposals_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct proposal_input in;
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || read_proposal(r, o, &in) < 0)
		return;
	e = proposal_update(&r->dc, &r->me, id, &in, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	answer_proposal(r, 200, id);
}

void api_proposals_submit(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e = proposal_submit(&r->dc, &r->me, id, &reason);

	if (e != D_OK)
		call_error(r, e, reason);
	else
		answer_proposal(r, 200, id);
}

void api_proposals_withdraw(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e = proposal_withdraw(&r->dc, &r->me, id, &reason);

	if (e != D_OK)
		call_error(r, e, reason);
	else
		answer_proposal(r, 200, id);
}

void api_proposals_review(struct request *r)
{
	json_t *o = api_body(r), *s;
	struct review_input in;
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o)
		return;
	memset(&in, 0, sizeof in);
	if (api_str(r, o, "recommendation", 0, &in.recommendation) || api_str(r, o, "comment", 0, &in.comment))
		return;
	if ((s = json_object_get(o, "scores")) && !json_is_null(s)) {
		struct review_score *sc;
		const char *key;
		json_t *v;

		if (!json_is_object(s) || json_object_size(s) > CALL_CRITERIA_MAX) {
			bad(r, CALL_E_SCORE);
			return;
		}
		sc = arena_alloc(r->arena, (json_object_size(s) + 1) * sizeof *sc);
		if (!sc) {
			api_derr(r, D_INTERNAL, NULL);
			return;
		}
		json_object_foreach(s, key, v) {
			if (!json_is_integer(v)) {
				char *k = arena_printf(r->arena, "%s:%.60s", CALL_E_SCORE, key);

				bad(r, k ? k : CALL_E_SCORE);
				return;
			}
			sc[in.nscores].key = key;
			sc[in.nscores++].score = json_integer_value(v) > 1000000 ? 1000000 :
						 json_integer_value(v) < -1000000 ? -1000000 : json_integer_value(v);
		}
		in.scores = sc;
	}
	e = proposal_review_save(&r->dc, &r->me, id, &in, &reason);
	if (e != D_OK) {
		call_error(r, e, reason);
		return;
	}
	answer_proposal(r, 201, id);
}

void api_proposals_decision(struct request *r)
{
	json_t *o = api_body(r);
	const char *status = NULL, *message = NULL, *reason = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || api_str(r, o, "status", 0, &status) || api_str(r, o, "message", 0, &message))
		return;
	e = proposal_decide(&r->dc, &r->me, id, status, message, &reason);
	if (e != D_OK)
		call_error(r, e, reason);
	else
		answer_proposal(r, 200, id);
}

void api_proposals_publish(struct request *r)
{
	const char *reason = NULL;
	int64_t id = req_param_id(r, 0), inno = 0;
	enum derr e = proposal_publish(&r->dc, &r->me, id, &inno, &reason);

	if (e != D_OK)
		call_error(r, e, reason);
	else
		resp_json(r, 201, json_pack("{s:o,s:o,s:s}", "id", api_id(inno), "proposal_id", api_id(id), "url",
					    arena_printf(r->arena, "/innovations/%lld", (long long)inno)));
}

void api_proposals_vote(struct request *r)
{
	const char *reason = NULL;
	int64_t call_id = 0;
	enum derr e = proposal_vote(&r->dc, &r->me, req_param_id(r, 0), &call_id, &reason);

	if (e != D_OK)
		call_error(r, e, reason);
	else
		resp_json(r, 201, json_pack("{s:b}", "voted", 1));
}

void api_proposals_assign(struct request *r)
{
	json_t *o = api_body(r);
	const char *stage = NULL, *reason = NULL;
	int64_t reviewer;
	enum derr e;

	if (!o || api_str(r, o, "stage", 0, &stage))
		return;
	reviewer = api_id_of(json_object_get(o, "reviewer_id"));   /* checked after who may */
	e = proposal_assign(&r->dc, &r->me, req_param_id(r, 0), reviewer, stage, 1, &reason);
	if (e != D_OK)
		call_error(r, e, reason);
	else
		answer_proposal(r, 201, req_param_id(r, 0));
}

void api_proposals_unassign(struct request *r)
{
	const char *reason = NULL;
	enum derr e = proposal_assign(&r->dc, &r->me, req_param_id(r, 0), req_param_id(r, 1), req_query(r, "stage"), 0,
				      &reason);

	if (e != D_OK)
		call_error(r, e, reason);
	else
		api_no_content(r);
}

static void answer_list(struct request *r, int n, const struct proposal *ps)
{
	json_t *items;

	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, proposal_json(&ps[i], 0));
	api_list(r, items, 0);
}

void api_me_proposals(struct request *r)
{
	struct proposal *ps = NULL;
	int n = proposals_mine(&r->dc, &r->me, &ps);

	answer_list(r, n, ps);
}

void api_me_reviews(struct request *r)
{
	struct proposal *ps = NULL;
	int n = proposals_to_review(&r->dc, &r->me, &ps);

	answer_list(r, n, ps);
}
