/* respire backup DIR and respire restore DIR: a consistent copy of a
 * network (database and files) taken while the server serves, and its
 * return. SQLite through its online backup API (one read transaction: one
 * state of the database, writers never blocked); PostgreSQL through
 * pg_dump's snapshot (custom format), back with pg_restore. The database is
 * copied first, then the files: a file is stored before the row that names
 * it, so every file the copy names is there (files added meanwhile are
 * extra, harmless). */
#include "cmd/cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

static const char backup_usage[] =
	"usage: respire backup DIR [--data DIR] [--db URL]\n"
	"\n"
	"Writes a consistent copy of the network into DIR (new, or an empty folder)\n"
	"while the server keeps serving: the database (SQLite: respire.db, a data\n"
	"folder that 'respire serve --data DIR' opens; PostgreSQL: respire.pgdump,\n"
	"made by pg_dump) and the uploaded files (avatars/, objects/, thumbs/).\n"
	"BACKUP describes it. Restore with 'respire restore DIR'.\n";

static const char restore_usage[] =
	"usage: respire restore DIR [--data DIR] [--db URL]\n"
	"\n"
	"Puts a backup made by 'respire backup' back: a SQLite backup into a data\n"
	"folder without a database, a PostgreSQL backup into an empty database\n"
	"(--db URL, with pg_restore), and its files into the files folder.\n";

/* Common flags and one positional DIR; -1 after a usage message. */
static int parse(int argc, char **argv, struct config_flags *f, const char **dir, const char *usage, int *help)
{
	*dir = NULL;
	for (int i = 1; i < argc;) {
		int j = cmd_common_flags(argc, argv, i, f, 0, usage, help);

		if (j < 0)
			return -1;
		if (*help || j >= argc)
			break;
		if (argv[j][0] != '-' && !*dir && argv[j][0]) {
			*dir = argv[j];
			i = j + 1;
			continue;
		}
		fprintf(stderr, "respire: unknown or extra argument '%s'\n%s", argv[j], usage);
		return -1;
	}
	if (!*help && !*dir) {
		fprintf(stderr, "respire: DIR is required\n%s", usage);
		return -1;
	}
	return 0;
}

/* DIR new (created) or an empty folder; -1 with a message. */
static int empty_dir(const char *cmd, const char *dir)
{
	DIR *d;
	struct dirent *e;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST || !(d = opendir(dir))) {
		fprintf(stderr, "respire %s: cannot create %s: %s\n", cmd, dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			fprintf(stderr, "respire %s: %s is not empty\n", cmd, dir);
			return -1;
		}
	closedir(d);
	return 0;
}

