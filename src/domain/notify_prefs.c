/* Notification settings and unsubscribe links (see notify_prefs.h). */
#include "domain/notify_prefs.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

const char *const notify_pref_kinds[] = { "reply", "mention", "invitation", "request", "message", "group", NULL };
const char *const notify_pref_modes[] = { "page", "mail", "digest", NULL };

static int kind_index(const char *kind)
{
	for (int i = 0; notify_pref_kinds[i]; i++)
		if (kind && !strcmp(kind, notify_pref_kinds[i]))
			return i;
	return -1;
}

const char *notify_category(const char *k)
{
	static const struct { const char *kind, *category; } map[] = {
		{ "reply", "reply" },
		{ "mention", "mention" },
		{ "room_mention", "mention" },
		{ "invitation", "invitation" },
		{ "room_invitation", "invitation" },
		{ "group_request", "request" },
		{ "group_accepted", "request" },
		{ "contact_request", "request" },
		{ "contact_accepted", "request" },
		{ "event_promoted", "request" },
		{ "message", "message" },
		{ "group_post", "group" },
		{ "decision", "request" },      /* a decision on one's proposal (domain/calls.c) */
	};

	for (size_t i = 0; k && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(k, map[i].kind))
			return map[i].category;
	return NULL;
}

enum derr notify_prefs_get(struct dctx *dc, int64_t user, struct notify_prefs *out)
{
	struct db_stmt *st;

	for (int i = 0; i < NOTIFY_KINDS; i++)
		out->mode[i] = "page";
	st = db_query(dc->db, "SELECT kind, mode FROM notification_prefs WHERE user_id = ?", "i", user);
	if (!st)
		return D_INTERNAL;
	while (db_step(st) == DB_ROW) {
		int k = kind_index(db_col_text(st, 0));
		const char *m = db_col_text(st, 1);

		/* The table's CHECK keeps both known; the constants outlive the row. */
		for (int j = 0; k >= 0 && m && notify_pref_modes[j]; j++)
			if (!strcmp(m, notify_pref_modes[j]))
				out->mode[k] = notify_pref_modes[j];
	}
	return db_finish(st) < 0 ? D_INTERNAL : D_OK;
}

const char *notify_pref_mode(struct dctx *dc, int64_t user, const char *kind)
{
	struct db_stmt *st = db_query(dc->db, "SELECT mode FROM notification_prefs WHERE user_id = ? AND kind = ?",
				      "is", user, kind);
	const char *mode = "page";
	int rc;

	if (!st)
		return NULL;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *m = db_col_text(st, 0);

		for (int j = 0; m && notify_pref_modes[j]; j++)
			if (!strcmp(m, notify_pref_modes[j]))
				mode = notify_pref_modes[j];
	}
	if (db_finish(st) < 0 || rc == DB_ERR)
		return NULL;
	return mode;
}

enum derr notify_prefs_set(struct dctx *dc, int64_t user, int n, const char *const *kinds,
			   const char *const *modes, const char **field)
{
	*field = "settings";
	if (n < 0 || n > 3 * NOTIFY_KINDS)
		return D_INVALID;
	for (int i = 0; i < n; i++) {
		if (kind_index(kinds[i]) < 0)
			return D_INVALID;
		*field = kinds[i];
		if (!text_one_of(modes[i], notify_pref_modes))
			return D_INVALID;
		*field = "settings";
	}
	*field = NULL;
	if (!n)
		return D_OK;
	if (db_begin(dc->db) < 0)
		return D_INTERNAL;
	for (int i = 0; i < n; i++)
		if (db_exec(dc->db, "INSERT INTO notification_prefs (user_id, kind, mode) VALUES (?, ?, ?)"
			    " ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode", "iss",
			    user, kinds[i], modes[i]) != 1) {
			db_rollback(dc->db);
			return D_INTERNAL;
		}
	return db_commit(dc->db) < 0 ? D_INTERNAL : D_OK;
}

/* ---- unsubscribe links ------------------------------------------------------ */

static int link_kind_ok(const char *kind)
{
	return kind && (!strcmp(kind, "all") || kind_index(kind) >= 0);
}

static void mac_of(const struct dctx *dc, int64_t user, const char *kind, unsigned char mac[crypto_auth_BYTES])
{
	char msg[96];
	int n = snprintf(msg, sizeof msg, "unsubscribe:%lld:%s", (long long)user, kind);

	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)(n > 0 ? n : 0), dc->secret);
}

void unsubscribe_token(const struct dctx *dc, int64_t user, const char *kind, char out[UNSUBSCRIBE_TOKEN_LEN + 1])
{
	unsigned char mac[crypto_auth_BYTES];

	mac_of(dc, user, kind, mac);
	sodium_bin2hex(out, UNSUBSCRIBE_TOKEN_LEN + 1, mac, sizeof mac);
}

char *unsubscribe_url(struct dctx *dc, int64_t user, const char *kind)
{
	char t[UNSUBSCRIBE_TOKEN_LEN + 1];

	unsubscribe_token(dc, user, kind, t);
	return arena_printf(dc->arena, "%s/unsubscribe?u=%lld&k=%s&t=%s", dc->base_url ? dc->base_url : "",
			    (long long)user, kind, t);
}

enum derr unsubscribe_check(struct dctx *dc, int64_t user, const char *kind, const char *token)
{
	unsigned char mac[crypto_auth_BYTES], want[crypto_auth_BYTES];
	size_t got = 0;
	int64_t x = 0;
	int rc;

	if (user <= 0 || !link_kind_ok(kind) || !token || strlen(token) != UNSUBSCRIBE_TOKEN_LEN ||
	    sodium_hex2bin(mac, sizeof mac, token, UNSUBSCRIBE_TOKEN_LEN, NULL, &got, NULL) != 0 ||
	    got != sizeof mac)
		return D_NOT_FOUND;
	mac_of(dc, user, kind, want);
	if (sodium_memcmp(mac, want, sizeof mac) != 0)
		return D_NOT_FOUND;
	rc = db_int(dc->db, &x, "SELECT 1 FROM users WHERE id = ?", "i", user);
	return rc < 0 ? D_INTERNAL : rc == 0 ? D_NOT_FOUND : D_OK;
}

enum derr unsubscribe_apply(struct dctx *dc, int64_t user, const char *kind, const char *token)
{
	const char *kinds[NOTIFY_KINDS], *modes[NOTIFY_KINDS], *field;
	enum derr e = unsubscribe_check(dc, user, kind, token);
	int n = 0;

	if (e != D_OK)
		return e;
	for (int i = 0; notify_pref_kinds[i]; i++)
		if (!strcmp(kind, "all") || !strcmp(kind, notify_pref_kinds[i])) {
			kinds[n] = notify_pref_kinds[i];
			modes[n++] = "page";
		}
	return notify_prefs_set(dc, user, n, kinds, modes, &field);
}
