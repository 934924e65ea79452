/* JSON API: events and registrations (api/agenda.c; "agenda" beside the
 * live stream's http/events.c, routes /api/v1/events as the contract says). */
#ifndef RESPIRE_API_AGENDA_H
#define RESPIRE_API_AGENDA_H

#include "http/request.h"

void api_agenda_create(struct request *r);
void api_agenda_list(struct request *r);     /* or the live stream (events_stream_wanted) */
void api_agenda_get(struct request *r);
void api_agenda_patch(struct request *r);
void api_agenda_delete(struct request *r);
void api_agenda_register(struct request *r);
void api_agenda_unregister(struct request *r);
void api_agenda_registrations(struct request *r);

#endif
