/* Accounts: registration, verification, sessions, password resets. */
#include "domain/stats.h"
#include "domain/account.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/groups.h"
#include "domain/token.h"
#include "i18n/i18n.h"
#include "util/buf.h"
#include "util/log.h"
#include "domain/mailq.h"
#include "util/text.h"

/* Common passwords of 12 characters or more (shorter ones fail the length rule). */
static const char *const common_passwords[] = {
	"123456789012", "1234567890123", "12345678901234", "123456789123", "azertyuiopqs",
	"azertyuiop12", "azertyuiop123", "azertyuiopmlk", "qwertyuiop12", "qwertyuiop123",
	"qwertyuiopasdf", "qwertyuiopasdfgh", "password1234", "password12345", "password123456",
	"motdepasse12", "motdepasse123", "motdepasse1234", "1q2w3e4r5t6y", "1qaz2wsx3edc",
	"qazwsxedcrfv", "aaaaaaaaaaaa", "abcdefghijkl", "abcdef123456", "abc123456789",
	"iloveyou1234", "jetaime12345", "soleil123456", "bonjour12345", "bonjour123456",
	"marseille123", "marseille1234", "education123", "education1234", "enseignant12",
	"enseignant123", "professeur12", "professeur123", "passwordpassword", "monkey123456",
	"football1234", "baseball1234", "letmein12345", "welcome12345", "changeme1234",
	"trustno12345", "000000000000", "111111111111", "121212121212", "123123123123",
	"987654321098", "098765432109", "zaq12wsxcde3", "passw0rd1234", "p@ssw0rd1234",
	"p@ssword1234", "administrator", "administrateur", "azerty123456", "qwerty123456",
	NULL
};

char *email_normalise(char *email)
{
	char *e;

	if (!email)
		return NULL;
	e = ascii_lower(text_trim(email));
	return email_shape_ok(e) ? e : NULL;
}

int password_strong(const char *pw, const char *email)
{
	char low[PASSWORD_MAX_BYTES + 1];
	size_t n = strlen(pw), distinct = 0;
	int seen[256] = { 0 };

	if (utf8_len(pw) < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_BYTES)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		low[i] = (char)tolower(c);
		if (!seen[(unsigned char)low[i]]++)
			distinct++;
	}
	low[n] = '\0';
	if (distinct < 4)
		return 0;
	for (const char *const *p = common_passwords; *p; p++)
		if (!strcmp(low, *p))
			return 0;
	if (email) {
		const char *at = strchr(email, '@');
		size_t local = at ? (size_t)(at - email) : strlen(email);

		if (!strcmp(low, email) || (local >= 6 && strlen(low) == local &&
					    !strncmp(low, email, local)))
			return 0;
	}
	return 1;
}

static int name_ok(const char *name)
{
	size_t n;

	if (!name || !text_ok(name, 0))
		return 0;
	n = utf8_len(name);
	return n >= 1 && n <= NAME_MAX_CHARS && !text_blank(name);
}

/* argon2id: the stored string includes its parameters and salt. */
static int password_hash(char out[crypto_pwhash_STRBYTES], const char *pw)
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* "ac-versailles.fr" -> "Versailles": a default academy from the address. */
static const char *academy_from_email(struct arena *a, const char *email)
{
	const char *d = strchr(email, '@');
	char *s;

	if (!d || strncmp(d + 1, "ac-", 3))
		return "";
	s = arena_strdup(a, d + 4);
	if (!s)
		return "";
	s[strcspn(s, ".")] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '-')
			*p = ' ';
		else if (p == s || p[-1] == ' ')
			*p = (char)toupper((unsigned char)*p);
	return s;
}

