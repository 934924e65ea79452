/* Configuration: flags, then environment, then DATA/respire.conf, then defaults. */
#ifndef RESPIRE_UTIL_CONFIG_H
#define RESPIRE_UTIL_CONFIG_H

#include <stddef.h>

struct config {
	char listen_host[128];
	unsigned listen_port;
	char data_dir[512];
	char db_url[1024];          /* "" means DATA/respire.db */
	char db_listen_url[1024];   /* PostgreSQL LISTEN connection; "" means db_url (set it past pgbouncer) */
	char files_dir[512];        /* uploaded files; "" means DATA (share it between instances) */
	char trusted_proxies[512];  /* comma-separated IPs whose X-Forwarded-For is believed */
	char base_url[512];         /* "" means http://HOST:PORT of the server */
	char allowed_domains[1024];
	char innovation_themes[4096]; /* the themes of innovation records, '|'-separated; "" means the default list */
	char academies[4096];       /* the academies, '|'-separated; "" means the default list */
	char site_name[128];        /* the instance's name; "" means Respire */
	char contact[256];          /* the operators' contact (an address or a URL); "" means none */
	/* The legal pages' Markdown, set from the console's settings (domain/settings.c);
	 * NULL: the default text. Not read from the file. */
	const char *legal_text, *privacy_text, *accessibility_text;
	const struct config *file;  /* the file's configuration this one overrides (NULL: this is it) */
	char smtp_url[512];         /* "" means write mails to DATA/outbox */
	char mail_from[256];
	unsigned mail_retry_min;    /* seconds before the first retry of a failed mail (doubles, capped at 1 h) */
	int digest_hour;            /* daily digests go out from this local hour on (0-23); -1 "off": serve
	                             * never sends them, respire digest sends whenever it runs (cron) */
	size_t max_body;            /* bytes accepted in a JSON or form body */
	size_t max_avatar;          /* bytes of an avatar image */
	unsigned max_avatar_side;   /* pixels of an avatar's width, and of its height (from the header) */
	size_t max_upload;          /* bytes of one upload request (documents, films) */
	size_t quota_member;        /* bytes of documents a member may keep (every version counts) */
	size_t quota_group;         /* bytes of documents a group may keep */
	unsigned threads;           /* HTTP worker threads */
	unsigned per_ip_limit;      /* simultaneous connections from one address (0: none) */
	unsigned session_days;      /* a session lasts this long without use */
	int slow_query_ms;          /* log statements that take this long (0: every one; -1 "off") */
	int log_level;
	/* First-party statistics (domain/stats.c, docs/operations.md) */
	int stats_off;              /* "stats = off": nothing is recorded */
	char stats_pedagogical_kinds[256]; /* group kinds whose activity is pedagogical */
	char stats_admin_groups[1024];     /* words of an administrative group's name */
	char stats_announcements[1024];    /* first words of an announcement's title */
};

/* Flags given on the command line (NULL when absent). */
struct config_flags {
	const char *listen;
	const char *data;
	const char *db;
};

/* Fills c; on a bad value writes a message into err and returns -1. */
int config_load(struct config *c, const struct config_flags *flags, char *err, size_t errlen);
/* Applies one setting as the file would ("quota_member", "10M"); -1 with err
 * filled on an unknown key or a bad value. */
int config_set(struct config *c, const char *key, const char *val, char *err, size_t errlen);
/* Parses "HOST:PORT" (port 0..65535); returns -1 when malformed. */
int config_parse_listen(const char *s, char *host, size_t hostlen, unsigned *port);
/* The SQLite path or the PostgreSQL URL in use. */
const char *config_db(const struct config *c, char *tmp, size_t tmplen);

#endif
