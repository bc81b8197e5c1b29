#!/usr/bin/env bash
# The soak: hostile clients (tests/soak/soak.c) for SECONDS against each
# server target, loopback only, then the verdicts: the server is alive, its
# open descriptors and resident memory came back near the baseline, it still
# answers `query { hello }` on both subprotocols, and it exits cleanly on
# SIGINT (no sanitizer report). Stops by itself; see tests/soak/README.md.
#
#   tests/soak/run.sh [SECONDS] [TARGET...]     default: 60 s, host lwsws
#
# Targets: host (build/tests/host/gqlws-host or $GQLWS_HOST_BIN), host-asan
# (build-asan/tests/host/gqlws-host or $GQLWS_HOST_ASAN_BIN; RSS is reported, not
# judged: ASan keeps freed memory in quarantine), lwsws (lws-conf/start-lwsws.sh
# with the plugin of build/ and lwsws of build/lwsws-prefix).
# Environment: GQLWS_SOAK_PORT (first port, default 7880; one per target),
# GQLWS_SOAK_ARGS (more gqlws-soak options: rates, slots, thresholds such as
# --rss-slack-kib 8192 --rss-slack-pct 25 --fd-slack 0), GQLWS_SOAK_SERVER_OPTS
# (server options name=value ..., e.g. "max-message-bytes=2097152").
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(host lwsws)
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] || {
	echo "usage: $0 [SECONDS] [host|host-asan|lwsws ...]" >&2
	exit 2
}
port_base=${GQLWS_SOAK_PORT:-7880}
read -r -a soak_args <<<"${GQLWS_SOAK_ARGS:-}"
read -r -a server_opts <<<"${GQLWS_SOAK_SERVER_OPTS:-}"
host_bin=${GQLWS_HOST_BIN:-$root/build/tests/host/gqlws-host}
asan_bin=${GQLWS_HOST_ASAN_BIN:-$root/build-asan/tests/host/gqlws-host}
# What a sanitizer prints when it finds something (as tests/e2e/lib/server.mjs).
sanitizer_re='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer'

say() { echo "soak: $*"; }
fail() {
	echo "soak: error: $*" >&2
	exit 1
}

passed=0
failed=0
summary=()

# verdict TARGET NAME ok|FAILED DETAIL
verdict() {
	echo "check: $1 $2 $3${4:+: $4}"
	if [ "$3" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# ------------------------------------------------------------- builds
soak_bin=$root/build/soak/gqlws-soak
say "building gqlws-soak (build/soak)"
cmake -S "$root/tests/soak" -B "$root/build/soak" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build/soak" -j2 >/dev/null

for t in "${targets[@]}"; do
	case $t in
	host) [ -x "$host_bin" ] || fail "no $host_bin: build first (cmake -S . -B build && cmake --build build)" ;;
	host-asan) [ -x "$asan_bin" ] || fail "no $asan_bin: build first (cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGQLWS_SANITIZE=ON && cmake --build build-asan)" ;;
	lwsws)
		[ -f "$root/build/plugin/libprotocol_lws_graphql_ws.so" ] || fail "no plugin in build/plugin: build first"
		[ -x "$root/build/lwsws-prefix/bin/lwsws" ] || fail "no build/lwsws-prefix/bin/lwsws: run lws-conf/build-lwsws.sh"
		;;
	*) fail "unknown target '$t' (known: host, host-asan, lwsws)" ;;
	esac
done

