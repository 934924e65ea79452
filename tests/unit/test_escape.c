/* util/escape.c: one escaper per output context. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "suites.h"
#include "util/buf.h"
#include "util/arena.h"
#include "util/escape.h"
#include "util/markdown.h"

START_TEST(html_text_escapes_the_five)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(html_text(&b, "a&b<c>d\"e'f"), 0);
	ck_assert_str_eq(buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	ck_assert_int_eq(html_text(&b, "<script>alert('x')</script>"), 0);
	ck_assert_str_eq(buf_str(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	buf_reset(&b);
	ck_assert_int_eq(html_text(&b, "&amp;"), 0);          /* no double-unescape */
	ck_assert_str_eq(buf_str(&b), "&amp;amp;");
	buf_free(&b);
}
END_TEST

START_TEST(html_text_plain_and_empty)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(html_text(&b, "Élève café 42"), 0);
	ck_assert_str_eq(buf_str(&b), "Élève café 42");
	ck_assert_int_eq(html_text(&b, ""), 0);
	ck_assert_int_eq(html_text(&b, NULL), 0);
	ck_assert_str_eq(buf_str(&b), "Élève café 42");
	buf_reset(&b);
	ck_assert_int_eq(html_text(&b, "<<>>"), 0);
	ck_assert_str_eq(buf_str(&b), "&lt;&lt;&gt;&gt;");
	buf_free(&b);
}
END_TEST

START_TEST(html_text_reports_bound)
{
	struct buf b = BUF_INIT;

	b.max = 8;
	ck_assert_int_eq(html_text(&b, "<<<"), -1);
	ck_assert_int_eq(b.failed, 1);
	buf_free(&b);
}
END_TEST

START_TEST(html_fmt_escapes_strings)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(html_fmt(&b, "<p class=\"%s\">%s</p>", "x\" onload=\"y", "<b>&"), 0);
	ck_assert_str_eq(buf_str(&b), "<p class=\"x&quot; onload=&quot;y\">&lt;b&gt;&amp;</p>");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "%s%s", "'", "'"), 0);
	ck_assert_str_eq(buf_str(&b), "&#39;&#39;");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "[%c][%c]", '<', 'a'), 0);
	ck_assert_str_eq(buf_str(&b), "[&lt;][a]");
	buf_free(&b);
}
END_TEST

START_TEST(html_fmt_copies_numbers)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(html_fmt(&b, "%d %lld %zu %u %x", -5, -9000000000LL, (size_t)42, 7u, 255u), 0);
	ck_assert_str_eq(buf_str(&b), "-5 -9000000000 42 7 ff");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "%i|%ld|%llu|%X|%5d|%-3d|%04x|%jd|%hhu",
				  3, -70000L, 18446744073709551615ULL, 0xABu, 42, 1, 0x1fu,
				  (intmax_t)INT64_MIN, (unsigned char)200), 0);
	ck_assert_str_eq(buf_str(&b), "3|-70000|18446744073709551615|AB|   42|1  |001f|"
			 "-9223372036854775808|200");
	buf_free(&b);
}
END_TEST

START_TEST(html_fmt_percent_and_null)
{
	struct buf b = BUF_INIT;
	const char *volatile nothing = NULL; /* hidden from -Wformat-overflow */

	ck_assert_int_eq(html_fmt(&b, "100%% <%s>%%", "&"), 0);
	ck_assert_str_eq(buf_str(&b), "100% <&amp;>%");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "[%s]", nothing), 0);
	ck_assert_str_eq(buf_str(&b), "[]");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "no conversions <here>"), 0);
	ck_assert_str_eq(buf_str(&b), "no conversions <here>");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "%s then %d and %s", "<a>", 12, "<b>"), 0);
	ck_assert_str_eq(buf_str(&b), "&lt;a&gt; then 12 and &lt;b&gt;");
	buf_free(&b);
}
END_TEST

