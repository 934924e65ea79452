#include "cmd/cmd.h"

#include <pthread.h>
#include "domain/account.h"
#include "util/log.h"

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
	"RESPIRE_FILES, RESPIRE_BASE_URL, RESPIRE_ALLOWED_DOMAINS, RESPIRE_SMTP_URL,\n"
	"RESPIRE_MAIL_FROM, RESPIRE_MAX_BODY, RESPIRE_THREADS, RESPIRE_PER_IP_LIMIT,\n"
	"RESPIRE_TRUSTED_PROXIES, RESPIRE_LOG_LEVEL; and DATA/respire.conf (see README.md).\n";

/* Housekeeping every ten minutes until told to stop. */
struct janitor {
	struct app *app;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

static void *janitor_main(void *arg)
{
	struct janitor *j = arg;

	pthread_mutex_lock(&j->mu);
	while (!j->stop) {
		struct timespec until;
		struct dctx dc = { 0 };

		pthread_mutex_unlock(&j->mu);
		dc.db = db_pool_get(j->app->pool);
		dc.arena = arena_new();
		dc.cfg = &j->app->cfg;
		dc.now = (int64_t)time(NULL);
		if (dc.db && dc.arena) {
			int64_t n = account_housekeeping(&dc);
			if (n > 0)
				LOG_I("housekeeping: removed %lld expired rows", (long long)n);
		}
		arena_free(dc.arena);
		db_pool_put(j->app->pool, dc.db);
		pthread_mutex_lock(&j->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 600;
		while (!j->stop && pthread_cond_timedwait(&j->cv, &j->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

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
	struct janitor jan = { &app, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	pthread_t jt;
	int have_jt = pthread_create(&jt, NULL, janitor_main, &jan) == 0;

	rc = server_run(&app);
	if (have_jt) {
		pthread_mutex_lock(&jan.mu);
		jan.stop = 1;
		pthread_cond_signal(&jan.cv);
		pthread_mutex_unlock(&jan.mu);
		pthread_join(jt, NULL);
	}
	app_close(&app);
	curl_global_cleanup();
	return rc;
}
