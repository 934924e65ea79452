#include "cmd/cmd.h"

#include "domain/domain.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "domain/settings.h"
#include "util/clock.h"
#include "util/log.h"

int cmd_common_flags(int argc, char **argv, int start, struct config_flags *f, int allow_listen,
		     const char *usage, int *help)
{
	int i;

	*help = 0;
	for (i = start; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			*help = 1;
			printf("%s", usage);
			return i;
		}
		if (!strcmp(a, "--data"))
			slot = &f->data;
		else if (!strcmp(a, "--db"))
			slot = &f->db;
		else if (!strcmp(a, "--listen") && allow_listen)
			slot = &f->listen;
		else
			return i; /* the caller handles or rejects it */
		if (i + 1 >= argc || !argv[i + 1][0]) {
			fprintf(stderr, "respire: %s needs a value\n%s", a, usage);
			return -1;
		}
		*slot = argv[++i];
	}
	return i;
}

static int ensure_dir(const char *path)
{
	if (mkdir(path, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "respire: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The server-wide secret (CSRF MACs, signed links), made once and kept in the database. */
static int load_secret(struct app *app, struct db *db)
{
	struct db_stmt *st = db_query(db, "SELECT value FROM settings WHERE key = 'secret'", "");
	char hex[65];
	size_t got = 0;
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *v = db_col_text(st, 0);
		rc = v && sodium_hex2bin(app->secret, sizeof app->secret, v, strlen(v), NULL, &got, NULL) == 0 &&
		     got == sizeof app->secret ? 0 : -1;
		db_finish(st);
		return rc;
	}
	db_finish(st);
	if (rc != DB_DONE)
		return -1;
	randombytes_buf(app->secret, sizeof app->secret);
	sodium_bin2hex(hex, sizeof hex, app->secret, sizeof app->secret);
	/* Another instance may have made one meanwhile: keep the first, read it back. */
	if (db_exec(db, "INSERT INTO settings (key, value) VALUES ('secret', ?) ON CONFLICT (key) DO NOTHING",
		    "s", hex) < 0)
		return -1;
	return load_secret(app, db);
}

int app_open(struct app *app, const struct config_flags *f)
{
	char err[512], tmp[600], dbpath[600];
	struct db *db;
	int migrated;

	memset(app, 0, sizeof *app);
	if (sodium_init() < 0) {
		fprintf(stderr, "respire: libsodium cannot start\n");
		return -1;
	}
	if (config_load(&app->cfg, f, err, sizeof err) < 0) {
		fprintf(stderr, "respire: %s\n", err);
		return -1;
	}
	log_level = app->cfg.log_level;
	db_set_slow_ms(app->cfg.slow_query_ms);
	if (ensure_dir(app->cfg.data_dir) < 0)
		return -1;
	if (ensure_dir(app->cfg.files_dir) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s/tmp", app->cfg.files_dir);
	if (ensure_dir(tmp) < 0)
		return -1;
	pthread_mutex_init(&app->mu, NULL);
	if (db_pool_open(&app->pool, config_db(&app->cfg, dbpath, sizeof dbpath), app->cfg.threads + 2,
			 err, sizeof err) < 0) {
		fprintf(stderr, "respire: %s\n", err);
		return -1;
	}
	db = db_pool_get(app->pool);
	if (!db) {
		fprintf(stderr, "respire: cannot open the database\n");
		goto fail;
	}
	migrated = db_migrate(db);
	if (migrated < 0) {
		db_pool_put(app->pool, db);
		fprintf(stderr, "respire: the database schema could not be migrated (see the log above)\n");
		goto fail;
	}
	if (migrated > 0)
		LOG_I("database: applied %d migration(s), schema version %d", migrated, db_schema_version(db));
	if (load_secret(app, db) < 0) {
		db_pool_put(app->pool, db);
		fprintf(stderr, "respire: cannot read or create the server secret\n");
		goto fail;
	}
	db_pool_put(app->pool, db);
	snprintf(app->base_url, sizeof app->base_url, "%s", app->cfg.base_url);
	app->secure = !strncmp(app->cfg.base_url, "https://", 8);
	return 0;
fail:
	db_pool_close(app->pool);
	app->pool = NULL;
	return -1;
}

void app_close(struct app *app)
{
	settings_release(app->settings);
	app->settings = NULL;
	db_pool_close(app->pool);
	app->pool = NULL;
	sodium_memzero(app->secret, sizeof app->secret);
	pthread_mutex_destroy(&app->mu);
}

int cmd_dctx_open(struct app *app, struct dctx *dc)
{
	memset(dc, 0, sizeof *dc);
	dc->db = db_pool_get(app->pool);
	dc->arena = arena_new();
	/* a command works with the settings in force, as the server (imports
	 * check academies and themes) */
	dc->cfg = dc->db ? settings_acquire(dc, &app->cfg, &app->settings) : &app->cfg;
	dc->base_url = app->base_url;
	dc->secret = app->secret;
	dc->lang = "fr";
	dc->now = clock_now();
	return dc->db && dc->arena ? 0 : -1;
}

void cmd_dctx_close(struct app *app, struct dctx *dc)
{
	arena_free(dc->arena);
	dc->arena = NULL;
	if (dc->db)
		db_pool_put(app->pool, dc->db);
	dc->db = NULL;
}

void cmd_import_reject(void *arg, long line, const char *reason)
{
	(void)arg;
	printf("line %ld: %s\n", line, reason);
}

int cmd_import_report(const char *cmd, const char *path, int e, long created, long updated, long unchanged,
		      long rejected, const char *error, const char *note)
{
	if (e == D_OK) {
		printf("%ld created, %ld updated, %ld unchanged, %ld rejected%s\n", created, updated, unchanged,
		       rejected, note ? note : "");
		return 0;
	}
	fprintf(stderr, "%s: %s: %s\n", cmd, path, error ? error : "failed");
	if (created || updated)
		fprintf(stderr, "%s: %ld created and %ld updated before the failure\n", cmd, created, updated);
	return 1;
}
