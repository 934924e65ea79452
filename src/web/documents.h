/* Document pages and the pieces other pages use. */
#ifndef RESPIRE_WEB_DOCUMENTS_H
#define RESPIRE_WEB_DOCUMENTS_H

#include <stdint.h>

#include "domain/documents.h"
#include "http/request.h"

/* "1,2 Mo" / "1.2 MB" */
const char *web_size(struct request *r, int64_t bytes);
/* A document in a list: thumbnail or kind, title, size, group, author, licence. */
void document_summary(struct request *r, const struct document *d);

void web_documents(struct request *r);
void web_document_new(struct request *r);
void web_document(struct request *r);
void web_document_edit(struct request *r);
void web_document_delete(struct request *r);
void web_document_version_add(struct request *r);
void web_document_useful(struct request *r);
void web_document_comment(struct request *r);
void web_document_comment_delete(struct request *r);
void web_group_documents(struct request *r);

#endif