START_TEST(html_fmt_unsupported_fails)
{
	struct buf b = BUF_INIT;

	/* %f is valid printf (so it compiles) but not supported: the buffer fails. */
	ck_assert_int_eq(html_fmt(&b, "x %f y", 1.5), -1);
	ck_assert_int_eq(b.failed, 1);
	ck_assert_int_eq(html_fmt(&b, "%d", 1), -1);
	buf_free(&b);
}
END_TEST

/* The raw path takes a struct safe_html only (a char * does not compile),
 * and the Markdown renderer, which makes one, is safe. */
START_TEST(html_raw_trusted_copies)
{
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	struct safe_html h;

	ck_assert_ptr_nonnull(a);
	h = markdown_render(a, "*ok*");
	ck_assert_int_eq(html_raw_trusted(&b, h), 0);
	ck_assert_int_eq(html_raw_trusted(&b, (struct safe_html){ NULL }), 0);
	ck_assert_str_eq(buf_str(&b), "<p><em>ok</em></p>\n");
	buf_free(&b);
	arena_free(a);
}
END_TEST

START_TEST(markdown_renders_in_safe_mode)
{
	struct arena *a = arena_new();
	struct safe_html h;

	ck_assert_ptr_nonnull(a);
	h = markdown_render(a, "# Titre\n\n<script>alert(1)</script> <b onclick=\"x()\">gras</b>\n\n"
			    "[lien](javascript:alert(1)) [autre](vbscript:x) [f](file:///etc/passwd)"
			    " ![i](data:image/png;base64,AAAA) [d](data:text/html,<script>)\n\n"
			    "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~ https://example.fr\n\n- [x] fait\n");
	ck_assert_ptr_nonnull(h.html);
	ck_assert_ptr_nonnull(strstr(h.html, "<h1>Titre</h1>"));
	ck_assert_ptr_null(strstr(h.html, "<script"));
	ck_assert_ptr_null(strstr(h.html, "onclick"));
	ck_assert_ptr_null(strstr(h.html, "<b"));
	ck_assert_ptr_null(strstr(h.html, "javascript:"));
	ck_assert_ptr_null(strstr(h.html, "vbscript:"));
	ck_assert_ptr_null(strstr(h.html, "file:"));
	ck_assert_ptr_null(strstr(h.html, "data:text"));
	ck_assert_ptr_nonnull(strstr(h.html, "src=\"data:image/png"));
	ck_assert_ptr_nonnull(strstr(h.html, "<table>"));
	ck_assert_ptr_nonnull(strstr(h.html, "<del>barré</del>"));
	ck_assert_ptr_nonnull(strstr(h.html, "<a href=\"https://example.fr\">"));
	ck_assert_ptr_nonnull(strstr(h.html, "checkbox"));
	/* NULL is the empty text */
	h = markdown_render(a, NULL);
	ck_assert_str_eq(h.html, "");
	arena_free(a);
}
END_TEST

START_TEST(url_escape_reserved)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(url_escape(&b, "AZaz09-_.~"), 0);
	ck_assert_str_eq(buf_str(&b), "AZaz09-_.~");
	buf_reset(&b);
	ck_assert_int_eq(url_escape(&b, "a b&c=d/e?f#g+h%i\"<'é"), 0);
	ck_assert_str_eq(buf_str(&b), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i%22%3C%27%C3%A9");
	buf_reset(&b);
	ck_assert_int_eq(url_escape(&b, "\n\x7f\xff"), 0);
	ck_assert_str_eq(buf_str(&b), "%0A%7F%FF");
	buf_reset(&b);
	ck_assert_int_eq(url_escape(&b, NULL), 0);
	ck_assert_int_eq(url_escape(&b, ""), 0);
	ck_assert_str_eq(buf_str(&b), "");
	buf_free(&b);
}
END_TEST

START_TEST(url_decode_valid)
{
	char s1[] = "a%20b%2Fc%3d%C3%A9";
	char s2[] = "a+b%2B";
	char s3[] = "a+b%2B";
	char s4[] = "";
	char s5[] = "plain";

	ck_assert_int_eq(url_decode(s1, 0), 0);
	ck_assert_str_eq(s1, "a b/c=é");
	ck_assert_int_eq(url_decode(s2, 1), 0);
	ck_assert_str_eq(s2, "a b+");
	ck_assert_int_eq(url_decode(s3, 0), 0);
	ck_assert_str_eq(s3, "a+b+");
	ck_assert_int_eq(url_decode(s4, 1), 0);
	ck_assert_str_eq(s4, "");
	ck_assert_int_eq(url_decode(s5, 1), 0);
	ck_assert_str_eq(s5, "plain");
}
END_TEST

