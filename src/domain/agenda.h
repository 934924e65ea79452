/* Events and their registrations (issue 20): the agenda. Named "agenda"
 * because "events" is already the live stream's (http/events.c); the
 * routes stay /events as the contract says.
 *
 * An event has dates (Unix seconds, shown in Europe/Paris), a place and/or
 * a virtual room (a link, or a chat room of its group), a capacity (0:
 * unlimited), a group or none, and a visibility like a post's: public,
 * members or group (AK_EVENT in the access module, the post rule). Its
 * organisers are its creator, the owners of its group and admins: they
 * edit and delete it and read its registrations.
 *
 * A member who may see it registers: "registered" while places remain,
 * else "waitlisted" (in order of registration). Registering again answers
 * the state already held (idempotent). A cancellation frees a place: the
 * first waitlisted member is promoted in the same transaction, notified
 * (page and mail). Registrations and cancellations close when the event
 * has ended (dc->now >= ends_at). Every registration takes the event's
 * row lock first (an UPDATE of its row), so concurrent registrations for
 * the last place are serialised on PostgreSQL as on SQLite: never more
 * registered than the capacity. */
#ifndef RESPIRE_DOMAIN_AGENDA_H
#define RESPIRE_DOMAIN_AGENDA_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"

#define EVENT_TITLE_MAX 200          /* characters */
#define EVENT_TEXT_MAX 20000         /* characters of the description (Markdown) */
#define EVENT_PLACE_MAX 300
#define EVENT_URL_MAX 500
#define EVENT_CAPACITY_MAX 100000
#define EVENT_DURATION_MAX (31 * 86400)
#define EVENT_TIME_MIN 946684800     /* 2000-01-01 */
#define EVENT_TIME_MAX 4102444800    /* 2100-01-01 */

extern const char *const event_visibilities[];   /* public, members, group */

struct event {
	int64_t id;
	int64_t author_id;               /* 0: the account is gone */
	const char *author_name;
	int64_t group_id;                /* 0: none */
	const char *group_name;          /* "" when none */
	const char *title, *description, *place, *url, *visibility;
	int64_t starts_at, ends_at, room_id, capacity, call_id; /* room_id, call_id 0: none */
	int64_t created_at, updated_at;
	int64_t registered, waitlisted;  /* counts */
	/* the viewer's */
	const char *my_state;            /* "registered", "waitlisted" or NULL */
	int64_t my_position;             /* on the waiting list, from 1 (0: not waiting) */
	int may_edit;                    /* an organiser */
};

struct event_input {
	const char *title, *description, *place, *url, *visibility;
	int64_t starts_at, ends_at, capacity;   /* -1: absent */
	int64_t group_id;                       /* -1: absent, 0: none */
	int64_t room_id;                        /* -1: absent, 0: none */
	int64_t call_id;                        /* -1: absent, 0: none */
};

void event_input_init(struct event_input *in);

/* D_INVALID with *field on bad input; D_FORBIDDEN (field "group_id") when
 * the group is visible but V is not a current member of it. */
enum derr event_create(struct dctx *dc, const struct viewer *v, const struct event_input *in, int64_t *id,
		       const char **field);
enum derr event_get(struct dctx *dc, const struct viewer *v, int64_t id, struct event *out);
/* Organisers only (D_FORBIDDEN for others who see it). The group does not
 * change. A larger capacity promotes waiting members into the new places. */
enum derr event_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct event_input *in,
		       const char **field);
enum derr event_delete(struct dctx *dc, const struct viewer *v, int64_t id);

/* Registers V: *state "registered" or "waitlisted"; *created 0 when V
 * already held that state. D_INVALID field "ended" once the event is over. */
enum derr event_register(struct dctx *dc, const struct viewer *v, int64_t id, const char **state, int *created);
/* Cancels V's registration (D_NOT_FOUND field "registration" when none)
 * and promotes the first waiting member into a freed place;
 * *promoted: that member (0: none). D_INVALID field "ended" once over. */
enum derr event_unregister(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *promoted,
			   const char **field);

struct event_filter {
	int64_t from;            /* events ending after from (0: any) */
	int64_t to;              /* and starting before to (0: any) */
	int64_t group_id;        /* 0: any */
	int mine;                /* only those V registered for (either state) */
	int past;                /* ended events, newest first, instead of upcoming ones */
	int64_t cursor_at, cursor_id; /* after this (starts_at, id) in the list's order; 0: the start */
	int limit;
};

/* Events V may see, upcoming first (by start), or past ones newest first.
 * *next_at, *next_id: the cursor of the next page (0: none). The number
 * of rows or -1. */
int events_list(struct dctx *dc, const struct viewer *v, const struct event_filter *f, struct event **out,
		int64_t *next_at, int64_t *next_id);
/* "STARTS-ID" cursors: 0, or -1 when malformed. */
int event_cursor_parse(const char *s, int64_t *at, int64_t *id);

struct event_registration {
	int64_t user_id;
	const char *name, *email, *state;
	int64_t registered_at;
};
/* Every registration of an event, registered first then the waiting list
 * in order; organisers only (404 to whoever does not see it, 403 to others). */
int event_registrations(struct dctx *dc, const struct viewer *v, int64_t id, struct event_registration **out,
			enum derr *err);
/* The same for an event event_get already read (its may_edit decides: -1
 * when not an organiser's): one load of the event a page. */
int event_registrations_of(struct dctx *dc, const struct event *e, struct event_registration **out);

/* The event as an iCalendar object (RFC 5545): VCALENDAR with a VTIMEZONE
 * for Europe/Paris and one VEVENT (DTSTART;TZID=Europe/Paris), lines folded
 * at 75 octets, text escaped; url is the event's page. In dc's arena. */
const char *event_ics(struct dctx *dc, const struct event *e, const char *url);

#endif
