/* Groups: kinds, openness, inclusion criteria, membership and roles.
 * Seeing a group and its members goes through the access module. */
#ifndef RESPIRE_DOMAIN_GROUPS_H
#define RESPIRE_DOMAIN_GROUPS_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"
#include "domain/profile.h"

#define GROUP_NAME_MAX 120
#define GROUP_DESCRIPTION_MAX 5000

extern const char *const group_kinds[];        /* resources, practice, training, project */
extern const char *const group_visibilities[]; /* open, closed, secret */

struct group {
	int64_t id;
	const char *name, *description, *kind, *visibility;
	const char *allowed_academies;  /* comma-separated, "" for any */
	const char *allowed_domains;    /* comma-separated patterns, "" for any */
	int64_t created_at, last_activity_at;
	int64_t member_count;
	enum group_role my_role;
};

/* Fields of a new group or of a change (NULL: unchanged). */
struct group_input {
	const char *name, *description, *kind, *visibility, *allowed_academies, *allowed_domains;
};

enum derr group_create(struct dctx *dc, const struct viewer *v, const struct group_input *in,
		       int64_t *id, const char **field);
/* D_NOT_FOUND when the viewer may not see it. */
enum derr group_get(struct dctx *dc, const struct viewer *v, int64_t id, struct group *out);
/* Owners and moderators; D_FORBIDDEN for other viewers who see the group. */
enum derr group_update(struct dctx *dc, const struct viewer *v, int64_t id,
		       const struct group_input *in, const char **field);

struct group_filter {
	const char *kind;        /* NULL: any */
	int mine;                /* only groups I belong to */
	int64_t after;           /* cursor: groups with a smaller id come next */
	int limit;
};
/* Listed groups (open and closed; secret ones only to their members) and mine. */
int groups_list(struct dctx *dc, const struct viewer *v, const struct group_filter *f,
		struct group **out, int64_t *next);

/* Joins an open group ("member"), asks to join a closed one ("requested"),
 * accepts an invitation ("member"). D_CONFLICT when already in or asked,
 * D_FORBIDDEN when the inclusion criteria exclude the viewer. */
enum derr group_join(struct dctx *dc, const struct viewer *v, int64_t id, const char **state);
/* Invites a member (user > 0) or an address (email): owners and moderators.
 * An address without an account waits: registering with it joins the group. */
enum derr group_invite(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user,
		       const char *email, const char **state);
enum derr group_accept_request(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user);
enum derr group_refuse_request(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user);
/* Leaves (or declines an invitation, or withdraws a request). The last owner
 * cannot leave: D_CONFLICT. */
enum derr group_leave(struct dctx *dc, const struct viewer *v, int64_t id);
/* Owners set "member" or "moderator"; "owner" transfers ownership (the
 * previous owner stays as a moderator). */
enum derr group_set_role(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user,
			 const char *role);
/* Removes a member: owners and moderators (not an owner). */
enum derr group_remove_member(struct dctx *dc, const struct viewer *v, int64_t id, int64_t user);

struct group_member {
	struct profile who;
	const char *role;     /* owner, moderator, member */
	const char *state;    /* member, requested, invited, invited_by_email */
	const char *email;    /* invited_by_email: the address (who.id is 0) */
	int64_t since;
};
/* Members (state "member"), or pending requests and invitations (pending = 1,
 * owners and moderators only). Ordered by role then name. */
int group_members(struct dctx *dc, const struct viewer *v, int64_t id, int pending,
		  struct group_member **out);
/* The same for a group V was already given by group_get (one load a request). */
int group_members_of(struct dctx *dc, const struct viewer *v, const struct group *g, int pending,
		     struct group_member **out);

/* Turns waiting e-mail invitations for this address into memberships. */
int group_claim_email_invitations(struct dctx *dc, int64_t user, const char *email);

#endif
