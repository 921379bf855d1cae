using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SbiSharp.Data;
using SbiSharp.Estimators;
using SbiSharp.Internal;
using SbiSharp.Priors;
using SbiSharp.Simulators;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Sequential;

/// <summary>Truncated sequential neural posterior estimation for one observation x_o (TSNPE, Deistler et al. 2022, arXiv:2210.04815).</summary>
/// <remarks>
/// Round 1 simulates from the prior and trains a model; every later round draws θ from the prior truncated to a box around the
/// current posterior at x_o (the range of <see cref="SequentialOptions.TruncationDraws"/> draws between the <see cref="SequentialOptions.TailQuantile"/>
/// quantiles of each coordinate, widened by <see cref="SequentialOptions.Margin"/>,
/// intersected with the previous box so the regions are nested), simulates, and trains a fresh model on all rounds' pairs with the
/// ordinary loss. Inside the last box every round's proposal is proportional to the prior, so the model's posterior there is the
/// true one and no leakage correction is needed, as long as each box holds the posterior's mass (what the margin is for).
/// θ is the inferred parameter and x the observation.
/// </remarks>
public static class TruncatedSequentialEstimation
{
    /// <summary>Runs all rounds.</summary>
    /// <param name="prior">The prior p(θ).</param>
    /// <param name="simulator">The simulator x ~ p(x | θ).</param>
    /// <param name="observation">x_o, length Dx.</param>
    /// <param name="budget">Total simulations over all rounds.</param>
    /// <param name="options">Rounds and truncation; null: the defaults.</param>
    /// <param name="estimator">Architecture and schedule; null: the defaults.</param>
    /// <param name="training">Optimization settings (round r trains with seed <see cref="TrainingOptions.Seed"/> + r − 1); null: the defaults.</param>
    /// <param name="sampling">How the truncation draws are made (seeded per round); null: the defaults.</param>
    /// <param name="parameterNames">Parameter names for output files.</param>
    /// <param name="logger">Receives one line per round.</param>
    /// <param name="cancellationToken">Stops after the current round's training.</param>
    /// <exception cref="ArgumentException">Dimensions that do not match, a non-finite observation, or a budget below 100 simulations per round.</exception>
    public static SequentialResult Run(IPrior prior, ISimulator simulator, double[] observation, long budget, SequentialOptions? options = null,
        DiffusionEstimatorOptions? estimator = null, TrainingOptions? training = null, SamplingOptions? sampling = null,
        IReadOnlyList<string>? parameterNames = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(observation);
        var o = (options ?? SequentialOptions.Default).Validate();
        var t = (training ?? TrainingOptions.Default).Validate();
        var s = (sampling ?? SamplingOptions.Default).Validate();
        logger ??= NullLogger.Instance;
        if (simulator.ParameterDimension != prior.Dimension)
            throw new ArgumentException($"`simulator` takes {simulator.ParameterDimension} parameters; the prior has {prior.Dimension}.", nameof(simulator));
        if (observation.Length != simulator.ObservationDimension)
            throw new ArgumentException($"`observation` has {observation.Length} values; the simulator returns {simulator.ObservationDimension}.", nameof(observation));
        Check.FiniteArray(observation, nameof(observation));
        if (budget < 100L * o.Rounds)
            throw new ArgumentOutOfRangeException(nameof(budget), budget, $"`budget` must be at least 100 simulations per round ({100L * o.Rounds} for {o.Rounds} rounds); got {budget}.");
        var e = estimator ?? DiffusionEstimatorOptions.Default;
        using var x = tensor(observation, new long[] { 1, observation.Length }, ScalarType.Float32);
        var rounds = new List<SequentialRound>();
        var datasets = new List<InMemoryDataset>();
        DiffusionPosteriorEstimator? current = null;
        Support region = prior.Support;
        try
        {
            for (int r = 1; r <= o.Rounds; r++)
            {
                long n = budget / o.Rounds + (r == o.Rounds ? budget % o.Rounds : 0);
                using var generator = new Generator((ulong)(t.Seed + 7919L * r));
                IPrior proposal = prior;
                double mass = 1;
                if (current is not null)
                {
                    region = Region(current, x, region, o, s with { Seed = (s.Seed ?? 0) + r });
                    var truncated = new TruncatedPrior(prior, region, generator);
                    (proposal, mass, region) = (truncated, truncated.Mass, truncated.Support);
                }
                datasets.Add(InMemoryDataset.Simulate(new JointSampler(proposal, simulator), n, generator));
                using var all = Concatenate(datasets);
                current?.Dispose();
                current = null;
                current = new DiffusionPosteriorEstimator(prior, simulator.ObservationDimension, e, parameterNames);
                var result = current.Train(all, t with { Seed = t.Seed + r - 1 }, logger: logger, cancellationToken: cancellationToken);
                rounds.Add(new SequentialRound(r, n, region, mass, result));
                logger.LogInformation("Round {Round}/{Rounds}: {Simulations} simulations from a region of prior mass {Mass:G3}; trained {Steps} steps ({Reason}).",
                    r, o.Rounds, n, mass, result.Steps, result.StopReason);
                if (cancellationToken.IsCancellationRequested) break;
            }
            var done = current!;
            current = null;
            return new SequentialResult(done, rounds);
        }
        finally
        {
            current?.Dispose();
            foreach (var d in datasets) d.Dispose();
        }
    }

    /// <summary>The box around <see cref="SequentialOptions.TruncationDraws"/> draws at x_o, widened by the margin and kept inside the previous region.</summary>
    internal static Support Region(DiffusionPosteriorEstimator model, Tensor x, Support previous, SequentialOptions o, SamplingOptions sampling)
    {
        double[] lo, hi;
        using (var scope = NewDisposeScope())
        {
            var flat = model.Sample(x, o.TruncationDraws, sampling)[0].to(ScalarType.Float64);
            var q = tensor(new[] { o.TailQuantile, 1 - o.TailQuantile }, ScalarType.Float64);
            var bounds = flat.quantile(q, 0);
            lo = bounds[0].data<double>().ToArray();
            hi = bounds[1].data<double>().ToArray();
        }
        var lower = new double[lo.Length];
        var upper = new double[lo.Length];
        for (int i = 0; i < lo.Length; i++)
        {
            var pad = o.Margin * Math.Max(hi[i] - lo[i], 1e-12);
            lower[i] = Math.Max(previous.Lower[i], lo[i] - pad);
            upper[i] = Math.Min(previous.Upper[i], hi[i] + pad);
            if (!(lower[i] < upper[i])) (lower[i], upper[i]) = (previous.Lower[i], previous.Upper[i]);
        }
        return new Support(lower, upper);
    }

    private static InMemoryDataset Concatenate(IReadOnlyList<InMemoryDataset> parts)
    {
        using var theta = cat(parts.Select(p => p.Theta).ToArray(), 0);
        using var xs = cat(parts.Select(p => p.X).ToArray(), 0);
        return new InMemoryDataset(theta, xs);
    }
}
