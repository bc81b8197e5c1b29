#!/usr/bin/env bash
# The demo page (lws-conf/www) in a real browser: Debian's Chromium, headless,
# driven by playwright-core (pinned in package-lock.json; it never downloads a
# browser), against lwsws with the main command's conf (page.test.mjs). It
# installs what it needs: Debian's chromium (as root, by apt-get) and the npm
# packages of the lock file. Screenshots go to build/browser-test/.
#
#   tests/browser/run.sh                  the test
#   tests/browser/run.sh --screenshot     README's picture, lws-conf/screenshot.png
#
# Needs build/ (the tests' plugin, build/tests/lwsws-plugin) and lwsws
# (lws-conf/build-lwsws.sh, run here: it reuses its build). GQLWS_CHROMIUM
# names another Chromium binary; GQLWS_E2E_PORT_BASE moves the port as for
# tests/e2e (slot 32 of its lwsws block: 7996 by default).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
chromium=${GQLWS_CHROMIUM:-/usr/bin/chromium}

fail() {
	echo "browser: $*" >&2
	exit 1
}

mode=test
case "${1:-}" in
"") ;;
--screenshot) mode=screenshot ;;
-h | --help) sed -n '2,14p' "$0"; exit 0 ;;
*) fail "unknown argument '$1' (see --help)" ;;
esac

# Debian's Chromium, and a font for legible screenshots.
if [ ! -x "$chromium" ]; then
	[ -z "${GQLWS_CHROMIUM:-}" ] || fail "GQLWS_CHROMIUM=$chromium is not an executable"
	[ "$(id -u)" -eq 0 ] || fail "chromium is not installed (as root: apt-get install chromium fonts-dejavu-core)"
	echo "browser: installing Debian's chromium" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2 ||
		{ apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2; } ||
		fail "apt-get install chromium failed"
fi

command -v node >/dev/null || fail "node not found (lws-conf/install-deps.sh installs it)"
command -v npm >/dev/null || fail "npm not found (lws-conf/install-deps.sh installs it)"
plugin="${GQLWS_LWSWS_BUILD_DIR:-$root/build}/tests/lwsws-plugin/libprotocol_lws_graphql_ws.so"
[ -f "$plugin" ] || fail "the tests' plugin is not built ($plugin): build build/ first"

# playwright-core exactly as the lock file says; it downloads no browser
# (only the playwright package would), and this says so to any script.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
	[ package.json -nt node_modules/.package-lock.json ]; then
	echo "browser: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
fi

if [ -z "${LWSWS_PREFIX:-}" ]; then
	LWSWS_PREFIX=$("$root/lws-conf/build-lwsws.sh" | tail -n 1) || fail "lws-conf/build-lwsws.sh failed"
	export LWSWS_PREFIX
fi
export GQLWS_CHROMIUM="$chromium"

if [ "$mode" = screenshot ]; then
	exec timeout --foreground -k 10 120 node screenshot.mjs "$root/lws-conf/screenshot.png"
fi
force_exit=()
if node --help | grep -q -- --test-force-exit; then
	force_exit=(--test-force-exit)
fi
exec timeout --foreground -k 10 300 node --test --test-reporter=spec "${force_exit[@]}" page.test.mjs
