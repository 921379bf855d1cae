using System.Globalization;
using SbiSharp.Registration;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Guidance;

/// <summary>Builds the registered guidance kinds from their command-line text (the part after "name:").</summary>
internal static class GuidanceArguments
{
    public static InpaintingGuidance Fix(CreationArguments a)
    {
        var items = Items(a, "fix", "INDEX=VALUE,… (1-based, e.g. fix:1=0.25)");
        var indices = new List<int>();
        var values = new List<double>();
        foreach (var item in items)
        {
            var parts = item.Split('=');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new ArgumentException($"Guidance 'fix' expects INDEX=VALUE (1-based index, finite value, e.g. 1=0.25); got '{item}'.", "arguments");
            indices.Add(CheckIndex(index, a, "fix") - 1);
            values.Add(value);
        }
        return new InpaintingGuidance(indices, values);
    }

    public static ConstraintGuidance Bound(CreationArguments a)
    {
        var constraints = new List<Func<Tensor, Tensor>>();
        foreach (var item in Items(a, "bound", "INDEX>=VALUE or INDEX<=VALUE, comma-separated (1-based, e.g. bound:2>=0)"))
        {
            var (op, at) = item.Contains(">=") ? (">=", item.IndexOf(">=", StringComparison.Ordinal)) : item.Contains("<=") ? ("<=", item.IndexOf("<=", StringComparison.Ordinal)) : ("", -1);
            if (at < 0 || !int.TryParse(item[..at], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                || !double.TryParse(item[(at + 2)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new ArgumentException($"Guidance 'bound' expects INDEX>=VALUE or INDEX<=VALUE (1-based index, finite value, e.g. 2>=0); got '{item}'.", "arguments");
            var j = CheckIndex(index, a, "bound") - 1;
            // c(θ) ≤ 0 where the bound holds.
            constraints.Add(op == ">=" ? theta => Negate(theta.narrow(1, j, 1)).Add(value) : theta => theta.narrow(1, j, 1).Sub(value));
        }
        return new ConstraintGuidance(constraints.ToArray());
    }

    public static ClassifierFreeGuidance ClassifierFree(CreationArguments a)
    {
        var text = a.Argument;
        if (string.IsNullOrWhiteSpace(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            throw new ArgumentException($"Guidance 'classifier-free' expects its weight w ≥ −1 (e.g. classifier-free:1.5); got '{text}'.", "arguments");
        return new ClassifierFreeGuidance(weight);
    }

    private static Tensor Negate(Tensor t) => t.neg();

    private static string[] Items(CreationArguments a, string name, string expected)
    {
        var text = a.Argument;
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException($"Guidance '{name}' expects {expected}; got nothing after '{name}:'.", "arguments");
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static int CheckIndex(int index, CreationArguments a, string name)
    {
        if (a.ParameterDimension is { } d && (index < 1 || index > d))
            throw new ArgumentException($"Guidance '{name}' index must lie in [1, {d}] (the model's parameters); got {index}.", "arguments");
        if (index < 1) throw new ArgumentException($"Guidance '{name}' index must be at least 1 (1-based); got {index}.", "arguments");
        return index;
    }
}
