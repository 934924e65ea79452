/* The real type of a file's content, by libmagic (never by its name). */
#ifndef RESPIRE_UTIL_FILETYPE_H
#define RESPIRE_UTIL_FILETYPE_H

#include <stddef.h>

/* Writes the MIME type ("image/png") into out; -1 when it cannot be told. */
int filetype_of(const char *path, char *out, size_t outlen);

#endif
