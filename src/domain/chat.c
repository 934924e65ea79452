#include "domain/chat.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/documents.h"
#include "domain/notify.h"
#include "domain/profile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

/* ---- rooms ------------------------------------------------------------------ */

#define ROOM_COLUMNS \
	"r.id, r.kind, COALESCE(r.group_id, 0), r.name, r.is_main, r.last_message_at, COALESCE(g.name, '')," \
	" COALESCE((SELECT max(id) FROM chat_messages lm WHERE lm.room_id = r.id), 0), " UNREAD_OF_R

static void read_room(struct dctx *dc, struct db_stmt *st, struct room *o)
{
	memset(o, 0, sizeof *o);
	o->ref.id = db_col_int(st, 0);
	o->ref.kind = db_col_dup(st, 1, dc->arena);
	o->ref.group_id = db_col_int(st, 2);
	o->name = db_col_dup(st, 3, dc->arena);
	o->is_main = (int)db_col_int(st, 4);
	o->last_message_at = db_col_int(st, 5);
	o->group_name = db_col_dup(st, 6, dc->arena);
	o->last_message_id = db_col_int(st, 7);
	o->unread = db_col_int(st, 8);
}

/* "Group · room", or the other participants' names. */
static int finish_room(struct dctx *dc, const struct viewer *v, struct room *o)
{
	if (!o->ref.kind || !o->name || !o->group_name)
		return -1;
	if (!strcmp(o->ref.kind, "group")) {
		o->title = o->is_main || !o->name[0] ? o->group_name
			 : arena_printf(dc->arena, "%s · %s", o->group_name, o->name);
		o->may_manage = access_may_moderate_group(dc, v, o->ref.group_id);
	} else {
		struct buf b = BUF_INIT;
		struct db_stmt *st = db_query(dc->db, "SELECT u.name FROM chat_participants p JOIN users u ON u.id = p.user_id"
					      " WHERE p.room_id = ? AND p.user_id <> ? ORDER BY u.name LIMIT 6", "ii",
					      o->ref.id, v->id);
		int n = 0;

		while (st && db_step(st) == DB_ROW) {
			if (n++ == 5) {
				buf_puts(&b, ", …");
				break;
			}
			buf_printf(&b, "%s%s", n > 1 ? ", " : "", db_col_text(st, 0) ? db_col_text(st, 0) : "");
		}
		if (db_finish(st) < 0) {
			buf_free(&b);
			return -1;
		}
		o->title = arena_strdup(dc->arena, buf_str(&b));
		buf_free(&b);
	}
	return o->title ? 0 : -1;
}

static enum derr visible_room(struct dctx *dc, const struct viewer *v, int64_t room_id, struct room_ref *ref)
{
	struct access_item it;
	enum derr rc = access_check_item(dc, v, AK_ROOM, room_id, AA_SEE, &it);

	if (rc == D_OK)
		*ref = it.room;
	return rc;
}

enum derr chat_group_room(struct dctx *dc, const struct viewer *v, int64_t group_id, int64_t *room_id)
{
	int found;
	enum derr rc = access_check(dc, v, AK_GROUP_ROOMS, group_id, AA_SEE);

	if (rc != D_OK)
		return rc;
	if (db_exec(dc->db, "INSERT INTO chat_rooms (kind, group_id, is_main, created_at) VALUES ('group', ?, 1, ?)"
		    " ON CONFLICT DO NOTHING", "ii", group_id, dc->now) < 0)
		return D_INTERNAL;
	found = db_int(dc->db, room_id, "SELECT id FROM chat_rooms WHERE group_id = ? AND is_main = 1", "i", group_id);
	return found == 1 ? D_OK : D_INTERNAL;
}

enum derr chat_room_create(struct dctx *dc, const struct viewer *v, int64_t group_id, const char *name,
			   int64_t *room_id, const char **field)
{
	struct db_stmt *st;
	char *clean;
	enum derr rc = D_INTERNAL;

	*field = NULL;
	if ((rc = access_check(dc, v, AK_GROUP_ROOMS, group_id, AA_EDIT)) != D_OK)
		return rc;
	rc = D_INTERNAL;
	*field = "name";
	if (!name || !text_length_ok(name, 1, CHAT_NAME_MAX, 0) || text_blank(name) ||
	    !(clean = text_trim(arena_strdup(dc->arena, name))))
		return D_INVALID;
	*field = NULL;
	st = db_query(dc->db, "INSERT INTO chat_rooms (kind, group_id, name, is_main, created_by, created_at)"
		      " VALUES ('group', ?, ?, 0, ?, ?) RETURNING id", "isii", group_id, clean, v->id, dc->now);
	if (st && db_step(st) == DB_ROW) {
		*room_id = db_col_int(st, 0);
		rc = D_OK;
	}
	if (db_finish(st) < 0)
		rc = D_INTERNAL;
	return rc;
}

