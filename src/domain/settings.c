#include "domain/settings.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

static const struct setting_def defs[] = {
	{ "site_name", SK_NAME },
	{ "contact", SK_NAME },
	{ "allowed_domains", SK_DOMAINS },
	{ "academies", SK_LIST },
	{ "innovation_themes", SK_LIST },
	{ "quota_member", SK_SIZE },
	{ "quota_group", SK_SIZE },
	{ "max_upload", SK_SIZE },
	{ "max_avatar", SK_SIZE },
	{ "legal_text", SK_MARKDOWN },
	{ "privacy_text", SK_MARKDOWN },
	{ "accessibility_text", SK_MARKDOWN },
};
#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

const struct setting_def *settings_defs(int *n)
{
	*n = NDEFS;
	return defs;
}

const struct setting_def *settings_def(const char *key)
{
	for (int i = 0; key && i < NDEFS; i++)
		if (!strcmp(defs[i].key, key))
			return &defs[i];
	return NULL;
}

/* One configuration in force: the file's, overridden by the stored rows. */
struct snapshot {
	struct config cfg;
	const struct config *base;
	int64_t generation;
	int refs;                   /* holders, plus one while it is the current one */
	char *texts[3];             /* legal, privacy, accessibility */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *current;
static int64_t checked_ms;      /* when the generation was last read (monotonic) */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void snapshot_unref(struct snapshot *s)
{
	if (!s || --s->refs > 0)
		return;
	for (int i = 0; i < 3; i++)
		free(s->texts[i]);
	free(s);
}

void settings_release(void *hold)
{
	if (!hold)
		return;
	pthread_mutex_lock(&mu);
	snapshot_unref(hold);
	pthread_mutex_unlock(&mu);
}

void settings_changed(void)
{
	pthread_mutex_lock(&mu);
	checked_ms = 0;
	pthread_mutex_unlock(&mu);
}

int64_t settings_generation(struct dctx *dc)
{
	int64_t g = 0;
	struct db_stmt *st = db_query(dc->db, "SELECT value FROM settings WHERE key = 'site:generation'", "");

	if (!st)
		return -1;
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		g = strtoll(db_col_text(st, 0), NULL, 10);
	if (db_finish(st) < 0)
		return -1;
	return g;
}

static struct snapshot *snapshot_build(struct dctx *dc, const struct config *base, int64_t generation)
{
	struct snapshot *s = calloc(1, sizeof *s);
	struct db_stmt *st;

