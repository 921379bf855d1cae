using System.Text.Json;
using Microsoft.Extensions.Logging;
using SbiSharp.Composition;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Guidance;
using SbiSharp.Internal;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Simulators;
using SbiSharp.Spaces;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Estimators;

/// <summary>Amortized neural posterior estimation with a conditional diffusion model: train once on (θ, x) pairs, then sample p(θ | x) for any x.</summary>
/// <remarks>
/// θ may first be mapped to unconstrained space by a <see cref="ParameterTransform"/> (logit for a box, log for a half line; by default the
/// identity, with draws outside a bounded prior's support rejected when sampling), then θ and x are standardized with statistics of the
/// training data (all stored with the model, inverted when sampling). Draws come back in the prior's space, and <see cref="LogProb"/>
/// includes the transform's log-Jacobian.
/// The denoiser's network comes from <see cref="DiffusionEstimatorOptions.Network"/> (default: a <see cref="ResidualMlp"/>); its schedule, prediction target and loss come from
/// <see cref="DiffusionEstimatorOptions"/> (default: EDM schedule in variance-preserving form with F-prediction); sampling uses the exponential moving average of the weights. See Arruda et al. 2025 (diffusion models for SBI) and
/// Karras et al. 2022 (arXiv:2206.00364).
/// Thread safety: <see cref="Sample(Tensor, int, SamplingOptions?, IProgress{double}?, IReadOnlyList{DenoiserGuidance}?)"/>, <see cref="SampleComposed"/> and
/// <see cref="LogProb"/> may be called from several threads; calls on one estimator run one at a time (libtorch already uses every
/// core inside one call), so parallel calls give the same draws as serial calls with the same seeds. Do not train while sampling.
/// </remarks>
public sealed class DiffusionPosteriorEstimator : IDisposable
{
    internal const string Kind = "diffusion-posterior-estimator";
    private readonly ConditionalNetwork _network;
    private readonly ConditionalNetwork _ema;
    private readonly Device _device;
    private readonly object _sync = new();

    /// <summary>Creates an untrained estimator.</summary>
    /// <param name="parameterDimension">Dθ.</param>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="options">Architecture and schedule; null uses the defaults.</param>
    /// <param name="parameterNames">Names of the parameters for output files; default parameter_1..parameter_D.</param>
    /// <param name="transform">Map of θ to unconstrained space; null: the identity on ℝᴰ (draws are not restricted).</param>
    public DiffusionPosteriorEstimator(int parameterDimension, int observationDimension, DiffusionEstimatorOptions? options = null, IReadOnlyList<string>? parameterNames = null,
        ParameterTransform? transform = null)
        : this(parameterDimension, observationDimension, options, parameterNames, transform, null)
    {
    }

    /// <summary>Creates an untrained estimator for parameters drawn from <paramref name="prior"/>: its support decides the transform to unconstrained space, and it is the default prior of <see cref="SampleComposed"/>.</summary>
    /// <param name="prior">The training prior p(θ).</param>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="options">Architecture and schedule; null uses the defaults.</param>
    /// <param name="parameterNames">Names of the parameters for output files; default parameter_1..parameter_D.</param>
    /// <param name="transform">The map to the space the network learns in; null: <see cref="ParameterTransform.Identity(Support)"/> on the prior's
    /// support (θ as it is; draws outside the support are rejected when sampling, as sbi's NPE does). <see cref="ParameterTransform.Unconstrained"/>
    /// learns in logit/log space instead, so every draw is inside by construction (better on some tasks, worse on others: docs/parameter-space.md).</param>
    public DiffusionPosteriorEstimator(IPrior prior, int observationDimension, DiffusionEstimatorOptions? options = null, IReadOnlyList<string>? parameterNames = null,
        ParameterTransform? transform = null)
        : this((prior ?? throw new ArgumentNullException(nameof(prior))).Dimension, observationDimension, options, parameterNames, transform ?? ParameterTransform.Identity(prior.Support), prior)
    {
    }

    internal DiffusionPosteriorEstimator(int parameterDimension, int observationDimension, DiffusionEstimatorOptions? options, IReadOnlyList<string>? parameterNames,
        ParameterTransform? transform, IPrior? prior)
    {
        Check.PositiveValue(parameterDimension, nameof(parameterDimension));
        Check.PositiveValue(observationDimension, nameof(observationDimension));
        Transform = transform ?? ParameterTransform.Identity(parameterDimension);
        if (Transform.Dimension != parameterDimension)
            throw new ArgumentException($"`transform` has {Transform.Dimension} coordinates; the estimator's θ has {parameterDimension}.", nameof(transform));
        Prior = prior;
        Options = (options ?? DiffusionEstimatorOptions.Default).Validate();
        _device = torch.device(Options.Device);
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
        ParameterNames = parameterNames?.ToArray() ?? Enumerable.Range(1, parameterDimension).Select(i => $"parameter_{i}").ToArray();
        if (ParameterNames.Count != parameterDimension)
            throw new ArgumentException($"`parameterNames` must have {parameterDimension} entries; got {ParameterNames.Count}.", nameof(parameterNames));
        using var generator = new Generator((ulong)Options.InitializationSeed);
        _network = CreateNetwork(parameterDimension, observationDimension, generator);
        _ema = CreateNetwork(parameterDimension, observationDimension, generator);
        _network.to(_device);
        _ema.to(_device);
        _network.eval();
        _ema.eval();
        Schedule = Options.Schedule;
        Denoiser = new NetworkDenoiser(_ema, Schedule, Options.Prediction, Options.ConditionDropout > 0);
        ThetaStandardizer = Standardizer.Identity(parameterDimension);
        XStandardizer = Standardizer.Identity(observationDimension);
    }

