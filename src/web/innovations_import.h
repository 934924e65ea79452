/* The admins' page importing innovation records (web/innovations_import.c). */
#ifndef RESPIRE_WEB_INNOVATIONS_IMPORT_H
#define RESPIRE_WEB_INNOVATIONS_IMPORT_H

#include "http/request.h"

void web_innovations_import(struct request *r);

#endif
