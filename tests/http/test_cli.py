"""The respire command line: help, usage errors, bad storage, operators' commands."""
import os
import subprocess
import tempfile

from lib import PASSWORD, expect


def run(srv, *args, stdin=None):
    return subprocess.run([srv.bin, *args], input=stdin, capture_output=True, text=True, env=srv.env, timeout=60)


def test_help_and_usage_errors(srv):
    r = run(srv, "help")
    assert r.returncode == 0 and "serve" in r.stdout
    for cmd in ["serve", "user", "demo", "migrate", "export", "import"]:
        r = run(srv, cmd, "--help")
        assert r.returncode == 0 and "usage: respire" in r.stdout, (cmd, r)
    for args in [["frobnicate"], ["serve", "--bogus"], ["serve", "--listen"], ["user"], ["user", "delete"],
                 ["user", "add", "--email", "x@ac-lyon.fr"], ["export"], []]:
        r = run(srv, *args)
        assert r.returncode == 2, (args, r)
        assert r.stderr.strip(), args


def test_bad_storage_fails_at_start_with_a_clear_message(srv):
    r = run(srv, "serve", "--listen", "127.0.0.1:0", "--data", "/proc/nope/data")
    assert r.returncode == 1 and "cannot" in r.stderr, r
    with tempfile.TemporaryDirectory() as d:
        r = run(srv, "serve", "--listen", "127.0.0.1:0", "--data", d, "--db", "postgres://nobody@127.0.0.1:1/x")
        assert r.returncode == 1 and "PostgreSQL" in r.stderr and "nobody@" not in r.stderr, r
        r = run(srv, "serve", "--listen", "not-an-address", "--data", d)
        assert r.returncode == 1 and "listen" in r.stderr, r
        with open(os.path.join(d, "respire.conf"), "w") as f:
            f.write("max_body = lots\n")
        r = run(srv, "serve", "--listen", "127.0.0.1:0", "--data", d)
        assert r.returncode == 1 and "max_body" in r.stderr, r


def test_a_database_file_in_a_missing_folder_is_a_clear_start_failure(srv):
    with tempfile.TemporaryDirectory() as d:
        r = run(srv, "serve", "--listen", "127.0.0.1:0", "--data", d, "--db", "/nonexistent/dir/x.db")
        assert r.returncode == 1, r  # a start failure, not a usage error (2)
        assert "/nonexistent/dir/x.db" in r.stderr and "cannot" in r.stderr, r
        assert "listening on" not in r.stdout, r
        assert not os.path.exists("/nonexistent/dir")
        env = dict(srv.env, RESPIRE_DB="/nonexistent/dir/y.db")  # the same through the environment
        r = subprocess.run([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", d], capture_output=True,
                           text=True, env=env, timeout=60)
        assert r.returncode == 1 and "/nonexistent/dir/y.db" in r.stderr, r


def test_user_add_makes_an_admin(srv):
    r = run(srv, "user", "add", "--email", "ops@education.gouv.fr", "--name", "Opératrice", "--role", "admin",
            "--password-stdin", "--data", srv.data, *srv.db_args, stdin=PASSWORD + "\n")
    assert r.returncode == 0 and "admin" in r.stdout, r
    tok = srv.login("ops@education.gouv.fr")
    assert expect(srv.api("GET", "/me", token=tok), 200)["is_admin"] is True
    r = run(srv, "user", "add", "--email", "ops@education.gouv.fr", "--name", "Again", "--password-stdin",
            "--data", srv.data, *srv.db_args, stdin=PASSWORD + "\n")
    assert r.returncode == 1 and "already" in r.stderr, r
    r = run(srv, "user", "add", "--email", "weak@ac-lyon.fr", "--name", "Weak", "--password-stdin",
            "--data", srv.data, *srv.db_args, stdin="short\n")
    assert r.returncode == 1 and "weak" in r.stderr, r


def test_migrate_reports_the_schema_version(srv):
    r = run(srv, "migrate", "--data", srv.data, *srv.db_args)
    assert r.returncode == 0 and r.stdout.startswith("schema version "), r


def test_slow_statements_are_logged_with_their_text_but_never_their_values(srv):
    env = dict(srv.env, RESPIRE_SLOW_QUERY_MS="0")  # 0: every statement counts as slow
    r = subprocess.run([srv.bin, "user", "add", "--email", "lente.requete@ac-nice.fr", "--name", "Lente Requête",
                        "--password-stdin", "--data", srv.data, *srv.db_args], input=PASSWORD + "\n",
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r
    slow = [l for l in r.stderr.splitlines() if "slow statement (" in l]
    assert slow and any("INSERT INTO users" in l for l in slow), r.stderr
    assert all(" ms): " in l and "warn" in l for l in slow), slow
    assert not any("lente" in l.lower() for l in slow), slow  # the statement's text, not its values
    r = subprocess.run([srv.bin, "migrate", "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                       env=dict(srv.env, RESPIRE_SLOW_QUERY_MS="off"), timeout=60)
    assert r.returncode == 0 and "slow statement" not in r.stderr, r
    r = subprocess.run([srv.bin, "migrate", "--data", srv.data, *srv.db_args], capture_output=True, text=True,
                       env=dict(srv.env, RESPIRE_SLOW_QUERY_MS="-5"), timeout=60)
    assert r.returncode == 1 and "slow_query_ms" in r.stderr, r
