/* respire routes: the route table (cmd/routes_table.c), one line a route,
 * for operators and for the tests that walk every route. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static const char usage[] =
	"usage: respire routes\n"
	"\n"
	"Prints the route table, one route a line: METHODS PATTERN WHO CSRF BODY,\n"
	"separated by tabs (METHODS joined by '|'; PATTERN with typed parameters\n"
	"such as {id:int}).\n";

static const char *who_name(enum route_who w)
{
	switch (w) {
	case WHO_ANYONE: return "anyone";
	case WHO_MEMBER: return "member";
	case WHO_ADMIN: return "admin";
	}
	return "?";
}

static const char *body_name(enum route_body b)
{
	switch (b) {
	case BODY_NONE: return "none";
	case BODY_JSON: return "json";
	case BODY_FORM: return "form";
	case BODY_UPLOAD: return "upload";
	}
	return "?";
}

static void print_route(const struct route *rt)
{
	static const struct { int bit; const char *name; } methods[] = {
		{ HTTP_GET, "GET" }, { HTTP_HEAD, "HEAD" }, { HTTP_POST, "POST" }, { HTTP_PUT, "PUT" },
		{ HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" }, { HTTP_OPTIONS, "OPTIONS" },
	};
	int first = 1;

	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (!(rt->methods & methods[i].bit))
			continue;
		printf("%s%s", first ? "" : "|", methods[i].name);
		first = 0;
	}
	printf("\t%s\t%s\t%d\t%s\n", rt->pattern, who_name(rt->who), rt->csrf, body_name(rt->body));
}

int cmd_routes(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("%s", usage);
			return 0;
		}
		fprintf(stderr, "respire routes: unknown argument '%s'\n\n%s", argv[1], usage);
		return 2;
	}
	for (const struct route *const *l = respire_routes; *l; l++)
		for (const struct route *rt = *l; rt->pattern; rt++)
			print_route(rt);
	return 0;
}
