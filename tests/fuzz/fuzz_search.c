/* util/search_text.c: the query parser, folding, stemming and snippets take
 * any text within their bounds; terms are folded, bounded and non-empty;
 * the HTML snippet has only <mark> as markup. */
#include "fuzz.h"

#include "util/arena.h"
#include "util/search_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8 * 1024)
		return 0;
	/* The input is "query\0text": what is searched and what is shown. */
	const uint8_t *nul = memchr(data, 0, size);
	size_t qn = nul ? (size_t)(nul - data) : size;
	char *q = fuzz_string(data, qn);
	char *text = nul ? fuzz_string(nul + 1, size - qn - 1) : fuzz_string(data, size);
	struct search_query sq;

	if (search_parse(q, &sq) == 0) {
		FUZZ_ASSERT(sq.nterms >= 0 && sq.nterms <= SEARCH_TERMS_MAX, "%d terms", sq.nterms);
		for (int i = 0; i < sq.nterms; i++) {
			FUZZ_ASSERT(sq.terms[i].nwords >= 1 && sq.terms[i].nwords <= SEARCH_PHRASE_MAX,
				    "%d words", sq.terms[i].nwords);
			for (int w = 0; w < sq.terms[i].nwords; w++)
				FUZZ_ASSERT(strlen(sq.terms[i].words[w]) <= SEARCH_WORD_MAX, "word too long");
		}
		struct buf plain = { 0 };
		if (search_snippet(text, &sq, 30, &plain) == 0 && buf_str(&plain)) {
			struct arena *a = arena_new();
			FUZZ_ASSERT(a, "no arena");
			struct safe_html h = search_snippet_html(a, buf_str(&plain), &sq);
			if (h.html) {
				/* the only tags: <mark> and </mark> */
				for (const char *p = strchr(h.html, '<'); p; p = strchr(p + 1, '<'))
					FUZZ_ASSERT(!strncmp(p, "<mark>", 6) || !strncmp(p, "</mark>", 7),
						    "markup in snippet: %s", h.html);
			}
			arena_free(a);
		}
		buf_free(&plain);
		(void)search_text_matches(text, &sq);
	}
	char folded[256];
	size_t n = search_fold(text, strlen(text), folded, sizeof folded);
	FUZZ_ASSERT(n < sizeof folded, "fold overran: %zu", n);
	free(q);
	free(text);
	return 0;
}
