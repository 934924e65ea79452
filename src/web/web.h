/* Server-rendered pages. Output goes through html_fmt (every %s escaped);
 * raw markup needs html_raw_trusted. */
#ifndef RESPIRE_WEB_WEB_H
#define RESPIRE_WEB_WEB_H

#include "http/request.h"
#include "i18n/i18n.h"
#include "util/escape.h"

/* Writes escaped HTML to the response: H(r, "<p>%s</p>", text). */
#define H(r, ...) html_fmt(&(r)->out, __VA_ARGS__)

/* The text of key in the request's language. */
static inline const char *T(const struct request *r, const char *key)
{
	return tr(r->lang, key);
}

/* Doctype, head, header with navigation, opening of <main>. */
void page_begin(struct request *r, const char *title);
/* The same with a description and Open Graph tags for link previews. */
void page_begin_og(struct request *r, const char *title, const char *description, const char *og_type);
/* Closes <main>, footer with the language switch, end of document. */
void page_end(struct request *r);
/* A whole page for an error status (403, 404, 405, 413, 500, 503...). */
void web_error_page(struct request *r, int status);
/* The same with the text of i18n key text_key (NULL: the status's own):
 * the renderer the server is given for the errors it answers itself. */
void web_error(struct request *r, int status, const char *text_key);
/* The page of a domain result: status and text from the error table
 * (http/errors.c). */
void web_derr_page(struct request *r, enum derr e);
/* The hidden CSRF input every state-changing form carries. */
void form_csrf(struct request *r);
/* "1 membre" / "3 membres": the count and the noun in the right number. */
const char *web_count(struct request *r, long long n, const char *key_one, const char *key_many);
/* The ?cursor= of a list page: 0 when absent, -1 after answering 400. */
int64_t web_cursor(struct request *r);
/* A flash message box: kind is "ok" or "error". */
void page_notice(struct request *r, const char *kind, const char *text);
/* A date as "24 novembre 2026" / "24 November 2026". */
const char *web_date(struct request *r, long long unix_seconds);
/* Date and time: "24 novembre 2026, 14:05" (French time zone unless TZ says otherwise). */
const char *web_datetime(struct request *r, long long unix_seconds);

/* Handlers (routes.c lists them). */
void web_home(struct request *r);
void web_static(struct request *r);
void web_lang(struct request *r);

#endif
