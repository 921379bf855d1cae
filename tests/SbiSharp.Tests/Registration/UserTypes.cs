using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Registration;
using SbiSharp.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SbiSharp.Tests.Registration;

/// <summary>A schedule written outside the library: λ linear in t from <see cref="Max"/> to <see cref="Min"/>, variance preserving.</summary>
public sealed class LinearLogSnrSchedule(double min = -10, double max = 10) : LogSnrSchedule(VarianceForm.Preserving)
{
    public double Min { get; } = min;
    public double Max { get; } = max;
    public override double LogSnr(double t) => Max + (Min - Max) * CheckTime(t);
    public override double LogSnrDerivative(double t) => Min - Max;
    protected override Tensor LogSnr(Tensor t) => t.Mul(Min - Max).Add(Max);
}

/// <summary>A network written outside the library: one hidden SiLU layer on [θ_t, time, x].</summary>
public sealed class TinyMlp : ConditionalNetwork
{
    private readonly Linear hidden;
    private readonly Linear output;

    public TinyMlp(int parameterDimension, int observationDimension, int width, Generator? generator) : base(nameof(TinyMlp), parameterDimension, observationDimension)
    {
        hidden = nn.Linear(parameterDimension + 1 + observationDimension, width);
        output = nn.Linear(width, parameterDimension);
        RegisterComponents();
        using (no_grad())
            foreach (var p in parameters())
                p.copy_(rand(p.shape, generator: generator).Sub(0.5).Mul(0.2));
    }

    public override Tensor forward(Tensor thetaT, Tensor time, Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(hidden.forward(cat(new[] { thetaT, time, x }, 1)));
        return output.forward(h).MoveToOuterDisposeScope();
    }
}

/// <summary>The spec of <see cref="TinyMlp"/> that model files store.</summary>
public sealed record TinyMlpSpec(int Width = 32) : NetworkSpec
{
    public override ConditionalNetwork Create(int parameterDimension, int observationDimension, Generator? generator) =>
        new TinyMlp(parameterDimension, observationDimension, Width, generator);
}

/// <summary>An embedding written outside the library: a learned linear projection of x to <see cref="ObservationEmbedding.OutputDimension"/> values, then tanh.</summary>
public sealed class ProjectionEmbedding : ObservationEmbedding
{
    private readonly Linear projection;

    public ProjectionEmbedding(int inputDimension, int outputDimension, Generator? generator) : base(nameof(ProjectionEmbedding), inputDimension, outputDimension)
    {
        projection = nn.Linear(inputDimension, outputDimension);
        RegisterComponents();
        using (no_grad())
            foreach (var p in parameters())
                p.copy_(rand(p.shape, generator: generator).Sub(0.5));
    }

    public Tensor Weight => projection.weight!;

    public override Tensor forward(Tensor x) => projection.forward(x).tanh();
}

/// <summary>The spec of <see cref="ProjectionEmbedding"/>.</summary>
public sealed record ProjectionEmbeddingSpec(int Summaries = 3) : EmbeddingSpec
{
    public override ObservationEmbedding Create(int observationDimension, Generator? generator) => new ProjectionEmbedding(observationDimension, Summaries, generator);
}

/// <summary>A model family written outside the library: the denoising loss measured in data space, unweighted, declared (as a consistency model will be) to learn no score, so that LogProb, composition and guidance are refused.</summary>
public sealed record DataLossObjectiveSpec : SbiSharp.Training.ObjectiveSpec
{
    public override bool LearnsDenoiser => false;

    public override SbiSharp.Training.ITrainingObjective Create(SbiSharp.Estimators.DiffusionEstimatorOptions options) =>
        new SbiSharp.Training.DenoisingObjective(options.Schedule, options.Prediction, new SbiSharp.Denoising.DataParameterization(), new SbiSharp.Training.UniformWeighting());
}

/// <summary>Registers the user types once per test run.</summary>
internal static class UserTypes
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        Registries.Schedules.Register("user-linear-logsnr", () => new LinearLogSnrSchedule(), "test: linear log-SNR");
        Registries.Networks.Register("user-tiny-mlp", () => new TinyMlpSpec(), "test: one hidden layer");
        Registries.Embeddings.Register("user-projection", () => new ProjectionEmbeddingSpec(), "test: learned linear summaries");
        Registries.Objectives.Register("user-data-loss", () => new DataLossObjectiveSpec(), "test: data-space loss, no score");
        return true;
    });

    public static void Register() => _ = Registered.Value;
}
