#!/usr/bin/env bash
# Installs a build tree into a temporary prefix, moves the prefix (the
# pkg-config files and the CMake package must follow), then builds and runs
# small programs against it: with pkg-config (shared and static core, the
# embedding library) and with find_package(gqlws). Arguments: the source and
# build directories.
set -euo pipefail
src=${1:?usage: install_test.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: install_test.sh SOURCE_DIR BUILD_DIR}
consumer=$src/tests/install/consumer

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/first" >"$tmp/install.log"
mv "$tmp/first" "$tmp/moved"
prefix=$tmp/moved
libdir=$(dirname "$(find "$prefix" -name gqlws.pc -path '*/pkgconfig/*' | head -n 1)")/..
libdir=$(cd "$libdir" && pwd)

for f in include/gqlws/gqlws.h include/gqlws/gqlws_doc.h include/gqlws/lws_gqlws.h; do
	[ -f "$prefix/$f" ] || { echo "install: missing $f"; exit 1; }
done
for f in pkgconfig/gqlws.pc pkgconfig/lws_gqlws_plugin.pc cmake/gqlws/gqlwsConfig.cmake \
	libgqlws.a libgqlws.so liblws_gqlws_plugin.a; do
	[ -e "$libdir/$f" ] || { echo "install: missing $libdir/$f"; exit 1; }
done

# The test and benchmark host and the tests' plugin stay in the build tree.
if [ -e "$prefix/bin/gqlws-host" ] || [ -n "$(find "$prefix" -path '*lwsws-plugin*' -print -quit)" ]; then
	echo "install: the tests' host or plugin was installed"
	exit 1
fi

export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${CC:-cc}
flags=(-std=c11 -Wall -Wextra -Werror)
[ "$(pkg-config --variable=prefix gqlws)" -ef "$prefix" ] ||
	{ echo "install: gqlws.pc does not point at the moved prefix"; exit 1; }

echo "== pkg-config: core, shared"
"$cc" "${flags[@]}" -o "$tmp/core_shared" "$consumer/core.c" $(pkg-config --cflags --libs gqlws) \
	-Wl,-rpath,"$libdir"
"$tmp/core_shared"
echo "== pkg-config: core, static"
"$cc" "${flags[@]}" -o "$tmp/core_static" "$consumer/core.c" $(pkg-config --cflags gqlws) \
	"$libdir/libgqlws.a" $(pkg-config --static --libs-only-l --libs-only-other libcjson) -lm
"$tmp/core_static"
echo "== pkg-config: embedding library"
"$cc" "${flags[@]}" -o "$tmp/embed" "$consumer/embed.c" $(pkg-config --cflags --libs lws_gqlws_plugin) \
	-Wl,-rpath,"$libdir"
"$tmp/embed"

echo "== pkg-config: the hello example, as README builds it"
"$cc" "${flags[@]}" -o "$tmp/hello" "$src/plugin/examples/hello/hello.c" \
	$(pkg-config --cflags --libs lws_gqlws_plugin) -Wl,-rpath,"$libdir"
[ -x "$tmp/hello" ]

echo "== find_package(gqlws)"
cmake -S "$consumer" -B "$tmp/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/consumer.log" 2>&1 ||
	{ cat "$tmp/consumer.log"; exit 1; }
cmake --build "$tmp/consumer-build" >>"$tmp/consumer.log" 2>&1 || { cat "$tmp/consumer.log"; exit 1; }
"$tmp/consumer-build/core_shared"
"$tmp/consumer-build/core_static"
"$tmp/consumer-build/embed"
echo "install: ok"
