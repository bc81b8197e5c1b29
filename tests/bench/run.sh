#!/usr/bin/env bash
# The benchmark suite in one command: builds what it needs, runs the four
# workloads against our server (embedding host and lwsws), the lws floor (poll
# and libuv loops) and the two Node peers, alternating servers within each
# workload, then prints the table and writes the results JSON and the chart to
# tests/bench/results/.
#
#   tests/bench/run.sh            the full suite (about 8 minutes on 2 cores)
#   tests/bench/run.sh --quick    100/1,000 subscribers, 2 s windows: a try-out
#
# Environment: BENCH_SERVERS (space-separated subset of: ours-host ours-lwsws
# floor-poll floor-uv node-sts node-graphql-ws), BENCH_WORKLOADS (subset of
# W1 W2 W3 HOLD W5; W4 comes from the W1 runs; W5, topic fan-out through the
# hub, is not in the default set: BENCH_WORKLOADS=W5 runs it with the W1 runs
# it is compared with), BENCH_REPS (rounds, default 1;
# the median is kept), BENCH_DURATION (measured seconds per run), BENCH_HOLD_S
# (HOLD: our servers keep 10,000 subscribed connections this long, default
# 60), BENCH_OUT (results folder), BENCH_MERGE (raw .jsonl files of earlier
# runs to include in the report), BENCH_SYSCALLS_S (after each measured
# window, the server's system calls are counted this many more seconds,
# default 2; 0: not counted), BENCH_SYSCALL_TOOL (perf or strace; default:
# perf when its syscall tracepoints work here, else strace, installed if
# missing), BENCH_PORT_BASE (first of the six ports, default 7801),
# BENCH_W5_N (W5's subscribers, default 10,000; --quick 1,000),
# BENCH_OURS_OPTIONS (name=value plugin options for our two servers,
# space-separated), BENCH_W6_N (W6: subscribers on each of the two nodes,
# default 5,000; --quick 500), BENCH_W6_SERVERS (W6's servers, within
# BENCH_SERVERS; default ours-host ours-lwsws node-graphql-ws of them: the
# floors have no Redis). W6 (two nodes on one Redis) is not in the default
# set: BENCH_WORKLOADS=W6. Sourced (tests/bench/overload.sh), it only defines
# its functions.
# Ports 7801-7806 by default (BENCH_PORT_BASE + 0..5); W6 also uses
# BENCH_PORT_BASE + 10..15 (its second nodes) and + 20 (its redis-server).
# Not a test, not run by CI: see tests/bench/smoke.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench="$root/tests/bench"
out=${BENCH_OUT:-$bench/results}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

servers=${BENCH_SERVERS:-"floor-poll ours-host floor-uv ours-lwsws node-sts node-graphql-ws"}
workloads=${BENCH_WORKLOADS:-"W1 W2 W3 HOLD"}
hold_s=${BENCH_HOLD_S:-60}
reps=${BENCH_REPS:-1}
syscalls_s=${BENCH_SYSCALLS_S:-2}
syscall_tool=${BENCH_SYSCALL_TOOL:-}
if [ $quick = 1 ]; then
	duration=${BENCH_DURATION:-2}
	w1_sizes="100 1000"
	w5_n=${BENCH_W5_N:-1000}
	w6_n=${BENCH_W6_N:-500}
	hold_n=1000
	hold_s=${BENCH_HOLD_S:-5}
else
	duration=${BENCH_DURATION:-5}
	w1_sizes="1000 10000"
	w5_n=${BENCH_W5_N:-10000}
	w6_n=${BENCH_W6_N:-5000}
	hold_n=10000
