#!/usr/bin/env bash
# Stops an lwsws started by lws-conf/start-lwsws.sh: SIGINT to its whole
# process group (the root and its service child; SIGTERM would orphan the
# child), then SIGKILL if anything is left after a few seconds.
#
#   lws-conf/stop-lwsws.sh RUN_DIR|PGID [--remove]
#
# --remove also deletes the run directory (log included). Calling it again
# is harmless: a stopped run directory keeps its group id in `stopped`
# (never signalled again), and one already removed is nothing to do.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 RUN_DIR|PGID [--remove]" >&2; exit 2; }
target=$1
remove=0
[ "${2:-}" = --remove ] && remove=1

if [[ "$target" =~ ^[0-9]+$ ]]; then
	pgid=$target
	run_dir=""
else
	run_dir=$target
	if [ ! -e "$run_dir" ]; then
		echo "stop-lwsws: no $run_dir (already removed?): nothing to stop" >&2
		exit 0
	fi
	if [ ! -f "$run_dir/pgid" ]; then
		# Only a run directory of start-lwsws.sh is ever removed.
		[ -f "$run_dir/stopped" ] || { echo "stop-lwsws: $run_dir is not a run directory (no pgid)" >&2; exit 1; }
		[ "$remove" -eq 1 ] && rm -rf "$run_dir"
		exit 0
	fi
	pgid=$(cat "$run_dir/pgid")
fi
[[ "$pgid" =~ ^[0-9]+$ ]] && [ "$pgid" -gt 1 ] || { echo "stop-lwsws: bad pgid '$pgid'" >&2; exit 1; }
# Signal only a group made of lwsws processes: a stale or wrong group id
# (e.g. the caller's group, read too early by an older start-lwsws.sh) must
# never reach anything else.
others=$(ps -e -o pgid=,comm= | awk -v g="$pgid" '$1 == g && $2 != "lwsws" { print $2 }' | sort -u | tr '\n' ' ')
if [ -n "$others" ]; then
	echo "stop-lwsws: process group $pgid is not lwsws alone (also: $others); not signalling it" >&2
	exit 1
fi

alive() { kill -0 -- "-$pgid" 2>/dev/null; }

if alive; then
	kill -INT -- "-$pgid" 2>/dev/null || true
	# The root waits about 2 s for its child before exiting.
	for _ in $(seq 1 60); do
		alive || break
		sleep 0.1
	done
	if alive; then
		echo "stop-lwsws: group $pgid ignored SIGINT; killing it" >&2
		kill -KILL -- "-$pgid" 2>/dev/null || true
	fi
fi
if [ -n "$run_dir" ]; then
	mv -f "$run_dir/pgid" "$run_dir/stopped" 2>/dev/null || true
	[ "$remove" -eq 1 ] && rm -rf "$run_dir"
fi
exit 0
