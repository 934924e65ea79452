/* Settings edited in the operators' console (issue 24). Rows "site:KEY" of
 * the settings table override the configuration file; the row
 * "site:generation" counts changes. Every instance applies a change without
 * restart: a request takes the configuration in force (settings_acquire),
 * which reads the generation at most every SETTINGS_POLL_MS and rebuilds its
 * snapshot when another instance (or this one) changed it. */
#ifndef RESPIRE_DOMAIN_SETTINGS_H
#define RESPIRE_DOMAIN_SETTINGS_H

#include <stddef.h>

#include "domain/domain.h"

#define SETTINGS_POLL_MS 1000
#define SETTINGS_TEXT_MAX 100000 /* bytes of a legal page's Markdown */

enum setting_kind {
	SK_NAME,      /* one line of text (site_name, contact) */
	SK_DOMAINS,   /* comma-separated e-mail domain patterns */
	SK_LIST,      /* a list of labels, stored '|'-separated */
	SK_SIZE,      /* bytes */
	SK_MARKDOWN,  /* a legal page's text */
};

struct setting_def {
	const char *key;
	enum setting_kind kind;
};
/* The settings the console edits, in the page's order; count in *n. */
const struct setting_def *settings_defs(int *n);
const struct setting_def *settings_def(const char *key);

/* The configuration in force for this request (base overridden by the
 * stored settings). *hold keeps it alive until settings_release(*hold);
 * a request already holding one (hold set) gets it again. Never NULL:
 * base when the settings cannot be read. */
const struct config *settings_acquire(struct dctx *dc, const struct config *base, void **hold);
void settings_release(void *hold);
/* The size limits in force, without the database (a request's first call). */
void settings_limits(const struct config *base, size_t *max_body, size_t *max_avatar, size_t *max_upload);

/* The stored override of key (NULL: none, the file's value holds). */
const char *settings_stored(struct dctx *dc, const char *key);

/* Checks value for key and gives its stored form (sizes as decimal bytes,
 * lists '|'-separated, trimmed); D_INVALID with *why a short reason. */
enum derr settings_normalize(struct dctx *dc, const struct setting_def *d, const char *const *items, int nitems,
			     const char *value, const char **stored, const char **why);

/* Writes the stored values (value NULL: back to the file's) and bumps the
 * generation, in the caller's transaction; this instance sees it at once. */
int settings_write(struct dctx *dc, const char *key, const char *stored);
int settings_bump(struct dctx *dc);
/* After the commit: the next request of this instance reads the settings again. */
void settings_changed(void);
/* The current generation (-1: unreadable). */
int64_t settings_generation(struct dctx *dc);

#endif