fi
# W1 ticks so that every size delivers about 10,000 messages a second, a rate
# every server measured here sustains on this machine, so CPU per message and
# latency are compared at equal load.
w1_tick_ms() { echo $(($1 / 10)); }
# W5: one topic, four selections taken in turn by the connections, one event
# published every w1_tick_ms(N) ms: the same delivered rate as W1 at N, so
# the two compare at equal load. The event is Tick of tests/bench/w5/schema.graphql.
w5_queries=(
	'subscription { bench { seq at } }'
	'subscription { bench { at price } }'
	'subscription { bench { seq at symbol price } }'
	'subscription { bench { at symbol price volume } }'
)
w5_event='{"seq":$seq,"at":$at,"symbol":"GQLW","price":101.25,"volume":1200}'
w5_topic=bench
# W6: W5's topic, selections and event on two nodes sharing one Redis, N
# subscribers on each, one event published on node a every w1_tick_ms(N) ms:
# each node delivers what W5 delivers at N, the figure it is compared with.
# Its servers: BENCH_W6_SERVERS, default those of BENCH_SERVERS that have a
# Redis transport (ours-host ours-lwsws node-graphql-ws; node-sts on request).
w6_servers=${BENCH_W6_SERVERS:-}
if [ -z "$w6_servers" ]; then
	for s6 in ours-host ours-lwsws node-graphql-ws; do
		[[ " $servers " == *" $s6 "* ]] && w6_servers+="$s6 "
	done
fi
w2_connections=100
w2_limit=100000
w3_connections=32

say() { echo "bench: $*" >&2; }
fail() {
	echo "bench: error: $*" >&2
	exit 1
}

# ------------------------------------------------------------------ builds
need_tools() {
	command -v cmake >/dev/null || fail "cmake missing"
	command -v node >/dev/null || fail "node missing (apt-get install -y nodejs npm)"
	command -v ss >/dev/null || apt-get install -y iproute2 >/dev/null 2>&1 ||
		fail "ss (iproute2) is needed to find the serving process"
	if ! command -v gnuplot >/dev/null; then
		say "installing gnuplot-nox for the chart"
		apt-get install -y gnuplot-nox >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 && apt-get install -y gnuplot-nox >/dev/null 2>&1; } ||
			say "gnuplot unavailable: no chart"
	fi
	need_syscall_tool
	pkg-config --exists libcrypto libwebsockets ||
		apt-get install -y libssl-dev libwebsockets-dev >/dev/null 2>&1 ||
		fail "libssl-dev and libwebsockets-dev are needed"
}

# Syscalls per message: perf counts the syscall tracepoints at almost no cost
# to the server; strace -c (ptrace) works where perf cannot (no tracepoints,
# or perf_event_paranoid), but slows the server while it counts. Either runs
# only in a window after the measured one (gqlws-loadgen --syscalls).
need_syscall_tool() {
	[ "$syscalls_s" = 0 ] && return 0
	if [ -z "$syscall_tool" ]; then
		if command -v perf >/dev/null && perf stat -e raw_syscalls:sys_enter -- true >/dev/null 2>&1; then
			syscall_tool=perf
		else
			syscall_tool=strace
		fi
	fi
	if [ "$syscall_tool" = strace ] && ! command -v strace >/dev/null; then
		say "installing strace for the syscall counts"
		apt-get install -y strace >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 && apt-get install -y strace >/dev/null 2>&1; } ||
			{ say "strace unavailable: no syscall counts"; syscalls_s=0; }
	fi
	[ "$syscalls_s" = 0 ] || say "counting system calls with $syscall_tool for ${syscalls_s} s after each window"
}

