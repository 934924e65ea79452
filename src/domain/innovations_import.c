/* The import of innovation records from CSV: see innovations_import.h. */
#include "domain/innovations_import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/csv.h"
#include "util/text.h"

enum col {
	C_REF, C_TITLE, C_ACADEMY, C_TYPE, C_STARTED, C_DURATION,   /* required */
	C_SUMMARY, C_UAI, C_LEVELS, C_SUBJECTS, C_THEMES, C_KEYWORDS, C_AIMS, C_ACTIONS, C_EVALUATION,
	C_EFFECTS, C_PARTNERS, C_COAUTHORS, C_VISIBILITY, C_SUPPORT, C_SUPPORT_COMMENT, C_COORDINATOR,
	C_N
};
#define C_REQUIRED 6

static const char *const col_names[C_N] = {
	"ref", "title", "academy", "type", "started_year", "duration_years",
	"summary", "uai", "levels", "subjects", "themes", "keywords", "aims", "actions", "evaluation",
	"effects", "partners", "coauthors", "visibility", "support", "support_comment", "coordinator_email",
};

#define LIST_CELL_MAX 64          /* values read from one list cell; the domain refuses more than 20 */
#define SHOWN_MAX 60              /* bytes of a value quoted in a reason */

/* ---- refs seen by a dry run -------------------------------------------------- */

struct ref_set {
	char **slot;
	size_t cap, n;
};

