/* The running server: configuration, storage pool, secrets. Shared by all
 * worker threads; everything mutable in it is behind its mutex. */
#ifndef RESPIRE_HTTP_SERVER_H
#define RESPIRE_HTTP_SERVER_H

#include <jansson.h>
#include <pthread.h>

#include "store/db.h"
#include "util/config.h"

struct chat_message;
struct request;
struct route;

/* What the layers above give the server (cmd/serve.c): http/ knows no page
 * and no JSON route. */
struct site {
	/* Lists of routes, each ended by { 0 }, the whole by NULL (router.h). */
	const struct route *const *routes;
	/* Draws the page of an error: status, and the i18n key of its text
	 * (NULL: the status's own text). */
	void (*error_page)(struct request *r, int status, const char *key);
	/* A chat message as a room's live stream sends it (the API's shape). */
	json_t *(*stream_message)(struct arena *a, const struct chat_message *m);
};

struct app {
	struct config cfg;
	struct db_pool *pool;
	unsigned char secret[32];
	char base_url[512];
	int secure;                 /* base URL is https: cookies get Secure */
	pthread_mutex_t mu;
	unsigned active;            /* requests in flight */
	struct event_hub *hub;      /* live event streams (events.c) */
	const struct site *site;    /* set by server_run */
	void *settings;             /* commands: the settings in force, held (domain/settings.h) */
	struct stats_recorder *stats; /* page views and actions (domain/stats.h); NULL: statistics off */
};

/* Serves site until SIGTERM or SIGINT (which the caller has blocked);
 * returns the exit code. A malformed or ambiguous route table is refused. */
int server_run(struct app *app, const struct site *site);

#endif
