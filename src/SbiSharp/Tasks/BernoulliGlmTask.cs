using SbiSharp.Internal;
using SbiSharp.IO;
using SbiSharp.Priors;
using SbiSharp.Simulators;
using static TorchSharp.torch;

namespace SbiSharp.Tasks;

/// <summary>sbibm's bernoulli_glm: a generalized linear model of a spiking neuron with 10 parameters and 10 summary statistics.</summary>
/// <remarks>
/// θ = (b₀, h₀..h₈) ~ N(0, B⁻¹), precision B[0,0] = 0.5, B[1:,1:] = FᵀF with F = D² + diag(√(i/9)), D = I − (sub-diagonal ones).
/// ψ = Vθ with the 100×10 design matrix V (column 0 = 1, column j+1 = the stimulus lagged by j), y_t ~ Bernoulli(sigmoid ψ_t),
/// x = Vᵀy = (Σ y_t, spike-triggered sums). The design matrix is read from the sbibm data folder.
/// </remarks>
public static class BernoulliGlmTask
{
    /// <summary>Task name.</summary>
    public const string Name = "bernoulli_glm";

    /// <summary>The prior precision matrix B (10×10).</summary>
    public static double[,] PriorPrecision()
    {
        const int m = 9;
        var d = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            d[i, i] = 1;
            if (i > 0) d[i, i - 1] = -1;
        }
        var f = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < m; k++) s += d[i, k] * d[k, j];
                f[i, j] = s + (i == j ? Math.Sqrt((double)i / m) : 0);
            }
        var b = new double[m + 1, m + 1];
        b[0, 0] = 0.5;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < m; k++) s += f[k, i] * f[k, j];
                b[i + 1, j + 1] = s;
            }
        return b;
    }

    /// <summary>Creates the task, reading <c>bernoulli_glm/design_matrix.csv</c> under <paramref name="dataRoot"/>.</summary>
    /// <exception cref="FileNotFoundException">The design matrix is missing.</exception>
    /// <exception cref="InvalidDataException">It is not 100×10.</exception>
    public static SbiTask Create(string? dataRoot = null)
    {
        var path = Path.Combine(SbibmData.ResolveRoot(dataRoot), Name, "design_matrix.csv");
        var table = CsvTable.Read(path);
        if (table.Rows.Count != 100 || table.Columns != 10)
            throw new InvalidDataException($"'{path}' must hold a 100×10 design matrix; got {table.Rows.Count}×{table.Columns}.");
        var design = table.ToTensor().DetachFromDisposeScope();
        var prior = GaussianPrior.FromPrecision(new double[10], PriorPrecision());
        var simulator = new TensorSimulator(10, 10, (theta, generator) =>
        {
            using var scope = NewDisposeScope();
            var v = design.to(theta.dtype);
            var psi = theta.matmul(v.t());
            var y = (rand(psi.shape, dtype: theta.dtype, generator: generator) < psi.sigmoid()).to(theta.dtype);
            return y.matmul(v).MoveToOuterDisposeScope();
        });
        return new SbiTask(Name, prior, simulator, Enumerable.Range(1, 10).Select(i => $"parameter_{i}").ToArray());
    }
}
