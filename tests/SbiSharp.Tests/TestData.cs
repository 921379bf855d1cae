using System.Globalization;

namespace SbiSharp.Tests;

/// <summary>Access to the stored sbibm observations in ../shared/sbibm-data.</summary>
internal static class TestData
{
    public static string SbibmRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "sbibm-data"), Path.Combine(dir.FullName, "..", "shared", "sbibm-data") })
                    if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
                dir = dir.Parent;
            }
            throw new DirectoryNotFoundException("shared/sbibm-data not found above " + AppContext.BaseDirectory);
        }
    }

    public static double[][] GaussianLinearObservations(int count) =>
        Enumerable.Range(1, count).Select(k => ReadRow(Path.Combine(SbibmRoot, "gaussian_linear", $"obs_{k}.csv"))).ToArray();

    private static double[] ReadRow(string path) =>
        File.ReadAllLines(path)[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
