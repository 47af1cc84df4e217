#!/usr/bin/env bash
# A plain build that asks pkg-config for nybble's flags.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"${CXX:-c++}" $(pkg-config --cflags nybble) -Wall -Wextra -Wpedantic -Werror "$here/../consumer.cpp" -o "$1"
