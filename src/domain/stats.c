/* First-party statistics (see stats.h and docs/operations.md).
 *
 * Three tables, none with an address, an e-mail or a member id:
 *   stats_events       raw events of members: time, Paris day and hour, a
 *                      pseudonym (keyed hash of the member id), academy,
 *                      kind, route pattern, purpose. Rolled up once their
 *                      day is over, then removed.
 *   stats_member_days  one row per pseudonym and day (views, creations,
 *                      contributions, visits): kept 13 months.
 *   stats_daily        anonymous counts per day and academy: kept 25 months.
 * Visitors' page views are never linked to anything: they are counted
 * straight into stats_daily when the buffer is written. */
#include "domain/stats.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/innovations.h"
#include "util/log.h"

/* ---- Europe/Paris calendar ------------------------------------------------ */

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Seconds east of UTC in Paris at t: summer time from the last Sunday of
 * March to the last Sunday of October, at 01:00 UTC both ways. */
static int64_t paris_offset(int64_t t)
{
	int64_t y, mar, oct;
	int m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	mar = days_from_civil(y, 3, 31);
	oct = days_from_civil(y, 10, 31);
	mar -= ((mar + 4) % 7 + 7) % 7;  /* 1970-01-01 was a Thursday: (z + 4) % 7 == 0 on Sundays */
	oct -= ((oct + 4) % 7 + 7) % 7;
	return t >= mar * 86400 + 3600 && t < oct * 86400 + 3600 ? 7200 : 3600;
}

int64_t stats_day_start(int64_t t)
{
	int64_t local = floor_div(t + paris_offset(t), 86400) * 86400;

	return local - paris_offset(local - 3600);
}

int64_t stats_next_day(int64_t day)
{
	return stats_day_start(day + 86400 + 3 * 3600);
}

static int64_t local_days(int64_t day)
{
	return floor_div(day + paris_offset(day), 86400);
}

int64_t stats_week_start(int64_t t)
{
	int64_t d = stats_day_start(t);
	int64_t wd = ((local_days(d) + 3) % 7 + 7) % 7; /* Monday 0 */

	return stats_day_start(d - wd * 86400 + 12 * 3600);
}

int64_t stats_month_start(int64_t t)
{
	int64_t y;
	int m, dd;

	civil_from_days(local_days(stats_day_start(t)), &y, &m, &dd);
	return stats_day_start(days_from_civil(y, m, 1) * 86400 + 6 * 3600);
}

int stats_hour(int64_t t)
{
	return (int)(((t + paris_offset(t)) % 86400 + 86400) % 86400 / 3600);
}

void stats_date(int64_t t, char out[11])
{
	int64_t y;
	int m, d;

	civil_from_days(local_days(stats_day_start(t)), &y, &m, &d);
	y = y < 0 ? 0 : y % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int64_t stats_parse_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	return stats_day_start(days_from_civil(y, m, d) * 86400 + 12 * 3600);
}

/* ---- the recorder ------------------------------------------------------------ */

enum { STATS_CAP = 16384, STATS_WAKE_AT = 4096 };

struct stats_event {
	int64_t at, member, group;
	const char *route;          /* a route pattern (static), for views */
	unsigned char action;       /* 0: a page view */
	unsigned char announce;     /* a post titled like an announcement */
};

struct stats_recorder {
	pthread_mutex_t mu;
	struct stats_event *ev;
	int n;
	long dropped;
	void (*wake)(void);
	int woken;
};

struct stats_recorder *stats_recorder_new(void)
{
	struct stats_recorder *s = calloc(1, sizeof *s);

	if (!s || !(s->ev = calloc(STATS_CAP, sizeof *s->ev))) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->mu, NULL);
	return s;
}

void stats_recorder_free(struct stats_recorder *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	free(s->ev);
	free(s);
}

void stats_set_waker(struct stats_recorder *s, void (*wake)(void))
{
	if (s)
		s->wake = wake;
}

static void push(struct stats_recorder *s, const struct stats_event *e)
{
	void (*wake)(void) = NULL;

	pthread_mutex_lock(&s->mu);
	if (s->n < STATS_CAP)
		s->ev[s->n++] = *e;
	else
		s->dropped++;
	if (s->n >= STATS_WAKE_AT && !s->woken && s->wake) {
		s->woken = 1;
		wake = s->wake;
	}
	pthread_mutex_unlock(&s->mu);
	if (wake)
		wake();
}

void stats_view(struct dctx *dc, int64_t member, const char *route)
{
	struct stats_event e = { 0 };

	if (!dc->stats)
		return;
	e.at = dc->now;
	e.member = member;
	e.route = route;
	push(dc->stats, &e);
}

/* Does s begin with one of the comma-separated words (ASCII case ignored)? */
static int starts_with_word(const char *s, const char *words)
{
	const char *w = words;

	while (s && w && *w) {
		const char *end = strchr(w, ',');
		size_t n = end ? (size_t)(end - w) : strlen(w);

		while (n && *w == ' ')
			w++, n--;
		while (n && w[n - 1] == ' ')
			n--;
		if (n && !strncasecmp(s, w, n))
			return 1;
		w = end ? end + 1 : NULL;
	}
	return 0;
}

/* Does s contain one of the comma-separated words (ASCII case ignored)? */
static int contains_word(const char *s, const char *words)
{
	const char *w = words;

	while (s && w && *w) {
		const char *end = strchr(w, ',');
		size_t n = end ? (size_t)(end - w) : strlen(w);

		while (n && *w == ' ')
			w++, n--;
		while (n && w[n - 1] == ' ')
			n--;
		if (n)
			for (const char *p = s; *p; p++)
				if (!strncasecmp(p, w, n))
					return 1;
		w = end ? end + 1 : NULL;
	}
	return 0;
}

void stats_note(struct dctx *dc, int64_t member, enum stats_action a, int64_t group_id, const char *title)
{
	struct stats_event e = { 0 };

	if (!dc->stats)
		return;
	e.at = dc->now;
	e.member = member;
	e.group = group_id;
	e.action = (unsigned char)a;
	e.announce = a == STATS_POST && title && starts_with_word(title, dc->cfg->stats_announcements);
	push(dc->stats, &e);
}

/* ---- the pseudonymisation key (FILES/stats.key, never in the database) ---- */

static const char *key_path(struct dctx *dc)
{
	return arena_printf(dc->arena, "%s/stats.key", dc->cfg->files_dir);
}

