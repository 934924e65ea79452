/* The one access-control module. Every read path asks it: pages, API,
 * feed, replies, notifications, previews, counts, feeds, member lists,
 * files, search, live streams. No handler or query decides on its own.
 *
 * ONE TABLE OF KINDS (access.c, `kinds[]`). Each kind of item has one row:
 *
 *   kind              loads            may see                     may edit / moderate        list filter
 *   AK_POST           post, group      the post rule               author, mods, admins /     ACCESS_POST_SQL
 *                                                                  mods, admins
 *   AK_REPLY          reply, its post  post rule; hidden: author   author, post mods /        ACCESS_REPLY_SQL
 *                                      and post mods               post mods
 *   AK_DOCUMENT       document         the post rule               as posts                   ACCESS_DOCUMENT_SQL
 *   AK_DOC_VERSION    its document     its document's              its document's             ACCESS_DOCUMENT_SQL
 *   AK_COMMENT        comment, doc     the document's, not hidden  author, doc editors        + ACCESS_COMMENT_SQL
 *   AK_GROUP          group            the group rule              group mods                 ACCESS_GROUP_SQL
 *   AK_GROUP_MEMBERS  group            the member-list rule        group mods                 -
 *   AK_GROUP_ROOMS    group            current members             group mods                 -
 *   AK_ROOM           room             members / participants      group mods                 ACCESS_ROOM_SQL
 *   AK_MESSAGE        message, room    its room's                  its author / group mods    ACCESS_ROOM_SQL
 *   AK_NOTIFICATION   notification     its member, item visible    its member / -             ACCESS_NOTIFICATION_SQL
 *   AK_USER           account          active ones, to members     the member / -             ACCESS_USER_SQL
 *   AK_SESSION        session          its member                  its member / -             -
 *   AK_INNOVATION     record           public: all; members:       coordinator, co-authors,   ACCESS_INNOVATION_SQL
 *                                      signed in; hidden: its      admins / advisers of its
 *                                      team and admins             academy, admins
 *   AK_EVENT          event, group     the post rule (public,      its organisers: creator,   ACCESS_EVENT_SQL
 *                                      members, group)             group owners, admins / -
 *   AK_CALL           call, its group  no group: all; else who     managers (admins, the      ACCESS_CALL_SQL
 *                                      sees the group              group's owners) / the same
 *   AK_PROPOSAL       proposal, call   its authors, the call's     its authors / the call's   ACCESS_PROPOSAL_SQL
 *                                      managers, its reviewers     managers
 *   (an accepted proposal's title and authors are its call's programme, seen
 *   with the call: domain/calls.c call_programme checks AK_CALL first)
 *
 * One entry point: access_check(dc, viewer, kind, id, action) answers D_OK,
 * D_NOT_FOUND (absent, or the viewer may not see it: the two are never told
 * apart), D_FORBIDDEN (the viewer sees it but may not do that) or
 * D_INTERNAL. Lists filter inside SQL with the kind's ACCESS_*_SQL macro
 * below (its _TYPES and _ARGS bind the viewer), never with a rule of their
 * own; tests/unit/test_access.c and test_access_kinds.c check the C rules
 * against the SQL.
 *
 * ADDING A KIND (an innovation record, a proposal, a path, a mentorship...):
 *  1. add AK_X to enum access_kind;
 *  2. in access.c write load_x() (the few columns the rule needs, into a
 *     struct access_item) and its rules may_see / may_edit / may_moderate
 *     (reuse the post or group rule when the kind follows it);
 *  3. add the row to kinds[]; if lists of X are filtered in SQL, add
 *     ACCESS_X_SQL / _TYPES / _ARGS here, equivalent to may_see;
 *  4. call access_check(.., AK_X, id, ..) in the domain's get/update/delete
 *     and use ACCESS_X_SQL in its lists and search branch;
 *  5. add its routes to FILLS in tests/http/test_id_routes.py (the test
 *     fails for any id route it cannot fill) and its rule to the matrix.
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
 * A reply: whoever sees its post, unless hidden: then its author and those
 * who moderate the post. Documents, their versions and files follow the
 * post rule; a document's comments follow their document (hidden ones are
 * seen by nobody).
 * A group: open and closed groups are seen by every member (open ones by
 * visitors too); secret ones only by their members and invitees.
 * Rooms: a group's rooms for its current members, a conversation for its
 * participants; nobody else, admins included.
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

enum access_kind {
	AK_POST, AK_REPLY, AK_DOCUMENT, AK_DOC_VERSION, AK_COMMENT, AK_GROUP, AK_GROUP_MEMBERS, AK_GROUP_ROOMS,
	AK_ROOM, AK_MESSAGE, AK_NOTIFICATION, AK_USER, AK_SESSION, AK_INNOVATION, AK_EVENT, AK_CALL, AK_PROPOSAL
};

enum access_action { AA_SEE, AA_EDIT, AA_MODERATE };

/* What the rules of a kind need to know about one item (filled by its load). */
struct access_item {
	enum access_kind kind;
	int64_t id;
	int64_t parent_id;          /* a reply's post, a comment's document, a message's room */
	int64_t owner_id;           /* author, or the member a notification or session is for */
	int hidden;                 /* the item itself hidden by moderation (replies, comments) */
	struct post_ref post;       /* posts, replies' posts, documents */
	struct group_ref group;     /* groups, member lists, group rooms */
	struct room_ref room;       /* rooms, messages' rooms */
	const char *visibility;     /* innovation records: public, members */
	const char *academy;        /* innovation records: the academy whose advisers support it */
};

