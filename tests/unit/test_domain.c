/* domain/ and store/ on a temporary SQLite database: accounts, tokens, sessions,
 * password resets, profiles and nested transactions. Mails go to TMP/outbox.
 * Every argon2id hash costs about 100 ms under ASan: accounts are few. */
#include <dirent.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/account.h"
#include "domain/domain.h"
#include "domain/profile.h"
#include "domain/schools.h"
#include "store/db.h"
#include "store/transfer.h"
#include "suites.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"

#define PW "Le chat dort 42 fois"
#define PW2 "Nouveau mot de passe 7!"

static char dir[64];
static struct db_pool *pool;
static struct db *db;
static struct arena *arena;
static struct config cfg;
static struct dctx dc;
static int64_t t0;
static const unsigned char secret[33] = "0123456789abcdef0123456789abcdef";

static const char *const env_names[] = {
	"RESPIRE_DATA", "RESPIRE_LISTEN", "RESPIRE_DB", "RESPIRE_BASE_URL",
	"RESPIRE_ALLOWED_DOMAINS", "RESPIRE_SMTP_URL", "RESPIRE_MAIL_FROM", "RESPIRE_MAX_BODY",
	"RESPIRE_THREADS", "RESPIRE_LOG_LEVEL", NULL
};

static void setup(void)
{
	struct config_flags fl = { NULL, NULL, NULL };
	char err[256] = "", path[128];

	ck_assert_int_ge(sodium_init(), 0);
	for (const char *const *e = env_names; *e; e++)
		unsetenv(*e);
	snprintf(dir, sizeof dir, "/tmp/respire-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fl.data = dir;
	ck_assert_msg(config_load(&cfg, &fl, err, sizeof err) == 0, "config: %s", err);
	snprintf(path, sizeof path, "%s/respire.db", dir);
	ck_assert_msg(db_pool_open(&pool, path, 2, err, sizeof err) == 0, "pool: %s", err);
	db = db_pool_get(pool);
	ck_assert_ptr_nonnull(db);
	ck_assert_int_gt(db_migrate(db), 0);
	arena = arena_new();
	ck_assert_ptr_nonnull(arena);
	t0 = (int64_t)time(NULL);
	memset(&dc, 0, sizeof dc);
	dc.db = db;
	dc.arena = arena;
	dc.cfg = &cfg;
	dc.base_url = "http://test";
	dc.lang = "fr";
	dc.secret = secret;
	dc.now = t0;
	dc.client_ip = "192.0.2.7";
	dc.user_agent = "unit-tests";
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void teardown(void)
{
	arena_free(arena);
	arena = NULL;
	db_pool_put(pool, db);
	db_pool_close(pool);
	pool = NULL;
	db = NULL;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- outbox ------------------------------------------------------------- */

static int is_mail(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 && !strcmp(d->d_name + n - 4, ".eml");
}

static int mail_count(void)
{
	char ob[128];
	struct dirent **list;
	int n;

	snprintf(ob, sizeof ob, "%s/outbox", dir);
	n = scandir(ob, &list, is_mail, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return n;
}

/* The newest mail in the outbox, in the arena (names sort in sending order). */
static char *last_mail(void)
{
	char ob[128], path[512], chunk[4096];
	struct dirent **list;
	struct buf b = BUF_INIT;
	FILE *f;
	size_t got;
	char *out;
	int n;

	snprintf(ob, sizeof ob, "%s/outbox", dir);
	n = scandir(ob, &list, is_mail, alphasort);
	ck_assert_int_gt(n, 0);
	snprintf(path, sizeof path, "%s/%s", ob, list[n - 1]->d_name);
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, got);
	fclose(f);
	out = arena_strdup(arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The token after marker ("/verify?token=") in the newest mail. */
static const char *mail_token(const char *marker)
{
	const char *m = last_mail(), *p = strstr(m, marker);
	size_t n = 0;

	ck_assert_msg(p != NULL, "no '%s' in mail:\n%s", marker, m);
	p += strlen(marker);
	while (p[n] && (strchr("-_", p[n]) || (p[n] >= 'A' && p[n] <= 'Z') ||
			(p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
		n++;
	ck_assert_uint_eq(n, TOKEN_TEXT_LEN);
	return arena_strndup(arena, p, n);
}

/* A pending account; returns its verification token. */
static const char *register_pending(const char *email, const char *name, int64_t *id)
{
	const char *field = "unset";

	ck_assert_int_eq(account_register(&dc, email, PW, name, id, &field), D_OK);
	ck_assert_ptr_null(field);
	ck_assert_int_gt(*id, 0);
	return mail_token("/verify?token=");
}

static int64_t create_active(const char *email, const char *name)
{
	const char *field = "unset";
	int64_t id = 0;

	ck_assert_int_eq(account_create_verified(&dc, email, PW, name, 0, &id, &field), D_OK);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t count(const char *sql, int64_t arg)
{
	int64_t n = -1;

	ck_assert_int_eq(db_int(db, &n, sql, "i", arg), 1);
	return n;
}

/* ---- passwords (no database) -------------------------------------------- */

START_TEST(password_rules)
{
	char longpw[PASSWORD_MAX_BYTES + 2];

	ck_assert_int_eq(password_strong(PW, NULL), 1);
	ck_assert_int_eq(password_strong(PW, "claire.martin@ac-lyon.fr"), 1);
	ck_assert_int_eq(password_strong("abcd-efgh-ij", NULL), 1);     /* exactly 12 */
	ck_assert_int_eq(password_strong("abcd-efgh-i", NULL), 0);      /* 11 */
	ck_assert_int_eq(password_strong("", NULL), 0);
	ck_assert_int_eq(password_strong("short", NULL), 0);
	/* 12 characters but 24 bytes: counted in characters */
	ck_assert_int_eq(password_strong("\xC3\xA9\xC3\xA8\xC3\xA0\xC3\xA7\xC3\xB4\xC3\xAE"
					 "\xC3\xA9\xC3\xA8\xC3\xA0\xC3\xA7\xC3\xB4\xC3\xAE", NULL), 1);
	ck_assert_int_eq(password_strong("\xC3\xA9\xC3\xA8\xC3\xA0\xC3\xA7\xC3\xB4\xC3\xAE"
					 "\xC3\xA9\xC3\xA8\xC3\xA0\xC3\xA7\xC3\xB4", NULL), 0);
	/* too few distinct characters */
	ck_assert_int_eq(password_strong("aaaaaaaaaaaaaaab", NULL), 0);
	ck_assert_int_eq(password_strong("abcabcabcabcabc", NULL), 0);
	ck_assert_int_eq(password_strong("abcdabcdabcd", NULL), 1);
	/* common passwords, in any case */
	ck_assert_int_eq(password_strong("password1234", NULL), 0);
	ck_assert_int_eq(password_strong("PassWord1234", NULL), 0);
	ck_assert_int_eq(password_strong("azertyuiop123", NULL), 0);
	ck_assert_int_eq(password_strong("Motdepasse123", NULL), 0);
	/* the address or its local part */
	ck_assert_int_eq(password_strong("claire.martin@ac-lyon.fr", "claire.martin@ac-lyon.fr"), 0);
	ck_assert_int_eq(password_strong("Claire.Martin@AC-Lyon.fr", "claire.martin@ac-lyon.fr"), 0);
	ck_assert_int_eq(password_strong("Claire.Martin", "claire.martin@ac-lyon.fr"), 0);
	ck_assert_int_eq(password_strong("Claire.Martin", "someone.else@ac-lyon.fr"), 1);
	/* byte bound */
	memset(longpw, 'x', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';
	memcpy(longpw, "abcdefg", 7);
	ck_assert_uint_eq(strlen(longpw), PASSWORD_MAX_BYTES + 1);
	ck_assert_int_eq(password_strong(longpw, NULL), 0);
	longpw[PASSWORD_MAX_BYTES] = '\0';
	ck_assert_int_eq(password_strong(longpw, NULL), 1);
}
END_TEST

START_TEST(email_normalising)
{
	char a[] = "  Claire.Martin@AC-Lyon.FR \n";
	char b[] = "not an address";

	ck_assert_str_eq(email_normalise(a), "claire.martin@ac-lyon.fr");
	ck_assert_ptr_null(email_normalise(b));
	ck_assert_ptr_null(email_normalise(NULL));
}
END_TEST

/* ---- registration and verification -------------------------------------- */

START_TEST(register_results)
{
	const char *field;
	int64_t id = 0, id2 = 0;
	struct db_stmt *st;

	field = "unset";
	ck_assert_int_eq(account_register(&dc, "  Claire.Martin@AC-Lyon.fr ", PW, "  Claire Martin ",
					  &id, &field), D_OK);
	ck_assert_ptr_null(field);
	ck_assert_int_gt(id, 0);
	st = db_query(db, "SELECT email, name, status, academy, handle FROM users WHERE id = ?", "i", id);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(db_step(st), DB_ROW);
	ck_assert_str_eq(db_col_text(st, 0), "claire.martin@ac-lyon.fr");
	ck_assert_str_eq(db_col_text(st, 1), "Claire Martin");
	ck_assert_str_eq(db_col_text(st, 2), "pending");
	ck_assert_str_eq(db_col_text(st, 3), "Lyon");
	ck_assert_str_eq(db_col_text(st, 4), "claire-martin");
	db_finish(st);

	/* the same address in another case */
	ck_assert_int_eq(account_register(&dc, "CLAIRE.MARTIN@ac-lyon.fr", PW, "Claire Bis", &id2, &field),
			 D_CONFLICT);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id > ?", 0), 1);

	ck_assert_int_eq(account_register(&dc, "someone@gmail.com", PW, "Some One", &id2, &field),
			 D_DOMAIN_NOT_ALLOWED);
	ck_assert_int_eq(account_register(&dc, "someone@x.ac-lyon.fr", PW, "Some One", &id2, &field),
			 D_DOMAIN_NOT_ALLOWED);
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "weak@ac-lyon.fr", "password1234", "Weak One", &id2, &field),
			 D_WEAK_PASSWORD);
	ck_assert_str_eq(field, "password");
	ck_assert_int_eq(account_register(&dc, "weak@ac-lyon.fr", "short", "Weak One", &id2, &field),
			 D_WEAK_PASSWORD);
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "noname@ac-lyon.fr", PW, "", &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "name");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "noname@ac-lyon.fr", PW, "   ", &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "name");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "noname@ac-lyon.fr", PW, "Bad\x01Name", &id2, &field),
			 D_INVALID);
	ck_assert_str_eq(field, "name");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "noname@ac-lyon.fr", PW, NULL, &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "name");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "not-an-address", PW, "X", &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "email");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "a\nb@ac-lyon.fr", PW, "X", &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "email");
	field = NULL;
	ck_assert_int_eq(account_register(&dc, "bad@ac-lyon.fr", "\xC0\xAF\xC0\xAF\xC0\xAF\xC0\xAF"
					  "\xC0\xAF\xC0\xAF\xC0\xAF", "X", &id2, &field), D_INVALID);
	ck_assert_str_eq(field, "password");
	/* Nothing was created by the refused attempts. */
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id > ?", 0), 1);
}
END_TEST

START_TEST(register_mails_link)
{
	const char *field = NULL;
	int64_t id = 0;
	char *mail;

	ck_assert_int_eq(mail_count(), 0);
	ck_assert_int_eq(account_register(&dc, "lea.fontaine@ac-versailles.fr", PW, "Léa Fontaine",
					  &id, &field), D_OK);
	ck_assert_int_eq(mail_count(), 1);
	mail = last_mail();
	ck_assert_ptr_nonnull(strstr(mail, "To: <lea.fontaine@ac-versailles.fr>"));
	ck_assert_ptr_nonnull(strstr(mail, "http://test/verify?token="));
	ck_assert_ptr_nonnull(strstr(mail, "/verify?token="));
	ck_assert_ptr_null(strstr(mail, PW));
	ck_assert_uint_eq(strlen(mail_token("/verify?token=")), TOKEN_TEXT_LEN);
	/* A refused registration sends nothing. */
	ck_assert_int_eq(account_register(&dc, "x@gmail.com", PW, "X", &id, &field), D_DOMAIN_NOT_ALLOWED);
	ck_assert_int_eq(mail_count(), 1);
}
END_TEST

START_TEST(verify_once)
{
	int64_t id = 0;
	const char *token = register_pending("paul.roux@ac-lyon.fr", "Paul Roux", &id);
	char *bad = arena_strdup(arena, token);

	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(account_verify(&dc, bad), D_TOKEN_INVALID);
	ck_assert_int_eq(account_verify(&dc, "not a token!"), D_TOKEN_INVALID);
	ck_assert_int_eq(account_verify(&dc, ""), D_TOKEN_INVALID);
	ck_assert_int_eq(account_verify(&dc, NULL), D_TOKEN_INVALID);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id = ? AND status = 'pending'", id), 1);
	ck_assert_int_eq(account_verify(&dc, token), D_OK);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id = ? AND status = 'active'", id), 1);
	ck_assert_int_eq(account_verify(&dc, token), D_TOKEN_INVALID);
}
END_TEST

START_TEST(verify_expires)
{
	int64_t id = 0;
	const char *token = register_pending("anne.morel@ac-lyon.fr", "Anne Morel", &id);

	dc.now = t0 + VERIFY_TOKEN_TTL;
	ck_assert_int_eq(account_verify(&dc, token), D_TOKEN_INVALID);
	dc.now = t0 + VERIFY_TOKEN_TTL + 3600;
	ck_assert_int_eq(account_verify(&dc, token), D_TOKEN_INVALID);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id = ? AND status = 'pending'", id), 1);
	/* One second earlier it was still good: the refusals did not consume it. */
	dc.now = t0 + VERIFY_TOKEN_TTL - 1;
	ck_assert_int_eq(account_verify(&dc, token), D_OK);
}
END_TEST

/* ---- sessions ------------------------------------------------------------ */

START_TEST(login_flow)
{
	int64_t id = 0;
	const char *token = register_pending("marc.blanc@ac-nantes.fr", "Marc Blanc", &id);
	const char *st = NULL;
	struct viewer who, again, other;

	memset(&who, 0, sizeof who);
	ck_assert_int_eq(session_login(&dc, "marc.blanc@ac-nantes.fr", PW, &st, &who), D_BAD_CREDENTIALS);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(account_verify(&dc, token), D_OK);
	ck_assert_int_eq(session_login(&dc, " Marc.Blanc@AC-Nantes.fr ", PW, &st, &who), D_OK);
	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(strlen(st), TOKEN_TEXT_LEN);
	ck_assert_int_eq(who.id, id);
	ck_assert_int_gt(who.session_id, 0);
	ck_assert_str_eq(who.email, "marc.blanc@ac-nantes.fr");
	ck_assert_str_eq(who.name, "Marc Blanc");
	ck_assert_int_eq(who.admin, 0);
	/* The token is not stored as such. */
	ck_assert_int_eq(db_int(db, &(int64_t){ 0 }, "SELECT 1 FROM sessions WHERE token_hash = ?", "s", st), 0);

	memset(&again, 0, sizeof again);
	ck_assert_int_eq(session_identify(&dc, st, &again), D_OK);
	ck_assert_int_eq(again.id, id);
	ck_assert_int_eq(again.session_id, who.session_id);
	ck_assert_str_eq(again.email, "marc.blanc@ac-nantes.fr");
	ck_assert_int_eq(session_identify(&dc, "unknown-token", &again), D_NOT_FOUND);
	ck_assert_int_eq(session_identify(&dc, "bad token!", &again), D_NOT_FOUND);
	ck_assert_int_eq(session_identify(&dc, NULL, &again), D_NOT_FOUND);

	/* A session unused for session_days has expired. */
	dc.now = t0 + (int64_t)cfg.session_days * 86400;
	ck_assert_int_eq(session_identify(&dc, st, &again), D_NOT_FOUND);
	dc.now = t0 + 60;
	ck_assert_int_eq(session_identify(&dc, st, &again), D_OK);

	/* Someone else cannot end it; its owner can, once. */
	memset(&other, 0, sizeof other);
	other.id = id + 1000;
	ck_assert_int_eq(session_end(&dc, &other, who.session_id), D_NOT_FOUND);
	ck_assert_int_eq(session_identify(&dc, st, &again), D_OK);
	ck_assert_int_eq(session_end(&dc, &who, who.session_id), D_OK);
	ck_assert_int_eq(session_identify(&dc, st, &again), D_NOT_FOUND);
	ck_assert_int_eq(session_end(&dc, &who, who.session_id), D_NOT_FOUND);

	st = NULL;
	ck_assert_int_eq(session_login(&dc, "marc.blanc@ac-nantes.fr", "Wrong password 99", &st, &who),
			 D_BAD_CREDENTIALS);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(session_login(&dc, "nobody@ac-nantes.fr", PW, &st, &who), D_BAD_CREDENTIALS);
	ck_assert_int_eq(session_login(&dc, NULL, PW, &st, &who), D_BAD_CREDENTIALS);
	ck_assert_int_eq(session_login(&dc, "marc.blanc@ac-nantes.fr", NULL, &st, &who), D_BAD_CREDENTIALS);
	ck_assert_ptr_null(st);
}
END_TEST

START_TEST(login_throttled)
{
	int64_t id = create_active("eve.garnier@ac-lille.fr", "Eve Garnier");
	const char *st = NULL;
	struct viewer who;

	memset(&who, 0, sizeof who);
	for (int i = 0; i < LOGIN_MAX_PER_ADDRESS; i++)
		ck_assert_int_eq(session_login(&dc, "eve.garnier@ac-lille.fr", "Wrong password 99", &st, &who),
				 D_BAD_CREDENTIALS);
	/* Even the right password is refused now, under any case of the address. */
	ck_assert_int_eq(session_login(&dc, "eve.garnier@ac-lille.fr", PW, &st, &who), D_THROTTLED);
	ck_assert_int_eq(session_login(&dc, "EVE.Garnier@ac-lille.fr", PW, &st, &who), D_THROTTLED);
	ck_assert_ptr_null(st);
	/* The window passes. */
	dc.now = t0 + LOGIN_WINDOW + 1;
	ck_assert_int_eq(session_login(&dc, "eve.garnier@ac-lille.fr", PW, &st, &who), D_OK);
	ck_assert_int_eq(who.id, id);
}
END_TEST

/* ---- password reset ------------------------------------------------------ */

START_TEST(password_reset_flow)
{
	int64_t id = create_active("julie.simon@ac-lyon.fr", "Julie Simon");
	const char *st = NULL, *st2 = NULL, *token;
	struct viewer who, again;
	int mails;

	memset(&who, 0, sizeof who);
	ck_assert_int_eq(session_login(&dc, "julie.simon@ac-lyon.fr", PW, &st, &who), D_OK);

	/* Unknown or malformed addresses: the same answer, no mail. */
	ck_assert_int_eq(password_reset_request(&dc, "nobody@ac-lyon.fr"), D_OK);
	ck_assert_int_eq(password_reset_request(&dc, "garbage"), D_OK);
	ck_assert_int_eq(password_reset_request(&dc, NULL), D_OK);
	ck_assert_int_eq(mail_count(), 0);

	ck_assert_int_eq(password_reset_request(&dc, "Julie.Simon@ac-lyon.fr"), D_OK);
	ck_assert_int_eq(mail_count(), 1);
	ck_assert_ptr_nonnull(strstr(last_mail(), "http://test/password-reset/confirm?token="));
	token = mail_token("/password-reset/confirm?token=");

	/* An unknown token is refused; a weak password leaves the token unused. */
	ck_assert_int_eq(password_reset_confirm(&dc, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", PW2),
			 D_TOKEN_INVALID);
	ck_assert_int_eq(password_reset_confirm(&dc, token, "password1234"), D_WEAK_PASSWORD);
	ck_assert_int_eq(password_reset_confirm(&dc, token, "julie.simon@ac-lyon.fr"), D_WEAK_PASSWORD);
	ck_assert_int_eq(password_reset_confirm(&dc, token, NULL), D_INVALID);
	ck_assert_int_eq(password_reset_confirm(&dc, token, PW2), D_OK);
	ck_assert_int_eq(password_reset_confirm(&dc, token, PW2), D_TOKEN_INVALID);

	/* Every session ended; only the new password opens one. */
	memset(&again, 0, sizeof again);
	ck_assert_int_eq(session_identify(&dc, st, &again), D_NOT_FOUND);
	ck_assert_int_eq(session_login(&dc, "julie.simon@ac-lyon.fr", PW, &st2, &again), D_BAD_CREDENTIALS);
	ck_assert_int_eq(session_login(&dc, "julie.simon@ac-lyon.fr", PW2, &st2, &again), D_OK);
	ck_assert_int_eq(again.id, id);

	/* At most RESET_MAX_PER_HOUR mails an hour. */
	mails = mail_count();
	for (int i = 0; i < RESET_MAX_PER_HOUR + 2; i++)
		ck_assert_int_eq(password_reset_request(&dc, "julie.simon@ac-lyon.fr"), D_OK);
	ck_assert_int_eq(mail_count(), mails + RESET_MAX_PER_HOUR - 1);

	/* An expired reset token is refused. */
	dc.now = t0 + 2 * 3600;
	ck_assert_int_eq(password_reset_request(&dc, "julie.simon@ac-lyon.fr"), D_OK);
	token = mail_token("/password-reset/confirm?token=");
	dc.now += RESET_TOKEN_TTL;
	ck_assert_int_eq(password_reset_confirm(&dc, token, PW), D_TOKEN_INVALID);
}
END_TEST

START_TEST(password_reset_activates_pending)
{
	int64_t id = 0;
	const char *token;

	register_pending("hugo.leroy@ac-lyon.fr", "Hugo Leroy", &id);
	ck_assert_int_eq(password_reset_request(&dc, "hugo.leroy@ac-lyon.fr"), D_OK);
	token = mail_token("/password-reset/confirm?token=");
	ck_assert_int_eq(password_reset_confirm(&dc, token, PW2), D_OK);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM users WHERE id = ? AND status = 'active'", id), 1);
}
END_TEST

/* ---- profiles ------------------------------------------------------------ */

static struct viewer viewer_of(int64_t id)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	v.id = id;
	return v;
}

START_TEST(profile_update_rules)
{
	int64_t a = create_active("alice.durand@ac-lyon.fr", "Alice Durand");
	struct viewer va = viewer_of(a);
	struct profile_patch p;
	struct profile pr;
	const char *field;
	char longname[128];

	memset(&p, 0, sizeof p);
	p.name = "Nouveau Nom";
	p.role = "wizard";
	field = NULL;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "role");

	memset(&p, 0, sizeof p);
	p.set_tags[TAG_SUBJECT] = 1;
	p.ntags[TAG_SUBJECT] = PROFILE_MAX_TAGS + 1;
	for (int i = 0; i <= PROFILE_MAX_TAGS; i++)
		p.tags[TAG_SUBJECT][i] = arena_printf(arena, "sujet %d", i);
	field = NULL;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "subjects");

	memset(&p, 0, sizeof p);
	p.set_tags[TAG_LEVEL] = 1;
	p.ntags[TAG_LEVEL] = 2;
	p.tags[TAG_LEVEL][0] = "lycée";
	p.tags[TAG_LEVEL][1] = "";
	field = NULL;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "levels");

	memset(&p, 0, sizeof p);
	p.bio = "ligne\x01";
	field = NULL;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "bio");
	memset(&p, 0, sizeof p);
	p.lang = "de";
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "lang");
	memset(&p, 0, sizeof p);
	p.name = "";
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "name");
	memset(longname, 'n', sizeof longname - 1);
	longname[101] = '\0';
	p.name = longname;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_INVALID);
	ck_assert_str_eq(field, "name");

	/* Refused patches changed nothing. */
	ck_assert_int_eq(profile_get(&dc, &va, a, &pr), D_OK);
	ck_assert_str_eq(pr.name, "Alice Durand");
	ck_assert_str_eq(pr.role, "");
	ck_assert_int_eq(pr.ntags[TAG_SUBJECT], 0);

	/* A good patch; tags deduplicated, in order; the maximum is allowed. */
	memset(&p, 0, sizeof p);
	p.role = "teacher";
	p.bio = "Professeure de maths\nau lycée";
	p.school = "Lycée Ampère";
	p.set_tags[TAG_SUBJECT] = 1;
	p.ntags[TAG_SUBJECT] = 3;
	p.tags[TAG_SUBJECT][0] = "maths";
	p.tags[TAG_SUBJECT][1] = "physique";
	p.tags[TAG_SUBJECT][2] = "maths";
	p.set_tags[TAG_INTEREST] = 1;
	p.ntags[TAG_INTEREST] = PROFILE_MAX_TAGS;
	for (int i = 0; i < PROFILE_MAX_TAGS; i++)
		p.tags[TAG_INTEREST][i] = arena_printf(arena, "intérêt %d", i);
	field = "unset";
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_OK);
	ck_assert_ptr_null(field);
	ck_assert_int_eq(profile_get(&dc, &va, a, &pr), D_OK);
	ck_assert_str_eq(pr.name, "Alice Durand");
	ck_assert_str_eq(pr.role, "teacher");
	ck_assert_str_eq(pr.bio, "Professeure de maths\nau lycée");
	ck_assert_str_eq(pr.school, "Lycée Ampère");
	ck_assert_str_eq(pr.academy, "Lyon");
	ck_assert_int_eq(pr.ntags[TAG_SUBJECT], 2);
	ck_assert_str_eq(pr.tags[TAG_SUBJECT][0], "maths");
	ck_assert_str_eq(pr.tags[TAG_SUBJECT][1], "physique");
	ck_assert_int_eq(pr.ntags[TAG_INTEREST], PROFILE_MAX_TAGS);
	ck_assert_str_eq(pr.tags[TAG_INTEREST][PROFILE_MAX_TAGS - 1], "intérêt 19");
	ck_assert_int_eq(pr.ntags[TAG_LEVEL], 0);

	/* Tags left out of a patch are kept; an empty set clears them. */
	memset(&p, 0, sizeof p);
	p.set_tags[TAG_INTEREST] = 1;
	p.ntags[TAG_INTEREST] = 0;
	ck_assert_int_eq(profile_update(&dc, &va, &p, &field), D_OK);
	ck_assert_int_eq(profile_get(&dc, &va, a, &pr), D_OK);
	ck_assert_int_eq(pr.ntags[TAG_SUBJECT], 2);
	ck_assert_int_eq(pr.ntags[TAG_INTEREST], 0);
	ck_assert_str_eq(pr.role, "teacher");
}
END_TEST

