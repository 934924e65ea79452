/* Innovation records: vocabulary, validation, records, lists with facets,
 * revisions, follows, useful marks, support and messages to the team. */
#include "domain/innovations.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "domain/chat.h"
#include "domain/schools.h"
#include "domain/search.h"
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

static int write_tags(struct dctx *dc, int64_t id, const char *kind, const struct str_list *l)
{
	int pos = 0;

	if (l->n < 0)
		return 0;
	if (db_exec(dc->db, "DELETE FROM innovation_tags WHERE innovation_id = ? AND kind = ?", "is", id, kind) < 0)
		return -1;
	for (int i = 0; i < l->n; i++) {
		char *val = text_trim(arena_strdup(dc->arena, l->v[i]));
		int dup = 0;

		if (!val)
			return -1;
		for (int j = 0; j < i; j++)
			dup |= !strcmp(text_trim(arena_strdup(dc->arena, l->v[j])), val);
		if (dup)
			continue;
		if (db_exec(dc->db, "INSERT INTO innovation_tags (innovation_id, kind, pos, value) VALUES (?, ?, ?, ?)",
			    "isis", id, kind, (int64_t)pos++, val) != 1)
			return -1;
	}
	return 0;
}

static int write_lists(struct dctx *dc, int64_t id, int64_t coordinator, const struct innovation_input *in)
{
	if (write_tags(dc, id, "level", &in->levels) < 0 || write_tags(dc, id, "subject", &in->subjects) < 0 ||
	    write_tags(dc, id, "theme", &in->themes) < 0 || write_tags(dc, id, "keyword", &in->keywords) < 0)
		return -1;
	if (in->ncoauthors >= 0) {
		if (db_exec(dc->db, "DELETE FROM innovation_coauthors WHERE innovation_id = ?", "i", id) < 0)
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
		if (db_exec(dc->db, "DELETE FROM innovation_groups WHERE innovation_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ngroups; i++)
			if (db_exec(dc->db, "INSERT INTO innovation_groups (innovation_id, group_id) VALUES (?, ?)"
				    " ON CONFLICT DO NOTHING", "ii", id, in->group_ids[i]) < 0)
				return -1;
	}
	if (in->ndocuments >= 0) {
		if (db_exec(dc->db, "DELETE FROM innovation_documents WHERE innovation_id = ?", "i", id) < 0)
			return -1;
		for (int i = 0; i < in->ndocuments; i++)
			if (db_exec(dc->db, "INSERT INTO innovation_documents (innovation_id, document_id) VALUES (?, ?)"
				    " ON CONFLICT DO NOTHING", "ii", id, in->document_ids[i]) < 0)
				return -1;
	}
	return 0;
}

static void snap_text(struct buf *b, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	buf_printf(b, "\n## %s\n\n%s\n", heading, text);
}

static void snap_tags(struct dctx *dc, struct buf *b, int64_t id, const char *kind)
{
	struct db_stmt *st = db_query(dc->db, "SELECT value FROM innovation_tags WHERE innovation_id = ? AND kind = ?"
				      " ORDER BY pos", "is", id, kind);

	for (int first = 1; st && db_step(st) == DB_ROW; first = 0)
		buf_printf(b, "%s%s", first ? "" : ", ", db_col_text(st, 0));
	db_finish(st);
}

/* The record as one text (what revisions keep and the diff compares). */
static char *snapshot(struct dctx *dc, int64_t id, const char **title)
{
	static const char *const tag_kinds[][2] = { { "Niveaux", "level" }, { "Disciplines", "subject" },
		{ "Thèmes", "theme" }, { "Mots-clés", "keyword" } };
	struct buf b = BUF_INIT;
	struct db_stmt *st;
	char *out = NULL;

	st = db_query(dc->db, "SELECT title, summary, academy, COALESCE(uai, ''), type, started_year, duration_years,"
		      " aims, actions, evaluation, effects, partners, visibility FROM innovations WHERE id = ?", "i", id);
	if (!st || db_step(st) != DB_ROW) {
		db_finish(st);
		return NULL;
	}
	*title = db_col_dup(st, 0, dc->arena);
	buf_printf(&b, "# %s\n\nAcadémie : %s\nUAI : %s\nType : %s\nDébut : %lld\nDurée : %lld an(s)\n"
		   "Visibilité : %s\n", db_col_text(st, 0), db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4),
		   (long long)db_col_int(st, 5), (long long)db_col_int(st, 6), db_col_text(st, 12));
	snap_text(&b, "Résumé", db_col_text(st, 1));
	snap_text(&b, "Objectifs", db_col_text(st, 7));
	snap_text(&b, "Actions", db_col_text(st, 8));
	snap_text(&b, "Évaluation", db_col_text(st, 9));
	snap_text(&b, "Effets constatés", db_col_text(st, 10));
	snap_text(&b, "Partenaires", db_col_text(st, 11));
	db_finish(st);
	for (size_t k = 0; k < sizeof tag_kinds / sizeof tag_kinds[0]; k++) {
		buf_printf(&b, "\n%s : ", tag_kinds[k][0]);
		snap_tags(dc, &b, id, tag_kinds[k][1]);
		buf_puts(&b, "\n");
	}
	if (!b.failed)
		out = arena_strdup(dc->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Keeps a revision when the record's text changed since the last one, and
 * its activity in the feed. importer: the admin importing the row (0: not
 * an import), whose own records write no activity (see innovations.h). */
static int keep_revision(struct dctx *dc, const struct viewer *v, int64_t id, int64_t importer)
{
	const char *title = NULL;
	char *body = snapshot(dc, id, &title);
	struct db_stmt *st;
	int64_t rev = 0;
	int same = 0;

	if (!body)
		return -1;
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
	if (db_exec(dc->db, "INSERT INTO innovation_revisions (innovation_id, revision, title, body, author_id,"
		    " created_at) VALUES (?, ?, ?, ?, ?, ?)", "iissii", id, rev + 1, title, body, v->id, dc->now) != 1 ||
	    db_exec(dc->db, "UPDATE innovations SET revision = ?, updated_at = ? WHERE id = ?", "iii", rev + 1, dc->now,
		    id) != 1 ||
	    /* the creation or the update in the feed (domain/feed.c); an
	     * imported row only when the record has people beyond the importer */
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
	enum derr rc;
	const char *title;

	*field = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	rc = validate(dc, v, in, 1, v->id, field);
	if (rc != D_OK)
		return rc;
	title = text_trim(arena_strdup(dc->arena, in->title));
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	*id = 0;
	st = db_query(dc->db, "INSERT INTO innovations (ref, coordinator_id, title, summary, academy, uai, type,"
		      " started_year, duration_years, aims, actions, evaluation, effects, partners, visibility,"
		      " created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
		      " RETURNING id", "sisssssiissssssii", in->ref, v->id, title, or_empty(in->summary), in->academy,
		      upper_uai(dc, in->uai), in->type, in->started_year, in->duration_years, or_empty(in->aims),
		      or_empty(in->actions), or_empty(in->evaluation), or_empty(in->effects), or_empty(in->partners),
		      in->visibility ? in->visibility : "members", dc->now, dc->now);
	if (st && db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finish(st) >= 0 && *id)
		rc = D_OK;
	else if (in->ref && db_last_error(dc->db) == DB_E_CONSTRAINT) {
		*field = "ref";
		rc = D_CONFLICT;
	}
	if (rc == D_OK && (write_lists(dc, *id, v->id, in) < 0 || keep_revision(dc, v, *id, in->importer) < 0))
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

/* ---- reading --------------------------------------------------------------- */

#define INNOVATION_COLUMNS \
	"i.id, i.ref, i.coordinator_id, COALESCE(u.name, ''), i.title, i.summary, i.academy, i.uai, i.type," \
	" i.started_year, i.duration_years, i.aims, i.actions, i.evaluation, i.effects, i.partners, i.visibility," \
	" i.support, i.support_comment, i.created_at, i.updated_at, i.revision, i.hidden_at IS NOT NULL"
#define INNOVATION_FROM " FROM innovations i LEFT JOIN users u ON u.id = i.coordinator_id"

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

static void read_row(struct dctx *dc, struct db_stmt *st, struct innovation *out)
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
		read_row(dc, st, out);
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
	if (rc == D_OK && content && (write_lists(dc, id, it.owner_id, in) < 0 || keep_revision(dc, v, id, in->importer) < 0))
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

/* ---- lists and facets ------------------------------------------------------ */

/* The list's WHERE, built from the filters in use only: a filter written
 * "(? IS NULL OR i.academy = ?)" in one cached statement hid every index from
 * the planner, which then read all the records for each of the eight
 * statements of a catalogue page (120 ms at 7,000 records, SCALE=1). Only
 * fixed fragments are joined; every value is bound. */
#define WHERE_VALUES_MAX 32
struct where {
	struct buf sql;
	struct db_value v[WHERE_VALUES_MAX];
	int n, failed;
};

static void where_int(struct where *w, int64_t x)
{
	if (w->n == WHERE_VALUES_MAX) {
		w->failed = 1;
		return;
	}
	w->v[w->n].type = 'i';
	w->v[w->n].i = x;
	w->v[w->n++].s = NULL;
}

static void where_text(struct where *w, const char *s)
{
	if (w->n == WHERE_VALUES_MAX) {
		w->failed = 1;
		return;
	}
	w->v[w->n].type = 's';
	w->v[w->n].i = 0;
	w->v[w->n++].s = s;
}

/* Appends " WHERE " the access rule and the filters of f (q: the search
 * index's match expression). */
static void where_build(struct where *w, const struct viewer *v, const struct innovation_filter *f)
{
	static const struct { const char *kind; size_t off; } tags[] = {
		{ "level", offsetof(struct innovation_filter, level) },
		{ "subject", offsetof(struct innovation_filter, subject) },
		{ "theme", offsetof(struct innovation_filter, theme) },
	};

	buf_puts(&w->sql, " WHERE " ACCESS_INNOVATION_SQL);
	where_int(w, v->id);
	where_int(w, v->admin ? 1 : 0);
	where_int(w, v->id);
	where_int(w, v->id);
	if (f->q) {
		buf_puts(&w->sql, " AND i.id IN (SELECT qs.item_id FROM search_fts(?) qf JOIN search_items qs"
			 " ON qs.id = qf.rowid WHERE qs.kind = 'innovation')");
		where_text(w, f->q);
	}
	if (f->academy) {
		buf_puts(&w->sql, " AND i.academy = ?");
		where_text(w, f->academy);
	}
	if (f->type) {
		buf_puts(&w->sql, " AND i.type = ?");
		where_text(w, f->type);
	}
	if (f->support) {
		buf_puts(&w->sql, " AND i.support = ?");
		where_text(w, f->support);
	}
	if (f->uai) {
		buf_puts(&w->sql, " AND i.uai = ?");
		where_text(w, f->uai);
	}
	if (f->year) {
		buf_puts(&w->sql, " AND i.started_year = ?");
		where_int(w, f->year);
	}
	for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
		const char *value = *(const char *const *)((const char *)f + tags[k].off);

		if (!value)
			continue;
		/* an IN list the planner may start from (innovation_tags_value) */
		buf_puts(&w->sql, " AND i.id IN (SELECT ft.innovation_id FROM innovation_tags ft"
			 " WHERE ft.kind = ? AND ft.value = ?)");
		where_text(w, tags[k].kind);
		where_text(w, value);
	}
	if (f->only_public)
		buf_puts(&w->sql, " AND i.visibility = 'public' AND i.hidden_at IS NULL");
}

/* Runs head, the WHERE of f, then tail, with extra values after the filters'. */
static struct db_stmt *where_query(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
				   const char *head, const struct db_value *head_vals, int nhead, const char *tail,
				   const struct db_value *tail_vals, int ntail)
{
	struct where *w = arena_alloc(dc->arena, sizeof *w);
	struct db_stmt *st = NULL;

	if (!w)
		return NULL;
	memset(w, 0, sizeof *w);
	w->sql = (struct buf)BUF_INIT;
	buf_puts(&w->sql, head);
	for (int k = 0; k < nhead; k++)
		if (w->n < WHERE_VALUES_MAX)
			w->v[w->n++] = head_vals[k];
		else
			w->failed = 1;
	where_build(w, v, f);
	buf_puts(&w->sql, tail);
	for (int k = 0; k < ntail; k++)
		if (w->n < WHERE_VALUES_MAX)
			w->v[w->n++] = tail_vals[k];
		else
			w->failed = 1;
	if (!w->failed && !w->sql.failed) {
		/* the statement keeps its SQL (errors, the slow statement log): in the arena */
		const char *sql = arena_strdup(dc->arena, buf_str(&w->sql));

		if (sql)
			st = db_query_dynamic(dc->db, sql, w->v, w->n);
	}
	buf_free(&w->sql);
	return st;
}

static int read_facet(struct dctx *dc, struct db_stmt *st, struct facet_count **out)
{
	int n = 0, cap = 64;

	*out = arena_alloc(dc->arena, (size_t)cap * sizeof **out);
	if (!*out || !st) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			struct facet_count *more = arena_alloc(dc->arena, (size_t)cap * 2 * sizeof *more);

			if (!more)
				break;
			memcpy(more, *out, (size_t)n * sizeof *more);
			*out = more;
			cap *= 2;
		}
		(*out)[n].value = db_col_dup(st, 0, dc->arena);
		(*out)[n].count = db_col_int(st, 1);
		n++;
	}
	return db_finish(st) < 0 ? -1 : n;
}

static int facets(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
		  struct innovation_facets *out)
{
	static const char *const tails[] = { " GROUP BY i.academy ORDER BY 2 DESC, 1", " GROUP BY i.type ORDER BY 2 DESC, 1",
		" GROUP BY i.support ORDER BY 2 DESC, 1", " GROUP BY i.started_year ORDER BY i.started_year DESC",
		" GROUP BY t.value ORDER BY 2 DESC, 1", " GROUP BY t.value ORDER BY 2 DESC, 1" };
	static const char *const heads[] = { "SELECT i.academy, COUNT(*) FROM innovations i",
		"SELECT i.type, COUNT(*) FROM innovations i", "SELECT i.support, COUNT(*) FROM innovations i",
		"SELECT CAST(i.started_year AS TEXT), COUNT(*) FROM innovations i",
		/* the records first, then their tags by the primary key ("|| ''" keeps SQLite
		 * from starting at every tag of the kind: 12 ms at 7,000 records) */
		"SELECT t.value, COUNT(*) FROM innovations i JOIN innovation_tags t ON t.innovation_id = i.id"
		" AND t.kind || '' = 'level'",
		"SELECT t.value, COUNT(*) FROM innovations i JOIN innovation_tags t ON t.innovation_id = i.id"
		" AND t.kind || '' = 'theme'" };
	struct facet_count **lists[] = { &out->academy, &out->type, &out->support, &out->year, &out->level,
		&out->theme };
	int *counts[] = { &out->nacademy, &out->ntype, &out->nsupport, &out->nyear, &out->nlevel, &out->ntheme };

	memset(out, 0, sizeof *out);
	for (int k = 0; k < 6; k++) {
		/* each facet counts under the other filters */
		struct innovation_filter g = *f;

		switch (k) {
		case 0: g.academy = NULL; break;
		case 1: g.type = NULL; break;
		case 2: g.support = NULL; break;
		case 3: g.year = 0; break;
		case 4: g.level = NULL; break;
		default: g.theme = NULL; break;
		}
		*counts[k] = read_facet(dc, where_query(dc, v, &g, heads[k], NULL, 0, tails[k], NULL, 0), lists[k]);
		if (*counts[k] < 0)
			return -1;
	}
	return 0;
}

/* The snippet of a listed record: around the first match in its summary,
 * aims, actions or effects (the indexed text), else its summary's start. */
static int add_snippet(struct dctx *dc, struct innovation *x, const struct search_query *sq)
{
	const char *texts[] = { x->summary, x->aims, x->actions, x->effects };
	const char *from = x->summary;
	struct buf plain = BUF_INIT;

	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		if (texts[k] && search_text_matches(texts[k], sq)) {
			from = texts[k];
			break;
		}
	search_snippet(from, sq, 30, &plain);
	x->snippet = plain.failed ? NULL : arena_strdup(dc->arena, buf_str(&plain));
	x->query = sq;
	buf_free(&plain);
	return x->snippet ? 0 : -1;
}

#define RELEVANCE_OFFSET_MAX 10000

int innovations_list(struct dctx *dc, const struct viewer *v, const struct innovation_filter *f,
		     struct innovation **out, int64_t *next, int64_t *total, struct innovation_facets *fc)
{
	static const struct viewer visitor = { 0 };
	struct innovation_filter g = *f, h;
	struct search_query *sq = NULL;
	struct db_stmt *st;
	const char *expr = NULL;
	int limit = f->limit > 0 && f->limit <= 100 ? f->limit : 20, n = 0, relevance;

	if (!v || f->only_public)
		v = &visitor;
	*next = 0;
	if (total)
		*total = 0;
	if (fc)
		memset(fc, 0, sizeof *fc);
	*out = arena_alloc(dc->arena, (size_t)(limit + 1) * sizeof **out);
	if (!*out)
		return -1;
	g.q = NULL;
	if (f->q && *f->q) {
		/* the search index's match expression stands for q in the filters */
		int rc = search_expr(dc, f->q, &expr);

		if (rc == -1)
			return -1;
		if (rc == -2 || !expr)
			return 0;           /* typed, but nothing to look for ("%", "***"): nothing found */
		g.q = expr;
		if (!(sq = arena_alloc(dc->arena, sizeof *sq)) || search_parse(f->q, sq) < 0)
			return -1;
	}
	relevance = g.q && !(f->sort && !strcmp(f->sort, "recent"));
	if (relevance) {
		/* ranked by the index (title over text over academy), the cursor an offset */
		struct db_value hv[1] = { { 's', 0, g.q } };
		struct db_value tv[2] = { { 'i', limit + 1, NULL }, { 'i', f->before, NULL } };

		if (f->before > RELEVANCE_OFFSET_MAX)
			return 0;
		h = g;
		h.q = NULL;  /* the join filters already */
		st = where_query(dc, v, &h, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM
				 " JOIN (SELECT qs.item_id AS iid, qf.rank AS rnk FROM search_fts(?) qf"
				 "  JOIN search_items qs ON qs.id = qf.rowid WHERE qs.kind = 'innovation') qm ON qm.iid = i.id",
				 hv, 1, " ORDER BY qm.rnk, i.id DESC LIMIT ? OFFSET ?", tv, 2);
	} else {
		struct db_value tv[3] = { { 'i', f->before, NULL }, { 'i', f->before, NULL }, { 'i', limit + 1, NULL } };

		st = where_query(dc, v, &g, "SELECT " INNOVATION_COLUMNS INNOVATION_FROM, NULL, 0,
				 " AND (? = 0 OR i.id < ?) ORDER BY i.id DESC LIMIT ?", tv, 3);
	}
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW && n <= limit)
		read_row(dc, st, &(*out)[n++]);
	if (db_finish(st) < 0)
		return -1;
	if (n > limit) {
		n = limit;
		*next = relevance ? f->before + limit : (*out)[n - 1].id;
	}
	for (int i = 0; sq && i < n; i++)
		if (add_snippet(dc, &(*out)[i], sq) < 0)
			return -1;
	if (total) {
		int rc;

		st = where_query(dc, v, &g, "SELECT COUNT(*) FROM innovations i", NULL, 0, "", NULL, 0);
		if (!st)
			return -1;
		if ((rc = db_step(st)) == DB_ROW)
			*total = db_col_int(st, 0);
		if (db_finish(st) < 0 || rc != DB_ROW)
			return -1;
	}
	if (fc && facets(dc, v, &g, fc) < 0)
		return -1;
	return n;
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
		read_row(dc, st, &(*out)[(*n)++]);
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

		if (n == cap) {
			struct innovation_revision *more = arena_alloc(dc->arena, (size_t)cap * 2 * sizeof *more);

			if (!more)
				break;
			memcpy(more, *out, (size_t)n * sizeof *more);
			*out = more;
			cap *= 2;
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
