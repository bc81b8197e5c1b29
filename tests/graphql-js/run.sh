#!/usr/bin/env bash
# The differential test against graphql-js: installs graphql-js from the
# committed lock (npm ci, once), then runs run.mjs with the driver
# gqlws-schema-check of each build tree given (default: build), building the
# driver there when it is missing. Extra arguments after -- go to run.mjs
# (--seed N, --per-schema N, --only TEXT).
#
#   tests/graphql-js/run.sh                      with build/
#   tests/graphql-js/run.sh build build-asan     with both trees
#   tests/graphql-js/run.sh valgrind             build/'s driver under valgrind
#   tests/graphql-js/run.sh build -- --only OverlappingFields
#
# Exits non-zero when a tree disagrees with graphql-js beyond the thresholds
# (100% on the hand-written cases, 99.5% on the generated ones).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

fail() {
	echo "graphql-js: $*" >&2
	exit 1
}

trees=()
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; args=("$@"); break ;;
	-h | --help) sed -n '2,15p' "$0"; exit 0 ;;
	*) trees+=("$1") ;;
	esac
	shift
done
[ ${#trees[@]} -gt 0 ] || trees=(build)

command -v node >/dev/null || fail "node not found (lws-conf/install-deps.sh installs it)"
command -v npm >/dev/null || fail "npm not found (lws-conf/install-deps.sh installs it)"

# graphql-js comes from the committed lock file, exactly.
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
	[ package.json -nt node_modules/.package-lock.json ]; then
	echo "graphql-js: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
fi

status=0
for tree in "${trees[@]}"; do
	# "valgrind": build/'s driver under valgrind's memcheck, on fewer
	# generated cases (valgrind is some 30 times slower); any error or leak
	# fails the run.
	extra=()
	if [ "$tree" = valgrind ]; then
		command -v valgrind >/dev/null || fail "valgrind not found (lws-conf/install-deps.sh installs it)"
		tree=build
		extra=(--wrap "valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all"
			--per-schema 100 --projections-per-schema 50 --sdl-per-seed 10)
	fi
	dir=$tree
	case "$dir" in /*) ;; *) dir=$root/$dir ;; esac
	[ -f "$dir/CMakeCache.txt" ] || fail "$tree is not a configured build tree"
	if ! out=$(cmake --build "$dir" -j2 --target gqlws-schema-check 2>&1); then
		echo "$out" >&2
		fail "cannot build gqlws-schema-check in $tree"
	fi
	echo "== graphql-js differential test with $tree/tests/graphql-js/gqlws-schema-check${extra[*]:+ under valgrind}"
	# ASan builds: a leak or an error in the driver fails the run.
	if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		node run.mjs --driver "$dir/tests/graphql-js/gqlws-schema-check" "${extra[@]+"${extra[@]}"}" \
		"${args[@]+"${args[@]}"}"; then
		status=1
	fi
done
exit $status