START_TEST(profile_visibility)
{
	int64_t a = create_active("alice.durand@ac-lyon.fr", "Alice Durand");
	int64_t b = create_active("bruno.petit@ac-lyon.fr", "Bruno Petit");
	int64_t c = 0;
	struct viewer va = viewer_of(a), vb = viewer_of(b), visitor = viewer_of(0);
	struct profile pr;

	register_pending("pending.one@ac-lyon.fr", "Pending One", &c);

	/* one's own profile carries no e-mail either: the account does */
	ck_assert_int_eq(profile_get(&dc, &va, a, &pr), D_OK);
	ck_assert_int_eq(pr.id, a);
	ck_assert_ptr_null(pr.email);
	ck_assert_str_eq(pr.handle, "alice-durand");
	ck_assert_int_eq(profile_get_account(&dc, &va, &pr), D_OK);
	ck_assert_int_eq(pr.id, a);
	ck_assert_ptr_nonnull(pr.email);
	ck_assert_str_eq(pr.email, "alice.durand@ac-lyon.fr");
	ck_assert_int_eq(profile_get_account(&dc, &visitor, &pr), D_NOT_FOUND);

	ck_assert_int_eq(profile_get(&dc, &vb, a, &pr), D_OK);
	ck_assert_int_eq(pr.id, a);
	ck_assert_str_eq(pr.name, "Alice Durand");
	ck_assert_ptr_null(pr.email);

	ck_assert_int_eq(profile_get(&dc, &visitor, a, &pr), D_NOT_FOUND);
	ck_assert_int_eq(profile_get(&dc, NULL, a, &pr), D_NOT_FOUND);
	ck_assert_int_eq(profile_get(&dc, &vb, c, &pr), D_NOT_FOUND);     /* pending */
	ck_assert_int_eq(profile_get(&dc, &vb, 999999, &pr), D_NOT_FOUND);
	ck_assert_int_eq(profile_get(&dc, &vb, 0, &pr), D_NOT_FOUND);
	ck_assert_int_eq(profile_get(&dc, &vb, -1, &pr), D_NOT_FOUND);
}
END_TEST

