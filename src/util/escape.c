#include "util/escape.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int html_text(struct buf *b, const char *s)
{
	const char *run = s;

	if (!s)
		return 0;
	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
	return b->failed ? -1 : 0;
}

int html_raw_trusted(struct buf *b, struct safe_html h)
{
	return h.html ? buf_puts(b, h.html) : 0;
}

/* The specs below are copied from html_fmt's format, itself checked by the compiler. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Formats one numeric or character conversion whose spec is spec[0..n). */
static void fmt_one(struct buf *b, const char *spec, size_t n, va_list *ap)
{
	char f[24];
	char conv = spec[n - 1];
	const char *len = spec + 1;
	int l = 0, h = 0, z = 0, j = 0;

	if (n >= sizeof f)
		return;
	memcpy(f, spec, n);
	f[n] = '\0';
	for (; len < spec + n - 1; len++) {
		if (*len == 'l') l++;
		else if (*len == 'h') h++;
		else if (*len == 'z') z = 1;
		else if (*len == 'j') j = 1;
	}
	if (conv == 'c') {
		char c = (char)va_arg(*ap, int);
		char s[2] = { c, 0 };
		html_text(b, s);
	} else if (conv == 'd' || conv == 'i') {
		if (l >= 2) buf_printf(b, f, va_arg(*ap, long long));
		else if (l == 1) buf_printf(b, f, va_arg(*ap, long));
		else if (z) buf_printf(b, f, va_arg(*ap, ssize_t));
		else if (j) buf_printf(b, f, va_arg(*ap, intmax_t));
		else buf_printf(b, f, va_arg(*ap, int));
	} else {
		if (l >= 2) buf_printf(b, f, va_arg(*ap, unsigned long long));
		else if (l == 1) buf_printf(b, f, va_arg(*ap, unsigned long));
		else if (z) buf_printf(b, f, va_arg(*ap, size_t));
		else if (j) buf_printf(b, f, va_arg(*ap, uintmax_t));
		else buf_printf(b, f, va_arg(*ap, unsigned int));
	}
	(void)h;
}

int html_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *run = fmt;

	va_start(ap, fmt);
	while (*p) {
		const char *spec;

		if (*p != '%') {
			p++;
			continue;
		}
		buf_append(b, run, (size_t)(p - run));
		spec = p++;
		if (*p == '%') {
			buf_putc(b, '%');
			run = ++p;
			continue;
		}
		while (*p && strchr("-+ #0123456789.hlzj", *p))
			p++;
		if (*p == 's') {
			html_text(b, va_arg(ap, const char *));
		} else if (*p && strchr("cdiuxX", *p)) {
			fmt_one(b, spec, (size_t)(p - spec + 1), &ap);
		} else {
			/* Unsupported conversion: a programming error, emit nothing. */
			b->failed = 1;
			break;
		}
		run = ++p;
	}
	if (!b->failed)
		buf_append(b, run, (size_t)(p - run));
	va_end(ap);
	return b->failed ? -1 : 0;
}
#pragma GCC diagnostic pop

int url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(b, e, 3);
		}
	}
	return b->failed ? -1 : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int url_decode(char *s, int plus_is_space)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0)
				return -1;
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else if (*s == '+' && plus_is_space) {
			*w++ = ' ';
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

int is_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7F || *s == '\\')
			return 0;
	return 1;
}
