/* util/csv.c: separators, BOM, quoting, line numbers, bounds, UTF-8, header lookup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util/csv.h"

struct reader {
	FILE *f;
	struct csv *c;
};

static void open_text(struct reader *r, const char *text, size_t n, size_t max)
{
	r->f = fmemopen((void *)text, n, "r");
	ck_assert_ptr_nonnull(r->f);
	r->c = csv_open(r->f, max);
	ck_assert_ptr_nonnull(r->c);
}

static void close_reader(struct reader *r)
{
	csv_close(r->c);
	fclose(r->f);
}

START_TEST(semicolons_detected)
{
	static const char t[] = "uai;name;town\n0750001A;Lycée Henri-IV;Paris\n";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_separator(r.c), ';');
	ck_assert_int_eq(csv_header_count(r.c), 3);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_ptr_null(rec.error);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_int_eq(rec.nfields, 3);
	ck_assert_str_eq(rec.fields[1], "Lycée Henri-IV");
	ck_assert_int_eq(csv_next(r.c, &rec), 0);
	close_reader(&r);
}
END_TEST

START_TEST(commas_detected)
{
	static const char t[] = "uai,name,\"a;b\"\r\n0750001A,\"Collège, Paris\",x\r\n";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_separator(r.c), ',');
	ck_assert_str_eq(csv_header_name(r.c, 2), "a;b");
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_int_eq(rec.nfields, 3);
	ck_assert_str_eq(rec.fields[1], "Collège, Paris");
	ck_assert_int_eq(csv_next(r.c, &rec), 0);
	close_reader(&r);
}
END_TEST

START_TEST(bom_skipped)
{
	static const char t[] = "\xEF\xBB\xBFuai;name\n1;2\n";
	struct reader r;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_str_eq(csv_header_name(r.c, 0), "uai");
	ck_assert_int_eq(csv_column(r.c, (const char *const[]){ "UAI", NULL }), 0);
	close_reader(&r);
}
END_TEST

START_TEST(quotes_doubled_and_newlines)
{
	static const char t[] = "a;b\n\"say \"\"hi\"\"\";\"two\nlines\r\nthree\"\nnext;row\n";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_str_eq(rec.fields[0], "say \"hi\"");
	ck_assert_str_eq(rec.fields[1], "two\nlines\nthree");
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_int_eq(rec.line, 5);         /* physical line after the quoted newlines */
	ck_assert_str_eq(rec.fields[0], "next");
	close_reader(&r);
}
END_TEST

START_TEST(blank_lines_and_short_rows)
{
	static const char t[] = "\na;b;c\n\n1\n\r\n2;;\n3;x";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_header_count(r.c), 3);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_int_eq(rec.line, 4);
	ck_assert_int_eq(rec.nfields, 1);
	ck_assert_str_eq(csv_field(&rec, 2), "");
	ck_assert_str_eq(csv_field(&rec, -1), "");
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_int_eq(rec.line, 6);
	ck_assert_int_eq(rec.nfields, 3);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);    /* no newline at the end */
	ck_assert_int_eq(rec.line, 7);
	ck_assert_str_eq(rec.fields[1], "x");
	ck_assert_int_eq(csv_next(r.c, &rec), 0);
	close_reader(&r);
}
END_TEST

START_TEST(long_record_rejected_reading_goes_on)
{
	size_t big = 2000;
	char *t = malloc(big + 64);
	struct reader r;
	struct csv_record rec;
	size_t n;

	ck_assert_ptr_nonnull(t);
	n = (size_t)sprintf(t, "a;b\n1;");
	memset(t + n, 'x', big);
	n += big;
	n += (size_t)sprintf(t + n, "\n2;ok\n");
	open_text(&r, t, n, 1000);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_str_eq(rec.error, "too_long");
	ck_assert_int_eq(rec.line, 2);
	ck_assert_int_eq(rec.nfields, 0);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_ptr_null(rec.error);
	ck_assert_int_eq(rec.line, 3);
	ck_assert_str_eq(rec.fields[1], "ok");
	close_reader(&r);
	free(t);
}
END_TEST

