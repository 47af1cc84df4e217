#!/usr/bin/env bash
# Builds and runs one consumer of nybble, the way a user would.
#   run.sh subproject|pkg-config|cmake SOURCE_ROOT
#   subproject  a Meson project with nybble under subprojects/ and the README's
#               sample wrap; nybble's own tests and examples must not be built there
#   pkg-config  nybble installed by tools/install-headers, found by pkg-config
#   cmake       the same install, found by find_package(nybble)
# Each builds the core and the range-v3 glue with strict warnings
# (-Wconversion -Wsign-conversion -Wshadow -Werror) and runs both.
set -euo pipefail
mode=$1
source_root=$(cd "$2" && pwd)
work=$(mktemp -d)
log=$work/log
trap 'status=$?; if [ $status -ne 0 ]; then echo "consumer ($mode) failed; its build log:"; cat "$log"; fi; rm -rf "$work"' EXIT

# The one-command header install of the README, staged under $work/stage.
install_nybble() {
  DESTDIR=$work/stage "$source_root/tools/install-headers" /usr/local >> "$log" 2>&1
}

case "$mode" in
subproject)
  mkdir -p "$work/project/subprojects"
  cp "$source_root/tests/consumer/meson_subproject/meson.build" "$work/project/"
  cp "$source_root/tests/consumer/consumer.cpp" "$source_root/tests/consumer/consumer_range_v3.cpp" \
    "$source_root/tests/consumer/first_adapter.hpp" "$work/"
  # The README's wrap, as it stands, with its url pointed at this repository:
  # Meson clones it at the wrap's revision, as it would from the real url, so a
  # revision that does not exist fails here. (A clone takes what is committed:
  # run this on committed work.)
  python3 - "$source_root/README.md" "$source_root" > "$work/project/subprojects/nybble.wrap" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"<!-- doc-test: wrap[^>]*-->\n```ini\n(.*?)```", text, re.S)
if not block:
    sys.exit("README.md has no '<!-- doc-test: wrap -->' ini block")
wrap = re.sub(r"(?m)^url = .*$", "url = " + sys.argv[2], block.group(1))
sys.stdout.write(wrap)
PY
  grep -q '^\[provide\]' "$work/project/subprojects/nybble.wrap" || { echo "the README's wrap has no [provide]"; exit 1; }
  meson setup "$work/build" "$work/project" >> "$log" 2>&1
  [ -d "$work/project/subprojects/nybble/.git" ] || { echo "the wrap did not clone nybble"; exit 1; }
  ninja -C "$work/build" >> "$log" 2>&1
  # As a subproject, nybble builds nothing of its own.
  if meson introspect --targets "$work/build" | grep -Eq '"(unit_[a-z_]+|cache_adapter|close_dispatch|exhaustive_canonical)"'; then
    echo "nybble's own tests or examples were built inside the consumer"
    exit 1
  fi
  "$work/build/consumer"
  "$work/build/consumer_range_v3"
  ;;
pkg-config)
  install_nybble
  pc_dir=$(dirname "$(find "$work/stage" -name nybble.pc | head -1)")
  PKG_CONFIG_PATH=$pc_dir PKG_CONFIG_SYSROOT_DIR=$work/stage \
    "$source_root/tests/consumer/pkg_config/build.sh" "$work"
  "$work/consumer"
  "$work/consumer_range_v3"
  ;;
cmake)
  install_nybble
  cmake -S "$source_root/tests/consumer/cmake" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/stage/usr/local" >> "$log" 2>&1
  cmake --build "$work/build" >> "$log" 2>&1
  "$work/build/consumer"
  "$work/build/consumer_range_v3"
  ;;
*)
  echo "usage: run.sh subproject|pkg-config|cmake SOURCE_ROOT"
  exit 2
  ;;
esac
