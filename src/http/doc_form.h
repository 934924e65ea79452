/* A document's multipart form (title, description, licence, visibility,
 * group_id, subjects, levels; files in field "file"), read the same way for
 * the page (/documents/new) and the API (POST /api/v1/documents). The
 * domain checks the values. */
#ifndef RESPIRE_HTTP_DOC_FORM_H
#define RESPIRE_HTTP_DOC_FORM_H

#include "domain/documents.h"
#include "http/request.h"

/* Fills in from the form fields (tags only when with_tags). */
void doc_form_read(struct request *r, struct doc_input *in, int with_tags);
/* The uploaded files of field "file", in the order sent; max + 1 when more. */
int doc_form_files(struct request *r, struct doc_file_in *out, int max);

#endif
