namespace SbiSharp.Training;

/// <summary>Mini-batch optimal-transport coupling of training data and noise (flow matching), solved by log-domain Sinkhorn.</summary>
/// <remarks>
/// Pooladian et al. 2023 (arXiv:2304.14772), Tong et al. 2023 (arXiv:2302.00482). The cost between data row i and noise row j is
/// ‖θ_i − ε_j‖²/m_θ + w·‖x_i − x_j‖²/m_x, each term divided by its batch mean m; with w &gt; 0 (conditional OT, Chemseddine et al. 2024,
/// arXiv:2403.18705; Kerrigan et al. 2024, arXiv:2404.04240) noise is only moved between rows with similar observations,
/// so the coupling does not mix posteriors of different x. Each data row then draws its noise row from its row of the plan.
/// </remarks>
public sealed record OptimalTransportOptions
{
    /// <summary>Default options: regularization 0.1, at most 100 iterations, plain (unconditional) OT.</summary>
    public static OptimalTransportOptions Default { get; } = new();

    /// <summary>Default options with a condition weight of 10: conditional OT.</summary>
    public static OptimalTransportOptions Conditional { get; } = new() { ConditionWeight = 10 };

    /// <summary>Entropic regularization ε of Sinkhorn, relative to the mean θ–noise cost.</summary>
    public double Regularization { get; init; } = 0.1;

    /// <summary>Most Sinkhorn iterations per batch.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the largest relative error of the plan's column sums drops below this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Weight w of the condition cost ‖x_i − x_j‖² (0: plain OT; &gt; 0: conditional OT).</summary>
    public double ConditionWeight { get; init; }

    /// <summary>Throws on the first invalid field.</summary>
    public OptimalTransportOptions Validate()
    {
        Internal.Check.PositiveValue(Regularization, nameof(Regularization));
        Internal.Check.PositiveValue(MaxIterations, nameof(MaxIterations));
        Internal.Check.PositiveValue(Tolerance, nameof(Tolerance));
        if (!(ConditionWeight >= 0 && double.IsFinite(ConditionWeight)))
            throw new ArgumentOutOfRangeException(nameof(ConditionWeight), ConditionWeight, $"`ConditionWeight` must be finite and ≥ 0; got {ConditionWeight}.");
        return this;
    }
}