    /// <summary>The network the denoiser runs: the options' network, behind the embedding unless that is the identity (then the network alone, as in files written before the embedding seam).</summary>
    private ConditionalNetwork CreateNetwork(int parameterDimension, int observationDimension, Generator generator)
    {
        var flag = Options.ConditionDropout > 0 ? 1 : 0;
        ObservationEmbedding? embedding = null;
        if (!Options.Embedding.IsIdentity)
        {
            embedding = Options.Embedding.Create(observationDimension, generator)
                ?? throw new InvalidOperationException($"{Options.Embedding.GetType().Name}.Create returned null.");
            if (embedding.InputDimension != observationDimension)
                throw new InvalidOperationException($"{Options.Embedding.GetType().Name}.Create built an embedding for Dx = {embedding.InputDimension}; the estimator asked for Dx = {observationDimension}.");
        }
        var inputs = (embedding?.OutputDimension ?? observationDimension) + flag;
        var network = Options.Network.Create(parameterDimension, inputs, generator)
            ?? throw new InvalidOperationException($"{Options.Network.GetType().Name}.Create returned null.");
        if (network.ParameterDimension != parameterDimension || network.ObservationDimension != inputs)
            throw new InvalidOperationException(
                $"{Options.Network.GetType().Name}.Create built a network for Dθ = {network.ParameterDimension}, Dx = {network.ObservationDimension}; the estimator asked for Dθ = {parameterDimension}, Dx = {inputs}.");
        ConditionalNetwork full = embedding is null ? network : new EmbeddedNetwork(embedding, network, flag == 1);
        return Options.Objective.Wrap(full, generator) ?? throw new InvalidOperationException($"{Options.Objective.GetType().Name}.Wrap returned null.");
    }

    /// <summary>The options it was built with.</summary>
    public DiffusionEstimatorOptions Options { get; }

    /// <summary>Dθ.</summary>
    public int ParameterDimension { get; }

    /// <summary>Dx.</summary>
    public int ObservationDimension { get; }

    /// <summary>Parameter names (CSV headers).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The noise schedule.</summary>
    public INoiseSchedule Schedule { get; }

    /// <summary>The map of θ to the unconstrained space the network works in, with the support it respects.</summary>
    public ParameterTransform Transform { get; }

    /// <summary>The support of θ (all of ℝᴰ unless the estimator was built from a bounded prior or given a transform).</summary>
    public Support Support => Transform.Support;

    /// <summary>The full map between θ and the denoiser's standardized, unconstrained units.</summary>
    public ParameterSpace Space => new(Transform, ThetaStandardizer);

    /// <summary>The training prior: the one the estimator was built from, or the one stored in the model file (null when built from dimensions, or loaded from a file
    /// written before priors were stored or with a prior type of the user's own, which has no JSON form; then only its support is known).</summary>
    public IPrior? Prior { get; }

    /// <summary>Whether sampling rejects draws: some coordinate has a finite bound that its transform does not enforce.</summary>
    private bool MayLeaveSupport => Enumerable.Range(0, ParameterDimension).Any(i =>
        Transform.Kinds[i] == CoordinateTransform.Identity && (double.IsFinite(Support.Lower[i]) || double.IsFinite(Support.Upper[i])));

    /// <summary>The denoiser used for sampling (EMA weights), working in standardized units.</summary>
    public NetworkDenoiser Denoiser { get; }

    /// <summary>Standardization of the transformed θ (u = T(θ)) fitted on the training data.</summary>
    public Standardizer ThetaStandardizer { get; private set; }

    /// <summary>Standardization of x fitted on the training data.</summary>
    public Standardizer XStandardizer { get; private set; }

    /// <summary>Whether <see cref="Train"/> has run (or a trained model was loaded).</summary>
    public bool IsTrained { get; private set; }

