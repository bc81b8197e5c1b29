#!/usr/bin/env bash
# Runs the end-to-end suites (node --test, real npm clients) against the
# servers under test. Targets: host (build/tests/host/gqlws-host, or
# $GQLWS_HOST_BIN), host-asan (build-asan/tests/host/gqlws-host, or
# $GQLWS_HOST_ASAN_BIN), lwsws (lws-conf/start-lwsws.sh with build/lwsws-prefix
# and the tests' plugin of build/tests/lwsws-plugin, or of
# $GQLWS_LWSWS_BUILD_DIR/tests/lwsws-plugin).
#
#   tests/e2e/run.sh                   every target that is built
#   tests/e2e/run.sh host lwsws        exactly these (missing ones are an error)
#   GQLWS_E2E_TARGETS="host-asan" tests/e2e/run.sh
#   tests/e2e/run.sh host -- --test-name-pattern=keep-alive   extra node args
#
# Exits non-zero on any failure, or when no target can run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

fail() {
	echo "e2e: $*" >&2
	exit 1
}

host_bin=${GQLWS_HOST_BIN:-$root/build/tests/host/gqlws-host}
asan_bin=${GQLWS_HOST_ASAN_BIN:-$root/build-asan/tests/host/gqlws-host}
lwsws_start=$root/lws-conf/start-lwsws.sh

# Why a target cannot run, or nothing when it can.
missing() {
	case "$1" in
	host) [ -x "$host_bin" ] || echo "no host binary at $host_bin" ;;
	host-asan) [ -x "$asan_bin" ] || echo "no ASan host binary at $asan_bin" ;;
	lwsws)
		if [ ! -x "$root/build/lwsws-prefix/bin/lwsws" ]; then
			echo "lwsws not built (run lws-conf/build-lwsws.sh)"
		elif [ ! -f "${GQLWS_LWSWS_BUILD_DIR:-$root/build}/tests/lwsws-plugin/libprotocol_lws_graphql_ws.so" ]; then
			echo "the tests' plugin not built in ${GQLWS_LWSWS_BUILD_DIR:-$root/build}/tests/lwsws-plugin"
		elif [ ! -x "$lwsws_start" ]; then
			echo "no $lwsws_start"
		fi
		;;
	*) echo "unknown target '$1' (known: host, host-asan, lwsws)" ;;
	esac
}

targets=()
node_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; node_args=("$@"); break ;;
	-h | --help) sed -n '2,14p' "$0"; exit 0 ;;
	*) targets+=("$1") ;;
	esac
	shift
done
if [ ${#targets[@]} -eq 0 ] && [ -n "${GQLWS_E2E_TARGETS:-}" ]; then
	read -r -a targets <<<"${GQLWS_E2E_TARGETS//,/ }"
fi

if [ ${#targets[@]} -gt 0 ]; then
	for t in "${targets[@]}"; do
		why=$(missing "$t")
		[ -z "$why" ] || fail "target $t requested but cannot run: $why"
	done
else
	for t in host host-asan lwsws; do
		why=$(missing "$t")
		if [ -z "$why" ]; then
			targets+=("$t")
		else
			echo "e2e: skipping target $t: $why" >&2
		fi
	done
	[ ${#targets[@]} -gt 0 ] || fail "no target is built: build build/ first"
fi

command -v node >/dev/null || fail "node not found (lws-conf/install-deps.sh installs it)"
command -v npm >/dev/null || fail "npm not found (lws-conf/install-deps.sh installs it)"

# The clients come from the committed lock file, exactly.
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
	[ package.json -nt node_modules/.package-lock.json ]; then
	echo "e2e: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
fi

# lwsws is (re)built here, once, if build-lwsws.sh's flags changed: never
# from a test's start of a server, where a build of a minute or more would
# run inside the test's time limit, and while other files' servers run on
# that same prefix.
if [[ " ${targets[*]} " == *" lwsws "* ]] && [ -z "${LWSWS_PREFIX:-}" ]; then
	LWSWS_PREFIX=$("$root/lws-conf/build-lwsws.sh" | tail -n 1) || fail "lws-conf/build-lwsws.sh failed"
	export LWSWS_PREFIX
fi

export GQLWS_E2E_TARGETS="${targets[*]}"
export GQLWS_HOST_BIN="$host_bin" GQLWS_HOST_ASAN_BIN="$asan_bin"
echo "e2e: targets: $GQLWS_E2E_TARGETS" >&2
# A file whose tests are done must not keep running on a forgotten handle.
force_exit=()
if node --help | grep -q -- --test-force-exit; then
	force_exit=(--test-force-exit)
fi
# Every test has its own time limit; this bounds the whole run as well.
exec timeout --foreground -k 10 1200 node --test --test-reporter=spec "${force_exit[@]}" "${node_args[@]}" ./*.test.mjs
