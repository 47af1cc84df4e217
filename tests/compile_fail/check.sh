#!/usr/bin/env bash
# Usage: check.sh pass|fail 'EXPECTED ERE[&&ERE...]' SOURCE COMPILER [FLAGS...]
#   pass  compiles SOURCE as it is: the passing twin, an ordinary test.
#   fail  compiles SOURCE with NYBBLE_COMPILE_FAIL defined. Registered with
#         should_fail: it exits non-zero only when the compiler rejected the file
#         with a diagnostic matching every EXPECTED pattern (the message names the
#         problem). If the file compiles, or is rejected for another reason, it
#         exits 0, which Meson reports as an unexpected pass: a failure.
set -u
mode=$1 expected=$2 source=$3
shift 3
if [ "$mode" = pass ]; then
  exec "$@" -fsyntax-only "$source"
fi
output=$("$@" -fsyntax-only -DNYBBLE_COMPILE_FAIL "$source" 2>&1)
if [ $? -eq 0 ]; then
  echo "compiled, but must not: $source"
  exit 0
fi
patterns=()
while [[ $expected == *'&&'* ]]; do
  patterns+=("${expected%%&&*}")
  expected=${expected#*&&}
done
patterns+=("$expected")
for pattern in "${patterns[@]}"; do
  if ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "rejected, but the diagnostic does not match /$pattern/:"
    echo "$output" | head -40
    exit 0
  fi
done
echo "rejected as expected: $(grep -Em1 -- "${patterns[0]}" <<<"$output")"
exit 1