enum derr chat_room_get(struct dctx *dc, const struct viewer *v, int64_t room_id, struct room *out)
{
	struct room_ref ref;
	struct db_stmt *st;
	enum derr rc = visible_room(dc, v, room_id, &ref);
	int step;

	if (rc != D_OK)
		return rc;
	st = db_query(dc->db, "SELECT " ROOM_COLUMNS " FROM chat_rooms r LEFT JOIN groups g ON g.id = r.group_id"
		      " WHERE r.id = ?", "iiiii", v->id, v->id, v->id, v->id, room_id);
	step = st ? db_step(st) : DB_ERR;
	if (step == DB_ROW)
		read_room(dc, st, out);
	if (db_finish(st) < 0 || step != DB_ROW)
		return step == DB_DONE ? D_NOT_FOUND : D_INTERNAL;
	return finish_room(dc, v, out) < 0 ? D_INTERNAL : D_OK;
}

static int rooms_from(struct dctx *dc, const struct viewer *v, struct db_stmt *st, int max, struct room **out)
{
	int n = 0;

	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(max > 0 ? max : 1));
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (n < max && db_step(st) == DB_ROW)
		read_room(dc, st, &(*out)[n++]);
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (finish_room(dc, v, &(*out)[i]) < 0)
			return -1;
	return n;
}

int chat_group_rooms(struct dctx *dc, const struct viewer *v, int64_t group_id, struct room **out)
{
	int64_t main_id;
	enum derr rc = chat_group_room(dc, v, group_id, &main_id);

	if (rc != D_OK)
		return rc == D_NOT_FOUND ? -2 : -1;
	return rooms_from(dc, v, db_query(dc->db, "SELECT " ROOM_COLUMNS " FROM chat_rooms r"
					  " LEFT JOIN groups g ON g.id = r.group_id WHERE r.group_id = ?"
					  " ORDER BY r.is_main DESC, r.id LIMIT 50", "iiiii", v->id, v->id, v->id, v->id,
					  group_id), 50, out);
}

int chat_rooms_mine(struct dctx *dc, const struct viewer *v, int max, struct room **out)
{
	if (!v || !v->id)
		return -1;
	/* every group of V has its main room */
	if (db_exec(dc->db, "INSERT INTO chat_rooms (kind, group_id, is_main, created_at)"
		    " SELECT 'group', gm.group_id, 1, ? FROM group_members gm WHERE gm.user_id = ? AND gm.state = 'member'"
		    " AND NOT EXISTS (SELECT 1 FROM chat_rooms x WHERE x.group_id = gm.group_id AND x.is_main = 1)"
		    " ON CONFLICT DO NOTHING", "ii", dc->now, v->id) < 0)
		return -1;
	if (max < 1 || max > 500)
		max = 200;
	return rooms_from(dc, v, db_query(dc->db, "SELECT " ROOM_COLUMNS " FROM chat_rooms r"
					  " LEFT JOIN groups g ON g.id = r.group_id WHERE" MY_ROOMS
					  " ORDER BY r.last_message_at DESC, r.id DESC LIMIT ?", "iiiiiii",
					  v->id, v->id, v->id, v->id, v->id, v->id, (int64_t)max), max, out);
}

/* ---- conversations and blocks --------------------------------------------------- */

int chat_blocked_between(struct dctx *dc, int64_t a, int64_t b)
{
	int64_t n = 0;

	return db_int(dc->db, &n, "SELECT 1 FROM blocks WHERE (blocker_id = ? AND blocked_id = ?)"
		      " OR (blocker_id = ? AND blocked_id = ?)", "iiii", a, b, b, a) != 0;
}

int chat_has_blocked(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t n = 0;

	return v && v->id && db_int(dc->db, &n, "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?", "ii",
				      v->id, user) == 1;
}

