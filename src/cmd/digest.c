/* respire digest: today's daily digests now (cron, tests); serve does it
 * every hour from digest_hour (07:00) on. */
#include "cmd/cmd.h"
#include "util/clock.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/digest.h"
#include "domain/mailq.h"

static const char usage[] =
	"usage: respire digest [--force] [--data DIR] [--db URL]\n"
	"\n"
	"Sends today's daily digests to the members who asked for one and have not\n"
	"had today's yet, and prints how many were sent. Without --force nothing is\n"
	"sent before digest_hour (7, local time: TZ, Europe/Paris by default; with\n"
	"digest_hour = off, serve sends none and this command sends whenever run);\n"
	"--force skips that wait only: nobody gets two digests the same day.\n"
	"Links start with base_url (RESPIRE_BASE_URL): set it when running from cron.\n"
	"With smtp_url the mails are queued and handed to the SMTP server at once\n"
	"(a failure is retried by 'respire serve'); without it they are written to\n"
	"DATA/outbox.\n";

int cmd_digest(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	int help, i, force = 0, rc = 0, sent;

	for (i = 1; i < argc; i++) {
		int j;

		if (!strcmp(argv[i], "--force")) {
			force = 1;
			continue;
		}
		j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);
		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j == i) {
			fprintf(stderr, "respire digest: unknown argument '%s'\n%s", argv[i], usage);
			return 2;
		}
		i = j - 1;
	}
	/* The day and the hour are French unless the operator sets TZ. */
	if (!getenv("TZ"))
		setenv("TZ", "Europe/Paris", 1);
	tzset();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "respire: libcurl cannot start\n");
		return 1;
	}
	if (app_open(&app, &f) < 0) {
		curl_global_cleanup();
		return 1;
	}
	if (!app.base_url[0])
		snprintf(app.base_url, sizeof app.base_url, "http://%s%s%s:%u",
			 strchr(app.cfg.listen_host, ':') ? "[" : "", app.cfg.listen_host,
			 strchr(app.cfg.listen_host, ':') ? "]" : "", app.cfg.listen_port);
	dc.db = db_pool_get(app.pool);
	dc.arena = arena_new();
	dc.cfg = &app.cfg;
	dc.base_url = app.base_url;
	dc.secret = app.secret;
	dc.lang = "fr";
	dc.client_ip = "";
	dc.user_agent = "";
	dc.now = clock_now();
	if (!dc.db || !dc.arena || (sent = digest_run(&dc, force)) < 0) {
		fprintf(stderr, "respire digest: the database could not be used (see the log above)\n");
		rc = 1;
	} else {
		/* SMTP: hand them over now rather than wait for a server's worker. */
		if (app.cfg.smtp_url[0])
			for (int round = 0; round < 50 && mailq_deliver(&dc, 20) > 0; round++)
				;
		printf("digests sent: %d\n", sent);
	}
	arena_free(dc.arena);
	if (dc.db)
		db_pool_put(app.pool, dc.db);
	app_close(&app);
	curl_global_cleanup();
	return rc;
}
