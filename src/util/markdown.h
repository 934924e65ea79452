/* Markdown to HTML through cmark-gfm in safe mode: raw HTML is dropped and
 * javascript:, vbscript:, file: and data: (but images) links are removed.
 * The result is the only kind of text that may reach a page unescaped. */
#ifndef RESPIRE_UTIL_MARKDOWN_H
#define RESPIRE_UTIL_MARKDOWN_H

/* malloc'ed HTML, or NULL when out of memory. */
char *markdown_html(const char *md);

#endif
