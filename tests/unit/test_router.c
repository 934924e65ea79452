/* http/router.c: typed route parameters, the table's checks; http/errors.c:
 * the error table is complete and its texts are in the catalogue. */
#include <string.h>

#include "cmd/cmd.h"
#include "http/errors.h"
#include "http/router.h"
#include "i18n/i18n.h"
#include "suites.h"

static void h(struct request *r) { (void)r; }

static const struct route things[] = {
	{ HTTP_GET | HTTP_DELETE, "/things/{id:int}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/things/{id:int}/parts/{n:int}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/things/new", h, WHO_ANYONE, 0, BODY_NONE }, /* after the parameter: order decides nothing */
	{ HTTP_GET, "/slugs/{s:slug}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/uuids/{u:uuid}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/schools/{u:uai}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/files/{name}", h, WHO_ANYONE, 0, BODY_NONE },
	{ HTTP_GET, "/", h, WHO_ANYONE, 0, BODY_NONE },
	{ 0 }
};
static const struct route *const lists[] = { things, NULL };

/* The status route_find answers for method and path (0: found); *r filled. */
static int find(struct request *r, int method, const char *path)
{
	int allowed;

	memset(r, 0, sizeof *r);
	r->arena = arena_new();
	r->method = method;
	r->path = path;
	return route_find(lists, r, &allowed);
}

START_TEST(ints_parse_strictly)
{
	struct request r;
	static const char *const bad[] = {
		"/things/abc", "/things/-1", "/things/+1", "/things/0", "/things/007", "/things/1.5",
		"/things/12a", "/things/9223372036854775808", "/things/99999999999999999999", "/things/ 1",
		"/things//parts/1", "/things/1/parts/x",
	};

	ck_assert_int_eq(find(&r, HTTP_GET, "/things/12"), 0);
	ck_assert_int_eq(r.nparams, 1);
	ck_assert_int_eq(req_param_id(&r, 0), 12);
	ck_assert_str_eq(req_param(&r, 0), "12");
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/things/9223372036854775807"), 0);
	ck_assert(req_param_id(&r, 0) == INT64_MAX);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_HEAD, "/things/4/parts/2"), 0);
	ck_assert_int_eq(req_param_id(&r, 1), 2);
	ck_assert_int_eq(req_param_id(&r, 2), -1);
	arena_free(r.arena);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(find(&r, HTTP_GET, bad[i]) == 400, "%s", bad[i]);
		ck_assert_ptr_null(r.route);
		arena_free(r.arena);
	}
}
END_TEST

START_TEST(shape_decides_404_and_405)
{
	struct request r;
	int allowed;

	ck_assert_int_eq(find(&r, HTTP_GET, "/things/new"), 0);
	ck_assert_int_eq(r.nparams, 0);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/"), 0);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/things/"), 404);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/things/1/other"), 404);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/nothing"), 404);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_POST, "/things/1"), 405);
	r.path = "/things/1";
	r.method = HTTP_POST;
	route_find(lists, &r, &allowed);
	ck_assert_int_eq(allowed, HTTP_GET | HTTP_DELETE);
	arena_free(r.arena);
	/* A wrong method on a malformed id: the method is wrong whatever the id. */
	ck_assert_int_eq(find(&r, HTTP_POST, "/things/abc"), 405);
	arena_free(r.arena);
}
END_TEST

