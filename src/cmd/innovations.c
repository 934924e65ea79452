/* respire innovations import FILE.csv: loads innovation records. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "domain/innovations_import.h"

static const char usage[] =
	"usage: respire innovations import FILE.csv [--dry-run] [--as EMAIL] [--data DIR] [--db URL]\n"
	"\n"
	"Loads innovation records from a CSV whose columns are the JSON field names\n"
	"that GET /innovations.csv writes (an export imports back): UTF-8 (a byte-order\n"
	"mark is fine), ';' or ',' separated (detected from the header line), quoted\n"
	"fields as in RFC 4180, list cells with their values separated by '|'.\n"
	"\n"
	"Required columns: ref, title, academy, type, started_year, duration_years.\n"
	"Optional: summary, uai, levels, subjects, themes, keywords, aims, actions,\n"
	"evaluation, effects, partners, coauthors (member ids or e-mail addresses),\n"
	"visibility, support, support_comment, coordinator_email. id and unknown\n"
	"columns are ignored; an absent optional column leaves the field as it is.\n"
	"\n"
	"Idempotent by ref (the bank's own identifier): a new ref creates a record, a\n"
	"known one updates it (keeping a revision, as an edit does) or leaves it\n"
	"unchanged. The coordinator is the member named by coordinator_email, else the\n"
	"importing admin: --as EMAIL (an admin's address), by default the oldest admin\n"
	"account. Rows are checked as the API checks them; a bad row is skipped and\n"
	"reported as 'line N: reason' (the header is line 1), the others are imported,\n"
	"each in its own transaction. --dry-run checks everything and writes nothing.\n"
	"The last line counts:\n"
	"  N created, N updated, N unchanged, N rejected\n"
	"\n"
	"Exit status: 0 when the file was read (rejected rows included), 1 when it\n"
	"cannot be read or is refused as a whole (no header, a required column\n"
	"missing) or the database failed, 2 for a usage error.\n";

/* The importing admin: the account of email, else the oldest admin. */
static int find_admin(struct dctx *dc, const char *email, struct viewer *v)
{
	struct db_stmt *st;
	int found = 0;

	memset(v, 0, sizeof *v);
	if (email)
		st = db_query(dc->db, "SELECT id, name, email FROM users WHERE lower(email) = lower(?)"
			      " AND status = 'active' AND site_role = 'admin'", "s", email);
	else
		st = db_query(dc->db, "SELECT id, name, email FROM users WHERE status = 'active' AND site_role = 'admin'"
			      " ORDER BY id LIMIT 1", "");
	if (st && db_step(st) == DB_ROW) {
		v->id = db_col_int(st, 0);
		v->name = db_col_dup(st, 1, dc->arena);
		v->email = db_col_dup(st, 2, dc->arena);
		v->admin = 1;
		found = 1;
	}
	if (db_finish(st) < 0 || !st)
		return -1;
	return found;
}

static int import(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	struct innovations_import im = { 0 };
	struct viewer admin;
	const char *path = NULL, *as = NULL;
	int help, i, rc = 0, found;
	FILE *in;
	enum derr e;

	for (i = 1; i < argc; i++) {
		int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j > i) {
			i = j - 1;
		} else if (!strcmp(argv[i], "--dry-run")) {
			im.dry_run = 1;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			as = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "respire innovations import: unknown option '%s'\n%s", argv[i], usage);
			return 2;
		} else if (path) {
			fprintf(stderr, "respire innovations import: one file at a time\n%s", usage);
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		fprintf(stderr, "respire innovations import: give the CSV file\n%s", usage);
		return 2;
	}
	if (!(in = fopen(path, "r"))) {
		fprintf(stderr, "respire innovations import: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (app_open(&app, &f) < 0) {
		fclose(in);
		return 1;
	}
	if (cmd_dctx_open(&app, &dc) < 0) {
		fprintf(stderr, "respire innovations import: no database connection\n");
		rc = 1;
		goto out;
	}
	if ((found = find_admin(&dc, as, &admin)) <= 0) {
		if (found < 0)
			fprintf(stderr, "respire innovations import: the database could not be read\n");
		else if (as)
			fprintf(stderr, "respire innovations import: %s is not an active admin account\n", as);
		else
			fprintf(stderr, "respire innovations import: no admin account; make one with "
				"'respire user add --role admin' or 'respire user role --admin'\n");
		rc = 1;
		goto out;
	}
	im.on_reject = cmd_import_reject;
	e = innovations_import_file(&dc, &admin, in, &im);
	rc = cmd_import_report("respire innovations import", path, e, im.created, im.updated, im.unchanged,
			       im.rejected, im.error, im.dry_run ? " (dry run: nothing written)" : NULL);
out:
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	fclose(in);
	return rc;
}

int cmd_innovations(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		printf("%s", usage);
		return 0;
	}
	if (!strcmp(argv[1], "import"))
		return import(argc - 1, argv + 1);
	fprintf(stderr, "respire innovations: unknown subcommand '%s'\n%s", argv[1], usage);
	return 2;
}
