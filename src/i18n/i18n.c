#include "i18n/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static const struct msg **sorted;
static size_t nsorted;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp(const void *a, const void *b)
{
	return strcmp((*(const struct msg *const *)a)->key, (*(const struct msg *const *)b)->key);
}

static const struct msg *const tables[] = { i18n_common, i18n_pages, i18n_social, i18n_documents, i18n_search, i18n_live, i18n_mail, i18n_schools, i18n_innovations,
						  i18n_innovations_import, i18n_agenda, i18n_academies, i18n_admin, i18n_calls,
						  i18n_stats };

static void build(void)
{
	size_t n = 0, k = 0;

	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct msg *m = tables[t]; m->key; m++)
			n++;
	sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		abort(); /* start-up invariant: a few kilobytes */
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct msg *m = tables[t]; m->key; m++)
			sorted[k++] = m;
	qsort(sorted, n, sizeof *sorted, cmp);
	nsorted = n;
}

const char *tr(const char *lang, const char *key)
{
	struct msg probe = { key, NULL, NULL };
	const struct msg *pp = &probe, **hit;

	pthread_once(&once, build);
	hit = bsearch(&pp, sorted, nsorted, sizeof *sorted, cmp);
	if (!hit) {
		LOG_W("i18n: missing message '%s'", key);
		return key;
	}
	return lang && !strcmp(lang, "en") ? (*hit)->en : (*hit)->fr;
}

int i18n_check(char *err, size_t errlen)
{
	pthread_once(&once, build);
	for (size_t i = 0; i < nsorted; i++) {
		if (!sorted[i]->fr || !sorted[i]->fr[0] || !sorted[i]->en || !sorted[i]->en[0]) {
			snprintf(err, errlen, "message '%s' lacks a language", sorted[i]->key);
			return -1;
		}
		if (i && !strcmp(sorted[i - 1]->key, sorted[i]->key)) {
			snprintf(err, errlen, "message '%s' is defined twice", sorted[i]->key);
			return -1;
		}
	}
	return 0;
}
