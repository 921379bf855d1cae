using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Internal;

/// <summary>Argument checks that throw errors naming the parameter, the expected and the actual value.</summary>
internal static class Check
{
    public static string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";

    /// <summary>Throws unless <paramref name="t"/> is a 2-D tensor with <paramref name="columns"/> columns.</summary>
    public static void Matrix(Tensor t, long columns, string name, string hint)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != 2 || t.shape[1] != columns)
            throw new ArgumentException(
                $"`{name}` must have shape (B, {columns}) {hint}; got {Shape(t)}.", name);
    }

    /// <summary>Throws unless both tensors have the same number of rows.</summary>
    public static void SameRows(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException(
                $"`{nameA}` and `{nameB}` must have the same number of rows; got {a.shape[0]} and {b.shape[0]}.", nameB);
    }

    /// <summary>Throws when the tensor holds NaN or infinite values.</summary>
    public static void Finite(Tensor t, string name)
    {
        using var scope = NewDisposeScope();
        if (!torch.isfinite(t).all().item<bool>())
        {
            var bad = (~torch.isfinite(t)).nonzero()[0];
            var index = string.Join(", ", bad.data<long>().ToArray());
            throw new ArgumentException($"`{name}` must be finite; found NaN or Inf at index ({index}).", name);
        }
    }

    public static double[] FiniteArray(double[] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"`{name}[{i}]` must be finite; got {values[i]}.", name);
        return (double[])values.Clone();
    }

    public static void SameLength(double[] a, string nameA, double[] b, string nameB)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"`{nameA}` and `{nameB}` must have the same length; got {a.Length} and {b.Length}.", nameB);
    }

    public static void Positive(double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] > 0) || !double.IsFinite(values[i]))
                throw new ArgumentOutOfRangeException(name, values[i], $"`{name}[{i}]` must be positive and finite; got {values[i]}.");
    }

    public static void NotEmpty(double[] values, string name)
    {
        if (values.Length == 0) throw new ArgumentException($"`{name}` must have at least one element; got 0.", name);
    }

    public static void Probability(double value, string name, bool allowOne = false)
    {
        if (!(value >= 0) || (allowOne ? value > 1 : value >= 1))
            throw new ArgumentOutOfRangeException(name, value, $"`{name}` must lie in [0, {(allowOne ? "1]" : "1)")}; got {value}.");
    }

    public static void PositiveValue(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"`{name}` must be positive and finite; got {value}.");
    }

    public static void PositiveValue(long value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"`{name}` must be positive; got {value}.");
    }

    /// <summary>Parses a finite number written with a dot, or throws naming <paramref name="name"/> and the text.</summary>
    public static double ParseDouble(string text, string name)
    {
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new ArgumentException($"The {name} must be a finite number such as 0.001; got '{text}'.", name);
        return value;
    }

    public static string Format(ReadOnlySpan<double> values) =>
        "[" + string.Join(", ", values.ToArray().Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
