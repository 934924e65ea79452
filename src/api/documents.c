/* /api/v1 documents: upload (multipart), metadata, versions, comments,
 * marks, lists, storage use. Files are sent by http/files.c. */
#include "api/documents.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/access.h"
#include "http/doc_form.h"
#include "http/search_params.h"
#include "api/social.h"
#include "util/text.h"

static json_t *tag_array(const char *const *tags, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(tags[i]));
	return a;
}

json_t *api_licence(const char *code)
{
	const struct licence *l = licence_find(code);

	return json_pack("{s:s,s:s?,s:s?}", "code", code, "label", l ? l->label : NULL, "url", l ? l->url : NULL);
}

json_t *api_document(const struct document *d)
{
	json_t *o = json_object();
	char url[96];

	json_object_set_new(o, "id", api_id(d->ref.id));
	json_object_set_new(o, "title", json_string(d->title));
	json_object_set_new(o, "description", json_string(d->description));
	json_object_set_new(o, "licence", api_licence(d->licence));
	json_object_set_new(o, "visibility", json_string(d->ref.visibility));
	json_object_set_new(o, "group_id", d->ref.group_id ? api_id(d->ref.group_id) : json_null());
	json_object_set_new(o, "group", d->ref.group_id ?
			    json_pack("{s:o,s:s}", "id", api_id(d->ref.group_id), "name", d->group_name) : json_null());
	json_object_set_new(o, "author", api_person(d->ref.author_id, d->author_name, d->author_handle));
	json_object_set_new(o, "kind", json_string(d->kind));
	json_object_set_new(o, "mime", json_string(d->mime));
	json_object_set_new(o, "filename", json_string(d->filename));
	json_object_set_new(o, "size", json_integer(d->size));
	json_object_set_new(o, "sha256", json_string(d->sha256));
	json_object_set_new(o, "version", json_integer(d->version));
	json_object_set_new(o, "subjects", tag_array(d->subjects, d->nsubjects));
	json_object_set_new(o, "levels", tag_array(d->levels, d->nlevels));
	json_object_set_new(o, "download_count", json_integer(d->download_count));
	json_object_set_new(o, "useful_count", json_integer(d->useful_count));
	json_object_set_new(o, "comment_count", json_integer(d->comment_count));
	json_object_set_new(o, "useful_by_me", json_boolean(d->useful_by_me));
	json_object_set_new(o, "may_edit", json_boolean(d->may_edit));
	json_object_set_new(o, "created_at", json_integer(d->created_at));
	json_object_set_new(o, "updated_at", json_integer(d->updated_at));
	snprintf(url, sizeof url, "/api/v1/documents/%lld/file", (long long)d->ref.id);
	json_object_set_new(o, "file_url", json_string(url));
	snprintf(url, sizeof url, "/api/v1/documents/%lld/thumbnail", (long long)d->ref.id);
	json_object_set_new(o, "thumbnail_url", d->has_thumbnail ? json_string(url) : json_null());
	return o;
}

/* Answers a domain error of the documents' calls. */
static void doc_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_NOT_FOUND && field && !strcmp(field, "group_id"))
		resp_json_error(r, 404, "group_not_found", "No such group.");
	else if (e == D_FORBIDDEN && field && !strcmp(field, "group_id"))
		resp_json_error(r, 403, "not_member", "Only the group's members share documents in it.");
	else if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "forbidden", "Only the author, the group's moderators and admins may do this.");
	else if (e == D_QUOTA)
		resp_json(r, 413, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "quota_exceeded", "message",
					    field && !strcmp(field, "group") ? "The group's storage quota is reached."
									     : "Your storage quota is reached.",
					    "field", field ? field : "member"));
	else if (e == D_TOO_LARGE)
		resp_json_error(r, 413, "too_large", "The file is larger than the server accepts.");
	else if (e == D_UNSUPPORTED_TYPE)
		resp_json_error(r, 415, "unsupported_type",
				"This type of file is not accepted (images, films, sound, PDF, text, office files, zip).");
	else if (e == D_CONFLICT)
		resp_json_error(r, 409, "conflict", "Someone changed this document meanwhile; try again.");
	else
		api_derr(r, e, field);
}

static void answer_document(struct request *r, int status, int64_t id)
{
	struct document d;
	enum derr e = document_get(&r->dc, &r->me, id, &d);

	if (e != D_OK)
		doc_error(r, e, NULL);
	else
		resp_json(r, status, api_document(&d));
}