/* May V write to user: an active member, a contact or in a shared group? */
static int reachable(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t n = 0;

	return db_int(dc->db, &n, "SELECT 1 FROM users u WHERE u.id = ? AND u.status = 'active' AND ("
		      " EXISTS (SELECT 1 FROM contacts c WHERE c.state = 'accepted'"
		      "   AND ((c.requester_id = ? AND c.addressee_id = u.id) OR (c.addressee_id = ? AND c.requester_id = u.id)))"
		      " OR EXISTS (SELECT 1 FROM group_members a JOIN group_members b ON b.group_id = a.group_id"
		      "   WHERE a.user_id = ? AND a.state = 'member' AND b.user_id = u.id AND b.state = 'member'))",
		      "iiii", user, v->id, v->id, v->id) == 1;
}

static enum derr conversation_start(struct dctx *dc, const struct viewer *v, const int64_t *users, int n,
				    int64_t *room_id, int *created, int need_reach);

enum derr chat_conversation_start(struct dctx *dc, const struct viewer *v, const int64_t *users, int n,
				  int64_t *room_id, int *created)
{
	return conversation_start(dc, v, users, n, room_id, created, 1);
}

enum derr chat_conversation_with(struct dctx *dc, const struct viewer *v, int64_t user, int64_t *room_id,
				 int *created)
{
	int64_t n = 0;
	int found;

	if (user <= 0)
		return D_NOT_FOUND;
	found = db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", user);
	if (found <= 0)
		return found < 0 ? D_INTERNAL : D_NOT_FOUND;
	return conversation_start(dc, v, &user, 1, room_id, created, 0);
}

static enum derr conversation_start(struct dctx *dc, const struct viewer *v, const int64_t *users, int n,
				    int64_t *room_id, int *created, int need_reach)
{
	struct db_stmt *st;
	enum derr rc = D_OK;

	*created = 0;
	if (!v || !v->id)
		return D_NOT_FOUND;
	if (n < 1 || n >= CHAT_PARTICIPANTS_MAX)
		return D_INVALID;
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++)
			if (users[j] == users[i])
				return D_INVALID;
		if (users[i] <= 0 || users[i] == v->id || (need_reach && !reachable(dc, v, users[i])))
			return D_NOT_FOUND;
		if (chat_blocked_between(dc, v->id, users[i]))
			return D_FORBIDDEN;
	}
	if (n == 1) {
		/* one conversation per pair */
		int found = db_int(dc->db, room_id, "SELECT r.id FROM chat_rooms r WHERE r.kind = 'private'"
				   " AND (SELECT count(*) FROM chat_participants p WHERE p.room_id = r.id) = 2"
				   " AND EXISTS (SELECT 1 FROM chat_participants p WHERE p.room_id = r.id AND p.user_id = ?)"
				   " AND EXISTS (SELECT 1 FROM chat_participants p WHERE p.room_id = r.id AND p.user_id = ?)"
				   " ORDER BY r.id LIMIT 1", "ii", v->id, users[0]);

		if (found < 0)
			return D_INTERNAL;
		if (found == 1)
			return D_OK;
	}
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO chat_rooms (kind, created_by, created_at, last_message_at)"
		      " VALUES ('private', ?, ?, ?) RETURNING id", "iii", v->id, dc->now, dc->now);
	*room_id = 0;
	if (st && db_step(st) == DB_ROW)
		*room_id = db_col_int(st, 0);
	if (db_finish(st) < 0 || !*room_id)
		rc = D_INTERNAL;
	if (rc == D_OK && db_exec(dc->db, "INSERT INTO chat_participants (room_id, user_id, joined_at) VALUES (?, ?, ?)",
				  "iii", *room_id, v->id, dc->now) != 1)
		rc = D_INTERNAL;
	for (int i = 0; rc == D_OK && i < n; i++) {
		if (db_exec(dc->db, "INSERT INTO chat_participants (room_id, user_id, joined_at) VALUES (?, ?, ?)",
			    "iii", *room_id, users[i], dc->now) != 1)
			rc = D_INTERNAL;
		dctx_wake(dc, users[i]);
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	*created = 1;
	return D_OK;
}

enum derr chat_block(struct dctx *dc, const struct viewer *v, int64_t user, int on)
{
	int64_t n = 0;
	int found;

