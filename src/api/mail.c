/* JSON API: notification settings (GET, PUT or PATCH
 * /api/v1/me/notification-settings) and unsubscribe links
 * (POST /api/v1/unsubscribe). */
#include "api/mail.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/notify_prefs.h"

static json_t *settings_json(const struct notify_prefs *p)
{
	json_t *s = json_object();

	for (int i = 0; s && i < NOTIFY_KINDS; i++)
		json_object_set_new(s, notify_pref_kinds[i], json_string(p->mode[i]));
	return json_pack("{s:o*}", "settings", s);
}

static void answer_settings(struct request *r)
{
	struct notify_prefs p;

	if (notify_prefs_get(&r->dc, r->me.id, &p) != D_OK) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	resp_json(r, 200, settings_json(&p));
}

/* GET /api/v1/me/notification-settings */
void api_notification_settings_get(struct request *r)
{
	answer_settings(r);
}

static void invalid(struct request *r, const char *code, const char *field, const char *what)
{
	char msg[160];

	snprintf(msg, sizeof msg, "'%.40s' %s.", field, what);
	resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code, "message", msg, "field", field));
}

/* PUT or PATCH /api/v1/me/notification-settings with {settings: {kind: mode}}
 * (or the kinds at the top level): the kinds given change, the others stay. */
void api_notification_settings_put(struct request *r)
{
	json_t *o = api_body(r), *v;
	const char *kinds[NOTIFY_KINDS], *modes[NOTIFY_KINDS], *key, *field = NULL;
	int n = 0;
	enum derr e;

	if (!o)
		return;
	if (json_object_get(o, "settings")) {
		if (json_object_size(o) != 1 || !json_is_object(json_object_get(o, "settings"))) {
			invalid(r, "invalid_field", "settings", "must be the only member, an object of kind: mode");
			return;
		}
		o = json_object_get(o, "settings");
	}
	json_object_foreach(o, key, v) {
		int k = -1;

		for (int i = 0; notify_pref_kinds[i]; i++)
			if (!strcmp(key, notify_pref_kinds[i]))
				k = i;
		if (k < 0) {
			invalid(r, "unknown_kind", key, "is not a kind of notification (reply, mention, invitation,"
				" request, message, group)");
			return;
		}
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			invalid(r, "invalid_mode", key, "must be \"page\", \"mail\" or \"digest\"");
			return;
		}
		kinds[n] = notify_pref_kinds[k];
		modes[n++] = json_string_value(v);
	}
	e = notify_prefs_set(&r->dc, r->me.id, n, kinds, modes, &field);
	if (e == D_INVALID) {
		invalid(r, "invalid_mode", field ? field : "settings", "must be \"page\", \"mail\" or \"digest\"");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	answer_settings(r);
}

/* POST /api/v1/unsubscribe {user_id, kind, token}: what a mail's link does,
 * without signing in. A token that does not match answers 404. */
void api_unsubscribe(struct request *r)
{
	json_t *o = api_body(r);
	const char *kind, *token;
	int64_t user;
	enum derr e;

	if (!o)
		return;
	user = api_id_of(json_object_get(o, "user_id"));
	if (user <= 0) {
		invalid(r, "invalid_field", "user_id", "must be a member's id");
		return;
	}
	if (api_str(r, o, "kind", 1, &kind) || api_str(r, o, "token", 1, &token))
		return;
	e = unsubscribe_apply(&r->dc, user, kind, token);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:s,s:s}", "kind", kind, "mode", "page"));
}
