/* respire: one binary, several subcommands. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const char usage[] =
	"usage: respire COMMAND [OPTIONS]\n"
	"\n"
	"Respire, the social network of education professionals.\n"
	"\n"
	"Commands:\n"
	"  serve       serve the web site and the JSON API\n"
	"  user add    create a verified account (operators)\n"
	"  demo        seed a demo network into an empty data folder\n"
	"  migrate     bring the database schema up to date\n"
	"  export      write the whole network (data and files) to a folder\n"
	"  import      load an export into an empty database\n"
	"  backup DIR  a consistent copy of the network (database and files) while serving\n"
	"  restore DIR put a backup back into an empty data folder or database\n"
	"  usage       storage taken by documents, per member and group (operators)\n"
	"  housekeeping  purge expired rows and unused files once (serve does it every 10 min)\n"
	"  reindex     rebuild the search index from the tables\n"
	"  digest      send today's daily digests now (serve does it every hour from 07:00)\n"
	"  routes      the route table, one route a line\n"
	"  schools import  load schools from the national directory's CSV export\n"
	"  innovations import  load innovation records from CSV (the export's columns)\n"
	"  help        this text; 'respire COMMAND --help' for a command\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("%s", usage);
		return 0;
	}
	if (!strcmp(argv[1], "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(argv[1], "user"))
		return cmd_user(argc - 1, argv + 1);
	if (!strcmp(argv[1], "demo"))
		return cmd_demo(argc - 1, argv + 1);
	if (!strcmp(argv[1], "seed"))
		return cmd_seed(argc - 1, argv + 1);
	if (!strcmp(argv[1], "migrate"))
		return cmd_migrate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "export"))
		return cmd_export(argc - 1, argv + 1);
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "usage"))
		return cmd_usage(argc - 1, argv + 1);
	if (!strcmp(argv[1], "housekeeping"))
		return cmd_housekeeping(argc - 1, argv + 1);
	if (!strcmp(argv[1], "reindex"))
		return cmd_reindex(argc - 1, argv + 1);
	if (!strcmp(argv[1], "digest"))
		return cmd_digest(argc - 1, argv + 1);
	if (!strcmp(argv[1], "schools"))
		return cmd_schools(argc - 1, argv + 1);
	if (!strcmp(argv[1], "innovations"))
		return cmd_innovations(argc - 1, argv + 1);
	if (!strcmp(argv[1], "backup"))
		return cmd_backup(argc - 1, argv + 1);
	if (!strcmp(argv[1], "restore"))
		return cmd_restore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "routes"))
		return cmd_routes(argc - 1, argv + 1);
	fprintf(stderr, "respire: unknown command '%s'\n\n%s", argv[1], usage);
	return 2;
}
