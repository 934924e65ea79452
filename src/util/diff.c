#include "util/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Splits s into lines (without their newline); returns the count or -1. */
static int split(struct arena *a, const char *s, const char ***out)
{
	int n = 1;
	char *copy;

	for (const char *p = s; *p; p++)
		if (*p == '\n' && ++n > DIFF_MAX_LINES)
			return -1;
	copy = arena_strdup(a, s);
	*out = arena_alloc(a, sizeof **out * (size_t)n);
	if (!copy || !*out)
		return -1;
	n = 0;
	for (char *line = copy;;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		(*out)[n++] = line;
		if (!nl)
			break;
		line = nl + 1;
	}
	return n;
}

int diff_lines(struct arena *a, const char *old, const char *new_text, struct diff_line **out)
{
	const char **x, **y;
	int n = split(a, old, &x), m = split(a, new_text, &y), k = 0, i, j;
	uint16_t *t;

	if (n < 0 || m < 0)
		return -1;
	/* t[i][j]: LCS length of x[i..] and y[j..]; lines are at most DIFF_MAX_LINES. */
	t = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof *t);
	*out = arena_alloc(a, sizeof **out * (size_t)(n + m));
	if (!t || !*out) {
		free(t);
		return -1;
	}
#define T(i, j) t[(size_t)(i) * (size_t)(m + 1) + (size_t)(j)]
	for (i = n - 1; i >= 0; i--)
		for (j = m - 1; j >= 0; j--)
			T(i, j) = !strcmp(x[i], y[j]) ? (uint16_t)(T(i + 1, j + 1) + 1) :
				  T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m && !strcmp(x[i], y[j])) {
			(*out)[k++] = (struct diff_line){ DIFF_SAME, x[i] };
			i++;
			j++;
		} else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
			(*out)[k++] = (struct diff_line){ DIFF_DEL, x[i++] };
		} else {
			(*out)[k++] = (struct diff_line){ DIFF_ADD, y[j++] };
		}
	}
#undef T
	free(t);
	return k;
}
