#include "cmd/cmd.h"

#include <pthread.h>
#include "domain/account.h"
#include "domain/digest.h"
#include "domain/documents.h"
#include "domain/mailq.h"
#include "domain/stats.h"
#include "store/blobs.h"
#include "util/clock.h"
#include "util/log.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/resource.h>
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
	"RESPIRE_MAIL_FROM, RESPIRE_MAX_BODY, RESPIRE_MAX_UPLOAD, RESPIRE_QUOTA_MEMBER,\n"
	"RESPIRE_QUOTA_GROUP, RESPIRE_THREADS, RESPIRE_PER_IP_LIMIT,\n"
	"RESPIRE_TRUSTED_PROXIES, RESPIRE_LOG_LEVEL; and DATA/respire.conf (see README.md).\n";

/* A background worker: runs its job every `every` seconds (the first time
 * after `first` seconds) until told to stop; worker_kick runs it at once. */
struct worker {
	struct app *app;
	int every, first;
	void (*job)(struct dctx *dc);
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, kicked;
	pthread_t thread;
	int started;
};

/* Waits up to seconds, or until stopped or kicked; called with w->mu held. */
static void worker_wait(struct worker *w, int seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	while (!w->stop && !w->kicked && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
		;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->mu);
	if (w->first > 0)
		worker_wait(w, w->first);
	while (!w->stop) {
		struct dctx dc = { 0 };
		char base[sizeof w->app->base_url];

		w->kicked = 0;
		pthread_mutex_unlock(&w->mu);
		/* The base URL is set once the server listens (server_run). */
		pthread_mutex_lock(&w->app->mu);
		snprintf(base, sizeof base, "%s", w->app->base_url);
		pthread_mutex_unlock(&w->app->mu);
		dc.db = db_pool_get(w->app->pool);
		dc.arena = arena_new();
		dc.cfg = &w->app->cfg;
		dc.base_url = base;
		dc.secret = w->app->secret;
		dc.lang = "fr";
		dc.client_ip = "";
		dc.user_agent = "";
		dc.now = clock_now();
		dc.stats = w->app->stats;
		if (dc.db && dc.arena) {
			w->job(&dc);
			mailq_flush(&dc);
		}
		arena_free(dc.arena);
		if (dc.db)
			db_pool_put(w->app->pool, dc.db);
		pthread_mutex_lock(&w->mu);
		worker_wait(w, w->every);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void worker_start(struct worker *w, struct app *app, int every, int first, void (*job)(struct dctx *))
{
	w->app = app;
	w->every = every;
	w->first = first;
	w->job = job;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->stop = 0;
	w->kicked = 0;
	w->started = pthread_create(&w->thread, NULL, worker_main, w) == 0;
	if (!w->started)
		LOG_E("serve: cannot start a background worker");
}

static void worker_kick(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void worker_stop(struct worker *w)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
}

/* Expired sessions, tokens and attempts, day-old upload leftovers, unused
 * stored files: every ten minutes (cmd/housekeeping.c). */
static void housekeeping(struct dctx *dc)
{
	housekeeping_run(dc, BLOB_ORPHAN_GRACE, 0);
}

/* Thumbnails, poster frames and the text of new uploads: every two seconds, a few at a time. */
static void media(struct dctx *dc)
{
	int n = documents_make_thumbnails(dc, 20);
	int t = documents_extract_texts(dc, 10);

	if (n > 0)
		LOG_D("media: %d thumbnails handled", n);
	if (t > 0)
		LOG_D("media: the text of %d files read for search", t);
}

/* The mail queue: every second, and at once when a request queued mail. */
static void mail(struct dctx *dc)
{
	int n = mailq_deliver(dc, 20);

	if (n > 0)
		LOG_D("mail: %d message(s) handled", n);
}

static struct worker mail_worker;

static void mail_wake(void)
{
	worker_kick(&mail_worker);
}

/* Statistics: the buffered page views and actions written every two
 * seconds, and at once when the buffer fills (domain/stats.c). */
static void stats_write(struct dctx *dc)
{
	int n = stats_flush(dc);

	if (n > 0)
		LOG_D("stats: %d events written", n);
}

static struct worker stats_worker;

static void stats_wake(void)
{
	worker_kick(&stats_worker);
}

/* Daily digests: every hour (cmd/digest.c does it on demand). */
static void digests(struct dctx *dc)
{
	digest_run(dc, 0);
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
	/* Live streams hold a connection each: as many descriptors as allowed. */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
				LOG_W("serve: cannot raise the limit of open files");
		}
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
	struct worker janitor = { 0 }, media_worker = { 0 }, digest_worker = { 0 };

	/* Before the threads start: requests wake the mail worker through it. */
	mailq_set_waker(mail_wake);
	if (!app.cfg.stats_off && !(app.stats = stats_recorder_new()))
		LOG_E("serve: no memory for the statistics: nothing will be recorded");
	stats_set_waker(app.stats, stats_wake);
	if (app.stats)
		worker_start(&stats_worker, &app, 2, 0, stats_write);
	worker_start(&janitor, &app, 600, 0, housekeeping);
	worker_start(&media_worker, &app, 2, 0, media);
	worker_start(&mail_worker, &app, 1, 0, mail);
	/* A minute after start, then hourly: the server has its base URL by
	 * then. digest_hour = off leaves digests to 'respire digest' (cron). */
	if (app.cfg.digest_hour >= 0)
		worker_start(&digest_worker, &app, 3600, 60, digests);
	rc = server_run(&app, &respire_site);
	worker_stop(&digest_worker);
	worker_stop(&mail_worker);
	worker_stop(&media_worker);
	worker_stop(&janitor);
	/* The last events: written once the requests are over. */
	if (app.stats) {
		worker_stop(&stats_worker);
		struct dctx dc = { 0 };

		dc.db = db_pool_get(app.pool);
		dc.arena = arena_new();
		dc.cfg = &app.cfg;
		dc.now = clock_now();
		dc.stats = app.stats;
		if (dc.db && dc.arena)
			stats_flush(&dc);
		arena_free(dc.arena);
		if (dc.db)
			db_pool_put(app.pool, dc.db);
		stats_recorder_free(app.stats);
		app.stats = NULL;
	}
	app_close(&app);
	curl_global_cleanup();
	return rc;
}
