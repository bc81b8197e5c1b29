#!/usr/bin/env bash
# Starts lwsws with our plugin on a port of your choice, in the background:
# renders lws-conf/conf and conf.d/graphql (lwsws has no variables) into a run
# directory with a plugin dir holding only our .so, starts lwsws under setsid,
# waits until the port listens and the plugin is up, and prints shell
# assignments (LWSWS_PID, LWSWS_PGID, LWSWS_DIR, LWSWS_LOG) on stdout.
# Stop it with lws-conf/stop-lwsws.sh "$LWSWS_DIR" (or the pgid).
#
#   lws-conf/start-lwsws.sh [--dir DIR] [--build-dir DIR] [--plugin-dir DIR] PORT [name=value ...]
#
# name=value are plugin options (README option names, executor=demo, the
# demo's tick-ms, bind-no-protocol=1, ...): given any, they replace the
# options of conf.d/graphql (the lines from its "@options" comment to "@end"),
# with executor=demo unless one is named; given none, the conf's own options
# are served (the example schema, a publish token, metrics). Every start
# writes a fresh random publish token into RUN_DIR/publish-token (mode 600),
# the file that the conf's publish-token-file names. The plugin comes from PLUGIN_DIR,
# default BUILD_DIR/plugin (the shipped plugin; BUILD_DIR default build/,
# built beforehand); the end-to-end tests give BUILD_DIR/tests/lwsws-plugin,
# the tests' build that also knows executor=test. lwsws comes from
# lws-conf/build-lwsws.sh, or from $LWSWS_PREFIX when set. Progress and
# errors go to stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
conf_src="$root/lws-conf"
plugin_name=libprotocol_lws_graphql_ws.so

say() { echo "start-lwsws: $*" >&2; }
fail() {
	echo "start-lwsws: error: $*" >&2
	exit 1
}
usage() {
	echo "usage: $0 [--dir DIR] [--build-dir DIR] [--plugin-dir DIR] PORT [name=value ...]" >&2
	exit 2
}

run_dir=""
made_run_dir=0
build_dir="$root/build"
plugin_dir=""
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) [ $# -ge 2 ] || usage; run_dir=$2; shift 2 ;;
	--build-dir) [ $# -ge 2 ] || usage; build_dir=$2; shift 2 ;;
	--plugin-dir) [ $# -ge 2 ] || usage; plugin_dir=$2; shift 2 ;;
	-h | --help) usage ;;
	--*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
port=$1
shift
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "bad port '$port'"

