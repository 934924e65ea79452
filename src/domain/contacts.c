#include "domain/contacts.h"

#include <string.h>

#include "domain/access.h"
#include "domain/notify.h"

static int active_member(struct dctx *dc, int64_t user)
{
	int64_t x;

	return user > 0 && db_int(dc->db, &x, "SELECT 1 FROM users WHERE id = ? AND status = 'active'",
				  "i", user) == 1;
}

enum contact_state contact_state_with(struct dctx *dc, const struct viewer *v, int64_t user)
{
	struct db_stmt *st;
	enum contact_state s = CONTACT_NONE;

	if (!v->id || user == v->id)
		return CONTACT_NONE;
	st = db_query(dc->db, "SELECT requester_id, state FROM contacts WHERE"
		      " (requester_id = ? AND addressee_id = ?) OR (requester_id = ? AND addressee_id = ?)",
		      "iiii", v->id, user, user, v->id);
	if (st && db_step(st) == DB_ROW) {
		if (!strcmp(db_col_text(st, 1), "accepted"))
			s = CONTACT_ACCEPTED;
		else
			s = db_col_int(st, 0) == v->id ? CONTACT_REQUESTED_BY_ME : CONTACT_REQUESTED_TO_ME;
	}
	db_finish(st);
	return s;
}

enum derr contact_request(struct dctx *dc, const struct viewer *v, int64_t user, int *accepted)
{
	enum contact_state s;
	enum derr rc = D_OK;

	*accepted = 0;
	if (user == v->id)
		return D_INVALID;
	if (!active_member(dc, user))
		return D_NOT_FOUND;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	s = contact_state_with(dc, v, user);
	if (s == CONTACT_ACCEPTED || s == CONTACT_REQUESTED_BY_ME) {
		rc = D_CONFLICT;
	} else if (s == CONTACT_REQUESTED_TO_ME) {
		if (db_exec(dc->db, "UPDATE contacts SET state = 'accepted', accepted_at = ?"
			    " WHERE requester_id = ? AND addressee_id = ?", "iii", dc->now, user, v->id) != 1 ||
		    notify(dc, user, "contact_accepted", v->id, 0, 0, 0) < 0)
			rc = D_INTERNAL;
		*accepted = 1;
	} else if (db_exec(dc->db, "INSERT INTO contacts (requester_id, addressee_id, state, created_at)"
			   " VALUES (?, ?, 'pending', ?)", "iii", v->id, user, dc->now) != 1 ||
		   notify(dc, user, "contact_request", v->id, 0, 0, 0) < 0) {
		rc = D_INTERNAL;
	}
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr contact_accept(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t n;

	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	n = db_exec(dc->db, "UPDATE contacts SET state = 'accepted', accepted_at = ?"
		    " WHERE requester_id = ? AND addressee_id = ? AND state = 'pending'", "iii",
		    dc->now, user, v->id);
	if (n == 1 && notify(dc, user, "contact_accepted", v->id, 0, 0, 0) < 0)
		n = -1;
	if (n != 1 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		if (n == 0)
			return contact_state_with(dc, v, user) == CONTACT_ACCEPTED ? D_CONFLICT : D_NOT_FOUND;
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr contact_remove(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t n = db_exec(dc->db, "DELETE FROM contacts WHERE (requester_id = ? AND addressee_id = ?)"
			    " OR (requester_id = ? AND addressee_id = ?)", "iiii", v->id, user, user, v->id);

	return n < 0 ? D_INTERNAL : n == 0 ? D_NOT_FOUND : D_OK;
}

static int load_people(struct dctx *dc, const struct viewer *v, struct db_stmt *st, struct profile **out)
{
	int n = 0, cap = 16;

	*out = arena_alloc(dc->arena, sizeof **out * (size_t)cap);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			struct profile *bigger = arena_alloc(dc->arena, sizeof **out * (size_t)cap * 2);
			if (!bigger) {
				db_finish(st);
				return -1;
			}
			memcpy(bigger, *out, sizeof **out * (size_t)cap);
			*out = bigger;
			cap *= 2;
		}
		(*out)[n++].id = db_col_int(st, 0);
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (profile_get(dc, v, (*out)[i].id, &(*out)[i]) != D_OK)
			return -1;
	return n;
}

int contacts_list(struct dctx *dc, const struct viewer *v, struct profile **out)
{
	return load_people(dc, v, db_query(dc->db,
		"SELECT u.id FROM contacts c JOIN users u ON u.id = CASE WHEN c.requester_id = ?"
		" THEN c.addressee_id ELSE c.requester_id END"
		" WHERE (c.requester_id = ? OR c.addressee_id = ?) AND c.state = 'accepted'"
		" AND " ACCESS_USER_SQL("u") " ORDER BY u.name LIMIT 5000", "iii", v->id, v->id, v->id), out);
}

int contacts_first(struct dctx *dc, const struct viewer *v, int max, struct profile **out)
{
	struct db_stmt *st;
	int n = 0;

	if (max < 1)
		max = 1;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)max);
	st = db_query(dc->db,
		"SELECT u.id, u.name FROM contacts c JOIN users u ON u.id = CASE WHEN c.requester_id = ?"
		" THEN c.addressee_id ELSE c.requester_id END"
		" WHERE (c.requester_id = ? OR c.addressee_id = ?) AND c.state = 'accepted'"
		" AND " ACCESS_USER_SQL("u") " ORDER BY u.name LIMIT ?", "iiii", v->id, v->id, v->id, (int64_t)max);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (n < max && db_step(st) == DB_ROW) {
		memset(&(*out)[n], 0, sizeof **out);
		(*out)[n].id = db_col_int(st, 0);
		(*out)[n].name = db_col_dup(st, 1, dc->arena);
		n++;
	}
	return db_finish(st) < 0 ? -1 : n;
}

int contact_requests(struct dctx *dc, const struct viewer *v, int incoming, struct profile **out)
{
	if (incoming)
		return load_people(dc, v, db_query(dc->db,
			"SELECT c.requester_id FROM contacts c JOIN users u ON u.id = c.requester_id"
			" WHERE c.addressee_id = ? AND c.state = 'pending' AND " ACCESS_USER_SQL("u")
			" ORDER BY c.created_at DESC LIMIT 1000", "i", v->id), out);
	return load_people(dc, v, db_query(dc->db,
		"SELECT c.addressee_id FROM contacts c JOIN users u ON u.id = c.addressee_id"
		" WHERE c.requester_id = ? AND c.state = 'pending' AND " ACCESS_USER_SQL("u")
		" ORDER BY c.created_at DESC LIMIT 1000", "i", v->id), out);
}

enum derr follow(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t allow = 0;
	int rc;

	if (user == v->id)
		return D_INVALID;
	rc = db_int(dc->db, &allow, "SELECT allow_follow FROM users WHERE id = ? AND status = 'active'",
		    "i", user);
	if (rc < 0)
		return D_INTERNAL;
	if (rc == 0)
		return D_NOT_FOUND;
	if (!allow)
		return D_FORBIDDEN;
	if (is_following(dc, v, user))
		return D_CONFLICT;
	return db_exec(dc->db, "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)",
		       "iii", v->id, user, dc->now) == 1 ? D_OK : D_INTERNAL;
}

enum derr unfollow(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t n = db_exec(dc->db, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", "ii",
			    v->id, user);

	return n < 0 ? D_INTERNAL : n == 0 ? D_NOT_FOUND : D_OK;
}

int is_following(struct dctx *dc, const struct viewer *v, int64_t user)
{
	int64_t x;

	return v->id && db_int(dc->db, &x, "SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?",
			       "ii", v->id, user) == 1;
}
