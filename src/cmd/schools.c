/* respire schools import FILE.csv: loads the national directory of schools. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "domain/schools.h"

static const char usage[] =
	"usage: respire schools import FILE.csv [--data DIR] [--db URL]\n"
	"\n"
	"Loads schools from the open \"Annuaire de l'education\" export (or any CSV with\n"
	"the same columns): UTF-8 (a byte-order mark is fine), ';' or ',' separated\n"
	"(detected from the header line), quoted fields as in RFC 4180.\n"
	"\n"
	"Columns, by header name (case does not matter; extra columns are ignored):\n"
	"  uai       or Identifiant_de_l_etablissement   required: 7 digits and a letter\n"
	"  name      or Nom_etablissement                required\n"
	"  kind      or Type_etablissement\n"
	"  academy   or Libelle_academie\n"
	"  town      or Nom_commune\n"
	"  postcode  or Code_postal\n"
	"\n"
	"Idempotent by UAI: a school is created, updated when a field changed, or left\n"
	"unchanged. A bad row (invalid UAI, empty name, a field too long, invalid UTF-8,\n"
	"a row over 1 MiB) is skipped and reported as 'line N: reason' (the header is\n"
	"line 1); the others are imported. The last line counts:\n"
	"  N created, N updated, N unchanged, N rejected\n"
	"\n"
	"Exit status: 0 when the file was read (rejected rows included), 1 when it\n"
	"cannot be read or is refused as a whole (no header, a required column\n"
	"missing) or the database failed, 2 for a usage error.\n";

static int import(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	struct schools_import im = { 0 };
	const char *path = NULL;
	int help, i, rc = 0;
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
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "respire schools import: unknown option '%s'\n%s", argv[i], usage);
			return 2;
		} else if (path) {
			fprintf(stderr, "respire schools import: one file at a time\n%s", usage);
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		fprintf(stderr, "respire schools import: give the CSV file\n%s", usage);
		return 2;
	}
	if (!(in = fopen(path, "r"))) {
		fprintf(stderr, "respire schools import: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (app_open(&app, &f) < 0) {
		fclose(in);
		return 1;
	}
	if (cmd_dctx_open(&app, &dc) < 0) {
		fprintf(stderr, "respire schools import: no database connection\n");
		rc = 1;
		goto out;
	}
	im.on_reject = cmd_import_reject;
	e = schools_import_file(&dc, in, &im);
	rc = cmd_import_report("respire schools import", path, e, im.created, im.updated, im.unchanged,
			       im.rejected, im.error, NULL);
out:
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	fclose(in);
	return rc;
}

int cmd_schools(int argc, char **argv)
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
	fprintf(stderr, "respire schools: unknown subcommand '%s'\n%s", argv[1], usage);
	return 2;
}
