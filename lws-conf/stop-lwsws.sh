#!/usr/bin/env bash
# Stops an lwsws started by lws-conf/start-lwsws.sh: SIGINT to its whole
# process group (the root and its service child; SIGTERM would orphan the
# child), then SIGKILL if anything is left after a few seconds.
#
#   lws-conf/stop-lwsws.sh RUN_DIR|PGID [--remove]
#
# --remove also deletes the run directory (log included).
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
	[ -f "$run_dir/pgid" ] || { echo "stop-lwsws: no $run_dir/pgid" >&2; exit 1; }
	pgid=$(cat "$run_dir/pgid")
fi
[[ "$pgid" =~ ^[0-9]+$ ]] && [ "$pgid" -gt 1 ] || { echo "stop-lwsws: bad pgid '$pgid'" >&2; exit 1; }

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
[ -n "$run_dir" ] && rm -f "$run_dir/pgid"
[ "$remove" -eq 1 ] && [ -n "$run_dir" ] && rm -rf "$run_dir"
exit 0