static size_t ref_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* 1 when ref was there, 0 added, -1 out of memory. */
static int ref_set_add(struct ref_set *rs, const char *ref)
{
	size_t i;

	if (rs->n * 2 >= rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 1024;
		char **ns = calloc(ncap, sizeof *ns);

		if (!ns)
			return -1;
		for (size_t k = 0; k < rs->cap; k++) {
			if (!rs->slot[k])
				continue;
			for (i = ref_hash(rs->slot[k]) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
				;
			ns[i] = rs->slot[k];
		}
		free(rs->slot);
		rs->slot = ns;
		rs->cap = ncap;
	}
	for (i = ref_hash(ref) & (rs->cap - 1); rs->slot[i]; i = (i + 1) & (rs->cap - 1))
		if (!strcmp(rs->slot[i], ref))
			return 1;
	if (!(rs->slot[i] = strdup(ref)))
		return -1;
	rs->n++;
	return 0;
}

static int ref_set_has(const struct ref_set *rs, const char *ref)
{
	if (!rs->cap)
		return 0;
	for (size_t i = ref_hash(ref) & (rs->cap - 1); rs->slot[i]; i = (i + 1) & (rs->cap - 1))
		if (!strcmp(rs->slot[i], ref))
			return 1;
	return 0;
}

/* The refs of the bank's records into *rs (one statement): a row whose ref
 * is not among them creates a record without looking it up. 0 or -1. */
static int ref_set_load(struct dctx *dc, struct ref_set *rs)
{
	struct db_stmt *st = db_query(dc->db, "SELECT ref FROM innovations WHERE ref IS NOT NULL", "");
	int failed = !st;

	while (!failed && db_step(st) == DB_ROW)
		failed = ref_set_add(rs, db_col_text(st, 0)) < 0;
	return db_finish(st) < 0 || failed ? -1 : 0;
}

static void ref_set_free(struct ref_set *rs)
{
	for (size_t k = 0; k < rs->cap; k++)
		free(rs->slot[k]);
	free(rs->slot);
}

/* ---- cells ------------------------------------------------------------------- */

/* A value quoted in a reason: at most SHOWN_MAX bytes, cut on a character. */
static const char *shown(struct dctx *dc, const char *s)
{
	size_t n = strlen(s);

	if (n <= SHOWN_MAX)
		return s;
	n = SHOWN_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return arena_printf(dc->arena, "%.*s…", (int)n, s);
}

/* A list cell: values between '|', trimmed, empty ones dropped; -1 when
 * there are more than LIST_CELL_MAX. */
static int split_list(struct dctx *dc, const char *cell, struct str_list *out)
{
	char *copy = arena_strdup(dc->arena, cell), *s, *bar;

	out->n = 0;
	out->v = arena_alloc(dc->arena, (LIST_CELL_MAX + 1) * sizeof *out->v);
	if (!copy || !out->v)
		return -1;
	for (s = copy; s; s = bar ? bar + 1 : NULL) {
		char *t;

		bar = strchr(s, '|');
		if (bar)
			*bar = '\0';
		t = text_trim(s);
		if (!*t)
			continue;
		if (out->n >= LIST_CELL_MAX)
			return -1;
		out->v[out->n++] = t;
	}
	return 0;
}

/* A whole number of at most 6 digits; -1 otherwise. */
static int64_t whole_number(const char *s)
{
	int64_t n = 0;
	size_t len = strlen(s);

	if (len == 0 || len > 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/* The active member with this address: 1 (*id), 0 none, -1 error. */
static int member_by_email(struct dctx *dc, const char *email, int64_t *id)
{
	return db_int(dc->db, id, "SELECT id FROM users WHERE lower(email) = lower(?) AND status = 'active'", "s", email);
}

/* Why innovation_validate refused field. */
static const char *field_reason(struct dctx *dc, const char *field, const struct innovation_input *in)
{
	time_t t = (time_t)dc->now;
	struct tm tm;
	int year = gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 2100;

	if (!field)
		return "invalid row";
	if (!strcmp(field, "title"))
		return "title: required, one line of at most 200 characters";
	if (!strcmp(field, "ref"))
		return "ref: one line of at most 100 characters";
	if (!strcmp(field, "academy"))
		return arena_printf(dc->arena, "academy: unknown academy \"%s\"", shown(dc, in->academy ? in->academy : ""));
	if (!strcmp(field, "uai"))
		return arena_printf(dc->arena, "uai: \"%s\" is not a school of the directory (7 digits and a letter)",
				    shown(dc, in->uai ? in->uai : ""));
	if (!strcmp(field, "type"))
		return "type: local or experimentation";
	if (!strcmp(field, "visibility"))
		return "visibility: public or members";
	if (!strcmp(field, "started_year"))
		return arena_printf(dc->arena, "started_year: from %d to %d", INNOVATION_YEAR_MIN, year);
	if (!strcmp(field, "duration_years"))
		return arena_printf(dc->arena, "duration_years: from 1 to %d", INNOVATION_DURATION_MAX);
	if (!strcmp(field, "themes")) {
		const char *const *known = innovation_themes(dc);

		for (int i = 0; i < in->themes.n; i++)
			if (!text_one_of(in->themes.v[i], known))
				return arena_printf(dc->arena, "themes: unknown theme \"%s\"", shown(dc, in->themes.v[i]));
		return arena_printf(dc->arena, "themes: at most %d", INNOVATION_TAGS_MAX);
	}
	if (!strcmp(field, "levels") || !strcmp(field, "subjects") || !strcmp(field, "keywords"))
		return arena_printf(dc->arena, "%s: at most %d values of at most %d characters", field, INNOVATION_TAGS_MAX,
				    INNOVATION_TAG_MAX);
	if (!strcmp(field, "support"))
		return "support: none, autonomous, followed or selected";
	if (!strcmp(field, "support_comment"))
		return "support_comment: at most 5000 characters";
	if (!strcmp(field, "coauthors"))
		return arena_printf(dc->arena, "coauthors: at most %d, each an active member", INNOVATION_COAUTHORS_MAX);
	if (!strcmp(field, "edit") || !strcmp(field, "hidden"))
		return "refused";
	return arena_printf(dc->arena, "%s: at most %d characters of text", field, INNOVATION_TEXT_MAX);
}

/* ---- comparing a row with the record ------------------------------------------ */

/* Stored text (a form's CRLF or CR as LF, as the CSV reader reads them) and a cell. */
static int same_text(const char *stored, const char *cell)
{
	const char *a = stored ? stored : "", *b = cell ? cell : "";

	for (;;) {
		char ca = *a;

		if (ca == '\r') {
			ca = '\n';
			if (a[1] == '\n')
				a++;
		}
		if (ca != *b)
			return 0;
		if (!ca)
			return 1;
		a++;
		b++;
	}
}

static int same_list(const struct str_list *stored, const struct str_list *cell)
{
	int n = 0;

	/* the cell without repeated values, as write_tags keeps them */
	for (int i = 0; i < cell->n; i++) {
		int dup = 0;

		for (int j = 0; j < i; j++)
			dup |= !strcmp(cell->v[j], cell->v[i]);
		if (dup)
			continue;
		if (n >= stored->n || strcmp(stored->v[n], cell->v[i]))
			return 0;
		n++;
	}
	return n == stored->n;
}

static int same_people(const struct innovation *x, const int64_t *ids, int n, int64_t coordinator)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		int dup = ids[i] == coordinator;

		for (int j = 0; j < i; j++)
			dup |= ids[j] == ids[i];
		if (dup)
			continue;
		if (k >= x->ncoauthors || x->coauthors[k].id != ids[i])
			return 0;
		k++;
	}
	return k == x->ncoauthors;
}

/* What the row (the columns present) changes in the record: the changed
 * fields into *out (an update leaves the others alone, so a text stored with
 * a form's CRLF stays as it is when the CSV says the same); returns their
 * number, the coordinator counted. */
static int record_changes(const struct innovation *x, const struct innovation_input *in, int64_t coordinator,
			  struct innovation_input *out)
{
	const char *const *texts[][2] = { { &x->summary, &in->summary }, { &x->aims, &in->aims },
		{ &x->actions, &in->actions }, { &x->evaluation, &in->evaluation }, { &x->effects, &in->effects },
		{ &x->partners, &in->partners }, { &x->support_comment, &in->support_comment } };
	const char **otexts[] = { &out->summary, &out->aims, &out->actions, &out->evaluation, &out->effects,
		&out->partners, &out->support_comment };
	const struct str_list *lists[][2] = { { &x->levels, &in->levels }, { &x->subjects, &in->subjects },
		{ &x->themes, &in->themes }, { &x->keywords, &in->keywords } };
	struct str_list *olists[] = { &out->levels, &out->subjects, &out->themes, &out->keywords };
	int n = coordinator != x->coordinator_id;

	innovation_input_init(out);
	if (strcmp(x->title, in->title) && ++n)
		out->title = in->title;
	if (strcmp(x->academy, in->academy) && ++n)
		out->academy = in->academy;
	if (strcmp(x->type, in->type) && ++n)
		out->type = in->type;
	if (x->started_year != in->started_year && ++n)
		out->started_year = in->started_year;
	if (x->duration_years != in->duration_years && ++n)
		out->duration_years = in->duration_years;
	if (in->visibility && strcmp(x->visibility, in->visibility) && ++n)
		out->visibility = in->visibility;
	if (in->support && strcmp(x->support, in->support) && ++n)
		out->support = in->support;
	if (in->uai_null && x->uai && ++n)
		out->uai_null = 1;
	if (in->uai && (!x->uai || strcasecmp(x->uai, in->uai)) && ++n)
		out->uai = in->uai;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (*texts[i][1] && !same_text(*texts[i][0], *texts[i][1]) && ++n)
			*otexts[i] = *texts[i][1];
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (lists[i][1]->n >= 0 && !same_list(lists[i][0], lists[i][1]) && ++n)
			*olists[i] = *lists[i][1];
	if (in->ncoauthors >= 0 && !same_people(x, in->coauthors, in->ncoauthors, coordinator) && ++n) {
		out->coauthors = in->coauthors;
		out->ncoauthors = in->ncoauthors;
	}
	return n;
}

/* ---- one row ------------------------------------------------------------------- */

struct row {
	struct innovation_input in;
	int64_t coordinator;      /* 0: not given */
	int64_t *coauthors;
};

/* A trimmed single-line cell of column c, or NULL when the column is absent. */
static const char *line_cell(struct csv_record *rec, const int *col, enum col c)
{
	if (col[c] < 0)
		return NULL;
	if (col[c] >= rec->nfields)
		return "";
	return text_trim(rec->fields[col[c]]);
}

static const char *text_cell(struct csv_record *rec, const int *col, enum col c)
{
	if (col[c] < 0)
		return NULL;
	return col[c] < rec->nfields ? rec->fields[col[c]] : "";
}

/* Reads a record into *row: 0, or 1 rejected (*why), -1 storage. */
static int read_row(struct dctx *dc, struct csv_record *rec, const int *col, struct row *row, const char **why)
{
	struct innovation_input *in = &row->in;
	struct str_list *lists[] = { &in->levels, &in->subjects, &in->themes, &in->keywords };
	static const enum col list_cols[] = { C_LEVELS, C_SUBJECTS, C_THEMES, C_KEYWORDS };
	const char *s;

	innovation_input_init(in);
	row->coordinator = 0;
	in->ref = line_cell(rec, col, C_REF);
	if (!*in->ref) {
		*why = "ref: required (the bank's identifier of the record)";
		return 1;
	}
	in->title = line_cell(rec, col, C_TITLE);
	in->academy = line_cell(rec, col, C_ACADEMY);
	in->type = line_cell(rec, col, C_TYPE);
	if (!*in->title || !*in->academy || !*in->type) {
		*why = !*in->title ? "title: required" : !*in->academy ? "academy: required" : "type: required";
		return 1;
	}
	if ((in->started_year = whole_number(line_cell(rec, col, C_STARTED))) < 0) {
		*why = "started_year: a year (digits only)";
		return 1;
	}
	if ((in->duration_years = whole_number(line_cell(rec, col, C_DURATION))) < 0) {
		*why = "duration_years: a number of years (digits only)";
		return 1;
	}
	in->summary = text_cell(rec, col, C_SUMMARY);
	in->aims = text_cell(rec, col, C_AIMS);
	in->actions = text_cell(rec, col, C_ACTIONS);
	in->evaluation = text_cell(rec, col, C_EVALUATION);
	in->effects = text_cell(rec, col, C_EFFECTS);
	in->partners = text_cell(rec, col, C_PARTNERS);
	in->support_comment = text_cell(rec, col, C_SUPPORT_COMMENT);
	if ((s = line_cell(rec, col, C_UAI))) {
		in->uai = *s ? s : NULL;
		in->uai_null = !*s;
	}
	if ((s = line_cell(rec, col, C_VISIBILITY)) && *s)
		in->visibility = s;
	if ((s = line_cell(rec, col, C_SUPPORT)) && *s)
		in->support = s;
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		if (!(s = text_cell(rec, col, list_cols[k])))
			continue;
		if (split_list(dc, s, lists[k]) < 0) {
			*why = arena_printf(dc->arena, "%s: at most %d values", col_names[list_cols[k]], INNOVATION_TAGS_MAX);
			return *why ? 1 : -1;
		}
	}
	if ((s = text_cell(rec, col, C_COAUTHORS))) {
		struct str_list l;

		if (split_list(dc, s, &l) < 0) {
			*why = arena_printf(dc->arena, "coauthors: at most %d", INNOVATION_COAUTHORS_MAX);
			return *why ? 1 : -1;
		}
		if (!(row->coauthors = arena_alloc(dc->arena, (size_t)(l.n + 1) * sizeof *row->coauthors)))
			return -1;
		for (int i = 0; i < l.n; i++) {
			int64_t id = 0;
			int found;

			if (strchr(l.v[i], '@')) {
				if ((found = member_by_email(dc, l.v[i], &id)) < 0)
					return -1;
			} else {
				id = parse_id(l.v[i]);
				found = id > 0;
			}
			if (!found) {
				*why = arena_printf(dc->arena, "coauthors: \"%s\" is not a member", shown(dc, l.v[i]));
				return *why ? 1 : -1;
			}
			row->coauthors[i] = id;
		}
		in->coauthors = row->coauthors;
		in->ncoauthors = l.n;
	}
	if ((s = line_cell(rec, col, C_COORDINATOR)) && *s) {
		int found = member_by_email(dc, s, &row->coordinator);

		if (found < 0)
			return -1;
		if (!found) {
			*why = arena_printf(dc->arena, "coordinator_email: no active member has the address \"%s\"",
					    shown(dc, s));
			return *why ? 1 : -1;
		}
	}
	return 0;
}