	if (!s)
		return NULL;
	s->cfg = *base;
	s->cfg.file = base;
	s->base = base;
	s->generation = generation;
	s->refs = 1;
	st = db_query(dc->db, "SELECT key, value FROM settings WHERE key LIKE 'site:%' ORDER BY key", "");
	while (st && db_step(st) == DB_ROW) {
		const char *key = db_col_text(st, 0) + 5, *val = db_col_text(st, 1);
		const struct setting_def *d = settings_def(key);
		char err[256];

		if (!d || !val)
			continue;
		if (d->kind == SK_MARKDOWN) {
			int i = !strcmp(key, "legal_text") ? 0 : !strcmp(key, "privacy_text") ? 1 : 2;

			free(s->texts[i]);
			s->texts[i] = strdup(val);
		} else if (config_set(&s->cfg, key, val, err, sizeof err) < 0) {
			LOG_W("settings: %s ignored", err);
		}
	}
	if (!st || db_finish(st) < 0) {
		s->refs = 0;
		snapshot_unref(s);
		return NULL;
	}
	s->cfg.legal_text = s->texts[0];
	s->cfg.privacy_text = s->texts[1];
	s->cfg.accessibility_text = s->texts[2];
	return s;
}

/* Takes a reference on the current snapshot when it is for base (and, g >= 0,
 * of generation g); under mu. */
static struct snapshot *take_current(const struct config *base, int64_t g)
{
	if (!current || current->base != base || (g >= 0 && current->generation != g))
		return NULL;
	current->refs++;
	return current;
}

const struct config *settings_acquire(struct dctx *dc, const struct config *base, void **hold)
{
	struct snapshot *s;
	int64_t now = mono_ms(), g;

	if (*hold)
		return &((struct snapshot *)*hold)->cfg;
	pthread_mutex_lock(&mu);
	s = now - checked_ms < SETTINGS_POLL_MS ? take_current(base, -1) : NULL;
	pthread_mutex_unlock(&mu);
	if (s)
		goto out;
	g = dc->db ? settings_generation(dc) : -1;
	pthread_mutex_lock(&mu);
	s = take_current(base, g);
	if (s || g < 0) {
		if (!s)
			s = take_current(base, -1); /* unreadable: keep what we had */
		else
			checked_ms = now;
		pthread_mutex_unlock(&mu);
		if (!s)
			return base;
		goto out;
	}
	pthread_mutex_unlock(&mu);
	s = snapshot_build(dc, base, g);
	if (!s)
		return base;
	pthread_mutex_lock(&mu);
	if (!current || current->base != base || current->generation <= g) {
		snapshot_unref(current);
		current = s;
		s->refs++;          /* the current one's reference */
		checked_ms = now;
	}
	pthread_mutex_unlock(&mu);
out:
	*hold = s;
	return &s->cfg;
}

void settings_limits(const struct config *base, size_t *max_body, size_t *max_avatar, size_t *max_upload)
{
	const struct config *c = base;

	pthread_mutex_lock(&mu);
	if (current && current->base == base)
		c = &current->cfg;
	*max_body = c->max_body;
	*max_avatar = c->max_avatar;
	*max_upload = c->max_upload;
	pthread_mutex_unlock(&mu);
}

const char *settings_stored(struct dctx *dc, const char *key)
{
	const char *v = NULL;
	char *k = arena_printf(dc->arena, "site:%s", key);
	struct db_stmt *st = k ? db_query(dc->db, "SELECT value FROM settings WHERE key = ?", "s", k) : NULL;

	if (st && db_step(st) == DB_ROW)
		v = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	return v;
}

/* "500M", "2G", "1048576": bytes; -1 when not one. */
static int64_t parse_bytes(const char *s)
{
	char *end;
	unsigned long long n;
	int64_t unit = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	n = strtoull(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		unit = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		unit = 1024 * 1024, end++;
	else if (*end == 'g' || *end == 'G')
		unit = 1024LL * 1024 * 1024, end++;
	if (*end || n > (1ULL << 40) / (unsigned long long)unit)
		return -1;
	return (int64_t)n * unit;
}

static int domain_pattern_ok(const char *p)
{
	int dots = 0;

	if (!*p || *p == '.' || *p == '-' || p[strlen(p) - 1] == '.' || strstr(p, ".."))
		return 0;
	for (; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '*'))
			return 0;
	}
	return dots > 0;
}

