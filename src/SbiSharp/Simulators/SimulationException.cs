namespace SbiSharp.Simulators;

/// <summary>A simulator produced an invalid result (non-finite values, wrong shape, or an exception) for some row.</summary>
public sealed class SimulationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimulationException(string message, int row, double[] theta, Exception? inner = null) : base(message, inner)
    {
        Row = row;
        Theta = theta;
    }

    /// <summary>The batch row that failed (−1 when the whole batch had the wrong shape).</summary>
    public int Row { get; }

    /// <summary>The parameters of that row (empty when not known).</summary>
    public IReadOnlyList<double> Theta { get; }
}
