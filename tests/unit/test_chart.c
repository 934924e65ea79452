/* web/chart.c: the SVG and its table say the same figures; labels are escaped. */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "web/chart.h"

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

START_TEST(bars_and_table_agree)
{
	struct chart_row rows[] = {{"1 déc.", 3, 1}, {"2 déc.", 12, 0}, {"<3 déc>", 0, 4}};
	struct chart c = {.id = "subs", .title = "Propositions par jour", .key_header = "Jour",
			  .value_header = "Propositions", .previous_header = "Avant",
			  .rows = rows, .n = 3, .compare = 1};
	struct buf b = {0};
	chart_bars(&b, &c);
	const char *s = buf_str(&b);
	ck_assert_int_eq(count(s, "<rect class=\"value\""), 3);
	ck_assert_int_eq(count(s, "<rect class=\"previous\""), 3);
	ck_assert_int_eq(count(s, "<th scope=\"row\">"), 3);
	ck_assert_ptr_nonnull(strstr(s, "<td>12</td><td>0</td>"));
	ck_assert_ptr_nonnull(strstr(s, "&lt;3 déc&gt;"));
	ck_assert_ptr_null(strstr(s, "<3 déc>"));
	ck_assert_ptr_nonnull(strstr(s, "aria-labelledby=\"subs-t subs-d\""));
	/* The scale tops at a round number above the largest value (12 → 20). */
	ck_assert_ptr_nonnull(strstr(s, "max 20</desc>"));
	buf_free(&b);
}
END_TEST

START_TEST(empty_and_zero_series)
{
	struct chart c = {.id = "e", .title = "Rien", .key_header = "Jour", .value_header = "N"};
	struct buf b = {0};
	chart_bars(&b, &c);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "</svg>"));
	ck_assert_int_eq(count(buf_str(&b), "<rect"), 0);
	buf_free(&b);
	struct chart_row zeros[] = {{"a", 0, 0}, {"b", 0, 0}};
	c.rows = zeros;
	c.n = 2;
	chart_bars(&b, &c);
	ck_assert_ptr_null(strstr(buf_str(&b), "nan"));
	ck_assert_ptr_null(strstr(buf_str(&b), "inf"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "height=\"0.0\""));
	buf_free(&b);
}
END_TEST

START_TEST(long_labels_do_not_overlap)
{
	struct chart_row rows[30];
	char names[30][32];
	for (int i = 0; i < 30; i++) {
		snprintf(names[i], sizeof names[i], "%d novembre 2026", i + 1);
		rows[i] = (struct chart_row){ names[i], i % 3, 0 };
	}
	struct chart c = {.id = "d", .title = "Dépôts", .key_header = "Jour", .value_header = "N", .rows = rows, .n = 30};
	struct buf b = {0};
	chart_bars(&b, &c);
	/* 16 characters a label: about five fit in the 584 px of the plot */
	int labels = count(buf_str(&b), "class=\"label\"");
	ck_assert_int_le(labels, 5);
	ck_assert_int_ge(labels, 3);
	/* counts below 4: a scale of whole numbers */
	ck_assert_ptr_nonnull(strstr(buf_str(&b), ">3</text>"));
	ck_assert_ptr_null(strstr(buf_str(&b), ">0.5</text>"));
	buf_free(&b);
}
END_TEST

Suite *chart_suite(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("bars");
	tcase_add_test(tc, bars_and_table_agree);
	tcase_add_test(tc, empty_and_zero_series);
	tcase_add_test(tc, long_labels_do_not_overlap);
	suite_add_tcase(s, tc);
	return s;
}
