#!/usr/bin/env bash
# Installs, on a bare Debian 12 machine (run as root), every package needed to
# build, test and run lws-graphql-ws, and enables Debian source packages so
# that lws-conf/build-lwsws.sh can fetch libwebsockets' source. Safe to re-run.
set -euo pipefail

usage() {
	echo "usage: $0 [--no-update]"
	echo "  --no-update  skip 'apt-get update' (only when the package lists are fresh)"
}

do_update=1
for arg in "$@"; do
	case "$arg" in
	--no-update) do_update=0 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "install-deps: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
	esac
done

fail() {
	echo "install-deps: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || fail "must run as root (it calls apt-get install)"
command -v apt-get >/dev/null || fail "apt-get not found: this script is for Debian 12"

export DEBIAN_FRONTEND=noninteractive

# 'apt-get source libwebsockets' needs deb-src entries. Debian 12 keeps its
# sources in deb822 form; add deb-src to every stanza that only has deb.
enable_deb_src() {
	local deb822=/etc/apt/sources.list.d/debian.sources
	local legacy=/etc/apt/sources.list
	if [ -f "$deb822" ]; then
		if ! grep -Eq '^Types:.*\bdeb-src\b' "$deb822"; then
			sed -i -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' "$deb822" ||
				fail "cannot edit $deb822"
			grep -Eq '^Types:.*\bdeb-src\b' "$deb822" ||
				fail "could not add deb-src to the Types lines of $deb822"
			echo "install-deps: enabled deb-src in $deb822"
		fi
	elif [ -f "$legacy" ] && grep -Eq '^deb[[:space:]]' "$legacy"; then
		if ! grep -Eq '^deb-src[[:space:]]' "$legacy"; then
			grep -E '^deb[[:space:]]' "$legacy" | sed -E 's/^deb[[:space:]]/deb-src /' >>"$legacy" ||
				fail "cannot edit $legacy"
			echo "install-deps: enabled deb-src in $legacy"
		fi
	else
		fail "no Debian apt sources found ($deb822 or $legacy); cannot enable deb-src"
	fi
}

enable_deb_src

packages=(
	# build; procps: the lwsws scripts read process groups with ps
	build-essential cmake pkg-config git ca-certificates procps
	# the demo's publisher (lws-conf/feed.sh) and the README's publish example
	curl
	libwebsockets-dev libcjson-dev
	# the Redis transport (option "redis")
	libhiredis-dev
	# tests: unit tests, memory checking, libFuzzer
	check valgrind clang libclang-rt-14-dev
	# lwsws, built from Debian's source package
	dpkg-dev libuv1-dev libssl-dev zlib1g-dev libcap-dev
)
# The end-to-end tests need Node (>= 18 for 'node --test'). Never replace a
# node that is already there (the project machines ship Node 20).
if ! command -v node >/dev/null; then
	packages+=(nodejs npm)
fi

log=$(mktemp /tmp/install-deps.XXXXXX.log)
trap 'rm -f "$log"' EXIT

if [ "$do_update" -eq 1 ]; then
	echo "install-deps: apt-get update"
	apt-get update -qq >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		fail "apt-get update failed (log above)"
	}
fi

echo "install-deps: installing ${#packages[@]} packages (already installed ones are kept)"
apt-get install -y -qq --no-install-recommends "${packages[@]}" >"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	fail "apt-get install failed (log above)"
}

if command -v node >/dev/null; then
	node_major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$node_major" -ge 18 ] || fail "node $(node --version) is too old for the tests (need >= 18)"
fi

echo "install-deps: done"