typedef enum derr (*access_load_fn)(struct dctx *dc, int64_t id, struct access_item *out);
typedef int (*access_rule_fn)(struct dctx *dc, const struct viewer *v, const struct access_item *it);

struct access_kind_entry {
	enum access_kind kind;
	const char *name;
	access_load_fn load;
	access_rule_fn may_see;
	access_rule_fn may_edit;       /* NULL: nobody */
	access_rule_fn may_moderate;   /* NULL: nobody */
	const char *sql;               /* the list filter (documentation and tests), or NULL */
};

/* May V do `action` on item `id` of `kind`? D_OK, D_NOT_FOUND (absent or
 * not visible), D_FORBIDDEN (visible, action refused), D_INTERNAL. */
enum derr access_check(struct dctx *dc, const struct viewer *v, enum access_kind kind, int64_t id,
		       enum access_action action);
/* The same, keeping what was loaded (out may be NULL). */
enum derr access_check_item(struct dctx *dc, const struct viewer *v, enum access_kind kind, int64_t id,
			    enum access_action action, struct access_item *out);
/* The rules alone, for an item the caller has already loaded (its kind and
 * the fields its rules read set): one load of a row a request. */
enum derr access_check_loaded(struct dctx *dc, const struct viewer *v, const struct access_item *it,
			      enum access_action action);
const struct access_kind_entry *access_kind_get(enum access_kind kind);
const char *access_kind_name(enum access_kind kind);

/* The reply rule: its post is visible, and unless hidden... (see above). */
int access_may_see_reply(struct dctx *dc, const struct viewer *v, const struct post_ref *post, int64_t author_id,
			 int hidden);

/* The viewer's standing in a group (GR_NONE for visitors). */
enum group_role access_group_role(struct dctx *dc, const struct viewer *v, int64_t group_id);
/* Forget the standings read so far in this request (dctx.memo_roles): every
 * write to group_members calls it. */
void access_forget_roles(struct dctx *dc);
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

/* The six access columns of a post or a document (alias P, its group "g"
 * LEFT JOINed), and their reader from column c: every list and load of
 * either kind reads them so. */
#define ACCESS_REF_COLUMNS(P) \
	P ".id, " P ".author_id, " P ".group_id, " P ".visibility, g.visibility, " P ".hidden_at IS NOT NULL"
void access_read_ref(struct dctx *dc, struct db_stmt *st, int c, struct post_ref *out);

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

/* The room rule for a member given by an SQL expression U (e.g. "u.id"),
 * for one statement over many members (who is online). Binds nothing. */
#define ACCESS_ROOM_SQL_FOR(R, U) \
	"((" R ".kind = 'group' AND EXISTS (SELECT 1 FROM group_members rgm WHERE rgm.group_id = " R ".group_id" \
	"   AND rgm.user_id = " U " AND rgm.state = 'member'))" \
	" OR (" R ".kind = 'private' AND EXISTS (SELECT 1 FROM chat_participants rcp WHERE rcp.room_id = " R ".id" \
	"   AND rcp.user_id = " U ")))"

/* The same rule shaped for "the rooms V reads" lists: starts from V's own
 * memberships and participations (an index each). Bind ACCESS_ROOM_ARGS. */
#define ACCESS_ROOM_MINE_SQL(R) \
	"((" R ".kind = 'group' AND " R ".group_id IN (SELECT gm.group_id FROM group_members gm" \
	"    WHERE gm.user_id = ? AND gm.state = 'member'))" \
	"  OR (" R ".kind = 'private' AND " R ".id IN (SELECT cp.room_id FROM chat_participants cp WHERE cp.user_id = ?)))"

/* Replies shown beside a post to everyone who sees it (feeds, quotes): not
 * hidden, whoever reads (narrower than ACCESS_REPLY_SQL: a hidden reply is
 * read on its thread only). R is the replies' alias; binds nothing. */
