/* JSON API: innovation records (api/innovations.c). */
#ifndef RESPIRE_API_INNOVATIONS_H
#define RESPIRE_API_INNOVATIONS_H

#include "http/request.h"

void api_innovations_create(struct request *r);
void api_innovations_list(struct request *r);
void api_innovations_queue(struct request *r);
void api_innovations_get(struct request *r);
void api_innovations_patch(struct request *r);
void api_innovations_delete(struct request *r);
void api_innovations_revisions(struct request *r);
void api_innovations_diff(struct request *r);
void api_innovations_follow(struct request *r);
void api_innovations_useful(struct request *r);
void api_innovations_message(struct request *r);

#endif
