#!/bin/sh
# Builds the libFuzzer targets in build-fuzz/ with clang and runs each one for
# a bounded time (first argument, seconds, default 60) on a copy of its seed
# corpus, so the committed corpus is never written. Exits non-zero if any
# target crashes, leaks, trips a sanitizer or fails to build.
set -eu

seconds=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"

cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DGQLWS_FUZZ=ON -DGQLWS_PLUGIN=OFF -DGQLWS_TESTS=ON >/dev/null

list="$build/tests/fuzz/fuzz_targets.txt"
targets=$(cut -d' ' -f1 "$list" | tr '\n' ' ')
[ -n "$targets" ] || { echo "run.sh: no fuzz targets in $list" >&2; exit 1; }
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $targets

failed=0
while read -r name corpus dict; do
	work="$build/corpus-run/$name"
	rm -rf "$work" "$build/artifacts/$name"
	mkdir -p "$work" "$build/artifacts/$name"
	cp -R "$corpus"/. "$work"/
	set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name/"
	[ "$dict" = "-" ] || set -- "$@" -dict="$dict"
	echo "== $name: $seconds s on a copy of $corpus"
	if "$build/tests/fuzz/$name" "$@" "$work" >"$build/artifacts/$name.log" 2>&1; then
		tail -n 12 "$build/artifacts/$name.log"
	else
		failed=1
		tail -n 60 "$build/artifacts/$name.log"
		echo "== $name FAILED; reproducer(s) in $build/artifacts/$name/" >&2
	fi
done <"$list"
exit $failed