#define ACCESS_REPLY_SHOWN_SQL(R) "(" R ".hidden_at IS NULL)"

/* The moderation log (alias L) V reads: everything for admins, a group's
 * entries for its moderators. */
#define ACCESS_AUDIT_SQL(L) \
	"(? = 1 OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = " L ".group_id" \
	"   AND m.user_id = ? AND m.state = 'member' AND m.role IN ('owner','moderator')))"
#define ACCESS_AUDIT_TYPES "ii"
#define ACCESS_AUDIT_ARGS(v) (int64_t)((v)->admin ? 1 : 0), (v)->id

/* Groups listed to V: open and closed to everyone signed in (open ones to
 * visitors), secret ones to their members and invitees. Alias "g". */
#define ACCESS_GROUP_SQL \
	"(g.visibility = 'open' OR (g.visibility = 'closed' AND ? > 0)" \
	" OR EXISTS (SELECT 1 FROM group_members vm WHERE vm.group_id = g.id AND vm.user_id = ?" \
	"            AND vm.state IN ('member','invited')))"
#define ACCESS_GROUP_TYPES "ii"
#define ACCESS_GROUP_ARGS(v) (v)->id, (v)->id

/* Documents follow the post rule: documents aliased "p", LEFT JOIN groups "g". */
#define ACCESS_DOCUMENT_SQL ACCESS_POST_SQL
#define ACCESS_DOCUMENT_TYPES ACCESS_POST_TYPES
#define ACCESS_DOCUMENT_ARGS(v) ACCESS_POST_ARGS(v)

/* A document's comments (alias C), beside the document's own rule: hidden
 * ones are shown to nobody. Binds nothing. */
#define ACCESS_COMMENT_SQL(C) "(" C ".hidden_at IS NULL)"

/* Accounts shown to members (profiles, lists of people, search): active ones.
 * U is the users' alias. Binds nothing. */
#define ACCESS_USER_SQL(U) "(" U ".status = 'active')"

/* Events (alias "e", LEFT JOIN groups "g" ON g.id = e.group_id) V may
 * open: the post rule for the visibilities an event may have (public,
 * members, group): in a group, unless the group is open and the event
 * 'members' or 'public', V must be a current member; then 'public' to
 * anyone, 'members' to members. */
#define ACCESS_EVENT_SQL \
	"((e.group_id IS NULL OR (g.visibility = 'open' AND e.visibility IN ('members','public'))" \
	"  OR EXISTS (SELECT 1 FROM group_members em WHERE em.group_id = e.group_id" \
	"             AND em.user_id = ? AND em.state = 'member'))" \
	" AND (e.visibility = 'public' OR (e.visibility = 'members' AND ? > 0) OR e.visibility = 'group'))"
#define ACCESS_EVENT_TYPES "ii"
#define ACCESS_EVENT_ARGS(v) (v)->id, (v)->id

/* Is V an organiser of the event it (loaded as AK_EVENT): its creator, an
 * owner of its group, an admin? */
int access_event_organiser(struct dctx *dc, const struct viewer *v, const struct access_item *it);

/* A notification (alias "n", the member's own: callers add n.user_id = ?)
 * is shown while its post (if any) is visible, its reply (if any) is
 * visible under the reply rule, its group (if any, without a post) is
 * visible, its room (if any) is readable, and its proposal (if any) still
 * has the member among its authors. */
#define ACCESS_NOTIFICATION_SQL \
	" (n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p LEFT JOIN groups g ON g.id = p.group_id" \
	"   WHERE p.id = n.post_id AND " ACCESS_POST_SQL \
	"   AND (n.reply_id IS NULL OR EXISTS (SELECT 1 FROM replies nr WHERE nr.id = n.reply_id" \
	"     AND " ACCESS_REPLY_SQL("nr") "))))" \
	" AND (n.group_id IS NULL OR n.post_id IS NOT NULL OR EXISTS (SELECT 1 FROM groups g" \
	"   WHERE g.id = n.group_id AND " ACCESS_GROUP_SQL "))" \
	" AND (n.room_id IS NULL OR EXISTS (SELECT 1 FROM chat_rooms cr WHERE cr.id = n.room_id AND " \
	ACCESS_ROOM_SQL("cr") "))" \
	" AND (n.event_id IS NULL OR EXISTS (SELECT 1 FROM events e LEFT JOIN groups g ON g.id = e.group_id" \
	"   WHERE e.id = n.event_id AND " ACCESS_EVENT_SQL "))" \
	" AND (n.proposal_id IS NULL OR EXISTS (SELECT 1 FROM proposal_authors npa WHERE npa.proposal_id = n.proposal_id" \
	"   AND npa.user_id = n.user_id))"
