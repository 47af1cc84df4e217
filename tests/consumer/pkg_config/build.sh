#!/usr/bin/env bash
# Plain builds that ask pkg-config for nybble's flags, with strict warnings.
#   build.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
strict=(-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror)
# shellcheck disable=SC2046
"${CXX:-c++}" $(pkg-config --cflags nybble) "${strict[@]}" -I"$here/.." "$here/../consumer.cpp" -o "$1/consumer"
# shellcheck disable=SC2046
"${CXX:-c++}" $(pkg-config --cflags nybble-range-v3) "${strict[@]}" "$here/../consumer_range_v3.cpp" \
  -o "$1/consumer_range_v3"
