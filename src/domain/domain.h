/* What every domain call receives: storage, memory, settings, the caller.
 * The domain knows neither HTTP nor the storage backend. */
#ifndef RESPIRE_DOMAIN_DOMAIN_H
#define RESPIRE_DOMAIN_DOMAIN_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"
#include "util/config.h"

/* Who is acting. id 0 is a visitor. */
struct viewer {
	int64_t id;
	int64_t session_id;
	const char *name;
	const char *email;
	const char *lang;           /* the member's language ("fr", "en") */
	int admin;
	int session_renewed;        /* the session's expiry moved: renew the cookie */
};

struct dctx {
	struct db *db;
	struct arena *arena;
	const struct config *cfg;
	const char *base_url;       /* for links in mails */
	const char *lang;           /* "fr" or "en": language of mails sent now */
	const unsigned char *secret; /* 32 bytes, server-wide */
	int64_t now;                /* Unix seconds */
	const char *client_ip;      /* for throttling, may be "" */
	const char *user_agent;
	/* Where page views and actions are recorded (domain/stats.h); NULL:
	 * not at all (statistics off, Do Not Track, Global Privacy Control,
	 * commands). */
	struct stats_recorder *stats;
	/* Members with something new for their live streams; announced by the
	 * front-end once the request's transactions are committed. */
	int64_t woken[32];
	int nwoken;
	int woken_overflow;         /* more than fit: wake everyone */
	/* Chat rooms with a new message: their streams, and the members'
	 * streams of the room's group (group 0: a private conversation). */
	int64_t woken_rooms[8], woken_room_groups[8];
	int nwoken_rooms;
	/* Mails queued inside a transaction, handed to the outbox by
	 * mailq_flush() once it is committed (domain/mailq.h); more than fit
	 * wait for the mail worker. mail_queued: a mail awaits the worker. */
	int64_t mail_pending[32];
	int nmail_pending;
	int mail_queued;
	/* The viewer's standing in groups, read once a request (domain/access.c):
	 * on only where the front-end sets memo_roles (a request: short, on one
	 * connection); group membership writes forget it (access_forget_roles). */
	int memo_roles;
	int64_t roles_user;         /* whose rows roles holds; 0: none loaded */
	int nroles;                 /* -1: too many to hold, ask per group */
	struct role_row { int64_t group_id; int role; } *roles;
};

/* Records that a room has something new. */
static inline void dctx_wake_room(struct dctx *dc, int64_t room, int64_t group)
{
	for (int i = 0; i < dc->nwoken_rooms; i++)
		if (dc->woken_rooms[i] == room)
			return;
	if (dc->nwoken_rooms < (int)(sizeof dc->woken_rooms / sizeof dc->woken_rooms[0])) {
		dc->woken_room_groups[dc->nwoken_rooms] = group;
		dc->woken_rooms[dc->nwoken_rooms++] = room;
	} else {
		dc->woken_overflow = 1;
	}
}

/* Records that user has something new to be told live. */
static inline void dctx_wake(struct dctx *dc, int64_t user)
{
	for (int i = 0; i < dc->nwoken; i++)
		if (dc->woken[i] == user)
			return;
	if (dc->nwoken < (int)(sizeof dc->woken / sizeof dc->woken[0]))
		dc->woken[dc->nwoken++] = user;
	else
		dc->woken_overflow = 1;
}

/* Results of domain actions; front-ends map them to HTTP statuses. */
enum derr {
	D_OK = 0,
	D_INVALID,          /* bad field: see the field name set by the call */
	D_NOT_FOUND,        /* absent, or not visible to the viewer */
	D_FORBIDDEN,        /* visible, but this action is refused */
	D_CONFLICT,         /* e.g. e-mail taken, already done */
	D_DOMAIN_NOT_ALLOWED,
	D_WEAK_PASSWORD,
	D_BAD_CREDENTIALS,
	D_THROTTLED,
	D_TOKEN_INVALID,    /* unknown, used or expired token */
	D_TOO_LARGE,
	D_UNSUPPORTED_TYPE,
	D_QUOTA,            /* a storage quota would be exceeded */
	D_STORAGE_FULL,     /* the server's disk is full: nothing was saved */
	D_INTERNAL,
};

#endif
