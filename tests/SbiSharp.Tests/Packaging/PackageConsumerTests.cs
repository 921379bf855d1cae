using System.Diagnostics;
using SbiSharp.Tests.Analyzers;

namespace SbiSharp.Tests.Packaging;

/// <summary>What a NuGet consumer gets: build/package-check.sh packs SbiSharp, builds an app outside the repository against it and runs a tiny train + sample.</summary>
public class PackageConsumerTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Package_ConsumerOutsideTheRepository_TrainsAndSamples()
    {
        if (!OperatingSystem.IsLinux()) return; // the script and the GLIBCXX patch it checks are Linux-only
        var root = TemporaryNativeObjectAnalyzerTests.RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "sbisharp-package-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("bash", new[] { Path.Combine(root, "build", "package-check.sh"), work })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        // The test host's own MSBuild variables must not leak into the nested dotnet commands.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("package check passed", text);
        Assert.Contains("consumer: ", text);
        try { Directory.Delete(work, true); } catch (IOException) { }
    }
}