START_TEST(uai_parameters)
{
	static const char *const bad[] = { "/schools/075000A", "/schools/07500001A", "/schools/0750001",
					   "/schools/A7500001", "/schools/0750001-", "/schools/0750001\xC3\xA9" };
	struct request r;

	ck_assert_int_eq(find(&r, HTTP_GET, "/schools/0750001A"), 0);
	ck_assert_str_eq(req_param(&r, 0), "0750001A");
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/schools/0750001a"), 0); /* either case */
	arena_free(r.arena);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(find(&r, HTTP_GET, bad[i]) == 400, "accepted %s", bad[i]);
		arena_free(r.arena);
	}
	{
		static const struct route a[] = { { HTTP_GET, "/a/{u:uai}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route b[] = { { HTTP_GET, "/a/{id:int}", h, WHO_ANYONE, 0, BODY_NONE },
						  { HTTP_GET, "/a/{u:uuid}", h, WHO_ANYONE, 0, BODY_NONE },
						  { HTTP_GET, "/a/search", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route c[] = { { HTTP_GET, "/a/{s:slug}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		const struct route *const ab[] = { a, b, NULL }, *const ac[] = { a, c, NULL };
		char why[200];

		ck_assert_msg(route_check(ab, why, sizeof why) == 0, "%s", why);
		ck_assert_int_lt(route_check(ac, why, sizeof why), 0); /* "0750001a" is a slug too */
	}
}
END_TEST

/* A parameter with a literal suffix: /events/{id:int}.ics beside /events/{id:int}. */
START_TEST(suffixed_parameters)
{
	static const struct route ev[] = {
		{ HTTP_GET, "/events/{id:int}", h, WHO_ANYONE, 0, BODY_NONE },
		{ HTTP_GET, "/events/{id:int}.ics", h, WHO_ANYONE, 0, BODY_NONE },
		{ HTTP_GET, "/events/{id:int}/registrations.csv", h, WHO_ANYONE, 0, BODY_NONE },
		{ HTTP_GET, "/events/new", h, WHO_ANYONE, 0, BODY_NONE },
		{ 0 } };
	const struct route *const l[] = { ev, NULL };
	struct request r;
	char why[200];
	int allowed;

	ck_assert_msg(route_check(l, why, sizeof why) == 0, "%s", why);
	memset(&r, 0, sizeof r);
	r.arena = arena_new();
	r.method = HTTP_GET;
	r.path = "/events/42.ics";
	ck_assert_int_eq(route_find(l, &r, &allowed), 0);
	ck_assert_ptr_eq(r.route, &ev[1]);
	ck_assert_int_eq(req_param_id(&r, 0), 42);
	ck_assert_str_eq(req_param(&r, 0), "42");
	r.path = "/events/42";
	ck_assert_int_eq(route_find(l, &r, &allowed), 0);
	ck_assert_ptr_eq(r.route, &ev[0]);
	r.path = "/events/abc.ics";
	ck_assert_int_eq(route_find(l, &r, &allowed), 400);
	r.path = "/events/0.ics";
	ck_assert_int_eq(route_find(l, &r, &allowed), 400);
	r.path = "/events/.ics";
	ck_assert_int_eq(route_find(l, &r, &allowed), 400);   /* an int route with "\.ics": a bad id */
	r.path = "/events/42.icsx";
	ck_assert_int_eq(route_find(l, &r, &allowed), 400);
	arena_free(r.arena);
	{
		static const struct route a[] = { { HTTP_GET, "/f/{name}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route b[] = { { HTTP_GET, "/f/{id:int}.ics", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route c[] = { { HTTP_GET, "/f/7.ics", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route d[] = { { HTTP_GET, "/f/{s:slug}.csv", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route e[] = { { HTTP_GET, "/f/{id:int}.x-y", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		const struct route *const ab[] = { a, b, NULL }, *const bc[] = { b, c, NULL }, *const bd[] = { b, d, NULL },
				   *const le[] = { e, NULL };

		ck_assert_int_lt(route_check(ab, why, sizeof why), 0); /* a free segment takes "7.ics" */
		ck_assert_int_lt(route_check(bc, why, sizeof why), 0);
		ck_assert_msg(route_check(bd, why, sizeof why) == 0, "%s", why);
		ck_assert_int_lt(route_check(le, why, sizeof why), 0); /* a suffix of letters and digits */
	}
}
END_TEST

START_TEST(slugs_uuids_and_free_segments)
{
	struct request r;
	char longslug[120] = "/slugs/";

	ck_assert_int_eq(find(&r, HTTP_GET, "/slugs/maths-6e-2026"), 0);
	ck_assert_str_eq(req_param(&r, 0), "maths-6e-2026");
	ck_assert_int_eq(req_param_id(&r, 0), -1);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/slugs/Maths"), 400);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/slugs/a_b"), 400);
	arena_free(r.arena);
	memset(longslug + 7, 'a', 101);
	ck_assert_int_eq(find(&r, HTTP_GET, longslug), 400);
	arena_free(r.arena);
	longslug[7 + 100] = '\0';
	ck_assert_int_eq(find(&r, HTTP_GET, longslug), 0);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/uuids/0f8fad5b-d9cb-469f-a165-70867728950e"), 0);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/uuids/0F8FAD5B-D9CB-469F-A165-70867728950E"), 400);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/uuids/0f8fad5bd9cb469fa16570867728950e"), 400);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/uuids/0f8fad5b-d9cb-469f-a165-70867728950g"), 400);
	arena_free(r.arena);
	ck_assert_int_eq(find(&r, HTTP_GET, "/files/style.css"), 0);
	ck_assert_str_eq(req_param(&r, 0), "style.css");
	arena_free(r.arena);
}
END_TEST

