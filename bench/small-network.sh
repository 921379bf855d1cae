#!/usr/bin/env bash
# The smaller-network check (issue 5, speed target): trains width 128 × 3 blocks at 10⁴ simulations on two_moons,
# gaussian_mixture and slcp (observations 1–3, the 10⁴ benchmark protocol otherwise), then runs the sampler frontier on those
# models for EM-500, Heun-15, Heun-30 and DPM-Solver++-20. Compare with bench/results/sbibm-1e4 (the default network).
# Usage: bench/small-network.sh [MODELS_OUT=bench/results/small-1e4] [FRONTIER_OUT=bench/results/frontier-small]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/small-1e4}
frontier=${2:-bench/results/frontier-small}
dotnet build src/SbiSharp.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/SbiSharp.Bench -c Release -v q -nologo >/dev/null
cli=src/SbiSharp.Cli/bin/Release/net10.0/SbiSharp.Cli
for task in two_moons gaussian_mixture slcp; do
  "$cli" bench --task "$task" --budget 10000 --width 128 --blocks 3 --observations 1 2 3 --out "$out"
done
"$cli" bench --report --task all --observations 1 2 3 --out "$out"
FRONTIER_SAMPLERS=heun-15,heun-30,dpm-solver++-20 dotnet bench/SbiSharp.Bench/bin/Release/net10.0/SbiSharp.Bench.dll \
  frontier "$out" "$frontier" two_moons,gaussian_mixture,slcp 1
