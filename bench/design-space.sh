#!/usr/bin/env bash
# The design-space table (issue 5): trains every named design on the six sbibm tasks at one budget, scores C2ST, then writes
# OUT/design.md and OUT/design.json. Resumable (each design folder resumes like `sbisharp bench`).
# Usage: bench/design-space.sh [OUT=bench/results/design-1e4] [extra `sbisharp bench` options, e.g. --observations 1 --max-steps 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/design-1e4}
shift || true
designs=${DESIGNS:-"edm-vp edm-ve cosine-v cosine-eps linear-vp-eps flow-matching flow-matching-a-0.6 flow-matching-cot"}
dotnet build src/SbiSharp.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/SbiSharp.Bench -c Release -v q -nologo >/dev/null
cli=src/SbiSharp.Cli/bin/Release/net10.0/SbiSharp.Cli
for design in $designs; do
  "$cli" bench --task all --budget 10000 --method "$design" --out "$out/$design" "$@"
done
dotnet bench/SbiSharp.Bench/bin/Release/net10.0/SbiSharp.Bench.dll design-report "$out"
