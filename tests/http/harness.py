#!/usr/bin/env python3
"""Runs tests/http/test_*.py: each module gets a fresh server (fresh data
folder; on PostgreSQL a fresh database), its test_* functions run in file
order with the server as argument, then the server is stopped with SIGTERM
and must exit 0 with no sanitizer report. Modules run two at a time.

A module may set SERVER_ENV (extra environment) and RUN_IN (the passes it
runs in, default both). Environment: RESPIRE_BIN (the binary), RESPIRE_TEST_DB (sqlite or postgres),
RESPIRE_TEST_PG_URL (the cluster for postgres), and optionally module names
as arguments. Last line: "http: N passed, N failed".
"""
import importlib.util
import multiprocessing
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import lib  # noqa: E402

BIN = os.environ.get("RESPIRE_BIN", os.path.join(ROOT, "build", "san", "respire"))
BACKEND = os.environ.get("RESPIRE_TEST_DB", "sqlite")
PG_URL = os.environ.get("RESPIRE_TEST_PG_URL", "")
SANITIZER = re.compile(r"ERROR: AddressSanitizer|LeakSanitizer|runtime error:")


def fresh_database(name):
    """A new database in the test cluster; returns its URL."""
    u = urllib.parse.urlparse(PG_URL)
    admin = u._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True,
                   capture_output=True)
    return u._replace(path="/" + name).geturl()


def start_server(data, db_args, env):
    # Appends: after a restart the log still holds what earlier instances said.
    log = open(os.path.join(data, "server.log"), "ab")
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--data", data] + db_args,
                            stdout=subprocess.PIPE, stderr=log,
                            env=env)
    log.close()
    # Read the first stdout line without blocking past the deadline (a server
    # that hangs before printing must fail this module, not stall the suite).
    deadline = time.time() + 20
    fd = proc.stdout.fileno()
    line = b""
    while b"\n" not in line and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:  # stdout closed: the server exited
            break
        line += chunk
    line = line.split(b"\n")[0]
    if line.startswith(b"listening on http://"):
        return proc, line.decode().split()[-1]
    proc.kill()
    proc.wait()
    raise RuntimeError("the server did not print 'listening on http://HOST:PORT' within 20 s; got: "
                       + line.decode(errors="replace"))


def stop_server(proc, log_path):
    """SIGTERM; returns a problem description or None."""
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "did not stop within 40 s of SIGTERM"
    with open(log_path, "rb") as f:
        log = f.read().decode(errors="replace")
    if SANITIZER.search(log):
        i = SANITIZER.search(log).start()
        return "sanitizer report:\n" + log[max(0, i - 200):i + 3000]
    if code != 0:
        return f"exit code {code}\n" + log[-2000:]
    return None


def run_module(path):
    """Runs one module; returns (name, [(test, ok, detail)], server log tail)."""
    name = os.path.splitext(os.path.basename(path))[0]
    results = []
    data = tempfile.mkdtemp(prefix=f"respire-{name}-")
    env = dict(os.environ)
    env.setdefault("RESPIRE_LOG_LEVEL", "info")
    env["RESPIRE_CLOCK_FILE"] = os.path.join(data, "clock")  # lib.Server.set_clock
    db_args = []
    proc = None
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        if BACKEND not in getattr(mod, "RUN_IN", ("sqlite", "postgres")):
            return name, [], ""  # a module that runs in one pass only
        env.update(getattr(mod, "SERVER_ENV", {}))
        if BACKEND == "postgres":
            db_args = ["--db", fresh_database(f"t_{name}_{os.getpid()}_{int(time.time() * 1000) % 100000}")]
        proc, base = start_server(data, db_args, env)
        srv = lib.Server(BIN, data, base, db_args, env)
        srv.proc = proc
        srv.restart = lambda: restart(srv, data, db_args, env)
        tests = [(n, f) for n, f in vars(mod).items() if n.startswith("test_") and callable(f)]
        tests.sort(key=lambda t: t[1].__code__.co_firstlineno)
        for tname, fn in tests:
            try:
                fn(srv)
                results.append((tname, True, ""))
            except Exception:  # a failing test, or a broken one: both are failures
                results.append((tname, False, traceback.format_exc()))
        problem = stop_server(srv.proc, os.path.join(data, "server.log"))
        results.append(("server_clean_exit", problem is None, problem or ""))
    except Exception:
        results.append(("setup", False, traceback.format_exc()))
        if proc and proc.poll() is None:
            proc.kill()
    log_tail = ""
    try:
        with open(os.path.join(data, "server.log"), "rb") as f:
            log_tail = f.read()[-3000:].decode(errors="replace")
    except OSError:
        pass
    shutil.rmtree(data, ignore_errors=True)
    return name, results, log_tail


def restart(srv, data, db_args, env):
    """Starts a new server on the same data (after the test stopped or killed the old one)."""
    proc, base = start_server(data, db_args, env)
    srv.proc = proc
    srv.base = base
    u = urllib.parse.urlparse(base)
    srv.host, srv.port = u.hostname, u.port
    return srv


def main():
    only = set(sys.argv[1:])
    paths = sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                   if f.startswith("test_") and f.endswith(".py")
                   and (not only or f[:-3] in only))
    passed = failed = 0
    with multiprocessing.Pool(2) as pool:
        for name, results, log_tail in pool.imap_unordered(run_module, paths):
            bad = False
            for tname, ok, detail in results:
                if ok:
                    passed += 1
                    print(f"ok - {name}::{tname}")
                else:
                    failed += 1
                    bad = True
                    print(f"FAIL - {name}::{tname}")
                    print("    " + detail.replace("\n", "\n    "))
            if bad and log_tail:
                print(f"    --- {name}: server log (end) ---")
                print("    " + log_tail.replace("\n", "\n    "))
            sys.stdout.flush()
    print(f"http: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
