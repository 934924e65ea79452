/* Groups: creation, listing, membership, roles. */
#include "domain/stats.h"
#include "domain/groups.h"

#include <stdio.h>
#include <string.h>

#include "domain/notify.h"
#include "i18n/i18n.h"
#include "util/buf.h"
#include "util/log.h"
#include "domain/mailq.h"
#include "util/text.h"

/* Every write to group_members: the request's memo of standings is
 * forgotten first (access_forget_roles), so what follows reads them anew. */
#define members_exec(...) (access_forget_roles(dc), db_exec(__VA_ARGS__))

const char *const group_kinds[] = { "resources", "practice", "training", "project", NULL };
const char *const group_visibilities[] = { "open", "closed", "secret", NULL };

static int text_max(const char *s, size_t max, int multiline)
{
	return text_ok(s, multiline) && utf8_len(s) <= max;
}

static enum derr check_input(const struct group_input *in, int creating, const char **field)
{
	*field = "name";
	if ((creating || in->name) && (!in->name || !text_max(in->name, GROUP_NAME_MAX, 0) ||
				       text_blank(in->name)))
		return D_INVALID;
	*field = "description";
	if (in->description && !text_max(in->description, GROUP_DESCRIPTION_MAX, 1))
		return D_INVALID;
	*field = "kind";
	if ((creating || in->kind) && (!in->kind || !text_one_of(in->kind, group_kinds)))
		return D_INVALID;
	*field = "visibility";
	if ((creating || in->visibility) && (!in->visibility || !text_one_of(in->visibility, group_visibilities)))
		return D_INVALID;
	*field = "allowed_academies";
	if (in->allowed_academies && !text_max(in->allowed_academies, 1000, 0))
		return D_INVALID;
	*field = "allowed_domains";
	if (in->allowed_domains && !text_max(in->allowed_domains, 1000, 0))
		return D_INVALID;
	*field = NULL;
	return D_OK;
}

