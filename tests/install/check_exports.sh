#!/usr/bin/env bash
# Fails when an installed library exports a symbol outside the public
# prefixes: gqlws_* for the core, lws_gqlws_* for the embedding library,
# and exactly lws_graphql_ws (the name lws's plugin loader looks up) for
# the loadable plugin; and when the shipped plugin or archive holds any
# trace of the tests' executor. Arguments: the build directory.
set -euo pipefail
build=${1:?usage: check_exports.sh BUILD_DIR}

bad=0
# check <file> <nm flags> <allowed regex>
check() {
	local file=$1 flags=$2 allowed=$3 names
	[ -f "$file" ] || { echo "exports: missing $file"; bad=1; return; }
	# Defined, global symbols only (nm -g); their names are the last field.
	names=$(nm $flags -g --defined-only "$file" 2>/dev/null | awk 'NF >= 3 { print $NF }' | sort -u)
	local offenders
	offenders=$(grep -Ev "$allowed" <<<"$names" || true)
	local count
	count=$(grep -c . <<<"$names" || true)
	if [ -n "$offenders" ]; then
		echo "exports: $file exports names outside $allowed:"
		sed 's/^/  /' <<<"$offenders"
		bad=1
	else
		echo "exports: $file: $count global symbols, all match $allowed"
	fi
}

check "$build/lib/libgqlws.a" "" '^gqlws_'
check "$build/lib/libgqlws.so" "-D" '^gqlws_'
check "$build/plugin/liblws_gqlws_plugin.a" "" '^lws_gqlws_'
check "$build/plugin/libprotocol_lws_graphql_ws.so" "-D" '^lws_graphql_ws$'

# The tests' executor (tests/executor/) is never shipped: neither its
# symbols (local ones included) nor the init tokens and fields it answers
# may be in what is installed. Arguments: the file.
check_no_test_executor() {
	local file=$1 found
	[ -f "$file" ] || { echo "exports: missing $file"; bad=1; return; }
	found=$({
		nm -a "$file" 2>/dev/null | grep -E 'test_executor|test_on_init|resolve_op_stats|builtin_test' || true
		strings -a "$file" | grep -E '^(letmein|async-reject|Auth backend unavailable|failAfterOne|opStats)$' || true
	} | sort -u)
	if [ -n "$found" ]; then
		echo "exports: $file holds the tests' executor:"
		sed 's/^/  /' <<<"$found"
		bad=1
	else
		echo "exports: $file: no trace of the tests' executor"
	fi
}
check_no_test_executor "$build/plugin/libprotocol_lws_graphql_ws.so"
check_no_test_executor "$build/plugin/liblws_gqlws_plugin.a"
exit $bad
