/* respire usage: what documents take, for operators. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/documents.h"

static const char usage[] =
	"usage: respire usage [--top N] [--data DIR] [--db URL]\n"
	"\n"
	"Prints the storage taken by documents: totals (every version, and on disk where\n"
	"identical files are kept once), the quotas, and the N members and groups that\n"
	"use the most (default 10).\n";

static void human(char *out, size_t len, int64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int i = 0;

	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	snprintf(out, len, i ? "%.1f %s" : "%.0f %s", v, units[i]);
}

int cmd_usage(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	struct storage_report rep;
	int help, i, top = 10, rc = 0;
	char a[32], b[32];

	i = cmd_common_flags(argc, argv, 1, &f, 0, usage, &help);
	if (i < 0)
		return 2;
	if (help)
		return 0;
	for (; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--top") && i + 1 < argc) {
			long n = strtol(argv[++i], &end, 10);

			if (*end || n < 1 || n > 1000) {
				fprintf(stderr, "respire usage: --top takes a number from 1 to 1000\n");
				return 2;
			}
			top = (int)n;
		} else {
			int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

			if (j < 0)
				return 2;
			if (help)
				return 0;
			if (j == i) {
				fprintf(stderr, "respire usage: unknown argument '%s'\n%s", argv[i], usage);
				return 2;
			}
			i = j - 1;
		}
	}
	if (app_open(&app, &f) < 0)
		return 1;
	cmd_dctx_open(&app, &dc);
	if (!dc.db || !dc.arena || storage_report(&dc, top, &rep) < 0) {
		fprintf(stderr, "respire usage: the database could not be read (see the log above)\n");
		rc = 1;
		goto out;
	}
	human(a, sizeof a, rep.logical);
	human(b, sizeof b, rep.stored);
	printf("documents: %lld, versions: %lld\n", (long long)rep.documents, (long long)rep.versions);
	printf("stored: %s counted against quotas, %s on disk in %lld files\n", a, b, (long long)rep.blobs);
	human(a, sizeof a, (int64_t)app.cfg.quota_member);
	human(b, sizeof b, (int64_t)app.cfg.quota_group);
	printf("quotas: %s per member, %s per group\n", a, b);
	printf("\nmembers using the most (their own space):\n");
	for (int k = 0; k < rep.nmembers; k++) {
		human(a, sizeof a, rep.members[k].used);
		printf("  %10s  #%lld %s\n", a, (long long)rep.members[k].id, rep.members[k].name);
	}
	printf("\ngroups using the most:\n");
	for (int k = 0; k < rep.ngroups; k++) {
		human(a, sizeof a, rep.groups[k].used);
		printf("  %10s  #%lld %s\n", a, (long long)rep.groups[k].id, rep.groups[k].name);
	}
out:
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	return rc;
}
