/* Sending documents' files, shared by the pages and the API (the same
 * rules, the error in the caller's format): ranges and validators for
 * films, a safe Content-Disposition, thumbnails. */
#ifndef RESPIRE_HTTP_FILES_H
#define RESPIRE_HTTP_FILES_H

#include "http/request.h"

/* GET /documents/{id:int}/file and /api/v1/documents/{id:int}/file (?inline=1) */
void http_document_file(struct request *r);
/* GET .../documents/{id:int}/versions/{n:int}/file */
void http_document_version_file(struct request *r);
/* GET .../documents/{id:int}/thumbnail */
void http_document_thumbnail(struct request *r);

#endif
