#!/usr/bin/env bash
# README's main command: installs what is needed, builds the plugin and lwsws,
# and runs lwsws on lws-conf/conf + conf.d/graphql (127.0.0.1:7681: the
# example schema lws-conf/schema/example.graphql, the demo page, /publish and
# /metrics) with lws-conf/feed.sh publishing prices, until Ctrl-C, which
# stops everything this script started. It prints the publish token that
# start-lwsws.sh generated for this run.
#
#   lws-conf/run.sh [--no-deps] [--port N]
#
# --no-deps skips lws-conf/install-deps.sh (it needs root and the network).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build"
run_dir="$build/lwsws-run"
port=7681
deps=1

while [ $# -gt 0 ]; do
	case "$1" in
	--no-deps) deps=0; shift ;;
	--port) [ $# -ge 2 ] || { echo "usage: $0 [--no-deps] [--port N]" >&2; exit 2; }; port=$2; shift 2 ;;
	*) echo "usage: $0 [--no-deps] [--port N]" >&2; exit 2 ;;
	esac
done

say() { echo "run: $*" >&2; }

if [ "$deps" -eq 1 ]; then
	say "installing dependencies (lws-conf/install-deps.sh)"
	"$root/lws-conf/install-deps.sh"
fi

say "building the plugin into $build"
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" --target protocol_lws_graphql_ws -j"$(nproc)"

say "building lwsws (once; reused afterwards)"
prefix=$("$root/lws-conf/build-lwsws.sh" | tail -n 1)

# Stop a copy this script left running earlier (same run directory).
if [ -f "$run_dir/pgid" ]; then
	"$root/lws-conf/stop-lwsws.sh" "$run_dir" || true
fi

stopped=0
tail_pid=""
feed_pgid=""
stop() {
	[ "$stopped" -eq 1 ] && return
	stopped=1
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
	# (before setsid has run, the group is not there yet: the pid is)
	[ -n "$feed_pgid" ] && { kill -- "-$feed_pgid" 2>/dev/null || kill "$feed_pgid" 2>/dev/null || true; }
	if [ -f "$run_dir/pgid" ]; then
		say "stopping lwsws"
		"$root/lws-conf/stop-lwsws.sh" "$run_dir" || true
	fi
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

started=$(LWSWS_PREFIX="$prefix" "$root/lws-conf/start-lwsws.sh" --dir "$run_dir" --build-dir "$build" "$port") ||
	{ say "lwsws did not start (see above)"; exit 1; }
eval "$started"
token=$(head -n 1 "$LWSWS_TOKEN_FILE")

# The publisher in a group of its own (setsid runs in place: its group id is
# its pid), so that stopping it also stops the curl or sleep it is waiting on.
setsid "$root/lws-conf/feed.sh" "http://127.0.0.1:$port" "$LWSWS_TOKEN_FILE" </dev/null &
feed_pgid=$!

cat <<EOF

  Demo page:         http://127.0.0.1:$port/
  GraphQL endpoint:  ws://127.0.0.1:$port/  (subprotocols graphql-transport-ws and graphql-ws)
  Schema:            $root/lws-conf/schema/example.graphql
  Publish token:     $token   (new at every start; in $LWSWS_TOKEN_FILE)
  Publish an event:  curl -H "Authorization: Bearer $token" \\
                       -d '{"symbol":"AAPL","price":123.45}' http://127.0.0.1:$port/publish/stock.AAPL
  Metrics:           curl http://127.0.0.1:$port/metrics
  lwsws log:         $LWSWS_LOG

  lws-conf/feed.sh publishes prices of AAPL, MSFT, GOOG and AMZN every second.
  Press Ctrl-C to stop.

EOF

# lwsws runs in its own session (so the terminal's Ctrl-C reaches only this
# script, which then stops the whole lwsws group in order); follow its log
# and notice if it dies by itself.
tail -n 0 -f "$LWSWS_LOG" &
tail_pid=$!
while kill -0 -- "-$LWSWS_PGID" 2>/dev/null; do
	sleep 1
done
say "lwsws exited by itself (log: $LWSWS_LOG)"
exit 1
