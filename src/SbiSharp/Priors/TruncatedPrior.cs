using SbiSharp.Internal;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Priors;

/// <summary>A prior restricted to a box: p(θ | θ ∈ B) = p(θ)·1[θ ∈ B] / P(B), drawn by rejection. The proposal of truncated sequential NPE.</summary>
/// <remarks>P(B) is estimated once from <see cref="MassDraws"/> prior draws, so <see cref="LogProb"/> is normalized up to that Monte Carlo error.
/// Drawing stops with an error, rather than looping for ever, when the box holds less than <see cref="MinimumMass"/> of the prior.</remarks>
public sealed class TruncatedPrior : IPrior
{
    /// <summary>Prior draws that estimate the mass inside the box.</summary>
    public const int MassDraws = 20_000;

    /// <summary>Least prior mass inside the box that sampling accepts.</summary>
    public const double MinimumMass = 1e-5;

    private readonly double _logMass;

    /// <summary>Restricts <paramref name="prior"/> to <paramref name="box"/> (intersected with the prior's support).</summary>
    /// <param name="prior">The untruncated prior.</param>
    /// <param name="box">The region kept.</param>
    /// <param name="generator">Draws the mass estimate; null: torch's global generator.</param>
    /// <exception cref="ArgumentException">The dimensions differ, the box misses the prior's support, or it holds less than <see cref="MinimumMass"/> of the prior.</exception>
    public TruncatedPrior(IPrior prior, Support box, Generator? generator = null)
    {
        Prior = prior ?? throw new ArgumentNullException(nameof(prior));
        ArgumentNullException.ThrowIfNull(box);
        if (box.Dimension != prior.Dimension)
            throw new ArgumentException($"`box` has {box.Dimension} coordinates; the prior has {prior.Dimension}.", nameof(box));
        var outer = prior.Support;
        var lower = box.Lower.Zip(outer.Lower, Math.Max).ToArray();
        var upper = box.Upper.Zip(outer.Upper, Math.Min).ToArray();
        for (int i = 0; i < lower.Length; i++)
            if (!(lower[i] < upper[i]))
                throw new ArgumentException($"`box` coordinate {i + 1} [{box.Lower[i]}, {box.Upper[i]}] does not meet the prior's support [{outer.Lower[i]}, {outer.Upper[i]}].", nameof(box));
        Support = new Support(lower, upper);
        using var draws = prior.Sample(MassDraws, generator);
        using var inside = Support.Contains(draws);
        var kept = inside.sum().item<long>();
        Mass = (double)kept / MassDraws;
        if (Mass < MinimumMass)
            throw new ArgumentException(
                $"`box` holds {kept} of {MassDraws} prior draws (mass below {MinimumMass:G1}); the truncated prior cannot be drawn by rejection. Widen the box.", nameof(box));
        _logMass = Math.Log(Mass);
    }

    /// <summary>The untruncated prior.</summary>
    public IPrior Prior { get; }

    /// <summary>Estimated prior mass inside the box, P(B).</summary>
    public double Mass { get; }

    /// <inheritdoc />
    public int Dimension => Prior.Dimension;

    /// <summary>The box, within the prior's support.</summary>
    public Support Support { get; }

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        Check.PositiveValue(n, nameof(n));
        var kept = new List<Tensor>();
        long have = 0;
        try
        {
            // Draw in batches sized by the mass; the bound on rounds is far above what the mass implies, so it only stops a runaway.
            for (int round = 0; have < n; round++)
            {
                if (round > 1_000) throw new InvalidOperationException($"Rejection sampling of the truncated prior kept {have} of {n} draws after {round} rounds (mass {Mass:G3}).");
                long batch = Math.Min(10_000_000, (long)Math.Ceiling((n - have) / Mass * 1.1) + 16);
                using var draws = Prior.Sample(batch, generator);
                using var inside = Support.Contains(draws);
                var chosen = draws.index(inside);
                have += chosen.shape[0];
                kept.Add(chosen);
            }
            using var all = cat(kept, 0);
            return all.narrow(0, 0, n).clone();
        }
        finally
        {
            foreach (var t in kept) t.Dispose();
        }
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var log = Prior.LogProb(theta).to(ScalarType.Float64);
        using var offset = (-_logMass).ToScalar();
        using var minusInf = double.NegativeInfinity.ToScalar();
        return log.Plus(offset).masked_fill(Support.Contains(theta).logical_not(), minusInf).MoveToOuterDisposeScope();
    }
}
