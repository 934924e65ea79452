/* First-party statistics (issue 24): page views and actions recorded by
 * Respire itself, pseudonymised, rolled up daily, expired after the CNIL's
 * limits; the metrics the operators' console draws. See docs/operations.md.
 *
 * Recording is cheap: a request only appends an event to an in-memory
 * buffer under a mutex (no database write); the stats worker of
 * `respire serve` flushes the buffer every two seconds (and when it fills)
 * in one transaction, then the housekeeping round rolls whole days up. */
#ifndef RESPIRE_DOMAIN_STATS_H
#define RESPIRE_DOMAIN_STATS_H

#include <stdint.h>

#include "domain/domain.h"

/* What a member did (page views are stats_view). */
enum stats_action {
	STATS_SIGNUP = 1,   /* an account verified its address (counted, never linked to a member) */
	STATS_POST,         /* creations: a post (discussion, blog, page...) */
	STATS_DOCUMENT,     /*            a document */
	STATS_GROUP,        /*            a group */
	STATS_REPLY,        /* contributions: a reply */
	STATS_COMMENT,      /*                a comment on a document */
};

struct stats_recorder;

/* The recorder of a running server (NULL when statistics are off). */
struct stats_recorder *stats_recorder_new(void);
void stats_recorder_free(struct stats_recorder *s);
/* Called (once) when the buffer is filling up: the server wakes its worker. */
void stats_set_waker(struct stats_recorder *s, void (*wake)(void));

/* Records a page view of route (a route pattern: static text) by member
 * (0: a visitor) at dc->now. Nothing when dc->stats is NULL (statistics
 * off, Do Not Track or Global Privacy Control). */
void stats_view(struct dctx *dc, int64_t member, const char *route);
/* Records an action; group_id 0 outside groups; title: a post's (for the
 * announcement rule), else NULL. */
void stats_note(struct dctx *dc, int64_t member, enum stats_action a, int64_t group_id, const char *title);
/* Writes the buffered events (members who opted out are dropped here);
 * the number written, or -1. */
int stats_flush(struct dctx *dc);
/* Key rotation, daily rollup, expiry, judged by dc->now (housekeeping). */
int stats_housekeeping(struct dctx *dc);

/* Limits (seconds). */
#define STATS_VISIT_GAP (30 * 60)          /* a visit ends after 30 minutes without a page */
#define STATS_MEMBER_KEEP (395LL * 86400)  /* pseudonymous rows: 13 months */
#define STATS_DAILY_KEEP (761LL * 86400)   /* anonymous daily rollups: 25 months */
#define STATS_KEY_AGE (180LL * 86400)      /* the pseudonymisation key is replaced every 6 months */
#define STATS_RETURN_WINDOW (30LL * 86400) /* "comes back": active in the 30 days before */
#define STATS_MAX_DAYS 762                 /* the longest period a metric answers */

/* Europe/Paris calendar: the start of the local day holding t, of its
 * week (Monday) and month; the local hour; "YYYY-MM-DD" of a local day. */
int64_t stats_day_start(int64_t t);
int64_t stats_week_start(int64_t t);
int64_t stats_month_start(int64_t t);
int64_t stats_next_day(int64_t day);
int stats_hour(int64_t t);
void stats_date(int64_t t, char out[11]);
/* Parses "YYYY-MM-DD" as the start of that Paris day; -1 if malformed. */
int64_t stats_parse_date(const char *s);

/* The metrics. */
enum stats_shape { STATS_SERIES, STATS_TABLE };
struct stats_metric_info {
	const char *name;
	enum stats_shape shape;
	int decimals;       /* digits that mean something */
};
/* NULL when unknown. */
const struct stats_metric_info *stats_metric(const char *name);
extern const struct stats_metric_info stats_metrics[];   /* ended by { NULL } */

struct stats_query {
	const struct stats_metric_info *metric;
	int64_t from, to;           /* Unix seconds, inclusive */
	const char *academy;        /* "" or NULL: every academy */
	const char *period;         /* "day", "week", "month" (active only) */
};

struct stats_point {
	int64_t t;                  /* series: the start of the day/week/month */
	const char *key;            /* tables: the row's key */
	double value;
};

struct stats_result {
	int64_t from, to;
	struct stats_point *points;
	int n;
};

/* Checks q (from <= to, at most STATS_MAX_DAYS days, period, academy) and
 * fills the defaults (the last 30 days including today); D_INVALID with
 * *field set otherwise. */
enum derr stats_check(struct dctx *dc, struct stats_query *q, const char **field);
/* The metric over q's period (cur) and the period just before (prev),
 * aligned row by row. Admins only (D_NOT_FOUND otherwise). Flushes the
 * recorder first, so that what was just done is counted. */
enum derr stats_compute(struct dctx *dc, const struct viewer *v, const struct stats_query *q,
			struct stats_result *cur, struct stats_result *prev);

/* The seeder: days of plausible activity of members 1..n ending yesterday,
 * their academies from the users table (ids past the last member: simulated
 * members of a random academy). */
int stats_seed(struct dctx *dc, int days, int64_t members, uint64_t seed);

/* A member's choice (opt-out: nothing about them is recorded). */
enum derr stats_optout_get(struct dctx *dc, const struct viewer *v, int *out);
enum derr stats_optout_set(struct dctx *dc, const struct viewer *v, int optout);

#endif
