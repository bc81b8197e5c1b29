#!/usr/bin/env bash
# README's embedding section shows plugin/examples/hello/hello.c whole: the
# fenced block after the marker line must be the file, byte for byte, so the
# example a reader copies is the one CI builds and the e2e tests run.
set -euo pipefail
root=${1:?usage: check_readme_example.sh SOURCE_DIR}
example=plugin/examples/hello/hello.c
shown=$(awk -v marker="<!-- $example -->" '
	$0 == marker { found = 1; next }
	found == 1 && /^```c$/ { inside = 1; found = 2; next }
	inside && /^```$/ { exit }
	inside { print }
' "$root/README.md")
if [ -z "$shown" ]; then
	echo "README.md has no \`\`\`c block after '<!-- $example -->'" >&2
	exit 1
fi
if ! diff -u "$root/$example" <(printf '%s\n' "$shown"); then
	echo "README.md's copy of $example differs from the file (diff above)" >&2
	exit 1
fi
echo "README.md shows $example whole ($(wc -l <"$root/$example") lines)"