build_all() {
	# The load generator and floor build on their own, optimised, whatever the
	# main build's configuration is.
	say "building gqlws-loadgen and gqlws-floor"
	cmake -S "$bench/load" -B "$root/build/bench-load" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$root/build/bench-load" -j2 >/dev/null
	loadgen="$root/build/bench-load/gqlws-loadgen"
	floor="$root/build/bench-load/gqlws-floor"
	if wants ours-host || wants ours-lwsws; then
		say "building our plugin and gqlws-host (build/)"
		[ -f "$root/build/CMakeCache.txt" ] || cmake -S "$root" -B "$root/build" >/dev/null
		if grep -q '^GQLWS_SANITIZE:BOOL=ON' "$root/build/CMakeCache.txt"; then
			fail "build/ is a sanitizer build: benchmark a normal one"
		fi
		# Others may be mid-edit in a shared checkout: a failed build keeps the
		# binaries already there, and says so.
		cmake --build "$root/build" -j2 --target gqlws-host protocol_lws_graphql_ws \
			>"$root/build/bench-build.log" 2>&1 ||
			say "WARNING: the build failed (build/bench-build.log); measuring the binaries already built"
		host="$root/build/tests/host/gqlws-host"
		[ -x "$host" ] || fail "$host was not built"
	fi
	if wants ours-lwsws; then
		say "building lwsws (once)"
		"$root/lws-conf/build-lwsws.sh" >/dev/null
	fi
	if wants node-sts || wants node-graphql-ws; then
		# Installed again when a pinned version is missing (W5 added one).
		if ! (cd "$bench/peers" && node -e '
			const fs = require("node:fs"); const deps = require("./package.json").dependencies;
			for (const [d, v] of Object.entries(deps))
				if (JSON.parse(fs.readFileSync(`node_modules/${d}/package.json`, "utf8")).version !== v) process.exit(1);
		') 2>/dev/null; then
			say "installing the Node peers (npm ci)"
			(cd "$bench/peers" && npm ci --no-audit --no-fund >/dev/null)
		fi
	fi
}

wants() { [[ " $servers " == *" $1 "* ]]; }

# ------------------------------------------------------------------ servers
# Each server runs in its own process group (setsid) so that stopping it
# stops everything it started; server_pid is the process that serves (for
# lwsws, the forked service child), whose /proc the load generator samples.
# server_mode: "ticks" (the demo schema, W1-W3) or "topics" (W5: ours on the
# schema executor with W5's SDL and a publish token, the peers as
# peers/topic-server.js).
server_mode=ticks
publish_token=
server_pid=
server_pgid=
server_log=

# node_index: 0, or 1 for W6's second node (ports + 10, its own lwsws dir).
node_index=0
redis_url=
port_of() {
	local base=$((${BENCH_PORT_BASE:-7801} + 10 * node_index))
	case $1 in
	floor-poll) echo "$base" ;; floor-uv) echo $((base + 1)) ;; ours-host) echo $((base + 2)) ;;
	ours-lwsws) echo $((base + 3)) ;; node-sts) echo $((base + 4)) ;; node-graphql-ws) echo $((base + 5)) ;;
	esac
}

protocols_of() {
	case $1 in
	node-sts) echo graphql-ws ;;
	node-graphql-ws) echo graphql-transport-ws ;;
	*) echo "graphql-ws graphql-transport-ws" ;;
	esac
}

listener_pid() {
	ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2
}

