/* Per-request arena: many small allocations, freed at once when the request
 * completes. Not thread-safe: one arena belongs to one request. */
#ifndef RESPIRE_UTIL_ARENA_H
#define RESPIRE_UTIL_ARENA_H

#include <stddef.h>
#include "util/buf.h"

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory, or NULL when out of memory or past the arena's bound. */
void *arena_alloc(struct arena *a, size_t n);
/* Room for one more item in an array of *cap items of size bytes holding
 * n: items itself while n < *cap, else a copy twice as large (*cap
 * doubled). NULL when out of memory (items stays as it was). */
void *arena_grow(struct arena *a, void *items, int n, int *cap, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) FMT_PRINTF(2, 3);

#endif