	if (!v || !v->id || user <= 0)
		return D_NOT_FOUND;
	found = db_int(dc->db, &n, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", user);
	if (found <= 0)
		return found < 0 ? D_INTERNAL : D_NOT_FOUND;
	if (user == v->id)
		return D_INVALID;
	if (on)
		n = db_exec(dc->db, "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)"
			    " ON CONFLICT DO NOTHING", "iii", v->id, user, dc->now);
	else
		n = db_exec(dc->db, "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", "ii", v->id, user);
	return n < 0 ? D_INTERNAL : D_OK;
}

static int people_from(struct dctx *dc, struct db_stmt *st, int max, struct chat_person **out)
{
	int n = 0;

	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(max > 0 ? max : 1));
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (n < max && db_step(st) == DB_ROW) {
		(*out)[n].id = db_col_int(st, 0);
		(*out)[n].name = db_col_dup(st, 1, dc->arena);
		if ((*out)[n].name)
			n++;
	}
	return db_finish(st) < 0 ? -1 : n;
}

int chat_blocks_list(struct dctx *dc, const struct viewer *v, struct chat_person **out)
{
	return people_from(dc, db_query(dc->db, "SELECT u.id, u.name FROM blocks b JOIN users u ON u.id = b.blocked_id"
					" WHERE b.blocker_id = ? ORDER BY u.name LIMIT 500", "i", v->id), 500, out);
}

/* ---- messages ----------------------------------------------------------------- */

#define MESSAGE_COLUMNS \
	"m.id, m.room_id, COALESCE(m.author_id, 0), COALESCE(u.name, ''), m.body, COALESCE(m.document_id, 0), m.created_at"

static int read_message(struct dctx *dc, const struct viewer *v, struct db_stmt *st, struct chat_message *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->room_id = db_col_int(st, 1);
	o->author_id = db_col_int(st, 2);
	o->author_name = db_col_dup(st, 3, dc->arena);
	o->body = db_col_dup(st, 4, dc->arena);
	o->document_id = db_col_int(st, 5);
	o->created_at = db_col_int(st, 6);
	(void)v;
	return o->author_name && o->body ? 0 : -1;
}

/* Documents named by messages: shown only to those who may see them. */
static void check_documents(struct dctx *dc, const struct viewer *v, struct chat_message *ms, int n)
{
	for (int i = 0; i < n; i++) {
		struct document d;

		if (!ms[i].document_id)
			continue;
		if (document_get(dc, v, ms[i].document_id, &d) == D_OK)
			ms[i].document_title = d.title;
		else
			ms[i].document_id = 0;
	}
}

int chat_messages_page(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t before_id, int limit,
		       struct chat_message **out, int64_t *older)
{
	struct room_ref ref;
	struct db_stmt *st;
	enum derr rc = visible_room(dc, v, room_id, &ref);
	int n = 0;

	*older = 0;
	if (rc != D_OK)
		return rc == D_NOT_FOUND ? -2 : -1;
	if (limit < 1 || limit > CHAT_PAGE_MAX)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(limit + 1));
	st = db_query(dc->db, "SELECT " MESSAGE_COLUMNS " FROM chat_messages m LEFT JOIN users u ON u.id = m.author_id"
		      " WHERE m.room_id = ? AND m.hidden_at IS NULL AND (? = 0 OR m.id < ?) ORDER BY m.id DESC LIMIT ?", "iiii", room_id,
		      before_id, before_id, (int64_t)limit + 1);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*older = (*out)[n - 1].id;
			break;
		}
		if (read_message(dc, v, st, &(*out)[n++]) < 0) {
			db_finish(st);
			return -1;
		}
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n / 2; i++) { /* oldest first */
		struct chat_message t = (*out)[i];

		(*out)[i] = (*out)[n - 1 - i];
		(*out)[n - 1 - i] = t;
	}
	check_documents(dc, v, *out, n);
	return n;
}

int chat_messages_since(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t after_id, int limit,
			struct chat_message **out)
{
	struct room_ref ref;
	struct db_stmt *st;
	enum derr rc = visible_room(dc, v, room_id, &ref);
	int n = 0;

	if (rc != D_OK)
		return rc == D_NOT_FOUND ? -2 : -1;
	if (limit < 1 || limit > CHAT_PAGE_MAX)
		limit = 50;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	st = db_query(dc->db, "SELECT " MESSAGE_COLUMNS " FROM chat_messages m LEFT JOIN users u ON u.id = m.author_id"
		      " WHERE m.room_id = ? AND m.hidden_at IS NULL AND m.id > ? ORDER BY m.id LIMIT ?", "iii", room_id, after_id, (int64_t)limit);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (n < limit && db_step(st) == DB_ROW)
		if (read_message(dc, v, st, &(*out)[n++]) < 0) {
			db_finish(st);
			return -1;
		}
	if (db_finish(st) < 0)
		return -1;
	check_documents(dc, v, *out, n);
	return n;
}

