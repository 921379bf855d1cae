using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Estimators;
using SbiSharp.Guidance;
using SbiSharp.Networks;
using SbiSharp.Training;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.States;

/// <summary>An unconditional diffusion prior p(x) over states of shape (C, H, W), (C, L) or (D): trained once from samples, then sampled, or conditioned on any
/// linear-Gaussian observation at sampling time (zero-shot: <see cref="SamplePosterior"/>). States half: x the state, y the observation.</summary>
/// <remarks>
/// Built on the estimator's parts, not beside them: the schedule, parameterization, network, trainer, EMA and samplers of a <see cref="DiffusionPosteriorEstimator"/>
/// whose condition is one constant column. States are standardized by one mean and one standard deviation over all values (a stationary field keeps its
/// spatial structure; per-value statistics would refuse fields with constant cells). The network follows the shape: a <see cref="UNet"/> for (C, H, W) and
/// (C, L) (unless the options name another network), the residual MLP for (D).
/// </remarks>
public sealed class DiffusionPrior : IDisposable
{
    internal const string Kind = "diffusion-prior";
    private readonly DiffusionPosteriorEstimator _model;

    /// <summary>Creates an untrained prior.</summary>
    /// <param name="shape">A state's shape without the batch: (C, H, W), (C, L) or (D).</param>
    /// <param name="options">Architecture and schedule; null: the defaults, with the network chosen by the shape. A <see cref="UNetSpec"/> gets <paramref name="shape"/>.</param>
    /// <exception cref="ArgumentException">A shape of another rank, or a non-positive size.</exception>
    public DiffusionPrior(IReadOnlyList<int> shape, DiffusionEstimatorOptions? options = null)
        : this(CheckShape(shape), Complete(CheckShape(shape), options))
    {
    }

    private DiffusionPrior(int[] shape, DiffusionEstimatorOptions options) : this(shape, new DiffusionPosteriorEstimator(shape.Aggregate(1, (a, b) => checked(a * b)), 1, options))
    {
    }

    private DiffusionPrior(int[] shape, DiffusionPosteriorEstimator model)
    {
        Shape = shape;
        _model = model;
    }

    /// <summary>A state's shape without the batch.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>D, the length of a flattened state.</summary>
    public int Dimension => _model.ParameterDimension;

    /// <summary>The options, with the network the shape chose.</summary>
    public DiffusionEstimatorOptions Options => _model.Options;

    /// <summary>Whether <see cref="Train"/> has run (or the file held a trained prior).</summary>
    public bool IsTrained => _model.IsTrained;

    /// <summary>The number of trainable weights.</summary>
    public long ParameterCount => _model.ParameterCount;

    /// <summary>The denoiser E[z | z_t] in standardized units z = (x − <see cref="Mean"/>) / <see cref="Std"/>, flattened (B, D); its condition is one column of zeros.</summary>
    public IDenoiser Denoiser => _model.Denoiser;

    /// <summary>The mean over all values of the training states.</summary>
    public double Mean => _model.ThetaStandardizer.Mean[0];

    /// <summary>The standard deviation over all values of the training states.</summary>
    public double Std => _model.ThetaStandardizer.Std[0];

    /// <summary>The shape rules and the default network for it.</summary>
    private static DiffusionEstimatorOptions Complete(int[] shape, DiffusionEstimatorOptions? options)
    {
        var o = options ?? DiffusionEstimatorOptions.Default;
        NetworkSpec network = o.Network switch
        {
            UNetSpec u => u with { Shape = shape },
            NetworkOptions mlp when shape.Length > 1 && ReferenceEquals(mlp, NetworkOptions.Default) => UNetSpec.Default with { Shape = shape },
            var other => other,
        };
        return o with { Network = network };
    }

