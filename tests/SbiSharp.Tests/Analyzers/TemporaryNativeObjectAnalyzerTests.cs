using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp;

namespace SbiSharp.Tests.Analyzers;

/// <summary>The SBI001–SBI004 analyzer: snippets that must trigger it and snippets that must not.</summary>
public class TemporaryNativeObjectAnalyzerTests
{
    private const string Prelude = """
        using TorchSharp;
        using static TorchSharp.torch;
        static class C
        {
            static Tensor M(Tensor t, Tensor u, double d)
            {
        """;

    private const string Epilogue = """
            }
        }
        """;

    [Theory]
    [InlineData("return t * 2.0;", "SBI004")]
    [InlineData("return 2.0 * t;", "SBI004")]
    [InlineData("return t + u;", "SBI004")]
    [InlineData("return t - 1;", "SBI004")]
    [InlineData("return t.square();", "SBI004")]
    [InlineData("return t.add(u);", "SBI004")]
    [InlineData("return nn.functional.mish(t);", "SBI004")]
    [InlineData("return t.mul(2.0);", "SBI001")]
    [InlineData("return t.pow(2);", "SBI001")]
    [InlineData("return t.add(u, alpha: d);", "SBI001")]
    [InlineData("return t.clamp(min: 1e-6);", "SBI001")]
    [InlineData("return t.mul(d.ToScalar());", "SBI002")]
    [InlineData("return where(t.gt(u), t, 0.0);", "SBI003")]
    public void Analyzer_UnsafeSnippet_Reports(string body, string id)
    {
        var diagnostics = Analyze(Prelude + body + Epilogue);
        Assert.Contains(diagnostics, d => d.Id == id);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Theory]
    [InlineData("using var two = 2.0.ToScalar(); return t.mul(two);")]
    [InlineData("using var s = d.ToScalar(); return t * s;")]
    [InlineData("return t * u;")]
    [InlineData("return t - u;")]
    [InlineData("return t.mul(u).exp();")]
    [InlineData("using var one = 1.ToScalar(); return t.add(u, one);")]
    [InlineData("return t[0];")]
    [InlineData("return t.reshape(2, -1).sum(1);")]
    public void Analyzer_SafeSnippet_IsSilent(string body)
    {
        var diagnostics = Analyze(Prelude + body + Epilogue);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Analyzer_Message_NamesTheFix()
    {
        var diagnostic = Assert.Single(Analyze(Prelude + "return t.mul(2.0);" + Epilogue));
        var message = diagnostic.GetMessage();
        Assert.Contains("TorchSharp.Scalar", message);
        Assert.Contains("using var s = value.ToScalar();", message);
    }

    [Fact]
    public void HiddenScalarList_MatchesAScanOfTheReferencedTorchSharp()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "SbiSharp.Analyzers", "HiddenScalarApis.txt");
        var lines = File.ReadAllLines(path);
        var listed = lines.Where(l => l.Length > 0 && l[0] != '#').ToHashSet(StringComparer.Ordinal);
        var scanned = HiddenScalarScan.Scan(typeof(torch).Assembly).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("SBISHARP_WRITE_HIDDEN_SCALAR_LIST") == "1")
        {
            // Regenerates the list after a TorchSharp upgrade: SBISHARP_WRITE_HIDDEN_SCALAR_LIST=1 ./test.sh --filter HiddenScalarList
            File.WriteAllLines(path, lines.TakeWhile(l => l.StartsWith('#')).Concat(scanned.OrderBy(s => s, StringComparer.Ordinal)));
            listed = scanned;
        }
        var missing = scanned.Except(listed).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        var stale = listed.Except(scanned).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0 && stale.Length == 0,
            $"HiddenScalarApis.txt is out of date for TorchSharp {typeof(torch).Assembly.GetName().Version}: add [{string.Join("; ", missing)}], remove [{string.Join("; ", stale)}].");
    }

    private static ImmutableArray<Diagnostic> Analyze(string source)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted.Where(p => Path.GetFileName(p).StartsWith("System.") || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(torch).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Snippet", new[] { CSharpSyntaxTree.ParseText(source) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "snippet does not compile: " + string.Join("; ", errors.Select(e => e.ToString())));
        return compilation.WithAnalyzers(ImmutableArray.Create(LoadAnalyzer())).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static DiagnosticAnalyzer LoadAnalyzer()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var path = Path.Combine(RepositoryRoot(), "src", "SbiSharp.Analyzers", "bin", configuration, "netstandard2.0", "SbiSharp.Analyzers.dll");
        var assembly = Assembly.LoadFrom(path);
        return (DiagnosticAnalyzer)Activator.CreateInstance(assembly.GetType("SbiSharp.Analyzers.TemporaryNativeObjectAnalyzer", throwOnError: true)!)!;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SbiSharp.slnx"))) return dir.FullName;
        throw new InvalidOperationException("SbiSharp.slnx not found above " + AppContext.BaseDirectory);
    }
}