/* POST /documents (multipart: file..., title, description, licence, visibility, group_id, subjects, levels) */
void api_documents_create(struct request *r)
{
	struct doc_input in;
	struct doc_file_in files[DOC_FILES_MAX + 1];
	int64_t ids[DOC_FILES_MAX] = { 0 };
	const char *field = NULL;
	int n;
	enum derr e;

	doc_form_read(r, &in, 1);
	n = doc_form_files(r, files, DOC_FILES_MAX);
	if (n == 0 || n > DOC_FILES_MAX) {
		resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
					    n ? "At most 20 files at once." : "Send the file(s) in the multipart field 'file'.",
					    "field", "file"));
		return;
	}
	e = documents_create(&r->dc, &r->me, &in, files, n, ids, &field);
	if (e != D_OK) {
		doc_error(r, e, field);
		return;
	}
	if (n == 1) {
		answer_document(r, 201, ids[0]);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		struct document d;

		if (document_get(&r->dc, &r->me, ids[i], &d) == D_OK)
			json_array_append_new(items, api_document(&d));
	}
	resp_json(r, 201, json_pack("{s:o}", "items", items));
}

void api_documents_get(struct request *r)
{
	answer_document(r, 200, req_param_id(r, 0));
}

void api_documents_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct doc_input in;
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o)
		return;
	memset(&in, 0, sizeof in);
	if (api_str(r, o, "title", 0, &in.title) || api_str(r, o, "description", 0, &in.description) ||
	    api_str(r, o, "licence", 0, &in.licence) || api_str(r, o, "visibility", 0, &in.visibility))
		return;
	if ((in.nsubjects = api_str_list(r, o, "subjects", in.subjects, DOC_TAGS_MAX)) == -1 ||
	    (in.nlevels = api_str_list(r, o, "levels", in.levels, DOC_TAGS_MAX)) == -1)
		return;
	if (in.nsubjects == -2)
		in.nsubjects = -1;
	if (in.nlevels == -2)
		in.nlevels = -1;
	e = document_update(&r->dc, &r->me, id, &in, &field);
	if (e != D_OK)
		doc_error(r, e, field);
	else
		answer_document(r, 200, id);
}

void api_documents_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = document_delete(&r->dc, &r->me, id);

	if (e != D_OK)
		doc_error(r, e, NULL);
	else
		api_no_content(r);
}

/* PUT (on) and DELETE (off) /documents/{id:int}/useful */
static void useful(struct request *r, int on)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = document_mark_useful(&r->dc, &r->me, id, on);

	if (e != D_OK)
		doc_error(r, e, NULL);
	else
		answer_document(r, 200, id);
}

void api_documents_useful_put(struct request *r) { useful(r, 1); }
void api_documents_useful_delete(struct request *r) { useful(r, 0); }

static json_t *api_version(int64_t id, const struct doc_version *x)
{
	char url[96];

	snprintf(url, sizeof url, "/api/v1/documents/%lld/versions/%lld/file", (long long)id, (long long)x->version);
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:o,s:I,s:s}", "version", (json_int_t)x->version,
			 "filename", x->filename, "mime", x->mime, "kind", x->kind, "size", (json_int_t)x->size,
			 "sha256", x->sha256, "note", x->note, "author",
			 api_person(x->author_id, x->author_name, NULL), "created_at", (json_int_t)x->created_at,
			 "file_url", url);
}

void api_documents_versions(struct request *r)
{
	struct doc_version *vs;
	int64_t id = req_param_id(r, 0);
	int n = document_versions(&r->dc, &r->me, id, &vs);
	json_t *items;

	if (n < 0) {
		doc_error(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_version(id, &vs[i]));
	api_list(r, items, 0);
}

/* POST /documents/{id:int}/versions (multipart: file, note) */
void api_documents_version_add(struct request *r)
{
	struct doc_file_in files[2];
	int64_t id = req_param_id(r, 0), version = 0;
	const char *field = NULL;
	int n = doc_form_files(r, files, 1);
	enum derr e;

	if (n != 1) {
		struct document d;

		/* Not visible: 404 whatever the body. */
		if (document_get(&r->dc, &r->me, id, &d) != D_OK)
			doc_error(r, D_NOT_FOUND, NULL);
		else
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid_field", "message",
						    "Send one file in the multipart field 'file'.", "field", "file"));
		return;
	}
	e = document_add_version(&r->dc, &r->me, id, &files[0], req_form(r, "note"), &version, &field);
	if (e != D_OK)
		doc_error(r, e, field);
	else
		answer_document(r, 201, id);
}

static json_t *api_comment(struct arena *a, const struct doc_comment *c)
{
	return json_pack("{s:o,s:o,s:o,s:s,s:o,s:I,s:b}", "id", api_id(c->id), "document_id",
			 api_id(c->document_id), "author", api_person(c->author_id, c->author_name, c->author_handle),
			 "body", c->body, "body_html", api_body_html(a, c->body), "created_at", (json_int_t)c->created_at,
			 "may_delete", c->may_delete);
}

