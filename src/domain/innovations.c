/* Innovation records: vocabulary, validation, records, lists with facets,
 * revisions, follows, useful marks, support and messages to the team. */
#include "domain/innovations.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "domain/chat.h"
#include "domain/innovations_rows.h"
#include "domain/schools.h"
#include "util/buf.h"
#include "util/text.h"

const char *const innovation_academies[] = {
	"Aix-Marseille", "Amiens", "Besançon", "Bordeaux", "Clermont-Ferrand", "Corse", "Créteil", "Dijon",
	"Grenoble", "Guadeloupe", "Guyane", "La Réunion", "Lille", "Limoges", "Lyon", "Martinique", "Mayotte",
	"Montpellier", "Nancy-Metz", "Nantes", "Nice", "Normandie", "Orléans-Tours", "Paris", "Poitiers", "Reims",
	"Rennes", "Strasbourg", "Toulouse", "Versailles", NULL
};

const char *const innovation_default_themes[] = {
	"Climat scolaire", "Numérique", "Évaluation", "Décrochage scolaire", "Liaison école-collège",
	"Arts et culture", "Développement durable", "Inclusion", "Orientation", "Langues vivantes",
	"Coopération entre élèves", "Parcours citoyen", "Lecture et écriture", "Mathématiques",
	"Sciences", "Santé et bien-être", "Égalité filles-garçons", "Ouverture internationale",
	"Pédagogie de projet", "Formation des enseignants", "Relations avec les familles", "Espaces et temps scolaires",
	NULL
};

const char *const innovation_types[] = { "local", "experimentation", NULL };
const char *const innovation_supports[] = { "none", "autonomous", "followed", "selected", NULL };
const char *const innovation_visibilities[] = { "public", "members", NULL };

/* A '|'-separated list of the configuration as a NULL-terminated array in
 * dc's arena, or defaults when it is empty. */
static const char *const *config_list(struct dctx *dc, const char *conf, const char *const *defaults)
{
	const char **out;
	char *copy, *s;
	int n = 1;

	if (!conf || !*conf)
		return defaults;
	for (const char *p = conf; *p; p++)
		n += *p == '|';
	copy = arena_strdup(dc->arena, conf);
	out = arena_alloc(dc->arena, (size_t)(n + 1) * sizeof *out);
	if (!copy || !out)
		return defaults;
	n = 0;
	for (s = copy; s;) {
		char *bar = strchr(s, '|');

		if (bar)
			*bar = '\0';
		s = text_trim(s);
		if (*s)
			out[n++] = s;
		s = bar ? bar + 1 : NULL;
	}
	out[n] = NULL;
	return n ? out : defaults;
}

const char *const *innovation_themes(struct dctx *dc)
{
	return config_list(dc, dc->cfg ? dc->cfg->innovation_themes : "", innovation_default_themes);
}

const char *const *innovation_academy_list(struct dctx *dc)
{
	return config_list(dc, dc->cfg ? dc->cfg->academies : "", innovation_academies);
}

int innovation_academy_known(struct dctx *dc, const char *academy)
{
	return text_one_of(academy, innovation_academy_list(dc));
}


int innovation_uai_ok(const char *uai)
{
	if (!uai || strlen(uai) != 8)
		return 0;
	for (int i = 0; i < 7; i++)
		if (!isdigit((unsigned char)uai[i]))
			return 0;
	return isalpha((unsigned char)uai[7]);
}

void innovation_input_init(struct innovation_input *in)
{
	memset(in, 0, sizeof *in);
	in->started_year = in->duration_years = -1;
	in->levels.n = in->subjects.n = in->themes.n = in->keywords.n = -1;
	in->ncoauthors = in->ngroups = in->ndocuments = -1;
	in->hidden = -1;
}

static int64_t current_year(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return 2100;
	return tm.tm_year + 1900;
}

/* ---- validation ------------------------------------------------------------ */

static int tags_ok(const struct str_list *l, const char *const *vocabulary)
{
	if (l->n < 0)
		return 1;
	if (l->n > INNOVATION_TAGS_MAX)
		return 0;
	for (int i = 0; i < l->n; i++) {
		if (!text_length_ok(l->v[i], 1, INNOVATION_TAG_MAX, 0) || text_blank(l->v[i]))
			return 0;
		if (vocabulary && !text_one_of(l->v[i], vocabulary))
			return 0;
	}
	return 1;
}

static int markdown_ok(const char *s)
{
	return !s || text_length_ok(s, 0, INNOVATION_TEXT_MAX, 1);
}

