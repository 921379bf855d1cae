#!/usr/bin/env bash
# Builds and runs the whole test suite (Release) and ends with one line "N passed, N failed".
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter "Category!=Slow"]
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
dotnet test SbiSharp.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
rm -f "$log"
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
