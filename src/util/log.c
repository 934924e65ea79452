#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int log_level = LOG_INFO;

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: case LOG_ERR: return "error";
	case LOG_WARNING: return "warn";
	case LOG_NOTICE: case LOG_INFO: return "info";
	default: return "debug";
	}
}

int log_level_parse(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "error")) return LOG_ERR;
	if (!strcmp(name, "warn")) return LOG_WARNING;
	if (!strcmp(name, "info")) return LOG_INFO;
	if (!strcmp(name, "debug")) return LOG_DEBUG;
	return -1;
}

void log_write(int level, const char *fmt, ...)
{
	char line[2048];
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One fprintf call per line so that lines from threads do not interleave. */
	fprintf(stderr, "%s %s %s\n", stamp, level_name(level), line);
}
