using SbiSharp.Internal;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Diagnostics;

/// <summary>Classifier two-sample test (C2ST) exactly as sbibm computes it (Lopez-Paz &amp; Oquab 2017, arXiv:1610.06545; Lueckmann et al. 2021).</summary>
/// <remarks>
/// Both samples are z-scored with the reference's mean and unbiased std; labels 0 (reference) and 1 (test); shuffled
/// k-fold cross-validation; in each fold an MLP with two hidden ReLU layers of 10·d units and a logistic output is trained
/// on the log-loss plus ½α‖W‖²/batch with Adam (scikit-learn's variant: ε added to √v, bias correction folded into the step
/// size), Glorot-uniform initialization √(6/(fan_in + fan_out)) for weights and biases, mini-batches of min(200, n)
/// reshuffled every epoch, and scikit-learn's stopping rule: stop once the epoch's mean training loss has failed to beat the
/// best loss by the tolerance on more than 10 consecutive epochs. The score is the mean test accuracy.
/// The folds train together as one batched network (one matrix product per layer for all folds) with hand-written
/// backpropagation and one flat Adam update, so a score over 2 × 10,000 samples takes seconds, not minutes.
/// </remarks>
public static class C2st
{
    /// <summary>Computes the C2ST accuracy of <paramref name="test"/> against <paramref name="reference"/>.</summary>
    /// <param name="reference">Reference samples X, shape (n, d).</param>
    /// <param name="test">Samples under test Y, shape (m, d).</param>
    /// <param name="options">Classifier settings; null uses sbibm's.</param>
    /// <exception cref="ArgumentException">Dimensions differ, a value is NaN/Inf, or there are fewer rows than folds.</exception>
    public static C2stResult Score(Tensor reference, Tensor test, C2stOptions? options = null)
    {
        var o = (options ?? C2stOptions.Default).Validate();
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.dim() != 2) throw new ArgumentException($"`reference` must have shape (n, d); got {Check.Shape(reference)}.", nameof(reference));
        if (test.dim() != 2 || test.shape[1] != reference.shape[1])
            throw new ArgumentException($"`test` must have shape (m, {reference.shape[1]}) to match `reference`; got {Check.Shape(test)}.", nameof(test));
        if (reference.shape[0] < o.Folds || test.shape[0] < o.Folds)
            throw new ArgumentException($"Each sample needs at least {o.Folds} rows (one per fold); got {reference.shape[0]} and {test.shape[0]}.", nameof(reference));
        Check.Finite(reference, nameof(reference));
        Check.Finite(test, nameof(test));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = reference.to(ScalarType.Float32).cpu();
        var y = test.to(ScalarType.Float32).cpu();
        if (o.ZScore)
        {
            var mean = x.mean(new long[] { 0 }, keepdim: true);
            var std = x.std(0, keepdim: true).ClampMin(1e-12);
            x = (x - mean) / std;
            y = (y - mean) / std;
        }
        var data = cat(new[] { x, y }, 0);
        var labels = cat(new[] { zeros(x.shape[0]), ones(y.shape[0]) }, 0);
        long n = data.shape[0];
        using var generator = new Generator((ulong)o.Seed);
        var permutation = randperm(n, generator: generator);
        var foldSizes = Enumerable.Range(0, o.Folds).Select(f => n / o.Folds + (f < n % o.Folds ? 1 : 0)).ToArray();
        var starts = new long[o.Folds];
        for (int f = 1; f < o.Folds; f++) starts[f] = starts[f - 1] + foldSizes[f - 1];
        var split = Enumerable.Range(0, o.Folds).Select(f =>
        {
            var testIdx = permutation.narrow(0, starts[f], foldSizes[f]);
            var trainIdx = cat(new[] { permutation.narrow(0, 0, starts[f]), permutation.narrow(0, starts[f] + foldSizes[f], n - starts[f] - foldSizes[f]) }, 0);
            return (TrainIdx: trainIdx, TestIdx: testIdx);
        }).ToArray();

        var accuracies = new double[o.Folds];
        var epochs = new int[o.Folds];
        // Folds of equal size train together; with unequal sizes (n not divisible by the fold count) each group trains on its own.
        foreach (var group in Enumerable.Range(0, o.Folds).GroupBy(f => foldSizes[f]))
        {
            var folds = group.ToArray();
            var trainX = stack(folds.Select(f => data.index_select(0, split[f].TrainIdx)).ToArray(), 0);
            var trainY = stack(folds.Select(f => labels.index_select(0, split[f].TrainIdx)).ToArray(), 0);
            var testX = stack(folds.Select(f => data.index_select(0, split[f].TestIdx)).ToArray(), 0);
            var testY = stack(folds.Select(f => labels.index_select(0, split[f].TestIdx)).ToArray(), 0);
            var classifier = new BatchedMlpClassifier(folds.Length, (int)data.shape[1], o, generator);
            var ran = classifier.Fit(trainX, trainY);
            var acc = classifier.Accuracy(testX, testY);
            for (int i = 0; i < folds.Length; i++)
            {
                accuracies[folds[i]] = acc[i];
                epochs[folds[i]] = ran[i];
            }
        }
        return new C2stResult(accuracies.Average(), accuracies, epochs);
    }
}
