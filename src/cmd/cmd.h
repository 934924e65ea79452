/* Subcommands of the respire binary. Each returns the process exit code:
 * 0 success, 1 failure, 2 usage error. */
#ifndef RESPIRE_CMD_CMD_H
#define RESPIRE_CMD_CMD_H

#include "http/server.h"

int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_usage(int argc, char **argv);
int cmd_housekeeping(int argc, char **argv);
int cmd_reindex(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_schools(int argc, char **argv);
int cmd_innovations(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* The site serve hands to the server: every route, in the order of the
 * capability lists (routes_table.c), and the pages' error renderer. */
extern const struct site respire_site;
extern const struct route *const respire_routes[];

struct dctx;
/* CSV imports (schools, innovations) report alike: a rejected row as
 * "line N: reason" on stdout (an on_reject callback), and the end as
 * "N created, N updated, N unchanged, N rejected" (plus note) when e is D_OK,
 * else the file's error and what was written before it, on stderr, from
 * command cmd ("respire schools import"). Returns the exit status (0 or 1). */
void cmd_import_reject(void *arg, long line, const char *reason);
int cmd_import_report(const char *cmd, const char *path, int e, long created, long updated, long unchanged,
		      long rejected, const char *error, const char *note);

/* One round of housekeeping (also run by serve every ten minutes): expired
 * rows, upload leftovers, stored files unused for orphan_grace seconds.
 * verbose prints what was done on stdout. -1 when the database failed. */
int housekeeping_run(struct dctx *dc, long orphan_grace, int verbose);

/* Parses the flags every command shares (--data, --db, --listen when
 * allow_listen); returns the index of the first other argument, or -1 after
 * printing a usage error. */
int cmd_common_flags(int argc, char **argv, int start, struct config_flags *f, int allow_listen,
		     const char *usage, int *help);
/* Loads configuration, prepares the data folder, opens storage, migrates and
 * loads the server secret. Prints a clear message and returns -1 on failure. */
int app_open(struct app *app, const struct config_flags *f);
void app_close(struct app *app);
/* A domain context for a command: a connection from the app's pool, an arena,
 * the configuration, base URL, secret and time. -1 when one could not be had
 * (cmd_dctx_close frees what was). */
/* Copies the uploaded files (avatars/, objects/, thumbs/) of one files folder
 * into another; the number of files, or -1. */
int cmd_copy_files(const char *from_root, const char *to_root);

struct dctx;
int cmd_dctx_open(struct app *app, struct dctx *dc);
void cmd_dctx_close(struct app *app, struct dctx *dc);

#endif
