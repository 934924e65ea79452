#include "http/search_params.h"

#include <string.h>
#include <time.h>

#include "util/search_text.h"
#include "util/text.h"

/* A short single-line text parameter ("" is absent). */
static int text_param(struct request *r, const char *name, const char **out, size_t max)
{
	const char *v = req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!text_ok(v, 0) || strlen(v) > max)
		return -1;
	*out = v;
	return 0;
}

static int id_param(struct request *r, const char *name, int64_t *out)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (!v || !*v)
		return 0;
	return (*out = parse_id(v)) < 0 ? -1 : 0;
}

int req_query_day(struct request *r, const char *name, int days, int64_t *out)
{
	const char *v = req_query(r, name);
	struct tm tm = { 0 };
	char *end;
	time_t t;

	*out = 0;
	if (!v || !*v)
		return 0;
	end = strptime(v, "%Y-%m-%d", &tm);
	if (!end || *end || tm.tm_year < 70 || tm.tm_year > 1100)
		return -1;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int search_params(struct request *r, struct search_filter *f, const char **bad)
{
	const char *type = req_query(r, "type"), *cursor = req_query(r, "cursor");

	memset(f, 0, sizeof *f);
	*bad = "q";
	f->q = req_query(r, "q");
	if (f->q && (strlen(f->q) > SEARCH_QUERY_MAX || !text_ok(f->q, 0)))
		return -1;
	*bad = "type";
	if (type && *type) {
		char *copy = arena_strdup(r->arena, type), *save = NULL;

		if (!copy || strlen(type) > 100)
			return -1;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int k = -1;

			for (int i = 0; i < SEARCH_KINDS; i++)
				if (!strcmp(text_trim(t), search_kind_names[i]))
					k = i;
			if (k < 0)
				return -1;
			f->kinds |= 1u << k;
		}
	}
	if ((*bad = "group_id", id_param(r, "group_id", &f->group_id)) < 0 ||
	    (*bad = "author_id", id_param(r, "author_id", &f->author_id)) < 0 ||
	    (*bad = "from", req_query_day(r, "from", 0, &f->from)) < 0 ||
	    (*bad = "to", req_query_day(r, "to", 1, &f->to)) < 0 ||
	    (*bad = "subject", text_param(r, "subject", &f->subject, 100)) < 0 ||
	    (*bad = "level", text_param(r, "level", &f->level, 100)) < 0 ||
	    (*bad = "kind", text_param(r, "kind", &f->sub, 40)) < 0)
		return -1;
	*bad = "cursor";
	if (cursor && *cursor) {
		int64_t o = parse_id(cursor);

		if (o < 1 || o > SEARCH_OFFSET_MAX)
			return -1;
		f->offset = (int)o;
	}
	*bad = NULL;
	return 0;
}