/* Checks the members present (all required ones when creating). */
static enum derr validate(struct dctx *dc, const struct viewer *v, const struct innovation_input *in, int creating,
			  int64_t coordinator, const char **field)
{
	*field = "title";
	if ((creating && !in->title) ||
	    (in->title && (!text_length_ok(in->title, 1, INNOVATION_TITLE_MAX, 0) || text_blank(in->title))))
		return D_INVALID;
	*field = "ref";
	if (in->ref && (!text_length_ok(in->ref, 1, 100, 0) || text_blank(in->ref)))
		return D_INVALID;
	*field = "summary";
	if (!markdown_ok(in->summary))
		return D_INVALID;
	*field = "aims";
	if (!markdown_ok(in->aims))
		return D_INVALID;
	*field = "actions";
	if (!markdown_ok(in->actions))
		return D_INVALID;
	*field = "evaluation";
	if (!markdown_ok(in->evaluation))
		return D_INVALID;
	*field = "effects";
	if (!markdown_ok(in->effects))
		return D_INVALID;
	*field = "partners";
	if (!markdown_ok(in->partners))
		return D_INVALID;
	*field = "academy";
	if ((creating && !in->academy) || (in->academy && !innovation_academy_known(dc, in->academy)))
		return D_INVALID;
	*field = "uai";
	if (in->uai && *in->uai && !innovation_uai_ok(in->uai))
		return D_INVALID;
	if (in->uai && *in->uai) {
		/* A school of the directory, once the directory is loaded (before
		 * that, a UAI of the right shape: a network without the Annuaire). */
		struct school s;
		int any = schools_any(dc);
		enum derr se = any > 0 ? school_get(dc, in->uai, &s) : D_OK;

		if (any < 0 || (se != D_OK && se != D_NOT_FOUND))
			return D_INTERNAL;
		if (se == D_NOT_FOUND)
			return D_INVALID;
	}
	*field = "type";
	if ((creating && !in->type) || (in->type && !text_one_of(in->type, innovation_types)))
		return D_INVALID;
	*field = "visibility";
	if (in->visibility && !text_one_of(in->visibility, innovation_visibilities))
		return D_INVALID;
	*field = "started_year";
	if ((creating && in->started_year < 0) ||
	    (in->started_year >= 0 && (in->started_year < INNOVATION_YEAR_MIN ||
				       in->started_year > current_year(dc->now))))
		return D_INVALID;
	*field = "duration_years";
	if ((creating && in->duration_years < 0) ||
	    (in->duration_years >= 0 && (in->duration_years < 1 || in->duration_years > INNOVATION_DURATION_MAX)))
		return D_INVALID;
	*field = "levels";
	if (!tags_ok(&in->levels, NULL))
		return D_INVALID;
	*field = "subjects";
	if (!tags_ok(&in->subjects, NULL))
		return D_INVALID;
	*field = "themes";
	if (!tags_ok(&in->themes, innovation_themes(dc)))
		return D_INVALID;
	*field = "keywords";
	if (!tags_ok(&in->keywords, NULL))
		return D_INVALID;
	*field = "support";
	if (in->support && !text_one_of(in->support, innovation_supports))
		return D_INVALID;
	*field = "support_comment";
	if (in->support_comment && !text_length_ok(in->support_comment, 0, 5000, 1))
		return D_INVALID;
	*field = "coauthors";
	if (in->ncoauthors > INNOVATION_COAUTHORS_MAX)
		return D_INVALID;
	for (int i = 0; i < in->ncoauthors; i++) {
		int64_t n = 0;
		int found;

		if (in->coauthors[i] <= 0)
			return D_INVALID;
		if (in->coauthors[i] == coordinator)
			continue;
		found = db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i",
			       in->coauthors[i]);
		if (found < 0)
			return D_INTERNAL;
		if (!found)
			return D_INVALID;
	}
	*field = "group_ids";
	if (in->ngroups > INNOVATION_GROUPS_MAX)
		return D_INVALID;
	for (int i = 0; i < in->ngroups; i++) {
		enum derr rc = access_check(dc, v, AK_GROUP, in->group_ids[i], AA_SEE);

		if (rc == D_INTERNAL)
			return rc;
		if (rc != D_OK)
			return D_INVALID;
	}
	*field = "document_ids";
	if (in->ndocuments > INNOVATION_DOCUMENTS_MAX)
		return D_INVALID;
	for (int i = 0; i < in->ndocuments; i++) {
		enum derr rc = access_check(dc, v, AK_DOCUMENT, in->document_ids[i], AA_SEE);

		if (rc == D_INTERNAL)
			return rc;
		if (rc != D_OK)
			return D_INVALID;
	}
	*field = NULL;
	return D_OK;
}

/* ---- writing --------------------------------------------------------------- */

static const char *const tag_kinds[4] = { "level", "subject", "theme", "keyword" };

/* l as it is stored: each value trimmed, repeated values dropped. */
static int tags_clean(struct dctx *dc, const struct str_list *l, struct str_list *out)
{
	out->n = 0;
	out->v = arena_alloc(dc->arena, (size_t)(l->n > 0 ? l->n : 1) * sizeof *out->v);
	if (!out->v)
		return -1;
	for (int i = 0; i < l->n; i++) {
		const char *val = text_trim(arena_strdup(dc->arena, l->v[i]));
		int dup = 0;

		if (!val)
			return -1;
		for (int j = 0; j < out->n; j++)
			dup |= !strcmp(out->v[j], val);
		if (!dup)
			out->v[out->n++] = val;
	}
	return 0;
}

/* Runs a cached statement bound from vals that returns no rows: 0 or -1. */
static int exec_values(struct dctx *dc, struct db_stmt *st)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		;
	return db_finish(st) < 0 || rc != DB_DONE ? -1 : 0;
}

/* Up to TAG_ROWS tags a statement (a record's tags in one round trip, most
 * often): rows without a value are padding. */
#define TAG_ROWS 16
#define TAG_ROW "(?, ?, ?)"
#define TAG_ROWS_4 TAG_ROW ", " TAG_ROW ", " TAG_ROW ", " TAG_ROW
#define TAGS_INSERT_SQL \
	"INSERT INTO innovation_tags (innovation_id, kind, pos, value) SELECT ?, v.column1, v.column2, v.column3" \
	" FROM (VALUES " TAG_ROWS_4 ", " TAG_ROWS_4 ", " TAG_ROWS_4 ", " TAG_ROWS_4 ") AS v" \
	" WHERE v.column3 IS NOT NULL"

/* Writes the lists of in that are present (a new record has none to
 * replace); *stored: each list as stored (n 0 when absent). */
static int write_tags(struct dctx *dc, int64_t id, const struct innovation_input *in, int creating,
		      struct str_list stored[4])
{
	const struct str_list *lists[4] = { &in->levels, &in->subjects, &in->themes, &in->keywords };
	struct db_value vals[1 + 3 * TAG_ROWS];
	int row = 0;

