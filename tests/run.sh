#!/usr/bin/env bash
# The whole test suite, as README's test command and CI run it: installs what
# it needs, builds a normal and an ASan+UBSan tree, runs the Check unit tests
# (also under valgrind), the fuzz targets for a bounded time, the end-to-end
# suites with real npm clients against the embedding host (normal and ASan)
# and against lwsws, the demo page in Debian's headless Chromium against
# lwsws, a 60 s soak of hostile clients against the host and lwsws, and a
# smoke run of the load generator.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

passed=0
failed=0
failures=()

step() {
	local name=$1
	shift
	echo
	echo "==== $name"
	local t0=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		echo "==== $name: ok ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "==== $name: FAILED ($((SECONDS - t0)) s)"
	fi
}

configure_build() {
	local dir=$1
	shift
	cmake -S "$root" -B "$root/$dir" "$@" >"$root/$dir.configure.log" 2>&1 ||
		{ cat "$root/$dir.configure.log"; return 1; }
	cmake --build "$root/$dir" -j2
}

bash lws-conf/install-deps.sh

jobs=2
step "build (RelWithDebInfo)" configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "unit tests" ctest --test-dir build --output-on-failure -j"$jobs" -L unit
step "unit tests under valgrind" ctest --test-dir build --output-on-failure -j"$jobs" -L valgrind
step "installed surface (exported names, install, outside programs)" \
	ctest --test-dir build --output-on-failure -L surface
step "build (ASan+UBSan)" configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DGQLWS_SANITIZE=ON
step "unit tests (ASan+UBSan)" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit
step "graphql-js differential test (build, build-asan, valgrind)" bash tests/graphql-js/run.sh build build-asan valgrind
step "fuzz targets (60 s each)" bash tests/fuzz/run.sh 60
step "lwsws from Debian's source package" bash lws-conf/build-lwsws.sh
# redis-server was installed above: the Redis suites must run, not skip.
step "end-to-end" env GQLWS_E2E_REDIS=required bash tests/e2e/run.sh host host-asan lwsws
step "demo page in headless Chromium (lwsws, main conf)" bash tests/browser/run.sh
step "soak (60 s, host and lwsws)" bash tests/soak/run.sh 60 host lwsws
step "load generator smoke run" bash tests/bench/smoke.sh

echo
echo "==== summary"
for f in "${failures[@]+"${failures[@]}"}"; do
	echo "failed: $f"
done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
