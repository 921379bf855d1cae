using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Diagnostics;

/// <summary>F independent binary MLP classifiers (d → h → h → 1, ReLU, logistic) trained side by side with scikit-learn's Adam and stopping rule.</summary>
/// <remarks>
/// All parameters of the classifiers still training live in one flat (F, P) tensor laid out as [W1 W2 W3 | b1 b2 b3], so the
/// L2 penalty and the Adam update are a few whole-tensor operations. A classifier that meets the stopping rule keeps its
/// parameters of that epoch and leaves the batch, so the remaining ones train on smaller tensors.
/// </remarks>
internal sealed class BatchedMlpClassifier
{
    /// <summary>scikit-learn clips probabilities to [ε, 1 − ε] with ε of the data type (float32 here), so one sample's log-loss is at most −ln ε.</summary>
    private static readonly double MaxSampleLoss = -Math.Log(1.1920929e-07);

    private readonly int _dimension;
    private readonly int _hidden;
    private readonly long _weightCount;
    private readonly C2stOptions _options;
    private readonly Generator _generator;
    private Tensor _parameters;

    public BatchedMlpClassifier(int folds, int dimension, C2stOptions options, Generator generator)
    {
        _dimension = dimension;
        _hidden = options.HiddenFactor * dimension;
        _options = options;
        _generator = generator;
        int d = dimension, h = _hidden;
        _weightCount = (long)d * h + (long)h * h + h;
        _parameters = zeros(folds, _weightCount + h + h + 1);
        var p = Views(_parameters);
        Initialize(p.W1, p.B1, d, h);
        Initialize(p.W2, p.B2, h, h);
        Initialize(p.W3, p.B3, h, 1);
    }

    private (Tensor W1, Tensor W2, Tensor W3, Tensor B1, Tensor B2, Tensor B3) Views(Tensor flat)
    {
        int d = _dimension, h = _hidden;
        long folds = flat.shape[0];
        long offset = 0;
        Tensor Take(long count, params long[] shape)
        {
            var view = flat.narrow(1, offset, count).view(new[] { folds }.Concat(shape).ToArray());
            offset += count;
            return view;
        }
        return (Take((long)d * h, d, h), Take((long)h * h, h, h), Take(h, h, 1), Take(h, 1, h), Take(h, 1, h), Take(1, 1, 1));
    }

    private void Initialize(Tensor weight, Tensor bias, int fanIn, int fanOut)
    {
        var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        weight.copy_((rand(weight.shape, generator: _generator).Mul(2).Sub(1)).Mul(bound));
        bias.copy_((rand(bias.shape, generator: _generator).Mul(2).Sub(1)).Mul(bound));
    }

