/* Text validation and small string helpers. */
#ifndef RESPIRE_UTIL_TEXT_H
#define RESPIRE_UTIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Number of code points of valid UTF-8. */
size_t utf8_len(const char *s);
/* Valid UTF-8 without control characters; newlines and tabs allowed when multiline. */
int text_ok(const char *s, int multiline);
/* Is s (may be NULL) one of the NULL-terminated list? */
int text_one_of(const char *s, const char *const *list);
/* Valid text (see text_ok) of min..max code points. */
int text_length_ok(const char *s, size_t min, size_t max, int multiline);
/* Only white space (or empty, or NULL)? */
int text_blank(const char *s);
/* A file name safe to store and show: the last component of what a browser
 * sent (after '/' or '\\'), without control characters, invalid UTF-8 or
 * characters that file systems refuse, no leading dot, at most
 * FILENAME_MAX_BYTES bytes (the extension kept). "document" when nothing is left. */
#define FILENAME_MAX_BYTES 180
void filename_sanitize(const char *in, char *out, size_t outlen);
/* Trims ASCII white space in place; returns s. */
char *text_trim(char *s);
/* ASCII lower-case in place; returns s. */
char *ascii_lower(char *s);
/* Parses a decimal id (1..INT64_MAX); returns -1 when s is not one. */
int64_t parse_id(const char *s);
/* "A-B" with two ids (a cursor over a time and an id): 0 and both set, or -1. */
int parse_id_pair(const char *s, int64_t *a, int64_t *b);
/* Checks the shape of an e-mail address (local@domain.tld, sane lengths). */
int email_shape_ok(const char *s);
/* Does domain match one of the comma-separated patterns? A '*' matches
 * within one label ("ac-*.fr" matches "ac-lyon.fr", not "x.ac-lyon.fr"). */
int domain_allowed(const char *domain, const char *patterns);

/* The next @handle mentioned in text from *pos on (not an e-mail address):
 * lower-case letters, digits and inner '-', copied to out; *pos moves past
 * it. 1 found, 0 none left. */
int text_next_mention(const char *text, const char **pos, char *out, size_t outlen);

#endif
