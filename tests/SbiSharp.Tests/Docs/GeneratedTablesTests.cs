using SbiSharp.Bench;
using SbiSharp.Tests.Analyzers;

namespace SbiSharp.Tests.Docs;

/// <summary>Result tables in README.md and docs/ are the Markdown the benchmarks wrote, never retyped copies that drift.</summary>
public class GeneratedTablesTests
{
    [Fact]
    public void EveryGeneratedTable_EqualsItsBenchResult()
    {
        var root = TemporaryNativeObjectAnalyzerTests.RepositoryRoot();
        var stale = DocsTables.Stale(root);
        Assert.True(stale.Count == 0, "stale tables (run: dotnet run --project bench/SbiSharp.Bench -c Release -- docs): " + string.Join(", ", stale));
    }

    [Fact]
    public void Regenerate_ReplacesTheRegionWithTheSourceAndRefusesAMissingOne()
    {
        var root = Path.Combine(Path.GetTempPath(), "sbisharp-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        Directory.CreateDirectory(Path.Combine(root, "bench", "results"));
        File.WriteAllText(Path.Combine(root, "bench", "results", "t.md"), "| a |\n|---|\n| 2 |\n");
        var page = Path.Combine(root, "docs", "p.md");
        File.WriteAllText(page, "intro\n\n<!-- table: bench/results/t.md -->\n| a |\n|---|\n| 1 |\n<!-- /table -->\n\nend\n");
        Assert.Equal(new[] { page }, DocsTables.Stale(root));
        Assert.Equal("intro\n\n<!-- table: bench/results/t.md -->\n| a |\n|---|\n| 2 |\n<!-- /table -->\n\nend\n", DocsTables.Regenerate(root, page));
        File.WriteAllText(page, "<!-- table: bench/results/missing.md -->\n<!-- /table -->\n");
        var e = Assert.Throws<InvalidDataException>(() => DocsTables.Regenerate(root, page));
        Assert.Contains("'bench/results/missing.md' does not exist", e.Message);
        Directory.Delete(root, true);
    }
}
