/* The one access-control module. Every read path asks it: pages, API,
 * feed, replies, notifications, previews, counts, feeds, member lists.
 *
 * The rules, for a viewer V (id 0: a visitor) and a post P:
 *  - P in a group G: unless G is open and P is 'members' or 'public',
 *    V must be a current member of G (leaving ends access, for authors too);
 *  - then by P's visibility: public (anyone), members (signed in),
 *    contacts (the author and their accepted contacts), group (members of G),
 *    private (the author only);
 *  - hidden by moderation: only the author, G's moderators and admins,
 *    among those who may see it otherwise;
 *  - reported: whoever reports an item hands it to the moderators, so
 *    admins may moderate a reported item (queue, hide, restore) even where
 *    its visibility does not reach them (a post for contacts, say).
 * A group: open and closed groups are seen by every member (open ones by
 * visitors too); secret ones only by their members and invitees.
 * Whoever may not see an item gets "not found", never "forbidden". */
#ifndef RESPIRE_DOMAIN_ACCESS_H
#define RESPIRE_DOMAIN_ACCESS_H

#include <stdint.h>

#include "domain/domain.h"

enum group_role { GR_NONE = 0, GR_INVITED, GR_REQUESTED, GR_MEMBER, GR_MODERATOR, GR_OWNER };

/* What access needs to know about a group. */
struct group_ref {
	int64_t id;
	const char *visibility;     /* open, closed, secret */
};

/* What access needs to know about a post. */
struct post_ref {
	int64_t id;
	int64_t author_id;          /* 0 when the author's account is gone */
	int64_t group_id;           /* 0: not in a group */
	const char *visibility;     /* public, members, contacts, group, private */
	const char *group_visibility; /* of group_id, NULL when none */
	int hidden;
};

/* What access needs to know about a chat room. */
struct room_ref {
	int64_t id;
	const char *kind;           /* group, private */
	int64_t group_id;           /* kind group */
};

/* The viewer's standing in a group (GR_NONE for visitors). */
enum group_role access_group_role(struct dctx *dc, const struct viewer *v, int64_t group_id);
int access_is_contact(struct dctx *dc, int64_t a, int64_t b);

int access_may_see_group(struct dctx *dc, const struct viewer *v, const struct group_ref *g);
/* Member list: open groups to every member of Respire; closed and secret
 * groups to their current members only (never to visitors). */
int access_may_see_group_members(struct dctx *dc, const struct viewer *v, const struct group_ref *g);
int access_may_moderate_group(struct dctx *dc, const struct viewer *v, int64_t group_id);
/* Does V moderate anything (an admin, or an owner or moderator of a group)? */
int access_moderates_something(struct dctx *dc, const struct viewer *v);

int access_may_see_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p);
/* May V moderate post_id (reply_id 0) or that reply as an admin because it
 * was reported, whatever its visibility? */
int access_admin_may_moderate_reported(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t reply_id);
/* Chat rooms: a group's rooms are for its current members; a conversation
 * for its participants. Nobody else, admins included, reads them. */
int access_may_see_room(struct dctx *dc, const struct viewer *v, const struct room_ref *r);
enum derr access_load_room(struct dctx *dc, int64_t room_id, struct room_ref *out);

/* Would a visitor (no account) see it? Link previews (Open Graph) and feeds
 * only ever describe such items. */
int access_public_post(struct dctx *dc, const struct post_ref *p);
int access_public_group(struct dctx *dc, const struct group_ref *g);
/* Edit and delete: the author, the group's moderators, admins (among those who see it). */
int access_may_edit_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p);
/* Hide and restore: the group's moderators and admins (among those who see it). */
int access_may_moderate_post(struct dctx *dc, const struct viewer *v, const struct post_ref *p);

/* May an item (post or document) of group_id (0: none) in a group of
 * openness group_vis have visibility vis? 'group' needs a group;
 * 'members' and 'public' inside a group need an open one. D_OK or D_INVALID. */
enum derr access_visibility_ok(const char *vis, int64_t group_id, const char *group_vis);

/* Loads a post's access facts; D_NOT_FOUND when absent (not yet checked for V). */
enum derr access_load_post(struct dctx *dc, int64_t post_id, struct post_ref *out);
enum derr access_load_group(struct dctx *dc, int64_t group_id, struct group_ref *out);

/* The same post rule as SQL, for lists filtered inside the query. Use with
 * posts aliased "p" and LEFT JOIN groups "g" ON g.id = p.group_id; bind
 * ACCESS_POST_PARAMS integers, every one the viewer's id, then the admin flag
 * last (see access_bind_count). */
