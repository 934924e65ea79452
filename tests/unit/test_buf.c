/* util/buf.c and util/arena.c. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util/arena.h"
#include "util/buf.h"

START_TEST(buf_empty_is_empty_string)
{
	struct buf b = BUF_INIT;

	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(b.failed, 0);
	buf_free(&b);
}
END_TEST

START_TEST(buf_append_puts_putc_printf)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, "abc", 3), 0);
	ck_assert_int_eq(buf_append(&b, "zzz", 0), 0);
	ck_assert_int_eq(buf_puts(&b, "-def"), 0);
	ck_assert_int_eq(buf_putc(&b, '!'), 0);
	ck_assert_int_eq(buf_printf(&b, " %d/%s/%05.1f", 42, "x", 2.5), 0);
	ck_assert_str_eq(buf_str(&b), "abc-def! 42/x/002.5");
	ck_assert_uint_eq(b.len, strlen("abc-def! 42/x/002.5"));
	ck_assert_int_eq(b.data[b.len], '\0');
	buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(buf_grows_past_first_block)
{
	struct buf b = BUF_INIT;
	char chunk[1000];

	memset(chunk, 'q', sizeof chunk);
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(buf_append(&b, chunk, sizeof chunk), 0);
	ck_assert_int_eq(buf_printf(&b, "%s", "end"), 0);
	ck_assert_uint_eq(b.len, 50003);
	ck_assert_uint_ge(b.cap, b.len + 1);
	ck_assert_int_eq(b.data[49999], 'q');
	ck_assert_str_eq(b.data + 50000, "end");
	buf_free(&b);
}
END_TEST

START_TEST(buf_binary_bytes_kept)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.data, "a\0b", 4), 0);
	buf_free(&b);
}
END_TEST

START_TEST(buf_bound_exact_and_sticky)
{
	struct buf b = BUF_INIT;

	b.max = 10;
	ck_assert_int_eq(buf_puts(&b, "12345"), 0);
	ck_assert_int_eq(buf_puts(&b, "67890"), 0); /* exactly max: allowed */
	ck_assert_uint_eq(b.len, 10);
	ck_assert_int_eq(b.failed, 0);
	ck_assert_int_eq(buf_putc(&b, 'x'), -1);    /* one past max */
	ck_assert_int_eq(b.failed, 1);
	ck_assert_str_eq(buf_str(&b), "1234567890");
	buf_free(&b);
}
END_TEST

START_TEST(buf_failure_is_sticky)
{
	struct buf b = BUF_INIT;

	b.max = 8;
	ck_assert_int_eq(buf_puts(&b, "abc"), 0);
	ck_assert_int_eq(buf_puts(&b, "defghijk"), -1);
	ck_assert_int_eq(b.failed, 1);
	ck_assert_str_eq(buf_str(&b), "abc");
	/* Small appends that would fit still fail once the buffer failed. */
	ck_assert_int_eq(buf_putc(&b, 'd'), -1);
	ck_assert_int_eq(buf_append(&b, "d", 1), -1);
	ck_assert_int_eq(buf_printf(&b, "%d", 1), -1);
	ck_assert_str_eq(buf_str(&b), "abc");
	ck_assert_uint_eq(b.len, 3);
	/* buf_reset clears the flag and the contents. */
	buf_reset(&b);
	ck_assert_int_eq(b.failed, 0);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_int_eq(buf_puts(&b, "ok"), 0);
	ck_assert_str_eq(buf_str(&b), "ok");
	buf_free(&b);
}
END_TEST

START_TEST(buf_printf_respects_bound)
{
	struct buf b = BUF_INIT;

	b.max = 8;
	ck_assert_int_eq(buf_printf(&b, "%d", 12345678), 0);
	ck_assert_int_eq(buf_printf(&b, "%d", 9), -1);
	ck_assert_int_eq(b.failed, 1);
	ck_assert_str_eq(buf_str(&b), "12345678");
	buf_free(&b);

	b.max = 4;
	ck_assert_int_eq(buf_printf(&b, "%s", "too long"), -1);
	ck_assert_str_eq(buf_str(&b), "");
	buf_free(&b);
}
END_TEST

START_TEST(buf_huge_append_refused)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_puts(&b, "x"), 0);
	/* A length near SIZE_MAX must not wrap around the bound check. */
	ck_assert_int_eq(buf_append(&b, "y", SIZE_MAX), -1);
	ck_assert_int_eq(buf_append(&b, "y", BUF_DEFAULT_MAX), -1);
	ck_assert_int_eq(b.failed, 1);
	ck_assert_str_eq(buf_str(&b), "x");
	buf_free(&b);
}
END_TEST

