/* The words of a document's file, for search: plain text and Markdown as
 * they are, PDF through poppler's pdftotext when it is installed. The
 * result is valid UTF-8 without control characters (newlines kept). */
#ifndef RESPIRE_UTIL_TEXTRACT_H
#define RESPIRE_UTIL_TEXTRACT_H

#include <stddef.h>

#include "util/buf.h"

#define TEXTRACT_MAX ((size_t)200 * 1024) /* bytes of text kept per file */

/* Is there a way to read the words of files of this type? */
int text_extractable(const char *mime);
/* Appends the text of the file at path (at most max bytes) to out. 0, 1 when
 * the type cannot be read here (pdftotext missing), -1 on failure. */
int textract(const char *path, const char *mime, size_t max, struct buf *out);
/* Makes s[0..n) valid UTF-8 without control characters, appending to out. */
void text_clean_append(struct buf *out, const char *s, size_t n);

#endif
