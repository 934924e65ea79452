/* respire migrate, export and import: schema upgrades and moving a whole
 * network between SQLite and PostgreSQL (data and files). */
#include "cmd/cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/transfer.h"

static const char migrate_usage[] =
	"usage: respire migrate [--data DIR] [--db URL]\n"
	"\n"
	"Brings the database schema to this version of Respire (serve does it too).\n";

static const char export_usage[] =
	"usage: respire export --out DIR [--data DIR] [--db URL]\n"
	"\n"
	"Writes the whole network into DIR: respire.jsonl (every table) and the\n"
	"uploaded files (avatars/). Run it while no server writes, or on a copy.\n";

static const char import_usage[] =
	"usage: respire import --in DIR [--data DIR] [--db URL]\n"
	"\n"
	"Loads an export into an empty database (SQLite or PostgreSQL) and copies its\n"
	"files into the data folder, in one transaction.\n";

/* Parses the common flags plus one "--NAME VALUE"; returns -1 after a usage message. */
static int parse(int argc, char **argv, struct config_flags *f, const char *name, const char **value,
		 const char *usage, int *help)
{
	for (int i = 1; i < argc;) {
		int j = cmd_common_flags(argc, argv, i, f, 0, usage, help);

		if (j < 0)
			return -1;
		if (*help || j >= argc)
			return 0;
		if (name && !strcmp(argv[j], name) && j + 1 < argc && argv[j + 1][0]) {
			*value = argv[j + 1];
			i = j + 2;
			continue;
		}
		fprintf(stderr, "respire: unknown or incomplete argument '%s'\n%s", argv[j], usage);
		return -1;
	}
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct db *db;
	int help, v;

	if (parse(argc, argv, &f, NULL, NULL, migrate_usage, &help) < 0)
		return 2;
	if (help)
		return 0;
	if (app_open(&app, &f) < 0) /* migrates */
		return 1;
	db = db_pool_get(app.pool);
	v = db ? db_schema_version(db) : -1;
	db_pool_put(app.pool, db);
	app_close(&app);
	if (v < 0)
		return 1;
	printf("schema version %d\n", v);
	return 0;
}

/* Copies every regular file of from/ into to/ (created); returns the count or -1. */
/* Copies the files of a folder and its subfolders (stored documents sit in
 * objects/ab/cd/); returns how many, -1 on error. */
static int copy_files(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int n = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	if (mkdir(to, 0750) < 0 && errno != EEXIST) {
		closedir(d);
		return -1;
	}
	while ((e = readdir(d))) {
		char src[1200], dst[1200], buf[65536];
		int in, out;
		ssize_t k;
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		snprintf(src, sizeof src, "%s/%s", from, e->d_name);
		snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
		if (stat(src, &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			int k2 = copy_files(src, dst);

			if (k2 < 0) {
				closedir(d);
				return -1;
			}
			n += k2;
			continue;
		}
		if (!S_ISREG(sb.st_mode))
			continue;
		in = open(src, O_RDONLY | O_CLOEXEC);
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
		if (in < 0 || out < 0) {
			if (in >= 0)
				close(in);
			if (out >= 0)
				close(out);
			closedir(d);
			return -1;
		}
		while ((k = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)k) != k) {
				k = -1;
				break;
			}
		close(in);
		if (close(out) < 0 || k < 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

/* The folders of uploaded files: avatars, stored documents, thumbnails. */
static const char *const file_dirs[] = { "avatars", "objects", "thumbs" };

int cmd_copy_files(const char *from_root, const char *to_root)
{
	int n = 0;

	for (size_t i = 0; i < sizeof file_dirs / sizeof file_dirs[0]; i++) {
		char from[1100], to[1100];
		int k;

		snprintf(from, sizeof from, "%s/%s", from_root, file_dirs[i]);
		snprintf(to, sizeof to, "%s/%s", to_root, file_dirs[i]);
		if ((k = copy_files(from, to)) < 0)
			return -1;
		n += k;
	}
	return n;
}

int cmd_export(int argc, char **argv)
{
	struct config_flags f = { 0 };
	const char *dir = NULL;
	char path[1100];
	struct app app;
	struct db *db;
	FILE *out;
	long rows;
	int help, files;

	if (parse(argc, argv, &f, "--out", &dir, export_usage, &help) < 0)
		return 2;
	if (help)
		return 0;
	if (!dir) {
		fprintf(stderr, "respire export: --out DIR is required\n%s", export_usage);
		return 2;
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "respire export: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (app_open(&app, &f) < 0)
		return 1;
	snprintf(path, sizeof path, "%s/respire.jsonl", dir);
	{
		/* Password hashes and the server secret are inside: owner only. */
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && !out)
			close(fd);
	}
	db = db_pool_get(app.pool);
	rows = out && db ? store_export(db, out) : -1;
	if (out && fclose(out) != 0)
		rows = -1;
	db_pool_put(app.pool, db);
	files = rows >= 0 ? cmd_copy_files(app.cfg.files_dir, dir) : -1;
	app_close(&app);
	if (rows < 0 || files < 0) {
		fprintf(stderr, "respire export: failed (see the log above)\n");
		return 1;
	}
	printf("exported %ld rows and %d files to %s\n", rows, files, dir);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct config_flags f = { 0 };
	const char *dir = NULL;
	char path[1100], to[1100], err[512] = "";
	struct app app;
	struct db *db;
	FILE *in;
	long rows;
	int help, files;

	if (parse(argc, argv, &f, "--in", &dir, import_usage, &help) < 0)
		return 2;
	if (help)
		return 0;
	if (!dir) {
		fprintf(stderr, "respire import: --in DIR is required\n%s", import_usage);
		return 2;
	}
	snprintf(path, sizeof path, "%s/respire.jsonl", dir);
	in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "respire import: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (app_open(&app, &f) < 0) {
		fclose(in);
		return 1;
	}
	db = db_pool_get(app.pool);
	rows = db ? store_import(db, in, err, sizeof err) : -1;
	fclose(in);
	db_pool_put(app.pool, db);
	snprintf(to, sizeof to, "%s", app.cfg.files_dir);
	files = rows >= 0 ? cmd_copy_files(dir, to) : -1;
	app_close(&app);
	if (rows < 0) {
		fprintf(stderr, "respire import: %s\n", err[0] ? err : "failed (see the log above)");
		return 1;
	}
	if (files < 0) {
		fprintf(stderr, "respire import: the data is in, but files could not be copied to %s\n", to);
		return 1;
	}
	printf("imported %ld rows and %d files from %s\n", rows, files, dir);
	return 0;
}
