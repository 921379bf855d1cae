using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Priors;

/// <summary>Product of independent priors over consecutive blocks of θ.</summary>
/// <remarks>log p(θ) = Σₖ log pₖ(θ_blockₖ). Use <see cref="Of"/>: it returns a prior with a score when every component has one.</remarks>
public class IndependentPrior : IPrior
{
    private protected readonly IPrior[] Components;

    private protected IndependentPrior(IPrior[] components)
    {
        Components = components;
        Dimension = components.Sum(c => c.Dimension);
    }

    /// <summary>Combines <paramref name="components"/> in order; the result implements <see cref="IScoredPrior"/> when all of them do.</summary>
    /// <exception cref="ArgumentException">No components or a null component.</exception>
    public static IndependentPrior Of(params IPrior[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length == 0) throw new ArgumentException("`components` must hold at least one prior; got 0.", nameof(components));
        for (int i = 0; i < components.Length; i++)
            if (components[i] is null) throw new ArgumentException($"`components[{i}]` is null.", nameof(components));
        var copy = (IPrior[])components.Clone();
        return copy.All(c => c is IScoredPrior) ? new ScoredIndependentPrior(copy) : new IndependentPrior(copy);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The components' supports, concatenated.</summary>
    public Support Support => Support.Concat(Components.Select(c => c.Support));

    /// <summary>The component priors in order.</summary>
    public IReadOnlyList<IPrior> Parts => Components;

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? generator = null)
    {
        PriorChecks.Count(n);
        using var scope = NewDisposeScope();
        return cat(Components.Select(c => c.Sample(n, generator)).ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        long offset = 0;
        foreach (var c in Components)
        {
            var part = c.LogProb(theta.narrow(1, offset, c.Dimension));
            total = total is null ? part : total.Plus(part);
            offset += c.Dimension;
        }
        return total!.MoveToOuterDisposeScope();
    }

    private protected Tensor ScoreOfParts(Tensor theta)
    {
        PriorChecks.Theta(this, theta);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        long offset = 0;
        foreach (var c in Components)
        {
            parts.Add(((IScoredPrior)c).Score(theta.narrow(1, offset, c.Dimension)));
            offset += c.Dimension;
        }
        return cat(parts.ToArray(), 1).MoveToOuterDisposeScope();
    }
}
