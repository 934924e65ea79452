/* Event pages (web/agenda.c; "agenda" beside the live stream's
 * http/events.c, paths /events as the contract says). */
#ifndef RESPIRE_WEB_AGENDA_H
#define RESPIRE_WEB_AGENDA_H

#include <stdint.h>

#include "http/request.h"

void web_agenda(struct request *r);        /* or the live stream (events_stream_wanted) */
void web_agenda_new(struct request *r);
void web_agenda_event(struct request *r);
void web_agenda_edit(struct request *r);
void web_agenda_delete(struct request *r);
void web_agenda_register(struct request *r);
void web_agenda_cancel(struct request *r);
void web_agenda_ics(struct request *r);
void web_agenda_csv(struct request *r);

/* A group page's box: its next events the viewer may see. */
void web_agenda_group_box(struct request *r, int64_t group_id, int member);
/* The home page's box: the member's next events (registered or waiting). */
void web_agenda_home_box(struct request *r);

#endif
