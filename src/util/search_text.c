#include "util/search_text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/escape.h"
#include "util/text.h"

/* The code point at s (n bytes left) and its length; an invalid byte is a
 * code point 0xFFFD of length 1. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t c = s[0];
	size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;

	if (k == 1) {
		*len = 1;
		return c;
	}
	if (k == 0 || k > n) {
		*len = 1;
		return 0xFFFD;
	}
	c &= k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*len = k;
	return c;
}

/* Letters and digits make words; punctuation, symbols and spaces do not. */
static int word_char(uint32_t c)
{
	if (c < 0x80)
		return isalnum((int)c);
	if (c < 0xC0 || c == 0xD7 || c == 0xF7 || c == 0xFFFD)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE6F) ||
	    (c >= 0xFF00 && c <= 0xFF0F))
		return 0;
	return 1;
}

/* The folded form of one code point (ASCII letter or the bytes to copy). */
static const char *fold_cp(uint32_t c, char tmp[5])
{
	static const char latin1[] = /* U+00C0..U+00FF, '\0' where kept as it is */
		"aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0"
		"aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y";

	if (c < 0x80) {
		tmp[0] = (char)tolower((int)c);
		tmp[1] = '\0';
		return tmp;
	}
	if (c >= 0xC0 && c <= 0xFF && latin1[c - 0xC0]) {
		tmp[0] = latin1[c - 0xC0];
		tmp[1] = '\0';
		return tmp;
	}
	/* the ligatures are two letters, as unaccent makes them on PostgreSQL
	 * and the SQLite index is fed them (SQLITE_FOLD_LIGATURES): "cœur" is
	 * "coeur", "ex æquo" "ex aequo" */
	if (c == 0xC6 || c == 0xE6)
		return "ae";
	if (c == 0x152 || c == 0x153)
		return "oe";
	if (c == 0x178)
		c = 'y';
	if (c < 0x80) {
		tmp[0] = (char)c;
		tmp[1] = '\0';
	} else if (c < 0x800) {
		tmp[0] = (char)(0xC0 | (c >> 6));
		tmp[1] = (char)(0x80 | (c & 0x3F));
		tmp[2] = '\0';
	} else if (c < 0x10000) {
		tmp[0] = (char)(0xE0 | (c >> 12));
		tmp[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (c & 0x3F));
		tmp[3] = '\0';
	} else {
		tmp[0] = (char)(0xF0 | (c >> 18));
		tmp[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (c & 0x3F));
		tmp[4] = '\0';
	}
	return tmp;
}

size_t search_fold(const char *in, size_t n, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;

	if (!outlen)
		return 0;
	while (i < n && s[i]) {
		char tmp[5];
		size_t len, k;
		const char *f = fold_cp(next_cp(s + i, n - i, &len), tmp);

		k = strlen(f);
		if (o + k >= outlen)
			break;
		memcpy(out + o, f, k);
		o += k;
		i += len;
	}
	out[o] = '\0';
	return o;
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(w + n - k, suffix, k);
}

void search_stem(char *w)
{
	/* Longest first; a suffix goes only if 4 characters remain. */
	static const char *const suffixes[] = {
		"issements", "issement", "atrices", "ateurs", "ations", "atrice", "ateur", "ation", "ements",
		"ement", "ments", "ment", "euses", "euse", "eux", "iques", "ique", "istes", "iste", "ismes",
		"isme", "ables", "able", "ibles", "ible", "ances", "ance", "ences", "ence", "ites", "ite",
		"ives", "ive", "ifs", "if", "antes", "ante", "ants", "ant", "aient", "ait", "ais", "ions",
		"ons", "iez", "ez", "ees", "ee", "es", "er", "ir", "e",
	};
	size_t n = strlen(w);

	/* plurals first: élèves -> eleve, travaux stays (x after a vowel pair) */
	if (n > 4 && (w[n - 1] == 's' || w[n - 1] == 'x') && w[n - 2] != 's')
		w[--n] = '\0';
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (ends_with(w, n, suffixes[i]) && n - strlen(suffixes[i]) >= 4) {
			w[n - strlen(suffixes[i])] = '\0';
			return;
		}
}