/* ---- storage ------------------------------------------------------------- */

static int64_t failures_rows(void)
{
	int64_t n = -1;

	ck_assert_int_eq(db_int(db, &n, "SELECT COUNT(*) FROM login_failures", ""), 1);
	return n;
}

static void add_row(const char *key)
{
	ck_assert_int_eq(db_exec(db, "INSERT INTO login_failures (key, at) VALUES (?, ?)", "si", key,
				 (int64_t)1), 1);
}

START_TEST(nested_transactions)
{
	/* begin/begin/rollback inner/commit outer: nothing written. */
	ck_assert_int_eq(db_begin(db), 0);
	add_row("outer-before");
	ck_assert_int_eq(db_begin(db), 0);
	add_row("inner");
	db_rollback(db);
	add_row("outer-after");
	ck_assert_int_eq(db_commit(db), -1);
	ck_assert_int_eq(failures_rows(), 0);

	/* The failure does not stick to the next transaction; nested commits write. */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(db_begin(db), 0);
	add_row("inner");
	ck_assert_int_eq(db_commit(db), 0);
	ck_assert_int_eq(db_commit(db), 0);
	ck_assert_int_eq(failures_rows(), 1);

	/* An outer rollback undoes a committed inner transaction. */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(db_begin(db), 0);
	add_row("inner");
	ck_assert_int_eq(db_commit(db), 0);
	db_rollback(db);
	ck_assert_int_eq(failures_rows(), 1);

	/* Unbalanced calls are refused or harmless. */
	ck_assert_int_eq(db_commit(db), -1);
	db_rollback(db);
	add_row("autocommit");
	ck_assert_int_eq(failures_rows(), 2);
}
END_TEST

