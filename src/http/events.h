/* Live events: Server-Sent Events streams held on suspended connections
 * (no thread per client), woken in-process and, on PostgreSQL, across
 * instances through LISTEN/NOTIFY. Events are stored before they are
 * announced (notifications are rows), so a client reconnecting with
 * Last-Event-ID catches up on what it missed. */
#ifndef RESPIRE_HTTP_EVENTS_H
#define RESPIRE_HTTP_EVENTS_H

#include <stdint.h>

#include "http/request.h"

struct app;

/* Starts the heartbeat and, on PostgreSQL, the listener thread. */
int events_start(struct app *app);
/* Ends every stream (before the daemon stops) and the threads. */
void events_stop(struct app *app);
/* GET /api/v1/events and /events: the signed-in member's stream
 * (notifications, unread counts of notifications and messages). */
void events_open(struct request *r);
/* GET /events and /api/v1/events are shared with the agenda's lists
 * (web/agenda.c, api/agenda.c): the stream answers a request whose Accept
 * names text/event-stream, or names neither text/html nor application/json
 * (clients of the stream written before the agenda); 1 for the stream. */
int events_stream_wanted(struct request *r);
/* The member's stream on a route open to anyone: a visitor gets what a
 * member route answers (401 on the API, the sign-in page otherwise). */
void events_open_member(struct request *r);
/* A chat room's stream (messages, who is online), for a member the caller
 * checked may read it; from message after (or Last-Event-ID, or now). It
 * ends ("event: closed") as soon as the member may no longer read it. */
void events_open_room(struct request *r, int64_t room_id, int64_t after);
/* After a request: tell the members it woke (here and on other instances). */
void events_publish(struct request *r);
/* The response body for an open stream; private to server.c. */
void *events_response(struct request *r);
/* Frees the hub after the daemon stopped. */
void events_free(struct app *app);
/* Streams open on this instance now. */
unsigned events_live(struct app *app);

#endif