/* @handle mentions: members of the room named get a notification. */
static int notify_room_mentions(struct dctx *dc, const struct viewer *v, const struct room_ref *ref,
				const char *text)
{
	int64_t done[10];
	int ndone = 0;

	char handle[64];

	for (const char *pos = text; ndone < 10 && text_next_mention(text, &pos, handle, sizeof handle);) {
		int64_t user;
		struct viewer who = { 0 };
		int dup = 0;

		if (!(user = user_by_handle(dc, handle)) || user == v->id)
			continue;
		for (int i = 0; i < ndone; i++)
			dup |= done[i] == user;
		if (dup)
			continue;
		done[ndone++] = user;
		who.id = user;
		if (!access_may_see_room(dc, &who, ref))
			continue;
		{
			struct db_stmt *st = db_query(dc->db, "INSERT INTO notifications (user_id, kind, actor_id, group_id,"
						      " room_id, created_at) VALUES (?, 'mention', ?, NULLIF(?, 0), ?, ?)"
						      " RETURNING id", "iiiii", user, v->id, ref->group_id, ref->id, dc->now);
			int64_t nid = 0;

			if (st && db_step(st) == DB_ROW)
				nid = db_col_int(st, 0);
			if (db_finish(st) < 0 || !nid)
				return -1;
			/* a mail at once, if that is what they chose for mentions */
			if (notify_mail_now(dc, nid) < 0)
				return -1;
		}
		dctx_wake(dc, user);
	}
	return 0;
}

