#!/usr/bin/env bash
# Usage: check.sh pass|fail 'EXPECTED ERE[&&ERE...]' SOURCE COMPILER [FLAGS...]
# pass: SOURCE must compile as it is (the passing twin).
# fail: SOURCE with NYBBLE_COMPILE_FAIL defined must be rejected, and the
#       compiler's output must match EXPECTED (the diagnostic names the problem).
set -u
mode=$1 expected=$2 source=$3
shift 3
if [ "$mode" = pass ]; then
  exec "$@" -fsyntax-only "$source"
fi
output=$("$@" -fsyntax-only -DNYBBLE_COMPILE_FAIL "$source" 2>&1)
status=$?
if [ $status -eq 0 ]; then
  echo "compiled, but must not: $source"
  exit 1
fi
# EXPECTED may hold several patterns joined by '&&'; each must match.
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
    exit 1
  fi
done
echo "rejected as expected: $(grep -Em1 -- "${patterns[0]}" <<<"$output")"
