/* respire housekeeping: what serve does every ten minutes, once, for
 * operators (cron on instances that do not serve) and tests. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/account.h"
#include "domain/documents.h"
#include "domain/mailq.h"
#include "domain/stats.h"
#include "store/blobs.h"
#include "util/log.h"

static const char usage[] =
	"usage: respire housekeeping [--grace SECONDS] [--data DIR] [--db URL]\n"
	"\n"
	"Removes expired sessions, tokens and login attempts, upload leftovers older\n"
	"than a day, stored files that no document has used for SECONDS (default\n"
	"600), sent or failed mails older than 30 days; rolls up the statistics of\n"
	"the days that are over and removes those past their limits (13 months for\n"
	"pseudonymous rows, 25 months for counts). 'respire serve' does the\n"
	"same every ten minutes.\n";

int housekeeping_run(struct dctx *dc, long orphan_grace, int verbose)
{
	int64_t n = account_housekeeping(dc);
	int files = blob_sweep_tmp(dc->cfg->files_dir, 24 * 3600);
	int orphans = documents_collect_orphans(dc, orphan_grace, 1000);
	int64_t mails = mailq_purge(dc, MAILQ_KEEP);
	/* Statistics: this server's buffered events first, then yesterday's
	 * raw events rolled up and what is past its limit removed. */
	int stats = (dc->stats ? stats_flush(dc) : 0) < 0 ? -1 : stats_housekeeping(dc);

	int64_t analyzed = 0;

	/* Planner statistics once a day (see db_analyze). */
	if (db_int(dc->db, &analyzed, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'analyzed_at'", "") >= 0 &&
	    analyzed < dc->now - 86400) {
		if (db_analyze(dc->db) == 0 &&
		    db_exec(dc->db, "INSERT INTO settings (key, value) VALUES ('analyzed_at', ?)"
			    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", "s",
			    arena_printf(dc->arena, "%lld", (long long)dc->now)) >= 0)
			LOG_I("housekeeping: planner statistics refreshed");
	}
	if (n > 0)
		LOG_I("housekeeping: removed %lld expired rows", (long long)n);
	if (files > 0)
		LOG_I("housekeeping: removed %d upload leftovers", files);
	if (orphans > 0)
		LOG_I("housekeeping: removed %d stored files no document uses", orphans);
	if (mails > 0)
		LOG_I("housekeeping: removed %lld old mail rows", (long long)mails);
	if (stats < 0)
		LOG_E("housekeeping: the statistics could not be rolled up");
	if (verbose)
		printf("expired rows: %lld, upload leftovers: %d, unused files: %d\n", (long long)(n > 0 ? n : 0),
		       files > 0 ? files : 0, orphans > 0 ? orphans : 0);
	return n < 0 || orphans < 0 || mails < 0 || stats < 0 ? -1 : 0;
}

int cmd_housekeeping(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	int help, i, rc = 0;
	long grace = BLOB_ORPHAN_GRACE;

	i = cmd_common_flags(argc, argv, 1, &f, 0, usage, &help);
	if (i < 0)
		return 2;
	if (help)
		return 0;
	for (; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--grace") && i + 1 < argc) {
			grace = strtol(argv[++i], &end, 10);
			if (*end || !*argv[i] || grace < 0 || grace > 365L * 24 * 3600) {
				fprintf(stderr, "respire housekeeping: --grace takes a number of seconds (0 to a year)\n");
				return 2;
			}
		} else {
			int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

			if (j < 0)
				return 2;
			if (help)
				return 0;
			if (j == i) {
				fprintf(stderr, "respire housekeeping: unknown argument '%s'\n%s", argv[i], usage);
				return 2;
			}
			i = j - 1;
		}
	}
	if (app_open(&app, &f) < 0)
		return 1;
	cmd_dctx_open(&app, &dc);
	if (!dc.db || !dc.arena || housekeeping_run(&dc, grace, 1) < 0) {
		fprintf(stderr, "respire housekeeping: the database could not be used (see the log above)\n");
		rc = 1;
	}
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	return rc;
}
