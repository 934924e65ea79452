/* Europe/Paris civil time, computed without the process's TZ (which the
 * operator may set otherwise, and which is not safe to change in a
 * threaded server): the European Union's rule in force since 1996, UTC+1
 * (CET) and UTC+2 (CEST) from the last Sunday of March to the last Sunday
 * of October, changing at 01:00 UTC. Events are shown and exported
 * (iCalendar's VTIMEZONE, domain/agenda.c) with it. */
#ifndef RESPIRE_UTIL_TZ_PARIS_H
#define RESPIRE_UTIL_TZ_PARIS_H

#include <stdint.h>
#include <time.h>

/* The offset from UTC at instant t: 3600 or 7200 seconds. */
int tz_paris_offset(int64_t t);
/* The broken-down Paris time of t (tm_isdst set in summer). */
void tz_paris_tm(int64_t t, struct tm *out);
/* The instant of a Paris wall-clock time (tm fields year, mon, mday, hour,
 * min, sec); a time in the spring gap is read in winter time, an hour of
 * the autumn repeat as its first (summer) occurrence. */
int64_t tz_paris_from_local(const struct tm *local);

#endif