/* Writes a new record (validated already) in the batch's transaction: 0,
 * or -1 (*why) when it failed: the batch is then rolled back. */
static int create_record(struct dctx *dc, const struct viewer *admin, struct row *row, int64_t coordinator,
			 const char **why)
{
	struct viewer coord = { 0 };
	struct innovation_input in = row->in, sup;
	const char *field = NULL;
	int64_t id = 0;
	enum derr e;

	coord.id = coordinator;
	coord.admin = coordinator == admin->id ? admin->admin : 0;
	in.support = in.support_comment = NULL;
	in.importer = admin->id;
	if (db_begin(dc->db) < 0)
		return -1;
	e = innovation_create(dc, &coord, &in, &id, &field);
	if (e == D_OK && coordinator != admin->id &&
	    db_exec(dc->db, "UPDATE innovation_revisions SET author_id = ? WHERE innovation_id = ?", "ii", admin->id,
		    id) < 0)
		e = D_INTERNAL;
	/* the support, unless the row says what a new record has (none, no comment) */
	if (e == D_OK && ((row->in.support && strcmp(row->in.support, "none")) ||
			  (row->in.support_comment && *row->in.support_comment))) {
		innovation_input_init(&sup);
		sup.support = row->in.support;
		sup.support_comment = row->in.support_comment;
		e = innovation_update(dc, admin, id, &sup, &field);
	}
	if (e != D_OK) {
		db_rollback(dc->db);
		*why = e == D_INTERNAL ? "storage error" : e == D_CONFLICT ? "ref: another record took this ref meanwhile"
										 : field_reason(dc, field, &row->in);
		return -1;
	}
	return db_commit(dc->db) < 0 ? -1 : 0;
}

