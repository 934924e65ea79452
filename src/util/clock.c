#include "util/clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static pthread_once_t clock_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *clock_path;      /* NULL: the system clock */

/* What the file said, kept until it changes. */
static struct timespec seen_mtime;
static off_t seen_size = -1;
static ino_t seen_ino;
static int64_t fixed;               /* absolute time when !relative */
static int64_t offset;              /* seconds added when relative */
static int relative = 1;

static void clock_init(void)
{
	const char *p = getenv("RESPIRE_CLOCK_FILE");
	if (p && *p)
		clock_path = p;
}

/* Parses "123", "+123" or "-123"; 0 on success. */
static int parse_clock(const char *text, int64_t *value, int *is_offset)
{
	while (*text == ' ' || *text == '\t')
		text++;
	*is_offset = (*text == '+' || *text == '-');
	errno = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text)
		return -1;
	while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
		end++;
	if (*end)
		return -1;
	*value = (int64_t)v;
	return 0;
}

static void reread(void)
{
	struct stat sb;
	if (stat(clock_path, &sb) != 0) {
		relative = 1;
		offset = 0;
		seen_size = -1;
		return;
	}
	if (sb.st_size == seen_size && sb.st_ino == seen_ino &&
	    sb.st_mtim.tv_sec == seen_mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == seen_mtime.tv_nsec)
		return;
	FILE *f = fopen(clock_path, "r");
	char text[64] = "";
	if (f) {
		size_t n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	int64_t v;
	int is_offset;
	if (f && parse_clock(text, &v, &is_offset) == 0) {
		relative = is_offset;
		if (is_offset)
			offset = v;
		else
			fixed = v;
	} else {
		relative = 1;
		offset = 0;
	}
	seen_size = sb.st_size;
	seen_ino = sb.st_ino;
	seen_mtime = sb.st_mtim;
}

int64_t clock_now(void)
{
	pthread_once(&clock_once, clock_init);
	int64_t system = (int64_t)time(NULL);
	if (!clock_path)
		return system;
	pthread_mutex_lock(&clock_lock);
	reread();
	int64_t now = relative ? system + offset : fixed;
	pthread_mutex_unlock(&clock_lock);
	return now;
}