START_TEST(db_helpers)
{
	static const char *const sql = "SELECT ? + 1";
	struct db_stmt *s1, *s2;
	int64_t v = 77;

	ck_assert_int_ge(db_schema_version(db), 2);
	ck_assert_int_eq(db_migrate(db), 0);
	ck_assert_int_eq(db_int(db, &v, "SELECT id FROM users WHERE id = ?", "i", (int64_t)12345), 0);
	ck_assert_int_eq(v, 77);
	ck_assert_int_eq(db_int(db, &v, "SELECT ?", "s", "41"), 1);
	ck_assert_int_eq(v, 41);

	/* Placeholders and parameters must agree (the errors are logged: quiet them). */
	log_level = LOG_CRIT;
	ck_assert_ptr_null(db_query(db, "SELECT ?, ?", "i", (int64_t)1));
	ck_assert_int_eq(db_exec(db, "DELETE FROM login_failures WHERE key = ?", ""), -1);
	ck_assert_ptr_null(db_query(db, "SELECT * FROM no_such_table", ""));
	log_level = LOG_ERR;

	/* Constraint violations are told apart. */
	ck_assert_int_eq(db_exec(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
				 "ii", (int64_t)1, (int64_t)0), -1);
	ck_assert_int_eq(db_last_error(db), DB_E_CONSTRAINT);

	/* The same SQL may be open twice (nested use of a cached statement). */
	s1 = db_query(db, sql, "i", (int64_t)1);
	ck_assert_ptr_nonnull(s1);
	s2 = db_query(db, sql, "i", (int64_t)10);
	ck_assert_ptr_nonnull(s2);
	ck_assert_ptr_ne(s1, s2);
	ck_assert_int_eq(db_step(s1), DB_ROW);
	ck_assert_int_eq(db_step(s2), DB_ROW);
	ck_assert_int_eq(db_col_int(s1, 0), 2);
	ck_assert_int_eq(db_col_int(s2, 0), 11);
	db_finish(s2);
	db_finish(s1);
	s1 = db_query(db, sql, "i", (int64_t)100);
	ck_assert_int_eq(db_step(s1), DB_ROW);
	ck_assert_int_eq(db_col_int(s1, 0), 101);
	ck_assert_int_eq(db_step(s1), DB_DONE);
	db_finish(s1);

	/* NULL text binds NULL. */
	s1 = db_query(db, "SELECT ?, ?", "sn", (const char *)NULL);
	ck_assert_int_eq(db_step(s1), DB_ROW);
	ck_assert_int_eq(db_col_is_null(s1, 0), 1);
	ck_assert_int_eq(db_col_is_null(s1, 1), 1);
	ck_assert_ptr_null(db_col_text(s1, 0));
	ck_assert_str_eq(db_col_dup(s1, 0, arena), "");
	db_finish(s1);
}
END_TEST

