using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SbiSharp.Data;
using SbiSharp.Internal;
using SbiSharp.Priors;
using SbiSharp.Sampling;
using SbiSharp.Spaces;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Estimators;

/// <summary>K independently seeded posterior estimators trained on the same simulations, used as the equal-weight mixture
/// q(θ | x) = (1/K) Σ_k q_k(θ | x): draws come from the members in turn, the log density is a log-sum-exp.</summary>
/// <remarks>
/// Member k (0-based) is initialized with <see cref="DiffusionEstimatorOptions.InitializationSeed"/> + k and trained with
/// <see cref="TrainingOptions.Seed"/> + k (its own data order, noise levels and noise). A draw of n per observation takes
/// ⌊n/K⌋ (or one more) from each member, seeded <see cref="SamplingOptions.Seed"/> + k, and shuffles them with a permutation seeded
/// by the sampling seed, so the same seed gives the same draws. θ is the inferred parameter and x the observation, shapes as in
/// <see cref="DiffusionPosteriorEstimator"/>. The ensemble owns its members and disposes them.
/// </remarks>
public sealed class PosteriorEnsemble : IDisposable
{
    internal const string Kind = "posterior-ensemble";
    private readonly DiffusionPosteriorEstimator[] _members;

    /// <summary>Wraps trained (or untrained) members of the same dimensions; the ensemble takes ownership of them.</summary>
    /// <exception cref="ArgumentException">No members, or members of different dimensions.</exception>
    public PosteriorEnsemble(IReadOnlyList<DiffusionPosteriorEstimator> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("`members` must hold at least one estimator; got none.", nameof(members));
        var first = members[0];
        for (int k = 1; k < members.Count; k++)
            if (members[k].ParameterDimension != first.ParameterDimension || members[k].ObservationDimension != first.ObservationDimension)
                throw new ArgumentException(
                    $"`members` must share Dθ and Dx; member 1 has ({first.ParameterDimension}, {first.ObservationDimension}), member {k + 1} has ({members[k].ParameterDimension}, {members[k].ObservationDimension}).",
                    nameof(members));
        _members = members.ToArray();
    }

    /// <summary>Creates <paramref name="members"/> untrained estimators for parameters drawn from <paramref name="prior"/>, member k initialized with seed <see cref="DiffusionEstimatorOptions.InitializationSeed"/> + k.</summary>
    /// <param name="prior">The training prior.</param>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="members">K ≥ 1.</param>
    /// <param name="options">Architecture and schedule of every member; null: the defaults.</param>
    /// <param name="parameterNames">Parameter names for output files.</param>
    /// <param name="transform">The parameter transform (see <see cref="DiffusionPosteriorEstimator(IPrior, int, DiffusionEstimatorOptions?, IReadOnlyList{string}?, ParameterTransform?)"/>).</param>
    public static PosteriorEnsemble Create(IPrior prior, int observationDimension, int members, DiffusionEstimatorOptions? options = null,
        IReadOnlyList<string>? parameterNames = null, ParameterTransform? transform = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        return Create(members, o => new DiffusionPosteriorEstimator(prior, observationDimension, o, parameterNames, transform), options);
    }

    /// <summary>Creates <paramref name="members"/> untrained estimators with <paramref name="create"/>, member k from <paramref name="options"/> with
    /// <see cref="DiffusionEstimatorOptions.InitializationSeed"/> + k (for data without a prior object, e.g. read from CSV).</summary>
    public static PosteriorEnsemble Create(int members, Func<DiffusionEstimatorOptions, DiffusionPosteriorEstimator> create, DiffusionEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        Check.PositiveValue(members, nameof(members));
        var o = options ?? DiffusionEstimatorOptions.Default;
        var list = new List<DiffusionPosteriorEstimator>();
        try
        {
            for (int k = 0; k < members; k++) list.Add(create(o with { InitializationSeed = o.InitializationSeed + k }));
        }
        catch
        {
            foreach (var m in list) m.Dispose();
            throw;
        }
        return new PosteriorEnsemble(list);
    }

    /// <summary>The members, in seed order.</summary>
    public IReadOnlyList<DiffusionPosteriorEstimator> Members => _members;

    /// <summary>Dθ.</summary>
    public int ParameterDimension => _members[0].ParameterDimension;

    /// <summary>Dx.</summary>
    public int ObservationDimension => _members[0].ObservationDimension;

    /// <summary>The first member's model family (its default sampler is what a null <see cref="SamplingOptions.Sampler"/> stands for).</summary>
    public Training.ObjectiveSpec Objective => _members[0].Options.Objective;

    /// <summary>Parameter names for output files.</summary>
    public IReadOnlyList<string> ParameterNames => _members[0].ParameterNames;

