/* JSON API handlers of live exchange (routes.c lists them). */
#ifndef RESPIRE_API_CHAT_H
#define RESPIRE_API_CHAT_H

#include <jansson.h>

#include "domain/chat.h"
#include "http/request.h"

void api_rooms_mine(struct request *r);
void api_group_rooms(struct request *r);
void api_room_get(struct request *r);
void api_room_messages(struct request *r);
void api_room_post(struct request *r);
void api_room_read(struct request *r);
void api_room_events(struct request *r);
void api_conversations_create(struct request *r);
void api_user_block(struct request *r);
void api_me_blocks(struct request *r);
void api_me_unread(struct request *r);

/* A message in a room's live stream (handed to the server as the site's stream_message). */
json_t *api_stream_message(struct arena *a, const struct chat_message *m);

#endif
