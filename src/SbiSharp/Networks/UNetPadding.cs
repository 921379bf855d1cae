namespace SbiSharp.Networks;

/// <summary>How the U-Net's convolutions treat the field's edges.</summary>
public enum UNetPadding
{
    /// <summary>Wrap around (a periodic domain: a torus, a ring).</summary>
    Periodic,

    /// <summary>Zeros beyond the edges (a bounded domain, an image).</summary>
    Zero,
}