tmp=$(mktemp -d /tmp/gqlws-soak.XXXXXX)
server_pid=     # the process that serves (lwsws: the service child)
host_job=       # host targets: our background job
lwsws_dir=      # lwsws: start-lwsws.sh's run directory
stopped=        # how the last server stopped: 0, or what went wrong
cleanup() {
	if [ -n "$host_job" ] && kill -0 "$host_job" 2>/dev/null; then
		kill -KILL "$host_job" 2>/dev/null || true
	fi
	if [ -n "$lwsws_dir" ]; then
		"$root/lws-conf/stop-lwsws.sh" "$lwsws_dir" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ servers
start_host() {
	local bin=$1 port=$2 log=$3 opt
	local args=(--port "$port" --interface 127.0.0.1 --executor demo)
	for opt in "${server_opts[@]+"${server_opts[@]}"}"; do
		args+=(--set "$opt")
	done
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=66} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" "${args[@]}" >"$log" 2>&1 &
	host_job=$!
	for _ in $(seq 1 200); do
		grep -q "listening on ws://127.0.0.1:$port/" "$log" 2>/dev/null && break
		kill -0 "$host_job" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "listening on ws://127.0.0.1:$port/" "$log" || {
		cat "$log" >&2
		return 1
	}
	server_pid=$host_job
}

# Stops the host with SIGINT; sets stopped to its exit status, or to what
# went wrong.
stop_host() {
	local rc=0
	kill -INT "$host_job" 2>/dev/null || true
	for _ in $(seq 1 300); do
		kill -0 "$host_job" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$host_job" 2>/dev/null; then
		kill -KILL "$host_job" 2>/dev/null || true
		wait "$host_job" 2>/dev/null || true
		host_job=
		stopped="still running 15 s after SIGINT (killed)"
		return
	fi
	wait "$host_job" || rc=$?
	host_job=
	stopped=$rc
	[ "$rc" = 0 ] || stopped="exit status $rc"
}

start_lwsws() {
	local port=$1 log=$2 out root_pid
	# executor=demo as for the host (start-lwsws.sh with no options would
	# serve the conf's own example schema); server_opts may name another.
	out=$(LWSWS_PREFIX=$root/build/lwsws-prefix "$root/lws-conf/start-lwsws.sh" \
		--dir "$tmp/lwsws" "$port" executor=demo "${server_opts[@]+"${server_opts[@]}"}" 2>>"$log") || {
		cat "$log" >&2
		return 1
	}
	lwsws_dir=$(sed -n 's/^LWSWS_DIR=//p' <<<"$out")
	root_pid=$(sed -n 's/^LWSWS_PID=//p' <<<"$out")
	# lwsws's root forks the process that serves; that one is sampled.
	server_pid=
	for _ in $(seq 1 100); do
		server_pid=$(pgrep -P "$root_pid" -x lwsws | head -n 1 || true)
		[ -n "$server_pid" ] && break
		sleep 0.05
	done
	[ -n "$server_pid" ] || {
		echo "lwsws $root_pid has no service child" >&2
		return 1
	}
}

# Stops lwsws with stop-lwsws.sh (SIGINT to its group); sets stopped to 0
# when it stopped by itself, else to what went wrong.
stop_lwsws() {
	local err
	err=$("$root/lws-conf/stop-lwsws.sh" "$lwsws_dir" 2>&1 >/dev/null) || {
		stopped="stop-lwsws.sh failed: $err"
		return
	}
	lwsws_dir=
	if grep -q 'killing it' <<<"$err"; then
		stopped="ignored SIGINT (killed)"
	elif kill -0 "$server_pid" 2>/dev/null; then
		stopped="the service child is still running"
	else
		stopped=0
	fi
}

