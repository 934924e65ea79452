/* Europe/Paris civil time (see tz_paris.h). */
#include "util/tz_paris.h"

#include <string.h>

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 01:00 UTC on the last Sunday of month m (March or October: 31 days) of y. */
static int64_t last_sunday_1h(int64_t y, int m)
{
	int64_t d = days_from_civil(y, m, 31);
	int64_t wday = ((d % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4) */

	return (d - wday) * 86400 + 3600;
}

static int64_t year_of(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm))
		return 1970;
	return (int64_t)tm.tm_year + 1900;
}

int tz_paris_offset(int64_t t)
{
	int64_t y = year_of(t);

	return t >= last_sunday_1h(y, 3) && t < last_sunday_1h(y, 10) ? 7200 : 3600;
}

void tz_paris_tm(int64_t t, struct tm *out)
{
	int off = tz_paris_offset(t);
	time_t tt = (time_t)(t + off);

	memset(out, 0, sizeof *out);
	gmtime_r(&tt, out);
	out->tm_isdst = off == 7200;
}

int64_t tz_paris_from_local(const struct tm *local)
{
	int64_t wall = days_from_civil((int64_t)local->tm_year + 1900, local->tm_mon + 1, local->tm_mday) * 86400 +
		       local->tm_hour * 3600 + local->tm_min * 60 + local->tm_sec;

	/* summer time first: in the autumn repeat, the first occurrence */
	if (tz_paris_offset(wall - 7200) == 7200)
		return wall - 7200;
	return wall - 3600;
}
