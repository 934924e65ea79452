/* The unit-test suites, one per file of tests/unit; main.c runs them all. */
#ifndef RESPIRE_TESTS_UNIT_SUITES_H
#define RESPIRE_TESTS_UNIT_SUITES_H

#include <check.h>

Suite *buf_suite(void);
Suite *escape_suite(void);
Suite *text_suite(void);
Suite *search_text_suite(void);
Suite *config_suite(void);
Suite *i18n_suite(void);
Suite *domain_suite(void);
Suite *access_suite(void);
Suite *access_kinds_suite(void);
Suite *mail_suite(void);
Suite *router_suite(void);
Suite *csv_suite(void);
Suite *innovations_suite(void);
Suite *chart_suite(void);
Suite *stats_suite(void);

#endif
