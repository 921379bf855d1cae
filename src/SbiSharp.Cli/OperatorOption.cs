using System.Globalization;
using SbiSharp.IO;
using SbiSharp.States;
using static TorchSharp.torch;

namespace SbiSharp.Cli;

/// <summary>Parses `--operator mask:M.npy | blur:σ | coarse:k` for states of a given shape into a linear operator.</summary>
internal static class OperatorOption
{
    public const string Help = "mask:M.npy (observed pixels where M is nonzero, in row-major order) | blur:σ (periodic Gaussian blur, σ in pixels) | coarse:k (k×k average pooling)";

    public static ILinearOperator Parse(string text, IReadOnlyList<int> shape)
    {
        var at = text.IndexOf(':');
        if (at <= 0 || at == text.Length - 1) throw new ArgumentException($"--operator must be {Help}; got '{text}'.");
        var kind = text[..at];
        var argument = text[(at + 1)..];
        int dimension = shape.Aggregate(1, (a, b) => a * b);
        switch (kind)
        {
            case "mask":
            {
                using var m = NpyFile.Read(argument);
                if (m.numel() != dimension)
                    throw new ArgumentException($"--operator mask: '{argument}' has shape ({string.Join(", ", m.shape)}) = {m.numel()} values; the prior's states ({string.Join(", ", shape)}) have {dimension}.");
                using var flat = m.reshape(-1).to(ScalarType.Float64);
                var values = flat.data<double>().ToArray();
                var indices = Enumerable.Range(0, dimension).Where(i => values[i] != 0).ToArray();
                if (indices.Length == 0) throw new ArgumentException($"--operator mask: '{argument}' observes no pixel (every value is 0).");
                return new PixelMask(dimension, indices);
            }
            case "blur":
            {
                var (h, w) = Grid(shape, kind);
                if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var sigma) || !(sigma > 0) || !double.IsFinite(sigma))
                    throw new ArgumentException($"--operator blur:σ needs a positive width in pixels; got '{argument}'.");
                return new PeriodicBlur(h, w, sigma);
            }
            case "coarse":
            {
                var (h, w) = Grid(shape, kind);
                if (!int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) || k <= 0)
                    throw new ArgumentException($"--operator coarse:k needs a positive integer factor; got '{argument}'.");
                return new AveragePooling(h, w, k);
            }
            default:
                throw new ArgumentException($"--operator '{kind}' is unknown; valid: {Help}.");
        }
    }

    /// <summary>The (H, W) grid of a single-channel 2-D state.</summary>
    private static (int H, int W) Grid(IReadOnlyList<int> shape, string kind)
    {
        if (shape.Count == 3 && shape[0] == 1) return (shape[1], shape[2]);
        if (shape.Count == 2 && shape[0] == 1) return (1, shape[1]);
        throw new ArgumentException($"--operator {kind} works on single-channel fields (1, H, W) or signals (1, L); the prior's states are ({string.Join(", ", shape)}). Use a mask.");
    }
}
