#!/bin/sh
# Runs every suite and ends with one line "N passed, N failed".
#   1. C unit tests (check), under AddressSanitizer and UBSan
#   2. the HTTP suite against the sanitizer build, on SQLite
#   3. the same HTTP suite on PostgreSQL (a throwaway cluster on loopback)
#   4. browser journeys in Debian's Chromium (optimised build)
#   and, after the unit tests, a short run of every fuzz target (tests/fuzz/run.sh)
# Suites run one after another (the HTTP suite itself uses both cores).
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SAN_BIN=${RESPIRE_BIN:-$ROOT/build/san/respire}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
log=$(mktemp)

add() { # passed failed suite
	passed=$((passed + $1))
	failed=$((failed + $2))
	echo "== $3: $1 passed, $2 failed"
}

# The last "N passed, M failed" of a suite's output.
counts() {
	grep -Eo '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 \2/'
}

echo "== unit tests"
if [ -x build/san/unit-tests ]; then
	build/san/unit-tests >"$log" 2>&1
	rc=$?
	cat "$log" | grep -vE '^Running suite' | tail -n 40
	line=$(grep -Eo 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		set -- $(echo "$line" | sed -E 's/Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+)/\1 \2 \3/')
		bad=$(($2 + $3))
		add $(($1 - bad)) $bad "unit"
	else
		add 0 1 "unit (no result line, exit $rc)"
	fi
else
	add 0 1 "unit (build/san/unit-tests missing)"
fi

# Every fuzz target a few seconds, its past crashes replayed (tests/fuzz/README.md).
if [ "${RESPIRE_SKIP_FUZZ:-0}" != 1 ]; then
	echo "== fuzz targets (short run)"
	FUZZ_SECONDS=${FUZZ_SECONDS:-5} sh tests/fuzz/run.sh >"$log" 2>&1
	rc=$?
	cat "$log" | tail -n 40
	set -- $(counts "$log")
	if [ $# -eq 2 ]; then
		add "$1" "$2" "fuzz"
	else
		add 0 1 "fuzz (no result line, exit $rc)"
	fi
fi

http_suite() { # label, then environment assignments for the harness
	label=$1
	shift
	echo "== HTTP suite ($label)"
	env "$@" RESPIRE_BIN="$SAN_BIN" python3 tests/http/harness.py >"$log" 2>&1
	rc=$?
	grep -vE '^ok - ' "$log" | tail -n 60
	set -- $(counts "$log")
	if [ $# -eq 2 ]; then
		[ "$rc" -ne 0 ] && [ "$2" -eq 0 ] && set -- "$1" 1
		add "$1" "$2" "http-$label"
	else
		add 0 1 "http-$label (no result line, exit $rc)"
	fi
}

[ -f tests/http/harness.py ] && http_suite sqlite RESPIRE_TEST_DB=sqlite

if [ "${RESPIRE_SKIP_PG:-0}" != 1 ]; then
	pgdir=$(mktemp -d /tmp/respire-pg-XXXXXX)
	if url=$(sh scripts/pg-cluster.sh start "$pgdir" 2>"$log"); then
		[ -f tests/http/harness.py ] &&
			http_suite postgres RESPIRE_TEST_DB=postgres RESPIRE_TEST_PG_URL="$url"
		echo "== unit tests on PostgreSQL (access matrix)"
		RESPIRE_TEST_PG_URL="$url" build/san/unit-tests >"$log" 2>&1
		line=$(grep -Eo 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			set -- $(echo "$line" | sed -E 's/Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+)/\1 \2 \3/')
			add $(($1 - $2 - $3)) $(($2 + $3)) "unit-postgres"
		else
			tail -n 20 "$log"
			add 0 1 "unit-postgres (no result line)"
		fi
		sh scripts/pg-cluster.sh stop "$pgdir"
	else
		cat "$log"
		add 0 1 "postgres (the cluster did not start)"
	fi
fi

if [ "${RESPIRE_SKIP_E2E:-0}" != 1 ]; then
	echo "== browser journeys"
	if [ -d tests/e2e/node_modules/playwright-core ] && [ -x /usr/bin/chromium ]; then
		node tests/e2e/journeys.mjs >"$log" 2>&1
		rc=$?
		grep -vE '^ok - ' "$log" | tail -n 40
		set -- $(counts "$log")
		if [ $# -eq 2 ]; then
			add "$1" "$2" "e2e"
		else
			add 0 1 "e2e (no result line, exit $rc)"
		fi
	else
		add 0 1 "e2e (playwright-core or /usr/bin/chromium missing: make deps)"
	fi
fi

rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