/* Updates record id (validated already) in the batch's transaction: 0, or
 * -1 (*why) when it failed. */
static int update_record(struct dctx *dc, const struct viewer *admin, struct row *row,
			 const struct innovation_input *changes, int64_t id, int64_t old_coordinator, int64_t coordinator,
			 const char **why)
{
	const char *field = NULL;
	enum derr e = D_OK;

	if (db_begin(dc->db) < 0)
		return -1;
	if (coordinator != old_coordinator &&
	    (db_exec(dc->db, "UPDATE innovations SET coordinator_id = ? WHERE id = ?", "ii", coordinator, id) != 1 ||
	     db_exec(dc->db, "DELETE FROM innovation_coauthors WHERE innovation_id = ? AND user_id = ?", "ii", id,
		     coordinator) < 0))
		e = D_INTERNAL;
	if (e == D_OK)
		e = innovation_update(dc, admin, id, changes, &field);
	if (e != D_OK) {
		db_rollback(dc->db);
		*why = e == D_INTERNAL ? "storage error" : e == D_CONFLICT ? "ref: another record has this ref"
										 : field_reason(dc, field, &row->in);
		return -1;
	}
	return db_commit(dc->db) < 0 ? -1 : 0;
}

/* One row: 1 created, 2 updated, 3 unchanged, 0 rejected (*why: nothing
 * written), -1 storage (*why may say more). */
