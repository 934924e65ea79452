/* JSON API: academies (api/academies.c). */
#ifndef RESPIRE_API_ACADEMIES_H
#define RESPIRE_API_ACADEMIES_H

#include "http/request.h"

void api_academies_list(struct request *r);
void api_academies_get(struct request *r);

#endif
