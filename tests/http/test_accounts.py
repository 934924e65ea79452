"""Accounts, verification, sessions on several devices, password resets, throttling (JSON API)."""
import email
import email.policy
import re
import urllib.parse

from lib import PASSWORD, expect

EMAIL = "lucie.bernard@ac-grenoble.fr"


def err(r):
    return (r.json() or {}).get("error", {}).get("code")


def test_register_sends_a_verification_mail(srv):
    r = srv.api("POST", "/accounts", {"email": EMAIL, "password": PASSWORD, "name": "Lucie Bernard"})
    assert r.status == 201, r
    assert r.json()["status"] == "pending" and r.json()["id"] is not None
    assert "/verify?token=" in srv.mail_link(EMAIL)


def test_the_verification_mail_is_a_proper_message(srv):
    raw = srv.mails(EMAIL)
    assert len(raw) == 1, raw
    msg = email.message_from_string(raw[0], policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == EMAIL
    assert msg["From"] and msg["Date"] and msg["Message-ID"] and msg["Subject"], dict(msg)
    assert all(ord(c) < 128 for c in raw[0].split("\n\n", 1)[0]), "headers must be ASCII (RFC 5322)"
    body = msg.get_content()
    link = re.search(r"(https?://\S+)", body).group(1)
    assert link.startswith(srv.base + "/verify?token="), link
    token = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]
    assert len(token) >= 32 and token not in srv.mails(EMAIL)[0].split("\n\n", 1)[0]


def test_mails_follow_the_language_of_the_request(srv):
    r = srv.api("POST", "/accounts", {"email": "english.speaker@ac-grenoble.fr", "password": PASSWORD,
                                      "name": "English"}, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert r.status == 201, r
    msg = email.message_from_string(srv.mails("english.speaker@ac-grenoble.fr")[0], policy=email.policy.default)
    assert "Respire" in msg["Subject"] and "Confirm" in msg["Subject"], msg["Subject"]
    assert "Confirmez" in email.message_from_string(srv.mails(EMAIL)[0], policy=email.policy.default)["Subject"]


def test_unverified_account_cannot_sign_in(srv):
    r = srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD})
    assert r.status == 401 and err(r) == "invalid_credentials", r


def test_wrong_password_unknown_address_and_unverified_look_alike(srv):
    answers = [srv.api("POST", "/sessions", body) for body in [
        {"email": EMAIL, "password": "not the right password"},          # pending, wrong password
        {"email": EMAIL, "password": PASSWORD},                          # pending, right password
        {"email": "nobody.at.all@ac-grenoble.fr", "password": PASSWORD},  # unknown address
    ]]
    for r in answers:
        assert r.status == 401 and err(r) == "invalid_credentials", r
        assert "token" not in r.text
    assert len({r.json()["error"]["message"] for r in answers}) == 1, answers


def test_verification_token_is_single_use(srv):
    token = srv.mail_token(EMAIL)
    assert srv.api("POST", "/accounts/verify", {"token": token}).status == 200
    r = srv.api("POST", "/accounts/verify", {"token": token})
    assert r.status == 400 and err(r) == "invalid_token", r
    for bad in ["", "x" * 500, "../../etc", "not-a-real-token-but-well-formed-AAAAAAAAAAAA"]:
        r = srv.api("POST", "/accounts/verify", {"token": bad})
        assert r.status == 400 and err(r) == "invalid_token", (bad, r)


def test_domains_outside_the_allowed_list_are_refused(srv):
    for email in ["x.y@gmail.com", "a.b@ac-lyon.fr.evil.com", "a.b@ac-.fr", "a.b@x.ac-lyon.fr",
                  "a.b@education.gouv.fr.example.org"]:
        r = srv.api("POST", "/accounts", {"email": email, "password": PASSWORD, "name": "X"})
        assert r.status == 422 and err(r) == "email_domain_not_allowed", (email, r)
    r = srv.api("POST", "/accounts", {"email": "marc.dupont@education.gouv.fr", "password": PASSWORD, "name": "Marc"})
    assert r.status == 201, r


def test_an_address_is_taken_whatever_its_case(srv):
    for email in [EMAIL, EMAIL.upper(), "Lucie.Bernard@AC-Grenoble.FR"]:
        r = srv.api("POST", "/accounts", {"email": email, "password": PASSWORD, "name": "Lucie"})
        assert r.status == 409 and err(r) == "email_taken", (email, r)
    assert len(srv.mails(EMAIL)) == 1  # no second verification mail


def test_weak_passwords_are_refused(srv):
    for pw in ["court", "12345678901", "password1234", "azertyuiop12", "aaaaaaaaaaaaaaaa"]:
        r = srv.api("POST", "/accounts", {"email": "pw.test@ac-lyon.fr", "password": pw, "name": "P"})
        assert r.status == 422 and err(r) == "weak_password", (pw, r)