/* Export pages through big tables (keyset for tables with an id, offsets
 * otherwise) and loses or repeats no row. */
START_TEST(export_pages_through_big_tables)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	long rows, failures = 0, tags = 0;
	int64_t uid = 0;

	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(db_int(db, &uid, "INSERT INTO users (email, name, handle, password_hash, created_at, updated_at)"
				" VALUES ('big@ac-lyon.fr', 'Big', 'big', 'x', 1, 1) RETURNING id", ""), 1);
	for (int i = 0; i < 12007; i++) {
		ck_assert_int_eq(db_exec(db, "INSERT INTO login_failures (key, at) VALUES (?, ?)", "si", "k", (int64_t)i), 1);
		ck_assert_int_eq(db_exec(db, "INSERT INTO user_tags (user_id, kind, pos, value) VALUES (?, 'interest', ?, ?)",
					 "iis", uid, (int64_t)i, "t"), 1);
	}
	ck_assert_int_eq(db_commit(db), 0);
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	rows = store_export(db, f);
	fclose(f);
	ck_assert_int_gt(rows, 24014);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		failures += strstr(line, "\"table\":\"login_failures\"") != NULL;
		tags += strstr(line, "\"table\":\"user_tags\"") != NULL;
	}
	free(text);
	ck_assert_int_eq(failures, 12007);
	ck_assert_int_eq(tags, 12007);
}
END_TEST


