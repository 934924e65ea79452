/* util/config.c: HOST:PORT parsing and the order defaults < file < environment < flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "suites.h"
#include "util/config.h"

static char tmp[64];
static char conf_path[128];

static const char *const env_names[] = {
	"RESPIRE_DATA", "RESPIRE_LISTEN", "RESPIRE_DB", "RESPIRE_BASE_URL",
	"RESPIRE_ALLOWED_DOMAINS", "RESPIRE_SMTP_URL", "RESPIRE_MAIL_FROM", "RESPIRE_MAX_BODY",
	"RESPIRE_THREADS", "RESPIRE_LOG_LEVEL", NULL
};

static void setup(void)
{
	for (const char *const *e = env_names; *e; e++)
		unsetenv(*e);
	snprintf(tmp, sizeof tmp, "/tmp/respire-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(conf_path, sizeof conf_path, "%s/respire.conf", tmp);
}

static void teardown(void)
{
	unlink(conf_path);
	rmdir(tmp);
}

static void write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* config_load with only the data folder given; returns its result, err filled. */
static int load(struct config *c, char *err, size_t errlen)
{
	struct config_flags fl = { NULL, tmp, NULL };

	err[0] = '\0';
	return config_load(c, &fl, err, errlen);
}

START_TEST(listen_good)
{
	char host[128];
	unsigned port = 1234;

	ck_assert_int_eq(config_parse_listen("127.0.0.1:0", host, sizeof host, &port), 0);
	ck_assert_str_eq(host, "127.0.0.1");
	ck_assert_uint_eq(port, 0);
	ck_assert_int_eq(config_parse_listen("[::1]:8080", host, sizeof host, &port), 0);
	ck_assert_str_eq(host, "::1");
	ck_assert_uint_eq(port, 8080);
	ck_assert_int_eq(config_parse_listen("localhost:65535", host, sizeof host, &port), 0);
	ck_assert_str_eq(host, "localhost");
	ck_assert_uint_eq(port, 65535);
	ck_assert_int_eq(config_parse_listen("0.0.0.0:80", host, sizeof host, &port), 0);
	ck_assert_str_eq(host, "0.0.0.0");
	ck_assert_uint_eq(port, 80);
}
END_TEST

START_TEST(listen_bad)
{
	static const char *const bad[] = {
		"", "127.0.0.1", ":8080", "host:", "host:65536", "host:99999999999999999999",
		"host:80x", "host:-1", "host:-0", "host:+80", "host: 80", "host:0x50", "[]:80",
		"host:8080 ",
		NULL
	};
	char host[128] = "untouched";
	unsigned port = 1234;

	for (const char *const *s = bad; *s; s++)
		ck_assert_msg(config_parse_listen(*s, host, sizeof host, &port) == -1,
			      "'%s' was accepted", *s);
	ck_assert_str_eq(host, "untouched");
	ck_assert_uint_eq(port, 1234);
}
END_TEST

START_TEST(listen_host_bound)
{
	char host[8];
	unsigned port = 0;

	ck_assert_int_eq(config_parse_listen("1234567:1", host, sizeof host, &port), 0);
	ck_assert_str_eq(host, "1234567");
	ck_assert_int_eq(config_parse_listen("12345678:1", host, sizeof host, &port), -1);
}
END_TEST