static int stopword(const char *w)
{
	static const char *const words[] = {
		"le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "en", "au", "aux", "pour", "par",
		"sur", "dans", "avec", "sans", "que", "qui", "ce", "ces", "cet", "cette", "se", "sa", "son",
		"ses", "mon", "ma", "mes", "ton", "ta", "tes", "leur", "leurs", "nos", "vos", "notre", "votre",
		"il", "elle", "ils", "elles", "on", "nous", "vous", "je", "tu", "ne", "pas", "est", "sont",
		"the", "of", "and", "to", "in", "for", "on", "with", "an", "is", "are", NULL,
	};

	return text_one_of(w, words);
}

/* The next word of s[*i..n): its folded form in w; 0 at the end. */
static int next_word(const char *s, size_t n, size_t *i, char *w, size_t wlen, size_t *start, size_t *end,
		     int *quote)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;

	*quote = 0;
	while (*i < n) {
		uint32_t c = next_cp(u + *i, n - *i, &len);

		if (word_char(c))
			break;
		if (c == '"' || c == 0xAB || c == 0xBB || c == 0x201C || c == 0x201D) {
			*quote = 1;
			*i += len;
			return 1;
		}
		*i += len;
	}
	if (*i >= n)
		return 0;
	*start = *i;
	while (*i < n) {
		uint32_t c = next_cp(u + *i, n - *i, &len);

		if (!word_char(c))
			break;
		*i += len;
	}
	*end = *i;
	search_fold(s + *start, *end - *start, w, wlen);
	return 1;
}

int search_parse(const char *q, struct search_query *out)
{
	struct search_query dropped; /* words left out as function words, kept in case nothing else is left */
	size_t n, i = 0, a, b;
	char w[SEARCH_WORD_MAX + 1];
	int quote, in_phrase = 0;
	struct search_term *phrase = NULL;

	memset(out, 0, sizeof *out);
	memset(&dropped, 0, sizeof dropped);
	if (!q)
		return 0;
	n = strlen(q);
	if (n > SEARCH_QUERY_MAX || !utf8_valid(q, n))
		return -1;
	while (next_word(q, n, &i, w, sizeof w, &a, &b, &quote)) {
		if (quote) {
			in_phrase = !in_phrase;
			phrase = NULL;
			continue;
		}
		if (in_phrase) {
			if (!phrase) {
				if (out->nterms == SEARCH_TERMS_MAX)
					continue;
				phrase = &out->terms[out->nterms++];
			}
			if (phrase->nwords < SEARCH_PHRASE_MAX)
				snprintf(phrase->words[phrase->nwords++], SEARCH_WORD_MAX + 1, "%s", w);
			continue;
		}
		if (strlen(w) < 2 && !isdigit((unsigned char)w[0]))
			continue;
		if (stopword(w)) {
			if (dropped.nterms < SEARCH_TERMS_MAX) {
				struct search_term *t = &dropped.terms[dropped.nterms++];

				snprintf(t->words[0], SEARCH_WORD_MAX + 1, "%s", w);
				t->nwords = 1;
			}
			continue;
		}
		if (out->nterms == SEARCH_TERMS_MAX)
			continue;
		{
			struct search_term *t = &out->terms[out->nterms++];

			snprintf(t->words[0], SEARCH_WORD_MAX + 1, "%s", w);
			search_stem(t->words[0]);
			t->nwords = 1;
			t->prefix = 1;
		}
	}
	/* A phrase of one word is that word, exactly. Empty phrases go. */
	for (int k = 0; k < out->nterms; k++)
		if (out->terms[k].nwords == 0) {
			memmove(&out->terms[k], &out->terms[k + 1], sizeof out->terms[0] * (size_t)(out->nterms - k - 1));
			out->nterms--;
			k--;
		}
	if (out->nterms == 0 && dropped.nterms > 0) {
		/* only function words ("de la"): look for them after all, exactly */
		*out = dropped;
	}
	return 0;
}

