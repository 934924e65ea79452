/* Events and their registrations (see agenda.h). */
#include "domain/agenda.h"

#include <stdio.h>
#include <string.h>

#include "domain/notify.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/tz_paris.h"

const char *const event_visibilities[] = { "public", "members", "group", NULL };

void event_input_init(struct event_input *in)
{
	memset(in, 0, sizeof *in);
	in->starts_at = in->ends_at = in->capacity = -1;
	in->group_id = in->room_id = in->call_id = -1;
}

/* ---- validation ------------------------------------------------------------ */

static int url_ok(const char *u)
{
	if (!*u)
		return 1;
	if (!text_length_ok(u, 8, EVENT_URL_MAX, 0) || strpbrk(u, " \t<>\"'\\"))
		return 0;
	return (!strncmp(u, "https://", 8) && u[8]) || (!strncmp(u, "http://", 7) && u[7]);
}

/* What validation needs of the event being edited (NULL when creating). */
struct current {
	int64_t group_id, starts_at, ends_at, room_id, call_id;
	const char *visibility, *group_visibility, *place, *url;
};

static enum derr validate(struct dctx *dc, const struct viewer *v, const struct event_input *in,
			  const struct current *cur, const char **field)
{
	int creating = cur == NULL;
	int64_t gid = creating ? (in->group_id > 0 ? in->group_id : 0) : cur->group_id;
	int64_t s = in->starts_at >= 0 ? in->starts_at : cur ? cur->starts_at : -1;
	int64_t e = in->ends_at >= 0 ? in->ends_at : cur ? cur->ends_at : -1;
	int64_t room = in->room_id >= 0 ? in->room_id : cur ? cur->room_id : 0;
	const char *gvis = cur ? cur->group_visibility : NULL, *vis;
	const char *place = in->place ? in->place : cur ? cur->place : "";
	const char *url = in->url ? in->url : cur ? cur->url : "";

	*field = "title";
	if ((creating && !in->title) ||
	    (in->title && (!text_length_ok(in->title, 1, EVENT_TITLE_MAX, 0) || text_blank(in->title))))
		return D_INVALID;
	*field = "description";
	if (in->description && !text_length_ok(in->description, 0, EVENT_TEXT_MAX, 1))
		return D_INVALID;
	*field = "place";
	if (in->place && !text_length_ok(in->place, 0, EVENT_PLACE_MAX, 0))
		return D_INVALID;
	*field = "url";
	if (in->url && !url_ok(in->url))
		return D_INVALID;
	*field = "starts_at";
	if (s < EVENT_TIME_MIN || s > EVENT_TIME_MAX)
		return D_INVALID;
	*field = "ends_at";
	if (e < EVENT_TIME_MIN || e > EVENT_TIME_MAX || e <= s || e - s > EVENT_DURATION_MAX)
		return D_INVALID;
	*field = "capacity";
	if (in->capacity > EVENT_CAPACITY_MAX || in->capacity < -1)
		return D_INVALID;
	*field = "call_id";
	if (in->call_id < -1)
		return D_INVALID;
	/* the programme comes from a call the organiser sees (an unknown or
	 * hidden one: refused alike) */
	if (in->call_id > 0 && (!cur || in->call_id != cur->call_id) &&
	    access_check(dc, v, AK_CALL, in->call_id, AA_SEE) != D_OK)
		return D_INVALID;
	*field = "group_id";
	if (!creating && in->group_id >= 0 && in->group_id != cur->group_id)
		return D_INVALID;    /* an event stays in its group */
	if (creating && in->group_id < -1)
		return D_INVALID;
	if (creating && gid) {
		struct group_ref g;
		enum derr rc = access_load_group(dc, gid, &g);

		if (rc == D_INTERNAL)
			return rc;
		/* unknown and invisible alike */
		if (rc != D_OK || !access_may_see_group(dc, v, &g))
			return D_INVALID;
		if (access_group_role(dc, v, gid) < GR_MEMBER)
			return D_FORBIDDEN;
		gvis = g.visibility;
	}
	*field = "visibility";
	vis = in->visibility ? in->visibility : cur ? cur->visibility :
	      !gid ? "members" : gvis && !strcmp(gvis, "open") ? "members" : "group";
	if (!text_one_of(vis, event_visibilities) || access_visibility_ok(vis, gid, gvis) != D_OK)
		return D_INVALID;
	*field = "room_id";
	if (room < -1)
		return D_INVALID;
	if (room > 0) {
		struct room_ref rr;
		enum derr rc = access_load_room(dc, room, &rr);

		if (rc == D_INTERNAL)
			return rc;
		if (rc != D_OK || !gid || strcmp(rr.kind, "group") || rr.group_id != gid)
			return D_INVALID;
	}
	*field = "place";
	if (text_blank(place) && !*url && room <= 0)
		return D_INVALID;    /* somewhere to meet: a place, a link or a room */
	*field = NULL;
	return D_OK;
}

