using SbiSharp.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>What a data set gets for training, decided by <see cref="TrainingOptions"/> and not by its type: the validation set and the optimizer's weight decay.</summary>
/// <remarks>Every model family calls these before its <see cref="Trainer"/> runs, so a user's <see cref="ISimulationDataset"/> is treated exactly like the built-in ones.</remarks>
public static class TrainingData
{
    /// <summary>Splits off or draws the validation set that <see cref="TrainingOptions.Validation"/> asks for.</summary>
    /// <param name="training">The data set passed to training.</param>
    /// <param name="validation">Explicit validation data; when given it is used as it is.</param>
    /// <param name="options">The options (validation source, fraction, online validation size).</param>
    /// <param name="generator">Randomness of the split or of the drawn pairs.</param>
    /// <returns>The data to train on and the validation set (null: stop on the training loss); dispose it to free what it split off or drew.</returns>
    /// <exception cref="ArgumentException">The source cannot apply to this data set (a finite one that cannot split, a split of a stream, a stream validation of a finite set).</exception>
    public static TrainingSplit Resolve(ISimulationDataset training, InMemoryDataset? validation, TrainingOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        if (validation is not null) return new TrainingSplit(training, validation, null, null);
        var stream = training.Count is null;
        var source = options.Validation;
        if (source == ValidationSource.Auto)
            source = training is ISplittableDataset ? ValidationSource.Split : stream ? ValidationSource.Stream
                : throw new ArgumentException(
                    $"`training` ({training.GetType().Name}) is a finite data set that cannot split off a validation set (it does not implement {nameof(ISplittableDataset)}); " +
                    $"pass `validation`, or set {nameof(TrainingOptions)}.{nameof(TrainingOptions.Validation)} = {nameof(ValidationSource.None)} to stop on the training loss.", nameof(training));
        switch (source)
        {
            case ValidationSource.Split:
                if (training is not ISplittableDataset splittable)
                    throw new ArgumentException($"{nameof(ValidationSource)}.{nameof(ValidationSource.Split)} needs a data set that can split ({nameof(ISplittableDataset)}); `training` is a {training.GetType().Name}.", nameof(training));
                var (train, held) = splittable.SplitValidation(options.ValidationFraction, generator);
                return new TrainingSplit(train, held, train as IDisposable, held);
            case ValidationSource.Stream:
                if (!stream)
                    throw new ArgumentException($"{nameof(ValidationSource)}.{nameof(ValidationSource.Stream)} needs a stream of fresh simulations (Count = null); `training` is finite, so it would validate on its own pairs.", nameof(training));
                var drawn = Materialize(training, options.OnlineValidationSize, generator);
                return new TrainingSplit(training, drawn, null, drawn);
            default:
                return new TrainingSplit(training, null, null, null);
        }
    }

    /// <summary>The decoupled weight decay <see cref="TrainingOptions.Optimizer"/> asks for: AdamW's <see cref="TrainingOptions.WeightDecay"/>, Adam's 0, or by default AdamW on a finite data set and Adam on a stream.</summary>
    public static double WeightDecay(TrainingOptions options, ISimulationDataset training)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        return options.Optimizer switch
        {
            OptimizerChoice.AdamW => options.WeightDecay,
            OptimizerChoice.Adam => 0.0,
            _ => training.Count is null ? 0.0 : options.WeightDecay,
        };
    }

    /// <summary>The first <paramref name="rows"/> pairs of one pass over a stream, as an in-memory set.</summary>
    private static InMemoryDataset Materialize(ISimulationDataset stream, int rows, Generator generator)
    {
        var batches = stream.Batches(Math.Min(rows, 1_000), (rows + 999) / 1_000, generator).ToList();
        try
        {
            using var scope = NewDisposeScope();
            var theta = cat(batches.Select(b => b.Theta).ToArray(), 0);
            var x = cat(batches.Select(b => b.X).ToArray(), 0);
            var n = Math.Min(rows, theta.shape[0]);
            return new InMemoryDataset(theta.narrow(0, 0, n), x.narrow(0, 0, n));
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }
}
