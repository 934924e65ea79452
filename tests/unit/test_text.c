/* util/text.c: UTF-8, text fields, ids, addresses and allowed domains. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "util/text.h"
#include "util/tz_paris.h"

#define DEFAULT_DOMAINS "education.gouv.fr,ac-*.fr"

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

START_TEST(utf8_accepts_well_formed)
{
	ck_assert_int_eq(valid(""), 1);
	ck_assert_int_eq(valid("plain ascii"), 1);
	ck_assert_int_eq(valid("h\xC3\xA9llo"), 1);            /* é */
	ck_assert_int_eq(valid("\xC2\x80"), 1);                /* U+0080, smallest 2-byte */
	ck_assert_int_eq(valid("\xDF\xBF"), 1);                /* U+07FF */
	ck_assert_int_eq(valid("\xE0\xA0\x80"), 1);            /* U+0800, smallest 3-byte */
	ck_assert_int_eq(valid("\xE6\x97\xA5\xE6\x9C\xAC"), 1); /* 日本 */
	ck_assert_int_eq(valid("\xED\x9F\xBF"), 1);            /* U+D7FF, before surrogates */
	ck_assert_int_eq(valid("\xEE\x80\x80"), 1);            /* U+E000, after surrogates */
	ck_assert_int_eq(valid("\xEF\xBF\xBF"), 1);            /* U+FFFF */
	ck_assert_int_eq(valid("\xF0\x90\x80\x80"), 1);        /* U+10000 */
	ck_assert_int_eq(valid("\xF0\x9F\x98\x80"), 1);        /* 😀 */
	ck_assert_int_eq(valid("\xF4\x8F\xBF\xBF"), 1);        /* U+10FFFF */
	ck_assert_int_eq(utf8_valid("a\0b", 3), 1);            /* length, not NUL, bounds it */
	/* Only the first n bytes are read: a cut before a sequence is fine. */
	ck_assert_int_eq(utf8_valid("ab\xC3\xA9", 2), 1);
}
END_TEST

START_TEST(utf8_rejects_overlong)
{
	ck_assert_int_eq(valid("\xC0\xAF"), 0);                /* '/' in 2 bytes */
	ck_assert_int_eq(valid("\xC1\xBF"), 0);
	ck_assert_int_eq(valid("\xC0\x80"), 0);                /* NUL in 2 bytes */
	ck_assert_int_eq(valid("\xE0\x80\xAF"), 0);
	ck_assert_int_eq(valid("\xE0\x9F\xBF"), 0);            /* U+07FF in 3 bytes */
	ck_assert_int_eq(valid("\xF0\x80\x80\xAF"), 0);
	ck_assert_int_eq(valid("\xF0\x8F\xBF\xBF"), 0);        /* U+FFFF in 4 bytes */
}
END_TEST

START_TEST(utf8_rejects_surrogates_and_beyond)
{
	ck_assert_int_eq(valid("\xED\xA0\x80"), 0);            /* U+D800 */
	ck_assert_int_eq(valid("\xED\xB0\x80"), 0);            /* U+DC00 */
	ck_assert_int_eq(valid("\xED\xBF\xBF"), 0);            /* U+DFFF */
	ck_assert_int_eq(valid("\xED\xA0\xBD\xED\xB8\x80"), 0); /* CESU pair */
	ck_assert_int_eq(valid("\xF4\x90\x80\x80"), 0);        /* U+110000 */
	ck_assert_int_eq(valid("\xF5\x80\x80\x80"), 0);
	ck_assert_int_eq(valid("\xF7\xBF\xBF\xBF"), 0);
	ck_assert_int_eq(valid("\xF8\x88\x80\x80\x80"), 0);    /* 5-byte form */
	ck_assert_int_eq(valid("\xFE"), 0);
	ck_assert_int_eq(valid("\xFF"), 0);
}
END_TEST