static const char *trimmed(struct dctx *dc, const char *s)
{
	char *c = s ? arena_strdup(dc->arena, s) : NULL;

	return c ? text_trim(c) : NULL;
}

enum derr event_create(struct dctx *dc, const struct viewer *v, const struct event_input *in, int64_t *id,
		       const char **field)
{
	struct db_stmt *st;
	enum derr rc;
	int64_t gid = in->group_id > 0 ? in->group_id : 0;
	const char *vis = in->visibility;

	*id = 0;
	*field = NULL;
	if (!v || !v->id)
		return D_NOT_FOUND;
	rc = validate(dc, v, in, NULL, field);
	if (rc != D_OK)
		return rc;
	if (!vis) {
		struct group_ref g = { 0 };

		if (gid && access_load_group(dc, gid, &g) != D_OK)
			return D_INTERNAL;
		vis = !gid ? "members" : !strcmp(g.visibility, "open") ? "members" : "group";
	}
	st = db_query(dc->db, "INSERT INTO events (author_id, group_id, title, description, starts_at, ends_at, place,"
		      " url, room_id, capacity, visibility, call_id, created_at, updated_at)"
		      " VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
		      "iissiissiisiii", v->id, gid, trimmed(dc, in->title), in->description ? in->description : "",
		      in->starts_at, in->ends_at, in->place ? trimmed(dc, in->place) : "", in->url ? in->url : "",
		      in->room_id > 0 ? in->room_id : 0, in->capacity > 0 ? in->capacity : 0, vis,
		      in->call_id > 0 ? in->call_id : 0, dc->now, dc->now);
	if (st && db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finish(st) < 0 || !*id)
		return D_INTERNAL;
	return D_OK;
}

/* ---- reading ---------------------------------------------------------------- */

/* One '?': the viewer (their registration's state). */
#define EVENT_COLUMNS \
	"e.id, e.author_id, COALESCE(u.name, ''), e.group_id, COALESCE(g.name, ''), e.title, e.description," \
	" e.place, e.url, e.visibility, e.starts_at, e.ends_at, COALESCE(e.room_id, 0), e.capacity," \
	" COALESCE(e.call_id, 0), e.created_at, e.updated_at," \
	" (SELECT COUNT(*) FROM event_registrations cr WHERE cr.event_id = e.id AND cr.state = 'registered')," \
	" (SELECT COUNT(*) FROM event_registrations cw WHERE cw.event_id = e.id AND cw.state = 'waitlisted')," \
	" (SELECT mr.state FROM event_registrations mr WHERE mr.event_id = e.id AND mr.user_id = ?)"
#define EVENT_FROM " FROM events e LEFT JOIN groups g ON g.id = e.group_id LEFT JOIN users u ON u.id = e.author_id"

