/* Matching a path against the route lists, segment by segment, with typed
 * parameters (see router.h). */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

enum seg_kind { SEG_LITERAL, SEG_ANY, SEG_INT, SEG_SLUG, SEG_UUID, SEG_UAI, SEG_BAD };

/* The length of the segment at s (up to '/' or the end). */
static size_t seg_len(const char *s)
{
	const char *end = strchr(s, '/');

	return end ? (size_t)(end - s) : strlen(s);
}

/* A parameter segment may end with a literal suffix after its braces
 * ("{id:int}.ics"): the suffix's length (0: none). */
static size_t seg_suffix(const char *p, size_t n)
{
	const char *c;

	if (n == 0 || p[0] != '{' || !(c = memchr(p, '}', n)))
		return 0;
	return n - (size_t)(c + 1 - p);
}

/* What a pattern segment is: a literal, or a parameter of some type (with
 * or without a suffix: a dot and lower-case letters or digits). */
static enum seg_kind seg_kind(const char *p, size_t n)
{
	const char *colon;
	size_t tn, sx = seg_suffix(p, n);

	if (n == 0) /* only in "/" */
		return SEG_LITERAL;
	if (sx) {
		const char *x = p + n - sx;

		if (sx < 2 || x[0] != '.')
			return SEG_BAD;
		for (size_t i = 1; i < sx; i++)
			if (!((x[i] >= 'a' && x[i] <= 'z') || (x[i] >= '0' && x[i] <= '9')))
				return SEG_BAD;
		n -= sx;
	}
	if (p[0] != '{')
		return !memchr(p, '}', n) && !memchr(p, ':', n) ? SEG_LITERAL : SEG_BAD;
	if (n < 3 || p[n - 1] != '}' || memchr(p + 1, '{', n - 2) || memchr(p + 1, '}', n - 2))
		return SEG_BAD;
	colon = memchr(p, ':', n);
	if (!colon)
		return SEG_ANY;
	if (colon == p + 1)
		return SEG_BAD; /* no name */
	tn = (size_t)(p + n - 1 - (colon + 1));
	if (tn == 3 && !memcmp(colon + 1, "int", 3))
		return SEG_INT;
	if (tn == 4 && !memcmp(colon + 1, "slug", 4))
		return SEG_SLUG;
	if (tn == 4 && !memcmp(colon + 1, "uuid", 4))
		return SEG_UUID;
	if (tn == 3 && !memcmp(colon + 1, "uai", 3))
		return SEG_UAI;
	return SEG_BAD;
}