	for (int k = 0; k < 4; k++) {
		stored[k].n = 0;
		stored[k].v = NULL;
		if (lists[k]->n < 0)
			continue;
		if (tags_clean(dc, lists[k], &stored[k]) < 0)
			return -1;
		if (!creating && db_exec(dc->db, "DELETE FROM innovation_tags WHERE innovation_id = ? AND kind = ?", "is",
					 id, tag_kinds[k]) < 0)
			return -1;
	}
	for (int k = 0; k <= 4; k++) {
		for (int i = 0; k < 4 && i < stored[k].n; i++) {
			vals[1 + 3 * row] = (struct db_value){ 's', 0, tag_kinds[k] };
			vals[2 + 3 * row] = (struct db_value){ 'i', i, NULL };
			vals[3 + 3 * row] = (struct db_value){ 's', 0, stored[k].v[i] };
			if (++row < TAG_ROWS)
				continue;
			vals[0] = (struct db_value){ 'i', id, NULL };
			if (exec_values(dc, db_query_values(dc->db, TAGS_INSERT_SQL, vals, 1 + 3 * TAG_ROWS)) < 0)
				return -1;
			row = 0;
		}
		if (k == 4 && row) {
			for (int r = row; r < TAG_ROWS; r++) {
				vals[1 + 3 * r] = (struct db_value){ 's', 0, NULL };
				vals[2 + 3 * r] = (struct db_value){ 'i', 0, NULL };
				vals[3 + 3 * r] = (struct db_value){ 's', 0, NULL };
			}
			vals[0] = (struct db_value){ 'i', id, NULL };
			if (exec_values(dc, db_query_values(dc->db, TAGS_INSERT_SQL, vals, 1 + 3 * TAG_ROWS)) < 0)
				return -1;
		}
	}
	return 0;
}