int search_word_matches(const char *w, const struct search_query *q)
{
	for (int k = 0; k < q->nterms; k++) {
		const struct search_term *t = &q->terms[k];

		for (int j = 0; j < t->nwords; j++) {
			size_t n = strlen(t->words[j]);

			if (t->prefix ? !strncmp(w, t->words[j], n) : !strcmp(w, t->words[j]))
				return 1;
		}
	}
	return 0;
}

/* Between two words: punctuation kept, Markdown markers dropped, white
 * space made one space. */
static void put_gap(const char *s, size_t a, size_t b, struct buf *plain)
{
	int space = 0;

	for (size_t i = a; i < b; i++) {
		char c = s[i];

		if (strchr("#*_`~|[]\\", c))
			continue;
		if (isspace((unsigned char)c) || (unsigned char)c < 0x20) {
			space = 1;
			continue;
		}
		if (space) {
			buf_putc(plain, ' ');
			space = 0;
		}
		buf_putc(plain, c);
	}
	if (space)
		buf_putc(plain, ' ');
}

/* The rank of the first word of text that matches q, or -1. */
static int first_match(const char *text, size_t n, const struct search_query *q)
{
	size_t i = 0, a, b;
	char w[SEARCH_WORD_MAX + 1];
	int quote, k = 0;

	while (next_word(text, n, &i, w, sizeof w, &a, &b, &quote)) {
		if (quote)
			continue;
		if (search_word_matches(w, q))
			return k;
		k++;
	}
	return -1;
}

int search_text_matches(const char *text, const struct search_query *q)
{
	return text && first_match(text, strlen(text), q) >= 0;
}

int search_snippet(const char *text, const struct search_query *q, int words, struct buf *plain)
{
	size_t n = text ? strlen(text) : 0, i = 0, a, b, prev_end = 0;
	char w[SEARCH_WORD_MAX + 1];
	int quote, k = 0, first, from, taken = 0, more = 0;

	if (words < 4)
		words = 4;
	first = n ? first_match(text, n, q) : -1;
	from = first > words / 4 ? first - words / 4 : 0;
	while (next_word(text, n, &i, w, sizeof w, &a, &b, &quote)) {
		if (quote)
			continue;
		if (k++ < from) {
			prev_end = b;
			continue;
		}
		if (taken == words) {
			more = 1;
			break;
		}
		if (taken == 0) {
			if (from > 0)
				buf_puts(plain, "… ");
		} else {
			put_gap(text, prev_end, a, plain);
		}
		buf_append(plain, text + a, b - a);
		prev_end = b;
		taken++;
	}
	if (more)
		buf_puts(plain, " …");
	else if (taken)
		put_gap(text, prev_end, n, plain); /* the final full stop */
	return plain->failed ? -1 : 0;
}

/* n bytes of s, HTML-escaped. */
static void escape_n(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char one[2] = { s[i], '\0' };

		html_text(b, one);
	}
}

struct safe_html search_snippet_html(struct arena *a, const char *plain, const struct search_query *q)
{
	struct safe_html out = { NULL };
	struct buf html = BUF_INIT;
	size_t n = plain ? strlen(plain) : 0, i = 0, start, end, prev = 0;
	char w[SEARCH_WORD_MAX + 1];
	int quote;

	while (next_word(plain, n, &i, w, sizeof w, &start, &end, &quote)) {
		int mark;

		if (quote)
			continue;
		escape_n(&html, plain + prev, start - prev);
		mark = q && search_word_matches(w, q);
		if (mark)
			buf_puts(&html, "<mark>");
		buf_append(&html, plain + start, end - start); /* a word: letters and digits, nothing to escape */
		if (mark)
			buf_puts(&html, "</mark>");
		prev = end;
	}
	escape_n(&html, plain ? plain + prev : "", n - prev);
	if (!html.failed)
		out.html = arena_strdup(a, buf_str(&html));
	buf_free(&html);
	return out;
}
