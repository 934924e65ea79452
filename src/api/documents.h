/* JSON shapes and handlers of documents. */
#ifndef RESPIRE_API_DOCUMENTS_H
#define RESPIRE_API_DOCUMENTS_H

#include <jansson.h>

#include "domain/documents.h"
#include "http/request.h"

json_t *api_document(const struct document *d);
json_t *api_licence(const char *code);
int api_doc_filter(struct request *r, struct doc_filter *f);

void api_documents_create(struct request *r);
void api_documents_list(struct request *r);
void api_documents_get(struct request *r);
void api_documents_patch(struct request *r);
void api_documents_delete(struct request *r);
void api_documents_useful_put(struct request *r);
void api_documents_useful_delete(struct request *r);
void api_documents_versions(struct request *r);
void api_documents_version_add(struct request *r);
void api_documents_comments(struct request *r);
void api_documents_comment_create(struct request *r);
void api_document_comments_delete(struct request *r);
void api_groups_documents(struct request *r);
void api_users_documents(struct request *r);
void api_me_storage(struct request *r);

#endif
