/* Pages: the academies (web/academies.c). */
#ifndef RESPIRE_WEB_ACADEMIES_H
#define RESPIRE_WEB_ACADEMIES_H

#include "http/request.h"

void web_academies(struct request *r);
void web_academy(struct request *r);

#endif
