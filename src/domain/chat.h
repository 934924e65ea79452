/* Live exchange: a group's chat rooms ("salons virtuels": every group has
 * one, moderators open more) and private conversations between members.
 *
 * Who may read and write a room is the access module's rule
 * (access_may_see_room): a group's rooms are for its current members (a
 * member who leaves stops at once), a conversation for its participants.
 * A conversation is started with contacts or members of a shared group,
 * never with someone who blocked you or whom you blocked; a participant
 * blocked by another cannot write in their conversations. Messages are
 * stored before they are announced (live streams catch up from ids), read
 * marks give unread counts, presence says who has a room open. */
#ifndef RESPIRE_DOMAIN_CHAT_H
#define RESPIRE_DOMAIN_CHAT_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"

#define CHAT_BODY_MAX 4000        /* characters of a message */
#define CHAT_NAME_MAX 80          /* characters of a room's name */
#define CHAT_PARTICIPANTS_MAX 20  /* people in a conversation, me included */
#define CHAT_RATE_MESSAGES 15     /* at most this many messages ... */
#define CHAT_RATE_SECONDS 20      /* ... per member within this many seconds */
#define CHAT_ONLINE_SECONDS 70    /* seen this recently: online */
#define CHAT_PAGE_MAX 100

struct room {
	struct room_ref ref;
	const char *name;          /* "" for a group's main room and conversations */
	const char *title;         /* what to show: group and room, or the other participants */
	const char *group_name;    /* "" for conversations */
	int is_main;
	int64_t last_message_at;
	int64_t unread;            /* messages of others after my read mark */
	int64_t last_message_id;
	int may_manage;            /* may open rooms in this group (its moderators) */
};

struct chat_message {
	int64_t id, room_id, author_id;
	const char *author_name;   /* "" when the account is gone */
	const char *body;          /* Markdown: web/ and api/ render it */
	int64_t document_id;       /* 0, or a document the viewer may see */
	const char *document_title;
	int64_t created_at;
};

struct chat_person {
	int64_t id;
	const char *name;
};

/* The group's main room, made on first use. D_NOT_FOUND unless V is a member. */
enum derr chat_group_room(struct dctx *dc, const struct viewer *v, int64_t group_id, int64_t *room_id);
/* Another room in a group (its owners and moderators: D_FORBIDDEN otherwise). */
enum derr chat_room_create(struct dctx *dc, const struct viewer *v, int64_t group_id, const char *name,
			   int64_t *room_id, const char **field);
enum derr chat_room_get(struct dctx *dc, const struct viewer *v, int64_t room_id, struct room *out);
/* The rooms of a group V is a member of (main first). -1 error, -2 not found. */
int chat_group_rooms(struct dctx *dc, const struct viewer *v, int64_t group_id, struct room **out);
/* Every room of V (their groups' rooms, their conversations), latest
 * activity first, with unread counts; at most max. */
int chat_rooms_mine(struct dctx *dc, const struct viewer *v, int max, struct room **out);
/* SQL fragments, shared with the header's counts (notify_badges). */
/* The rooms V reads: their groups' rooms and their conversations (alias r;
 * two '?': V, V). */
#define MY_ROOMS " " ACCESS_ROOM_MINE_SQL("r")

/* Messages of others in room r after V's read mark and since V arrived
 * (four '?': V four times). */
#define UNREAD_OF_R \
	"(SELECT count(*) FROM chat_messages m WHERE m.room_id = r.id" \
	"  AND m.id > COALESCE((SELECT cr.last_read_id FROM chat_reads cr WHERE cr.room_id = r.id AND cr.user_id = ?), 0)" \
	"  AND (m.author_id IS NULL OR m.author_id <> ?)" \
	"  AND m.created_at >= COALESCE((SELECT COALESCE(gj.joined_at, gj.created_at) FROM group_members gj" \
	"      WHERE gj.group_id = r.group_id AND gj.user_id = ?)," \
	"    (SELECT pj.joined_at FROM chat_participants pj WHERE pj.room_id = r.id AND pj.user_id = ?), 0))"


/* A conversation with these members (not V): the existing one with exactly
 * them, else a new one. D_NOT_FOUND for someone unknown or not reachable
 * (neither a contact nor in a shared group), D_FORBIDDEN when a block
 * stands between V and one of them, D_INVALID (field "user_ids") for none or
 * too many. *created says which. */
enum derr chat_conversation_start(struct dctx *dc, const struct viewer *v, const int64_t *users, int n,
				  int64_t *room_id, int *created);
/* The conversation of V with one active member whom V may write to for a
 * reason the caller checked (the coordinator of an innovation record V
 * reads): no contact or shared group needed; blocks still stand. */
enum derr chat_conversation_with(struct dctx *dc, const struct viewer *v, int64_t user, int64_t *room_id,
				 int *created);

/* Messages before before_id (0: the latest), oldest first; *older is the
 * cursor of the page before, or 0. -2 when V may not see the room. */
int chat_messages_page(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t before_id, int limit,
		       struct chat_message **out, int64_t *older);
/* Messages after after_id, oldest first (live streams). -2 when V may not
 * see the room (any more). */
int chat_messages_since(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t after_id, int limit,
			struct chat_message **out);
/* Posts a message (and names a document V may see, or 0). D_THROTTLED past
 * the rate, D_FORBIDDEN when blocked, D_INVALID (field) for a bad body or
 * document. Mentions @handle notify the room's members named. */
enum derr chat_post(struct dctx *dc, const struct viewer *v, int64_t room_id, const char *body, int64_t document_id,
		    int64_t *message_id, const char **field);
/* Read up to message_id (0: everything there is now). */
enum derr chat_mark_read(struct dctx *dc, const struct viewer *v, int64_t room_id, int64_t message_id);
/* V has the room open now (live stream, page): presence. */
void chat_touch(struct dctx *dc, const struct viewer *v, int64_t room_id);
/* Who has the room open (seen within CHAT_ONLINE_SECONDS), by name; at most max. */
int chat_online(struct dctx *dc, const struct viewer *v, int64_t room_id, int max, struct chat_person **out);

/* Blocks (on) or unblocks another member. */
enum derr chat_block(struct dctx *dc, const struct viewer *v, int64_t user, int on);
/* Has a blocked b, or b blocked a? */
int chat_blocked_between(struct dctx *dc, int64_t a, int64_t b);
/* Has V blocked user? */
int chat_has_blocked(struct dctx *dc, const struct viewer *v, int64_t user);
/* V's blocks, by name. */
int chat_blocks_list(struct dctx *dc, const struct viewer *v, struct chat_person **out);

/* The group ids of the rooms V reads (for live streams: which rooms' news
 * concern them), at most max. */
int chat_my_groups(struct dctx *dc, const struct viewer *v, int64_t *groups, int max);

#endif