/* Writes a new random key made at `now`. */
static int key_new(struct dctx *dc, unsigned char key[32])
{
	const char *path = key_path(dc), *tmp = arena_printf(dc->arena, "%s.tmp", path);
	char hex[65];
	FILE *f;
	int ok;

	randombytes_buf(key, 32);
	sodium_bin2hex(hex, sizeof hex, key, 32);
	{
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f && fd >= 0)
			close(fd);
	}
	if (!f) {
		LOG_E("stats: cannot write %s", tmp);
		return -1;
	}
	ok = fprintf(f, "%lld %s\n", (long long)dc->now, hex) > 0;
	ok = fclose(f) == 0 && ok;
	sodium_memzero(hex, sizeof hex);
	if (!ok || rename(tmp, path) != 0) {
		LOG_E("stats: cannot write %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The current key and when it was made; made when missing. */
static int key_load(struct dctx *dc, unsigned char key[32], int64_t *made)
{
	char line[128], hex[65];
	long long at;
	FILE *f = fopen(key_path(dc), "r");
	int ok = 0;

	if (f) {
		ok = fgets(line, sizeof line, f) && sscanf(line, "%lld %64s", &at, hex) == 2 &&
		     sodium_hex2bin(key, 32, hex, strlen(hex), NULL, NULL, NULL) == 0 && strlen(hex) == 64;
		fclose(f);
		sodium_memzero(line, sizeof line);
		sodium_memzero(hex, sizeof hex);
	}
	if (ok) {
		*made = at;
		return 0;
	}
	*made = dc->now;
	return key_new(dc, key);
}

static void pseudonym(const unsigned char key[32], int64_t member, char out[33])
{
	unsigned char h[16];
	char id[24];
	int n = snprintf(id, sizeof id, "%lld", (long long)member);

	crypto_generichash(h, sizeof h, (const unsigned char *)id, (size_t)n, key, 32);
	sodium_bin2hex(out, 33, h, sizeof h);
}

/* ---- writing the buffer -------------------------------------------------------- */

static const char *const action_kinds[] = { "view", "signup", "post", "document", "group", "reply", "comment" };

struct member_memo { int64_t id; const char *academy; int skip; char pid[33]; };
struct group_memo { int64_t id; const char *purpose; };

static struct member_memo *member_of(struct dctx *dc, struct member_memo *ms, int *n, int cap,
				     const unsigned char key[32], int64_t id)
{
	struct db_stmt *st;
	struct member_memo *m;

	for (int i = *n - 1; i >= 0; i--)
		if (ms[i].id == id)
			return &ms[i];
	if (*n >= cap)
		return NULL;
	m = &ms[(*n)++];
	memset(m, 0, sizeof *m);
	m->id = id;
	m->skip = 1;
	m->academy = "";
	st = db_query(dc->db, "SELECT academy, stats_optout FROM users WHERE id = ? AND status = 'active'", "i", id);
	if (st && db_step(st) == DB_ROW) {
		m->academy = db_col_dup(st, 0, dc->arena);
		m->skip = db_col_int(st, 1) != 0;
	}
	db_finish(st);
	pseudonym(key, id, m->pid);
	return m;
}

/* The purpose rule (docs/operations.md): an administrative group, then an
 * announcement, then a group of a pedagogical kind; else "other". */
static const char *purpose_of(struct dctx *dc, struct group_memo *gs, int *n, int cap, const struct stats_event *e)
{
	const char *group_purpose = "other";

	if (e->group) {
		int i;

		for (i = 0; i < *n && gs[i].id != e->group; i++)
			;
		if (i < *n) {
			group_purpose = gs[i].purpose;
		} else {
			struct db_stmt *st = db_query(dc->db, "SELECT name, kind FROM groups WHERE id = ?", "i", e->group);

			if (st && db_step(st) == DB_ROW) {
				const char *name = db_col_text(st, 0), *kind = db_col_text(st, 1);

				if (contains_word(name, dc->cfg->stats_admin_groups))
					group_purpose = "administrative";
				else if (kind && contains_word(kind, dc->cfg->stats_pedagogical_kinds))
					group_purpose = "pedagogical";
			}
			db_finish(st);
			if (*n < cap) {
				gs[*n].id = e->group;
				gs[(*n)++].purpose = group_purpose;
			}
		}
	}
	if (!strcmp(group_purpose, "administrative") || e->announce)
		return "administrative";
	return group_purpose;
}

/* Visitors' page views, counted by day and hour. */
struct anon_count { int64_t day; int hour; int64_t n; };

int stats_flush(struct dctx *dc)
{
	struct stats_recorder *s = dc->stats;
	struct stats_event *ev;
	struct member_memo *ms;
	struct group_memo *gs;
	struct anon_count *anon;
	unsigned char key[32];
	int64_t made;
	int n, nm = 0, ng = 0, na = 0, written = 0;
	long dropped;

	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	n = s->n;
	dropped = s->dropped;
	ev = n ? arena_alloc(dc->arena, (size_t)n * sizeof *ev) : NULL;
	if (ev)
		memcpy(ev, s->ev, (size_t)n * sizeof *ev);
	if (ev || !n) {
		s->n = 0;
		s->dropped = 0;
	}
	s->woken = 0;
	pthread_mutex_unlock(&s->mu);
	if (dropped)
		LOG_W("stats: %ld events dropped (the buffer was full)", dropped);
	if (!n)
		return 0;
	if (!ev)
		return -1;
	ms = arena_alloc(dc->arena, (size_t)n * sizeof *ms);
	gs = arena_alloc(dc->arena, (size_t)n * sizeof *gs);
	anon = arena_alloc(dc->arena, (size_t)n * sizeof *anon);
	if (!ms || !gs || !anon || key_load(dc, key, &made) < 0 || db_begin(dc->db) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct stats_event *e = &ev[i];
		int64_t day = stats_day_start(e->at);
		int hour = stats_hour(e->at);
		struct member_memo *m;
		int64_t rc;

		if (!e->member) {
			int k;

			for (k = 0; k < na && !(anon[k].day == day && anon[k].hour == hour); k++)
				;
			if (k == na)
				anon[na++] = (struct anon_count){ day, hour, 0 };
			anon[k].n++;
			continue;
		}
		if (!(m = member_of(dc, ms, &nm, n, key, e->member)) || m->skip)
			continue;
		if (e->action == STATS_SIGNUP)
			rc = db_exec(dc->db, "INSERT INTO stats_events (at, day, hour, pid, academy, kind, route, purpose)"
				     " VALUES (?, ?, ?, NULL, ?, 'signup', NULL, NULL)", "iiis", e->at, day, (int64_t)hour,
				     m->academy);
		else
			rc = db_exec(dc->db, "INSERT INTO stats_events (at, day, hour, pid, academy, kind, route, purpose)"
				     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "iiisssss", e->at, day, (int64_t)hour, m->pid,
				     m->academy, action_kinds[e->action < 7 ? e->action : 0], e->action ? NULL : e->route,
				     e->action && e->action != STATS_GROUP ? purpose_of(dc, gs, &ng, n, e) : NULL);
		if (rc != 1)
			goto fail;
		written++;
	}
	for (int k = 0; k < na; k++) {
		const char *hour = arena_printf(dc->arena, "%d", anon[k].hour);

		if (db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) VALUES (?, '', 'views', '', ?)"
			    " ON CONFLICT (day, academy, metric, key) DO UPDATE SET value = stats_daily.value + EXCLUDED.value",
			    "ii", anon[k].day, anon[k].n) < 0 ||
		    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) VALUES (?, '', 'hour', ?, ?)"
			    " ON CONFLICT (day, academy, metric, key) DO UPDATE SET value = stats_daily.value + EXCLUDED.value",
			    "isi", anon[k].day, hour, anon[k].n) < 0)
			goto fail;
		written += (int)anon[k].n;
	}
	sodium_memzero(key, sizeof key);
	if (db_commit(dc->db) < 0)
		return -1;
	return written;
