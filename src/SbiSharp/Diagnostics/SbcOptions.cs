namespace SbiSharp.Diagnostics;

/// <summary>Settings of simulation-based calibration's uniformity test and ECDF bands.</summary>
public sealed record SbcOptions
{
    /// <summary>Default options.</summary>
    public static SbcOptions Default { get; } = new();

    /// <summary>Confidence of the simultaneous ECDF bands; the log-gamma test has level 1 − Confidence.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Rank sets simulated under uniformity to calibrate the bands and the test.</summary>
    public int NullSimulations { get; init; } = 1000;

    /// <summary>Most ECDF evaluation points (spread evenly over the n possible rank cut-offs).</summary>
    public int MaxPoints { get; init; } = 100;

    /// <summary>Seed of the null simulations.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws on the first invalid field.</summary>
    public SbcOptions Validate()
    {
        if (!(Confidence > 0 && Confidence < 1)) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, $"`Confidence` must lie in (0, 1); got {Confidence}.");
        if (NullSimulations < 20) throw new ArgumentOutOfRangeException(nameof(NullSimulations), NullSimulations, $"`NullSimulations` must be at least 20; got {NullSimulations}.");
        if (MaxPoints < 2) throw new ArgumentOutOfRangeException(nameof(MaxPoints), MaxPoints, $"`MaxPoints` must be at least 2; got {MaxPoints}.");
        return this;
    }
}
