/* Markdown to HTML through cmark-gfm in safe mode: raw HTML is dropped and
 * javascript:, vbscript:, file: and data: (but images) links are removed.
 * The result is a struct safe_html, the only kind of markup but our own
 * search snippets that may reach a page (html_raw_trusted) or the API's
 * body_html unescaped. Rendering belongs to web/ and api/: the domain
 * returns the Markdown source. */
#ifndef RESPIRE_UTIL_MARKDOWN_H
#define RESPIRE_UTIL_MARKDOWN_H

#include "util/arena.h"
#include "util/escape.h"

/* md (NULL: "") rendered into a; .html is NULL when out of memory. */
struct safe_html markdown_render(struct arena *a, const char *md);

#endif
