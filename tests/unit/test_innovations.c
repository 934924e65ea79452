/* The innovation records' vocabulary: academies, UAI shape, the themes
 * from the configuration (innovation_themes) or the default list. */
#include <string.h>

#include "domain/innovations.h"
#include "suites.h"
#include "util/arena.h"
#include "util/config.h"

START_TEST(academies_and_uai)
{
	struct config c;
	struct dctx dc;

	memset(&c, 0, sizeof c);
	memset(&dc, 0, sizeof dc);
	dc.arena = arena_new();
	dc.cfg = &c;
	ck_assert(innovation_academy_known(&dc, "Nancy-Metz"));
	ck_assert(innovation_academy_known(&dc, "La Réunion"));
	ck_assert(!innovation_academy_known(&dc, "nancy-metz"));
	ck_assert(!innovation_academy_known(&dc, "Atlantide"));
	ck_assert(!innovation_academy_known(&dc, NULL));
	/* the console's list replaces the default one */
	strcpy(c.academies, "Lyon| Polynésie française ");
	ck_assert(innovation_academy_known(&dc, "Polynésie française"));
	ck_assert(!innovation_academy_known(&dc, "Nancy-Metz"));
	ck_assert_str_eq(innovation_academy_list(&dc)[0], "Lyon");
	ck_assert_ptr_null(innovation_academy_list(&dc)[2]);
	arena_free(dc.arena);
	ck_assert(innovation_uai_ok("0751234A"));
	ck_assert(innovation_uai_ok("0751234a"));
	ck_assert(!innovation_uai_ok("075123A"));
	ck_assert(!innovation_uai_ok("07512345"));
	ck_assert(!innovation_uai_ok("0751234AB"));
	ck_assert(!innovation_uai_ok(""));
}
END_TEST

START_TEST(themes_from_the_configuration)
{
	struct config c;
	struct dctx dc;
	const char *const *t;

	memset(&c, 0, sizeof c);
	memset(&dc, 0, sizeof dc);
	dc.arena = arena_new();
	dc.cfg = &c;
	ck_assert_ptr_eq(innovation_themes(&dc), innovation_default_themes);
	ck_assert_str_eq(innovation_themes(&dc)[0], "Climat scolaire");
	strcpy(c.innovation_themes, " Numérique |Arts et culture|| Inclusion ");
	t = innovation_themes(&dc);
	ck_assert_str_eq(t[0], "Numérique");
	ck_assert_str_eq(t[1], "Arts et culture");
	ck_assert_str_eq(t[2], "Inclusion");
	ck_assert_ptr_null(t[3]);
	strcpy(c.innovation_themes, " | ");
	ck_assert_ptr_eq(innovation_themes(&dc), innovation_default_themes);
	arena_free(dc.arena);
}
END_TEST

Suite *innovations_suite(void)
{
	Suite *s = suite_create("innovations");
	TCase *tc = tcase_create("vocabulary");

	tcase_add_test(tc, academies_and_uai);
	tcase_add_test(tc, themes_from_the_configuration);
	suite_add_tcase(s, tc);
	return s;
}