enum derr group_create(struct dctx *dc, const struct viewer *v, const struct group_input *in,
		       int64_t *id, const char **field)
{
	struct db_stmt *st;
	enum derr rc = check_input(in, 1, field);

	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = D_INTERNAL;
	st = db_query(dc->db, "INSERT INTO groups (name, description, kind, visibility, allowed_academies,"
		      " allowed_domains, created_by, created_at, updated_at, last_activity_at)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", "ssssssiiii",
		      text_trim(arena_strdup(dc->arena, in->name)), in->description ? in->description : "",
		      in->kind, in->visibility, in->allowed_academies ? in->allowed_academies : "",
		      in->allowed_domains ? in->allowed_domains : "", v->id, dc->now, dc->now, dc->now);
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = D_OK;
	}
	db_finish(st);
	if (rc == D_OK && members_exec(dc->db, "INSERT INTO group_members (group_id, user_id, role, state,"
				  " created_at, joined_at) VALUES (?, ?, 'owner', 'member', ?, ?)",
				  "iiii", *id, v->id, dc->now, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	stats_note(dc, v->id, STATS_GROUP, *id, NULL);
	return D_OK;
}

#define GROUP_COLUMNS "g.id, g.name, g.description, g.kind, g.visibility, g.allowed_academies," \
	" g.allowed_domains, g.created_at, g.last_activity_at," \
	" (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id AND c.state = 'member')"

static void read_group(struct dctx *dc, struct db_stmt *st, struct group *g)
{
	memset(g, 0, sizeof *g);
	g->id = db_col_int(st, 0);
	g->name = db_col_dup(st, 1, dc->arena);
	g->description = db_col_dup(st, 2, dc->arena);
	g->kind = db_col_dup(st, 3, dc->arena);
	g->visibility = db_col_dup(st, 4, dc->arena);
	g->allowed_academies = db_col_dup(st, 5, dc->arena);
	g->allowed_domains = db_col_dup(st, 6, dc->arena);
	g->created_at = db_col_int(st, 7);
	g->last_activity_at = db_col_int(st, 8);
	g->member_count = db_col_int(st, 9);
}

enum derr group_get(struct dctx *dc, const struct viewer *v, int64_t id, struct group *out)
{
	struct group_ref ref;
	struct db_stmt *st;
	int step;

	/* One read of the row: the access rule is asked with what it holds. */
	st = db_query(dc->db, "SELECT " GROUP_COLUMNS " FROM groups g WHERE g.id = ?", "i", id);
	if (!st)
		return D_INTERNAL;
	step = db_step(st);
	if (step == DB_ROW)
		read_group(dc, st, out);
	if (db_finish(st) < 0 || (step != DB_ROW && step != DB_DONE))
		return D_INTERNAL;
	if (step != DB_ROW)
		return D_NOT_FOUND;
	ref.id = out->id;
	ref.visibility = out->visibility;
	if (!access_may_see_group(dc, v, &ref))
		return db_was_unavailable(dc->db) ? D_INTERNAL : D_NOT_FOUND;
	out->my_role = access_group_role(dc, v, id);
	return D_OK;
}

enum derr group_update(struct dctx *dc, const struct viewer *v, int64_t id,
		       const struct group_input *in, const char **field)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);

	if (rc != D_OK)
		return rc;
	if (g.my_role < GR_MODERATOR)
		return D_FORBIDDEN;
	rc = check_input(in, 0, field);
	if (rc != D_OK)
		return rc;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = db_exec(dc->db, "UPDATE groups SET name = COALESCE(?, name), description = COALESCE(?, description),"
		     " kind = COALESCE(?, kind), visibility = COALESCE(?, visibility),"
		     " allowed_academies = COALESCE(?, allowed_academies),"
		     " allowed_domains = COALESCE(?, allowed_domains), updated_at = ? WHERE id = ?",
		     "ssssssii", in->name ? text_trim(arena_strdup(dc->arena, in->name)) : NULL,
		     in->description, in->kind, in->visibility, in->allowed_academies,
		     in->allowed_domains, dc->now, id) == 1 ? D_OK : D_INTERNAL;
	/* A secret group takes no requests: those waiting are dropped (their
	 * authors could neither see nor withdraw them any more). */
	if (rc == D_OK && in->visibility && !strcmp(in->visibility, "secret") &&
	    members_exec(dc->db, "DELETE FROM group_members WHERE group_id = ? AND state = 'requested'", "i", id) < 0)
		rc = D_INTERNAL;
	/* Who changed a group's openness (or its rules) is kept in the audit log. */
	if (rc == D_OK && (in->visibility || in->allowed_academies || in->allowed_domains) &&
	    db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, group_id, detail, created_at)"
		    " VALUES (?, 'group_update', ?, ?, ?)", "iisi", v->id, id,
		    arena_printf(dc->arena, "%s%s%s", in->visibility ? g.visibility : "",
				 in->visibility ? " -> " : "", in->visibility ? in->visibility : "criteria"),
		    dc->now) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int groups_list(struct dctx *dc, const struct viewer *v, const struct group_filter *f,
		struct group **out, int64_t *next)
{
	struct db_stmt *st;
	int n = 0, limit = f->limit < 1 || f->limit > 100 ? 30 : f->limit;

	*next = 0;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)limit);
	if (!*out)
		return -1;
	if (f->mine) /* from the member's own memberships (group_members_user), not every group */
		st = db_query(dc->db, "SELECT " GROUP_COLUMNS " FROM group_members mm JOIN groups g ON g.id = mm.group_id"
			      " WHERE mm.user_id = ? AND mm.state = 'member' AND " ACCESS_GROUP_SQL
			      " AND (? IS NULL OR g.kind = ?) AND (? = 0 OR g.id < ?)"
			      " ORDER BY g.id DESC LIMIT ?",
			      "i" ACCESS_GROUP_TYPES "ssiii", v->id, ACCESS_GROUP_ARGS(v), f->kind, f->kind, f->after,
			      f->after, (int64_t)limit + 1);
	else
		st = db_query(dc->db, "SELECT " GROUP_COLUMNS " FROM groups g WHERE " ACCESS_GROUP_SQL
			      " AND (? IS NULL OR g.kind = ?) AND (? = 0 OR g.id < ?)"
			      " ORDER BY g.id DESC LIMIT ?",
			      ACCESS_GROUP_TYPES "ssiii", ACCESS_GROUP_ARGS(v), f->kind, f->kind, f->after, f->after,
			      (int64_t)limit + 1);
	if (!st)
		return -1;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			*next = (*out)[n - 1].id;
			break;
		}
		read_group(dc, st, &(*out)[n++]);
	}
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		(*out)[i].my_role = access_group_role(dc, v, (*out)[i].id);
	return n;
}

