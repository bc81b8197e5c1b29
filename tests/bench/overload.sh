#!/usr/bin/env bash
# W1 past what the machine can deliver: how RSS and latency move over time.
# For each server, first its capacity: the messages per second it delivers
# to N ticks subscribers when offered several times more, over a short
# window; then a run offered OVERLOAD_FACTOR times that capacity for
# OVERLOAD_SECONDS, sampled every second (delivered messages/s, latency
# p50/p99 of that second, server RSS and CPU, clients still open). Servers
# run one after the other, each fresh.
#
#   tests/bench/overload.sh            ours-host ours-lwsws floor-poll floor-uv, 30 s each
#
# Environment: OVERLOAD_SERVERS (default "ours-host ours-lwsws floor-poll
# floor-uv"; also node-sts node-graphql-ws), OVERLOAD_N (subscribers, default
# 1000), OVERLOAD_FACTOR (default 1.5), OVERLOAD_SECONDS (default 30),
# OVERLOAD_PROTOCOL (default graphql-transport-ws; the Node peers use their
# own), OVERLOAD_TICK_MS (skip the capacity probe and offer N per this many
# ms to every server), OVERLOAD_STALL (percent of the subscribers that stop
# reading when the measured window starts, default 0: slow clients rather
# than a slow server; the samples' latency and "open" are the readers'),
# BENCH_OURS_OPTIONS (e.g. send-queue-total-bytes=0 to see our servers
# without the bound), BENCH_PORT_BASE (ports BASE+1..BASE+6, default 7800),
# BENCH_OUT (results folder). Writes
# BENCH_OUT/overload-<stamp>.jsonl (one line per sample) and prints a table
# per server. Not a test; CI does not run it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# run.sh's builds, server start and stop (sourcing it runs nothing).
# shellcheck source=run.sh
. "$here/run.sh"

servers=${OVERLOAD_SERVERS:-"ours-host ours-lwsws floor-poll floor-uv"}
n=${OVERLOAD_N:-1000}
factor=${OVERLOAD_FACTOR:-1.5}
seconds=${OVERLOAD_SECONDS:-30}
stall=${OVERLOAD_STALL:-0}
protocol=${OVERLOAD_PROTOCOL:-graphql-transport-ws}
# The capacity probe offers 200,000 messages/s (tick-ms N / 200), several
# times what any server here delivers on 2 cores, for 3 s after 1 s of
# warm-up: the rate delivered is the server's capacity on this machine now
# (the load generator shares its cores, as in every workload).
probe_tick_ms=$(((n + 199) / 200))
probe_seconds=3

probe_capacity() {
	local name=$1 proto=$2 line
	start_server "$name" "$probe_tick_ms" || return 1
	line=$("$loadgen" --url "ws://127.0.0.1:$(port_of "$name")/" --protocol "$proto" \
		--connections "$n" --duration "$probe_seconds" --warmup 1 --quiet \
		--query 'subscription { ticks { seq at } }' --server-pid "$server_pid") || true
	stop_server "$name"
	[ -n "$line" ] || return 1
	node -e 'console.log(Math.round(JSON.parse(process.argv[1]).messages_per_s))' "$line"
}

# tick-ms that offers factor x capacity messages/s to n subscribers.
tick_for() {
	node -e 'const [n, f, c] = process.argv.slice(1).map(Number);
		console.log(Math.max(1, Math.round(n * 1000 / (f * c))))' "$n" "$factor" "$1"
}

overload_run() {
	local name=$1 proto=$2 tick_ms=$3 capacity=$4
	start_server "$name" "$tick_ms" || return 1
	"$loadgen" --url "ws://127.0.0.1:$(port_of "$name")/" --protocol "$proto" \
		--connections "$n" --duration "$seconds" --warmup 0 --interval 1 --stall "$stall" --quiet \
		--query 'subscription { ticks { seq at } }' --server-pid "$server_pid" |
		node -e '
			const [name, proto, tick, cap] = process.argv.slice(1);
			let buf = ""; process.stdin.on("data", (d) => { buf += d; });
			process.stdin.on("end", () => {
				for (const l of buf.split("\n").filter(Boolean)) {
					const r = JSON.parse(l);
					console.log(JSON.stringify({ target: name, options: process.env.BENCH_OURS_OPTIONS || "", protocol: proto, tick_ms: Number(tick),
						capacity_msg_s: Number(cap), offered_msg_s: Math.round('"$n"' * 1000 / Number(tick)), ...r }));
				}
			});' "$name" "$proto" "$tick_ms" "$capacity" >>"$raw" || true
	stop_server "$name"
}

main_overload() {
	local name proto capacity tick_ms stamp
	need_tools
	build_all
	mkdir -p "$out"
	tmp=$(mktemp -d)
	trap 'cleanup; rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
	ulimit -n "$(ulimit -Hn)"
	stamp=$(date -u +%Y%m%d-%H%M%S)
	raw="$out/overload-$stamp.jsonl"
	: >"$raw"
	say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	for name in $servers; do
		proto=$protocol
		case $name in node-sts) proto=graphql-ws ;; node-graphql-ws) proto=graphql-transport-ws ;; esac
		current_server=$name
		if [ -n "${OVERLOAD_TICK_MS:-}" ]; then
			tick_ms=$OVERLOAD_TICK_MS
			capacity=0
		else
			capacity=$(probe_capacity "$name" "$proto") || { say "$name: no capacity"; continue; }
			tick_ms=$(tick_for "$capacity")
		fi
		say "$name $proto: capacity $capacity msg/s; offering $((n * 1000 / tick_ms)) msg/s (tick-ms $tick_ms) for $seconds s"
		overload_run "$name" "$proto" "$tick_ms" "$capacity" || say "$name: run failed"
		current_server=
		sleep 1
	done
	say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	node "$here/overload-report.js" "$raw"
	say "samples: $raw"
}

main_overload "$@"