fail:
	sodium_memzero(key, sizeof key);
	db_rollback(dc->db);
	LOG_E("stats: %d events could not be written", n);
	return -1;
}

/* ---- rollup and expiry ------------------------------------------------------------ */

/* Members' days from raw events between two days: page views, creations,
 * contributions, visits (a page more than 30 minutes after the previous
 * one starts a visit) and the seconds between pages of one visit. */
#define RAW_MEMBER_DAYS \
	"SELECT day, pid, MAX(academy) AS academy," \
	" SUM(CASE WHEN kind = 'view' THEN 1 ELSE 0 END) AS views," \
	" SUM(CASE WHEN kind IN ('post','document','group') THEN 1 ELSE 0 END) AS creations," \
	" SUM(CASE WHEN kind IN ('reply','comment') THEN 1 ELSE 0 END) AS contributions," \
	" SUM(CASE WHEN kind = 'view' AND (prev IS NULL OR at - prev > 1800) THEN 1 ELSE 0 END) AS visits," \
	" SUM(CASE WHEN kind = 'view' AND prev IS NOT NULL AND at - prev <= 1800 THEN at - prev ELSE 0 END)" \
	"  AS visit_seconds" \
	" FROM (SELECT day, pid, academy, kind, at, LAG(at) OVER (PARTITION BY day, pid, kind ORDER BY at, id) AS prev" \
	"  FROM stats_events WHERE pid IS NOT NULL AND day >= ? AND day < ?) e GROUP BY day, pid"

#define UPSERT_ADD " ON CONFLICT (day, academy, metric, key) DO UPDATE SET value = stats_daily.value + EXCLUDED.value"
#define UPSERT_SET " ON CONFLICT (day, academy, metric, key) DO UPDATE SET value = EXCLUDED.value"

/* The counts derived from members' days, for the days [d0, d1) and the
 * weeks and months that hold them (recomputed whole). */
static int derive(struct dctx *dc, int64_t d0, int64_t d1)
{
	/* Each member's day knows the member's previous day of activity, of
	 * creation, of writing (creation or contribution), 0 for none: the
	 * first day of a member in any period is then the row whose previous
	 * day is before it, and distinct members are counted without sorting
	 * them, by one index seek a day (stats_member_days_first and its two
	 * partial siblings). */
	if (db_exec(dc->db, "UPDATE stats_member_days SET"
		    " prev_day = COALESCE((SELECT MAX(b.day) FROM stats_member_days b WHERE b.pid = stats_member_days.pid"
		    "  AND b.day < stats_member_days.day), 0),"
		    " prev_creation = COALESCE((SELECT MAX(b.day) FROM stats_member_days b"
		    "  WHERE b.pid = stats_member_days.pid AND b.day < stats_member_days.day AND b.creations > 0), 0),"
		    " prev_writing = COALESCE((SELECT MAX(b.day) FROM stats_member_days b"
		    "  WHERE b.pid = stats_member_days.pid AND b.day < stats_member_days.day"
		    "  AND (b.creations > 0 OR b.contributions > 0)), 0)"
		    " WHERE day >= ?", "i", d0) < 0)
		return -1;
	if (db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
		    " SELECT day, academy, 'active', '', COUNT(*) FROM stats_member_days WHERE day >= ? AND day < ?"
		    " GROUP BY day, academy" UPSERT_SET, "ii", d0, d1) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
		    " SELECT day, academy, 'visits', '', SUM(visits) FROM stats_member_days WHERE day >= ? AND day < ?"
		    " GROUP BY day, academy" UPSERT_SET, "ii", d0, d1) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
		    " SELECT day, academy, 'visit_seconds', '', SUM(visit_seconds) FROM stats_member_days"
		    " WHERE day >= ? AND day < ? GROUP BY day, academy" UPSERT_SET, "ii", d0, d1) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
		    " SELECT day, academy, 'returning', '', COUNT(*) FROM stats_member_days"
		    " WHERE day >= ? AND day < ? AND prev_day >= day - ? GROUP BY day, academy" UPSERT_SET,
		    "iii", d0, d1, (int64_t)STATS_RETURN_WINDOW) < 0)
		return -1;
	for (int64_t w = stats_week_start(d0); w < d1; w = stats_day_start(w + 7 * 86400 + 12 * 3600))
		if (db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
			    " SELECT ?, academy, 'active_week', '', COUNT(DISTINCT pid) FROM stats_member_days"
			    " WHERE day >= ? AND day < ? GROUP BY academy" UPSERT_SET, "iii", w, w,
			    stats_day_start(w + 7 * 86400 + 12 * 3600)) < 0)
			return -1;
	for (int64_t m = stats_month_start(d0); m < d1; m = stats_month_start(m + 32 * 86400))
		if (db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
			    " SELECT ?, academy, 'active_month', '', COUNT(DISTINCT pid) FROM stats_member_days"
			    " WHERE day >= ? AND day < ? GROUP BY academy" UPSERT_SET, "iii", m, m,
			    stats_month_start(m + 32 * 86400)) < 0)
			return -1;
	return 0;
}