void api_documents_comments(struct request *r)
{
	struct doc_comment *cs;
	int64_t id = req_param_id(r, 0), next = 0, after = api_cursor(r);
	json_t *items;
	int n;

	if (after < 0)
		return;
	n = doc_comments_list(&r->dc, &r->me, id, after, 50, &cs, &next);
	if (n < 0) {
		doc_error(r, n == -2 ? D_NOT_FOUND : D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, api_comment(r->arena, &cs[i]));
	api_list(r, items, next);
}

void api_documents_comment_create(struct request *r)
{
	json_t *o = api_body(r);
	const char *body = NULL;
	int64_t id = req_param_id(r, 0), cid = 0;
	enum derr e;

	if (!o || api_str(r, o, "body", 0, &body))
		return;
	e = doc_comment_create(&r->dc, &r->me, id, body, &cid);
	if (e != D_OK) {
		doc_error(r, e, "body");
		return;
	}
	resp_json(r, 201, json_pack("{s:o}", "id", api_id(cid)));
}

void api_document_comments_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0), doc = 0;
	enum derr e = doc_comment_delete(&r->dc, &r->me, id, &doc);

	if (e != D_OK)
		doc_error(r, e, NULL);
	else
		api_no_content(r);
}

/* ?type= ?licence= ?group_id= ?from= ?to= ?sort=recent|title|downloads|size ?cursor= into f; -1 after answering 400. */
int api_doc_filter(struct request *r, struct doc_filter *f)
{
	const char *type = req_query(r, "type"), *lic = req_query(r, "licence"), *sort = req_query(r, "sort");
	const char *g = req_query(r, "group_id");
	int64_t cursor = api_cursor(r);

	if (cursor < 0)
		return -1;
	f->offset = cursor;
	f->limit = 20;
	if (type && *type) {
		if (!text_one_of(type, doc_kinds)) {
			resp_json_error(r, 400, "invalid_type", "type is one of image, video, audio, pdf, text, office, archive.");
			return -1;
		}
		f->kind = type;
	}
	if (lic && *lic) {
		if (!licence_find(lic)) {
			resp_json_error(r, 400, "invalid_licence", "Unknown licence code.");
			return -1;
		}
		f->licence = lic;
	}
	if (g && *g && (f->group_id = parse_id(g)) <= 0) {
		resp_json_error(r, 400, "invalid_group_id", "group_id must be a group's id.");
		return -1;
	}
	if (req_query_day(r, "from", 0, &f->from) < 0 || req_query_day(r, "to", 1, &f->to) < 0) {
		resp_json_error(r, 400, "invalid_parameter", "from and to are dates (YYYY-MM-DD).");
		return -1;
	}
	if (!sort || !*sort || !strcmp(sort, "recent"))
		f->sort = DOC_SORT_RECENT;
	else if (!strcmp(sort, "title"))
		f->sort = DOC_SORT_TITLE;
	else if (!strcmp(sort, "downloads"))
		f->sort = DOC_SORT_DOWNLOADS;
	else if (!strcmp(sort, "size"))
		f->sort = DOC_SORT_SIZE;
	else {
		resp_json_error(r, 400, "invalid_sort", "sort is recent, title, downloads or size.");
		return -1;
	}
	return 0;
}

static void list_documents(struct request *r, struct doc_filter *f)
{
	struct document *ds;
	int64_t next;
	int n = documents_list(&r->dc, &r->me, f, &ds, &next);

	api_answer_rows(r, n, ds, api_document, next);
}

/* GET /documents: mine and my groups' (?scope=all: every document I may see) */
void api_documents_list(struct request *r)
{
	struct doc_filter f = { 0 };
	const char *scope = req_query(r, "scope");

	if (api_doc_filter(r, &f) < 0)
		return;
	f.mine_and_groups = !(scope && !strcmp(scope, "all"));
	list_documents(r, &f);
}

/* GET /groups/{id:int}/documents: the group's resource bank */
void api_groups_documents(struct request *r)
{
	struct doc_filter f = { 0 };
	struct group_ref g;
	int64_t id = req_param_id(r, 0);

	if (access_load_group(&r->dc, id, &g) != D_OK || !access_may_see_group(&r->dc, &r->me, &g)) {
		doc_error(r, D_NOT_FOUND, NULL);
		return;
	}
	if (api_doc_filter(r, &f) < 0)
		return;
	f.group_id = id;
	list_documents(r, &f);
}

/* GET /users/{id:int}/documents */
void api_users_documents(struct request *r)
{
	struct doc_filter f = { 0 };
	int64_t id = req_param_id(r, 0);
	enum derr e = access_check(&r->dc, &r->me, AK_USER, id, AA_SEE);

	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	if (api_doc_filter(r, &f) < 0)
		return;
	f.author_id = id;
	list_documents(r, &f);
}

/* GET /me/storage */
void api_me_storage(struct request *r)
{
	struct storage_use u;

	if (storage_use_member(&r->dc, r->me.id, &u) < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:I,s:I}", "used", (json_int_t)u.used, "quota", (json_int_t)u.quota));
}