enum derr settings_normalize(struct dctx *dc, const struct setting_def *d, const char *const *items, int nitems,
			     const char *value, const char **stored, const char **why)
{
	struct buf b = BUF_INIT;
	enum derr rc = D_INVALID;

	*stored = NULL;
	*why = "invalid";
	switch (d->kind) {
	case SK_NAME: {
		char *v = arena_strdup(dc->arena, value ? value : "");
		int site = !strcmp(d->key, "site_name");

		if (!v)
			return D_INTERNAL;
		v = text_trim(v);
		if (!text_ok(v, 0) || utf8_len(v) > (site ? 100 : 200) || (site && !*v)) {
			*why = site ? "1 to 100 characters" : "at most 200 characters";
			return D_INVALID;
		}
		if (!site && *v && !email_shape_ok(v) && strncmp(v, "https://", 8) && strncmp(v, "http://", 7)) {
			*why = "an e-mail address or an http(s) address";
			return D_INVALID;
		}
		*stored = v;
		return D_OK;
	}
	case SK_DOMAINS: {
		char *v = arena_strdup(dc->arena, value ? value : ""), *s, *next;
		int n = 0;

		if (!v)
			return D_INTERNAL;
		for (s = ascii_lower(v); s; s = next) {
			next = strpbrk(s, ",\n");
			if (next)
				*next++ = '\0';
			s = text_trim(s);
			if (!*s)
				continue;
			if (!domain_pattern_ok(s) || ++n > 50) {
				*why = "domain patterns such as ac-*.fr, separated by commas";
				goto out;
			}
			buf_printf(&b, "%s%s", n > 1 ? "," : "", s);
		}
		if (!n) {
			*why = "at least one domain";
			goto out;
		}
		break;
	}
	case SK_LIST: {
		char *v = NULL;
		const char *one[200];
		int n = 0;

		if (!items) {
			/* one label a line (the form) */
			v = arena_strdup(dc->arena, value ? value : "");
			if (!v)
				return D_INTERNAL;
			for (char *s = v, *next; s && n <= 200; s = next) {
				next = strchr(s, '\n');
				if (next)
					*next++ = '\0';
				s = text_trim(s);
				if (*s && n < 200)
					one[n] = s;
				if (*s)
					n++;
			}
			items = one;
			nitems = n;
		}
		if (nitems < 1 || nitems > 200) {
			*why = "1 to 200 labels";
			goto out;
		}
		const char **seen = arena_alloc(dc->arena, sizeof *seen * (size_t)nitems);

		if (!seen)
			return D_INTERNAL;
		for (int i = 0; i < nitems; i++) {
			char *s = arena_strdup(dc->arena, items[i] ? items[i] : "");

			if (!s)
				return D_INTERNAL;
			s = text_trim(s);
			if (!*s || !text_ok(s, 0) || strchr(s, '|') || utf8_len(s) > 100) {
				*why = "labels of 1 to 100 characters, without '|'";
				goto out;
			}
			for (int j = 0; j < i; j++)
				if (!strcmp(seen[j], s)) {
					*why = "a label is repeated";
					goto out;
				}
			seen[i] = s;
			buf_printf(&b, "%s%s", i ? "|" : "", s);
		}
		if (b.len >= sizeof dc->cfg->academies) {
			*why = "the list is too long";
			goto out;
		}
		break;
	}
	case SK_SIZE: {
		int64_t n = parse_bytes(value ? text_trim(arena_strdup(dc->arena, value)) : NULL);

		if (n < 1024) {
			*why = "a size in bytes (or with K, M, G), at least 1K and at most 1T";
			goto out;
		}
		buf_printf(&b, "%lld", (long long)n);
		break;
	}
	case SK_MARKDOWN:
		if (!value || strlen(value) > SETTINGS_TEXT_MAX || !text_ok(value, 1)) {
			*why = "Markdown text of at most 100,000 bytes";
			goto out;
		}
		*stored = value;
		return D_OK;
	}
	*stored = arena_strdup(dc->arena, buf_str(&b));
	rc = *stored ? D_OK : D_INTERNAL;
out:
	buf_free(&b);
	return rc;
}

int settings_write(struct dctx *dc, const char *key, const char *stored)
{
	char *k = arena_printf(dc->arena, "site:%s", key);

	if (!k)
		return -1;
	if (!stored)
		return db_exec(dc->db, "DELETE FROM settings WHERE key = ?", "s", k) < 0 ? -1 : 0;
	return db_exec(dc->db, "INSERT INTO settings (key, value) VALUES (?, ?)"
		       " ON CONFLICT (key) DO UPDATE SET value = excluded.value", "ss", k, stored) < 0 ? -1 : 0;
}

int settings_bump(struct dctx *dc)
{
	if (db_exec(dc->db, "UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)"
		    " WHERE key = 'site:generation'", "") == 1)
		return 0;
	return db_exec(dc->db, "INSERT INTO settings (key, value) VALUES ('site:generation', '1')", "") == 1 ? 0 : -1;
}