/* Raw events of the days before `today` into the rollups, then removed. */
static int rollup(struct dctx *dc, int64_t today, int64_t *days)
{
	int64_t d0 = 0, d1 = 0;
	int found;

	found = db_int(dc->db, &d0, "SELECT MIN(day) FROM stats_events WHERE day < ?", "i", today);
	if (found < 0)
		return -1;
	if (db_int(dc->db, &d1, "SELECT COUNT(*) FROM stats_events WHERE day < ?", "i", today) < 0)
		return -1;
	if (!d1)
		return 0;
	*days = d1;
	if (db_begin(dc->db) < 0)
		return -1;
	if (db_exec(dc->db, "INSERT INTO stats_member_days (day, pid, academy, views, creations, contributions, visits,"
		    " visit_seconds) SELECT * FROM (" RAW_MEMBER_DAYS ") m WHERE true"
		    " ON CONFLICT (day, pid) DO UPDATE SET views = stats_member_days.views + EXCLUDED.views,"
		    " creations = stats_member_days.creations + EXCLUDED.creations,"
		    " contributions = stats_member_days.contributions + EXCLUDED.contributions,"
		    " visits = stats_member_days.visits + EXCLUDED.visits,"
		    " visit_seconds = stats_member_days.visit_seconds + EXCLUDED.visit_seconds", "ii", d0, today) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) SELECT * FROM ("
		    "SELECT day, academy, 'signups' AS metric, '' AS key, COUNT(*) AS value FROM stats_events"
		    " WHERE kind = 'signup' AND day < ? GROUP BY day, academy) s WHERE true" UPSERT_ADD, "i", today) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) SELECT * FROM ("
		    "SELECT day, academy, 'views' AS metric, '' AS key, COUNT(*) AS value FROM stats_events"
		    " WHERE kind = 'view' AND day < ? GROUP BY day, academy) s WHERE true" UPSERT_ADD, "i", today) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) SELECT * FROM ("
		    "SELECT day, academy, 'hour' AS metric, CAST(hour AS TEXT) AS key, COUNT(*) AS value FROM stats_events"
		    " WHERE kind <> 'signup' AND day < ? GROUP BY day, academy, hour) s WHERE true" UPSERT_ADD,
		    "i", today) < 0 ||
	    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value) SELECT * FROM ("
		    "SELECT day, academy, 'purpose' AS metric, purpose AS key, COUNT(*) AS value FROM stats_events"
		    " WHERE purpose IS NOT NULL AND day < ? GROUP BY day, academy, purpose) s WHERE true" UPSERT_ADD,
		    "i", today) < 0 ||
	    db_exec(dc->db, "DELETE FROM stats_events WHERE day < ?", "i", today) < 0 ||
	    derive(dc, d0, today) < 0) {
		db_rollback(dc->db);
		return -1;
	}
	return db_commit(dc->db);
}

int stats_housekeeping(struct dctx *dc)
{
	unsigned char key[32];
	int64_t made, rolled = 0, today = stats_day_start(dc->now);
	int64_t m, d, e;

	/* The pseudonyms change every six months: the old key is forgotten. */
	if (key_load(dc, key, &made) == 0 && made < dc->now - STATS_KEY_AGE) {
		if (key_new(dc, key) == 0)
			LOG_I("stats: a new pseudonymisation key (the previous one is forgotten)");
	}
	sodium_memzero(key, sizeof key);
	if (rollup(dc, today, &rolled) < 0)
		return -1;
	m = db_exec(dc->db, "DELETE FROM stats_member_days WHERE day < ?", "i", today - STATS_MEMBER_KEEP);
	d = db_exec(dc->db, "DELETE FROM stats_daily WHERE day < ?", "i", today - STATS_DAILY_KEEP);
	e = db_exec(dc->db, "DELETE FROM stats_events WHERE day < ?", "i", today - STATS_MEMBER_KEEP);
	if (m < 0 || d < 0 || e < 0)
		return -1;
	if (rolled || m || d || e)
		LOG_I("stats: %lld raw events rolled up; %lld member days and %lld daily counts expired",
		      (long long)rolled, (long long)m, (long long)d);
	return 0;
}

/* ---- metrics ------------------------------------------------------------------------- */

const struct stats_metric_info stats_metrics[] = {
	{ "signups", STATS_SERIES, 0 },
	{ "active", STATS_SERIES, 0 },
	{ "return_rate", STATS_SERIES, 1 },
	{ "visit_duration", STATS_SERIES, 0 },
	{ "views", STATS_SERIES, 0 },
	{ "hour_of_day", STATS_TABLE, 0 },
	{ "groups_by_kind", STATS_TABLE, 0 },
	{ "contributors", STATS_TABLE, 0 },
	{ "purpose", STATS_TABLE, 0 },
	{ NULL, 0, 0 },
};

const struct stats_metric_info *stats_metric(const char *name)
{
	for (int i = 0; name && stats_metrics[i].name; i++)
		if (!strcmp(stats_metrics[i].name, name))
			return &stats_metrics[i];
	return NULL;
}


enum derr stats_check(struct dctx *dc, struct stats_query *q, const char **field)
{
	int64_t today = stats_day_start(dc->now);

	*field = NULL;
	if (!q->to)
		q->to = stats_next_day(today) - 1;
	if (!q->from)
		q->from = stats_day_start(today - 29 * 86400 + 12 * 3600);
	if (!q->academy)
		q->academy = "";
	if (!q->period || !*q->period)
		q->period = "day";
	if (strcmp(q->period, "day") && strcmp(q->period, "week") && strcmp(q->period, "month")) {
		*field = "period";
		return D_INVALID;
	}
	if (q->from < 0 || q->to < 0 || q->from > 253402300799LL || q->to > 253402300799LL) {
		*field = q->from < 0 || q->from > 253402300799LL ? "from" : "to";
		return D_INVALID;
	}
	if (q->from > q->to) {
		*field = "from";
		return D_INVALID;
	}
	if ((stats_day_start(q->to) - stats_day_start(q->from)) / 86400 + 1 > STATS_MAX_DAYS) {
		*field = "to";
		return D_INVALID;
	}
	if (*q->academy) {
		int i;

		for (i = 0; innovation_academies[i] && strcmp(innovation_academies[i], q->academy); i++)
			;
		if (!innovation_academies[i]) {
			*field = "academy";
			return D_INVALID;
		}
	}
	return D_OK;
}

/* The day starts of [d0, d1). */
static int days_of(struct dctx *dc, int64_t d0, int64_t d1, int64_t **out)
{
	int n = 0, cap = (int)((d1 - d0) / 86400) + 3;
	int64_t *days = arena_alloc(dc->arena, (size_t)cap * sizeof *days);

	if (!days)
		return -1;
	for (int64_t d = d0; d < d1 && n < cap; d = stats_next_day(d))
		days[n++] = d;
	*out = days;
	return n;
}

