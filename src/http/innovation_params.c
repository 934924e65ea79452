#include "http/innovation_params.h"

#include <string.h>

#include "util/text.h"

int innovation_params(struct request *r, struct innovation_filter *f, const char **bad)
{
	static const char *const keys[] = { "q", "academy", "level", "subject", "theme", "type", "support", "uai" };
	const char **slots[] = { &f->q, &f->academy, &f->level, &f->subject, &f->theme, &f->type, &f->support,
		&f->uai };
	const char *year = req_query(r, "year"), *cursor = req_query(r, "cursor");

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = req_query(r, keys[i]);

		*slots[i] = v && *v ? v : NULL;
		*bad = keys[i];
		if (*slots[i] && !text_length_ok(*slots[i], 1, 200, 0))
			return -1;
	}
	*bad = "sort";
	f->sort = req_query(r, "sort");
	if (f->sort && !*f->sort)
		f->sort = NULL;
	if (f->sort && strcmp(f->sort, "relevance") && strcmp(f->sort, "recent"))
		return -1;
	*bad = "year";
	if (year && *year && ((f->year = parse_id(year)) < INNOVATION_YEAR_MIN || f->year > 9999))
		return -1;
	*bad = "cursor";
	if (cursor && *cursor && (f->before = parse_id(cursor)) <= 0)
		return -1;
	*bad = NULL;
	return 0;
}
