/* respire reindex: fills the search index again from the tables. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/search.h"

static const char usage[] =
	"usage: respire reindex [--texts] [--data DIR] [--db URL]\n"
	"\n"
	"Rebuilds the search index (people, groups, posts, replies, documents) from the\n"
	"tables, in one transaction; searches keep working meanwhile. The index is kept\n"
	"in step by the database itself, so this is for repairs and after restoring a\n"
	"partial backup. --texts also reads the text of every PDF, text and Markdown file\n"
	"again (a running server does it in the background).\n";

int cmd_reindex(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	int help, i, rc = 0, texts = 0;
	struct timespec t0, t1;

	i = cmd_common_flags(argc, argv, 1, &f, 0, usage, &help);
	if (i < 0)
		return 2;
	if (help)
		return 0;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--texts")) {
			texts = 1;
		} else {
			int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

			if (j < 0)
				return 2;
			if (help)
				return 0;
			if (j == i) {
				fprintf(stderr, "respire reindex: unknown argument '%s'\n%s", argv[i], usage);
				return 2;
			}
			i = j - 1;
		}
	}
	if (app_open(&app, &f) < 0)
		return 1;
	cmd_dctx_open(&app, &dc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!dc.db || !dc.arena || search_reindex(&dc, texts) < 0) {
		fprintf(stderr, "respire reindex: the index could not be rebuilt (see the log above)\n");
		rc = 1;
	} else {
		int64_t n = 0;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		db_int(dc.db, &n, "SELECT count(*) FROM search_items", "");
		printf("search index rebuilt: %lld items in %.1f s%s\n", (long long)n,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		       texts ? "; file texts will be read again by the server" : "");
	}
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	return rc;
}
