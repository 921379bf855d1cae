#!/usr/bin/env bash
# Packs SbiSharp to a local feed, builds a console app outside the repository against the package (plus TorchSharp-cpu), and
# runs a tiny train + sample with it. Checks what a NuGet consumer gets: the metadata, and the libLibTorchSharp.so GLIBCXX
# patch from buildTransitive (without it the app dies at the first tensor on Debian 12). Prints "package check passed".
# Usage: build/package-check.sh [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
version="0.1.0-check.$(date +%s)"
feed="$work/feed"
consumer="$work/consumer"
cache=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
dotnet pack "$root/src/SbiSharp" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
package="$feed/SbiSharp.$version.nupkg"
unzip -l "$package" > "$work/contents.txt"
for entry in lib/net10.0/SbiSharp.dll lib/net10.0/SbiSharp.xml README.md LICENSE buildTransitive/SbiSharp.targets buildTransitive/LibTorchSharpGlibcxxPatch.targets buildTransitive/GlibcxxWeakPatchTask.cs; do
  grep -q " $entry\$" "$work/contents.txt" || { echo "package check failed: $entry missing from $package"; exit 1; }
done
unzip -p "$package" SbiSharp.nuspec > "$work/SbiSharp.nuspec"
for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' "<version>$version</version>" '<repository type="git"'; do
  grep -q "$field" "$work/SbiSharp.nuspec" || { echo "package check failed: nuspec lacks $field"; exit 1; }
done
rm -rf "$consumer"
mkdir -p "$consumer"
cat > "$consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="cache" value="$cache" />
  </packageSources>
</configuration>
XML
cat > "$consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RestorePackagesPath>$work/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SbiSharp" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
cat > "$consumer/Program.cs" <<'CS'
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Networks;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

var task = GaussianLinearTask.Create(2);
using var data = InMemoryDataset.Simulate(task.Joint(), 2_000, new Generator(1));
using var estimator = new DiffusionPosteriorEstimator(task.Prior, 2, DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 32, Blocks = 2 } });
var trained = estimator.Train(data, TrainingOptions.Default with { Epochs = 5, BatchSize = 128 });
using var draws = estimator.Sample(new[] { 0.5, -0.5 }, 500);
var mean = draws.mean(new long[] { 0 }).data<float>().ToArray();
if (!draws.isfinite().all().item<bool>()) { Console.WriteLine("non-finite draws"); return 1; }
Console.WriteLine($"consumer: {trained.Steps} steps, posterior mean ({mean[0]:F2}, {mean[1]:F2}); exact (0.25, -0.25)");
return Math.Abs(mean[0] - 0.25) < 0.25 && Math.Abs(mean[1] + 0.25) < 0.25 ? 0 : 1;
CS
(cd "$consumer" && dotnet run -c Release --nologo)
echo "package check passed ($package)"
