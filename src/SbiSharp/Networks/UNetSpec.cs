using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>A U-Net over fields of shape (C, H, W) or signals of shape (C, L), flattened row-major to Dθ = C·H·W (or C·L); registered as "unet".</summary>
/// <remarks>
/// Residual blocks (GroupNorm, SiLU, 3-wide convolutions) at <see cref="Multipliers"/>.Length resolutions halved by average pooling, the
/// noise level (and the condition, if any) entering every block by FiLM; optional single-head self-attention at the coarsest resolution
/// (Ho et al. 2020, arXiv:2006.11239; Ronneberger et al. 2015). Sized for CPU training by default (<see cref="Width"/> 32, three resolutions).
/// States half: the diffused variable is the state x; the network's "observation" input is the condition (a dummy column for an unconditional prior).
/// </remarks>
public sealed record UNetSpec : NetworkSpec
{
    /// <summary>The registered defaults: a 16×16 single-channel field.</summary>
    public static UNetSpec Default { get; } = new();

    /// <summary>The state's shape without the batch: (C, H, W) for a 2-D field, (C, L) for a 1-D one.</summary>
    public int[] Shape { get; init; } = { 1, 16, 16 };

    /// <summary>Channels at the finest resolution.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Channel multiplier per resolution, finest first; its length is the number of resolutions (each after the first halves H and W).</summary>
    public int[] Multipliers { get; init; } = { 1, 2, 2 };

    /// <summary>Residual blocks per resolution on the way down (and one more on the way up).</summary>
    public int BlocksPerLevel { get; init; } = 1;

    /// <summary>Whether a self-attention layer sits between the two middle blocks at the coarsest resolution.</summary>
    public bool Attention { get; init; }

    /// <summary>Edge treatment of the convolutions.</summary>
    public UNetPadding Padding { get; init; } = UNetPadding.Periodic;

    /// <summary>GroupNorm groups; must divide every level's channel count.</summary>
    public int Groups { get; init; } = 8;

    /// <summary>Sinusoidal features of the noise level (log-spaced frequencies), even.</summary>
    public int TimeFeatures { get; init; } = 32;

    /// <summary>The number of spatial dimensions: 2 for (C, H, W), 1 for (C, L).</summary>
    public int SpatialDimensions => Shape.Length - 1;

    /// <summary>C·H·W (or C·L).</summary>
    public int StateDimension => Shape.Aggregate(1, (a, b) => checked(a * b));

    /// <inheritdoc />
    public override int? FixedParameterDimension => StateDimension;

    /// <inheritdoc />
    public override ConditionalNetwork Create(int parameterDimension, int observationDimension, Generator? generator) =>
        new UNet(parameterDimension, observationDimension, this, generator);

    /// <inheritdoc />
    public override UNetSpec Validate()
    {
        if (Shape is null || Shape.Length is < 2 or > 3)
            throw new ArgumentException($"`Shape` must be (C, H, W) or (C, L); got ({string.Join(", ", Shape ?? Array.Empty<int>())}).", nameof(Shape));
        foreach (var s in Shape) Check.PositiveValue(s, nameof(Shape));
        Check.PositiveValue(Width, nameof(Width));
        if (Multipliers is null || Multipliers.Length == 0) throw new ArgumentException("`Multipliers` must name at least one resolution; got none.", nameof(Multipliers));
        foreach (var m in Multipliers) Check.PositiveValue(m, nameof(Multipliers));
        Check.PositiveValue(BlocksPerLevel, nameof(BlocksPerLevel));
        Check.PositiveValue(Groups, nameof(Groups));
        Check.PositiveValue(TimeFeatures, nameof(TimeFeatures));
        if (TimeFeatures % 2 != 0) throw new ArgumentOutOfRangeException(nameof(TimeFeatures), TimeFeatures, $"`TimeFeatures` must be even (sine and cosine pairs); got {TimeFeatures}.");
        var factor = 1 << (Multipliers.Length - 1);
        for (int k = 1; k < Shape.Length; k++)
            if (Shape[k] % factor != 0)
                throw new ArgumentException($"`Shape` ({string.Join(", ", Shape)}) must have spatial sizes divisible by 2^{Multipliers.Length - 1} = {factor} for {Multipliers.Length} resolutions; size {k} is {Shape[k]}. Use fewer `Multipliers` or pad the field.", nameof(Shape));
        foreach (var m in Multipliers)
            if (Width * m % Groups != 0)
                throw new ArgumentException($"`Groups` ({Groups}) must divide every level's channels `Width` × multiplier; {Width} × {m} = {Width * m} is not divisible.", nameof(Groups));
        return this;
    }

    /// <summary>Equality by value, arrays included (so a spec read back from a model file equals the one written).</summary>
    public bool Equals(UNetSpec? other) =>
        other is not null && Shape.SequenceEqual(other.Shape) && Width == other.Width && Multipliers.SequenceEqual(other.Multipliers) && BlocksPerLevel == other.BlocksPerLevel
        && Attention == other.Attention && Padding == other.Padding && Groups == other.Groups && TimeFeatures == other.TimeFeatures;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(string.Join(",", Shape), Width, string.Join(",", Multipliers), BlocksPerLevel, Attention, Padding, Groups, TimeFeatures);
}
