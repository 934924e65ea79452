#include "util/text.h"

#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	while (s < end) {
		unsigned c = *s;
		size_t k;
		unsigned cp, min;

		if (c < 0x80) { s++; continue; }
		if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; min = 0x80; }
		else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; min = 0x800; }
		else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if ((size_t)(end - s) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		s += k + 1;
	}
	return 1;
}

size_t utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int text_ok(const char *s, int multiline)
{
	const unsigned char *p;

	if (!s || !utf8_valid(s, strlen(s)))
		return 0;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == 0x7F)
			return 0;
		if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
			return 0;
	}
	return 1;
}

int text_one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

int text_length_ok(const char *s, size_t min, size_t max, int multiline)
{
	size_t n;

	if (!s || !text_ok(s, multiline))
		return 0;
	n = utf8_len(s);
	return n >= min && n <= max;
}

/* Spaces and characters that show nothing: no-break and typographic spaces,
 * zero-width characters, direction marks and embeddings, soft hyphen, BOM. */
static int invisible(uint32_t c)
{
	return c == 0xA0 || c == 0xAD || c == 0x180E || (c >= 0x2000 && c <= 0x200F) ||
	       (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF;
}

int text_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		uint32_t c = *p;
		size_t n = 1;

		if (c >= 0x80) {
			n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
			c &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
			for (size_t k = 1; k < n; k++) {
				if ((p[k] & 0xC0) != 0x80)
					return 0; /* not text we can judge: not blank */
				c = (c << 6) | (p[k] & 0x3F);
			}
			if (!invisible(c))
				return 0;
		} else if (!isspace((int)c)) {
			return 0;
		}
		p += n;
	}
	return 1;
}

/* Length of the UTF-8 sequence at s if valid, else 0. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n && utf8_valid((const char *)s, n) ? n : 0;
}

void filename_sanitize(const char *in, char *out, size_t outlen)
{
	char tmp[4 * FILENAME_MAX_BYTES + 8];
	const char *base = in ? in : "", *dot;
	size_t n = 0, limit = outlen - 1 < FILENAME_MAX_BYTES ? outlen - 1 : FILENAME_MAX_BYTES;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (const unsigned char *p = (const unsigned char *)base; *p && n < sizeof tmp - 5;) {
		size_t k = utf8_seq(p);

		if (!k) {
			tmp[n++] = '_';
			p++;
		} else if (k == 1 && (*p < 0x20 || *p == 0x7F || strchr("\"*:<>?|", *p))) {
			tmp[n++] = *p < 0x20 || *p == 0x7F ? ' ' : '_';
			p++;
		} else {
			memcpy(tmp + n, p, k);
			n += k;
			p += k;
		}
	}
	tmp[n] = '\0';
	/* No leading dots or spaces (hidden files, "..") nor trailing ones. */
	char *s = tmp;
	while (*s == '.' || *s == ' ')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (!n) {
		snprintf(out, outlen, "document");
		return;
	}
	if (n <= limit) {
		memcpy(out, s, n + 1);
		return;
	}
	/* Too long: cut the stem on a character boundary, keep a short extension. */
	dot = strrchr(s, '.');
	size_t ext = dot && strlen(dot) <= 16 ? strlen(dot) : 0, stem = limit - ext;
	while (stem && ((unsigned char)s[stem] & 0xC0) == 0x80)
		stem--;
	memcpy(out, s, stem);
	memcpy(out + stem, s + n - ext, ext);
	out[stem + ext] = '\0';
}

char *text_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

char *ascii_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

int64_t parse_id(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	return v;
}

int email_shape_ok(const char *s)
{
	const char *at, *dot;
	size_t len;

	if (!s)
		return 0;
	len = strlen(s);
	if (len < 6 || len > 254)
		return 0;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || at - s > 64)
		return 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7F || strchr("<>()[]\\,;:\"", c))
			return 0;
	}
	dot = strrchr(at, '.');
	if (!dot || at[1] == '.' || !dot[1] || strstr(at, ".."))
		return 0;
	return 1;
}

/* Matches one label-bounded pattern piece against a domain, '*' within a label. */
static int glob_label(const char *p, const char *pe, const char *d, const char *de)
{
	while (p < pe) {
		if (*p == '*') {
			/* one or more characters, never crossing a dot */
			for (const char *t = d + 1;; t++) {
				if (t > de || t[-1] == '.')
					return 0;
				if (glob_label(p + 1, pe, t, de))
					return 1;
			}
		}
		if (d >= de || tolower((unsigned char)*p) != tolower((unsigned char)*d))
			return 0;
		p++;
		d++;
	}
	return d == de;
}

int domain_allowed(const char *domain, const char *patterns)
{
	const char *p = patterns;
	size_t dl;

	if (!domain || !patterns)
		return 0;
	dl = strlen(domain);
	while (*p) {
		const char *e = strchr(p, ',');
		const char *s = p, *t;

		if (!e)
			e = p + strlen(p);
		while (s < e && *s == ' ')
			s++;
		t = e;
		while (t > s && t[-1] == ' ')
			t--;
		if (t > s && glob_label(s, t, domain, domain + dl))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

int parse_id_pair(const char *s, int64_t *a, int64_t *b)
{
	const char *dash = s ? strchr(s, '-') : NULL;
	char first[24];
	size_t n;

	if (!dash || (n = (size_t)(dash - s)) == 0 || n >= sizeof first)
		return -1;
	memcpy(first, s, n);
	first[n] = '\0';
	*a = parse_id(first);
	*b = parse_id(dash + 1);
	return *a < 0 || *b < 0 ? -1 : 0;
}

int text_next_mention(const char *text, const char **pos, char *out, size_t outlen)
{
	for (const char *s = *pos; s && (s = strchr(s, '@')); s++) {
		size_t n = 0;

		if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '.' || s[-1] == '_'))
			continue; /* an e-mail address */
		while (n + 1 < outlen && (islower((unsigned char)s[1 + n]) || isdigit((unsigned char)s[1 + n]) ||
					  s[1 + n] == '-'))
			out[n] = s[1 + n], n++;
		while (n && out[n - 1] == '-')
			n--;
		if (outlen)
			out[n] = '\0';
		if (!n)
			continue;
		*pos = s + 1 + n;
		return 1;
	}
	*pos = NULL;
	return 0;
}