/* Does the viewer meet the group's inclusion criteria (academies, domains)? */
static int eligible(struct dctx *dc, const struct viewer *v, const struct group *g)
{
	struct profile p;

	if (!g->allowed_academies[0] && !g->allowed_domains[0])
		return 1;
	if (profile_get_account(dc, v, &p) != D_OK || !p.email || !strchr(p.email, '@'))
		return 0;
	if (g->allowed_domains[0] && !domain_allowed(strchr(p.email, '@') + 1, g->allowed_domains))
		return 0;
	if (g->allowed_academies[0]) {
		char *list = arena_strdup(dc->arena, g->allowed_academies), *save = NULL, *tok;
		int ok = 0;

		for (tok = list ? strtok_r(list, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save))
			if (!strcasecmp(text_trim(tok), p.academy))
				ok = 1;
		return ok;
	}
	return 1;
}

static int moderators_notify(struct dctx *dc, int64_t group, const char *kind, int64_t actor)
{
	struct db_stmt *st = db_query(dc->db, "SELECT user_id FROM group_members WHERE group_id = ?"
				      " AND state = 'member' AND role IN ('owner','moderator')", "i", group);
	int64_t ids[64];
	int n = 0, rc = 0;

	while (st && n < 64 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	if (db_finish(st) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++)
		rc = notify(dc, ids[i], kind, actor, 0, 0, group);
	return rc;
}

enum derr group_join(struct dctx *dc, const struct viewer *v, int64_t id, const char **state)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (g.my_role == GR_INVITED) {
		n = members_exec(dc->db, "UPDATE group_members SET state = 'member', joined_at = ?"
			    " WHERE group_id = ? AND user_id = ? AND state = 'invited'", "iii", dc->now, id, v->id);
		*state = "member";
		return n == 1 ? D_OK : D_INTERNAL;
	}
	if (g.my_role != GR_NONE)
		return D_CONFLICT;
	if (!strcmp(g.visibility, "secret"))
		return D_NOT_FOUND; /* cannot happen: secret groups are seen by members and invitees */
	if (!eligible(dc, v, &g))
		return D_FORBIDDEN;
	*state = !strcmp(g.visibility, "open") ? "member" : "requested";
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	n = members_exec(dc->db, "INSERT INTO group_members (group_id, user_id, role, state, created_at, joined_at)"
		    " VALUES (?, ?, 'member', ?, ?, ?)", "iisii", id, v->id, *state, dc->now,
		    !strcmp(*state, "member") ? dc->now : (int64_t)0);
	if (n == 1 && !strcmp(*state, "requested") && moderators_notify(dc, id, "group_request", v->id) < 0)
		n = -1;
	if (n != 1 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return db_last_error(dc->db) == DB_E_CONSTRAINT ? D_CONFLICT : D_INTERNAL;
	}
	return D_OK;
}

static void invitation_mail(struct dctx *dc, const char *email, const struct group *g, const char *inviter)
{
	struct buf b = BUF_INIT;
	const char *lang = dc->lang ? dc->lang : "fr";

	buf_printf(&b, "%s\n\n%s « %s »\n\n%s\n%s/register?email=", inviter, tr(lang, "mail.invite.body"),
		   g->name, tr(lang, "mail.invite.register"), dc->base_url);
	for (const char *p = email; *p; p++) {
		if (*p == '@')
			buf_puts(&b, "%40");
		else if (*p == '+')
			buf_puts(&b, "%2B");
		else
			buf_putc(&b, *p);
	}
	buf_printf(&b, "\n\n%s\n", tr(lang, "mail.signature"));
	if (b.failed || mail_enqueue(dc, email, tr(lang, "mail.invite.subject"), buf_str(&b), NULL) < 0)
		LOG_E("groups: could not queue an invitation mail");
	buf_free(&b);
}

/* An invitation to an address: it waits for the address if nobody has it
 * yet; an account that has it is invited (unless it is in the group already,
 * which changes nothing). Inviting one address twice is a conflict. */