static int import_row(struct dctx *dc, const struct viewer *admin, struct csv_record *rec, const int *col,
		      struct ref_set *seen, struct ref_set *known, int dry_run, const char **why)
{
	struct row row;
	struct innovation x;
	struct innovation_input changes;
	const char *field = NULL;
	int64_t id = 0, coordinator;
	int rc, found;
	enum derr e;

	memset(&row, 0, sizeof row);
	if ((rc = read_row(dc, rec, col, &row, why)) != 0)
		return rc < 0 ? -1 : 0;
	/* the record and what the row may change in it, in three statements; a
	 * ref the bank did not have when the import began, nor created since,
	 * is new without asking (one created meanwhile by someone else makes
	 * the insert fail on the ref: the import stops there, its batch rolled
	 * back) */
	if ((found = ref_set_has(known, row.in.ref) ? innovation_by_ref(dc, row.in.ref, &x) : 0) < 0)
		return -1;
	if (found) {
		id = x.id;
		coordinator = row.coordinator ? row.coordinator : x.coordinator_id;  /* 0: the account is gone */
		if (record_changes(&x, &row.in, coordinator, &changes) == 0)
			return 3;
		changes.importer = admin->id;
	} else {
		coordinator = row.coordinator ? row.coordinator : admin->id;
	}
	e = innovation_validate(dc, admin, &row.in, !found, coordinator, &field);
	if (e == D_INTERNAL)
		return -1;
	if (e != D_OK) {
		*why = field_reason(dc, field, &row.in);
		return 0;
	}
	if (dry_run) {
		int dup = ref_set_add(seen, row.in.ref);

		if (dup < 0)
			return -1;
		return found || dup ? 2 : 1;
	}
	rc = found ? update_record(dc, admin, &row, &changes, id, x.coordinator_id, coordinator, why)
		   : create_record(dc, admin, &row, coordinator, why);
	if (rc < 0 || (!found && ref_set_add(known, row.in.ref) < 0))
		return -1;
	return found ? 2 : 1;
}

static const char *record_error(const char *error)
{
	return !strcmp(error, "too_long") ? "row too long (over 1 MiB)"
	       : !strcmp(error, "invalid_utf8") ? "not valid UTF-8"
	       : !strcmp(error, "unterminated_quote") ? "a quote is never closed"
	       : "too many fields";
}

static void reject(struct innovations_import *im, long line, const char *reason)
{
	im->rejected++;
	if (im->on_reject)
		im->on_reject(im->arg, line, reason ? reason : "invalid row");
}