static int index_of(const int64_t *days, int n, int64_t day)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (days[mid] == day)
			return mid;
		if (days[mid] < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Adds (day, value) rows of a statement into vals[] by day. */
static int add_by_day(struct db_stmt *st, const int64_t *days, int n, double *vals)
{
	int step;

	if (!st)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		int i = index_of(days, n, db_col_int(st, 0));

		if (i >= 0)
			vals[i] += (double)db_col_int(st, 1);
	}
	return db_finish(st) < 0 || step == DB_ERR ? -1 : 0;
}

/* A daily count (stats_daily, plus the raw events not rolled up yet). */
static int daily(struct dctx *dc, const char *metric, const char *acad, const int64_t *days, int n, double *vals)
{
	int64_t d0 = days[0], d1 = stats_next_day(days[n - 1]);
	struct db_stmt *st;

	st = db_query(dc->db, "SELECT day, SUM(value) FROM stats_daily WHERE metric = ? AND day >= ? AND day < ?"
		      " AND (? = '' OR academy = ?) GROUP BY day", "siiss", metric, d0, d1, acad, acad);
	if (add_by_day(st, days, n, vals) < 0)
		return -1;
	if (!strcmp(metric, "signups") || !strcmp(metric, "views"))
		st = db_query(dc->db, "SELECT day, COUNT(*) FROM stats_events WHERE kind = ? AND day >= ? AND day < ?"
			      " AND (? = '' OR academy = ?) GROUP BY day", "siiss",
			      !strcmp(metric, "signups") ? "signup" : "view", d0, d1, acad, acad);
	else if (!strcmp(metric, "active"))
		st = db_query(dc->db, "SELECT day, COUNT(DISTINCT pid) FROM stats_events WHERE pid IS NOT NULL"
			      " AND day >= ? AND day < ? AND (? = '' OR academy = ?) GROUP BY day", "iiss", d0, d1, acad, acad);
	else if (!strcmp(metric, "returning"))
		st = db_query(dc->db, "SELECT a.day, COUNT(*) FROM (SELECT DISTINCT day, pid FROM stats_events"
			      " WHERE pid IS NOT NULL AND day >= ? AND day < ? AND (? = '' OR academy = ?)) a"
			      " WHERE EXISTS (SELECT 1 FROM stats_member_days b WHERE b.pid = a.pid AND b.day < a.day"
			      " AND b.day >= a.day - ?) OR EXISTS (SELECT 1 FROM stats_events c WHERE c.pid = a.pid"
			      " AND c.day < a.day AND c.day >= a.day - ?) GROUP BY a.day", "iissii", d0, d1, acad, acad,
			      (int64_t)STATS_RETURN_WINDOW, (int64_t)STATS_RETURN_WINDOW);
	else if (!strcmp(metric, "visits"))
		st = db_query(dc->db, "SELECT day, SUM(visits) FROM (" RAW_MEMBER_DAYS ") m WHERE (? = '' OR academy = ?)"
			      " GROUP BY day", "iiss", d0, d1, acad, acad);
	else if (!strcmp(metric, "visit_seconds"))
		st = db_query(dc->db, "SELECT day, SUM(visit_seconds) FROM (" RAW_MEMBER_DAYS ") m"
			      " WHERE (? = '' OR academy = ?) GROUP BY day", "iiss", d0, d1, acad, acad);
	else
		return 0;
	return add_by_day(st, days, n, vals);
}

/* Buckets (days, weeks or months) that cover [d0, d1). */
static int buckets_of(struct dctx *dc, const char *period, int64_t d0, int64_t d1, int64_t **out)
{
	if (!strcmp(period, "day"))
		return days_of(dc, d0, d1, out);
	int n = 0, cap = (int)((d1 - d0) / (7 * 86400)) + 3;
	int64_t *b = arena_alloc(dc->arena, (size_t)cap * sizeof *b);

	if (!b)
		return -1;
	if (!strcmp(period, "week"))
		for (int64_t w = stats_week_start(d0); w < d1 && n < cap; w = stats_day_start(w + 7 * 86400 + 12 * 3600))
			b[n++] = w;
	else
		for (int64_t m = stats_month_start(d0); m < d1 && n < cap; m = stats_month_start(m + 32 * 86400))
			b[n++] = m;
	*out = b;
	return n;
}

static int64_t bucket_end(const char *period, int64_t b)
{
	return !strcmp(period, "week") ? stats_day_start(b + 7 * 86400 + 12 * 3600) : stats_month_start(b + 32 * 86400);
}

/* Active members by week or month: the count stored for the bucket at the
 * last rollup (distinct over its members' days), plus the members seen in
 * raw events not rolled up yet who have no day in the bucket so far (one
 * index probe each: the current month is not read again). */
static int active_buckets(struct dctx *dc, const char *period, const char *acad, const int64_t *b, int n, double *vals)
{
	for (int i = 0; i < n; i++) {
		int64_t end = bucket_end(period, b[i]), stored = 0, fresh = 0;

		if (db_int(dc->db, &stored, "SELECT COALESCE(SUM(value), 0) FROM stats_daily WHERE metric = ? AND day = ?"
			   " AND (? = '' OR academy = ?)", "siss",
			   !strcmp(period, "week") ? "active_week" : "active_month", b[i], acad, acad) < 0 ||
		    db_int(dc->db, &fresh, "SELECT COUNT(DISTINCT e.pid) FROM stats_events e WHERE e.pid IS NOT NULL"
			   " AND e.day >= ? AND e.day < ? AND (? = '' OR e.academy = ?) AND NOT EXISTS (SELECT 1"
			   " FROM stats_member_days m WHERE m.pid = e.pid AND m.day >= ? AND m.day < ?)", "iissii",
			   b[i], end, acad, acad, b[i], end) < 0)
			return -1;
		vals[i] = (double)(stored + fresh);
	}
	return 0;
}

static const char *const hour_keys[] = { "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
					 "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", NULL };
static const char *const kind_keys[] = { "resources", "practice", "training", "project", NULL };
static const char *const role_keys[] = { "creators", "contributors", "readers", NULL };
static const char *const purpose_keys[] = { "pedagogical", "administrative", "other", NULL };

static int key_index(const char *const *keys, const char *k)
{
	for (int i = 0; k && keys[i]; i++)
		if (!strcmp(keys[i], k))
			return i;
	return -1;
}