def test_malformed_bodies(srv):
    for raw in [b"{bad", b"[1,2]", b"", b"null", b'"text"', b'{"email": "a", "email": "b"}',
                b'{"name": "\xff\xfe"}']:
        r = srv.api("POST", "/accounts", raw=raw, headers={"Content-Type": "application/json"})
        assert r.status == 400 and err(r) == "invalid_json", (raw, r)
    r = srv.api("POST", "/accounts", {"email": 42, "password": PASSWORD, "name": "X"})
    assert r.status == 422 and err(r) == "invalid_field", r
    r = srv.api("POST", "/accounts", {"password": PASSWORD, "name": "X"})
    assert r.status == 422 and err(r) == "invalid_field" and r.json()["error"]["field"] == "email", r
    r = srv.api("POST", "/accounts", {"email": "long.name@ac-lyon.fr", "password": PASSWORD, "name": "N" * 101})
    assert r.status == 422 and err(r) == "invalid_field" and r.json()["error"]["field"] == "name", r
    r = srv.api("POST", "/accounts", {"email": "nul.char@ac-lyon.fr", "password": PASSWORD, "name": "a\u0000b"})
    assert r.status == 400 and err(r) == "invalid_json", r  # jansson refuses \u0000 as JSON
    assert srv.api("POST", "/sessions", {"email": "nul.char@ac-lyon.fr", "password": PASSWORD}).status == 401


def test_verified_member_signs_in_and_the_address_is_case_insensitive(srv):
    r = srv.api("POST", "/sessions", {"email": "  " + EMAIL.upper(), "password": PASSWORD})
    assert r.status == 201, r
    body = r.json()
    assert body["token"] and body["user"]["name"] == "Lucie Bernard", body
    me = srv.api("GET", "/me", token=body["token"])
    assert me.status == 200 and me.json()["email"] == EMAIL, me
    expect(srv.api("DELETE", "/sessions/current", token=body["token"]), 204)


def test_sessions_on_several_devices(srv):
    t1 = srv.login(EMAIL)
    t2 = expect(srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD},
                        headers={"User-Agent": "Firefox on a tablet"}), 201)["token"]
    r = srv.api("GET", "/me/sessions", token=t1)
    assert r.status == 200, r
    items = r.json()["items"]
    assert len(items) == 2 and sum(1 for s in items if s["current"]) == 1, items
    other = [s for s in items if not s["current"]][0]
    assert srv.api("DELETE", f"/me/sessions/{other['id']}", token=t1).status == 204
    assert srv.api("GET", "/me", token=t2).status == 401
    t3 = srv.login(EMAIL)
    assert srv.api("DELETE", "/me/sessions", token=t1).status == 204  # every other device
    assert srv.api("GET", "/me", token=t3).status == 401
    assert srv.api("GET", "/me", token=t1).status == 200


def test_logout_ends_the_token(srv):
    t = srv.login(EMAIL)
    assert srv.api("DELETE", "/sessions/current", token=t).status == 204
    r = srv.api("GET", "/me", token=t)
    assert r.status == 401 and err(r) == "unauthorized", r


def test_me_without_or_with_a_bad_token(srv):
    for h in [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
              {"Authorization": "Bearer " + "A" * 5000}]:
        r = srv.request("GET", "/api/v1/me", headers=h)
        assert r.status == 401 and r.json()["error"]["code"] == "unauthorized", (h, r)


def test_password_reset(srv):
    old = srv.login(EMAIL)
    r = srv.api("POST", "/password-resets", {"email": "nobody.here@ac-lyon.fr"})
    assert r.status == 202
    assert srv.mails("nobody.here@ac-lyon.fr") == []
    r = srv.api("POST", "/password-resets", {"email": EMAIL})
    assert r.status == 202
    token = srv.mail_token(EMAIL)
    assert "/password-reset/confirm?token=" in srv.mail_link(EMAIL)
    r = srv.api("POST", "/password-resets/confirm", {"token": token, "password": "short"})
    assert r.status == 422 and err(r) == "weak_password", r
    r = srv.api("POST", "/password-resets/confirm", {"token": token, "password": "un tout nouveau mot de passe"})
    assert r.status == 200, r
    assert srv.api("GET", "/me", token=old).status == 401  # other sessions ended
    r = srv.api("POST", "/password-resets/confirm", {"token": token, "password": "encore un autre mot de passe"})
    assert r.status == 400 and err(r) == "invalid_token", r
    assert srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD}).status == 401
    assert srv.login(EMAIL, "un tout nouveau mot de passe")


