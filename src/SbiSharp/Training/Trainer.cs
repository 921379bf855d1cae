using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>Trains any module on any <see cref="ITrainingObjective"/> and keeps an exponential moving average (EMA) of its weights, with early stopping on the
/// EMA's validation loss, checkpoints and exact resume: the part every model family shares.</summary>
/// <remarks>
/// Adam or AdamW (decoupled weight decay), a learning rate that warms up and then decays on validation plateaus (training to
/// convergence, the default) or by a cosine over a fixed length, global gradient-norm clipping, one dispose scope per
/// batch. A non-finite loss stops training with <see cref="TrainingDivergedException"/> instead of a NaN model. At the end the
/// average holds the weights of the best validation epoch. <see cref="TrainingData"/> resolves the validation set and optimizer
/// from <see cref="TrainingOptions"/> for any data set, the same way for built-in and user data sets.
/// </remarks>
public sealed class Trainer
{
    private readonly nn.Module _network;
    private readonly nn.Module _average;
    private readonly ITrainingObjective _objective;
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;

    /// <summary>Prepares training of <paramref name="network"/>; nothing runs until <see cref="Run"/>.</summary>
    /// <param name="network">The module whose parameters are optimized; with dropout, a <see cref="Networks.ConditionalNetwork"/> draws it from the trainer's seeded generator.</param>
    /// <param name="average">A module of the same architecture that receives the EMA of <paramref name="network"/>'s parameters (and at the end the best epoch's); validation evaluates it.</param>
    /// <param name="objective">The loss.</param>
    /// <param name="options">Optimization settings; null uses the defaults.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentException">The two modules' parameters differ in number or shape.</exception>
    public Trainer(nn.Module network, nn.Module average, ITrainingObjective objective, TrainingOptions? options = null, ILogger? logger = null)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _average = average ?? throw new ArgumentNullException(nameof(average));
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        if (ReferenceEquals(network, average)) throw new ArgumentException("`average` must be a second module, not `network` itself.", nameof(average));
        var a = network.parameters().ToArray();
        var b = average.parameters().ToArray();
        if (a.Length == 0) throw new ArgumentException("`network` has no parameters to train.", nameof(network));
        if (a.Length != b.Length || a.Zip(b).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
            throw new ArgumentException($"`average` must have the parameters of `network` ({a.Length} tensors, {a.Sum(p => p.numel()):N0} values); it has {b.Length} tensors, {b.Sum(p => p.numel()):N0} values.", nameof(average));
        _options = (options ?? TrainingOptions.Default).Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>When set, <see cref="Run"/> adds the time of every phase of every step to it (for <c>bench profile</c>); null (default) measures nothing.</summary>
    public TrainingProfile? Profile { get; set; }

    /// <summary>Runs training.</summary>
    /// <param name="training">Training pairs (any data set; see <see cref="TrainingData.Resolve"/> for splitting off a validation set by the options).</param>
    /// <param name="validation">Held-out pairs for early stopping (null: the training loss decides).</param>
    /// <param name="prepare">Maps a raw batch to the (θ, x) the objective sees (standardized, on the module's device); the returned tensors belong to the batch's dispose scope. Null: the batch as it is.</param>
    /// <param name="weightDecay">Decoupled weight decay of the optimizer (0: Adam); <see cref="TrainingData.WeightDecay"/> gives the options' choice.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Stops after the current batch; the best weights so far are kept.</param>
    /// <param name="fingerprint">Identifies the configuration and data when <see cref="TrainingOptions.CheckpointDirectory"/> is set; a checkpoint of another fingerprint is refused.</param>
    /// <exception cref="TrainingDivergedException">The loss became non-finite.</exception>
    public TrainingResult Run(ISimulationDataset training, InMemoryDataset? validation = null, Func<Simulators.SimulationBatch, (Tensor Theta, Tensor X)>? prepare = null,
        double weightDecay = 0, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, string fingerprint = "")
    {
        ArgumentNullException.ThrowIfNull(training);
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"`weightDecay` must be finite and ≥ 0; got {weightDecay}.");
        prepare ??= batch => (batch.Theta.alias(), batch.X.alias());
        var o = _options;
        var batchesPerEpoch = training.Count is { } n ? (int)((n + o.BatchSize - 1) / o.BatchSize) : o.BatchesPerEpoch;
        long plannedSteps = (long)batchesPerEpoch * o.Epochs;
        long totalSteps = Math.Min(plannedSteps, o.MaxSteps ?? long.MaxValue);
        // An objective whose validation loss does not rank models has no plateaus to act on: Auto means the cosine over the run's length.
        var resolved = _objective.SelectsByValidation || o.Schedule != LearningRateSchedule.Auto ? o.ResolvedSchedule : LearningRateSchedule.Cosine;
        var plateau = resolved == LearningRateSchedule.Plateau
            ? new PlateauSchedule(o.LearningRate, Math.Min(o.WarmupSteps, (long)Math.Round(o.WarmupFraction * totalSteps)), o.WarmupStartFactor, o.PlateauFactor, o.PlateauPatience, o.MinLearningRateFactor)
            : null;
        var cosine = plateau is null ? new WarmupCosineSchedule(o.LearningRate, totalSteps, o.WarmupFraction, o.WarmupStartFactor) : null;
        var network = _network;
        var selects = _objective.SelectsByValidation;
        var dropout = network as Networks.ConditionalNetwork;
        using var flat = new FlatParameters(network.parameters().ToArray(), withGradients: true);
        using var flatAverage = new FlatParameters(_average.parameters().ToArray(), withGradients: false);
        using var optimizer = new AdamOptimizer(flat, weightDecay);
        using var generator = new Generator((ulong)o.Seed);
        if (dropout is not null) dropout.DropoutGenerator = generator;
        var ema = new ExponentialMovingAverage(flat, flatAverage, o.EmaDecay);
        var losses = new List<double>();
        var validationLosses = new List<double>();
        var rates = new List<double>();
        Tensor[]? best = null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        long step = 0;
        string stop = "completed all epochs";
        var clock = Stopwatch.StartNew();
        int firstEpoch = 1;
        long? resumedFrom = null;
        bool finished = false;
        var checkpointDirectory = o.CheckpointDirectory;
        if (checkpointDirectory is not null && TrainingCheckpoint.Read(checkpointDirectory, fingerprint) is { } saved)
        {
            var (state, tensors) = saved;
            var path = TrainingCheckpoint.PathIn(checkpointDirectory);
            ModelFile.Load(ModelFile.Parameters(network), "network", Set(tensors, "network", path), path);
            ModelFile.Load(ModelFile.Parameters(_average), "ema", Set(tensors, "ema", path), path);
            ModelFile.Load(optimizer.FirstMoments, "adam_m", Set(tensors, "adam_m", path), path);
            ModelFile.Load(optimizer.SecondMoments, "adam_v", Set(tensors, "adam_v", path), path);
            if (tensors.TryGetValue("best", out var bestSet))
            {
                best = Snapshot(null);
                ModelFile.Load(ModelFile.Numbered(best), "best", bestSet, path);
            }
            optimizer.Steps = state.OptimizerSteps;
            ema.Updates = state.EmaUpdates;
            TrainingCheckpoint.RestoreGenerator(generator, state.GeneratorState);
            losses.AddRange(state.Losses);
            validationLosses.AddRange(state.ValidationLosses);
            rates.AddRange(state.LearningRates);
            (bestLoss, bestEpoch, sinceBest, step) = (state.BestLoss, state.BestEpoch, state.SinceBest, state.Step);
            if (plateau is not null) (plateau.Factor, plateau.SinceReduction) = (state.LearningRateFactor, state.SinceReduction);
            firstEpoch = state.Epoch + 1;
            finished = state.Finished;
            if (finished) stop = state.StopReason;
            resumedFrom = state.Step;
            _logger.LogInformation("Resumed from {Path} at step {Step} (epoch {Epoch}).", path, state.Step, state.Epoch);
        }
        Stopwatch? lastCheckpoint = null; // the first epoch always writes one, so even a run killed early resumes
        try
        {
            for (int epoch = firstEpoch; epoch <= o.Epochs && !finished; epoch++)
            {
                network.train();
                double sum = 0;
                int count = 0;
                var profile = Profile;
                var mark = Stopwatch.GetTimestamp();
                foreach (var raw in training.Batches(o.BatchSize, batchesPerEpoch, generator))
                {
                    using var scope = NewDisposeScope();
                    using (raw)
                    {
                        var (theta, x) = prepare(raw);
                        optimizer.LearningRate = plateau?.At(step) ?? cosine!.At(step);
                        optimizer.ZeroGrad();
                        if (profile is not null) mark = profile.Mark(mark, 0);
                        (_objective as IProgressiveObjective)?.SetStep(step, totalSteps);
                        var loss = _objective.Loss(network, theta, x, generator);
                        var value = loss.item<float>();
                        if (!float.IsFinite(value)) throw new TrainingDivergedException(step, value);
                        if (profile is not null) mark = profile.Mark(mark, 1);
                        loss.backward();
                        if (profile is not null) mark = profile.Mark(mark, 2);
                        flat.ClipGradients(o.GradientClipNorm);
                        if (profile is not null) mark = profile.Mark(mark, 3);
                        optimizer.Step();
                        if (profile is not null) mark = profile.Mark(mark, 4);
                        ema.Update();
                        if (profile is not null) mark = profile.Mark(mark, 5);
                        sum += value;
                        count++;
                        step++;
                    }
                    Internal.NativeHeap.AfterTrainingStep();
                    if (profile is not null)
                    {
                        mark = profile.Mark(mark, 6);
                        profile.Steps++;
                    }
                    if (cancellationToken.IsCancellationRequested || OutOfTime(clock) || step >= totalSteps) break;
                }
                losses.Add(sum / Math.Max(1, count));
                var validationLoss = validation is null ? losses[^1] : Evaluate(validation, prepare, totalSteps);
                if (profile is not null) profile.Mark(mark, 7);
                validationLosses.Add(validationLoss);
                // The best weights are kept on any decrease; only a decrease beyond the threshold resets patience and the plateau count.
                bool improved = double.IsPositiveInfinity(bestLoss) || validationLoss < bestLoss - o.ImprovementThreshold * Math.Abs(bestLoss);
                if (validationLoss < bestLoss && selects)
                {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best = Snapshot(best);
                }
                sinceBest = improved ? 0 : sinceBest + 1;
                if (plateau is not null && plateau.EndEpoch(improved))
                    _logger.LogDebug("Epoch {Epoch}: no validation improvement for {Patience} epochs; learning rate now {Rate:G3}.", epoch, o.PlateauPatience, o.LearningRate * plateau.Factor);
                rates.Add(plateau?.At(step) ?? cosine!.At(step));
                progress?.Report(new TrainingProgress(epoch, o.Epochs, step, totalSteps, losses[^1], validationLoss, step / Math.Max(1e-9, clock.Elapsed.TotalSeconds)) { LearningRate = rates[^1] });
                _logger.LogDebug("Epoch {Epoch}: loss {Loss:F4}, validation {Validation:F4}", epoch, losses[^1], validationLoss);
                if (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
                if (OutOfTime(clock)) { stop = $"time limit {o.TimeLimit} reached"; break; }
                string? done = null;
                if (step >= totalSteps)
                    done = step < plannedSteps ? $"step cap MaxSteps = {o.MaxSteps} reached" : stop;
                else if (selects && o.EarlyStoppingPatience > 0 && sinceBest >= o.EarlyStoppingPatience)
                    done = $"early stopping: the validation loss improved by less than {o.ImprovementThreshold:G2} (relative) for {o.EarlyStoppingPatience} epochs";
                else if (epoch == o.Epochs)
                    done = stop;
                if (checkpointDirectory is not null && (done is not null || lastCheckpoint is null || lastCheckpoint.Elapsed >= o.CheckpointInterval))
                {
                    WriteCheckpoint(checkpointDirectory, fingerprint, epoch, step, losses, validationLosses, rates, bestLoss, bestEpoch, sinceBest,
                        optimizer, ema, generator, best, done, plateau);
                    lastCheckpoint = Stopwatch.StartNew();
                }
                if (done is not null) { stop = done; break; }
            }
        }
        finally
        {
            if (dropout is not null) dropout.DropoutGenerator = null;
            network.eval();
        }
        if (best is not null) Restore(best);
        _logger.LogInformation("Training finished after {Steps} steps ({Reason}); best epoch {Best}.", step, stop, bestEpoch);
        return new TrainingResult(losses, validationLosses, bestEpoch, step, clock.Elapsed.TotalSeconds, stop) { ResumedFromStep = resumedFrom, LearningRates = rates };
    }

    private static Dictionary<string, (long[] Shape, float[] Data)> Set(ModelFile.Contents tensors, string name, string path) =>
        tensors.TryGetValue(name, out var set) ? set : throw new InvalidDataException($"The checkpoint '{path}' has no '{name}' tensors.");

    private void WriteCheckpoint(string directory, string fingerprint, int epoch, long step, List<double> losses, List<double> validationLosses, List<double> rates,
        double bestLoss, int bestEpoch, int sinceBest, AdamOptimizer optimizer, ExponentialMovingAverage ema, Generator generator, Tensor[]? best, string? done,
        PlateauSchedule? plateau)
    {
        var state = new TrainingCheckpoint
        {
            Fingerprint = fingerprint, Epoch = epoch, Step = step, Losses = losses.ToList(), ValidationLosses = validationLosses.ToList(),
            BestLoss = bestLoss, BestEpoch = bestEpoch, SinceBest = sinceBest, OptimizerSteps = optimizer.Steps, EmaUpdates = ema.Updates,
            GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), Finished = done is not null, StopReason = done ?? "",
            LearningRateFactor = plateau?.Factor ?? 1, LearningRates = rates.ToList(), SinceReduction = plateau?.SinceReduction ?? 0,
        };
        var sets = new List<(string, IReadOnlyList<(string, Tensor)>)>
        {
            ("network", ModelFile.Parameters(_network)),
            ("ema", ModelFile.Parameters(_average)),
            ("adam_m", optimizer.FirstMoments),
            ("adam_v", optimizer.SecondMoments),
        };
        if (best is not null) sets.Add(("best", ModelFile.Numbered(best)));
        state.Write(directory, sets);
        _logger.LogDebug("Checkpoint at step {Step} (epoch {Epoch}) written to {Directory}.", step, epoch, directory);
    }