static const struct db_field event_fields[] = {
	DB_FIELD(DBF_INT, struct event, id),
	DB_FIELD(DBF_ID, struct event, author_id),
	DB_FIELD(DBF_TEXT, struct event, author_name),
	DB_FIELD(DBF_ID, struct event, group_id),
	DB_FIELD(DBF_TEXT, struct event, group_name),
	DB_FIELD(DBF_TEXT, struct event, title),
	DB_FIELD(DBF_TEXT, struct event, description),
	DB_FIELD(DBF_TEXT, struct event, place),
	DB_FIELD(DBF_TEXT, struct event, url),
	DB_FIELD(DBF_TEXT, struct event, visibility),
	DB_FIELD(DBF_INT, struct event, starts_at),
	DB_FIELD(DBF_INT, struct event, ends_at),
	DB_FIELD(DBF_INT, struct event, room_id),
	DB_FIELD(DBF_INT, struct event, capacity),
	DB_FIELD(DBF_INT, struct event, call_id),
	DB_FIELD(DBF_INT, struct event, created_at),
	DB_FIELD(DBF_INT, struct event, updated_at),
	DB_FIELD(DBF_INT, struct event, registered),
	DB_FIELD(DBF_INT, struct event, waitlisted),
	DB_FIELD(DBF_TEXT_OR_NULL, struct event, my_state),
};

static void read_row(struct dctx *dc, struct db_stmt *st, struct event *out)
{
	memset(out, 0, sizeof *out);
	db_read_fields(st, 0, dc->arena, out, event_fields, DB_FIELDS_N(event_fields));
}

