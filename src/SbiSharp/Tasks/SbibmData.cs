using SbiSharp.IO;
using static TorchSharp.torch;

namespace SbiSharp.Tasks;

/// <summary>Reads sbibm's stored observations, reference posterior samples and true parameters (plain CSV) for one task.</summary>
/// <remarks>Layout: <c>&lt;root&gt;/&lt;task&gt;/obs_k.csv</c>, <c>ref_k.csv</c> (10,000 rows), <c>true_parameters_k.csv</c>, k = 1..10. Every file's shape is checked.</remarks>
public sealed class SbibmData
{
    /// <summary>Default data folder, relative to the working directory.</summary>
    public const string DefaultRoot = "../shared/sbibm-data";

    /// <summary>Environment variable that overrides <see cref="DefaultRoot"/>.</summary>
    public const string RootVariable = "SBISHARP_SBIBM_DATA";

    /// <summary>Number of stored observations per task.</summary>
    public const int Observations = 10;

    /// <summary>Opens <paramref name="task"/>'s folder under <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public SbibmData(string task, int parameterDimension, int observationDimension, string? root = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        Folder = Path.Combine(ResolveRoot(root), task);
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException($"No sbibm data for task '{task}': '{Path.GetFullPath(Folder)}' does not exist.");
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
    }

    /// <summary>The task's data folder.</summary>
    public string Folder { get; }

    /// <summary>Dθ expected in reference and true-parameter files.</summary>
    public int ParameterDimension { get; }

    /// <summary>Dx expected in observation files.</summary>
    public int ObservationDimension { get; }

    /// <summary>Resolves the data root: the argument, else $SBISHARP_SBIBM_DATA, else ../shared/sbibm-data searched upwards from the working directory.</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing found.</exception>
    public static string ResolveRoot(string? root)
    {
        if (!string.IsNullOrWhiteSpace(root))
            return Directory.Exists(root) ? root : throw new DirectoryNotFoundException($"sbibm data folder '{Path.GetFullPath(root)}' does not exist.");
        var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return ResolveRoot(fromEnvironment);
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "sbibm-data");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            candidate = Path.Combine(dir.FullName, "shared", "sbibm-data");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException($"sbibm data folder not found: pass it explicitly (--data), set {RootVariable}, or place it at {DefaultRoot}.");
    }

    /// <summary>Observation k (1-based), length Dx.</summary>
    public double[] Observation(int k) => Read($"obs_{k}.csv", k, ObservationDimension, 1).Rows[0];

    /// <summary>True parameters of observation k, length Dθ.</summary>
    public double[] TrueParameters(int k) => Read($"true_parameters_{k}.csv", k, ParameterDimension, 1).Rows[0];

    /// <summary>Reference posterior samples of observation k, shape (10000, Dθ).</summary>
    public Tensor ReferenceSamples(int k) => Read($"ref_{k}.csv", k, ParameterDimension, 10_000).ToTensor();

    private CsvTable Read(string file, int k, int columns, int rows)
    {
        if (k < 1 || k > Observations) throw new ArgumentOutOfRangeException(nameof(k), k, $"`k` must lie in 1..{Observations}; got {k}.");
        var path = Path.Combine(Folder, file);
        var table = CsvTable.Read(path);
        if (table.Columns != columns || table.Rows.Count != rows)
            throw new InvalidDataException($"'{path}' must hold {rows} row(s) of {columns} values; got {table.Rows.Count} row(s) of {table.Columns}.");
        return table;
    }
}
