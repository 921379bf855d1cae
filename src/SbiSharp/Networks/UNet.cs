using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Networks;

/// <summary>A U-Net denoiser network over fields (C, H, W) or signals (C, L), taking and returning them flattened: (B, Dθ) with Dθ = C·H·W.</summary>
/// <remarks>
/// See <see cref="UNetSpec"/> for the architecture. The noise level τ ∈ [−1, 1] enters as sinusoidal features [sin ω_kτ, cos ω_kτ, τ]
/// (ω_k log-spaced over 1…100) through a two-layer SiLU MLP; a condition (B, Dx) is projected and added to that embedding. The last
/// convolution of every block, the attention output and the output layer start at zero, so an untrained F-model returns c_skip·x_t.
/// </remarks>
public sealed class UNet : ConditionalNetwork
{
    private readonly Linear timeIn;
    private readonly Linear conditionIn;
    private readonly Linear timeOut;
    private readonly UNetConvolution input;
    private readonly ModuleList<UNetBlock> down;
    private readonly UNetBlock middle1;
    private readonly UNetAttention? attention;
    private readonly UNetBlock middle2;
    private readonly ModuleList<UNetBlock> up;
    private readonly UNetGroupNorm outputNorm;
    private readonly UNetConvolution output;
    private readonly Tensor frequencies;
    private readonly UNetLayers _layers;
    private readonly long[] _shape;

    /// <summary>Builds the network.</summary>
    /// <param name="parameterDimension">Dθ; must equal C·H·W (or C·L) of <paramref name="spec"/>'s shape.</param>
    /// <param name="observationDimension">Dx of the condition.</param>
    /// <param name="spec">Architecture.</param>
    /// <param name="generator">Initialization randomness (null: torch's global generator).</param>
    /// <exception cref="ArgumentException">A spec that does not validate, or a Dθ other than the shape's size.</exception>
    public UNet(int parameterDimension, int observationDimension, UNetSpec spec, Generator? generator = null) : base(nameof(UNet), parameterDimension, observationDimension)
    {
        Spec = (spec ?? throw new ArgumentNullException(nameof(spec))).Validate();
        if (spec.StateDimension != parameterDimension)
            throw new ArgumentException($"The U-Net's shape ({string.Join(", ", spec.Shape)}) holds {spec.StateDimension} values; the model's states have Dθ = {parameterDimension}. Set `Shape` to the states' shape.", nameof(parameterDimension));
        _shape = spec.Shape.Select(s => (long)s).ToArray();
        _layers = new UNetLayers(spec.SpatialDimensions, spec.Padding, spec.Groups);
        var w = spec.Width;
        long embedding = 4L * w;
        var half = spec.TimeFeatures / 2;
        var omega = Enumerable.Range(0, half).Select(k => half == 1 ? 1.0 : Math.Exp(Math.Log(100) * k / (half - 1))).Select(v => (float)v).ToArray();
        using (var pinned = tensor(omega, new long[] { 1, half }))
            frequencies = pinned.clone().DetachFromDisposeScope();
        timeIn = nn.Linear(spec.TimeFeatures + 1, embedding);
        conditionIn = nn.Linear(observationDimension, embedding);
        timeOut = nn.Linear(embedding, embedding);
        input = _layers.Convolution(_shape[0], w);
        var levels = spec.Multipliers.Length;
        var downBlocks = new List<UNetBlock>();
        long channels = w;
        var levelChannels = new long[levels];
        for (int l = 0; l < levels; l++)
        {
            levelChannels[l] = (long)w * spec.Multipliers[l];
            for (int b = 0; b < spec.BlocksPerLevel; b++)
            {
                downBlocks.Add(new UNetBlock(_layers, channels, levelChannels[l], embedding));
                channels = levelChannels[l];
            }
        }
        down = nn.ModuleList(downBlocks.ToArray());
        middle1 = new UNetBlock(_layers, channels, channels, embedding);
        attention = spec.Attention ? new UNetAttention(_layers, channels) : null;
        middle2 = new UNetBlock(_layers, channels, channels, embedding);
        var upBlocks = new List<UNetBlock>();
        for (int l = levels - 1; l >= 0; l--)
        {
            for (int b = 0; b < spec.BlocksPerLevel; b++)
            {
                upBlocks.Add(new UNetBlock(_layers, b == 0 ? channels + levelChannels[l] : levelChannels[l], levelChannels[l], embedding));
                channels = levelChannels[l];
            }
        }
        up = nn.ModuleList(upBlocks.ToArray());
        outputNorm = _layers.Norm(channels);
        output = _layers.Convolution(channels, _shape[0]);
        RegisterComponents();
        Initialize(generator);
    }