START_TEST(url_decode_invalid)
{
	char s1[] = "a%zzb";
	char s2[] = "a%2";
	char s3[] = "a%";
	char s4[] = "%g0";
	char s5[] = "%0g";

	ck_assert_int_eq(url_decode(s1, 1), -1);
	ck_assert_int_eq(url_decode(s2, 1), -1);
	ck_assert_int_eq(url_decode(s3, 1), -1);
	ck_assert_int_eq(url_decode(s4, 0), -1);
	ck_assert_int_eq(url_decode(s5, 0), -1);
}
END_TEST

START_TEST(url_round_trip)
{
	const char *in = "Léa & Théo: 100% <b>?#/+ ~";
	struct buf b = BUF_INIT;
	char copy[128];

	url_escape(&b, in);
	ck_assert_uint_lt(b.len, sizeof copy);
	memcpy(copy, buf_str(&b), b.len + 1);
	ck_assert_int_eq(url_decode(copy, 1), 0);
	ck_assert_str_eq(copy, in);
	buf_free(&b);
}
END_TEST

START_TEST(local_path_accepts)
{
	ck_assert_int_eq(is_local_path("/x"), 1);
	ck_assert_int_eq(is_local_path("/"), 1);
	ck_assert_int_eq(is_local_path("/users/12?tab=posts#top"), 1);
	ck_assert_int_eq(is_local_path("/a//b"), 1);
}
END_TEST

START_TEST(local_path_rejects)
{
	ck_assert_int_eq(is_local_path(NULL), 0);
	ck_assert_int_eq(is_local_path(""), 0);
	ck_assert_int_eq(is_local_path("x"), 0);
	ck_assert_int_eq(is_local_path("//evil"), 0);
	ck_assert_int_eq(is_local_path("//evil.com/x"), 0);
	ck_assert_int_eq(is_local_path("/\\evil"), 0);
	ck_assert_int_eq(is_local_path("/a\\b"), 0);
	ck_assert_int_eq(is_local_path("http://x"), 0);
	ck_assert_int_eq(is_local_path("https://evil.com/"), 0);
	ck_assert_int_eq(is_local_path("javascript:alert(1)"), 0);
	ck_assert_int_eq(is_local_path("/x\r\nSet-Cookie: a=b"), 0);
	ck_assert_int_eq(is_local_path("/x\nb"), 0);
	ck_assert_int_eq(is_local_path("/x\tb"), 0);
	ck_assert_int_eq(is_local_path("/\x01"), 0);
	ck_assert_int_eq(is_local_path("/\t/evil"), 0);
}
END_TEST

Suite *escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *th = tcase_create("html");
	TCase *tu = tcase_create("url");

	tcase_add_test(th, html_text_escapes_the_five);
	tcase_add_test(th, html_text_plain_and_empty);
	tcase_add_test(th, html_text_reports_bound);
	tcase_add_test(th, html_fmt_escapes_strings);
	tcase_add_test(th, html_fmt_copies_numbers);
	tcase_add_test(th, html_fmt_percent_and_null);
	tcase_add_test(th, html_fmt_unsupported_fails);
	tcase_add_test(th, html_raw_trusted_copies);
	tcase_add_test(th, markdown_renders_in_safe_mode);
	suite_add_tcase(s, th);
	tcase_add_test(tu, url_escape_reserved);
	tcase_add_test(tu, url_decode_valid);
	tcase_add_test(tu, url_decode_invalid);
	tcase_add_test(tu, url_round_trip);
	tcase_add_test(tu, local_path_accepts);
	tcase_add_test(tu, local_path_rejects);
	suite_add_tcase(s, tu);
	return s;
}
