/* Calls for proposals (see calls.h): calls, their forms and rubrics,
 * proposals, reviewers and assignments, reviews, decisions, publication as
 * an innovation record, public votes, the managers' dashboard. */
#include "domain/calls.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/innovations.h"
#include "domain/mailq.h"
#include "domain/notify.h"
#include "i18n/i18n.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

const char *const call_field_types[] = { "text", "longtext", "choice", "file", NULL };
const char *const call_stages[] = { "academy", "national", NULL };
const char *const proposal_statuses[] = { "draft", "submitted", "under_review", "accepted", "rejected", "waitlisted",
	"withdrawn", NULL };
const char *const proposal_decisions[] = { "accepted", "rejected", "waitlisted", NULL };
const char *const review_recommendations[] = { "accept", "reject", "discuss", NULL };

#define DEFAULT_REVIEW_DAYS 21
#define DASHBOARD_DAYS_MAX 120

void call_input_init(struct call_input *in)
{
	memset(in, 0, sizeof *in);
	in->opens_at = in->closes_at = in->reviews_due_at = in->group_id = -1;
	in->nfields = in->ncriteria = in->nstages = -1;
	in->reviewers_per_proposal = -1;
	in->public_vote = -1;
}

void proposal_input_init(struct proposal_input *in)
{
	memset(in, 0, sizeof *in);
	in->nanswers = in->ncoauthors = -1;
}

/* "code:key" in the arena: the API answers code and names the key. */
static const char *reason_key(struct dctx *dc, const char *code, const char *key)
{
	const char *s = arena_printf(dc->arena, "%s:%.60s", code, key);

	return s ? s : code;
}

