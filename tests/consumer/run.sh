#!/usr/bin/env bash
# Builds and runs one consumer of nybble, the way a user would.
#   run.sh subproject|pkg-config|cmake SOURCE_ROOT
#   subproject  a Meson project with nybble under subprojects/; nybble's own
#               tests and examples must not be built there
#   pkg-config  nybble installed with `meson install --destdir`, found by pkg-config
#   cmake       the same install, found by find_package(nybble)
set -euo pipefail
mode=$1
source_root=$(cd "$2" && pwd)
work=$(mktemp -d)
log=$work/log
trap 'status=$?; if [ $status -ne 0 ]; then echo "consumer ($mode) failed; its build log:"; cat "$log"; fi; rm -rf "$work"' EXIT

install_nybble() {
  meson setup "$work/nybble-build" "$source_root" -Dtests=false -Dexamples=false -Dbenchmarks=false \
    --prefix=/usr/local >> "$log" 2>&1
  meson install -C "$work/nybble-build" --destdir "$work/stage" >> "$log" 2>&1
}

case "$mode" in
subproject)
  cp -r "$source_root/tests/consumer/meson_subproject" "$work/project"
  cp "$source_root/tests/consumer/consumer.cpp" "$work/consumer.cpp"
  mkdir -p "$work/project/subprojects"
  ln -s "$source_root" "$work/project/subprojects/nybble"
  meson setup "$work/build" "$work/project" >> "$log" 2>&1
  ninja -C "$work/build" >> "$log" 2>&1
  # As a subproject, nybble builds nothing of its own.
  if meson introspect --targets "$work/build" | grep -Eq '"(unit_[a-z_]+|cache_adapter|close_dispatch|exhaustive_canonical)"'; then
    echo "nybble's own tests or examples were built inside the consumer"
    exit 1
  fi
  "$work/build/consumer"
  ;;
pkg-config)
  install_nybble
  pc_dir=$(dirname "$(find "$work/stage" -name nybble.pc | head -1)")
  PKG_CONFIG_PATH=$pc_dir PKG_CONFIG_SYSROOT_DIR=$work/stage \
    "$source_root/tests/consumer/pkg_config/build.sh" "$work/consumer"
  "$work/consumer"
  ;;
cmake)
  install_nybble
  cmake -S "$source_root/tests/consumer/cmake" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/stage/usr/local" >> "$log" 2>&1
  cmake --build "$work/build" >> "$log" 2>&1
  "$work/build/consumer"
  ;;
*)
  echo "usage: run.sh subproject|pkg-config|cmake SOURCE_ROOT"
  exit 2
  ;;
esac