enum derr event_get(struct dctx *dc, const struct viewer *v, int64_t id, struct event *out)
{
	struct access_item it;
	struct db_stmt *st;
	enum derr rc = access_check_item(dc, v, AK_EVENT, id, AA_SEE, &it);
	int64_t me = v ? v->id : 0;
	int step;

	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT " EVENT_COLUMNS EVENT_FROM " WHERE e.id = ?", "ii", me, id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_row(dc, st, out);
	if (db_finish(st) < 0 || step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	if (out->my_state && !strcmp(out->my_state, "waitlisted") &&
	    db_int(dc->db, &out->my_position, "SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = ?"
		   " AND w.state = 'waitlisted' AND w.id <= (SELECT id FROM event_registrations WHERE event_id = ?"
		   " AND user_id = ?)", "iii", id, id, me) < 0)
		return D_INTERNAL;
	out->may_edit = access_check_loaded(dc, v, &it, AA_EDIT) == D_OK;
	return D_OK;
}

/* ---- registrations ------------------------------------------------------------ */

/* Takes the event's row lock (PostgreSQL: concurrent registrations wait
 * here; SQLite's BEGIN IMMEDIATE already serialises writers) and reads
 * what the rules need. 1 found, 0 absent, -1 error. */
static int lock_event(struct dctx *dc, int64_t id, int64_t *ends_at, int64_t *capacity, int64_t *author)
{
	struct db_stmt *st;
	int64_t n = db_exec(dc->db, "UPDATE events SET capacity = capacity WHERE id = ?", "i", id);
	int rc;

	if (n <= 0)
		return (int)n;
	st = db_query(dc->db, "SELECT ends_at, capacity, COALESCE(author_id, 0) FROM events WHERE id = ?", "i", id);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*ends_at = db_col_int(st, 0);
		*capacity = db_col_int(st, 1);
		*author = db_col_int(st, 2);
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return -1;
	return rc == DB_ROW;
}

/* Moves waiting members into the free places, first come first served,
 * each notified (page, and mail per their settings). 0 or -1; *first the
 * first one promoted (may be NULL). */
static int fill_places(struct dctx *dc, int64_t id, int64_t capacity, int64_t actor, int64_t *first)
{
	for (int i = 0; i < EVENT_CAPACITY_MAX; i++) {
		int64_t registered = 0, reg = 0, user = 0;
		struct db_stmt *st;
		int rc;

		if (capacity > 0) {
			if (db_int(dc->db, &registered, "SELECT COUNT(*) FROM event_registrations WHERE event_id = ?"
				   " AND state = 'registered'", "i", id) < 0)
				return -1;
			if (registered >= capacity)
				return 0;
		}
		st = db_query(dc->db, "SELECT id, user_id FROM event_registrations WHERE event_id = ?"
			      " AND state = 'waitlisted' ORDER BY id LIMIT 1", "i", id);
		if (!st)
			return -1;
		rc = db_step(st);
		if (rc == DB_ROW) {
			reg = db_col_int(st, 0);
			user = db_col_int(st, 1);
		}
		if (db_finish(st) < 0 || rc == DB_ERR)
			return -1;
		if (rc != DB_ROW)
			return 0;
		if (db_exec(dc->db, "UPDATE event_registrations SET state = 'registered' WHERE id = ?", "i", reg) != 1)
			return -1;
		if (first && !*first)
			*first = user;
		if (notify_event(dc, user, "event_promoted", actor != user ? actor : 0, id) < 0)
			return -1;
	}
	return 0;
}

static enum derr finish(struct dctx *dc, enum derr rc)
{
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr event_register(struct dctx *dc, const struct viewer *v, int64_t id, const char **state, int *created)
{
	enum derr rc = access_check(dc, v, AK_EVENT, id, AA_SEE);
	int64_t ends_at = 0, capacity = 0, author = 0, registered = 0;
	struct db_stmt *st;
	int found;

	*state = NULL;
	*created = 0;
	if (rc != D_OK)
		return rc;
	if (!v || !v->id)
		return D_NOT_FOUND;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	found = lock_event(dc, id, &ends_at, &capacity, &author);
	if (found <= 0)
		return finish(dc, found < 0 ? D_INTERNAL : D_NOT_FOUND);
	if (dc->now >= ends_at)
		return finish(dc, D_INVALID);
	st = db_query(dc->db, "SELECT state FROM event_registrations WHERE event_id = ? AND user_id = ?", "ii", id,
		      v->id);
	if (st && db_step(st) == DB_ROW)
		*state = db_col_dup(st, 0, dc->arena);
	if (db_finish(st) < 0 || !st)
		return finish(dc, D_INTERNAL);
	if (*state)
		return finish(dc, D_OK);    /* already there: the same answer */
	if (capacity > 0 && db_int(dc->db, &registered, "SELECT COUNT(*) FROM event_registrations WHERE event_id = ?"
				   " AND state = 'registered'", "i", id) < 0)
		return finish(dc, D_INTERNAL);
	*state = capacity == 0 || registered < capacity ? "registered" : "waitlisted";
	if (db_exec(dc->db, "INSERT INTO event_registrations (event_id, user_id, state, created_at) VALUES (?, ?, ?, ?)",
		    "iisi", id, v->id, *state, dc->now) != 1)
		return finish(dc, D_INTERNAL);
	*created = 1;
	return finish(dc, D_OK);
}

enum derr event_unregister(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *promoted,
			   const char **field)
{
	enum derr rc = access_check(dc, v, AK_EVENT, id, AA_SEE);
	int64_t ends_at = 0, capacity = 0, author = 0;
	struct db_stmt *st;
	const char *state = NULL;
	int found;

	*promoted = 0;
	*field = NULL;
	if (rc != D_OK)
		return rc;
	if (!v || !v->id)
		return D_NOT_FOUND;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	found = lock_event(dc, id, &ends_at, &capacity, &author);
	if (found <= 0)
		return finish(dc, found < 0 ? D_INTERNAL : D_NOT_FOUND);
	if (dc->now >= ends_at) {
		*field = "ended";
		return finish(dc, D_INVALID);
	}
	st = db_query(dc->db, "DELETE FROM event_registrations WHERE event_id = ? AND user_id = ? RETURNING state", "ii",
		      id, v->id);
	if (st && db_step(st) == DB_ROW)
		state = db_col_dup(st, 0, dc->arena);
	if (db_finish(st) < 0 || !st)
		return finish(dc, D_INTERNAL);
	if (!state) {
		*field = "registration";
		return finish(dc, D_NOT_FOUND);
	}
	if (!strcmp(state, "registered") && fill_places(dc, id, capacity, author, promoted) < 0)
		return finish(dc, D_INTERNAL);
	return finish(dc, D_OK);
}

/* ---- editing -------------------------------------------------------------------- */

enum derr event_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct event_input *in,
		       const char **field)
{
	struct access_item it;
	struct current cur = { 0 };
	struct db_stmt *st;
	enum derr rc = access_check_item(dc, v, AK_EVENT, id, AA_EDIT, &it);
	int64_t ends_at = 0, capacity = 0, author = 0;
	int step, found;

	*field = NULL;
	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT COALESCE(e.group_id, 0), e.starts_at, e.ends_at, COALESCE(e.room_id, 0),"
		      " e.visibility, g.visibility, e.place, e.url, COALESCE(e.call_id, 0) FROM events e"
		      " LEFT JOIN groups g ON g.id = e.group_id"
		      " WHERE e.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW) {
		cur.group_id = db_col_int(st, 0);
		cur.starts_at = db_col_int(st, 1);
		cur.ends_at = db_col_int(st, 2);
		cur.room_id = db_col_int(st, 3);
		cur.visibility = db_col_dup(st, 4, dc->arena);
		cur.group_visibility = db_col_is_null(st, 5) ? NULL : db_col_dup(st, 5, dc->arena);
		cur.place = db_col_dup(st, 6, dc->arena);
		cur.call_id = db_col_int(st, 8);
		cur.url = db_col_dup(st, 7, dc->arena);
	}
	if (db_finish(st) < 0 || step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	rc = validate(dc, v, in, &cur, field);
	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	found = lock_event(dc, id, &ends_at, &capacity, &author);
	if (found <= 0)
		return finish(dc, found < 0 ? D_INTERNAL : D_NOT_FOUND);
	if (db_exec(dc->db, "UPDATE events SET title = COALESCE(?, title), description = COALESCE(?, description),"
		    " place = COALESCE(?, place), url = COALESCE(?, url), visibility = COALESCE(?, visibility),"
		    " starts_at = CASE WHEN ? >= 0 THEN ? ELSE starts_at END,"
		    " ends_at = CASE WHEN ? >= 0 THEN ? ELSE ends_at END,"
		    " capacity = CASE WHEN ? >= 0 THEN ? ELSE capacity END,"
		    " room_id = CASE WHEN ? > 0 THEN ? WHEN ? = 0 THEN NULL ELSE room_id END,"
		    " call_id = CASE WHEN ? > 0 THEN ? WHEN ? = 0 THEN NULL ELSE call_id END,"
		    " updated_at = ? WHERE id = ?",
		    "sssssiiiiiiiiiiiiii", trimmed(dc, in->title), in->description, trimmed(dc, in->place), in->url,
		    in->visibility, in->starts_at, in->starts_at, in->ends_at, in->ends_at, in->capacity, in->capacity,
		    in->room_id, in->room_id, in->room_id, in->call_id, in->call_id, in->call_id, dc->now, id) != 1)
		return finish(dc, D_INTERNAL);
	/* more places (or none counted): the waiting list moves up */
	if (in->capacity >= 0 && (in->capacity == 0 || in->capacity > capacity) &&
	    fill_places(dc, id, in->capacity, v->id, NULL) < 0)
		return finish(dc, D_INTERNAL);
	return finish(dc, D_OK);
}

enum derr event_delete(struct dctx *dc, const struct viewer *v, int64_t id)
{
	enum derr rc = access_check(dc, v, AK_EVENT, id, AA_EDIT);