#define ACCESS_POST_SQL \
	"((p.group_id IS NULL OR (g.visibility = 'open' AND p.visibility IN ('members','public'))" \
	"  OR EXISTS (SELECT 1 FROM group_members am WHERE am.group_id = p.group_id" \
	"             AND am.user_id = ? AND am.state = 'member'))" \
	" AND (p.visibility = 'public'" \
	"  OR (p.visibility = 'members' AND ? > 0)" \
	"  OR (p.visibility IN ('contacts','private') AND p.author_id = ?)" \
	"  OR (p.visibility = 'contacts' AND EXISTS (SELECT 1 FROM contacts ac WHERE ac.state = 'accepted'" \
	"      AND ((ac.requester_id = p.author_id AND ac.addressee_id = ?)" \
	"        OR (ac.addressee_id = p.author_id AND ac.requester_id = ?))))" \
	"  OR p.visibility = 'group')" \
	" AND (p.hidden_at IS NULL OR p.author_id = ? OR ? = 1" \
	"  OR EXISTS (SELECT 1 FROM group_members hm WHERE hm.group_id = p.group_id AND hm.user_id = ?" \
	"             AND hm.state = 'member' AND hm.role IN ('owner','moderator'))))"
#define ACCESS_POST_TYPES "iiiiiiii"
/* The eight values for ACCESS_POST_SQL, in order. */
#define ACCESS_POST_ARGS(v) (v)->id, (v)->id, (v)->id, (v)->id, (v)->id, (v)->id, \
	(int64_t)((v)->admin ? 1 : 0), (v)->id

/* The same post rule for a viewer given by SQL expressions rather than
 * bound values, for one statement over many members (mails to a group's
 * members): U is the member's id (e.g. "u.id"), A is 1 for a site admin
 * (ACCESS_ADMIN_OF("u")). Binds nothing. tests/unit/test_access.c checks it
 * against ACCESS_POST_SQL and the rules. */
#define ACCESS_POST_SQL_FOR(U, A) \
	"((p.group_id IS NULL OR (g.visibility = 'open' AND p.visibility IN ('members','public'))" \
	"  OR EXISTS (SELECT 1 FROM group_members am WHERE am.group_id = p.group_id" \
	"             AND am.user_id = " U " AND am.state = 'member'))" \
	" AND (p.visibility = 'public'" \
	"  OR (p.visibility = 'members' AND " U " > 0)" \
	"  OR (p.visibility IN ('contacts','private') AND p.author_id = " U ")" \
	"  OR (p.visibility = 'contacts' AND EXISTS (SELECT 1 FROM contacts ac WHERE ac.state = 'accepted'" \
	"      AND ((ac.requester_id = p.author_id AND ac.addressee_id = " U ")" \
	"        OR (ac.addressee_id = p.author_id AND ac.requester_id = " U "))))" \
	"  OR p.visibility = 'group')" \
	" AND (p.hidden_at IS NULL OR p.author_id = " U " OR " A " = 1" \
	"  OR EXISTS (SELECT 1 FROM group_members hm WHERE hm.group_id = p.group_id AND hm.user_id = " U \
	"             AND hm.state = 'member' AND hm.role IN ('owner','moderator'))))"
#define ACCESS_ADMIN_OF(T) "(CASE WHEN " T ".site_role = 'admin' THEN 1 ELSE 0 END)"

/* Hidden replies, as SQL: seen only by their author and those who moderate
 * the post (admins, the group's moderators). R is the replies' alias, the
 * post is "p" (already visible: use with ACCESS_POST_SQL); bind
 * ACCESS_REPLY_ARGS. */
#define ACCESS_REPLY_SQL(R) \
	"(" R ".hidden_at IS NULL OR " R ".author_id = ? OR ? = 1" \
	" OR EXISTS (SELECT 1 FROM group_members rm WHERE rm.group_id = p.group_id AND rm.user_id = ?" \
	"            AND rm.state = 'member' AND rm.role IN ('owner','moderator')))"
#define ACCESS_REPLY_TYPES "iii"
#define ACCESS_REPLY_ARGS(v) (v)->id, (int64_t)((v)->admin ? 1 : 0), (v)->id

/* Rooms V reads, as SQL (R the rooms' alias): see access_may_see_room. */
#define ACCESS_ROOM_SQL(R) \
	"((" R ".kind = 'group' AND EXISTS (SELECT 1 FROM group_members rgm WHERE rgm.group_id = " R ".group_id" \
	"   AND rgm.user_id = ? AND rgm.state = 'member'))" \
	" OR (" R ".kind = 'private' AND EXISTS (SELECT 1 FROM chat_participants rcp WHERE rcp.room_id = " R ".id" \
	"   AND rcp.user_id = ?)))"
#define ACCESS_ROOM_TYPES "ii"
#define ACCESS_ROOM_ARGS(v) (v)->id, (v)->id

/* Groups listed to V: open and closed to everyone signed in (open ones to
 * visitors), secret ones to their members and invitees. Alias "g". */
#define ACCESS_GROUP_SQL \
	"(g.visibility = 'open' OR (g.visibility = 'closed' AND ? > 0)" \
	" OR EXISTS (SELECT 1 FROM group_members vm WHERE vm.group_id = g.id AND vm.user_id = ?" \
	"            AND vm.state IN ('member','invited')))"
#define ACCESS_GROUP_TYPES "ii"
#define ACCESS_GROUP_ARGS(v) (v)->id, (v)->id

#endif
