#!/usr/bin/env bash
# Builds and runs the test suite (Release) and ends with one line "N passed, N failed".
# Usage: ./test.sh            the suite: every test except the Slow category (under 10 minutes on 2 cores)
#        ./test.sh --slow     only the Slow category (long training runs against analytic posteriors; CI runs it after the suite)
#        ./test.sh --all      both
#        ./test.sh [--all|--slow] [extra dotnet test arguments; a --filter of your own replaces the category filter]
set -uo pipefail
cd "$(dirname "$0")"
filter="Category!=Slow"
case "${1:-}" in
  --slow) filter="Category=Slow"; shift ;;
  --all) filter=""; shift ;;
esac
for arg in "$@"; do [ "$arg" = "--filter" ] && filter=""; done
args=(SbiSharp.slnx -c Release --logger "console;verbosity=normal")
[ -n "$filter" ] && args+=(--filter "$filter")
log=$(mktemp)
dotnet test "${args[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
rm -f "$log"
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
