#include "util/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "util/log.h"
#include "util/text.h"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

int config_parse_listen(const char *s, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long p;
	size_t hl;

	if (!colon || colon == s)
		return -1;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && colon[-1] == ']') { /* [::1]:8080 */
		s++;
		hl -= 2;
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	if (!isdigit((unsigned char)colon[1])) /* strtoul would take " 80", "+80", "-0" */
		return -1;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || p > 65535)
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	*port = (unsigned)p;
	return 0;
}

static int parse_size(const char *v, size_t *out)
{
	char *end;
	unsigned long long n, unit = 1;

	if (!isdigit((unsigned char)*v)) /* strtoull would wrap "-5" to a huge size */
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v)
		return -1;
	if (*end == 'k' || *end == 'K') { unit = 1024; end++; }
	else if (*end == 'm' || *end == 'M') { unit = 1024 * 1024; end++; }
	else if (*end == 'g' || *end == 'G') { unit = 1024ULL * 1024 * 1024; end++; }
	if (*end || n == 0 || n > SIZE_MAX / unit)
		return -1;
	n *= unit;
	*out = (size_t)n;
	return 0;
}

/* Applies one key; returns -1 (with err filled) on a bad value. */
static int apply(struct config *c, const char *key, const char *val, const char *where,
		 char *err, size_t errlen)
{
	size_t n;

	if (!strcmp(key, "listen")) {
		if (config_parse_listen(val, c->listen_host, sizeof c->listen_host, &c->listen_port) < 0)
			goto bad;
	} else if (!strcmp(key, "data")) {
		copy(c->data_dir, sizeof c->data_dir, val);
	} else if (!strcmp(key, "files")) {
		copy(c->files_dir, sizeof c->files_dir, val);
	} else if (!strcmp(key, "trusted_proxies")) {
		copy(c->trusted_proxies, sizeof c->trusted_proxies, val);
	} else if (!strcmp(key, "db")) {
		copy(c->db_url, sizeof c->db_url, val);
	} else if (!strcmp(key, "db_listen")) {
		if (*val && strncmp(val, "postgres://", 11) && strncmp(val, "postgresql://", 13))
			goto bad;
		copy(c->db_listen_url, sizeof c->db_listen_url, val);
	} else if (!strcmp(key, "base_url")) {
		if (*val && strncmp(val, "http://", 7) && strncmp(val, "https://", 8))
			goto bad;
		copy(c->base_url, sizeof c->base_url, val);
		n = strlen(c->base_url);
		while (n && c->base_url[n - 1] == '/')
			c->base_url[--n] = '\0';
	} else if (!strcmp(key, "allowed_domains")) {
		if (!*val)
			goto bad;
		copy(c->allowed_domains, sizeof c->allowed_domains, val);
	} else if (!strcmp(key, "innovation_themes")) {
		if (strlen(val) >= sizeof c->innovation_themes)
			goto bad;
		copy(c->innovation_themes, sizeof c->innovation_themes, val);
	} else if (!strcmp(key, "academies")) {
		if (strlen(val) >= sizeof c->academies)
			goto bad;
		copy(c->academies, sizeof c->academies, val);
	} else if (!strcmp(key, "site_name")) {
		if (strlen(val) >= sizeof c->site_name || !text_ok(val, 0))
			goto bad;
		copy(c->site_name, sizeof c->site_name, val);
	} else if (!strcmp(key, "contact")) {
		if (strlen(val) >= sizeof c->contact || !text_ok(val, 0))
			goto bad;
		copy(c->contact, sizeof c->contact, val);
	} else if (!strcmp(key, "stats")) {
		if (strcmp(val, "on") && strcmp(val, "off"))
			goto bad;
		c->stats_off = !strcmp(val, "off");
	} else if (!strcmp(key, "stats_pedagogical_kinds")) {
		if (strlen(val) >= sizeof c->stats_pedagogical_kinds)
			goto bad;
		copy(c->stats_pedagogical_kinds, sizeof c->stats_pedagogical_kinds, val);
	} else if (!strcmp(key, "stats_admin_groups")) {
		if (strlen(val) >= sizeof c->stats_admin_groups)
			goto bad;
		copy(c->stats_admin_groups, sizeof c->stats_admin_groups, val);
	} else if (!strcmp(key, "stats_announcements")) {
		if (strlen(val) >= sizeof c->stats_announcements)
			goto bad;
		copy(c->stats_announcements, sizeof c->stats_announcements, val);
	} else if (!strcmp(key, "smtp_url")) {
		copy(c->smtp_url, sizeof c->smtp_url, val);
	} else if (!strcmp(key, "mail_from")) {
		if (!email_shape_ok(val))
			goto bad;
		copy(c->mail_from, sizeof c->mail_from, val);
	} else if (!strcmp(key, "mail_retry_min")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!*val || *end || v < 1 || v > 3600)
			goto bad;
		c->mail_retry_min = (unsigned)v;
	} else if (!strcmp(key, "digest_hour")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!strcmp(val, "off"))
			c->digest_hour = -1;
		else if (!*val || *end || v > 23)
			goto bad;
		else
			c->digest_hour = (int)v;
	} else if (!strcmp(key, "max_body")) {
		if (parse_size(val, &c->max_body) < 0)
			goto bad;
	} else if (!strcmp(key, "max_avatar")) {
		if (parse_size(val, &c->max_avatar) < 0)
			goto bad;
	} else if (!strcmp(key, "max_avatar_side")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!isdigit((unsigned char)*val) || *end || v < 16 || v > 65535)
			goto bad;
		c->max_avatar_side = (unsigned)v;
	} else if (!strcmp(key, "max_upload")) {
		if (parse_size(val, &c->max_upload) < 0)
			goto bad;
	} else if (!strcmp(key, "quota_member")) {
		if (parse_size(val, &c->quota_member) < 0)
			goto bad;
	} else if (!strcmp(key, "quota_group")) {
		if (parse_size(val, &c->quota_group) < 0)
			goto bad;
	} else if (!strcmp(key, "threads")) {
		if (parse_size(val, &n) < 0 || n > 256)
			goto bad;
		c->threads = (unsigned)n;
	} else if (!strcmp(key, "per_ip_limit")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!*val || *end || v > 100000)
			goto bad;
		c->per_ip_limit = (unsigned)v;
	} else if (!strcmp(key, "session_days")) {
		if (parse_size(val, &n) < 0 || n > 3650)
			goto bad;
		c->session_days = (unsigned)n;
	} else if (!strcmp(key, "slow_query_ms")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (!strcmp(val, "off"))
			c->slow_query_ms = -1;
		else if (!isdigit((unsigned char)*val) || *end || v > 3600000)
			goto bad;
		else
			c->slow_query_ms = (int)v;
	} else if (!strcmp(key, "log_level")) {
		if ((c->log_level = log_level_parse(val)) < 0)
			goto bad;
	} else {
		snprintf(err, errlen, "%s: unknown setting '%s'", where, key);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: invalid value for %s: '%s'", where, key, val);
	return -1;
}