#define ACCESS_NOTIFICATION_TYPES ACCESS_POST_TYPES ACCESS_REPLY_TYPES ACCESS_GROUP_TYPES ACCESS_ROOM_TYPES \
	ACCESS_EVENT_TYPES
#define ACCESS_NOTIFICATION_ARGS(v) ACCESS_POST_ARGS(v), ACCESS_REPLY_ARGS(v), ACCESS_GROUP_ARGS(v), \
	ACCESS_ROOM_ARGS(v), ACCESS_EVENT_ARGS(v)

/* Innovation records (alias "i") V may open: public ones to anyone,
 * 'members' ones to members; hidden ones only to their coordinator,
 * co-authors and admins. */
#define ACCESS_INNOVATION_SQL \
	"((i.visibility = 'public' OR (i.visibility = 'members' AND ? > 0))" \
	" AND (i.hidden_at IS NULL OR ? = 1 OR i.coordinator_id = ?" \
	"  OR EXISTS (SELECT 1 FROM innovation_coauthors aic WHERE aic.innovation_id = i.id AND aic.user_id = ?)))"
#define ACCESS_INNOVATION_TYPES "iiii"
#define ACCESS_INNOVATION_ARGS(v) (v)->id, (int64_t)((v)->admin ? 1 : 0), (v)->id, (v)->id

/* Calls for proposals (alias "c") V sees: those of no group to anyone,
 * those of a group to whoever sees the group (ACCESS_GROUP_SQL). */
#define ACCESS_CALL_SQL \
	"(c.group_id IS NULL OR EXISTS (SELECT 1 FROM groups g WHERE g.id = c.group_id AND " ACCESS_GROUP_SQL "))"
#define ACCESS_CALL_TYPES ACCESS_GROUP_TYPES
#define ACCESS_CALL_ARGS(v) ACCESS_GROUP_ARGS(v)

/* The managers of a call (alias C): admins, and the owners of its group. */
#define ACCESS_CALL_MANAGER_SQL(C) \
	"(? = 1 OR EXISTS (SELECT 1 FROM group_members cgm WHERE cgm.group_id = " C ".group_id" \
	"  AND cgm.user_id = ? AND cgm.state = 'member' AND cgm.role = 'owner'))"
#define ACCESS_CALL_MANAGER_TYPES "ii"
#define ACCESS_CALL_MANAGER_ARGS(v) (int64_t)((v)->admin ? 1 : 0), (v)->id

/* Proposals (alias "pr") V may open: its authors (author and co-authors),
 * the call's managers (admins, its group's owners) and its assigned
 * reviewers; nobody else. */
#define ACCESS_PROPOSAL_SQL \
	"(? = 1 OR EXISTS (SELECT 1 FROM proposal_authors apa WHERE apa.proposal_id = pr.id AND apa.user_id = ?)" \
	" OR EXISTS (SELECT 1 FROM proposal_assignments apr WHERE apr.proposal_id = pr.id AND apr.reviewer_id = ?)" \
	" OR EXISTS (SELECT 1 FROM calls apc JOIN group_members apm ON apm.group_id = apc.group_id" \
	"   WHERE apc.id = pr.call_id AND apm.user_id = ? AND apm.state = 'member' AND apm.role = 'owner'))"
#define ACCESS_PROPOSAL_TYPES "iiii"
#define ACCESS_PROPOSAL_ARGS(v) (int64_t)((v)->admin ? 1 : 0), (v)->id, (v)->id, (v)->id

/* Does V manage call_id (an admin, or an owner of the call's group)?
 * group_id: the call's (0: none). */
int access_call_manager(struct dctx *dc, const struct viewer *v, int64_t group_id);
/* Is V an author (author or co-author) of proposal_id? */
int access_proposal_author(struct dctx *dc, const struct viewer *v, int64_t proposal_id);
/* Is V an assigned reviewer of proposal_id (any stage)? */
int access_proposal_reviewer(struct dctx *dc, const struct viewer *v, int64_t proposal_id);

/* Is V a member of the record's team (coordinator or co-author)? */
int access_innovation_team(struct dctx *dc, const struct viewer *v, const struct access_item *it);
/* Is V an adviser of academy (users.adviser_academy)? */
int access_is_adviser_of(struct dctx *dc, const struct viewer *v, const char *academy);
/* May V read the adviser's queue of records? D_OK for an adviser, *academy
 * the academy they advise, and for an admin, *academy NULL (every academy);
 * D_NOT_FOUND for anyone else (visitors included), D_INTERNAL. */
enum derr access_innovation_queue(struct dctx *dc, const struct viewer *v, const char **academy);

#endif