    private static int[] CheckShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count is < 1 or > 3 || shape.Any(s => s <= 0))
            throw new ArgumentException($"`shape` must be (C, H, W), (C, L) or (D) with positive sizes; got ({string.Join(", ", shape)}).", nameof(shape));
        return shape.ToArray();
    }

    /// <summary>Trains the prior on <paramref name="states"/>.</summary>
    /// <param name="states">Samples of the state, (N, C, H, W) (or (N, C, L), (N, D)) matching <see cref="Shape"/>, or flattened (N, D); N ≥ 2; finite.</param>
    /// <param name="options">Training options; null: the defaults.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Stops after the current batch, keeping the best weights so far.</param>
    /// <exception cref="ArgumentException">A shape that does not match, fewer than two states, non-finite values, or states without spread.</exception>
    public TrainingResult Train(Tensor states, TrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var flat = Flatten(states, nameof(states));
        if (flat.shape[0] < 2) throw new ArgumentException($"`states` must hold at least 2 samples to train a prior; got {flat.shape[0]}.", nameof(states));
        Internal.Check.Finite(flat, nameof(states));
        var all = flat.to(ScalarType.Float64);
        var mean = all.mean().item<double>();
        var std = all.std().item<double>();
        if (!(std > 0)) throw new ArgumentException($"`states` have no spread (every value is {mean:G6}); a prior cannot be learned from them.", nameof(states));
        var standardizer = new Standardizer(Enumerable.Repeat(mean, Dimension).ToArray(), Enumerable.Repeat(std, Dimension).ToArray());
        using var data = new InMemoryDataset(flat.to(ScalarType.Float32), zeros(flat.shape[0], 1));
        return _model.TrainWithStandardization(data, options, null, progress, logger, cancellationToken, (standardizer, Standardizer.Identity(1)));
    }

    /// <summary>States (N, …) of this prior's shape as (N, D); refuses any other shape.</summary>
    private Tensor Flatten(Tensor states, string name)
    {
        ArgumentNullException.ThrowIfNull(states);
        var expected = new long[] { -1 }.Concat(Shape.Select(s => (long)s)).ToArray();
        bool matches = states.dim() == Shape.Count + 1 && states.shape.Skip(1).SequenceEqual(expected.Skip(1));
        bool flat = states.dim() == 2 && states.shape[1] == Dimension;
        if (!matches && !flat)
            throw new ArgumentException($"`{name}` must have shape (N, {string.Join(", ", Shape)}) or (N, {Dimension}) to match the prior; got {Internal.Check.Shape(states)}.", name);
        return states.reshape(states.shape[0], Dimension);
    }

    /// <summary>Draws <paramref name="count"/> states from the prior.</summary>
    /// <returns>(n, C, H, W) (the prior's shape), original units, on the CPU.</returns>
    public Tensor Sample(int count, SamplingOptions? options = null, IProgress<double>? progress = null) => Draw(count, options, progress, null);

    /// <summary>Draws <paramref name="count"/> states from p(x | y) for linear-Gaussian observations y, zero-shot (no retraining).</summary>
    /// <param name="observations">One or several observations y = A x + η, in original units, of states of length D.</param>
    /// <param name="count">Draws, positive.</param>
    /// <param name="method">How the likelihood enters; null: MMPS with its defaults.</param>
    /// <param name="options">Sampler (default DPM-Solver++(2M)-40), seed and chunk size.</param>
    /// <param name="progress">Fraction of work done.</param>
    /// <returns>(n, C, H, W) (the prior's shape), original units, on the CPU.</returns>
    /// <exception cref="ArgumentException">Observations of states of another length.</exception>
    public Tensor SamplePosterior(ObservationSet observations, int count, ZeroShotMethod? method = null, SamplingOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.InputDimension != Dimension)
            throw new ArgumentException($"`observations` are of states of length {observations.InputDimension}; this prior's states ({string.Join(", ", Shape)}) have {Dimension}.", nameof(observations));
        return Draw(count, options, progress, new DenoiserGuidance[] { new ObservationGuidance(observations, method) });
    }

    /// <summary>The posterior denoiser in standardized units (for diagnostics and custom samplers).</summary>
    public IDenoiser PosteriorDenoiser(ObservationSet observations, ZeroShotMethod? method = null) =>
        new ObservationGuidance(observations, method).Apply(Denoiser, new GuidanceContext(_model.ThetaStandardizer));

    private Tensor Draw(int count, SamplingOptions? options, IProgress<double>? progress, IReadOnlyList<DenoiserGuidance>? guidance)
    {
        using var condition = zeros(1, 1);
        using var draws = _model.Sample(condition, count, options, progress, guidance);
        return draws.reshape(new long[] { count }.Concat(Shape.Select(s => (long)s)).ToArray());
    }

    /// <summary>Writes the prior (weights, standardization, options, shape) to one file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var header = new JsonObject { ["Shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()), ["Model"] = JsonNode.Parse(_model.HeaderJson()) };
        ModelFile.Write(path, Kind, header.ToJsonString(ModelFile.Json), _model.StoredModules(""));
    }

    /// <summary>Reads a prior written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a prior file (a posterior estimator, say), or corrupted.</exception>
    public static DiffusionPrior Load(string path, string? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (kind, headerJson, weights) = ModelFile.Read(path);
        if (kind != Kind) throw new InvalidDataException($"'{path}' holds a '{kind}', not a '{Kind}' (train one with `sbisharp prior train`).");
        int[] shape;
        string model;
        try
        {
            var header = JsonNode.Parse(headerJson) ?? throw new InvalidDataException("empty header");
            shape = header["Shape"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            model = header["Model"]!.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {e.Message}", e);
        }
        var estimator = DiffusionPosteriorEstimator.FromStored(model, weights, "", path, device);
        if (shape.Aggregate(1, (a, b) => a * b) != estimator.ParameterDimension)
        {
            estimator.Dispose();
            throw new InvalidDataException($"'{path}' stores states of shape ({string.Join(", ", shape)}) for a model of D = {estimator.ParameterDimension}.");
        }
        return new DiffusionPrior(shape, estimator);
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
