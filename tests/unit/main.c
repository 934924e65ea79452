/* Unit tests of util/, i18n/, store/, domain/ and the router with Check, under ASan and UBSan.
 * Every test runs in its own forked process (CK_FORK, Check's default). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"
#include "util/log.h"

int main(void)
{
	SRunner *sr;
	int failed;

	if (sodium_init() < 0) {
		fprintf(stderr, "unit-tests: libsodium cannot start\n");
		return 1;
	}
	/* Expected failures (bad tokens, missing keys) would otherwise be noisy. */
	log_level = LOG_ERR;
	sr = srunner_create(buf_suite());
	srunner_add_suite(sr, escape_suite());
	srunner_add_suite(sr, text_suite());
	srunner_add_suite(sr, search_text_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, i18n_suite());
	srunner_add_suite(sr, domain_suite());
	srunner_add_suite(sr, access_suite());
	srunner_add_suite(sr, access_kinds_suite());
	srunner_add_suite(sr, innovations_suite());
	srunner_add_suite(sr, mail_suite());
	srunner_add_suite(sr, router_suite());
	srunner_add_suite(sr, csv_suite());
	srunner_add_suite(sr, chart_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