/* Adds (key, value) rows into vals[] by key. */
static int add_by_key(struct db_stmt *st, const char *const *keys, int numeric, double *vals)
{
	int step;

	if (!st)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		int i;

		if (numeric) {
			i = (int)atoi(db_col_text(st, 0) ? db_col_text(st, 0) : "-1");
			if (i < 0 || i > 23)
				i = -1;
		} else {
			i = key_index(keys, db_col_text(st, 0));
		}
		if (i >= 0)
			vals[i] += (double)db_col_int(st, 1);
	}
	return db_finish(st) < 0 || step == DB_ERR ? -1 : 0;
}

static int table(struct dctx *dc, const char *metric, const char *acad, int64_t d0, int64_t d1,
		 const char *const **keys_out, double *vals)
{
	struct db_stmt *st;

	if (!strcmp(metric, "hour_of_day")) {
		*keys_out = hour_keys;
		st = db_query(dc->db, "SELECT key, SUM(value) FROM stats_daily WHERE metric = 'hour' AND day >= ? AND day < ?"
			      " AND (? = '' OR academy = ?) GROUP BY key", "iiss", d0, d1, acad, acad);
		if (add_by_key(st, hour_keys, 1, vals) < 0)
			return -1;
		st = db_query(dc->db, "SELECT CAST(hour AS TEXT), COUNT(*) FROM stats_events WHERE kind <> 'signup'"
			      " AND day >= ? AND day < ? AND (? = '' OR academy = ?) GROUP BY hour", "iiss", d0, d1, acad, acad);
		return add_by_key(st, hour_keys, 1, vals);
	}
	if (!strcmp(metric, "purpose")) {
		*keys_out = purpose_keys;
		st = db_query(dc->db, "SELECT key, SUM(value) FROM stats_daily WHERE metric = 'purpose' AND day >= ?"
			      " AND day < ? AND (? = '' OR academy = ?) GROUP BY key", "iiss", d0, d1, acad, acad);
		if (add_by_key(st, purpose_keys, 0, vals) < 0)
			return -1;
		st = db_query(dc->db, "SELECT purpose, COUNT(*) FROM stats_events WHERE purpose IS NOT NULL"
			      " AND day >= ? AND day < ? AND (? = '' OR academy = ?) GROUP BY purpose", "iiss", d0, d1, acad, acad);
		return add_by_key(st, purpose_keys, 0, vals);
	}
	if (!strcmp(metric, "groups_by_kind")) {
		*keys_out = kind_keys;
		st = db_query(dc->db, "SELECT g.kind, COUNT(*) FROM groups g LEFT JOIN users u ON u.id = g.created_by"
			      " WHERE g.created_at < ? AND (? = '' OR u.academy = ?) GROUP BY g.kind", "iss", d1, acad, acad);
		return add_by_key(st, kind_keys, 0, vals);
	}
	/* contributors: each member active in the period, by what they did:
	 * creators (a creation), contributors (writing but no creation),
	 * readers (the rest). Members' days count each member once, on their
	 * first day of the period (the previous one is before it); raw events
	 * add the members not seen in the period's rolled-up days. */
	*keys_out = role_keys;
	{
		int64_t active = 0, writers = 0, creators = 0, ra = 0, rw = 0, rc = 0;

		int64_t *days;
		int nd = days_of(dc, d0, d1, &days);

		if (nd < 0)
			return -1;
		for (int i = 0; i < nd; i++) {
			int64_t a = 0, w = 0, c = 0;

			if (db_int(dc->db, &a, "SELECT COUNT(*) FROM stats_member_days WHERE day = ? AND prev_day < ?"
				   " AND (? = '' OR academy = ?)", "iiss", days[i], d0, acad, acad) < 0 ||
			    db_int(dc->db, &w, "SELECT COUNT(*) FROM stats_member_days WHERE day = ?"
				   " AND (creations > 0 OR contributions > 0) AND prev_writing < ? AND (? = '' OR academy = ?)",
				   "iiss", days[i], d0, acad, acad) < 0 ||
			    db_int(dc->db, &c, "SELECT COUNT(*) FROM stats_member_days WHERE day = ? AND creations > 0"
				   " AND prev_creation < ? AND (? = '' OR academy = ?)", "iiss", days[i], d0, acad, acad) < 0)
				return -1;
			active += a;
			writers += w;
			creators += c;
		}
		/* raw events: members not already counted by that measure */
		if (db_int(dc->db, &ra, "SELECT COUNT(DISTINCT e.pid) FROM stats_events e WHERE e.pid IS NOT NULL"
			   " AND e.day >= ? AND e.day < ? AND (? = '' OR e.academy = ?) AND NOT EXISTS (SELECT 1"
			   " FROM stats_member_days m WHERE m.pid = e.pid AND m.day >= ? AND m.day < ?)", "iissii",
			   d0, d1, acad, acad, d0, d1) < 0 ||
		    db_int(dc->db, &rw, "SELECT COUNT(DISTINCT e.pid) FROM stats_events e WHERE e.pid IS NOT NULL"
			   " AND e.kind IN ('post','document','group','reply','comment')"
			   " AND e.day >= ? AND e.day < ? AND (? = '' OR e.academy = ?) AND NOT EXISTS (SELECT 1"
			   " FROM stats_member_days m WHERE m.pid = e.pid AND m.day >= ? AND m.day < ?"
			   " AND (m.creations > 0 OR m.contributions > 0))", "iissii", d0, d1, acad, acad, d0, d1) < 0 ||
		    db_int(dc->db, &rc, "SELECT COUNT(DISTINCT e.pid) FROM stats_events e WHERE e.pid IS NOT NULL"
			   " AND e.kind IN ('post','document','group')"
			   " AND e.day >= ? AND e.day < ? AND (? = '' OR e.academy = ?) AND NOT EXISTS (SELECT 1"
			   " FROM stats_member_days m WHERE m.pid = e.pid AND m.day >= ? AND m.day < ?"
			   " AND m.creations > 0)", "iissii", d0, d1, acad, acad, d0, d1) < 0)
			return -1;
		active += ra;
		writers += rw;
		creators += rc;
		vals[0] = (double)creators;
		vals[1] = (double)(writers - creators);
		vals[2] = (double)(active - writers);
		return 0;
	}
}

