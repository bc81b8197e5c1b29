#!/usr/bin/env bash
# Builds lwsws (the libwebsockets web server, which Debian does not ship) from
# Debian's own libwebsockets source package into build/lwsws-prefix, once.
# Later runs reuse that prefix. Progress goes to stderr; the last (and only)
# stdout line is the absolute prefix path, so callers can do
#   prefix=$(lws-conf/build-lwsws.sh | tail -n 1)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src_parent="$root/build/lwsws-src"
prefix="$root/build/lwsws-prefix"
stamp="$prefix/.gqlws-lwsws-built"

# Debian-aligned flags: Debian's own
# feature flags plus lwsws, so the private lib exports what Debian's does.
# DISABLE_WERROR: lws adds -Werror and OpenSSL 3 deprecations would fail it.
cmake_flags=(
	-DCMAKE_BUILD_TYPE=Release
	-DCMAKE_INSTALL_PREFIX="$prefix"
	-DCMAKE_INSTALL_RPATH="$prefix/lib"
	-DLWS_WITH_LWSWS=ON
	-DLWS_WITHOUT_TESTAPPS=ON
	-DLWS_WITH_MINIMAL_EXAMPLES=OFF
	-DDISABLE_WERROR=ON
	-DLWS_IPV6=ON
	-DLWS_UNIX_SOCK=ON
	-DLWS_WITH_ZLIB=ON
	-DLWS_WITHOUT_EXTENSIONS=OFF
	-DLWS_WITHOUT_DAEMONIZE=OFF
	# lws would stamp its version with `git describe` of the enclosing
	# checkout (ours), which says nothing about lws; Debian builds without git.
	-DCMAKE_DISABLE_FIND_PACKAGE_Git=ON
)

say() { echo "build-lwsws: $*" >&2; }
fail() {
	echo "build-lwsws: error: $*" >&2
	exit 1
}

# The stamp records the flags, so changing them here forces a rebuild.
stamp_text="flags: ${cmake_flags[*]}"
# A prefix that is a symlink to another checkout's build (as the helpers'
# worktrees share one) was built for the path it really lives at: its flags
# name that path, and so does its RPATH, which is what must stay right.
# Comparing with our own path only would rebuild it at every first start
# (from start-lwsws.sh, inside a test's time limit) for no change at all.
real_prefix=$(readlink -f "$prefix" 2>/dev/null || echo "$prefix")
real_stamp_text="flags: ${cmake_flags[*]//"$prefix"/"$real_prefix"}"

mkdir -p "$root/build"
# Two callers at once (README's command and the tests) must not both build.
exec 9>"$root/build/lwsws.lock"
flock 9

if [ -x "$prefix/bin/lwsws" ] && [ -f "$stamp" ] &&
	{ [ "$(cat "$stamp")" = "$stamp_text" ] || [ "$(cat "$stamp")" = "$real_stamp_text" ]; }; then
	say "reusing $prefix"
	echo "$prefix"
	exit 0
fi

log="$src_parent/build.log"
mkdir -p "$src_parent"
: >"$log"
run_logged() {
	local what=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		tail -n 25 "$log" >&2
		fail "$what failed; full log: $log"
	fi
}

find_source_dir() {
	local d
	for d in "$src_parent"/libwebsockets-*/; do
		if [ -f "$d/CMakeLists.txt" ]; then
			echo "${d%/}"
			return 0
		fi
	done
	return 1
}

if ! src=$(find_source_dir); then
	command -v dpkg-source >/dev/null ||
		fail "dpkg-source is missing: run lws-conf/install-deps.sh first"
	say "fetching Debian's libwebsockets source package"
	if ! (cd "$src_parent" && apt-get source -qq libwebsockets) >>"$log" 2>&1; then
		tail -n 10 "$log" >&2
		fail "'apt-get source libwebsockets' failed; run lws-conf/install-deps.sh first (it enables deb-src and runs apt-get update)"
	fi
	src=$(find_source_dir) || fail "no libwebsockets-*/ source tree under $src_parent after apt-get source"
fi
say "source: $src"

build_dir="$src_parent/build"
say "configuring (about 30 s)"
rm -rf "$build_dir"
run_logged "cmake configure" cmake -S "$src" -B "$build_dir" "${cmake_flags[@]}"
say "compiling (about 1 min on 2 cores)"
run_logged "make" make -C "$build_dir" -j"$(nproc)"
say "installing into $prefix"
rm -rf "$prefix"
run_logged "make install" make -C "$build_dir" install
[ -x "$prefix/bin/lwsws" ] || fail "make install left no $prefix/bin/lwsws"

# Prove the result serves: a throwaway config with one static file, served on
# a free loopback port, fetched over plain HTTP.
verify() {
	local tmp port pid i reply ok=0
	tmp=$(mktemp -d /tmp/build-lwsws-verify.XXXXXX)
	mkdir -p "$tmp/conf.d" "$tmp/www"
	echo "lwsws-build-ok" >"$tmp/www/index.html"
	port=""
	for i in $(seq 7790 7799); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$i") 2>/dev/null; then
			port=$i
			break
		fi
	done
	[ -n "$port" ] || fail "verification: no free port in 7790-7799"
	cat >"$tmp/conf" <<-EOF
		{ "global": { "server-string": "lwsws-verify", "count-threads": "1", "init-ssl": "no" } }
	EOF
	cat >"$tmp/conf.d/verify" <<-EOF
		{ "vhosts": [{ "name": "localhost", "port": "$port", "interface": "127.0.0.1",
		  "mounts": [{ "mountpoint": "/", "origin": "file://$tmp/www", "default": "index.html" }] }] }
	EOF
	# setsid: lwsws's root process forks a service child; signalling the
	# whole group with SIGINT is what stops both cleanly.
	setsid "$prefix/bin/lwsws" -n -c "$tmp" -d 1 >"$tmp/lwsws.log" 2>&1 &
	pid=$!
	for i in $(seq 1 50); do
		if reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
			printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 &&
			timeout 2 cat <&3) 2>/dev/null) && [[ "$reply" == *lwsws-build-ok* ]]; then
			ok=1
			break
		fi
		sleep 0.1
	done
	kill -INT -- "-$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [ "$ok" -ne 1 ]; then
		cat "$tmp/lwsws.log" >&2
		rm -rf "$tmp"
		fail "verification: the new lwsws did not serve a static file on port $port (log above)"
	fi
	rm -rf "$tmp"
	say "verified: lwsws serves HTTP on a throwaway config"
}
verify

echo "$stamp_text" >"$stamp"
echo "$prefix"