START_TEST(utf8_rejects_truncated_and_stray)
{
	ck_assert_int_eq(valid("\xC3"), 0);
	ck_assert_int_eq(valid("ab\xC3"), 0);
	ck_assert_int_eq(valid("\xE6\x97"), 0);
	ck_assert_int_eq(valid("\xF0\x9F\x98"), 0);
	ck_assert_int_eq(utf8_valid("\xC3\xA9", 1), 0);        /* cut inside by n */
	ck_assert_int_eq(valid("\xC3" "a"), 0);                /* lead then ASCII */
	ck_assert_int_eq(valid("\xE6\x97" "a"), 0);
	ck_assert_int_eq(valid("\x80"), 0);                    /* lone continuation */
	ck_assert_int_eq(valid("a\xBF" "b"), 0);
	ck_assert_int_eq(valid("\xC3\xA9\xA9"), 0);            /* one continuation too many */
}
END_TEST

START_TEST(utf8_len_counts_code_points)
{
	ck_assert_uint_eq(utf8_len(""), 0);
	ck_assert_uint_eq(utf8_len("abc"), 3);
	ck_assert_uint_eq(utf8_len("h\xC3\xA9llo"), 5);
	ck_assert_uint_eq(utf8_len("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), 3);
	ck_assert_uint_eq(utf8_len("\xF0\x9F\x98\x80" "a"), 2);
}
END_TEST

START_TEST(text_ok_control_chars)
{
	ck_assert_int_eq(text_ok("Bonjour \xC3\xA0 tous", 0), 1);
	ck_assert_int_eq(text_ok("", 0), 1);
	ck_assert_int_eq(text_ok(NULL, 0), 0);
	ck_assert_int_eq(text_ok("a\x01" "b", 0), 0);
	ck_assert_int_eq(text_ok("a\x01" "b", 1), 0);
	ck_assert_int_eq(text_ok("a\x1b[31m", 1), 0);          /* escape sequence */
	ck_assert_int_eq(text_ok("a\x7f", 0), 0);
	ck_assert_int_eq(text_ok("a\x7f", 1), 0);
	ck_assert_int_eq(text_ok("a\xC0\xAF", 1), 0);          /* invalid UTF-8 */
}
END_TEST

START_TEST(text_ok_multiline)
{
	ck_assert_int_eq(text_ok("a\nb", 0), 0);
	ck_assert_int_eq(text_ok("a\nb", 1), 1);
	ck_assert_int_eq(text_ok("a\r\nb", 0), 0);
	ck_assert_int_eq(text_ok("a\r\nb", 1), 1);
	ck_assert_int_eq(text_ok("a\tb", 0), 0);
	ck_assert_int_eq(text_ok("a\tb", 1), 1);
	ck_assert_int_eq(text_ok("a\vb", 1), 0);
	ck_assert_int_eq(text_ok("a\fb", 1), 0);
}
END_TEST

START_TEST(text_trim_both_ends)
{
	char a[] = "  a b \t\r\n";
	char b[] = "";
	char c[] = " \t\n ";
	char d[] = "x";
	char e[] = "\n\n inner  space \n";
	char f[] = "Hello Ac-Lyon.FR";

	ck_assert_str_eq(text_trim(a), "a b");
	ck_assert_str_eq(text_trim(b), "");
	ck_assert_str_eq(text_trim(c), "");
	ck_assert_str_eq(text_trim(d), "x");
	ck_assert_ptr_eq(text_trim(d), d);
	ck_assert_str_eq(text_trim(e), "inner  space");
	ck_assert_str_eq(ascii_lower(f), "hello ac-lyon.fr");
}
END_TEST

START_TEST(text_blank_sees_invisible_characters)
{
	ck_assert(text_blank(""));
	ck_assert(text_blank(" \t\n"));
	ck_assert(text_blank("\xc2\xa0"));                 /* no-break space */
	ck_assert(text_blank("\xe2\x80\xae\xe2\x80\x8b")); /* right-to-left override, zero-width space */
	ck_assert(text_blank("\xe3\x80\x80\xef\xbb\xbf")); /* ideographic space, BOM */
	ck_assert(!text_blank("a"));
	ck_assert(!text_blank("\xc2\xa0\xc3\xa9"));          /* a space then "é" */
	ck_assert(!text_blank("\xe2\x80"));                 /* truncated: not judged blank */
}
END_TEST

START_TEST(mentions_are_found_and_addresses_are_not)
{
	const char *text = "Merci @claire-martin et @paul- ! Écrire à jean@ac-lyon.fr, @ seul, (@Zoe) @a1b2";
	const char *pos = text;
	char h[64];
	const char *want[] = { "claire-martin", "paul", "a1b2" };
	int n = 0;

	while (text_next_mention(text, &pos, h, sizeof h)) {
		ck_assert_int_lt(n, 3);
		ck_assert_str_eq(h, want[n++]);
	}
	ck_assert_int_eq(n, 3);
	pos = "@abcdefghij";
	ck_assert_int_eq(text_next_mention("@abcdefghij", &pos, h, 5), 1);
	ck_assert_str_eq(h, "abcd"); /* bounded */
}
END_TEST

START_TEST(parse_id_good)
{
	ck_assert_int_eq(parse_id("1"), 1);
	ck_assert_int_eq(parse_id("42"), 42);
	ck_assert_int_eq(parse_id("9223372036854775807"), INT64_MAX);
}
END_TEST

START_TEST(parse_id_bad)
{
	ck_assert_int_eq(parse_id(NULL), -1);
	ck_assert_int_eq(parse_id(""), -1);
	ck_assert_int_eq(parse_id("0"), -1);
	ck_assert_int_eq(parse_id("-1"), -1);
	ck_assert_int_eq(parse_id("-0"), -1);
	ck_assert_int_eq(parse_id("+1"), -1);
	ck_assert_int_eq(parse_id(" 1"), -1);
	ck_assert_int_eq(parse_id("1 "), -1);
	ck_assert_int_eq(parse_id("\t1"), -1);
	ck_assert_int_eq(parse_id("12a"), -1);
	ck_assert_int_eq(parse_id("abc"), -1);
	ck_assert_int_eq(parse_id("0x10"), -1);
	ck_assert_int_eq(parse_id("1.5"), -1);
	ck_assert_int_eq(parse_id("9223372036854775808"), -1);
	ck_assert_int_eq(parse_id("99999999999999999999999"), -1);
	ck_assert_int_eq(parse_id("-9223372036854775808"), -1);
}
END_TEST

START_TEST(email_shape)
{
	char local64[80], local65[80];

	ck_assert_int_eq(email_shape_ok("claire.martin@ac-lyon.fr"), 1);
	ck_assert_int_eq(email_shape_ok("a+tag@education.gouv.fr"), 1);
	ck_assert_int_eq(email_shape_ok("ab@c.fr"), 1);
	ck_assert_int_eq(email_shape_ok(NULL), 0);
	ck_assert_int_eq(email_shape_ok(""), 0);
	ck_assert_int_eq(email_shape_ok("nope"), 0);
	ck_assert_int_eq(email_shape_ok("no-at-sign.fr"), 0);
	ck_assert_int_eq(email_shape_ok("@ac-lyon.fr"), 0);
	ck_assert_int_eq(email_shape_ok("a@b@ac-lyon.fr"), 0);
	ck_assert_int_eq(email_shape_ok("a b@ac-lyon.fr"), 0);
	ck_assert_int_eq(email_shape_ok("ab@nodotdomain"), 0);
	ck_assert_int_eq(email_shape_ok("abc@.ac-lyon.fr"), 0);
	ck_assert_int_eq(email_shape_ok("abc@ac-lyon.fr."), 0);
	ck_assert_int_eq(email_shape_ok("abc@ac-lyon..fr"), 0);
	ck_assert_int_eq(email_shape_ok("<a@ac-lyon.fr>"), 0);
	ck_assert_int_eq(email_shape_ok("a\"b@ac-lyon.fr"), 0);
	ck_assert_int_eq(email_shape_ok("abc@ac-lyon.fr\r\nBcc: x@y.fr"), 0);
	ck_assert_int_eq(email_shape_ok("\xC3\xA9l\xC3\xA8ve@ac-lyon.fr"), 0);
	memset(local64, 'a', 64);
	strcpy(local64 + 64, "@ac-lyon.fr");
	memset(local65, 'a', 65);
	strcpy(local65 + 65, "@ac-lyon.fr");
	ck_assert_int_eq(email_shape_ok(local64), 1);
	ck_assert_int_eq(email_shape_ok(local65), 0);
}
END_TEST

START_TEST(email_shape_length_bound)
{
	char s[300];

	/* 10 + "@" + domain: 254 characters accepted, 255 refused. */
	memset(s, 'a', 10);
	s[10] = '@';
	memset(s + 11, 'b', 254 - 11 - 3);
	strcpy(s + 254 - 3, ".fr");
	ck_assert_uint_eq(strlen(s), 254);
	ck_assert_int_eq(email_shape_ok(s), 1);
	memset(s + 11, 'b', 255 - 11 - 3);
	strcpy(s + 255 - 3, ".fr");
	ck_assert_uint_eq(strlen(s), 255);
	ck_assert_int_eq(email_shape_ok(s), 0);
}
END_TEST

START_TEST(domain_allowed_default)
{
	ck_assert_int_eq(domain_allowed("ac-lyon.fr", DEFAULT_DOMAINS), 1);
	ck_assert_int_eq(domain_allowed("AC-LYON.FR", DEFAULT_DOMAINS), 1);
	ck_assert_int_eq(domain_allowed("ac-aix-marseille.fr", DEFAULT_DOMAINS), 1);
	ck_assert_int_eq(domain_allowed("ac-.fr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("x.ac-lyon.fr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon.fr.evil.com", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon.evil.fr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon.frx", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("xac-lyon.fr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("education.gouv.fr", DEFAULT_DOMAINS), 1);
	ck_assert_int_eq(domain_allowed("Education.Gouv.FR", DEFAULT_DOMAINS), 1);
	ck_assert_int_eq(domain_allowed("sub.education.gouv.fr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("education.gouv.fr.evil.com", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("education.gouv.frr", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("gmail.com", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("", DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed(NULL, DEFAULT_DOMAINS), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon.fr", NULL), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon.fr", ""), 0);
}
END_TEST

START_TEST(domain_allowed_patterns)
{
	ck_assert_int_eq(domain_allowed("b.org", "a.org, b.org ,c.org"), 1);
	ck_assert_int_eq(domain_allowed("c.org", "a.org, b.org ,c.org"), 1);
	ck_assert_int_eq(domain_allowed("d.org", "a.org, b.org ,c.org"), 0);
	ck_assert_int_eq(domain_allowed("x.org", ",,x.org,"), 1);
	ck_assert_int_eq(domain_allowed("lycee.fr", "*.fr"), 1);
	ck_assert_int_eq(domain_allowed("a.lycee.fr", "*.fr"), 0);
	ck_assert_int_eq(domain_allowed("a.lycee.fr", "*.*.fr"), 1);
	ck_assert_int_eq(domain_allowed("ac-lyon.fr", "ac-*-x.fr"), 0);
	ck_assert_int_eq(domain_allowed("ac-lyon-x.fr", "ac-*-x.fr"), 1);
}
END_TEST

START_TEST(filename_keeps_the_last_component)
{
	char out[FILENAME_MAX_BYTES + 1];

	filename_sanitize("../../etc/passwd", out, sizeof out);
	ck_assert_str_eq(out, "passwd");
	filename_sanitize("C:\\Users\\prof\\cours.pdf", out, sizeof out);
	ck_assert_str_eq(out, "cours.pdf");
	filename_sanitize("dir/", out, sizeof out);
	ck_assert_str_eq(out, "document");
	filename_sanitize(NULL, out, sizeof out);
	ck_assert_str_eq(out, "document");
	filename_sanitize("...", out, sizeof out);
	ck_assert_str_eq(out, "document");
}
END_TEST

START_TEST(filename_drops_what_file_systems_refuse)
{
	char out[FILENAME_MAX_BYTES + 1];

	filename_sanitize(".bashrc", out, sizeof out);
	ck_assert_str_eq(out, "bashrc");
	filename_sanitize("a\tb\001c.txt", out, sizeof out);
	ck_assert_str_eq(out, "a b c.txt");
	filename_sanitize("q?*:<>|\".txt", out, sizeof out);
	ck_assert_str_eq(out, "q_______.txt");
	filename_sanitize("bad\xff\xfe.txt", out, sizeof out);
	ck_assert_str_eq(out, "bad__.txt");
	filename_sanitize("Séquence élève.pdf  ", out, sizeof out);
	ck_assert_str_eq(out, "Séquence élève.pdf");
}
END_TEST

START_TEST(filename_is_bounded_and_keeps_its_extension)
{
	char in[1200], out[FILENAME_MAX_BYTES + 1], small[12];
	size_t n = 0;

	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(in + n, sizeof in - n, "é");
	snprintf(in + n, sizeof in - n, ".odt");
	filename_sanitize(in, out, sizeof out);
	ck_assert_uint_le(strlen(out), FILENAME_MAX_BYTES);
	ck_assert_int_eq(utf8_valid(out, strlen(out)), 1);
	ck_assert_str_eq(out + strlen(out) - 4, ".odt");
	filename_sanitize("abcdefghijklmnop.txt", small, sizeof small);
	ck_assert_str_eq(small, "abcdefg.txt");
}
END_TEST

/* util/tz_paris.c: Europe/Paris by the EU rule, whatever TZ says. */
START_TEST(paris_time_follows_the_eu_rule)
{
	struct tm tm;

	/* 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC */
	ck_assert_int_eq(tz_paris_offset(1806195599), 3600);   /* 2027-03-28 00:59:59Z */
	ck_assert_int_eq(tz_paris_offset(1806195600), 7200);   /* 2027-03-28 01:00:00Z */
	ck_assert_int_eq(tz_paris_offset(1824944399), 7200);   /* 2027-10-31 00:59:59Z */
	ck_assert_int_eq(tz_paris_offset(1824944400), 3600);   /* 2027-10-31 01:00:00Z */
	ck_assert_int_eq(tz_paris_offset(1782864000), 7200);   /* 2026-07-01 */
	ck_assert_int_eq(tz_paris_offset(1767225600), 3600);   /* 2026-01-01 */
	tz_paris_tm(1806195600, &tm);                          /* 03:00 CEST */
	ck_assert_int_eq(tm.tm_hour, 3);
	ck_assert_int_eq(tm.tm_mday, 28);
	ck_assert_int_eq(tm.tm_isdst, 1);
	/* back: a winter and a summer wall time; the spring gap read in winter
	 * time; the autumn repeat's first (summer) occurrence */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = 127;
	tm.tm_mon = 2;
	tm.tm_mday = 27;
	tm.tm_hour = 10;
	ck_assert_int_eq(tz_paris_from_local(&tm), 1806138000); /* 2027-03-27 09:00Z */
	tm.tm_mday = 28;
	tm.tm_hour = 18;
	ck_assert_int_eq(tz_paris_from_local(&tm), 1806249600); /* 2027-03-28 16:00Z */
	tm.tm_hour = 2;
	tm.tm_min = 30;
	ck_assert_int_eq(tz_paris_from_local(&tm), 1806197400); /* 01:30Z: 03:30 CEST */
	tm.tm_mon = 9;
	tm.tm_mday = 31;
	ck_assert_int_eq(tz_paris_from_local(&tm), 1824942600); /* 00:30Z, CEST */
}
END_TEST

Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tu = tcase_create("utf8");
	TCase *tt = tcase_create("fields");
	TCase *td = tcase_create("addresses");

	tcase_add_test(tu, utf8_accepts_well_formed);
	tcase_add_test(tu, utf8_rejects_overlong);
	tcase_add_test(tu, utf8_rejects_surrogates_and_beyond);
	tcase_add_test(tu, utf8_rejects_truncated_and_stray);
	tcase_add_test(tu, utf8_len_counts_code_points);
	suite_add_tcase(s, tu);
	tcase_add_test(tt, text_ok_control_chars);
	tcase_add_test(tt, text_ok_multiline);
	tcase_add_test(tt, text_trim_both_ends);
	tcase_add_test(tt, mentions_are_found_and_addresses_are_not);
	tcase_add_test(tt, text_blank_sees_invisible_characters);
	tcase_add_test(tt, parse_id_good);
	tcase_add_test(tt, parse_id_bad);
	suite_add_tcase(s, tt);
	tcase_add_test(td, email_shape);
	tcase_add_test(td, email_shape_length_bound);
	tcase_add_test(td, domain_allowed_default);
	tcase_add_test(td, domain_allowed_patterns);
	suite_add_tcase(s, td);
	{
		TCase *tf = tcase_create("file names");

		tcase_add_test(tf, filename_keeps_the_last_component);
		tcase_add_test(tf, filename_drops_what_file_systems_refuse);
		tcase_add_test(tf, filename_is_bounded_and_keeps_its_extension);
		suite_add_tcase(s, tf);
	}
	{
		TCase *tz = tcase_create("paris time");

		tcase_add_test(tz, paris_time_follows_the_eu_rule);
		suite_add_tcase(s, tz);
	}
	return s;
}