/* One period: [d0, d1) as days; n_buckets for series. */
static int compute_one(struct dctx *dc, const struct stats_query *q, int64_t d0, int64_t d1, struct stats_result *out)
{
	const char *acad = q->academy ? q->academy : "";
	const char *name = q->metric->name;
	double *vals;
	int n;

	out->from = d0;
	out->to = d1 - 1;
	if (q->metric->shape == STATS_TABLE) {
		const char *const *keys = NULL;

		vals = arena_alloc(dc->arena, 24 * sizeof *vals);
		if (!vals)
			return -1;
		memset(vals, 0, 24 * sizeof *vals);
		if (table(dc, name, acad, d0, d1, &keys, vals) < 0)
			return -1;
		for (n = 0; keys[n]; n++)
			;
		out->points = arena_alloc(dc->arena, (size_t)n * sizeof *out->points);
		if (!out->points)
			return -1;
		for (int i = 0; i < n; i++)
			out->points[i] = (struct stats_point){ 0, keys[i], vals[i] };
		out->n = n;
		return 0;
	}
	{
		const char *period = !strcmp(name, "active") ? q->period : "day";
		int64_t *b;
		double *extra = NULL;

		n = buckets_of(dc, period, d0, d1, &b);
		if (n <= 0)
			return -1;
		vals = arena_alloc(dc->arena, (size_t)n * sizeof *vals);
		extra = arena_alloc(dc->arena, (size_t)n * sizeof *extra);
		out->points = arena_alloc(dc->arena, (size_t)n * sizeof *out->points);
		if (!vals || !extra || !out->points)
			return -1;
		memset(vals, 0, (size_t)n * sizeof *vals);
		memset(extra, 0, (size_t)n * sizeof *extra);
		if (strcmp(period, "day")) {
			if (active_buckets(dc, period, acad, b, n, vals) < 0)
				return -1;
		} else if (!strcmp(name, "return_rate")) {
			if (daily(dc, "returning", acad, b, n, vals) < 0 || daily(dc, "active", acad, b, n, extra) < 0)
				return -1;
			for (int i = 0; i < n; i++)
				vals[i] = extra[i] > 0 ? (double)(int64_t)(vals[i] * 1000 / extra[i] + 0.5) / 10 : 0;
		} else if (!strcmp(name, "visit_duration")) {
			if (daily(dc, "visit_seconds", acad, b, n, vals) < 0 || daily(dc, "visits", acad, b, n, extra) < 0)
				return -1;
			for (int i = 0; i < n; i++)
				vals[i] = extra[i] > 0 ? (double)(int64_t)(vals[i] / extra[i] + 0.5) : 0;
		} else if (daily(dc, name, acad, b, n, vals) < 0) {
			return -1;
		}
		for (int i = 0; i < n; i++)
			out->points[i] = (struct stats_point){ b[i], NULL, vals[i] };
		out->n = n;
		return 0;
	}
}

enum derr stats_compute(struct dctx *dc, const struct viewer *v, const struct stats_query *q,
			struct stats_result *cur, struct stats_result *prev)
{
	int64_t d0, d1, p0;
	int ndays;

	if (!v || !v->admin)
		return D_NOT_FOUND;
	if (dc->stats && stats_flush(dc) < 0)
		return D_INTERNAL;
	d0 = stats_day_start(q->from);
	d1 = stats_next_day(stats_day_start(q->to));
	ndays = 0;
	for (int64_t d = d0; d < d1; d = stats_next_day(d))
		ndays++;
	/* The previous period: as many days (weeks, months) just before. */
	p0 = d0;
	if (q->metric->shape == STATS_SERIES && !strcmp(q->metric->name, "active") && strcmp(q->period, "day")) {
		int64_t *b;
		int n = buckets_of(dc, q->period, d0, d1, &b);

		if (n <= 0)
			return D_INTERNAL;
		p0 = b[0];
		for (int i = 0; i < n; i++)
			p0 = !strcmp(q->period, "week") ? stats_week_start(p0 - 86400) : stats_month_start(p0 - 86400);
		if (compute_one(dc, q, d0, d1, cur) < 0 || compute_one(dc, q, p0, b[0], prev) < 0)
			return D_INTERNAL;
		return D_OK;
	}
	for (int i = 0; i < ndays; i++)
		p0 = stats_day_start(p0 - 12 * 3600);
	if (compute_one(dc, q, d0, d1, cur) < 0 || compute_one(dc, q, p0, d0, prev) < 0)
		return D_INTERNAL;
	return D_OK;
}

/* ---- the member's choice ---------------------------------------------------------------- */

enum derr stats_optout_get(struct dctx *dc, const struct viewer *v, int *out)
{
	int64_t x = 0;
	int found = db_int(dc->db, &x, "SELECT stats_optout FROM users WHERE id = ?", "i", v->id);

	if (found < 0)
		return D_INTERNAL;
	if (!found)
		return D_NOT_FOUND;
	*out = x != 0;
	return D_OK;
}

enum derr stats_optout_set(struct dctx *dc, const struct viewer *v, int optout)
{
	if (db_exec(dc->db, "UPDATE users SET stats_optout = ?, updated_at = ? WHERE id = ?", "iii",
		    (int64_t)(optout != 0), dc->now, v->id) != 1)
		return D_INTERNAL;
	/* What is recorded already stays pseudonymous and expires with the rest;
	 * from now on nothing new is written about this member. */
	return D_OK;
}

/* ---- the seeder ------------------------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

/* Plausible activity: a member's habit (most read now and then, a few come
 * daily; 1% create, 9% answer), busier on school days and mornings, a slow
 * rise over the period. Written as rollups (as if the days were over).
 * Opted-out and inactive members are left out. */