    /// <summary>Number of trainable parameters of the network.</summary>
    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    /// <summary>Trains on <paramref name="training"/>.</summary>
    /// <param name="training">Any data set. What it gets is decided by <see cref="TrainingOptions.Optimizer"/> and <see cref="TrainingOptions.Validation"/>, not by its type:
    /// by default a finite one (<see cref="InMemoryDataset"/>) trains with AdamW on a held-out split, a stream of fresh simulations (Count = null, e.g. <see cref="OnlineDataset"/>) with Adam, validated on pairs drawn once from it.</param>
    /// <param name="options">Optimization settings; null uses the defaults.</param>
    /// <param name="validation">Explicit validation data; default: split from an in-memory set, or simulated once for an online set.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Stops training after the current batch; the best weights so far are kept.</param>
    /// <exception cref="ArgumentException">The data's dimensions do not match the estimator.</exception>
    /// <exception cref="TrainingDivergedException">The loss became non-finite.</exception>
    public TrainingResult Train(ISimulationDataset training, TrainingOptions? options = null, InMemoryDataset? validation = null,
        IProgress<TrainingProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        TrainWithStandardization(training, options, validation, progress, logger, cancellationToken, null);

    /// <summary><see cref="Train(ISimulationDataset, TrainingOptions?, InMemoryDataset?, IProgress{TrainingProgress}?, ILogger?, CancellationToken)"/>, with the
    /// standardization given instead of fitted when <paramref name="standardization"/> is set (a distilled student works in its teacher's units).</summary>
    internal TrainingResult TrainWithStandardization(ISimulationDataset training, TrainingOptions? options, InMemoryDataset? validation,
        IProgress<TrainingProgress>? progress, ILogger? logger, CancellationToken cancellationToken, (Standardizer Theta, Standardizer X)? standardization)
    {
        ArgumentNullException.ThrowIfNull(training);
        var o = (options ?? TrainingOptions.Default).Validate();
        if (o.MaxSteps is null && Options.Objective.DefaultTrainingSteps is { } fixedLength)
        {
            o = o with { MaxSteps = fixedLength };
            logger?.LogInformation("The '{Objective}' objective cannot stop early (its loss does not rank models): training runs {Steps} steps and keeps the last weights.",
                Registration.Registries.Objectives.NameOf(Options.Objective), fixedLength);
        }
        CheckData(training, nameof(training));
        if (validation is not null) CheckData(validation, nameof(validation));
        // An in-memory set is checked whole, so that a refused row is numbered as in the caller's data; what comes from elsewhere
        // is checked where it is read (FitStandardizers) or drawn (the validation set below).
        var trainingChecked = training is InMemoryDataset;
        if (training is InMemoryDataset all) CheckInsideSupport(all.Theta, nameof(training));
        if (validation is not null) CheckInsideSupport(validation.Theta, nameof(validation));
        var fingerprint = o.CheckpointDirectory is null ? "" : Fingerprint(training, validation, o);
        using var splitGenerator = new Generator((ulong)o.Seed + 2);
        using var data = TrainingData.Resolve(training, validation, o, splitGenerator);
        if (data.ValidationIsDerived && !trainingChecked) CheckInsideSupport(data.Validation!.Theta, nameof(training));
        var weightDecay = TrainingData.WeightDecay(o, training);
        if (standardization is { } given)
        {
            if (given.Theta.Dimension != ParameterDimension || given.X.Dimension != ObservationDimension)
                throw new ArgumentException($"The given standardization is for Dθ = {given.Theta.Dimension}, Dx = {given.X.Dimension}; the estimator has Dθ = {ParameterDimension}, Dx = {ObservationDimension}.", nameof(standardization));
            (ThetaStandardizer, XStandardizer) = given;
        }
        else FitStandardizers(data.Training, o, splitGenerator, checkSupport: !trainingChecked);
        // Rows of a data set that is not in memory are checked as they stream past (the standardizer saw only the first 10,000).
        _checkStreamedBatches = !trainingChecked && !Support.IsReal;
        CheckSpread(logger);
        var objective = Options.Objective.Create(Options) ?? throw new InvalidOperationException($"{Options.Objective.GetType().Name}.Create returned null.");
        using var ownedObjective = objective as IDisposable;
        if (Options.Objective is DenoisingObjectiveSpec) WarnIfIllConditioned(objective as DenoisingObjective, logger);
        var trainer = new Trainer(_network, _ema, objective, o, logger);
        var result = trainer.Run(data.Training, data.Validation, Prepare, weightDecay, progress, cancellationToken, fingerprint);
        IsTrained = true;
        return result;
    }

    /// <summary>Logs a warning when the denoising objective spreads its signal over very few noise levels.</summary>
    private void WarnIfIllConditioned(DenoisingObjective? objective, ILogger? logger)
    {
        if (logger is null || objective is null) return;
        var effective = objective.Proposal is { } proposal
            ? ObjectiveConditioning.EffectiveSampleFraction(Schedule, Options.Prediction, Options.Loss, Options.Weighting, proposal)
            : ObjectiveConditioning.EffectiveSampleFraction(Schedule, Options.Prediction, Options.Loss, Options.Weighting);
        if (effective < ObjectiveConditioning.WarningFraction)
            logger.LogWarning("The objective {Prediction}/{Loss}/{Weighting} on this schedule has an effective sample fraction of {Fraction:F3}: a few noise levels carry the gradient, and it may need far more training than the defaults to reproduce the posterior.",
                Options.Prediction.Name, Options.Loss.Name, Options.Weighting.Name, effective);
    }

    /// <summary>Refuses what needs a denoiser at every noise level when the family does not learn one.</summary>
    private void RequireDenoiser(string what)
    {
        if (!Options.Objective.LearnsDenoiser)
            throw new InvalidOperationException(
                $"{what} needs the score of a denoiser at every noise level; this model's objective '{Registration.Registries.Objectives.NameOf(Options.Objective)}' does not learn one. Sample it without guidance, or train a diffusion model (objective 'denoising').");
    }

    /// <summary>SHA-256 over the architecture, the training options that shape the result (not where or how often checkpoints go, nor the time limit) and the data.</summary>
    private string Fingerprint(ISimulationDataset training, InMemoryDataset? validation, TrainingOptions o)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Text(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        void Data(ISimulationDataset? data)
        {
            if (data is InMemoryDataset memory)
            {
                foreach (var t in new[] { memory.Theta, memory.X })
                {
                    using var contiguous = t.contiguous();
                    hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<float>().ToArray().AsSpan()));
                }
            }
            else if (data is not null) Text($"{data.GetType().FullName} {data.ParameterDimension} {data.ObservationDimension} {data.Count}");
        }
        Text(JsonSerializer.Serialize(Options, ModelFile.Json));
        Text(JsonSerializer.Serialize(Transform, ModelFile.Json));
        Text(JsonSerializer.Serialize(o with { CheckpointDirectory = null, CheckpointInterval = default, TimeLimit = null }, ModelFile.Json));
        Data(training);
        Data(validation);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private void CheckData(ISimulationDataset data, string name)
    {
        if (data.ParameterDimension != ParameterDimension || data.ObservationDimension != ObservationDimension)
            throw new ArgumentException(
                $"`{name}` has Dθ = {data.ParameterDimension}, Dx = {data.ObservationDimension}; the estimator expects Dθ = {ParameterDimension}, Dx = {ObservationDimension}.", name);
    }

