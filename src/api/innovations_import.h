/* JSON API: the import of innovation records (api/innovations_import.c). */
#ifndef RESPIRE_API_INNOVATIONS_IMPORT_H
#define RESPIRE_API_INNOVATIONS_IMPORT_H

#include "http/request.h"

void api_innovations_import(struct request *r);

#endif
