using SbiSharp.Estimators;

namespace SbiSharp.Sequential;

/// <summary>The last round's estimator (owned: dispose this) and the record of every round.</summary>
public sealed class SequentialResult : IDisposable
{
    internal SequentialResult(DiffusionPosteriorEstimator estimator, IReadOnlyList<SequentialRound> rounds)
    {
        Estimator = estimator;
        Rounds = rounds;
    }

    /// <summary>The estimator trained on all rounds: its posterior is right for the observation the rounds focused on (not amortized over other x).</summary>
    public DiffusionPosteriorEstimator Estimator { get; }

    /// <summary>One entry per round.</summary>
    public IReadOnlyList<SequentialRound> Rounds { get; }

    /// <summary>Total training time of all rounds, seconds.</summary>
    public double TrainingSeconds => Rounds.Sum(r => r.Training.Seconds);

    /// <inheritdoc />
    public void Dispose() => Estimator.Dispose();
}