static void note_reject(void *arg, long line, const char *reason)
{
	long *lines = arg;

	(void)reason;
	for (int i = 0; i < 8; i++)
		if (!lines[i]) {
			lines[i] = line;
			break;
		}
}

static enum derr import_string(const char *csv, struct schools_import *im, long *lines)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	enum derr e;

	ck_assert_ptr_nonnull(f);
	memset(im, 0, sizeof *im);
	im->on_reject = note_reject;
	im->arg = lines;
	e = schools_import_file(&dc, f, im);
	fclose(f);
	return e;
}

START_TEST(schools_import_resolve_search)
{
	static const char csv[] = "Identifiant_de_l_etablissement;Nom_etablissement;Nom_commune;Libelle_academie\n"
				  "0690026d;Lycée du Parc;Lyon;Lyon\n"
				  "0691664J;Collège Jean Moulin;Lyon;Lyon\n"
				  "0951235C;Collège Jean Moulin;Argenteuil;Versailles\n"
				  "069;Trop court;Lyon;Lyon\n";
	struct schools_import im;
	long lines[8] = { 0 };
	struct school sc, *rows;
	const char *why, *next;
	char uai[9];

	ck_assert_int_eq(school_uai_parse("0690026d", uai), 1);
	ck_assert_str_eq(uai, "0690026D");
	ck_assert_int_eq(school_uai_parse("069002D", NULL), 0);
	ck_assert_int_eq(school_uai_parse("06900261", NULL), 0);
	ck_assert_int_eq(schools_any(&dc), 0);
	ck_assert_int_eq(import_string(csv, &im, lines), D_OK);
	ck_assert_int_eq(im.created, 3);
	ck_assert_int_eq(im.rejected, 1);
	ck_assert_int_eq(lines[0], 5);
	ck_assert_int_eq(schools_any(&dc), 1);
	ck_assert_int_eq(import_string(csv, &im, lines), D_OK);
	ck_assert_int_eq(im.unchanged, 3);
	ck_assert_int_eq(im.created + im.updated, 0);
	ck_assert_int_eq(import_string("uai;town\n0690026D;Lyon\n", &im, lines), D_INVALID);
	ck_assert_ptr_nonnull(strstr(im.error, "name"));

	ck_assert_int_eq(school_get(&dc, "0690026d", &sc), D_OK);
	ck_assert_str_eq(sc.name, "Lycée du Parc");
	ck_assert_int_eq(school_get(&dc, "9999999Z", &sc), D_NOT_FOUND);
	ck_assert_int_eq(school_resolve(&dc, "lycee du parc", &sc, &why), D_OK);
	ck_assert_str_eq(sc.uai, "0690026D");
	ck_assert_int_eq(school_resolve(&dc, "Lycée du Parc — Lyon (0690026D)", &sc, &why), D_OK);
	ck_assert_int_eq(school_resolve(&dc, "Collège Jean Moulin", &sc, &why), D_INVALID);
	ck_assert_str_eq(why, "ambiguous");
	ck_assert_int_eq(school_resolve(&dc, "Lycée de nulle part", &sc, &why), D_INVALID);
	ck_assert_str_eq(why, "unknown");

	ck_assert_int_eq(schools_search(&dc, "college moulin", NULL, 1, &rows, &next), 1);
	ck_assert_str_eq(rows[0].town, "Argenteuil");   /* name order, then the town */
	ck_assert_ptr_nonnull(next);
	ck_assert_int_eq(schools_search(&dc, "college moulin", next, 1, &rows, &next), 1);
	ck_assert_str_eq(rows[0].town, "Lyon");
	ck_assert_ptr_null(next);
	ck_assert_int_eq(schools_search(&dc, "argent", NULL, 20, &rows, &next), 1);
	ck_assert_int_eq(schools_search(&dc, "oulin", NULL, 20, &rows, &next), 0); /* word prefixes only */
	ck_assert_int_eq(schools_search(&dc, "", NULL, 20, &rows, &next), 0);
}
END_TEST