START_TEST(buf_take_hands_over)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p;

	buf_puts(&b, "hello");
	buf_printf(&b, " %u", 7u);
	p = buf_take(&b, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "hello 7");
	ck_assert_uint_eq(len, 7);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_str_eq(buf_str(&b), "");
	/* The buffer is usable again and independent of the taken storage. */
	buf_puts(&b, "again");
	ck_assert_str_eq(buf_str(&b), "again");
	ck_assert_str_eq(p, "hello 7");
	free(p);
	buf_free(&b);
}
END_TEST

START_TEST(buf_take_empty_and_null_len)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p = buf_take(&b, &len);

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "");
	ck_assert_uint_eq(len, 0);
	free(p);
	buf_puts(&b, "z");
	p = buf_take(&b, NULL);
	ck_assert_str_eq(p, "z");
	free(p);
}
END_TEST

START_TEST(arena_alloc_zeroed_aligned)
{
	struct arena *a = arena_new();
	unsigned char *p[200];

	ck_assert_ptr_nonnull(a);
	for (int i = 0; i < 200; i++) {
		size_t n = (size_t)(i * 37 % 500) + 1;

		p[i] = arena_alloc(a, n);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq((uintptr_t)p[i] % alignof(max_align_t), 0);
		for (size_t k = 0; k < n; k++)
			ck_assert_int_eq(p[i][k], 0);
		memset(p[i], i + 1, n);
	}
	/* Later allocations did not overwrite earlier ones. */
	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(p[i][0], (unsigned char)(i + 1));
	ck_assert_ptr_nonnull(arena_alloc(a, 0));
	arena_free(a);
	arena_free(NULL);
}
END_TEST

START_TEST(arena_large_and_bounded)
{
	struct arena *a = arena_new();
	char *big = arena_alloc(a, 100000);

	ck_assert_ptr_nonnull(big);
	memset(big, 'b', 100000);
	ck_assert_ptr_null(arena_alloc(a, (size_t)64 * 1024 * 1024 + 1));
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX));
	ck_assert_ptr_nonnull(arena_alloc(a, 16));
	arena_free(a);
}
END_TEST

START_TEST(arena_strings)
{
	struct arena *a = arena_new();
	char *s = arena_strdup(a, "bonjour");
	char *t = arena_strndup(a, "hello", 3);
	char *e = arena_strdup(a, "");
	char *f = arena_printf(a, "%s-%d-%lld", "a", 5, -7LL);
	char long_s[20000];
	char *g;

	ck_assert_str_eq(s, "bonjour");
	ck_assert_str_eq(t, "hel");
	ck_assert_str_eq(e, "");
	ck_assert_str_eq(f, "a-5--7");
	ck_assert_ptr_null(arena_strdup(a, NULL));
	ck_assert_ptr_null(arena_strndup(a, NULL, 3));
	memset(long_s, 'L', sizeof long_s - 1);
	long_s[sizeof long_s - 1] = '\0';
	g = arena_printf(a, "[%s]", long_s);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(strlen(g), sizeof long_s + 1);
	ck_assert_int_eq(g[0], '[');
	ck_assert_int_eq(g[sizeof long_s], ']');
	ck_assert_str_eq(s, "bonjour");
	arena_free(a);
}
END_TEST

START_TEST(arena_grow_doubles_and_keeps)
{
	struct arena *a = arena_new();
	int cap = 2, n = 0;
	int *xs = arena_alloc(a, (size_t)cap * sizeof *xs);

	for (int i = 0; i < 100; i++) {
		int *room = arena_grow(a, xs, n, &cap, sizeof *xs);

		ck_assert_ptr_nonnull(room);
		xs = room;
		xs[n++] = i;
	}
	ck_assert_int_eq(cap, 128);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(xs[i], i);
	ck_assert_ptr_eq(arena_grow(a, xs, 3, &cap, sizeof *xs), xs); /* room left: the same array */
	arena_free(a);
}
END_TEST

Suite *buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tb = tcase_create("buf");
	TCase *ta = tcase_create("arena");

	tcase_add_test(ta, arena_grow_doubles_and_keeps);

	tcase_add_test(tb, buf_empty_is_empty_string);
	tcase_add_test(tb, buf_append_puts_putc_printf);
	tcase_add_test(tb, buf_grows_past_first_block);
	tcase_add_test(tb, buf_binary_bytes_kept);
	tcase_add_test(tb, buf_bound_exact_and_sticky);
	tcase_add_test(tb, buf_failure_is_sticky);
	tcase_add_test(tb, buf_printf_respects_bound);
	tcase_add_test(tb, buf_huge_append_refused);
	tcase_add_test(tb, buf_take_hands_over);
	tcase_add_test(tb, buf_take_empty_and_null_len);
	suite_add_tcase(s, tb);
	tcase_add_test(ta, arena_alloc_zeroed_aligned);
	tcase_add_test(ta, arena_large_and_bounded);
	tcase_add_test(ta, arena_strings);
	suite_add_tcase(s, ta);
	return s;
}
