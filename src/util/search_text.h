/* What a member types into the search box, made into terms the storage
 * backends match the same way, and the snippets shown with the results.
 *
 * - Words: split on anything that is not a letter or a digit (apostrophes
 *   and hyphens too: "l'élève" is "l" and "élève"), folded (lower case,
 *   accents of Latin letters removed: "Élève" and "eleve" are one word;
 *   the ligatures œ and æ written as two letters: "Cœur" and "coeur" too),
 *   French function words dropped ("de", "la"...), one-letter words dropped,
 *   then stemmed lightly ("évaluer", "évaluation" -> "evalu") and matched as
 *   prefixes, so that a word being typed and its family both match.
 * - "Phrases in quotes": their words in that order, exactly (no stemming);
 *   an unbalanced quote runs to the end.
 * - Nothing else has a meaning: FTS operators (AND, OR, NEAR, *, ^, :, ())
 *   are plain text here, so no input can change the shape of a query.
 * Bounds: SEARCH_QUERY_MAX bytes of input, SEARCH_TERMS_MAX terms,
 * SEARCH_PHRASE_MAX words per phrase, SEARCH_WORD_MAX bytes per word. */
#ifndef RESPIRE_UTIL_SEARCH_TEXT_H
#define RESPIRE_UTIL_SEARCH_TEXT_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/escape.h"

#define SEARCH_QUERY_MAX 1000
#define SEARCH_TERMS_MAX 12
#define SEARCH_PHRASE_MAX 8
#define SEARCH_WORD_MAX 60

struct search_term {
	char words[SEARCH_PHRASE_MAX][SEARCH_WORD_MAX + 1]; /* folded */
	int nwords;          /* 1 for a word, more for a phrase */
	int prefix;          /* a single word matched as a prefix of indexed words */
};

struct search_query {
	struct search_term terms[SEARCH_TERMS_MAX];
	int nterms;          /* 0: nothing to look for */
};

/* Parses q (at most SEARCH_QUERY_MAX bytes of valid UTF-8, else -1). */
int search_parse(const char *q, struct search_query *out);

/* Lower case without the accents of Latin letters, into out (bounded,
 * NUL-terminated, never a cut UTF-8 sequence); returns the length. */
size_t search_fold(const char *in, size_t n, char *out, size_t outlen);

/* Light French stemming of a folded word, in place (keeps 4 characters at least). */
void search_stem(char *w);

/* The piece of text around the first word that matches q (about `words`
 * words), as plain text appended to *plain. Markdown markers are dropped.
 * Returns 0, or -1 when the buffer failed. */
int search_snippet(const char *text, const struct search_query *q, int words, struct buf *plain);

/* Does text hold a word that matches q? */
int search_text_matches(const char *text, const struct search_query *q);

/* A plain snippet as HTML, in a: everything escaped, <mark> around the words
 * that match q (NULL: none). For web/ and api/ (snippet_html); .html NULL on
 * failure. */
struct safe_html search_snippet_html(struct arena *a, const char *plain, const struct search_query *q);

/* Does the folded word w match the term (prefix or exact)? For phrases, any
 * of their words. */
int search_word_matches(const char *w, const struct search_query *q);

#endif
