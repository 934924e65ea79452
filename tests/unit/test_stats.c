/* domain/stats.c: the Europe/Paris calendar the statistics count in
 * (days, weeks, months, hours across the summer-time changes). */
#include <string.h>

#include "domain/stats.h"
#include "suites.h"

/* 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC. */
START_TEST(days_across_summer_time)
{
	char d[11];

	/* a winter day: midnight in Paris is 23:00 UTC the day before */
	ck_assert_int_eq(stats_day_start(1767268800), 1767222000);     /* 2026-01-01 12:00 UTC */
	/* the day summer time starts lasts 23 hours */
	ck_assert_int_eq(stats_day_start(1774780800), 1774738800);     /* 2026-03-29 10:40 UTC → 03-28 23:00 UTC */
	ck_assert_int_eq(stats_next_day(1774738800), 1774821600);      /* 03-29 22:00 UTC */
	/* the day it ends lasts 25 hours */
	ck_assert_int_eq(stats_day_start(1792900800), 1792879200);     /* 2026-10-25 04:00 UTC → 10-24 22:00 UTC */
	ck_assert_int_eq(stats_next_day(1792879200), 1792969200);      /* 10-25 23:00 UTC */
	stats_date(1792879200, d);
	ck_assert_str_eq(d, "2026-10-25");
	stats_date(1774738800, d);
	ck_assert_str_eq(d, "2026-03-29");
	ck_assert_int_eq(stats_hour(1767268800), 13);                  /* 12:00 UTC in winter */
	ck_assert_int_eq(stats_hour(1782993600), 14);                  /* 2026-07-02 12:00 UTC in summer */
	ck_assert_int_eq(stats_hour(1767222000), 0);
}
END_TEST

START_TEST(weeks_months_and_dates)
{
	char d[11];

	/* Thursday 2026-10-29 → Monday 2026-10-26 (after the change), and its month */
	stats_date(stats_week_start(1793275200), d);
	ck_assert_str_eq(d, "2026-10-26");
	ck_assert_int_eq(stats_week_start(1793275200), stats_parse_date("2026-10-26"));
	stats_date(stats_month_start(1793275200), d);
	ck_assert_str_eq(d, "2026-10-01");
	ck_assert_int_eq(stats_month_start(1793275200), 1790805600);   /* 10-01 00:00 in summer: 09-30 22:00 UTC */
	/* a Monday is its own week */
	ck_assert_int_eq(stats_week_start(stats_parse_date("2026-12-07") + 3600), stats_parse_date("2026-12-07"));
	ck_assert_int_eq(stats_parse_date("2026-01-01"), 1767222000);
	ck_assert_int_eq(stats_parse_date("2024-02-29") > 0, 1);
	ck_assert_int_eq(stats_parse_date("2026-02-29"), -1);
	ck_assert_int_eq(stats_parse_date("2026-13-01"), -1);
	ck_assert_int_eq(stats_parse_date("2026-1-01"), -1);
	ck_assert_int_eq(stats_parse_date("2026-01-0a"), -1);
	ck_assert_int_eq(stats_parse_date(""), -1);
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("calendar");
	tcase_add_test(tc, days_across_summer_time);
	tcase_add_test(tc, weeks_months_and_dates);
	suite_add_tcase(s, tc);
	return s;
}
