using SbiSharp.Networks;
using SbiSharp.Noise;

namespace SbiSharp.Estimators;

/// <summary>What defines a diffusion posterior estimator: the network and the noise schedule (stored in the model file).</summary>
public sealed record DiffusionEstimatorOptions
{
    /// <summary>Default options.</summary>
    public static DiffusionEstimatorOptions Default { get; } = new();

    /// <summary>Network architecture.</summary>
    public NetworkOptions Network { get; init; } = NetworkOptions.Default;

    /// <summary>EDM schedule parameters.</summary>
    public EdmScheduleOptions Schedule { get; init; } = EdmScheduleOptions.Default;

    /// <summary>Torch device, e.g. "cpu" or "cuda:0".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seed for the network's initial weights.</summary>
    public long InitializationSeed { get; init; } = 0;

    /// <summary>Throws on the first invalid field.</summary>
    public DiffusionEstimatorOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        Network.Validate();
        Schedule.Validate();
        if (string.IsNullOrWhiteSpace(Device)) throw new ArgumentException("`Device` must name a torch device such as \"cpu\"; got an empty string.", nameof(Device));
        return this;
    }
}