/* A positive decimal int64 without sign, leading zero or overflow; -1 when not. */
static int64_t parse_int_seg(const char *s, size_t n)
{
	int64_t v = 0;

	if (n == 0 || n > 19 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int slug_ok(const char *s, size_t n)
{
	if (n == 0 || n > 100)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int uuid_ok(const char *s, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

/* A school's UAI: 7 digits and a letter, either case ("0750001A"). */
static int uai_ok(const char *s, size_t n)
{
	if (n != 8)
		return 0;
	for (size_t i = 0; i < 7; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return (s[7] >= 'A' && s[7] <= 'Z') || (s[7] >= 'a' && s[7] <= 'z');
}

/* Does a path segment parse as a parameter of this kind? *id: an int's value. */
static int seg_ok(enum seg_kind k, const char *s, size_t n, int64_t *id)
{
	*id = 0;
	switch (k) {
	case SEG_ANY: return n > 0;
	case SEG_INT: return (*id = parse_int_seg(s, n)) > 0;
	case SEG_SLUG: return slug_ok(s, n);
	case SEG_UUID: return uuid_ok(s, n);
	case SEG_UAI: return uai_ok(s, n);
	default: return 0;
	}
}

enum { NO_MATCH, MATCH, BAD_PARAM };

/* Matches pattern against path segment by segment: MATCH, NO_MATCH, or
 * BAD_PARAM when every literal matches but a parameter does not parse. */
static int match(const char *pat, const char *path, struct request *r)
{
	int n = 0, bad = 0;

	while (*pat == '/' && *path == '/') {
		size_t pn, sn;
		enum seg_kind k;

		pat++;
		path++;
		pn = seg_len(pat);
		sn = seg_len(path);
		k = seg_kind(pat, pn);
		if (k == SEG_LITERAL) {
			if (pn != sn || memcmp(pat, path, pn))
				return NO_MATCH;
		} else if (k == SEG_BAD || n >= ROUTE_MAX_PARAMS) {
			return NO_MATCH; /* route_check refuses such tables */
		} else {
			size_t sx = seg_suffix(pat, pn), vn = sn;
			int64_t id;

			/* a suffix is literal: another ending is another route */
			if (sx && (sn <= sx || memcmp(path + sn - sx, pat + pn - sx, sx)))
				return NO_MATCH;
			vn = sn - sx;
			if (!seg_ok(k, path, vn, &id))
				bad = 1;
			if (r) {
				r->params[n] = arena_strndup(r->arena, path, vn);
				r->param_ids[n] = id;
			}
			n++;
		}
		pat += pn;
		path += sn;
	}
	if (*pat || *path)
		return NO_MATCH;
	if (bad)
		return BAD_PARAM;
	if (r)
		r->nparams = n;
	return MATCH;
}

int route_find(const struct route *const *lists, struct request *r, int *allowed)
{
	int m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	size_t len = strlen(r->path);
	int bad = 0;

	*allowed = 0;
	r->route = NULL;
	r->nparams = 0;
	/* A trailing slash is not the same page: "/groups/" is 404. */
	if (len > 1 && r->path[len - 1] == '/')
		return 404;
	for (const struct route *const *l = lists; *l; l++) {
		for (const struct route *rt = *l; rt->pattern; rt++) {
			int how = match(rt->pattern, r->path, NULL);

			if (how == NO_MATCH)
				continue;
			if (!(rt->methods & m)) {
				*allowed |= rt->methods;
				continue;
			}
			if (how == BAD_PARAM) {
				bad = 1;
				continue;
			}
			match(rt->pattern, r->path, r);
			r->route = rt;
			return 0;
		}
	}
	memset(r->params, 0, sizeof r->params);
	memset(r->param_ids, 0, sizeof r->param_ids);
	return bad ? 400 : *allowed ? 405 : 404;
}

/* Could one path match both segments? */
static int segs_overlap(const char *a, size_t an, const char *b, size_t bn)
{
	enum seg_kind ka = seg_kind(a, an), kb = seg_kind(b, bn);
	size_t sa = seg_suffix(a, an), sb = seg_suffix(b, bn);
	int64_t id;

	if (ka == SEG_LITERAL && kb == SEG_LITERAL)
		return an == bn && !memcmp(a, b, an);
	if (ka == SEG_LITERAL)
		return an > sb && !memcmp(a + an - sb, b + bn - sb, sb) && seg_ok(kb, a, an - sb, &id);
	if (kb == SEG_LITERAL)
		return bn > sa && !memcmp(b + bn - sa, a + an - sa, sa) && seg_ok(ka, b, bn - sa, &id);
	/* Suffixes: an int, a uuid, a uai or a slug holds no dot, so only a
	 * free segment meets a parameter of another ending. */
	if (sa != sb || memcmp(a + an - sa, b + bn - sb, sa)) {
		if (!sa || !sb)
			return (sa ? kb : ka) == SEG_ANY;
		return ka == SEG_ANY || kb == SEG_ANY;
	}
	/* Two parameters: an int, a uuid and a uai never meet (a slug or a
	 * free segment may be any of them). */
	if (ka == SEG_INT || ka == SEG_UUID || ka == SEG_UAI)
		if (kb == SEG_INT || kb == SEG_UUID || kb == SEG_UAI)
			return ka == kb;
	return 1;
}

static int patterns_overlap(const char *a, const char *b)
{
	while (*a == '/' && *b == '/') {
		size_t an = seg_len(a + 1), bn = seg_len(b + 1);

		if (!segs_overlap(a + 1, an, b + 1, bn))
			return 0;
		a += an + 1;
		b += bn + 1;
	}
	return !*a && !*b;
}

static int pattern_ok(const char *p)
{
	int n = 0;

	if (*p != '/')
		return 0;
	if (!strcmp(p, "/"))
		return 1;
	while (*p == '/') {
		size_t len = seg_len(p + 1);
		enum seg_kind k = seg_kind(p + 1, len);

		if (k == SEG_BAD || len == 0)
			return 0;
		if (k != SEG_LITERAL && ++n > ROUTE_MAX_PARAMS)
			return 0;
		p += len + 1;
	}
	return !*p;
}

int route_check(const struct route *const *lists, char *why, size_t whylen)
{
	for (const struct route *const *l = lists; *l; l++) {
		for (const struct route *a = *l; a->pattern; a++) {
			if (!pattern_ok(a->pattern) || !a->handler || !a->methods) {
				snprintf(why, whylen, "malformed route %s", a->pattern);
				return -1;
			}
			for (const struct route *const *l2 = l; *l2; l2++) {
				for (const struct route *b = l2 == l ? a + 1 : *l2; b->pattern; b++) {
					int ma = a->methods | (a->methods & HTTP_GET ? HTTP_HEAD : 0);
					int mb = b->methods | (b->methods & HTTP_GET ? HTTP_HEAD : 0);

					if ((ma & mb) && patterns_overlap(a->pattern, b->pattern)) {
						snprintf(why, whylen, "routes %s and %s answer the same requests",
							 a->pattern, b->pattern);
						return -1;
					}
				}
			}
		}
	}
	return 0;
}