	if (rc != D_OK)
		return rc;
	return db_exec(dc->db, "DELETE FROM events WHERE id = ?", "i", id) == 1 ? D_OK : D_INTERNAL;
}

/* ---- lists ---------------------------------------------------------------------- */

int event_cursor_parse(const char *s, int64_t *at, int64_t *id)
{
	return parse_id_pair(s, at, id);
}

#define LIST_FILTERS \
	" AND " ACCESS_EVENT_SQL " AND (? = 0 OR e.group_id = ?)" \
	" AND (? = 0 OR EXISTS (SELECT 1 FROM event_registrations fr WHERE fr.event_id = e.id AND fr.user_id = ?))" \
	" AND (? = 0 OR e.starts_at < ?)"

int events_list(struct dctx *dc, const struct viewer *v, const struct event_filter *f, struct event **out,
		int64_t *next_at, int64_t *next_id)
{
	static const struct viewer visitor = { 0 };
	struct db_stmt *st;
	int limit = f->limit < 1 || f->limit > 200 ? 50 : f->limit, n = 0;
	int64_t from = f->from > 0 ? f->from : dc->now;
	int64_t mine = f->mine && v && v->id ? 1 : 0;

	if (!v)
		v = &visitor;
	*next_at = *next_id = 0;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	if (f->past)
		st = db_query(dc->db, "SELECT " EVENT_COLUMNS EVENT_FROM " WHERE e.ends_at <= ?" LIST_FILTERS
			      " AND (? = 0 OR e.starts_at < ? OR (e.starts_at = ? AND e.id < ?))"
			      " ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
			      "ii" ACCESS_EVENT_TYPES "iiiiiiiiiii", v->id, dc->now, ACCESS_EVENT_ARGS(v), f->group_id,
			      f->group_id, mine, v->id, f->to, f->to, f->cursor_id, f->cursor_at, f->cursor_at,
			      f->cursor_id, (int64_t)limit + 1);
	else
		st = db_query(dc->db, "SELECT " EVENT_COLUMNS EVENT_FROM " WHERE e.ends_at > ?" LIST_FILTERS
			      " AND (? = 0 OR e.starts_at > ? OR (e.starts_at = ? AND e.id > ?))"
			      " ORDER BY e.starts_at, e.id LIMIT ?",
			      "ii" ACCESS_EVENT_TYPES "iiiiiiiiiii", v->id, from, ACCESS_EVENT_ARGS(v), f->group_id,
			      f->group_id, mine, v->id, f->to, f->to, f->cursor_id, f->cursor_at, f->cursor_at,
			      f->cursor_id, (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next_at = (*out)[n - 1].starts_at;
			*next_id = (*out)[n - 1].id;
			break;
		}
		read_row(dc, st, &(*out)[n++]);
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

int event_registrations_of(struct dctx *dc, const struct event *e, struct event_registration **out)
{
	struct db_stmt *st;
	int64_t total = 0;
	int n = 0;

	*out = NULL;
	if (!e->may_edit)
		return -1;
	if (db_int(dc->db, &total, "SELECT COUNT(*) FROM event_registrations WHERE event_id = ?", "i", e->id) < 0)
		return -1;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(total + 1));
	st = *out ? db_query(dc->db, "SELECT r.user_id, u.name, u.email, r.state, r.created_at FROM event_registrations r"
			     " JOIN users u ON u.id = r.user_id WHERE r.event_id = ?"
			     " ORDER BY CASE WHEN r.state = 'registered' THEN 0 ELSE 1 END, r.id", "i", e->id) : NULL;
	if (!st)
		return -1;
	while (n < total && db_step(st) == DB_ROW) {
		struct event_registration *x = &(*out)[n++];

		x->user_id = db_col_int(st, 0);
		x->name = db_col_dup(st, 1, dc->arena);
		x->email = db_col_dup(st, 2, dc->arena);
		x->state = db_col_dup(st, 3, dc->arena);
		x->registered_at = db_col_int(st, 4);
	}
	return db_finish(st) < 0 ? -1 : n;
}

int event_registrations(struct dctx *dc, const struct viewer *v, int64_t id, struct event_registration **out,
			enum derr *err)
{
	struct event e = { 0 };
	int n;

	*out = NULL;
	*err = access_check(dc, v, AK_EVENT, id, AA_EDIT);
	if (*err != D_OK)
		return -1;
	e.id = id;
	e.may_edit = 1;
	n = event_registrations_of(dc, &e, out);
	if (n < 0)
		*err = D_INTERNAL;
	return n;
}

/* ---- iCalendar (RFC 5545) ------------------------------------------------------- */

/* Appends one content line, its text escaped (3.3.11: backslash, ';', ','
 * and newlines; carriage returns dropped), folded at 75 octets (3.1)
 * without cutting a UTF-8 sequence, ended by CRLF. */
static void ics_line(struct buf *b, const char *name, const char *value, int escape)
{
	struct buf l = BUF_INIT;
	const char *s;
	size_t col = 0;

	buf_puts(&l, name);
	buf_putc(&l, ':');
	for (s = value ? value : ""; *s; s++) {
		if (!escape)
			buf_putc(&l, *s);
		else if (*s == '\\' || *s == ';' || *s == ',')
			buf_printf(&l, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(&l, "\\n");
		else if (*s != '\r')
			buf_putc(&l, *s);
	}
	if (l.failed) {
		b->failed = 1;
		buf_free(&l);
		return;
	}
	for (s = buf_str(&l); *s; ) {
		size_t n = 1;

		while ((((unsigned char)s[n]) & 0xC0) == 0x80)
			n++;
		if (col + n > 75) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
		buf_append(b, s, n);
		col += n;
		s += n;
	}
	buf_puts(b, "\r\n");
	buf_free(&l);
}

static const char *ics_utc(struct dctx *dc, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm))
		return "19700101T000000Z";
	return arena_printf(dc->arena, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *ics_paris(struct dctx *dc, int64_t t)
{
	struct tm tm;

	tz_paris_tm(t, &tm);
	return arena_printf(dc->arena, "%04d%02d%02dT%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The host of the base URL, for UIDs ("localhost" when none). */
static const char *base_host(struct dctx *dc)
{
	const char *u = dc->base_url ? strstr(dc->base_url, "://") : NULL;
	size_t n;

	if (!u)
		return "respire.invalid";
	u += 3;
	n = strcspn(u, "/:?#");
	return n ? arena_strndup(dc->arena, u, n) : "respire.invalid";
}

const char *event_ics(struct dctx *dc, const struct event *e, const char *url)
{
	struct buf b = BUF_INIT;
	struct buf desc = BUF_INIT;
	const char *out, *location = e->place;

	buf_puts(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Respire//Agenda 1.0//FR\r\n"
		 "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
		 /* the rule of util/tz_paris.c */
		 "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
		 "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
		 "DTSTART:19960331T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
		 "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
		 "DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
		 "END:VTIMEZONE\r\nBEGIN:VEVENT\r\n");
	ics_line(&b, "UID", arena_printf(dc->arena, "event-%lld@%s", (long long)e->id, base_host(dc)), 0);
	ics_line(&b, "DTSTAMP", ics_utc(dc, dc->now), 0);
	ics_line(&b, "CREATED", ics_utc(dc, e->created_at), 0);
	ics_line(&b, "LAST-MODIFIED", ics_utc(dc, e->updated_at), 0);
	ics_line(&b, "DTSTART;TZID=Europe/Paris", ics_paris(dc, e->starts_at), 0);
	ics_line(&b, "DTEND;TZID=Europe/Paris", ics_paris(dc, e->ends_at), 0);
	ics_line(&b, "SUMMARY", e->title, 1);
	buf_puts(&desc, e->description);
	if (*e->url)
		buf_printf(&desc, "%s%s", *e->description ? "\n\n" : "", e->url);
	if (desc.len)
		ics_line(&b, "DESCRIPTION", desc.failed ? "" : buf_str(&desc), 1);
	if (!*location && *e->url)
		location = e->url;
	if (!*location && e->room_id)   /* the group's room, for its members */
		location = arena_printf(dc->arena, "%s/rooms/%lld", dc->base_url ? dc->base_url : "", (long long)e->room_id);
	if (*location)
		ics_line(&b, "LOCATION", location, 1);
	if (url)
		ics_line(&b, "URL", url, 0);
	ics_line(&b, "STATUS", "CONFIRMED", 0);
	buf_puts(&b, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	out = b.failed || desc.failed ? NULL : arena_strdup(dc->arena, buf_str(&b));
	buf_free(&b);
	buf_free(&desc);
	return out;
}