    private void FitStandardizers(ISimulationDataset training, TrainingOptions o, Generator generator, bool checkSupport)
    {
        List<SimulationBatch> batches = training is InMemoryDataset memory
            ? new() { new SimulationBatch(memory.Theta.alias(), memory.X.alias()) }
            : training.Batches(o.BatchSize, Math.Max(1, 10_000 / o.BatchSize), generator).Take(Math.Max(1, 10_000 / o.BatchSize)).ToList();
        var transformed = new List<Tensor>();
        try
        {
            foreach (var b in batches)
            {
                if (checkSupport) CheckInsideSupport(b.Theta, "training");
                transformed.Add(Transform.Forward(b.Theta));
            }
            ThetaStandardizer = Standardizer.Fit(transformed);
            XStandardizer = Standardizer.Fit(batches.Select(b => b.X));
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
            foreach (var t in transformed) t.Dispose();
        }
    }

    /// <summary>A θ column without spread cannot be learned (its posterior is the training value): refuse. An x column without spread carries no information: warn.</summary>
    private void CheckSpread(ILogger? logger)
    {
        if (ThetaStandardizer.ConstantColumns.Count > 0)
        {
            var names = string.Join(", ", ThetaStandardizer.ConstantColumns.Select(j => $"'{ParameterNames[j]}' = {ThetaStandardizer.Mean[j]:G6}"));
            throw new ArgumentException(
                $"`training` has parameter columns that never vary: {names}. A fixed parameter cannot be inferred; remove it from θ (or simulate it from its prior).", "training");
        }
        if (XStandardizer.ConstantColumns.Count > 0)
            logger?.LogWarning("Observation columns {Columns} (1-based) are constant in the training data; they carry no information and are passed through unscaled.",
                string.Join(", ", XStandardizer.ConstantColumns.Select(j => j + 1)));
    }

    /// <summary>Training θ outside the support would be clamped onto its bound by the transform: refuse it with the first such row.</summary>
    private void CheckInsideSupport(Tensor theta, string name, string? what = null)
    {
        if (Support.IsReal) return;
        using var scope = NewDisposeScope();
        var outside = Support.Contains(theta).logical_not();
        if (!outside.any().item<bool>()) return;
        var row = outside.nonzero()[0, 0].item<long>();
        var values = Tensors.ToDoubles(theta[row]);
        var j = Enumerable.Range(0, ParameterDimension).First(k => !(values[k] >= Support.Lower[k] && values[k] <= Support.Upper[k]));
        throw new ArgumentException(
            $"`{name}`{what} θ row {row + 1} has '{ParameterNames[j]}' = {values[j]:G6}, outside the support {Support.Describe(j)} of the estimator's prior; {outside.sum().item<long>()} rows are outside in all.", name);
    }

    /// <summary>Whether <see cref="Prepare"/> checks each training batch against the support (set by <see cref="Train"/> for data sets not in memory).</summary>
    private bool _checkStreamedBatches;

    private (Tensor Theta, Tensor X) Prepare(SimulationBatch batch)
    {
        if (_checkStreamedBatches) CheckInsideSupport(batch.Theta, "training", " (a streamed batch)");
        using var scope = NewDisposeScope();
        var theta = ThetaStandardizer.Forward(Transform.Forward(batch.Theta.to(_device))).MoveToOuterDisposeScope();
        return (theta, XStandardizer.Forward(batch.X.to(_device)).MoveToOuterDisposeScope());
    }

    /// <summary>Draws <paramref name="numSamples"/> posterior samples for each observation.</summary>
    /// <param name="x">Observations, shape (N_obs, Dx), in original units.</param>
    /// <param name="numSamples">Draws per observation, positive.</param>
    /// <param name="options">Sampler, seed and chunk size; null uses the defaults.</param>
    /// <param name="progress">Reports the fraction of work done, in [0, 1].</param>
    /// <param name="guidance">Inference-time changes of the posterior (constraints, a new prior, fixed components, classifier-free guidance), applied in order around the denoiser; null or empty: the plain posterior.</param>
    /// <returns>Samples of shape (N_obs, n, Dθ) in original units, on the CPU.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong shape or holds NaN/Inf.</exception>
    /// <exception cref="InvalidOperationException">The draws were not finite.</exception>
    public Tensor Sample(Tensor x, int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null)
    {
        using var result = Draw(x, numSamples, options, progress, guidance);
        return result.Samples.alias();
    }

    /// <summary>Like <see cref="Sample(Tensor, int, SamplingOptions?, IProgress{double}?, IReadOnlyList{DenoiserGuidance}?)"/>, also reporting what the draws cost:
    /// network evaluations counted in the run, and the share of draws kept inside the support.</summary>
    /// <returns>The draws (N_obs, n, Dθ) with the run's record; dispose it (or its samples).</returns>
    public SamplingResult Draw(Tensor x, int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null)
    {
        Check.Matrix(x, ObservationDimension, nameof(x), "(N_obs, Dx) to match the model's observation dimension");
        Check.Finite(x, nameof(x));
        Check.PositiveValue(numSamples, nameof(numSamples));
        var o = Resolve(options);
        CheckOutputSize(x.shape[0] * (long)numSamples, nameof(numSamples));
        lock (_sync) return SampleLocked(x, numSamples, o, progress, guidance);
    }

    /// <summary>The sampler that <see cref="SamplingOptions.Sampler"/> = null stands for: the model family's own (DPM-Solver++(2M)-40 for a diffusion model,
    /// the multistep consistency sampler for a consistency model).</summary>
    public DiffusionSampler DefaultSampler => Options.Objective.DefaultSampler();

