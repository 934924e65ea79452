/* One named escaper per output context. The default path escapes:
 * html_fmt() HTML-escapes every %s argument; inserting trusted markup needs
 * the loud html_raw_trusted(). */
#ifndef RESPIRE_UTIL_ESCAPE_H
#define RESPIRE_UTIL_ESCAPE_H

#include "util/buf.h"

/* Text or double/single-quoted attribute value: & < > " ' escaped. */
int html_text(struct buf *b, const char *s);
/* printf into HTML: every %s is HTML-escaped; numbers are copied.
 * Supported: %s %c %d %i %u %x with h/hh/l/ll/z/j, and %%. No '*' widths. */
int html_fmt(struct buf *b, const char *fmt, ...) FMT_PRINTF(2, 3);
/* Trusted markup only (sanitized Markdown output, our own fragments). */
int html_raw_trusted(struct buf *b, const char *s);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
int url_escape(struct buf *b, const char *s);
/* Decodes %XX and (when plus_is_space) '+' in place; returns -1 on a bad escape. */
int url_decode(char *s, int plus_is_space);
/* A same-site path safe to redirect to ("/..." but not "//..." nor "/\\..."). */
int is_local_path(const char *s);

#endif
