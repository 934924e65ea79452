/* The innovation records' vocabulary: academies, UAI shape, the themes
 * from the configuration (innovation_themes) or the default list. */
#include <string.h>

#include "domain/academies.h"
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

START_TEST(academy_slugs)
{
	struct dctx dc;
	char s[ACADEMY_SLUG_MAX];
	int n = 0;

	memset(&dc, 0, sizeof dc);
	dc.arena = arena_new();
	academy_slug("La Réunion", s);
	ck_assert_str_eq(s, "la-reunion");
	academy_slug("Orléans-Tours", s);
	ck_assert_str_eq(s, "orleans-tours");
	academy_slug("  Aix -- Marseille ", s);
	ck_assert_str_eq(s, "aix-marseille");
	ck_assert_str_eq(academy_by_slug("creteil"), "Créteil");
	ck_assert_ptr_null(academy_by_slug("Creteil"));
	ck_assert_ptr_null(academy_by_slug("atlantide"));
	ck_assert_ptr_null(academy_by_slug(""));
	ck_assert_ptr_null(academy_by_slug(NULL));
	ck_assert_str_eq(academy_slug_of(&dc, "CRÉTEIL"), "creteil");
	ck_assert_str_eq(academy_slug_of(&dc, "nancy metz"), "nancy-metz");
	ck_assert_ptr_null(academy_slug_of(&dc, "Atlantide"));
	/* every academy has its own slug, and finds its name again */
	for (int i = 0; innovation_academies[i]; i++, n++) {
		academy_slug(innovation_academies[i], s);
		ck_assert_str_eq(academy_by_slug(s), innovation_academies[i]);
		for (int j = 0; j < i; j++) {
			char t[ACADEMY_SLUG_MAX];

			academy_slug(innovation_academies[j], t);
			ck_assert_str_ne(s, t);
		}
	}
	ck_assert_int_eq(n, 30);
	arena_free(dc.arena);
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
	tcase_add_test(tc, academy_slugs);
	suite_add_tcase(s, tc);
	return s;
}