enum derr chat_post(struct dctx *dc, const struct viewer *v, int64_t room_id, const char *body, int64_t document_id,
		    int64_t *message_id, const char **field)
{
	struct room_ref ref;
	struct db_stmt *st;
	enum derr rc = visible_room(dc, v, room_id, &ref);
	int64_t recent = 0;

	*field = NULL;
	if (rc != D_OK)
		return rc;
	*field = "body";
	if (!body || !text_length_ok(body, 1, CHAT_BODY_MAX, 1) || text_blank(body))
		return D_INVALID;
	*field = "document_id";
	if (document_id < 0)
		return D_INVALID;
	if (document_id) {
		struct document d;

		if (document_get(dc, v, document_id, &d) != D_OK)
			return D_INVALID;
	}
	*field = NULL;
	if (!strcmp(ref.kind, "private")) {
		int64_t blocked = 0;
		int found = db_int(dc->db, &blocked, "SELECT 1 FROM chat_participants p JOIN blocks b"
				   " ON (b.blocker_id = p.user_id AND b.blocked_id = ?) OR (b.blocker_id = ? AND b.blocked_id = p.user_id)"
				   " WHERE p.room_id = ? AND p.user_id <> ? LIMIT 1", "iiii", v->id, v->id, room_id, v->id);

		if (found < 0)
			return D_INTERNAL;
		if (found == 1)
			return D_FORBIDDEN;
	}
	if (db_int(dc->db, &recent, "SELECT count(*) FROM chat_messages WHERE author_id = ? AND created_at > ?", "ii",
		   v->id, dc->now - CHAT_RATE_SECONDS) < 0)
		return D_INTERNAL;
	if (recent >= CHAT_RATE_MESSAGES)
		return D_THROTTLED;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	*message_id = 0;
	st = db_query(dc->db, "INSERT INTO chat_messages (room_id, author_id, body, document_id, created_at)"
		      " VALUES (?, ?, ?, NULLIF(?, 0), ?) RETURNING id", "iisii", room_id, v->id, body, document_id, dc->now);
	if (st && db_step(st) == DB_ROW)
		*message_id = db_col_int(st, 0);
	rc = db_finish(st) < 0 || !*message_id ? D_INTERNAL : D_OK;
	if (rc == D_OK &&
	    (db_exec(dc->db, "UPDATE chat_rooms SET last_message_at = ? WHERE id = ?", "ii", dc->now, room_id) != 1 ||
	     db_exec(dc->db, "INSERT INTO chat_reads (room_id, user_id, last_read_id) VALUES (?, ?, ?)"
		     " ON CONFLICT (room_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id", "iii", room_id,
		     v->id, *message_id) < 0 ||
	     notify_room_mentions(dc, v, &ref, body) < 0))
		rc = D_INTERNAL;
	if (rc == D_OK && !strcmp(ref.kind, "private")) {
		/* the others' header counts */
		int64_t others[CHAT_PARTICIPANTS_MAX];
		int no = 0;

		st = db_query(dc->db, "SELECT user_id FROM chat_participants WHERE room_id = ? AND user_id <> ?"
			      " ORDER BY user_id LIMIT ?", "iii", room_id, v->id, (int64_t)CHAT_PARTICIPANTS_MAX);
		while (st && no < CHAT_PARTICIPANTS_MAX && db_step(st) == DB_ROW)
			others[no++] = db_col_int(st, 0);
		if (db_finish(st) < 0 || !st)
			rc = D_INTERNAL;
		for (int i = 0; rc == D_OK && i < no; i++) {
			dctx_wake(dc, others[i]);
			/* a mail, if they chose mails for messages (at most one per room every ten minutes) */
			if (notify_message_mail(dc, others[i], room_id, v->id, body) < 0)
				rc = D_INTERNAL;
		}
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	dctx_wake_room(dc, room_id, !strcmp(ref.kind, "group") ? ref.group_id : 0);
	return D_OK;
}

enum derr chat_mark_read(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t message_id)
{
	struct room_ref ref;
	enum derr rc = visible_room(dc, v, room_id, &ref);
	int64_t last = 0;

	if (rc != D_OK)
		return rc;
	if (message_id < 0)
		return D_INVALID;
	if (db_int(dc->db, &last, "SELECT COALESCE(max(id), 0) FROM chat_messages WHERE room_id = ?", "i", room_id) < 0)
		return D_INTERNAL;
	if (message_id == 0 || message_id > last)
		message_id = last;
	if (db_exec(dc->db, "INSERT INTO chat_reads (room_id, user_id, last_read_id) VALUES (?, ?, ?)"
		    " ON CONFLICT (room_id, user_id) DO UPDATE SET last_read_id = CASE WHEN excluded.last_read_id >"
		    " chat_reads.last_read_id THEN excluded.last_read_id ELSE chat_reads.last_read_id END", "iii", room_id,
		    v->id, message_id) < 0)
		return D_INTERNAL;
	dctx_wake(dc, v->id); /* the header's count, in the member's other tabs too */
	return D_OK;
}

void chat_touch(struct dctx *dc, const struct viewer *v, int64_t room_id)
{
	if (v && v->id)
		db_exec(dc->db, "INSERT INTO chat_presence (room_id, user_id, seen_at) VALUES (?, ?, ?)"
			" ON CONFLICT (room_id, user_id) DO UPDATE SET seen_at = excluded.seen_at", "iii", room_id, v->id,
			dc->now);
}

int chat_online(struct dctx *dc, const struct viewer *v, int64_t room_id, int max, struct chat_person **out)
{
	struct room_ref ref;

	if (visible_room(dc, v, room_id, &ref) != D_OK)
		return -2;
	if (max < 1 || max > 500)
		max = 100;
	/* only those who may still read it */
	return people_from(dc, db_query(dc->db, "SELECT u.id, u.name FROM chat_presence p JOIN users u ON u.id = p.user_id"
					" JOIN chat_rooms r ON r.id = p.room_id"
					" WHERE p.room_id = ? AND p.seen_at >= ? AND " ACCESS_USER_SQL("u")
					" AND " ACCESS_ROOM_SQL_FOR("r", "u.id")
					" ORDER BY u.name LIMIT ?", "iii", room_id, dc->now - CHAT_ONLINE_SECONDS,
					(int64_t)max), max, out);
}

int chat_my_groups(struct dctx *dc, const struct viewer *v, int64_t *groups, int max)
{
	struct db_stmt *st = db_query(dc->db, "SELECT group_id FROM group_members WHERE user_id = ? AND state = 'member'"
				      " ORDER BY group_id LIMIT ?", "ii", v->id, (int64_t)max);
	int n = 0;

	while (st && n < max && db_step(st) == DB_ROW)
		groups[n++] = db_col_int(st, 0);
	return db_finish(st) < 0 || !st ? -1 : n;
}
