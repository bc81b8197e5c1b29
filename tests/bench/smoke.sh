#!/usr/bin/env bash
# A short smoke run of the load generator, so it cannot rot: a few connections
# for about 3 seconds against a server binary, over both subprotocols and the
# three kinds of load (fan-out, stream, churn). Exits non-zero if the load
# generator or the server fails, or if any connection or message went wrong.
#
#   tests/bench/smoke.sh [SERVER]     default: $GQLWS_HOST, else build/tests/host/gqlws-host
#
# SERVER takes gqlws-host's options (--port, --interface, --executor, --set);
# gqlws-floor is also accepted. The load generator is $GQLWS_LOADGEN, else
# found in build/, else built into build/bench-load. Port: $GQLWS_SMOKE_PORT
# (default 7890).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
server=${1:-${GQLWS_HOST:-$root/build/tests/host/gqlws-host}}
port=${GQLWS_SMOKE_PORT:-7890}

fail() {
	echo "bench smoke: FAIL: $*" >&2
	exit 1
}

[ -x "$server" ] || fail "no server binary at $server"

loadgen=${GQLWS_LOADGEN:-}
if [ -z "$loadgen" ]; then
	for candidate in "$root/build/tests/bench/load/gqlws-loadgen" "$root/build/bench-load/gqlws-loadgen"; do
		if [ -x "$candidate" ]; then
			loadgen=$candidate
			break
		fi
	done
fi
if [ -z "$loadgen" ]; then
	cmake -S "$root/tests/bench/load" -B "$root/build/bench-load" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$root/build/bench-load" --target gqlws-loadgen >/dev/null
	loadgen=$root/build/bench-load/gqlws-loadgen
fi
[ -x "$loadgen" ] || fail "no load generator"

log=$(mktemp)
if [ "$(basename "$server")" = gqlws-floor ]; then
	"$server" --port "$port" --tick-ms 100 >"$log" 2>&1 &
else
	"$server" --port "$port" --interface 127.0.0.1 --executor demo --set tick-ms=100 >"$log" 2>&1 &
fi
pid=$!
stop() {
	if kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid" 2>/dev/null || true
		for _ in $(seq 1 40); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$log"
}
trap stop EXIT

for _ in $(seq 1 100); do
	grep -q 'listening' "$log" && break
	kill -0 "$pid" 2>/dev/null || fail "server exited: $(cat "$log")"
	sleep 0.05
done
grep -q 'listening' "$log" || fail "server did not say it was listening: $(cat "$log")"

url="ws://127.0.0.1:$port/"
common=(--url "$url" --server-pid "$pid" --warmup 0.2 --ramp-timeout 5 --sources 2)
failures=0
run() {
	local what=$1 line rc=0
	shift
	line=$("$loadgen" "${common[@]}" "$@") || rc=$?
	echo "bench smoke: $what: $line"
	if [ $rc -ne 0 ]; then
		echo "bench smoke: $what: load generator exited $rc" >&2
		failures=$((failures + 1))
	fi
}

run "fan-out graphql-transport-ws" --protocol graphql-transport-ws --connections 4 --duration 1 \
	--query 'subscription { ticks { seq at } }'
run "stream graphql-ws" --protocol graphql-ws --connections 2 --ops 2 --duration 1 \
	--query 'subscription { counter(intervalMs: 0, limit: 500) { value at } }'
run "churn graphql-transport-ws" --protocol graphql-transport-ws --connections 2 --duration 1 \
	--mode churn --query 'subscription { counter(intervalMs: 0, limit: 1) { value at } }'

kill -0 "$pid" 2>/dev/null || fail "the server died under load: $(cat "$log")"
[ $failures -eq 0 ] || fail "$failures of 3 runs went wrong"
echo "bench smoke: OK"