# ------------------------------------------------------------ one target
soak_target() {
	local target=$1 port=$2 log="$tmp/$1.server.log" out="$tmp/$1.soak.out"
	local rc=0 line name figures extra=()
	echo
	say "==== $target: port $port, $seconds s of hostile clients"
	case $target in
	host) start_host "$host_bin" "$port" "$log" || { verdict "$target" server-started FAILED "see above"; return; } ;;
	host-asan)
		start_host "$asan_bin" "$port" "$log" || { verdict "$target" server-started FAILED "see above"; return; }
		extra=(--rss-informational) ;;
	lwsws) start_lwsws "$port" "$log" || { verdict "$target" server-started FAILED "see above"; return; } ;;
	esac
	say "$target: serving process $server_pid"
	# A normal client first: it proves the server works and warms it up,
	# so the baseline includes what the first connection allocates.
	"$soak_bin" --port "$port" --check >"$out" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		cat "$out"
		verdict "$target" answers-before FAILED "a normal client failed before the soak"
	fi
	sleep 1
	rc=0
	timeout -s KILL $((seconds + 120)) "$soak_bin" --port "$port" --server-pid "$server_pid" \
		--duration "$seconds" "${extra[@]+"${extra[@]}"}" "${soak_args[@]+"${soak_args[@]}"}" >"$out" 2>&1 || rc=$?
	grep -v '^check: \|^figures: ' "$out" || true
	while IFS= read -r line; do
		line=${line#check: }
		name=${line%% *}
		line=${line#"$name" }
		case $line in
		ok*) verdict "$target" "$name" ok "${line#ok: }" ;;
		FAILED*) verdict "$target" "$name" FAILED "${line#FAILED: }" ;;
		*) echo "check: $target $name $line" ;;
		esac
	done < <(grep '^check: ' "$out")
	figures=$(sed -n 's/^figures: //p' "$out")
	[ -n "$figures" ] || verdict "$target" soak-ran FAILED "gqlws-soak exited $rc with no figures"

	if kill -0 "$server_pid" 2>/dev/null; then
		verdict "$target" server-alive ok "pid $server_pid"
	else
		verdict "$target" server-alive FAILED "pid $server_pid is gone"
	fi
	"$soak_bin" --port "$port" --check >"$out" 2>&1 || true
	while IFS= read -r line; do
		line=${line#check: }
		name=${line%% *}
		line=${line#"$name" }
		case $line in
		ok*) verdict "$target" "$name-after" ok "${line#ok: }" ;;
		*) verdict "$target" "$name-after" FAILED "${line#FAILED: }" ;;
		esac
	done < <(grep '^check: ' "$out")
	grep -q '^check: ' "$out" || verdict "$target" hello-after FAILED "$(head -c 300 "$out")"

	case $target in
	host | host-asan) stop_host ;;
	lwsws) stop_lwsws; cat "$tmp/lwsws/lwsws.log" >>"$log" 2>/dev/null || true ;;
	esac
	if [ "$stopped" = 0 ]; then
		verdict "$target" clean-exit ok "stopped by SIGINT, exit 0"
	else
		verdict "$target" clean-exit FAILED "on SIGINT: $stopped"
	fi
	if grep -Eq "$sanitizer_re" "$log"; then
		grep -E -m 5 -A 20 "$sanitizer_re" "$log" >&2
		verdict "$target" no-sanitizer-report FAILED "see above"
	else
		verdict "$target" no-sanitizer-report ok "$( [ "$target" = host-asan ] && echo "ASan+UBSan build" || echo "log scanned")"
	fi
	summary+=("$target $figures")
}

settled_text() { [ "$1" = never ] && echo never || echo "$1 s"; }

i=0
for t in "${targets[@]}"; do
	soak_target "$t" $((port_base + i))
	i=$((i + 1))
done

echo
say "==== summary: $seconds s per target (RSS in KiB of the serving process: baseline / peak / after)"
printf '%-10s %9s %7s %10s %10s %28s %14s %9s\n' target cycles per-s "conns-peak" "server-CPU" "RSS base/peak/after" "fds b/p/a" "back in"
for row in "${summary[@]+"${summary[@]}"}"; do
	read -r target rest <<<"$row"
	declare -A f=()
	for kv in $rest; do f[${kv%%=*}]=${kv#*=}; done
	printf '%-10s %9s %7.0f %10s %10s %28s %14s %9s\n' "$target" "${f[cycles]:-?}" \
		"$(awk -v c="${f[cycles]:-0}" -v s="${f[seconds]:-1}" 'BEGIN { print c / (s > 0 ? s : 1) }')" \
		"${f[open_peak]:-?}" "${f[cpu_pct]:-?}%" "${f[rss_kib]:-?}" "${f[fds]:-?}" "$(settled_text "${f[settled_s]:-?}")"
	unset f
done
echo "soak: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
