using SbiSharp.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>The conditional denoiser network: (θ_t, time, x) ↦ output of shape (B, Dθ).</summary>
/// <remarks>
/// θ_t and x are each projected to the width and concatenated; a stack of residual MLP blocks (mish, LayerNorm, dropout)
/// follows; the time input (a scalar per row in [−1, 1]) enters every block as an additive FiLM shift of its embedding:
/// trainable random Fourier features [sin 2πωτ, cos 2πωτ] with ω ~ N(0, scale²), plus τ itself (Tancik et al. 2020,
/// arXiv:2006.10739). The output layer starts at zero, so an untrained F-model returns c_skip·θ_t.
/// </remarks>
public sealed class ResidualMlp : ConditionalNetwork
{
    private readonly Linear thetaIn;
    private readonly Linear xIn;
    private readonly Parameter frequencies;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Linear output;

    /// <summary>Builds the network.</summary>
    /// <param name="parameterDimension">Dθ.</param>
    /// <param name="observationDimension">Dx.</param>
    /// <param name="options">Architecture.</param>
    /// <param name="generator">Initialization randomness (null: torch's global generator).</param>
    public ResidualMlp(int parameterDimension, int observationDimension, NetworkOptions options, Generator? generator = null) : base(nameof(ResidualMlp), parameterDimension, observationDimension)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        var w = options.Width;
        thetaIn = nn.Linear(parameterDimension, w);
        xIn = nn.Linear(observationDimension, w);
        frequencies = new Parameter(randn(new long[] { 1, options.FourierFeatures / 2 }, generator: generator).Mul(options.FourierScale));
        long timeFeatures = options.FourierFeatures + 1;
        var list = new List<ResidualBlock>();
        for (int i = 0; i < options.Blocks; i++)
            list.Add(new ResidualBlock(i == 0 ? 2 * w : w, w, timeFeatures, options.Dropout));
        blocks = nn.ModuleList(list.ToArray());
        output = nn.Linear(w, parameterDimension);
        RegisterComponents();
        using (no_grad())
        {
            // nn.Linear initializes from torch's global generator; redraw every layer from ours so that a seed fixes the network.
            foreach (var (_, module) in named_modules())
                if (module is TorchSharp.Modules.Linear linear)
                {
                    var bound = 1 / Math.Sqrt(linear.in_features);
                    foreach (var p in linear.bias is null ? new[] { linear.weight! } : new[] { linear.weight!, linear.bias })
                        p.copy_((rand(p.shape, dtype: p.dtype, generator: generator).Mul(2).Sub(1)).Mul(bound));
                }
            output.weight!.zero_();
            output.bias!.zero_();
        }
    }

    /// <summary>The architecture.</summary>
    public NetworkOptions Options { get; }

    /// <summary>Time (1, 1) and x (1, Dx) are broadcast over the batch.</summary>
    public override bool BroadcastsSharedInputs => true;

    /// <summary>Random source for dropout masks (null: torch's global generator).</summary>
    public override Generator? DropoutGenerator
    {
        get => blocks.Count > 0 ? blocks[0].DropoutGenerator : null;
        set
        {
            foreach (var b in blocks) b.DropoutGenerator = value;
        }
    }

    /// <summary>Runs the network.</summary>
    /// <param name="thetaT">(B, Dθ).</param>
    /// <param name="time">(B, 1), scaled to about [−1, 1]; or (1, 1) when every row has the same time.</param>
    /// <param name="x">(B, Dx); or (1, Dx) when every row has the same observation (its share of the first block is then computed once).</param>
    public override Tensor forward(Tensor thetaT, Tensor time, Tensor x)
    {
        using var scope = NewDisposeScope();
        var angles = time.matmul(frequencies).Mul(2 * Math.PI);
        var timeEmbedding = cat(new[] { angles.sin(), angles.cos(), time }, 1);
        var h = blocks[0].Forward(thetaIn.forward(thetaT), xIn.forward(x), timeEmbedding);
        for (int i = 1; i < blocks.Count; i++)
            h = blocks[i].forward(h, timeEmbedding);
        return output.forward(h).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            thetaIn.Dispose();
            xIn.Dispose();
            foreach (var b in blocks) b.Dispose();
            output.Dispose();
            frequencies.Dispose();
        }
        base.Dispose(disposing);
    }
}