/* Runs a program (PATH searched), its output on ours; its exit status. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "respire: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	ssize_t k = 0;

	if (in >= 0)
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (in >= 0 && out >= 0) {
		while ((k = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)k) != k) {
				k = -1;
				break;
			}
		rc = k == 0 && fsync(out) == 0 ? 0 : -1;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	return rc;
}

static int is_postgres(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

int cmd_backup(int argc, char **argv)
{
	struct config_flags f = { 0 };
	const char *dir;
	char path[1200], tmp[1100], url[1100];
	struct app app;
	struct db *db;
	int help = 0, rc = 1, files = -1, schema = -1, pg;
	FILE *m;

	if (parse(argc, argv, &f, &dir, backup_usage, &help) < 0)
		return 2;
	if (help)
		return 0;
	if (empty_dir("backup", dir) < 0)
		return 1;
	if (app_open(&app, &f) < 0)
		return 1;
	snprintf(url, sizeof url, "%s", config_db(&app.cfg, tmp, sizeof tmp));
	pg = is_postgres(url);
	db = db_pool_get(app.pool);
	schema = db ? db_schema_version(db) : -1;
	db_pool_put(app.pool, db);
	if (schema < 0) {
		fprintf(stderr, "respire backup: cannot read the database (see the log above)\n");
		goto out;
	}
	if (pg) {
		char file[1300], dbarg[1200];
		char *args[] = { "pg_dump", "--format=custom", "--no-owner", "--no-privileges", file, dbarg, NULL };

		snprintf(file, sizeof file, "--file=%s/respire.pgdump", dir);
		snprintf(dbarg, sizeof dbarg, "--dbname=%s", url);
		if (run(args) != 0) {
			fprintf(stderr, "respire backup: pg_dump failed (is postgresql-client installed?)\n");
			goto out;
		}
	} else {
		char err[600];

		snprintf(path, sizeof path, "%s/respire.db", dir);
		if (db_sqlite_backup(url, path, err, sizeof err) < 0 || chmod(path, 0600) < 0) {
			fprintf(stderr, "respire backup: %s\n", err);
			goto out;
		}
	}
	files = cmd_copy_files(app.cfg.files_dir, dir);
	if (files < 0) {
		fprintf(stderr, "respire backup: cannot copy the files of %s: %s\n", app.cfg.files_dir, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof path, "%s/BACKUP", dir);
	m = fopen(path, "w");
	if (!m || fprintf(m, "respire backup 1\nbackend %s\nschema %d\ncreated %lld\nfiles %d\n", pg ? "postgres" : "sqlite",
			   schema, (long long)time(NULL), files) < 0 || fclose(m) != 0) {
		fprintf(stderr, "respire backup: cannot write %s\n", path);
		goto out;
	}
	printf("backup of the %s database (schema %d) and %d files written to %s\n", pg ? "PostgreSQL" : "SQLite",
	       schema, files, dir);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct config cfg;
	const char *dir;
	char path[1200], err[600], tmp[1100], url[1100], backend[32] = "";
	int help = 0, files, schema = 0;
	struct app app;
	struct stat sb;
	FILE *m;

	if (parse(argc, argv, &f, &dir, restore_usage, &help) < 0)
		return 2;
	if (help)
		return 0;
	snprintf(path, sizeof path, "%s/BACKUP", dir);
	m = fopen(path, "r");
	if (!m || fscanf(m, "respire backup 1 backend %31s schema %d", backend, &schema) != 2) {
		fprintf(stderr, "respire restore: %s is not a backup made by respire backup (no BACKUP)\n", dir);
		if (m)
			fclose(m);
		return 1;
	}
	fclose(m);
	if (config_load(&cfg, &f, err, sizeof err) < 0) {
		fprintf(stderr, "respire restore: %s\n", err);
		return 1;
	}
	if (mkdir(cfg.data_dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "respire restore: cannot create %s: %s\n", cfg.data_dir, strerror(errno));
		return 1;
	}
	snprintf(url, sizeof url, "%s", config_db(&cfg, tmp, sizeof tmp));
	if (strcmp(backend, is_postgres(url) ? "postgres" : "sqlite")) {
		fprintf(stderr, "respire restore: a %s backup goes back into %s (respire export and import move a network "
			"between SQLite and PostgreSQL)\n", backend, !strcmp(backend, "postgres") ? "PostgreSQL (--db URL)" : "SQLite");
		return 1;
	}
	if (!strcmp(backend, "sqlite")) {
		char src[1200];

		if (stat(url, &sb) == 0) {
			fprintf(stderr, "respire restore: %s already exists: restore into a data folder without a database\n", url);
			return 1;
		}
		snprintf(src, sizeof src, "%s/respire.db", dir);
		if (copy_file(src, url) < 0) {
			fprintf(stderr, "respire restore: cannot copy %s to %s: %s\n", src, url, strerror(errno));
			unlink(url);
			return 1;
		}
	} else {
		struct db_pool *pool = NULL;
		struct db *db;
		int64_t tables = -1;
		char file[1300], dbarg[1200];
		char *args[] = { "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", dbarg, file, NULL };

		if (db_pool_open(&pool, url, 1, err, sizeof err) < 0) {
			fprintf(stderr, "respire restore: %s\n", err);
			return 1;
		}
		db = db_pool_get(pool);
		if (db)
			db_int(db, &tables, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
			       "");
		db_pool_put(pool, db);
		db_pool_close(pool);
		if (tables != 0) {
			fprintf(stderr, "respire restore: the database is not empty: restore into a new database\n");
			return 1;
		}
		snprintf(file, sizeof file, "%s/respire.pgdump", dir);
		snprintf(dbarg, sizeof dbarg, "--dbname=%s", url);
		if (run(args) != 0) {
			fprintf(stderr, "respire restore: pg_restore failed\n");
			return 1;
		}
	}
	if (mkdir(cfg.files_dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "respire restore: cannot create %s: %s\n", cfg.files_dir, strerror(errno));
		return 1;
	}
	files = cmd_copy_files(dir, cfg.files_dir);
	if (files < 0) {
		fprintf(stderr, "respire restore: cannot copy the files into %s: %s\n", cfg.files_dir, strerror(errno));
		return 1;
	}
	/* Opens it as serve would: the schema brought up to this version. */
	if (app_open(&app, &f) < 0)
		return 1;
	app_close(&app);
	printf("restored the %s database (schema %d) and %d files from %s\n", !strcmp(backend, "sqlite") ? "SQLite" :
	       "PostgreSQL", schema, files, dir);
	return 0;
}
