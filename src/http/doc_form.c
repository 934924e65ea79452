/* A document's form, read alike for the page and the API (see doc_form.h). */
#include "http/doc_form.h"

#include <string.h>

#include "util/text.h"

/* Tags from a form: repeated fields, each possibly comma-separated. */
static int form_tags(struct request *r, const char *name, const char **out)
{
	const char *vals[DOC_TAGS_MAX * 2];
	int n = req_form_all(r, name, vals, DOC_TAGS_MAX * 2), k = 0;

	for (int i = 0; i < n; i++) {
		char *copy = arena_strdup(r->arena, vals[i]), *save = NULL;

		for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
			t = text_trim(t);
			if (!*t)
				continue;
			if (k == DOC_TAGS_MAX + 1)
				return k; /* too many: the domain says so */
			out[k++] = t;
		}
	}
	return k;
}

/* Fills a doc_input from the multipart fields (the domain checks them). */
void doc_form_read(struct request *r, struct doc_input *in, int with_tags)
{
	const char *g = req_form(r, "group_id");

	memset(in, 0, sizeof *in);
	in->title = req_form(r, "title");
	if (in->title && !*text_trim(arena_strdup(r->arena, in->title)))
		in->title = NULL;
	in->description = req_form(r, "description");
	in->licence = req_form(r, "licence");
	in->visibility = req_form(r, "visibility");
	if (in->licence && !*in->licence)
		in->licence = NULL;
	if (in->visibility && !*in->visibility)
		in->visibility = NULL;
	if (g && *g && (in->group_id = parse_id(g)) <= 0)
		in->group_id = -1;
	in->nsubjects = in->nlevels = -1;
	if (with_tags) {
		in->nsubjects = form_tags(r, "subjects", in->subjects);
		in->nlevels = form_tags(r, "levels", in->levels);
	}
}

/* The uploaded files of field "file", in the order sent. */
int doc_form_files(struct request *r, struct doc_file_in *out, int max)
{
	int n = 0;

	for (struct upload *u = r->uploads; u; u = u->next) {
		if (strcmp(u->field, "file"))
			continue;
		if (n == max)
			return max + 1;
		out[n].tmp_path = u->path;
		out[n].filename = u->filename;
		out[n].size = (int64_t)u->size;
		out[n].too_large = u->too_large;
		n++;
	}
	for (int i = 0; i < n / 2; i++) { /* the request keeps them newest first */
		struct doc_file_in t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}