    /// <summary>Trains on (F, n, d) inputs and (F, n) labels; returns the epochs each classifier ran.</summary>
    public int[] Fit(Tensor inputs, Tensor labels)
    {
        int folds = (int)inputs.shape[0];
        long n = inputs.shape[1];
        int batch = (int)Math.Min(_options.MaxBatchSize, n);
        var active = Enumerable.Range(0, folds).ToList();
        var bestLoss = Enumerable.Repeat(double.PositiveInfinity, folds).ToArray();
        var noImprovement = new int[folds];
        var ran = new int[folds];
        var final = new Tensor[folds];
        var x = inputs.alias();
        var y = labels.alias();
        var parameters = _parameters.clone();
        var gradients = zeros_like(parameters);
        var m = zeros_like(parameters);
        var v = zeros_like(parameters);
        const double beta1 = 0.9, beta2 = 0.999;
        // Scalars live in locals for the whole fit: a temporary Scalar passed straight into an op can be finalized while
        // the native call still reads it (seen as a rare crash in clamp_max_ under heavy allocation).
        using var maxSampleLoss = MaxSampleLoss.ToScalar();
        using var l2 = _options.L2.ToScalar();
        using var halfL2 = (0.5 * _options.L2).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var epsilon = 1e-8.ToScalar();
        using var fullFirst = ((1 - beta1) / batch).ToScalar();
        using var count = ((double)n).ToScalar();
        using var fullSecond = ((1 - beta2) / ((double)batch * batch)).ToScalar();
        long t = 0;
        for (int epoch = 0; epoch < _options.MaxEpochs && active.Count > 0; epoch++)
        {
            double[] epochLoss;
            using (var epochScope = NewDisposeScope())
            {
                long f = active.Count;
                var p = Views(parameters);
                var g = Views(gradients);
                var weights = parameters.narrow(1, 0, _weightCount);
                var weightGradients = gradients.narrow(1, 0, _weightCount);
                var order = rand(new long[] { f, n }, generator: _generator).argsort(1);
                var xs = x.gather(1, order.unsqueeze(2).expand(f, n, _dimension));
                var ys = y.gather(1, order).unsqueeze(2);
                var lossSum = zeros(f, dtype: ScalarType.Float64);
                var squaredWeights = zeros(f, dtype: ScalarType.Float64);
                for (long start = 0; start < n; start += batch)
                {
                    using var scope = NewDisposeScope();
                    long size = Math.Min(batch, n - start);
                    var xb = xs.narrow(1, start, size);
                    var yb = ys.narrow(1, start, size);
                    var a1 = xb.bmm(p.W1).AddInPlace(p.B1).relu_();
                    var a2 = a1.bmm(p.W2).AddInPlace(p.B2).relu_();
                    var logits = a2.bmm(p.W3).AddInPlace(p.B3);
                    // scikit-learn's batch loss: mean log-loss + ½α‖W‖²/size; the epoch loss weights it by size / n.
                    lossSum.AddInPlace(nn.functional.binary_cross_entropy_with_logits(logits, yb, reduction: nn.Reduction.None)
                        .clamp_max_(maxSampleLoss).sum(new long[] { 1, 2 }));
                    squaredWeights.AddInPlace(weights.Square().sum(new long[] { 1 }));
                    // Backpropagation of the summed loss; the 1/size of the mean is applied in the Adam moments.
                    var d3 = logits.sigmoid_().sub_(yb);
                    g.W3.copy_(a2.transpose(1, 2).bmm(d3));
                    g.B3.copy_(d3.sum(new long[] { 1 }, keepdim: true));
                    var d2 = d3.bmm(p.W3.transpose(1, 2)).mul_(a2.sign());
                    g.W2.copy_(a1.transpose(1, 2).bmm(d2));
                    g.B2.copy_(d2.sum(new long[] { 1 }, keepdim: true));
                    var d1 = d2.bmm(p.W2.transpose(1, 2)).mul_(a1.sign());
                    g.W1.copy_(xb.transpose(1, 2).bmm(d1));
                    g.B1.copy_(d1.sum(new long[] { 1 }, keepdim: true));
                    weightGradients.add_(weights, alpha: l2);
                    // scikit-learn's Adam: bias correction folded into the step size, ε added to √v.
                    t++;
                    using var partFirst = size == batch ? null : ((1 - beta1) / size).ToScalar();
                    using var partSecond = size == batch ? null : ((1 - beta2) / ((double)size * size)).ToScalar();
                    m.mul_(beta1Scalar).add_(gradients, alpha: partFirst ?? fullFirst);
                    v.mul_(beta2Scalar).addcmul_(gradients, gradients, value: partSecond ?? fullSecond);
                    using var step = (-_options.LearningRate * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t))).ToScalar();
                    parameters.addcdiv_(m, v.sqrt().add_(epsilon, ScalarMath.One), value: step);
                }
                epochLoss = lossSum.add_(squaredWeights, alpha: halfL2).div_(count).data<double>().ToArray();
            }
            var keep = new List<long>();
            for (int i = 0; i < active.Count; i++)
            {
                int fold = active[i];
                ran[fold] = epoch + 1;
                if (epochLoss[i] > bestLoss[fold] - _options.Tolerance) noImprovement[fold]++;
                else noImprovement[fold] = 0;
                if (epochLoss[i] < bestLoss[fold]) bestLoss[fold] = epochLoss[i];
                if (noImprovement[fold] > _options.NoImprovementEpochs) final[fold] = parameters[i].clone();
                else keep.Add(i);
            }
            if (keep.Count < active.Count)
            {
                active = keep.Select(i => active[(int)i]).ToList();
                using var index = tensor(keep.ToArray());
                Tensor Shrink(Tensor old)
                {
                    var kept = old.index_select(0, index);
                    old.Dispose();
                    return kept;
                }
                parameters = Shrink(parameters);
                gradients = Shrink(gradients);
                m = Shrink(m);
                v = Shrink(v);
                x = Shrink(x);
                y = Shrink(y);
            }
        }
        for (int i = 0; i < active.Count; i++) final[active[i]] = parameters[i].clone();
        foreach (var tensor in new[] { parameters, gradients, m, v, x, y }) tensor.Dispose();
        _parameters.Dispose();
        _parameters = stack(final, 0);
        foreach (var tensor in final) tensor.Dispose();
        return ran;
    }

    /// <summary>Test accuracy per classifier for (F, n, d) inputs and (F, n) labels (threshold 0.5).</summary>
    public double[] Accuracy(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var p = Views(_parameters);
        var a1 = x.bmm(p.W1).AddInPlace(p.B1).relu_();
        var a2 = a1.bmm(p.W2).AddInPlace(p.B2).relu_();
        var predicted = (a2.bmm(p.W3).AddInPlace(p.B3).squeeze(2).Gt(0)).to(ScalarType.Float32);
        return (predicted == y).to(ScalarType.Float64).mean(new long[] { 1 }).data<double>().ToArray();
    }
}
