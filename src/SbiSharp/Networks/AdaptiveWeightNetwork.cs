using SbiSharp.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>A conditional network with a learned log loss weight w_φ(time) beside it (the adaptive weighting of EDM2 and sCM, Lu &amp; Song 2024, arXiv:2410.11081):
/// the forward pass is the inner network's; <see cref="LogWeight"/> is a small MLP of the time input, trained with it and saved with it.</summary>
/// <remarks>The weight MLP (1 → 64 → 1, SiLU) starts at w = 0 (zero output layer); sampling never calls it.</remarks>
public sealed class AdaptiveWeightNetwork : ConditionalNetwork
{
    private readonly ConditionalNetwork network;
    private readonly Linear weightIn;
    private readonly Linear weightOut;

    /// <summary>Wraps <paramref name="network"/> (owned).</summary>
    /// <param name="network">The network that samples.</param>
    /// <param name="generator">Initialization randomness of the weight MLP.</param>
    public AdaptiveWeightNetwork(ConditionalNetwork network, Generator? generator)
        : base(nameof(AdaptiveWeightNetwork), (network ?? throw new ArgumentNullException(nameof(network))).ParameterDimension, network.ObservationDimension)
    {
        this.network = network;
        weightIn = nn.Linear(1, Hidden);
        weightOut = nn.Linear(Hidden, 1);
        RegisterComponents();
        using (no_grad())
        {
            foreach (var p in new[] { weightIn.weight!, weightIn.bias! })
                p.copy_(rand(p.shape, dtype: p.dtype, generator: generator).Mul(2).Sub(1));
            weightOut.weight!.zero_();
            weightOut.bias!.zero_();
        }
    }

    /// <summary>Hidden width of the weight MLP.</summary>
    public const int Hidden = 64;

    /// <summary>The network that samples.</summary>
    public ConditionalNetwork Network => network;

    /// <inheritdoc />
    public override bool BroadcastsSharedInputs => network.BroadcastsSharedInputs;

    /// <inheritdoc />
    public override Generator? DropoutGenerator { get => network.DropoutGenerator; set => network.DropoutGenerator = value; }

    /// <inheritdoc />
    public override Tensor forward(Tensor thetaT, Tensor time, Tensor x) => network.forward(thetaT, time, x);

    /// <summary>w_φ(time), (B, 1), for the network's time input (B, 1).</summary>
    public Tensor LogWeight(Tensor time)
    {
        using var scope = NewDisposeScope();
        return weightOut.forward(nn.functional.silu(weightIn.forward(time))).MoveToOuterDisposeScope();
    }
}