static enum derr invite_address(struct dctx *dc, const struct viewer *v, const struct group *g,
				const char *email)
{
	int64_t user = 0, pending = 0, n = 1;
	int found;
	enum derr rc = D_OK;

	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	found = db_int(dc->db, &user, "SELECT id FROM users WHERE email = ? AND status = 'active'", "s", email);
	if (found < 0 || db_int(dc->db, &pending, "SELECT (SELECT count(*) FROM group_email_invitations"
				" WHERE group_id = ? AND email = ?) + (SELECT count(*) FROM group_members"
				" WHERE group_id = ? AND invited_email = ?)", "isis", g->id, email, g->id, email) != 1)
		rc = D_INTERNAL;
	else if (pending > 0)
		rc = D_CONFLICT;
	else if (found == 0)
		n = db_exec(dc->db, "INSERT INTO group_email_invitations (group_id, email, invited_by, created_at)"
			    " VALUES (?, ?, ?, ?) ON CONFLICT (group_id, email) DO NOTHING", "isii", g->id, email,
			    v->id, dc->now);
	else {
		struct viewer other = { .id = user };
		enum group_role r = access_group_role(dc, &other, g->id);

		if (r == GR_NONE) {
			n = members_exec(dc->db, "INSERT INTO group_members (group_id, user_id, role, state, invited_by,"
				    " created_at, invited_email) VALUES (?, ?, 'member', 'invited', ?, ?, ?)", "iiiis",
				    g->id, user, v->id, dc->now, email);
			if (n == 1 && notify(dc, user, "invitation", v->id, 0, 0, g->id) < 0)
				n = -1;
		} else {
			/* Already in, invited or asking: kept as an invitation that
			 * waits, exactly as for an address nobody has. */
			n = db_exec(dc->db, "INSERT INTO group_email_invitations (group_id, email, invited_by, created_at)"
				    " VALUES (?, ?, ?, ?) ON CONFLICT (group_id, email) DO NOTHING", "isii", g->id, email,
				    v->id, dc->now);
		}
	}
	if (rc == D_OK && n != 1)
		rc = n == 0 ? D_CONFLICT : D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	invitation_mail(dc, email, g, v->name ? v->name : "");
	return D_OK;
}

enum derr group_invite(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user,
		       const char *email_in, const char **state)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);
	char *email = NULL;
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (g.my_role < GR_MODERATOR)
		return D_FORBIDDEN;
	if (user <= 0 && email_in) {
		char *e = arena_strdup(dc->arena, email_in);

		if (!e || !text_ok(e, 0) || !(email = ascii_lower(text_trim(e))) || !email_shape_ok(email))
			return D_INVALID;
		/* Whatever happens, the inviter learns nothing about whose address
		 * it is: the same answer for an account or not, a member or not. */
		*state = "invited_by_email";
		return invite_address(dc, v, &g, email);
	} else if (user > 0) {
		int64_t x;
		int found = db_int(dc->db, &x, "SELECT 1 FROM users WHERE id = ? AND status = 'active'", "i", user);
		if (found <= 0)
			return found < 0 ? D_INTERNAL : D_NOT_FOUND;
	} else {
		return D_INVALID;
	}
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	{
		struct viewer other = { .id = user };
		enum group_role r = access_group_role(dc, &other, id);

		if (r == GR_REQUESTED) { /* they asked: the invitation accepts them */
			n = members_exec(dc->db, "UPDATE group_members SET state = 'member', joined_at = ?"
				    " WHERE group_id = ? AND user_id = ?", "iii", dc->now, id, user);
			*state = "member";
			if (n == 1 && notify(dc, user, "group_accepted", v->id, 0, 0, id) < 0)
				n = -1;
		} else if (r != GR_NONE) {
			db_rollback(dc->db);
			return D_CONFLICT;
		} else {
			n = members_exec(dc->db, "INSERT INTO group_members (group_id, user_id, role, state, invited_by,"
				    " created_at) VALUES (?, ?, 'member', 'invited', ?, ?)", "iiii", id, user, v->id,
				    dc->now);
			*state = "invited";
			if (n == 1 && notify(dc, user, "invitation", v->id, 0, 0, id) < 0)
				n = -1;
		}
	}
	if (n != 1 || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr group_accept_request(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (g.my_role < GR_MODERATOR)
		return D_FORBIDDEN;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	n = members_exec(dc->db, "UPDATE group_members SET state = 'member', joined_at = ? WHERE group_id = ?"
		    " AND user_id = ? AND state = 'requested'", "iii", dc->now, id, user);
	if (n == 1 && notify(dc, user, "group_accepted", v->id, 0, 0, id) < 0)
		n = -1;
	if (n != 1 || db_commit(dc->db) < 0) {
		struct viewer other = { .id = user };

		db_rollback(dc->db);
		if (n < 0)
			return D_INTERNAL;
		return access_group_role(dc, &other, id) >= GR_MEMBER ? D_CONFLICT : D_NOT_FOUND;
	}
	return D_OK;
}

enum derr group_refuse_request(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);
	int64_t n;

	if (rc != D_OK)
		return rc;
	if (g.my_role < GR_MODERATOR)
		return D_FORBIDDEN;
	n = members_exec(dc->db, "DELETE FROM group_members WHERE group_id = ? AND user_id = ? AND state = 'requested'",
		    "ii", id, user);
	return n < 0 ? D_INTERNAL : n == 0 ? D_NOT_FOUND : D_OK;
}

