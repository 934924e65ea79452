#!/bin/sh
# Installs what Respire needs, when missing (Debian 12, as root or with sudo).
#   scripts/deps.sh          to build and run (postgresql-client: pg_dump and pg_restore for respire backup)
#   scripts/deps.sh --test   also to test: PostgreSQL, Chromium, Node.js and the e2e npm packages
#   scripts/deps.sh --bench  also to benchmark: wrk, python3, PostgreSQL, perf
set -eu
PKGS="gcc make pkg-config libc6-dev libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev libpq-dev libmagic-dev libmagic-mgc libcurl4-openssl-dev libgd-dev
ca-certificates poppler-utils postgresql-client"
TEST_PKGS="check python3 python3-icalendar postgresql nginx-light chromium fonts-dejavu-core ffmpeg clang libclang-rt-14-dev"
BENCH_PKGS="wrk python3 postgresql linux-perf"
[ "${1:-}" = "--test" ] && PKGS="$PKGS $TEST_PKGS"
[ "${1:-}" = "--bench" ] && PKGS="$PKGS $BENCH_PKGS"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || { echo "deps: run as root or install:$missing" >&2; exit 1; }
		SUDO=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# The browser journeys' npm packages: playwright-core drives Debian's Chromium (no browser download).
if [ "${1:-}" = "--test" ] && { [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; }; then
	echo "deps: installing the e2e npm packages"
	(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
