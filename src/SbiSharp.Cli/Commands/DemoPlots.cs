using SbiSharp.Diagnostics;
using SbiSharp.Plotting;
using SbiSharp.Tasks;
using SbiSharp.Training;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>The demo's figures.</summary>
internal static class DemoPlots
{
    public static void Write(string outDir, SbiTask task, Tensor samples, Tensor priorDraws, double[] observed, CoverageResult coverage, CalibrationReport report, TrainingResult trained)
    {
        MarginalsPlot.Save(Path.Combine(outDir, "posterior_marginals.png"), task.ParameterNames, Columns(samples), Columns(priorDraws));
        ArmPlot.Save(Path.Combine(outDir, "arm_configurations.png"), new[] { ("Posterior draws (100)", Arms(samples, 100)) }, (observed[0], observed[1]));
        CoveragePlot.Save(Path.Combine(outDir, "coverage.png"), coverage, task.ParameterNames);
        RecoveryPlot.Save(Path.Combine(outDir, "recovery.png"), report.Recovery, task.ParameterNames);
        CalibrationEcdfPlot.Save(Path.Combine(outDir, "calibration_ecdf.png"), report.Sbc, task.ParameterNames);
        LossPlot.Save(Path.Combine(outDir, "loss.png"), trained.Losses, trained.ValidationLosses);
    }

    public static IReadOnlyList<IReadOnlyList<double>> Columns(Tensor values)
    {
        var flat = values.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        int d = (int)values.shape[1];
        return Enumerable.Range(0, d).Select(j => (IReadOnlyList<double>)Enumerable.Range(0, (int)values.shape[0]).Select(i => flat[i * d + j]).ToArray()).ToArray();
    }

    public static IReadOnlyList<IReadOnlyList<(double X, double Y)>> Arms(Tensor theta, int count)
    {
        using var scope = NewDisposeScope();
        var n = Math.Min(count, (int)theta.shape[0]);
        var joints = InverseKinematicsTask.Joints(theta.narrow(0, 0, n)).to(ScalarType.Float64).contiguous().data<double>().ToArray();
        return Enumerable.Range(0, n).Select(i => (IReadOnlyList<(double, double)>)Enumerable.Range(0, 4)
            .Select(j => (joints[(i * 4 + j) * 2], joints[(i * 4 + j) * 2 + 1])).ToArray()).ToArray();
    }
}
