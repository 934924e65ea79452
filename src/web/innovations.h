/* Innovation record pages (web/innovations.c). */
#ifndef RESPIRE_WEB_INNOVATIONS_H
#define RESPIRE_WEB_INNOVATIONS_H

#include "domain/innovations.h"
#include "http/request.h"

void web_innovations(struct request *r);
void web_innovations_queue(struct request *r);
void web_innovation_new(struct request *r);
void web_innovation(struct request *r);
void web_innovation_edit(struct request *r);
void web_innovation_delete(struct request *r);
void web_innovation_follow(struct request *r);
void web_innovation_useful(struct request *r);
void web_innovation_support(struct request *r);
void web_innovation_message(struct request *r);
void web_innovation_revisions(struct request *r);
void web_innovation_diff(struct request *r);
void web_innovations_csv(struct request *r);
void web_innovations_atom(struct request *r);

#endif
