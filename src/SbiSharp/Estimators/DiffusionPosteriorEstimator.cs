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
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Estimators;

/// <summary>Amortized neural posterior estimation with a conditional diffusion model: train once on (θ, x) pairs, then sample p(θ | x) for any x.</summary>
/// <remarks>
/// θ and x are standardized with statistics of the training data (stored with the model, inverted when sampling).
/// The denoiser is a <see cref="ResidualMlp"/> whose schedule, prediction target and loss come from
/// <see cref="DiffusionEstimatorOptions"/> (default: EDM schedule in variance-preserving form with F-prediction); sampling uses the exponential moving average of the weights. See Arruda et al. 2025 (diffusion models for SBI) and
/// Karras et al. 2022 (arXiv:2206.00364).
/// Thread safety: <see cref="Sample(Tensor, int, SamplingOptions?, IProgress{double}?, IReadOnlyList{DenoiserGuidance}?)"/>, <see cref="SampleComposed"/> and
/// <see cref="LogProb"/> may be called from several threads; calls on one estimator run one at a time (libtorch already uses every
/// core inside one call), so parallel calls give the same draws as serial calls with the same seeds. Do not train while sampling.
/// </remarks>
public sealed class DiffusionPosteriorEstimator : IDisposable
{
    private const string Kind = "diffusion-posterior-estimator";
    private readonly ResidualMlp _network;
    private readonly ResidualMlp _ema;
    private readonly Device _device;
    private readonly object _sync = new();

