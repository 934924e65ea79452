/* /api/v1 accounts, sessions, password resets. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/profile.h"

/* POST /accounts {email, password, name} */
void api_accounts_create(struct request *r)
{
	json_t *o = api_body(r);
	const char *email, *password, *name, *field = NULL;
	int64_t id;
	enum derr e;

	if (!o || api_str(r, o, "email", 1, &email) || api_str(r, o, "password", 1, &password) ||
	    api_str(r, o, "name", 1, &name))
		return;
	e = account_register(&r->dc, email, password, name, &id, &field);
	if (e == D_CONFLICT) {
		resp_json_error(r, 409, "email_taken", "An account already uses this address.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, field);
		return;
	}
	resp_json(r, 201, json_pack("{s:o,s:s}", "id", api_id(id), "status", "pending"));
}

/* POST /accounts/verify {token} */
void api_accounts_verify(struct request *r)
{
	json_t *o = api_body(r);
	const char *token;
	enum derr e;

	if (!o || api_str(r, o, "token", 1, &token))
		return;
	e = account_verify(&r->dc, token);
	if (e != D_OK) {
		api_derr(r, e, "token");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "status", "active"));
}

/* POST /sessions {email, password} */
void api_sessions_create(struct request *r)
{
	json_t *o = api_body(r);
	const char *email, *password, *token;
	struct viewer who = { 0 };
	struct profile p;
	enum derr e;

	if (!o || api_str(r, o, "email", 1, &email) || api_str(r, o, "password", 1, &password))
		return;
	e = session_login(&r->dc, email, password, &token, &who);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	e = profile_get_account(&r->dc, &who, &p);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 201, json_pack("{s:s,s:o}", "token", token, "user", api_profile(&p)));
}

/* DELETE /sessions/current */
void api_sessions_delete_current(struct request *r)
{
	enum derr e = session_end(&r->dc, &r->me, r->me.session_id);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

/* GET /me/sessions */
void api_me_sessions(struct request *r)
{
	struct session_info *s;
	int n = session_list(&r->dc, &r->me, &s);
	json_t *items;

	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:I,s:I,s:s,s:s,s:b}", "id", api_id(s[i].id),
						       "created_at", (json_int_t)s[i].created_at,
						       "last_seen_at", (json_int_t)s[i].last_seen_at,
						       "user_agent", s[i].user_agent, "ip", s[i].ip,
						       "current", s[i].current));
	resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

/* DELETE /me/sessions/{id:int} */
void api_me_sessions_delete(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	enum derr e = session_end(&r->dc, &r->me, id);

	if (e != D_OK)
		api_derr(r, e, NULL);
	else
		api_no_content(r);
}

/* DELETE /me/sessions: signs out every other device. */
void api_me_sessions_delete_others(struct request *r)
{
	if (session_end_others(&r->dc, &r->me) < 0)
		api_derr(r, D_INTERNAL, NULL);
	else
		api_no_content(r);
}

/* POST /password-resets {email}: 202 whatever the address. */
void api_password_resets_create(struct request *r)
{
	json_t *o = api_body(r);
	const char *email;
	enum derr e;

	if (!o || api_str(r, o, "email", 1, &email))
		return;
	e = password_reset_request(&r->dc, email);
	if (e != D_OK) {
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 202, json_pack("{s:s}", "status", "accepted"));
}

/* POST /password-resets/confirm {token, password} */
void api_password_resets_confirm(struct request *r)
{
	json_t *o = api_body(r);
	const char *token, *password;
	enum derr e;

	if (!o || api_str(r, o, "token", 1, &token) || api_str(r, o, "password", 1, &password))
		return;
	e = password_reset_confirm(&r->dc, token, password);
	if (e != D_OK) {
		api_derr(r, e, e == D_INVALID ? "password" : "token");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "status", "changed"));
}

/* POST /me/password {current_password, password} */
void api_me_password(struct request *r)
{
	json_t *o = api_body(r);
	const char *cur, *password;
	enum derr e;

	if (!o || api_str(r, o, "current_password", 1, &cur) || api_str(r, o, "password", 1, &password))
		return;
	e = password_change(&r->dc, &r->me, cur, password);
	if (e == D_BAD_CREDENTIALS) {
		resp_json_error(r, 403, "wrong_password", "The current password is wrong.");
		return;
	}
	if (e != D_OK) {
		api_derr(r, e, "password");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "status", "changed"));
}