enum derr innovations_import_file(struct dctx *dc, const struct viewer *admin, FILE *f, struct innovations_import *im)
{
	struct csv *c = csv_open(f, CSV_RECORD_MAX);
	struct arena *keep = dc->arena;
	struct ref_set seen = { 0 }, known = { 0 };
	struct csv_record rec;
	int col[C_N], rc, batch = 0, in_tx = 0;   /* rows in the open transaction; is one open */
	long first = 0, saved[2] = { 0, 0 };  /* the batch's first line; the counts as of the last commit */
	enum derr e = D_OK;

	im->created = im->updated = im->unchanged = im->rejected = 0;
	im->error = NULL;
	if (!admin || !admin->id || !admin->admin) {
		csv_close(c);
		return D_NOT_FOUND;
	}
	if (!c) {
		im->error = "out of memory";
		return D_INTERNAL;
	}
	rc = csv_read_header(c);
	if (rc <= 0) {
		im->error = rc == 0 ? "the file is empty: a header line is required"
				    : arena_printf(dc->arena, "the header line cannot be read (%s)",
						   csv_header_error(c) ? record_error(csv_header_error(c)) : "read error");
		e = rc == 0 || csv_header_error(c) ? D_INVALID : D_INTERNAL;
		goto out;
	}
	for (int i = 0; i < C_N; i++)
		col[i] = csv_column(c, (const char *const[]){ col_names[i], NULL });
	for (int i = 0; i < C_REQUIRED; i++) {
		if (col[i] < 0) {
			im->error = arena_printf(dc->arena, "missing column: %s (the header line, read with the separator"
						 " '%c', has %d column%s; required: ref, title, academy, type, started_year,"
						 " duration_years)", col_names[i], csv_separator(c), csv_header_count(c),
						 csv_header_count(c) == 1 ? "" : "s");
			e = D_INVALID;
			goto out;
		}
	}
	if (ref_set_load(dc, &known) < 0) {
		im->error = "storage error: the records' refs cannot be read";
		e = D_INTERNAL;
		goto out;
	}
	while ((rc = csv_next(c, &rec)) == 1) {
		const char *why = NULL;
		int r;

		if (rec.error) {
			reject(im, rec.line, record_error(rec.error));
			continue;
		}
		/* the export's guard against formulas: its apostrophe goes */
		for (int i = 0; i < rec.nfields; i++)
			csv_unguard(rec.fields[i]);
		if (!im->dry_run && !in_tx) {
			if (db_begin(dc->db) < 0) {
				im->error = "storage error: no transaction";
				e = D_INTERNAL;
				break;
			}
			in_tx = 1;
			batch = 0;
			first = rec.line;
		}
		/* each row in its own arena: 100,000 rows stay in bounds */
		if (!(dc->arena = arena_new())) {
			dc->arena = keep;
			r = -1;
		} else {
			r = import_row(dc, admin, &rec, col, &seen, &known, im->dry_run, &why);
		}
		if (r == 0)
			reject(im, rec.line, why);
		else if (r == 1)
			im->created++;
		else if (r == 2)
			im->updated++;
		else if (r == 3)
			im->unchanged++;
		if (r < 0)
			im->error = arena_printf(keep, "line %ld: %s; the rows before line %ld are imported, none after",
						 rec.line, why ? why : "storage error", first);
		if (dc->arena != keep)
			arena_free(dc->arena);
		dc->arena = keep;
		if (r < 0) {
			e = D_INTERNAL;
			break;
		}
		if (in_tx && ++batch >= INNOVATIONS_IMPORT_BATCH) {
			in_tx = 0;
			if (db_commit(dc->db) < 0) {
				im->error = arena_printf(keep, "storage error at the commit of lines %ld to %ld; the rows"
							 " before line %ld are imported", first, rec.line, first);
				e = D_INTERNAL;
				break;
			}
			saved[0] = im->created;
			saved[1] = im->updated;
		}
	}
	if (in_tx && e == D_OK && db_commit(dc->db) < 0) {
		im->error = arena_printf(keep, "storage error at the last commit; the rows before line %ld are imported",
					 first);
		e = D_INTERNAL;
	} else if (in_tx && e != D_OK) {
		db_rollback(dc->db);
	}
	if (e != D_OK) {
		im->created = saved[0];
		im->updated = saved[1];
	}
	if (rc < 0 && e == D_OK) {
		im->error = "read error";
		e = D_INTERNAL;
	}
out:
	ref_set_free(&seen);
	ref_set_free(&known);
	csv_close(c);
	return e;
}
