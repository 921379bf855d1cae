using System.Text.Json.Serialization;
using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.Priors;

/// <summary>Where a prior puts its mass: per-coordinate bounds [Lower, Upper], ±∞ for an unbounded side.</summary>
/// <remarks>A product of intervals covers every prior we ship (box uniform, Gaussian, log-normal and products of them); a prior on a
/// non-rectangular set reports its bounding box.</remarks>
public sealed record Support
{
    /// <summary>Creates a support from bounds.</summary>
    /// <param name="lower">Lower bounds, −∞ allowed.</param>
    /// <param name="upper">Upper bounds, +∞ allowed, each greater than its lower bound.</param>
    /// <exception cref="ArgumentException">Lengths differ, a bound is NaN, or lower ≥ upper.</exception>
    public Support(double[] lower, double[] upper)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        Check.NotEmpty(lower, nameof(lower));
        Check.SameLength(lower, nameof(lower), upper, nameof(upper));
        for (int i = 0; i < lower.Length; i++)
        {
            if (double.IsNaN(lower[i]) || double.IsPositiveInfinity(lower[i]))
                throw new ArgumentException($"`lower[{i}]` must be a number or −∞; got {lower[i]}.", nameof(lower));
            if (double.IsNaN(upper[i]) || double.IsNegativeInfinity(upper[i]))
                throw new ArgumentException($"`upper[{i}]` must be a number or +∞; got {upper[i]}.", nameof(upper));
            if (!(lower[i] < upper[i]))
                throw new ArgumentException($"`lower[{i}]` must be less than `upper[{i}]`; got lower = {lower[i]}, upper = {upper[i]}.", nameof(upper));
        }
        Lower = (double[])lower.Clone();
        Upper = (double[])upper.Clone();
    }

    /// <summary>The whole real space ℝᴰ.</summary>
    public static Support Real(int dimension)
    {
        Check.PositiveValue(dimension, nameof(dimension));
        return new(Enumerable.Repeat(double.NegativeInfinity, dimension).ToArray(), Enumerable.Repeat(double.PositiveInfinity, dimension).ToArray());
    }

    /// <summary>The supports of consecutive blocks of θ, concatenated.</summary>
    public static Support Concat(IEnumerable<Support> parts)
    {
        var list = parts.ToList();
        return new(list.SelectMany(p => p.Lower).ToArray(), list.SelectMany(p => p.Upper).ToArray());
    }

    /// <summary>Lower bounds (−∞ where unbounded).</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double[] Lower { get; }

    /// <summary>Upper bounds (+∞ where unbounded).</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double[] Upper { get; }

    /// <summary>Number of coordinates.</summary>
    public int Dimension => Lower.Length;

    /// <summary>Whether every coordinate is unbounded on both sides.</summary>
    [JsonIgnore]
    public bool IsReal => Lower.All(double.IsNegativeInfinity) && Upper.All(double.IsPositiveInfinity);

    /// <summary>Which rows of <paramref name="theta"/> (B, D) lie inside the closed support, (B,) bool.</summary>
    public Tensor Contains(Tensor theta)
    {
        Check.Matrix(theta, Dimension, nameof(theta), "to match the support");
        using var scope = NewDisposeScope();
        var t = theta.to(ScalarType.Float64);
        var low = Tensors.Row(Lower, ScalarType.Float64).to(t.device);
        var high = Tensors.Row(Upper, ScalarType.Float64).to(t.device);
        return t.ge(low).logical_and(t.le(high)).all(1).MoveToOuterDisposeScope();
    }

    /// <summary>The interval of coordinate <paramref name="i"/> as text, "[−1, 1]" or "(−∞, ∞)".</summary>
    public string Describe(int i)
    {
        static string F(double v) => double.IsNegativeInfinity(v) ? "−∞" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        return $"{(double.IsInfinity(Lower[i]) ? "(" : "[")}{F(Lower[i])}, {F(Upper[i])}{(double.IsInfinity(Upper[i]) ? ")" : "]")}";
    }
}