    /// <summary>The architecture.</summary>
    public UNetSpec Spec { get; }

    /// <summary>Time (1, 1) and a condition (1, Dx) are broadcast over the batch.</summary>
    public override bool BroadcastsSharedInputs => true;

    private void Initialize(Generator? generator)
    {
        using var noGrad = no_grad();
        // Torch's layers initialize from its global generator; redraw every one from ours so that a seed fixes the network.
        foreach (var (_, module) in named_modules())
        {
            var (weight, bias) = module switch
            {
                Linear l => (l.weight, l.bias),
                UNetConvolution c => (c.Weight, c.Bias),
                _ => ((Parameter?)null, (Parameter?)null),
            };
            if (weight is null) continue;
            var bound = 1 / Math.Sqrt(weight.numel() / weight.shape[0]);
            foreach (var p in bias is null ? new[] { weight } : new[] { weight, bias })
                p.copy_(rand(p.shape, dtype: p.dtype, generator: generator).Mul(2).Sub(1).Mul(bound));
        }
        foreach (var p in down.Concat(up).Append(middle1).Append(middle2).SelectMany(b => b.Last.parameters())
                     .Concat(attention?.Output.parameters() ?? Enumerable.Empty<Parameter>()).Concat(output.parameters()))
            p.zero_();
    }

    /// <summary>Runs the network.</summary>
    /// <param name="thetaT">Noisy states (B, Dθ), flattened row-major from (B, C, H, W) or (B, C, L).</param>
    /// <param name="time">(B, 1) in about [−1, 1], or (1, 1) for a batch at one noise level.</param>
    /// <param name="x">The condition (B, Dx) or (1, Dx).</param>
    /// <returns>(B, Dθ).</returns>
    public override Tensor forward(Tensor thetaT, Tensor time, Tensor x)
    {
        using var scope = NewDisposeScope();
        var batch = thetaT.shape[0];
        // The frequencies are a buffer (moved with the module); `to` on the same device would return the field itself into this scope, which disposes it.
        var angles = time.matmul(frequencies);
        var features = cat(new[] { angles.sin(), angles.cos(), time }, 1);
        var e = timeOut.forward(timeIn.forward(features).Plus(conditionIn.forward(x)).silu());
        if (e.shape[0] != batch) e = e.expand(batch, -1);
        var h = input.forward(thetaT.reshape(new[] { batch }.Concat(_shape).ToArray()));
        var skips = new Stack<Tensor>();
        var levels = Spec.Multipliers.Length;
        int k = 0;
        for (int l = 0; l < levels; l++)
        {
            for (int b = 0; b < Spec.BlocksPerLevel; b++) h = down[k++].forward(h, e);
            skips.Push(h);
            if (l < levels - 1) h = _layers.Down(h);
        }
        h = middle1.forward(h, e);
        if (attention is not null) h = attention.forward(h);
        h = middle2.forward(h, e);
        k = 0;
        for (int l = levels - 1; l >= 0; l--)
        {
            h = cat(new[] { h, skips.Pop() }, 1);
            for (int b = 0; b < Spec.BlocksPerLevel; b++) h = up[k++].forward(h, e);
            if (l > 0) h = _layers.Up(h);
        }
        var result = output.forward(outputNorm.forward(h).silu());
        return result.reshape(batch, ParameterDimension).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            timeIn.Dispose();
            conditionIn.Dispose();
            timeOut.Dispose();
            input.Dispose();
            foreach (var b in down) b.Dispose();
            middle1.Dispose();
            attention?.Dispose();
            middle2.Dispose();
            foreach (var b in up) b.Dispose();
            outputNorm.Dispose();
            output.Dispose();
            frequencies.Dispose();
        }
        base.Dispose(disposing);
    }
}
