using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.States;

/// <summary>Shape checks shared by the operators: a clear error instead of a failure inside torch.</summary>
internal static class OperatorChecks
{
    public static void Input(ILinearOperator op, Tensor x) =>
        Check.Matrix(x, op.InputDimension, nameof(x), $"(a batch of flattened states for '{op.Name}')");

    public static void Output(ILinearOperator op, Tensor y) =>
        Check.Matrix(y, op.OutputDimension, nameof(y), $"(a batch of observations of '{op.Name}')");

    public static void Grid(int height, int width)
    {
        Check.PositiveValue(height, nameof(height));
        Check.PositiveValue(width, nameof(width));
    }
}