enum derr group_leave(struct dctx *dc, const struct viewer *v, int64_t id)
{
	struct group g;
	enum derr rc = group_get(dc, v, id, &g);
	int64_t owners = 0;

	if (rc != D_OK)
		return rc;
	if (g.my_role == GR_NONE)
		return D_CONFLICT;
	if (g.my_role == GR_OWNER) {
		if (db_int(dc->db, &owners, "SELECT COUNT(*) FROM group_members WHERE group_id = ?"
			   " AND role = 'owner' AND state = 'member'", "i", id) < 0)
			return D_INTERNAL;
		if (owners <= 1)
			return D_CONFLICT;
	}
	if (members_exec(dc->db, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", "ii", id, v->id) != 1)
		return D_INTERNAL;
	dctx_wake(dc, v->id); /* their open streams of the group's rooms end at once */
	return D_OK;
}

enum derr group_set_role(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user,
			 const char *role)
{
	struct group g;
	struct viewer other = { .id = user };
	enum derr rc = group_get(dc, v, id, &g);
	enum group_role theirs;

	if (rc != D_OK)
		return rc;
	if (!role || (strcmp(role, "member") && strcmp(role, "moderator") && strcmp(role, "owner")))
		return D_INVALID;
	if (g.my_role != GR_OWNER)
		return D_FORBIDDEN;
	theirs = access_group_role(dc, &other, id);
	if (theirs < GR_MEMBER)
		return D_NOT_FOUND;
	if (user == v->id)
		return D_CONFLICT; /* an owner hands over ownership to someone else */
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = members_exec(dc->db, "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?", "sii",
		     role, id, user) == 1 ? D_OK : D_INTERNAL;
	if (rc == D_OK && !strcmp(role, "owner") &&
	    members_exec(dc->db, "UPDATE group_members SET role = 'moderator' WHERE group_id = ? AND user_id = ?",
		    "ii", id, v->id) != 1)
		rc = D_INTERNAL;
	if (rc == D_OK && db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, group_id, target_user_id,"
				  " detail, created_at) VALUES (?, 'group_role', ?, ?, ?, ?)", "iiisi",
				  v->id, id, user, role, dc->now) != 1)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

enum derr group_remove_member(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user)
{
	struct group g;
	struct viewer other = { .id = user };
	enum derr rc = group_get(dc, v, id, &g);
	enum group_role theirs;

	if (rc != D_OK)
		return rc;
	if (g.my_role < GR_MODERATOR)
		return D_FORBIDDEN;
	theirs = access_group_role(dc, &other, id);
	if (theirs == GR_NONE)
		return D_NOT_FOUND;
	if (theirs == GR_OWNER || (theirs == GR_MODERATOR && g.my_role != GR_OWNER))
		return D_FORBIDDEN;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	dctx_wake(dc, user);
	rc = members_exec(dc->db, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", "ii", id, user) == 1 &&
	     db_exec(dc->db, "INSERT INTO audit_log (actor_id, action, group_id, target_user_id, created_at)"
		     " VALUES (?, 'group_remove_member', ?, ?, ?)", "iiii", v->id, id, user, dc->now) == 1 ?
	     D_OK : D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return D_INTERNAL;
	}
	return D_OK;
}

int group_members(struct dctx *dc, const struct viewer *v, int64_t id, int pending,
		  struct group_member **out)
{
	struct group g;

	*out = NULL;
	if (group_get(dc, v, id, &g) != D_OK)
		return -2; /* not found for this viewer */
	return group_members_of(dc, v, &g, pending, out);
}

int group_members_of(struct dctx *dc, const struct viewer *v, const struct group *g, int pending,
		     struct group_member **out)
{
	struct access_item it = { .kind = AK_GROUP_MEMBERS, .id = g->id, .group = { g->id, g->visibility } };
	int64_t id = g->id;
	struct db_stmt *st;
	int n = 0, cap = 32;

	*out = NULL;
	switch (access_check_loaded(dc, v, &it, pending ? AA_MODERATE : AA_SEE)) {
	case D_OK:
		break;
	case D_FORBIDDEN:
		return -3; /* not allowed */
	case D_NOT_FOUND:
		return -2;
	default:
		return -1;
	}
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)cap);
	st = db_query(dc->db, "SELECT m.user_id, m.role, m.state, COALESCE(m.joined_at, m.created_at), m.invited_email"
		      " FROM group_members m JOIN users u ON u.id = m.user_id"
		      " WHERE m.group_id = ? AND " ACCESS_USER_SQL("u") " AND ((? = 0 AND m.state = 'member')"
		      "   OR (? = 1 AND m.state IN ('requested','invited')))"
		      " ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, u.name"
		      " LIMIT 10000", "iii", id, (int64_t)pending, (int64_t)pending);
	if (!st || !*out) {
		db_finish(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			struct group_member *bigger = arena_alloc(dc->arena, sizeof **out * (size_t)cap * 2);
			if (!bigger)
				break;
			memcpy(bigger, *out, sizeof **out * (size_t)cap);
			*out = bigger;
			cap *= 2;
		}
		memset(&(*out)[n], 0, sizeof (*out)[n]);
		(*out)[n].who.id = db_col_int(st, 0);
		(*out)[n].role = db_col_dup(st, 1, dc->arena);
		(*out)[n].state = db_col_dup(st, 2, dc->arena);
		(*out)[n].since = db_col_int(st, 3);
		if (!strcmp((*out)[n].state, "invited") && !db_col_is_null(st, 4)) {
			/* invited by address: shown as the address, never as the account */
			(*out)[n].email = db_col_dup(st, 4, dc->arena);
			(*out)[n].state = "invited_by_email";
			(*out)[n].who.id = 0;
		}
		n++;
	}
	if (db_finish(st) < 0)
		return -1;
	if (pending) {
		st = db_query(dc->db, "SELECT email, created_at FROM group_email_invitations WHERE group_id = ?"
			      " ORDER BY email LIMIT 1000", "i", id);
		while (st && db_step(st) == DB_ROW) {
			if (n == cap) {
				struct group_member *bigger = arena_alloc(dc->arena, sizeof **out * (size_t)cap * 2);
				if (!bigger)
					break;
				memcpy(bigger, *out, sizeof **out * (size_t)cap);
				*out = bigger;
				cap *= 2;
			}
			memset(&(*out)[n], 0, sizeof (*out)[n]);
			(*out)[n].email = db_col_dup(st, 0, dc->arena);
			(*out)[n].role = "member";
			(*out)[n].state = "invited_by_email";
			(*out)[n].since = db_col_int(st, 1);
			n++;
		}
		if (db_finish(st) < 0)
			return -1;
	}
	for (int i = 0; i < n; i++)
		if ((*out)[i].who.id && profile_get(dc, v, (*out)[i].who.id, &(*out)[i].who) != D_OK)
			return -1;
	return n;
}

int group_claim_email_invitations(struct dctx *dc, int64_t user, const char *email)
{
	if (members_exec(dc->db, "INSERT INTO group_members (group_id, user_id, role, state, invited_by, created_at,"
		    " joined_at) SELECT group_id, ?, 'member', 'member', invited_by, ?, ? FROM group_email_invitations"
		    " WHERE email = ? ON CONFLICT (group_id, user_id) DO NOTHING", "iiis", user, dc->now,
		    dc->now, email) < 0)
		return -1;
	return db_exec(dc->db, "DELETE FROM group_email_invitations WHERE email = ?", "s", email) < 0 ? -1 : 0;
}