    /// <summary>Validated options with the sampler resolved; a sampler that needs a score is refused for a family that learns none.</summary>
    private SamplingOptions Resolve(SamplingOptions? options)
    {
        var o = (options ?? SamplingOptions.Default).Validate();
        var sampler = o.SamplerFor(Options.Objective);
        if (sampler.NeedsScore && !Options.Objective.LearnsDenoiser)
            throw new ArgumentException(
                $"The sampler '{sampler.Name}' integrates the probability flow of a denoiser's score; this model's objective '{Registration.Registries.Objectives.NameOf(Options.Objective)}' learns a consistency function, which has none. " +
                $"Leave {nameof(SamplingOptions.Sampler)} unset (its default is '{DefaultSampler.Name}') or use a {nameof(ConsistencySampler)} (--sampler consistency).", nameof(options));
        return o with { Sampler = sampler };
    }

    /// <summary>The largest number of draws × Dθ one call returns (one float32 tensor indexed by int32 when copied out).</summary>
    private void CheckOutputSize(long draws, string name)
    {
        long values = draws * ParameterDimension;
        if (values > int.MaxValue)
            throw new ArgumentOutOfRangeException(name, draws,
                $"`{name}` asks for {draws:N0} draws × {ParameterDimension} parameters = {values * 4.0 / (1L << 30):F1} GiB in one tensor; at most {int.MaxValue / ParameterDimension:N0} draws per call. Draw in several calls.");
    }

    private SamplingResult SampleLocked(Tensor x, int numSamples, SamplingOptions o, IProgress<double>? progress, IReadOnlyList<DenoiserGuidance>? guidance)
    {
        var denoiser = Guide(guidance);
        var space = Space;
        var warnings = new List<string>();
        if (Options.Objective.SamplerWarning(o.Sampler!) is { } samplerWarning) warnings.Add(samplerWarning);
        var reject = o.RejectOutsideSupport && MayLeaveSupport;
        long observations = x.shape[0];
        using var generator = new Generator((ulong)(o.Seed ?? Random.Shared.NextInt64()));
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var standardizedX = XStandardizer.Forward(x.to(ScalarType.Float32).to(_device));
        var kept = new List<Tensor>[observations];
        var need = new long[observations];
        for (long i = 0; i < observations; i++) { kept[i] = new List<Tensor>(); need[i] = numSamples; }
        long integrated = 0, accepted = 0;
        double evaluations = 0;
        for (int round = 1; need.Any(v => v > 0); round++)
        {
            // After the first round, ask for enough draws to fill what is missing at the acceptance rate seen so far.
            double rate = integrated == 0 ? 1 : Math.Max((double)accepted / integrated, o.MinAcceptanceRate);
            var counts = need.Select(v => v == 0 ? 0 : round == 1 ? v : (long)Math.Ceiling(v / rate * 1.1) + 1).ToArray();
            // A low rate must not turn one round into more rows than memory holds: at most four chunks (or what is missing) per round.
            long cap = Math.Max(4L * o.ChunkSize, need.Sum()), planned = counts.Sum();
            if (planned > cap)
                for (int i = 0; i < counts.Length; i++)
                    counts[i] = need[i] == 0 ? 0 : Math.Max(need[i], (long)((double)counts[i] * cap / planned));
            var draws = Integrate(denoiser, space, standardizedX, counts, o, generator, round == 1 ? progress : null, ref evaluations);
            integrated += counts.Sum();
            var inside = reject ? Support.Contains(draws) : null;
            long offset = 0;
            for (long i = 0; i < observations; i++)
            {
                if (counts[i] == 0) continue;
                var part = draws.narrow(0, offset, counts[i]);
                offset += counts[i];
                if (inside is not null) part = part.index_select(0, inside.narrow(0, offset - counts[i], counts[i]).nonzero().squeeze(1));
                accepted += part.shape[0];
                var take = Math.Min(need[i], part.shape[0]);
                if (take > 0) kept[i].Add(part.narrow(0, 0, take));
                need[i] -= take;
            }
            var acceptance = (double)accepted / integrated;
            if (need.Any(v => v > 0) && (acceptance < o.MinAcceptanceRate || round >= MaxRejectionRounds))
            {
                warnings.Add($"Only {acceptance:P2} of {integrated:N0} draws fell inside the prior's support (at least {o.MinAcceptanceRate:P0} expected); " +
                    $"the remaining {need.Sum():N0} draws are returned without rejection. The model puts most of its mass outside the support: train longer, or use a bounded transform.");
                var rest = Integrate(denoiser, space, standardizedX, need, o, generator, null, ref evaluations);
                integrated += need.Sum();
                offset = 0;
                for (long i = 0; i < observations; i++)
                {
                    if (need[i] > 0) kept[i].Add(rest.narrow(0, offset, need[i]));
                    offset += need[i];
                    need[i] = 0;
                }
            }
        }
        var samples = cat(kept.Select(k => cat(k.ToArray(), 0)).ToArray(), 0).reshape(observations, numSamples, ParameterDimension);
        foreach (var g in guidance ?? Array.Empty<DenoiserGuidance>()) samples = g.Finish(samples);
        CheckDraws(samples);
        return new SamplingResult(samples.MoveToOuterDisposeScope(), evaluations / integrated, (double)accepted / integrated, warnings);
    }

    /// <summary>Rounds of rejection before the rest is returned as drawn.</summary>
    private const int MaxRejectionRounds = 10;

