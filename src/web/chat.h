/* Pages of live exchange (routes.c lists them). */
#ifndef RESPIRE_WEB_CHAT_H
#define RESPIRE_WEB_CHAT_H

#include "http/request.h"

void web_messages(struct request *r);
void web_messages_new(struct request *r);
void web_group_room(struct request *r);
void web_group_room_new(struct request *r);
void web_room(struct request *r);
void web_room_post(struct request *r);
void web_room_read(struct request *r);
void web_room_events(struct request *r);
void web_user_block(struct request *r);

#endif
