/* JSON API: the schools of the directory (api/schools.c). */
#ifndef RESPIRE_API_SCHOOLS_H
#define RESPIRE_API_SCHOOLS_H

#include "http/request.h"

void api_schools_search(struct request *r);
void api_schools_get(struct request *r);

#endif