    /// <summary>Creates an untrained estimator.</summary>
    /// <param name="parameterDimension">Dθ.</param>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="options">Architecture and schedule; null uses the defaults.</param>
    /// <param name="parameterNames">Names of the parameters for output files; default parameter_1..parameter_D.</param>
    public DiffusionPosteriorEstimator(int parameterDimension, int observationDimension, DiffusionEstimatorOptions? options = null, IReadOnlyList<string>? parameterNames = null)
    {
        Check.PositiveValue(parameterDimension, nameof(parameterDimension));
        Check.PositiveValue(observationDimension, nameof(observationDimension));
        Options = (options ?? DiffusionEstimatorOptions.Default).Validate();
        _device = torch.device(Options.Device);
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
        ParameterNames = parameterNames?.ToArray() ?? Enumerable.Range(1, parameterDimension).Select(i => $"parameter_{i}").ToArray();
        if (ParameterNames.Count != parameterDimension)
            throw new ArgumentException($"`parameterNames` must have {parameterDimension} entries; got {ParameterNames.Count}.", nameof(parameterNames));
        using var generator = new Generator((ulong)Options.InitializationSeed);
        var inputs = observationDimension + (Options.ConditionDropout > 0 ? 1 : 0);
        _network = new ResidualMlp(parameterDimension, inputs, Options.Network, generator);
        _ema = new ResidualMlp(parameterDimension, inputs, Options.Network, generator);
        _network.to(_device);
        _ema.to(_device);
        _network.eval();
        _ema.eval();
        Schedule = Options.Schedule;
        Denoiser = new NetworkDenoiser(_ema, Schedule, Options.Prediction, Options.ConditionDropout > 0);
        TrainingDenoiser = new NetworkDenoiser(_network, Schedule, Options.Prediction, Options.ConditionDropout > 0);
        ThetaStandardizer = Standardizer.Identity(parameterDimension);
        XStandardizer = Standardizer.Identity(observationDimension);
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

    /// <summary>The denoiser used for sampling (EMA weights), working in standardized units.</summary>
    public NetworkDenoiser Denoiser { get; }

    private NetworkDenoiser TrainingDenoiser { get; }

    /// <summary>Standardization of θ fitted on the training data.</summary>
    public Standardizer ThetaStandardizer { get; private set; }

    /// <summary>Standardization of x fitted on the training data.</summary>
    public Standardizer XStandardizer { get; private set; }

    /// <summary>Whether <see cref="Train"/> has run (or a trained model was loaded).</summary>
    public bool IsTrained { get; private set; }

    /// <summary>Number of trainable parameters of the network.</summary>
    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    /// <summary>Trains on <paramref name="training"/>.</summary>
    /// <param name="training">An <see cref="InMemoryDataset"/> (offline: AdamW, a validation split is held out), an <see cref="OnlineDataset"/> (fresh simulations every batch), or any streaming dataset.</param>
    /// <param name="options">Optimization settings; null uses the defaults.</param>
    /// <param name="validation">Explicit validation data; default: split from an in-memory set, or simulated once for an online set.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Stops training after the current batch; the best weights so far are kept.</param>
    /// <exception cref="ArgumentException">The data's dimensions do not match the estimator.</exception>
    /// <exception cref="TrainingDivergedException">The loss became non-finite.</exception>
    public TrainingResult Train(ISimulationDataset training, TrainingOptions? options = null, InMemoryDataset? validation = null,
        IProgress<TrainingProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        var o = (options ?? TrainingOptions.Default).Validate();
        CheckData(training, nameof(training));
        if (validation is not null) CheckData(validation, nameof(validation));
        var fingerprint = o.CheckpointDirectory is null ? "" : Fingerprint(training, validation, o);
        InMemoryDataset? ownedTrain = null, ownedValidation = null;
        try
        {
            using var splitGenerator = new Generator((ulong)o.Seed + 2);
            var online = training is OnlineDataset;
            if (validation is null && training is InMemoryDataset memory)
            {
                (ownedTrain, ownedValidation) = memory.Split(o.ValidationFraction, splitGenerator);
                training = ownedTrain;
                validation = ownedValidation;
            }
            else if (validation is null && training is OnlineDataset stream)
            {
                ownedValidation = InMemoryDataset.Simulate(stream.Joint, o.OnlineValidationSize, splitGenerator);
                validation = ownedValidation;
            }
            FitStandardizers(training, o, splitGenerator);
            using var proposal = Options.ImportanceSampledNoise ? new NoiseLevelProposal(Schedule, Options.Prediction, Options.Loss, Options.Weighting) : null;
            var effective = proposal is null
                ? ObjectiveConditioning.EffectiveSampleFraction(Schedule, Options.Prediction, Options.Loss, Options.Weighting)
                : ObjectiveConditioning.EffectiveSampleFraction(Schedule, Options.Prediction, Options.Loss, Options.Weighting, proposal);
            if (effective < ObjectiveConditioning.WarningFraction)
                logger?.LogWarning("The objective {Prediction}/{Loss}/{Weighting} on this schedule has an effective sample fraction of {Fraction:F3}: a few noise levels carry the gradient, and it may need far more training than the defaults to reproduce the posterior.",
                    Options.Prediction.Name, Options.Loss, Options.Weighting.Name, effective);
            var trainer = new DiffusionTrainer(TrainingDenoiser, Denoiser, new DiffusionObjective(Options.Loss, Options.Weighting, Options.Coupling, Options.ConditionDropout, proposal), o, logger);
            var result = trainer.Run(training, validation, Prepare, online, progress, cancellationToken, fingerprint);
            IsTrained = true;
            return result;
        }
        finally
        {
            ownedTrain?.Dispose();
            ownedValidation?.Dispose();
        }
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

    private void FitStandardizers(ISimulationDataset training, TrainingOptions o, Generator generator)
    {
        List<SimulationBatch> batches = training is InMemoryDataset memory
            ? new() { new SimulationBatch(memory.Theta.alias(), memory.X.alias()) }
            : training.Batches(o.BatchSize, Math.Max(1, 10_000 / o.BatchSize), generator).Take(Math.Max(1, 10_000 / o.BatchSize)).ToList();
        try
        {
            ThetaStandardizer = Standardizer.Fit(batches.Select(b => b.Theta));
            XStandardizer = Standardizer.Fit(batches.Select(b => b.X));
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    private (Tensor Theta, Tensor X) Prepare(SimulationBatch batch) =>
        (ThetaStandardizer.Forward(batch.Theta.to(_device)), XStandardizer.Forward(batch.X.to(_device)));

    /// <summary>Draws <paramref name="numSamples"/> posterior samples for each observation.</summary>
    /// <param name="x">Observations, shape (N_obs, Dx), in original units.</param>
    /// <param name="numSamples">Draws per observation, positive.</param>
    /// <param name="options">Sampler, seed and chunk size; null uses the defaults.</param>
    /// <param name="progress">Reports the fraction of work done, in [0, 1].</param>
    /// <param name="guidance">Inference-time changes of the posterior (constraints, a new prior, fixed components, classifier-free guidance), applied in order around the denoiser; null or empty: the plain posterior.</param>
    /// <returns>Samples of shape (N_obs, n, Dθ) in original units, on the CPU.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong shape or holds NaN/Inf.</exception>
    public Tensor Sample(Tensor x, int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null, IReadOnlyList<DenoiserGuidance>? guidance = null)
    {
        Check.Matrix(x, ObservationDimension, nameof(x), "(N_obs, Dx) to match the model's observation dimension");
        Check.Finite(x, nameof(x));
        Check.PositiveValue(numSamples, nameof(numSamples));
        var o = (options ?? SamplingOptions.Default).Validate();
        CheckOutputSize(x.shape[0] * (long)numSamples, nameof(numSamples));
        lock (_sync) return SampleLocked(x, numSamples, o, progress, guidance);
    }

    /// <summary>The largest number of draws × Dθ one call returns (one float32 tensor indexed by int32 when copied out).</summary>
    private void CheckOutputSize(long draws, string name)
    {
        long values = draws * ParameterDimension;
        if (values > int.MaxValue)
            throw new ArgumentOutOfRangeException(name, draws,
                $"`{name}` asks for {draws:N0} draws × {ParameterDimension} parameters = {values * 4.0 / (1L << 30):F1} GiB in one tensor; at most {int.MaxValue / ParameterDimension:N0} draws per call. Draw in several calls.");
    }

    private Tensor SampleLocked(Tensor x, int numSamples, SamplingOptions o, IProgress<double>? progress, IReadOnlyList<DenoiserGuidance>? guidance)
    {
        var sampler = o.Sampler;
        var denoiser = Guide(guidance);
        long observations = x.shape[0];
        long total = observations * numSamples;
        using var generator = new Generator((ulong)(o.Seed ?? Random.Shared.NextInt64()));
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var standardizedX = XStandardizer.Forward(x.to(ScalarType.Float32).to(_device));
        var parts = new List<Tensor>();
        long chunkCount = (total + o.ChunkSize - 1) / o.ChunkSize;
        long done = 0;
        for (long start = 0; start < total; start += o.ChunkSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(o.ChunkSize, total - start);
            var rowIndex = new long[len];
            for (long i = 0; i < len; i++) rowIndex[i] = (start + i) / numSamples;
            var rows = tensor(rowIndex, dtype: ScalarType.Int64, device: _device);
            var condition = standardizedX.index_select(0, rows);
            var chunkIndex = done;
            var stepProgress = progress is null ? null : new SynchronousProgress<int>(k => progress.Report((chunkIndex + (double)k / sampler.Steps) / chunkCount));
            var standardized = sampler.Sample(denoiser, condition, generator, progress: stepProgress);
            parts.Add(ThetaStandardizer.Inverse(standardized).cpu().MoveToOuterDisposeScope());
            done++;
            progress?.Report((double)done / chunkCount);
        }
        var samples = cat(parts.ToArray(), 0).reshape(observations, numSamples, ParameterDimension);
        foreach (var g in guidance ?? Array.Empty<DenoiserGuidance>()) samples = g.Finish(samples);
        CheckDraws(samples);
        return samples.MoveToOuterDisposeScope();
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

    /// <summary>The sampling denoiser wrapped by <paramref name="guidance"/>, in order.</summary>
    private IDenoiser Guide(IReadOnlyList<DenoiserGuidance>? guidance)
    {
        IDenoiser denoiser = Denoiser;
        if (guidance is null) return denoiser;
        var context = new GuidanceContext(ThetaStandardizer, Denoiser.HasPresenceFlag ? Denoiser.Unconditional : null);
        for (int i = 0; i < guidance.Count; i++)
            denoiser = (guidance[i] ?? throw new ArgumentException($"`guidance[{i}]` is null.", nameof(guidance))).Apply(denoiser, context);
        return denoiser;
    }

    /// <summary>Draws from p(θ | x₁, …, x_N) for N conditionally independent observations by composing the single-observation model (no retraining).</summary>
    /// <param name="observations">x₁..x_N, (N, Dx), original units.</param>
    /// <param name="numSamples">Draws, positive.</param>
    /// <param name="composition">Combination rule and chunking; null uses the defaults (GAUSS).</param>
    /// <param name="options">Sampler and seed; <see cref="SamplingOptions.ChunkSize"/> bounds the draws integrated at once.</param>
    /// <param name="prior">The training prior in original units, used (moment-matched to a Gaussian in standardized units, exact for Gaussian priors) as the prior denoiser; null uses the network's unconditional mode (needs <see cref="DiffusionEstimatorOptions.ConditionDropout"/> &gt; 0).</param>
    /// <returns>Samples (n, Dθ) in original units, on the CPU.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or non-finite values.</exception>
    /// <exception cref="InvalidOperationException">No prior given and the model has no unconditional mode.</exception>
    public Tensor SampleComposed(Tensor observations, int numSamples, CompositionOptions? composition = null, SamplingOptions? options = null, IPrior? prior = null)
    {
        lock (_sync) return SampleComposedLocked(observations, numSamples, composition, options, prior);
    }

    private Tensor SampleComposedLocked(Tensor observations, int numSamples, CompositionOptions? composition, SamplingOptions? options, IPrior? prior)
    {
        Check.Matrix(observations, ObservationDimension, nameof(observations), "(N, Dx) to match the model's observation dimension");
        Check.Finite(observations, nameof(observations));
        Check.PositiveValue(numSamples, nameof(numSamples));
        if (prior is not null && prior.Dimension != ParameterDimension)
            throw new ArgumentException($"`prior` has dimension {prior.Dimension}; the model's θ has {ParameterDimension}.", nameof(prior));
        var c = (composition ?? CompositionOptions.Default).Validate();
        var o = (options ?? SamplingOptions.Default).Validate();
        using var generator = new Generator((ulong)(o.Seed ?? Random.Shared.NextInt64()));
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var x = XStandardizer.Forward(observations.to(ScalarType.Float32).to(_device));
        long n = x.shape[0];
        int d = ParameterDimension;
        IDenoiser priorDenoiser = prior is null ? Denoiser.Unconditional : CompositionSetup.MomentMatched(prior, ThetaStandardizer, Schedule, generator);
        Tensor? posteriorCovariances = null, priorCovariance = null;
        if (c.Method == CompositionMethod.Gauss)
        {
            posteriorCovariances = CompositionSetup.PilotCovariances(Denoiser, x, c.PilotDraws, o, generator);
            if (prior is null)
            {
                var draws = o.Sampler.Sample(priorDenoiser, zeros(new[] { (long)c.PilotDraws * 4, 0L }, device: _device), generator);
                priorCovariance = CompositionSetup.Covariances(draws.unsqueeze(0))[0];
            }
        }
        using var composed = new CompositionalDenoiser(Denoiser, x, priorDenoiser, c, posteriorCovariances, priorCovariance);
        var (a, s) = Schedule.Scales(Schedule.LogSnr(o.Sampler.StartTime));
        var parts = new List<Tensor>();
        for (long start = 0; start < numSamples; start += o.ChunkSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(o.ChunkSize, numSamples - start);
            // The composed posterior is about N times narrower than the standardized data; scale the initial noise to match.
            var initial = randn(new[] { len, (long)d }, generator: generator, device: _device).Mul(Math.Sqrt(a * a / n + s * s));
            var draws = o.Sampler.Sample(composed, zeros(new[] { len, 0L }, device: _device), generator, initial);
            if (!draws.isfinite().all().item<bool>())
                throw new InvalidOperationException($"Composing {n} observations with {c.Method} diverged (non-finite draws); use {nameof(CompositionMethod.Gauss)} or {nameof(CompositionMethod.Jac)}, or a sampler with more steps.");
            parts.Add(ThetaStandardizer.Inverse(draws).cpu().MoveToOuterDisposeScope());
        }
        return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>The model's log posterior density log q(θ | x), by the probability-flow ODE (see <see cref="ProbabilityFlowLogDensity"/>).</summary>
    /// <param name="theta">Points, (N, Dθ), in original units.</param>
    /// <param name="x">Observations, (N, Dx) row by row, or (1, Dx) for all points, in original units.</param>
    /// <param name="options">Steps and trace estimator; null uses the defaults.</param>
    /// <returns>Log densities in original units (the standardization Jacobian included), (N,), float64, on the CPU.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or non-finite values.</exception>
    public Tensor LogProb(Tensor theta, Tensor x, LogDensityOptions? options = null)
    {
        lock (_sync) return LogProbLocked(theta, x, options);
    }

    private Tensor LogProbLocked(Tensor theta, Tensor x, LogDensityOptions? options)
    {
        Check.Matrix(theta, ParameterDimension, nameof(theta), "(N, Dθ) to match the model's parameter dimension");
        Check.Matrix(x, ObservationDimension, nameof(x), "(N, Dx) or (1, Dx) to match the model's observation dimension");
        Check.Finite(theta, nameof(theta));
        Check.Finite(x, nameof(x));
        if (x.shape[0] != 1 && x.shape[0] != theta.shape[0])
            throw new ArgumentException($"`x` must have 1 row or as many rows as `theta` ({theta.shape[0]}); got {x.shape[0]}.", nameof(x));
        var density = new ProbabilityFlowLogDensity(options);
        using var scope = NewDisposeScope();
        var standardizedTheta = ThetaStandardizer.Forward(theta.to(ScalarType.Float32).to(_device));
        var standardizedX = XStandardizer.Forward(x.to(ScalarType.Float32).to(_device)).expand(theta.shape[0], -1).contiguous();
        var logProb = density.LogProb(Denoiser, standardizedTheta, standardizedX).Sub(ThetaStandardizer.LogScale);
        return logProb.cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Writes the whole model (weights, EMA weights, standardization, schedule and options) to one file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var header = new ModelHeader(ParameterDimension, ObservationDimension, Options, ThetaStandardizer, XStandardizer,
            ParameterNames.ToArray(), Enumerable.Range(1, ObservationDimension).Select(i => $"data_{i}").ToArray(), IsTrained);
        ModelFile.Write(path, Kind, JsonSerializer.Serialize(header, ModelFile.Json), new (string, nn.Module)[] { ("network", _network), ("ema", _ema) });
    }

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
        ModelHeader header;
        DiffusionPosteriorEstimator estimator;
        try
        {
            header = JsonSerializer.Deserialize<ModelHeader>(headerJson, ModelFile.Json) ?? throw new InvalidDataException("empty header");
            var options = header.Options with { Device = device ?? DiffusionEstimatorOptions.Default.Device };
            estimator = new DiffusionPosteriorEstimator(header.ParameterDimension, header.ObservationDimension, options, header.ParameterNames);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {e.Message}", e);
        }
        try
        {
            foreach (var (name, module) in new (string, nn.Module)[] { ("network", estimator._network), ("ema", estimator._ema) })
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