START_TEST(load_defaults)
{
	struct config c;
	char err[256], dbp[700];

	ck_assert_int_eq(load(&c, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "127.0.0.1");
	ck_assert_uint_eq(c.listen_port, 8080);
	ck_assert_str_eq(c.data_dir, tmp);
	ck_assert_str_eq(c.db_url, "");
	ck_assert_str_eq(c.base_url, "");
	ck_assert_str_eq(c.allowed_domains, "education.gouv.fr,ac-*.fr");
	ck_assert_str_eq(c.smtp_url, "");
	ck_assert_str_eq(c.mail_from, "no-reply@respire.education.gouv.fr");
	ck_assert_uint_eq(c.max_body, 1024 * 1024);
	ck_assert_uint_eq(c.max_avatar, 2 * 1024 * 1024);
	ck_assert_uint_eq(c.max_avatar_side, 4096);
	ck_assert_uint_gt(c.threads, 0);
	ck_assert_uint_eq(c.session_days, 30);
	ck_assert_int_eq(c.slow_query_ms, 500);
	ck_assert_int_eq(c.log_level, LOG_INFO);
	snprintf(dbp, sizeof dbp, "%s/respire.db", tmp);
	ck_assert_str_eq(config_db(&c, err, sizeof err), dbp);
}
END_TEST

START_TEST(load_no_flags_uses_env_data)
{
	struct config c;
	char err[256];

	write_conf("threads = 3\n");
	setenv("RESPIRE_DATA", tmp, 1);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
	ck_assert_str_eq(c.data_dir, tmp);
	ck_assert_uint_eq(c.threads, 3);
}
END_TEST

START_TEST(load_file_over_defaults)
{
	struct config c;
	char err[256];

	write_conf("# Respire settings\n"
		   "\n"
		   "listen = 0.0.0.0:9000\n"
		   "  base_url=https://respire.example.fr//  \n"
		   "threads = 3\n"
		   "max_body = 2k\n"
		   "max_avatar = 1M\n"
		   "max_avatar_side = 1024\n"
		   "session_days = 7\n"
		   "slow_query_ms = 0\n"
		   "allowed_domains = ac-*.fr\n"
		   "mail_from = ne-pas-repondre@ac-lyon.fr\n"
		   "db = /tmp/elsewhere.db\n"
		   "log_level = debug\n");
	ck_assert_int_eq(load(&c, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "0.0.0.0");
	ck_assert_uint_eq(c.listen_port, 9000);
	ck_assert_str_eq(c.base_url, "https://respire.example.fr");
	ck_assert_uint_eq(c.threads, 3);
	ck_assert_uint_eq(c.max_body, 2048);
	ck_assert_uint_eq(c.max_avatar, 1024 * 1024);
	ck_assert_uint_eq(c.max_avatar_side, 1024);
	ck_assert_uint_eq(c.session_days, 7);
	ck_assert_int_eq(c.slow_query_ms, 0);
	ck_assert_str_eq(c.allowed_domains, "ac-*.fr");
	ck_assert_str_eq(c.mail_from, "ne-pas-repondre@ac-lyon.fr");
	ck_assert_str_eq(c.db_url, "/tmp/elsewhere.db");
	ck_assert_str_eq(config_db(&c, err, sizeof err), "/tmp/elsewhere.db");
	ck_assert_int_eq(c.log_level, LOG_DEBUG);
	ck_assert_str_eq(c.data_dir, tmp);
}
END_TEST

START_TEST(load_env_over_file_flags_over_env)
{
	struct config c;
	struct config_flags fl = { NULL, NULL, NULL };
	char err[256];

	write_conf("listen = 0.0.0.0:9000\nthreads = 3\nbase_url = http://file.fr\ndb = /tmp/file.db\n");
	setenv("RESPIRE_LISTEN", "127.0.0.2:9100", 1);
	setenv("RESPIRE_THREADS", "5", 1);
	setenv("RESPIRE_DB", "/tmp/env.db", 1);
	setenv("RESPIRE_MAX_BODY", "", 1);               /* empty: ignored */
	ck_assert_int_eq(load(&c, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "127.0.0.2");
	ck_assert_uint_eq(c.listen_port, 9100);
	ck_assert_uint_eq(c.threads, 5);
	ck_assert_str_eq(c.db_url, "/tmp/env.db");
	ck_assert_str_eq(c.base_url, "http://file.fr");  /* only in the file */
	ck_assert_uint_eq(c.max_body, 1024 * 1024);      /* default */

	fl.data = tmp;
	fl.listen = "[::1]:9200";
	fl.db = "/tmp/flag.db";
	ck_assert_int_eq(config_load(&c, &fl, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "::1");
	ck_assert_uint_eq(c.listen_port, 9200);
	ck_assert_str_eq(c.db_url, "/tmp/flag.db");
	ck_assert_uint_eq(c.threads, 5);
	ck_assert_str_eq(c.base_url, "http://file.fr");
}
END_TEST

START_TEST(load_flag_data_over_env_data)
{
	struct config c;
	char err[256];

	setenv("RESPIRE_DATA", "/nonexistent/respire-data", 1);
	write_conf("threads = 2\n");
	ck_assert_int_eq(load(&c, err, sizeof err), 0);
	ck_assert_str_eq(c.data_dir, tmp);
	ck_assert_uint_eq(c.threads, 2);
}
END_TEST

/* Writes text as the file, expects config_load to fail with a message holding want. */
static void expect_bad_file(const char *text, const char *want)
{
	struct config c;
	char err[512];

	write_conf(text);
	ck_assert_msg(load(&c, err, sizeof err) == -1, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "message '%s' lacks '%s'", err, want);
}

START_TEST(load_bad_file_values)
{
	expect_bad_file("threads = abc\n", "threads");
	expect_bad_file("threads = 0\n", "threads");
	expect_bad_file("threads = 257\n", "threads");
	expect_bad_file("listen = nowhere\n", "listen");
	expect_bad_file("base_url = ftp://x.fr\n", "base_url");
	expect_bad_file("base_url = javascript:alert(1)\n", "base_url");
	expect_bad_file("mail_from = not-an-address\n", "mail_from");
	expect_bad_file("max_body = 12q\n", "max_body");
	expect_bad_file("max_body = -5\n", "max_body");
	expect_bad_file("max_body = +5\n", "max_body");
	expect_bad_file("max_body = 99999999999999999999\n", "max_body");
	expect_bad_file("max_body = 18446744073709551615k\n", "max_body");
	expect_bad_file("max_avatar = 17179869184g\n", "max_avatar");
	expect_bad_file("max_avatar_side = 4k\n", "max_avatar_side");
	expect_bad_file("max_avatar_side = 8\n", "max_avatar_side");
	expect_bad_file("max_avatar_side = 65536\n", "max_avatar_side");
	expect_bad_file("max_avatar_side = -1\n", "max_avatar_side");
	expect_bad_file("session_days = 4000\n", "session_days");
	expect_bad_file("slow_query_ms = soon\n", "slow_query_ms");
	expect_bad_file("slow_query_ms = -1\n", "slow_query_ms");
	expect_bad_file("slow_query_ms = 3600001\n", "slow_query_ms");
	expect_bad_file("allowed_domains =\n", "allowed_domains");
	expect_bad_file("log_level = loud\n", "log_level");
	expect_bad_file("# ok\nthreads = 2\nlisten\n", "respire.conf:3");
	expect_bad_file("data = /elsewhere\n", "data");
}
END_TEST

START_TEST(load_unknown_key_is_error)
{
	expect_bad_file("threads = 2\nlsiten = 127.0.0.1:80\n", "unknown");
	expect_bad_file("threads = 2\nlsiten = 127.0.0.1:80\n", "lsiten");
}
END_TEST

START_TEST(load_bad_env_value)
{
	struct config c;
	char err[256];

	setenv("RESPIRE_LISTEN", "nowhere", 1);
	ck_assert_int_eq(load(&c, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "RESPIRE_LISTEN"));
	unsetenv("RESPIRE_LISTEN");
	setenv("RESPIRE_BASE_URL", "gopher://x", 1);
	ck_assert_int_eq(load(&c, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "RESPIRE_BASE_URL"));
}
END_TEST

START_TEST(load_bad_flag_value)
{
	struct config c;
	struct config_flags fl = { "127.0.0.1:http", tmp, NULL };
	char err[256] = "";

	ck_assert_int_eq(config_load(&c, &fl, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "--listen"));
	fl.listen = NULL;
	fl.data = "";
	ck_assert_int_eq(config_load(&c, &fl, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "data"));
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tl = tcase_create("listen");
	TCase *tc = tcase_create("load");

	tcase_add_test(tl, listen_good);
	tcase_add_test(tl, listen_bad);
	tcase_add_test(tl, listen_host_bound);
	suite_add_tcase(s, tl);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_defaults);
	tcase_add_test(tc, load_no_flags_uses_env_data);
	tcase_add_test(tc, load_file_over_defaults);
	tcase_add_test(tc, load_env_over_file_flags_over_env);
	tcase_add_test(tc, load_flag_data_over_env_data);
	tcase_add_test(tc, load_bad_file_values);
	tcase_add_test(tc, load_unknown_key_is_error);
	tcase_add_test(tc, load_bad_env_value);
	tcase_add_test(tc, load_bad_flag_value);
	suite_add_tcase(s, tc);
	return s;
}
