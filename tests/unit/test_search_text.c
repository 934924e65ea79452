/* util/search_text.c: what the search box makes of what members type, and snippets. */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "util/search_text.h"

/* The terms as one line: words as "w*" (prefix) or "w", phrases in quotes. */
static const char *terms_of(const char *q)
{
	static char line[2048];
	struct search_query sq;
	size_t o = 0;

	line[0] = '\0';
	if (search_parse(q, &sq) < 0)
		return "(invalid)";
	for (int k = 0; k < sq.nterms; k++) {
		const struct search_term *t = &sq.terms[k];

		if (t->nwords > 1) {
			o += (size_t)snprintf(line + o, sizeof line - o, "%s\"", k ? " " : "");
			for (int j = 0; j < t->nwords; j++)
				o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", j ? " " : "", t->words[j]);
			o += (size_t)snprintf(line + o, sizeof line - o, "\"");
		} else {
			o += (size_t)snprintf(line + o, sizeof line - o, "%s%s%s", k ? " " : "", t->words[0],
					      t->prefix ? "*" : "");
		}
	}
	return line;
}

START_TEST(folds_case_and_accents)
{
	char out[64];

	search_fold("Élèves ÀÉÎÕÜ ç Œuvre", strlen("Élèves ÀÉÎÕÜ ç Œuvre"), out, sizeof out);
	ck_assert_str_eq(out, "eleves aeiou c oeuvre");
	/* the ligatures are two letters, as unaccent makes them on PostgreSQL */
	search_fold("cœur CŒUR ex æquo Æ", strlen("cœur CŒUR ex æquo Æ"), out, sizeof out);
	ck_assert_str_eq(out, "coeur coeur ex aequo ae");
	/* bounded, never a cut sequence */
	ck_assert_uint_eq(search_fold("éééé", 8, out, 4), 3);
	ck_assert_str_eq(out, "eee");
}
END_TEST

START_TEST(stems_french_families_together)
{
	const char *pairs[][2] = {
		{ "évaluer", "evalu*" }, { "évaluation", "evalu*" }, { "Évaluations", "evalu*" },
		{ "élèves", "elev*" }, { "élève", "elev*" }, { "enseignants", "enseign*" },
		{ "enseignement", "enseign*" }, { "mathématiques", "mathemat*" }, { "lire", "lire*" },
		{ "classe", "class*" }, { "6e", "6e*" },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		ck_assert_msg(!strcmp(terms_of(pairs[i][0]), pairs[i][1]), "%s -> %s, expected %s", pairs[i][0],
			      terms_of(pairs[i][0]), pairs[i][1]);
}
END_TEST

START_TEST(phrases_and_function_words)
{
	ck_assert_str_eq(terms_of("le travail de groupe"), "travail* group*");
	ck_assert_str_eq(terms_of("\"travail de groupe\" en 6e"), "\"travail de groupe\" 6e*");
	ck_assert_str_eq(terms_of("« cahier de réussite »"), "\"cahier de reussite\"");
	ck_assert_str_eq(terms_of("\"élève\""), "eleve");      /* one quoted word: exactly that word */
	ck_assert_str_eq(terms_of("\"unbalanced phrase"), "\"unbalanced phrase\"");
	ck_assert_str_eq(terms_of("de la"), "de la");           /* nothing else: kept, exactly */
	ck_assert_str_eq(terms_of("l'élève"), "elev*");         /* apostrophes split, one letter goes */
}
END_TEST

START_TEST(operators_are_plain_text)
{
	ck_assert_str_eq(terms_of("a NEAR b"), "near*");
	ck_assert_str_eq(terms_of("title:secret* OR (x AND y) ^z -w"), "titl* secret* or*");
	ck_assert_str_eq(terms_of("*** \"\" ::: ()"), "");
	ck_assert_str_eq(terms_of(""), "");
	ck_assert_str_eq(terms_of(NULL), "");
}
END_TEST

START_TEST(bad_or_huge_input)
{
	char big[SEARCH_QUERY_MAX + 2];
	struct search_query q;

	ck_assert_str_eq(terms_of("caf\xc3"), "(invalid)");
	ck_assert_str_eq(terms_of("\xff\xfe"), "(invalid)");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(search_parse(big, &q), -1);
	big[SEARCH_QUERY_MAX] = '\0';
	ck_assert_int_eq(search_parse(big, &q), 0);
	ck_assert_int_eq(q.nterms, 1);
	ck_assert_uint_le(strlen(q.terms[0].words[0]), SEARCH_WORD_MAX);
	/* many words: bounded */
	ck_assert_int_eq(search_parse("un1 deux1 trois1 quatre1 cinq1 six1 sept1 huit1 neuf1 dix1 onze1 douze1"
				      " treize1 quatorze1", &q), 0);
	ck_assert_int_eq(q.nterms, SEARCH_TERMS_MAX);
}
END_TEST

START_TEST(snippets_mark_matches_and_escape_the_rest)
{
	struct search_query q;
	struct buf plain = BUF_INIT;
	struct arena *a = arena_new();
	struct safe_html h;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(search_parse("évaluer", &q), 0);
	ck_assert_int_eq(search_snippet("## Titre\n\nUne **évaluation** <b>formative</b> & des Évaluations.", &q, 20,
					&plain), 0);
	ck_assert_str_eq(buf_str(&plain), "Titre Une évaluation <b>formative</b> & des Évaluations.");
	h = search_snippet_html(a, buf_str(&plain), &q);
	ck_assert_str_eq(h.html, "Titre Une <mark>évaluation</mark> &lt;b&gt;formative&lt;/b&gt; &amp; des "
				 "<mark>Évaluations</mark>.");
	ck_assert(search_text_matches("## Titre\n\nUne **évaluation**", &q));
	ck_assert(!search_text_matches("rien à voir", &q));
	ck_assert(!search_text_matches(NULL, &q));
	/* without a query nothing is marked; quotes stay text */
	h = search_snippet_html(a, "« un <i> » \"deux\"", NULL);
	ck_assert_str_eq(h.html, "« un &lt;i&gt; » &quot;deux&quot;");
	buf_free(&plain);
	arena_free(a);
	/* a window around the first match, with ellipses */
	ck_assert_int_eq(search_parse("cible", &q), 0);
	ck_assert_int_eq(search_snippet("un deux trois quatre cinq six sept huit neuf dix onze douze cible treize "
					"quatorze quinze seize dix-sept", &q, 8, &plain), 0);
	ck_assert_str_eq(buf_str(&plain), "… onze douze cible treize quatorze quinze seize dix …");
	buf_free(&plain);
	/* no match in the text (it was in the title): the beginning */
	ck_assert_int_eq(search_snippet("rien à voir ici", &q, 8, &plain), 0);
	ck_assert_str_eq(buf_str(&plain), "rien à voir ici");
	buf_free(&plain);
	ck_assert_int_eq(search_snippet(NULL, &q, 8, &plain), 0);
	ck_assert_str_eq(buf_str(&plain), "");
	buf_free(&plain);
}
END_TEST

Suite *search_text_suite(void)
{
	Suite *s = suite_create("search_text");
	TCase *t = tcase_create("queries");

	tcase_add_test(t, folds_case_and_accents);
	tcase_add_test(t, stems_french_families_together);
	tcase_add_test(t, phrases_and_function_words);
	tcase_add_test(t, operators_are_plain_text);
	tcase_add_test(t, bad_or_huge_input);
	tcase_add_test(t, snippets_mark_matches_and_escape_the_rest);
	suite_add_tcase(s, t);
	return s;
}