# Options become JSON string members: keep them to plain names and values.
# A name given twice keeps its place and takes the later value.
extras=()
declare -A slot_of=()
has_executor=0
for opt in "$@"; do
	name=${opt%%=*}
	value=${opt#*=}
	[[ "$opt" == *=* && "$name" =~ ^[a-z][a-z0-9-]*$ ]] || fail "option '$opt' is not name=value"
	[[ "$value" != *[\"\\]* && "$value" != *$'\n'* ]] || fail "option '$opt': no quotes or backslashes in values"
	[ "$name" = executor ] && has_executor=1
	if [ -n "${slot_of[$name]:-}" ]; then
		extras[${slot_of[$name]}]="\"$name\": \"$value\""
	else
		slot_of[$name]=${#extras[@]}
		extras+=("\"$name\": \"$value\"")
	fi
done
[ $# -eq 0 ] || [ "$has_executor" -eq 1 ] || extras+=("\"executor\": \"demo\"")

plugin="${plugin_dir:-$build_dir/plugin}/$plugin_name"
[ -f "$plugin" ] || fail "no $plugin: build first (cmake --build build)"

if [ -n "${LWSWS_PREFIX:-}" ]; then
	prefix=$LWSWS_PREFIX
else
	prefix=$("$conf_src/build-lwsws.sh" | tail -n 1)
fi
[ -x "$prefix/bin/lwsws" ] || fail "no lwsws in '$prefix'"

if [ -z "$run_dir" ]; then
	run_dir=$(mktemp -d /tmp/gqlws-lwsws.XXXXXX)
	made_run_dir=1
else
	mkdir -p "$run_dir"
	run_dir=$(cd "$run_dir" && pwd)
fi
# A previous run's files would be read as config or plugins: start clean.
rm -rf "$run_dir/conf" "$run_dir/conf.d" "$run_dir/plugins" "$run_dir/stopped"
mkdir -p "$run_dir/conf.d" "$run_dir/plugins"
cp "$plugin" "$run_dir/plugins/$plugin_name"

# Renders one template line by line: paths, port, and the option block
# (replaced by the options given, if any).
render() {
	local line joined i in_options=0
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line//@GQLWS_PLUGIN_DIR@/"$run_dir/plugins"}
		line=${line//@GQLWS_WWW_DIR@/"$conf_src/www"}
		line=${line//@GQLWS_CONF_DIR@/"$conf_src"}
		line=${line//@GQLWS_RUN_DIR@/"$run_dir"}
		if [[ "$line" == *'"port": "7681"'* ]]; then
			line=${line/\"7681\"/"\"$port\""}
		elif [[ ${#extras[@]} -gt 0 && "$line" =~ ^[[:space:]]*#[[:space:]]@options ]]; then
			in_options=1
			joined=""
			for i in "${!extras[@]}"; do
				joined+="${line%%#*}${extras[$i]}"
				[ "$i" -lt $((${#extras[@]} - 1)) ] && joined+=","
				joined+=$'\n'
			done
			printf '%s' "$joined"
			continue
		elif [ "$in_options" -eq 1 ]; then
			[[ "$line" =~ ^[[:space:]]*#[[:space:]]@end ]] && in_options=0
			continue
		fi
		printf '%s\n' "$line"
	done
	[ "$in_options" -eq 0 ] || fail "an @options comment without @end in the conf"
}
# A fresh token at every start, readable by this user only (lwsws runs as
# the user that starts it): the publish endpoint's secret.
(umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$run_dir/publish-token" &&
	echo >>"$run_dir/publish-token") || fail "cannot write $run_dir/publish-token"
render <"$conf_src/conf" >"$run_dir/conf"
for f in "$conf_src"/conf.d/*; do
	[ -f "$f" ] && render <"$f" >"$run_dir/conf.d/$(basename "$f")"
done

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	fail "port $port is already in use"
fi

log="$run_dir/lwsws.log"
# setsid: lwsws's root process forks a service child and only handles
# SIGINT/SIGHUP; signalling the whole new group with SIGINT stops both.
setsid "$prefix/bin/lwsws" -n -c "$run_dir" -d 7 >"$log" 2>&1 </dev/null &
pid=$!
# Until setsid has run, the child is still in this script's group: recording
# that would make stop-lwsws.sh signal our caller. The background child is
# never a group leader, so setsid runs in place and the new group id is $pid.
pgid=""
for _ in $(seq 1 200); do
	pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)
	[ -n "$pgid" ] && [ "$pgid" != "$pid" ] || break
	sleep 0.01
done
[ -n "$pgid" ] || fail "lwsws exited at once; log: $log"
if [ "$pgid" != "$pid" ]; then
	kill -KILL "$pid" 2>/dev/null || true
	fail "lwsws (pid $pid) did not get its own process group (still in group $pgid)"
fi
echo "$pgid" >"$run_dir/pgid"

# lwsws's root survives a failed child, so wait for the listening port and
# the plugin's own start line, and give up on a failure line in the log.
up=0
# (A failure is looked for first: lwsws keeps listening on a vhost whose
# GraphQL protocols failed to start.)
for _ in $(seq 1 150); do
	if grep -Eq "Context creation failed|failed init| E: lws-graphql-ws" "$log" 2>/dev/null; then
		break
	fi
	if grep -q "lws-graphql-ws: vhost \".*\" serves" "$log" 2>/dev/null &&
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		up=1
		break
	fi
	sleep 0.1
done
if [ "$up" -ne 1 ]; then
	tail -n 30 "$log" >&2
	# A run directory this script made is its own to remove (log included:
	# its tail is above); one the caller gave keeps the log.
	if [ "$made_run_dir" -eq 1 ]; then
		"$conf_src/stop-lwsws.sh" "$run_dir" --remove >&2 || true
		fail "lwsws did not start on port $port (log above)"
	fi
	"$conf_src/stop-lwsws.sh" "$run_dir" >&2 || true
	fail "lwsws did not start on port $port (log above, $log)"
fi
say "lwsws listening on 127.0.0.1:$port (log $log)"
printf 'LWSWS_PID=%s\nLWSWS_PGID=%s\nLWSWS_DIR=%s\nLWSWS_LOG=%s\nLWSWS_TOKEN_FILE=%s\n' \
	"$pid" "$pgid" "$run_dir" "$log" "$run_dir/publish-token"
