/* The domain clock: the time every rule (deadlines, expiries, "now" in a
 * request) is judged by.  It is the system clock unless the environment names
 * a clock file (RESPIRE_CLOCK_FILE), which tests write to move time without
 * sleeping: the file holds Unix seconds ("1767225600") or an offset from the
 * system clock ("+3600", "-86400").  A missing or unreadable file means the
 * system clock. */
#ifndef RESPIRE_UTIL_CLOCK_H
#define RESPIRE_UTIL_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);

#endif
