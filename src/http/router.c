#include "http/router.h"

#include <string.h>

/* Matches pattern against path segment by segment. */
static int match(const char *pat, const char *path, struct arena *a, const char **params, int *np)
{
	int n = 0;

	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		if (*pat == ':') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);

			if (len == 0 || n >= 4)
				return 0;
			params[n++] = arena_strndup(a, path, len);
			path += len;
			pat = strchr(pat, '/');
			if (!pat)
				pat = "";
			continue;
		}
		while (*pat && *pat != '/') {
			if (*pat != *path)
				return 0;
			pat++;
			path++;
		}
		if (*path && *path != '/')
			return 0;
	}
	/* A trailing slash is not the same page: "/groups/" is 404. */
	if (*pat || *path)
		return 0;
	*np = n;
	return 1;
}

const struct route *route_find(int method, const char *path, struct arena *a,
			       const char **params, int *nparams, int *status, int *allowed)
{
	int m = method == HTTP_HEAD ? HTTP_GET : method;

	*allowed = 0;
	for (const struct route *r = routes; r->pattern; r++) {
		const char *p[4];
		int n = 0;

		if (!match(r->pattern, path, a, p, &n))
			continue;
		if (r->methods & m) {
			memcpy(params, p, sizeof p);
			*nparams = n;
			return r;
		}
		*allowed |= r->methods;
	}
	*status = *allowed ? 405 : 404;
	return NULL;
}
