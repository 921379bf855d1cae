#!/usr/bin/env bash
# Kill-and-resume check (issue 13's done-when): `train` with --checkpoint-dir, killed with SIGKILL after KILL_AFTER seconds,
# run again with the same command, must end with a model file byte-identical to an uninterrupted run with the same seed.
# Usage: bench/resume-check.sh [OUT_DIR] [KILL_AFTER_SECONDS]   (default bench/results/resume-check, 20)
# Writes OUT_DIR/resume-check.md and .json; exits 1 if the files differ or the rerun did not resume.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/resume-check}
kill_after=${2:-20}
args=(train --task gaussian_linear --simulations 20000)
dotnet build src/SbiSharp.Cli -c Release > /dev/null || exit 2
cli=(dotnet src/SbiSharp.Cli/bin/Release/net10.0/SbiSharp.Cli.dll)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s); "${cli[@]}" "${args[@]}" --out "$work/uninterrupted.sbis" > "$work/a.log" 2>&1; a_rc=$?; a_s=$(( $(date +%s) - start ))
"${cli[@]}" "${args[@]}" --checkpoint-dir "$work/ckpt" --out "$work/resumed.sbis" > "$work/b1.log" 2>&1 &
pid=$!; sleep "$kill_after"; kill -9 "$pid"; wait "$pid"; kill_rc=$?
start=$(date +%s); "${cli[@]}" "${args[@]}" --checkpoint-dir "$work/ckpt" --out "$work/resumed.sbis" > "$work/b2.log" 2>&1; b_rc=$?; b_s=$(( $(date +%s) - start ))
resumed=$(grep -o 'resumed from the checkpoint in .* at step [0-9]*' "$work/b2.log" | grep -o '[0-9]*$' || echo none)
if cmp -s "$work/uninterrupted.sbis" "$work/resumed.sbis"; then same=true; else same=false; fi
trained=$(grep -o 'trained [0-9]* steps' "$work/a.log" | grep -o '[0-9]*')
mkdir -p "$out"
cat > "$out/resume-check.json" <<JSON
{ "date": "$(date -u +%F)", "command": "sbisharp ${args[*]}", "kill_after_seconds": $kill_after, "uninterrupted_exit": $a_rc, "uninterrupted_seconds": $a_s,
  "uninterrupted_steps": ${trained:-null}, "killed_exit": $kill_rc, "resumed_from_step": "${resumed}", "resumed_exit": $b_rc, "resumed_seconds": $b_s, "byte_identical": $same }
JSON
cat > "$out/resume-check.md" <<MD
Kill-and-resume check ($(date -u +%F), bench/resume-check.sh): \`sbisharp ${args[*]} --checkpoint-dir D\` killed with SIGKILL
(exit $kill_rc) after $kill_after s, then run again: resumed from step $resumed, exit $b_rc, $b_s s; the uninterrupted run took
$a_s s and ${trained:-?} steps. Model files byte-identical: **$same**.
MD
cat "$out/resume-check.md"
[ "$same" = true ] && [ "$resumed" != none ]