def test_tokens_of_one_kind_do_not_work_for_the_other(srv):
    email = "token.kinds@ac-grenoble.fr"
    assert srv.api("POST", "/accounts", {"email": email, "password": PASSWORD, "name": "Kinds"}).status == 201
    verify = srv.mail_token(email)
    r = srv.api("POST", "/password-resets/confirm", {"token": verify, "password": "un mot de passe pirate"})
    assert r.status == 400 and err(r) == "invalid_token", r
    assert srv.api("POST", "/accounts/verify", {"token": verify}).status == 200
    assert srv.api("POST", "/password-resets", {"email": email}).status == 202
    reset = srv.mail_token(email)
    assert reset != verify
    r = srv.api("POST", "/accounts/verify", {"token": reset})
    assert r.status == 400 and err(r) == "invalid_token", r
    r = srv.api("POST", "/password-resets/confirm", {"password": "un mot de passe pirate"})
    assert r.status == 422 and err(r) == "invalid_field" and r.json()["error"]["field"] == "token", r
    # the reset token still works once, for its own purpose
    r = srv.api("POST", "/password-resets/confirm", {"token": reset, "password": "un mot de passe choisi"})
    assert r.status == 200, r
    assert srv.login(email, "un mot de passe choisi")


def test_changing_the_password_needs_the_current_one(srv):
    t = srv.login(EMAIL, "un tout nouveau mot de passe")
    r = srv.api("POST", "/me/password", {"current_password": "faux", "password": PASSWORD}, token=t)
    assert r.status == 403 and err(r) == "wrong_password", r
    r = srv.api("POST", "/me/password", {"current_password": "un tout nouveau mot de passe", "password": PASSWORD},
                token=t)
    assert r.status == 200, r
    assert srv.login(EMAIL)


def test_throttling_per_address(srv):
    srv.user("throttle.me@ac-lille.fr", "Throttle")
    for _ in range(5):
        r = srv.api("POST", "/sessions", {"email": "throttle.me@ac-lille.fr", "password": "wrong password!"})
        assert r.status == 401, r
    r = srv.api("POST", "/sessions", {"email": "throttle.me@ac-lille.fr", "password": PASSWORD})
    assert r.status == 429 and err(r) == "too_many_attempts", r
    assert "retry-after" in r.headers
    # another address from the same client is not blocked yet
    assert srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD}).status == 201


def test_throttling_per_address_holds_from_another_client(srv):
    # The address above is blocked for every client, not only the one that failed.
    r = srv.api("POST", "/sessions", {"email": "throttle.me@ac-lille.fr", "password": PASSWORD}, source="127.0.0.4")
    assert r.status == 429 and err(r) == "too_many_attempts", r


def test_throttling_holds_against_attempts_made_at_the_same_time(srv):
    """40 wrong passwords at once for one address: no more than 5 are checked (401), the rest 429."""
    import threading
    srv.user("throttle.race@ac-lille.fr", "Course")
    statuses = []

    def attempt(i):
        statuses.append(srv.api("POST", "/sessions", {"email": "throttle.race@ac-lille.fr",
                                                      "password": "wrong password!"}, source=f"127.0.1.{i + 1}").status)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 40 and set(statuses) <= {401, 429} and statuses.count(401) <= 5, sorted(statuses)
    # Each 401 left one failure behind (a refused attempt is forgotten): five of them block the
    # address; fewer (attempts that saw each other in flight were all refused) do not yet.
    r = srv.api("POST", "/sessions", {"email": "throttle.race@ac-lille.fr", "password": PASSWORD}, source="127.0.2.1")
    want = 429 if statuses.count(401) == 5 else 201
    assert r.status == want, (sorted(statuses), r)


def test_throttling_per_client(srv):
    # A client of its own (127.0.0.2): 30 failures on 30 different addresses are
    # each a plain 401; then that client is refused even with good credentials,
    # and a forged X-Forwarded-For (no trusted proxy) does not make it someone else.
    client = "127.0.0.2"
    for i in range(30):
        r = srv.api("POST", "/sessions", {"email": f"nobody{i}@ac-lyon.fr", "password": "wrong password!"},
                    source=client)
        assert r.status == 401 and err(r) == "invalid_credentials", (i, r)
    r = srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD}, source=client)
    assert r.status == 429 and err(r) == "too_many_attempts", r
    r = srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD}, source=client,
                headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status == 429 and err(r) == "too_many_attempts", r
    # other clients are not affected
    r = srv.api("POST", "/sessions", {"email": EMAIL, "password": PASSWORD}, source="127.0.0.3")
    assert r.status == 201, r


def test_reset_link_expires_by_the_domain_clock(srv):
    """The domain clock (a file the harness names) judges expiry: no sleeping."""
    email = "horloge.test@ac-lyon.fr"
    srv.member(email, "Horloge Test")
    try:
        assert srv.api("POST", "/password-resets", {"email": email}).status == 202
        token = srv.mail_token(email)
        srv.set_clock("+3599")  # still valid a second before the hour
        assert srv.api("POST", "/password-resets", {"email": email}).status == 202
        second = srv.mail_token(email)
        srv.set_clock("+3601")  # the first link is an hour and a second old
        r = srv.api("POST", "/password-resets/confirm", {"token": token, "password": "un tout nouveau mot de passe"})
        assert r.status == 400 and err(r) == "invalid_token", r
        r = srv.api("POST", "/password-resets/confirm", {"token": second, "password": "un tout nouveau mot de passe"})
        assert r.status == 200, r  # issued at +3599, valid until +7199
    finally:
        srv.set_clock(None)