/* "Léa Fontaine" -> "lea-fontaine": the @handle used in mentions and links. */
static char *handle_base(struct arena *a, const char *name)
{
	static const struct { const char *from, *to; } fold[] = {
		{ "à", "a" }, { "â", "a" }, { "ä", "a" }, { "á", "a" }, { "ç", "c" }, { "é", "e" },
		{ "è", "e" }, { "ê", "e" }, { "ë", "e" }, { "î", "i" }, { "ï", "i" }, { "í", "i" },
		{ "ô", "o" }, { "ö", "o" }, { "ó", "o" }, { "ù", "u" }, { "û", "u" }, { "ü", "u" },
		{ "ú", "u" }, { "ÿ", "y" }, { "ñ", "n" }, { "œ", "oe" }, { "æ", "ae" },
		{ "À", "a" }, { "Â", "a" }, { "Ç", "c" }, { "É", "e" }, { "È", "e" }, { "Ê", "e" },
		{ "Î", "i" }, { "Ô", "o" }, { "Ù", "u" }, { "Û", "u" }, { "Œ", "oe" },
	};
	struct buf b = BUF_INIT;
	char *out;

	while (*name && b.len < 40) {
		unsigned char c = (unsigned char)*name;
		size_t i, n = 1;

		if (isalnum(c) && c < 0x80) {
			buf_putc(&b, (char)tolower(c));
		} else if (c < 0x80) {
			if (b.len && b.data[b.len - 1] != '-')
				buf_putc(&b, '-');
		} else {
			for (i = 0; i < sizeof fold / sizeof fold[0]; i++) {
				size_t fl = strlen(fold[i].from);
				if (!strncmp(name, fold[i].from, fl)) {
					buf_puts(&b, fold[i].to);
					n = fl;
					break;
				}
			}
			if (i == sizeof fold / sizeof fold[0]) /* skip one other character */
				while (((unsigned char)name[n] & 0xC0) == 0x80)
					n++;
		}
		name += n;
	}
	while (b.len && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	out = arena_strdup(a, b.len && b.data[0] != '-' ? buf_str(&b) : b.len > 1 ? buf_str(&b) + 1 : "membre");
	buf_free(&b);
	return out;
}

/* A free handle: the base, else base-2, base-3... */
static const char *free_handle(struct dctx *dc, const char *name)
{
	char *base = handle_base(dc->arena, name);

	if (!base)
		return NULL;
	for (int i = 1; i < 10000; i++) {
		char *h = i == 1 ? base : arena_printf(dc->arena, "%s-%d", base, i);
		int64_t x;
		int rc;

		if (!h)
			return NULL;
		rc = db_int(dc->db, &x, "SELECT 1 FROM users WHERE handle = ?", "s", h);
		if (rc == 0)
			return h;
		if (rc < 0)
			return NULL;
	}
	return NULL;
}

/* hash: the password already hashed (argon2 takes a while: never inside a
 * transaction, which would hold the database's write lock meanwhile). */
static enum derr insert_user(struct dctx *dc, const char *email, const char *hash,
			     const char *name, const char *status, int admin, int64_t *id)
{
	struct db_stmt *st;
	enum derr rc = D_INTERNAL;

	const char *handle = free_handle(dc, name);

	if (!handle)
		return D_INTERNAL;
	st = db_query(dc->db,
		      "INSERT INTO users (email, name, handle, password_hash, status, site_role, academy, lang,"
		      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      "ssssssssii", email, name, handle, hash, status, admin ? "admin" : "member",
		      academy_from_email(dc->arena, email), dc->lang ? dc->lang : "fr", dc->now, dc->now);
	switch (db_step(st)) {
	case DB_ROW:
		*id = db_col_int(st, 0);
		rc = D_OK;
		break;
	case DB_ERR:
		rc = db_last_error(dc->db) == DB_E_CONSTRAINT ? D_CONFLICT : D_INTERNAL;
		break;
	default:
		break;
	}
	db_finish(st);
	return rc;
}

/* Stores a new one-time token of kind for user; writes the client's copy to out. */
static enum derr token_issue(struct dctx *dc, const char *kind, int64_t user, int64_t ttl,
			     char out[TOKEN_TEXT_LEN + 1])
{
	char *h;

	if (token_new(out, TOKEN_TEXT_LEN + 1) < 0 || !(h = token_hash(dc->arena, out)))
		return D_INTERNAL;
	if (db_exec(dc->db, "INSERT INTO tokens (token_hash, kind, user_id, created_at, expires_at)"
		    " VALUES (?, ?, ?, ?, ?)", "ssiii", h, kind, user, dc->now, dc->now + ttl) < 0)
		return D_INTERNAL;
	return D_OK;
}

/* Marks a valid token used and returns its user; D_TOKEN_INVALID otherwise. */
static enum derr token_consume(struct dctx *dc, const char *kind, const char *token, int64_t *user)
{
	char *h = token_hash(dc->arena, token);
	struct db_stmt *st;
	enum derr rc = D_TOKEN_INVALID;

	if (!h)
		return D_TOKEN_INVALID;
	st = db_query(dc->db, "UPDATE tokens SET used_at = ? WHERE token_hash = ? AND kind = ?"
		      " AND used_at IS NULL AND expires_at > ? RETURNING user_id",
		      "issi", dc->now, h, kind, dc->now);
	switch (db_step(st)) {
	case DB_ROW: *user = db_col_int(st, 0); rc = D_OK; break;
	case DB_ERR: rc = D_INTERNAL; break;
	default: break;
	}
	db_finish(st);
	return rc;
}

static void send_link_mail(struct dctx *dc, const char *to, const char *subject_key,
			   const char *body_key, const char *path, const char *token)
{
	struct buf b = BUF_INIT;
	const char *lang = dc->lang ? dc->lang : "fr";

	buf_printf(&b, "%s\n\n%s%s?token=%s\n\n%s\n", tr(lang, body_key), dc->base_url, path, token,
		   tr(lang, "mail.signature"));
	if (b.failed || mail_enqueue(dc, to, tr(lang, subject_key), buf_str(&b), NULL) < 0)
		LOG_E("account: could not queue the '%s' mail", subject_key);
	buf_free(&b);
}

enum derr account_register(struct dctx *dc, const char *email_in, const char *password,
			   const char *name, int64_t *id, const char **field)
{
	char token[TOKEN_TEXT_LEN + 1];
	char hash[crypto_pwhash_STRBYTES];
	char *email = arena_strdup(dc->arena, email_in);
	char *clean_name = name ? arena_strdup(dc->arena, name) : NULL;
	enum derr rc;

	*field = "email";
	if (!email || !text_ok(email, 0) || !(email = email_normalise(email)))
		return D_INVALID;
	if (!domain_allowed(strchr(email, '@') + 1, dc->cfg->allowed_domains))
		return D_DOMAIN_NOT_ALLOWED;
	*field = "name";
	if (!clean_name || !name_ok(clean_name = text_trim(clean_name)))
		return D_INVALID;
	*field = "password";
	if (!password || !utf8_valid(password, strlen(password)))
		return D_INVALID;
	if (strlen(password) > PASSWORD_MAX_BYTES)
		return D_INVALID;
	if (!password_strong(password, email))
		return D_WEAK_PASSWORD;
	*field = NULL;
	if (password_hash(hash, password) != 0)
		return D_INTERNAL;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = insert_user(dc, email, hash, clean_name, "pending", 0, id);
	sodium_memzero(hash, sizeof hash);
	if (rc == D_OK)
		rc = token_issue(dc, "verify", *id, VERIFY_TOKEN_TTL, token);
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	send_link_mail(dc, email, "mail.verify.subject", "mail.verify.body", "/verify", token);
	sodium_memzero(token, sizeof token);
	return D_OK;
}

enum derr account_create_verified(struct dctx *dc, const char *email_in, const char *password,
				  const char *name, int admin, int64_t *id, const char **field)
{
	char *email = arena_strdup(dc->arena, email_in);
	char *clean_name = name ? arena_strdup(dc->arena, name) : NULL;

	*field = "email";
	if (!email || !text_ok(email, 0) || !(email = email_normalise(email)))
		return D_INVALID;
	*field = "name";
	if (!clean_name || !name_ok(clean_name = text_trim(clean_name)))
		return D_INVALID;
	*field = "password";
	if (!password || !utf8_valid(password, strlen(password)) || strlen(password) > PASSWORD_MAX_BYTES)
		return D_INVALID;
	if (!password_strong(password, email))
		return D_WEAK_PASSWORD;
	*field = NULL;
	{
		char hash[crypto_pwhash_STRBYTES];
		enum derr rc = password_hash(hash, password) != 0 ? D_INTERNAL
			     : insert_user(dc, email, hash, clean_name, "active", admin, id);

		sodium_memzero(hash, sizeof hash);
		return rc;
	}
}

/* Group invitations sent to this address before it had an account. */
static int claim_invitations(struct dctx *dc, int64_t user)
{
	struct db_stmt *st = db_query(dc->db, "SELECT email FROM users WHERE id = ?", "i", user);
	char *email = NULL;

	if (st && db_step(st) == DB_ROW)
		email = db_col_dup(st, 0, dc->arena);
	db_finish(st);
	return email ? group_claim_email_invitations(dc, user, email) : -1;
}

enum derr account_verify(struct dctx *dc, const char *token)
{
	int64_t user;
	enum derr rc;

	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = token_consume(dc, "verify", token, &user);
	if (rc == D_OK && db_exec(dc->db, "UPDATE users SET status = 'active', updated_at = ?"
				  " WHERE id = ? AND status = 'pending'", "ii", dc->now, user) < 0)
		rc = D_INTERNAL;
	if (rc == D_OK && claim_invitations(dc, user) < 0)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	stats_note(dc, user, STATS_SIGNUP, 0, NULL);
	return D_OK;
}

/* ---- sessions ---------------------------------------------------------- */

static int64_t failures(struct dctx *dc, const char *key)
{
	int64_t n = 0;

	if (db_int(dc->db, &n, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?",
		   "si", key, dc->now - LOGIN_WINDOW) < 0)
		return -1;
	return n;
}

/* Records an attempt as a failure before the password is checked, so that
 * attempts running at the same time count each other: at most the limit of
 * them get to check a password. Returns the row's id, or -1. */
static int64_t record_attempt(struct dctx *dc, const char *key)
{
	struct db_stmt *st = db_query(dc->db, "INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id",
				      "si", key, dc->now);
	int64_t id = -1;

	if (st && db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	if (db_finish(st) < 0)
		return -1;
	return id;
}

static void forget_attempt(struct dctx *dc, int64_t id)
{
	if (id > 0)
		db_exec(dc->db, "DELETE FROM login_failures WHERE id = ?", "i", id);
}

static enum derr open_session(struct dctx *dc, int64_t user, const char **token)
{
	char *t = arena_alloc(dc->arena, TOKEN_TEXT_LEN + 1);
	char *h;
	char ua[256];
	int64_t ttl = (int64_t)dc->cfg->session_days * 86400;

	if (!t || token_new(t, TOKEN_TEXT_LEN + 1) < 0 || !(h = token_hash(dc->arena, t)))
		return D_INTERNAL;
	/* Keep a readable, bounded user agent: it names the device in "my sessions". */
	snprintf(ua, sizeof ua, "%s", dc->user_agent ? dc->user_agent : "");
	if (!utf8_valid(ua, strlen(ua)))
		ua[0] = '\0';
	if (db_exec(dc->db, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at,"
		    " expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)", "siiiiss",
		    h, user, dc->now, dc->now, dc->now + ttl, ua,
		    dc->client_ip ? dc->client_ip : "") < 0)
		return D_INTERNAL;
	*token = t;
	return D_OK;
}

enum derr session_login(struct dctx *dc, const char *email_in, const char *password,
			const char **token, struct viewer *who)
{
	char *email = arena_strdup(dc->arena, email_in ? email_in : "");
	char *akey, *ckey;
	struct db_stmt *st;
	int64_t user = 0, nf_addr, nf_client, a_attempt, c_attempt;
	int ok = 0, admin = 0;
	const char *name = NULL;
	enum derr rc;

	if (!email || !password)
		return D_BAD_CREDENTIALS;
	email = ascii_lower(text_trim(email));
	akey = arena_printf(dc->arena, "address:%.300s", email);
	ckey = arena_printf(dc->arena, "client:%s", dc->client_ip ? dc->client_ip : "");
	if (!akey || !ckey)
		return D_INTERNAL;
	nf_addr = failures(dc, akey);
	nf_client = failures(dc, ckey);
	if (nf_addr < 0 || nf_client < 0)
		return D_INTERNAL;
	if (nf_addr >= LOGIN_MAX_PER_ADDRESS || nf_client >= LOGIN_MAX_PER_CLIENT)
		return D_THROTTLED;
	/* Counted before the check, then counted again with the others in flight. */
	a_attempt = record_attempt(dc, akey);
	c_attempt = record_attempt(dc, ckey);
	if (a_attempt < 0 || c_attempt < 0) {
		forget_attempt(dc, a_attempt);
		forget_attempt(dc, c_attempt);
		return D_INTERNAL;
	}
	nf_addr = failures(dc, akey);
	nf_client = failures(dc, ckey);
	if (nf_addr < 0 || nf_client < 0 || nf_addr > LOGIN_MAX_PER_ADDRESS || nf_client > LOGIN_MAX_PER_CLIENT) {
		forget_attempt(dc, a_attempt);
		forget_attempt(dc, c_attempt);
		return nf_addr < 0 || nf_client < 0 ? D_INTERNAL : D_THROTTLED;
	}

	st = db_query(dc->db, "SELECT id, password_hash, status, name, site_role FROM users"
		      " WHERE email = ?", "s", email);
	if (!st)
		return D_INTERNAL;
	if (db_step(st) == DB_ROW) {
		const char *hash = db_col_text(st, 1);

		user = db_col_int(st, 0);
		ok = strlen(password) <= PASSWORD_MAX_BYTES && hash &&
		     crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 &&
		     !strcmp(db_col_text(st, 2), "active");
		name = db_col_dup(st, 3, dc->arena);
		admin = !strcmp(db_col_text(st, 4), "admin");
	} else {
		/* Spend the same time as a real check so that timing reveals nothing. */
		char dummy[crypto_pwhash_STRBYTES];
		password_hash(dummy, password);
	}
	db_finish(st);
	if (!ok)
		return D_BAD_CREDENTIALS; /* the attempts stay, as failures */
	rc = open_session(dc, user, token);
	if (rc != D_OK)
		return rc;
	forget_attempt(dc, c_attempt);
	db_exec(dc->db, "DELETE FROM login_failures WHERE key = ?", "s", akey);
	who->id = user;
	who->name = name;
	who->email = email;
	who->admin = admin;
	return session_identify(dc, *token, who);
}

enum derr session_identify(struct dctx *dc, const char *token, struct viewer *who)
{
	char *h = token_hash(dc->arena, token);
	struct db_stmt *st;
	enum derr rc = D_NOT_FOUND;
	int64_t last_seen = 0;

	if (!h)
		return D_NOT_FOUND;
	st = db_query(dc->db, "SELECT s.id, s.last_seen_at, u.id, u.name, u.email, u.site_role, u.lang"
		      " FROM sessions s JOIN users u ON u.id = s.user_id"
		      " WHERE s.token_hash = ? AND s.expires_at > ? AND u.status = 'active'",
		      "si", h, dc->now);
	switch (db_step(st)) {
	case DB_ROW:
		who->session_id = db_col_int(st, 0);
		last_seen = db_col_int(st, 1);
		who->id = db_col_int(st, 2);
		who->name = db_col_dup(st, 3, dc->arena);
		who->email = db_col_dup(st, 4, dc->arena);
		who->admin = !strcmp(db_col_text(st, 5), "admin");
		who->lang = db_col_dup(st, 6, dc->arena);
		rc = D_OK;
		break;
	case DB_ERR:
		rc = D_INTERNAL;
		break;
	default:
		break;
	}
	db_finish(st);
	/* Sliding expiry, written at most every five minutes. */
	if (rc == D_OK && dc->now - last_seen > 300 &&
	    db_exec(dc->db, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?",
		    "iii", dc->now, dc->now + (int64_t)dc->cfg->session_days * 86400, who->session_id) == 1)
		who->session_renewed = 1;
	return rc;
}

enum derr session_end(struct dctx *dc, const struct viewer *who, int64_t session_id)
{
	int64_t n = db_exec(dc->db, "DELETE FROM sessions WHERE id = ? AND user_id = ?", "ii",
			    session_id, who->id);

	return n < 0 ? D_INTERNAL : n == 0 ? D_NOT_FOUND : D_OK;
}

int session_end_others(struct dctx *dc, const struct viewer *who)
{
	return (int)db_exec(dc->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "ii",
			    who->id, who->session_id);
}

int session_list(struct dctx *dc, const struct viewer *who, struct session_info **out)
{
	struct db_stmt *st;
	int64_t count = 0;
	int n = 0;

	if (db_int(dc->db, &count, "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND expires_at > ?",
		   "ii", who->id, dc->now) < 0)
		return -1;
	if (count > 1000)
		count = 1000;
	*out = arena_alloc(dc->arena, sizeof **out * (size_t)(count + 1));
	if (!*out)
		return -1;
	st = db_query(dc->db, "SELECT id, created_at, last_seen_at, user_agent, ip FROM sessions"
		      " WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id DESC LIMIT 1000",
		      "ii", who->id, dc->now);
	while (st && n < count && db_step(st) == DB_ROW) {
		struct session_info *s = &(*out)[n++];

		s->id = db_col_int(st, 0);
		s->created_at = db_col_int(st, 1);
		s->last_seen_at = db_col_int(st, 2);
		s->user_agent = db_col_dup(st, 3, dc->arena);
		s->ip = db_col_dup(st, 4, dc->arena);
		s->current = s->id == who->session_id;
	}
	if (db_finish(st) < 0)
		return -1;
	return n;
}

/* ---- passwords ---------------------------------------------------------- */

enum derr password_reset_request(struct dctx *dc, const char *email_in)
{
	char token[TOKEN_TEXT_LEN + 1];
	char *email = arena_strdup(dc->arena, email_in ? email_in : "");
	int64_t user = 0, recent = 0;
	int found;

	if (!email || !text_ok(email, 0) || !(email = email_normalise(email)))
		return D_OK;
	found = db_int(dc->db, &user, "SELECT id FROM users WHERE email = ? AND status <> 'disabled'",
		       "s", email);
	if (found != 1)
		return found < 0 ? D_INTERNAL : D_OK;
	{
		/* The mail speaks the member's language. */
		struct db_stmt *st = db_query(dc->db, "SELECT lang FROM users WHERE id = ?", "i", user);

		if (st && db_step(st) == DB_ROW)
			dc->lang = db_col_dup(st, 0, dc->arena);
		db_finish(st);
	}
	/* A few mails an hour at most: nobody can flood a colleague's mailbox. */
	if (db_int(dc->db, &recent, "SELECT COUNT(*) FROM tokens WHERE user_id = ? AND kind = 'reset'"
		   " AND created_at > ?", "ii", user, dc->now - 3600) < 0)
		return D_INTERNAL;
	if (recent >= RESET_MAX_PER_HOUR)
		return D_OK;
	if (token_issue(dc, "reset", user, RESET_TOKEN_TTL, token) != D_OK)
		return D_INTERNAL;
	send_link_mail(dc, email, "mail.reset.subject", "mail.reset.body", "/password-reset/confirm", token);
	sodium_memzero(token, sizeof token);
	return D_OK;
}

static enum derr set_password(struct dctx *dc, int64_t user, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	int64_t n;

	if (password_hash(hash, password) != 0)
		return D_INTERNAL;
	n = db_exec(dc->db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
		    "sii", hash, dc->now, user);
	sodium_memzero(hash, sizeof hash);
	return n == 1 ? D_OK : D_INTERNAL;
}

enum derr password_reset_confirm(struct dctx *dc, const char *token, const char *password)
{
	int64_t user;
	char *email = NULL;
	struct db_stmt *st;
	enum derr rc;

	if (!password || !utf8_valid(password, strlen(password)) || strlen(password) > PASSWORD_MAX_BYTES)
		return D_INVALID;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = token_consume(dc, "reset", token, &user);
	if (rc == D_OK) {
		st = db_query(dc->db, "SELECT email FROM users WHERE id = ?", "i", user);
		if (db_step(st) == DB_ROW)
			email = db_col_dup(st, 0, dc->arena);
		db_finish(st);
		if (!password_strong(password, email))
			rc = D_WEAK_PASSWORD;
	}
	if (rc == D_OK)
		rc = set_password(dc, user, password);
	/* The reset proves the address: a pending account becomes active. All sessions end. */
	if (rc == D_OK &&
	    (db_exec(dc->db, "UPDATE users SET status = 'active' WHERE id = ? AND status = 'pending'",
		     "i", user) < 0 ||
	     db_exec(dc->db, "DELETE FROM sessions WHERE user_id = ?", "i", user) < 0 ||
	     db_exec(dc->db, "UPDATE tokens SET used_at = ? WHERE user_id = ? AND kind = 'reset'"
		     " AND used_at IS NULL", "ii", dc->now, user) < 0))
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

enum derr password_change(struct dctx *dc, const struct viewer *who, const char *current,
			  const char *password)
{
	struct db_stmt *st;
	int ok = 0;
	enum derr rc;

	if (!current || !password || !utf8_valid(password, strlen(password)) ||
	    strlen(password) > PASSWORD_MAX_BYTES)
		return D_INVALID;
	st = db_query(dc->db, "SELECT password_hash FROM users WHERE id = ?", "i", who->id);
	if (db_step(st) == DB_ROW)
		ok = strlen(current) <= PASSWORD_MAX_BYTES &&
		     crypto_pwhash_str_verify(db_col_text(st, 0), current, strlen(current)) == 0;
	db_finish(st);
	if (!ok)
		return D_BAD_CREDENTIALS;
	if (!password_strong(password, who->email))
		return D_WEAK_PASSWORD;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	rc = set_password(dc, who->id, password);
	if (rc == D_OK && session_end_others(dc, who) < 0)
		rc = D_INTERNAL;
	if (rc != D_OK || db_commit(dc->db) < 0) {
		db_rollback(dc->db);
		return rc == D_OK ? D_INTERNAL : rc;
	}
	return D_OK;
}

int64_t account_housekeeping(struct dctx *dc)
{
	int64_t a, b, c;

	a = db_exec(dc->db, "DELETE FROM sessions WHERE expires_at <= ?", "i", dc->now);
	b = db_exec(dc->db, "DELETE FROM tokens WHERE expires_at <= ? OR used_at <= ?", "ii",
		    dc->now - 86400, dc->now - 86400);
	c = db_exec(dc->db, "DELETE FROM login_failures WHERE at <= ?", "i", dc->now - LOGIN_WINDOW);
	return a < 0 || b < 0 || c < 0 ? -1 : a + b + c;
}
