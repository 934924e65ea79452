#include "cmd/cmd.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/account.h"
#include "domain/innovations.h"

static const char usage[] =
	"usage: respire user add --email EMAIL --name NAME [--role admin] --password-stdin\n"
	"                        [--data DIR] [--db URL]\n"
	"       respire user role --email EMAIL (--adviser ACADEMY | --admin | --member)\n"
	"                        [--data DIR] [--db URL]\n"
	"\n"
	"add creates a verified account (any domain). The password is read from the first\n"
	"line of standard input. --role admin makes an operator.\n"
	"role makes a member an innovation adviser of an academy (for example\n"
	"--adviser \"Nancy-Metz\"), an admin, or a plain member again (both end the\n"
	"adviser role).\n";

/* respire user role --email E (--adviser ACADEMY | --admin | --member) */
static int cmd_user_role(int argc, char **argv)
{
	struct config_flags f = { 0 };
	const char *email = NULL, *adviser = NULL, *role = NULL;
	int help, i, n = 0;
	struct app app;
	struct dctx dc = { 0 };
	enum derr e;

	for (i = 2; i < argc;) {
		int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j >= argc)
			break;
		i = j;
		if (!strcmp(argv[i], "--admin") || !strcmp(argv[i], "--member")) {
			role = argv[i] + 2;
			n++;
			i++;
			continue;
		}
		if (i + 1 < argc && !strcmp(argv[i], "--email"))
			email = argv[i + 1];
		else if (i + 1 < argc && !strcmp(argv[i], "--adviser")) {
			adviser = argv[i + 1];
			n++;
		} else {
			fprintf(stderr, "respire user role: unknown or incomplete argument '%s'\n%s", argv[i], usage);
			return 2;
		}
		i += 2;
	}
	if (!email || n != 1) {
		fprintf(stderr, "respire user role: --email and one of --adviser ACADEMY, --admin, --member are required\n%s",
			usage);
		return 2;
	}
	if (app_open(&app, &f) < 0)
		return 1;
	if (cmd_dctx_open(&app, &dc) < 0) {
		cmd_dctx_close(&app, &dc);
		app_close(&app);
		return 1;
	}
	/* the academies in force (the console's settings, else the default list) */
	if (adviser && !innovation_academy_known(&dc, adviser)) {
		fprintf(stderr, "respire user role: unknown academy '%s' (one of:", adviser);
		for (const char *const *a = innovation_academy_list(&dc); *a; a++)
			fprintf(stderr, " %s%s", *a, a[1] ? "," : ")\n");
		cmd_dctx_close(&app, &dc);
		app_close(&app);
		return 2;
	}
	/* an adviser keeps their site role; --admin and --member end the adviser role */
	e = innovation_set_role(&dc, email, adviser ? NULL : role, adviser);
	cmd_dctx_close(&app, &dc);
	app_close(&app);
	switch (e) {
	case D_OK:
		if (adviser)
			printf("%s is an innovation adviser of %s\n", email, adviser);
		else
			printf("%s is %s\n", email, !strcmp(role, "admin") ? "an admin" : "a member");
		return 0;
	case D_NOT_FOUND:
		fprintf(stderr, "respire user role: no account uses %s\n", email);
		return 1;
	default:
		fprintf(stderr, "respire user role: failed (see the log above)\n");
		return 1;
	}
}

int cmd_user(int argc, char **argv)
{
	struct config_flags f = { 0 };
	const char *email = NULL, *name = NULL, *role = NULL, *field = NULL;
	int pw_stdin = 0, help, i;
	char pw[PASSWORD_MAX_BYTES + 2];
	struct app app;
	struct dctx dc = { 0 };
	int64_t id;
	enum derr e;

	if (argc < 2) {
		fprintf(stderr, "respire user: an action is needed\n%s", usage);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("%s", usage);
		return 0;
	}
	if (!strcmp(argv[1], "role"))
		return cmd_user_role(argc, argv);
	if (strcmp(argv[1], "add")) {
		fprintf(stderr, "respire user: unknown action '%s'\n%s", argv[1], usage);
		return 2;
	}
	for (i = 2; i < argc;) {
		int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j >= argc)
			break;
		i = j;
		if (!strcmp(argv[i], "--password-stdin")) {
			pw_stdin = 1;
			i++;
			continue;
		}
		if (i + 1 < argc && !strcmp(argv[i], "--email"))
			email = argv[i + 1];
		else if (i + 1 < argc && !strcmp(argv[i], "--name"))
			name = argv[i + 1];
		else if (i + 1 < argc && !strcmp(argv[i], "--role"))
			role = argv[i + 1];
		else {
			fprintf(stderr, "respire user add: unknown or incomplete argument '%s'\n%s", argv[i], usage);
			return 2;
		}
		i += 2;
	}
	if (!email || !name || !pw_stdin) {
		fprintf(stderr, "respire user add: --email, --name and --password-stdin are required\n%s", usage);
		return 2;
	}
	if (role && strcmp(role, "admin") && strcmp(role, "member")) {
		fprintf(stderr, "respire user add: --role is 'admin' or 'member'\n");
		return 2;
	}
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "respire user add: no password on standard input\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (app_open(&app, &f) < 0)
		return 1;
	dc.db = db_pool_get(app.pool);
	dc.arena = arena_new();
	dc.cfg = &app.cfg;
	dc.base_url = app.cfg.base_url;
	dc.lang = "fr";
	dc.secret = app.secret;
	dc.now = clock_now();
	e = dc.db && dc.arena ? account_create_verified(&dc, email, pw, name, role && !strcmp(role, "admin"),
							&id, &field) : D_INTERNAL;
	arena_free(dc.arena);
	db_pool_put(app.pool, dc.db);
	app_close(&app);
	switch (e) {
	case D_OK:
		printf("created user %lld <%s>%s\n", (long long)id, email,
		       role && !strcmp(role, "admin") ? " (admin)" : "");
		return 0;
	case D_CONFLICT:
		fprintf(stderr, "respire user add: an account already uses %s\n", email);
		return 1;
	case D_WEAK_PASSWORD:
		fprintf(stderr, "respire user add: the password is too weak (12 characters at least, not a common one)\n");
		return 1;
	case D_INVALID:
		fprintf(stderr, "respire user add: invalid %s\n", field ? field : "input");
		return 1;
	default:
		fprintf(stderr, "respire user add: failed (see the log above)\n");
		return 1;
	}
}
