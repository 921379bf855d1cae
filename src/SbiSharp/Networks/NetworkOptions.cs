namespace SbiSharp.Networks;

/// <summary>Architecture of the residual MLP denoiser backbone (BayesFlow's default); registered as "residual-mlp".</summary>
public sealed record NetworkOptions : NetworkSpec
{
    /// <summary>Default options.</summary>
    public static NetworkOptions Default { get; } = new();

    /// <summary>Hidden width of every block and of the θ_t and x projections.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Number of residual blocks.</summary>
    public int Blocks { get; init; } = 5;

    /// <summary>Dropout probability inside the blocks during training.</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>Number of trainable random Fourier time features (half sine, half cosine); even.</summary>
    public int FourierFeatures { get; init; } = 32;

    /// <summary>Standard deviation of the initial Fourier frequencies.</summary>
    public double FourierScale { get; init; } = 30.0;

    /// <inheritdoc />
    public override ConditionalNetwork Create(int parameterDimension, int observationDimension, TorchSharp.torch.Generator? generator) =>
        new ResidualMlp(parameterDimension, observationDimension, this, generator);

    /// <summary>Throws on the first invalid field.</summary>
    public override NetworkOptions Validate()
    {
        Internal.Check.PositiveValue(Width, nameof(Width));
        Internal.Check.PositiveValue(Blocks, nameof(Blocks));
        Internal.Check.Probability(Dropout, nameof(Dropout));
        Internal.Check.PositiveValue(FourierFeatures, nameof(FourierFeatures));
        if (FourierFeatures % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(FourierFeatures), FourierFeatures, $"`FourierFeatures` must be even (sine and cosine pairs); got {FourierFeatures}.");
        Internal.Check.PositiveValue(FourierScale, nameof(FourierScale));
        return this;
    }
}
