/* Line diff of two texts (longest common subsequence), bounded in size. */
#ifndef RESPIRE_UTIL_DIFF_H
#define RESPIRE_UTIL_DIFF_H

#include <stddef.h>

#include "util/arena.h"

#define DIFF_MAX_LINES 3000

enum diff_op { DIFF_SAME, DIFF_ADD, DIFF_DEL };

struct diff_line {
	enum diff_op op;
	const char *text;
};

/* Fills *out; returns the number of lines, or -1 when a text has more than
 * DIFF_MAX_LINES lines or memory runs out. */
int diff_lines(struct arena *a, const char *old, const char *new_text, struct diff_line **out);

#endif