int stats_seed(struct dctx *dc, int days, int64_t members, uint64_t seed)
{
	static const int hour_weight[24] = { 1, 0, 0, 0, 0, 1, 3, 8, 12, 14, 12, 10, 9, 11, 12, 11, 10, 12, 14, 13,
					     10, 8, 5, 2 };
	unsigned char key[32];
	int64_t made, today = stats_day_start(dc->now), first, hw_total = 0;
	uint64_t s = seed * 7919 + 17;
	const char **acad;
	double *habit;
	unsigned char *role;
	struct db_stmt *st;
	int rc = -1;

	if (members <= 0 || days <= 0)
		return 0;
	acad = arena_alloc(dc->arena, (size_t)(members + 1) * sizeof *acad);
	habit = arena_alloc(dc->arena, (size_t)(members + 1) * sizeof *habit);
	role = arena_alloc(dc->arena, (size_t)(members + 1));
	if (!acad || !habit || !role || key_load(dc, key, &made) < 0)
		return -1;
	for (int64_t i = 0; i <= members; i++)
		acad[i] = NULL;
	st = db_query(dc->db, "SELECT id, academy FROM users WHERE id <= ? AND status = 'active' AND stats_optout = 0", "i",
		      members);
	while (st && db_step(st) == DB_ROW) {
		int64_t id = db_col_int(st, 0);

		if (id >= 1 && id <= members)
			acad[id] = db_col_dup(st, 1, dc->arena);
	}
	if (db_finish(st) < 0)
		return -1;
	/* Numbers past the real members (the demo asks for more than it has):
	 * simulated members of a random academy, never linked to anyone. */
	{
		int64_t real = 0, nacad = 0;

		if (db_int(dc->db, &real, "SELECT COALESCE(MAX(id), 0) FROM users", "") < 0)
			return -1;
		while (innovation_academies[nacad])
			nacad++;
		for (int64_t i = real + 1; i <= members && nacad; i++)
			acad[i] = innovation_academies[rng_next(&s) % (uint64_t)nacad];
	}
	/* A small network (the demo) is busier, or its charts would be empty. */
	double boost = members < 200 ? 8.0 : 1.0, creators = members < 200 ? 0.1 : 0.01,
	       contributors = members < 200 ? 0.35 : 0.10;

	for (int64_t i = 1; i <= members; i++) {
		double u = rng_unit(&s), r = rng_unit(&s);

		/* chance to come on a school day: 75% now and then (0.2-1%), 20% weekly
		 * (3-8%), 5% most days (20-50%): about 3% of the members a day */
		habit[i] = u < 0.75 ? 0.002 + 0.008 * rng_unit(&s) : u < 0.95 ? 0.03 + 0.05 * rng_unit(&s)
			 : 0.2 + 0.3 * rng_unit(&s);
		habit[i] = habit[i] * boost > 0.9 ? 0.9 : habit[i] * boost;
		role[i] = r < creators ? 2 : r < contributors ? 1 : 0;
	}
	for (int h = 0; h < 24; h++)
		hw_total += hour_weight[h];
	first = today;
	for (int d = 0; d < days; d++)
		first = stats_day_start(first - 12 * 3600);
	if (db_begin(dc->db) < 0)
		return -1;
	for (int64_t day = first; day < today; day = stats_next_day(day)) {
		int64_t ld = local_days(day);
		int wd = (int)(((ld + 3) % 7 + 7) % 7);
		double busy = (wd >= 5 ? 0.35 : wd == 2 ? 0.8 : 1.0) * (0.8 + 0.4 * (double)(day - first) / ((double)days * 86400));
		/* Counts by academy: slot 0 is no academy (visitors), then each
		 * academy met, in order (at most SEED_ACADEMIES; more go to 0). */
		enum { SEED_ACADEMIES = 48 };
		const char *names[SEED_ACADEMIES] = { "" };
		int64_t signups[SEED_ACADEMIES] = { 0 }, hours[SEED_ACADEMIES][24], purposes[SEED_ACADEMIES][3],
			views[SEED_ACADEMIES] = { 0 }, nsignups;
		int nnames = 1;
		int64_t visitors = (int64_t)((double)members * 0.005 * boost * busy * (0.8 + 0.4 * rng_unit(&s)));

		memset(hours, 0, sizeof hours);
		memset(purposes, 0, sizeof purposes);
		for (int64_t i = 1; i <= members; i++) {
			char pid[33];
			int64_t v, c = 0, o = 0, visits, secs;
			int a;

			if (!acad[i] || rng_unit(&s) >= habit[i] * busy)
				continue;
			for (a = 0; a < nnames && strcmp(names[a], acad[i]); a++)
				;
			if (a == nnames) {
				if (nnames < SEED_ACADEMIES)
					names[nnames++] = acad[i];
				else
					a = 0;
			}
			v = 1 + (int64_t)(rng_unit(&s) * 12);
			visits = 1 + (v > 4) + (v > 9 && rng_unit(&s) < 0.5);
			secs = (v - visits) * (int64_t)(40 + rng_unit(&s) * 140);
			if (role[i] == 2 && rng_unit(&s) < 0.5)
				c = 1 + (rng_unit(&s) < 0.3);
			if (role[i] >= 1 && rng_unit(&s) < 0.4)
				o = 1 + (int64_t)(rng_unit(&s) * 3);
			pseudonym(key, i, pid);
			if (db_exec(dc->db, "INSERT INTO stats_member_days (day, pid, academy, views, creations, contributions,"
				    " visits, visit_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "issiiiii", day, pid, acad[i], v,
				    c, o, visits, secs) != 1)
				goto out;
			views[a] += v;
			for (int64_t k = 0; k < v + c + o; k++) {
				int64_t x = (int64_t)(rng_unit(&s) * (double)hw_total);
				int h = 0;

				while (h < 23 && x >= hour_weight[h])
					x -= hour_weight[h++];
				hours[a][h]++;
			}
			for (int64_t k = 0; k < c + o; k++) {
				double x = rng_unit(&s);

				purposes[a][x < 0.72 ? 0 : x < 0.9 ? 1 : 2]++;
			}
		}
		nsignups = (int64_t)((double)members * 0.0015 * busy * rng_unit(&s) * 2) + (rng_unit(&s) < 0.5);
		for (int64_t k = 0; k < nsignups; k++)   /* new members of the academies met that day */
			signups[nnames > 1 ? 1 + (int)(rng_next(&s) % (uint64_t)(nnames - 1)) : 0]++;
		views[0] += visitors * 2;
		hours[0][10] += visitors;
		hours[0][15] += visitors;
		for (int a = 0; a < nnames; a++) {
			if ((signups[a] || !a) &&
			    db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
				    " VALUES (?, ?, 'signups', '', ?)" UPSERT_SET, "isi", day, names[a], signups[a]) < 0)
				goto out;
			if (views[a] && db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
						" VALUES (?, ?, 'views', '', ?)" UPSERT_SET, "isi", day, names[a], views[a]) < 0)
				goto out;
			for (int h = 0; h < 24; h++)
				if (hours[a][h] && db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
							   " VALUES (?, ?, 'hour', ?, ?)" UPSERT_SET, "issi", day, names[a],
							   arena_printf(dc->arena, "%d", h), hours[a][h]) < 0)
					goto out;
			for (int q = 0; q < 3; q++)
				if (purposes[a][q] && db_exec(dc->db, "INSERT INTO stats_daily (day, academy, metric, key, value)"
							      " VALUES (?, ?, 'purpose', ?, ?)" UPSERT_SET, "issi", day,
							      names[a], purpose_keys[q], purposes[a][q]) < 0)
					goto out;
		}
	}
	if (derive(dc, first, today) < 0)
		goto out;
	rc = db_commit(dc->db);
out:
	sodium_memzero(key, sizeof key);
	if (rc < 0)
		db_rollback(dc->db);
	return rc;
}