START_TEST(invalid_utf8_rejected_per_row)
{
	static const char t[] = "a;b\n1;caf\xC3\n2;caf\xC3\xA9\n";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_str_eq(rec.error, "invalid_utf8");
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_ptr_null(rec.error);
	ck_assert_str_eq(rec.fields[1], "café");
	close_reader(&r);
}
END_TEST

START_TEST(unterminated_quote)
{
	static const char t[] = "a;b\n1;\"never\nclosed\n";
	struct reader r;
	struct csv_record rec;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_str_eq(rec.error, "unterminated_quote");
	ck_assert_int_eq(rec.line, 2);
	ck_assert_int_eq(csv_next(r.c, &rec), 0);
	close_reader(&r);
}
END_TEST

START_TEST(header_lookup_by_aliases)
{
	static const char t[] = "Identifiant_de_l_etablissement ; Nom_etablissement;Code_postal\n";
	static const char *const uai[] = { "uai", "identifiant_de_l_etablissement", NULL };
	static const char *const town[] = { "town", "Nom_commune", NULL };
	struct reader r;

	open_text(&r, t, sizeof t - 1, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_column(r.c, uai), 0);
	ck_assert_int_eq(csv_column(r.c, (const char *const[]){ "nom_etablissement", NULL }), 1);
	ck_assert_int_eq(csv_column(r.c, town), -1);
	close_reader(&r);
}
END_TEST

START_TEST(empty_file)
{
	static const char t[] = "";
	struct reader r;

	open_text(&r, t, 0, 0);
	ck_assert_int_eq(csv_read_header(r.c), 0);
	close_reader(&r);
}
END_TEST

START_TEST(too_many_fields)
{
	char t[CSV_MAX_FIELDS * 2 + 32];
	size_t n = (size_t)sprintf(t, "a\n");
	struct reader r;
	struct csv_record rec;

	for (int i = 0; i <= CSV_MAX_FIELDS; i++)
		t[n++] = ';';
	t[n++] = '\n';
	open_text(&r, t, n, 0);
	ck_assert_int_eq(csv_read_header(r.c), 1);
	ck_assert_int_eq(csv_next(r.c, &rec), 1);
	ck_assert_str_eq(rec.error, "too_many_fields");
	close_reader(&r);
}
END_TEST

START_TEST(formula_guard_round_trip)
{
	static const char *const cells[] = { "=SUM(A1)", "+33 1 23", "-2", "@handle", "'=x", "''+y", "'", "''",
		"plain", "", "a=b", " =x", "'quoted'", "- a list\n- item", NULL };

	for (int i = 0; cells[i]; i++) {
		char out[64];

		/* the export: an apostrophe before a formula-like cell */
		snprintf(out, sizeof out, "%s%s", csv_guarded(cells[i]) ? "'" : "", cells[i]);
		ck_assert(out[0] != '=' && out[0] != '+' && out[0] != '-' && out[0] != '@');
		csv_unguard(out);
		ck_assert_str_eq(out, cells[i]);
	}
	ck_assert(csv_guarded("=1") && csv_guarded("'@x") && !csv_guarded("'x") && !csv_guarded("x=1"));
	{
		char typed[] = "'hello";   /* an apostrophe typed before text stays */

		csv_unguard(typed);
		ck_assert_str_eq(typed, "'hello");
	}
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, semicolons_detected);
	tcase_add_test(tc, commas_detected);
	tcase_add_test(tc, bom_skipped);
	tcase_add_test(tc, quotes_doubled_and_newlines);
	tcase_add_test(tc, blank_lines_and_short_rows);
	tcase_add_test(tc, long_record_rejected_reading_goes_on);
	tcase_add_test(tc, invalid_utf8_rejected_per_row);
	tcase_add_test(tc, unterminated_quote);
	tcase_add_test(tc, header_lookup_by_aliases);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, too_many_fields);
	tcase_add_test(tc, formula_guard_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