wait_listening() {
	local port=$1 i
	for i in $(seq 1 200); do
		if [ -n "$(listener_pid "$port")" ]; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

start_server() {
	local name=$1 tick_ms=$2 port option host_sets=()
	port=$(port_of "$name")
	for option in ${BENCH_OURS_OPTIONS:-}; do host_sets+=(--set "$option"); done
	if [ -n "$(listener_pid "$port")" ]; then
		say "port $port is already in use"
		return 1
	fi
	server_log="$tmp/$name$node_index.log"
	case $name in
	floor-poll | floor-uv)
		setsid "$floor" --port "$port" --loop "${name#floor-}" --tick-ms "$tick_ms" >"$server_log" 2>&1 &
		server_pgid=$! ;;
	ours-host)
		if [ "$server_mode" = topics ]; then
			[ -n "$redis_url" ] && host_sets+=(--set "redis=$redis_url")
			setsid "$host" --port "$port" --interface 127.0.0.1 --executor schema \
				--set "schema-file=$bench/w5/schema.graphql" --set "publish-token=$publish_token" \
				--set metrics-path=/metrics "${host_sets[@]}" >"$server_log" 2>&1 &
		else
			setsid "$host" --port "$port" --interface 127.0.0.1 --executor demo \
				--set "tick-ms=$tick_ms" "${host_sets[@]}" >"$server_log" 2>&1 &
		fi
		server_pgid=$! ;;
	ours-lwsws)
		local started lwsws_options=("tick-ms=$tick_ms")
		[ "$server_mode" = topics ] && lwsws_options=(executor=schema
			"schema-file=$bench/w5/schema.graphql" "publish-token=$publish_token" metrics-path=/metrics)
		[ "$server_mode" = topics ] && [ -n "$redis_url" ] && lwsws_options+=("redis=$redis_url")
		if ! started=$("$root/lws-conf/start-lwsws.sh" --dir "$tmp/lwsws$node_index" "$port" \
			"${lwsws_options[@]}" ${BENCH_OURS_OPTIONS:-} 2>>"$server_log"); then
			say "start-lwsws.sh failed: $(tail -n 5 "$server_log")"
			return 1
		fi
		server_pgid=$(sed -n 's/^LWSWS_PGID=//p' <<<"$started") ;;
	node-sts | node-graphql-ws)
		if [ "$server_mode" = topics ]; then
			local transport=graphql-ws
			[ "$name" = node-sts ] && transport=sts
			local redis_args=()
			[ -n "$redis_url" ] && redis_args=(--redis "$redis_url")
			setsid node "$bench/peers/topic-server.js" --port "$port" --transport "$transport" \
				--token "$publish_token" "${redis_args[@]}" >"$server_log" 2>&1 &
		elif [ "$name" = node-sts ]; then
			setsid node "$bench/peers/legacy-server.js" --port "$port" --tick-ms "$tick_ms" \
				>"$server_log" 2>&1 &
		else
			setsid node "$bench/peers/modern-server.js" --port "$port" --tick-ms "$tick_ms" \
				>"$server_log" 2>&1 &
		fi
		server_pgid=$! ;;
	esac
	if ! wait_listening "$port"; then
		say "$name did not listen on $port: $(tail -n 5 "$server_log")"
		[ -n "$server_pgid" ] && kill -KILL -- "-$server_pgid" 2>/dev/null
		server_pgid=
		return 1
	fi
	server_pid=$(listener_pid "$port")
	# Let a fresh process settle (lwsws forks, Node loads modules) before the
	# idle memory sample.
	sleep 0.5
}

stop_server() {
	local name=$1 port i
	port=$(port_of "$name")
	if [ "$name" = ours-lwsws ]; then
		# SIGINT to lwsws's group; it waits for its service child.
		"$root/lws-conf/stop-lwsws.sh" "$tmp/lwsws$node_index" >/dev/null 2>&1 || true
	elif [ -n "$server_pgid" ]; then
		kill -INT -- "-$server_pgid" 2>/dev/null || true
	fi
	for i in $(seq 1 60); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$server_pid" 2>/dev/null; then
		[ -n "$server_pgid" ] && kill -KILL -- "-$server_pgid" 2>/dev/null || true
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	server_pid=
	server_pgid=
}

cleanup() {
	[ -n "${current_server:-}" ] && [ -n "$server_pid" ] && stop_server "$current_server"
	w6_stop_all
	true
}

# ------------------------------------------------------------------ W6
# Two nodes of one server kind sharing one throw-away redis-server (started
# once per invocation, no persistence), N subscribers on each; one publisher
# (gqlws-loadgen --connections 0 --publish) posts W5's event to node a from
# before the subscribers connect until both load generators are done, so each
# node's measured window sees the steady rate. Each node has its own load
# generator sampling that node's process: per node, delivered messages, CPU
# per delivered message, syscalls, and latency from the event's publish time
# (node b's is across nodes; node a's goes through Redis too: ours and the
# peers deliver locally only what Redis sends back).
redis_pid=
w6_pgids=()
w6_publisher=

redis_port() { echo $((${BENCH_PORT_BASE:-7801} + 20)); }

redis_start() {
	local port
	port=$(redis_port)
	command -v redis-server >/dev/null || apt-get install -y redis-server >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 && apt-get install -y redis-server >/dev/null 2>&1; } ||
		fail "redis-server is needed for W6 (apt-get install redis-server)"
	[ -z "$(listener_pid "$port")" ] || fail "port $port (redis) is already in use"
	mkdir -p "$tmp/redis"
	setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$tmp/redis" --logfile "$tmp/redis/redis.log" &
	redis_pid=$!
	wait_listening "$port" || fail "redis-server did not listen on $port: $(tail -n 5 "$tmp/redis/redis.log")"
	redis_url="redis://127.0.0.1:$port"
	say "W6: redis-server $(redis-server --version | grep -o 'v=[0-9.]*') on port $port"
}

