#include "cmd/cmd.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char usage[] =
	"usage: respire serve [--listen HOST:PORT] [--data DIR] [--db URL]\n"
	"\n"
	"Migrates the schema, then serves Respire. Prints 'listening on http://HOST:PORT'\n"
	"once it accepts connections. SIGTERM or SIGINT stop it gracefully.\n"
	"Port 0 picks a free port. Environment: RESPIRE_LISTEN, RESPIRE_DATA, RESPIRE_DB,\n"
	"RESPIRE_BASE_URL, RESPIRE_ALLOWED_DOMAINS, RESPIRE_SMTP_URL (see README.md).\n";

int cmd_serve(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	sigset_t set;
	int help, i, rc;

	i = cmd_common_flags(argc, argv, 1, &f, 1, usage, &help);
	if (i < 0)
		return 2;
	if (help)
		return 0;
	if (i < argc) {
		fprintf(stderr, "respire serve: unknown argument '%s'\n%s", argv[i], usage);
		return 2;
	}
	/* Block the stop signals before any thread starts: main waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Dates on pages are French time unless the operator sets TZ. */
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
	rc = server_run(&app);
	app_close(&app);
	curl_global_cleanup();
	return rc;
}
