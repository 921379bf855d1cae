using System.Text;
using SbiSharp.IO;

namespace SbiSharp.Bench;

/// <summary>
/// Keeps the result tables in README.md and docs/*.md equal to the Markdown that the benchmarks wrote under bench/results, so a
/// table is never retyped. A region starts with a line <c>&lt;!-- table: bench/results/…/results.md --&gt;</c> and ends with
/// <c>&lt;!-- /table --&gt;</c>; everything between is replaced by that file's text. A region opened by
/// <c>&lt;!-- names: samplers --&gt;</c> (or schedules, parameterizations, weightings, networks, designs) gets the registry's names
/// on one line, and <c>&lt;!-- registry: samplers --&gt;</c> a table of names and descriptions, so lists in the docs enumerate the
/// registries instead of retyping them.
/// </summary>
public static class DocsTables
{
    private const string Open = "<!-- table: ";
    private const string Close = "<!-- /table -->";
    private const string Names = "<!-- names: ";
    private const string Table = "<!-- registry: ";

    private static readonly string[] RegistryNames = { "schedules", "parameterizations", "weightings", "samplers", "networks", "embeddings", "objectives", "designs", "guidance" };

    /// <summary>Only the library's own types: a type a program (or a test) registered at run time is not part of the docs.</summary>
    private static bool BuiltIn(Type type) => type.Assembly == typeof(Registration.Registries).Assembly;

    /// <summary>The built-in entries of <paramref name="registry"/>, name and description.</summary>
    private static IReadOnlyList<(string Name, string Description)> Listed<T>(Registration.Registry<T> registry) where T : class =>
        registry.Entries.Where(e => BuiltIn(e.Type)).Select(e => (e.Name, e.Description)).ToArray();

    private static IReadOnlyList<(string Name, string Description)>? Registry(string name) => name switch
    {
        "schedules" => Listed(Registration.Registries.Schedules),
        "parameterizations" => Listed(Registration.Registries.Parameterizations),
        "weightings" => Listed(Registration.Registries.Weightings),
        "samplers" => Listed(Registration.Registries.Samplers),
        "networks" => Listed(Registration.Registries.Networks),
        "embeddings" => Listed(Registration.Registries.Embeddings),
        "objectives" => Listed(Registration.Registries.Objectives),
        "designs" => Listed(Registration.Registries.Designs),
        "guidance" => Listed(Registration.Registries.Guidance),
        _ => null,
    };

    /// <summary>The Markdown files that may hold generated tables, relative to <paramref name="root"/>.</summary>
    public static IEnumerable<string> Pages(string root) =>
        new[] { Path.Combine(root, "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)).Where(File.Exists);

    /// <summary>Each page's text with its regions regenerated.</summary>
    /// <exception cref="InvalidDataException">A region is not closed, or names a file that does not exist.</exception>
    public static string Regenerate(string root, string page)
    {
        var lines = File.ReadAllLines(page);
        var output = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            output.Append(lines[i]).Append('\n');
            var trimmed = lines[i].Trim();
            var kind = new[] { Open, Names, Table }.FirstOrDefault(k => trimmed.StartsWith(k, StringComparison.Ordinal));
            if (kind is null) continue;
            var source = trimmed[kind.Length..].TrimEnd('-', '>', ' ');
            string text;
            if (kind == Open)
            {
                var path = Path.Combine(root, source);
                if (!File.Exists(path))
                    throw new InvalidDataException($"{page}:{i + 1}: the table source '{source}' does not exist.");
                text = File.ReadAllText(path);
            }
            else
            {
                var entries = Registry(source) ?? throw new InvalidDataException($"{page}:{i + 1}: no registry named '{source}'; valid: {string.Join(", ", RegistryNames)}.");
                text = kind == Names
                    ? string.Join(", ", entries.Select((e, k) => $"`{e.Name}`{(k == 0 ? " (default)" : "")}"))
                    : "| name | what it is |\n|---|---|\n" + string.Join("\n", entries.Select(e => $"| `{e.Name}` | {e.Description} |"));
            }
            int end = i + 1;
            while (end < lines.Length && lines[end].Trim() != Close) end++;
            if (end == lines.Length)
                throw new InvalidDataException($"{page}:{i + 1}: the table region has no closing '{Close}'.");
            foreach (var line in text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
                output.Append(line).Append('\n');
            output.Append(lines[end]).Append('\n');
            i = end;
        }
        return output.ToString();
    }

    /// <summary>Pages whose tables differ from their sources.</summary>
    public static IReadOnlyList<string> Stale(string root) =>
        Pages(root).Where(p => Regenerate(root, p) != File.ReadAllText(p).Replace("\r\n", "\n")).ToList();

    /// <summary>`docs [--check] [ROOT]`: rewrites every stale page (or, with --check, lists them and exits 1).</summary>
    public static int Run(string root, bool check)
    {
        var stale = Stale(root);
        foreach (var page in stale)
        {
            if (check) Console.Error.WriteLine($"stale: {Path.GetRelativePath(root, page)} (run: dotnet run --project bench/SbiSharp.Bench -c Release -- docs)");
            else
            {
                AtomicFile.WriteAllText(page, Regenerate(root, page));
                Console.WriteLine($"regenerated {Path.GetRelativePath(root, page)}");
            }
        }
        if (stale.Count == 0) Console.WriteLine("every generated table is current");
        return check && stale.Count > 0 ? 1 : 0;
    }
}
