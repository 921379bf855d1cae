using static TorchSharp.torch;

namespace SbiSharp.Diagnostics;

/// <summary>F independent binary MLP classifiers (d → h → h → 1, ReLU, logistic) trained side by side with scikit-learn's Adam and stopping rule.</summary>
/// <remarks>All parameters live in one flat (F, P) tensor, so the Adam update is a handful of whole-tensor operations.</remarks>
internal sealed class BatchedMlpClassifier
{
    private readonly int _folds;
    private readonly int _dimension;
    private readonly int _hidden;
    private readonly C2stOptions _options;
    private readonly Generator _generator;
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly (Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor W3, Tensor B3) _p;
    private readonly (Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor W3, Tensor B3) _g;

    public BatchedMlpClassifier(int folds, int dimension, C2stOptions options, Generator generator)
    {
        _folds = folds;
        _dimension = dimension;
        _hidden = options.HiddenFactor * dimension;
        _options = options;
        _generator = generator;
        int d = dimension, h = _hidden;
        long size = (long)d * h + h + (long)h * h + h + h + 1;
        _parameters = zeros(folds, size);
        _gradients = zeros(folds, size);
        _p = Views(_parameters);
        _g = Views(_gradients);
        Initialize(_p.W1, _p.B1, d, h);
        Initialize(_p.W2, _p.B2, h, h);
        Initialize(_p.W3, _p.B3, h, 1);
    }

    private (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) Views(Tensor flat)
    {
        int d = _dimension, h = _hidden;
        long offset = 0;
        Tensor Take(long count, params long[] shape)
        {
            var view = flat.narrow(1, offset, count).view(new long[] { _folds }.Concat(shape).ToArray());
            offset += count;
            return view;
        }
        return (Take((long)d * h, d, h), Take(h, 1, h), Take((long)h * h, h, h), Take(h, 1, h), Take(h, h, 1), Take(1, 1, 1));
    }

    private void Initialize(Tensor weight, Tensor bias, int fanIn, int fanOut)
    {
        var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        weight.copy_((rand(weight.shape, generator: _generator) * 2 - 1) * bound);
        bias.copy_((rand(bias.shape, generator: _generator) * 2 - 1) * bound);
    }

    /// <summary>Trains on (F, n, d) inputs and (F, n) labels; returns the epochs each classifier ran.</summary>
    public int[] Fit(Tensor x, Tensor y)
    {
        long n = x.shape[1];
        int batch = (int)Math.Min(_options.MaxBatchSize, n);
        var m = zeros_like(_parameters);
        var v = zeros_like(_parameters);
        var active = ones(_folds, 1);
        var bestLoss = Enumerable.Repeat(double.PositiveInfinity, _folds).ToArray();
        var noImprovement = new int[_folds];
        var ran = new int[_folds];
        var stopped = new bool[_folds];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        long t = 0;
        var eps = Math.Pow(2, -52);
        for (int epoch = 0; epoch < _options.MaxEpochs && stopped.Contains(false); epoch++)
        {
            using var epochScope = NewDisposeScope();
            var order = rand(new long[] { _folds, n }, generator: _generator).argsort(1);
            var xs = x.gather(1, order.unsqueeze(2).expand(_folds, n, _dimension));
            var ys = y.gather(1, order);
            var lossSum = zeros(_folds);
            for (long start = 0; start < n; start += batch)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batch, n - start);
                var xb = xs.narrow(1, start, size);
                var yb = ys.narrow(1, start, size).unsqueeze(2);
                var z1 = xb.bmm(_p.W1) + _p.B1;
                var a1 = z1.relu();
                var z2 = a1.bmm(_p.W2) + _p.B2;
                var a2 = z2.relu();
                var probability = (a2.bmm(_p.W3) + _p.B3).sigmoid();
                var clipped = probability.clamp(eps, 1 - eps);
                var logLoss = -(yb * clipped.log() + (1 - yb) * (1 - clipped).log()).sum(new long[] { 1, 2 }) / size;
                var penalty = 0.5 * _options.L2 / size * (_p.W1.square().sum(new long[] { 1, 2 }) + _p.W2.square().sum(new long[] { 1, 2 }) + _p.W3.square().sum(new long[] { 1, 2 }));
                lossSum.add_((logLoss + penalty) * size);
                var d3 = probability - yb;
                _g.W3.copy_((a2.transpose(1, 2).bmm(d3) + _options.L2 * _p.W3) / size);
                _g.B3.copy_(d3.mean(new long[] { 1 }, keepdim: true));
                var d2 = d3.bmm(_p.W3.transpose(1, 2)) * (z2 > 0);
                _g.W2.copy_((a1.transpose(1, 2).bmm(d2) + _options.L2 * _p.W2) / size);
                _g.B2.copy_(d2.mean(new long[] { 1 }, keepdim: true));
                var d1 = d2.bmm(_p.W2.transpose(1, 2)) * (z1 > 0);
                _g.W1.copy_((xb.transpose(1, 2).bmm(d1) + _options.L2 * _p.W1) / size);
                _g.B1.copy_(d1.mean(new long[] { 1 }, keepdim: true));
                t++;
                m.mul_(beta1).add_(_gradients, alpha: 1 - beta1);
                v.mul_(beta2).addcmul_(_gradients, _gradients, value: 1 - beta2);
                var stepSize = _options.LearningRate * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
                _parameters.sub_(m / (v.sqrt() + epsilon) * active * stepSize);
            }
            var epochLoss = (lossSum / n).data<float>().ToArray();
            for (int f = 0; f < _folds; f++)
            {
                if (stopped[f]) continue;
                ran[f] = epoch + 1;
                if (epochLoss[f] > bestLoss[f] - _options.Tolerance) noImprovement[f]++;
                else noImprovement[f] = 0;
                if (epochLoss[f] < bestLoss[f]) bestLoss[f] = epochLoss[f];
                if (noImprovement[f] > _options.NoImprovementEpochs)
                {
                    stopped[f] = true;
                    active[f, 0] = 0;
                }
            }
        }
        m.Dispose();
        v.Dispose();
        active.Dispose();
        return ran;
    }

    /// <summary>Test accuracy per classifier for (F, n, d) inputs and (F, n) labels (threshold 0.5).</summary>
    public double[] Accuracy(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var a1 = (x.bmm(_p.W1) + _p.B1).relu();
        var a2 = (a1.bmm(_p.W2) + _p.B2).relu();
        var predicted = ((a2.bmm(_p.W3) + _p.B3).squeeze(2) > 0).to(ScalarType.Float32);
        return (predicted == y).to(ScalarType.Float64).mean(new long[] { 1 }).data<double>().ToArray();
    }
}