static int write_lists(struct dctx *dc, int64_t id, int64_t coordinator, const struct innovation_input *in,
		       int creating, struct str_list stored[4])
{
	if (write_tags(dc, id, in, creating, stored) < 0)
		return -1;
	if (in->ncoauthors >= 0) {
		if (!creating && db_exec(dc->db, "DELETE FROM innovation_coauthors WHERE innovation_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ncoauthors; i++) {
			if (in->coauthors[i] == coordinator)
				continue;
			if (db_exec(dc->db, "INSERT INTO innovation_coauthors (innovation_id, user_id, pos) VALUES (?, ?, ?)"
				    " ON CONFLICT DO NOTHING", "iii", id, in->coauthors[i], (int64_t)i) < 0)
				return -1;
		}
	}
	if (in->ngroups >= 0) {
		if (!creating && db_exec(dc->db, "DELETE FROM innovation_groups WHERE innovation_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ngroups; i++)
			if (db_exec(dc->db, "INSERT INTO innovation_groups (innovation_id, group_id) VALUES (?, ?)"
				    " ON CONFLICT DO NOTHING", "ii", id, in->group_ids[i]) < 0)
				return -1;
	}
	if (in->ndocuments >= 0) {
		if (!creating && db_exec(dc->db, "DELETE FROM innovation_documents WHERE innovation_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ndocuments; i++)
			if (db_exec(dc->db, "INSERT INTO innovation_documents (innovation_id, document_id) VALUES (?, ?)"
				    " ON CONFLICT DO NOTHING", "ii", id, in->document_ids[i]) < 0)
				return -1;
	}
	return 0;
}

/* What a revision keeps of a record (its text, snapshot_text). */
struct snap {
	const char *title, *summary, *academy, *uai, *type, *aims, *actions, *evaluation, *effects, *partners,
		*visibility;
	int64_t started_year, duration_years;
	struct str_list lists[4];           /* levels, subjects, themes, keywords */
};

static void snap_text(struct buf *b, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	buf_printf(b, "\n## %s\n\n%s\n", heading, text);
}

/* The record as one text (what revisions keep and the diff compares). */
static char *snapshot_text(struct dctx *dc, const struct snap *s)
{
	static const char *const headings[4] = { "Niveaux", "Disciplines", "Thèmes", "Mots-clés" };
	struct buf b = BUF_INIT;
	char *out = NULL;

	buf_printf(&b, "# %s\n\nAcadémie : %s\nUAI : %s\nType : %s\nDébut : %lld\nDurée : %lld an(s)\n"
		   "Visibilité : %s\n", s->title, s->academy, s->uai ? s->uai : "", s->type, (long long)s->started_year,
		   (long long)s->duration_years, s->visibility);
	snap_text(&b, "Résumé", s->summary);
	snap_text(&b, "Objectifs", s->aims);
	snap_text(&b, "Actions", s->actions);
	snap_text(&b, "Évaluation", s->evaluation);
	snap_text(&b, "Effets constatés", s->effects);
	snap_text(&b, "Partenaires", s->partners);
	for (int k = 0; k < 4; k++) {
		buf_printf(&b, "\n%s : ", headings[k]);
		for (int i = 0; i < s->lists[k].n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", s->lists[k].v[i]);
		buf_puts(&b, "\n");
	}
	if (!b.failed)
		out = arena_strdup(dc->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The stored record's snapshot: its row, then its tags in one statement. */
static int snapshot_read(struct dctx *dc, int64_t id, struct snap *s)
{
	struct db_stmt *st;

	memset(s, 0, sizeof *s);
	st = db_query(dc->db, "SELECT title, summary, academy, COALESCE(uai, ''), type, started_year, duration_years,"
		      " aims, actions, evaluation, effects, partners, visibility FROM innovations WHERE id = ?", "i", id);
	if (!st || db_step(st) != DB_ROW) {
		db_finish(st);
		return -1;
	}
	{
		const char **texts[] = { &s->title, &s->summary, &s->academy, &s->uai, &s->type };
		const char **more[] = { &s->aims, &s->actions, &s->evaluation, &s->effects, &s->partners, &s->visibility };

		for (int c = 0; c < 5; c++)
			*texts[c] = db_col_dup(st, c, dc->arena);
		s->started_year = db_col_int(st, 5);
		s->duration_years = db_col_int(st, 6);
		for (int c = 0; c < 6; c++)
			*more[c] = db_col_dup(st, 7 + c, dc->arena);
	}
	if (db_finish(st) < 0)
		return -1;
	for (int k = 0; k < 4; k++) {
		s->lists[k].n = 0;
		if (!(s->lists[k].v = arena_alloc(dc->arena, (INNOVATION_TAGS_MAX + 1) * sizeof *s->lists[k].v)))
			return -1;
	}
	st = db_query(dc->db, "SELECT kind, value FROM innovation_tags WHERE innovation_id = ? ORDER BY kind, pos", "i",
		      id);
	while (st && db_step(st) == DB_ROW)
		for (int k = 0; k < 4; k++)
			if (!strcmp(db_col_text(st, 0), tag_kinds[k]) && s->lists[k].n < INNOVATION_TAGS_MAX)
				s->lists[k].v[s->lists[k].n++] = db_col_dup(st, 1, dc->arena);
	return db_finish(st) < 0 || !st ? -1 : 0;
}

/* Keeps a revision when the record's text changed since the last one, and
 * its activity in the feed. created: the new record as written (revision 1,
 * nothing to read back). importer: the admin importing the row (0: not an
 * import), whose own records write no activity (see innovations.h). */
static int keep_revision(struct dctx *dc, const struct viewer *v, int64_t id, const struct snap *created,
			 int64_t importer)
{
	struct snap read;
	const struct snap *s = created;
	struct db_stmt *st;
	char *body;
	int64_t rev = 0;
	int same = 0;

	if (!s) {
		if (snapshot_read(dc, id, &read) < 0)
			return -1;
		s = &read;
	}
	if (!(body = snapshot_text(dc, s)))
		return -1;
	if (!created) {
		st = db_query(dc->db, "SELECT revision, body FROM innovation_revisions WHERE innovation_id = ?"
			      " ORDER BY revision DESC LIMIT 1", "i", id);
		if (!st)
			return -1;
		if (db_step(st) == DB_ROW) {
			rev = db_col_int(st, 0);
			same = !strcmp(db_col_text(st, 1), body);
		}
		if (db_finish(st) < 0)
			return -1;
		if (same)
			return 0;
	}
	if (db_exec(dc->db, "INSERT INTO innovation_revisions (innovation_id, revision, title, body, author_id,"
		    " created_at) VALUES (?, ?, ?, ?, ?, ?)", "iissii", id, rev + 1, s->title, body, v->id, dc->now) != 1 ||
	    /* a new record was written with revision 1 */
	    (!created && db_exec(dc->db, "UPDATE innovations SET revision = ?, updated_at = ? WHERE id = ?", "iii",
				 rev + 1, dc->now, id) != 1) ||
	    /* the creation or the update in the feed (domain/feed.c) */
	    db_exec(dc->db, "INSERT INTO activities (actor_id, verb, innovation_id, created_at)"
		    " SELECT NULLIF(?, 0), ?, ?, ? WHERE ? = 0"
		    " OR EXISTS (SELECT 1 FROM innovations ti WHERE ti.id = ? AND ti.coordinator_id <> ?)"
		    " OR EXISTS (SELECT 1 FROM innovation_coauthors tc WHERE tc.innovation_id = ?)"
		    " OR EXISTS (SELECT 1 FROM innovation_follows tf WHERE tf.innovation_id = ?)",
		    "isiiiiiii", v->id, rev ? "innovation_update" : "innovation", id, dc->now, importer, id, importer,
		    id, id) < 0)
		return -1;
	return 0;
}

static const char *upper_uai(struct dctx *dc, const char *uai)
{
	char *u;

	if (!uai || !*uai)
		return NULL;
	u = arena_strdup(dc->arena, uai);
	if (u)
		u[7] = (char)toupper((unsigned char)u[7]);
	return u;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

enum derr innovation_create(struct dctx *dc, const struct viewer *v, const struct innovation_input *in,
			    int64_t *id, const char **field)
{
	struct db_stmt *st;
	struct snap s;
	enum derr rc;

	*field = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	rc = validate(dc, v, in, 1, v->id, field);
	if (rc != D_OK)
		return rc;
	/* the record as it is written: its first revision's text without reading it back */
	memset(&s, 0, sizeof s);
	s.title = text_trim(arena_strdup(dc->arena, in->title));
	s.summary = or_empty(in->summary);
	s.academy = in->academy;
	s.uai = upper_uai(dc, in->uai);
	s.type = in->type;
	s.started_year = in->started_year;
	s.duration_years = in->duration_years;
	s.aims = or_empty(in->aims);
	s.actions = or_empty(in->actions);
	s.evaluation = or_empty(in->evaluation);
	s.effects = or_empty(in->effects);
	s.partners = or_empty(in->partners);
	s.visibility = in->visibility ? in->visibility : "members";
	if (!s.title || db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	*id = 0;
	st = db_query(dc->db, "INSERT INTO innovations (ref, coordinator_id, title, summary, academy, uai, type,"
		      " started_year, duration_years, aims, actions, evaluation, effects, partners, visibility,"
		      " created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
		      " RETURNING id", "sisssssiissssssii", in->ref, v->id, s.title, s.summary, s.academy, s.uai, s.type,
		      s.started_year, s.duration_years, s.aims, s.actions, s.evaluation, s.effects, s.partners,
		      s.visibility, dc->now, dc->now);
	if (st && db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finish(st) >= 0 && *id)
		rc = D_OK;
	else if (in->ref && db_last_error(dc->db) == DB_E_CONSTRAINT) {
		*field = "ref";
		rc = D_CONFLICT;
	}
	if (rc == D_OK && (write_lists(dc, *id, v->id, in, 1, s.lists) < 0 ||
			    keep_revision(dc, v, *id, &s, in->importer) < 0))
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

/* ---- reading --------------------------------------------------------------- */

static const struct db_field innovation_fields[] = {
	DB_FIELD(DBF_INT, struct innovation, id),
	DB_FIELD(DBF_TEXT_OR_NULL, struct innovation, ref),
	DB_FIELD(DBF_ID, struct innovation, coordinator_id),
	DB_FIELD(DBF_TEXT, struct innovation, coordinator_name),
	DB_FIELD(DBF_TEXT, struct innovation, title),
	DB_FIELD(DBF_TEXT, struct innovation, summary),
	DB_FIELD(DBF_TEXT, struct innovation, academy),
	DB_FIELD(DBF_TEXT_OR_NULL, struct innovation, uai),
	DB_FIELD(DBF_TEXT, struct innovation, type),
	DB_FIELD(DBF_INT, struct innovation, started_year),
	DB_FIELD(DBF_INT, struct innovation, duration_years),
	DB_FIELD(DBF_TEXT, struct innovation, aims),
	DB_FIELD(DBF_TEXT, struct innovation, actions),
	DB_FIELD(DBF_TEXT, struct innovation, evaluation),
	DB_FIELD(DBF_TEXT, struct innovation, effects),
	DB_FIELD(DBF_TEXT, struct innovation, partners),
	DB_FIELD(DBF_TEXT, struct innovation, visibility),
	DB_FIELD(DBF_TEXT, struct innovation, support),
	DB_FIELD(DBF_TEXT, struct innovation, support_comment),
	DB_FIELD(DBF_INT, struct innovation, created_at),
	DB_FIELD(DBF_INT, struct innovation, updated_at),
	DB_FIELD(DBF_INT, struct innovation, revision),
	DB_FIELD(DBF_FLAG, struct innovation, hidden),
};

void innovation_read_row(struct dctx *dc, struct db_stmt *st, struct innovation *out)
{
	memset(out, 0, sizeof *out);
	db_read_fields(st, 0, dc->arena, out, innovation_fields, DB_FIELDS_N(innovation_fields));
	out->levels.n = out->subjects.n = out->themes.n = out->keywords.n = 0;
}

static int read_tags(struct dctx *dc, int64_t id, struct innovation *out)
{
	struct db_stmt *st = db_query(dc->db, "SELECT kind, value FROM innovation_tags WHERE innovation_id = ?"
				      " ORDER BY kind, pos", "i", id);
	struct str_list *lists[] = { &out->levels, &out->subjects, &out->themes, &out->keywords };
	static const char *const kinds[] = { "level", "subject", "theme", "keyword" };

	for (int k = 0; k < 4; k++) {
		lists[k]->n = 0;
		lists[k]->v = arena_alloc(dc->arena, (INNOVATION_TAGS_MAX + 1) * sizeof *lists[k]->v);
		if (!lists[k]->v) {
			db_finish(st);
			return -1;
		}
	}
	while (st && db_step(st) == DB_ROW)
		for (int k = 0; k < 4; k++)
			if (!strcmp(db_col_text(st, 0), kinds[k]) && lists[k]->n < INNOVATION_TAGS_MAX)
				lists[k]->v[lists[k]->n++] = db_col_dup(st, 1, dc->arena);
	return db_finish(st);
}

/* People or groups by a statement taking (id[, viewer args]): id and name. */
static int read_people(struct dctx *dc, struct db_stmt *st, struct innovation_person **out)
{
	int n = 0, cap = INNOVATION_COAUTHORS_MAX + INNOVATION_GROUPS_MAX;

	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	if (!*out) {
		db_finish(st);
		return -1;
	}
	while (st && db_step(st) == DB_ROW && n < cap) {
		(*out)[n].id = db_col_int(st, 0);
		(*out)[n].name = db_col_dup(st, 1, dc->arena);
		n++;
	}
	return db_finish(st) < 0 || !st ? -1 : n;
}

enum derr innovation_get(struct dctx *dc, const struct viewer *v, int64_t id, struct innovation *out)
{
	struct access_item it;
	struct db_stmt *st;
	enum derr rc = access_check_item(dc, v, AK_INNOVATION, id, AA_SEE, &it);
	int step;
	int64_t x = 0;

	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM " WHERE i.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		innovation_read_row(dc, st, out);
	if (db_finish(st) < 0 || step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	if (read_tags(dc, id, out) < 0)
		return D_INTERNAL;
	out->ncoauthors = read_people(dc, db_query(dc->db, "SELECT u.id, u.name FROM innovation_coauthors c"
						   " JOIN users u ON u.id = c.user_id WHERE c.innovation_id = ?"
						   " ORDER BY c.pos, u.id", "i", id), &out->coauthors);
	out->ngroups = read_people(dc, db_query(dc->db, "SELECT g.id, g.name FROM innovation_groups ig"
						"  JOIN groups g ON g.id = ig.group_id WHERE ig.innovation_id = ? AND "
						ACCESS_GROUP_SQL " ORDER BY g.name, g.id", "i" ACCESS_GROUP_TYPES, id,
						ACCESS_GROUP_ARGS(v)), &out->groups);
	out->ndocuments = read_people(dc, db_query(dc->db, "SELECT p.id, p.title FROM innovation_documents idoc"
						   " JOIN documents p ON p.id = idoc.document_id"
						   " LEFT JOIN groups g ON g.id = p.group_id WHERE idoc.innovation_id = ? AND "
						   ACCESS_DOCUMENT_SQL " ORDER BY p.id", "i" ACCESS_DOCUMENT_TYPES, id,
						   ACCESS_DOCUMENT_ARGS(v)), &out->documents);
	if (out->ncoauthors < 0 || out->ngroups < 0 || out->ndocuments < 0)
		return D_INTERNAL;
	if (db_int(dc->db, &out->useful_count, "SELECT COUNT(*) FROM innovation_useful WHERE innovation_id = ?", "i",
		   id) < 0 ||
	    db_int(dc->db, &out->follower_count, "SELECT COUNT(*) FROM innovation_follows WHERE innovation_id = ?",
		   "i", id) < 0)
		return D_INTERNAL;
	if (v && v->id) {
		out->useful_by_me = db_int(dc->db, &x, "SELECT 1 FROM innovation_useful WHERE innovation_id = ?"
					   " AND user_id = ?", "ii", id, v->id) == 1;
		out->followed_by_me = db_int(dc->db, &x, "SELECT 1 FROM innovation_follows WHERE innovation_id = ?"
					     " AND user_id = ?", "ii", id, v->id) == 1;
	}
	out->may_edit = access_check_loaded(dc, v, &it, AA_EDIT) == D_OK;
	out->may_support = access_check_loaded(dc, v, &it, AA_MODERATE) == D_OK;
	return D_OK;
}

/* ---- updating -------------------------------------------------------------- */

static int has_content(const struct innovation_input *in)
{
	return in->ref || in->title || in->summary || in->academy || in->uai || in->uai_null || in->type ||
	       in->visibility || in->aims || in->actions || in->evaluation || in->effects || in->partners ||
	       in->started_year >= 0 || in->duration_years >= 0 || in->levels.n >= 0 || in->subjects.n >= 0 ||
	       in->themes.n >= 0 || in->keywords.n >= 0 || in->ncoauthors >= 0 || in->ngroups >= 0 ||
	       in->ndocuments >= 0;
}

enum derr innovation_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct innovation_input *in,
			    const char **field)
{
	struct access_item it;
	struct str_list lists[4];
	enum derr rc = access_check_item(dc, v, AK_INNOVATION, id, AA_SEE, &it);
	int content = has_content(in), support = in->support || in->support_comment;

	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (content && access_check_loaded(dc, v, &it, AA_EDIT) != D_OK) {
		*field = "edit";
		return D_FORBIDDEN;
	}
	if (support && access_check_loaded(dc, v, &it, AA_MODERATE) != D_OK) {
		*field = "support";
		return D_FORBIDDEN;
	}
	if (in->hidden >= 0 && !(v && v->admin)) {
		*field = "hidden";
		return D_FORBIDDEN;
	}
	rc = validate(dc, v, in, 0, it.owner_id, field);
	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_OK;
	if (content &&
	    db_exec(dc->db, "UPDATE innovations SET ref = COALESCE(?, ref), title = COALESCE(?, title),"
		    " summary = COALESCE(?, summary), academy = COALESCE(?, academy),"
		    " uai = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(?, uai) END, type = COALESCE(?, type),"
		    " visibility = COALESCE(?, visibility), aims = COALESCE(?, aims), actions = COALESCE(?, actions),"
		    " evaluation = COALESCE(?, evaluation), effects = COALESCE(?, effects),"
		    " partners = COALESCE(?, partners),"
		    " started_year = CASE WHEN ? >= 0 THEN ? ELSE started_year END,"
		    " duration_years = CASE WHEN ? >= 0 THEN ? ELSE duration_years END, updated_at = ? WHERE id = ?",
		    "ssssissssssssiiiiii", in->ref, in->title ? text_trim(arena_strdup(dc->arena, in->title)) : NULL,
		    in->summary, in->academy, (int64_t)(in->uai_null || (in->uai && !*in->uai)), upper_uai(dc, in->uai),
		    in->type, in->visibility, in->aims, in->actions, in->evaluation, in->effects, in->partners,
		    in->started_year, in->started_year, in->duration_years, in->duration_years, dc->now, id) != 1) {
		rc = D_INTERNAL;
		if (in->ref && db_last_error(dc->db) == DB_E_CONSTRAINT) {
			*field = "ref";
			rc = D_CONFLICT;
		}
	}
	if (rc == D_OK && content &&
	    (write_lists(dc, id, it.owner_id, in, 0, lists) < 0 || keep_revision(dc, v, id, NULL, in->importer) < 0))
		rc = D_INTERNAL;
	if (rc == D_OK && support &&
	    db_exec(dc->db, "UPDATE innovations SET support = COALESCE(?, support),"
		    " support_comment = COALESCE(?, support_comment), support_by = ? WHERE id = ?", "ssii", in->support,
		    in->support_comment, v->id, id) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && in->hidden >= 0 &&
	    db_exec(dc->db, "UPDATE innovations SET hidden_at = CASE WHEN ? = 1 THEN ? ELSE NULL END WHERE id = ?",
		    "iii", (int64_t)in->hidden, dc->now, id) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr innovation_delete(struct dctx *dc, const struct viewer *v, int64_t id)
{
	enum derr rc = access_check(dc, v, AK_INNOVATION, id, AA_EDIT);

	if (rc != D_OK)
		return rc;
	return db_exec(dc->db, "DELETE FROM innovations WHERE id = ?", "i", id) == 1 ? D_OK : D_INTERNAL;
}

/* A member's mark on a record they see (follow, useful): insert_sql and
 * delete_sql are literals taking (record, member[, now]). */
static enum derr member_mark(struct dctx *dc, const struct viewer *v, int64_t id, int on, const char *insert_sql,
			     const char *delete_sql)
{
	enum derr rc = access_check(dc, v, AK_INNOVATION, id, AA_SEE);
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (!v || !v->id)
		return D_NOT_FOUND;
	n = on ? db_exec(dc->db, insert_sql, "iii", id, v->id, dc->now) : db_exec(dc->db, delete_sql, "ii", id, v->id);
	return n < 0 ? D_INTERNAL : D_OK;
}

enum derr innovation_follow(struct dctx *dc, const struct viewer *v, int64_t id, int on)
{
	return member_mark(dc, v, id, on,
			   "INSERT INTO innovation_follows (innovation_id, user_id, created_at) VALUES (?, ?, ?)"
			   " ON CONFLICT DO NOTHING",
			   "DELETE FROM innovation_follows WHERE innovation_id = ? AND user_id = ?");
}

enum derr innovation_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on)
{
	return member_mark(dc, v, id, on,
			   "INSERT INTO innovation_useful (innovation_id, user_id, created_at) VALUES (?, ?, ?)"
			   " ON CONFLICT DO NOTHING",
			   "DELETE FROM innovation_useful WHERE innovation_id = ? AND user_id = ?");
}

enum derr innovation_message(struct dctx *dc, const struct viewer *v, int64_t id, const char *body, int changes,
			     int64_t *room_id, const char **field)
{
	struct access_item it;
	enum derr rc = access_check_item(dc, v, AK_INNOVATION, id, changes ? AA_MODERATE : AA_SEE, &it);
	const char *title = NULL, *text;
	int64_t msg = 0;
	int created = 0;

	*field = NULL;
	*room_id = 0;
	if (rc != D_OK)
		return rc;
	if (!v || !v->id)
		return D_NOT_FOUND;
	*field = "body";
	if (!body || !text_length_ok(body, 1, 4000, 1) || text_blank(body))
		return D_INVALID;
	*field = "coordinator";
	if (!it.owner_id || it.owner_id == v->id)
		return D_INVALID;
	{
		struct db_stmt *st = db_query(dc->db, "SELECT title FROM innovations WHERE id = ?", "i", id);

		if (st && db_step(st) == DB_ROW)
			title = db_col_dup(st, 0, dc->arena);
		if (db_finish(st) < 0 || !title)
			return D_INTERNAL;
	}
	text = arena_printf(dc->arena, "%s « %s » (%s/innovations/%lld)\n\n%s",
			    changes ? "Demande de modifications pour la fiche" : "À propos de la fiche", title,
			    dc->base_url ? dc->base_url : "", (long long)id, body);
	if (!text)
		return D_INTERNAL;
	*field = NULL;
	rc = chat_conversation_with(dc, v, it.owner_id, room_id, &created);
	if (rc != D_OK)
		return rc;
	return chat_post(dc, v, *room_id, text, 0, &msg, field);
}

/* A decimal number of 1 to 19 digits at *s; the character after it in *end. */
static int queue_number(const char *s, const char **end, int64_t *out)
{
	int64_t x = 0;
	int k = 0;

	while (s[k] >= '0' && s[k] <= '9' && k < 19)
		x = x * 10 + (s[k++] - '0');
	if (!k || (s[k] >= '0' && s[k] <= '9'))
		return -1;
	*out = x;
	*end = s + k;
	return 0;
}

int innovation_queue_cursor(const char *s, struct innovation_queue_pos *p)
{
	int64_t g, t, id;

	if (!s || queue_number(s, &s, &g) < 0 || g > 1 || *s++ != '-' || queue_number(s, &s, &t) < 0 ||
	    *s++ != '-' || queue_number(s, &s, &id) < 0 || *s || id < 1)
		return -1;
	p->supported = (int)g;
	p->updated_at = t;
	p->id = id;
	return 0;
}

enum derr innovations_queue(struct dctx *dc, const struct viewer *v, const char *academy,
			    const struct innovation_queue_pos *after, int limit, struct innovation **out, int *n,
			    struct innovation_queue_pos *next, const char **queue_academy)
{
	struct db_stmt *st;
	const char *mine;
	enum derr rc = access_innovation_queue(dc, v, &mine);

	*n = 0;
	memset(next, 0, sizeof *next);
	*queue_academy = NULL;
	if (rc != D_OK)
		return rc;
	if (!mine && academy && *academy) {     /* an admin's filter */
		if (!innovation_academy_known(dc, academy))
			return D_INVALID;
		mine = academy;
	}
	*queue_academy = mine;
	if (limit < 1 || limit > 100)
		limit = 20;
	*out = arena_alloc(dc->arena, (size_t)(limit + 1) * sizeof **out);
	if (!*out)
		return D_INTERNAL;
	/* (supported, -updated_at, -id) ascending, after the cursor's */
	st = db_query(dc->db, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM " WHERE " ACCESS_INNOVATION_SQL
		      " AND (? IS NULL OR i.academy = ?)"
		      " AND (? = 0 OR (CASE WHEN i.support = 'none' THEN 0 ELSE 1 END) > ?"
		      "  OR ((CASE WHEN i.support = 'none' THEN 0 ELSE 1 END) = ?"
		      "   AND (i.updated_at < ? OR (i.updated_at = ? AND i.id < ?))))"
		      " ORDER BY CASE WHEN i.support = 'none' THEN 0 ELSE 1 END, i.updated_at DESC, i.id DESC LIMIT ?",
		      ACCESS_INNOVATION_TYPES "ssiiiiiii", ACCESS_INNOVATION_ARGS(v), mine, mine, after->id,
		      (int64_t)after->supported, (int64_t)after->supported, after->updated_at, after->updated_at,
		      after->id, (int64_t)(limit + 1));
	if (!st)
		return D_INTERNAL;
	while (db_step(st) == DB_ROW && *n <= limit)
		innovation_read_row(dc, st, &(*out)[(*n)++]);
	if (db_finish(st) < 0)
		return D_INTERNAL;
	if (*n > limit) {
		const struct innovation *last = &(*out)[limit - 1];

		*n = limit;
		next->supported = strcmp(last->support, "none") != 0;
		next->updated_at = last->updated_at;
		next->id = last->id;
	}
	return D_OK;
}

int innovation_read_lists(struct dctx *dc, struct innovation *x)
{
	if (read_tags(dc, x->id, x) < 0)
		return -1;
	x->ncoauthors = read_people(dc, db_query(dc->db, "SELECT u.id, u.name FROM innovation_coauthors c"
						 " JOIN users u ON u.id = c.user_id WHERE c.innovation_id = ?"
						 " ORDER BY c.pos, u.id", "i", x->id), &x->coauthors);
	return x->ncoauthors < 0 ? -1 : 0;
}

int innovation_by_ref(struct dctx *dc, const char *ref, struct innovation *out)
{
	struct db_stmt *st = db_query(dc->db, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM " WHERE i.ref = ?", "s", ref);
	int step;

	if (!st)
		return -1;
	step = db_step(st);
	if (step == DB_ROW)
		innovation_read_row(dc, st, out);
	if (db_finish(st) < 0 || step == DB_ERR)
		return -1;
	if (step != DB_ROW)
		return 0;
	return innovation_read_lists(dc, out) < 0 ? -1 : 1;
}

/* ---- revisions ------------------------------------------------------------- */

int innovation_revisions(struct dctx *dc, const struct viewer *v, int64_t id, struct innovation_revision **out)
{
	struct db_stmt *st;
	int n = 0, cap = 16;

	if (access_check(dc, v, AK_INNOVATION, id, AA_SEE) != D_OK)
		return -2;
	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	st = db_query(dc->db, "SELECT r.revision, r.title, r.body, COALESCE(r.author_id, 0), COALESCE(u.name, ''),"
		      " r.created_at FROM innovation_revisions r LEFT JOIN users u ON u.id = r.author_id"
		      " WHERE r.innovation_id = ? ORDER BY r.revision DESC", "i", id);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		struct innovation_revision *r;

		{
			void *room = arena_grow(dc->arena, *out, n, &cap, sizeof **out);

			if (!room)
				break;
			*out = room;
		}
		r = &(*out)[n++];
		r->revision = db_col_int(st, 0);
		r->title = db_col_dup(st, 1, dc->arena);
		r->body = db_col_dup(st, 2, dc->arena);
		r->author_id = db_col_int(st, 3);
		r->author_name = db_col_dup(st, 4, dc->arena);
		r->created_at = db_col_int(st, 5);
	}
	return db_finish(st) < 0 ? -1 : n;
}

enum derr innovation_revision_get(struct dctx *dc, const struct viewer *v, int64_t id, int64_t rev,
				  struct innovation_revision *out)
{
	enum derr rc = access_check(dc, v, AK_INNOVATION, id, AA_SEE);
	struct db_stmt *st;
	int step;

	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT r.revision, r.title, r.body, COALESCE(r.author_id, 0), COALESCE(u.name, ''),"
		      " r.created_at FROM innovation_revisions r LEFT JOIN users u ON u.id = r.author_id"
		      " WHERE r.innovation_id = ? AND r.revision = ?", "ii", id, rev);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW) {
		out->revision = db_col_int(st, 0);
		out->title = db_col_dup(st, 1, dc->arena);
		out->body = db_col_dup(st, 2, dc->arena);
		out->author_id = db_col_int(st, 3);
		out->author_name = db_col_dup(st, 4, dc->arena);
		out->created_at = db_col_int(st, 5);
	}
	if (db_finish(st) < 0)
		return D_INTERNAL;
	return step == DB_ROW ? D_OK : step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
}

/* ---- roles ----------------------------------------------------------------- */

const char *innovation_adviser_academy(struct dctx *dc, const struct viewer *v)
{
	struct db_stmt *st;
	const char *out = NULL;

	if (!v || !v->id)
		return NULL;
	st = db_query(dc->db, "SELECT adviser_academy FROM users WHERE id = ? AND adviser_academy IS NOT NULL", "i",
		      v->id);
	if (st && db_step(st) == DB_ROW)
		out = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	return out;
}

enum derr innovation_set_role(struct dctx *dc, const char *email, const char *site_role, const char *adviser)
{
	int64_t n;

	if (adviser && !innovation_academy_known(dc, adviser))
		return D_INVALID;
	n = db_exec(dc->db, "UPDATE users SET site_role = COALESCE(?, site_role), adviser_academy = ?, updated_at = ?"
		    " WHERE lower(email) = lower(?)", "ssis", site_role, adviser, dc->now, email);
	if (n < 0)
		return D_INTERNAL;
	return n ? D_OK : D_NOT_FOUND;
}

/* ---- import (domain/innovations_import.c) ---------------------------------- */

enum derr innovation_validate(struct dctx *dc, const struct viewer *v, const struct innovation_input *in, int creating,
			      int64_t coordinator, const char **field)
{
	return validate(dc, v, in, creating, coordinator, field);
}
