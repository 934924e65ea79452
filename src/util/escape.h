/* One named escaper per output context. The default path escapes:
 * html_fmt() HTML-escapes every %s argument; inserting trusted markup needs
 * the loud html_raw_trusted(), which takes a struct safe_html only. */
#ifndef RESPIRE_UTIL_ESCAPE_H
#define RESPIRE_UTIL_ESCAPE_H

#include "util/buf.h"

/* Text or double/single-quoted attribute value: & < > " ' escaped. */
int html_text(struct buf *b, const char *s);
/* printf into HTML: every %s is HTML-escaped; numbers are copied.
 * Supported: %s %c %d %i %u %x with h/hh/l/ll/z/j, and %%. No '*' widths. */
int html_fmt(struct buf *b, const char *fmt, ...) FMT_PRINTF(2, 3);
/* Markup that may be written out as it is: a type of its own, so that a
 * plain char * cannot reach the raw path. Only the sanitizing renderers make
 * one: markdown_render() (cmark-gfm safe mode, util/markdown.h) and
 * search_snippet_html() (escaped text, <mark> around matching words,
 * util/search_text.h); never build one from another string. Domain and
 * store return data (Markdown source, plain text), never HTML: web/ and
 * api/ render. */
struct safe_html {
	const char *html;           /* NULL: nothing (rendering failed) */
};

/* The one raw path into a page: a struct safe_html, never a char *. */
int html_raw_trusted(struct buf *b, struct safe_html h);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
int url_escape(struct buf *b, const char *s);
/* Decodes %XX and (when plus_is_space) '+' in place; returns -1 on a bad escape. */
int url_decode(char *s, int plus_is_space);
/* A same-site path safe to redirect to ("/..." but not "//..." nor "/\\..."). */
int is_local_path(const char *s);

#endif