START_TEST(the_table_is_sound)
{
	char why[256] = "";
	int n = 0;

	ck_assert_msg(route_check(respire_routes, why, sizeof why) == 0, "%s", why);
	ck_assert_msg(route_check(lists, why, sizeof why) == 0, "%s", why);
	for (const struct route *const *l = respire_routes; *l; l++)
		for (const struct route *rt = *l; rt->pattern; rt++, n++)
			ck_assert_msg(!strchr(rt->pattern, ':') || strchr(rt->pattern, '{'),
				      "old-style pattern %s", rt->pattern);
	ck_assert_int_gt(n, 150);
}
END_TEST

START_TEST(broken_tables_are_refused)
{
	static const char *const malformed[] = {
		"/a/{id:integer}", "/a/{:int}", "/a/{id", "/a/id}", "/a/:id", "/a//b", "/a/",
		"/{a:int}/{b:int}/{c:int}/{d:int}/{e:int}", "a", "/a/{id:int}x",
	};
	char why[256];

	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		struct route one[] = { { HTTP_GET, malformed[i], h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		const struct route *const l[] = { one, NULL };

		ck_assert_msg(route_check(l, why, sizeof why) < 0, "accepted %s", malformed[i]);
	}
	{
		static const struct route a[] = { { HTTP_GET, "/a/{id:int}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route b[] = { { HTTP_HEAD, "/a/7", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route c[] = { { HTTP_POST, "/a/7", h, WHO_ANYONE, 0, BODY_NONE },
						  { HTTP_GET, "/a/{s:slug}/b", h, WHO_ANYONE, 0, BODY_NONE },
						  { HTTP_GET, "/a/{u:uuid}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		static const struct route d[] = { { HTTP_GET, "/a/{s:slug}", h, WHO_ANYONE, 0, BODY_NONE }, { 0 } };
		const struct route *const ab[] = { a, b, NULL }, *const ac[] = { a, c, NULL }, *const ad[] = { a, d, NULL };

		ck_assert_int_lt(route_check(ab, why, sizeof why), 0); /* HEAD is GET's */
		ck_assert_msg(route_check(ac, why, sizeof why) == 0, "%s", why);
		ck_assert_int_lt(route_check(ad, why, sizeof why), 0); /* "7" is a slug too */
	}
}
END_TEST

START_TEST(every_domain_error_has_an_answer)
{
	for (int e = D_INVALID; e <= D_INTERNAL; e++) {
		const struct http_error *x = derr_error((enum derr)e);

		ck_assert_msg(x->status >= 400 && x->status < 600, "derr %d", e);
		ck_assert_msg(x->code && *x->code && x->message && *x->message && x->key, "derr %d", e);
		ck_assert_msg(tr("fr", x->key) != x->key && tr("en", x->key) != x->key, "no text for %s", x->key);
	}
	ck_assert_int_eq(derr_error(D_NOT_FOUND)->status, 404);
	ck_assert_str_eq(derr_error(D_NOT_FOUND)->code, "not_found");
	ck_assert_int_eq(derr_error(D_OK)->status, 500);
	ck_assert_int_eq(derr_error((enum derr)999)->status, 500);
	ck_assert_int_eq(HTTP_E_INVALID_PARAMETER.status, 400);
	ck_assert_str_eq(HTTP_E_INVALID_PARAMETER.code, "invalid_parameter");
	ck_assert(tr("en", HTTP_E_INVALID_PARAMETER.key) != HTTP_E_INVALID_PARAMETER.key);
	ck_assert_int_eq(http_error_of_status(405)->status, 405);
	ck_assert_int_eq(http_error_of_status(418)->status, 500);
}
END_TEST

Suite *router_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("router");

	tcase_add_test(tc, ints_parse_strictly);
	tcase_add_test(tc, shape_decides_404_and_405);
	tcase_add_test(tc, slugs_uuids_and_free_segments);
	tcase_add_test(tc, uai_parameters);
	tcase_add_test(tc, suffixed_parameters);
	tcase_add_test(tc, the_table_is_sound);
	tcase_add_test(tc, broken_tables_are_refused);
	tcase_add_test(tc, every_domain_error_has_an_answer);
	suite_add_tcase(s, tc);
	return s;
}