# user+system seconds of a process so far.
proc_cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# The hub's counters (W5's three) and the Redis transport's, from /metrics.
node_metrics() {
	command -v curl >/dev/null || { echo null; return; }
	local out
	out=$(curl -s --max-time 3 "http://127.0.0.1:$1/metrics" | node -e '
		const m = {}; for (const l of require("fs").readFileSync(0, "utf8").split("\n")) {
			const [k, v] = l.split(" "); if (/^gqlws_[a-z_]+(\{[^ ]*\})?$/.test(k)) m[k] = Number(v); }
		const ev = m.gqlws_events_published_total;
		const redis = Object.fromEntries(Object.entries(m).filter(([k]) => k.includes("redis")));
		console.log(ev === undefined ? "null" : JSON.stringify({ events: ev,
			serialisations: m.gqlws_serialisations_total, frames: m.gqlws_frames_delivered_total, redis }));
	' 2>/dev/null) || out=null
	echo "${out:-null}"
}

w6_stop_all() {
	[ -n "$w6_publisher" ] && kill -TERM "$w6_publisher" 2>/dev/null
	w6_publisher=
	local g
	for g in "${w6_pgids[@]}"; do kill -INT -- "-$g" 2>/dev/null; done
	for i in 0 1; do [ -d "${tmp:-/nonexistent}/lwsws$i" ] &&
		"$root/lws-conf/stop-lwsws.sh" "$tmp/lwsws$i" >/dev/null 2>&1; done
	w6_pgids=()
	if [ -n "$redis_pid" ]; then
		kill -TERM "$redis_pid" 2>/dev/null
		wait "$redis_pid" 2>/dev/null
		redis_pid=
	fi
	true
}

# run_w6 SERVER PROTOCOL N TICK_MS REP LOADGEN-ARGS...: two fresh nodes, the
# publisher, one load generator per node; two JSON lines (node a, node b).
run_w6() {
	local name=$1 proto=$2 n=$3 tick_ms=$4 rep=$5 i rc pids=() ports=() spids=() sgids=() logs=()
	shift 5
	publish_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
	for i in 0 1; do
		if ! node_index=$i server_mode=topics start_server "$name" "$tick_ms"; then
			[ $i = 1 ] && node_index=0 server_pid=${spids[0]} server_pgid=${sgids[0]} stop_server "$name"
			w6_pgids=()
			printf '{"workload":"W6","node":"%s","server":"%s","n":%d,"tick_ms":%d,"rep":%d,"exit":-1,"result":null}\n' \
				"$([ $i = 0 ] && echo a || echo b)" "$name" "$n" "$tick_ms" "$rep" >>"$raw"
			return
		fi
		ports+=("$(node_index=$i port_of "$name")")
		spids+=("$server_pid")
		sgids+=("$server_pgid")
		logs+=("$server_log")
		w6_pgids+=("$server_pgid")
	done
	server_pid=
	server_pgid=
	local sys_args=()
	[ "$syscalls_s" != 0 ] && sys_args=(--syscalls "$syscalls_s" --syscall-tool "$syscall_tool")
	local redis_cpu0 redis_cpu1
	redis_cpu0=$(proc_cpu_s "$redis_pid")
	"$loadgen" --url "ws://127.0.0.1:${ports[0]}/" --connections 0 --quiet --warmup 0 --duration 3600 \
		--publish "http://127.0.0.1:${ports[0]}/publish/$w5_topic" --publish-token "$publish_token" \
		--publish-ms "$tick_ms" --publish-event "$w5_event" >"$tmp/w6-publisher.json" &
	w6_publisher=$!
	for i in 0 1; do
		"$loadgen" --url "ws://127.0.0.1:${ports[$i]}/" --protocol "$proto" --connections "$n" \
			--duration "$duration" --server-pid "${spids[$i]}" --quiet --ramp-timeout 30 \
			"${sys_args[@]}" "$@" \
			>"$tmp/w6-node$i.json" &
		pids+=($!)
	done
	local rcs=()
	for i in 0 1; do
		rc=0
		wait "${pids[$i]}" || rc=$?
		rcs+=("$rc")
	done
	kill -TERM "$w6_publisher" 2>/dev/null
	rc=0
	wait "$w6_publisher" || rc=$?
	w6_publisher=
	redis_cpu1=$(proc_cpu_s "$redis_pid")
	local publisher hubs=()
	publisher=$(cat "$tmp/w6-publisher.json")
	[ -n "$publisher" ] || publisher=null
	[ "$rc" = 0 ] || say "W6 $name: the publisher exited $rc"
	for i in 0 1; do
		if [[ $name == ours-* ]]; then hubs+=("$(node_metrics "${ports[$i]}")"); else hubs+=(null); fi
		if ! kill -0 "${spids[$i]}" 2>/dev/null; then
			say "W6 $name node $i: the server died: $(tail -n 5 "${logs[$i]}")"
			rcs[$i]=99
		fi
	done
	for i in 0 1; do
		node_index=$i server_pid=${spids[$i]} server_pgid=${sgids[$i]} stop_server "$name"
	done
	w6_pgids=()
	local node line
	for i in 0 1; do
		node=$([ $i = 0 ] && echo a || echo b)
		line=$(cat "$tmp/w6-node$i.json")
		if [ -z "$line" ]; then
			say "W6 $name $proto node $node: no result (exit ${rcs[$i]})"
			continue
		fi
		printf '{"workload":"W6","node":"%s","server":"%s","n":%d,"tick_ms":%d,"rep":%d,"exit":%d,"commit":"%s","at":"%s","hub":%s,"redis_cpu_s":%s,"publisher":%s,"result":%s}\n' \
			"$node" "$name" "$n" "$tick_ms" "$rep" "${rcs[$i]}" "$BENCH_COMMIT" "$(date -u +%H:%M:%S)" \
			"${hubs[$i]}" "$(awk -v a="$redis_cpu0" -v b="$redis_cpu1" 'BEGIN { printf "%.3f", b - a }')" \
			"$publisher" "$line" >>"$raw"
		node -e '
			const r = JSON.parse(process.argv[1]); const s = r.server || {};
			const sc = r.syscalls; const sys = sc && sc.messages ? `, ${(sc.total / sc.messages).toFixed(2)} syscalls each` : "";
			console.error(`bench:   W6 ${process.argv[2]} ${r.protocol} node ${process.argv[3]} n=${r.connections}: ` +
				`${r.messages_per_s} msg/s, server ${r.messages ? (s.cpu_s / r.messages * 1e6).toFixed(2) : "-"} us each${sys}, ` +
				`p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, errors ${r.failed + r.protocol_errors}`);
		' "$line" "$name" "$node"
	done
	sleep 0.5
}

# ------------------------------------------------------------------ runs
# run WORKLOAD SERVER PROTOCOL N TICK_MS REP LOADGEN-ARGS...: one fresh server,
# one load generator run, one JSON line appended to the raw results.
run_one() {
	local workload=$1 name=$2 proto=$3 n=$4 tick_ms=$5 rep=$6 line rc=0
	shift 6
	current_server=$name
	# A server that does not start costs its runs, not the whole suite.
	if ! start_server "$name" "$tick_ms"; then
		current_server=
		printf '{"workload":"%s","server":"%s","n":%d,"tick_ms":%d,"rep":%d,"exit":-1,"result":null}\n' \
			"$workload" "$name" "$n" "$tick_ms" "$rep" >>"$raw"
		return
	fi
	local sys_args=()
	# Not for HOLD: it only counts errors over its long window.
	if [ "$syscalls_s" != 0 ] && [ "$workload" != HOLD ]; then
		sys_args=(--syscalls "$syscalls_s" --syscall-tool "$syscall_tool")
	fi
	line=$("$loadgen" --url "ws://127.0.0.1:$(port_of "$name")/" --protocol "$proto" \
		--connections "$n" --duration "$duration" --server-pid "$server_pid" --quiet \
		"${sys_args[@]}" "$@") || rc=$?
	if ! kill -0 "$server_pid" 2>/dev/null; then
		say "$workload $name $proto n=$n: the server died: $(tail -n 5 "$server_log")"
		rc=99
	fi
	# W5, ours: the hub's counters over the whole run (events published,
	# serialisations, frames), from the vhost's Prometheus metrics.
	local hub=null
	if [ "$workload" = W5 ] && [[ $name == ours-* ]] && command -v curl >/dev/null; then
		hub=$(curl -s --max-time 3 "http://127.0.0.1:$(port_of "$name")/metrics" | node -e '
			const m = {}; for (const l of require("fs").readFileSync(0, "utf8").split("\n")) {
				const [k, v] = l.split(" "); if (/^gqlws_[a-z_]+$/.test(k)) m[k] = Number(v); }
			const ev = m.gqlws_events_published_total;
			console.log(ev === undefined ? "null" : JSON.stringify({ events: ev,
				serialisations: m.gqlws_serialisations_total, frames: m.gqlws_frames_delivered_total }));
		' 2>/dev/null) || hub=null
		[ -n "$hub" ] || hub=null
	fi
	stop_server "$name"
	current_server=
	if [ -z "$line" ]; then
		say "$workload $name $proto n=$n: no result (exit $rc)"
		return
	fi
	printf '{"workload":"%s","server":"%s","n":%d,"tick_ms":%d,"rep":%d,"exit":%d,"commit":"%s","at":"%s","hub":%s,"result":%s}\n' \
		"$workload" "$name" "$n" "$tick_ms" "$rep" "$rc" "$BENCH_COMMIT" "$(date -u +%H:%M:%S)" "$hub" "$line" >>"$raw"
	node -e '
		const r = JSON.parse(process.argv[1]); const s = r.server || {};
		const per = r.mode === "churn" ? r.cycles : r.messages;
		const rate = r.mode === "churn" ? r.cycles_per_s + " cycles/s" : r.messages_per_s + " msg/s" +
			(r.publish ? ` (${r.publish.events_in_window} events published)` : "");
		const sc = r.syscalls; const sper = sc && (r.mode === "churn" ? sc.cycles : sc.messages);
		const sys = sper ? `, ${(sc.total / sper).toFixed(2)} syscalls (${(sc.epoll_ctl / sper).toFixed(2)} epoll_ctl) each` : "";
		console.error(`bench:   ${process.argv[2]} ${process.argv[3]} ${r.protocol} n=${r.connections}: ${rate}, ` +
			`server ${per ? (s.cpu_s / per * 1e6).toFixed(1) : "-"} us each${sys}, ` +
			`p99 ${r.latency_ms.p99} ms, errors ${r.failed + r.protocol_errors}`);
	' "$line" "$workload" "$name"
	sleep 0.5
}

main() {
	local stamp rep w n name proto
	need_tools
	build_all
	# What was measured: the commit, and whether the server's sources differed from it.
	BENCH_COMMIT="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	if [ -n "$(git -C "$root" status --porcelain -- lib plugin lws-conf 2>/dev/null)" ]; then
		BENCH_COMMIT="$BENCH_COMMIT + uncommitted changes in lib/, plugin/ or lws-conf/"
	fi
	export BENCH_COMMIT
	mkdir -p "$out"
	tmp=$(mktemp -d)
	trap 'cleanup; rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
	# 10,000 clients and a server for each: the hard limit here is 20,000.
	ulimit -n "$(ulimit -Hn)"
	stamp=$(date -u +%Y%m%d-%H%M%S)
	raw="$out/raw-$stamp.jsonl"
	: >"$raw"
	say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	for w in $workloads; do
		for rep in $(seq 1 "$reps"); do
			case $w in
			W1)
				for n in $w1_sizes; do
					for name in $servers; do
						for proto in $(protocols_of "$name"); do
							run_one W1 "$name" "$proto" "$n" "$(w1_tick_ms "$n")" "$rep" \
								--query 'subscription { ticks { seq at } }' --warmup 1
						done
					done
				done ;;
			W2)
				for name in $servers; do
					for proto in $(protocols_of "$name"); do
						run_one W2 "$name" "$proto" "$w2_connections" 1000 "$rep" \
							--query "subscription { counter(intervalMs: 0, limit: $w2_limit) { value at } }" \
							--warmup 2
					done
				done ;;
			W3)
				for name in $servers; do
					for proto in $(protocols_of "$name"); do
						run_one W3 "$name" "$proto" "$w3_connections" 1000 "$rep" --mode churn \
							--query 'subscription { counter(intervalMs: 0, limit: 1) { value at } }' \
							--warmup 2
					done
				done ;;
			W5)
				# Topic fan-out through the hub; the floors take the same
				# publishes (their HTTP publish route, no GraphQL). Ours also
				# run W1 at the same N and rate, what W5 is compared with,
				# unless this invocation runs W1 at that N already.
				local w1_here=0 q qargs=()
				[[ " $workloads " == *" W1 "* && " $w1_sizes " == *" $w5_n "* ]] && w1_here=1
				for q in "${w5_queries[@]}"; do qargs+=(--query "$q"); done
				for name in $servers; do
					for proto in $(protocols_of "$name"); do
						if [ $w1_here = 0 ] && [[ $name == ours-* ]]; then
							run_one W1 "$name" "$proto" "$w5_n" "$(w1_tick_ms "$w5_n")" "$rep" \
								--query 'subscription { ticks { seq at } }' --warmup 1
						fi
						publish_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
						redis_url= server_mode=topics run_one W5 "$name" "$proto" "$w5_n" "$(w1_tick_ms "$w5_n")" \
							"$rep" "${qargs[@]}" --warmup 1 \
							--publish "http://127.0.0.1:$(port_of "$name")/publish/$w5_topic" \
							--publish-token "$publish_token" --publish-ms "$(w1_tick_ms "$w5_n")" \
							--publish-event "$w5_event"
					done
				done ;;
			W6)
				# Two nodes on one Redis. Each W6 server and subprotocol also
				# runs W5 node-local (no Redis) at the same N per node and
				# rate, what W6 is compared with, unless this invocation
				# runs W5 at that N already.
				local w5_here=0 q6 q6args=()
				[[ " $workloads " == *" W5 "* && "$w5_n" == "$w6_n" ]] && w5_here=1
				for q6 in "${w5_queries[@]}"; do q6args+=(--query "$q6"); done
				[ -n "$redis_url" ] || redis_start
				for name in $w6_servers; do
					for proto in $(protocols_of "$name"); do
						if [ $w5_here = 0 ]; then
							publish_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
							redis_url= server_mode=topics run_one W5 "$name" "$proto" "$w6_n" \
								"$(w1_tick_ms "$w6_n")" "$rep" "${q6args[@]}" --warmup 1 \
								--publish "http://127.0.0.1:$(port_of "$name")/publish/$w5_topic" \
								--publish-token "$publish_token" --publish-ms "$(w1_tick_ms "$w6_n")" \
								--publish-event "$w5_event"
						fi
						run_w6 "$name" "$proto" "$w6_n" "$(w1_tick_ms "$w6_n")" "$rep" \
							"${q6args[@]}" --warmup 1
					done
				done ;;
			HOLD)
				# The target "10,000 connections with one subscription each, held
				# for a minute with zero errors", for our two servers only.
				for name in $servers; do
					[[ $name == ours-* ]] || continue
					# One subprotocol each, so both are held within two minutes.
					proto=graphql-transport-ws
					[ "$name" = ours-lwsws ] && proto=graphql-ws
					duration=$hold_s run_one HOLD "$name" "$proto" "$hold_n" 1000 "$rep" \
						--query 'subscription { ticks { seq at } }' --warmup 1
				done ;;
			*) fail "unknown workload $w" ;;
			esac
		done
	done
	say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	# BENCH_MERGE: raw files of earlier runs (e.g. a HOLD run) to report with this one.
	node "$bench/report.js" "$out" "$stamp" "$duration" "$raw" ${BENCH_MERGE:-}
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