int config_set(struct config *c, const char *key, const char *val, char *err, size_t errlen)
{
	return apply(c, key, val, "setting", err, errlen);
}

static int load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int lineno = 0, rc = 0;

	if (!f)
		return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	while (fgets(line, sizeof line, f)) {
		char *k, *v, *eq, where[640];

		lineno++;
		k = text_trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		snprintf(where, sizeof where, "%.600s:%d", path, lineno);
		if (!eq) {
			snprintf(err, errlen, "%s: expected 'key = value'", where);
			rc = -1;
			break;
		}
		*eq = '\0';
		k = text_trim(k);
		v = text_trim(eq + 1);
		if (!strcmp(k, "data")) {
			snprintf(err, errlen, "%s: 'data' cannot be set in the data folder's own file", where);
			rc = -1;
			break;
		}
		if (apply(c, k, v, where, err, errlen) < 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static const struct { const char *env, *key; } env_keys[] = {
	{ "RESPIRE_LISTEN", "listen" },
	{ "RESPIRE_DB", "db" },
	{ "RESPIRE_DB_LISTEN", "db_listen" },
	{ "RESPIRE_FILES", "files" },
	{ "RESPIRE_TRUSTED_PROXIES", "trusted_proxies" },
	{ "RESPIRE_BASE_URL", "base_url" },
	{ "RESPIRE_ALLOWED_DOMAINS", "allowed_domains" },
	{ "RESPIRE_SMTP_URL", "smtp_url" },
	{ "RESPIRE_MAIL_FROM", "mail_from" },
	{ "RESPIRE_MAIL_RETRY_MIN", "mail_retry_min" },
	{ "RESPIRE_DIGEST_HOUR", "digest_hour" },
	{ "RESPIRE_MAX_BODY", "max_body" },
	{ "RESPIRE_MAX_UPLOAD", "max_upload" },
	{ "RESPIRE_QUOTA_MEMBER", "quota_member" },
	{ "RESPIRE_QUOTA_GROUP", "quota_group" },
	{ "RESPIRE_THREADS", "threads" },
	{ "RESPIRE_PER_IP_LIMIT", "per_ip_limit" },
	{ "RESPIRE_SLOW_QUERY_MS", "slow_query_ms" },
	{ "RESPIRE_LOG_LEVEL", "log_level" },
	{ "RESPIRE_STATS", "stats" },
};

int config_load(struct config *c, const struct config_flags *flags, char *err, size_t errlen)
{
	const char *v;
	char path[600];
	long ncpu;

	memset(c, 0, sizeof *c);
	copy(c->listen_host, sizeof c->listen_host, "127.0.0.1");
	c->listen_port = 8080;
	copy(c->data_dir, sizeof c->data_dir, "./data");
	copy(c->allowed_domains, sizeof c->allowed_domains, "education.gouv.fr,ac-*.fr");
	copy(c->mail_from, sizeof c->mail_from, "no-reply@respire.education.gouv.fr");
	c->mail_retry_min = 30;
	c->digest_hour = 7;
	c->max_body = 1024 * 1024;
	c->max_avatar = 2 * 1024 * 1024;
	c->max_avatar_side = 4096;
	c->max_upload = 4ULL * 1024 * 1024 * 1024;
	c->quota_member = 5ULL * 1024 * 1024 * 1024;
	c->quota_group = 20ULL * 1024 * 1024 * 1024;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = ncpu > 0 ? (unsigned)ncpu * 2 : 4;
	c->session_days = 30;
	c->per_ip_limit = 2000;
	c->slow_query_ms = 500;
	c->log_level = LOG_INFO;
	copy(c->stats_pedagogical_kinds, sizeof c->stats_pedagogical_kinds, "resources,practice,training,project");
	copy(c->stats_admin_groups, sizeof c->stats_admin_groups,
	     "administration,administratif,administrative,direction,secrétariat,secretariat,vie scolaire,intendance");
	copy(c->stats_announcements, sizeof c->stats_announcements,
	     "annonce,convocation,circulaire,note de service,ordre du jour,information");

	/* The data folder first: it says where the file is. */
	if (flags && flags->data)
		copy(c->data_dir, sizeof c->data_dir, flags->data);
	else if ((v = getenv("RESPIRE_DATA")) && *v)
		copy(c->data_dir, sizeof c->data_dir, v);
	if (!c->data_dir[0]) {
		snprintf(err, errlen, "the data folder cannot be empty");
		return -1;
	}
	snprintf(path, sizeof path, "%s/respire.conf", c->data_dir);
	if (load_file(c, path, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof env_keys / sizeof env_keys[0]; i++) {
		v = getenv(env_keys[i].env);
		if (v && *v && apply(c, env_keys[i].key, v, env_keys[i].env, err, errlen) < 0)
			return -1;
	}
	if (!c->files_dir[0])
		copy(c->files_dir, sizeof c->files_dir, c->data_dir);
	if (flags && flags->listen && apply(c, "listen", flags->listen, "--listen", err, errlen) < 0)
		return -1;
	if (flags && flags->db && apply(c, "db", flags->db, "--db", err, errlen) < 0)
		return -1;
	return 0;
}

const char *config_db(const struct config *c, char *tmp, size_t tmplen)
{
	if (c->db_url[0])
		return c->db_url;
	snprintf(tmp, tmplen, "%s/respire.db", c->data_dir);
	return tmp;
}