static int key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;

	if (n < 1 || n > CALL_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

static int label_ok(const char *s)
{
	return s && text_length_ok(s, 1, CALL_LABEL_MAX, 0) && !text_blank(s);
}

/* ---- calls: validation and writing ------------------------------------------ */

static enum derr validate_call(const struct call_input *in, int creating, int64_t opens, int64_t closes,
			       const char **reason)
{
	*reason = "title";
	if ((creating && !in->title) ||
	    (in->title && (!text_length_ok(in->title, 1, CALL_TITLE_MAX, 0) || text_blank(in->title))))
		return D_INVALID;
	*reason = "description";
	if (in->description && !text_length_ok(in->description, 0, CALL_TEXT_MAX, 1))
		return D_INVALID;
	*reason = "opens_at";
	if (creating && in->opens_at < 0)
		return D_INVALID;
	*reason = "closes_at";
	if (creating && in->closes_at < 0)
		return D_INVALID;
	*reason = CALL_E_DATES;
	if (closes <= opens)
		return D_INVALID;
	*reason = "reviews_due_at";
	if (in->reviews_due_at >= 0 && in->reviews_due_at < closes)
		return D_INVALID;
	*reason = CALL_E_FIELD_TYPE;
	if (in->bad_type)
		return D_INVALID;
	*reason = CALL_E_NO_FIELD;
	if ((creating && in->nfields < 0) || in->nfields == 0)
		return D_INVALID;
	*reason = "fields";
	if (in->nfields > CALL_FIELDS_MAX)
		return D_INVALID;
	for (int i = 0; i < in->nfields; i++) {
		const struct call_field *f = &in->fields[i];

		*reason = "fields";
		if (!key_ok(f->key) || !label_ok(f->label))
			return D_INVALID;
		for (int j = 0; j < i; j++)
			if (!strcmp(in->fields[j].key, f->key))
				return D_INVALID;
		*reason = CALL_E_FIELD_TYPE;
		if (!text_one_of(f->type, call_field_types))
			return D_INVALID;
		*reason = CALL_E_NO_OPTIONS;
		if (!strcmp(f->type, "choice") && f->noptions <= 0)
			return D_INVALID;
		*reason = "fields";
		if (f->noptions > CALL_OPTIONS_MAX)
			return D_INVALID;
		for (int k = 0; k < f->noptions; k++)
			if (!label_ok(f->options[k]))
				return D_INVALID;
	}
	*reason = "rubric";
	if (in->ncriteria > CALL_CRITERIA_MAX)
		return D_INVALID;
	for (int i = 0; i < in->ncriteria; i++) {
		const struct call_criterion *c = &in->criteria[i];

		*reason = "rubric";
		if (!key_ok(c->key) || !label_ok(c->label))
			return D_INVALID;
		for (int j = 0; j < i; j++)
			if (!strcmp(in->criteria[j].key, c->key))
				return D_INVALID;
		*reason = CALL_E_RUBRIC;
		if (c->max < 1 || c->max > CALL_SCORE_MAX || c->weight < 1 || c->weight > CALL_WEIGHT_MAX)
			return D_INVALID;
	}
	*reason = "stages";
	if (in->nstages == 0 || in->nstages > 2)
		return D_INVALID;
	for (int i = 0; i < in->nstages; i++)
		if (!text_one_of(in->stages[i], call_stages))
			return D_INVALID;
	if (in->nstages == 2 && (strcmp(in->stages[0], "academy") || strcmp(in->stages[1], "national")))
		return D_INVALID;
	*reason = "reviewers_per_proposal";
	if (in->reviewers_per_proposal == 0 || in->reviewers_per_proposal > CALL_REVIEWERS_MAX ||
	    in->reviewers_per_proposal < -1)
		return D_INVALID;
	*reason = NULL;
	return D_OK;
}

static const char *stages_text(struct dctx *dc, const struct call_input *in)
{
	if (in->nstages < 0)
		return NULL;
	return in->nstages == 2 ? "academy,national" : arena_strdup(dc->arena, in->stages[0]);
}

static int write_form(struct dctx *dc, int64_t id, const struct call_input *in)
{
	if (in->nfields >= 0) {
		if (db_exec(dc->db, "DELETE FROM call_fields WHERE call_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->nfields; i++) {
			const struct call_field *f = &in->fields[i];
			struct buf opts = BUF_INIT;
			int64_t n;

			for (int k = 0; k < f->noptions; k++)
				buf_printf(&opts, "%s%s", k ? "\n" : "", f->options[k]);
			n = opts.failed ? -1 :
			    db_exec(dc->db, "INSERT INTO call_fields (call_id, pos, key, label, type, required, options)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?)", "iisssis", id, (int64_t)i, f->key, f->label, f->type,
				    (int64_t)(f->required ? 1 : 0), opts.len ? buf_str(&opts) : "");
			buf_free(&opts);
			if (n != 1)
				return -1;
		}
	}
	if (in->ncriteria >= 0) {
		if (db_exec(dc->db, "DELETE FROM call_criteria WHERE call_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ncriteria; i++) {
			const struct call_criterion *c = &in->criteria[i];

			if (db_exec(dc->db, "INSERT INTO call_criteria (call_id, pos, key, label, max, weight)"
				    " VALUES (?, ?, ?, ?, ?, ?)", "iissii", id, (int64_t)i, c->key, c->label, c->max,
				    c->weight) != 1)
				return -1;
		}
	}
	return 0;
}

enum derr call_create(struct dctx *dc, const struct viewer *v, const struct call_input *in, int64_t *id,
		      const char **reason)
{
	struct db_stmt *st;
	enum derr rc;
	int64_t group = in->group_id > 0 ? in->group_id : 0;

	*id = 0;
	*reason = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	if (group) {
		rc = access_check(dc, v, AK_GROUP, group, AA_SEE);
		if (rc == D_INTERNAL)
			return rc;
		if (rc != D_OK) {
			*reason = "group_id";
			return D_INVALID;
		}
	}
	if (!access_call_manager(dc, v, group)) {
		*reason = "manager";
		return D_FORBIDDEN;
	}
	rc = validate_call(in, 1, in->opens_at, in->closes_at, reason);
	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO calls (group_id, title, description, opens_at, closes_at, reviews_due_at,"
		      " stages, reviewers_per_proposal, public_vote, created_by, created_at, updated_at)"
		      " VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "issiiisiiiii", group,
		      text_trim(arena_strdup(dc->arena, in->title)), in->description ? in->description : "", in->opens_at,
		      in->closes_at, in->reviews_due_at >= 0 ? in->reviews_due_at
							     : in->closes_at + DEFAULT_REVIEW_DAYS * 86400,
		      in->nstages > 0 ? stages_text(dc, in) : "national",
		      in->reviewers_per_proposal > 0 ? in->reviewers_per_proposal : 2,
		      (int64_t)(in->public_vote > 0), v->id, dc->now, dc->now);
	if (st && db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finish(st) < 0 || !*id || write_form(dc, *id, in) < 0 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		*id = 0;
		return D_INTERNAL;
	}
	return D_OK;
}

/* ---- calls: reading --------------------------------------------------------- */

#define CALL_COLUMNS \
	"c.id, COALESCE(c.group_id, 0), COALESCE(g.name, ''), c.title, c.description, c.opens_at, c.closes_at," \
	" c.reviews_due_at, c.stages, c.reviewers_per_proposal, c.public_vote, COALESCE(c.created_by, 0)," \
	" c.created_at, c.updated_at," \
	" (SELECT COUNT(*) FROM proposals cp WHERE cp.call_id = c.id AND cp.status NOT IN ('draft','withdrawn'))"
#define CALL_FROM " FROM calls c LEFT JOIN groups g ON g.id = c.group_id"

static void read_call(struct dctx *dc, struct db_stmt *st, struct call *c)
{
	const char *stages;

	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, 0);
	c->group_id = db_col_int(st, 1);
	c->group_name = db_col_dup(st, 2, dc->arena);
	c->title = db_col_dup(st, 3, dc->arena);
	c->description = db_col_dup(st, 4, dc->arena);
	c->opens_at = db_col_int(st, 5);
	c->closes_at = db_col_int(st, 6);
	c->reviews_due_at = db_col_int(st, 7);
	stages = db_col_text(st, 8);
	if (stages && strstr(stages, "academy")) {
		c->stages[c->nstages++] = "academy";
	}
	if (!stages || strstr(stages, "national") || !c->nstages)
		c->stages[c->nstages++] = "national";
	c->reviewers_per_proposal = db_col_int(st, 9);
	c->public_vote = (int)db_col_int(st, 10);
	c->created_by = db_col_int(st, 11);
	c->created_at = db_col_int(st, 12);
	c->updated_at = db_col_int(st, 13);
	c->proposal_count = db_col_int(st, 14);
	c->open = c->opens_at <= dc->now && dc->now < c->closes_at;
}

static int read_form(struct dctx *dc, struct call *c)
{
	struct db_stmt *st;
	int n = 0;

	c->fields = arena_alloc(dc->arena, (CALL_FIELDS_MAX + 1) * sizeof *c->fields);
	c->criteria = arena_alloc(dc->arena, (CALL_CRITERIA_MAX + 1) * sizeof *c->criteria);
	if (!c->fields || !c->criteria)
		return -1;
	st = db_query(dc->db, "SELECT key, label, type, required, options FROM call_fields WHERE call_id = ?"
		      " ORDER BY pos", "i", c->id);
	while (st && db_step(st) == DB_ROW && n < CALL_FIELDS_MAX) {
		struct call_field *f = &c->fields[n++];
		char *opts = db_col_dup(st, 4, dc->arena);

		f->key = db_col_dup(st, 0, dc->arena);
		f->label = db_col_dup(st, 1, dc->arena);
		f->type = db_col_dup(st, 2, dc->arena);
		f->required = (int)db_col_int(st, 3);
		f->noptions = 0;
		f->options = arena_alloc(dc->arena, (CALL_OPTIONS_MAX + 1) * sizeof *f->options);
		if (!f->options || !opts)
			continue;
		for (char *s = opts; *s && f->noptions < CALL_OPTIONS_MAX;) {
			char *nl = strchr(s, '\n');

			if (nl)
				*nl = '\0';
			f->options[f->noptions++] = s;
			if (!nl)
				break;
			s = nl + 1;
		}
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	c->nfields = n;
	n = 0;
	st = db_query(dc->db, "SELECT key, label, max, weight FROM call_criteria WHERE call_id = ? ORDER BY pos", "i",
		      c->id);
	while (st && db_step(st) == DB_ROW && n < CALL_CRITERIA_MAX) {
		struct call_criterion *k = &c->criteria[n++];

		k->key = db_col_dup(st, 0, dc->arena);
		k->label = db_col_dup(st, 1, dc->arena);
		k->max = db_col_int(st, 2);
		k->weight = db_col_int(st, 3);
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	c->ncriteria = n;
	return 0;
}

static enum derr load_call_row(struct dctx *dc, int64_t id, struct call *out)
{
	struct db_stmt *st = db_query(dc->db, "SELECT " CALL_COLUMNS CALL_FROM " WHERE c.id = ?", "i", id);
	int step;

	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_call(dc, st, out);
	if (db_finish(st) < 0 || step == DB_ERR)
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	return read_form(dc, out) < 0 ? D_INTERNAL : D_OK;
}

enum derr call_get(struct dctx *dc, const struct viewer *v, int64_t id, struct call *out)
{
	enum derr rc = access_check(dc, v, AK_CALL, id, AA_SEE);
	int64_t n = 0;

	if (rc != D_OK)
		return rc;
	rc = load_call_row(dc, id, out);
	if (rc != D_OK)
		return rc;
	out->may_manage = access_call_manager(dc, v, out->group_id);
	out->is_reviewer = v && v->id && db_int(dc->db, &n, "SELECT 1 FROM call_reviewers WHERE call_id = ?"
						" AND user_id = ? LIMIT 1", "ii", id, v->id) == 1;
	return D_OK;
}

enum derr call_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct call_input *in,
		      const char **reason)
{
	struct call c;
	enum derr rc = access_check(dc, v, AK_CALL, id, AA_EDIT);

	*reason = NULL;
	if (rc == D_FORBIDDEN)
		*reason = "manager";
	if (rc != D_OK)
		return rc;
	rc = load_call_row(dc, id, &c);
	if (rc != D_OK)
		return rc;
	rc = validate_call(in, 0, in->opens_at >= 0 ? in->opens_at : c.opens_at,
			   in->closes_at >= 0 ? in->closes_at : c.closes_at, reason);
	if (rc != D_OK)
		return rc;
	if (in->reviews_due_at < 0 && in->closes_at >= 0 && c.reviews_due_at < in->closes_at) {
		/* a deadline moved past the reviews' date pushes it as far */
		struct call_input *moved = arena_alloc(dc->arena, sizeof *moved);

		if (!moved)
			return D_INTERNAL;
		*moved = *in;
		moved->reviews_due_at = in->closes_at + DEFAULT_REVIEW_DAYS * 86400;
		in = moved;
	}
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	if (db_exec(dc->db, "UPDATE calls SET title = COALESCE(?, title), description = COALESCE(?, description),"
		    " opens_at = CASE WHEN ? >= 0 THEN ? ELSE opens_at END,"
		    " closes_at = CASE WHEN ? >= 0 THEN ? ELSE closes_at END,"
		    " reviews_due_at = CASE WHEN ? >= 0 THEN ? ELSE reviews_due_at END,"
		    " stages = COALESCE(?, stages),"
		    " reviewers_per_proposal = CASE WHEN ? > 0 THEN ? ELSE reviewers_per_proposal END,"
		    " public_vote = CASE WHEN ? >= 0 THEN ? ELSE public_vote END, updated_at = ? WHERE id = ?",
		    "ssiiiiiisiiiiii", in->title ? text_trim(arena_strdup(dc->arena, in->title)) : NULL, in->description,
		    in->opens_at, in->opens_at, in->closes_at, in->closes_at, in->reviews_due_at, in->reviews_due_at,
		    stages_text(dc, in), in->reviewers_per_proposal, in->reviewers_per_proposal, (int64_t)in->public_vote,
		    (int64_t)in->public_vote, dc->now, id) != 1 ||
	    write_form(dc, id, in) < 0 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int calls_list(struct dctx *dc, const struct viewer *v, int open_only, int64_t before, int limit, struct call **out,
	       int64_t *next)
{
	static const struct viewer visitor = { 0 };
	struct db_stmt *st;
	int n = 0;

	if (!v)
		v = &visitor;
	*next = 0;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, (size_t)(limit + 1) * sizeof **out);
	if (!*out)
		return -1;
	if (open_only)
		st = db_query(dc->db, "SELECT " CALL_COLUMNS CALL_FROM " WHERE " ACCESS_CALL_SQL
			      " AND c.opens_at <= ? AND c.closes_at > ? AND (? = 0 OR c.id < ?)"
			      " ORDER BY c.closes_at, c.id DESC LIMIT ?", ACCESS_CALL_TYPES "iiiii", ACCESS_CALL_ARGS(v),
			      dc->now, dc->now, before, before, (int64_t)limit + 1);
	else
		st = db_query(dc->db, "SELECT " CALL_COLUMNS CALL_FROM " WHERE " ACCESS_CALL_SQL
			      " AND (? = 0 OR c.id < ?) ORDER BY c.id DESC LIMIT ?", ACCESS_CALL_TYPES "iii",
			      ACCESS_CALL_ARGS(v), before, before, (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW && n <= limit)
		read_call(dc, st, &(*out)[n++]);
	if (db_finish(st) < 0)
		return -1;
	if (n > limit && !open_only) {
		n = limit;
		*next = (*out)[n - 1].id;
	} else if (n > limit) {
		n = limit;
	}
	return n;
}

/* ---- reviewers -------------------------------------------------------------- */

static enum derr manage(struct dctx *dc, const struct viewer *v, int64_t call_id, struct call *c, const char **reason)
{
	enum derr rc = access_check(dc, v, AK_CALL, call_id, AA_EDIT);

	if (rc == D_FORBIDDEN && reason)
		*reason = "manager";
	if (rc != D_OK)
		return rc;
	return c ? load_call_row(dc, call_id, c) : D_OK;
}

static int call_has_stage(const struct call *c, const char *stage)
{
	for (int i = 0; i < c->nstages; i++)
		if (!strcmp(c->stages[i], stage))
			return 1;
	return 0;
}

enum derr call_set_reviewer(struct dctx *dc, const struct viewer *v, int64_t call_id, int64_t user, const char *stage,
			    const char *const *academies, int nacademies, const char **reason)
{
	struct call c;
	struct buf acad = BUF_INIT;
	enum derr rc = manage(dc, v, call_id, &c, reason);
	int64_t n = 0;

	if (rc != D_OK)
		return rc;
	*reason = "stage";
	if (!stage)
		stage = c.stages[0];
	if (!text_one_of(stage, call_stages) || !call_has_stage(&c, stage))
		return D_INVALID;
	*reason = "user_id";
	rc = db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", user) < 0 ? D_INTERNAL
														 : D_OK;
	if (rc != D_OK)
		return rc;
	if (!n)
		return D_NOT_FOUND;
	*reason = "academies";
	if (nacademies > 40)
		return D_INVALID;
	for (int i = 0; i < nacademies; i++) {
		if (!innovation_academy_known(dc, academies[i]))
			return D_INVALID;
		buf_printf(&acad, "%s%s", i ? "|" : "", academies[i]);
	}
	*reason = NULL;
	n = acad.failed ? -1 :
	    db_exec(dc->db, "INSERT INTO call_reviewers (call_id, user_id, stage, academies, created_at) VALUES (?, ?, ?, ?, ?)"
		    " ON CONFLICT (call_id, user_id, stage) DO UPDATE SET academies = excluded.academies", "iissi", call_id,
		    user, stage, acad.len ? buf_str(&acad) : "", dc->now);
	buf_free(&acad);
	return n < 0 ? D_INTERNAL : D_OK;
}

enum derr call_remove_reviewer(struct dctx *dc, const struct viewer *v, int64_t call_id, int64_t user,
			       const char *stage)
{
	enum derr rc = manage(dc, v, call_id, NULL, NULL);
	int64_t n;

	if (rc != D_OK)
		return rc;
	n = db_exec(dc->db, "DELETE FROM call_reviewers WHERE call_id = ? AND user_id = ? AND (? IS NULL OR stage = ?)",
		    "iiss", call_id, user, stage, stage);
	return n < 0 ? D_INTERNAL : n ? D_OK : D_NOT_FOUND;
}

int call_reviewers(struct dctx *dc, const struct viewer *v, int64_t call_id, struct call_reviewer **out)
{
	struct db_stmt *st;
	int n = 0, cap = 64;

	if (manage(dc, v, call_id, NULL, NULL) != D_OK)
		return -2;
	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	st = db_query(dc->db, "SELECT r.user_id, u.name, r.stage, r.academies,"
		      " (SELECT COUNT(*) FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id"
		      "   WHERE p.call_id = r.call_id AND a.reviewer_id = r.user_id AND a.stage = r.stage),"
		      " (SELECT COUNT(*) FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id"
		      "   WHERE p.call_id = r.call_id AND a.reviewer_id = r.user_id AND a.stage = r.stage"
		      "   AND a.reviewed_at IS NOT NULL)"
		      " FROM call_reviewers r JOIN users u ON u.id = r.user_id WHERE r.call_id = ?"
		      " ORDER BY r.stage, u.name, r.user_id", "i", call_id);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		struct call_reviewer *x;

		{
			void *room = arena_grow(dc->arena, *out, n, &cap, sizeof **out);

			if (!room)
				break;
			*out = room;
		}
		x = &(*out)[n++];
		x->user_id = db_col_int(st, 0);
		x->name = db_col_dup(st, 1, dc->arena);
		x->stage = db_col_dup(st, 2, dc->arena);
		x->academies = db_col_dup(st, 3, dc->arena);
		x->assigned = db_col_int(st, 4);
		x->reviewed = db_col_int(st, 5);
	}
	return db_finish(st) < 0 ? -1 : n;
}

/* ---- assignment --------------------------------------------------------------- */

struct cand {
	int64_t id, load;
	const char *school, *academies;     /* academies: '|'-separated, "|A|B|" */
};

struct prop_facts {
	int64_t id;
	const char *academy;
	int64_t authors[PROPOSAL_COAUTHORS_MAX + 2];
	const char *schools[PROPOSAL_COAUTHORS_MAX + 2];
	int nauthors;
	int64_t assigned[CALL_REVIEWERS_MAX * 4];
	int nassigned;
};

/* Reads a proposal's academy, authors and their schools, and its
 * reviewers at stage. */
static int load_facts(struct dctx *dc, int64_t id, const char *stage, struct prop_facts *f)
{
	struct db_stmt *st;

	memset(f, 0, sizeof *f);
	f->id = id;
	st = db_query(dc->db, "SELECT p.academy, a.user_id, COALESCE(u.school_uai, '') FROM proposals p"
		      " LEFT JOIN proposal_authors a ON a.proposal_id = p.id LEFT JOIN users u ON u.id = a.user_id"
		      " WHERE p.id = ?", "i", id);
	while (st && db_step(st) == DB_ROW) {
		if (!f->academy)
			f->academy = db_col_dup(st, 0, dc->arena);
		if (!db_col_is_null(st, 1) && f->nauthors < PROPOSAL_COAUTHORS_MAX + 2) {
			f->authors[f->nauthors] = db_col_int(st, 1);
			f->schools[f->nauthors++] = db_col_dup(st, 2, dc->arena);
		}
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	st = db_query(dc->db, "SELECT reviewer_id FROM proposal_assignments WHERE proposal_id = ? AND stage = ?", "is",
		      id, stage);
	while (st && db_step(st) == DB_ROW)
		if (f->nassigned < (int)(sizeof f->assigned / sizeof f->assigned[0]))
			f->assigned[f->nassigned++] = db_col_int(st, 0);
	if (db_finish(st) < 0 || !st)
		return -1;
	return f->academy ? 0 : -1;
}

/* Why c may not review f at stage: NULL when it may. */
static const char *conflict(const struct cand *c, const struct prop_facts *f, const char *stage)
{
	for (int i = 0; i < f->nauthors; i++) {
		if (f->authors[i] == c->id)
			return "author";
		if (c->school && *c->school && f->schools[i] && !strcmp(c->school, f->schools[i]))
			return "school";
	}
	if (!strcmp(stage, "academy")) {
		char needle[128];

		if (!f->academy || !*f->academy)
			return "academy";
		snprintf(needle, sizeof needle, "|%s|", f->academy);
		if (!c->academies || !strstr(c->academies, needle))
			return "academy";
	}
	return NULL;
}

/* The reviewers of the call at stage with their load in the call. */
static int load_cands(struct dctx *dc, int64_t call_id, const char *stage, struct cand **out)
{
	struct db_stmt *st;
	int n = 0, cap = 64;

	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	st = db_query(dc->db, "SELECT r.user_id, COALESCE(u.school_uai, ''),"
		      " CASE WHEN r.academies = '' THEN u.academy ELSE r.academies END,"
		      " (SELECT COUNT(*) FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id"
		      "   WHERE p.call_id = r.call_id AND a.reviewer_id = r.user_id)"
		      " FROM call_reviewers r JOIN users u ON u.id = r.user_id AND u.status = 'active'"
		      " WHERE r.call_id = ? AND r.stage = ? ORDER BY r.user_id", "is", call_id, stage);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		struct cand *c;

		{
			void *room = arena_grow(dc->arena, *out, n, &cap, sizeof **out);

			if (!room)
				break;
			*out = room;
		}
		c = &(*out)[n++];
		c->id = db_col_int(st, 0);
		c->school = db_col_dup(st, 1, dc->arena);
		c->academies = arena_printf(dc->arena, "|%s|", db_col_text(st, 2) ? db_col_text(st, 2) : "");
		c->load = db_col_int(st, 3);
	}
	return db_finish(st) < 0 ? -1 : n;
}

static int insert_assignment(struct dctx *dc, const struct viewer *v, int64_t proposal, int64_t reviewer,
			     const char *stage)
{
	int64_t n = db_exec(dc->db, "INSERT INTO proposal_assignments (proposal_id, reviewer_id, stage, assigned_at,"
			    " assigned_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", "iisii", proposal, reviewer,
			    stage, dc->now, v->id);

	if (n < 0)
		return -1;
	if (n && db_exec(dc->db, "UPDATE proposals SET status = 'under_review', updated_at = ? WHERE id = ?"
			 " AND status = 'submitted'", "ii", dc->now, proposal) < 0)
		return -1;
	return (int)n;
}

enum derr call_auto_assign(struct dctx *dc, const struct viewer *v, int64_t call_id, const char *stage,
			   int64_t *assigned, int64_t *unfilled, const char **reason)
{
	struct call c;
	struct cand *cands;
	struct db_stmt *st;
	int64_t *ids;
	int ncand, nids = 0, cap = 256;
	enum derr rc = manage(dc, v, call_id, &c, reason);

	*assigned = *unfilled = 0;
	if (rc != D_OK)
		return rc;
	if (!stage)
		stage = c.stages[0];
	*reason = "stage";
	if (!text_one_of(stage, call_stages) || !call_has_stage(&c, stage))
		return D_INVALID;
	*reason = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	ncand = load_cands(dc, call_id, stage, &cands);
	if (ncand < 0)
		goto out;
	ids = arena_alloc(dc->arena, (size_t)cap * sizeof *ids);
	st = db_query(dc->db, "SELECT id FROM proposals WHERE call_id = ? AND status IN ('submitted','under_review')"
		      " ORDER BY id", "i", call_id);
	while (ids && st && db_step(st) == DB_ROW) {
		{
			void *room = arena_grow(dc->arena, ids, nids, &cap, sizeof *ids);

			if (!room)
				break;
			ids = room;
		}
		ids[nids++] = db_col_int(st, 0);
	}
	if (db_finish(st) < 0 || !st || !ids)
		goto out;
	for (int i = 0; i < nids; i++) {
		struct prop_facts f;
		int64_t need;

		if (load_facts(dc, ids[i], stage, &f) < 0)
			goto out;
		need = c.reviewers_per_proposal - f.nassigned;
		while (need > 0) {
			struct cand *best = NULL;

			for (int k = 0; k < ncand; k++) {
				int already = 0;

				for (int j = 0; j < f.nassigned; j++)
					already |= f.assigned[j] == cands[k].id;
				if (already || conflict(&cands[k], &f, stage))
					continue;
				if (!best || cands[k].load < best->load)
					best = &cands[k];
			}
			if (!best)
				break;
			if (insert_assignment(dc, v, f.id, best->id, stage) < 0)
				goto out;
			best->load++;
			if (f.nassigned < (int)(sizeof f.assigned / sizeof f.assigned[0]))
				f.assigned[f.nassigned++] = best->id;
			(*assigned)++;
			need--;
		}
		if (need > 0)
			(*unfilled)++;
	}
	rc = D_OK;
out:
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		*assigned = *unfilled = 0;
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr proposal_assign(struct dctx *dc, const struct viewer *v, int64_t id, int64_t reviewer, const char *stage,
			  int on, const char **reason)
{
	struct access_item it;
	struct call c;
	struct cand *cands;
	struct prop_facts f;
	const struct cand *who = NULL;
	enum derr rc = access_check_item(dc, v, AK_PROPOSAL, id, AA_MODERATE, &it);
	int ncand;
	int64_t n;

	*reason = NULL;
	if (rc == D_FORBIDDEN)
		*reason = "manager";
	if (rc != D_OK)
		return rc;
	rc = load_call_row(dc, it.parent_id, &c);
	if (rc != D_OK)
		return rc;
	if (!stage)
		stage = c.stages[0];
	*reason = "stage";
	if (!text_one_of(stage, call_stages) || !call_has_stage(&c, stage))
		return D_INVALID;
	*reason = "reviewer_id";
	if (reviewer <= 0)
		return D_INVALID;
	*reason = NULL;
	if (!on) {
		n = db_exec(dc->db, "DELETE FROM proposal_assignments WHERE proposal_id = ? AND reviewer_id = ? AND stage = ?",
			    "iis", id, reviewer, stage);
		return n < 0 ? D_INTERNAL : n ? D_OK : D_NOT_FOUND;
	}
	ncand = load_cands(dc, c.id, stage, &cands);
	if (ncand < 0 || load_facts(dc, id, stage, &f) < 0)
		return D_INTERNAL;
	for (int k = 0; k < ncand; k++)
		if (cands[k].id == reviewer)
			who = &cands[k];
	*reason = CALL_E_NOT_REVIEWER;
	if (!who)
		return D_INVALID;
	*reason = CALL_E_STATUS;
	if (db_int(dc->db, &n, "SELECT 1 FROM proposals WHERE id = ?"
					       " AND status IN ('submitted','under_review')", "i", id) != 1)
		return D_INVALID;
	if (conflict(who, &f, stage)) {
		*reason = reason_key(dc, CALL_E_CONFLICT, conflict(who, &f, stage));
		return D_INVALID;
	}
	*reason = NULL;
	return insert_assignment(dc, v, id, reviewer, stage) < 0 ? D_INTERNAL : D_OK;
}

/* ---- proposals: answers ------------------------------------------------------- */

static const struct call_field *field_of(const struct call *c, const char *key)
{
	for (int i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i].key, key))
			return &c->fields[i];
	return NULL;
}

static enum derr validate_answers(struct dctx *dc, const struct viewer *v, const struct call *c,
				  const struct proposal_input *in, const char **reason)
{
	for (int i = 0; i < in->nanswers; i++) {
		const struct proposal_answer *a = &in->answers[i];
		const struct call_field *f = a->key ? field_of(c, a->key) : NULL;
		const char *s = a->value ? a->value : "";

		if (!f) {
			*reason = reason_key(dc, CALL_E_ANSWER, a->key ? a->key : "");
			return D_INVALID;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(in->answers[j].key, a->key)) {
				*reason = reason_key(dc, CALL_E_ANSWER, a->key);
				return D_INVALID;
			}
		if (!strcmp(f->type, "longtext")) {
			if (strlen(s) > PROPOSAL_LONGTEXT_MAX) {
				*reason = reason_key(dc, CALL_E_TOO_LONG, a->key);
				return D_INVALID;
			}
			if (!text_ok(s, 1)) {
				*reason = reason_key(dc, CALL_E_ANSWER, a->key);
				return D_INVALID;
			}
		} else if (!strcmp(f->type, "text")) {
			if (strlen(s) > PROPOSAL_TEXT_MAX * 4 || (text_ok(s, 0) && utf8_len(s) > PROPOSAL_TEXT_MAX)) {
				*reason = reason_key(dc, CALL_E_TOO_LONG, a->key);
				return D_INVALID;
			}
			if (!text_ok(s, 0)) {
				*reason = reason_key(dc, CALL_E_ANSWER, a->key);
				return D_INVALID;
			}
		} else if (!strcmp(f->type, "choice")) {
			int ok = !*s;

			for (int k = 0; k < f->noptions; k++)
				ok |= !strcmp(f->options[k], s);
			if (!ok) {
				*reason = reason_key(dc, CALL_E_ANSWER, a->key);
				return D_INVALID;
			}
		} else if (*s) {  /* file: a document the author may open */
			int64_t doc = parse_id(s);
			enum derr rc = doc > 0 ? access_check(dc, v, AK_DOCUMENT, doc, AA_SEE) : D_NOT_FOUND;

			if (rc == D_INTERNAL)
				return rc;
			if (rc != D_OK) {
				*reason = reason_key(dc, CALL_E_ANSWER, a->key);
				return D_INVALID;
			}
		}
	}
	return D_OK;
}

static enum derr validate_coauthors(struct dctx *dc, const struct viewer *v, const struct proposal_input *in,
				    const char **reason)
{
	*reason = "coauthors";
	if (in->ncoauthors > PROPOSAL_COAUTHORS_MAX)
		return D_INVALID;
	for (int i = 0; i < in->ncoauthors; i++) {
		int64_t n = 0;
		int found;

		if (in->coauthors[i] <= 0)
			return D_INVALID;
		if (in->coauthors[i] == v->id)
			continue;
		found = db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", in->coauthors[i]);
		if (found < 0)
			return D_INTERNAL;
		if (!found)
			return D_INVALID;
	}
	*reason = NULL;
	return D_OK;
}

static int write_answers(struct dctx *dc, int64_t id, const struct proposal_input *in)
{
	for (int i = 0; i < in->nanswers; i++) {
		const char *s = in->answers[i].value ? in->answers[i].value : "";
		int64_t n = *s ? db_exec(dc->db, "INSERT INTO proposal_answers (proposal_id, key, value) VALUES (?, ?, ?)"
					 " ON CONFLICT (proposal_id, key) DO UPDATE SET value = excluded.value", "iss", id,
					 in->answers[i].key, s)
			       : db_exec(dc->db, "DELETE FROM proposal_answers WHERE proposal_id = ? AND key = ?", "is", id,
					 in->answers[i].key);

		if (n < 0)
			return -1;
	}
	return 0;
}

static int write_coauthors(struct dctx *dc, int64_t id, int64_t author, const struct proposal_input *in)
{
	if (in->ncoauthors < 0)
		return 0;
	if (db_exec(dc->db, "DELETE FROM proposal_authors WHERE proposal_id = ? AND role = 'coauthor'", "i", id) < 0)
		return -1;
	for (int i = 0; i < in->ncoauthors; i++) {
		if (in->coauthors[i] == author)
			continue;
		if (db_exec(dc->db, "INSERT INTO proposal_authors (proposal_id, user_id, role, pos) VALUES (?, ?, 'coauthor', ?)"
			    " ON CONFLICT DO NOTHING", "iii", id, in->coauthors[i], (int64_t)i + 1) < 0)
			return -1;
	}
	return 0;
}

/* Why a write gated on the call's window found nothing to change. */
static const char *window_reason(struct dctx *dc, int64_t call_id)
{
	int64_t opens = 0;

	if (db_int(dc->db, &opens, "SELECT opens_at FROM calls WHERE id = ?", "i", call_id) == 1 && dc->now < opens)
		return CALL_E_NOT_OPEN;
	return CALL_E_CLOSED;
}


/* May V edit proposal id as one of its authors? The common case (an
 * author) in one statement, *call_id its call; anyone else gets the access
 * module's answer (D_NOT_FOUND, or D_FORBIDDEN with *reason "author"). */
static enum derr as_author(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *call_id, const char **reason)
{
	struct db_stmt *st;
	enum derr rc;
	int step, author = 0;

	*call_id = 0;
	if (!v || !v->id)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT p.call_id, (SELECT COUNT(*) FROM proposal_authors a WHERE a.proposal_id = p.id"
		      " AND a.user_id = ?) FROM proposals p WHERE p.id = ?", "ii", v->id, id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW) {
		*call_id = db_col_int(st, 0);
		author = db_col_int(st, 1) > 0;
	}
	if (db_finish(st) < 0 || step == DB_ERR)
		return D_INTERNAL;
	if (step == DB_ROW && author)
		return D_OK;
	rc = access_check(dc, v, AK_PROPOSAL, id, AA_EDIT);
	if (rc == D_FORBIDDEN)
		*reason = "author";
	return rc;      /* D_OK: made an author meanwhile */
}

/* The call's form only (what validating answers needs). */
static enum derr load_fields(struct dctx *dc, int64_t call_id, struct call *c)
{
	memset(c, 0, sizeof *c);
	c->id = call_id;
	return read_form(dc, c) < 0 ? D_INTERNAL : D_OK;
}

/* ---- proposals: writing ------------------------------------------------------- */

enum derr proposal_create(struct dctx *dc, const struct viewer *v, int64_t call_id, const struct proposal_input *in,
			  int64_t *id, const char **reason)
{
	struct call c;
	struct db_stmt *st;
	enum derr rc = access_check(dc, v, AK_CALL, call_id, AA_SEE);

	*id = 0;
	*reason = NULL;
	if (rc != D_OK)
		return rc;
	if (!v || !v->id)
		return D_NOT_FOUND;
	rc = load_call_row(dc, call_id, &c);
	if (rc != D_OK)
		return rc;
	*reason = "title";
	if (!in->title || !text_length_ok(in->title, 1, CALL_TITLE_MAX, 0) || text_blank(in->title))
		return D_INVALID;
	*reason = NULL;
	if ((rc = validate_answers(dc, v, &c, in, reason)) != D_OK || (rc = validate_coauthors(dc, v, in, reason)) != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	/* the window and the insert in one statement */
	st = db_query(dc->db, "INSERT INTO proposals (call_id, author_id, title, status, academy, created_at, updated_at)"
		      " SELECT c.id, u.id, ?, 'draft', u.academy, ?, ? FROM calls c JOIN users u ON u.id = ?"
		      " WHERE c.id = ? AND c.opens_at <= ? AND c.closes_at > ? RETURNING id", "siiiiii",
		      text_trim(arena_strdup(dc->arena, in->title)), dc->now, dc->now, v->id, call_id, dc->now, dc->now);
	if (st && db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finish(st) < 0) {
		rc = D_INTERNAL;
	} else if (!*id) {
		*reason = window_reason(dc, call_id);
		rc = D_INVALID;
	} else if (db_exec(dc->db, "INSERT INTO proposal_authors (proposal_id, user_id, role, pos) VALUES (?, ?, 'author', 0)",
			   "ii", *id, v->id) != 1 || write_answers(dc, *id, in) < 0 || write_coauthors(dc, *id, v->id, in) < 0) {
		rc = D_INTERNAL;
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		*id = 0;
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr proposal_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct proposal_input *in,
			  const char **reason)
{
	struct call c;
	int64_t n, call_id = 0, owner = 0;
	enum derr rc;

	*reason = NULL;
	rc = as_author(dc, v, id, &call_id, reason);
	if (rc != D_OK)
		return rc;
	if (in->nanswers > 0 && (rc = load_fields(dc, call_id, &c)) != D_OK)
		return rc;
	*reason = "title";
	if (in->title && (!text_length_ok(in->title, 1, CALL_TITLE_MAX, 0) || text_blank(in->title)))
		return D_INVALID;
	*reason = NULL;
	if ((in->nanswers > 0 && (rc = validate_answers(dc, v, &c, in, reason)) != D_OK) ||
	    (rc = validate_coauthors(dc, v, in, reason)) != D_OK)
		return rc;
	if (in->ncoauthors >= 0 && db_int(dc->db, &owner, "SELECT COALESCE(author_id, 0) FROM proposals WHERE id = ?",
					  "i", id) < 0)
		return D_INTERNAL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	/* the deadline and the status checked by the statement that writes */
	n = db_exec(dc->db, "UPDATE proposals SET title = COALESCE(?, title), updated_at = ? WHERE id = ?"
		    " AND status IN ('draft','submitted') AND EXISTS (SELECT 1 FROM calls c WHERE c.id = proposals.call_id"
		    " AND c.opens_at <= ? AND c.closes_at > ?)", "siiii",
		    in->title ? text_trim(arena_strdup(dc->arena, in->title)) : NULL, dc->now, id, dc->now, dc->now);
	if (n < 0) {
		rc = D_INTERNAL;
	} else if (n == 0) {
		int64_t x = 0;

		rc = D_INVALID;
		*reason = db_int(dc->db, &x, "SELECT 1 FROM proposals WHERE id = ? AND status IN ('draft','submitted')", "i",
				 id) == 1 ? window_reason(dc, call_id) : CALL_E_STATUS;
	} else if (write_answers(dc, id, in) < 0 || write_coauthors(dc, id, owner, in) < 0) {
		rc = D_INTERNAL;
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

/* The receipt of a submission, to every author, in their language. */
static int mail_receipt(struct dctx *dc, int64_t id, const char *title, const char *call_title)
{
	struct db_stmt *st = db_query(dc->db, "SELECT u.email, u.lang FROM proposal_authors a JOIN users u"
				      " ON u.id = a.user_id AND u.status = 'active' WHERE a.proposal_id = ?", "i", id);
	int rc = 0;

	while (st && db_step(st) == DB_ROW) {
		const char *lang = db_col_text(st, 1) && !strcmp(db_col_text(st, 1), "en") ? "en" : "fr";
		const char *to = db_col_dup(st, 0, dc->arena);
		const char *subject = arena_printf(dc->arena, "[Respire] %s « %s »", tr(lang, "call.mail.receipt.subject"),
						   title);
		const char *body = arena_printf(dc->arena, "%s\n\n« %s »\n%s « %s »\n\n%s %s/proposals/%lld\n",
						tr(lang, "call.mail.receipt.body"), title, tr(lang, "call.mail.receipt.call"),
						call_title, tr(lang, "call.mail.receipt.link"),
						dc->base_url ? dc->base_url : "", (long long)id);

		if (to && subject && body && mail_enqueue(dc, to, subject, body, NULL) == -1)
			rc = -1;
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	return rc;
}

enum derr proposal_submit(struct dctx *dc, const struct viewer *v, int64_t id, const char **reason)
{
	struct db_stmt *st;
	const char *title = NULL, *call_title = NULL, *missing = NULL;
	int64_t call_id = 0;
	enum derr rc;

	*reason = NULL;
	rc = as_author(dc, v, id, &call_id, reason);
	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	/* the first required answer not given, if any */
	st = db_query(dc->db, "SELECT f.key FROM call_fields f WHERE f.call_id = ? AND f.required = 1"
		      " AND NOT EXISTS (SELECT 1 FROM proposal_answers a WHERE a.proposal_id = ? AND a.key = f.key"
		      " AND a.value <> '') ORDER BY f.pos LIMIT 1", "ii", call_id, id);
	if (st && db_step(st) == DB_ROW)
		missing = db_col_dup(st, 0, dc->arena);
	if (db_finish(st) < 0 || !st)
		goto out;
	if (missing) {
		*reason = reason_key(dc, CALL_E_MISSING, missing);
		rc = D_INVALID;
		goto out;
	}
	/* the deadline (exclusive) and the status judged by the statement that writes */
	st = db_query(dc->db, "UPDATE proposals SET status = 'submitted', submitted_at = COALESCE(submitted_at, ?),"
		      " updated_at = ? WHERE id = ? AND status IN ('draft','submitted')"
		      " AND EXISTS (SELECT 1 FROM calls c WHERE c.id = proposals.call_id AND c.opens_at <= ? AND c.closes_at > ?)"
		      " RETURNING title, (SELECT title FROM calls WHERE id = proposals.call_id)", "iiiii", dc->now, dc->now, id,
		      dc->now, dc->now);
	if (st && db_step(st) == DB_ROW) {
		title = db_col_dup(st, 0, dc->arena);
		call_title = db_col_dup(st, 1, dc->arena);
	}
	if (db_finish(st) < 0)
		goto out;
	if (!title) {
		int64_t x = 0;

		*reason = db_int(dc->db, &x, "SELECT 1 FROM proposals WHERE id = ? AND status IN ('draft','submitted')", "i",
				 id) == 1 ? window_reason(dc, call_id) : CALL_E_STATUS;
		rc = D_INVALID;
		goto out;
	}
	if (mail_receipt(dc, id, title, call_title ? call_title : "") < 0)
		goto out;
	rc = D_OK;
out:
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr proposal_withdraw(struct dctx *dc, const struct viewer *v, int64_t id, const char **reason)
{
	enum derr rc = access_check(dc, v, AK_PROPOSAL, id, AA_EDIT);
	int64_t n;

	*reason = NULL;
	if (rc == D_FORBIDDEN)
		*reason = "author";
	if (rc != D_OK)
		return rc;
	n = db_exec(dc->db, "UPDATE proposals SET status = 'withdrawn', updated_at = ? WHERE id = ?"
		    " AND status IN ('draft','submitted','under_review')", "ii", dc->now, id);
	if (n < 0)
		return D_INTERNAL;
	if (!n) {
		*reason = CALL_E_STATUS;
		return D_INVALID;
	}
	return D_OK;
}

/* ---- proposals: reading ------------------------------------------------------- */

#define PROPOSAL_COLUMNS \
	"pr.id, pr.call_id, c.title, COALESCE(pr.author_id, 0), COALESCE(u.name, ''), pr.title, pr.status," \
	" pr.academy, pr.created_at, pr.updated_at, COALESCE(pr.submitted_at, 0), COALESCE(pr.decided_at, 0)," \
	" pr.decision_message, COALESCE(pr.innovation_id, 0)," \
	" (SELECT COALESCE(SUM(rs.score * cc.weight), 0) FROM review_scores rs JOIN call_criteria cc" \
	"   ON cc.call_id = pr.call_id AND cc.key = rs.key WHERE rs.proposal_id = pr.id)," \
	" (SELECT COALESCE(SUM(cc.weight), 0) FROM review_scores rs JOIN call_criteria cc" \
	"   ON cc.call_id = pr.call_id AND cc.key = rs.key WHERE rs.proposal_id = pr.id)," \
	" (SELECT COUNT(*) FROM proposal_assignments pa WHERE pa.proposal_id = pr.id AND pa.reviewed_at IS NOT NULL)," \
	" (SELECT COUNT(*) FROM proposal_assignments pa WHERE pa.proposal_id = pr.id)," \
	" CASE WHEN c.public_vote = 1 AND c.closes_at <= ? THEN" \
	"   (SELECT COUNT(*) FROM proposal_votes pv WHERE pv.proposal_id = pr.id) ELSE -1 END," \
	" (SELECT COUNT(*) FROM proposal_authors pm WHERE pm.proposal_id = pr.id AND pm.user_id = ?)," \
	" (SELECT COUNT(*) FROM proposal_votes pw WHERE pw.proposal_id = pr.id AND pw.user_id = ?)"
/* PROPOSAL_COLUMNS binds three values first: PROPOSAL_ARGS. */
#define PROPOSAL_TYPES "iii"
#define PROPOSAL_ARGS(dc, v) (dc)->now, (v)->id, (v)->id
#define PROPOSAL_FROM \
	" FROM proposals pr JOIN calls c ON c.id = pr.call_id LEFT JOIN users u ON u.id = pr.author_id"

/* Reads a row; blind: hides the authors from one who is not an author. */
static void read_proposal(struct dctx *dc, struct db_stmt *st, struct proposal *p, int manager)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->call_id = db_col_int(st, 1);
	p->call_title = db_col_dup(st, 2, dc->arena);
	p->author_id = db_col_int(st, 3);
	p->author_name = db_col_dup(st, 4, dc->arena);
	p->title = db_col_dup(st, 5, dc->arena);
	p->status = db_col_dup(st, 6, dc->arena);
	p->academy = db_col_dup(st, 7, dc->arena);
	p->created_at = db_col_int(st, 8);
	p->updated_at = db_col_int(st, 9);
	p->submitted_at = db_col_int(st, 10);
	p->decided_at = db_col_int(st, 11);
	p->decision_message = db_col_dup(st, 12, dc->arena);
	p->innovation_id = db_col_int(st, 13);
	p->score_num = db_col_int(st, 14);
	p->score_den = db_col_int(st, 15);
	p->reviews_done = db_col_int(st, 16);
	p->reviews_assigned = db_col_int(st, 17);
	p->votes = db_col_int(st, 18);
	p->is_author = db_col_int(st, 19) > 0;
	p->voted_by_me = db_col_int(st, 20) > 0;
	p->is_manager = manager;
	if (!manager && !p->is_author) {      /* blind review: reviewers do not see who wrote it */
		p->author_id = 0;
		p->author_name = "";
	}
	if (!manager && !p->is_author && p->decided_at) {
		/* the decision's message is for the authors */
		p->decision_message = "";
	}
}

static int read_answers(struct dctx *dc, struct proposal *p)
{
	struct db_stmt *st = db_query(dc->db, "SELECT a.key, a.value FROM proposal_answers a JOIN proposals pr"
				      " ON pr.id = a.proposal_id LEFT JOIN call_fields f ON f.call_id = pr.call_id"
				      " AND f.key = a.key WHERE a.proposal_id = ? ORDER BY COALESCE(f.pos, 999), a.key",
				      "i", p->id);
	int n = 0;

	p->answers = arena_alloc(dc->arena, (CALL_FIELDS_MAX + 1) * sizeof *p->answers);
	if (!p->answers) {
		db_finish(st);
		return -1;
	}
	while (st && db_step(st) == DB_ROW && n < CALL_FIELDS_MAX) {
		p->answers[n].key = db_col_dup(st, 0, dc->arena);
		p->answers[n++].value = db_col_dup(st, 1, dc->arena);
	}
	p->nanswers = n;
	return db_finish(st) < 0 || !st ? -1 : 0;
}

static int read_authors(struct dctx *dc, struct proposal *p)
{
	struct db_stmt *st = db_query(dc->db, "SELECT a.user_id, u.name, a.role FROM proposal_authors a JOIN users u"
				      " ON u.id = a.user_id WHERE a.proposal_id = ? ORDER BY a.pos, a.user_id", "i", p->id);
	int n = 0;

	p->authors = arena_alloc(dc->arena, (PROPOSAL_COAUTHORS_MAX + 2) * sizeof *p->authors);
	if (!p->authors) {
		db_finish(st);
		return -1;
	}
	while (st && db_step(st) == DB_ROW && n < PROPOSAL_COAUTHORS_MAX + 2) {
		p->authors[n].id = db_col_int(st, 0);
		p->authors[n].name = db_col_dup(st, 1, dc->arena);
		p->authors[n++].role = db_col_dup(st, 2, dc->arena);
	}
	p->nauthors = n;
	return db_finish(st) < 0 || !st ? -1 : 0;
}

int proposal_read_details(struct dctx *dc, struct proposal *p)
{
	if (read_answers(dc, p) < 0)
		return -1;
	if (!p->is_manager && !p->is_author) {
		p->nauthors = 0;
		return 0;
	}
	return read_authors(dc, p);
}

/* The reviews V may read: managers all, a reviewer their own. */
static int read_reviews(struct dctx *dc, const struct viewer *v, struct proposal *p)
{
	struct db_stmt *st = db_query(dc->db, "SELECT a.reviewer_id, u.name, a.stage, COALESCE(a.recommendation, ''),"
				      " a.comment, a.assigned_at, COALESCE(a.reviewed_at, 0) FROM proposal_assignments a"
				      " JOIN users u ON u.id = a.reviewer_id WHERE a.proposal_id = ? AND (? = 1 OR a.reviewer_id = ?)"
				      " ORDER BY a.stage, a.assigned_at, a.reviewer_id", "iii", p->id,
				      (int64_t)(p->is_manager ? 1 : 0), v->id);
	int n = 0, cap = 16;

	p->reviews = arena_alloc(dc->arena, (size_t)cap * sizeof *p->reviews);
	if (!p->reviews) {
		db_finish(st);
		return -1;
	}
	while (st && db_step(st) == DB_ROW && n < cap) {
		struct proposal_review *r = &p->reviews[n++];

		memset(r, 0, sizeof *r);
		r->reviewer_id = db_col_int(st, 0);
		r->reviewer_name = db_col_dup(st, 1, dc->arena);
		r->stage = db_col_dup(st, 2, dc->arena);
		r->recommendation = db_col_dup(st, 3, dc->arena);
		r->comment = db_col_dup(st, 4, dc->arena);
		r->assigned_at = db_col_int(st, 5);
		r->reviewed_at = db_col_int(st, 6);
	}
	p->nreviews = n;
	if (db_finish(st) < 0 || !st)
		return -1;
	for (int i = 0; i < n; i++) {
		struct proposal_review *r = &p->reviews[i];
		int k = 0;

		r->scores = arena_alloc(dc->arena, (CALL_CRITERIA_MAX + 1) * sizeof *r->scores);
		if (!r->scores)
			return -1;
		st = db_query(dc->db, "SELECT s.key, s.score FROM review_scores s LEFT JOIN call_criteria cc"
			      " ON cc.call_id = ? AND cc.key = s.key WHERE s.proposal_id = ? AND s.reviewer_id = ?"
			      " AND s.stage = ? ORDER BY COALESCE(cc.pos, 999), s.key", "iiis", p->call_id, p->id,
			      r->reviewer_id, r->stage);
		while (st && db_step(st) == DB_ROW && k < CALL_CRITERIA_MAX) {
			r->scores[k].key = db_col_dup(st, 0, dc->arena);
			r->scores[k++].score = db_col_int(st, 1);
		}
		r->nscores = k;
		if (db_finish(st) < 0 || !st)
			return -1;
	}
	return 0;
}

enum derr proposal_get(struct dctx *dc, const struct viewer *v, int64_t id, struct proposal *out)
{
	struct access_item it;
	struct db_stmt *st;
	enum derr rc = access_check_item(dc, v, AK_PROPOSAL, id, AA_SEE, &it);
	int step, manager;

	if (rc != D_OK)
		return rc;
	manager = access_call_manager(dc, v, it.group.id);
	st = db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " WHERE pr.id = ?", PROPOSAL_TYPES "i",
		      PROPOSAL_ARGS(dc, v), id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_proposal(dc, st, out, manager);
	if (db_finish(st) < 0 || step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	out->is_reviewer = access_proposal_reviewer(dc, v, id);
	if (proposal_read_details(dc, out) < 0 || read_reviews(dc, v, out) < 0)
		return D_INTERNAL;
	return D_OK;
}

int proposals_list(struct dctx *dc, const struct viewer *v, int64_t call_id, const struct proposal_filter *f,
		   struct proposal **out, int64_t *next)
{
	struct call c;
	struct db_stmt *st;
	int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50, n = 0, manager;
	enum derr rc = access_check(dc, v, AK_CALL, call_id, AA_SEE);

	*next = 0;
	if (rc == D_NOT_FOUND)
		return -2;
	if (rc != D_OK)
		return -1;
	if (load_call_row(dc, call_id, &c) != D_OK)
		return -1;
	manager = access_call_manager(dc, v, c.group_id) && !f->mine && !f->ballot;
	*out = arena_alloc(dc->arena, (size_t)(limit + 1) * sizeof **out);
	if (!*out)
		return -1;
	if (f->ballot) {
		if (!c.public_vote || !v->id)
			return 0;
		st = db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " WHERE pr.call_id = ?"
			      " AND pr.status NOT IN ('draft','withdrawn') AND (? IS NULL OR pr.academy = ?)"
			      " AND (? = 0 OR pr.id < ?) ORDER BY pr.id DESC LIMIT ?", PROPOSAL_TYPES "issiii", PROPOSAL_ARGS(dc, v), call_id,
			      f->academy, f->academy, f->before, f->before, (int64_t)limit + 1);
	} else if (manager) {
		st = db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " WHERE pr.call_id = ?"
			      " AND (? IS NULL OR pr.status = ?) AND (? IS NULL OR pr.academy = ?)"
			      " AND (? = 0 OR pr.id < ?) ORDER BY pr.id DESC LIMIT ?", PROPOSAL_TYPES "issssiii", PROPOSAL_ARGS(dc, v),
			      call_id, f->status, f->status, f->academy, f->academy, f->before, f->before, (int64_t)limit + 1);
	} else {
		st = db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " WHERE pr.call_id = ?"
			      " AND (EXISTS (SELECT 1 FROM proposal_authors apa WHERE apa.proposal_id = pr.id AND apa.user_id = ?)"
			      "  OR (? = 0 AND EXISTS (SELECT 1 FROM proposal_assignments apr WHERE apr.proposal_id = pr.id"
			      "   AND apr.reviewer_id = ?)))"
			      " AND (? IS NULL OR pr.status = ?) AND (? IS NULL OR pr.academy = ?)"
			      " AND (? = 0 OR pr.id < ?) ORDER BY pr.id DESC LIMIT ?", PROPOSAL_TYPES "iiiissssiii", PROPOSAL_ARGS(dc, v),
			      call_id, v->id, (int64_t)(f->mine ? 1 : 0), v->id, f->status, f->status, f->academy,
			      f->academy, f->before, f->before, (int64_t)limit + 1);
	}
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW && n <= limit)
		read_proposal(dc, st, &(*out)[n++], manager);
	if (db_finish(st) < 0)
		return -1;
	if (n > limit) {
		n = limit;
		*next = (*out)[n - 1].id;
	}
	return n;
}

static int list_by(struct dctx *dc, struct db_stmt *st, struct proposal **out)
{
	int n = 0, cap = 200;

	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW && n < cap)
		read_proposal(dc, st, &(*out)[n++], 0);
	return db_finish(st) < 0 ? -1 : n;
}

int proposals_mine(struct dctx *dc, const struct viewer *v, struct proposal **out)
{
	return list_by(dc, db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " WHERE pr.id IN"
				    " (SELECT proposal_id FROM proposal_authors WHERE user_id = ?) ORDER BY pr.id DESC LIMIT 200",
				    PROPOSAL_TYPES "i", PROPOSAL_ARGS(dc, v), v->id), out);
}

int proposals_to_review(struct dctx *dc, const struct viewer *v, struct proposal **out)
{
	return list_by(dc, db_query(dc->db, "SELECT " PROPOSAL_COLUMNS PROPOSAL_FROM " JOIN proposal_assignments ma"
				    " ON ma.proposal_id = pr.id AND ma.reviewer_id = ?"
				    " ORDER BY CASE WHEN ma.reviewed_at IS NULL THEN 0 ELSE 1 END, pr.id DESC LIMIT 200",
				    PROPOSAL_TYPES "i", PROPOSAL_ARGS(dc, v), v->id), out);
}

/* ---- reviews, decisions, publication, votes ----------------------------------- */

enum derr proposal_review_save(struct dctx *dc, const struct viewer *v, int64_t id, const struct review_input *in,
			       const char **reason)
{
	struct access_item it;
	struct call c;
	struct db_stmt *st;
	const char *stage = NULL;
	enum derr rc = access_check_item(dc, v, AK_PROPOSAL, id, AA_SEE, &it);
	int64_t x = 0;

	*reason = NULL;
	if (rc != D_OK)
		return rc;
	/* the reviewer's latest assignment on it; none: not found */
	st = db_query(dc->db, "SELECT stage FROM proposal_assignments WHERE proposal_id = ? AND reviewer_id = ?"
		      " ORDER BY CASE WHEN stage = 'national' THEN 0 ELSE 1 END LIMIT 1", "ii", id, v->id);
	if (st && db_step(st) == DB_ROW)
		stage = db_col_dup(st, 0, dc->arena);
	if (db_finish(st) < 0 || !st)
		return D_INTERNAL;
	if (!stage)
		return D_NOT_FOUND;
	if ((rc = load_call_row(dc, it.parent_id, &c)) != D_OK)
		return rc;
	if (db_int(dc->db, &x, "SELECT 1 FROM proposals WHERE id = ? AND status IN ('submitted','under_review')", "i",
		   id) != 1) {
		*reason = CALL_E_STATUS;
		return D_INVALID;
	}
	*reason = "recommendation";
	if (!text_one_of(in->recommendation, review_recommendations))
		return D_INVALID;
	*reason = "comment";
	if (in->comment && !text_length_ok(in->comment, 0, PROPOSAL_MESSAGE_MAX, 1))
		return D_INVALID;
	for (int i = 0; i < in->nscores; i++) {
		int known = 0;

		for (int k = 0; k < c.ncriteria; k++)
			if (!strcmp(c.criteria[k].key, in->scores[i].key)) {
				known = 1;
				if (in->scores[i].score < 0 || in->scores[i].score > c.criteria[k].max) {
					*reason = reason_key(dc, CALL_E_SCORE, in->scores[i].key);
					return D_INVALID;
				}
			}
		if (!known) {
			*reason = reason_key(dc, CALL_E_SCORE, in->scores[i].key);
			return D_INVALID;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(in->scores[j].key, in->scores[i].key)) {
				*reason = reason_key(dc, CALL_E_SCORE, in->scores[i].key);
				return D_INVALID;
			}
	}
	for (int k = 0; k < c.ncriteria; k++) {
		int given = 0;

		for (int i = 0; i < in->nscores; i++)
			given |= !strcmp(c.criteria[k].key, in->scores[i].key);
		if (!given) {
			*reason = reason_key(dc, CALL_E_SCORE, c.criteria[k].key);
			return D_INVALID;
		}
	}
	*reason = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	if (db_exec(dc->db, "UPDATE proposal_assignments SET reviewed_at = ?, recommendation = ?, comment = ?"
		    " WHERE proposal_id = ? AND reviewer_id = ? AND stage = ?", "issiis", dc->now, in->recommendation,
		    in->comment ? in->comment : "", id, v->id, stage) != 1 ||
	    db_exec(dc->db, "DELETE FROM review_scores WHERE proposal_id = ? AND reviewer_id = ? AND stage = ?", "iis", id,
		    v->id, stage) < 0)
		goto out;
	for (int i = 0; i < in->nscores; i++)
		if (db_exec(dc->db, "INSERT INTO review_scores (proposal_id, reviewer_id, stage, key, score)"
			    " VALUES (?, ?, ?, ?, ?)", "iissi", id, v->id, stage, in->scores[i].key, in->scores[i].score) != 1)
			goto out;
	rc = D_OK;
out:
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

/* A notification about proposal id to each of its authors (mail at once
 * when their "request" setting says so). */
static int notify_authors(struct dctx *dc, const struct viewer *v, int64_t id, const char *kind)
{
	struct db_stmt *st = db_query(dc->db, "INSERT INTO notifications (user_id, kind, actor_id, proposal_id, created_at)"
				      " SELECT a.user_id, ?, NULLIF(?, 0), ?, ? FROM proposal_authors a WHERE a.proposal_id = ?"
				      " AND a.user_id <> ? RETURNING id, user_id", "siiiii", kind, v->id, id, dc->now, id, v->id);
	int64_t ids[PROPOSAL_COAUTHORS_MAX + 2];
	int n = 0;

	while (st && db_step(st) == DB_ROW) {
		if (n < (int)(sizeof ids / sizeof ids[0]))
			ids[n++] = db_col_int(st, 0);
		dctx_wake(dc, db_col_int(st, 1));
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	for (int i = 0; i < n; i++)
		if (notify_mail_now(dc, ids[i]) < 0)
			return -1;
	return 0;
}

enum derr proposal_decide(struct dctx *dc, const struct viewer *v, int64_t id, const char *status,
			  const char *message, const char **reason)
{
	enum derr rc = access_check(dc, v, AK_PROPOSAL, id, AA_MODERATE);
	int64_t n;

	*reason = NULL;
	if (rc == D_FORBIDDEN)
		*reason = "manager";
	if (rc != D_OK)
		return rc;
	*reason = "status";
	if (!text_one_of(status, proposal_decisions))
		return D_INVALID;
	*reason = "message";
	if (message && !text_length_ok(message, 0, PROPOSAL_MESSAGE_MAX, 1))
		return D_INVALID;
	*reason = NULL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	n = db_exec(dc->db, "UPDATE proposals SET status = ?, decision_message = ?, decided_at = ?, decided_by = ?,"
		    " updated_at = ? WHERE id = ? AND status IN ('submitted','under_review','accepted','rejected','waitlisted')",
		    "ssiiii", status, message ? message : "", dc->now, v->id, dc->now, id);
	if (n < 0 || (n == 1 && notify_authors(dc, v, id, "decision") < 0)) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	if (n == 0) {
		db_rollback(dc->db);
		*reason = CALL_E_STATUS;
		return D_INVALID;
	}
	return db_commit(dc->db) < 0 ? D_INTERNAL : D_OK;
}

static int64_t year_of(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 2026;
	return tm.tm_year + 1900;
}

enum derr proposal_publish(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *innovation_id,
			   const char **reason)
{
	struct proposal p;
	struct call c;
	struct innovation_input in;
	struct viewer author = { 0 };
	struct buf summary = BUF_INIT, actions = BUF_INIT;
	int64_t *co;
	int nco = 0;
	enum derr rc = access_check(dc, v, AK_PROPOSAL, id, AA_MODERATE);
	const char *field = NULL;

	*innovation_id = 0;
	*reason = NULL;
	if (rc == D_FORBIDDEN)
		*reason = "manager";
	if (rc != D_OK)
		return rc;
	if ((rc = proposal_get(dc, v, id, &p)) != D_OK)
		return rc;
	if ((rc = load_call_row(dc, p.call_id, &c)) != D_OK)
		return rc;
	if (strcmp(p.status, "accepted")) {
		*reason = CALL_E_STATUS;
		return D_INVALID;
	}
	if (p.innovation_id) {
		*reason = CALL_E_PUBLISHED;
		return D_CONFLICT;
	}
	if (!p.author_id) {
		*reason = "author";
		return D_INVALID;
	}
	if (!innovation_academy_known(dc, p.academy)) {
		*reason = CALL_E_ACADEMY;
		return D_INVALID;
	}
	/* the first long answer is the summary, every answer goes into the actions */
	for (int i = 0; i < p.nanswers; i++) {
		const struct call_field *f = field_of(&c, p.answers[i].key);

		if (!f || !strcmp(f->type, "file") || !strcmp(f->type, "choice"))
			continue;
		if (!summary.len && !strcmp(f->type, "longtext"))
			buf_puts(&summary, p.answers[i].value);
		buf_printf(&actions, "### %s\n\n%s\n\n", f->label, p.answers[i].value);
	}
	buf_printf(&summary, "%sIssu de l'appel à projets « %s ».", summary.len ? "\n\n" : "", c.title);
	co = arena_alloc(dc->arena, (size_t)(p.nauthors + 1) * sizeof *co);
	for (int i = 0; co && i < p.nauthors; i++)
		if (p.authors[i].id != p.author_id && nco < INNOVATION_COAUTHORS_MAX)
			co[nco++] = p.authors[i].id;
	innovation_input_init(&in);
	in.title = p.title;
	in.summary = summary.failed ? "" : buf_str(&summary);
	in.actions = actions.failed || !actions.len ? "" : buf_str(&actions);
	if (strlen(in.summary) > INNOVATION_TEXT_MAX / 2 || strlen(in.actions) > INNOVATION_TEXT_MAX / 2) {
		/* keep the record within its bounds: the proposal stays whole */
		in.summary = arena_printf(dc->arena, "Issu de l'appel à projets « %s ».", c.title);
		in.actions = "";
	}
	in.academy = p.academy;
	in.type = "local";
	in.visibility = "members";
	in.started_year = year_of(dc->now);
	in.duration_years = 1;
	in.coauthors = co;
	in.ncoauthors = co ? nco : -1;
	author.id = p.author_id;
	if (db_begin(dc->db) < 0) {
		rc = D_INTERNAL;
		goto done;
	}
	rc = innovation_create(dc, &author, &in, innovation_id, &field);
	if (rc == D_OK && db_exec(dc->db, "UPDATE proposals SET innovation_id = ?, updated_at = ? WHERE id = ?"
				  " AND innovation_id IS NULL", "iii", *innovation_id, dc->now, id) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		if (rc == D_INVALID)
			*reason = field;
		rc = rc == D_OK ? D_INTERNAL : rc;
		*innovation_id = 0;
	}
done:
	buf_free(&summary);
	buf_free(&actions);
	return rc;
}

enum derr proposal_vote(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *call_out, const char **reason)
{
	struct db_stmt *st;
	int64_t call_id = 0, public_vote = 0, closes = 0, n;
	const char *status = NULL;
	enum derr rc;
	int step;

	*reason = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT pr.call_id, pr.status, c.public_vote, c.closes_at FROM proposals pr"
		      " JOIN calls c ON c.id = pr.call_id WHERE pr.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW) {
		call_id = db_col_int(st, 0);
		status = db_col_dup(st, 1, dc->arena);
		public_vote = db_col_int(st, 2);
		closes = db_col_int(st, 3);
	}
	if (db_finish(st) < 0 || step == DB_ERR)
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	/* on the ballot: a call V sees with a public vote, a proposal submitted */
	*call_out = call_id;
	rc = access_check(dc, v, AK_CALL, call_id, AA_SEE);
	if (rc != D_OK)
		return rc;
	if (!public_vote) {
		/* without a vote, the proposal is its readers' only */
		rc = access_check(dc, v, AK_PROPOSAL, id, AA_SEE);
		if (rc != D_OK)
			return rc;
		*reason = CALL_E_NO_VOTE;
		return D_INVALID;
	}
	if (!status || !strcmp(status, "draft") || !strcmp(status, "withdrawn"))
		return D_NOT_FOUND;
	if (dc->now >= closes) {
		*reason = CALL_E_CLOSED;
		return D_INVALID;
	}
	n = db_exec(dc->db, "INSERT INTO proposal_votes (proposal_id, user_id, created_at) VALUES (?, ?, ?)"
		    " ON CONFLICT DO NOTHING", "iii", id, v->id, dc->now);
	if (n < 0)
		return D_INTERNAL;
	if (!n) {
		*reason = CALL_E_VOTED;
		return D_CONFLICT;
	}
	return D_OK;
}

/* ---- the dashboard ------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t civil_days(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The Europe/Paris day of t (the process's time zone, set by serve). */
static int64_t local_day(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return t / 86400;
	return civil_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int read_counts(struct dctx *dc, struct db_stmt *st, struct call_count **out)
{
	int n = 0, cap = 64;

	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW && n < cap) {
		(*out)[n].key = db_col_dup(st, 0, dc->arena);
		(*out)[n++].count = db_col_int(st, 1);
	}
	return db_finish(st) < 0 ? -1 : n;
}

enum derr call_dashboard(struct dctx *dc, const struct viewer *v, int64_t call_id, struct call_dashboard *out)
{
	struct call c;
	struct db_stmt *st;
	int64_t first, last;
	enum derr rc = manage(dc, v, call_id, &c, NULL);

	memset(out, 0, sizeof *out);
	if (rc != D_OK)
		return rc;
	out->nstatus = read_counts(dc, db_query(dc->db, "SELECT status, COUNT(*) FROM proposals WHERE call_id = ?"
						" GROUP BY status ORDER BY status", "i", call_id), &out->by_status);
	out->nacademy = read_counts(dc, db_query(dc->db, "SELECT academy, COUNT(*) FROM proposals WHERE call_id = ?"
						 " AND status NOT IN ('draft','withdrawn') GROUP BY academy"
						 " ORDER BY 2 DESC, 1", "i", call_id), &out->by_academy);
	if (out->nstatus < 0 || out->nacademy < 0)
		return D_INTERNAL;
	first = local_day(c.opens_at);
	last = local_day((dc->now < c.closes_at ? dc->now : c.closes_at - 1));
	if (last < first)
		last = first;
	if (last - first + 1 > DASHBOARD_DAYS_MAX)
		first = last - DASHBOARD_DAYS_MAX + 1;
	out->ndays = (int)(last - first + 1);
	out->per_day = arena_alloc(dc->arena, (size_t)out->ndays * sizeof *out->per_day);
	if (!out->per_day)
		return D_INTERNAL;
	memset(out->per_day, 0, (size_t)out->ndays * sizeof *out->per_day);
	/* the first day's noon: labels are read from it, a day at a time */
	out->day0 = c.opens_at + (first - local_day(c.opens_at)) * 86400;
	st = db_query(dc->db, "SELECT submitted_at FROM proposals WHERE call_id = ? AND submitted_at IS NOT NULL"
		      " AND status <> 'withdrawn'", "i", call_id);
	while (st && db_step(st) == DB_ROW) {
		int64_t d = local_day(db_col_int(st, 0)) - first;

		if (d >= 0 && d < out->ndays)
			out->per_day[d]++;
	}
	if (db_finish(st) < 0 || !st)
		return D_INTERNAL;
	st = db_query(dc->db, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.reviewed_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
		      " COALESCE(SUM(CASE WHEN a.reviewed_at IS NULL AND ? > c.reviews_due_at THEN 1 ELSE 0 END), 0)"
		      " FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id JOIN calls c ON c.id = p.call_id"
		      " WHERE p.call_id = ?", "ii", dc->now, call_id);
	if (st && db_step(st) == DB_ROW) {
		out->reviews_assigned = db_col_int(st, 0);
		out->reviews_done = db_col_int(st, 1);
		out->reviews_late = db_col_int(st, 2);
	}
	if (db_finish(st) < 0 || !st)
		return D_INTERNAL;
	return D_OK;
}

int call_of_innovation(struct dctx *dc, int64_t innovation_id, int64_t *call_id, const char **call_title)
{
	struct db_stmt *st = db_query(dc->db, "SELECT c.id, c.title FROM proposals p JOIN calls c ON c.id = p.call_id"
				      " WHERE p.innovation_id = ? LIMIT 1", "i", innovation_id);
	int step;

	if (!st)
		return -1;
	step = db_step(st);
	if (step == DB_ROW) {
		*call_id = db_col_int(st, 0);
		*call_title = db_col_dup(st, 1, dc->arena);
	}
	if (db_finish(st) < 0 || step == DB_ERR)
		return -1;
	return step == DB_ROW;
}

int call_programme(struct dctx *dc, const struct viewer *v, int64_t call_id, struct programme_item **out)
{
	struct programme_item *items;
	struct db_stmt *st;
	int n = 0;

	*out = NULL;
	if (call_id <= 0)
		return 0;
	switch (access_check(dc, v, AK_CALL, call_id, AA_SEE)) {
	case D_OK:
		break;
	case D_NOT_FOUND:
		return 0;
	default:
		return -1;
	}
	if (!(items = arena_alloc(dc->arena, PROGRAMME_MAX * sizeof *items)))
		return -1;
	st = db_query(dc->db, "SELECT id, title, COALESCE(innovation_id, 0) FROM proposals WHERE call_id = ?"
		      " AND status = 'accepted' ORDER BY decided_at, id LIMIT ?", "ii", call_id, (int64_t)PROGRAMME_MAX);
	while (st && db_step(st) == DB_ROW) {
		memset(&items[n], 0, sizeof items[n]);
		items[n].proposal_id = db_col_int(st, 0);
		items[n].title = db_col_dup(st, 1, dc->arena);
		items[n].innovation_id = db_col_int(st, 2);
		n++;
	}
	if (!st || db_finish(st) < 0)
		return -1;
	if (!n)
		return 0;
	/* their authors, in their order, in one statement */
	st = db_query(dc->db, "SELECT pa.proposal_id, u.id, u.name FROM proposal_authors pa JOIN users u ON u.id = pa.user_id"
		      " JOIN proposals p ON p.id = pa.proposal_id WHERE p.call_id = ? AND p.status = 'accepted'"
		      " ORDER BY pa.proposal_id, pa.pos", "i", call_id);
	while (st && db_step(st) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);

		for (int i = 0; i < n; i++)
			if (items[i].proposal_id == pid && items[i].nauthors < PROGRAMME_AUTHORS_MAX) {
				items[i].author_ids[items[i].nauthors] = db_col_int(st, 1);
				items[i].author_names[items[i].nauthors++] = db_col_dup(st, 2, dc->arena);
			}
	}
	if (!st || db_finish(st) < 0)
		return -1;
	*out = items;
	return n;
}