    /// <summary>Trains every member on the same data, member k with seed <see cref="TrainingOptions.Seed"/> + k (and, with checkpoints, in the sub-folder member_k+1).</summary>
    /// <param name="training">Training pairs.</param>
    /// <param name="options">Optimization settings; null: the defaults.</param>
    /// <param name="validation">Held-out pairs; null: split by the options.</param>
    /// <param name="progress">Receives each member's epoch reports with its 0-based index.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Stops after the current batch of the current member; later members are not trained.</param>
    /// <returns>One result per member.</returns>
    public IReadOnlyList<TrainingResult> Train(ISimulationDataset training, TrainingOptions? options = null, InMemoryDataset? validation = null,
        IProgress<(int Member, TrainingProgress Progress)>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        var o = (options ?? TrainingOptions.Default).Validate();
        var results = new List<TrainingResult>();
        for (int k = 0; k < _members.Length && !cancellationToken.IsCancellationRequested; k++)
        {
            int member = k;
            var memberOptions = o with
            {
                Seed = o.Seed + k,
                CheckpointDirectory = o.CheckpointDirectory is null ? null : Path.Combine(o.CheckpointDirectory, $"member_{k + 1}"),
            };
            if (memberOptions.CheckpointDirectory is not null) Directory.CreateDirectory(memberOptions.CheckpointDirectory);
            var report = progress is null ? null : new SynchronousProgress<TrainingProgress>(p => progress.Report((member, p)));
            results.Add(_members[k].Train(training, memberOptions, validation, report, logger, cancellationToken));
        }
        return results;
    }

    /// <summary>Draws from the mixture: (N_obs, n, Dθ) in original units, on the CPU.</summary>
    public Tensor Sample(Tensor x, int numSamples, SamplingOptions? options = null)
    {
        using var result = Draw(x, numSamples, options);
        return result.Samples.alias();
    }

    /// <summary>Draws from the mixture with the record of the run (network evaluations and acceptance rate averaged over the members by their share of the draws).</summary>
    /// <param name="x">Observations (N_obs, Dx).</param>
    /// <param name="numSamples">Draws per observation.</param>
    /// <param name="options">Sampler and seed; null: the defaults.</param>
    /// <param name="progress">Receives the fraction done, 0 to 1, over all members.</param>
    public SamplingResult Draw(Tensor x, int numSamples, SamplingOptions? options = null, IProgress<double>? progress = null)
    {
        Check.PositiveValue(numSamples, nameof(numSamples));
        var o = (options ?? SamplingOptions.Default).Validate();
        var seed = o.Seed ?? Random.Shared.NextInt64(0, long.MaxValue / 2);
        int members = _members.Length;
        var parts = new List<Tensor>();
        double evaluations = 0, accepted = 0;
        var warnings = new List<string>();
        try
        {
            for (int k = 0; k < members; k++)
            {
                int count = numSamples / members + (k < numSamples % members ? 1 : 0);
                if (count == 0) continue;
                int done = k;
                var report = progress is null ? null : new SynchronousProgress<double>(f => progress.Report((done + f) / members));
                using var drawn = _members[k].Draw(x, count, o with { Seed = seed + k }, report);
                parts.Add(drawn.Samples.alias());
                evaluations += drawn.NetworkEvaluations * count / numSamples;
                accepted += drawn.AcceptanceRate * count / numSamples;
                warnings.AddRange(drawn.Warnings.Select(w => $"member {k + 1}: {w}"));
            }
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)seed);
            var order = randperm(numSamples, generator: generator);
            var all = parts.Count == 1 ? parts[0].alias() : cat(parts, 1);
            var shuffled = all.index_select(1, order).MoveToOuterDisposeScope();
            return new SamplingResult(shuffled, evaluations, accepted, warnings);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>log q(θ | x) of the mixture, log Σ_k q_k(θ | x) − log K, each member's density by <see cref="DiffusionPosteriorEstimator.LogProb"/>: (N,) float64 on the CPU.</summary>
    public Tensor LogProb(Tensor theta, Tensor x, LogDensityOptions? options = null)
    {
        using var scope = NewDisposeScope();
        var each = stack(_members.Select(m => m.LogProb(theta, x, options)).ToArray());
        using var logK = Math.Log(_members.Length).ToScalar();
        return each.logsumexp(0).sub(logK).MoveToOuterDisposeScope();
    }

    /// <summary>Writes all members to one file (each with its weights, standardization, options, transform and prior).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var header = new JsonObject { ["members"] = new JsonArray(_members.Select(m => JsonNode.Parse(m.HeaderJson())).ToArray()) };
        var modules = _members.SelectMany((m, k) => m.StoredModules($"member{k + 1}.")).ToArray();
        ModelFile.Write(path, Kind, header.ToJsonString(ModelFile.Json), modules);
    }

    /// <summary>Reads an ensemble written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not an ensemble file, or a damaged one.</exception>
    public static PosteriorEnsemble Load(string path, string? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (kind, headerJson, weights) = ModelFile.Read(path);
        if (kind != Kind) throw new InvalidDataException($"'{path}' holds a '{kind}', not a '{Kind}'.");
        JsonArray members;
        try
        {
            members = JsonNode.Parse(headerJson)?["members"]?.AsArray() ?? throw new InvalidDataException($"'{path}' lists no members.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {e.Message}", e);
        }
        var list = new List<DiffusionPosteriorEstimator>();
        try
        {
            for (int k = 0; k < members.Count; k++)
                list.Add(DiffusionPosteriorEstimator.FromStored(members[k]!.ToJsonString(), weights, $"member{k + 1}.", path, device));
            return new PosteriorEnsemble(list);
        }
        catch
        {
            foreach (var m in list) m.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="path"/> holds an ensemble (true) or a single estimator (false).</summary>
    /// <exception cref="InvalidDataException">Neither.</exception>
    public static bool IsEnsembleFile(string path)
    {
        var (kind, _, _) = ModelFile.Read(path);
        return kind switch
        {
            Kind => true,
            DiffusionPosteriorEstimator.Kind => false,
            _ => throw new InvalidDataException($"'{path}' holds a '{kind}', neither a '{DiffusionPosteriorEstimator.Kind}' nor a '{Kind}'."),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
    }
}