    /// <summary>Integrates counts[i] draws for observation i (rows in observation order, chunked), in original units on the CPU; adds
    /// network evaluations × rows to <paramref name="evaluations"/>.</summary>
    private Tensor Integrate(IDenoiser denoiser, ParameterSpace space, Tensor standardizedX, long[] counts, SamplingOptions o, Generator generator, IProgress<double>? progress, ref double evaluations)
    {
        var sampler = o.Sampler!;
        long total = counts.Sum();
        var rowIndex = new long[total];
        for (long i = 0, r = 0; i < counts.Length; i++)
            for (long k = 0; k < counts[i]; k++) rowIndex[r++] = i;
        var parts = new List<Tensor>();
        long chunkCount = (total + o.ChunkSize - 1) / o.ChunkSize;
        long done = 0;
        for (long start = 0; start < total; start += o.ChunkSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(o.ChunkSize, total - start);
            var rows = tensor(rowIndex.AsSpan((int)start, (int)len).ToArray(), dtype: ScalarType.Int64, device: _device);
            var condition = standardizedX.index_select(0, rows);
            var chunkIndex = done;
            var stepProgress = progress is null ? null : new SynchronousProgress<int>(k => progress.Report((chunkIndex + (double)k / sampler.ProgressUnits) / chunkCount));
            var run = sampler.Run(denoiser, condition, generator, progress: stepProgress);
            using var standardized = run.Theta;
            evaluations += (double)run.NetworkEvaluations * len;
            parts.Add(space.ToOriginal(standardized).cpu().MoveToOuterDisposeScope());
            done++;
            progress?.Report((double)done / chunkCount);
        }
        return parts.Count == 1 ? parts[0] : cat(parts.ToArray(), 0);
    }

    /// <summary>Refuses to hand back non-finite draws: they mean the model, the guidance or the input left the range the network was trained on.</summary>
    private static void CheckDraws(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var bad = samples.isfinite().logical_not().any(-1);
        var count = bad.sum().item<long>();
        if (count > 0)
            throw new InvalidOperationException(
                $"Sampling produced {count} of {bad.numel()} draws with NaN or Inf; nothing was returned. The observation, a fixed value or a guidance strength is probably far outside what the model was trained on.");
    }

