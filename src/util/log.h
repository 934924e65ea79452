/* Leveled logging to stderr; the level is checked before arguments are
 * formatted. Never log secrets (passwords, tokens, cookies). */
#ifndef RESPIRE_UTIL_LOG_H
#define RESPIRE_UTIL_LOG_H

#include <syslog.h>
#include "util/buf.h"

extern int log_level; /* syslog priority: LOG_ERR .. LOG_DEBUG */

void log_write(int level, const char *fmt, ...) FMT_PRINTF(2, 3);
int log_level_parse(const char *name);

#define LOG(level, ...) \
	do { \
		if ((level) <= log_level) \
			log_write((level), __VA_ARGS__); \
	} while (0)

#define LOG_E(...) LOG(LOG_ERR, __VA_ARGS__)
#define LOG_W(...) LOG(LOG_WARNING, __VA_ARGS__)
#define LOG_I(...) LOG(LOG_INFO, __VA_ARGS__)
#define LOG_D(...) LOG(LOG_DEBUG, __VA_ARGS__)

#endif
