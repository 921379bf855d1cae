namespace SbiSharp.Diagnostics;

/// <summary>A random-walk Metropolis sampler for checking posteriors of small models against a long MCMC run.</summary>
/// <remarks>
/// Gaussian proposals θ′ = θ + s·z, z ~ N(0, I), accepted with probability min(1, p(θ′)/p(θ)) (Metropolis et al. 1953). During
/// burn-in, log s moves by (accepted − target)/√(k + 1) per iteration (a Robbins–Monro step), so the chain keeps detailed
/// balance after burn-in, where s is fixed. Plain doubles: the log density is a C# function, evaluated once per iteration.
/// </remarks>
public sealed class RandomWalkMetropolis
{
    private readonly Func<double[], double> _logDensity;

    /// <summary>Creates the sampler.</summary>
    /// <param name="logDensity">Unnormalized log density; −∞ outside the support, never NaN.</param>
    /// <param name="options">Chain length, burn-in, thinning and proposal settings.</param>
    public RandomWalkMetropolis(Func<double[], double> logDensity, RandomWalkMetropolisOptions? options = null)
    {
        _logDensity = logDensity ?? throw new ArgumentNullException(nameof(logDensity));
        Options = (options ?? RandomWalkMetropolisOptions.Default).Validate();
    }

    /// <summary>The options.</summary>
    public RandomWalkMetropolisOptions Options { get; }

    /// <summary>Runs one chain from <paramref name="initial"/>.</summary>
    /// <exception cref="ArgumentException">The initial point has zero density or the log density returns NaN.</exception>
    public MetropolisResult Run(double[] initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        if (initial.Length == 0) throw new ArgumentException("`initial` must have at least one coordinate.", nameof(initial));
        var o = Options;
        var random = new Random(o.Seed);
        var current = (double[])initial.Clone();
        var logP = Evaluate(current);
        if (double.IsNegativeInfinity(logP)) throw new ArgumentException("`initial` has zero density (log density −∞); start inside the support.", nameof(initial));
        var logScale = Math.Log(o.InitialScale);
        var proposal = new double[current.Length];
        var draws = new double[o.Draws][];
        long accepted = 0, counted = 0;
        int kept = 0;
        long total = o.BurnIn + (long)o.Draws * o.Thin;
        for (long k = 0; k < total; k++)
        {
            var scale = Math.Exp(logScale);
            for (int j = 0; j < current.Length; j++) proposal[j] = current[j] + scale * Normal(random);
            var logQ = Evaluate(proposal);
            var accept = Math.Log(random.NextDouble()) < logQ - logP;
            if (accept)
            {
                Array.Copy(proposal, current, current.Length);
                logP = logQ;
            }
            if (k < o.BurnIn)
            {
                logScale += ((accept ? 1 : 0) - o.TargetAcceptance) / Math.Sqrt(k + 1);
                continue;
            }
            counted++;
            if (accept) accepted++;
            if ((k - o.BurnIn + 1) % o.Thin == 0) draws[kept++] = (double[])current.Clone();
        }
        return new MetropolisResult(draws, (double)accepted / counted, Math.Exp(logScale));
    }

    private double Evaluate(double[] theta)
    {
        var value = _logDensity(theta);
        if (double.IsNaN(value)) throw new ArgumentException($"The log density returned NaN at θ = ({string.Join(", ", theta.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}).");
        return value;
    }

    private static double Normal(Random random)
    {
        // Box–Muller; 1 − U avoids log(0).
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
