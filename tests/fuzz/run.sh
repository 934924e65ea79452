#!/bin/sh
# Runs every fuzz target (build/fuzz/fuzz_NAME, made by `make fuzz-build`)
# for FUZZ_SECONDS (default 5: the short run of `make test`; `make fuzz`: 60).
#   seeds          tests/fuzz/corpus/NAME    (in the repository, read only)
#   regressions    tests/fuzz/regressions/NAME/*  (every crash found, replayed first)
#   learned inputs build/fuzz/corpus/NAME    (grows from run to run)
#   crashes        build/fuzz/crashes/NAME/  (a new file here fails the run)
# FUZZ_TARGETS="http csv" runs only those. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-5}
passed=0
failed=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
targets=${FUZZ_TARGETS:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)}
for name in $targets; do
	bin=build/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz $name: $bin missing (make fuzz-build)"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "build/fuzz/corpus/$name" "build/fuzz/crashes/$name"
	log=build/fuzz/$name.log
	ok=1
	# Every crash found once is replayed first: it must stay fixed.
	if [ -d "tests/fuzz/regressions/$name" ] && [ -n "$(ls "tests/fuzz/regressions/$name")" ]; then
		if ! "$bin" tests/fuzz/regressions/"$name"/* >"$log" 2>&1; then
			echo "fuzz $name: a regression input fails again"
			tail -n 30 "$log"
			ok=0
		fi
	fi
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	if [ $ok = 1 ]; then
		# shellcheck disable=SC2086
		if "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
			-artifact_prefix="build/fuzz/crashes/$name/" $dict \
			"build/fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
			runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$')
			echo "fuzz $name: ${runs:-?} inputs in ${seconds} s, nothing found"
		else
			echo "fuzz $name: FOUND something (input in build/fuzz/crashes/$name/)"
			grep -E 'ERROR|fuzz:|SUMMARY|#[0-9]+ 0x' "$log" | head -n 30
			ok=0
		fi
	fi
	if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
