#!/usr/bin/env bash
# A short smoke run of the load generator, so it cannot rot: a few connections
# for about 3 seconds against a server binary, over both subprotocols and the
# three kinds of load (fan-out, stream, churn), then W5 for 2 more seconds: a
# second server on the schema executor with W5's SDL, events published by
# HTTP to four selections over both subprotocols, then W6 for 1 more second
# when redis-server is installed and the server has the Redis transport: two
# servers on a throw-away redis-server, a publish-only load generator on the
# first, 8 subscribers on each. Exits non-zero if the load generator or a
# server fails, or if any connection, message or publish went wrong.
#
#   tests/bench/smoke.sh [SERVER]     default: $GQLWS_HOST, else build/tests/host/gqlws-host
#
# SERVER takes gqlws-host's options (--port, --interface, --executor, --set);
# gqlws-floor is also accepted. The load generator is $GQLWS_LOADGEN, else
# found in build/, else built into build/bench-load. Ports: $GQLWS_SMOKE_PORT
# (default 7890) and the next four (W5; W6's two servers and redis-server).
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
if [ -z "$loadgen" ] && [ -x "$root/build/tests/bench/load/gqlws-loadgen" ]; then
	loadgen=$root/build/tests/bench/load/gqlws-loadgen
fi
if [ -z "$loadgen" ]; then
	# Built (or brought up to date: an older one lacks W5's options) every time.
	cmake -S "$root/tests/bench/load" -B "$root/build/bench-load" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$root/build/bench-load" --target gqlws-loadgen >/dev/null
	loadgen=$root/build/bench-load/gqlws-loadgen
fi
[ -x "$loadgen" ] || fail "no load generator"

logs=()
pids=()
stop() {
	local pid i
	for pid in "${pids[@]+"${pids[@]}"}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -INT "$pid" 2>/dev/null || true
			for i in $(seq 1 40); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.05
			done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	rm -f "${logs[@]+"${logs[@]}"}"
}
trap stop EXIT

# start PORT ARGS...: the server on PORT (gqlws-floor ignores ARGS), waits
# until it says it is listening; sets pid and log.
start() {
	local at=$1
	shift
	log=$(mktemp)
	logs+=("$log")
	if [ "$(basename "$server")" = gqlws-floor ]; then
		"$server" --port "$at" --tick-ms 100 >"$log" 2>&1 &
	else
		"$server" --port "$at" --interface 127.0.0.1 "$@" >"$log" 2>&1 &
	fi
	pid=$!
	pids+=("$pid")
	for _ in $(seq 1 100); do
		grep -q 'listening' "$log" && break
		kill -0 "$pid" 2>/dev/null || fail "server exited: $(cat "$log")"
		sleep 0.05
	done
	grep -q 'listening' "$log" || fail "server did not say it was listening: $(cat "$log")"
}

