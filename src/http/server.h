/* The running server: configuration, storage pool, secrets. Shared by all
 * worker threads; everything mutable in it is behind its mutex. */
#ifndef RESPIRE_HTTP_SERVER_H
#define RESPIRE_HTTP_SERVER_H

#include <pthread.h>

#include "store/db.h"
#include "util/config.h"

struct app {
	struct config cfg;
	struct db_pool *pool;
	unsigned char secret[32];
	char base_url[512];
	int secure;                 /* base URL is https: cookies get Secure */
	pthread_mutex_t mu;
	unsigned active;            /* requests in flight */
	struct event_hub *hub;      /* live event streams (events.c) */
};

/* Serves until SIGTERM or SIGINT (which the caller has blocked); returns the exit code. */
int server_run(struct app *app);

#endif