    /// <summary>Draws <paramref name="numSamples"/> posterior samples for one observation, shape (n, Dθ).</summary>
    public Tensor Sample(double[] x, int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != ObservationDimension)
            throw new ArgumentException($"`x` must have {ObservationDimension} values to match the model's observation dimension; got {x.Length}.", nameof(x));
        using var scope = NewDisposeScope();
        var samples = Sample(tensor(x, dtype: ScalarType.Float32).unsqueeze(0), numSamples, options, progress, guidance);
        return samples[0].MoveToOuterDisposeScope();
    }

    /// <summary>The posterior of one observation as an object: <c>using var posterior = estimator.Condition(x); posterior.Sample(1000); posterior.LogProb(θ)</c>.</summary>
    /// <param name="x">The observation, Dx values in original units (copied).</param>
    /// <exception cref="ArgumentException">Wrong length or non-finite values.</exception>
    public ConditionedPosterior Condition(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != ObservationDimension)
            throw new ArgumentException($"`x` must have {ObservationDimension} values to match the model's observation dimension; got {x.Length}.", nameof(x));
        using var row = tensor(x, dtype: ScalarType.Float32).unsqueeze(0);
        Check.Finite(row, nameof(x));
        return new ConditionedPosterior(this, row.clone());
    }

    /// <summary>The sampling denoiser wrapped by <paramref name="guidance"/>, in order.</summary>
    private IDenoiser Guide(IReadOnlyList<DenoiserGuidance>? guidance)
    {
        IDenoiser denoiser = Denoiser;
        if (guidance is null || guidance.Count == 0) return denoiser;
        RequireDenoiser("Guidance");
        var context = new GuidanceContext(Space, Denoiser.HasPresenceFlag ? Denoiser.Unconditional : null);
        for (int i = 0; i < guidance.Count; i++)
            denoiser = (guidance[i] ?? throw new ArgumentException($"`guidance[{i}]` is null.", nameof(guidance))).Apply(denoiser, context);
        return denoiser;
    }

    /// <summary>Draws from p(θ | x₁, …, x_N) for N conditionally independent observations by composing the single-observation model (no retraining).</summary>
    /// <param name="observations">x₁..x_N, (N, Dx), original units.</param>
    /// <param name="numSamples">Draws, positive.</param>
    /// <param name="composition">Combination rule and chunking; null uses the defaults (GAUSS).</param>
    /// <param name="options">Sampler and seed; <see cref="SamplingOptions.ChunkSize"/> bounds the draws integrated at once.</param>
    /// <param name="prior">The training prior in original units, used (moment-matched to a Gaussian in standardized, unconstrained units, exact for Gaussian priors with the identity transform) as the prior denoiser;
    /// null uses <see cref="Prior"/> when the estimator was built from one, else the network's unconditional mode (needs <see cref="DiffusionEstimatorOptions.ConditionDropout"/> &gt; 0).</param>
    /// <returns>Samples (n, Dθ) in original units, on the CPU; inside the support (rejected and redrawn as in <see cref="Draw"/> unless <see cref="SamplingOptions.RejectOutsideSupport"/> is off).</returns>
    /// <exception cref="ArgumentException">Wrong shapes or non-finite values.</exception>
    /// <exception cref="InvalidOperationException">No prior given and the model has no unconditional mode; the composition diverged; or too few draws fell inside the support.</exception>
    public Tensor SampleComposed(Tensor observations, int numSamples, CompositionOptions? composition = null, SamplingOptions? options = null, IPrior? prior = null)
    {
        lock (_sync) return SampleComposedLocked(observations, numSamples, composition, options, prior);
    }

    private Tensor SampleComposedLocked(Tensor observations, int numSamples, CompositionOptions? composition, SamplingOptions? options, IPrior? prior)
    {
        RequireDenoiser("Composing observations");
        prior ??= Prior;
        Check.Matrix(observations, ObservationDimension, nameof(observations), "(N, Dx) to match the model's observation dimension");
        Check.Finite(observations, nameof(observations));
        Check.PositiveValue(numSamples, nameof(numSamples));
        if (prior is not null && prior.Dimension != ParameterDimension)
            throw new ArgumentException($"`prior` has dimension {prior.Dimension}; the model's θ has {ParameterDimension}.", nameof(prior));
        var c = (composition ?? CompositionOptions.Default).Validate();
        var o = Resolve(options);
        using var generator = new Generator((ulong)(o.Seed ?? Random.Shared.NextInt64()));
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var x = XStandardizer.Forward(observations.to(ScalarType.Float32).to(_device));
        long n = x.shape[0];
        int d = ParameterDimension;
        IDenoiser priorDenoiser = prior is null ? Denoiser.Unconditional : CompositionSetup.MomentMatched(prior, Space, Schedule, generator);
        Tensor? posteriorCovariances = null, priorCovariance = null;
        if (c.Method == CompositionMethod.Gauss)
        {
            posteriorCovariances = CompositionSetup.PilotCovariances(Denoiser, x, c.PilotDraws, o, generator);
            if (prior is null)
            {
                var draws = o.Sampler!.Sample(priorDenoiser, zeros(new[] { (long)c.PilotDraws * 4, 0L }, device: _device), generator);
                priorCovariance = CompositionSetup.Covariances(draws.unsqueeze(0))[0];
            }
        }
        using var composed = new CompositionalDenoiser(Denoiser, x, priorDenoiser, c, posteriorCovariances, priorCovariance);
        var (a, s) = Schedule.Scales(Schedule.LogSnr(o.Sampler!.StartTime));
        var parts = new List<Tensor>();
        var reject = o.RejectOutsideSupport && MayLeaveSupport;
        long have = 0, integrated = 0, accepted = 0;
        for (int round = 1; have < numSamples; round++)
        {
            if (round > MaxRejectionRounds)
                throw new InvalidOperationException(
                    $"Only {(double)accepted / integrated:P2} of {integrated:N0} composed draws fell inside the prior's support; set {nameof(SamplingOptions.RejectOutsideSupport)} = false to get them as drawn.");
            double rate = integrated == 0 ? 1 : Math.Max((double)accepted / integrated, o.MinAcceptanceRate);
            long want = round == 1 ? numSamples - have : Math.Min((long)Math.Ceiling((numSamples - have) / rate * 1.1) + 1, Math.Max(4L * o.ChunkSize, numSamples - have));
            for (long start = 0; start < want && have < numSamples; start += o.ChunkSize)
            {
                using var scope = NewDisposeScope();
                var len = Math.Min(o.ChunkSize, want - start);
                // The composed posterior is about N times narrower than the standardized data; scale the initial noise to match.
                var initial = randn(new[] { len, (long)d }, generator: generator, device: _device).Mul(Math.Sqrt(a * a / n + s * s));
                var draws = o.Sampler!.Sample(composed, zeros(new[] { len, 0L }, device: _device), generator, initial);
                if (!draws.isfinite().all().item<bool>())
                    throw new InvalidOperationException($"Composing {n} observations with {c.Method} diverged (non-finite draws); use {nameof(CompositionMethod.Gauss)} or {nameof(CompositionMethod.Jac)}, or a sampler with more steps.");
                var original = Space.ToOriginal(draws).cpu();
                if (reject) original = original.index_select(0, Support.Contains(original).nonzero().squeeze(1));
                integrated += len;
                accepted += original.shape[0];
                var take = Math.Min(numSamples - have, original.shape[0]);
                if (take > 0) parts.Add(original.narrow(0, 0, take).MoveToOuterDisposeScope());
                have += take;
            }
        }
        return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>The model's log posterior density log q(θ | x), by the probability-flow ODE (see <see cref="ProbabilityFlowLogDensity"/>).</summary>
    /// <param name="theta">Points, (N, Dθ), in original units.</param>
    /// <param name="x">Observations, (N, Dx) row by row, or (1, Dx) for all points, in original units.</param>
    /// <param name="options">Steps and trace estimator; null uses the defaults.</param>
    /// <returns>Log densities in original units (the transform's and the standardization's Jacobians included; −∞ outside the support; with the identity transform on a bounded
    /// support, renormalized by the share of the model's mass inside it, see <see cref="LogDensityOptions.SupportDraws"/>), (N,), float64, on the CPU.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or non-finite values.</exception>
    public Tensor LogProb(Tensor theta, Tensor x, LogDensityOptions? options = null)
    {
        lock (_sync) return LogProbLocked(theta, x, options);
    }

    private Tensor LogProbLocked(Tensor theta, Tensor x, LogDensityOptions? options)
    {
        RequireDenoiser("LogProb (the probability-flow density)");
        Check.Matrix(theta, ParameterDimension, nameof(theta), "(N, Dθ) to match the model's parameter dimension");
        Check.Matrix(x, ObservationDimension, nameof(x), "(N, Dx) or (1, Dx) to match the model's observation dimension");
        Check.Finite(theta, nameof(theta));
        Check.Finite(x, nameof(x));
        if (x.shape[0] != 1 && x.shape[0] != theta.shape[0])
            throw new ArgumentException($"`x` must have 1 row or as many rows as `theta` ({theta.shape[0]}); got {x.shape[0]}.", nameof(x));
        var density = new ProbabilityFlowLogDensity(options);
        using var scope = NewDisposeScope();
        var space = Space;
        var standardizedTheta = space.ToStandardized(theta.to(ScalarType.Float64).to(_device));
        var standardizedX = XStandardizer.Forward(x.to(ScalarType.Float32).to(_device)).expand(theta.shape[0], -1).contiguous();
        var jacobian = space.LogAbsDetToOriginal(standardizedTheta);
        var logProb = density.LogProb(Denoiser, standardizedTheta.to(ScalarType.Float32), standardizedX).to(ScalarType.Float64).Plus(jacobian.to(ScalarType.Float64), -1.0);
        if (!Support.IsReal) logProb = logProb.MaskedFill(Support.Contains(theta).logical_not().to(logProb.device), double.NegativeInfinity);
        var o = (options ?? LogDensityOptions.Default).Validate();
        if (MayLeaveSupport && o.SupportDraws > 0) logProb = logProb.cpu().Plus(LogShareInsideSupport(x, theta.shape[0], o), -1.0);
        return logProb.cpu().MoveToOuterDisposeScope();
    }

    /// <summary>log P_q(θ ∈ support | x) per row of the result, (N,) float64 on the CPU: the share of <see cref="LogDensityOptions.SupportDraws"/> unrejected draws that
    /// fall inside, per distinct observation (at least half a draw, so a model with no mass inside gives a large finite correction, not +∞).</summary>
    private Tensor LogShareInsideSupport(Tensor x, long rows, LogDensityOptions o)
    {
        using var scope = NewDisposeScope();
        var xs = x.to(ScalarType.Float64).cpu();
        var values = Tensors.ToDoubles(xs.reshape(-1));
        int dx = ObservationDimension;
        var distinct = new List<double[]>();
        var index = new long[x.shape[0]];
        for (int i = 0; i < x.shape[0]; i++)
        {
            var row = values.AsSpan(i * dx, dx).ToArray();
            var k = distinct.FindIndex(d => d.AsSpan().SequenceEqual(row));
            if (k < 0) { distinct.Add(row); k = distinct.Count - 1; }
            index[i] = k;
        }
        var sampling = Resolve(SamplingOptions.Default with { Seed = o.Seed, RejectOutsideSupport = false });
        var unique = tensor(distinct.SelectMany(r => r).ToArray(), new long[] { distinct.Count, dx }, ScalarType.Float32);
        using var drawn = SampleLocked(unique, o.SupportDraws, sampling, null, null);
        var inside = Support.Contains(drawn.Samples.reshape(-1, ParameterDimension)).reshape(distinct.Count, o.SupportDraws).to(ScalarType.Float64).sum(1);
        var share = inside.ClampMin(0.5).Div(o.SupportDraws).log();
        var perRow = share.index_select(0, tensor(index, ScalarType.Int64));
        return (x.shape[0] == 1 ? perRow.expand(rows) : perRow).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Writes the whole model (weights, EMA weights, standardization, schedule, options, transform and the training prior when it is one of the library's types) to one file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelFile.Write(path, Kind, HeaderJson(), StoredModules(""));
    }

    /// <summary>The model file's header: everything but the weights.</summary>
    internal string HeaderJson()
    {
        var header = new ModelHeader(ParameterDimension, ObservationDimension, Options, ThetaStandardizer, XStandardizer,
            ParameterNames.ToArray(), Enumerable.Range(1, ObservationDimension).Select(i => $"data_{i}").ToArray(), IsTrained, Transform,
            Prior is null ? null : PriorJson.TryWrite(Prior));
        return JsonSerializer.Serialize(header, ModelFile.Json);
    }

    /// <summary>The weight sets of the model file, their names prefixed by <paramref name="prefix"/> (an ensemble stores several models in one file).</summary>
    internal (string Name, nn.Module Module)[] StoredModules(string prefix) => new (string, nn.Module)[] { (prefix + "network", _network), (prefix + "ema", _ema) };

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">Device to load onto ("cpu", "cuda", "cuda:1"); null uses <see cref="DiffusionEstimatorOptions.Device"/>'s default. Where the model was trained is not stored as a fact: a model saved on a GPU loads on a CPU-only machine.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a model file, another format version or kind, a different architecture, non-finite weights, or corrupted (checksum mismatch, truncated).</exception>
    public static DiffusionPosteriorEstimator Load(string path, string? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (kind, headerJson, weights) = ModelFile.Read(path);
        if (kind != Kind) throw new InvalidDataException($"'{path}' holds a '{kind}', not a '{Kind}'.");
        return FromStored(headerJson, weights, "", path, device);
    }

    /// <summary>Rebuilds a model from a header written by <see cref="HeaderJson"/> and the weight sets named with <paramref name="prefix"/>.</summary>
    internal static DiffusionPosteriorEstimator FromStored(string headerJson, ModelFile.Contents weights, string prefix, string path, string? device)
    {
        ModelHeader header;
        DiffusionPosteriorEstimator estimator;
        try
        {
            header = JsonSerializer.Deserialize<ModelHeader>(headerJson, ModelFile.Json) ?? throw new InvalidDataException("empty header");
            var options = header.Options with { Device = device ?? DiffusionEstimatorOptions.Default.Device };
            var prior = header.Prior is null ? null : PriorJson.Read(header.Prior);
            if (prior is not null && prior.Dimension != header.ParameterDimension)
                throw new InvalidDataException($"'{path}' stores a prior of dimension {prior.Dimension} for a model of Dθ = {header.ParameterDimension}.");
            estimator = new DiffusionPosteriorEstimator(header.ParameterDimension, header.ObservationDimension, options, header.ParameterNames, header.Transform, prior);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {e.Message}", e);
        }
        try
        {
            foreach (var (name, module) in estimator.StoredModules(prefix))
            {
                if (!weights.TryGetValue(name, out var set)) throw new InvalidDataException($"'{path}' has no '{name}' weights.");
                ModelFile.Load(module, name, set, path);
            }
        }
        catch
        {
            estimator.Dispose();
            throw;
        }
        estimator.ThetaStandardizer = header.ThetaStandardizer ?? throw new InvalidDataException($"'{path}' has no θ standardization in its header.");
        estimator.XStandardizer = header.XStandardizer ?? throw new InvalidDataException($"'{path}' has no x standardization in its header.");
        estimator.IsTrained = header.Trained;
        return estimator;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network.Dispose();
        _ema.Dispose();
    }
}
