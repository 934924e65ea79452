/* Pages: the schools of the directory (web/schools.c). */
#ifndef RESPIRE_WEB_SCHOOLS_H
#define RESPIRE_WEB_SCHOOLS_H

#include "http/request.h"

void web_schools(struct request *r);
void web_school(struct request *r);

#endif
