/* i18n/i18n.c: the catalogue is sound and tr() finds every entry. */
#include <string.h>

#include "i18n/i18n.h"
#include "suites.h"

START_TEST(catalogue_is_sound)
{
	char err[256] = "";

	ck_assert_msg(i18n_check(err, sizeof err) == 0, "i18n_check: %s", err);
}
END_TEST

START_TEST(french_by_default)
{
	ck_assert_str_eq(tr("fr", "nav.home"), "Accueil");
	ck_assert_str_eq(tr(NULL, "nav.home"), "Accueil");
	ck_assert_str_eq(tr("de", "nav.home"), "Accueil");
	ck_assert_str_eq(tr("", "nav.home"), "Accueil");
	ck_assert_str_eq(tr("fr", "mail.verify.subject"), "Confirmez votre adresse sur Respire");
}
END_TEST

START_TEST(english_when_asked)
{
	ck_assert_str_eq(tr("en", "nav.home"), "Home");
	ck_assert_str_eq(tr("en", "mail.verify.subject"), "Confirm your address on Respire");
}
END_TEST

START_TEST(missing_key_returns_key)
{
	const char *key = "no.such.message";

	ck_assert_ptr_eq(tr("fr", key), key);
	ck_assert_ptr_eq(tr("en", key), key);
	ck_assert_str_eq(tr("en", ""), "");
	ck_assert_str_eq(tr("en", "nav.hom"), "nav.hom");
	ck_assert_str_eq(tr("en", "nav.home."), "nav.home.");
}
END_TEST

/* Every entry of both tables is found, in both languages. */
static void check_table(const struct msg *t)
{
	for (const struct msg *m = t; m->key; m++) {
		ck_assert_msg(tr("fr", m->key) == m->fr, "fr of '%s' not found", m->key);
		ck_assert_msg(tr("en", m->key) == m->en, "en of '%s' not found", m->key);
	}
}

START_TEST(every_entry_found)
{
	ck_assert_ptr_nonnull(i18n_common[0].key);
	ck_assert_ptr_nonnull(i18n_pages[0].key);
	check_table(i18n_common);
	check_table(i18n_pages);
}
END_TEST

Suite *i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("catalogue");

	tcase_add_test(tc, catalogue_is_sound);
	tcase_add_test(tc, french_by_default);
	tcase_add_test(tc, english_when_asked);
	tcase_add_test(tc, missing_key_returns_key);
	tcase_add_test(tc, every_entry_found);
	suite_add_tcase(s, tc);
	return s;
}
