/* Growable byte buffer with a hard bound and a sticky failure flag.
 * Ownership: whoever initialises a buffer frees it with buf_free(). */
#ifndef RESPIRE_UTIL_BUF_H
#define RESPIRE_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define FMT_PRINTF(a, b) __attribute__((format(printf, a, b)))

#define BUF_DEFAULT_MAX ((size_t)16 * 1024 * 1024)

struct buf {
	char *data;     /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	size_t max;     /* 0 means BUF_DEFAULT_MAX */
	int failed;     /* set on overflow or allocation failure; appends then do nothing */
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }

int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) FMT_PRINTF(2, 3);
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) FMT_PRINTF(2, 0);
/* The contents as a C string ("" when empty); never NULL. */
const char *buf_str(const struct buf *b);
/* Hands the storage to the caller (malloc'ed, NUL-terminated) and resets b. */
char *buf_take(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