    private bool OutOfTime(Stopwatch clock) => _options.TimeLimit is { } limit && clock.Elapsed >= limit;

    /// <summary>Validation loss of the EMA weights with fixed noise, so epochs are comparable.</summary>
    private double Evaluate(InMemoryDataset validation, Func<Simulators.SimulationBatch, (Tensor Theta, Tensor X)> prepare, long totalSteps)
    {
        var network = _average;
        network.eval();
        (_objective as IProgressiveObjective)?.SetStep(null, totalSteps);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)_options.Seed + 1);
        double sum = 0;
        long rows = 0;
        long n = validation.Count!.Value;
        for (long start = 0; start < n; start += _options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(_options.BatchSize, n - start);
            using var raw = new Simulators.SimulationBatch(validation.Theta.narrow(0, start, len), validation.X.narrow(0, start, len));
            var (theta, x) = prepare(raw);
            using var loss = _objective.Loss(network, theta, x, generator);
            sum += loss.item<float>() * len;
            rows += len;
        }
        return sum / rows;
    }

    private Tensor[] Snapshot(Tensor[]? previous)
    {
        if (previous is not null) foreach (var t in previous) t.Dispose();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return _average.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    private void Restore(Tensor[] snapshot)
    {
        using (no_grad())
        {
            var targets = _average.parameters().ToArray();
            for (int i = 0; i < targets.Length; i++) targets[i].copy_(snapshot[i]);
        }
        foreach (var t in snapshot) t.Dispose();
    }
}