Suite *domain_suite(void)
{
	Suite *s = suite_create("domain");
	TCase *tp = tcase_create("passwords");
	TCase *ta = tcase_create("accounts");
	TCase *tr_ = tcase_create("profiles");
	TCase *td = tcase_create("storage");

	tcase_add_test(tp, password_rules);
	tcase_add_test(tp, email_normalising);
	suite_add_tcase(s, tp);

	tcase_add_checked_fixture(ta, setup, teardown);
	tcase_set_timeout(ta, 120);
	tcase_add_test(ta, register_results);
	tcase_add_test(ta, register_mails_link);
	tcase_add_test(ta, verify_once);
	tcase_add_test(ta, verify_expires);
	tcase_add_test(ta, login_flow);
	tcase_add_test(ta, login_throttled);
	tcase_add_test(ta, password_reset_flow);
	tcase_add_test(ta, password_reset_activates_pending);
	suite_add_tcase(s, ta);

	tcase_add_checked_fixture(tr_, setup, teardown);
	tcase_set_timeout(tr_, 120);
	tcase_add_test(tr_, profile_update_rules);
	tcase_add_test(tr_, profile_visibility);
	suite_add_tcase(s, tr_);

	tcase_add_checked_fixture(td, setup, teardown);
	tcase_set_timeout(td, 60);
	tcase_add_test(td, nested_transactions);
	tcase_add_test(td, db_helpers);
	tcase_add_test(td, export_pages_through_big_tables);
	tcase_add_test(td, schools_import_resolve_search);
	suite_add_tcase(s, td);
	return s;
}