start "$port" --executor demo --set tick-ms=100
url="ws://127.0.0.1:$port/"
common=(--url "$url" --server-pid "$pid" --warmup 0.2 --ramp-timeout 5 --sources 2)
failures=0
line=
run() {
	local what=$1 rc=0
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

# W5: the schema executor's hub, fed by HTTP publishes (a fresh token).
w5_port=$((port + 1))
token=smoke-$$-$RANDOM
start "$w5_port" --executor schema --set "schema-file=$root/tests/bench/w5/schema.graphql" \
	--set "publish-token=$token"
common=(--url "ws://127.0.0.1:$w5_port/" --server-pid "$pid" --warmup 0.2 --ramp-timeout 5 --sources 2
	--publish "http://127.0.0.1:$w5_port/publish/bench" --publish-token "$token" --publish-ms 50
	--publish-event '{"seq":$seq,"at":$at,"symbol":"GQLW","price":101.25,"volume":1200}'
	--query 'subscription { bench { seq at } }' --query 'subscription { bench { at price } }'
	--query 'subscription { bench { seq at symbol price } }'
	--query 'subscription { bench { at symbol price volume } }')
for proto in graphql-transport-ws graphql-ws; do
	run "W5 topic fan-out $proto" --protocol "$proto" --connections 8 --duration 1
	# Every event reaches all 8 (the hub says so in each 202, and the
	# deliveries keep up with the publishes, give or take the window's edges).
	events=$(sed -n 's/.*"events_in_window":\([0-9]*\).*/\1/p' <<<"$line")
	delivered=$(sed -n 's/.*"messages":\([0-9]*\).*/\1/p' <<<"$line")
	if [ -z "$events" ] || [ -z "$delivered" ] || [ "$delivered" -lt $(((events - 4) * 8)) ] ||
		{ [ "$(basename "$server")" != gqlws-floor ] && [[ "$line" != *'"subscribers_max":8'* ]]; }; then
		echo "bench smoke: W5 $proto: $delivered deliveries of $events events to 8 subscribers" >&2
		failures=$((failures + 1))
	fi
done
kill -0 "$pid" 2>/dev/null || fail "the W5 server died under load: $(cat "$log")"
[ $failures -eq 0 ] || fail "$failures of 5 runs went wrong"

# W6: two servers share a throw-away redis-server; events published on the
# first reach the subscribers of both, only through Redis.
w6_base=$((port + 2))
if [ "$(basename "$server")" = gqlws-floor ]; then
	echo "bench smoke: W6 not run: gqlws-floor has no Redis transport"
elif ! command -v redis-server >/dev/null; then
	echo "bench smoke: W6 not run: redis-server is not installed (apt-get install redis-server)"
elif grep -q 'built without Redis support' "$server"; then
	# The message of a plugin built without hiredis, linked into the host.
	echo "bench smoke: W6 not run: $(basename "$server") was built without Redis support (libhiredis-dev)"
else
	redis_port=$((w6_base + 2))
	redis_dir=$(mktemp -d)
	redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" \
		>"$redis_dir/log" 2>&1 &
	pids+=("$!")
	for _ in $(seq 1 100); do
		redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
		sleep 0.05
	done
	w6_pids=()
	for i in 0 1; do
		start $((w6_base + i)) --executor schema --set "schema-file=$root/tests/bench/w5/schema.graphql" \
			--set "publish-token=$token" --set "redis=redis://127.0.0.1:$redis_port"
		w6_pids+=("$pid")
	done
	"$loadgen" --url "ws://127.0.0.1:$w6_base/" --connections 0 --warmup 0 --duration 60 --quiet \
		--publish "http://127.0.0.1:$w6_base/publish/bench" --publish-token "$token" --publish-ms 50 \
		--publish-event '{"seq":$seq,"at":$at,"symbol":"GQLW","price":101.25,"volume":1200}' \
		>"$redis_dir/publisher" &
	publisher=$!
	for i in 0 1; do
		common=(--url "ws://127.0.0.1:$((w6_base + i))/" --server-pid "${w6_pids[$i]}" --warmup 0.2
			--ramp-timeout 5 --sources 2 --query 'subscription { bench { seq at } }'
			--query 'subscription { bench { at symbol price volume } }')
		"$loadgen" "${common[@]}" --protocol graphql-transport-ws --connections 8 --duration 1 \
			>"$redis_dir/node$i" &
		eval "subscriber$i=\$!"
	done
	for i in 0 1; do
		rc=0
		eval "wait \$subscriber$i" || rc=$?
		line=$(cat "$redis_dir/node$i")
		echo "bench smoke: W6 node $i: $line"
		# 20 events a second to 8 subscribers: at least half of that in the window.
		delivered=$(sed -n 's/.*"messages":\([0-9]*\).*/\1/p' <<<"$line")
		if [ $rc -ne 0 ] || [ -z "$delivered" ] || [ "$delivered" -lt 80 ]; then
			echo "bench smoke: W6 node $i: exit $rc, ${delivered:-no} deliveries (80 expected at least)" >&2
			failures=$((failures + 1))
		fi
	done
	kill -TERM "$publisher"
	rc=0
	wait "$publisher" || rc=$?
	line=$(cat "$redis_dir/publisher")
	echo "bench smoke: W6 publisher: $line"
	if [ $rc -ne 0 ] || [[ "$line" != *'"errors":0,'* ]]; then
		echo "bench smoke: W6 publisher: exit $rc" >&2
		failures=$((failures + 1))
	fi
	for i in 0 1; do
		kill -0 "${w6_pids[$i]}" 2>/dev/null || fail "W6 server $i died: $(cat "${logs[-1]}")"
	done
	rm -rf "$redis_dir"
	[ $failures -eq 0 ] || fail "W6 went wrong"
fi
echo "bench smoke: OK"
